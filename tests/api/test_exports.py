"""Every export format, downloaded through the API (or the CLI) and read back with GDAL."""

import csv
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely

from geo.area import MU_M2
from geo.parcels import export, export_geojson
from geo.parcels.reads import ParcelFilter
from tests.support.cli import run

# The documented Shapefile names; a change here breaks users' GIS projects, so it is spelled
# out again instead of read from geo.parcels.export.
SHAPEFILE_NAMES = {
    "id": "id",
    "plan": "plan",
    "plan_year": "plan_year",
    "seq": "seq",
    "block": "block",
    "name": "name",
    "boundary_text": "boundary",
    "declared_area_mu": "decl_mu",
    "interest_type": "interest",
    "implementing_unit": "impl_unit",
    "geometry_source": "geom_src",
    "geometry_note": "geom_note",
    "stage": "stage",
    "stage_date": "stage_date",
    "stage_document": "stage_doc",
    "stage_reason": "stage_rsn",
    "agreements_signed": "agr_signed",
    "agreements_total": "agr_total",
    "zone_epsg": "zone_epsg",
    "measured_area_m2": "meas_m2",
    "measured_area_mu": "meas_mu",
}
VERBATIM = ["block", "name", "boundary_text", "implementing_unit", "interest_type"]
DOWNLOADS = [
    ("geojson", "EPSG:4326"),
    ("geojson", "EPSG:4549"),
    ("gpkg", "EPSG:4326"),
    ("gpkg", "EPSG:4549"),
    ("shp", "EPSG:4326"),
    ("shp", "EPSG:4549"),
    ("kml", "EPSG:4326"),
    ("csv", "EPSG:4326"),
    ("csv", "EPSG:4549"),
    ("xlsx", "EPSG:4326"),
    ("xlsx", "EPSG:4549"),
]


@pytest.fixture
def expected(client) -> dict[str, dict]:
    """Each parcel's properties as the parcel list serves them, by id."""
    features = client.get("/api/v1/parcels").json()["features"]
    return {f["properties"]["id"]: f["properties"] for f in features}


def download(client, tmp_path: Path, fmt: str, **params: str) -> Path:
    response = client.get("/api/v1/export", params={"format": fmt, **params})
    assert response.status_code == 200, response.text
    spec = export.FORMATS[fmt]
    assert response.headers["content-type"].split(";")[0] == spec.media_type
    assert response.headers["content-disposition"] == (
        f'attachment; filename="zhengshou-parcels.{spec.extension}"'
    )
    path = tmp_path / f"zhengshou-parcels.{spec.extension}"
    path.write_bytes(response.content)
    return path


def read_back(path: Path, fmt: str, srid: int) -> gpd.GeoDataFrame:
    """The export as GDAL reads it, with the full attribute names and a CRS."""
    if fmt == "shp":
        frame = gpd.read_file(f"zip://{path}!parcels.shp", engine="pyogrio")
        return frame.rename(columns={v: k for k, v in SHAPEFILE_NAMES.items()})
    if fmt == "kml":
        frame = gpd.read_file(path, engine="pyogrio")
        return frame.rename(columns={"Name": "name"})
    if fmt == "csv":
        frame = pyogrio.read_dataframe(path, AUTODETECT_TYPE="YES")
        assert frame.crs is None  # CSV has no CRS; the request named it
        return frame.set_crs(srid)
    if fmt == "xlsx":
        table = pyogrio.read_dataframe(path, read_geometry=False, HEADERS="FORCE")
        return gpd.GeoDataFrame(table, geometry=shapely.from_wkt(table["wkt"]), crs=srid)
    return gpd.read_file(path, engine="pyogrio")


def assert_matches_database(frame: gpd.GeoDataFrame, expected: dict[str, dict], srid: int):
    assert frame.crs.to_epsg() == srid
    assert sorted(frame["id"]) == sorted(expected)
    for _, row in frame.iterrows():
        parcel = expected[row["id"]]
        for key in VERBATIM:
            assert row[key] == parcel[key], (row["id"], key)
        assert float(row["declared_area_mu"]) == pytest.approx(float(parcel["declared_area_mu"]))
        # The area is measured on the parcel's own zone, which every file names.
        assert int(row["zone_epsg"]) == parcel["zone_epsg"], row["id"]
        in_zone = gpd.GeoSeries([row.geometry], crs=frame.crs).to_crs(parcel["zone_epsg"])
        area_mu = in_zone.area.iloc[0] / MU_M2
        assert abs(area_mu - parcel["measured_area_mu"]) <= 0.01 + 1e-9, row["id"]


@pytest.mark.parametrize(("fmt", "crs"), DOWNLOADS)
def test_download_reads_back_with_gdal_and_matches_the_database(
    client, expected, tmp_path, fmt, crs
):
    srid = int(crs.split(":")[1])
    path = download(client, tmp_path, fmt, crs=crs)
    frame = read_back(path, fmt, srid)
    assert len(frame) == 13
    assert_matches_database(frame, expected, srid)
    assert set(SHAPEFILE_NAMES) <= set(frame.columns)  # every attribute, in every format


