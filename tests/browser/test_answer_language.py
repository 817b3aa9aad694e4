"""The page asks the service for answers in the language the planner picked."""

from playwright.sync_api import expect


def test_server_messages_follow_the_page_language(map_page):
    map_page.open()
    page = map_page.page
    card = page.locator("#lookup-result")
    search = page.locator("#search-input")

    # Chinese (the default): a refused address and a look-up's own message, in Chinese.
    search.fill("xyz")
    search.press("Enter")
    expect(card).to_have_attribute("data-verdict", "error")
    expect(card).to_contain_text("查询失败：'xyz' 不是地址：其中既没有汉字，也没有数字。")
    search.fill("上海市浦东新区世纪大道100号")
    search.press("Enter")
    expect(card).to_contain_text("上海市不在本服务覆盖的范围内（嘉兴市）。")

    page.click("#lang-toggle")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    search.fill("xyz")
    search.press("Enter")
    expect(card).to_contain_text(
        "Look-up failed: 'xyz' is not an address: it has no Chinese characters and no digits."
    )
    search.fill("上海市浦东新区世纪大道100号")
    search.press("Enter")
    expect(card).to_contain_text("上海市 is outside the area this service covers (嘉兴市).")

    page.click("#lang-toggle")  # and back: the next answer is in Chinese again
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    search.fill("xyz ")
    search.press("Enter")
    expect(card).to_contain_text("不是地址")

    # Only the refused look-ups were logged (Chromium logs every 400 itself).
    assert all("status of 400" in error for error in map_page.errors), map_page.errors
    assert map_page.foreign_requests() == []
