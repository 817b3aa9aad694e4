"""The tile tables follow every write: parcel_tiles mirrors the parcels, the overview cells count
the small ones (checked against the rule computed here with pyproj), and a write touches the
versions of the tiles under its old and new shapes only."""

import math
import threading

import mapbox_vector_tile
import pytest
import shapely
import shapely.geometry
from pyproj import Transformer
from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.parcels.record import FIELD_BY_NAME
from geo.parcels.tiles import (
    CELL_COUNT,
    CELLS_PER_TILE,
    EXTENT,
    OVERVIEW_MAX_ZOOM,
    VERSIONED_MAX_ZOOM,
    parcel_tile,
    tile_versions,
)
from tests.support.zones import ZONE_40, PlaneAt, load, record

WORLD = 2 * 20037508.342789244
SHAPE_MIN_PIXELS = 16  # on a 512-pixel tile, as the module docstring says
TO_MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
HERE = PlaneAt(120.70, 30.70, ZONE_40)  # south-west of the shipped plan's parcels
SERVED = (
    ", ".join(
        f"{FIELD_BY_NAME[name].served_sql} AS {name}"
        for name in ("block", "declared_area_mu", "measured_area_mu")
    )
    + ", p.stage"
)


def add_test_parcels(session) -> None:
    """Small parcels sharing cells, one 500 m wide, one 2 km wide, one far away."""
    shapes = [HERE.rectangle(20 * i, 15 * (i % 3), 18, 12) for i in range(6)]
    shapes += [HERE.rectangle(1000, 0, 500, 300), HERE.rectangle(3000, 0, 2000, 1500)]
    shapes.append(HERE.rectangle(60000, 40000, 30, 30))
    blocks = ["甲", "乙", "乙", "丙", "甲", "乙", "丁", "戊", "己"]
    load(session, *(record(i + 1, s, block=blocks[i]) for i, s in enumerate(shapes)))


def mercator(west: float, south: float, east: float, north: float):
    """A WGS84 bounding box in EPSG:3857, by pyproj (Mercator keeps boxes boxes)."""
    x0, y0 = TO_MERCATOR.transform(west, south)
    x1, y1 = TO_MERCATOR.transform(east, north)
    return x0, y0, x1, y1


BOX = "ST_XMin(p.geom) AS west, ST_YMin(p.geom) AS south, ST_XMax(p.geom) AS east, ST_YMax(p.geom) AS north"


def mercator_box(session, parcel_id: str) -> tuple[float, float, float, float]:
    row = session.execute(text(f"SELECT {BOX} FROM parcels p WHERE id = :id"), {"id": parcel_id})
    return mercator(*row.one())


def expected_cells(session, zoom: int) -> dict:
    """(cell, plan) -> (parcels, declared sum, block of the largest) by the documented rule."""
    rows = session.execute(
        text(f"SELECT p.id, p.plan_id, {SERVED}, {BOX} FROM parcels p WHERE p.geom IS NOT NULL")
    ).all()
    cell_m = WORLD / 2**zoom / CELLS_PER_TILE
    pixel_m = WORLD / 2**zoom / 512
    cells: dict = {}
    for row in rows:
        x0, y0, x1, y1 = mercator(row.west, row.south, row.east, row.north)
        if max(x1 - x0, y1 - y0) >= SHAPE_MIN_PIXELS * pixel_m:
            continue  # drawn as its shape at this zoom
        cx = math.floor(((x0 + x1) / 2 + WORLD / 2) / cell_m)
        cy = math.floor((WORLD / 2 - (y0 + y1) / 2) / cell_m)
        cell = cells.setdefault((cx, cy, row.plan_id), [0, 0.0, []])
        cell[0] += 1
        cell[1] += float(row.declared_area_mu or 0)
        cell[2].append((-float(row.measured_area_mu), row.id, row.block))
    return {key: (n, round(d, 2), min(parcels)[2]) for key, (n, d, parcels) in cells.items()}


