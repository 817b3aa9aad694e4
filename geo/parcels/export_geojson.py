"""The GeoJSON export, streamed: PostgreSQL writes every Feature and COPY hands the text over.

The file is the parcel list's FeatureCollection, byte for byte: the same members, features in
the same order (year, plan, seq), the same separators. PostgreSQL writes each Feature's text
and ``COPY … TO STDOUT`` passes it on without a row ever becoming a Python object; the stream
only joins the rows with the separator ``json_agg`` writes.

The features go in slices of about ``GEOJSON_BATCH_SIZE`` rows, each a range of one plan's
``seq`` read along the ``(plan_id, seq)`` index, so nothing is sorted and the first feature
leaves at once. The API copies up to ``EXPORT_STREAMS`` slices at a time on as many
connections, and sends them in order: PostgreSQL's own parallel plans cannot keep an order
cheaply (a Gather Merge measured slower than one process), while whole slices copied side by
side can, with at most that many slices in memory.

RFC 7946 GeoJSON is WGS84 longitude/latitude. A Gauss-Kruger zone (EPSG:4549 …) is an explicit
opt-in for CAD and survey software: the collection then carries the pre-RFC ``crs`` member
naming it (``urn:ogc:def:crs:EPSG::4549``; GDAL and QGIS honour it) and coordinates in metres.
"""

import asyncio
import json
from collections import deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from psycopg import sql as psycopg_sql
from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.parcels.export_fields import DECIMALS, WGS84
from geo.parcels.reads import (
    COLLECTION_MEMBERS_SQL,
    FROM_SQL,
    NOTICES,
    PARCEL_PROPERTIES,
    ParcelFilter,
    where_clause,
)
from geo.parcels.record import FIELDS, Kind
from geo.query import AsyncReader, Query, fetch_value

GEOJSON_BATCH_SIZE = 2000
"""Features per slice: one COPY, one chunk of the stream."""
EXPORT_STREAMS = 3
"""Slices copied at once by the API, as many as PostgreSQL's default parallel plan uses
processes (a leader and two workers)."""
FIRST_AFTER = -(2**31)
"""Below every seq (an int4): where each plan's first slice starts."""
JSON_AGG_SEPARATOR = b", "
"""What PostgreSQL's json_agg writes between two elements: the stream writes the same bytes."""
# COPY's CSV writes a value as it is unless it holds the delimiter, the quote, CR or LF. JSON
# text from PostgreSQL escapes every control character inside strings, so with these two
# control characters as delimiter and quote each row is a Feature's text and a newline.
QUOTE = b"\x02"
COPY_CSV = {"format": "csv", "delimiter": "\x01", "quote": QUOTE.decode()}
# Kinds whose SQL text is already their JSON text; every other value goes through to_json.
JSON_AS_TEXT = (Kind.WHOLE, Kind.JSON)
KINDS = {field.name: field.kind for field in FIELDS}


def feature_text_sql(
    id_sql: str, geometry_sql: str, properties: dict[str, str], decimals: int = 7
) -> str:
    """SQL for one GeoJSON Feature per row as text: the bytes ``reads.feature_sql`` gives.

    Written by concatenation, because json_build_object looks up every argument's type on
    every row: this costs about a quarter less of PostgreSQL's time, which is the export's
    whole cost. A test compares the two on every kind of value.
    """

    def value(name: str, expression: str) -> str:
        if KINDS.get(name) in JSON_AS_TEXT:
            return f"coalesce(({expression})::text, 'null')"
        return f"coalesce(to_json({expression})::text, 'null')"

    members = " || ', ' || ".join(
        f"'{json.dumps(name)} : ' || {value(name, expression)}"
        for name, expression in properties.items()
    )
    return f"""(
'{{"type" : "Feature", "id" : ' || {value("id", id_sql)}
|| ', "geometry" : ' || coalesce(ST_AsGeoJSON({geometry_sql}, {decimals}), 'null')
|| ', "properties" : {{' || {members} || '}}}}'
)"""


