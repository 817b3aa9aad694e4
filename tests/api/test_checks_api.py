from decimal import Decimal

from tests.expected_plan import PUBLISHED_TOTAL_MU, ROWS


def test_area_check_per_parcel_and_total(client):
    response = client.get("/api/v1/checks/area")
    assert response.status_code == 200
    body = response.json()
    assert body["tolerance_pct"] == 2.0
    assert "EPSG:4549" in body["method"]
    assert body["status"] == "ok"
    assert len(body["parcels"]) == 13
    for item in body["parcels"]:
        assert item["declared_area_mu"] == float(ROWS[item["seq"]][3])
        expected_pct = (
            (item["measured_area_mu"] - item["declared_area_mu"]) / item["declared_area_mu"] * 100
        )
        assert (
            abs(item["difference_pct"] - expected_pct) < 0.6
        )  # measured_area_mu is rounded to 0.01
        assert item["status"] == "ok"
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
