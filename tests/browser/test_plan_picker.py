"""The plan picker: several plans in one database (the shipped Jiaxing plan, a Hangzhou plan with
two located parcels and one not, a Shaoxing plan with none located; tests/support/plans.py).

Choosing a plan filters the list, the totals and the parcels drawn, and zooms to the plan: to
its located parcels, or to its region's centre with a message when none is located. The choice
is kept in the URL. With one plan only (the session's database) the picker is disabled.
"""

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from tests.support.browser import PARCEL_COUNT
from tests.support.plans import HANGZHOU, SHAOXING, UNSTATED_FIELDS, UNSTATED_ID

# Where a reviewer looks at the picker in Chinese (also kept under tests/artifacts/).
PICKER_SCREENSHOT = Path("/tmp/zhengshou-plan-picker.png")
COUNTY_ZOOM = 11  # static/js/plans.js


def choose(page, code: str) -> None:
    page.select_option("#plan-select", code)
    assert page.evaluate("window.zhengshou.planShown()") is True
    assert page.evaluate("window.zhengshou.plan()") == code


def plan_of(base: str, code: str) -> dict:
    return httpx.get(f"{base}/api/v1/plans/{code}").json()


def assert_view_shows(page, bbox: list[float]) -> None:
    """The map's view holds the whole box, centred on it, and not from far out."""
    view = page.evaluate("window.zhengshou.view()")
    west, south, east, north = view["bounds"]
    assert west <= bbox[0] and south <= bbox[1] and east >= bbox[2] and north >= bbox[3], view
    # Not zoomed out to a city: the view is at most a few times the box.
    assert east - west < 10 * (bbox[2] - bbox[0]) + 0.01, view


def test_with_one_plan_the_picker_is_shown_disabled(map_page):
    map_page.open()
    page = map_page.page
    picker = page.locator("#plan-select")
    expect(picker).to_be_disabled()
    expect(picker.locator("option")).to_have_count(1)
    expect(picker).to_have_attribute("title", "数据库中只有这一个征收计划")
    expect(page.locator("#plan-details")).to_contain_text("嘉兴市人民政府")
    expect(page.locator("#plan-message")).to_be_hidden()
    assert page.evaluate("window.zhengshou.plan()") == "JX2022"
    map_page.assert_clean()


def test_choosing_a_plan_filters_the_list_and_the_map_and_zooms_to_it(plans_map_page, artifacts):
    plans_map_page.open()
    page = plans_map_page.page
    picker = page.locator("#plan-select")
    expect(picker).to_be_enabled()
    # Jiaxing stays the default; every plan is listed with its title and region.
    assert page.evaluate("window.zhengshou.plan()") == "JX2022"
    assert page.evaluate("window.zhengshou.parcelCount()") == PARCEL_COUNT
    options = picker.locator("option")
    expect(options).to_have_count(3)
    expect(options.nth(1)).to_have_text(f"{HANGZHOU.title}（浙江省杭州市上城区）")
    expect(options.nth(2)).to_have_text(f"{SHAOXING.title}（浙江省绍兴市越城区）")

    choose(page, HANGZHOU.code)
    assert page.url.endswith(f"?plan={HANGZHOU.code}")
    # Only its parcels: two drawn and listed, the third under 待落图; its totals.
    assert page.evaluate("window.zhengshou.parcelCount()") == 2
    rows = page.locator("#parcel-list .parcel-row")
    expect(rows).to_have_count(2)
    assert [rows.nth(i).get_attribute("data-id") for i in range(2)] == HANGZHOU.located_ids
    (shapeless,) = HANGZHOU.shapeless_ids
    expect(page.locator(f'#unlocated-list .parcel-row[data-id="{shapeless}"]')).to_be_visible()
    expect(page.locator("#total-count")).to_contain_text("3 宗")
    expect(page.locator("#total-count")).to_contain_text("其中 1 宗待落图")
    expect(page.locator("#total-declared")).to_contain_text("129.90 亩")
    expect(page.locator("#total-published")).to_contain_text("未载明")
    expect(page.locator("#page-title")).to_have_text(HANGZHOU.title)
    expect(page.locator("#plan-details")).to_contain_text("浙江省杭州市上城区")
    expect(page.locator("#plan-message")).to_be_hidden()
    assert_view_shows(page, plan_of(plans_map_page.base, HANGZHOU.code)["bbox"])

    # The block filter offers its blocks only, and filters within the plan.
    expect(page.locator("#block-filter option")).to_have_text(["全部板块", "望江板块", "湖滨板块"])
    page.select_option("#block-filter", "湖滨板块")
    expect(rows).to_have_count(0)
    expect(page.locator("#unlocated-list .parcel-row")).to_have_count(1)
    assert f"plan={HANGZHOU.code}" in page.get_attribute("#export-filtered", "href")
    assert page.get_attribute("#export-all", "href").endswith(f"?plan={HANGZHOU.code}")
    page.select_option("#block-filter", "")

    artifact = artifacts / "map-plan-picker.png"
    page.screenshot(path=str(artifact))
    PICKER_SCREENSHOT.write_bytes(artifact.read_bytes())

    choose(page, "JX2022")
    assert page.evaluate("window.zhengshou.parcelCount()") == PARCEL_COUNT
    expect(rows).to_have_count(PARCEL_COUNT)
    expect(page.locator("#total-published")).to_contain_text("253.68")
    assert_view_shows(page, plan_of(plans_map_page.base, "JX2022")["bbox"])
    plans_map_page.assert_clean()


