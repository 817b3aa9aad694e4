"""A city's basemap in any GDAL format (GeoPackage, zipped Shapefile, GeoJSON…) as a reference layer.

GDAL (through pyogrio and GeoPandas) reads the file and pyproj transforms any CRS to WGS84. The
caller says which attribute holds the name and which the kind; kinds must be the reference layer's
(``geo.boundaries.reference.KINDS``), since a guess at what a city's class codes mean would put
walls where roads are. Features without a name are dropped (the digitizer matches names).
"""

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pyogrio
import shapely

from geo.boundaries.reference import GEOMETRY_TYPES, KINDS, ReferenceRecord, with_layer
from geo.errors import InvalidReferenceData


def gis_label(path: Path) -> str:
    """The layer's name in notes: the file and its date (the file's mtime)."""
    date = datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()
    return f"{path.name} (GIS layer of {date})"


def read_gis_layer(
    path: Path,
    name_field: str,
    kind_field: str,
    geometry_source: str,
    layer: str | None = None,
) -> tuple[str, list[ReferenceRecord], Counter[str]]:
    """The layer's label, its features as reference records, and counts of what was dropped."""
    try:
        frame = pyogrio.read_dataframe(path, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise InvalidReferenceData(f"{path}: not a readable GIS layer ({exc})") from None
    missing = [f for f in (name_field, kind_field) if f not in frame.columns]
    if missing:
        raise InvalidReferenceData(
            f"{path}: no field {', '.join(missing)}; its fields are "
            f"{', '.join(c for c in frame.columns if c != 'geometry')}"
        )
    if frame.crs is None:
        raise InvalidReferenceData(f"{path}: the layer does not say its CRS (no .prj or SRS)")
    frame = frame.to_crs(4326)
    unknown = sorted({str(k) for k in frame[kind_field].dropna()} - set(KINDS))
    if unknown:
        raise InvalidReferenceData(
            f"{path}: {kind_field} holds kinds the digitizer does not know ({', '.join(unknown)}); "
            f"use {', '.join(KINDS)}"
        )
    label = gis_label(path)
    records, dropped = [], Counter()
    for position, row in enumerate(frame.itertuples(index=False), start=1):
        name = getattr(row, name_field)
        kind = getattr(row, kind_field)
        geometry = row.geometry
        if not isinstance(name, str) or not name.strip() or not isinstance(kind, str):
            dropped["without a name or kind"] += 1
            continue
        if geometry is None or geometry.is_empty or geometry.geom_type not in GEOMETRY_TYPES:
            dropped["without a usable geometry"] += 1
            continue
        if not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        note = with_layer(f"{path.name} feature {position}", label)
        records.append(ReferenceRecord(name.strip(), kind, geometry_source, note, geometry))
    return label, records, dropped
