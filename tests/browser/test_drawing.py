"""Drawing and correcting a parcel's shape on the map (draw.js, guide.js), in real Chromium.

An editor is a page whose sessionStorage holds an editor's bearer token before it loads (the
contract of static/js/auth.js); signing in with a password is tested with the accounts. Every
check the page shows comes from the service (POST /parcels/{id}/checks/preview), and every
shape is read back through the API.
"""

import json

import httpx
import pytest
from playwright.sync_api import expect

from tests.support.accounts import make_account, sign_in
from tests.support.browser import parcel_polygons, wait_until, write
from tests.support.files import PARCELS_FILE
from tests.support.shapeless import shapeless_feature

SHAPELESS = "JX2022-91"
CORRECTED = "JX2022-12"
EDITOR = "规划科测试"


@pytest.fixture
def shapeless(editable_server):
    """A parcel without a shape whose 四至 is the first parcel's, so its features exist."""
    token = editable_server.token()
    data = json.loads(PARCELS_FILE.read_text(encoding="utf-8"))
    feature = shapeless_feature(data)
    feature["properties"] |= {
        "id": SHAPELESS,
        "seq": 91,
        "boundary_text": data["features"][0]["properties"]["boundary_text"],
    }
    feature["id"] = SHAPELESS
    write(editable_server, "POST", "/api/v1/parcels", token, json=feature | {"reason": "公告地块"})
    yield feature
    etag = httpx.get(f"{editable_server.base}/api/v1/parcels/{SHAPELESS}").headers["etag"]
    write(
        editable_server,
        "DELETE",
        f"/api/v1/parcels/{SHAPELESS}",
        token,
        params={"reason": "测试结束"},
        headers={"If-Match": etag},
    )


def as_editor(map_page, token: str) -> None:
    map_page.page.add_init_script(f"sessionStorage.setItem('zs-editor-token', {json.dumps(token)})")


def click_at(page, lon: float, lat: float, *, moving: bool = True) -> None:
    """Move there as a hand does, then click.

    Geoman places a vertex where its cursor marker is (snapped to a nearby feature, if any),
    and that marker follows mouse moves: a click that jumps there without one is taken at the
    previous, snapped spot, as a double click, and placed nowhere. Closing a shape is a click
    on its first vertex's own marker, which a jump reaches directly.
    """
    point = page.evaluate(f"window.zhengshou.clientPointOf({lon}, {lat})")
    if moving:
        page.mouse.move(point["x"], point["y"], steps=5)
    page.mouse.click(point["x"], point["y"])


def draw_polygon(page, corners) -> None:
    """Click each corner, each once Geoman has taken the one before, then the first to close."""
    for placed, (lon, lat) in enumerate(corners, start=1):
        click_at(page, lon, lat)
        wait_until(page, f"window.zhengshou.drawing().vertices === {placed}")
    click_at(page, *corners[0], moving=False)


def drawing(page):
    return page.evaluate("window.zhengshou.drawing()")


def wait_for_checks(page) -> dict:
    # The live checks are a round trip through PostGIS (savepoint, audit, rollback); on a
    # machine saturated by other work one took over 15 s, so this waits longer than a page step.
    wait_until(
        page,
        "(() => { const d = window.zhengshou.drawing(); "
        "return d && !d.checking && (d.checks || d.refused); })()",
        timeout_s=60,
    )
    return drawing(page)


def outer_ring(page) -> list:
    geometry = drawing(page)["geometry"]
    polygon = (
        geometry["coordinates"][0]
        if geometry["type"] == "MultiPolygon"
        else geometry["coordinates"]
    )
    return polygon[0]


def open_shapeless(page):
    page.locator(f'#unlocated .parcel-row[data-id="{SHAPELESS}"]').click()
    button = page.locator(f'#unlocated-detail [data-draw="{SHAPELESS}"]')
    expect(button).to_have_text("绘制范围")
    button.click()
    expect(page.locator("#draw-panel")).to_be_visible()


