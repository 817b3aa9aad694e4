"""导入公告 on the map page: read a notice, see its table with warnings, correct a cell, commit,
and find the plan on the map at once (its parcels under 待落图: the county has no reference
features here, so nothing is placed by guess)."""

from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.support.accounts import make_account
from tests.support.notice_corpus_office import CORPUS

TOKEN_KEY = "zs-editor-token"  # static/js/auth.js's TOKEN_KEY

NOTICE = CORPUS / "08_plan_items.txt"
WARNED = CORPUS / "17_yugonggao_see_map.txt"  # its 四至 only points at a map: a warning
CODE = "QXUI24"
SCREENSHOT = Path("/tmp/zhengshou-ingest-dialog.png")


def forget_plan(database_url: str) -> None:
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.begin() as conn:  # the editable database is shared by the browser tests
        conn.execute(text(f"DELETE FROM parcel_history WHERE parcel_id LIKE '{CODE}-%'"))
        conn.execute(text(f"DELETE FROM parcels WHERE id LIKE '{CODE}-%'"))
        conn.execute(text(f"DELETE FROM plans WHERE code = '{CODE}'"))
    engine.dispose()


def actors(database_url: str) -> list[str]:
    """Who the plan's parcels' history names."""
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.connect() as conn:
        query = f"SELECT DISTINCT actor FROM parcel_history WHERE parcel_id LIKE '{CODE}-%'"
        found = list(conn.execute(text(query)).scalars())
    engine.dispose()
    return found


def open_dialog(page, notice: Path) -> None:
    page.click("#ingest-open")
    dialog = page.locator("#ingest-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("#ingest-file").set_input_files(str(notice))
    dialog.locator("#ingest-read").click()


def test_a_notice_is_read_corrected_committed_and_shown(
    editable_server, editable_map_page, artifacts
):
    password = make_account(editable_server.database_url, "公告导入员", "editor")
    editable_map_page.open()
    page = editable_map_page.page
    try:
        # Signed in on the page: the session writes, and no token is asked for.
        page.click("#signin-open")
        page.fill("#signin-name", "公告导入员")
        page.fill("#signin-password", password)
        page.click("#signin-submit")
        expect(page.locator("#signin-who")).to_have_text("公告导入员（编辑）")
        open_dialog(page, NOTICE)
        expect(page.locator("#ingest-token")).to_be_hidden()
        dialog = page.locator("#ingest-dialog")
        rows = dialog.locator(".ingest-parcels tbody tr")
        expect(rows).to_have_count(3)
        name = rows.nth(1).locator('[data-field="name"]')
        expect(name).to_have_value("溪口安置小区二期")
        assert "出处" in name.get_attribute("title")
        name.fill("溪口安置小区（二期）")
        expect(dialog.locator(".ingest-corrected")).to_contain_text("已改 1 处")
        dialog.locator("#ingest-code").fill(CODE)
        page.screenshot(path=str(SCREENSHOT))
        page.screenshot(path=str(artifacts / "map-ingest-dialog.png"))
        dialog.locator("#ingest-commit").click()
        expect(dialog.locator(".ingest-status")).to_contain_text("新增 3 宗")
        expect(dialog.locator(".ingest-status")).to_contain_text("3 宗待落图")
        dialog.locator("#ingest-show").click()
        page.wait_for_url(f"**plan={CODE}**")
        editable_map_page.open(f"/?plan={CODE}")
        assert page.evaluate("window.zhengshou.plan()") == CODE
        unlocated = page.locator("#unlocated")
        expect(unlocated.locator(".parcel-row")).to_have_count(3)
        expect(unlocated).to_contain_text("溪口安置小区（二期）")
        assert actors(editable_server.database_url) == ["user:公告导入员"]
        editable_map_page.assert_clean()
    finally:
        forget_plan(editable_server.database_url)


def test_warnings_are_highlighted_and_a_refusal_is_told_in_the_dialog(
    editable_server, editable_map_page
):
    # A script's or a tester's bearer token, kept in the browser session, shows the tools too.
    token = editable_server.token()
    page = editable_map_page.page
    page.context.add_init_script(f"sessionStorage.setItem('{TOKEN_KEY}', '{token}')")
    editable_map_page.open()
    open_dialog(page, WARNED)
    expect(page.locator("#ingest-token")).to_have_value(token)
    dialog = page.locator("#ingest-dialog")
    expect(dialog.locator(".ingest-warnings li").first).to_be_visible()
    expect(dialog.locator(".ingest-warned")).to_have_count(1)
    # A token that is not an editor's is refused in words, and nothing is written.
    dialog.locator("#ingest-token").fill("zs_999_not-a-token")
    dialog.locator("#ingest-commit").click()
    expect(dialog.locator(".ingest-status.ingest-error")).to_contain_text("未能完成")
