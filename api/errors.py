"""One error body for every failure: ``{"error": {"code", "message"}}``, never a traceback."""

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from geo.errors import (
    DATABASE_FAILURES,
    DatabaseUnavailable,
    Forbidden,
    GeocoderUnavailable,
    GeoError,
    ImportRefused,
    InvalidGeometry,
    InvalidInput,
    InvalidParcelData,
    InvalidReferenceData,
    InvalidSurvey,
    NotAPdf,
    NotAuthenticated,
    ParcelNotFound,
    ParcelRetired,
    PayloadTooLarge,
    PlanNotFound,
    PreconditionRequired,
    PrintingUnavailable,
    ServiceBusy,
    SignInRefused,
    TooManySignIns,
    VersionConflict,
    database_failure,
    first_line,
)
from geo.messages import (
    catalogue,
    current_language,
    language_from_accept,
    message,
    placeholders,
)

logger = logging.getLogger("zhengshou.api")

STATUS: dict[type[GeoError], int] = {
    InvalidInput: 400,
    PayloadTooLarge: 413,
    ParcelNotFound: 404,
    PlanNotFound: 404,
    InvalidParcelData: 422,
    InvalidReferenceData: 422,
    DatabaseUnavailable: 503,
    ServiceBusy: 503,
    GeocoderUnavailable: 503,
    NotAuthenticated: 401,
    Forbidden: 403,
    SignInRefused: 401,
    TooManySignIns: 429,
    ParcelRetired: 410,
    VersionConflict: 412,
    PreconditionRequired: 428,
    InvalidGeometry: 422,
    ImportRefused: 422,
    InvalidSurvey: 422,
    NotAPdf: 415,
    PrintingUnavailable: 503,
}
HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}
HTTP_MESSAGES = {404: "api.not_found", 405: "api.method_not_allowed"}
"""Starlette's own refusals (no such path, a method the path does not take), in plain words."""


def error_body(code: str, message: str, **extra: object) -> dict[str, object]:
    """The error body of every refusal: ``{"error": {"code", "message", ...}}``."""
    return {"error": {"code": code, "message": message, **extra}}


def error_response(status: int, code: str, message: str, **extra: object) -> JSONResponse:
    """The error body as a response, as every handler returns it."""
    return JSONResponse(error_body(code, message, **extra), status_code=status)


def status_for(exc: GeoError) -> int:
    """HTTP status of a domain error, matched through its class hierarchy."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


VALIDATION_PLACES = {
    "query": "validation.query_parameter",
    "path": "validation.path_parameter",
    "body": "validation.body_field",
}


def describe_validation_error(error: dict) -> str:
    """One plain sentence for one FastAPI/pydantic validation error, in the request's language.

    Pydantic's common error types have their words in the catalogues (``validation.<type>``,
    with pydantic's context values); any other type keeps pydantic's own English sentence.
    """
    where, *path = error.get("loc", ("request",))
    name = ".".join(str(part) for part in path) or where
    place = message(VALIDATION_PLACES.get(str(where), "validation.field"))
    kind = f"validation.{error.get('type')}"
    context = error.get("ctx") or {}
    known = kind in catalogue(current_language()) and placeholders(
        catalogue(current_language())[kind]
    ) <= set(context)
    reason = message(kind, **context) if known else error.get("msg", message("validation.invalid"))
    text = message("validation.problem", place=place, name=name, reason=reason)
    if error.get("type") != "missing" and "input" in error:
        text += message("validation.got", value=error["input"])
    return text


def add_error_handlers(app: FastAPI) -> None:
    """Install the handlers that turn every exception into the error body."""

    @app.exception_handler(GeoError)
    async def geo_error(request: Request, exc: GeoError) -> JSONResponse:
        status = status_for(exc)
        if status >= 500 and exc.__cause__ is not None:  # the service's fault: keep the cause
            logger.error("%s on %s: %s", exc.code, request.url.path, first_line(exc.__cause__))
        response = error_response(status, exc.code, str(exc), **exc.details())
        if isinstance(exc, NotAuthenticated):
            response.headers["WWW-Authenticate"] = "Bearer"
        if isinstance(exc, TooManySignIns):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        sentences = [describe_validation_error(error) for error in exc.errors()]
        summary = message(
            "validation.summary", problems=message("validation.separator").join(sentences)
        )
        return error_response(400, "invalid_request", summary)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        # Starlette's own refusals (no route, wrong method) carry only the status's phrase.
        standard = (
            exc.status_code in HTTP_MESSAGES and exc.detail == HTTPStatus(exc.status_code).phrase
        )
        text = message(HTTP_MESSAGES[exc.status_code]) if standard else str(exc.detail)
        return error_response(exc.status_code, code, text)

    @app.exception_handler(RecursionError)
    async def too_deep(request: Request, exc: RecursionError) -> JSONResponse:
        return error_response(400, "invalid_input", message("api.nested_too_deeply"))

    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        # Runs outside the middleware that sets the language, so it reads the header itself.
        language = language_from_accept(request.headers.get("accept-language"))
        return error_response(500, "internal_error", message("api.internal_error", language))

    app.add_exception_handler(Exception, internal_error)

    async def database_error(request: Request, exc: Exception) -> JSONResponse:
        # Lost connection, exhausted pool, a value the database cannot store: the domain's words.
        failure = database_failure(exc)
        if failure is None:
            return await internal_error(request, exc)
        failure.__cause__ = exc
        return await geo_error(request, failure)

    for failure_type in DATABASE_FAILURES:
        app.add_exception_handler(failure_type, database_error)