@pytest.mark.parametrize("fmt", list(export.FORMATS))
def test_filtered_export_has_the_blocks_three_parcels(client, tmp_path, fmt):
    path = download(client, tmp_path, fmt, block="城北板块")
    frame = read_back(path, fmt, 4326)
    assert len(frame) == 3 and set(frame["block"]) == {"城北板块"}


def test_xlsx_has_a_header_row_and_wkt_last(client, tmp_path):
    sheet = openpyxl.load_workbook(download(client, tmp_path, "xlsx")).active
    header = [cell.value for cell in sheet[1]]
    assert header == [*export.ATTRIBUTES, "wkt"] and sheet.max_row == 14


def test_csv_is_utf8_with_a_bom_for_excel(client, tmp_path):
    raw = download(client, tmp_path, "csv", crs="EPSG:4549").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 13 and rows[0]["wkt"].startswith("MULTIPOLYGON")
    x, _ = shapely.from_wkt(rows[0]["wkt"]).centroid.coords[0]
    assert 500_000 < x < 600_000  # metres east on the CM 120E plane, not degrees


def test_kml_names_and_describes_each_placemark(client, expected, tmp_path):
    body = download(client, tmp_path, "kml").read_text(encoding="utf-8")
    frame = read_back(tmp_path / "zhengshou-parcels.kml", "kml", 4326)
    for _, row in frame.iterrows():
        parcel = expected[row["id"]]
        assert row["name"] == parcel["name"]
        assert parcel["block"] in row["description"]
        assert parcel["boundary_text"] in row["description"]
    assert "<name>虹桥新村地块</name>" in body


def test_shapefile_zip_has_cpg_prj_and_the_documented_names(client, tmp_path):
    path = download(client, tmp_path, "shp", crs="EPSG:4549")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        assert {f"parcels.{ext}" for ext in ("shp", "shx", "dbf", "prj", "cpg")} <= names
        assert archive.read("parcels.cpg").decode().strip() == "UTF-8"
        assert "CGCS2000" in archive.read("parcels.prj").decode()
        fields = list(csv.reader(io.StringIO(archive.read("fields.csv").decode("utf-8-sig"))))
        assert "long_text.csv" in names
    mapping = {row[0]: row[1] for row in fields[1:] if row and row[0] in SHAPEFILE_NAMES}
    assert mapping == SHAPEFILE_NAMES
    assert export.TRUNCATION_MARK in fields[-1][2]
    info = pyogrio.read_info(f"zip://{path}!parcels.shp")
    assert list(info["fields"]) == list(SHAPEFILE_NAMES.values())
    assert all(len(name) <= 10 for name in info["fields"])


def test_shapefile_cuts_long_text_visibly_and_keeps_it_whole_beside(client, expected, tmp_path):
    path = download(client, tmp_path, "shp")
    frame = read_back(path, "shp", 4326)
    mark = export.TRUNCATION_MARK
    cut = 0
    for _, row in frame.iterrows():
        full = expected[row["id"]]["geometry_note"]
        if len(full.encode()) <= 254:
            assert row["geometry_note"] == full
            continue
        cut += 1
        kept = row["geometry_note"]
        assert kept.endswith(mark) and full.startswith(kept.removesuffix(mark))
        assert len(kept.encode()) <= 254
    assert cut > 0  # the shipped notes include long ones, so the rule is exercised
    with zipfile.ZipFile(path) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("long_text.csv").decode("utf-8-sig"))))
    assert len(rows) == cut
    for row in rows:
        assert row["attribute"] == "geometry_note" and row["shapefile_field"] == "geom_note"
        assert row["text"] == expected[row["id"]]["geometry_note"]


@pytest.mark.parametrize("value", ["汉" * 100, "a" * 300, "汉" * 84 + "ab", "短"])
def test_fit_dbf_text_cuts_on_a_character_boundary(value):
    fitted = export.fit_dbf_text(value)
    assert len(fitted.encode("utf-8")) <= 254
    if len(value.encode()) <= 254:
        assert fitted == value
    else:
        assert fitted.endswith(export.TRUNCATION_MARK)
        assert value.startswith(fitted.removesuffix(export.TRUNCATION_MARK))


def test_ogrinfo_lists_the_geopackage(client, tmp_path):
    ogrinfo = shutil.which("ogrinfo")
    if ogrinfo is None:
        pytest.skip("ogrinfo (gdal-bin) is not installed; make test installs it")
    path = download(client, tmp_path, "gpkg", crs="EPSG:4549")
    answer = subprocess.run(
        [ogrinfo, "-ro", "-al", "-so", str(path)], capture_output=True, text=True, check=True
    )
    assert "Feature Count: 13" in answer.stdout
    assert "CGCS2000 / 3-degree Gauss-Kruger CM 120E" in answer.stdout


