"""Parcels exported as files: GeoJSON (streamed), GeoPackage, Shapefile, KML, CSV and XLSX.

The API (``GET /api/v1/export``) and the CLI (``zhengshou export``) both call these functions.
Coordinates are transformed by PostGIS (``ST_Transform``), never in Python loops. Two coordinate
reference systems are offered: EPSG:4326 (WGS84 longitude/latitude, the default), and in metres
any CGCS2000 / 3-degree Gauss-Kruger zone, EPSG:4534 (CM 75E) … EPSG:4554 (CM 135E): the planes
on which 亩 are measured (EPSG:4549, CM 120E, for Jiaxing). ``crs=local`` is the zone of the
exported parcels themselves (their ``zone_epsg``), refused when they lie in several zones.

This module chooses the format and the coordinate system, streams GeoJSON, and reads the table
that ``geo.parcels.export_writers`` turns into each of the other files.
"""

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.area import DEFAULT_PLANE_EPSG, ZONE_EPSGS, describe_zone
from geo.errors import InvalidInput, SeveralZones
from geo.messages import message
from geo.parcels.export_writers import (
    ATTRIBUTES,
    DATE_ATTRIBUTES,
    LONG_TEXT_FILE,
    NUMERIC_ATTRIBUTES,
    SHAPEFILE_FIELDS,
    TRUNCATION_MARK,
    WHOLE_ATTRIBUTES,
    WRITERS,
    fit_dbf_text,
)
from geo.parcels.reads import (
    COLLECTION_MEMBERS_SQL,
    FEATURE_SQL,
    FROM_SQL,
    NOTICES,
    ORDER_SQL,
    PARCEL_PROPERTIES,
    ParcelFilter,
    feature_sql,
    where_clause,
)

# The public names, some of the writers' among them: callers have always imported those from here.
__all__ = [
    "ATTRIBUTES",
    "FORMATS",
    "LONG_TEXT_FILE",
    "SHAPEFILE_FIELDS",
    "TRUNCATION_MARK",
    "ExportFormat",
    "export_file",
    "export_format",
    "export_srid",
    "export_srid_for",
    "fit_dbf_text",
    "geojson_chunks",
    "local_srid",
    "parcel_frame",
]

WGS84 = 4326
GK_CM_120E = DEFAULT_PLANE_EPSG
LOCAL = "LOCAL"
"""``crs=local``: the Gauss-Kruger zone of the exported parcels, whichever it is."""
CRS_CHOICES = {"EPSG:4326": WGS84} | {f"EPSG:{zone}": zone for zone in ZONE_EPSGS}
# Coordinate decimals: 7 in degrees is about 1 cm, 3 in metres is 1 mm; both keep the area
# recomputed from an export within 0.01 亩 of the stored one.
DECIMALS = {WGS84: 7} | dict.fromkeys(ZONE_EPSGS, 3)

GEOJSON_BATCH_SIZE = 500
"""Features fetched per round trip from the server-side cursor (and written per chunk)."""
JSON_AGG_SEPARATOR = ", "
"""What PostgreSQL's json_agg writes between two elements: the stream writes the same text."""

BASENAME = "zhengshou-parcels"


@dataclass(frozen=True)
class ExportFormat:
    """A file format the export offers."""

    name: str
    extension: str
    media_type: str

    @property
    def filename(self) -> str:
        """The download's file name, e.g. ``zhengshou-parcels.gpkg``."""
        return f"{BASENAME}.{self.extension}"


