"""Vector tiles made fast from the first request, and invalidated tile by tile.

Three tables derived from ``parcels``, kept up to date by triggers in the writing transaction (so
every writer is covered: the API, the CLI, a bulk COPY, psql by hand). Nothing else writes them.

- ``parcel_tiles``: each located parcel as tiles draw it: its shape in Web Mercator (EPSG:3857),
  exterior rings clockwise so that a tile's y-flip leaves them as MVT wants, and the properties a
  tile carries. Narrow rows kept in spatial order: a dense tile reads a few pages instead of one
  wide ``parcels`` row per parcel, and no tile transforms a coordinate.
  ``cell_zoom`` is the highest overview zoom (0-12) at which the parcel is under
  SHAPE_MIN_PIXELS pixels across on a 512-pixel tile: up to that zoom it is counted in a cell,
  beyond it drawn as its shape. ``cell_x``/``cell_y`` is the zoom-12 cell of its bounding box's
  centre (a cell at zoom z is that >> (12 - z)).
- ``parcel_cells``: per overview zoom, grid cell (CELLS_PER_TILE x CELLS_PER_TILE per tile, so 8
  pixels on a 512-pixel tile) and plan: how many small parcels the cell stands for, their areas'
  sums, and the block and stage of its largest parcel (by measured area, then id), which colour
  it. Everything is decomposable, so a cell is recomputed from its four children at the next
  zoom plus the parcels counted at its own zoom: a write recomputes only the cells it touches.
- ``tile_versions``: for each tile up to VERSIONED_MAX_ZOOM (deeper tiles use their ancestor
  there), a number the last write touching it drew from ``layer_version_seq`` (never drawn
  twice); the row at zoom -1 is that of the last write touching every tile (a large load, a plan
  renamed). A tile's ETag names both, so a write changes the ETags of the tiles under its old and
  new bounding boxes only.

A statement writing BULK_ROWS parcels or more rebuilds the cells and bumps every tile instead of
working cell by cell and tile by tile; one that at least doubles ``parcel_tiles`` builds its
spatial indexes once at the end (readers wait for that transaction, as for the bulk import).
The functions run without JIT: the planner's row guesses for their small sets (unnest,
generate_series) are large enough to compile a statement of a millisecond for a second.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Web Mercator: half the world's width in metres, and the world's width.
HALF = 20037508.342789244
WORLD = 2 * HALF
OVERVIEW_MAX_ZOOM = 12  # geo.parcels.tiles.OVERVIEW_MAX_ZOOM
CELLS_PER_TILE = 64  # geo.parcels.tiles.CELLS_PER_TILE
SHAPE_MIN_PIXELS = 16
VERSIONED_MAX_ZOOM = 16  # geo.parcels.tiles.VERSIONED_MAX_ZOOM
BULK_ROWS = 10000
CELL_M = WORLD / 2**OVERVIEW_MAX_ZOOM / CELLS_PER_TILE  # a zoom-12 cell, in metres
# A parcel is counted in a cell at zoom z when its larger side is under SHAPE_M / 2^z metres:
# SHAPE_MIN_PIXELS pixels of a 512-pixel tile.
SHAPE_M = SHAPE_MIN_PIXELS * WORLD / 512

COLUMNS = (
    "id, plan_id, seq, block, name, declared_area_mu, measured_area_mu, interest_type, "
    "implementing_unit, geometry_source, stage, geom, cell_zoom, cell_x, cell_y"
)
# Parcel rows r (of parcels, or of a trigger's transition table) as parcel_tiles holds them. The
# properties are the values served Features show (geo.parcels.record: measured mu to 0.01).
ROW_SQL = f"""
SELECT * FROM (
    SELECT r.id, r.plan_id, r.seq, r.block, r.name, r.declared_area_mu::float8,
           round((r.measured_area_m2 / 666.6666666666666)::numeric, 2)::float8,
           r.interest_type, r.implementing_unit, r.geometry_source, r.stage, s.shape,
           CASE WHEN s.side <= 0 THEN {OVERVIEW_MAX_ZOOM} ELSE least({OVERVIEW_MAX_ZOOM},
               greatest(-1, ceil(ln({SHAPE_M!r} / s.side) / ln(2))::int - 1)) END AS cell_zoom,
           least(greatest(floor((s.cx + {HALF!r}) / {CELL_M!r}), 0), {2**18 - 1}) AS cell_x,
           least(greatest(floor(({HALF!r} - s.cy) / {CELL_M!r}), 0), {2**18 - 1}) AS cell_y
    FROM {{source}} r
    CROSS JOIN LATERAL (
        SELECT shape, (ST_XMin(shape) + ST_XMax(shape)) / 2 AS cx,
               (ST_YMin(shape) + ST_YMax(shape)) / 2 AS cy,
               greatest(ST_XMax(shape) - ST_XMin(shape), ST_YMax(shape) - ST_YMin(shape)) AS side
        FROM (SELECT ST_ForcePolygonCW(ST_Transform(r.geom, 3857)) AS shape OFFSET 0) t
    ) s
    WHERE r.geom IS NOT NULL {{condition}}
) q
ORDER BY q.cell_y::int >> 4, q.cell_x::int >> 4, q.cell_y::int >> 2, q.cell_x::int >> 2,
         q.cell_y, q.cell_x"""
# Rows in nested squares of 16 x 16 zoom-12 cells (a z14 tile), then 4 x 4 (a z16 tile), then
# one: a tile reads few pages.

INDEXES = {
    "idx_parcel_tiles_geom": "USING gist (geom)",
    # The parcels drawn as shapes at overview zooms (at zoom z: cell_zoom < z): few, and
    # fewer the lower the zoom, found without the small ones.
    **{
        f"ix_parcel_tiles_shapes_{zoom}": f"USING gist (geom) WHERE cell_zoom < {zoom}"
        for zoom in (10, 11, 12)
    },
    "ix_parcel_tiles_cells": f"(cell_zoom, cell_x, cell_y) WHERE cell_zoom < {OVERVIEW_MAX_ZOOM}",
}
CREATE_INDEXES = "; ".join(
    f"CREATE INDEX {name} ON parcel_tiles {how}" for name, how in INDEXES.items()
)


# The members of one zoom's cells: the cells of the next zoom (children, two by two) and the
# parcels counted from this zoom on. {children} and {direct} narrow them.
CELL_INSERT = f"""
INSERT INTO parcel_cells (zoom, cell_x, cell_y, plan_id, parcels, declared_area_mu,
                          measured_area_mu, block, stage, largest_id, largest_mu)
