"""The bulk import's fast path: checks on the Arrow batches, new parcels COPied into ``parcels``.

A file of new parcels (the usual bulk load) goes in one binary COPY straight into ``parcels``:
no staging table and no second pass over the rows, and PostgreSQL's share of the work (the
table's generated areas, its constraints and indexes, the WAL) runs while this process reads
and checks the next batch in a second thread. Rows whose id or (plan, seq) is already stored are
set aside in a temporary file and go through the staging table's upsert afterwards
(``geo.intake.bulk_sql``), which updates what changed.

Each batch is checked before it is sent, with the rules of the staging path: non-empty texts,
positive seq and area, a known geometry_source and plan, a Polygon or MultiPolygon with at most
``MAX_VERTICES`` vertices inside China. The table checks the rest as the COPY runs: valid
shapes, unique ids and (plan, seq). Anything refused, or a file in a form this path does not
take, raises ``NeedsStaging``: the caller rolls the fast path back and runs the staging path,
whose SQL names every refused feature with its reason. A refused import thus reads its file
twice, and an accepted one was checked no less than the staging path would check it.

Indexes are kept up to date row by row, never dropped and rebuilt: dropping one would lock the
table against readers until the import commits, and look-ups and tiles must keep answering from
the data as it was.
"""

import contextlib
import io
import json
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from queue import Empty, Queue
from typing import Any

import numpy as np
import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import shapely
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from geo.errors import first_line
from geo.geometry_input import MAX_VERTICES, PLAUSIBLE_LAT, PLAUSIBLE_LON
from geo.intake.bulk_binary import (
    HEADER,
    MAX_CENTS,
    TRAILER,
    WKB_MULTIPOLYGON,
    WKB_POLYGON,
    binary_rows,
    bytes_field,
    geometry_field,
    int4_field,
    jsonb_field,
    numeric_field,
    wkb_headers,
)
from geo.intake.bulk_copy import (
    copy_csv_to_staging,
    create_staging,
    file_batches,
    plan_ids,
    staging_csv,
    stored_plans,
)
from geo.intake.bulk_sql import NEW_HISTORY_SQL, SOURCES, UPSERT_SQL, refusals
from geo.parcels.record import FIELD_BY_NAME, RECORD_NAMES, TEXT_PROPERTIES, Kind
from geo.parcels.writes import parsed_boundaries

WGS84 = 4326
INT4_MAX = 2**31 - 1
COLUMNS = ("id", "plan_id", *(name for name in RECORD_NAMES if name != "id"), "geom", "boundaries")
"""What the fast path writes into ``parcels``; the rest takes the columns' defaults."""
COPY_SQL = f"COPY parcels ({', '.join(COLUMNS)}) FROM STDIN (FORMAT binary)"
REFUSED = "a feature would be refused (the staging path names it)"
PREFETCH = 2
"""Batches read and encoded ahead of the one being sent: memory stays at a few batches."""


class NeedsStaging(Exception):
    """The fast path gives way to the staging path; the message says why."""


@dataclass
class DirectResult:
    """What the fast path wrote."""

    features: int
    created: int
    updated: int
    seconds: dict[str, float]


@dataclass
class _Prepared:
    """One batch, checked: its new rows as binary COPY data, the stored ones as staging CSV."""

    size: int
    rows: pa.Buffer
    new_ids: pa.Array
    staged_csv: bytes | None


def _column(batch: pa.RecordBatch, name: str) -> pa.Array:
    return batch.column(batch.schema.get_field_index(name))


def _require(condition: Any, why: str) -> None:
    """Give way to the staging path unless ``condition`` (a bool or a boolean array) holds."""
    holds = condition if isinstance(condition, bool) else pc.all(condition).as_py()
    if not holds:
        raise NeedsStaging(why)


def _texts_present(batch: pa.RecordBatch) -> None:
    for name in TEXT_PROPERTIES:
        values = _column(batch, name)
        _require(pa.types.is_string(values.type), f"{name} is not text in the file")
        # btrim trims spaces only, as the staging path's SQL does.
        _require(pc.fill_null(pc.not_equal(pc.utf8_trim(values, " "), ""), False), REFUSED)


def _whole(batch: pa.RecordBatch, name: str, least: int) -> np.ndarray:
    values = _column(batch, name)
    _require(pa.types.is_integer(values.type), f"{name} is not a whole number in the file")
    _require(values.null_count == 0, REFUSED)
    numbers = values.to_numpy().astype(np.int64)
    _require(bool(((numbers >= least) & (numbers <= INT4_MAX)).all()), REFUSED)
    return numbers


def _cents(batch: pa.RecordBatch, name: str) -> np.ndarray:
    """The amounts in hundredths, rounded as PostgreSQL rounds the staging path's text."""
    values = _column(batch, name)
    numeric = pa.types.is_floating(values.type) or pa.types.is_integer(values.type)
    _require(numeric, f"{name} is not a number in the file")
    _require(values.null_count == 0, REFUSED)
    floats = pc.cast(values, pa.float64())
    _require(pc.and_(pc.is_finite(floats), pc.greater(floats, 0)), REFUSED)
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
    _require(bool((numbers < MAX_CENTS).all()), REFUSED)  # beyond numeric(10, 2)
    return numbers


