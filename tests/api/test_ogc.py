"""OGC API - Features endpoints: core, CRS, CQL2 filters, paging and HTML."""

import pytest
from shapely.geometry import shape

from tests.support.errors import assert_error

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/{}"


def test_landing_and_conformance(client):
    links = {link["rel"]: link for link in client.get("/ogc").json()["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= set(links)
    classes = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in classes
    assert "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text" in classes


def test_openapi_definition_is_3_0(client):
    document = client.get("/ogc/api").json()
    assert document["openapi"] == "3.0.3"
    assert "/ogc/collections/{collection_id}/items" in document["paths"]
    assert '"null"' not in str(document).replace("'", '"')


def test_collections_have_dotless_ids_crs_lists_and_extent(client):
    body = client.get("/ogc/collections").json()
    ids = [c["id"] for c in body["collections"]]
    assert ids == ["parcels", "reference", "gazetteer"] and all("." not in i for i in ids)
    parcels = body["collections"][0]
    assert parcels["storageCrs"] == CRS84
    assert {CRS84, EPSG.format(4490), EPSG.format(4549)} <= set(parcels["crs"])
    minx, miny, maxx, maxy = parcels["extent"]["spatial"]["bbox"][0]
    assert 120.6 < minx < maxx < 120.9 and 30.6 < miny < maxy < 30.9


def test_items_paging_links_and_counts(client):
    first = client.get("/ogc/collections/parcels/items", params={"limit": 5})
    assert first.headers["content-crs"] == f"<{CRS84}>"
    body = first.json()
    assert (body["numberMatched"], body["numberReturned"]) == (13, 5)
    rels = {link["rel"]: link["href"] for link in body["links"]}
    assert "next" in rels and "prev" not in rels
    last = client.get(rels["next"].replace("http://testserver", "")).json()
    assert [f["properties"]["seq"] for f in last["features"]] == [6, 7, 8, 9, 10]
    assert "prev" in {link["rel"] for link in last["links"]}


def test_property_filter_and_bbox(client):
    body = client.get("/ogc/collections/parcels/items", params={"block": "城北板块"}).json()
    assert [f["id"] for f in body["features"]] == ["JX2022-05", "JX2022-06", "JX2022-07"]
    one = shape(client.get("/ogc/collections/parcels/items/JX2022-09").json()["geometry"])
    minx, miny, maxx, maxy = one.bounds
    bbox = f"{minx},{miny},{maxx},{maxy}"
    boxed = client.get("/ogc/collections/parcels/items", params={"bbox": bbox}).json()
    assert "JX2022-09" in [f["id"] for f in boxed["features"]]
    # The same box in CGCS2000 EPSG:4490, whose axis order is latitude first.
    swapped = f"{miny},{minx},{maxy},{maxx}"
    params = {"bbox": swapped, "bbox-crs": EPSG.format(4490)}
    assert (
        client.get("/ogc/collections/parcels/items", params=params).json()["features"]
        == boxed["features"]
    )


def test_crs_axis_order_and_content_crs(client):
    crs84 = client.get("/ogc/collections/parcels/items/JX2022-01").json()
    lon, lat = crs84["geometry"]["coordinates"][0][0][0]
    cgcs = client.get("/ogc/collections/parcels/items/JX2022-01", params={"crs": EPSG.format(4490)})
    assert cgcs.headers["content-crs"] == f"<{EPSG.format(4490)}>"
    lat2, lon2 = cgcs.json()["geometry"]["coordinates"][0][0][0]
    assert (lat2, lon2) == pytest.approx((lat, lon), abs=1e-6)
    plane = client.get(
        "/ogc/collections/parcels/items/JX2022-01", params={"crs": "EPSG:4549"}
    ).json()
    northing, easting = plane["geometry"]["coordinates"][0][0][0]
    assert 3_300_000 < northing < 3_500_000 and 500_000 < easting < 700_000


@pytest.mark.parametrize(
    ("cql2", "expected"),
    [
        ("block = '城北板块' AND declared_area_mu > 50", ["JX2022-05", "JX2022-07"]),
        ("seq IN (1, 13) OR name LIKE '%电影院%'", ["JX2022-01", "JX2022-11", "JX2022-13"]),
        ("NOT (seq BETWEEN 2 AND 12)", ["JX2022-01", "JX2022-13"]),
        ("implementing_unit = '不存在的公司'", []),
    ],
)
def test_cql2_property_filters(client, cql2, expected):
    body = client.get("/ogc/collections/parcels/items", params={"filter": cql2}).json()
    assert [f["id"] for f in body["features"]] == expected
    assert body["numberMatched"] == len(expected)


def test_cql2_s_intersects(client):
    point = shape(
        client.get("/ogc/collections/parcels/items/JX2022-06").json()["geometry"]
    ).representative_point()
    cql2 = f"S_INTERSECTS(geometry, POINT({point.x} {point.y}))"
    body = client.get("/ogc/collections/parcels/items", params={"filter": cql2}).json()
    assert [f["id"] for f in body["features"]] == ["JX2022-06"]


def test_injection_attempts_stay_values(client):
    # pygeofilter does not read '' escapes: the attempt is refused as unparsable, not run.
    refused = client.get(
        "/ogc/collections/parcels/items", params={"filter": "name = 'x'' OR ''1''=''1'"}
    )
    assert refused.status_code == 400
    quoted = client.get(
        "/ogc/collections/parcels/items", params={"filter": 'name = "x; DROP TABLE parcels"'}
    )
    assert quoted.status_code == 400
    for params in ({"block": "' OR 1=1 --"}, {"filter": "name = 'x OR 1=1; DROP TABLE parcels'"}):
        assert (
            client.get("/ogc/collections/parcels/items", params=params).json()["numberMatched"] == 0
        )
    assert client.get("/healthz").json()["parcels"] == 13


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"filter": "nosuch = 1"}, "Unknown property 'nosuch'"),
        ({"filter": "block = "}, "cannot be parsed"),
        ({"filter": "block = 'x'", "filter-lang": "cql2-json"}, "cql2-text"),
        ({"crs": "EPSG:3857"}, "is not supported"),
        ({"bbox": "1,2,3"}, "four numbers"),
        ({"limit": 0}, "limit must be between 1 and 1000"),
        ({"limit": 5000}, "limit must be between 1 and 1000"),
        ({"offset": -1}, "offset must be 0 or more"),
        ({"nosuch": "x"}, "Unknown property 'nosuch'"),
    ],
)
def test_bad_requests(client, params, words):
    assert_error(
        client.get("/ogc/collections/parcels/items", params=params), 400, "invalid_input", words
    )