def stored_cells(session, zoom: int) -> dict:
    rows = session.execute(
        text(
            "SELECT cell_x, cell_y, plan_id, parcels, declared_area_mu, block "
            "FROM parcel_cells WHERE zoom = :z"
        ),
        {"z": zoom},
    ).all()
    return {(r[0], r[1], r[2]): (r[3], round(r[4] or 0, 2), r[5]) for r in rows}


def all_versions(session) -> dict:
    return dict(
        session.execute(text("SELECT (zoom, x, y)::text, version FROM tile_versions")).all()
    )


def tiles_over(box: tuple[float, float, float, float], zoom: int) -> set[tuple[int, int]]:
    size = WORLD / 2**zoom
    x0, y0, x1, y1 = box
    xs = range(math.floor((x0 + WORLD / 2) / size), math.floor((x1 + WORLD / 2) / size) + 1)
    ys = range(math.floor((WORLD / 2 - y1) / size), math.floor((WORLD / 2 - y0) / size) + 1)
    return {(x, y) for x in xs for y in ys}


def test_parcel_tiles_mirror_every_write(session):
    add_test_parcels(session)
    session.execute(text("UPDATE parcels SET block = '改' WHERE id = 'Z-01'"))
    session.execute(text("DELETE FROM parcels WHERE id = 'Z-02'"))
    session.execute(
        text("UPDATE parcels SET geom = NULL, geometry_source = 'none' WHERE id = 'Z-03'")
    )
    located = session.execute(
        text(f"SELECT p.id, p.seq, {SERVED} FROM parcels p WHERE p.geom IS NOT NULL ORDER BY id")
    ).all()
    mirrored = session.execute(
        text(
            "SELECT id, seq, block, declared_area_mu, measured_area_mu, stage FROM parcel_tiles "
            "ORDER BY id"
        )
    ).all()
    assert [(r[0], r[1], r[2], float(r[3] or 0), float(r[4]), r[5]) for r in located] == [
        (r[0], r[1], r[2], r[3] or 0, r[4], r[5]) for r in mirrored
    ]
    # The same shapes, in Web Mercator, exterior rings clockwise.
    assert not session.execute(
        text(
            "SELECT t.id FROM parcel_tiles t JOIN parcels p USING (id) "
            "WHERE NOT ST_Equals(t.geom, ST_Transform(p.geom, 3857)) OR NOT ST_IsPolygonCW(t.geom)"
        )
    ).all()


@pytest.mark.parametrize("zoom", [8, 11, 12])
def test_cells_count_the_parcels_under_sixteen_pixels(session, zoom):
    add_test_parcels(session)
    expected = expected_cells(session, zoom)
    assert stored_cells(session, zoom) == expected
    assert sum(n for n, _, _ in expected.values()) > 0


def test_cells_after_writes_are_those_of_a_full_rebuild(session):
    add_test_parcels(session)
    session.execute(text("UPDATE parcels SET block = '改' WHERE id = 'Z-05'"))
    moved = HERE.rectangle(1500, 900, 40, 40).wkt
    session.execute(
        text("UPDATE parcels SET geom = ST_Multi(ST_GeomFromText(:g, 4326)) WHERE id = 'Z-04'"),
        {"g": moved},
    )
    session.execute(text("DELETE FROM parcels WHERE id IN ('Z-06', 'Z-07')"))
    cells = session.execute(text("SELECT * FROM parcel_cells ORDER BY 1, 2, 3, 4")).all()
    session.execute(text("SELECT refresh_parcel_cells(NULL, NULL, NULL)"))
    assert session.execute(text("SELECT * FROM parcel_cells ORDER BY 1, 2, 3, 4")).all() == cells
    for zoom in range(OVERVIEW_MAX_ZOOM + 1):
        assert stored_cells(session, zoom) == expected_cells(session, zoom)


