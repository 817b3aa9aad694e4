"""The planners' map page in a real headless Chromium, against a real uvicorn on the test database.

The page exposes `window.zhengshou` for tests: `ready` (a promise, true once everything is drawn),
`parcelCount()`, `zoomToParcel(id)` (a promise), `clientPointOf(lon, lat)` (page pixels of a WGS84
point), `displayRing(id)` (a parcel's ring as drawn) and `basemap()`; for the vector tile mode
(test_tiles.py) `mode()`, `tiles()`, `tilePixelAt(lon, lat)` and `blockColour(block)`; for the
history (test_history.py) `historyShown()`.
"""

import re
from urllib.parse import urlsplit

import httpx
from playwright.sync_api import expect

from tests.support.browser import (
    BLANK_PNG,
    PARCEL_COUNT,
    SAYS_INSIDE,
    SAYS_OUTSIDE,
    parcel_polygons,
    point_in_ring,
    wait_until,
)


def parcel_ring(base: str, parcel_id: str) -> list[list[float]]:
    return parcel_polygons(base, parcel_id)[0][0]


def point_inside(base: str, parcel_id: str) -> tuple[float, float]:
    """A point well inside the parcel's first polygon, found from the API's geometry."""
    polygons = parcel_polygons(base, parcel_id)
    ring = polygons[0][0]
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    steps = 12
    candidates = [
        (
            min(lons) + (max(lons) - min(lons)) * (i / steps),
            min(lats) + (max(lats) - min(lats)) * (j / steps),
        )
        for i in range(2, steps - 1)
        for j in range(2, steps - 1)
    ]
    centre = ((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)
    candidates.sort(key=lambda p: (p[0] - centre[0]) ** 2 + (p[1] - centre[1]) ** 2)
    for lon, lat in candidates:
        if point_in_ring(lon, lat, ring) and not any(
            point_in_ring(lon, lat, hole) for hole in polygons[0][1:]
        ):
            return lon, lat
    raise AssertionError(f"no interior point found for {parcel_id}")


def test_page_loads_clean_and_draws_every_parcel(map_page, artifacts):
    map_page.open()
    page = map_page.page
    assert page.evaluate("window.zhengshou.parcelCount()") == PARCEL_COUNT
    assert page.evaluate("window.zhengshou.basemap()") == "none"
    expect(page.locator("#parcel-list .parcel-row")).to_have_count(PARCEL_COUNT)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    # The permanent notice and the totals against the published 253.68 亩.
    expect(page.locator("#notice")).to_contain_text("非测绘成果")
    expect(page.locator("#total-count")).to_contain_text("13")
    expect(page.locator("#total-published")).to_contain_text("253.68")
    expect(page.locator("#total-declared")).to_contain_text("253.68")
    page.screenshot(path=str(artifacts / "map.png"))
    map_page.assert_clean()
    assert any(url.endswith("/api/v1/reference") for url in map_page.requests)


def test_panel_row_opens_the_parcel_popup(map_page):
    map_page.open()
    page = map_page.page
    page.locator('.parcel-row[data-id="JX2022-06"]').click()
    popup = page.locator('.leaflet-popup .parcel-popup[data-parcel-id="JX2022-06"]')
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("4号地块")
    expect(popup).to_contain_text("嘉兴市城市投资发展集团有限公司")
    expect(popup).to_contain_text("数字化范围，非测绘成果")
    expect(popup).to_contain_text("东、南至不锈钢设备总厂，西至百墅路，北至城北路（城北路592号）")
    expect(popup).to_contain_text("超出容差")  # JX2022-06 is +6.85 % against a 5 % tolerance
    map_page.assert_clean()


def test_filter_and_sort_and_export_links(map_page):
    map_page.open()
    page = map_page.page
    page.select_option("#block-filter", "城北板块")
    expect(page.locator("#parcel-list .parcel-row")).to_have_count(3)
    href = page.get_attribute("#export-filtered", "href")
    assert href.startswith("/api/v1/export.geojson?") and "block=" in href
    exported = httpx.get(map_page.base + href).json()
    assert {f["properties"]["id"] for f in exported["features"]} == {
        "JX2022-05",
        "JX2022-06",
        "JX2022-07",
    }
    page.select_option("#export-format", "gpkg")
    other = page.get_attribute("#export-other", "href")
    assert other.startswith("/api/v1/export?") and "format=gpkg" in other and "block=" in other
    download = httpx.get(map_page.base + other)
    assert download.status_code == 200 and download.content[:16] == b"SQLite format 3\x00"
    page.select_option("#block-filter", "")
    page.fill("#text-filter", "南湖城市建设")
    expect(page.locator("#parcel-list .parcel-row")).to_have_count(2)
    page.fill("#text-filter", "")
    expect(page.locator("#parcel-list .parcel-row")).to_have_count(PARCEL_COUNT)
    page.select_option("#sort-select", "area")
    expect(page.locator("#parcel-list .parcel-row").first).to_have_attribute("data-id", "JX2022-05")
    assert page.get_attribute("#export-all", "href") == "/api/v1/export.geojson"
    map_page.assert_clean()


def test_address_search(map_page):
    map_page.open()
    page = map_page.page
    card = page.locator("#lookup-result")

    page.fill("#search-input", "城北路592号")
    page.press("#search-input", "Enter")
    expect(card).to_have_attribute("data-verdict", "inside")
    expect(card).to_contain_text(SAYS_INSIDE)
    expect(card.locator(".hits")).to_contain_text("4号地块")
    expect(card).to_contain_text("门牌点精确匹配")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)

    page.fill("#search-input", "城北路")
    page.press("#search-input", "Enter")
    expect(card).to_have_attribute("data-verdict", "undetermined")
    expect(card).to_contain_text("仅匹配到道路")
    nearby = card.locator(".nearby li")
    expect(nearby).to_have_count(3)
    expect(card.locator(".nearby")).to_contain_text("4号地块")
    expect(card.locator(".nearby")).to_contain_text("5号地块")
    text = card.inner_text()
    assert SAYS_INSIDE not in text and SAYS_OUTSIDE not in text

    map_page.assert_clean()

    # An error answer shows the server's message. Chromium itself logs the 400 to the console.
    page.fill("#search-input", "xyz")
    page.press("#search-input", "Enter")
    expect(card).to_have_attribute("data-verdict", "error")
    expect(card).to_contain_text("不是地址")  # the page asks for answers in its language
    assert all("status of 400" in error for error in map_page.errors), map_page.errors
    assert map_page.foreign_requests() == []


