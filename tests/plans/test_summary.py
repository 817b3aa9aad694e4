"""A plan's summary (统计) against its stored parcels, grouped independently in the test."""

from collections import Counter
from decimal import Decimal

import pytest
from sqlalchemy import text

from geo.intake.notice_ingest import ingest_notice_file
from geo.messages import message, use_language
from geo.models import STAGES
from geo.notices.corpus import notices
from geo.plans.summary import GROUPINGS, plan_summary
from tests.support.expected_plan import PUBLISHED_TOTAL_MU, ROWS
from tests.support.notice_corpus_office import CORPUS
from tests.support.plans import HANGZHOU, SHAOXING, UNSTATED_ID, load_test_plans
from tests.support.summary import assert_row_matches, independent_groups

ROW_KEYS = [
    "value",
    "label",
    "parcels",
    "located",
    "not_located",
    "declared_mu",
    "declared_unstated",
    "measured_mu",
]
VOCABULARIES = {
    "stage": list(STAGES),
    "area_check": ["ok", "fail", "not_declared", "not_located"],
    "location": ["located", "not_located"],
}


def assert_summary_matches_parcels(session, code: str, summary: dict) -> None:
    """Every grouping's rows, and the totals, are what the stored parcels add up to."""
    expected = independent_groups(session, code)
    assert [group["key"] for group in summary["groups"]] == [g.key for g in GROUPINGS]
    for group in summary["groups"]:
        wanted = expected[group["key"]]
        values = [row["value"] for row in group["rows"]]
        if group["key"] in VOCABULARIES:  # every value, in order, zero rows included
            assert values == VOCABULARIES[group["key"]]
        else:  # in order of first appearance in the notice, not stated last
            first_seen = [value for value in wanted if value is not None]
            assert values == first_seen + ([None] if None in wanted else [])
        for row in group["rows"]:
            assert list(row) == ROW_KEYS
            if row["value"] in wanted:
                assert_row_matches(row, wanted[row["value"]])
            else:
                assert row["parcels"] == row["located"] == row["declared_unstated"] == 0
                assert row["declared_mu"] is None and row["measured_mu"] is None
        # Nothing dropped: each grouping adds up to the plan.
        assert sum(row["parcels"] for row in group["rows"]) == summary["totals"]["parcels"]
    assert_row_matches(summary["totals"], expected["total"][None])
    statuses = {value: figures.parcels for value, figures in expected["area_check"].items()}
    assert summary["area_check"] == {
        status: statuses.get(status, 0) for status in VOCABULARIES["area_check"]
    }


def test_the_jiaxing_plan_adds_up_to_its_parcels(session):
    with use_language("zh"):
        summary = plan_summary(session, "JX2022")
    assert_summary_matches_parcels(session, "JX2022", summary)
    assert summary["plan"]["code"] == "JX2022"
    assert summary["tolerance_pct"] == 5.0
    assert summary["totals"]["label"] == "合计"
    assert summary["totals"]["parcels"] == 13 == summary["totals"]["located"]
    assert Decimal(str(summary["totals"]["declared_mu"])) == Decimal(PUBLISHED_TOTAL_MU)
    # Against the notice's own table, typed by hand: parcels and declared 亩 per block.
    blocks = next(group for group in summary["groups"] if group["key"] == "block")
    assert blocks["label"] == "所属板块"
    counted = Counter(row[0] for row in ROWS.values())
    declared: dict[str, Decimal] = {}
    for block, _, _, area, _, _ in ROWS.values():
        declared[block] = declared.get(block, Decimal(0)) + Decimal(area)
    assert {row["value"]: row["parcels"] for row in blocks["rows"]} == dict(counted)
    assert {row["value"]: Decimal(str(row["declared_mu"])) for row in blocks["rows"]} == declared
    assert [row["label"] for row in blocks["rows"]] == list(counted)  # the notice's order


def test_stage_names_come_from_the_catalogue_in_each_language(session):
    for language in ("zh", "en"):
        with use_language(language):
            summary = plan_summary(session, "JX2022")
        stages = next(group for group in summary["groups"] if group["key"] == "stage")
        assert [row["label"] for row in stages["rows"]] == [
            message(f"stage_names.{stage}", language=language) for stage in STAGES
        ]
    assert stages["label"] == "Stage" and stages["rows"][0]["label"] != "列入计划"


