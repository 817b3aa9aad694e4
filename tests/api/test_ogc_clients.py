"""OGC API - Features read by real clients nobody here wrote: GDAL's OAPIF driver, twice.

Debian's gdal-bin (ogrinfo/ogr2ogr 3.6) and pyogrio's bundled, newer GDAL (CRS options need 3.7+).
"""

import shutil
import subprocess

import pyogrio
import pytest

from tests.support.expected_plan import ROWS
from tests.support.independent import MU_M2

pytestmark = pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="needs gdal-bin")


def oapif(server_url: str) -> str:
    return f"OAPIF:{server_url}/ogc"


def test_ogrinfo_lists_the_collections(server):
    out = subprocess.run(
        ["ogrinfo", "-ro", oapif(server)], capture_output=True, text=True, check=True
    ).stdout
    assert "1: parcels" in out and "reference" in out and "gazetteer" in out


def test_ogr2ogr_copies_13_parcels_with_chinese_attributes(server, tmp_path):
    target = tmp_path / "out.gpkg"
    subprocess.run(["ogr2ogr", "-f", "GPKG", str(target), oapif(server), "parcels"], check=True)
    frame = pyogrio.read_dataframe(target)
    assert len(frame) == 13
    for _, row in frame.iterrows():
        block, name, boundary, area, interest, unit = ROWS[int(row["seq"])]
        assert (row["block"], row["name"], row["boundary_text"]) == (block, name, boundary)
        assert (row["interest_type"], row["implementing_unit"]) == (interest, unit)
        assert row["declared_area_mu"] == float(area)


def test_newer_gdal_reads_in_epsg_4549_and_areas_match(server):
    frame = pyogrio.read_dataframe(oapif(server), layer="parcels", CRS="EPSG:4549")
    assert frame.crs.to_epsg() == 4549
    assert len(frame) == 13
    minx, miny, _, _ = frame.total_bounds
    assert 500_000 < minx < 700_000 and 3_300_000 < miny < 3_500_000  # easting, northing
    areas = (frame.area / MU_M2).round(2)
    assert (abs(areas - frame["measured_area_mu"]) <= 0.01).all()


def test_gdal_filters_by_attribute(server):
    frame = pyogrio.read_dataframe(oapif(server), layer="parcels", where="block = '城北板块'")
    assert sorted(frame["seq"]) == [5, 6, 7]
