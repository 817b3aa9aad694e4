"""Topology and side audits in PostGIS, on hand-made shapes where the answer is known."""

import pytest
from geoalchemy2.shape import from_shape
from shapely import Polygon
from sqlalchemy import insert, text

from geo.checks.audit import audit_parcels
from geo.checks.sides import check_sides
from geo.checks.summary import check_summary
from geo.checks.topology import check_topology
from geo.intake.loader import load_parcels
from geo.intake.parcel_file import ParcelFile, ParcelRecord, PlanInfo
from geo.models import ReferenceFeature
from tests.support.plane import line, lonlat, multi, rectangle

PLAN = PlanInfo(code="T", title="测试计划", year=2099)


def parcel(
    seq: int, shape, text_: str = "东至甲路，南至乙河，西至丙路，北至丁路", area_mu: float = 15
) -> ParcelRecord:
    return ParcelRecord(
        id=f"T-{seq:02d}",
        seq=seq,
        block="测试",
        name=f"{seq}号测试地块",
        boundary_text=text_,
        declared_area_mu=area_mu,
        interest_type="测试",
        implementing_unit="测试",
        geometry_source="surveyed",
        geometry_note="test",
        geometry=lonlat(shape),
    )


def load(session, *parcels: ParcelRecord) -> None:
    """Load ``parcels`` as the test plan."""
    load_parcels(session, ParcelFile(PLAN, parcels))


def add_reference(session, name: str, kind: str, shape) -> None:
    session.execute(
        insert(ReferenceFeature).values(
            name=name,
            kind=kind,
            geometry_source="surveyed",
            note="test",
            geom=from_shape(lonlat(shape), srid=4326),
        )
    )


@pytest.fixture
def only_test_plan(session):
    session.execute(text("DELETE FROM parcels"))
    session.execute(text("DELETE FROM reference_features"))
    return session


def test_overlap_is_reported_with_its_area(only_test_plan):
    session = only_test_plan
    load(
        session,
        parcel(1, multi(rectangle(0, 0, 100, 100))),
        parcel(2, multi(rectangle(90, 0, 100, 100))),  # overlaps parcel 1 by 10 m x 100 m
        parcel(3, multi(rectangle(190, 0, 100, 100))),  # only touches parcel 2
    )
    overlaps = [i for i in check_topology(session) if i.kind == "overlap"]
    assert [(i.parcel_ids, i.severity) for i in overlaps] == [(["T-01", "T-02"], "fail")]
    assert overlaps[0].area_m2 == pytest.approx(1000, rel=1e-4)
    assert "重叠" in overlaps[0].zh


def test_touching_neighbours_are_not_overlaps_but_every_kind_of_overlap_is(only_test_plan):
    """A strip of parcels sharing edges, one drawn over its neighbour, one inside another, and
    a duplicate: each overlap is reported once, from either parcel and in the summary."""
    session = only_test_plan
    load(
        session,
        parcel(1, multi(rectangle(0, 0, 100, 100))),
        parcel(2, multi(rectangle(100, 0, 100, 100))),  # shares an edge with 1 and 3
        parcel(3, multi(rectangle(200, 0, 100, 100))),
        parcel(4, multi(rectangle(295, 0, 100, 100))),  # drawn 5 m over 3
        parcel(5, multi(rectangle(20, 20, 10, 10))),  # inside 1
        parcel(6, multi(rectangle(100, 100, 100, 50))),  # touches 2 along its north edge
        parcel(7, multi(rectangle(100, 100, 100, 50))),  # the same shape as 6
    )
    expected = {("T-01", "T-05"): 100, ("T-03", "T-04"): 500, ("T-06", "T-07"): 5000}
    found = {tuple(i.parcel_ids): i.area_m2 for i in check_topology(session) if i.kind == "overlap"}
    assert found.keys() == expected.keys()
    for pair, area in expected.items():
        assert found[pair] == pytest.approx(area, rel=1e-4)
    for parcel_id in ("T-01", "T-02", "T-03", "T-04", "T-05", "T-06", "T-07"):
        own = {
            tuple(i.parcel_ids): i.area_m2
            for i in check_topology(session, parcel_id=parcel_id)
            if i.kind == "overlap"
        }
        assert own == {pair: found[pair] for pair in found if parcel_id in pair}, parcel_id
    topology = check_summary(session)["topology"]
    assert topology["overlapping_pairs"] == 3
    assert topology["overlap_total_m2"] == pytest.approx(5600, rel=1e-4)
    largest = topology["largest_overlaps"][0]
    assert (largest["first"], largest["second"]) == ("T-06", "T-07")


