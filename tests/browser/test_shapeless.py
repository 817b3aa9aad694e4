"""A parcel the notice names but nobody has located yet: listed under 待落图 with its 四至,
counted in the totals, its details shown in the panel (there is nothing to zoom to)."""

import json

from playwright.sync_api import expect

from tests.support.browser import PARCEL_COUNT, write
from tests.support.files import PARCELS_FILE
from tests.support.shapeless import SHAPELESS_NOTE, shapeless_feature

PARCEL_ID = "JX2022-90"


def test_a_shapeless_parcel_is_listed_under_daiuotu(editable_server, editable_map_page, artifacts):
    token = editable_server.token()
    feature = shapeless_feature(json.loads(PARCELS_FILE.read_text(encoding="utf-8")))
    feature["properties"] |= {"id": PARCEL_ID, "seq": 90}
    feature["id"] = PARCEL_ID
    write(editable_server, "POST", "/api/v1/parcels", token, json=feature | {"reason": "公告地块"})
    try:
        editable_map_page.open()
        page = editable_map_page.page
        assert page.evaluate("window.zhengshou.parcelCount()") == PARCEL_COUNT  # drawn: 13
        expect(page.locator("#total-count")).to_contain_text(f"{PARCEL_COUNT + 1} 宗")
        expect(page.locator("#total-count")).to_contain_text("其中 1 宗待落图")
        section = page.locator("#unlocated")
        expect(page.locator("#unlocated-heading")).to_contain_text("待落图")
        row = section.locator(f'.parcel-row[data-id="{PARCEL_ID}"]')
        expect(row).to_contain_text(feature["properties"]["boundary_text"])
        expect(page.locator(f'#parcel-list .parcel-row[data-id="{PARCEL_ID}"]')).to_have_count(0)

        view = page.evaluate("(() => window.location.href)()")
        row.click()
        detail = page.locator("#unlocated-detail")
        expect(detail).to_be_visible()
        expect(detail).to_contain_text("待落图（尚无范围）")
        expect(detail).to_contain_text(SHAPELESS_NOTE)
        assert page.evaluate("(() => window.location.href)()") == view
        page.screenshot(path=str(artifacts / "map-shapeless.png"))

        page.evaluate("window.zhengshou.setLang('en')")
        expect(page.locator("#unlocated-heading")).to_contain_text("Not located yet")
        expect(page.locator("#total-count")).to_contain_text("of which 1 not located yet")
        editable_map_page.assert_clean()
    finally:
        write(
            editable_server,
            "DELETE",
            f"/api/v1/parcels/{PARCEL_ID}",
            token,
            params={"reason": "测试结束"},
            headers={"If-Match": '"1"'},
        )
