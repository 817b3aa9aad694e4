"""The set-based check summary agrees with the per-parcel checks on the shipped parcels."""

from sqlalchemy import text

from geo.checks.area import check_areas
from geo.checks.summary import check_summary
from geo.checks.topology import check_topology


def test_summary_counts_match_the_per_parcel_reports(session):
    summary = check_summary(session, tolerance_pct=5)
    areas = check_areas(session, tolerance_pct=5)
    assert summary["area"]["parcels"] == len(areas.parcels)
    assert summary["area"]["fail"] == sum(p.status == "fail" for p in areas.parcels)
    worst = max(areas.parcels, key=lambda p: abs(p.difference_pct))
    assert summary["area"]["worst"][0]["id"] == worst.id
    issues = check_topology(session)
    assert summary["topology"]["overlapping_pairs"] == sum(i.kind == "overlap" for i in issues)
    assert summary["topology"]["slivers"] == sum(i.kind == "sliver" for i in issues)
    assert summary["area"]["plans"][0]["status"] == areas.plans[0].status
    assert set(summary["seconds"]) == {
        "area",
        "plan_totals",
        "invalid",
        "overlaps",
        "slivers",
        "holes",
    }


def test_an_overlap_is_counted_and_can_be_left_out(session):
    # Move JX2022-02 onto JX2022-01: one overlapping pair within the plan.
    session.execute(
        text(
            "UPDATE parcels SET geom = (SELECT geom FROM parcels WHERE id = 'JX2022-01') "
            "WHERE id = 'JX2022-02'"
        )
    )
    summary = check_summary(session)
    assert summary["topology"]["overlapping_pairs"] >= 1
    pair = summary["topology"]["largest_overlaps"][0]
    assert {pair["first"], pair["second"]} == {"JX2022-01", "JX2022-02"}
    skipped = check_summary(session, overlaps=False)
    assert skipped["topology"]["overlapping_pairs"] is None and "overlaps" not in skipped["seconds"]
