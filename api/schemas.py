"""Response models, so that /docs describes what each endpoint answers."""

from typing import Any

from pydantic import BaseModel

GEOJSON = "application/geo+json"


class ErrorDetail(BaseModel):
    """What went wrong, in plain words."""

    code: str
    message: str


class ErrorBody(BaseModel):
    """The body of every 4xx and 5xx answer."""

    error: ErrorDetail


class Health(BaseModel):
    """Service health."""

    status: str
    database: str
    postgis: str
    parcels: int


class Location(BaseModel):
    """A point."""

    lon: float
    lat: float
    crs: str


class Nearest(BaseModel):
    """The parcel nearest to a point outside every parcel."""

    parcel: dict[str, Any]
    distance_m: float


class LookupAnswer(BaseModel):
    """Whether a point falls in a parcel."""

    input: Location
    location: Location
    inside: bool
    parcels: list[dict[str, Any]]
    nearest: Nearest | None
    geometry_notice: str


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Invalid parameter"},
    503: {"model": ErrorBody, "description": "Database unavailable"},
}
GEOJSON_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {GEOJSON: {}}, "description": "GeoJSON"}
}
