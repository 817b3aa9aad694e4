"""Coordinate reference systems served by OGC API - Features (Part 2, CRS by reference).

Storage is WGS84 lon/lat (SRID 4326). OGC CRS84 is lon/lat; EPSG:4326 and CGCS2000 EPSG:4490 are
lat/lon by their definition, and the CGCS2000 / 3-degree Gauss-Kruger zones (EPSG:4534 at CM 75E
… EPSG:4554 at CM 135E; EPSG:4549, CM 120E, for Jiaxing) are northing/easting, so coordinates in
those are flipped on the way out and on the way in, as GDAL and QGIS expect.
"""

from dataclasses import dataclass

from geo.area import ZONE_EPSGS
from geo.errors import InvalidInput
from geo.messages import message

OGC_CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/{}"


@dataclass(frozen=True)
class OgcCrs:
    """One supported CRS: its URI, PostGIS SRID, axis order and output precision."""

    uri: str
    srid: int
    northing_first: bool
    decimals: int

    def from_storage(self, geometry_sql: str) -> str:
        """SQL giving a stored geometry in this CRS, axes in this CRS's order."""
        sql = geometry_sql if self.srid == 4326 else f"ST_Transform({geometry_sql}, {self.srid})"
        return f"ST_FlipCoordinates({sql})" if self.northing_first else sql

    def to_storage(self, geometry_sql: str) -> str:
        """SQL giving a geometry written in this CRS (axes in its order) in storage SRID 4326."""
        sql = f"ST_FlipCoordinates({geometry_sql})" if self.northing_first else geometry_sql
        return sql if self.srid == 4326 else f"ST_Transform({sql}, 4326)"

    def bbox_sql(self, names: tuple[str, str, str, str]) -> str:
        """An envelope from four bound parameters given in this CRS, in storage SRID 4326."""
        a, b, c, d = (f":{name}" for name in names)
        # The parameters come in this CRS's axis order; ST_MakeEnvelope wants x/easting first.
        x1, y1, x2, y2 = (b, a, d, c) if self.northing_first else (a, b, c, d)
        envelope = f"ST_MakeEnvelope({x1}, {y1}, {x2}, {y2}, {self.srid})"
        return envelope if self.srid == 4326 else f"ST_Transform({envelope}, 4326)"


SUPPORTED_CRS = (
    OgcCrs(OGC_CRS84, 4326, northing_first=False, decimals=7),
    OgcCrs(EPSG_URI.format(4326), 4326, northing_first=True, decimals=7),
    OgcCrs(EPSG_URI.format(4490), 4490, northing_first=True, decimals=7),
    # Metres: 3 decimals is a millimetre. Every zone, since parcels are measured in their own.
    *(OgcCrs(EPSG_URI.format(zone), zone, northing_first=True, decimals=3) for zone in ZONE_EPSGS),
)
DEFAULT_CRS = SUPPORTED_CRS[0]
_BY_NAME = (
    {crs.uri: crs for crs in SUPPORTED_CRS}
    | {f"EPSG:{crs.srid}": crs for crs in SUPPORTED_CRS[1:]}
    | {"CRS84": DEFAULT_CRS, "OGC:CRS84": DEFAULT_CRS}
)


def find_crs(value: str | None, parameter: str = "crs") -> OgcCrs:
    """The supported CRS a URI (or EPSG:code) names; CRS84 when not given."""
    if value is None or not value.strip():
        return DEFAULT_CRS
    found = _BY_NAME.get(value.strip().strip("<>"))
    if found is None:
        # The 21 zones are given as a range: the full list would bury the other choices.
        accepted = ", ".join(crs.uri for crs in SUPPORTED_CRS if crs.srid not in ZONE_EPSGS)
        zones = message("ogc.zone_range", first=EPSG_URI.format(ZONE_EPSGS[0]), last=ZONE_EPSGS[-1])
        raise InvalidInput(
            message(
                "ogc.crs_unsupported",
                parameter=parameter,
                accepted=accepted,
                zones=zones,
                value=value,
            )
        )
    return found
