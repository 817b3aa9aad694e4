"""One error body for every failure: ``{"error": {"code", "message"}}``, never a traceback."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from geo.addresses.outside_geocoders import GeocoderUnavailable
from geo.errors import (
    DatabaseUnavailable,
    GeoError,
    InvalidInput,
    InvalidParcelData,
    InvalidReferenceData,
    ParcelNotFound,
    PayloadTooLarge,
    ServiceBusy,
    first_line,
)
from geo.intake.file_import import ImportRefused
from geo.parcels.documents import NotAPdf
from geo.parcels.editing import InvalidGeometry, PreconditionRequired, VersionConflict
from geo.parcels.history import ParcelRetired
from geo.survey.polygon import InvalidSurvey
from geo.tokens import Forbidden, NotAuthenticated

logger = logging.getLogger("zhengshou.api")

STATUS: dict[type[GeoError], int] = {
    InvalidInput: 400,
    PayloadTooLarge: 413,
    ParcelNotFound: 404,
    InvalidParcelData: 422,
    InvalidReferenceData: 422,
    DatabaseUnavailable: 503,
    ServiceBusy: 503,
    GeocoderUnavailable: 503,
    NotAuthenticated: 401,
    Forbidden: 403,
    ParcelRetired: 410,
    VersionConflict: 412,
    PreconditionRequired: 428,
    InvalidGeometry: 422,
    ImportRefused: 422,
    InvalidSurvey: 422,
    NotAPdf: 415,
}
HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}


def error_response(status: int, code: str, message: str, **extra: object) -> JSONResponse:
    """The error body every handler returns."""
    return JSONResponse({"error": {"code": code, "message": message, **extra}}, status_code=status)


def status_for(exc: GeoError) -> int:
    """HTTP status of a domain error, matched through its class hierarchy."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def describe_validation_error(error: dict) -> str:
    """One plain sentence for one FastAPI/pydantic validation error."""
    where, *path = error.get("loc", ("request",))
    name = ".".join(str(part) for part in path) or where
    place = {"query": "Query parameter", "path": "Path parameter", "body": "Body field"}.get(
        str(where), "Field"
    )
    message = f"{place} '{name}': {error.get('msg', 'is invalid')}"
    if error.get("type") != "missing" and "input" in error:
        message += f" (got {error['input']!r})"
    return message


def add_error_handlers(app: FastAPI) -> None:
    """Install the handlers that turn every exception into the error body."""

    @app.exception_handler(GeoError)
    async def geo_error(request: Request, exc: GeoError) -> JSONResponse:
        response = error_response(status_for(exc), exc.code, str(exc), **exc.details())
        if isinstance(exc, NotAuthenticated):
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        sentences = [describe_validation_error(error) for error in exc.errors()]
        return error_response(400, "invalid_request", ". ".join(sentences) + ".")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail))

    @app.exception_handler(DataError)
    async def unstorable_value(request: Request, exc: DataError) -> JSONResponse:
        return error_response(400, "invalid_input", f"A value cannot be used: {first_line(exc)}.")

    @app.exception_handler(RecursionError)
    async def too_deep(request: Request, exc: RecursionError) -> JSONResponse:
        return error_response(400, "invalid_input", "The body is nested too deeply.")

    @app.exception_handler(PoolTimeout)
    async def busy(request: Request, exc: PoolTimeout) -> JSONResponse:
        logger.warning("database pool exhausted on %s", request.url.path)
        return error_response(
            503,
            "service_busy",
            "The service is busy; try again in a moment.",
        )

    @app.exception_handler(OperationalError)
    async def database_down(request: Request, exc: OperationalError) -> JSONResponse:
        logger.error("database unavailable: %s", exc.orig)
        return error_response(
            503, "database_unavailable", "The database cannot be reached; try again shortly."
        )

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", "Something went wrong on the server.")
