"""Every domain error, grouped by kind, and the one translation of database failures.

Each error carries a stable ``code`` that the API puts in its error body and a message in plain
words; ``api/errors.py`` maps the classes to HTTP statuses. A database failure (connection lost,
pool exhausted, a value the database cannot store) is turned into one of these errors by
:func:`database_failure`, the one place the API handlers, the async pool and the CLI share.
"""

from typing import Any, ClassVar, Protocol

import asyncpg
from asyncpg.exceptions._base import DataError as ArgumentError
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from geo.messages import message


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


# --- The caller's input cannot be used -----------------------------------------------------------


class InvalidInput(GeoError):
    """A value given by the caller cannot be used (out of range, wrong form)."""

    code = "invalid_input"


class PayloadTooLarge(InvalidInput):
    """A request body or upload over the stated limit."""

    code = "payload_too_large"


class UnknownCrs(InvalidInput):
    """The coordinate reference system named by the caller is not supported."""

    code = "unknown_crs"


class SeveralZones(InvalidInput):
    """Parcels asked for on their one local plane (``crs=local``) lie in several zones."""

    code = "several_zones"


class InvalidAddress(InvalidInput):
    """The text cannot be read as an address (empty, too long, or no Chinese and no digits)."""

    code = "invalid_address"


class InvalidSurvey(InvalidInput):
    """A survey file cannot be used; the message names the row or line and the problem."""

    code = "invalid_survey"


class UnreadableNotice(InvalidInput):
    """A notice file that cannot be read: empty, binary, a scan without text, or no parcels."""

    code = "unreadable_notice"


class InvalidGeometry(GeoError):
    """A geometry that cannot be stored; the message says why in plain words."""

    code = "invalid_geometry"


class NotAPdf(GeoError):
    """An upload that is not a PDF."""

    code = "not_a_pdf"


# --- A file cannot be loaded; the message names the feature or entry and the problem -------------


class InvalidParcelData(GeoError):
    """A parcels file cannot be loaded."""

    code = "invalid_parcel_data"


class InvalidReferenceData(GeoError):
    """A reference layer file cannot be loaded."""

    code = "invalid_reference_data"


class InvalidGazetteerData(InvalidInput):
    """A gazetteer file cannot be loaded."""

    code = "invalid_gazetteer_data"


