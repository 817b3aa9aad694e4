from decimal import Decimal

import pytest

from geo.errors import InvalidParcelData
from geo.intake.notice_table import parse_plan_table, read_plan_table, split_cells
from tests.support.expected_plan import PLAN_TITLE, PUBLISHED_TOTAL_MU, ROWS
from tests.support.files import NOTICE_FILE, ROOT


@pytest.fixture(scope="module")
def table():
    return read_plan_table(NOTICE_FILE)


def test_notice_in_repo_is_the_published_seed():
    shared = ROOT.parent / "shared" / "seeds" / "000_18b81b998ce3807f.txt"
    if shared.exists():
        assert NOTICE_FILE.read_bytes() == shared.read_bytes()


def test_table_has_13_rows_and_published_total(table):
    assert table.title == PLAN_TITLE
    assert [row.seq for row in table.rows] == list(range(1, 14))
    assert table.published_total_mu == Decimal(PUBLISHED_TOTAL_MU)
    assert sum(row.declared_area_mu for row in table.rows) == Decimal(PUBLISHED_TOTAL_MU)


@pytest.mark.parametrize("seq", sorted(ROWS))
def test_row_matches_hand_transcription(table, seq):
    row = table.rows[seq - 1]
    block, name, boundary, area, interest, unit = ROWS[seq]
    assert (row.block, row.name, row.boundary_text) == (block, name, boundary)
    assert row.declared_area_mu == Decimal(area)
    assert (row.interest_type, row.implementing_unit) == (interest, unit)


def test_typo_in_row_13_is_kept_verbatim(table):
    assert "己征收" in table.rows[12].boundary_text
    assert "已征收" in table.rows[10].boundary_text


def test_cells_join_layout_line_breaks():
    assert split_cells(["\t城东", "", "板块", "\t42.84"]) == ["城东板块", "42.84"]


def test_missing_table_is_reported():
    with pytest.raises(InvalidParcelData, match="no table titled"):
        parse_plan_table("一份没有附表的通知")


def test_merged_cell_without_value_above_is_reported():
    header = "".join(f"\t{h}\n" for h in "ABCDEFG")
    text = f"{PLAN_TITLE}\n{header}\t1\n\t\n\t名\n\t东至路\n\t1\n\t类型\n\t单位\n\t总计\n\t1\n"
    with pytest.raises(InvalidParcelData, match="empty block"):
        parse_plan_table(text)
