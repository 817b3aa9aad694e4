"""Domain errors. Each carries a stable ``code`` that the API puts in its error body."""

from typing import ClassVar


def first_line(exc: BaseException) -> str:
    """The first line of an error's message; for a SQLAlchemy error, of the driver's error."""
    cause = getattr(exc, "orig", None) or exc
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0]


class GeoError(Exception):
    """Base class for every error zhengshou reports to a user in plain words."""

    code: ClassVar[str] = "geo_error"

    def details(self) -> dict[str, object]:
        """Extra fields for the error body (e.g. the current version on a conflict)."""
        return {}


class InvalidInput(GeoError):
    """A value given by the caller cannot be used (out of range, wrong form)."""

    code = "invalid_input"


class PayloadTooLarge(InvalidInput):
    """A request body or upload over the stated limit."""

    code = "payload_too_large"


class UnknownCrs(InvalidInput):
    """The coordinate reference system named by the caller is not supported."""

    code = "unknown_crs"


class ParcelNotFound(GeoError):
    """No parcel has the requested id."""

    code = "parcel_not_found"


class InvalidParcelData(GeoError):
    """A parcels file cannot be loaded; the message names the feature and the problem."""

    code = "invalid_parcel_data"


class InvalidReferenceData(GeoError):
    """A reference layer file cannot be loaded; the message names the feature and the problem."""

    code = "invalid_reference_data"


class DatabaseUnavailable(GeoError):
    """PostGIS cannot be reached."""

    code = "database_unavailable"


class ServiceBusy(GeoError):
    """Every database connection is in use for longer than the pool's timeout."""

    code = "service_busy"
