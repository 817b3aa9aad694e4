"""Signing in on the map page in real Chromium: the form, the name and role shown, editing tools
for editors only, refusals and an expired sign-in told in words, signing out."""

from playwright.sync_api import expect

from tests.support.accounts import end_sessions_as_if_expired, make_account, sign_in

TOP_BAR = {"x": 560, "y": 0, "width": 720, "height": 260}


def test_an_editor_signs_in_sees_the_tools_and_signs_out(
    editable_server, editable_map_page, artifacts
):
    password = make_account(editable_server.database_url, "张三", "editor")
    editable_map_page.open()
    page = editable_map_page.page
    expect(page.locator("#ingest-open")).to_be_hidden()  # nobody signed in: no editing tools
    sign_in(page, "张三", password)
    expect(page.locator("#signin-who")).to_have_text("张三（编辑）")
    expect(page.locator("#ingest-open")).to_be_visible()
    expect(page.locator("#signin-open")).to_be_hidden()
    page.screenshot(path=str(artifacts / "map-signed-in.png"), clip=TOP_BAR)
    # The cookie is the server's alone: the page's scripts cannot read it.
    assert "zs_session" not in page.evaluate("document.cookie")
    page.click("#ingest-open")
    expect(page.locator("#ingest-dialog .ingest-token-field")).to_be_hidden()
    page.keyboard.press("Escape")

    editable_map_page.open()  # a reload keeps the sign-in
    expect(page.locator("#signin-who")).to_have_text("张三（编辑）")
    page.evaluate("window.zhengshou.setLang('en')")
    expect(page.locator("#signin-who")).to_have_text("张三 (editor)")
    page.evaluate("window.zhengshou.setLang('zh')")

    page.click("#signin-out")
    expect(page.locator("#signin-open")).to_be_visible()
    expect(page.locator("#ingest-open")).to_be_hidden()
    editable_map_page.open()
    assert page.evaluate("window.zhengshou.user()") is None
    editable_map_page.assert_clean()


def test_a_viewer_sees_no_editing_tools(editable_server, editable_map_page):
    password = make_account(editable_server.database_url, "访客甲", "viewer")
    editable_map_page.open()
    page = editable_map_page.page
    sign_in(page, "访客甲", password)
    expect(page.locator("#signin-who")).to_have_text("访客甲（查看）")
    expect(page.locator("#ingest-open")).to_be_hidden()
    assert page.evaluate("window.zhengshou.user()")["role"] == "viewer"


def test_a_wrong_password_is_told_in_words(editable_server, editable_map_page, artifacts):
    make_account(editable_server.database_url, "李四", "editor")
    editable_map_page.open()
    page = editable_map_page.page
    sign_in(page, "李四", "not the password")
    expect(page.locator("#signin-message")).to_have_text("用户名或密码不对。")
    page.screenshot(path=str(artifacts / "map-sign-in-refused.png"), clip=TOP_BAR)
    expect(page.locator("#signin-who")).to_be_hidden()
    make_account(editable_server.database_url, "李四", "editor")  # forget the failure


def test_an_expired_sign_in_is_told_and_signed_out(editable_server, editable_map_page):
    password = make_account(editable_server.database_url, "王五", "editor")
    editable_map_page.open()
    page = editable_map_page.page
    sign_in(page, "王五", password)
    expect(page.locator("#signin-who")).to_have_text("王五（编辑）")
    end_sessions_as_if_expired(editable_server.database_url, "王五")
    editable_map_page.open()
    expect(page.locator("#signin-message")).to_have_text("登录已过期，请重新登录。")
    expect(page.locator("#signin-open")).to_be_visible()
    expect(page.locator("#ingest-open")).to_be_hidden()
    sign_in(page, "王五", password)
    expect(page.locator("#signin-who")).to_have_text("王五（编辑）")
    expect(page.locator("#signin-message")).to_be_hidden()
