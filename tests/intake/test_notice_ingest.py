"""Ingesting any county's notice: plan and parcels written once, reviewed, corrected, repeatable."""

import json

import pytest
from sqlalchemy import text

from geo.errors import InvalidInput, UnreadableNotice
from geo.intake.notice_ingest import ingest_notice_file
from geo.notices.corrections import read_corrections
from tests.support.files import NOTICE_FILE, PARCELS_FILE
from tests.support.notice_corpus_office import CORPUS

ITEMS = CORPUS / "08_plan_items.txt"
SINGLE = CORPUS / "01_yugonggao_single.txt"

# A county notice in Jiaxing, laid out one paragraph per parcel (not Jiaxing's annex table):
# its 四至 name features of the stored reference layer, so its parcels can be digitized.
NANHU_ITEMS = """嘉兴市南湖区人民政府
南湖区2025年国有土地上房屋征收计划
南政发〔2025〕3号
现将南湖区2025年国有土地上房屋征收计划公布如下：
1. 大新弄17号地块，位于城东板块，四至范围：东至青龙街，南至大新路，西至秀水人家，北至秀水人家，面积约2.42亩，公共利益类型为旧城区改建，由嘉兴市南湖城市建设投资集团有限公司组织实施。
2. 无名地块，位于城东板块，四至范围：东至中山路，南至未知河，西至某某路，北至某某街，面积约3亩，公共利益类型为旧城区改建，由嘉兴市南湖城市建设投资集团有限公司组织实施。
嘉兴市南湖区人民政府
2025年3月1日
"""


def counts(session) -> tuple[int, int, int]:
    row = session.execute(
        text(
            "SELECT (SELECT count(*) FROM plans), (SELECT count(*) FROM parcels), "
            "(SELECT count(*) FROM parcel_history)"
        )
    ).one()
    return tuple(row)


def stored(session, code: str):
    return session.execute(
        text(
            "SELECT p.* FROM parcels p JOIN plans pl ON pl.id = p.plan_id "
            "WHERE pl.code = :code ORDER BY p.seq"
        ),
        {"code": code},
    ).all()


def plan_row(session, code: str):
    return session.execute(text("SELECT * FROM plans WHERE code = :code"), {"code": code}).one()


def test_a_county_plan_in_paragraphs_becomes_a_plan_and_its_parcels(session):
    result = ingest_notice_file(session, ITEMS.read_bytes(), ITEMS.name, code="QX2024")
    assert (result.load.inserted, result.load.updated) == (3, 0)
    expected = json.loads(ITEMS.with_suffix(".expected.json").read_text("utf-8"))
    rows = stored(session, "QX2024")
    assert [row.id for row in rows] == ["QX2024-01", "QX2024-02", "QX2024-03"]
    for row, wanted in zip(rows, expected["parcels"], strict=True):
        assert row.boundary_text == wanted["boundary"]
        assert row.block == wanted["place"]
        assert float(row.declared_area_mu) == round(float(wanted["mu"]), 2)
        assert row.implementing_unit == wanted["implementer"]
        # A fictional county: not recognised, so nothing is placed on another city's streets.
        assert row.geometry_source == "none" and row.geom is None
        assert "not recognised" in row.geometry_note
    plan = plan_row(session, "QX2024")
    assert plan.document_type == "征收计划"
    assert plan.issuer == expected["plan"]["issuer"]
    assert plan.notice_review["parcels"][1]["area"]["text"] == "18.0327亩"
    assert plan.notice_sha256 and len(plan.notice_sha256) == 64


def test_fields_the_notice_does_not_state_are_null_not_invented(session):
    ingest_notice_file(session, SINGLE.read_bytes(), SINGLE.name, code="YS2024")
    (row,) = stored(session, "YS2024")
    assert row.implementing_unit is None
    assert row.name == row.block == "柳湾街道石桥村、河口村"  # no 名称: called by its place
    assert float(row.declared_area_mu) == 258.85  # 17.2566 公顷
    plan = plan_row(session, "YS2024")
    # A title that does not name the county gets its issuer and number, so plans stay apart.
    assert plan.title == "延水县人民政府征收土地预公告（延水政〔2024〕72号）"
    assert (plan.document_type, plan.document_number) == ("预公告", "延水政〔2024〕72号")