def test_unknown_collection_and_items(client):
    assert_error(client.get("/ogc/collections/parcels.json"), 404, "feature_not_found")
    assert_error(client.get("/ogc/collections/parcels/items/NOPE"), 404, "feature_not_found")
    assert_error(client.get("/ogc/collections/gazetteer/items/1e5"), 404, "feature_not_found")


def test_other_collections(client):
    reference = client.get(
        "/ogc/collections/reference/items", params={"kind": "road", "limit": 1000}
    ).json()
    assert reference["numberMatched"] >= 15
    assert all(f["properties"]["kind"] == "road" for f in reference["features"])
    gazetteer = client.get(
        "/ogc/collections/gazetteer/items", params={"filter": "house_number = 592"}
    ).json()
    assert [f["properties"]["name"] for f in gazetteer["features"]] == ["城北路592号"]
    queryables = client.get("/ogc/collections/parcels/queryables").json()
    assert "block" in queryables["properties"] and "geometry" in queryables["properties"]


@pytest.mark.parametrize(
    "path",
    [
        "/ogc",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/parcels",
        "/ogc/collections/parcels/items",
        "/ogc/collections/parcels/items/JX2022-06",
    ],
)
def test_html_pages_render(client, path):
    response = client.get(path, params={"f": "html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "<h1>" in response.text
    browser = client.get(path, headers={"accept": "text/html,application/xhtml+xml"})
    assert browser.headers["content-type"].startswith("text/html")
    if path.endswith("JX2022-06"):
        assert "嘉兴市城市投资发展集团有限公司" in response.text
