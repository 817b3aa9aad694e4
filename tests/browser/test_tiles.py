"""Large plans: the map drawn from the vector tiles, `?tiles=1` forcing it on the 13 parcels.

The page must not load the parcels as GeoJSON, must draw them from /tiles/parcels/…pbf, answer
clicks with the point look-up, list the parcels in pages of the OGC items, and take the totals
from the area check.
"""

import base64
import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.support.browser import (
    BLANK_PNG,
    PARCEL_COUNT,
    SAYS_INSIDE,
    open_history,
    parcel_polygons,
    point_in_ring,
)

TILE_REQUEST = re.compile(r"/tiles/parcels/\d+/\d+/\d+\.pbf$")
MAP_BACKGROUND = (0xF2, 0xEF, 0xE9)  # .map in app.css
FILL_OPACITY = 0.38  # static/js/tiles.js
DASH = "\u2013"  # en dash, as in the pager: 第 1(en dash)5 宗


def pages(first: int, last: int, total: int | None = None) -> str:
    text = f"第 {first}{DASH}{last} 宗"
    return f"{text}，共 {total} 宗" if total is not None else text


def close_to(pixel: list[int] | None, rgb, tolerance: int) -> bool:
    return bool(pixel) and max(abs(a - b) for a, b in zip(pixel[:3], rgb, strict=True)) < tolerance


def painted_in(pixels: list, colour) -> list:
    """The renderer's pixels (RGBA on a transparent tile) in the block's colour."""
    return [p for p in pixels if p and p[3] > 0 and close_to(p, colour, 8)]


def interior_points(base: str, parcel_id: str, steps: int = 8) -> list[tuple[float, float]]:
    """A grid of points well inside the parcel's first polygon."""
    polygon = parcel_polygons(base, parcel_id)[0]
    ring = polygon[0]
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    points = []
    for i in range(1, steps):
        for j in range(1, steps):
            lon = min(lons) + (max(lons) - min(lons)) * i / steps
            lat = min(lats) + (max(lats) - min(lats)) * j / steps
            if point_in_ring(lon, lat, ring) and not any(
                point_in_ring(lon, lat, hole) for hole in polygon[1:]
            ):
                points.append((lon, lat))
    assert points, f"no interior point for {parcel_id}"
    return points


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def screen_pixels(page, points: list[dict]) -> list[list[int]]:
    """The pixels of a real screenshot at these page points, decoded by the browser."""
    png = base64.b64encode(page.screenshot()).decode()
    return page.evaluate(
        """async ([png, points]) => {
            const image = new Image();
            image.src = `data:image/png;base64,${png}`;
            await image.decode();
            const canvas = document.createElement("canvas");
            canvas.width = image.width;
            canvas.height = image.height;
            const ctx = canvas.getContext("2d");
            ctx.drawImage(image, 0, 0);
            return points.map((p) => Array.from(ctx.getImageData(Math.round(p.x), Math.round(p.y), 1, 1).data));
        }""",
        [png, points],
    )


def open_tiles(map_page, query: str = "") -> None:
    map_page.open(f"/?tiles=1{query}")
    assert map_page.page.evaluate("window.zhengshou.mode()") == "tiles"
    map_page.wait_for_tiles()