def test_a_write_touches_the_tiles_under_its_old_and_new_shapes_only(session):
    add_test_parcels(session)
    old_box = mercator_box(session, "Z-01")
    far_box = mercator_box(session, "Z-09")
    before = all_versions(session)
    moved = HERE.rectangle(30000, 20000, 18, 12).wkt
    session.execute(
        text("UPDATE parcels SET geom = ST_Multi(ST_GeomFromText(:g, 4326)) WHERE id = 'Z-01'"),
        {"g": moved},
    )
    new_box = mercator_box(session, "Z-01")
    after = all_versions(session)
    changed = {key for key in after if after[key] != before.get(key)}
    expected = {
        f"({zoom},{x},{y})"
        for zoom in range(VERSIONED_MAX_ZOOM + 1)
        for box in (old_box, new_box)
        for x, y in tiles_over(box, zoom)
    }
    assert changed == expected
    far = tiles_over(far_box, 14) - tiles_over(old_box, 14) - tiles_over(new_box, 14)
    assert far and all(f"(14,{x},{y})" not in changed for x, y in far)
    assert before["(-1,0,0)"] == after["(-1,0,0)"]


def test_tile_versions_change_with_the_tiles_they_name(session):
    add_test_parcels(session)
    z, (x, y) = 14, next(iter(tiles_over(mercator_box(session, "Z-01"), 14)))
    far = next(iter(tiles_over(mercator_box(session, "Z-09"), 14)))
    first, far_first = tile_versions(session, z, x, y), tile_versions(session, 14, *far)
    # A date alone changes no tile.
    session.execute(text("UPDATE parcels SET stage_date = '2026-01-02' WHERE id = 'Z-01'"))
    assert tile_versions(session, z, x, y) == first
    session.execute(text("UPDATE parcels SET block = '又改' WHERE id = 'Z-01'"))
    second = tile_versions(session, z, x, y)
    assert second != first and tile_versions(session, 14, *far) == far_first
    # Deeper tiles have their zoom-16 ancestor's versions.
    deep = (18, x * 16 + 3, y * 16 + 5)
    assert tile_versions(session, *deep) == tile_versions(session, 16, x * 4, y * 4 + 1)
    # A renamed plan is in every tile.
    session.execute(text("UPDATE plans SET title = title || '（更正）' WHERE code = 'Z'"))
    assert tile_versions(session, 14, *far)[0] != far_first[0]


def decoded(session, z: int, x: int, y: int) -> list[dict]:
    tile = parcel_tile(session, z, x, y)
    options = {"y_coord_down": True}
    return mapbox_vector_tile.decode(tile, default_options=options)["parcels"]["features"]


def exterior_areas(geometry: dict) -> list[float]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [
        sum(r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1] for i in range(len(r) - 1)) / 2
        for r in (polygon[0] for polygon in polygons)
    ]


def test_detail_tiles_hold_every_parcel_as_st_asmvtgeom_draws_it(session):
    add_test_parcels(session)
    z = 15
    # What the tile shows (its buffer included) is what ST_AsMVTGeom keeps: the tile may leave
    # clipping to the client.
    shown = shapely.box(-64, -64, EXTENT + 64, EXTENT + 64)
    for x, y in tiles_over(mercator_box(session, "Z-08"), z) | tiles_over(
        mercator_box(session, "Z-01"), z
    ):
        reference = session.execute(
            text(
                "SELECT t.id, ST_Area(ST_AsMVTGeom(t.geom, ST_TileEnvelope(:z, :x, :y), 4096, 64, "
                "true)) FROM parcel_tiles t WHERE t.geom && ST_TileEnvelope(:z, :x, :y)"
            ),
            {"z": z, "x": x, "y": y},
        ).all()
        features = {f["properties"]["id"]: f for f in decoded(session, z, x, y)}
        assert set(features) == {parcel_id for parcel_id, _ in reference}
        for parcel_id, area in reference:
            geometry = features[parcel_id]["geometry"]
            assert all(a > 0 for a in exterior_areas(geometry))  # exterior rings as MVT winds them
            drawn = shapely.geometry.shape(geometry).intersection(shown).area
            assert drawn == pytest.approx(area, rel=0.01, abs=2)
            assert features[parcel_id]["properties"]["plan"] == "分带测试计划"