def _shapes_accepted(wkb: pa.Array) -> None:
    """Polygon or MultiPolygon (little-endian 2D WKB), not empty, few vertices, in China."""
    _require(wkb.null_count == 0, REFUSED)
    allowed = pa.array([WKB_POLYGON, WKB_MULTIPOLYGON], pa.binary())
    _require(pc.is_in(wkb_headers(wkb), value_set=allowed), "a shape is not 2D (Multi)Polygon")
    shapes = shapely.from_wkb(pc.cast(wkb, pa.binary()).to_numpy(zero_copy_only=False))
    _require(not shapely.is_empty(shapes).any(), REFUSED)
    _require(bool((shapely.get_num_coordinates(shapes) <= MAX_VERTICES).all()), REFUSED)
    west, south, east, north = shapely.bounds(shapes).T
    inside = (west >= PLAUSIBLE_LON[0]) & (east <= PLAUSIBLE_LON[1])
    inside &= (south >= PLAUSIBLE_LAT[0]) & (north <= PLAUSIBLE_LAT[1])
    _require(bool(inside.all()), REFUSED)


def _boundaries(batch: pa.RecordBatch) -> pa.Array:
    """The file's parsed 四至, and the parse of ``boundary_text`` where the file has none."""
    texts = _column(batch, "boundary_text")
    index = batch.schema.get_field_index("boundaries")
    given = batch.column(index) if index >= 0 else pa.nulls(batch.num_rows, pa.string())
    _require(
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


class StoredKeys:
    """The ids and (plan, seq) of the stored parcels, for telling new rows from stored ones."""

    def __init__(self, session: Session) -> None:
        cursor = session.connection().connection.cursor()
        data = io.BytesIO()
        query = "COPY (SELECT id, (plan_id::int8 << 32) | seq FROM parcels) TO STDOUT (FORMAT csv)"
        with cursor.copy(query) as copy:
            for chunk in copy:
                data.write(chunk)
        data.seek(0)
        read = pacsv.ReadOptions(column_names=["id", "key"])
        types = pacsv.ConvertOptions(column_types={"id": pa.string(), "key": pa.int64()})
        table = pacsv.read_csv(data, read_options=read, convert_options=types)
        self.ids = table.column("id").combine_chunks()
        self.keys = table.column("key").combine_chunks()

    def stored(self, ids: pa.Array, plan_id: np.ndarray, seq: np.ndarray) -> np.ndarray:
        """Which rows name a stored parcel by id or by (plan, seq)."""
        if not len(self.ids):
            return np.zeros(len(ids), dtype=bool)
        keys = pa.array((plan_id.astype(np.int64) << 32) | seq)
        by_id = pc.is_in(ids, value_set=self.ids)
        by_key = pc.is_in(keys, value_set=self.keys)
        return pc.or_(by_id, by_key).to_numpy(zero_copy_only=False)


def _prepare(
    geometry_name: str, batch: pa.RecordBatch, first: int, plans: dict[str, int], keys: StoredKeys
) -> _Prepared:
    """Check one batch and encode it, or raise ``NeedsStaging``."""
    _texts_present(batch)
    _require(pc.is_in(_column(batch, "geometry_source"), value_set=pa.array(SOURCES)), REFUSED)
    plan_id = plan_ids(batch, plans)
    _require(plan_id.null_count == 0, REFUSED)
    values: dict[str, Any] = {"plan_id": plan_id.to_numpy()}
    _whole(batch, "plan_year", 0)
    for name in RECORD_NAMES:
        kind = FIELD_BY_NAME[name].kind
        if kind is Kind.WHOLE:
            values[name] = _whole(batch, name, 1)
        elif kind is Kind.NUMBER:
            values[name] = _cents(batch, name)
        else:
            values[name] = _column(batch, name)
    wkb = _column(batch, geometry_name)
    _shapes_accepted(wkb)
    values["geom"] = wkb
    values["boundaries"] = _boundaries(batch)
    stored = keys.stored(values["id"], values["plan_id"], values["seq"])
    fresh = pa.array(~stored)
    fields = []
    for name in COLUMNS:
        value = values[name]
        if name == "geom":
            fields.append(geometry_field(value.filter(fresh), WGS84))
        elif name == "boundaries":
            fields.append(jsonb_field(value.filter(fresh)))
        elif isinstance(value, np.ndarray):
            kind = Kind.WHOLE if name == "plan_id" else FIELD_BY_NAME[name].kind
            encode = int4_field if kind is Kind.WHOLE else numeric_field
            fields.append(encode(value[~stored]))
        else:
            fields.append(bytes_field(value.filter(fresh)))
    staged = None
    if stored.any():
        numbers = pa.array(np.arange(first, first + batch.num_rows)[stored])
        kept = pa.array(stored)
        staged = staging_csv(
            batch.filter(kept), numbers, geometry_name, WGS84, plan_id.filter(kept)
        )
    rows = binary_rows(fields) if len(fields[0][0]) else pa.py_buffer(b"")
    return _Prepared(batch.num_rows, rows, values["id"].filter(fresh), staged)


def _prepared_batches(path: Path, plans: dict[str, int], keys: StoredKeys) -> Iterator[_Prepared]:
    first = 1
    for geometry_name, batch in file_batches(path):
        yield _prepare(geometry_name, batch, first, plans, keys)
        first += batch.num_rows


def _prefetched(items: Iterator[Any], depth: int) -> Iterator[Any]:
    """The items, made in a second thread up to ``depth`` ahead of their consumer.

    GDAL, Arrow and shapely release the GIL, so the next batch is read and encoded while this
    thread waits for PostgreSQL to take the last one. An error in the producer is raised here.
    """
    queue: Queue[tuple[str, Any]] = Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    break
                queue.put(("item", item))
            queue.put(("done", None))
        except BaseException as exc:  # handed to the consumer, who raises it
            queue.put(("error", exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    producer = threading.Thread(target=produce, name="bulk-import-reader", daemon=True)
    producer.start()
    try:
        while True:
            kind, value = queue.get()
            if kind == "done":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        while producer.is_alive():  # let a blocked put finish, then the producer sees stop
            with contextlib.suppress(Empty):
                queue.get(timeout=0.05)
        producer.join()


def _copy_new_rows(
    session: Session, path: Path, progress: Callable[[int], None], staged_file: Any
) -> tuple[int, list[pa.Array]]:
    """The binary COPY of every new row into ``parcels``; stored rows go to ``staged_file``."""
    plans = stored_plans(session)
    keys = StoredKeys(session)
    cursor = session.connection().connection.cursor()
    features = 0
    new_ids: list[pa.Array] = []
    with cursor.copy(COPY_SQL) as copy:
        copy.write(HEADER)
        for prepared in _prefetched(_prepared_batches(path, plans, keys), PREFETCH):
            if prepared.rows.size:
                copy.write(memoryview(prepared.rows))
            if prepared.staged_csv is not None:
                staged_file.write(prepared.staged_csv)
            new_ids.append(prepared.new_ids)
            features += prepared.size
            progress(prepared.size)
        copy.write(TRAILER)
    return features, new_ids


def _write_new_history(session: Session, new_ids: list[pa.Array], actor: str, reason: str) -> None:
    """One history row per parcel the COPY created, written by one INSERT … SELECT."""
    session.execute(text("CREATE TEMP TABLE import_new_ids (id text) ON COMMIT DROP"))
    cursor = session.connection().connection.cursor()
    with cursor.copy("COPY import_new_ids (id) FROM STDIN (FORMAT binary)") as copy:
        copy.write(HEADER)
        for ids in new_ids:
            if len(ids):
                copy.write(memoryview(binary_rows([bytes_field(ids)])))
        copy.write(TRAILER)
    session.execute(text(NEW_HISTORY_SQL), {"actor": actor, "reason": reason})


def _check_staged(session: Session, staged_file: Any) -> None:
    """Stage the rows that name stored parcels, and check them with the staging path's SQL."""
    staged_file.seek(0)
    create_staging(session)
    copy_csv_to_staging(session, iter(lambda: staged_file.read(1 << 20), b""))
    session.execute(text("ANALYZE import_staging"))
    refused, _ = refusals(session, with_validity=False)
    if refused:
        raise NeedsStaging(REFUSED)


def import_directly(
    session: Session, path: Path, actor: str, reason: str, progress: Callable[[int], None]
) -> DirectResult:
    """Import a WGS84 file by the fast path, or raise ``NeedsStaging`` having written a part.

    The caller runs this inside a savepoint and rolls it back on ``NeedsStaging``.
    """
    seconds: dict[str, float] = {}
    started = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal started
        now = time.perf_counter()
        seconds[stage] = round(now - started, 2)
        started = now

    also_created = updated = 0
    with tempfile.TemporaryFile() as staged_file:
        try:
            features, new_ids = _copy_new_rows(session, path, progress, staged_file)
            lap("copy")  # the checks on the Arrow batches included: they overlap the COPY
            staged = staged_file.tell() > 0
            if staged:
                _check_staged(session, staged_file)
            lap("check")
            _write_new_history(session, new_ids, actor, reason)
            if staged:
                statement = text(UPSERT_SQL)
                params = {"actor": actor, "reason": reason}
                also_created, updated = session.execute(statement, params).one()
            lap("write")
        except (psycopg.Error, DBAPIError) as exc:  # the table refused a row: name it
            raise NeedsStaging(f"the table refused a row: {first_line(exc)}") from exc
    created = sum(len(ids) for ids in new_ids) + also_created
    return DirectResult(features, created, updated, seconds)