def test_a_stage_change_shows_in_the_stage_group(session):
    session.execute(
        text("UPDATE parcels SET stage = 'decision' WHERE id IN ('JX2022-01', 'JX2022-05')")
    )
    session.execute(
        text(
            "UPDATE parcels SET stage = 'paused', stage_reason = '规划调整' WHERE id = 'JX2022-07'"
        )
    )
    summary = plan_summary(session, "JX2022")
    assert_summary_matches_parcels(session, "JX2022", summary)
    stages = {
        row["value"]: row
        for row in next(g for g in summary["groups"] if g["key"] == "stage")["rows"]
    }
    assert {stage: row["parcels"] for stage, row in stages.items()} == {
        stage: {"planned": 10, "decision": 2, "paused": 1}.get(stage, 0) for stage in STAGES
    }
    declared = {seq: Decimal(area) for seq, (_, _, _, area, _, _) in ROWS.items() if seq in (1, 5)}
    assert Decimal(str(stages["decision"]["declared_mu"])) == sum(declared.values())


@pytest.fixture
def mixed_plans(session):
    """The test plans, with Hangzhou's parcels made to cover every area verdict and blanks:
    01 declared far from measured (fail), 02 located but no declared area (not_declared),
    03 no shape and no block (not_located, not stated), and a blank public-interest type."""
    load_test_plans(session)
    session.execute(
        text("UPDATE parcels SET declared_area_mu = 30, interest_type = '  ' WHERE id = :id"),
        {"id": HANGZHOU.parcel_id(1)},
    )
    session.execute(
        text("UPDATE parcels SET declared_area_mu = NULL WHERE id = :id"),
        {"id": HANGZHOU.parcel_id(2)},
    )
    session.execute(
        text("UPDATE parcels SET block = NULL WHERE id = :id"), {"id": HANGZHOU.parcel_id(3)}
    )


def test_unstated_fields_and_shapeless_parcels_are_groups_of_their_own(session, mixed_plans):
    with use_language("zh"):
        hangzhou = plan_summary(session, HANGZHOU.code)
        shaoxing = plan_summary(session, SHAOXING.code)
    for code, summary in ((HANGZHOU.code, hangzhou), (SHAOXING.code, shaoxing)):
        assert_summary_matches_parcels(session, code, summary)
    assert hangzhou["area_check"] == {"ok": 0, "fail": 1, "not_declared": 1, "not_located": 1}
    assert hangzhou["totals"]["located"] == 2 and hangzhou["totals"]["not_located"] == 1
    groups = {group["key"]: group["rows"] for group in hangzhou["groups"]}
    unstated_block = groups["block"][-1]
    assert (unstated_block["value"], unstated_block["label"]) == (None, "未载明")
    assert unstated_block["parcels"] == 1 and unstated_block["measured_mu"] is None
    assert [row["label"] for row in groups["interest_type"]] == ["旧城区改建", "未载明"]
    # Shaoxing: nothing located; one parcel states neither block, type nor company.
    assert shaoxing["totals"]["measured_mu"] is None and shaoxing["totals"]["located"] == 0
    unstated = {
        group["key"]: group["rows"][-1]
        for group in shaoxing["groups"]
        if group["key"] in ("block", "implementing_unit", "interest_type")
    }
    assert all(row["value"] is None and row["parcels"] == 1 for row in unstated.values())
    stage = session.scalar(text("SELECT stage FROM parcels WHERE id = :id"), {"id": UNSTATED_ID})
    assert stage == "planned" and shaoxing["totals"]["parcels"] == 2


def test_a_corpus_notice_without_areas_or_companies(session):
    path = next(p for p in notices(CORPUS) if p.name.startswith("03_"))
    ingest_notice_file(session, path.read_bytes(), path.name, code="C03")
    with use_language("en"):
        summary = plan_summary(session, "C03")
    assert_summary_matches_parcels(session, "C03", summary)
    assert summary["totals"]["declared_mu"] is None
    assert summary["totals"]["declared_unstated"] == summary["totals"]["parcels"] == 2
    assert summary["area_check"]["not_declared"] == 2
    companies = next(g for g in summary["groups"] if g["key"] == "implementing_unit")["rows"]
    assert [(row["value"], row["label"], row["parcels"]) for row in companies] == [
        (None, "not stated", 2)
    ]


def test_an_unknown_plan_and_a_bad_tolerance_are_refused(session):
    from geo.errors import InvalidInput, PlanNotFound

    with pytest.raises(PlanNotFound):
        plan_summary(session, "NOPE")
    with pytest.raises(InvalidInput):
        plan_summary(session, "JX2022", tolerance_pct=101)


def test_the_tolerance_moves_parcels_between_verdicts(session):
    strict = plan_summary(session, "JX2022", tolerance_pct=0)
    lenient = plan_summary(session, "JX2022", tolerance_pct=100)
    assert strict["area_check"]["ok"] == 0 and strict["area_check"]["fail"] == 13
    assert lenient["area_check"]["fail"] == 0
