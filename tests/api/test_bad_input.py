"""Bad input gets a 4xx with {"error": {"code", "message"}} in plain words, never a 500."""

import pytest

from tests.support.errors import assert_error


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"lon": 120.75, "lat": 999}, ("'lat'", "less than or equal to 90", "999")),
        ({"lon": 200, "lat": 30}, ("'lon'", "less than or equal to 180")),
        ({"lat": 30.75}, ("Give lon and lat",)),
        ({}, ("Give lon and lat (a point), or address",)),
        ({"lon": "east", "lat": 30.75}, ("'lon'", "number", "east")),
        ({"lon": "nan", "lat": 30.75}, ("'lon'",)),
        ({"lon": "inf", "lat": 30.75}, ("'lon'",)),
    ],
)
def test_bad_lookup_coordinates(client, params, words):
    response = client.get("/api/v1/lookup", params=params)
    code = "invalid_input" if "Give lon and lat" in words[0] else "invalid_request"
    assert_error(response, 400, code, *words)


def test_unknown_crs(client):
    response = client.get("/api/v1/lookup", params={"lon": 120.75, "lat": 30.75, "crs": "mars"})
    assert_error(response, 400, "unknown_crs", "mars", "wgs84, gcj02, bd09")


@pytest.mark.parametrize(
    ("bbox", "words"),
    [
        ("1,2,3", ("four numbers",)),
        ("a,b,c,d", ("only numbers",)),
        ("120.8,30.7,120.7,30.8", ("must not exceed",)),
        ("120,95,121,96", ("latitudes",)),
        ("nan,30,121,31", ("finite",)),
    ],
)
def test_bad_bbox(client, bbox, words):
    for path in ("/api/v1/parcels", "/api/v1/export.geojson"):
        assert_error(client.get(path, params={"bbox": bbox}), 400, "invalid_input", *words)


def test_bad_tolerance(client):
    response = client.get("/api/v1/checks/area", params={"tolerance_pct": -1})
    assert_error(response, 400, "invalid_request", "'tolerance_pct'")


def test_overlong_search_text(client):
    assert_error(
        client.get("/api/v1/parcels", params={"q": "路" * 201}), 400, "invalid_request", "'q'"
    )


def test_unknown_route_and_method(client):
    assert_error(client.get("/api/v1/nothing"), 404, "not_found")
    assert_error(client.put("/api/v1/parcels"), 405, "method_not_allowed")


def test_database_outage_is_a_503_not_a_500():
    from fastapi.testclient import TestClient

    from api.main import create_app
    from api.settings import ApiSettings
    from geo.db import DatabaseSettings

    # A port where nothing listens: the app must say the database is unavailable.
    settings = ApiSettings(
        db=DatabaseSettings(
            database_url="postgresql+psycopg://x@127.0.0.1:9/none", connect_timeout_s=2
        )
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert_error(client.get("/healthz"), 503, "database_unavailable")
        assert_error(client.get("/api/v1/parcels"), 503, "database_unavailable")
