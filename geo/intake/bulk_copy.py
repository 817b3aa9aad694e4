"""A file streamed into the bulk import's staging table: GDAL reads Arrow batches, COPY writes them.

Python touches one string per feature (its geometry as EWKB hex) and nothing per attribute:
pyarrow writes each batch as CSV in C, and PostgreSQL reads it with COPY into ``import_staging``,
a temporary table of text columns that ``geo.intake.bulk_sql`` then checks and writes.
"""

import io
from collections.abc import Callable, Iterator
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


def _hex_geometries(column: pa.Array, srid: int) -> pa.Array:
    """Arrow WKB values as the EWKB hex text PostGIS reads in COPY, without a per-row decode."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    _, offsets_buffer, data = column.buffers()
    hexed = data.to_pybytes().hex() if data is not None else ""
    width = np.int64 if pa.types.is_large_binary(column.type) else np.int32
    positions = np.frombuffer(offsets_buffer, dtype=width)
    offsets = (positions[column.offset : column.offset + len(column) + 1] * 2).tolist()
    valid = column.is_valid().to_numpy(zero_copy_only=False)
    prefix = f"SRID={srid};"
    return pa.array(
        [
            prefix + hexed[offsets[i] : offsets[i + 1]] if valid[i] else None
            for i in range(len(column))
        ],
        type=pa.string(),
    )


def _plan_ids(batch: pa.RecordBatch, plans: dict[str, int]) -> pa.Array:
    """Each row's plan id from its plan title and year (null when no such plan), vectorized."""
    names = batch.schema.names
    title = pc.cast(batch.column(names.index("plan")), pa.string())
    year = pc.cast(batch.column(names.index("plan_year")), pa.string())
    keys = pc.binary_join_element_wise(title, year, "\x1f")
    known = pa.array(list(plans), type=pa.string())
    position = pc.index_in(keys, value_set=known)
    return pc.take(pa.array(list(plans.values()), type=pa.int32()), position)


def _csv_batches(path: Path, srid: int, plans: dict[str, int]) -> Iterator[tuple[int, bytes]]:
    """(feature count, CSV text for COPY) per Arrow batch of the file, columns as in COPY_SQL."""
    options = pacsv.WriteOptions(include_header=False)
    n = 1
    with pyogrio.raw.open_arrow(path, batch_size=BATCH_SIZE, use_pyarrow=True) as (meta, reader):
        geometry_name = meta.get("geometry_name") or "wkb"
        for batch in reader:
            size = batch.num_rows
            names = batch.schema.names
            columns = [pa.array(range(n, n + size), type=pa.int64())]
            for name in STAGED_ATTRIBUTES:  # absent optional columns (boundaries) stay NULL
                columns.append(
                    batch.column(names.index(name))
                    if name in names
                    else pa.nulls(size, pa.string())
                )
            columns.append(_hex_geometries(batch.column(names.index(geometry_name)), srid))
            columns.append(_plan_ids(batch, plans))
            table = pa.table(columns, names=["n", *STAGED_ATTRIBUTES, "geom", "plan_id"])
            buffer = io.BytesIO()
            pacsv.write_csv(table, buffer, options)
            n += size
            yield size, buffer.getvalue()


def copy_to_staging(
    session: Session, path: Path, srid: int, progress: Callable[[int], None]
) -> int:
    """Stream the file into the temporary staging table with COPY; return the feature count.

    Each Arrow batch becomes CSV in C (pyarrow) and goes to PostgreSQL as is; the one Python
    object per feature is its geometry's hex text (see ``_hex_geometries``).
    """
    # A caller may import twice in one transaction; ON COMMIT DROP only drops at the end of it.
    session.execute(text("DROP TABLE IF EXISTS import_staging, parsed_boundaries"))
    session.execute(text(STAGING_SQL))
    plans = {
        f"{title}\x1f{year}": plan_id
        for plan_id, title, year in session.execute(text("SELECT id, title, year FROM plans"))
    }
    cursor = session.connection().connection.cursor()
    count = 0
    with cursor.copy(COPY_SQL) as copy:
        for size, chunk in _csv_batches(path, srid, plans):
            copy.write(chunk)
            count += size
            progress(size)
    return count
