from decimal import Decimal

import pytest

from tests.support.expected_plan import PUBLISHED_TOTAL_MU, ROWS
from tests.support.independent import area_mu_epsg4549


def test_area_check_per_parcel_and_total(client):
    response = client.get("/api/v1/checks/area")
    assert response.status_code == 200
    body = response.json()
    assert body["tolerance_pct"] == 5.0
    assert "EPSG:4549" in body["method"]
    assert len(body["parcels"]) == 13
    geometries = {f["id"]: f["geometry"] for f in client.get("/api/v1/parcels").json()["features"]}
    for item in body["parcels"]:
        declared = float(ROWS[item["seq"]][3])
        assert item["declared_area_mu"] == declared
        measured = area_mu_epsg4549(geometries[item["id"]])
        assert item["measured_area_mu"] == pytest.approx(measured, abs=0.006)
        expected_pct = (measured - declared) / declared * 100
        assert item["difference_pct"] == pytest.approx(expected_pct, abs=0.006)
        if abs(abs(expected_pct) - 5) > 0.01:  # clear of the tolerance edge
            assert item["status"] == ("ok" if abs(expected_pct) <= 5 else "fail")
    parcel_statuses = {p["status"] for p in body["parcels"]}
    assert body["status"] == ("fail" if "fail" in parcel_statuses else "ok")
    (plan,) = body["plans"]
    assert plan["declared_sum_mu"] == float(PUBLISHED_TOTAL_MU)
    assert plan["published_total_mu"] == float(PUBLISHED_TOTAL_MU)
    assert plan["difference_mu"] == 0
    assert sum(Decimal(r[3]) for r in ROWS.values()) == Decimal(PUBLISHED_TOTAL_MU)


def test_zero_tolerance_fails_parcels_that_are_not_exact(client):
    body = client.get("/api/v1/checks/area", params={"tolerance_pct": 0}).json()
    inexact = [p for p in body["parcels"] if p["difference_pct"] != 0]
    assert all(p["status"] == "fail" for p in inexact)
    assert body["status"] == ("fail" if inexact else "ok")
