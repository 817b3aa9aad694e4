"""One parcel's printed map (附图) through the API: what it says, and that it measures true.

The expected positions come from PostGIS (the parcel's shape projected onto its zone) and the
scale the map states; the PDF is read back with pdfplumber and rasterised by poppler.
"""

import io
import math
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image
from shapely import Point, from_wkt, union_all
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from geo.area import MU_M2
from geo.messages import message
from geo.printing.frame import NEIGHBOUR, PARCEL_LINE_PT, RED
from geo.printing.output import print_parcel
from geo.printing.paper import STANDARD_SCALES, PrintOptions
from tests.support.errors import assert_error
from tests.support.pdf import (
    compact,
    is_colour,
    map_frame,
    page_size_mm,
    paths,
    rasterise,
    red_pixels,
    stated_scale,
    text,
)
from tests.support.shapeless import SHAPELESS_ID, SHAPELESS_NOTE, load_shapeless

PARCEL = "JX2022-01"
ZH = {"lang": "zh"}


def plane_rings(session, parcel_id: str) -> list[list[tuple[float, float]]]:
    """The parcel's exterior rings on its own zone's plane, by PostGIS."""
    rows = session.execute(
        sql("""
            SELECT (d).path[1] AS part, ST_X((d).geom), ST_Y((d).geom)
            FROM (SELECT ST_DumpPoints(ST_ExteriorRing((ST_Dump(ST_Transform(geom, zone_epsg))).geom)) d
                  FROM parcels WHERE id = :id) s"""),
        {"id": parcel_id},
    ).all()
    return [[(x, y) for _, x, y in rows]]


def facts(session, parcel_id: str):
    return session.execute(
        sql("""SELECT p.name, p.boundary_text, p.boundaries, p.declared_area_mu,
                      p.measured_area_m2, pl.title
               FROM parcels p JOIN plans pl ON pl.id = p.plan_id WHERE p.id = :id"""),
        {"id": parcel_id},
    ).one()


def red_outline(content: bytes):
    outlines = [
        path
        for path in paths(content)
        if is_colour(path.colour, RED) and path.width_pt == PARCEL_LINE_PT
    ]
    assert len(outlines) == 1
    return outlines[0]


def page_transform(outline, ring, scale):
    """The offset that puts the plane ring on the red outline, asserting that one offset does it
    for every vertex: same shape, north up, and 1 mm of paper = scale / 1000 m."""
    mm_per_m = 1000 / scale
    page = outline.points
    x0, y0 = ring[0]
    a, b = page[0][0] - x0 * mm_per_m, page[0][1] + y0 * mm_per_m
    for x, y in ring:
        expected = (a + x * mm_per_m, b - y * mm_per_m)
        assert min(math.dist(expected, point) for point in page) < 0.05, (x, y)
    return a, b, mm_per_m


def test_a_parcel_map_says_what_the_parcel_is(client, session):
    response = client.get(f"/api/v1/parcels/{PARCEL}/map.pdf", params=ZH)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    words = compact(text(response.content))
    name, boundary_text, boundaries, declared, measured_m2, plan_title = facts(session, PARCEL)
    for expected in (name, plan_title, compact(boundary_text), f"{declared:.2f}亩"):
        assert expected in words
    assert f"{measured_m2 / MU_M2:.2f}亩" in words
    assert f"{measured_m2:,.1f}平方米" in words
    # The 四至 at each side, as the text names it.
    for side, word in (("east", "东至"), ("south", "南至"), ("west", "西至"), ("north", "北至")):
        for feature in boundaries["boundaries"][side]:
            assert f"{word}：{feature['text']}" in words
    assert stated_scale(words) in STANDARD_SCALES
    assert f"比例尺1:{stated_scale(words)}" in words
    assert "本图地块范围非测绘成果" in words
    assert "EPSG:4549" in words


def test_the_red_line_is_the_parcel_to_the_stated_scale(client, session):
    content = client.get(f"/api/v1/parcels/{PARCEL}/map.pdf", params=ZH).content
    scale = stated_scale(text(content))
    outline = red_outline(content)
    (ring,) = plane_rings(session, PARCEL)
    a, b, mm_per_m = page_transform(outline, ring, scale)
    # Its width on paper is its width on the ground over the scale.
    xs, ys = zip(*ring, strict=True)
    left, top, right, bottom = outline.bbox
    assert right - left == pytest.approx((max(xs) - min(xs)) * 1000 / scale, abs=0.05)
    assert bottom - top == pytest.approx((max(ys) - min(ys)) * 1000 / scale, abs=0.05)
    # Inside the map frame.
    frame = map_frame(content)
    assert frame[0] < left and right < frame[2] and frame[1] < top and bottom < frame[3]
    # And where it is among its neighbours: every vertex of the other parcels' dashed outlines,
    # read back to the plane with the same transform, is on another parcel's boundary (or on
    # the frame's edge, where a neighbour is cut).
    others = session.execute(
        sql("""SELECT ST_AsText(ST_Boundary(ST_Transform(geom, zone_epsg))) FROM parcels
               WHERE id <> :id AND geom IS NOT NULL"""),
        {"id": PARCEL},
    ).scalars()
    boundaries = union_all([from_wkt(wkt) for wkt in others])
    dashed = [
        path
        for path in paths(content)
        if is_colour(path.colour, NEIGHBOUR.edge)
        and frame[0] <= path.bbox[0]
        and path.bbox[2] <= frame[2]
        and frame[1] <= path.bbox[1]
        and path.bbox[3] <= frame[3]
    ]
    assert dashed, "no neighbour drawn around the parcel"
    tolerance_m = 0.1 / mm_per_m
    for path in dashed:
        for px, py in path.points:
            on_frame = min(
                abs(px - frame[0]), abs(px - frame[2]), abs(py - frame[1]), abs(py - frame[3])
            )
            ground = Point((px - a) / mm_per_m, (b - py) / mm_per_m)
            assert ground.distance(boundaries) < tolerance_m or on_frame < 0.1


