"""Changing stages through the one write path: history, as_of, the timeline, filters, a plan."""

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from geo.errors import InvalidInput, ParcelRetired, VersionConflict
from geo.messages import message, use_language
from geo.parcels.editing import retire_parcel, update_parcel
from geo.parcels.export import parcel_frame
from geo.parcels.history import parcel_as_of, parcel_history
from geo.parcels.reads import ParcelFilter, feature_collection_json
from geo.stages.changes import StageChange, change_plan_stage, change_stage
from geo.stages.timeline import parcel_timeline

PARCEL = "JX2022-06"


def version(session, parcel_id=PARCEL) -> int:
    return session.execute(
        text("SELECT version FROM parcels WHERE id = :id"), {"id": parcel_id}
    ).scalar_one()


def move(session, parcel_id=PARCEL, **body):
    change = StageChange.from_json(body)
    return change_stage(session, parcel_id, change, version(session, parcel_id), "test:规划科")


def test_a_stage_change_is_an_edit_with_history_and_as_of(session):
    before = version(session)
    result = move(session, stage="pre_notice", date="2022-06-01", document="征收启动公告")
    properties = result.feature["properties"]
    assert result.changed and properties["version"] == before + 1
    assert (properties["stage"], properties["stage_date"]) == ("pre_notice", "2022-06-01")
    assert properties["stage_document"] == "征收启动公告"
    last = parcel_history(session, PARCEL)[-1]
    assert (last["action"], last["actor"]) == ("update", "test:规划科")
    assert last["old"]["properties"]["stage"] == "planned"
    assert last["new"]["properties"]["stage"] == "pre_notice"
    with use_language("en"):
        assert last["reason"] == message(
            "stages.change_reason_document",
            stage=message("stage_names.pre_notice"),
            date="2022-06-01",
            document="征收启动公告",
        )
    changed_at = datetime.fromisoformat(last["at"])
    assert parcel_as_of(session, PARCEL, changed_at)["properties"]["stage"] == "pre_notice"
    earlier = parcel_as_of(session, PARCEL, changed_at - timedelta(microseconds=1))
    assert earlier["properties"]["stage"] == "planned"


def test_restating_the_same_record_writes_nothing(session):
    move(session, stage="risk_assessment", date="2022-07-01")
    count = len(parcel_history(session, PARCEL))
    again = move(session, stage="risk_assessment", date="2022-07-01")
    assert not again.changed and len(parcel_history(session, PARCEL)) == count


def test_a_stale_version_is_refused_as_for_any_edit(session):
    change = StageChange.from_json({"stage": "pre_notice", "date": "2022-06-01"})
    stale = version(session)
    move(session, stage="pre_notice", date="2022-06-01")
    with pytest.raises(VersionConflict):
        change_stage(session, PARCEL, change, stale, "test")


def test_the_edit_path_applies_the_rules_too(session):
    body = {"properties": {"stage": "paused", "stage_date": "2022-08-01"}, "reason": "暂停"}
    with pytest.raises(InvalidInput, match="stage_reason"):
        update_parcel(session, PARCEL, body, version(session), "test")
    body["properties"]["stage_reason"] = "资金未落实"
    paused = update_parcel(session, PARCEL, body, version(session), "test")
    assert paused["properties"]["stage_reason"] == "资金未落实"


def test_the_timeline_is_every_stage_the_parcel_has_been_in(session):
    move(session, stage="pre_notice", date="2022-06-01", document="启动公告")
    update_parcel(  # an edit of something else is no step of the timeline
        session,
        PARCEL,
        {"properties": {"name": "4号地块"}, "reason": "核对"},
        version(session),
        "t",
    )
    move(session, stage="decision", date="2022-09-01", approval_reference="嘉政发〔2022〕9号")
    move(
        session,
        stage="compensation",
        date="2022-10-01",
        agreements_signed=10,
        agreements_total=40,
    )
    move(
        session,
        stage="compensation",
        date="2022-10-01",
        agreements_signed=30,
        agreements_total=40,
    )
    move(session, stage="handed_over", date="2023-02-01", document="交地确认书")
    with use_language("zh"):
        timeline = parcel_timeline(session, PARCEL)
    assert [step["stage"] for step in timeline] == [
        "planned",
        "pre_notice",
        "decision",
        "compensation",
        "compensation",
        "handed_over",
    ]
    assert timeline[0]["action"] == "load" and timeline[0]["date"] is None
    assert timeline[1]["label"] == message("stage_names.pre_notice", language="zh")
    assert (timeline[1]["date"], timeline[1]["document"]) == ("2022-06-01", "启动公告")
    assert timeline[2]["approval_reference"] == "嘉政发〔2022〕9号"
    assert [s["agreements_signed"] for s in timeline[3:5]] == [10, 30]
    assert timeline[4]["agreements_share"] == 0.75
    assert timeline[5]["agreements_signed"] is None  # the count belonged to compensation
    assert all(step["changed_by"] == "test:规划科" for step in timeline[1:])
    history_times = {change["at"] for change in parcel_history(session, PARCEL)}
    assert {step["changed_at"] for step in timeline} <= history_times


def test_a_retired_parcel_keeps_its_timeline(session):
    move(session, stage="pre_notice", date="2022-06-01")
    retire_parcel(session, PARCEL, "合并", version(session), "test")
    assert [step["stage"] for step in parcel_timeline(session, PARCEL)] == [
        "planned",
        "pre_notice",
    ]
    change = StageChange.from_json({"stage": "decision", "date": "2022-09-01"})
    with pytest.raises(ParcelRetired):
        change_stage(session, PARCEL, change, 1, "test")


def test_lists_and_exports_filter_by_stage(session):
    move(session, "JX2022-01", stage="decision", date="2022-09-01")
    move(session, "JX2022-02", stage="decision", date="2022-09-01")
    move(session, "JX2022-03", stage="compensation", date="2022-10-01")
    decided = json.loads(feature_collection_json(session, ParcelFilter(stages=("decision",))))
    assert [f["id"] for f in decided["features"]] == ["JX2022-01", "JX2022-02"]
    both = parcel_frame(session, ParcelFilter(stages=("decision", "compensation")), 4326)
    assert list(both["id"]) == ["JX2022-01", "JX2022-02", "JX2022-03"]
    assert list(both["stage_date"]) == ["2022-09-01", "2022-09-01", "2022-10-01"]
    planned = json.loads(feature_collection_json(session, ParcelFilter(stages=("planned",))))
    assert len(planned["features"]) == 10


def test_a_whole_plan_moves_in_one_go_or_not_at_all(session):
    change = StageChange.from_json({"stage": "pre_notice", "date": "2022-06-01"})
    moved = change_plan_stage(session, "JX2022", change, "test")
    assert len(moved.changed) == 13 and not moved.unchanged
    again = change_plan_stage(session, "JX2022", change, "test")
    assert not again.changed and len(again.unchanged) == 13
    move(session, "JX2022-05", stage="decision", date="2022-09-01")
    back = StageChange.from_json({"stage": "risk_assessment", "date": "2022-08-01"})
    with pytest.raises(InvalidInput, match="JX2022-05"):
        change_plan_stage(session, "JX2022", back, "test")
    stages = session.execute(text("SELECT DISTINCT stage FROM parcels ORDER BY 1")).scalars()
    assert list(stages) == ["decision", "pre_notice"]  # nothing moved, not even JX2022-01…04
    with pytest.raises(InvalidInput, match="JX2099-01"):
        change_plan_stage(session, "JX2022", change, "test", ["JX2022-01", "JX2099-01"])
