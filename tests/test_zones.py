"""Areas measured in the right zone: the zone rule in Python and SQL, and the stored area against
pyproj, for small parcels from Kashgar (75.5E) to Fuyuan (134.8E)."""

import pytest
from pyproj import CRS
from shapely import Point
from sqlalchemy import select, text

from geo.area import (
    ZONE_EPSGS,
    central_meridian,
    describe_zone,
    from_plane,
    planar_area_m2,
    prefixed_epsg,
    to_plane,
    zone_by_number,
    zone_epsg,
    zone_number,
    zone_of,
)
from geo.models import ZONE_EPSG_SQL, Parcel
from tests.support.zones import (
    HENAN,
    SITES,
    ZONE_40,
    load,
    pyproj_area_m2,
    record,
    scale_factor,
    square,
)

# Ties (1.5 degrees from two meridians: 76.5, 82.5, …) and longitudes beyond China's zones too.
LONGITUDES = [60.0, 73.5, 75.0, 76.5, 79.5, 82.5, 88.49, 88.51, 113.6, 118.5, 121.5, 136.6, 140.0]


def stored(session, parcel_id: str):
    return session.execute(
        select(Parcel.zone_epsg, Parcel.measured_area_m2).where(Parcel.id == parcel_id)
    ).one()


@pytest.mark.parametrize("epsg", list(ZONE_EPSGS))
def test_zone_helpers_agree_with_the_epsg_registry(epsg):
    assert CRS.from_epsg(epsg).name.endswith(f"CM {central_meridian(epsg)}E")
    assert CRS.from_epsg(prefixed_epsg(epsg)).name.endswith(f"zone {zone_number(epsg)}")
    assert zone_by_number(zone_number(epsg)) == epsg
    assert zone_epsg(central_meridian(epsg)) == epsg
    assert describe_zone(epsg).startswith(f"EPSG:{epsg} (")


def test_helpers_refuse_what_is_not_a_zone():
    assert zone_by_number(24) is None and zone_by_number(46) is None
    with pytest.raises(ValueError, match="EPSG:4326 is not a CGCS2000 3-degree zone"):
        prefixed_epsg(4326)


def test_python_and_sql_choose_the_same_zone(session):
    longitudes = LONGITUDES + [lon for lon, _, _ in SITES.values()]
    in_sql = session.execute(
        text(f"""
            SELECT {ZONE_EPSG_SQL}
            FROM unnest(CAST(:lons AS double precision[])) WITH ORDINALITY AS lon(value, ord),
                 LATERAL (SELECT ST_SetSRID(ST_MakePoint(lon.value, 35), 4326) AS geom) AS p
            ORDER BY lon.ord"""),
        {"lons": longitudes},
    ).scalars()
    assert list(in_sql) == [zone_epsg(lon) for lon in longitudes]
    no_shape = text(f"SELECT {ZONE_EPSG_SQL} FROM (SELECT NULL::geometry AS geom) AS p")
    assert session.execute(no_shape).scalar_one() is None


@pytest.mark.parametrize("site", list(SITES))
def test_stored_zone_and_area_equal_pyproj_in_that_zone(session, site):
    lon, lat, expected_zone = SITES[site]
    shape = square(lon, lat, expected_zone)
    assert zone_of(shape) == expected_zone
    load(session, record(1, shape))
    zone, measured = stored(session, "Z-01")
    assert zone == expected_zone
    assert measured == pytest.approx(pyproj_area_m2(shape, expected_zone), abs=0.01)
    # Drawn as a 100 m square on its own zone's plane, so 10 000 m² there.
    assert measured == pytest.approx(10_000, abs=0.01)
    assert planar_area_m2(shape) == pytest.approx(measured, abs=0.01)


def test_in_henan_zone_40_would_enlarge_the_area_by_its_scale_factor(session):
    lon, lat, zone = HENAN
    shape = square(lon, lat, zone)
    load(session, record(1, shape))
    _, measured = stored(session, "Z-01")
    in_zone_40 = session.execute(
        text("SELECT ST_Area(ST_Transform(geom, :zone)) FROM parcels WHERE id = 'Z-01'"),
        {"zone": ZONE_40},
    ).scalar_one()
    assert in_zone_40 == pytest.approx(pyproj_area_m2(shape, ZONE_40), abs=0.01)
    # 6.4 degrees from 120E, a Gauss-Kruger plane enlarges lengths by about 0.42 %.
    centre = shape.centroid
    expected = (scale_factor(centre.x, centre.y, 120) / scale_factor(centre.x, centre.y, 114)) ** 2
    assert in_zone_40 / measured == pytest.approx(expected, rel=1e-6)
    assert in_zone_40 - measured == pytest.approx(84.6, abs=0.1)
    assert (in_zone_40 - measured) / (10_000 / 15) > 0.1  # 0.13 亩: plans publish 0.01 亩


def test_planes_round_trip_in_any_zone():
    point = Point(113.6, 34.75)
    for zone in (4547, ZONE_40):
        back = from_plane(to_plane(point, zone), zone)
        assert back.distance(point) < 1e-9
    assert to_plane(point).equals_exact(to_plane(point, 4547), 0)  # its own zone by default
    assert abs(to_plane(point, 4547).x - 500_000) < 40_000  # near its meridian, 0.4 degrees off