@dataclass(frozen=True)
class GeojsonExport:
    """The statements of one export: the collection's opening, the slices, a slice's features."""

    opening: Query
    """Its value: the collection with no features, which the stream opens at ``"features" : [``."""
    plans: Query
    """Its value: a JSON array of every plan's id, in the file's order."""
    slice_end: str
    """SQL whose value is the last ``seq`` of the next slice of ``:plan_id`` after ``:after``
    (null when the plan has no more), read from the ``(plan_id, seq)`` index."""
    features: str
    """SQL of a slice's Features as text, in order: ``:plan_id``'s seq in (``:after``, ``:last``]."""
    params: dict[str, Any]

    def slice_end_query(self, plan_id: int, after: int) -> Query:
        """Where the slice of ``plan_id`` starting after ``after`` ends."""
        return Query(text(self.slice_end), self.params | {"plan_id": plan_id, "after": after})

    def features_query(self, plan_id: int, after: int, last: int) -> Query:
        """The Features of one slice."""
        bounds = {"plan_id": plan_id, "after": after, "last": last}
        return Query(text(self.features), self.params | bounds)


def geojson_export(
    parcel_filter: ParcelFilter, srid: int = WGS84, batch_size: int | None = None
) -> GeojsonExport:
    """The statements exporting the filtered parcels, in ``srid`` (4326 or a zone's EPSG)."""
    where, params = where_clause(parcel_filter)
    params = params | {"srid": srid}
    size = int(batch_size or GEOJSON_BATCH_SIZE)
    geometry = "p.geom" if srid == WGS84 else "ST_Transform(p.geom, :srid)"
    feature = feature_text_sql("p.id", geometry, PARCEL_PROPERTIES, DECIMALS[srid])
    in_slice = f"{FROM_SQL} WHERE {where} AND p.plan_id = :plan_id AND p.seq > :after"
    # Slices of the matching rows, found one after another: no slice holds more than `size`
    # features, whatever the filter, and the first is known without counting the others.
    slice_end = f"""
        SELECT max(seq) FROM (SELECT p.seq {in_slice} ORDER BY p.seq LIMIT {size}) AS next"""
    features = f"SELECT {feature} {in_slice} AND p.seq <= :last ORDER BY p.seq"
    plans = Query(text("SELECT coalesce(json_agg(id ORDER BY year, id), '[]')::text FROM plans"))
    return GeojsonExport(_opening(where, srid, params), plans, slice_end, features, params)


async def walk_slices(reader: AsyncReader, export: GeojsonExport) -> AsyncIterator[Query]:
    """Each slice's Features statement, in the file's order."""
    for plan_id in json.loads(await reader.value(export.plans)):
        after = FIRST_AFTER
        while (last := await reader.value(export.slice_end_query(plan_id, after))) is not None:
            yield export.features_query(plan_id, after, last)
            after = last


def _opening(where: str, srid: int, params: dict[str, Any]) -> Query:
    # PostgreSQL writes the members (and their spacing) as for the parcel list; an empty
    # features array is built and cut off (by the caller), leaving the text open at
    # "features" : [.
    crs = ""
    if srid != WGS84:
        crs = """,
            'crs', json_build_object(
                'type', 'name', 'properties', json_build_object('name', CAST(:crs_name AS text))
            )"""
    statement = text(f"""
        WITH selected AS (SELECT p.geometry_source {FROM_SQL} WHERE {where})
        SELECT json_build_object({COLLECTION_MEMBERS_SQL}{crs},
            'features', '[]'::json
        )::text""")
    return Query(statement, params | NOTICES | {"crs_name": f"urn:ogc:def:crs:EPSG::{srid}"})


def opening_text(collection: str) -> str:
    """The collection's text up to its features, from the collection with none."""
    return collection.removesuffix("]}")


def features_text(copied: bytes) -> bytes:
    """A slice's Features joined as json_agg joins them, from COPY's rows (one per line)."""
    if QUOTE in copied:  # a Feature with a raw line break: only a json-typed column could hold it
        raise ValueError("A Feature's text holds a line break; COPY quoted it.")
    return copied.removesuffix(b"\n").replace(b"\n", JSON_AGG_SEPARATOR)


def copy_rows(session: Session, query: Query, options: dict[str, str]) -> bytes:
    """The statement's rows as ``COPY … TO STDOUT`` writes them, on the session's connection.

    ``options`` are COPY's (format, delimiter, quote …), named as asyncpg's copy takes them.
    """
    compiled = query.statement.compile(dialect=session.get_bind().dialect)
    statement = psycopg_sql.SQL("COPY ({}) TO STDOUT ({})").format(
        psycopg_sql.SQL(compiled.string),
        psycopg_sql.SQL(", ").join(
            psycopg_sql.SQL("{} {}").format(
                psycopg_sql.SQL(name.upper()), psycopg_sql.Literal(value)
            )
            for name, value in options.items()
        ),
    )
    cursor = session.connection().connection.driver_connection.cursor()
    with cursor.copy(statement, compiled.construct_params(query.params)) as copy:
        return b"".join(bytes(row) for row in copy)