def test_tile_mode_draws_from_the_vector_tiles(map_page, artifacts):
    open_tiles(map_page)
    page = map_page.page
    # No parcel was loaded as GeoJSON: the tiles drew them.
    assert page.evaluate("window.zhengshou.parcelCount()") == 0
    # (Its requests to /api/v1/parcels are an empty bbox, for the collection's notice, and the
    # parcels without a shape, which the tiles cannot hold, for the 待落图 list.)
    listed = [url for url in map_page.requests if urlsplit(url).path == "/api/v1/parcels"]
    notice = "bbox=0,0,0.000001,0.000001"
    assert all(notice in url or "located=false" in url for url in listed), listed
    tiles = [url for url in map_page.requests if TILE_REQUEST.search(url)]
    assert tiles, map_page.requests
    assert any("/vendor/protomaps-leaflet/protomaps-leaflet.js" in url for url in map_page.requests)

    # Totals from the area check's plan row.
    expect(page.locator("#total-count")).to_contain_text("13")
    expect(page.locator("#total-declared")).to_contain_text("253.68")
    expect(page.locator("#total-published")).to_contain_text("253.68")
    expect(page.locator("#notice")).to_contain_text("非测绘成果")
    expect(page.locator("#notice-sources")).to_contain_text("数字化范围 13 宗")
    page.screenshot(path=str(artifacts / "map-tiles.png"))

    # The parcel is drawn where it is: zoom to JX2022-11 and read the pixels inside it, from
    # the renderer's canvas and from a real screenshot.
    assert page.evaluate("window.zhengshou.zoomToParcel('JX2022-11')") is True
    map_page.wait_for_tiles()
    colour = hex_rgb(page.evaluate("window.zhengshou.blockColour('老城板块')"))  # JX2022-11's
    expected = [
        round(FILL_OPACITY * c + (1 - FILL_OPACITY) * b)
        for c, b in zip(colour, MAP_BACKGROUND, strict=True)
    ]
    points = interior_points(map_page.base, "JX2022-11")
    renderer = [page.evaluate(f"window.zhengshou.tilePixelAt({lon}, {lat})") for lon, lat in points]
    assert len(painted_in(renderer, colour)) >= 0.8 * len(points), (colour, renderer)

    client = [page.evaluate(f"window.zhengshou.clientPointOf({lon}, {lat})") for lon, lat in points]
    shot = screen_pixels(page, client)
    near = [p for p in shot if close_to(p, expected, 30)]
    assert len(near) >= 0.6 * len(points), (expected, shot)
    assert all(tuple(p[:3]) != MAP_BACKGROUND for p in shot)
    page.screenshot(path=str(artifacts / "map-tiles-zoomed.png"))
    map_page.assert_clean()


def test_tile_mode_click_uses_the_point_lookup(map_page):
    open_tiles(map_page)
    page = map_page.page
    assert page.evaluate("window.zhengshou.zoomToParcel('JX2022-11')") is True
    map_page.wait_for_tiles()
    lon, lat = interior_points(map_page.base, "JX2022-11")[0]
    point = page.evaluate(f"window.zhengshou.clientPointOf({lon}, {lat})")
    page.mouse.click(point["x"], point["y"])
    card = page.locator("#lookup-result")
    expect(card).to_have_attribute("data-verdict", "inside")
    expect(card).to_contain_text(SAYS_INSIDE)
    expect(card.locator(".hits")).to_contain_text("嘉兴电影院地块")
    assert any("lookup?lon=" in url and "crs=wgs84" in url for url in map_page.requests)
    # The answer's parcel opens its popup, outlined above the tiles.
    popup = page.locator('.leaflet-popup .parcel-popup[data-parcel-id="JX2022-11"]')
    expect(popup).to_contain_text("嘉兴电影院地块")
    expect(popup).to_contain_text("批复文号")
    expect(page.locator(".leaflet-parcelHighlight-pane path")).not_to_have_count(0)
    # Its history works as in GeoJSON mode.
    open_history(popup)
    entry = page.locator("#history-panel .history-entry")
    expect(entry).to_have_count(1)
    expect(entry).to_have_attribute("data-action", "load")
    entry.get_by_role("button", name="在图上显示此版本范围").click()
    expect(page.locator(".leaflet-history-pane path")).to_have_count(1)
    map_page.assert_clean()


def test_tile_mode_lists_the_parcels_in_pages(map_page):
    open_tiles(map_page, "&pagesize=5")
    page = map_page.page
    rows = page.locator("#parcel-list .parcel-row")
    seen: list[str] = []
    for expected_rows, expected_range in (
        (5, pages(1, 5, 13)),
        (5, pages(6, 10)),
        (3, pages(11, 13)),
    ):
        expect(page.locator("#pager-range")).to_contain_text(expected_range)
        expect(rows).to_have_count(expected_rows)
        seen += [rows.nth(i).get_attribute("data-id") for i in range(expected_rows)]
        if len(seen) < PARCEL_COUNT:
            page.click("#page-next")
    assert len(set(seen)) == PARCEL_COUNT
    expect(page.locator("#page-next")).to_be_disabled()
    assert any(
        "/ogc/collections/parcels/items?limit=5&offset=10" in url for url in map_page.requests
    )
    page.click("#page-prev")
    expect(page.locator("#pager-range")).to_contain_text(pages(6, 10))
    expect(page.locator("#filter-status")).to_contain_text("共 13 宗地块")

    # Filters: block (block=) and keyword (CQL2), from the first page.
    page.select_option("#block-filter", "城北板块")
    expect(page.locator("#pager-range")).to_contain_text(pages(1, 3, 3))
    expect(page.locator("#filter-status")).to_contain_text("筛选结果：3 宗")
    page.select_option("#block-filter", "")
    page.fill("#text-filter", "南湖城市建设")
    expect(rows).to_have_count(2)
    page.fill("#text-filter", "")
    expect(page.locator("#pager-range")).to_contain_text("共 13 宗")

    # A row zooms to its parcel and opens the popup.
    page.locator('.parcel-row[data-id="JX2022-02"]').click()
    popup = page.locator('.leaflet-popup .parcel-popup[data-parcel-id="JX2022-02"]')
    expect(popup).to_contain_text("大新弄17号地块")
    expect(popup).to_contain_text("超出容差")
    map_page.assert_clean()