def test_the_same_notice_again_changes_nothing_and_a_changed_one_is_recorded(session):
    data = ITEMS.read_bytes()
    ingest_notice_file(session, data, ITEMS.name, code="QX2024")
    before = counts(session)
    again = ingest_notice_file(session, data, ITEMS.name)  # the stored plan's code is found
    assert (again.load.inserted, again.load.updated, again.load.unchanged) == (0, 0, 3)
    assert counts(session) == before
    changed = data.decode("utf-8").replace("面积约9.86亩", "面积约10.2亩").encode("utf-8")
    result = ingest_notice_file(session, changed, ITEMS.name, actor="editor:test")
    assert (result.load.inserted, result.load.updated) == (0, 1)
    history = session.execute(
        text(
            "SELECT actor, old -> 'properties' ->> 'declared_area_mu' AS old_mu "
            "FROM parcel_history WHERE parcel_id = 'QX2024-03' ORDER BY id DESC LIMIT 1"
        )
    ).one()
    assert history.actor == "editor:test"
    assert float(history.old_mu) == 9.86


def test_a_parcel_left_out_of_a_later_notice_is_kept_and_named(session):
    data = ITEMS.read_text("utf-8")
    ingest_notice_file(session, data.encode(), ITEMS.name, code="QX2024")
    shorter = "\n".join(line for line in data.splitlines() if not line.startswith("3."))
    result = ingest_notice_file(session, shorter.encode(), ITEMS.name, code="QX2024")
    assert len(stored(session, "QX2024")) == 3
    assert any("QX2024-03 are not in this notice" in w for w in result.warnings)


def test_corrections_are_written_and_kept_with_what_the_notice_printed(session):
    fixes = read_corrections(
        [
            {"parcel": 0, "field": "area", "text": "13亩"},
            {"parcel": 2, "field": "implementer", "text": ""},
            {"field": "title", "text": "青溪县2024年房屋征收计划（更正）"},
        ]
    )
    result = ingest_notice_file(
        session,
        ITEMS.read_bytes(),
        ITEMS.name,
        code="QX2024",
        corrections=fixes,
        actor="editor:wang",
    )
    rows = stored(session, "QX2024")
    assert float(rows[0].declared_area_mu) == 13.0
    assert rows[2].implementing_unit is None
    plan = plan_row(session, "QX2024")
    assert plan.title.startswith("青溪县2024年房屋征收计划（更正）")
    where = plan.notice_review["parcels"][0]["area"]["where"]
    assert "corrected by editor:wang" in where and "约12.5亩" in where
    assert plan.notice_review["corrections"][0] == {"field": "area", "text": "13亩", "parcel": 0}
    assert result.to_dict()["written"]["inserted"] == 3


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"parcel": 0}, "must be a list"),
        ([{"parcel": 0, "field": "colour", "text": "x"}], "field must be one of"),
        ([{"parcel": "0", "field": "area", "text": "1亩"}], "parcel must be a whole number"),
        ([{"field": "area", "text": "1亩"}], "field must be one of"),
    ],
)
def test_malformed_corrections_are_refused_in_plain_words(raw, message):
    with pytest.raises(InvalidInput, match=message):
        read_corrections(raw)


def test_a_correction_of_a_parcel_not_listed_is_refused_and_nothing_is_written(session):
    before = counts(session)
    with pytest.raises(InvalidInput, match="there is no parcel 7"):
        ingest_notice_file(
            session,
            ITEMS.read_bytes(),
            ITEMS.name,
            code="QX2024",
            corrections=read_corrections([{"parcel": 7, "field": "name", "text": "x"}]),
        )
    assert counts(session) == before