def box_of(base: str, parcel_id: str) -> tuple[float, float, float, float]:
    ring = parcel_polygons(base, parcel_id)[0][0]
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def test_an_editor_draws_a_shape_checks_it_live_and_saves_it(
    editable_server, editable_map_page, shapeless, artifacts
):
    # Signed in with a password: the preview and the save go by session cookie and CSRF token.
    password = make_account(editable_server.database_url, EDITOR, "editor")
    editable_map_page.open()
    page = editable_map_page.page
    sign_in(page, EDITOR, password)
    expect(page.locator("#signin-who")).to_contain_text(EDITOR)
    open_shapeless(page)
    panel = page.locator("#draw-panel")
    # The guide: the 四至 text, each side with its colour, highlighted and labelled on the map.
    expect(panel).to_contain_text(shapeless["properties"]["boundary_text"])
    expect(panel.locator(".guide-side")).to_have_count(4)
    expect(page.locator(".leaflet-tooltip.side-label").first).to_be_visible()

    # Draw where the first parcel is, inset a little, by clicking the corners.
    west, south, east, north = box_of(editable_server.base, "JX2022-01")
    dx, dy = (east - west) * 0.1, (north - south) * 0.1
    corners = [
        (west + dx, south + dy),
        (east - dx, south + dy),
        (east - dx, north - dy),
        (west + dx, north - dy),
    ]
    draw_polygon(page, corners)
    first = wait_for_checks(page)
    assert first["checks"]["area"]["measured_area_mu"] > 0, first
    assert {side["side"] for side in first["checks"]["sides"]} == {"east", "south", "west", "north"}
    expect(panel.locator(".draw-area")).to_contain_text("图上")
    expect(panel.locator(".draw-overlap").first).to_contain_text("JX2022-01")
    page.screenshot(path=str(artifacts / "draw-new.png"))

    # Move the north-east vertex outwards: the service's answer changes.
    ring = outer_ring(page)
    lon, lat = max(ring, key=lambda p: p[0] + p[1])
    start = page.evaluate(f"window.zhengshou.clientPointOf({lon}, {lat})")
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(start["x"] + 40, start["y"] - 30, steps=8)
    page.mouse.up()
    wait_until(
        page,
        "(() => { const d = window.zhengshou.drawing(); return d && d.undo >= 2 "
        "&& !d.checking && d.checks; })()",
    )
    moved = drawing(page)
    assert moved["checks"]["area"]["measured_area_mu"] > first["checks"]["area"]["measured_area_mu"]
    # 撤销 takes the move back.
    panel.get_by_role("button", name="撤销").click()
    wait_until(
        page,
        "(() => { const d = window.zhengshou.drawing(); return d.undo === 1 "
        "&& !d.checking && d.checks; })()",
    )
    assert drawing(page)["checks"]["area"] == first["checks"]["area"]
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(start["x"] + 40, start["y"] - 30, steps=8)
    page.mouse.up()
    wait_until(page, "window.zhengshou.drawing().undo === 2")

    # Saving needs a reason.
    panel.get_by_role("button", name="保存").click()
    expect(page.locator("#draw-message")).to_contain_text("请填写修改原因")
    page.fill("#draw-reason", "按四至在底图上描绘")
    panel.get_by_role("button", name="保存").click()
    wait_until(page, "window.zhengshou.drawing() === null")

    saved = httpx.get(f"{editable_server.base}/api/v1/parcels/{SHAPELESS}").json()
    assert saved["properties"]["geometry_source"] == "drawn"
    note = saved["properties"]["geometry_note"]
    assert EDITOR in note and "no basemap" in note and "按四至在底图上描绘" in note, note
    assert saved["properties"]["measured_area_mu"] == pytest.approx(
        moved["checks"]["area"]["measured_area_mu"], abs=0.01
    )
    history = httpx.get(f"{editable_server.base}/api/v1/parcels/{SHAPELESS}/history").json()
    last = history["changes"][-1]
    assert EDITOR in last["actor"] and last["reason"] == "按四至在底图上描绘"
    # Everyone sees the new source: the list, the popup, the notice's sources.
    popup = page.locator(f'.leaflet-popup .parcel-popup[data-parcel-id="{SHAPELESS}"]')
    expect(popup).to_contain_text("手绘范围（在底图上描绘，非测绘成果）")
    expect(popup.locator(f'[data-draw="{SHAPELESS}"]')).to_have_text("修改范围")
    expect(page.locator("#notice-sources")).to_contain_text("手绘范围")
    expect(page.locator(f'#parcel-list .parcel-row[data-id="{SHAPELESS}"]')).to_have_count(1)
    page.screenshot(path=str(artifacts / "draw-saved.png"))
    editable_map_page.assert_clean()


