"""The OGC API's HTML pages in Chromium: the item's map draws the parcel polygon in its block's
colour with the vendored Leaflet, and an items page's map links to each item's page."""

import httpx
from playwright.sync_api import expect

from tests.support.browser import wait_until

ITEM = "/ogc/collections/parcels/items/JX2022-06?f=html"
ITEMS = "/ogc/collections/parcels/items?f=html&limit=5"


def block_colour(base: str, block: str) -> str:
    entries = httpx.get(f"{base}/api/v1/styles").json()["block"]["entries"]
    return next(e["colour"] for e in entries if e["value"] == block)


def test_item_page_maps_the_parcel(map_page, artifacts):
    page = map_page.page
    page.goto(map_page.base + ITEM)
    polygon = page.locator("#ogc-map path.leaflet-interactive")
    expect(polygon).to_have_count(1)
    assert polygon.get_attribute("fill") == block_colour(map_page.base, "城北板块")
    expect(page.locator("h1")).to_have_text(
        "6. " + httpx.get(f"{map_page.base}/api/v1/parcels/JX2022-06").json()["properties"]["name"]
    )
    expect(page.locator(".notice").first).to_contain_text("非测绘成果")
    page.screenshot(path=str(artifacts / "ogc-item.png"), full_page=True)
    map_page.assert_clean()


def test_items_page_maps_its_items_and_links_to_each(map_page, artifacts):
    page = map_page.page
    page.goto(map_page.base + ITEMS)
    polygons = page.locator("#ogc-map path.leaflet-interactive")
    expect(polygons).to_have_count(5)
    wait_until(page, "document.getElementById('ogc-map').dataset.features === '5'")
    page.screenshot(path=str(artifacts / "ogc-items.png"), full_page=True)
    polygons.first.click(force=True)
    link = page.locator(".leaflet-popup-content a")
    expect(link).to_have_text("查看该要素")
    link.click()
    expect(page).to_have_url(map_page.base + "/ogc/collections/parcels/items/JX2022-01?f=html")
    expect(page.locator("#ogc-map path.leaflet-interactive")).to_have_count(1)
    map_page.assert_clean()
