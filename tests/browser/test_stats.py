"""统计: the chosen plan's summary on the map page, as tables and SVG bar charts drawn by the page,
following the plan picker and the language switch, with Excel and CSV downloads."""

from collections import Counter
from decimal import Decimal
from pathlib import Path

import httpx
from playwright.sync_api import expect

from geo.messages import message
from geo.models import STAGES
from tests.support.expected_plan import ROWS
from tests.support.plans import SHAOXING

# Where a reviewer looks at the summary in Chinese (also kept under tests/artifacts/).
STATS_SCREENSHOT = Path("/tmp/zhengshou-stats.png")
BAR_SPAN = 440 - 160 - 64  # static/js/stats.js: chart width - label column - room for the value


def open_stats(page) -> None:
    page.click("#stats-open")
    expect(page.locator("#stats-dialog")).to_be_visible()
    expect(page.locator("#stats-dialog .stats-table").first).to_be_visible()


def rows_of(page, group: str) -> list[list[str]]:
    table = page.locator(f'.stats-group[data-group="{group}"] .stats-table tbody tr')
    return [
        [cell.strip() for cell in table.nth(i).locator("th, td").all_inner_texts()]
        for i in range(table.count())
    ]


def bars_of(page, group: str) -> list[dict]:
    return page.evaluate(
        """(group) => [...document.querySelectorAll(
            `.stats-group[data-group="${group}"] svg.stats-chart g.stats-bar`)].map((g) => ({
              value: g.dataset.value,
              amount: Number(g.dataset.amount),
              width: Number(g.querySelector("rect").getAttribute("width")),
              text: g.querySelector(".stats-bar-value").textContent,
            }))""",
        group,
    )


def test_stats_shows_the_plan_by_block_and_stage_with_bar_charts(
    plans_map_page, plans_server, artifacts
):
    plans_map_page.open()
    page = plans_map_page.page
    expect(page.locator("#stats-open")).to_have_text("统计")
    open_stats(page)
    dialog = page.locator("#stats-dialog")
    expect(dialog.locator("#stats-title")).to_contain_text("2022年嘉兴市级国有土地上房屋征收计划表")
    expect(dialog.locator(".stats-status")).to_contain_text("共 13 宗")

    # The block table against the notice's own table, typed by hand.
    counted = Counter(row[0] for row in ROWS.values())
    declared: dict[str, Decimal] = {}
    for block, _, _, area, _, _ in ROWS.values():
        declared[block] = declared.get(block, Decimal(0)) + Decimal(area)
    blocks = rows_of(page, "block")
    assert [row[0] for row in blocks] == list(counted)
    assert [int(row[1]) for row in blocks] == list(counted.values())
    assert [Decimal(row[4]) for row in blocks] == [declared[b] for b in counted]

    # The chart: a bar per block, its length in proportion to the declared 亩.
    bars = bars_of(page, "block")
    assert [bar["value"] for bar in bars] == list(counted)
    assert [Decimal(bar["text"]) for bar in bars] == [declared[b] for b in counted]
    largest = max(declared.values())
    for bar, block in zip(bars, counted, strict=True):
        assert abs(bar["width"] - float(declared[block] / largest) * BAR_SPAN) < 0.01

    # Every stage, named by the service, zeros included.
    stages = rows_of(page, "stage")
    assert [row[0] for row in stages] == [
        message(f"stage_names.{stage}", language="zh") for stage in STAGES
    ]
    assert [int(row[1]) for row in stages] == [13, 0, 0, 0, 0, 0, 0, 0]

    # The chart can count parcels instead.
    page.select_option("#stats-metric", "parcels")
    assert [bar["amount"] for bar in bars_of(page, "stage")] == [13, 0, 0, 0, 0, 0, 0, 0]
    page.select_option("#stats-metric", "declared_mu")

    # The downloads are the service's, in the page's language.
    for extension in ("xlsx", "csv"):
        link = dialog.locator(f"#stats-{extension}")
        href = link.get_attribute("href")
        assert href == f"/api/v1/plans/JX2022/summary.{extension}?lang=zh"
        response = httpx.get(plans_server + href)
        assert response.status_code == 200
        assert "summary-JX2022" in response.headers["content-disposition"]

    page.screenshot(path=str(STATS_SCREENSHOT), full_page=False)
    page.screenshot(path=str(artifacts / "stats-zh.png"), full_page=False)

    # The language switch asks the service again: its labels come back in English.
    page.evaluate("window.zhengshou.setLang('en')")
    expect(dialog.locator('.stats-group[data-group="stage"] h3')).to_have_text("Stage")
    expect(dialog.locator('.stats-group[data-group="stage"] tbody th').first).to_have_text(
        message("stage_names.planned", language="en")
    )
    assert dialog.locator("#stats-xlsx").get_attribute("href").endswith("?lang=en")
    plans_map_page.assert_clean()


def test_stats_follow_the_plan_picker_and_show_what_is_not_stated(plans_map_page):
    plans_map_page.open()
    page = plans_map_page.page
    page.select_option("#plan-select", SHAOXING.code)
    assert page.evaluate("window.zhengshou.planShown()") is True
    open_stats(page)
    expect(page.locator("#stats-title")).to_contain_text(SHAOXING.title)
    blocks = rows_of(page, "block")
    # One parcel states no block: its own row, last, and nothing measured (none is located).
    assert blocks == [
        ["古城板块", "1", "0", "1", "8.00", "—"],
        ["未载明", "1", "0", "1", "5.50", "—"],
    ]
    located = rows_of(page, "location")
    assert [row[:2] for row in located] == [["已落图", "0"], ["待落图", "2"]]
    assert [bar["amount"] for bar in bars_of(page, "block")] == [8.0, 5.5]
    plans_map_page.assert_clean()