def test_slivers_and_small_holes(only_test_plan):
    session = only_test_plan
    holed = Polygon(
        rectangle(0, 0, 100, 100).exterior.coords, [rectangle(40, 40, 5, 5).exterior.coords]
    )
    sliver = rectangle(300, 0, 40, 0.5)
    from shapely import MultiPolygon

    load(session, parcel(1, MultiPolygon([holed, sliver])))
    issues = {(i.kind, i.parcel_ids[0]): i for i in check_topology(session)}
    assert issues[("hole", "T-01")].area_m2 == pytest.approx(25, rel=1e-4)
    assert issues[("sliver", "T-01")].area_m2 == pytest.approx(20, rel=1e-4)
    assert all(i.severity == "warn" for i in issues.values())


def test_side_checks_on_a_square(only_test_plan):
    session = only_test_plan
    load(session, parcel(1, multi(rectangle(0, 0, 100, 100))))
    add_reference(session, "甲路", "road", line((110, -50), (110, 150)))  # east, 10 m off: ok
    add_reference(session, "乙河", "water", line((-50, -80), (150, -80)))  # south but 80 m off
    add_reference(session, "丙路", "road", line((120, -50), (120, 150)))  # named west, lies east
    # 丁路 is not in the reference layer at all
    checks = {c.side: c for c in check_sides(session)}
    assert checks["east"].status == "ok" and checks["east"].distance_m == pytest.approx(10, abs=0.1)
    assert checks["south"].status == "fail" and "80 m away" in checks["south"].en
    assert checks["west"].status == "fail" and "does not lie on the west side" in checks["west"].en
    assert checks["north"].status == "warn" and "not in the reference layer" in checks["north"].en
    assert "不在地块西侧" in checks["west"].zh
    # A wider distance makes the river acceptable; the compass test still holds.
    assert {c.side: c.status for c in check_sides(session, near_m=100)}["south"] == "ok"


def test_another_parcel_can_be_a_side(only_test_plan):
    session = only_test_plan
    load(
        session,
        parcel(
            1, multi(rectangle(0, 0, 100, 100)), "东至2号测试地块，南至乙河，西至丙路，北至丁路"
        ),
        parcel(2, multi(rectangle(100, 0, 100, 100))),
    )
    east = next(c for c in check_sides(session, "T-01") if c.side == "east")
    assert east.status == "ok" and east.matched == "parcel T-02" and east.distance_m == 0


def test_parcel_audit_combines_reasons(only_test_plan):
    session = only_test_plan
    load(
        session,
        parcel(1, multi(rectangle(0, 0, 100, 100)), area_mu=15),  # exactly 10 000 m2
        parcel(2, multi(rectangle(90, 0, 100, 100)), area_mu=30),  # half the declared area
    )
    audits = {a.id: a for a in audit_parcels(session)}
    assert audits["T-02"].status == "fail"
    reasons = " ".join(r["en"] for r in audits["T-02"].reasons)
    assert "overlap" in reasons and "differs from the declared" in reasons
    assert audits["T-01"].area["status"] == "ok"
    assert any("实测面积" in r["zh"] for r in audits["T-02"].reasons)


def test_shared_name_on_two_sides_takes_the_one_on_each_side(only_test_plan):
    session = only_test_plan
    load(
        session,
        parcel(1, multi(rectangle(0, 0, 100, 100)), "东至甲路，南至围墙，西至丙路，北至围墙"),
    )
    add_reference(session, "围墙", "wall", line((-20, -1), (120, -1)))
    add_reference(session, "围墙", "wall", line((-20, 101), (120, 101)))
    walls = {c.side: c for c in check_sides(session) if c.name == "围墙"}
    assert walls["south"].status == walls["north"].status == "ok"


def test_shipped_digitized_parcels_pass_their_side_checks(session):
    checks = check_sides(session)
    assert checks, "the shipped parcels name features"
    failing = [(c.parcel_id, c.side, c.name, c.en) for c in checks if c.status != "ok"]
    assert failing == []
