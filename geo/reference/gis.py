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
from geo.messages import message


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
        raise InvalidReferenceData(
            message("reference.gis_unreadable", exc=exc, path=path)
        ) from None
    missing = [f for f in (name_field, kind_field) if f not in frame.columns]
    if missing:
        raise InvalidReferenceData(
            message(
                "reference.gis_fields_missing",
                missing=", ".join(missing),
                fields=", ".join(c for c in frame.columns if c != "geometry"),
                path=path,
            )
        )
    if frame.crs is None:
        raise InvalidReferenceData(message("reference.gis_no_crs", path=path))
    frame = frame.to_crs(4326)
    unknown = sorted({str(k) for k in frame[kind_field].dropna()} - set(KINDS))
    if unknown:
        raise InvalidReferenceData(
            message(
                "reference.gis_unknown_kinds",
                unknown=", ".join(unknown),
                kinds=", ".join(KINDS),
                kind_field=kind_field,
                path=path,
            )
        )
    label = gis_label(path)
    records, dropped = [], Counter()
    for position, row in enumerate(frame.itertuples(index=False), start=1):
        name = getattr(row, name_field)
        kind = getattr(row, kind_field)
        geometry = row.geometry
        if not isinstance(name, str) or not name.strip() or not isinstance(kind, str):
            dropped[message("reference.dropped_unnamed")] += 1
            continue
        if geometry is None or geometry.is_empty or geometry.geom_type not in GEOMETRY_TYPES:
            dropped[message("reference.dropped_no_geometry")] += 1
            continue
        if not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        note = with_layer(f"{path.name} feature {position}", label)
        records.append(ReferenceRecord(name.strip(), kind, geometry_source, note, geometry))
    return label, records, dropped