def test_a_save_after_someone_else_changed_the_parcel_shows_the_conflict(
    editable_server, editable_map_page, artifacts
):
    as_editor(editable_map_page, editable_server.token(EDITOR))
    editable_map_page.open()
    page = editable_map_page.page
    page.locator(f'.parcel-row[data-id="{CORRECTED}"]').click()
    page.locator(f'.leaflet-popup [data-draw="{CORRECTED}"]').click()
    wait_for_checks(page)

    # Meanwhile another planner changes the parcel through the API.
    other = editable_server.token("另一位规划员")
    etag = httpx.get(f"{editable_server.base}/api/v1/parcels/{CORRECTED}").headers["etag"]
    body = {"properties": {"implementing_unit": "嘉兴市某公司"}, "reason": "更正实施单位"}
    write(
        editable_server,
        "PATCH",
        f"/api/v1/parcels/{CORRECTED}",
        other,
        json=body,
        headers={"If-Match": etag},
    )

    ring = outer_ring(page)
    start = page.evaluate(f"window.zhengshou.clientPointOf({ring[0][0]}, {ring[0][1]})")
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(start["x"] + 15, start["y"] + 10, steps=5)
    page.mouse.up()
    wait_until(page, "window.zhengshou.drawing().undo === 2")
    page.fill("#draw-reason", "沿道路边线修正")
    page.locator("#draw-panel").get_by_role("button", name="保存").click()
    conflict = page.locator(".draw-conflict")
    expect(conflict).to_contain_text("另一位规划员")
    expect(conflict).to_contain_text("更正实施单位")
    page.screenshot(path=str(artifacts / "draw-conflict.png"))
    assert (
        httpx.get(f"{editable_server.base}/api/v1/parcels/{CORRECTED}").json()["properties"][
            "geometry_source"
        ]
        != "drawn"
    )
    conflict.get_by_role("button", name="重新载入").click()
    expect(page.locator(".draw-conflict")).to_have_count(0)
    wait_for_checks(page)
    page.locator("#draw-panel").get_by_role("button", name="取消").click()
    expect(page.locator("#draw-panel")).to_be_hidden()
    # The browser logs the refused save (412) itself; nothing else went wrong.
    assert all("412" in error for error in editable_map_page.errors), editable_map_page.errors
    assert editable_map_page.foreign_requests() == []


def test_a_self_intersecting_drawing_shows_the_reason_where_it_is(
    editable_server, editable_map_page, shapeless, artifacts
):
    as_editor(editable_map_page, editable_server.token(EDITOR))
    editable_map_page.open()
    page = editable_map_page.page
    open_shapeless(page)
    west, south, east, north = box_of(editable_server.base, "JX2022-01")
    bow_tie = [(west, south), (east, north), (east, south), (west, north)]
    draw_polygon(page, bow_tie)
    refused = wait_for_checks(page)["refused"]
    assert "Self-intersection" in refused["message"] and refused["at"], refused
    expect(page.locator(".draw-refused")).to_contain_text("范围无效")
    expect(page.locator(".draw-refused-at")).to_contain_text("问题位置")
    expect(page.locator(".leaflet-tooltip.draw-refused-label")).to_be_visible()
    page.screenshot(path=str(artifacts / "draw-refused.png"))
    page.locator("#draw-panel").get_by_role("button", name="取消").click()
    assert (
        httpx.get(f"{editable_server.base}/api/v1/parcels/{SHAPELESS}").json()["geometry"] is None
    )
    # The console has the refused preview's 422 (the browser logs a failed request).
    assert all("422" in error for error in editable_map_page.errors), editable_map_page.errors
    assert editable_map_page.foreign_requests() == []


def test_a_viewer_sees_no_drawing_tools(editable_server, editable_map_page, shapeless):
    editable_map_page.open()
    page = editable_map_page.page
    page.locator(f'.parcel-row[data-id="{CORRECTED}"]').click()
    expect(page.locator(".leaflet-popup .parcel-popup")).to_be_visible()
    expect(page.locator(".leaflet-popup [data-draw]")).to_have_count(0)
    page.locator(f'#unlocated .parcel-row[data-id="{SHAPELESS}"]').click()
    expect(page.locator("#unlocated-detail")).to_be_visible()
    expect(page.locator("#unlocated-detail [data-draw]")).to_have_count(0)
    editable_map_page.assert_clean()


