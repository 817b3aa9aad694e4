"""A parcel's history, approval reference and documents in the popup and the side panel.

Read-only tests use the session's server; the tests that change a parcel first (a PATCH, an
attached PDF) use `editable_server`, a server on a database of its own.
"""

import json
import re

import httpx
from playwright.sync_api import expect

from tests.support.browser import open_history, wait_until, write

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NEW_UNIT = "嘉兴市嘉城城市更新建设有限公司"
REASON = "实施单位调整：按2022年6月会议纪要"


def open_popup(page, parcel_id: str):
    page.locator(f'.parcel-row[data-id="{parcel_id}"]').click()
    popup = page.locator(f'.leaflet-popup .parcel-popup[data-parcel-id="{parcel_id}"]')
    expect(popup).to_be_visible()
    return popup


def test_popup_history_lists_the_load_and_shows_its_outline(map_page, artifacts):
    map_page.open()
    page = map_page.page
    popup = open_popup(page, "JX2022-09")
    # 批复文号 is empty in the shipped data; the version is 1; no documents yet.
    expect(popup.locator("tr", has_text="批复文号")).to_contain_text("—")
    expect(popup.locator("tr", has_text="版本")).to_contain_text("1")
    expect(popup.locator("tr", has_text="附件")).to_contain_text("—")

    open_history(popup)
    panel = page.locator("#history-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("h3")).to_contain_text("汤家弄菜场路地块")
    entries = panel.locator(".history-entry")
    expect(entries).to_have_count(1)
    load = entries.first
    expect(load).to_have_attribute("data-action", "load")
    expect(load.locator(".history-action")).to_have_text("载入")
    expect(load.locator(".history-version")).to_have_text("版本 1")
    expect(load.locator(".history-actor")).to_have_text("cli:load")
    expect(load.locator(".history-reason")).to_have_text("loaded from a file")
    expect(load.locator("time")).to_have_text(re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$"))

    # Show that version's outline: dashed, labelled with its date; then clear it.
    page.locator(".leaflet-popup-close-button").click()
    load.get_by_role("button", name="在图上显示此版本范围").click()
    assert page.evaluate("window.zhengshou.historyShown()")["version"] == 1
    outline = page.locator(".leaflet-history-pane path")
    expect(outline).to_have_count(1)
    assert outline.get_attribute("stroke-dasharray")
    label = page.locator(".leaflet-tooltip.history-label")
    expect(label).to_have_text(re.compile(r"^\d{4}-\d\d-\d\d 版本 1$"))
    expect(panel.locator(".history-showing")).to_contain_text("版本 1")
    expect(page.locator(".leaflet-popup")).to_have_count(0)  # faded out
    page.screenshot(path=str(artifacts / "history.png"))

    panel.get_by_role("button", name="清除").click()
    expect(outline).to_have_count(0)
    expect(label).to_have_count(0)
    assert page.evaluate("window.zhengshou.historyShown()") is None

    # English, then close the panel.
    page.click("#lang-toggle")
    expect(load.locator(".history-action")).to_have_text("Loaded")
    panel.locator(".close").click()
    expect(panel).to_be_hidden()
    map_page.assert_clean()


def test_documents_endpoint_missing_is_quiet(map_page):
    """A service without the documents endpoint: no 附件 row, no request for it, no console
    error. The page learns it from the OpenAPI document, here one without that path."""
    page = map_page.page

    def openapi_without_documents(route):
        spec = httpx.get(map_page.base + "/openapi.json").json()
        spec["paths"] = {p: v for p, v in spec["paths"].items() if "/documents" not in p}
        route.fulfill(status=200, content_type="application/json", body=json.dumps(spec))

    page.route("**/openapi.json", openapi_without_documents)
    map_page.open()
    popup = open_popup(page, "JX2022-06")
    wait_until(page, "!document.querySelector('.parcel-popup .muted')")
    expect(popup.locator("tr", has_text="附件")).to_have_count(0)
    expect(popup.locator("tr", has_text="批复文号")).to_have_count(1)
    assert not [url for url in map_page.requests if url.endswith("/documents")]
    map_page.assert_clean()


def test_a_change_and_a_document_appear_in_the_page(editable_server, editable_map_page, artifacts):
    server = editable_server
    token = server.token()
    # Change JX2022-09's company (If-Match with the version read), with a reason.
    etag = httpx.get(f"{server.base}/api/v1/parcels/JX2022-09").headers["etag"]
    body = {"properties": {"implementing_unit": NEW_UNIT}, "reason": REASON}
    write(
        server, "PATCH", "/api/v1/parcels/JX2022-09", token, json=body, headers={"If-Match": etag}
    )
    # Attach a PDF to JX2022-08.
    document = write(
        server,
        "POST",
        "/api/v1/parcels/JX2022-08/documents",
        token,
        files={"file": ("批复.pdf", PDF, "application/pdf")},
        data={"title": "征收决定批复扫描件", "reason": "归档"},
    ).json()

    editable_map_page.open()
    page = editable_map_page.page
    popup = open_popup(page, "JX2022-08")
    link = popup.locator("a.document-link")
    expect(link).to_have_text("征收决定批复扫描件")
    assert link.get_attribute("href") == document["url"]
    assert httpx.get(server.base + document["url"]).content == PDF

    popup = open_popup(page, "JX2022-09")
    expect(popup).to_contain_text(NEW_UNIT)
    expect(popup.locator("tr", has_text="版本")).to_contain_text("2")
    open_history(popup)
    entries = page.locator("#history-panel .history-entry")
    expect(entries).to_have_count(2)
    update, load = entries.nth(0), entries.nth(1)  # newest first
    expect(update).to_have_attribute("data-action", "update")
    expect(update.locator(".history-action")).to_have_text("修改")
    expect(update.locator(".history-reason")).to_have_text(REASON)
    expect(update.locator(".history-version")).to_have_text("版本 2")
    expect(update.locator(".history-diff")).to_contain_text("嘉兴市城市投资发展集团有限公司")
    expect(update.locator(".history-diff")).to_contain_text(NEW_UNIT)
    expect(load).to_have_attribute("data-action", "load")

    # The version before the change, on the map.
    page.locator(".leaflet-popup-close-button").click()
    load.get_by_role("button", name="在图上显示此版本范围").click()
    assert page.evaluate("window.zhengshou.historyShown()")["version"] == 1
    expect(page.locator(".leaflet-history-pane path")).to_have_count(1)
    expect(load).to_have_class(re.compile(r"\bshown\b"))
    expect(page.locator(".leaflet-popup")).to_have_count(0)  # faded out
    page.screenshot(path=str(artifacts / "history-changed.png"))
    editable_map_page.assert_clean()