def test_tile_mode_on_amap_shifts_the_tiles_to_gcj02(map_page, artifacts):
    """On an Amap basemap the WGS84 tiles are drawn shifted to GCJ-02, like the GeoJSON."""
    page = map_page.page
    page.route(
        re.compile(r"^https://webrd0\d\.is\.autonavi\.com/"),
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_PNG),
    )
    map_page.open("/?tiles=1&basemap=amap")
    map_page.wait_for_tiles()
    assert page.evaluate("window.zhengshou.zoomToParcel('JX2022-11')") is True
    map_page.wait_for_tiles()
    colour = hex_rgb(page.evaluate("window.zhengshou.blockColour('老城板块')"))
    points = interior_points(map_page.base, "JX2022-11")
    # tilePixelAt shifts the WGS84 point as the map does: the parcel's colour must be there.
    pixels = [page.evaluate(f"window.zhengshou.tilePixelAt({lon}, {lat})") for lon, lat in points]
    assert len(painted_in(pixels, colour)) >= 0.8 * len(points), pixels
    # The overlays agree: the look-up's outline (GeoJSON, shifted by gcoord) is on the tiles.
    lon, lat = points[len(points) // 2]
    point = page.evaluate(f"window.zhengshou.clientPointOf({lon}, {lat})")
    page.mouse.click(point["x"], point["y"])
    expect(page.locator("#lookup-result .hits")).to_contain_text("嘉兴电影院地块")
    assert any("lookup?lon=" in url and "crs=gcj02" in url for url in map_page.requests)
    expect(page.locator('.parcel-popup[data-parcel-id="JX2022-11"]')).to_be_visible()
    page.locator(".leaflet-popup-close-button").click()
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(page.locator(".leaflet-parcelHighlight-pane path")).to_have_count(1)
    page.screenshot(path=str(artifacts / "map-tiles-amap.png"))
    # Only the basemap's own images may have been refused (the service's Content-Security-
    # Policy follows ZS_BASEMAP, not the page's ?basemap=); nothing else went wrong.
    assert [e for e in map_page.errors if "is.autonavi.com" not in e] == []


def test_overview_zooms_draw_cells_where_the_parcels_are(map_page, artifacts):
    """Zoomed out to overview tiles (zoom 12 and less), small parcels come as cells, drawn in
    the colour of a block, where the parcels are."""
    open_tiles(map_page)
    page = map_page.page
    assert page.evaluate("window.zhengshou.zoomToParcel('JX2022-11')") is True
    map_page.wait_for_tiles()
    while page.evaluate("window.zhengshou.view().zoom") > 13:  # data tiles one zoom below
        page.locator(".leaflet-control-zoom-out").click()
        page.wait_for_timeout(400)
    map_page.wait_for_tiles()
    zooms = {
        int(url.split("/tiles/parcels/")[1].split("/")[0])
        for url in map_page.requests
        if TILE_REQUEST.search(url)
    }
    assert min(zooms) <= 12, zooms
    ring = parcel_polygons(map_page.base, "JX2022-11")[0][0]
    lon = (min(p[0] for p in ring) + max(p[0] for p in ring)) / 2
    lat = (min(p[1] for p in ring) + max(p[1] for p in ring)) / 2
    pixel = page.evaluate(f"window.zhengshou.tilePixelAt({lon}, {lat})")
    blocks = {
        f["properties"]["block"]
        for f in page.evaluate("fetch('/api/v1/parcels').then(r => r.json())")["features"]
    }
    colours = [
        hex_rgb(page.evaluate(f"window.zhengshou.blockColour('{block}')")) for block in blocks
    ]
    assert any(painted_in([pixel], colour) for colour in colours), (pixel, colours)
    page.screenshot(path=str(artifacts / "map-tiles-overview.png"))
    map_page.assert_clean()