SELECT DISTINCT ON (m.cell_x, m.cell_y, m.plan_id) level, m.cell_x, m.cell_y, m.plan_id,
       sum(m.parcels) OVER w, sum(m.declared_area_mu) OVER w, sum(m.measured_area_mu) OVER w,
       m.block, m.stage, m.largest_id, m.largest_mu
FROM (
    SELECT c.cell_x >> 1 AS cell_x, c.cell_y >> 1 AS cell_y, c.plan_id, c.parcels,
           c.declared_area_mu, c.measured_area_mu, c.block, c.stage, c.largest_id, c.largest_mu
    FROM parcel_cells c {{children}}
    WHERE c.zoom = level + 1
    UNION ALL
    SELECT p.cell_x >> ({OVERVIEW_MAX_ZOOM} - level), p.cell_y >> ({OVERVIEW_MAX_ZOOM} - level),
           p.plan_id, 1, p.declared_area_mu, p.measured_area_mu, p.block, p.stage, p.id,
           p.measured_area_mu
    FROM parcel_tiles p {{direct}}
) m
WINDOW w AS (PARTITION BY m.cell_x, m.cell_y, m.plan_id)
ORDER BY m.cell_x, m.cell_y, m.plan_id, m.largest_mu DESC, m.largest_id"""
TOUCHED = "JOIN unnest(tx, ty) t(x, y) ON "
CELL_BOX = (
    f"ST_MakeEnvelope(t.x * {CELL_M!r} - {HALF!r}, {HALF!r} - (t.y + 1) * {CELL_M!r}, "
    f"(t.x + 1) * {CELL_M!r} - {HALF!r}, {HALF!r} - t.y * {CELL_M!r}, 3857)"
)
# Statements for zoom 12 (whose parcels are found by their shapes, which hold their centres)
# and for coarser zooms (whose parcels, larger ones, by the partial index); all cells or the
# touched ones (tx, ty).
ALL_TOP = CELL_INSERT.format(children="", direct=f"WHERE p.cell_zoom = {OVERVIEW_MAX_ZOOM}")
ALL_LOWER = CELL_INSERT.format(
    children="", direct=f"WHERE p.cell_zoom = level AND p.cell_zoom < {OVERVIEW_MAX_ZOOM}"
)
TOUCHED_TOP = CELL_INSERT.format(
    children="",
    direct=f"{TOUCHED}p.geom && {CELL_BOX} AND p.cell_x = t.x AND p.cell_y = t.y "
    f"WHERE p.cell_zoom = {OVERVIEW_MAX_ZOOM}",
)
TOUCHED_LOWER = CELL_INSERT.format(
    children=f"{TOUCHED}c.cell_x BETWEEN 2 * t.x AND 2 * t.x + 1 "
    "AND c.cell_y BETWEEN 2 * t.y AND 2 * t.y + 1",
    direct=f"{TOUCHED}p.cell_x BETWEEN t.x << ({OVERVIEW_MAX_ZOOM} - level) "
    f"AND ((t.x + 1) << ({OVERVIEW_MAX_ZOOM} - level)) - 1 "
    f"AND p.cell_y BETWEEN t.y << ({OVERVIEW_MAX_ZOOM} - level) "
    f"AND ((t.y + 1) << ({OVERVIEW_MAX_ZOOM} - level)) - 1 "
    f"WHERE p.cell_zoom = level AND p.cell_zoom < {OVERVIEW_MAX_ZOOM}",
)

REFRESH_CELLS = f"""
CREATE FUNCTION refresh_parcel_cells(seed_zoom int[], seed_x int[], seed_y int[])
RETURNS void LANGUAGE plpgsql SET jit = off AS $$
-- Recompute the cells holding the seeds (a parcel's cell_zoom and zoom-12 cell, before and
-- after a write) and their ancestors; every cell when seed_zoom is NULL.
DECLARE
    level int;
    tx int[];
    ty int[];