def geojson_chunks(
    session: Session,
    parcel_filter: ParcelFilter,
    srid: int = WGS84,
    batch_size: int | None = None,
) -> Iterator[str]:
    """Stream a GeoJSON FeatureCollection on one session: header, a chunk per slice, footer.

    For the CLI. The header is read before the first chunk, so that a database error comes
    before any output.

    Args:
        session: An open session.
        parcel_filter: Block, bbox and text filters, as for the parcel list.
        srid: 4326 or a zone's EPSG code, from ``export.export_srid_for``.
        batch_size: Features per slice and per chunk; ``GEOJSON_BATCH_SIZE`` if None.

    Returns:
        An iterator of text chunks that join into one FeatureCollection.
    """
    export = geojson_export(parcel_filter, srid, batch_size)
    # JIT compilation would only delay the first row of a streamed read.
    session.execute(text("SET LOCAL jit = off"))
    opening = opening_text(fetch_value(session, export.opening))

    def chunks() -> Iterator[str]:
        yield opening
        separator = b""
        for plan_id in json.loads(fetch_value(session, export.plans)):
            after = FIRST_AFTER
            while (
                last := fetch_value(session, export.slice_end_query(plan_id, after))
            ) is not None:
                copied = copy_rows(session, export.features_query(plan_id, after, last), COPY_CSV)
                after = last
                if features := features_text(copied):  # empty if a write emptied the slice
                    yield (separator + features).decode()
                    separator = JSON_AGG_SEPARATOR
        yield "]}"

    return chunks()


async def geojson_stream(
    reader: AsyncReader, parcel_filter: ParcelFilter, srid: int = WGS84
) -> AsyncIterator[bytes]:
    """The same FeatureCollection for the API, slices copied ``EXPORT_STREAMS`` at a time.

    Awaiting this reads the header, so that a database error is still an error response;
    iterating the result copies the features. The first slices are copied while the header's
    counts are made.
    """
    export = geojson_export(parcel_filter, srid)
    copies = _Copies(reader, walk_slices(reader, export))
    try:
        await copies.fill()
        opening = opening_text(await reader.value(export.opening)).encode()
    except BaseException:
        copies.close()
        raise
    return copies.stream(opening)


class _Copies:
    """Slices copied ahead, up to ``EXPORT_STREAMS`` at once, handed out in order.

    The slices are walked in a task of their own, a few ahead of the copies, so that finding
    where a slice ends never holds up the copy of the next.
    """

    def __init__(self, reader: AsyncReader, slices: AsyncIterator[Query]) -> None:
        self.reader = reader
        self.pending: deque[asyncio.Task[bytes]] = deque()
        self.walked: asyncio.Queue[Query | BaseException | None] = asyncio.Queue(EXPORT_STREAMS)
        self.walker = asyncio.ensure_future(self._walk(slices))
        self.done = False

    async def _walk(self, slices: AsyncIterator[Query]) -> None:
        try:
            async for query in slices:
                await self.walked.put(query)
        except Exception as exc:  # handed to the stream, which raises it
            await self.walked.put(exc)
        else:
            await self.walked.put(None)

    async def fill(self) -> None:
        """Start copying slices until ``EXPORT_STREAMS`` run or none is left."""
        while not self.done and len(self.pending) < EXPORT_STREAMS:
            query = await self.walked.get()
            if isinstance(query, BaseException):
                raise query
            if query is None:
                self.done = True
            else:
                copy = self.reader.copy(query, COPY_CSV)
                self.pending.append(asyncio.ensure_future(copy))

    async def stream(self, opening: bytes) -> AsyncIterator[bytes]:
        """The collection: the opening, each slice's Features in order, the closing."""
        try:
            yield opening
            separator = b""
            while self.pending:
                copied = await self.pending.popleft()
                await self.fill()
                if features := features_text(copied):  # empty if a write emptied the slice
                    yield separator + features
                    separator = JSON_AGG_SEPARATOR
            yield b"]}"
        finally:  # a client that stops reading stops the copies still running
            self.close()

    def close(self) -> None:
        """Stop the walk and every copy still running."""
        self.walker.cancel()
        for task in self.pending:
            task.cancel()
        self.pending.clear()
