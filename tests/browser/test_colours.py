"""The parcels' colours come from the service (GET /api/v1/styles): GeoJSON mode and tile mode
paint a block in the same colour, and the legend's switch colours the parcels by stage.

`window.zhengshou.parcelFill(id)` reads the Leaflet layer's fill (GeoJSON mode) or the fill the
tiles' paint rule last gave the parcel (tile mode); `colourBy()` says which colouring is on.
"""

from contextlib import contextmanager

import httpx
from playwright.sync_api import expect
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.support.browser import PARCEL_COUNT, wait_until

STAGED_ID = "JX2022-06"


def styles(base: str) -> dict:
    return httpx.get(f"{base}/api/v1/styles").json()


def parcels(base: str) -> list[dict]:
    return httpx.get(f"{base}/api/v1/parcels", params={"plan": "JX2022"}).json()["features"]


def fills(page, ids) -> dict:
    return {pid: page.evaluate(f"window.zhengshou.parcelFill('{pid}')") for pid in ids}


def open_tiles(map_page) -> None:
    map_page.open("/?tiles=1")
    assert map_page.page.evaluate("window.zhengshou.mode()") == "tiles"
    map_page.wait_for_tiles()


@contextmanager
def staged(database_url: str, stage: str):
    """One parcel moved to another stage in the database, moved back after."""
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE parcels SET stage = :s WHERE id = :id"), {"s": stage, "id": STAGED_ID}
            )
        yield
    finally:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE parcels SET stage = 'planned' WHERE id = :id"), {"id": STAGED_ID}
            )
        engine.dispose()


def test_both_modes_paint_each_block_in_the_services_colour(map_page, artifacts):
    page = map_page.page
    served = {e["value"]: e["colour"] for e in styles(map_page.base)["block"]["entries"]}
    blocks = {f["properties"]["id"]: f["properties"]["block"] for f in parcels(map_page.base)}
    assert len({served[b] for b in blocks.values()}) == len(set(blocks.values()))

    map_page.open()
    assert page.evaluate("window.zhengshou.colourBy()") == "block"
    geojson = fills(page, blocks)
    assert geojson == {pid: served[block] for pid, block in blocks.items()}
    legend = page.locator(".legend")
    expect(legend).to_contain_text("所属板块")
    for block in set(blocks.values()):
        expect(legend).to_contain_text(block)

    open_tiles(map_page)
    wait_until(page, f"{list(blocks)}.every((id) => window.zhengshou.parcelFill(id) !== null)")
    tiles = fills(page, blocks)
    drawn = {pid: fill for pid, fill in tiles.items() if fill is not None}
    assert len(drawn) == PARCEL_COUNT, tiles
    assert drawn == geojson
    # The legend lists every block of the plan at once, not only those of the tiles loaded.
    for block in set(blocks.values()):
        expect(legend).to_contain_text(block)
    page.screenshot(path=str(artifacts / "map-tiles-by-block.png"))
    map_page.assert_clean()


def test_colouring_by_stage_in_both_modes(editable_server, editable_map_page, artifacts):
    base = editable_server.base
    served = {e["value"]: e for e in styles(base)["stage"]["entries"]}
    page = editable_map_page.page
    with staged(editable_server.database_url, "decision"):
        # GeoJSON mode: each parcel in the colour of the stage the API gives it.
        editable_map_page.open()
        page.locator(".legend").get_by_label("阶段").check()
        assert page.evaluate("window.zhengshou.colourBy()") == "stage"
        features = parcels(base)
        stage_of = {
            f["properties"]["id"]: f["properties"].get("stage", "planned") for f in features
        }
        geojson = fills(page, stage_of)
        assert geojson == {pid: served[stage]["colour"] for pid, stage in stage_of.items()}
        legend = page.locator(".legend")
        expect(legend.locator("h4")).to_have_text("阶段")
        expect(legend).to_contain_text("列入计划")
        expect(legend).not_to_contain_text("城北板块")
        page.screenshot(path=str(artifacts / "map-by-stage.png"))

        # Tile mode, the choice remembered: the tiles carry each parcel's stage.
        open_tiles(editable_map_page)
        assert page.evaluate("window.zhengshou.colourBy()") == "stage"
        wait_until(page, f"window.zhengshou.parcelFill('{STAGED_ID}') !== null")
        tiles = fills(page, stage_of)
        assert tiles[STAGED_ID] == served["decision"]["colour"]
        assert {fill for pid, fill in tiles.items() if pid != STAGED_ID} == {
            served["planned"]["colour"]
        }
        expect(legend).to_contain_text("列入计划")
        expect(legend).to_contain_text("征收决定 / 方案公告")
        page.screenshot(path=str(artifacts / "map-tiles-by-stage.png"))

        # Back to blocks, in English: the legend follows.
        page.locator(".legend").get_by_label("板块").check()
        page.evaluate("window.zhengshou.setLang('en')")
        expect(legend.locator("h4")).to_have_text("Blocks")
        wait_until(
            page,
            f"window.zhengshou.parcelFill('{STAGED_ID}') === window.zhengshou.blockColour('城北板块')",
        )
    editable_map_page.assert_clean()
