"""Parcels exported as files: GeoJSON (streamed), GeoPackage, Shapefile, KML, CSV and XLSX.

The API (``GET /api/v1/export``) and the CLI (``zhengshou export``) both call these functions.
Coordinates are transformed by PostGIS (``ST_Transform``), never in Python loops. Two coordinate
reference systems are offered: EPSG:4326 (WGS84 longitude/latitude, the default), and in metres
any CGCS2000 / 3-degree Gauss-Kruger zone, EPSG:4534 (CM 75E) … EPSG:4554 (CM 135E): the planes
on which 亩 are measured (EPSG:4549, CM 120E, for Jiaxing). ``crs=local`` is the zone of the
exported parcels themselves (their ``zone_epsg``), refused when they lie in several zones.

This module chooses the format and the coordinate system, and reads the table that
``geo.parcels.export_writers`` turns into each of the other files; ``geo.parcels.export_geojson``
streams GeoJSON.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.area import DEFAULT_PLANE_EPSG, ZONE_EPSGS, describe_zone
from geo.errors import InvalidInput, SeveralZones
from geo.messages import message
from geo.parcels.export_fields import (
    ATTRIBUTES,
    DATE_ATTRIBUTES,
    DECIMALS,
    LONG_TEXT_FILE,
    NUMERIC_ATTRIBUTES,
    SHAPEFILE_FIELDS,
    TRUNCATION_MARK,
    WGS84,
    WHOLE_ATTRIBUTES,
    fit_dbf_text,
)
from geo.parcels.export_geojson import geojson_chunks
from geo.parcels.reads import FROM_SQL, ORDER_SQL, PARCEL_PROPERTIES, ParcelFilter, where_clause

if TYPE_CHECKING:  # only the file formats need pandas: an API worker must not load it at start
    import geopandas as gpd

# The public names, some of the writers' among them: callers have always imported those from here.
__all__ = [
    "ATTRIBUTES",
    "FORMATS",
    "LONG_TEXT_FILE",
    "SHAPEFILE_FIELDS",
    "TRUNCATION_MARK",
    "WGS84",
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

GK_CM_120E = DEFAULT_PLANE_EPSG
LOCAL = "LOCAL"
"""``crs=local``: the Gauss-Kruger zone of the exported parcels, whichever it is."""
CRS_CHOICES = {"EPSG:4326": WGS84} | {f"EPSG:{zone}": zone for zone in ZONE_EPSGS}

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


def _column(name: str) -> str:
    if name in NUMERIC_ATTRIBUTES:
        return f"CAST({PARCEL_PROPERTIES[name]} AS double precision) AS {name}"
    if name in DATE_ATTRIBUTES:
        return f"to_char({PARCEL_PROPERTIES[name]}, 'YYYY-MM-DD') AS {name}"
    return f"{PARCEL_PROPERTIES[name]} AS {name}"


def parcel_frame(session: Session, parcel_filter: ParcelFilter, srid: int) -> "gpd.GeoDataFrame":
    """The filtered parcels' attributes and geometry (in ``srid``) as a GeoDataFrame.

    The frame also has a ``wkt`` column: the geometry as PostGIS writes it, rounded like the
    GeoJSON, for the table formats.
    """
    import geopandas as gpd
    import pandas as pd
    import shapely

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
    from geo.parcels.export_writers import WRITERS

    writer = WRITERS.get(fmt.name)
    if writer is None:
        raise InvalidInput(message("parcels.export_streamed", fmt=fmt.name))
    export_srid(f"EPSG:{srid}", fmt)
    return writer(parcel_frame(session, parcel_filter, srid))
