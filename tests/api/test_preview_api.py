"""POST /api/v1/parcels/{id}/checks/preview: the checks on a shape not saved yet.

The answer must be what the parcel's own checks say once the same shape is saved as drawn, and
the preview must leave no trace: no new version, no history row, no bumped layer version.
"""

import pytest
from sqlalchemy import text

from geo.tokens import create_token
from tests.support.errors import assert_error

PARCEL = "JX2022-06"
NEIGHBOUR = "JX2022-05"


@pytest.fixture
def editor(session):
    return {"Authorization": f"Bearer {create_token(session, '规划科画图', 'editor')}"}


def shifted(geometry: dict, dlon: float, dlat: float) -> dict:
    """The geometry moved by (dlon, dlat) degrees."""

    def move(ring):
        return [[x + dlon, y + dlat] for x, y in ring]

    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    return {"type": "MultiPolygon", "coordinates": [[move(r) for r in p] for p in polygons]}


def traces(session) -> tuple:
    """Everything a write would change: the parcel's row, its history, the layer version."""
    return (
        session.execute(
            text("SELECT version, ST_AsText(geom), geometry_source FROM parcels WHERE id = :id"),
            {"id": PARCEL},
        ).one(),
        session.execute(text("SELECT count(*) FROM parcel_history")).scalar_one(),
        session.execute(
            text("SELECT version FROM layer_versions WHERE layer = 'parcels'")
        ).scalar_one(),
    )


def preview(client, headers, geometry, parcel=PARCEL):
    return client.post(
        f"/api/v1/parcels/{parcel}/checks/preview", json={"geometry": geometry}, headers=headers
    )


def test_preview_equals_the_checks_after_saving_the_same_shape(client, session, editor):
    feature = client.get(f"/api/v1/parcels/{PARCEL}")
    moved = shifted(feature.json()["geometry"], 0.0004, -0.0003)
    before = traces(session)
    answer = preview(client, editor, moved)
    assert answer.status_code == 200, answer.text
    previewed = answer.json()
    assert previewed.pop("preview") is True
    assert previewed.pop("editor") == "规划科画图"
    assert traces(session) == before  # nothing written, nothing bumped

    # The shipped shape's own checks differ from the moved one's (the preview saw the new shape).
    assert client.get(f"/api/v1/parcels/{PARCEL}/checks").json()["area"] != previewed["area"]
    saved = client.patch(
        f"/api/v1/parcels/{PARCEL}",
        json={
            "geometry": moved,
            "properties": {"geometry_source": "drawn", "geometry_note": "Drawn on the map"},
            "reason": "按四至在底图上重画",
        },
        headers=editor | {"If-Match": feature.headers["etag"]},
    )
    assert saved.status_code == 200, saved.text
    assert client.get(f"/api/v1/parcels/{PARCEL}/checks").json() == previewed


def test_preview_of_a_shape_over_a_neighbour_reports_the_overlap(client, editor):
    neighbour = client.get(f"/api/v1/parcels/{NEIGHBOUR}").json()["geometry"]
    answer = preview(client, editor, neighbour).json()
    overlaps = [issue for issue in answer["topology"] if issue["kind"] == "overlap"]
    assert [sorted(issue["parcel_ids"]) for issue in overlaps] == [sorted([PARCEL, NEIGHBOUR])]
    assert answer["status"] == "fail"
    assert any("重叠" in reason["zh"] for reason in answer["reasons"])
    assert {side["side"] for side in answer["sides"]} <= {"east", "south", "west", "north"}


def test_a_shapeless_parcel_previewed_is_checked_as_drawn(client, session, editor):
    session.execute(
        text(
            "UPDATE parcels SET geom = NULL, geometry_source = 'none', "
            "geometry_note = '待落图' WHERE id = :id"
        ),
        {"id": NEIGHBOUR},
    )
    shape = shifted(client.get(f"/api/v1/parcels/{PARCEL}").json()["geometry"], 0.01, 0.01)
    answer = preview(client, editor, shape).json()
    assert answer["geometry_source"] == "drawn"
    assert answer["area"]["status"] in ("ok", "fail")
    assert answer["area"]["measured_area_mu"] > 0


BOW_TIE = {
    "type": "Polygon",
    "coordinates": [
        [[120.75, 30.75], [120.752, 30.752], [120.752, 30.75], [120.75, 30.752], [120.75, 30.75]]
    ],
}


@pytest.mark.parametrize(
    ("geometry", "words"),
    [
        (BOW_TIE, "Self-intersection["),
        (
            {"type": "Polygon", "coordinates": [[[2.35, 48.85], [2.36, 48.85], [2.36, 48.86]]]},
            "",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[2.35, 48.85], [2.36, 48.85], [2.36, 48.86], [2.35, 48.85]]],
            },
            "outside China",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[120.7 + 0.00001 * i, 30.7 + 0.00001 * (i % 2)] for i in range(10_001)]
                    + [[120.7, 30.7]]
                ],
            },
            "the limit is 10000",
        ),
    ],
)
def test_a_shape_the_save_would_refuse_is_refused_with_its_reason(
    client, session, editor, geometry, words
):
    before = traces(session)
    response = preview(client, editor, geometry)
    assert_error(response, 422, "invalid_geometry", words)
    assert traces(session) == before


def test_preview_needs_an_editor_and_a_parcel_and_a_geometry(client, session, editor):
    shape = client.get(f"/api/v1/parcels/{PARCEL}").json()["geometry"]
    assert_error(preview(client, {}, shape), 401, "not_authenticated")
    viewer = {"Authorization": f"Bearer {create_token(session, '看图', 'viewer')}"}
    assert_error(preview(client, viewer, shape), 403, "forbidden")
    assert_error(preview(client, editor, shape, parcel="JX2022-404"), 404, "parcel_not_found")
    no_geometry = client.post(
        f"/api/v1/parcels/{PARCEL}/checks/preview", json={"geometry": None}, headers=editor
    )
    assert_error(no_geometry, 400, "invalid_input", "geometry")


def test_a_drawn_shape_is_saved_only_with_a_note(client, editor):
    feature = client.get(f"/api/v1/parcels/{PARCEL}")
    moved = shifted(feature.json()["geometry"], 0.0001, 0)
    response = client.patch(
        f"/api/v1/parcels/{PARCEL}",
        json={"geometry": moved, "properties": {"geometry_source": "drawn"}, "reason": "重画"},
        headers=editor | {"If-Match": feature.headers["etag"]},
    )
    assert_error(response, 400, "invalid_input", "geometry_note")
