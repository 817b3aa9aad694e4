"""A file streamed into the bulk import's staging table: GDAL reads Arrow batches, COPY writes them.

Python touches one string per feature (its geometry as EWKB hex) and nothing per attribute:
pyarrow writes each batch as CSV in C, and PostgreSQL reads it with COPY into ``import_staging``,
a temporary table of text columns that ``geo.intake.bulk_sql`` then checks and writes.
"""

import io
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyogrio
from pyogrio.errors import DataSourceError
from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.errors import InvalidInput
from geo.messages import message
from geo.parcels.record import PROPERTY_NAMES

BATCH_SIZE = 50_000
STAGED_ATTRIBUTES = (*PROPERTY_NAMES, "boundaries")
"""The file's columns that are staged: every property of a parcels file, and ``boundaries`` when
the file has it (the parsed 四至, as an export writes it)."""
STAGING_SQL = (
    "CREATE TEMP TABLE import_staging (n bigint, "
    + ", ".join(f"{name} text" for name in STAGED_ATTRIBUTES)
    + ", geom geometry, plan_id int) ON COMMIT DROP"
)
COPY_SQL = (
    f"COPY import_staging (n, {', '.join(STAGED_ATTRIBUTES)}, geom, plan_id) "
    "FROM STDIN (FORMAT csv)"
)


def file_srid(path: Path) -> tuple[int, int]:
    """(feature count, EPSG code) of the file's only layer; refuses what cannot be imported."""
    try:
        info = pyogrio.read_info(path)
    except DataSourceError as exc:
        raise InvalidInput(message("intake.unreadable_file", name=path.name, exc=exc)) from None
    missing = [name for name in PROPERTY_NAMES if name not in info["fields"]]
    if missing:
        raise InvalidInput(
            message("intake.fields_missing", name=path.name, fields=", ".join(missing))
        )
    crs = info.get("crs") or ""
    if crs in ("OGC:CRS84", "EPSG:4326") or not crs:
        return int(info["features"]), 4326
    if crs.startswith("EPSG:") and crs[5:].isdigit():
        return int(info["features"]), int(crs[5:])
    raise InvalidInput(message("intake.crs_without_epsg", name=path.name, crs=crs))


HEX_DIGITS = np.frombuffer(bytes(range(256)).hex().encode(), np.uint8).reshape(256, 2)
"""The two hex digits of every byte value."""


def _hex_geometries(column: pa.Array, srid: int) -> pa.Array:
    """Arrow WKB values as the EWKB hex text PostGIS reads in COPY, without a per-row decode."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    column = pc.cast(column, pa.binary())
    _, offsets_buffer, data = column.buffers()
    positions = np.frombuffer(offsets_buffer, dtype=np.int32)
    positions = positions[column.offset : column.offset + len(column) + 1]
    raw = np.frombuffer(data, dtype=np.uint8) if data is not None else np.empty(0, np.uint8)
    hexed = HEX_DIGITS[raw[positions[0] : positions[-1]]].reshape(-1)
    offsets = ((positions - positions[0]) * 2).astype(np.int32)
    # A fresh validity bitmap: the column's own may start at its offset.
    validity = pc.is_valid(column).buffers()[1] if column.null_count else None
    text_column = pa.Array.from_buffers(
        pa.string(), len(column), [validity, pa.py_buffer(offsets), pa.py_buffer(hexed)]
    )
    return pc.utf8_replace_slice(text_column, 0, 0, f"SRID={srid};")


def plan_ids(batch: pa.RecordBatch, plans: dict[str, int]) -> pa.Array:
    """Each row's plan id from its plan title and year (null when no such plan), vectorized."""
    names = batch.schema.names
    title = pc.cast(batch.column(names.index("plan")), pa.string())
    year = pc.cast(batch.column(names.index("plan_year")), pa.string())
    keys = pc.binary_join_element_wise(title, year, "\x1f")
    known = pa.array(list(plans), type=pa.string())
    position = pc.index_in(keys, value_set=known)
    return pc.take(pa.array(list(plans.values()), type=pa.int32()), position)


def stored_plans(session: Session) -> dict[str, int]:
    """Every plan's id by its title and year, as ``plan_ids`` looks them up."""
    return {
        f"{title}\x1f{year}": plan_id
        for plan_id, title, year in session.execute(text("SELECT id, title, year FROM plans"))
    }


def file_batches(path: Path, batch_size: int = BATCH_SIZE) -> Iterator[tuple[str, pa.RecordBatch]]:
    """(geometry column name, batch) for each Arrow batch GDAL reads from the file."""
    with pyogrio.raw.open_arrow(path, batch_size=batch_size, use_pyarrow=True) as (meta, reader):
        geometry_name = meta.get("geometry_name") or "wkb"
        for batch in reader:
            yield geometry_name, batch


def staging_csv(
    batch: pa.RecordBatch, numbers: pa.Array, geometry_name: str, srid: int, plan_id: pa.Array
) -> bytes:
    """CSV text for COPY into the staging table, columns as in COPY_SQL.

    ``numbers`` are the rows' positions in the file: the refusals name features by them.
    """
    names = batch.schema.names
    size = batch.num_rows
    columns = [numbers]
    for name in STAGED_ATTRIBUTES:  # absent optional columns (boundaries) stay NULL
        columns.append(
            batch.column(names.index(name)) if name in names else pa.nulls(size, pa.string())
        )
    columns.append(_hex_geometries(batch.column(names.index(geometry_name)), srid))
    columns.append(plan_id)
    table = pa.table(columns, names=["n", *STAGED_ATTRIBUTES, "geom", "plan_id"])
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False))
    return buffer.getvalue()


def _csv_batches(path: Path, srid: int, plans: dict[str, int]) -> Iterator[tuple[int, bytes]]:
    """(feature count, CSV text for COPY) per Arrow batch of the file."""
    n = 1
    for geometry_name, batch in file_batches(path):
        size = batch.num_rows
        numbers = pa.array(range(n, n + size), type=pa.int64())
        yield size, staging_csv(batch, numbers, geometry_name, srid, plan_ids(batch, plans))
        n += size


def create_staging(session: Session) -> None:
    """An empty staging table for this transaction."""
    # A caller may import twice in one transaction; ON COMMIT DROP only drops at the end of it.
    session.execute(text("DROP TABLE IF EXISTS import_staging, parsed_boundaries"))
    session.execute(text(STAGING_SQL))


def copy_csv_to_staging(session: Session, chunks: Iterable[bytes]) -> None:
    """COPY CSV chunks (as ``staging_csv`` writes them) into the staging table."""
    cursor = session.connection().connection.cursor()
    with cursor.copy(COPY_SQL) as copy:
        for chunk in chunks:
            copy.write(chunk)


def copy_to_staging(
    session: Session, path: Path, srid: int, progress: Callable[[int], None]
) -> int:
    """Stream the file into the temporary staging table with COPY; return the feature count.

    Each Arrow batch becomes CSV in C (pyarrow) and goes to PostgreSQL as is; the one Python
    object per feature is its geometry's hex text (see ``_hex_geometries``).
    """
    create_staging(session)
    plans = stored_plans(session)
    count = 0

    def counted() -> Iterator[bytes]:
        nonlocal count
        for size, chunk in _csv_batches(path, srid, plans):
            count += size
            progress(size)
            yield chunk

    copy_csv_to_staging(session, counted())
    return count
