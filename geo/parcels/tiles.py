"""Mapbox Vector Tiles of the parcels, made by PostGIS (ST_AsMVT).

Tiles let the map and other clients draw 100,000+ parcels without loading them all as GeoJSON.
The tile carries the properties the map's popup and colouring need.
"""

from collections import OrderedDict
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.errors import InvalidInput
from geo.messages import message
from geo.parcels.record import FIELD_BY_NAME, Kind, ParcelField
from geo.parcels.styles import style_document
from geo.query import Query, fetch_value

MAX_ZOOM = 22
EXTENT = 4096
BUFFER = 64
LAYER = "parcels"
# In the order tiles have always carried them: the order is in every tile's bytes (which
# clients cache by ETag, see TILE_FORMAT) and in the TileJSON.
TILE_PROPERTIES = (
    "id",
    "seq",
    "block",
    "name",
    "declared_area_mu",
    "measured_area_mu",
    "interest_type",
    "implementing_unit",
    "geometry_source",
    # Added for the map's plan picker: the page draws only the chosen plan's parcels.
    "plan",
    # Added for colouring by stage (geo.parcels.styles).
    "stage",
)
COLUMNS_NOT_IN_FIELDS = {"stage": "p.stage"}
"""Text properties read straight from their column while geo.parcels.record does not list them
(the stages work adds a parcel's stage there)."""


def _is_text(name: str) -> bool:
    field = FIELD_BY_NAME.get(name)
    return field is None or field.is_text


TILE_FIELDS = {name: "String" if _is_text(name) else "Number" for name in TILE_PROPERTIES}
"""Property -> its TileJSON type."""


def _tile_column(name: str) -> str:
    field: ParcelField | None = FIELD_BY_NAME.get(name)
    if field is None:
        return f"{COLUMNS_NOT_IN_FIELDS[name]} AS {name}"
    # MVT has no decimal type: numbers travel as double precision. The alias names the property
    # (the plan's is pl.title).
    if field.kind is Kind.NUMBER:
        return f"({field.served_sql})::float8 AS {field.name}"
    return f"{field.served_sql} AS {field.name}"


TILE_COLUMNS = ", ".join(_tile_column(name) for name in TILE_PROPERTIES)

TILE_SQL = text(f"""
WITH bounds AS (SELECT ST_TileEnvelope(:z, :x, :y) AS web, ST_Transform(ST_TileEnvelope(:z, :x, :y), 4326) AS wgs84),
tile AS (
    SELECT ST_AsMVTGeom(ST_Transform(p.geom, 3857), bounds.web, {EXTENT}, {BUFFER}, true) AS geom,
           {TILE_COLUMNS}
    FROM parcels p JOIN plans pl ON pl.id = p.plan_id, bounds
    WHERE p.geom && bounds.wgs84
)
SELECT ST_AsMVT(tile.*, '{LAYER}', {EXTENT}, 'geom') FROM tile WHERE tile.geom IS NOT NULL
""")


def check_tile(z: int, x: int, y: int) -> None:
    """Refuse tile coordinates outside the Web Mercator pyramid, in plain words."""
    if not 0 <= z <= MAX_ZOOM:
        raise InvalidInput(message("parcels.zoom_range", limit=MAX_ZOOM, z=z))
    last = 2**z - 1
    if not (0 <= x <= last and 0 <= y <= last):
        raise InvalidInput(message("parcels.tile_range", z=z, last=last))


def tile_query(z: int, x: int, y: int) -> Query:
    """The statement making one MVT tile of the parcels (NULL when no parcel touches it)."""
    check_tile(z, x, y)
    return Query(TILE_SQL, {"z": z, "x": x, "y": y})


def parcel_tile(session: Session, z: int, x: int, y: int) -> bytes:
    """One MVT tile of the parcels (empty bytes when no parcel touches it)."""
    query = tile_query(z, x, y)
    # A parallel plan makes each worker process set up the projection again, which costs more
    # than a tile's work (measured: 66 ms against 32 ms for a dense z14 tile).
    session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    return bytes(fetch_value(session, query) or b"")


LAYER_VERSION_SQL = text("SELECT version FROM layer_versions WHERE layer = 'parcels'")
TILE_FORMAT = 3
"""Bumped whenever TILE_SQL changes what a tile holds, so that old ETags stop matching."""


def layer_version_query() -> Query:
    """The statement giving the parcels layer's version (bumped by every write to it)."""
    return Query(LAYER_VERSION_SQL)


def tile_etag(version: int, z: int, x: int, y: int) -> str:
    """A strong ETag for a tile: the same layer version and tile address give the same bytes."""
    return f'"t{TILE_FORMAT}-{version}-{z}-{x}-{y}"'


class TileCache:
    """Recently made tiles in memory, bounded in bytes, oldest use evicted first.

    Keys carry the layer version, so a write makes every older entry unreachable at once; they
    age out as new tiles come in. Each worker process has its own cache.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._tiles: OrderedDict[tuple[int, int, int, int], bytes] = OrderedDict()

    def get(self, key: tuple[int, int, int, int]) -> bytes | None:
        """The cached tile, marked as just used; None if absent."""
        tile = self._tiles.get(key)
        if tile is not None:
            self._tiles.move_to_end(key)
        return tile

    def put(self, key: tuple[int, int, int, int], tile: bytes) -> None:
        """Keep a tile, evicting the least recently used ones to stay within the bound."""
        if entry_bytes(tile) > self.max_bytes or key in self._tiles:
            return
        self._tiles[key] = tile
        self.size += entry_bytes(tile)
        while self.size > self.max_bytes:
            _, evicted = self._tiles.popitem(last=False)
            self.size -= entry_bytes(evicted)


def entry_bytes(tile: bytes) -> int:
    """What a cached tile costs, counting the key and bookkeeping so empty tiles count too."""
    return len(tile) + 200


def tilejson(session: Session, tiles_url: str) -> dict[str, Any]:
    """The TileJSON 3.0 document describing the parcel tiles.

    Its ``zhengshou:styles`` member is the colours of blocks and stages (geo.parcels.styles), so
    that a client paints the tiles as the map page does.
    """
    row = session.execute(
        text(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
            "(SELECT ST_Extent(geom) AS e FROM parcels) AS x"
        )
    ).one()
    bounds = [-180.0, -85.05, 180.0, 85.05] if row[0] is None else [round(v, 6) for v in row]
    return {
        "tilejson": "3.0.0",
        "name": "zhengshou parcels",
        "tiles": [tiles_url],
        "minzoom": 0,
        "maxzoom": MAX_ZOOM,
        "bounds": bounds,
        "center": [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 13],
        "vector_layers": [{"id": LAYER, "fields": TILE_FIELDS, "minzoom": 0, "maxzoom": MAX_ZOOM}],
        "zhengshou:styles": style_document(session),
    }
