"""Surveys of parcels outside zone 40, read and written in the parcel's own zone: Zhengzhou,
113.6E, is zone 38 (central meridian 114E), EPSG:4547 plain and EPSG:4526 with the zone number."""

import pytest
from pyproj import Transformer

from geo.survey.polygon import (
    InvalidSurvey,
    read_coordinate_text,
    read_point_table,
    read_survey,
    write_coordinate_text,
    write_point_table,
)
from tests.support.zones import HENAN, on_plane

ZONE = 4547
EASTING, NORTHING = (round(value) for value in on_plane(*HENAN[:2], ZONE))
SQUARE = [(100, 0), (100, 100), (0, 100), (0, 0)]  # (northing, easting) offsets: 10 000 m²


def table(prefix: int = 0, corners=SQUARE) -> bytes:
    """A point table of the square, Y with ``prefix`` (38 for zone 38) in front or plain."""
    rows = [
        f"J{i},1,{NORTHING + dx:.3f},{prefix * 1_000_000 + EASTING + dy:.3f}"
        for i, (dx, dy) in enumerate([*corners, corners[0]], start=1)
    ]
    return ("点号,圈号,X,Y\n" + "\n".join(rows) + "\n").encode()


def coordinate_text(zone: str, prefix: int) -> bytes:
    lines = ["[属性描述]", "坐标系=2000国家大地坐标系", "几度分带=3"]
    lines += [f"带号={zone}"] if zone else []
    lines += ["[地块坐标]", "5,1.0000,Z-01,1号地块,面,,,,@"]
    lines += table(prefix).decode().splitlines()[1:]
    return "\n".join(lines).encode()


def first_corner_lonlat(epsg: int, easting: float) -> tuple[float, float]:
    """pyproj's own reading of the first corner in a CRS (always_xy: easting first)."""
    return Transformer.from_crs(f"EPSG:{epsg}", "EPSG:4326", always_xy=True).transform(
        easting, NORTHING + 100
    )


def corners(parcel) -> set[tuple[float, float]]:
    return {(round(x, 9), round(y, 9)) for x, y in parcel.polygon_wgs84.exterior.coords}


def test_plain_eastings_are_read_in_the_parcels_zone():
    parcel = read_point_table(table(), "henan.csv", zone=ZONE)
    assert parcel.source_crs == "EPSG:4547" and parcel.area_m2 == pytest.approx(10_000, abs=0.005)
    lon, lat = first_corner_lonlat(4547, EASTING)
    assert (round(lon, 9), round(lat, 9)) in corners(parcel)
    assert 113.5 < lon < 113.7  # Zhengzhou, not 6 degrees east of it


def test_the_zone_number_38_is_epsg_4526_as_pyproj_reads_it():
    parcel = read_point_table(table(prefix=38), "henan.csv", zone=ZONE)
    assert parcel.source_crs == "EPSG:4526"
    lon, lat = first_corner_lonlat(4526, 38_000_000 + EASTING)
    assert (round(lon, 9), round(lat, 9)) in corners(parcel)
    plain = read_point_table(table(), "henan.csv", zone=ZONE)
    assert parcel.polygon_plane.equals_exact(plain.polygon_plane, tolerance=1e-6)


@pytest.mark.parametrize(
    ("data", "zone", "expected"),
    [
        pytest.param(table(prefix=40), ZONE, r"zone 40; the parcel lies in zone 38 ", id="zone-40"),
        pytest.param(
            table(prefix=46), None, r"zone 46, which is not a 3-degree zone", id="zone-46"
        ),
        pytest.param(
            table(), None, r"no zone number in front, and the parcel has no shape", id="plain"
        ),
    ],
)
def test_tables_in_another_zone_or_without_one_are_refused(data, zone, expected):
    with pytest.raises(InvalidSurvey, match=expected):
        read_point_table(data, "t.csv", zone=zone)


def test_a_parcel_without_a_shape_takes_the_zone_the_file_names():
    [stated] = read_coordinate_text(coordinate_text("38", prefix=0), zone=None)
    [prefixed] = read_survey(table(prefix=38), "t.csv", zone=None)
    assert (stated.source_crs, prefixed.source_crs) == ("EPSG:4547", "EPSG:4526")
    assert stated.polygon_wgs84.equals_exact(prefixed.polygon_wgs84, tolerance=1e-9)


@pytest.mark.parametrize(
    ("zone", "prefix", "parcel_zone", "expected"),
    [
        ("40", 38, ZONE, r"带号=40: zone 40 is not the parcel's zone; .*central meridian 114E"),
        ("38", 39, None, r"Y 39.* is in Gauss-Kruger zone 39; the parcel lies in zone 38 "),
        ("99", 38, None, r"带号=99: not a 3-degree Gauss-Kruger zone over China"),
    ],
)
def test_coordinate_files_naming_another_zone_are_refused(zone, prefix, parcel_zone, expected):
    with pytest.raises(InvalidSurvey, match=expected):
        read_coordinate_text(coordinate_text(zone, prefix), zone=parcel_zone)


def test_points_in_two_zones_are_refused():
    lines = table(prefix=38).decode().splitlines()
    label, ring, x, y = lines[3].split(",")  # row 4, J3
    lines[3] = ",".join([label, ring, x, str(float(y) - 1_000_000)])  # zone 37
    with pytest.raises(InvalidSurvey, match=r"row 4: .* is in zone 37, row 2 .* in zone 38"):
        read_point_table("\n".join(lines).encode(), "t.csv", zone=None)


def test_writing_uses_the_parcels_zone():
    parcel = read_point_table(table(), "henan.csv", zone=ZONE)
    text = write_coordinate_text(parcel.polygon_wgs84, "Z-01", "1号地块", zone=ZONE).decode()
    assert "带号=38\r\n" in text and f",38{EASTING:06d}.000\r\n" in text
    [again] = read_coordinate_text(text.encode(), zone=ZONE)
    assert again.source_crs == "EPSG:4526" and again.area_m2 == pytest.approx(10_000, abs=0.01)
    # Without a zone, a polygon is written in its own zone: Zhengzhou's is zone 38 too.
    own = write_point_table(parcel.polygon_wgs84).decode("utf-8-sig").splitlines()
    assert own[1] == f"J1,1,{NORTHING + 100}.000,{EASTING}.000"