BEGIN
    IF seed_zoom IS NULL THEN
        DELETE FROM parcel_cells;
    END IF;
    FOR level IN REVERSE {OVERVIEW_MAX_ZOOM}..0 LOOP
        IF seed_zoom IS NULL AND level = {OVERVIEW_MAX_ZOOM} THEN
            {ALL_TOP};
        ELSIF seed_zoom IS NULL THEN
            {ALL_LOWER};
        ELSE
            SELECT array_agg(x), array_agg(y) INTO tx, ty FROM (
                SELECT DISTINCT x, y FROM (
                    SELECT t.x >> 1 AS x, t.y >> 1 AS y FROM unnest(tx, ty) t(x, y)
                    UNION ALL
                    SELECT s.x >> ({OVERVIEW_MAX_ZOOM} - level), s.y >> ({OVERVIEW_MAX_ZOOM} - level)
                    FROM unnest(seed_zoom, seed_x, seed_y) s(z, x, y) WHERE s.z = level
                ) u
            ) d;
            CONTINUE WHEN tx IS NULL;
            DELETE FROM parcel_cells c USING unnest(tx, ty) t(x, y)
            WHERE c.zoom = level AND c.cell_x = t.x AND c.cell_y = t.y;
            IF level = {OVERVIEW_MAX_ZOOM} THEN
                {TOUCHED_TOP};
            ELSE
                {TOUCHED_LOWER};
            END IF;
        END IF;
    END LOOP;
END $$"""

# Every tile changed (a large load, a plan renamed): every ETag changes at once.
TOUCH_EVERY_TILE = """
CREATE FUNCTION touch_every_parcel_tile() RETURNS void LANGUAGE sql SET jit = off AS $$
    DELETE FROM tile_versions WHERE zoom >= 0;
    UPDATE tile_versions SET version = nextval('layer_version_seq') WHERE zoom = -1;
$$"""

# The tiles under these bounding boxes (EPSG:3857) changed, at every zoom to 16. A box touching
# a tile's edge is in that tile (tiles select with &&), hence the millimetre.
TOUCH_TILES = f"""
CREATE FUNCTION touch_parcel_tiles(x0 float8[], y0 float8[], x1 float8[], y1 float8[])
RETURNS void LANGUAGE sql SET jit = off AS $$
    INSERT INTO tile_versions (zoom, x, y, version)
    SELECT DISTINCT z, tx, ty, v.version
    FROM (SELECT nextval('layer_version_seq') AS version) v,
         unnest(x0, y0, x1, y1) b(x0, y0, x1, y1),
         generate_series(0, {VERSIONED_MAX_ZOOM}) z,
         LATERAL (SELECT {WORLD!r} / (1 << z) AS size, (1 << z) - 1 AS last) s,
         generate_series(greatest(0, floor((b.x0 + {HALF!r} - 0.001) / s.size)::int),
                         least(s.last, floor((b.x1 + {HALF!r} + 0.001) / s.size)::int)) tx,
         generate_series(greatest(0, floor(({HALF!r} - b.y1 - 0.001) / s.size)::int),
                         least(s.last, floor(({HALF!r} - b.y0 + 0.001) / s.size)::int)) ty
    ON CONFLICT (zoom, x, y) DO UPDATE SET version = excluded.version;
