from tests.support.errors import assert_error


def test_all_checks_give_a_status_per_parcel(client):
    body = client.get("/api/v1/checks").json()
    assert len(body["parcels"]) == 13
    assert sum(body["summary"].values()) == 13
    for audit in body["parcels"]:
        assert audit["status"] in {"ok", "warn", "fail"}
        for reason in audit["reasons"]:
            assert reason["en"] and reason["zh"]
        assert audit["area"]["declared_area_mu"] > 0


def test_one_parcels_checks(client):
    body = client.get("/api/v1/parcels/JX2022-07/checks").json()
    assert body["id"] == "JX2022-07"
    sides = {(c["side"], c["name"]) for c in body["sides"]}
    assert ("west", "4号地块") in sides and ("north", "城北路") in sides
    parcel_side = next(c for c in body["sides"] if c["name"] == "4号地块" and c["side"] == "west")
    assert parcel_side["matched"] == "parcel JX2022-06"


def test_unknown_parcels_checks_is_404(client):
    assert_error(client.get("/api/v1/parcels/NOPE/checks"), 404, "parcel_not_found")


def test_topology_and_sides_endpoints(client):
    topology = client.get("/api/v1/checks/topology").json()
    assert topology["status"] in {"ok", "fail"}
    assert not [i for i in topology["issues"] if i["kind"] == "invalid"]
    sides = client.get("/api/v1/checks/sides", params={"near_m": 50}).json()
    assert sides["near_m"] == 50
    assert {c["parcel_id"] for c in sides["checks"]} == {
        f"JX2022-{n:02d}" for n in range(1, 14) if n != 10
    }


def test_bad_audit_parameters(client):
    assert_error(
        client.get("/api/v1/checks", params={"near_m": 0}), 400, "invalid_request", "'near_m'"
    )
    assert_error(
        client.get("/api/v1/checks/sides", params={"near_m": "far"}), 400, "invalid_request"
    )