def test_geojson_is_streamed_in_batches(client, monkeypatch):
    monkeypatch.setattr(export_geojson, "GEOJSON_BATCH_SIZE", 5)
    with client.stream("GET", "/api/v1/export", params={"format": "geojson"}) as response:
        assert response.status_code == 200
        assert "content-length" not in response.headers
        chunks = list(response.iter_bytes())
    assert len(chunks) == 5  # header, 5 + 5 + 3 features, footer
    body = json.loads(b"".join(chunks))
    assert body["type"] == "FeatureCollection" and body["numberReturned"] == 13
    assert len(body["features"]) == 13 and "crs" not in body
    assert body["features"][0]["properties"]["boundaries"]  # GeoJSON keeps the parsed 四至


def test_the_route_answers_with_a_streaming_response(client):
    with client.stream("GET", "/api/v1/export", params={"format": "geojson"}) as response:
        assert "content-length" not in response.headers  # streamed, not built in memory
        body = b"".join(response.iter_bytes())
    assert len(json.loads(body)["features"]) == 13


def test_geojson_is_copied_slice_by_slice(session):
    chunks = export.geojson_chunks(session, ParcelFilter(block="城北板块"), batch_size=2)
    header = next(chunks)
    assert json.loads(header + "]}")["numberReturned"] == 3
    first = next(chunks)
    assert len(json.loads(f"[{first}]")) == 2  # one slice per chunk
    body = json.loads(header + first + "".join(chunks))
    assert [f["properties"]["block"] for f in body["features"]] == ["城北板块"] * 3


def test_projected_geojson_names_its_crs(client):
    body = client.get("/api/v1/export", params={"crs": "EPSG:4549"}).json()
    assert body["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::4549"
    x, y = body["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 500_000 < x < 600_000 and 3_000_000 < y < 4_000_000


def test_streaming_keeps_the_apps_own_session_open(database_url, client):
    # No session override here: the request's own session must outlive the route function.
    from fastapi.testclient import TestClient

    from api.main import create_app
    from api.settings import ApiSettings
    from geo.db import DatabaseSettings

    app = create_app(ApiSettings(db=DatabaseSettings(database_url=database_url)))
    with TestClient(app) as own:
        body = own.get("/api/v1/export", params={"format": "geojson"}).json()
    assert len(body["features"]) == 13


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"format": "dwg"}, "geojson, gpkg, shp, kml, csv, xlsx"),
        ({"format": "csv", "crs": "EPSG:3857"}, "EPSG:4326"),
        ({"format": "kml", "crs": "EPSG:4549"}, "KML is always WGS84"),
    ],
)
def test_bad_input_is_a_400_with_the_error_body(client, params, words):
    response = client.get("/api/v1/export", params=params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_input" and words in error["message"]


def test_cli_exports_a_geopackage_that_round_trips(database_url, expected, tmp_path):
    path = tmp_path / "x.gpkg"
    answer = run(database_url, "export", "--format", "gpkg", "-o", str(path))
    assert answer.returncode == 0, answer.stderr
    assert_matches_database(gpd.read_file(path, engine="pyogrio"), expected, 4326)
    filtered = tmp_path / "north.gpkg"
    answer = run(
        database_url, "export", "-f", "gpkg", "-o", str(filtered), "--crs", "EPSG:4549",
        "--block", "城北板块",
    )  # fmt: skip
    assert answer.returncode == 0, answer.stderr
    frame = gpd.read_file(filtered, engine="pyogrio")
    assert len(frame) == 3 and frame.crs.to_epsg() == 4549


def test_cli_refuses_bad_input_in_plain_words(database_url, tmp_path):
    bad = run(database_url, "export", "--format", "dwg", "-o", str(tmp_path / "x.dwg"))
    assert bad.returncode == 2 and "Unknown export format 'dwg'" in bad.stderr
    no_file = run(database_url, "export", "--format", "xlsx")
    assert no_file.returncode == 2 and "--output" in no_file.stderr
    assert "Traceback" not in bad.stderr + no_file.stderr


def test_frame_has_no_nested_boundaries(session):
    frame = export.parcel_frame(session, ParcelFilter(), 4326)
    assert list(frame.columns) == [*SHAPEFILE_NAMES, "wkt", "geometry"]
    assert isinstance(frame, pd.DataFrame) and frame.crs.to_epsg() == 4326


@pytest.mark.parametrize("params", [{}, {"block": "城北板块"}, {"q": "新村"}, {"block": "nowhere"}])
def test_both_geojson_urls_stream_the_parcel_lists_bytes(client, params):
    # One streamed writer serves /export.geojson (the documented URL) and /export?format=geojson;
    # the file is the parcel list itself, with both geometry notices and the sources' counts.
    listed = client.get("/api/v1/parcels", params=params)
    documented = client.get("/api/v1/export.geojson", params=params)
    chosen = client.get("/api/v1/export", params={**params, "format": "geojson"})
    assert listed.status_code == documented.status_code == chosen.status_code == 200
    assert documented.content == chosen.content == listed.content
    assert documented.headers["content-disposition"] == chosen.headers["content-disposition"]
    body = documented.json()
    assert {"geometry_notice", "geometry_notice_zh", "geometry_sources"} <= body.keys()