def test_map_click_inside_and_outside_a_parcel(map_page):
    map_page.open()
    page = map_page.page
    lon, lat = point_inside(map_page.base, "JX2022-11")
    assert page.evaluate("window.zhengshou.zoomToParcel('JX2022-11')") is True
    point = page.evaluate(f"window.zhengshou.clientPointOf({lon}, {lat})")
    page.mouse.click(point["x"], point["y"])
    card = page.locator("#lookup-result")
    expect(card).to_have_attribute("data-verdict", "inside")
    expect(card.locator(".hits")).to_contain_text("嘉兴电影院地块")

    # The click also opened the parcel's popup, above the point: close it first.
    page.locator(".leaflet-popup-close-button").click()
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    # Outside every parcel (about 30 m north of this one): the nearest one and the distance.
    north = max(p[1] for p in parcel_ring(map_page.base, "JX2022-11"))
    point = page.evaluate(f"window.zhengshou.clientPointOf({lon}, {north + 0.0003})")
    page.mouse.click(point["x"], point["y"])
    expect(card).to_have_attribute("data-verdict", "outside")
    expect(card).to_contain_text(SAYS_OUTSIDE)
    expect(card.locator(".hits")).to_contain_text(re.compile(r"距离约 [\d,]+ 米"))
    assert any("lookup?lon=" in url and "crs=wgs84" in url for url in map_page.requests)
    map_page.assert_clean()


def test_english_switch_is_remembered(map_page, artifacts):
    map_page.open()
    page = map_page.page
    search = page.locator("#search-input")
    expect(search).to_have_attribute("placeholder", re.compile("城北路592号"))
    assert "输入地址" in search.get_attribute("placeholder")

    page.click("#lang-toggle")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert search.get_attribute("placeholder").startswith("Enter an address")
    expect(page.locator("#search-button")).to_have_text("Search")
    expect(page.locator("#notice")).to_contain_text(
        "No parcel shape on this map is a survey result"
    )
    page.locator('.parcel-row[data-id="JX2022-06"]').click()
    expect(page.locator(".parcel-popup")).to_contain_text("Digitized extent, not a survey")
    wait_until(  # the popup fades in
        page, "getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    page.screenshot(path=str(artifacts / "map-en.png"))

    map_page.open()  # reload: the choice is remembered
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.click("#lang-toggle")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    assert "输入地址" in search.get_attribute("placeholder")
    expect(page.locator("#search-button")).to_have_text("查询")
    map_page.assert_clean()


def test_amap_basemap_shifts_overlays_and_sends_gcj02(map_page):
    """With ?basemap=amap, overlays are drawn in GCJ-02 and clicks go back as crs=gcj02.

    Amap's tile host is outside the service: its requests are answered here with a blank tile.
    """
    page = map_page.page
    tiles: list[str] = []

    def fake_tile(route):
        tiles.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)

    page.route(re.compile(r"^https://webrd0\d\.is\.autonavi\.com/"), fake_tile)
    map_page.open("/?basemap=amap")
    assert page.evaluate("window.zhengshou.basemap()") == "amap"
    assert tiles, "no Amap tile was requested"

    wgs_lon, wgs_lat = parcel_ring(map_page.base, "JX2022-11")[0]
    shown_lon, shown_lat = page.evaluate("window.zhengshou.displayRing('JX2022-11')[0]")
    # GCJ-02 is a few hundred metres east and south of WGS84 around Jiaxing.
    assert 0.003 < shown_lon - wgs_lon < 0.007
    assert -0.004 < shown_lat - wgs_lat < -0.001

    lon, lat = point_inside(map_page.base, "JX2022-11")
    page.evaluate("window.zhengshou.zoomToParcel('JX2022-11')")
    point = page.evaluate(f"window.zhengshou.clientPointOf({lon}, {lat})")
    page.mouse.click(point["x"], point["y"])
    card = page.locator("#lookup-result")
    expect(card).to_have_attribute("data-verdict", "inside")
    expect(card.locator(".hits")).to_contain_text("嘉兴电影院地块")
    assert any("lookup?lon=" in url and "crs=gcj02" in url for url in map_page.requests)
    assert map_page.errors == []
    hosts = {urlsplit(url).netloc for url in map_page.foreign_requests()}
    assert hosts and all(host.endswith(".is.autonavi.com") for host in hosts), hosts
