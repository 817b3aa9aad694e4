"""A later notice for the same parcels moves them to the stage it proves; never back."""

from sqlalchemy import text

from geo.intake.notice_ingest import ingest_notice_file
from geo.messages import message
from geo.parcels.history import parcel_history
from geo.stages.changes import StageChange, change_stage
from geo.stages.timeline import parcel_timeline
from tests.support.files import NOTICE_FILE
from tests.support.notice_corpus_office import CORPUS

PLAN = CORPUS / "08_plan_items.txt"  # 青溪县2024年国有土地上房屋征收计划, three parcels
CODE = "QX2024"
IDS = ["QX2024-01", "QX2024-02", "QX2024-03"]
PLAN_TEXT = PLAN.read_text("utf-8")
PLAN_TITLE, *BODY, ISSUER, PLAN_DATE = PLAN_TEXT.strip().splitlines()


def later(title: str, number: str, day: str | None) -> bytes:
    """The plan's parcels in a later notice: its own title, number and date."""
    lines = [title, number, *BODY, ISSUER, *([day] if day else [])]
    return "\n".join(lines).encode("utf-8")


START = later("青溪县2024年国有土地上房屋征收启动公告", "青政征启〔2024〕3号", "2024年3月1日")
DECISION = later(
    "青溪县人民政府关于南门菜市场改造项目等房屋征收决定的公告", "青政发〔2024〕8号", "2024年5月20日"
)


def ingest(session, data: bytes, name: str):
    return ingest_notice_file(session, data, name, code=CODE)


def stages(session) -> dict[str, tuple]:
    rows = session.execute(
        text(
            "SELECT id, stage, stage_date::text, stage_document, approval_reference "
            "FROM parcels WHERE id = ANY(:ids) ORDER BY id"
        ),
        {"ids": IDS},
    )
    return {row.id: tuple(row)[1:] for row in rows}


def test_the_plan_lists_its_parcels_in_the_plan(session):
    result = ingest(session, PLAN.read_bytes(), PLAN.name)
    assert result.proven_stage.stage == "planned"
    assert result.stages.moved == [] and result.stages.kept == IDS
    assert {stage for stage, *_ in stages(session).values()} == {"planned"}


def test_a_start_notice_then_a_decision_move_the_same_parcels_forward(session):
    ingest(session, PLAN.read_bytes(), PLAN.name)
    started = ingest(session, START, "qidong.txt")
    assert started.load.unchanged == 3 and started.stages.moved == IDS
    for stage, day, document, approval in stages(session).values():
        assert (stage, day, approval) == ("pre_notice", "2024-03-01", None)
        assert "启动公告" in document and "青政征启〔2024〕3号" in document
    decided = ingest(session, DECISION, "jueding.txt")
    assert decided.stages.moved == IDS
    assert decided.to_dict()["stage"]["moved"] == IDS
    for stage, day, document, approval in stages(session).values():
        assert (stage, day, approval) == ("decision", "2024-05-20", "青政发〔2024〕8号")
        assert "征收决定" in document
    history = parcel_history(session, "QX2024-02")
    assert [change["action"] for change in history] == ["load", "update", "update"]
    assert history[-1]["actor"] == "cli:ingest"
    assert history[-1]["reason"] == message(
        "stages.notice_reason", document=stages(session)["QX2024-02"][2]
    )
    timeline = parcel_timeline(session, "QX2024-02")
    assert [step["stage"] for step in timeline] == ["planned", "pre_notice", "decision"]


def test_ingesting_again_changes_nothing_and_an_earlier_notice_never_moves_back(session):
    ingest(session, PLAN.read_bytes(), PLAN.name)
    ingest(session, DECISION, "jueding.txt")
    stored = stages(session)
    count = session.execute(text("SELECT count(*) FROM parcel_history")).scalar_one()
    again = ingest(session, DECISION, "jueding.txt")
    assert again.stages.moved == [] and again.stages.kept == IDS
    late = ingest(session, START, "qidong.txt")
    assert late.stages.moved == [] and late.stages.kept == IDS
    replanned = ingest(session, PLAN.read_bytes(), PLAN.name)
    assert replanned.stages.moved == []
    assert stages(session) == stored
    after = session.execute(text("SELECT count(*) FROM parcel_history")).scalar_one()
    assert after == count  # no stage write; the plan's title changes, its parcels do not


def test_a_paused_parcel_stays_paused_and_the_notice_says_so(session):
    ingest(session, PLAN.read_bytes(), PLAN.name)
    version = session.execute(
        text("SELECT version FROM parcels WHERE id = 'QX2024-03'")
    ).scalar_one()
    pause = StageChange.from_json(
        {"stage": "paused", "date": "2024-02-01", "reason": "医院规划调整"}
    )
    change_stage(session, "QX2024-03", pause, version, "test")
    result = ingest(session, START, "qidong.txt")
    assert result.stages.moved == IDS[:2] and result.stages.kept == ["QX2024-03"]
    assert stages(session)["QX2024-03"][0] == "paused"
    assert any("QX2024-03" in warning for warning in result.warnings)


def test_a_new_plan_from_a_pre_notice_starts_at_its_stage_with_its_date(session):
    notice = CORPUS / "01_yugonggao_single.txt"
    result = ingest_notice_file(session, notice.read_bytes(), notice.name, code="YS2024")
    (parcel_id,) = result.stages.moved
    timeline = parcel_timeline(session, parcel_id)
    assert [step["stage"] for step in timeline] == ["planned", "pre_notice"]
    assert timeline[-1]["date"] == "2024-10-12"
    assert "预公告" in timeline[-1]["document"] and "延水政〔2024〕72号" in timeline[-1]["document"]


def test_a_notice_without_a_date_moves_its_parcels_undated_with_a_warning(session):
    notice = (CORPUS / "03_qidong_two_parcels.txt").read_text("utf-8")
    undated = notice.replace("2024年3月8日", "").encode("utf-8")
    result = ingest_notice_file(session, undated, "qidong.txt", code="FY2024")
    assert len(result.stages.moved) == 2
    assert message("stages.notice_no_date", stage=message("stage_names.pre_notice")) in (
        result.warnings
    )
    dates = session.execute(
        text("SELECT stage, stage_date FROM parcels WHERE id = ANY(:ids)"),
        {"ids": result.stages.moved},
    ).all()
    assert dates == [("pre_notice", None)] * 2


def test_a_dry_run_says_which_stage_the_notice_proves(session):
    result = ingest_notice_file(None, DECISION, "jueding.txt", code=CODE, dry_run=True)
    stage = result.to_dict()["stage"]
    assert (stage["stage"], stage["date"], stage["approval_reference"]) == (
        "decision",
        "2024-05-20",
        "青政发〔2024〕8号",
    )
    assert "moved" not in stage


def test_the_jiaxing_plan_leaves_the_shipped_parcels_planned(session):
    result = ingest_notice_file(session, NOTICE_FILE.read_bytes(), NOTICE_FILE.name, code="JX2022")
    assert result.stages.moved == [] and len(result.stages.kept) == 13
    assert (result.load.updated, result.load.unchanged) == (0, 13)
