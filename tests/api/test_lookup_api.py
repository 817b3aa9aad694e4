import pytest
from shapely.geometry import shape

from api.routes.lookups import plain_point
from geo.coords import InputCrs, LonLat, from_wgs84


@pytest.fixture
def parcels(client):
    return {f["id"]: shape(f["geometry"]) for f in client.get("/api/v1/parcels").json()["features"]}


def test_point_inside_a_parcel(client, parcels):
    point = parcels["JX2022-11"].representative_point()
    body = client.get("/api/v1/lookup", params={"lon": point.x, "lat": point.y}).json()
    assert body["inside"] is True
    assert [f["id"] for f in body["parcels"]] == ["JX2022-11"]
    assert body["nearest"] is None
    assert body["location"] == {"lon": round(point.x, 7), "lat": round(point.y, 7), "crs": "wgs84"}
    assert body["parcels"][0]["properties"]["geometry_source"] == "digitized"


def test_point_outside_gets_the_nearest_parcel_and_distance(client, parcels):
    centroid = parcels["JX2022-13"].centroid
    lon, lat = centroid.x, centroid.y + 0.01  # about 1.1 km north of parcel 13's centre
    body = client.get("/api/v1/lookup", params={"lon": lon, "lat": lat}).json()
    assert body["inside"] is False and body["parcels"] == []
    nearest = body["nearest"]
    # Independently: the nearest parcel by geodesic distance, with pyproj.
    from pyproj import Geod
    from shapely.ops import nearest_points

    geod = Geod(ellps="WGS84")

    def distance(geometry):
        near = nearest_points(geometry, shape({"type": "Point", "coordinates": [lon, lat]}))[0]
        return geod.inv(lon, lat, near.x, near.y)[2]

    expected_id = min(parcels, key=lambda pid: distance(parcels[pid]))
    assert nearest["parcel"]["id"] == expected_id
    assert nearest["distance_m"] == pytest.approx(distance(parcels[expected_id]), abs=1.0)
    assert nearest["distance_m"] > 100


@pytest.mark.parametrize("crs", [InputCrs.GCJ02, InputCrs.BD09])
def test_offset_datum_point_finds_the_same_parcel_as_its_wgs84_twin(client, parcels, crs):
    point = parcels["JX2022-01"].representative_point()
    wgs = client.get("/api/v1/lookup", params={"lon": point.x, "lat": point.y}).json()
    lon, lat = from_wgs84(LonLat(point.x, point.y), crs)
    offset = client.get("/api/v1/lookup", params={"lon": lon, "lat": lat, "crs": crs.value}).json()
    assert (
        [f["id"] for f in offset["parcels"]] == [f["id"] for f in wgs["parcels"]] == ["JX2022-01"]
    )
    assert offset["location"]["lon"] == pytest.approx(point.x, abs=1e-6)
    assert offset["location"]["lat"] == pytest.approx(point.y, abs=1e-6)
    # Taken as WGS84, the same numbers land hundreds of metres away, outside the parcel.
    naive = client.get("/api/v1/lookup", params={"lon": lon, "lat": lat}).json()
    assert naive["inside"] is False


def test_nearest_uses_true_distance_for_many_points(client, parcels):
    """The index finds candidates in degrees; the answer must still be the geodesic nearest."""
    import random

    from pyproj import Geod
    from shapely import Point
    from shapely.ops import nearest_points

    geod = Geod(ellps="WGS84")

    def distance(geometry, lon, lat):
        near = nearest_points(geometry, Point(lon, lat))[0]
        return geod.inv(lon, lat, near.x, near.y)[2]

    rng = random.Random(11)
    for _ in range(25):
        lon, lat = 120.70 + rng.random() * 0.09, 30.73 + rng.random() * 0.06
        body = client.get("/api/v1/lookup", params={"lon": lon, "lat": lat}).json()
        if body["inside"]:
            continue
        expected = min(parcels, key=lambda pid: distance(parcels[pid], lon, lat))
        assert body["nearest"]["parcel"]["id"] == expected
        assert body["nearest"]["distance_m"] == pytest.approx(
            distance(parcels[expected], lon, lat), abs=1.0
        )


@pytest.mark.parametrize("crs", ["", "&crs=gcj02"])
@pytest.mark.parametrize("where", ["inside", "outside"])
def test_the_plain_form_answers_the_documented_routes_bytes(client, parcels, crs, where):
    # The plain ?lon=…&lat=… form is answered ahead of FastAPI's routing (PointLookupRoute);
    # any other spelling goes to the documented route. Both must say the same thing.
    point = parcels["JX2022-11"].representative_point()
    lon, lat = point.x, point.y if where == "inside" else point.y + 0.01
    if crs:
        lon, lat = from_wgs84(LonLat(lon, lat), InputCrs.GCJ02)
    plain = f"lon={lon}&lat={lat}{crs}"
    spelled_otherwise = f"lat={lat}&lon={lon}{crs.replace('gcj02', 'GCJ02')}&unused=1"
    assert plain_point(plain.encode()) is not None
    assert plain_point(spelled_otherwise.encode()) is None
    fast = client.get(f"/api/v1/lookup?{plain}")
    documented = client.get(f"/api/v1/lookup?{spelled_otherwise}")
    assert fast.status_code == documented.status_code == 200
    assert fast.headers["content-type"] == documented.headers["content-type"]
    assert fast.content == documented.content
    assert fast.json()["inside"] is (where == "inside")


@pytest.mark.parametrize(
    "query",
    ["lon=200&lat=30", "lon=120.7&lat=91", "lon=1e2&lat=30", "lon=120.7", "lon=&lat=30",
     "lon=120.7&lat=30&crs=mars", "lon=120.7&lon=120.8&lat=30"],
)  # fmt: skip
def test_anything_but_the_plain_form_is_left_to_the_documented_route(query):
    assert plain_point(query.encode()) is None