$$"""

# Whether a parcel's old row o and new row n differ in what tiles show.
SAME = (
    "(n.plan_id, n.seq, n.block, n.name, n.declared_area_mu, n.measured_area_m2, "
    "n.interest_type, n.implementing_unit, n.geometry_source, n.stage, n.geom::bytea) "
    "IS NOT DISTINCT FROM (o.plan_id, o.seq, o.block, o.name, o.declared_area_mu, "
    "o.measured_area_m2, o.interest_type, o.implementing_unit, o.geometry_source, o.stage, "
    "o.geom::bytea)"
)
# The rows leaving parcel_tiles and the ones entering it, with what the cells and the tile
# versions need of them (nothing for a large statement, which refreshes everything).
GONE = f"""
WITH gone AS (DELETE FROM parcel_tiles p USING old_rows o WHERE p.id = o.id {{condition}}
              RETURNING p.cell_zoom, p.cell_x, p.cell_y, p.geom)
SELECT array_agg(cell_zoom), array_agg(cell_x), array_agg(cell_y), array_agg(ST_XMin(geom)),
       array_agg(ST_YMin(geom)), array_agg(ST_XMax(geom)), array_agg(ST_YMax(geom))
INTO oz, ox, oy, ox0, oy0, ox1, oy1 FROM gone WHERE changed < {BULK_ROWS}"""
CAME = f"""
WITH came AS (INSERT INTO parcel_tiles ({COLUMNS}) {ROW_SQL}
              RETURNING cell_zoom, cell_x, cell_y, geom)
SELECT array_agg(cell_zoom), array_agg(cell_x), array_agg(cell_y), array_agg(ST_XMin(geom)),
       array_agg(ST_YMin(geom)), array_agg(ST_XMax(geom)), array_agg(ST_YMax(geom))
INTO nz, nx, ny, nx0, ny0, nx1, ny1 FROM came WHERE changed < {BULK_ROWS}"""

SYNC = f"""
CREATE FUNCTION sync_parcel_tiles() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    changed bigint := 0;
    doubling boolean := false;
    old_ids text[];
    new_ids text[];
    oz int[] := '{{}}'; ox int[] := '{{}}'; oy int[] := '{{}}';
    ox0 float8[] := '{{}}'; oy0 float8[] := '{{}}'; ox1 float8[] := '{{}}'; oy1 float8[] := '{{}}';
    nz int[] := '{{}}'; nx int[] := '{{}}'; ny int[] := '{{}}';
    nx0 float8[] := '{{}}'; ny0 float8[] := '{{}}'; nx1 float8[] := '{{}}'; ny1 float8[] := '{{}}';
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE parcel_tiles, parcel_cells;
        PERFORM touch_every_parcel_tile();
        RETURN NULL;
    ELSIF TG_OP = 'UPDATE' THEN
        -- Only the rows whose tiles look different (a stage date alone changes no tile).
        SELECT array_agg(o.id) INTO old_ids FROM old_rows o
        WHERE o.geom IS NOT NULL AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id AND {SAME});
        SELECT array_agg(n.id) INTO new_ids FROM new_rows n
        WHERE n.geom IS NOT NULL AND NOT EXISTS (SELECT 1 FROM old_rows o WHERE o.id = n.id AND {SAME});
        changed := coalesce(cardinality(old_ids), 0) + coalesce(cardinality(new_ids), 0);
    ELSIF TG_OP = 'INSERT' THEN
        SELECT count(*) INTO changed FROM new_rows WHERE geom IS NOT NULL;
    ELSE
        SELECT count(*) INTO changed FROM old_rows WHERE geom IS NOT NULL;
    END IF;
    IF changed = 0 THEN
        RETURN NULL;
    END IF;

    IF TG_OP = 'DELETE' THEN
        {GONE.format(condition="")};
    ELSIF TG_OP = 'UPDATE' AND old_ids IS NOT NULL THEN
        {GONE.format(condition="AND p.id = ANY (old_ids)")};
    END IF;
    IF TG_OP = 'INSERT' THEN
        -- A load that at least doubles the table builds the spatial indexes once, at the end.
        IF changed >= {BULK_ROWS} THEN
            SELECT count(*) <= changed INTO doubling
            FROM (SELECT 1 FROM parcel_tiles LIMIT changed + 1) s;
        END IF;
        IF doubling THEN
            DROP INDEX {", ".join(INDEXES)};
        END IF;
        {CAME.format(source="new_rows", condition="")};
        IF doubling THEN
            {CREATE_INDEXES};
        END IF;
    ELSIF TG_OP = 'UPDATE' AND new_ids IS NOT NULL THEN
        {CAME.format(source="new_rows", condition="AND r.id = ANY (new_ids)")};
    END IF;

    IF changed >= {BULK_ROWS} THEN
        PERFORM refresh_parcel_cells(NULL, NULL, NULL);
        PERFORM touch_every_parcel_tile();
    ELSE
        PERFORM refresh_parcel_cells(oz || nz, ox || nx, oy || ny);
        PERFORM touch_parcel_tiles(ox0 || nx0, oy0 || ny0, ox1 || nx1, oy1 || ny1);
    END IF;
    RETURN NULL;
