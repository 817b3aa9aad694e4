"""Printing from the map page: a parcel's popup and the plan panel open the print dialog, which
asks the service for the map (a PDF in a new tab)."""

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect


def open_popup(page, parcel_id: str):
    page.locator(f'.parcel-row[data-id="{parcel_id}"]').click()
    popup = page.locator(f'.leaflet-popup .parcel-popup[data-parcel-id="{parcel_id}"]')
    expect(popup).to_be_visible()
    return popup


def test_the_print_button_of_a_popup_leads_to_the_parcels_pdf(map_page, artifacts):
    map_page.open()
    page = map_page.page
    popup = open_popup(page, "JX2022-03")
    expect(popup).not_to_contain_text("正在加载…")
    popup.get_by_role("button", name="打印").click()
    dialog = page.locator("#print-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_contain_text("1号地块")
    dialog.get_by_label("A3").check()
    dialog.get_by_label("横向").check()
    page.screenshot(path=str(artifacts / "print-dialog.png"))
    with page.context.expect_event(
        "response", lambda response: "/map.pdf" in response.url
    ) as answered:
        dialog.get_by_role("button", name="打印", exact=True).click()
    response = answered.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    url = urlsplit(response.url)
    assert url.path == "/api/v1/parcels/JX2022-03/map.pdf"
    assert parse_qs(url.query) == {"paper": ["A3"], "orientation": ["landscape"], "lang": ["zh"]}
    expect(dialog).to_be_hidden()
    map_page.assert_clean()


def test_the_plan_prints_from_the_panel_and_remembers_the_choice(map_page, tmp_path):
    map_page.open()
    page = map_page.page
    page.locator("#print-plan").click()
    dialog = page.locator("#print-dialog")
    expect(dialog.locator("h2")).to_contain_text("2022年嘉兴市级国有土地上房屋征收计划表")
    dialog.get_by_label("PNG").check()
    with page.expect_download() as downloaded:
        dialog.get_by_role("button", name="打印", exact=True).click()
    download = downloaded.value
    assert urlsplit(download.url).path == "/api/v1/plans/JX2022/map.png"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"\x89PNG")
    page.locator("#print-plan").click()
    expect(dialog.get_by_label("PNG")).to_be_checked()
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_be_hidden()
