"""The audits on a parcel far from 120E: Zhengzhou, Henan, measured on its own zone (EPSG:4547).

On EPSG:4549 the same shapes would come out 0.42 % longer and 0.85 % larger, which the exact
figures below would catch.
"""

import pytest
from geoalchemy2.shape import from_shape
from shapely import MultiPolygon, Polygon
from sqlalchemy import insert, text

from geo.checks.area import check_areas
from geo.checks.sides import check_sides
from geo.checks.topology import check_topology
from geo.models import ReferenceFeature
from tests.support.zones import HENAN, PlaneAt, load, record

HENAN_PLANE = PlaneAt(*HENAN)


@pytest.fixture
def only_henan(session):
    session.execute(text("DELETE FROM parcels"))
    session.execute(text("DELETE FROM reference_features"))
    return session


def add_reference(session, name: str, kind: str, shape) -> None:
    session.execute(
        insert(ReferenceFeature).values(
            name=name,
            kind=kind,
            geometry_source="surveyed",
            note="test",
            geom=from_shape(shape, srid=4326),
        )
    )


def test_overlaps_slivers_and_holes_are_measured_on_the_parcels_zone(only_henan):
    session, plane = only_henan, HENAN_PLANE
    square = plane.rectangle(0, 0, 100, 100).geoms[0]
    hole = plane.rectangle(40, 40, 5, 5).geoms[0]
    sliver = plane.rectangle(300, 0, 40, 0.5).geoms[0]
    load(
        session,
        record(1, MultiPolygon([Polygon(square.exterior.coords, [hole.exterior.coords]), sliver])),
        record(2, plane.rectangle(90, 0, 100, 100)),  # overlaps parcel 1 by 10 m x 100 m
    )
    assert session.execute(text("SELECT DISTINCT zone_epsg FROM parcels")).scalars().all() == [4547]
    issues = {(i.kind, i.parcel_ids[0]): i for i in check_topology(session)}
    assert issues[("overlap", "Z-01")].area_m2 == pytest.approx(1000, rel=1e-6)
    assert issues[("hole", "Z-01")].area_m2 == pytest.approx(25, rel=1e-6)
    assert issues[("sliver", "Z-01")].area_m2 == pytest.approx(20, rel=1e-6)


def test_side_distances_are_metres_on_the_parcels_zone(only_henan):
    session, plane = only_henan, HENAN_PLANE
    load(session, record(1, plane.rectangle(0, 0, 100, 100)))
    add_reference(session, "甲路", "road", plane.line((125, -50), (125, 150)))  # 25 m east
    add_reference(session, "乙河", "water", plane.line((-50, -25), (150, -25)))  # 25 m south
    add_reference(session, "丙路", "road", plane.line((-25, -50), (-25, 150)))  # 25 m west
    add_reference(session, "丁路", "road", plane.line((-50, 125), (150, 125)))  # 25 m north
    checks = check_sides(session)
    assert [(c.side, c.status) for c in checks] == [
        ("east", "ok"),
        ("south", "ok"),
        ("west", "ok"),
        ("north", "ok"),
    ]
    # Rounded to 0.1 m; on EPSG:4549 these would be 25.1 m.
    assert [c.distance_m for c in checks] == [25.0, 25.0, 25.0, 25.0]


def test_area_check_compares_the_area_on_the_parcels_zone(only_henan):
    session, plane = only_henan, HENAN_PLANE
    # 150 m x 200 m = 30 000 m² = 45 亩 on EPSG:4547; on EPSG:4549 it would be 45.38 亩.
    load(session, record(1, plane.rectangle(0, 0, 150, 200), declared_area_mu=45))
    [check] = check_areas(session, tolerance_pct=0.1).parcels
    assert check.measured_area_mu == 45.0 and check.status == "ok"
