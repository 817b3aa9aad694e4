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


class PlanRegion(BaseModel):
    """Where a plan is: its administrative region and that region's centre (WGS84)."""

    province: str | None
    city: str | None
    county: str | None
    adcode: str | None
    longitude: float | None
    latitude: float | None


class PlanParcels(BaseModel):
    """A plan's parcels counted and summed (亩); a sum is null when no parcel gives a value."""

    total: int
    located: int
    not_located: int
    declared_unstated: int
    declared_total_mu: float | None
    measured_total_mu: float | None


class PlanSummary(BaseModel):
    """A plan, what its notice says of itself, and its parcels' totals and extent."""

    id: int
    code: str
    title: str
    year: int
    document_type: str | None
    document_number: str | None
    approval_number: str | None
    issuer: str | None
    published_on: str | None
    source_document: str | None
    published_total_mu: float | None
    region: PlanRegion
    parcels: PlanParcels
    bbox: list[float] | None


class PlanList(BaseModel):
    """Every plan, in year then id order."""

    plans: list[PlanSummary]


class SummaryRow(BaseModel):
    """One group of a plan's parcels: counted, and its declared and measured 亩 summed."""

    value: str | None
    """The block, company or type as printed, or the stage / status code; null: not stated."""
    label: str
    parcels: int
    located: int
    not_located: int
    declared_mu: float | None
    declared_unstated: int
    measured_mu: float | None


class SummaryGroup(BaseModel):
    """One grouping (block, implementing_unit, interest_type, stage, area_check, location)."""

    key: str
    label: str
    rows: list[SummaryRow]


class SummaryPlan(BaseModel):
    """Which plan a summary is of."""

    code: str
    title: str
    year: int
    published_total_mu: float | None


class PlanSummaryReport(BaseModel):
    """A plan's parcels by block, company, public-interest type, stage, area check, location."""

    plan: SummaryPlan
    tolerance_pct: float
    totals: SummaryRow
    area_check: dict[str, int]
    groups: list[SummaryGroup]
