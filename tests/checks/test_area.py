"""PostGIS measures area on EPSG:4549, checked against shapes drawn on that plane."""

import pytest
from pyproj import Transformer
from shapely import MultiPolygon, Polygon, from_wkb
from sqlalchemy import select, text

from geo.area import MU_M2
from geo.checks.area import check_areas
from geo.intake.loader import load_parcels
from geo.intake.parcel_file import ParcelFile, ParcelRecord, PlanInfo
from geo.models import Parcel

TO_LONLAT = Transformer.from_crs("EPSG:4549", "EPSG:4326", always_xy=True)
TO_PLANE = Transformer.from_crs("EPSG:4326", "EPSG:4549", always_xy=True)


def test_measured_area_of_a_hand_computed_rectangle(session):
    # 150 m x 200 m on the Gauss-Kruger plane = 30 000 m2 = 45 mu exactly.
    corners = [
        (572_000, 3_402_000),
        (572_150, 3_402_000),
        (572_150, 3_402_200),
        (572_000, 3_402_200),
    ]
    rectangle = MultiPolygon([Polygon([TO_LONLAT.transform(x, y) for x, y in corners])])
    record = ParcelRecord(
        id="TEST-01",
        seq=1,
        block="测试",
        name="方块",
        boundary_text="东至甲，南至乙，西至丙，北至丁",
        declared_area_mu=45,
        interest_type="测试",
        implementing_unit="测试",
        geometry_source="surveyed",
        geometry_note="test rectangle",
        geometry=rectangle,
    )
    load_parcels(session, ParcelFile(PlanInfo(code="T", title="测试计划", year=2099), (record,)))
    measured = session.execute(
        select(Parcel.measured_area_m2).where(Parcel.id == "TEST-01")
    ).scalar_one()
    assert measured == pytest.approx(30_000, rel=1e-7)
    check = next(c for c in check_areas(session).parcels if c.id == "TEST-01")
    assert check.measured_area_mu == pytest.approx(30_000 / MU_M2, abs=0.005)
    assert check.status == "ok"


def test_stored_areas_equal_an_independent_pyproj_computation(session):
    rows = session.execute(
        text("SELECT id, ST_AsBinary(geom) AS wkb, measured_area_m2 FROM parcels")
    ).all()
    assert len(rows) == 13
    for row in rows:
        ring = from_wkb(bytes(row.wkb)).geoms[0].exterior
        xs, ys = TO_PLANE.transform(*zip(*ring.coords, strict=True))
        shoelace = abs(sum(xs[i] * ys[i + 1] - xs[i + 1] * ys[i] for i in range(len(xs) - 1))) / 2
        assert row.measured_area_m2 == pytest.approx(shoelace, rel=1e-6), row.id