END $$"""

# A renamed plan renames its parcels in every tile (the tiles carry its title).
PLAN_RENAMED = """
CREATE FUNCTION plan_renamed_in_tiles() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
               WHERE n.title IS DISTINCT FROM o.title) THEN
        PERFORM touch_every_parcel_tile();
    END IF;
    RETURN NULL;
END $$"""

TRIGGERS = {
    # After parcels_layer_version (triggers fire in name order), whose update of the one
    # layer_versions row serialises the writers of parcels: a writer's cell refresh starts once
    # the previous writer has committed, so it counts that writer's change and never inserts a
    # cell the other has just written (tests/parcels/test_tiles.py races two writers).
    "parcels_tiles_insert": "AFTER INSERT ON parcels REFERENCING NEW TABLE AS new_rows",
    "parcels_tiles_update": (
        "AFTER UPDATE ON parcels REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    ),
    "parcels_tiles_delete": "AFTER DELETE ON parcels REFERENCING OLD TABLE AS old_rows",
    "parcels_tiles_truncate": "AFTER TRUNCATE ON parcels",
}


def upgrade() -> None:
    op.execute("""
        CREATE TABLE parcel_tiles (
            id varchar(64) PRIMARY KEY,
            plan_id integer NOT NULL,
            seq integer NOT NULL,
            block text,
            name text NOT NULL,
            declared_area_mu double precision,
            measured_area_mu double precision,
            interest_type text,
            implementing_unit text,
            geometry_source varchar(16) NOT NULL,
            stage varchar(16) NOT NULL,
            geom geometry(MultiPolygon, 3857) NOT NULL,
            cell_zoom smallint NOT NULL,
            cell_x integer NOT NULL,
            cell_y integer NOT NULL
        )""")
    op.execute("""
        CREATE TABLE parcel_cells (
            zoom smallint NOT NULL,
            cell_x integer NOT NULL,
            cell_y integer NOT NULL,
            plan_id integer NOT NULL,
            parcels integer NOT NULL,
            declared_area_mu double precision,
            measured_area_mu double precision,
            block text,
            stage varchar(16) NOT NULL,
            largest_id varchar(64) NOT NULL,
            largest_mu double precision,
            PRIMARY KEY (zoom, cell_x, cell_y, plan_id)
        )""")
    op.execute("""
        CREATE TABLE tile_versions (
            zoom smallint NOT NULL,
            x integer NOT NULL,
            y integer NOT NULL,
            version bigint NOT NULL,
            PRIMARY KEY (zoom, x, y)
        )""")
    op.execute(
        f"INSERT INTO parcel_tiles ({COLUMNS}) {ROW_SQL.format(source='parcels', condition='')}"
    )
    op.execute(CREATE_INDEXES)
    op.execute("ANALYZE parcel_tiles")
    for function in (REFRESH_CELLS, TOUCH_EVERY_TILE, TOUCH_TILES, SYNC, PLAN_RENAMED):
        op.execute(function)
    op.execute("SELECT refresh_parcel_cells(NULL, NULL, NULL)")
    op.execute("INSERT INTO tile_versions VALUES (-1, 0, 0, nextval('layer_version_seq'))")
    for name, event in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} {event} FOR EACH STATEMENT EXECUTE FUNCTION sync_parcel_tiles()"
        )
    op.execute(
        "CREATE TRIGGER plans_tiles_title AFTER UPDATE ON plans REFERENCING OLD TABLE AS old_rows "
        "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION plan_renamed_in_tiles()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER plans_tiles_title ON plans")
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON parcels")
    for function in (
        "plan_renamed_in_tiles()",
        "sync_parcel_tiles()",
        "touch_parcel_tiles(float8[], float8[], float8[], float8[])",
        "touch_every_parcel_tile()",
        "refresh_parcel_cells(int[], int[], int[])",
    ):
        op.execute(f"DROP FUNCTION {function}")
    op.execute("DROP TABLE tile_versions, parcel_cells, parcel_tiles")
