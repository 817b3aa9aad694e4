"""/api/v1/plans: every plan with its notice's facts, region, parcel totals and extent; one plan
by its code; and the parcel filters by plan and by whether a parcel is located."""

import io
import json
import math
from decimal import Decimal

import mapbox_vector_tile
import pandas as pd
import pytest
from shapely.geometry import shape
from sqlalchemy import text

from tests.support.cli import run
from tests.support.errors import assert_error
from tests.support.expected_plan import PLAN_TITLE, PUBLISHED_TOTAL_MU, ROWS
from tests.support.independent import MU_M2
from tests.support.plans import HANGZHOU, SHAOXING, SIDE_DEG, load_test_plans

PLAN_KEYS = [
    "id",
    "code",
    "title",
    "year",
    "document_type",
    "document_number",
    "approval_number",
    "issuer",
    "published_on",
    "source_document",
    "published_total_mu",
    "region",
    "parcels",
    "bbox",
]


@pytest.fixture
def more_plans(session):
    load_test_plans(session)


def by_code(client) -> dict[str, dict]:
    response = client.get("/api/v1/plans")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    return {plan["code"]: plan for plan in response.json()["plans"]}


def test_the_shipped_plan_with_its_totals_and_extent(client):
    plans = by_code(client)
    assert list(plans) == ["JX2022"]
    plan = plans["JX2022"]
    assert list(plan) == PLAN_KEYS
    assert plan["title"] == PLAN_TITLE and plan["year"] == 2022
    assert plan["issuer"] == "嘉兴市人民政府" and plan["published_on"] == "2022-05-14"
    assert Decimal(str(plan["published_total_mu"])) == Decimal(PUBLISHED_TOTAL_MU)
    # The region columns are filled by the notice ingest; the shipped load leaves them empty.
    assert plan["region"] == dict.fromkeys(
        ["province", "city", "county", "adcode", "longitude", "latitude"]
    )
    parcels = plan["parcels"]
    assert parcels["total"] == parcels["located"] == len(ROWS)
    assert parcels["not_located"] == parcels["declared_unstated"] == 0
    declared = sum(Decimal(row[3]) for row in ROWS.values())
    assert Decimal(str(parcels["declared_total_mu"])) == declared
    # Independently of the SQL: the parcels as served, summed and bounded here.
    features = client.get("/api/v1/parcels").json()["features"]
    measured_m2 = sum(f["properties"]["measured_area_m2"] for f in features)
    assert parcels["measured_total_mu"] == pytest.approx(measured_m2 / MU_M2, abs=0.01)
    bounds = [shape(f["geometry"]).bounds for f in features]
    expected_bbox = [
        min(b[0] for b in bounds),
        min(b[1] for b in bounds),
        max(b[2] for b in bounds),
        max(b[3] for b in bounds),
    ]
    assert plan["bbox"] == pytest.approx(expected_bbox, abs=1e-7)


def test_one_plan_by_its_code_is_the_list_entry(client, more_plans):
    plans = by_code(client)
    for code, listed in plans.items():
        response = client.get(f"/api/v1/plans/{code}")
        assert response.status_code == 200
        assert response.json() == listed


def test_several_plans_in_year_order_with_their_regions(client, more_plans):
    plans = by_code(client)
    assert list(plans) == ["JX2022", "HZ2023", "SX2024"]
    hangzhou = plans[HANGZHOU.code]
    assert hangzhou["title"] == HANGZHOU.title
    assert hangzhou["published_total_mu"] is None and hangzhou["document_number"] is None
    region = HANGZHOU.region
    assert hangzhou["region"] == {
        "province": region.province,
        "city": region.city,
        "county": region.county,
        "adcode": region.adcode,
        "longitude": region.longitude,
        "latitude": region.latitude,
    }
    assert hangzhou["parcels"] == {
        "total": 3,
        "located": 2,
        "not_located": 1,
        "declared_unstated": 0,
        "declared_total_mu": 129.9,
        "measured_total_mu": hangzhou["parcels"]["measured_total_mu"],
    }
    # Two squares of SIDE_DEG: their bounds, as placed in tests/support/plans.py.
    corners = [p[4] for p in HANGZHOU.parcels if p[4]]
    assert hangzhou["bbox"] == pytest.approx(
        [
            min(c[0] for c in corners),
            min(c[1] for c in corners),
            max(c[0] for c in corners) + SIDE_DEG,
            max(c[1] for c in corners) + SIDE_DEG,
        ],
        abs=1e-7,
    )
    located = client.get("/api/v1/parcels", params={"plan": "HZ2023", "located": "true"})
    measured_m2 = sum(f["properties"]["measured_area_m2"] for f in located.json()["features"])
    assert hangzhou["parcels"]["measured_total_mu"] == pytest.approx(measured_m2 / MU_M2, abs=0.01)
    # No parcel located: no extent and nothing measured, but the region's centre to zoom to.
    shaoxing = plans[SHAOXING.code]
    assert shaoxing["bbox"] is None
    assert shaoxing["parcels"]["located"] == 0 and shaoxing["parcels"]["not_located"] == 2
    assert shaoxing["parcels"]["measured_total_mu"] is None
    assert shaoxing["region"]["longitude"] == SHAOXING.region.longitude