def test_a_plan_with_no_located_parcel_zooms_to_its_region_and_says_so(plans_map_page):
    plans_map_page.open()
    page = plans_map_page.page
    choose(page, SHAOXING.code)
    view = page.evaluate("window.zhengshou.view()")
    assert view["zoom"] == COUNTY_ZOOM
    centre = [SHAOXING.region.longitude, SHAOXING.region.latitude]
    assert view["center"] == pytest.approx(centre, abs=1e-6)
    message = page.locator("#plan-message")
    expect(message).to_be_visible()
    expect(message).to_contain_text("该计划的 2 宗地块均尚未落图")
    expect(message).to_contain_text("浙江省绍兴市越城区")
    expect(page.locator(".leaflet-tooltip", has_text="（地区中心）")).to_be_visible()
    assert page.evaluate("window.zhengshou.parcelCount()") == 0
    expect(page.locator("#unlocated-list .parcel-row")).to_have_count(2)
    expect(page.locator("#total-count")).to_contain_text("其中 2 宗待落图")

    # The link opens the same plan, in the same place.
    shared = page.url
    page.goto("about:blank")
    plans_map_page.open(shared.removeprefix(plans_map_page.base))
    assert page.evaluate("window.zhengshou.plan()") == SHAOXING.code
    assert page.evaluate("window.zhengshou.view()")["center"] == pytest.approx(centre, abs=1e-6)
    expect(message).to_contain_text("均尚未落图")
    page.evaluate("window.zhengshou.setLang('en')")
    expect(message).to_contain_text("None of this plan's 2 parcels is located yet")
    plans_map_page.assert_clean()


def test_a_link_to_an_unknown_plan_shows_the_default_and_says_so(plans_map_page):
    plans_map_page.open("/?plan=NOPE")
    page = plans_map_page.page
    assert page.evaluate("window.zhengshou.plan()") == "JX2022"
    expect(page.locator("#plan-message")).to_contain_text("链接中的计划 NOPE 不存在")
    assert page.evaluate("window.zhengshou.parcelCount()") == PARCEL_COUNT
    plans_map_page.assert_clean()


def test_fields_the_notice_does_not_state_show_as_unstated(plans_map_page):
    plans_map_page.open(f"/?plan={SHAOXING.code}")
    page = plans_map_page.page
    row = page.locator(f'#unlocated-list .parcel-row[data-id="{UNSTATED_ID}"]')
    expect(row).to_contain_text("— · 5.50 亩")
    expect(row).to_contain_text("未载明")  # its 四至
    row.click()
    detail = page.locator("#unlocated-detail")
    expect(detail).to_be_visible()
    expect(detail.locator(".unstated")).to_have_count(len(UNSTATED_FIELDS))
    expect(detail.locator(".unstated").first).to_have_text("未载明")
    # Its block cannot be a filter option, and nothing says "null".
    expect(page.locator("#block-filter option")).to_have_text(["全部板块", "古城板块"])
    assert "null" not in page.locator("#panel").inner_text()
    page.evaluate("window.zhengshou.setLang('en')")
    expect(detail.locator(".unstated").first).to_have_text("not stated")
    plans_map_page.assert_clean()