FORMATS = {
    f.name: f
    for f in (
        ExportFormat("geojson", "geojson", "application/geo+json"),
        ExportFormat("gpkg", "gpkg", "application/geopackage+sqlite3"),
        ExportFormat("shp", "zip", "application/zip"),
        ExportFormat("kml", "kml", "application/vnd.google-earth.kml+xml"),
        ExportFormat("csv", "csv", "text/csv"),
        ExportFormat(
            "xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
    )
}


def export_format(name: str) -> ExportFormat:
    """The format for a name such as ``gpkg``; InvalidInput names the accepted values."""
    found = FORMATS.get(name.strip().lower())
    if found is None:
        raise InvalidInput(
            message("parcels.unknown_export_format", formats=", ".join(FORMATS), name=name)
        )
    return found


def export_srid(crs: str, fmt: ExportFormat | None = None) -> int | None:
    """The EPSG code a ``crs`` names, checked against the format; None for ``local``.

    ``local`` depends on the parcels selected: :func:`export_srid_for` resolves it.

    >>> export_srid("epsg:4549"), export_srid("EPSG:4547"), export_srid("local")
    (4549, 4547, None)
    """
    name = crs.strip().upper()
    srid = CRS_CHOICES.get(name)
    if srid is None and name != LOCAL:
        raise InvalidInput(message("parcels.unknown_export_crs", crs=crs))
    # Google Earth reads KML in WGS84 only, and the KML standard allows nothing else.
    if fmt is not None and fmt.name == "kml" and srid != WGS84:
        raise InvalidInput(message("parcels.kml_wgs84"))
    return srid


def local_srid(session: Session, parcel_filter: ParcelFilter) -> int:
    """The one Gauss-Kruger zone the selected parcels lie in, for ``crs=local``.

    Parcels without a shape have no zone and do not count. Metres on one plane cannot be mixed
    with metres on another in one file, so parcels in several zones are refused (SeveralZones),
    as is a selection without any located parcel, which has no plane at all.
    """
    where, params = where_clause(parcel_filter)
    statement = text(f"""
        SELECT DISTINCT p.zone_epsg {FROM_SQL}
        WHERE {where} AND p.zone_epsg IS NOT NULL ORDER BY p.zone_epsg""")
    zones = session.execute(statement, params).scalars().all()
    if len(zones) == 1:
        return zones[0]
    if not zones:
        raise InvalidInput(message("parcels.local_without_shapes"))
    raise SeveralZones(
        message(
            "parcels.several_zones",
            count=len(zones),
            zones=", ".join(describe_zone(zone) for zone in zones),
        )
    )


def export_srid_for(
    session: Session, crs: str, fmt: ExportFormat | None, parcel_filter: ParcelFilter
) -> int:
    """The EPSG code a ``crs`` names for these parcels: :func:`export_srid`, ``local`` resolved."""
    srid = export_srid(crs, fmt)
    return local_srid(session, parcel_filter) if srid is None else srid


def geojson_chunks(
    session: Session,
    parcel_filter: ParcelFilter,
    srid: int = WGS84,
    batch_size: int | None = None,
) -> Iterator[str]:
    """Stream a GeoJSON FeatureCollection: header, features in batches, footer.

    PostGIS writes each Feature (``FEATURE_SQL``) and a server-side cursor hands them over
    ``batch_size`` at a time, so memory stays constant however many parcels there are. The
    header and the cursor are opened before the first chunk, so a database error still becomes
    an error response instead of a cut-off file. The text is the one the parcel list's
    ``json_agg`` would write (the same members, separators and order), byte for byte.

    RFC 7946 GeoJSON is WGS84 longitude/latitude. A Gauss-Kruger zone (EPSG:4549 …) is an
    explicit opt-in for CAD and survey software: the collection then carries the pre-RFC ``crs``
    member naming it (``urn:ogc:def:crs:EPSG::4549``; GDAL and QGIS honour it) and coordinates
    in metres.

    Args:
        session: An open session; the cursor lives in its transaction.
        parcel_filter: Block, bbox and text filters, as for the parcel list.
        srid: 4326 or a zone's EPSG code, from :func:`export_srid_for`.
        batch_size: Features per fetch and per chunk; ``GEOJSON_BATCH_SIZE`` if None.

    Returns:
        An iterator of text chunks that join into one FeatureCollection.
    """
    where, params = where_clause(parcel_filter)
    params = params | {"srid": srid}
    opening = _collection_opening(session, where, params, srid)
    feature = FEATURE_SQL
    if srid != WGS84:
        feature = feature_sql(
            "p.id", "ST_Transform(p.geom, :srid)", PARCEL_PROPERTIES, DECIMALS[srid]
        )
    # Plan by plan, each in seq order along the (plan_id, seq) index: the first feature leaves
    # at once. One ORDER BY year, plan, seq over the whole table would sort every row first
    # (3 s before the first feature at a million parcels).
    statement = text(
        f"SELECT ({feature})::text {FROM_SQL} WHERE {where} AND p.plan_id = :plan_id ORDER BY p.seq"
    )
    # JIT compilation would only delay the first row of a streamed read.
    session.execute(text("SET LOCAL jit = off"))
    plan_ids = session.execute(text("SELECT id FROM plans ORDER BY year, id")).scalars().all()
    size = batch_size or GEOJSON_BATCH_SIZE

    def plan_results() -> Iterator[Any]:
        for plan_id in plan_ids:
            # yield_per: SQLAlchemy opens a server-side (named) cursor and buffers `size` rows.
            yield session.execute(
                statement.execution_options(yield_per=size), params | {"plan_id": plan_id}
            )

    results = plan_results()
    first = next(results, None)  # opened before the first chunk, so that an error is a response
    return _feature_stream(opening, itertools.chain([first] if first else [], results), size)


def _collection_opening(session: Session, where: str, params: dict[str, Any], srid: int) -> str:
    # PostgreSQL writes the members (and their spacing) as for the parcel list; an empty
    # features array is built and cut off, leaving the text open at "features" : [.
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
    crs_name = f"urn:ogc:def:crs:EPSG::{srid}"
    collection = session.execute(statement, params | NOTICES | {"crs_name": crs_name}).scalar_one()
    return collection.removesuffix("]}")


def _feature_stream(opening: str, results: Iterator[Any], size: int) -> Iterator[str]:
    separator = ""
    yield opening
    for result in results:
        try:
            for rows in result.partitions(size):
                yield separator + JSON_AGG_SEPARATOR.join(row[0] for row in rows)
                separator = JSON_AGG_SEPARATOR
        finally:
            result.close()
    yield "]}"


def _column(name: str) -> str:
    if name in NUMERIC_ATTRIBUTES:
        return f"CAST({PARCEL_PROPERTIES[name]} AS double precision) AS {name}"
    if name in DATE_ATTRIBUTES:
        return f"to_char({PARCEL_PROPERTIES[name]}, 'YYYY-MM-DD') AS {name}"
    return f"{PARCEL_PROPERTIES[name]} AS {name}"


def parcel_frame(session: Session, parcel_filter: ParcelFilter, srid: int) -> gpd.GeoDataFrame:
    """The filtered parcels' attributes and geometry (in ``srid``) as a GeoDataFrame.

    The frame also has a ``wkt`` column: the geometry as PostGIS writes it, rounded like the
    GeoJSON, for the table formats.
    """
    where, params = where_clause(parcel_filter)
    columns = ",\n    ".join(_column(name) for name in ATTRIBUTES)
    statement = text(f"""
        SELECT {columns},
            ST_AsBinary(ST_Transform(p.geom, :srid)) AS wkb,
            ST_AsText(ST_Transform(p.geom, :srid), :decimals) AS wkt
        {FROM_SQL} WHERE {where} {ORDER_SQL}""")
    result = session.execute(statement, params | {"srid": srid, "decimals": DECIMALS[srid]})
    frame = pd.DataFrame(result.all(), columns=list(result.keys()))
    # 32-bit integers: LIBKML writes 64-bit ones as strings. Nullable ("Int32"), as a parcel
    # without a shape has no zone_epsg; GDAL writes them as 32-bit fields with nulls.
    frame = frame.astype(dict.fromkeys(WHOLE_ATTRIBUTES, "Int32"))
    geometry = shapely.from_wkb(frame.pop("wkb").to_numpy())
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=f"EPSG:{srid}")


def export_file(
    session: Session, fmt: ExportFormat, parcel_filter: ParcelFilter, srid: int = WGS84
) -> bytes:
    """The filtered parcels as one file in a non-streamed format (everything but GeoJSON).

    Args:
        session: An open session.
        fmt: gpkg, shp (a zip), kml, csv or xlsx, from :func:`export_format`.
        parcel_filter: Block, bbox and text filters, as for the parcel list.
        srid: 4326 or a zone's EPSG code, from :func:`export_srid_for` (KML: 4326 only).

    Returns:
        The file's bytes.
    """
    writer = WRITERS.get(fmt.name)
    if writer is None:
        raise InvalidInput(message("parcels.export_streamed", fmt=fmt.name))
    export_srid(f"EPSG:{srid}", fmt)
    return writer(parcel_frame(session, parcel_filter, srid))
