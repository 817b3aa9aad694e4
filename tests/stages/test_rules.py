"""The rules of a stage change, without a database."""

from datetime import date

import pytest

from geo.errors import InvalidInput
from geo.messages import use_language
from geo.stages import MAIN_LINE, OFF_LINE, STAGES, parse_stages
from geo.stages.rules import checked_stage_change, is_backward, iso_date, stage_warnings

AT_PLAN = {"stage": "planned", "stage_date": None, "stage_document": None, "stage_reason": None}
IN_COMPENSATION = {
    "stage": "compensation",
    "stage_date": "2023-01-01",
    "stage_document": "补偿安置方案",
    "stage_reason": None,
    "agreements_signed": 10,
    "agreements_total": 40,
}
DAY = date(2024, 3, 8)


def refused(current, changes, *words, language="en"):
    with use_language(language), pytest.raises(InvalidInput) as caught:
        checked_stage_change(current, changes)
    for word in words:
        assert word in str(caught.value)
    return str(caught.value)


def test_the_main_line_and_the_two_ways_off_it_make_every_stage():
    assert (*MAIN_LINE, *OFF_LINE) == STAGES
    assert MAIN_LINE[0] == "planned" and MAIN_LINE[-1] == "handed_over"


def test_an_edit_without_stage_fields_is_left_alone():
    changes = {"name": "新名称"}
    assert checked_stage_change(AT_PLAN, changes) is changes


def test_a_move_needs_its_date_in_plain_words_in_both_languages():
    english = refused(AT_PLAN, {"stage": "pre_notice"}, "stage_date", "pre-notice")
    chinese = refused(AT_PLAN, {"stage": "pre_notice"}, "stage_date", "预公告", language="zh")
    assert english != chinese


def test_a_move_clears_the_details_of_the_stage_left_behind():
    changes = checked_stage_change(IN_COMPENSATION, {"stage": "handed_over", "stage_date": DAY})
    assert changes == {
        "stage": "handed_over",
        "stage_date": DAY,
        "stage_document": None,
        "stage_reason": None,
        "agreements_signed": None,
        "agreements_total": None,
    }


def test_restating_the_stage_keeps_what_is_not_given():
    changes = checked_stage_change(IN_COMPENSATION, {"agreements_signed": 20})
    assert changes == {"agreements_signed": 20}


@pytest.mark.parametrize("stage", ["paused", "withdrawn"])
def test_paused_and_withdrawn_need_a_reason(stage):
    refused(AT_PLAN, {"stage": stage, "stage_date": DAY}, "stage_reason")
    refused(AT_PLAN, {"stage": stage, "stage_date": DAY, "stage_reason": "  "}, "stage_reason")
    done = checked_stage_change(
        AT_PLAN, {"stage": stage, "stage_date": DAY, "stage_reason": "项目调整"}
    )
    assert done["stage_reason"] == "项目调整"


def test_agreements_are_counted_in_compensation_only_and_never_exceed_the_total():
    refused(AT_PLAN, {"stage": "decision", "stage_date": DAY, "agreements_signed": 1}, "counted")
    refused(IN_COMPENSATION, {"agreements_signed": 41}, "41", "40")
    refused(IN_COMPENSATION, {"agreements_total": 0}, "agreements_total")
    refused(IN_COMPENSATION, {"agreements_total": 5}, "10", "5")  # below those already signed
    assert checked_stage_change(IN_COMPENSATION, {"agreements_signed": 40})


def test_moving_back_is_a_correction_that_says_why():
    decided = AT_PLAN | {"stage": "decision", "stage_date": "2023-05-20"}
    back = {"stage": "pre_notice", "stage_date": DAY}
    refused(decided, back, "correction", "stage_reason")
    assert checked_stage_change(decided, back | {"stage_reason": "决定文号录错，退回"})


def test_a_withdrawn_parcel_is_taken_up_again_only_with_a_reason_a_paused_one_freely():
    withdrawn = AT_PLAN | {"stage": "withdrawn", "stage_reason": "规划调整"}
    refused(withdrawn, {"stage": "decision", "stage_date": DAY}, "stage_reason")
    paused = AT_PLAN | {"stage": "paused", "stage_reason": "资金未到位"}
    assert checked_stage_change(paused, {"stage": "decision", "stage_date": DAY})


def test_a_notice_without_a_date_may_move_a_parcel_undated():
    assert checked_stage_change(AT_PLAN, {"stage": "pre_notice"}, dated=False)


def test_a_decision_without_its_approval_number_is_warned_about():
    assert stage_warnings({"stage": "decision", "approval_reference": None})
    assert not stage_warnings({"stage": "decision", "approval_reference": "嘉政发〔2022〕1号"})
    assert not stage_warnings({"stage": "pre_notice", "approval_reference": None})


@pytest.mark.parametrize("value", ["2022-13-01", "14/05/2022", "", 20220514, None, "2022-5-4"])
def test_dates_are_written_year_month_day(value):
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        iso_date(value, "stage_date")


def test_stage_lists_are_checked():
    assert parse_stages("decision,compensation") == ("decision", "compensation")
    with pytest.raises(InvalidInput, match="planned, pre_notice"):
        parse_stages("decision,decided")
    assert is_backward("handed_over", "planned") and not is_backward("paused", "planned")