def test_a_dry_run_writes_nothing_and_proposes_the_plan(session):
    before = counts(session)
    result = ingest_notice_file(session, ITEMS.read_bytes(), ITEMS.name, dry_run=True)
    assert counts(session) == before
    answer = result.to_dict()
    assert answer["dry_run"] is True and "written" not in answer
    assert answer["proposed_plan"]["code"].startswith("CN-2024-")  # no region: no adcode
    assert len(answer["parcels"]) == 3


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"", "empty.txt", "empty"),
        (b"\x00\x01\x02\xff" * 100, "blob.txt", "cannot be read"),
        (
            "某县人民政府\n关于做好防汛工作的通知\n各乡镇：请做好防汛工作。".encode(),
            "x.txt",
            "no parcels",
        ),
    ],
)
def test_a_notice_without_parcels_is_refused_and_nothing_is_written(session, data, name, message):
    before = counts(session)
    with pytest.raises(UnreadableNotice, match=message):
        ingest_notice_file(session, data, name, code="BAD")
    assert counts(session) == before


def test_a_code_that_another_plan_of_the_same_title_has_is_refused(session):
    ingest_notice_file(session, ITEMS.read_bytes(), ITEMS.name, code="QX2024")
    with pytest.raises(InvalidInput, match="already stored under the code 'QX2024'"):
        ingest_notice_file(session, ITEMS.read_bytes(), ITEMS.name, code="OTHER")


def test_the_jiaxing_notice_still_ingests_to_the_shipped_data_and_gains_its_region(session):
    shipped = json.loads(PARCELS_FILE.read_text(encoding="utf-8"))
    before = counts(session)
    result = ingest_notice_file(session, NOTICE_FILE.read_bytes(), NOTICE_FILE.name)
    assert result.plan["code"] == "JX2022"  # found from the stored plan of the same title
    assert (result.load.inserted, result.load.updated, result.load.unchanged) == (0, 0, 13)
    assert counts(session) == before
    plan = plan_row(session, "JX2022")
    assert plan.title == shipped["plan"]["title"]
    assert (plan.city, plan.adcode) == ("嘉兴市", "330400")


def test_a_county_notice_is_digitized_on_the_reference_features_of_its_own_region(session):
    result = ingest_notice_file(session, NANHU_ITEMS.encode(), "nanhu.txt", code="NH2025")
    sources = {o.id: o.geometry_source for o in result.outcomes}
    assert sources == {"NH2025-01": "digitized", "NH2025-02": "none"}
    first, second = stored(session, "NH2025")
    assert first.geom is not None and abs(float(first.measured_area_m2) / 666.67 - 2.42) < 0.5
    assert second.geom is None and "not in the reference layer" in second.geometry_note
    plan = plan_row(session, "NH2025")
    assert (plan.county, plan.adcode) == ("南湖区", "330402")


@pytest.mark.parametrize(
    "table, message",
    [
        ("序号,地块名称,四至\n1,甲地块,东至甲路\n2,乙地块,东至乙路\n", "has an area"),
        ("序号,四至,面积（亩）\n1,东至甲路,3.5\n2,东至乙路,4\n", "name or a place"),
    ],
)
def test_a_table_without_any_area_or_any_name_is_refused(session, table, message):
    before = counts(session)
    with pytest.raises(UnreadableNotice, match=message):
        ingest_notice_file(session, table.encode("utf-8"), "plan.csv", code="BAD")
    assert counts(session) == before


def test_a_corrected_title_under_the_same_code_renames_the_plan(session):
    ingest_notice_file(session, ITEMS.read_bytes(), ITEMS.name, code="QX2024")
    fixes = read_corrections([{"field": "title", "text": "青溪县2024年度房屋征收计划"}])
    result = ingest_notice_file(
        session, ITEMS.read_bytes(), ITEMS.name, code="QX2024", corrections=fixes
    )
    assert (result.load.inserted, result.load.updated) == (0, 0)
    titles = session.execute(text("SELECT title FROM plans WHERE code = 'QX2024'")).scalars().all()
    assert titles == ["青溪县2024年度房屋征收计划"]
    assert len(stored(session, "QX2024")) == 3


def test_the_jiaxing_layout_takes_no_corrections(session):
    before = counts(session)
    fixes = read_corrections([{"parcel": 0, "field": "name", "text": "虹桥新村"}])
    with pytest.raises(InvalidInput, match="Jiaxing plan layout"):
        ingest_notice_file(session, NOTICE_FILE.read_bytes(), NOTICE_FILE.name, corrections=fixes)
    assert counts(session) == before
