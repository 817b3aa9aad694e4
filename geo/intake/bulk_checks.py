"""The staging path's rules on Arrow batches, for the bulk import's fast path.

Each function checks whole columns of one batch with Arrow, numpy or shapely kernels, and
raises ``NeedsStaging`` when a row would be refused (the staging path's SQL then names it, in
``geo.intake.bulk_sql``), or when a column is not in the form the fast path encodes (text where
a number belongs): the staging path reads that too. Checking more than the staging path would
only costs time; checking less is never allowed.
"""

import json
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from geo.geometry_input import MAX_VERTICES, PLAUSIBLE_LAT, PLAUSIBLE_LON
from geo.intake.bulk_binary import MAX_CENTS, WKB_MULTIPOLYGON, WKB_POLYGON, wkb_headers
from geo.parcels.record import TEXT_PROPERTIES
from geo.parcels.writes import parsed_boundaries

REFUSED = "a feature would be refused (the staging path names it)"
INT4_MAX = 2**31 - 1


class NeedsStaging(Exception):
    """The fast path gives way to the staging path; the message says why."""


def column(batch: pa.RecordBatch, name: str) -> pa.Array:
    """The batch's column of that name."""
    return batch.column(batch.schema.get_field_index(name))


def require(condition: Any, why: str) -> None:
    """Give way to the staging path unless ``condition`` (a bool or a boolean array) holds."""
    holds = condition if isinstance(condition, bool) else pc.all(condition).as_py()
    if not holds:
        raise NeedsStaging(why)


def texts_present(batch: pa.RecordBatch) -> None:
    """Every text property is text, and not empty once its spaces are trimmed."""
    for name in TEXT_PROPERTIES:
        values = column(batch, name)
        require(pa.types.is_string(values.type), f"{name} is not text in the file")
        # btrim trims spaces only, as the staging path's SQL does.
        require(pc.fill_null(pc.not_equal(pc.utf8_trim(values, " "), ""), False), REFUSED)


def whole(batch: pa.RecordBatch, name: str, least: int) -> np.ndarray:
    """A whole-number column's values, each at least ``least`` and within ``int4``."""
    values = column(batch, name)
    require(pa.types.is_integer(values.type), f"{name} is not a whole number in the file")
    require(values.null_count == 0, REFUSED)
    numbers = values.to_numpy().astype(np.int64)
    require(bool(((numbers >= least) & (numbers <= INT4_MAX)).all()), REFUSED)
    return numbers


def cents(batch: pa.RecordBatch, name: str) -> np.ndarray:
    """The amounts in hundredths, rounded as PostgreSQL rounds the staging path's text."""
    values = column(batch, name)
    numeric = pa.types.is_floating(values.type) or pa.types.is_integer(values.type)
    require(numeric, f"{name} is not a number in the file")
    require(values.null_count == 0, REFUSED)
    floats = pc.cast(values, pa.float64())
    require(pc.and_(pc.is_finite(floats), pc.greater(floats, 0)), REFUSED)
    try:  # through the same text that the staging path's CSV would carry
        decimals = pc.cast(pc.cast(values, pa.string()), pa.decimal128(38, 20))
        rounded = pc.round(decimals, 2, round_mode="half_towards_infinity")
        hundredths = pc.cast(rounded, pa.decimal128(18, 2))
    except pa.ArrowInvalid:
        raise NeedsStaging(f"{name} has more digits than the fast path reads") from None
    # A decimal128 is a 16-byte little-endian integer (here the amount in hundredths); the
    # value fits its low 8 bytes.
    words = np.frombuffer(hundredths.buffers()[1], dtype="<i8").reshape(-1, 2)
    numbers = words[hundredths.offset : hundredths.offset + len(hundredths), 0]
    require(bool((numbers < MAX_CENTS).all()), REFUSED)  # beyond numeric(10, 2)
    return numbers


def shapes_accepted(wkb: pa.Array) -> None:
    """Polygon or MultiPolygon (little-endian 2D WKB), not empty, few vertices, in China."""
    require(wkb.null_count == 0, REFUSED)
    allowed = pa.array([WKB_POLYGON, WKB_MULTIPOLYGON], pa.binary())
    require(pc.is_in(wkb_headers(wkb), value_set=allowed), "a shape is not 2D (Multi)Polygon")
    shapes = shapely.from_wkb(pc.cast(wkb, pa.binary()).to_numpy(zero_copy_only=False))
    require(not shapely.is_empty(shapes).any(), REFUSED)
    require(bool((shapely.get_num_coordinates(shapes) <= MAX_VERTICES).all()), REFUSED)
    west, south, east, north = shapely.bounds(shapes).T
    inside = (west >= PLAUSIBLE_LON[0]) & (east <= PLAUSIBLE_LON[1])
    inside &= (south >= PLAUSIBLE_LAT[0]) & (north <= PLAUSIBLE_LAT[1])
    require(bool(inside.all()), REFUSED)


def boundaries(batch: pa.RecordBatch) -> pa.Array:
    """The file's parsed 四至, and the parse of ``boundary_text`` where the file has none."""
    texts = column(batch, "boundary_text")
    index = batch.schema.get_field_index("boundaries")
    given = batch.column(index) if index >= 0 else pa.nulls(batch.num_rows, pa.string())
    require(
        pa.types.is_string(given.type) or given.null_count == len(given),
        "boundaries is not text in the file",
    )
    given = pc.cast(given, pa.string())
    if not given.null_count:
        return given
    missing = pc.is_null(given).to_numpy(zero_copy_only=False)
    parsed = [
        json.dumps(parsed_boundaries(text or ""), ensure_ascii=False) if absent else None
        for absent, text in zip(missing, texts.to_pylist(), strict=True)
    ]
    return pc.coalesce(given, pa.array(parsed, pa.string()))
