"""Vector tiles decode with the right features; TileJSON; caching headers."""

import math

import mapbox_vector_tile
import pytest

from geo.parcels.tiles import TileCache
from geo.tokens import create_token
from tests.support.errors import assert_error


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def test_tile_over_jiaxing_decodes_with_parcel_properties(client):
    # Zoom 13, the first detail zoom: every parcel with its shape and properties (tests/parcels
    # test the overview zooms' cells).
    parcels = client.get("/api/v1/parcels").json()["features"]
    x, y = tile_of(120.745, 30.765, 13)
    response = client.get(f"/tiles/parcels/13/{x}/{y}.pbf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.mapbox-vector-tile"
    assert "max-age" in response.headers["cache-control"]
    layer = mapbox_vector_tile.decode(response.content)["parcels"]
    decoded = {f["properties"]["id"]: f["properties"] for f in layer["features"]}
    # Independently: every parcel whose bounds fall in this tile's lon/lat range is present.
    west, east = x / 2**13 * 360 - 180, (x + 1) / 2**13 * 360 - 180
    in_tile = [p for p in parcels if west <= p["geometry"]["coordinates"][0][0][0][0] <= east]
    assert {p["id"] for p in in_tile} <= set(decoded)
    assert decoded["JX2022-06"]["implementing_unit"] == "嘉兴市城市投资发展集团有限公司"
    assert decoded["JX2022-06"]["block"] == "城北板块"
    assert decoded["JX2022-06"]["geometry_source"] == "digitized"


def test_etag_revalidation_and_empty_tiles(client):
    x, y = tile_of(120.745, 30.765, 12)
    first = client.get(f"/tiles/parcels/12/{x}/{y}.pbf")
    again = client.get(
        f"/tiles/parcels/12/{x}/{y}.pbf", headers={"if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert client.get("/tiles/parcels/12/0/0.pbf").status_code == 204


def test_a_write_changes_the_etag_and_the_cached_tile(client, session):
    x, y = tile_of(120.745, 30.765, 13)
    url = f"/tiles/parcels/13/{x}/{y}.pbf"
    far = "/tiles/parcels/13/{}/{}.pbf".format(*tile_of(121.5, 31.2, 13))  # Shanghai: empty
    far_before = client.get(far)
    before = client.get(url)
    assert client.get(url).headers["etag"] == before.headers["etag"]  # served from the cache
    token = create_token(session, "瓦片测试", "editor")
    parcel = client.get("/api/v1/parcels/JX2022-06")
    body = {"properties": {"block": "瓦片板块"}, "reason": "tile cache test"}
    headers = {"Authorization": f"Bearer {token}", "If-Match": parcel.headers["etag"]}
    assert client.patch("/api/v1/parcels/JX2022-06", json=body, headers=headers).status_code == 200
    after = client.get(url, headers={"if-none-match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    layer = mapbox_vector_tile.decode(after.content)["parcels"]
    blocks = {f["properties"]["id"]: f["properties"]["block"] for f in layer["features"]}
    assert blocks["JX2022-06"] == "瓦片板块"
    # Only the tiles the write touched change: a tile elsewhere keeps its ETag.
    assert far_before.status_code == 204
    assert client.get(far, headers={"if-none-match": far_before.headers["etag"]}).status_code == 304


def test_tile_cache_stays_within_its_bound():
    cache = TileCache(max_bytes=1000)
    for n in range(20):
        cache.put((1, 2, 14, n, 0), bytes(100))
    assert cache.size <= 1000
    assert cache.get((1, 2, 14, 19, 0)) is not None and cache.get((1, 2, 14, 0, 0)) is None
    cache.put((1, 2, 14, 99, 0), bytes(5000))  # larger than the whole cache: not kept
    assert cache.get((1, 2, 14, 99, 0)) is None


@pytest.mark.parametrize(
    ("path", "words"),
    [("/tiles/parcels/3/9/0.pbf", "0..7"), ("/tiles/parcels/30/0/0.pbf", "Zoom 30")],
)
def test_bad_tile_coordinates(client, path, words):
    assert_error(client.get(path), 400, "invalid_input", words)


def test_tilejson(client):
    body = client.get("/tiles/parcels.json").json()
    assert body["tilejson"] == "3.0.0"
    assert body["tiles"][0].endswith("/tiles/parcels/{z}/{x}/{y}.pbf")
    assert body["vector_layers"][0]["id"] == "parcels"
    west, south, east, north = body["bounds"]
    assert 120.6 < west < east < 120.9 and 30.6 < south < north < 30.9
