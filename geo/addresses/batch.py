"""Batch address check: a CSV or XLSX column of addresses in, the same table with answers out.

This is how the question reaches planners: a spreadsheet of addresses. Each row is answered on
its own; a row that fails says why and does not stop the others.
"""

import io
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from geo.addresses.lookup import lookup_address
from geo.addresses.outside_geocoders import ExternalGeocoder
from geo.errors import GeoError, InvalidInput
from geo.messages import message

if TYPE_CHECKING:  # pandas loads with the first table read, not in every API worker
    import pandas as pd

MAX_ROWS = 1000
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
ADDRESS_COLUMNS = ("address", "地址", "详细地址")
PARCEL_COLUMNS = {
    "parcel_id": "id",
    "parcel_name": "name",
    "block": "block",
    "implementing_unit": "implementing_unit",
}
"""Answer column -> the matched parcel's property: which parcel, and whom to ask about it."""
RESULT_COLUMNS = (
    "quality",
    "matched_lon",
    "matched_lat",
    "uncertainty_m",
    "inside",
    *PARCEL_COLUMNS,
    "distance_m",
    "message",
)
FORMATS = ("csv", "xlsx")


def table_format(filename: str | None) -> str:
    """Csv or xlsx, from a file name."""
    suffix = (filename or "").rsplit(".", 1)[-1].lower()
    if suffix not in FORMATS:
        raise InvalidInput(
            message(
                "addresses.upload_table_kind",
                filename=filename or message("addresses.unnamed_file"),
            )
        )
    return suffix


def read_address_table(data: bytes, fmt: str) -> "pd.DataFrame":
    """Read an uploaded table as text cells, and check its size."""
    import pandas as pd

    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(message("files.too_large", limit_mb=MAX_UPLOAD_BYTES // (1024 * 1024)))
    try:
        if fmt == "csv":
            frame = pd.read_csv(
                io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig"
            )
        else:
            frame = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)
    except UnicodeDecodeError:
        raise InvalidInput(message("addresses.csv_not_utf8")) from None
    except Exception as exc:  # pandas raises many kinds for a damaged file
        raise InvalidInput(
            message("addresses.table_unreadable", fmt=fmt.upper(), error=type(exc).__name__)
        ) from None
    if frame.empty or not len(frame.columns):
        raise InvalidInput(message("addresses.table_empty"))
    if len(frame) > MAX_ROWS:
        raise InvalidInput(message("addresses.table_too_long", rows=len(frame), limit=MAX_ROWS))
    return frame


def address_column(frame: "pd.DataFrame") -> str:
    """The column holding the addresses: one named address/地址, else the first."""
    for column in frame.columns:
        if str(column).strip().lower() in ADDRESS_COLUMNS:
            return column
    return frame.columns[0]


def answer_row(session: Session, address: str, geocoder: ExternalGeocoder | None) -> dict[str, Any]:
    """The result columns for one address; a failure becomes a message in the row."""
    try:
        with session.begin_nested():
            answer = lookup_address(session, address, geocoder)
    except GeoError as exc:
        return {"quality": "none", "message": str(exc)}
    row: dict[str, Any] = {
        "quality": answer["quality"],
        "uncertainty_m": answer["uncertainty_m"],
        "inside": answer["inside"],
        "message": answer["message"],
    }
    if answer["location"]:
        row |= {"matched_lon": answer["location"]["lon"], "matched_lat": answer["location"]["lat"]}
    parcel = None
    if answer["parcels"]:
        parcel = answer["parcels"][0]
    elif answer["nearest"]:
        parcel = answer["nearest"]["parcel"]
        row["distance_m"] = answer["nearest"]["distance_m"]
    elif answer["nearby"]:
        names = ", ".join(p["id"] for p in answer["nearby"]["parcels"]) or message(
            "addresses.no_parcels"
        )
        row["message"] = message(
            "addresses.batch_nearby",
            text=row["message"],
            basis=answer["nearby"]["basis"],
            names=names,
        )
    if parcel:
        row |= {column: parcel["properties"][name] for column, name in PARCEL_COLUMNS.items()}
    return row


def batch_lookup(
    session: Session, frame: "pd.DataFrame", geocoder: ExternalGeocoder | None = None
) -> "pd.DataFrame":
    """The uploaded table with the answer columns added to each row."""
    column = address_column(frame)
    answers = [answer_row(session, str(value), geocoder) for value in frame[column]]
    result = frame.copy()
    for name in RESULT_COLUMNS:
        result[name] = [answer.get(name) for answer in answers]
    return result


def write_table(frame: "pd.DataFrame", fmt: str) -> bytes:
    """CSV in UTF-8 with a BOM (so Excel shows Chinese), or XLSX."""
    buffer = io.BytesIO()
    if fmt == "csv":
        buffer.write(frame.to_csv(index=False).encode("utf-8-sig"))
    else:
        frame.to_excel(buffer, index=False)
    return buffer.getvalue()
