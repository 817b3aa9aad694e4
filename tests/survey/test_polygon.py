"""Survey results (勘测定界): reading boundary points, building the polygon, area, writing.

Areas are checked against hand computations on the plane: X is the northing, Y the easting.
"""

import doctest
import io
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from pyproj import Transformer
from shapely import Polygon

import geo.survey.formats
import geo.survey.polygon
from geo.area import MU_M2
from geo.errors import InvalidInput
from geo.survey.polygon import (
    MAX_POINTS,
    InvalidSurvey,
    read_coordinate_text,
    read_point_table,
    read_survey,
    write_coordinate_text,
    write_point_table,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "survey"
X0, Y0 = 3_400_000.0, 572_000.0  # near Jiaxing: lon 120.75, lat 30.72
PREFIX = 40_000_000.0

# (X northing, Y easting) offsets from (X0, Y0), each a ring in boundary-point order.
SQUARE = [(100, 0), (100, 100), (0, 100), (0, 0)]  # 100 m x 100 m = 10000 m2
HOLE = [(40, 30), (40, 60), (20, 60), (20, 30)]  # 20 m x 30 m = 600 m2
L_SHAPE = [(50, 0), (50, 20), (20, 20), (20, 60), (0, 60), (0, 0)]  # 50x20 + 20x40 = 1800 m2
BOW_TIE = [(0, 0), (100, 100), (0, 100), (100, 0)]  # edges J1-J2 and J3-J4 cross at (50, 50)

# The example in the brief: a 100 m square in zone 40, stated as 0.2856 公顷.
BRIEF_EXAMPLE = """[属性描述]
格式版本号=1.01版本
数据产生单位=嘉兴市某测绘院
数据产生日期=2022-06-01
坐标系=2000国家大地坐标系
几度分带=3
投影类型=高斯克吕格
计量单位=米
带号=40
精度=0.001
转换参数=,,,,,,
[地块坐标]
5,0.2856,JX2022-06,4号地块,面,,,,@
J1,1,3404567.123,40572345.678
J2,1,3404567.123,40572445.678
J3,1,3404467.123,40572445.678
J4,1,3404467.123,40572345.678
J1,1,3404567.123,40572345.678
"""


def rows_of(*rings, prefix=False, close=True):
    """Point-table rows (点号, 圈号, X, Y) for rings given as offsets from (X0, Y0)."""
    rows, number = [], 0
    for ring_number, ring in enumerate(rings, start=1):
        labels = [f"J{number + i}" for i in range(1, len(ring) + 1)]
        number += len(ring)
        points = list(zip(labels, ring, strict=True))
        for label, (dx, dy) in points + (points[:1] if close else []):
            y = Y0 + dy + (PREFIX if prefix else 0)
            rows.append([label, ring_number, f"{X0 + dx:.3f}", f"{y:.3f}"])
    return rows


def csv_bytes(rows, header="点号,圈号,X,Y", encoding="utf-8"):
    lines = ([header] if header else []) + [",".join(str(cell) for cell in row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def coordinate_text(*blocks, zone="40"):
    """A coordinate text file; each block is (header line, rows)."""
    lines = ["[属性描述]", "坐标系=2000国家大地坐标系", "几度分带=3", f"带号={zone}", "[地块坐标]"]
    for header, rows in blocks:
        lines += [header, *(",".join(str(cell) for cell in row) for row in rows)]
    return "\n".join(lines).encode()


def message_of(excinfo):
    return str(excinfo.value)


# --- Point tables -----------------------------------------------------------------------------


def test_square_without_zone_prefix_is_epsg_4549_and_measures_15_mu():
    parcel = read_point_table(csv_bytes(rows_of(SQUARE)), "square.csv")
    assert parcel.source_crs == "EPSG:4549"
    assert parcel.area_m2 == pytest.approx(10_000.00, abs=0.005)
    assert parcel.area_mu == 15.00
    assert parcel.point_count == 4
    assert parcel.parcel_number is None and parcel.stated_area_m2 is None
    # polygon_plane is (easting, northing): X in the file is the northing.
    assert parcel.polygon_plane.bounds == (Y0, X0, Y0 + 100, X0 + 100)
    lon, lat = parcel.polygon_wgs84.centroid.coords[0]
    assert lon == pytest.approx(120.75, abs=0.05)  # Jiaxing
    assert lat == pytest.approx(30.72, abs=0.05)


def test_square_with_zone_prefix_is_epsg_4528_with_the_same_area_and_place():
    plain = read_point_table(csv_bytes(rows_of(SQUARE)), "square.csv")
    prefixed = read_point_table(csv_bytes(rows_of(SQUARE, prefix=True)), "square.csv")
    assert prefixed.source_crs == "EPSG:4528"
    assert prefixed.area_m2 == pytest.approx(10_000.00, abs=0.005)
    assert prefixed.area_mu == 15.00
    assert prefixed.polygon_plane.equals_exact(plain.polygon_plane, tolerance=1e-6)
    # The prefix arithmetic agrees with pyproj's own EPSG:4528 (always_xy: easting first).
    to_lonlat = Transformer.from_crs("EPSG:4528", "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform(PREFIX + Y0, X0)
    corners = {(round(x, 9), round(y, 9)) for x, y in prefixed.polygon_wgs84.exterior.coords}
    assert (round(lon, 9), round(lat, 9)) in corners


def test_hole_in_ring_2_is_subtracted():
    # 100 x 100 - 20 x 30 = 9400 m2 = 14.10 mu
    parcel = read_point_table(csv_bytes(rows_of(SQUARE, HOLE)), "holed.csv")
    assert parcel.area_m2 == pytest.approx(9_400.00, abs=0.005)
    assert parcel.area_mu == 14.10
    assert len(parcel.polygon_plane.interiors) == 1
    assert parcel.point_count == 8


def test_l_shape_area_by_hand():
    # 50 x 20 + 20 x 40 = 1800 m2 = 2.70 mu
    parcel = read_point_table(csv_bytes(rows_of(L_SHAPE)), "l.csv")
    assert parcel.area_m2 == pytest.approx(1_800.00, abs=0.005)
    assert parcel.area_mu == round(1_800 / MU_M2, 2) == 2.70
    assert parcel.point_count == 6


def test_unclosed_ring_is_closed_and_repeated_points_are_dropped():
    rows = rows_of(L_SHAPE, close=False)
    rows.insert(2, list(rows[1]))  # J2 twice in a row
    parcel = read_point_table(csv_bytes(rows), "l.csv")
    assert parcel.area_m2 == pytest.approx(1_800.00, abs=0.005)
    assert parcel.point_count == 6


def test_ring_column_is_optional_and_headers_may_carry_units():
    rows = [[label, x, y] for label, _, x, y in rows_of(SQUARE)]
    parcel = read_point_table(csv_bytes(rows, header="界址点号,纵坐标X(m),横坐标Y（m）"), "a.csv")
    assert parcel.area_m2 == pytest.approx(10_000.00, abs=0.005)


def test_winding_order_does_not_matter_and_the_exterior_is_stored_counter_clockwise():
    clockwise = read_point_table(csv_bytes(rows_of(SQUARE)), "cw.csv")
    counter = read_point_table(csv_bytes(rows_of(SQUARE[::-1])), "ccw.csv")
    assert clockwise.area_m2 == counter.area_m2
    assert clockwise.polygon_wgs84.exterior.is_ccw and counter.polygon_wgs84.exterior.is_ccw


@pytest.mark.parametrize("columns", [4, 3])
def test_header_less_csv(columns):
    rows = rows_of(SQUARE, prefix=True)
    if columns == 3:
        rows = [[label, x, y] for label, _, x, y in rows]
    parcel = read_point_table(csv_bytes(rows, header=None), "points.csv")
    assert parcel.area_m2 == pytest.approx(10_000.00, abs=0.005)
    assert parcel.source_crs == "EPSG:4528"


def test_gbk_csv_with_bom_free_chinese_header():
    data = csv_bytes(rows_of(L_SHAPE), encoding="gbk")
    assert read_point_table(data, "gbk.csv").area_m2 == pytest.approx(1_800.00, abs=0.005)


def test_utf8_csv_with_bom():
    data = b"\xef\xbb\xbf" + csv_bytes(rows_of(SQUARE))
    assert read_point_table(data, "bom.csv").area_mu == 15.00


def test_xlsx_with_title_rows_numbers_and_merged_ring_cells():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["界址点坐标表"])
    sheet.append(["项目名称", "嘉兴市某地块"])
    sheet.append(["点号", "圈号", "X", "Y", "边长"])
    for index, (label, ring, x, y) in enumerate(rows_of(SQUARE, HOLE)):
        # Only the first row of each ring carries its number, as with merged cells.
        first_of_ring = index == 0 or ring != rows_of(SQUARE, HOLE)[index - 1][1]
        sheet.append([label, ring if first_of_ring else None, float(x), float(y)])
        sheet.append([None, None, None, None, 100.0])  # edge-length row between points
    buffer = io.BytesIO()
    workbook.save(buffer)
    parcel = read_point_table(buffer.getvalue(), "界址点坐标表.xlsx")
    assert parcel.area_m2 == pytest.approx(9_400.00, abs=0.005)
    assert parcel.point_count == 8


# --- Coordinate text files --------------------------------------------------------------------


def test_coordinate_text_one_block_reports_the_stated_area_and_the_difference():
    [parcel] = read_coordinate_text(BRIEF_EXAMPLE.encode())
    assert (parcel.parcel_number, parcel.parcel_name) == ("JX2022-06", "4号地块")
    assert parcel.source_crs == "EPSG:4528"
    assert parcel.area_m2 == pytest.approx(10_000.00, abs=0.005)
    assert parcel.stated_area_m2 == pytest.approx(2_856.0)  # 0.2856 公顷
    summary = parcel.to_dict()
    assert summary["area_difference_m2"] == 7_144.00  # 10000 - 2856
    assert summary["area_difference_pct"] == 250.14  # 7144 / 2856
    assert summary["point_count"] == 4


def test_coordinate_text_two_blocks():
    holed, l_shape = read_coordinate_text((FIXTURES / "two_parcels_utf8.txt").read_bytes())
    assert holed.parcel_name == "1号地块（含内环）"
    assert holed.area_m2 == pytest.approx(9_400.00, abs=0.005)
    assert holed.to_dict()["area_difference_m2"] == 0.00
    assert l_shape.parcel_number == "JX2022-02"
    assert l_shape.area_m2 == pytest.approx(1_800.00, abs=0.005)
    assert l_shape.to_dict()["area_difference_m2"] == -1.00  # stated 0.1801 公顷
    assert l_shape.to_dict()["area_difference_pct"] == -0.06  # -1 / 1801


def test_gbk_coordinate_text_reads_like_utf8():
    gbk = read_coordinate_text((FIXTURES / "two_parcels_gbk.txt").read_bytes())
    utf8 = read_coordinate_text((FIXTURES / "two_parcels_utf8.txt").read_bytes())
    assert [p.to_dict() for p in gbk] == [p.to_dict() for p in utf8]
    assert gbk[0].parcel_name == "1号地块（含内环）"


def test_rings_of_one_ring_number_separated_by_closing():
    # Some software writes the hole with the same ring number, separated only by closing.
    rows = [[label, 1, x, y] for label, _, x, y in rows_of(SQUARE, HOLE, prefix=True)]
    [parcel] = read_coordinate_text(coordinate_text(("10,,,,面,,,,@", rows)))
    assert parcel.area_m2 == pytest.approx(9_400.00, abs=0.005)


def test_area_with_unit_and_six_digit_eastings():
    [parcel] = read_coordinate_text(coordinate_text(("5,1.0000公顷,A,,面,,,,@", rows_of(SQUARE))))
    assert parcel.stated_area_m2 == pytest.approx(10_000.0)
    assert parcel.source_crs == "EPSG:4549"
    assert parcel.parcel_name is None


@pytest.mark.parametrize(
    ("zone", "prefix_y", "expected"),
    [
        ("39", 39_000_000.0, r"line 4: 带号=39: zone 39 is not the parcel's zone; .* zone 40 "),
        ("", 39_000_000.0, r"line 7: Y 39572000.0 is in Gauss-Kruger zone 39; .* zone 40 "),
    ],
)
def test_a_zone_other_than_the_parcels_is_refused(zone, prefix_y, expected):
    rows = [[label, ring, x, f"{float(y) + prefix_y:.3f}"] for label, ring, x, y in rows_of(SQUARE)]
    with pytest.raises(InvalidSurvey, match=expected):
        read_coordinate_text(coordinate_text(("5,1,A,B,面,,,,@", rows), zone=zone))


def test_other_datums_and_six_degree_zones_are_refused():
    text = BRIEF_EXAMPLE.replace("2000国家大地坐标系", "1980西安坐标系")
    with pytest.raises(InvalidSurvey, match=r"line 5: 坐标系=1980西安坐标系 is not supported"):
        read_coordinate_text(text.encode())
    with pytest.raises(InvalidSurvey, match=r"line 6: 几度分带=6: only 3-degree zones"):
        read_coordinate_text(BRIEF_EXAMPLE.replace("几度分带=3", "几度分带=6").encode())


def test_header_count_above_the_lines_present_means_a_cut_file():
    text = BRIEF_EXAMPLE.replace("5,0.2856", "9,0.2856")
    with pytest.raises(InvalidSurvey, match=r"line 13: parcel 4号地块 states 9 points but only 5"):
        read_coordinate_text(text.encode())


def test_line_parcels_are_refused():
    with pytest.raises(InvalidSurvey, match=r"line 13: parcel '4号地块' is drawn as '线'"):
        read_coordinate_text(BRIEF_EXAMPLE.replace(",面,", ",线,").encode())


# --- Dispatch ---------------------------------------------------------------------------------


def test_read_survey_dispatches_by_extension_and_content():
    text = (FIXTURES / "two_parcels_gbk.txt").read_bytes()
    assert len(read_survey(text, "坐标.txt")) == 2
    assert len(read_survey(text, "misnamed.csv")) == 2  # content starts with [属性描述]
    assert len(read_survey(BRIEF_EXAMPLE.encode(), "upload")) == 1
    [parcel] = read_survey(csv_bytes(rows_of(SQUARE)), "POINTS.CSV")
    assert parcel.area_mu == 15.00


# --- Writing and round trips ------------------------------------------------------------------


def test_write_point_table_numbers_clockwise_from_the_north_west_corner():
    parcel = read_point_table(csv_bytes(rows_of(SQUARE[::-1])), "square.csv")
    data = write_point_table(parcel.polygon_wgs84)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines == [
        "点号,圈号,X,Y",
        "J1,1,3400100.000,572000.000",
        "J2,1,3400100.000,572100.000",
        "J3,1,3400000.000,572100.000",
        "J4,1,3400000.000,572000.000",
        "J1,1,3400100.000,572000.000",
    ]


@pytest.mark.parametrize("rings", [(SQUARE,), (SQUARE, HOLE), (L_SHAPE,)], ids=["sq", "hole", "L"])
@pytest.mark.parametrize("prefix", [False, True])
def test_point_table_round_trip(rings, prefix):
    original = read_point_table(csv_bytes(rows_of(*rings)), "in.csv")
    written = write_point_table(original.polygon_wgs84, with_zone_prefix=prefix)
    again = read_point_table(written, "out.csv")
    assert again.area_m2 == pytest.approx(original.area_m2, abs=0.01)
    assert again.point_count == original.point_count
    assert again.source_crs == ("EPSG:4528" if prefix else "EPSG:4549")


@pytest.mark.parametrize("rings", [(SQUARE,), (SQUARE, HOLE), (L_SHAPE,)], ids=["sq", "hole", "L"])
def test_coordinate_text_round_trip(rings):
    original = read_point_table(csv_bytes(rows_of(*rings)), "in.csv")
    written = write_coordinate_text(
        original.polygon_wgs84, "JX2022-07", "7号地块", produced_on=date(2024, 5, 1)
    )
    text = written.decode("utf-8")
    assert "带号=40\r\n" in text and "数据产生日期=2024-05-01\r\n" in text
    assert "数据产生单位=zhengshou\r\n" in text
    [again] = read_coordinate_text(written)
    assert again.area_m2 == pytest.approx(original.area_m2, abs=0.01)
    assert again.point_count == original.point_count
    assert (again.parcel_number, again.parcel_name) == ("JX2022-07", "7号地块")
    assert again.source_crs == "EPSG:4528"
    assert again.stated_area_m2 == pytest.approx(original.area_m2, abs=0.5)  # 4 decimals of 公顷


def test_written_coordinate_text_header_line():
    parcel = read_point_table(csv_bytes(rows_of(SQUARE, HOLE)), "in.csv")
    lines = write_coordinate_text(parcel.polygon_wgs84, "A-1", "甲").decode().splitlines()
    index = lines.index("[地块坐标]")
    assert lines[index + 1] == "10,0.9400,A-1,甲,面,,,,@"  # 4 + 1 and 4 + 1 lines, 9400 m2
    assert lines[index + 2] == "J1,1,3400100.000,40572000.000"
    assert lines[index + 7] == "J5,2,3400040.000,40572030.000"  # the hole continues numbering
    assert lines[-1] == "J5,2,3400040.000,40572030.000"


def test_writing_refuses_commas_in_names_and_non_polygons():
    parcel = read_point_table(csv_bytes(rows_of(SQUARE)), "in.csv")
    with pytest.raises(InvalidSurvey, match="cannot hold a comma"):
        write_coordinate_text(parcel.polygon_wgs84, "A,1", "甲")
    with pytest.raises(InvalidSurvey, match="one non-empty polygon"):
        write_point_table(Polygon())


def test_to_dict_is_json_ready():
    [parcel] = read_coordinate_text(BRIEF_EXAMPLE.encode())
    summary = json.loads(json.dumps(parcel.to_dict()))
    assert summary["area_m2"] == 10_000.00 and summary["area_mu"] == 15.00
    assert summary["stated_area_m2"] == 2_856.00
    assert summary["source_crs"] == "EPSG:4528" and summary["hole_count"] == 0
    west, south, east, north = summary["bbox"]
    assert 120.7 < west < east < 120.8 and 30.7 < south < north < 30.8
    no_stated = read_point_table(csv_bytes(rows_of(SQUARE)), "a.csv").to_dict()
    assert no_stated["area_difference_m2"] is None and no_stated["area_difference_pct"] is None


# --- Errors -----------------------------------------------------------------------------------


def test_error_is_an_invalid_input_with_a_stable_code():
    assert issubclass(InvalidSurvey, InvalidInput)
    assert InvalidSurvey.code == "invalid_survey"


def test_bow_tie_names_the_crossing_edges_and_where():
    with pytest.raises(InvalidSurvey) as excinfo:
        read_point_table(csv_bytes(rows_of(BOW_TIE)), "bow.csv")
    assert message_of(excinfo) == (
        "ring 1 (rows 2 to 6) crosses itself (self-intersection): the edge from J1 (row 2) to "
        "J2 (row 3) meets the edge from J3 (row 4) to J4 (row 5) at X=3400050.000, Y=572050.000."
    )


def test_bow_tie_in_the_text_format_names_lines_and_prefixed_y():
    rows = rows_of(BOW_TIE, prefix=True)
    with pytest.raises(
        InvalidSurvey, match=r"self-intersection.*line 7.*X=3400050.000, Y=40572050"
    ):
        read_coordinate_text(coordinate_text(("5,1,A,B,面,,,,@", rows)))


def test_hole_overlapping_another_hole_is_explained_by_geos():
    other = [(dx + 5, dy + 5) for dx, dy in HOLE]
    with pytest.raises(InvalidSurvey, match=r"valid polygon .*self-intersection at X=.*, Y="):
        read_point_table(csv_bytes(rows_of(SQUARE, HOLE, other)), "a.csv")


def too_many_points():
    ring = [(i % 2 * 0.001 + i * 0.01, 0) for i in range(MAX_POINTS)] + [(0, 50)]
    return csv_bytes(rows_of(ring))


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        pytest.param(
            csv_bytes(rows_of([(0, 0), (0, 100), (0, 0)])),
            "a.csv",
            "row 4: ring 1 (rows 2 to 4) closes after only 2 distinct points; a ring needs at least 3.",
            id="closes-after-2",
        ),
        pytest.param(
            csv_bytes(rows_of([(0, 0), (0, 100)], close=False)),
            "a.csv",
            "ring 1 (rows 2 to 3) has only 2 distinct points; a ring needs at least 3.",
            id="fewer-than-3",
        ),
        pytest.param(
            csv_bytes(rows_of(SQUARE)[:2] + rows_of(SQUARE, prefix=True)[2:]),
            "a.csv",
            "row 4: Y 40572100.0 differs from row 2 (Y 572000.0, without the zone prefix 40); "
            "every point must be written the same way.",
            id="mixed-prefix",
        ),
        pytest.param(
            csv_bytes([["J1", 1, "3400100.0", "572000"], ["J2", 1, "三四〇〇", "572100"]]),
            "a.csv",
            "row 3: X '三四〇〇' is not a number.",
            id="non-numeric-x",
        ),
        pytest.param(
            csv_bytes(rows_of(SQUARE, [(dx + 500, dy) for dx, dy in HOLE])),
            "a.csv",
            "ring 2 (rows 7 to 11) lies outside ring 1 (rows 2 to 6), the exterior: a hole (内环) "
            "must lie inside it. A parcel in separate parts needs one parcel per part.",
            id="hole-outside",
        ),
        pytest.param(
            csv_bytes(rows_of(SQUARE, [(dx + 70, dy) for dx, dy in HOLE])),
            "a.csv",
            "ring 2 (rows 7 to 11) crosses the boundary of ring 1 (rows 2 to 6), the exterior",
            id="hole-crossing",
        ),
        pytest.param(
            too_many_points(),
            "many.csv",
            f"row {MAX_POINTS + 2}: the table has more than {MAX_POINTS} points, the limit.",
            id="too-many-points",
        ),
        pytest.param(b"", "a.csv", "The file is empty.", id="empty"),
        pytest.param(b" \r\n", "a.txt", "The file is empty.", id="blank"),
        pytest.param(b"x", "parcel.shp", "parcel.shp: unknown kind of file", id="extension"),
        pytest.param(b"x", "old.xls", "old.xls: save the workbook as .xlsx", id="xls"),
        pytest.param(b"PK\x03\x04junk", "a.xlsx", "The XLSX file cannot be read", id="bad-xlsx"),
        pytest.param(
            csv_bytes([[1, 1, 572000.0, 3400100.0]]),
            "a.csv",
            "row 2: X and Y look swapped",
            id="swapped",
        ),
        pytest.param(
            csv_bytes([[1, 1, 3400100.0, 5720000.0]]),
            "a.csv",
            "row 2: Y 5720000.0 has 7 digits before the point; expected 6",
            id="seven-digit-y",
        ),
        pytest.param(
            csv_bytes(rows_of(HOLE)).replace(b",1,", b",2,"),
            "a.csv",
            "ring 2 (rows 2 to 6): ring 1, the exterior, is missing",
            id="no-ring-1",
        ),
        pytest.param(
            csv_bytes(rows_of(SQUARE, HOLE, close=False) + rows_of(SQUARE)[:1]),
            "a.csv",
            "row 10: ring 1 continues after ring 2; keep each ring's points together.",
            id="ring-interleaved",
        ),
        pytest.param(
            csv_bytes([["J1", "1.5", "3400100", "572000"]]),
            "a.csv",
            "row 2: ring number '1.5' is not a whole number from 1 up.",
            id="ring-not-whole",
        ),
        pytest.param(
            csv_bytes(rows_of([(0, 0), (0, 50), (0, 100)])),
            "a.csv",
            "ring 1 (rows 2 to 5): all points lie on one line, so it has no area.",
            id="collinear",
        ),
        pytest.param(
            "序号,北,东\n1,3400100,572000\n".encode(),
            "a.csv",
            "row 1: no header row naming the columns (点号, 圈号, X, Y) was found",
            id="no-header",
        ),
        pytest.param(
            b"\xff\xfe\x00\x01", "a.csv", "The file is neither UTF-8 nor GBK", id="not-text"
        ),
        pytest.param(
            "[地块坐标]\nJ1,1,3400100,40572000\n".encode(),
            "a.txt",
            "line 2: a coordinate line comes before any parcel header (the line ending in @).",
            id="no-block-header",
        ),
        pytest.param(
            "[地块坐标]\n4,1,A,B,面,,,,@\nJ1,1,3400100\n".encode(),
            "a.txt",
            "line 3: expected 'point, ring, X, Y' separated by commas",
            id="short-line",
        ),
        pytest.param(
            "[属性描述]\n带号=40\n".encode(),
            "a.txt",
            "The file has no [地块坐标] section with a parcel in it.",
            id="no-blocks",
        ),
    ],
)
def test_errors_name_the_row_or_line_and_the_problem(data, filename, expected):
    with pytest.raises(InvalidSurvey) as excinfo:
        read_survey(data, filename)
    assert message_of(excinfo).startswith(expected)


def test_docstring_examples():
    for module in (geo.survey.polygon, geo.survey.formats):
        assert doctest.testmod(module).failed == 0