class RefusalReport(Protocol):
    """What an import found: every refused feature with its reason."""

    def refused_total(self) -> int:
        """How many features were refused."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""


class ImportRefused(GeoError):
    """A real import that was refused as a whole; nothing was written."""

    code = "import_refused"

    def __init__(self, report: RefusalReport) -> None:
        super().__init__(message("errors.import_refused", refused=report.refused_total()))
        self.report = report

    def details(self) -> dict[str, object]:
        """The whole report, so the client sees every reason."""
        return {"report": self.report.to_dict()}


# --- What was asked for is not there ---------------------------------------------------------------


class ParcelNotFound(GeoError):
    """No parcel has the requested id."""

    code = "parcel_not_found"


class FeatureNotFound(ParcelNotFound):
    """No feature of the OGC collection has the requested id."""

    code = "feature_not_found"


class DocumentNotFound(ParcelNotFound):
    """No document has that id."""

    code = "document_not_found"


class PlanNotFound(GeoError):
    """No plan has the requested code (in a plan's path, or in a parcel filter)."""

    code = "plan_not_found"


class ParcelRetired(GeoError):
    """The parcel was retired (soft-deleted); its history remains."""

    code = "parcel_retired"


# --- Writes that would overwrite someone else's change ----------------------------------------------


class VersionConflict(GeoError):
    """The parcel changed since the client read it."""

    code = "version_conflict"

    def __init__(self, message: str, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version

    def details(self) -> dict[str, object]:
        """The version the client must re-read."""
        return {"current_version": self.current_version}


class PreconditionRequired(GeoError):
    """A write without If-Match: it could overwrite someone else's change."""

    code = "precondition_required"


# --- Who may do what ---------------------------------------------------------------------------------


class NotAuthenticated(GeoError):
    """No token, or a token that is not one of ours."""

    code = "not_authenticated"


class Forbidden(GeoError):
    """A valid token whose role may not do this, or a revoked token."""

    code = "forbidden"


class SessionExpired(NotAuthenticated):
    """A session cookie whose session expired, was signed out or whose account was disabled."""

    code = "session_expired"


class SignInRefused(GeoError):
    """A name and password that do not match an account that may sign in."""

    code = "sign_in_refused"


class AccountDisabled(SignInRefused):
    """The right password for an account that an administrator disabled."""

    code = "account_disabled"


class TooManySignIns(GeoError):
    """Too many failed sign-ins for a name or from an address; ``retry_after`` is in seconds."""

    code = "too_many_sign_ins"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def details(self) -> dict[str, object]:
        """When to try again, also sent as the Retry-After header."""
        return {"retry_after_s": self.retry_after}


class CsrfRefused(Forbidden):
    """A write signed in by cookie without the session's CSRF token: perhaps another site's form."""

    code = "csrf_refused"


# --- A service behind zhengshou failed ---------------------------------------------------------------


class DatabaseUnavailable(GeoError):
    """PostGIS cannot be reached."""

    code = "database_unavailable"


class ServiceBusy(GeoError):
    """Every database connection is in use for longer than the pool's timeout."""

    code = "service_busy"


class GeocoderUnavailable(GeoError):
    """An external geocoder is not configured, cannot be reached, or refused the request."""

    code = "geocoder_unavailable"


class SchemaOutOfDate(RuntimeError):
    """The database schema is older than the code, so the server refuses to start.

    Not a GeoError: no request is to blame, and none should be answered.
    """


class PrintingUnavailable(GeoError):
    """Printed maps cannot be made here: no CJK font is installed (fonts-wqy-microhei)."""

    code = "printing_unavailable"


class BackupFailed(GeoError):
    """pg_dump or pg_restore failed, or is missing."""

    code = "backup_failed"


# --- Database failures, translated once --------------------------------------------------------------

DATABASE_FAILURES = (DataError, PoolTimeout, OperationalError)
"""SQLAlchemy's errors that :func:`database_failure` turns into domain errors."""

# asyncpg's errors for "the database is not there", as opposed to "the statement is wrong".
ASYNCPG_CONNECTION_ERRORS = (
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.InterfaceError,
)


def is_connection_failure(exc: BaseException) -> bool:
    """True for errors that mean "the database is not there", not "the query is wrong"."""
    if isinstance(exc, ArgumentError):  # a value asyncpg cannot encode, not a lost connection
        return False
    if isinstance(exc, asyncpg.PostgresError):
        return (exc.sqlstate or "").startswith(("08", "57P"))
    return isinstance(exc, (OSError, OperationalError, *ASYNCPG_CONNECTION_ERRORS))


def _is_unstorable_value(exc: BaseException) -> bool:
    if isinstance(exc, DataError):
        return True
    if isinstance(exc, asyncpg.PostgresError):
        return (exc.sqlstate or "").startswith("22")  # SQLSTATE class 22: data exception
    return isinstance(exc, ArgumentError)  # asyncpg cannot encode a value for its parameter's type


def database_failure(exc: BaseException) -> GeoError | None:
    """The domain error for a database failure, or None when ``exc`` is not one.

    A lost or unreachable database is DatabaseUnavailable, an exhausted pool ServiceBusy and a
    value the database cannot store InvalidInput. Both drivers (SQLAlchemy/psycopg and asyncpg)
    are understood. The driver's words stay out of the message; callers chain ``exc`` as the
    cause, so that it is logged (``raise failure from exc``).
    """
    if isinstance(exc, GeoError):
        return exc
    if isinstance(exc, PoolTimeout | TimeoutError):
        return ServiceBusy(message("errors.service_busy"))
    if _is_unstorable_value(exc):
        return InvalidInput(message("errors.value_unusable", reason=first_line(exc)))
    if is_connection_failure(exc):
        return DatabaseUnavailable(message("errors.database_unreachable"))
    return None
