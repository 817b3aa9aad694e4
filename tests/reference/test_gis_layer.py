"""A city's basemap as a GeoPackage, and the command that loads any reference source.

The command runs against a database of its own (tests/support/databases.py), since it commits
and the shared test database's reference layer is what other tests digitize on.
"""

import json
import os

import geopandas
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from geo import migrate
from geo.errors import InvalidReferenceData
from geo.reference.layers import read_reference_source
from tests.support.cli import run
from tests.support.databases import drop_database, recreate_database
from tests.support.osm import jiaxing_scene, shipped


def basemap(path, kinds=("road", "estate")):
    """Two features on the EPSG:4549 plane, with the city's own field names."""
    frame = geopandas.GeoDataFrame(
        {"名称": ["青龙街", "秀水人家", None], "类别": [*kinds, "road"]},
        geometry=[shipped("青龙街"), shipped("秀水人家"), shipped("大新路")],
        crs="EPSG:4549",
    )
    frame.to_file(path, driver="GPKG")
    return path


def test_a_geopackage_loads_with_its_name_and_kind_fields(tmp_path):
    layer = read_reference_source(
        basemap(tmp_path / "city.gpkg"), name_field="名称", kind_field="类别"
    )
    assert [(r.name, r.kind) for r in layer.records] == [("青龙街", "road"), ("秀水人家", "estate")]
    assert layer.dropped["without a name or kind"] == 1
    lon, lat = layer.records[0].geometry.coords[0]
    assert 120.7 < lon < 120.8 and 30.7 < lat < 30.8  # transformed from EPSG:4549
    assert layer.records[0].layer.startswith("city.gpkg (GIS layer of ")


def test_unknown_kinds_and_missing_fields_are_refused(tmp_path):
    path = basemap(tmp_path / "city.gpkg", kinds=("道路", "小区"))
    with pytest.raises(InvalidReferenceData, match="kinds the digitizer does not know"):
        read_reference_source(path, name_field="名称", kind_field="类别")
    with pytest.raises(InvalidReferenceData, match="no field NAME"):
        read_reference_source(path, name_field="NAME", kind_field="类别")
    with pytest.raises(InvalidReferenceData, match="--name-field, --kind-field"):
        read_reference_source(path)


@pytest.fixture(scope="module")
def own_database():
    name = f"zhengshou_test_osm_{os.getpid()}"
    url = recreate_database(name)
    migrate.upgrade(url)
    yield url
    drop_database(name)


def test_load_reference_takes_an_extract_and_build_digitizes_on_it(own_database, tmp_path):
    extract = jiaxing_scene().write(tmp_path / "jiaxing.osm.pbf")
    bad = run(own_database, "load-reference", str(extract), "--bbox", "1,2,3")
    assert bad.returncode == 2 and "minlon,minlat,maxlon,maxlat" in bad.stderr
    loaded = run(
        own_database, "load-reference", str(extract), "--bbox", "120.70,30.70,120.80,30.80"
    )
    assert loaded.returncode == 0, loaded.stderr
    assert "layer: jiaxing.osm.pbf (OpenStreetMap extract of 2024-05-01" in loaded.stdout
    assert "gazetteer: 2 addresses from the layer" in loaded.stdout
    engine = create_engine(own_database, poolclass=NullPool)
    with engine.connect() as conn:
        kinds = dict(
            conn.execute(text("SELECT kind, count(*) FROM reference_features GROUP BY kind")).all()
        )
    engine.dispose()
    assert kinds["road"] >= 6 and kinds["estate"] == kinds["water"] == 1
    output = tmp_path / "parcels.geojson"
    built = run(own_database, "build", "--reference", "stored", "-o", str(output))
    assert built.returncode == 0, built.stderr
    parcels = {f["id"]: f["properties"] for f in json.loads(output.read_text("utf-8"))["features"]}
    for row in ("JX2022-02", "JX2022-09"):
        assert parcels[row]["geometry_source"] == "digitized"
        assert "on the reference layer jiaxing.osm.pbf" in parcels[row]["geometry_note"]
    assert parcels["JX2022-01"]["geometry_source"] == "schematic"  # 勤俭路 is not in the extract