def test_tianditu_imagery_and_vector_templates_and_no_key_no_request(map_page):
    map_page.open("/?basemap=tianditu_img")
    page = map_page.page
    assert page.evaluate("window.zhengshou.basemap()") == "tianditu_img"
    expect(page.locator("#notice-text")).to_contain_text("未配置天地图密钥")
    imagery = page.evaluate("window.zhengshou.basemapTemplates('tianditu_img', 'k1')")
    vector = page.evaluate("window.zhengshou.basemapTemplates('tianditu', 'k1')")
    assert [url.split("/")[3] for url in imagery] == ["img_w", "cia_w"]
    assert [url.split("/")[3] for url in vector] == ["vec_w", "cva_w"]
    assert all("LAYER=" in url and url.endswith("tk=k1") for url in imagery + vector)
    assert all(url.startswith("https://t{s}.tianditu.gov.cn/") for url in imagery + vector)
    map_page.assert_clean()


def square(west: float, south: float, east: float, north: float) -> list:
    return [[[west, south], [east, south], [east, north], [west, north], [west, south]]]


def test_an_editor_cuts_a_hole_and_removes_a_part(editable_server, editable_map_page, shapeless):
    token = editable_server.token(EDITOR)
    west, south, east, north = box_of(editable_server.base, "JX2022-01")
    width, height = east - west, north - south
    kept = (west + 0.2 * width, south + 0.2 * height, west + 0.8 * width, north - 0.2 * height)
    away = (east + 0.5 * width, south + 0.3 * height, east + 0.8 * width, north - 0.3 * height)
    two_parts = {"type": "MultiPolygon", "coordinates": [square(*kept), square(*away)]}
    etag = httpx.get(f"{editable_server.base}/api/v1/parcels/{SHAPELESS}").headers["etag"]
    body = {
        "geometry": two_parts,
        "properties": {"geometry_source": "drawn", "geometry_note": "两块测试范围"},
        "reason": "测试：两部分",
    }
    write(
        editable_server,
        "PATCH",
        f"/api/v1/parcels/{SHAPELESS}",
        token,
        json=body,
        headers={"If-Match": etag},
    )
    as_editor(editable_map_page, token)
    editable_map_page.open()
    page = editable_map_page.page
    page.locator(f'#parcel-list .parcel-row[data-id="{SHAPELESS}"]').click()
    page.locator(f'.leaflet-popup [data-draw="{SHAPELESS}"]').click()
    before = wait_for_checks(page)["checks"]["area"]["measured_area_mu"]
    panel = page.locator("#draw-panel")

    # 挖洞: a square hole in the middle of the first part, drawn by clicking its corners.
    panel.get_by_role("button", name="挖洞").click()
    k_west, k_south, k_east, k_north = kept
    k_width, k_height = k_east - k_west, k_north - k_south
    hole = [
        (k_west + 0.35 * k_width, k_south + 0.35 * k_height),
        (k_east - 0.35 * k_width, k_south + 0.35 * k_height),
        (k_east - 0.35 * k_width, k_north - 0.35 * k_height),
        (k_west + 0.35 * k_width, k_north - 0.35 * k_height),
    ]
    draw_polygon(page, hole)
    wait_until(
        page,
        "(() => { const d = window.zhengshou.drawing(); return d.undo >= 2 && !d.checking "
        "&& d.checks && d.geometry.type === 'MultiPolygon' "
        "&& d.geometry.coordinates.some((p) => p.length === 2); })()",
    )
    holed = drawing(page)["checks"]["area"]["measured_area_mu"]
    assert holed < before

    # 删除部分: click the part away from the others; the shape keeps one part, the checks follow.
    panel.get_by_role("button", name="删除部分").click()
    click_at(page, (away[0] + away[2]) / 2, (away[1] + away[3]) / 2)
    wait_until(
        page,
        "(() => { const d = window.zhengshou.drawing(); return d.undo >= 3 && !d.checking "
        "&& d.checks && d.geometry.coordinates.length === 1; })()",
    )
    assert drawing(page)["checks"]["area"]["measured_area_mu"] < holed

    # 取消: nothing was saved.
    panel.get_by_role("button", name="取消").click()
    stored = httpx.get(f"{editable_server.base}/api/v1/parcels/{SHAPELESS}").json()
    assert len(stored["geometry"]["coordinates"]) == 2
    editable_map_page.assert_clean()