def test_the_png_shows_the_red_line_there_and_nowhere_else(client, tmp_path):
    dpi = 100
    pdf = client.get(f"/api/v1/parcels/{PARCEL}/map.pdf", params=ZH).content
    response = client.get(f"/api/v1/parcels/{PARCEL}/map.png", params=ZH | {"dpi": dpi})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size[0] == pytest.approx(210 / 25.4 * dpi, abs=1)
    assert image.size[1] == pytest.approx(297 / 25.4 * dpi, abs=1)
    px = dpi / 25.4
    left, top, right, bottom = red_outline(pdf).bbox
    frame = map_frame(pdf)
    for pixels in (red_pixels(image), red_pixels(rasterise(pdf, tmp_path, dpi))):
        inside = [(x, y) for x, y in pixels if y < frame[3] * px]
        assert inside
        xs, ys = zip(*inside, strict=True)
        # Red only on the outline (and the parcel's name inside it), reaching each side.
        assert min(xs) == pytest.approx(left * px, abs=3) and max(xs) == pytest.approx(
            right * px, abs=3
        )
        assert min(ys) == pytest.approx(top * px, abs=3) and max(ys) == pytest.approx(
            bottom * px, abs=3
        )


def test_a3_landscape_is_a3_landscape(client):
    content = client.get(
        f"/api/v1/parcels/{PARCEL}/map.pdf", params=ZH | {"paper": "A3", "orientation": "landscape"}
    ).content
    width, height = page_size_mm(content)
    assert width == pytest.approx(420, abs=0.2) and height == pytest.approx(297, abs=0.2)


def test_the_labels_follow_the_language(client):
    english = compact(
        text(client.get(f"/api/v1/parcels/{PARCEL}/map.pdf", params={"lang": "en"}).content)
    )
    assert "Scale1:" in english and "East:" in english
    asked = client.get(f"/api/v1/parcels/{PARCEL}/map.pdf", headers={"Accept-Language": "zh-CN"})
    assert "比例尺1:" in compact(text(asked.content))


def test_a_drawn_shape_lists_its_boundary_points(client, session):
    session.execute(sql("UPDATE parcels SET geometry_source = 'drawn' WHERE id = 'JX2022-04'"))
    words = compact(text(client.get("/api/v1/parcels/JX2022-04/map.pdf", params=ZH).content))
    assert "界址点坐标" in words and "CGCS2000" in words and "EPSG:4549" in words
    (ring,) = plane_rings(session, "JX2022-04")
    for easting, northing in ring:
        assert f"{northing:.3f}" in words and f"{easting:.3f}" in words
    assert "J1" in words
    assert "本图地块范围非测绘成果" in words


def test_a_shapeless_parcel_still_prints(client, session):
    load_shapeless(session)
    content = client.get(f"/api/v1/parcels/{SHAPELESS_ID}/map.pdf", params=ZH).content
    words = compact(text(content))
    assert compact(message("printing.not_located", language="zh")) in words
    assert compact(SHAPELESS_NOTE) in words
    assert "东至规划道路" in words
    assert not [
        path
        for path in paths(content)
        if is_colour(path.colour, RED) and path.width_pt == PARCEL_LINE_PT
    ]


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("/api/v1/parcels/NOPE/map.pdf", {}, 404, "parcel_not_found"),
        ("/api/v1/plans/NOPE/map.pdf", {}, 404, "plan_not_found"),
        (f"/api/v1/parcels/{PARCEL}/map.pdf", {"paper": "B5"}, 400, "invalid_request"),
        (f"/api/v1/parcels/{PARCEL}/map.pdf", {"orientation": "sideways"}, 400, "invalid_request"),
        (f"/api/v1/parcels/{PARCEL}/map.png", {"dpi": 5000}, 400, "invalid_request"),
        (f"/api/v1/parcels/{PARCEL}/map.png", {"page": 3}, 400, "invalid_input"),
        (f"/api/v1/parcels/{PARCEL}/map.svg", {}, 400, "invalid_request"),
    ],
)
def test_bad_requests_are_refused_in_plain_words(client, path, params, status, code):
    assert_error(client.get(path, params=params), status, code)


def test_maps_drawn_at_the_same_time_come_out_whole(engine):
    """The API draws in its thread pool: two requests at once must not mix their pages."""

    def draw(parcel_id: str) -> bytes:
        with Session(engine) as session:
            return print_parcel(session, parcel_id, PrintOptions(language="zh")).content

    ids = ["JX2022-05", "JX2022-08", "JX2022-12"]
    with ThreadPoolExecutor(max_workers=3) as pool:
        contents = list(pool.map(draw, ids))
    with Session(engine) as session:
        for parcel_id, content in zip(ids, contents, strict=True):
            name = facts(session, parcel_id).name
            words = compact(text(content))
            assert name in words
            assert len(red_outline(content).points) >= 4
