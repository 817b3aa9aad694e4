"""Mapbox Vector Tiles of the parcels, made by PostGIS (ST_AsMVT) from ``parcel_tiles``.

Tiles let the map and other clients draw 100,000+ parcels without loading them all as GeoJSON.
The tile carries the properties the map's popup and colouring need.

A tile is made fast from its first request: the triggers of migration 0012 keep every located
parcel in ``parcel_tiles`` in Web Mercator with the tile properties, in narrow rows in spatial
order, so that a tile transforms no coordinate and reads few pages.

- Detail tiles (zoom 13 and deeper) hold every parcel, with its shape: scaled to tile
  coordinates and snapped to the tile's grid (what ST_AsMVTGeom does, without clipping or
  validating, which costs more than the rest of the tile); only a parcel reaching further than
  a tile's width beyond the tile goes through ST_AsMVTGeom, which clips it.
- Overview tiles (zooms 0-12) draw a parcel as its shape where it is at least 16 pixels across
  (on a 512-pixel tile); smaller ones are counted in cells, 8-pixel squares of a 64 x 64 grid
  per tile, one per plan, kept up to date in ``parcel_cells``. A cell is a square polygon with
  ``parcels`` (how many it stands for), ``plan``, the summed ``declared_area_mu`` and
  ``measured_area_mu``, and the ``block`` and ``stage`` of its largest parcel, which colour it;
  it has no ``id``. So a planner sees where the parcels are at any zoom, and a tile of a
  million parcels stays small.

ETags name the tile's own version (``tile_versions``): a write changes the ETags of the tiles
under its old and new bounding boxes, and no other.
"""

from collections import OrderedDict
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.errors import InvalidInput
from geo.messages import message
from geo.parcels.record import FIELD_BY_NAME, Kind
from geo.parcels.styles import style_document
from geo.query import Query, fetch_row, fetch_value

MAX_ZOOM = 22
EXTENT = 4096
BUFFER = 64
LAYER = "parcels"
OVERVIEW_MAX_ZOOM = 12
"""Zooms up to this one count small parcels in cells (migration 0012 holds the same number)."""
CELLS_PER_TILE = 64
"""Cells along a tile's side at an overview zoom (migration 0012 holds the same number)."""
VERSIONED_MAX_ZOOM = 16
"""The deepest zoom with versions of its own; a deeper tile has its ancestor's."""
# In the order tiles have always carried them: the order is in every tile's bytes (which
# clients cache by ETag, see TILE_FORMAT) and in the TileJSON. Each has a parcel_tiles column
# of its name (a new one needs a migration), except plan: the plan's title, joined.
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
CELL_COUNT = "parcels"
"""The property of a cell saying how many parcels it stands for (absent on a parcel)."""
TILE_FIELDS = {
    **{name: "String" if FIELD_BY_NAME[name].is_text else "Number" for name in TILE_PROPERTIES},
    CELL_COUNT: "Number",
}
"""Property -> its TileJSON type."""


def _parcel_column(name: str) -> str:
    if name == "plan":
        return "pl.title AS plan"
    # Text as text: ST_AsMVT prints other types (varchar) through their output function.
    return f"p.{name}::text AS {name}" if FIELD_BY_NAME[name].is_text else f"p.{name}"


# What a cell says of each property; the others are NULL (absent from the cell's feature).
CELL_VALUES = {
    "plan": "pl.title",
    "block": "c.block",
    "stage": "c.stage::text",
    "declared_area_mu": "c.declared_area_mu",
    "measured_area_mu": "c.measured_area_mu",
}
SQL_TYPES = {Kind.WHOLE: "integer", Kind.NUMBER: "float8"}


def _cell_column(name: str) -> str:
    kind = FIELD_BY_NAME[name].kind
    value = CELL_VALUES.get(name, f"NULL::{SQL_TYPES.get(kind, 'text')}")
    return f"{value} AS {name}"


PARCEL_COLUMNS = ", ".join(_parcel_column(name) for name in TILE_PROPERTIES)
CELL_COLUMNS = ", ".join(_cell_column(name) for name in TILE_PROPERTIES)
ENCODE = (
    f"SELECT ST_AsMVT(tile.*, '{LAYER}', {EXTENT}, 'geom') FROM tile WHERE NOT ST_IsEmpty(geom)"
)

# A parcel within a tile's width of the tile (almost any parcel from zoom 13) is scaled and
# snapped straight to tile coordinates; clients clip what lies outside the tile. A larger one
# goes through ST_AsMVTGeom, which clips it (and validates it).
DETAIL_SQL = text(f"""
WITH bounds AS (
    SELECT web, ST_Expand(web, ST_XMax(web) - ST_XMin(web)) AS near,
           {EXTENT} / (ST_XMax(web) - ST_XMin(web)) AS scale, ST_XMin(web) AS x0, ST_YMax(web) AS y1
    FROM (SELECT ST_TileEnvelope(:z, :x, :y) AS web) t
),
tile AS (
    SELECT CASE WHEN p.geom @ b.near
                THEN ST_SnapToGrid(ST_Affine(p.geom, b.scale, 0, 0, -b.scale,
                                             -b.x0 * b.scale, b.y1 * b.scale), 1)
                ELSE ST_AsMVTGeom(p.geom, b.web, {EXTENT}, {BUFFER}, true) END AS geom,
           {PARCEL_COLUMNS}
    FROM parcel_tiles p JOIN plans pl ON pl.id = p.plan_id, bounds b
    WHERE p.geom && b.web
)
{ENCODE}
""")

