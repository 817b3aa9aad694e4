"""The hot read paths run on asyncpg in service and on the test session in the other API tests.
Here both run side by side on the same committed data and must give the same answers, errors
included, so the other tests' findings hold for the asyncpg path too."""

import json

import mapbox_vector_tile
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from geo.db import DatabaseSettings

LOOKUPS = [
    {"lon": 120.7411, "lat": 30.7822},  # near the 城北 parcels
    {"lon": 120.75, "lat": 30.76},
    {"lon": 120.7528, "lat": 30.7593, "crs": "gcj02"},
    {"lon": 120.7591, "lat": 30.7652, "crs": "bd09"},
    {"lon": 0, "lat": 0},
]
PARCEL_LISTS = [
    {},
    {"bbox": "120.70,30.70,120.80,30.80"},
    {"block": "城北板块"},
    {"q": "城投"},
    {"q": "100%_\\"},
]
ITEMS = [
    {},
    {"limit": 3, "offset": 2},
    {"bbox": "120.70,30.74,120.78,30.80", "limit": 5},
    {"crs": "http://www.opengis.net/def/crs/EPSG/0/4549", "limit": 2},
    {"filter": "seq > 3.5 AND seq <= 9"},
    {"filter": "declared_area_mu BETWEEN 10 AND 30.5"},
    {"filter": "block LIKE '城%' OR seq IN (1, 2)"},
    {"filter": "S_INTERSECTS(geometry, POINT(120.7411 30.7822))"},
    {"filter": "S_INTERSECTS(geometry, BBOX(120.7, 30.7, 120.8, 30.8)) AND seq < 5"},
    {"filter": "seq >= 3.5"},
    {"filter": "seq = '3'"},
    {"filter": "seq = TRUE"},
    {"filter": "name LIKE 3"},
    {"filter": "seq = 'abc'"},
    {"filter": "block = 3"},
    {"seq": "3"},
    {"limit": 0},
    {"offset": -1},
]


@pytest.fixture(scope="module")
def asyncpg_client(database_url):
    app = create_app(ApiSettings(db=DatabaseSettings(database_url=database_url)))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def same_answer(first, second):
    assert first.status_code == second.status_code, (first.text, second.text)
    kind = first.headers.get("content-type", "")
    assert kind == second.headers.get("content-type", "")
    if kind.startswith(("application/json", "application/geo+json")):
        one, other = first.json(), second.json()
        for body in (one, other):
            body.pop("timeStamp", None)
        assert one == other
    else:
        assert first.content == second.content


@pytest.mark.parametrize("params", LOOKUPS, ids=json.dumps)
def test_point_lookup(client, asyncpg_client, params):
    same_answer(
        client.get("/api/v1/lookup", params=params),
        asyncpg_client.get("/api/v1/lookup", params=params),
    )


@pytest.mark.parametrize("params", PARCEL_LISTS, ids=json.dumps)
def test_parcel_list(client, asyncpg_client, params):
    same_answer(
        client.get("/api/v1/parcels", params=params),
        asyncpg_client.get("/api/v1/parcels", params=params),
    )


@pytest.mark.parametrize("params", ITEMS, ids=json.dumps)
def test_ogc_items(client, asyncpg_client, params):
    url = "/ogc/collections/parcels/items"
    same_answer(client.get(url, params=params), asyncpg_client.get(url, params=params))


def test_filter_literals_keep_their_type(asyncpg_client):
    # PostgreSQL would infer an integer parameter from the column; 3.5 must not become 3.
    url = "/ogc/collections/parcels/items"
    seqs = [
        f["properties"]["seq"]
        for f in asyncpg_client.get(url, params={"filter": "seq >= 3.5"}).json()["features"]
    ]
    assert seqs and min(seqs) == 4
    refused = asyncpg_client.get(url, params={"filter": "seq = TRUE"})
    assert refused.status_code == 400 and "seq is a number" in refused.json()["error"]["message"]


def test_tiles(client, asyncpg_client):
    for z, x, y in [(14, 13684, 6719), (14, 13685, 6719), (12, 3421, 1679), (3, 0, 0)]:
        url = f"/tiles/parcels/{z}/{x}/{y}.pbf"
        same_answer(client.get(url), asyncpg_client.get(url))
    dense = asyncpg_client.get("/tiles/parcels/12/3421/1679.pbf")
    assert dense.status_code == 200
    assert len(mapbox_vector_tile.decode(dense.content)["parcels"]["features"]) > 0


def test_the_asyncpg_path_reads_committed_data_only(asyncpg_client, client):
    # The session-backed client sees the test's own transaction; the pool never does.
    answer = asyncpg_client.get("/api/v1/lookup", params={"lon": 120.7411, "lat": 30.7822})
    assert answer.status_code == 200 and "geometry_notice" in answer.json()
