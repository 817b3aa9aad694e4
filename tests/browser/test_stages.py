"""A parcel's stage in its popup: an editor moves it, the timeline grows, refusals are shown."""

import json

import httpx
from playwright.sync_api import expect

PARCEL = "JX2022-10"


def popup_of(page):
    # A save redraws the parcels and opens a new popup while the old one fades out: the newest
    # is the last.
    return page.locator(f'.leaflet-popup .parcel-popup[data-parcel-id="{PARCEL}"]').last


def open_stage_section(page):
    page.locator(f'.parcel-row[data-id="{PARCEL}"]').click()
    popup = popup_of(page)
    expect(popup).to_be_visible()
    # The popup redraws when its documents arrive: open the section after that, or the click
    # lands on a summary that is about to be replaced.
    expect(popup).not_to_contain_text("正在加载…")
    section = popup.locator(".stage-section")
    section.locator("summary").click()
    return section


def save(section, stage: str, **fields: str) -> None:
    form = section.locator(".stage-form")
    form.locator("select[name=stage]").select_option(stage)
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.get_by_role("button", name="保存阶段").click()


def test_an_editor_moves_a_parcel_and_the_timeline_grows(
    editable_server, editable_map_page, artifacts
):
    token = editable_server.token()
    page = editable_map_page.page
    page.add_init_script(f"sessionStorage.setItem('zs-editor-token', {json.dumps(token)})")
    editable_map_page.open()
    section = open_stage_section(page)
    expect(popup_of(page).locator(".stage-cell")).to_contain_text("列入计划")
    expect(section.locator(".stage-step")).to_have_count(1)
    form = section.locator(".stage-form")
    expect(form.locator('[data-field="agreements_signed"]')).to_be_hidden()

    form.locator("select[name=stage]").select_option("decision")
    expect(form.locator('[data-field="approval_reference"]')).to_be_visible()
    save(
        section,
        "decision",
        date="2022-09-01",
        document="房屋征收决定公告",
        approval_reference="嘉政发〔2022〕9号",
    )
    section = popup_of(page).locator(".stage-section")
    expect(section.locator(".stage-step")).to_have_count(2)
    expect(section.locator(".stage-step").last).to_contain_text("征收决定 / 方案公告")
    expect(section.locator(".stage-step").last).to_contain_text("嘉政发〔2022〕9号")
    expect(popup_of(page).locator(".stage-cell")).to_contain_text("2022-09-01")
    expect(section.locator(".stage-note")).to_contain_text("阶段已保存")

    section.locator("select[name=stage]").select_option("compensation")
    expect(section.locator('[data-field="agreements_total"]')).to_be_visible()
    save(section, "compensation", date="2022-10-08", agreements_signed="10", agreements_total="40")
    section = popup_of(page).locator(".stage-section")
    expect(section.locator(".stage-step")).to_have_count(3)
    expect(popup_of(page).locator(".stage-cell")).to_contain_text("10/40（25%）")

    # Moving back without a reason: the service refuses, the popup says why, nothing changes.
    save(section, "pre_notice", date="2022-10-09")
    note = popup_of(page).locator(".stage-note")
    expect(note).to_have_class("stage-note error")
    expect(note).to_contain_text("stage_reason")
    expect(popup_of(page).locator(".stage-step")).to_have_count(3)
    page.screenshot(path=str(artifacts / "stages-popup.png"))

    timeline = httpx.get(f"{editable_server.base}/api/v1/parcels/{PARCEL}/timeline").json()
    assert [step["stage"] for step in timeline["timeline"]] == [
        "planned",
        "decision",
        "compensation",
    ]
    assert timeline["timeline"][-1]["changed_by"].startswith("token:")
    # The refused write is the only console error: the browser logs a 400 it fetched.
    assert all("400" in error for error in editable_map_page.errors), editable_map_page.errors


def test_a_viewer_sees_the_timeline_but_no_form(map_page):
    map_page.open()
    section = open_stage_section(map_page.page)
    expect(section.locator(".stage-step")).to_have_count(1)
    expect(section.locator(".stage-step")).to_contain_text("列入计划")
    expect(section.locator(".stage-form")).to_have_count(0)
    map_page.page.click("#lang-toggle")
    expect(popup_of(map_page.page).locator(".stage-step")).to_contain_text("planned")
    map_page.assert_clean()