def test_overview_tiles_draw_cells_and_large_parcels(session):
    add_test_parcels(session)
    z = 12
    (x, y), *_ = tiles_over(mercator_box(session, "Z-07"), z)  # the 500 m parcel
    features = decoded(session, z, x, y)
    cells = [f for f in features if CELL_COUNT in f["properties"]]
    shapes = {f["properties"]["id"]: f for f in features if CELL_COUNT not in f["properties"]}
    assert "Z-07" in shapes and shapes["Z-07"]["properties"]["block"] == "丁"
    assert "Z-01" not in shapes  # 18 m wide: counted in a cell
    size = EXTENT // CELLS_PER_TILE
    expected = {
        (cx - x * CELLS_PER_TILE, cy - y * CELLS_PER_TILE, plan): value
        for (cx, cy, plan), value in expected_cells(session, z).items()
        if cx // CELLS_PER_TILE == x and cy // CELLS_PER_TILE == y
    }
    titles = dict(session.execute(text("SELECT title, id FROM plans")).all())
    got = {}
    for cell in cells:
        ring = cell["geometry"]["coordinates"][0]
        xs, ys = {p[0] for p in ring}, {p[1] for p in ring}
        assert len(xs) == len(ys) == 2 and max(xs) - min(xs) == max(ys) - min(ys) == size
        assert (
            min(xs) % size == 0 and min(ys) % size == 0 and exterior_areas(cell["geometry"])[0] > 0
        )
        properties = cell["properties"]
        assert "id" not in properties and "name" not in properties
        key = (min(xs) // size, min(ys) // size, titles[properties["plan"]])
        got[key] = (
            properties[CELL_COUNT],
            round(properties.get("declared_area_mu", 0), 2),
            properties.get("block"),
        )
    assert got == expected and sum(n for n, _, _ in got.values()) >= 6


def test_a_large_statement_refreshes_everything(session):
    add_test_parcels(session)
    every = tile_versions(session, 0, 0, 0)[0]
    session.execute(
        text("""
        INSERT INTO parcels (id, plan_id, seq, name, geometry_source, geometry_note, geom)
        SELECT 'BULK-' || i, pl.id, 1000 + i, '批量' || i, 'schematic', 'test',
               ST_Multi(ST_Expand(ST_SetSRID(ST_MakePoint(121 + (i % 100) * 0.001,
                                                          31 + (i / 100) * 0.001), 4326), 0.0002))
        FROM generate_series(1, 10000) i, plans pl WHERE pl.code = 'Z'""")
    )
    assert tile_versions(session, 0, 0, 0)[0] != every
    for zoom in (12, 6):
        assert stored_cells(session, zoom) == expected_cells(session, zoom)
    (x, y), *_ = tiles_over(mercator_box(session, "BULK-5"), 16)
    assert "BULK-5" in {f["properties"]["id"] for f in decoded(session, 16, x, y)}


def test_concurrent_writes_in_one_area_both_commit_and_the_cells_stay_right(engine):
    """Two transactions editing nearby parcels share the overview cells above them (a zoom-8
    cell covers a whole city): the second waits for the first and counts its change, instead of
    failing on the cell the first wrote. Committed for real, then put back."""
    changes = {"JX2022-01": "并发甲", "JX2022-02": "并发乙"}
    with engine.connect() as conn:
        blocks = dict(
            conn.execute(
                text("SELECT id, block FROM parcels WHERE id = ANY (:ids)"), {"ids": list(changes)}
            ).all()
        )
    update = text("UPDATE parcels SET block = :block WHERE id = :id")
    errors: list[BaseException] = []

    def second_writer() -> None:
        try:
            with engine.begin() as conn:
                conn.execute(update, {"id": "JX2022-02", "block": changes["JX2022-02"]})
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    try:
        with engine.begin() as conn:
            conn.execute(update, {"id": "JX2022-01", "block": changes["JX2022-01"]})
            thread = threading.Thread(target=second_writer)
            thread.start()
            thread.join(timeout=1)  # it is waiting for this transaction
            assert thread.is_alive() and not errors
        thread.join(timeout=30)
        assert not thread.is_alive() and errors == []
        with Session(bind=engine) as session:
            for zoom in (12, 8, 4):
                assert stored_cells(session, zoom) == expected_cells(session, zoom)
    finally:
        with engine.begin() as conn:
            for parcel_id, block in blocks.items():
                conn.execute(update, {"id": parcel_id, "block": block})
