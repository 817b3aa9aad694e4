"""The app as `make run` serves it: a real uvicorn process on a free port."""

import httpx


def test_served_endpoints_answer(server):
    assert httpx.get(f"{server}/healthz").json()["parcels"] == 13
    assert len(httpx.get(f"{server}/api/v1/parcels").json()["features"]) == 13
    assert httpx.get(f"{server}/docs").status_code == 200
    spec = httpx.get(f"{server}/openapi.json").json()
    assert {
        "/api/v1/parcels",
        "/api/v1/lookup",
        "/api/v1/checks/area",
        "/api/v1/export.geojson",
    } <= set(spec["paths"])
    page = httpx.get(f"{server}/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]


def test_abandoned_export_streams_do_not_disturb_other_requests(server):
    """Regression: a client that stopped reading a GeoJSON export left its cursor to be closed
    later on a connection already lent to another request, failing that request."""
    for number in range(12):
        with httpx.stream(
            "GET", f"{server}/api/v1/export", params={"format": "geojson"}
        ) as response:
            if number % 2:
                response.read()
            else:
                next(response.iter_raw())
    for _ in range(5):
        assert httpx.get(f"{server}/api/v1/parcels/JX2022-01", timeout=5).status_code == 200
        assert (
            httpx.get(f"{server}/api/v1/export", params={"format": "geojson"}, timeout=10).json()[
                "numberReturned"
            ]
            == 13
        )