def test_a_declared_area_the_notice_does_not_state_is_counted_not_summed(
    client, session, more_plans
):
    session.execute(
        text("UPDATE parcels SET declared_area_mu = NULL WHERE id = :id"),
        {"id": HANGZHOU.parcel_id(1)},
    )
    parcels = client.get(f"/api/v1/plans/{HANGZHOU.code}").json()["parcels"]
    assert parcels["declared_unstated"] == 1 and parcels["declared_total_mu"] == 65.9


def test_a_plan_without_parcels_has_zero_counts(client, session):
    session.execute(
        text("INSERT INTO plans (code, title, year) VALUES ('EMPTY1', '空计划（测试）', 2025)")
    )
    plan = client.get("/api/v1/plans/EMPTY1").json()
    assert plan["parcels"] == {
        "total": 0,
        "located": 0,
        "not_located": 0,
        "declared_unstated": 0,
        "declared_total_mu": None,
        "measured_total_mu": None,
    }
    assert plan["bbox"] is None


@pytest.mark.parametrize("code", ["NOPE", "jx2022", "1"])
def test_an_unknown_plan_is_a_404_with_the_error_body(client, code):
    assert_error(client.get(f"/api/v1/plans/{code}"), 404, "plan_not_found", repr(code))


def ids(response) -> set[str]:
    assert response.status_code == 200, response.text
    return {feature["id"] for feature in response.json()["features"]}


def test_parcels_filtered_by_plan(client, more_plans):
    assert ids(client.get("/api/v1/parcels", params={"plan": "JX2022"})) == {
        f"JX2022-{seq:02d}" for seq in ROWS
    }
    hangzhou = ids(client.get("/api/v1/parcels", params={"plan": HANGZHOU.code}))
    assert hangzhou == set(HANGZHOU.located_ids + HANGZHOU.shapeless_ids)
    assert ids(
        client.get("/api/v1/parcels", params={"plan": HANGZHOU.code, "block": "望江板块"})
    ) == {HANGZHOU.parcel_id(1), HANGZHOU.parcel_id(2)}
    assert ids(client.get("/api/v1/parcels", params={"plan": "JX2022", "q": "望江"})) == set()


def test_parcels_filtered_by_whether_they_are_located(client, more_plans):
    shapeless = set(HANGZHOU.shapeless_ids + SHAOXING.shapeless_ids)
    assert ids(client.get("/api/v1/parcels", params={"located": "false"})) == shapeless
    located = client.get("/api/v1/parcels", params={"located": "true"})
    assert ids(located).isdisjoint(shapeless)
    assert all(f["geometry"] for f in located.json()["features"])
    assert located.json()["numberReturned"] == len(ROWS) + len(HANGZHOU.located_ids)
    only = client.get("/api/v1/parcels", params={"plan": HANGZHOU.code, "located": "false"})
    assert ids(only) == set(HANGZHOU.shapeless_ids)
    assert only.json()["geometry_sources"] == {"none": 1}


@pytest.mark.parametrize("path", ["/api/v1/parcels", "/api/v1/export.geojson", "/api/v1/export"])
def test_an_unknown_plan_code_in_a_filter_is_refused(client, path):
    response = client.get(path, params={"plan": "NOPE", "format": "csv"})
    assert_error(response, 404, "plan_not_found", "'NOPE'")


def test_a_bad_located_value_is_refused(client):
    assert_error(
        client.get("/api/v1/parcels", params={"located": "maybe"}),
        400,
        "invalid_request",
        "located",
    )


def test_exports_take_the_plan_and_located_filters(client, more_plans):
    table = pd.read_csv(
        io.BytesIO(
            client.get("/api/v1/export", params={"format": "csv", "plan": "HZ2023"}).content
        ),
        encoding="utf-8-sig",
    )
    assert set(table["id"]) == set(HANGZHOU.located_ids + HANGZHOU.shapeless_ids)
    exported = json.loads(
        client.get("/api/v1/export.geojson", params={"plan": "SX2024", "located": "false"}).content
    )
    assert {f["id"] for f in exported["features"]} == set(SHAOXING.shapeless_ids)


def test_cli_export_takes_the_plan_and_located_filters(database_url):
    answer = run(database_url, "export", "--plan", "JX2022", "--located")
    assert answer.returncode == 0, answer.stderr
    assert json.loads(answer.stdout)["numberReturned"] == len(ROWS)
    none = run(database_url, "export", "--plan", "JX2022", "--not-located")
    assert json.loads(none.stdout)["numberReturned"] == 0
    unknown = run(database_url, "export", "--plan", "NOPE")
    assert unknown.returncode == 2 and "No plan has the code 'NOPE'" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_tiles_carry_each_parcels_plan_for_the_maps_picker(client, more_plans):
    # The tile of z12 holding the Hangzhou squares; the same arithmetic as tests/api/test_tiles.py.
    lon, lat = HANGZHOU.parcels[0][4]
    z = 12
    x = int((lon + 180) / 360 * 2**z)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * 2**z)
    layer = mapbox_vector_tile.decode(client.get(f"/tiles/parcels/{z}/{x}/{y}.pbf").content)
    # At zoom 12 small parcels come as cells, which carry their plan and count (`parcels`).
    features = [f["properties"] for f in layer["parcels"]["features"]]
    assert {f["plan"] for f in features} == {HANGZHOU.title}
    assert sum(f.get("parcels", 1) for f in features) == len(HANGZHOU.located_ids)
    fields = client.get("/tiles/parcels.json").json()["vector_layers"][0]["fields"]
    assert fields["plan"] == "String"
