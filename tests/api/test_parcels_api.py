import pytest
from shapely import box
from shapely.geometry import shape

from tests.support.expected_plan import ROWS
from tests.support.independent import area_mu_epsg4549

GEOJSON = "application/geo+json"


def assert_geojson(response) -> None:
    """A 200 answer in GeoJSON."""
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GEOJSON)


def test_healthz_reports_database_and_count(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["parcels"] == 13
    assert body["postgis"].startswith("3.")


def test_list_returns_all_13_parcels_with_provenance(client):
    response = client.get("/api/v1/parcels")
    assert_geojson(response)
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["numberReturned"] == 13
    assert body["geometry_sources"] == {"digitized": 13}
    assert "非测绘成果" in body["geometry_notice"]
    assert [f["properties"]["seq"] for f in body["features"]] == list(range(1, 14))
    for feature in body["features"]:
        props = feature["properties"]
        block, name, boundary, area, interest, unit = ROWS[props["seq"]]
        assert feature["id"] == props["id"]
        assert (props["block"], props["name"], props["boundary_text"]) == (block, name, boundary)
        assert props["declared_area_mu"] == float(area)
        assert (props["interest_type"], props["implementing_unit"]) == (interest, unit)
        assert props["geometry_source"] == "digitized" and "not surveyed" in props["geometry_note"]
        assert props["measured_area_mu"] == pytest.approx(
            area_mu_epsg4549(feature["geometry"]), abs=0.006
        )
        assert set(props["boundaries"]) == {"east", "south", "west", "north"}


@pytest.mark.parametrize(
    ("params", "expected_seqs"),
    [
        ({"block": "城北板块"}, [5, 6, 7]),
        ({"block": "中医院、电控厂板块"}, [3, 4]),
        ({"q": "勤俭路"}, [1, 11]),
        ({"q": "嘉城城市更新"}, [1, 3, 4, 12]),
        ({"q": "己征收"}, [13]),
        ({"q": "100%_"}, []),
        ({"block": "不存在的板块"}, []),
    ],
)
def test_filters(client, params, expected_seqs):
    body = client.get("/api/v1/parcels", params=params).json()
    assert [f["properties"]["seq"] for f in body["features"]] == expected_seqs
    assert body["numberReturned"] == len(expected_seqs)


def test_bbox_filter_selects_parcels_whose_shape_meets_the_box(client):
    everything = client.get("/api/v1/parcels").json()["features"]
    target = shape(next(f for f in everything if f["id"] == "JX2022-09")["geometry"])
    minx, miny, maxx, maxy = target.bounds
    bbox = f"{minx},{miny},{maxx},{maxy}"
    selected = client.get("/api/v1/parcels", params={"bbox": bbox}).json()["features"]

    expected = [
        f["id"] for f in everything if shape(f["geometry"]).intersects(box(minx, miny, maxx, maxy))
    ]
    assert [f["id"] for f in selected] == expected
    assert "JX2022-09" in expected and "JX2022-01" not in expected


def test_get_one_parcel(client):
    response = client.get("/api/v1/parcels/JX2022-13")
    assert_geojson(response)
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["properties"]["boundary_text"] == ROWS[13][2]
    assert feature["geometry"]["type"] == "MultiPolygon"


def test_unknown_parcel_is_a_clear_404(client):
    response = client.get("/api/v1/parcels/JX2022-99")
    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "parcel_not_found",
            "message": "No parcel has the id 'JX2022-99', now or in its history.",
        }
    }


def test_export_is_an_attachment_readable_by_gdal(client, tmp_path):
    import pyogrio

    response = client.get("/api/v1/export.geojson", params={"block": "老城板块"})
    assert_geojson(response)
    assert response.headers["content-disposition"].startswith("attachment;")
    path = tmp_path / "export.geojson"
    path.write_bytes(response.content)
    frame = pyogrio.read_dataframe(path)  # GDAL's GeoJSON driver, as QGIS would read it
    assert sorted(frame["seq"]) == [8, 9, 10, 11]
    assert set(frame["geometry_source"]) == {"digitized"}
    assert frame.crs.to_epsg() == 4326
    # Projected by GDAL/PROJ through geopandas, not by PostGIS.
    assert frame.to_crs("EPSG:4549").area.sum() / (10_000 / 15) == pytest.approx(
        sum(frame["measured_area_mu"]), abs=0.02
    )