# A cell's square, in tile coordinates (y down), wound as MVT wants its exterior rings. The
# zoom is written into the statement (one per overview zoom), so that the planner sees which
# partial index holds this zoom's shapes (migration 0012: the parcels drawn as shapes from
# zoom 10, 11 or 12; the lower the zoom, the fewer).
CELL = EXTENT // CELLS_PER_TILE
OVERVIEW_SQL = f"""
WITH tile AS (
    SELECT ST_Reverse(ST_MakeEnvelope(l.x * {CELL}, l.y * {CELL}, (l.x + 1) * {CELL},
                                      (l.y + 1) * {CELL})) AS geom,
           {CELL_COLUMNS}, c.parcels AS {CELL_COUNT}
    FROM parcel_cells c JOIN plans pl ON pl.id = c.plan_id,
         LATERAL (SELECT c.cell_x - :x * {CELLS_PER_TILE} AS x,
                         c.cell_y - :y * {CELLS_PER_TILE} AS y) l
    WHERE c.zoom = {{zoom}}
      AND c.cell_x BETWEEN :x * {CELLS_PER_TILE} AND :x * {CELLS_PER_TILE} + {CELLS_PER_TILE - 1}
      AND c.cell_y BETWEEN :y * {CELLS_PER_TILE} AND :y * {CELLS_PER_TILE} + {CELLS_PER_TILE - 1}
    UNION ALL
    SELECT ST_AsMVTGeom(p.geom, b.web, {EXTENT}, {BUFFER}, true), {PARCEL_COLUMNS}, NULL
    FROM parcel_tiles p JOIN plans pl ON pl.id = p.plan_id,
         (SELECT ST_TileEnvelope({{zoom}}, :x, :y) AS web) b
    WHERE p.geom && b.web AND p.cell_zoom < {{zoom}}
)
{ENCODE}
"""
OVERVIEW_SQL_AT = {
    zoom: text(OVERVIEW_SQL.format(zoom=zoom)) for zoom in range(OVERVIEW_MAX_ZOOM + 1)
}


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
    if z <= OVERVIEW_MAX_ZOOM:
        return Query(OVERVIEW_SQL_AT[z], {"x": x, "y": y})
    # The read pool plans it for this tile (geo.aio.CUSTOM_PLAN_SETTINGS): a plan made for any
    # tile guesses a few rows and reads the dense tiles' rows one by one.
    return Query(DETAIL_SQL, {"z": z, "x": x, "y": y})


def parcel_tile(session: Session, z: int, x: int, y: int) -> bytes:
    """One MVT tile of the parcels (empty bytes when no parcel touches it)."""
    query = tile_query(z, x, y)
    # A parallel plan makes each worker process set up the projection again, which costs more
    # than a tile's work (measured: 66 ms against 32 ms for a dense z14 tile).
    session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    return bytes(fetch_value(session, query) or b"")


TILE_VERSION_SQL = text("""
SELECT (SELECT version FROM tile_versions WHERE zoom = -1),
       coalesce((SELECT version FROM tile_versions WHERE zoom = :z AND x = :x AND y = :y), 0)
""")
TILE_FORMAT = 4
"""Bumped whenever what a tile holds changes for the same data, so that old ETags stop matching
(3: stage; 4: overview cells, snapped detail shapes, per-tile versions)."""


def tile_version_query(z: int, x: int, y: int) -> Query:
    """The statement giving a tile's versions: (every tile's, its own; 0 if never touched).

    A tile deeper than VERSIONED_MAX_ZOOM has its ancestor's at that zoom, whose area holds it.
    """
    check_tile(z, x, y)
    shift = max(0, z - VERSIONED_MAX_ZOOM)
    return Query(TILE_VERSION_SQL, {"z": z - shift, "x": x >> shift, "y": y >> shift})


def tile_versions(session: Session, z: int, x: int, y: int) -> tuple[int, int]:
    """A tile's versions, as ``tile_version_query`` gives them."""
    every, own = fetch_row(session, tile_version_query(z, x, y))
    return every, own


def tile_etag(versions: tuple[int, int], z: int, x: int, y: int) -> str:
    """A strong ETag for a tile: the same versions and tile address give the same bytes."""
    every, own = versions
    return f'"t{TILE_FORMAT}-{every}-{own}-{z}-{x}-{y}"'


class TileCache:
    """Recently made tiles in memory, bounded in bytes, oldest use evicted first.

    Keys carry the tile's versions, so a write makes the entries of the tiles it touched
    unreachable, and only those; they age out as new tiles come in. Each worker process has its
    own cache.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._tiles: OrderedDict[tuple[int, ...], bytes] = OrderedDict()

    def get(self, key: tuple[int, ...]) -> bytes | None:
        """The cached tile, marked as just used; None if absent."""
        tile = self._tiles.get(key)
        if tile is not None:
            self._tiles.move_to_end(key)
        return tile

    def put(self, key: tuple[int, ...], tile: bytes) -> None:
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
