"""What every exported file format shares: coordinates, attributes, Shapefile names, dBASE limits.

Kept apart from the writers (``geo.parcels.export_writers``, which need geopandas) so that the
API worker, the GeoJSON stream and the import can read these facts without loading pandas.
"""

from geo.area import ZONE_EPSGS
from geo.parcels.record import EXPORTED, Kind

WGS84 = 4326
# Coordinate decimals: 7 in degrees is about 1 cm, 3 in metres is 1 mm; both keep the area
# recomputed from an export within 0.01 亩 of the stored one.
DECIMALS = {WGS84: 7} | dict.fromkeys(ZONE_EPSGS, 3)

SHAPEFILE_FIELDS = {field.name: field.shapefile_name for field in EXPORTED}
"""Attribute -> Shapefile field name (dBASE allows 10 characters). Stable, as users' GIS projects
refer to these names; ``fields.csv`` in the zip repeats the table."""

# The attributes of every file format, in the record's order. The nested ``boundaries`` object
# only fits GeoJSON.
ATTRIBUTES = list(SHAPEFILE_FIELDS)
NUMERIC_ATTRIBUTES = {field.name for field in EXPORTED if field.kind is Kind.NUMBER}
WHOLE_ATTRIBUTES = [field.name for field in EXPORTED if field.kind is Kind.WHOLE]
TEXT_ATTRIBUTES = [field.name for field in EXPORTED if field.is_text]
DATE_ATTRIBUTES = {field.name for field in EXPORTED if field.kind is Kind.DATE}
"""Written as ISO 8601 text (2022-05-14): every format and GIS reads it, and it sorts by date."""

DBF_TEXT_BYTES = 254
TRUNCATION_MARK = "…[截断]"
"""Ends a Shapefile text value that was cut to fit ``DBF_TEXT_BYTES``."""
LONG_TEXT_FILE = "long_text.csv"


def fit_dbf_text(value: str, limit: int = DBF_TEXT_BYTES) -> str:
    """Cut a text to ``limit`` UTF-8 bytes at a character boundary, marking the cut.

    >>> fit_dbf_text("东至百墅路", limit=15)
    '东至百墅路'
    >>> fit_dbf_text("东至百墅路，南至城北路", limit=20)
    '东至百…[截断]'
    """
    if len(value.encode("utf-8")) <= limit:
        return value
    room = limit - len(TRUNCATION_MARK.encode("utf-8"))
    kept = value.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    return kept + TRUNCATION_MARK
