"""Tile mode with several plans: the tiles draw only the chosen plan's parcels, the paged list
holds its located parcels, and the parcels without a shape (which no tile holds) are listed under
待落图 from the parcel API, as in GeoJSON mode."""

import httpx
from playwright.sync_api import expect
from shapely.geometry import shape

from tests.support.browser import PARCEL_COUNT, wait_until
from tests.support.plans import HANGZHOU, SHAOXING


def open_tiles(map_page, query: str = "") -> None:
    map_page.open(f"/?tiles=1{query}")
    assert map_page.page.evaluate("window.zhengshou.mode()") == "tiles"
    map_page.wait_for_tiles()


def inside(base: str, parcel_id: str) -> tuple[float, float]:
    """A point well inside the parcel, from its shape as the API gives it."""
    point = shape(httpx.get(f"{base}/api/v1/parcels/{parcel_id}").json()["geometry"])
    point = point.representative_point()
    return point.x, point.y


def drawn_at(map_page, lon: float, lat: float) -> bool:
    """Whether the renderer painted the point, once a tile holding it has been drawn (so that
    "not drawn" is never a tile not there yet)."""
    pixel = f"window.zhengshou.tilePixelAt({lon}, {lat})"
    wait_until(map_page.page, f"{pixel} !== null")
    map_page.wait_for_tiles()
    return map_page.page.evaluate(pixel)[3] > 0


def choose(page, code: str) -> None:
    page.select_option("#plan-select", code)
    assert page.evaluate("window.zhengshou.planShown()") is True


def test_tiles_draw_only_the_chosen_plan(plans_map_page):
    open_tiles(plans_map_page)
    page = plans_map_page.page
    jiaxing = inside(plans_map_page.base, "JX2022-11")
    assert page.evaluate("window.zhengshou.zoomToParcel('JX2022-11')") is True
    plans_map_page.wait_for_tiles()
    assert drawn_at(plans_map_page, *jiaxing)
    expect(page.locator("#filter-status")).to_contain_text(f"共 {PARCEL_COUNT} 宗地块")

    choose(page, HANGZHOU.code)
    plans_map_page.wait_for_tiles()
    hangzhou = inside(plans_map_page.base, HANGZHOU.located_ids[0])
    assert drawn_at(plans_map_page, *hangzhou)
    rows = page.locator("#parcel-list .parcel-row")
    expect(rows).to_have_count(2)
    assert [rows.nth(i).get_attribute("data-id") for i in range(2)] == HANGZHOU.located_ids
    expect(page.locator("#filter-status")).to_contain_text("共 3 宗地块")
    expect(page.locator("#total-count")).to_contain_text("其中 1 宗待落图")

    # Back over Jiaxing, with the Hangzhou plan chosen: its parcels are in the tiles, not drawn.
    assert page.evaluate("window.zhengshou.zoomToParcel('JX2022-11')") is True
    assert not drawn_at(plans_map_page, *jiaxing)
    plans_map_page.assert_clean()


def test_tile_mode_lists_parcels_without_a_shape_under_daluotu(plans_map_page, artifacts):
    open_tiles(plans_map_page, f"&plan={HANGZHOU.code}")
    page = plans_map_page.page
    (shapeless,) = HANGZHOU.shapeless_ids
    section = page.locator("#unlocated")
    expect(page.locator("#unlocated-heading")).to_contain_text("待落图 (1 宗)")
    row = section.locator(f'.parcel-row[data-id="{shapeless}"]')
    expect(row).to_contain_text("待落图仓库地块")
    expect(row).to_contain_text("东至待落图仓库地块东路")  # its 四至, in place of a place
    expect(page.locator(f'#parcel-list .parcel-row[data-id="{shapeless}"]')).to_have_count(0)
    page.screenshot(path=str(artifacts / "map-tiles-daluotu.png"))

    row.click()
    detail = page.locator("#unlocated-detail")
    expect(detail).to_be_visible()
    expect(detail).to_contain_text("待落图（尚无范围）")
    expect(detail).to_contain_text("测试：公告未给可落图的四至")

    # The filters apply to the 待落图 list too.
    page.select_option("#block-filter", "望江板块")
    expect(section).to_be_hidden()
    expect(page.locator("#parcel-list .parcel-row")).to_have_count(2)
    page.select_option("#block-filter", "")
    page.fill("#text-filter", "仓库")
    expect(page.locator("#unlocated-list .parcel-row")).to_have_count(1)
    expect(page.locator("#parcel-list .parcel-row")).to_have_count(0)
    page.fill("#text-filter", "")

    # A plan none of whose parcels is located: the whole plan is under 待落图.
    choose(page, SHAOXING.code)
    expect(page.locator("#unlocated-list .parcel-row")).to_have_count(2)
    expect(page.locator("#parcel-list .parcel-row")).to_have_count(0)
    expect(page.locator("#plan-message")).to_contain_text("均尚未落图")
    page.evaluate("window.zhengshou.setLang('en')")
    expect(page.locator("#unlocated-heading")).to_contain_text("Not located yet (2)")
    plans_map_page.assert_clean()
