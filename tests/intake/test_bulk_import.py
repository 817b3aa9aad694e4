"""The COPY-based bulk import: same rules as the ordinary import, all or nothing, set-based."""

import json
from datetime import UTC, datetime

import geopandas as gpd
import pytest
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon
from sqlalchemy import text

from geo.errors import ImportRefused, InvalidInput
from geo.intake.bulk_import import bulk_import
from geo.parcels.history import parcel_as_of, parcel_history
from tests.support.files import PARCELS_FILE


def shipped_frame() -> gpd.GeoDataFrame:
    frame = gpd.read_file(PARCELS_FILE)
    frame["boundaries"] = [
        json.dumps(f["properties"]["boundaries"], ensure_ascii=False)
        if "boundaries" in f["properties"]
        else None
        for f in json.loads(PARCELS_FILE.read_text(encoding="utf-8"))["features"]
    ]
    return frame


def write(frame: gpd.GeoDataFrame, path) -> object:
    frame.to_file(path, driver="GPKG")
    return path


def stored(session, parcel_id):
    return session.execute(
        text("SELECT block, version, ST_Area(geom) FROM parcels WHERE id = :id"), {"id": parcel_id}
    ).one_or_none()


def new_parcels(count: int, first_seq: int = 500) -> gpd.GeoDataFrame:
    """New parcels of the shipped plan: the shipped ones under new ids and seqs, moved east."""
    frame = shipped_frame()
    rows = frame.iloc[[i % len(frame) for i in range(count)]].reset_index(drop=True)
    rows["seq"] = range(first_seq, first_seq + count)
    rows["id"] = [f"JX2022-N{seq}" for seq in rows["seq"]]
    rows["geometry"] = [
        translate(shape, xoff=0.05 + 0.01 * (i // len(frame)))
        for i, shape in enumerate(rows.geometry)
    ]
    return gpd.GeoDataFrame(rows, crs=frame.crs)


def layer_version(session) -> int:
    return session.execute(
        text("SELECT version FROM layer_versions WHERE layer = 'parcels'")
    ).scalar_one()


def test_reimporting_the_shipped_parcels_changes_nothing(session, tmp_path):
    report = bulk_import(session, write(shipped_frame(), tmp_path / "p.gpkg"), "check", "test")
    assert report.applied and report.features == 13 and report.path == "direct"
    assert (report.created_count, report.updated_count, report.unchanged_count) == (0, 0, 13)
    assert set(report.seconds) >= {"copy", "check", "write"}


def test_new_parcels_are_copied_into_the_table_with_history_and_a_new_layer_version(
    session, tmp_path
):
    frame = new_parcels(30)
    frame.loc[0, "geometry"] = frame.geometry[0].geoms[0]  # a Polygon becomes a MultiPolygon
    frame.loc[1, "boundaries"] = None  # parsed from boundary_text by the import
    amounts = [2.675, 0.125, 1234.5, 60.0, 0.005]
    frame.loc[2:6, "declared_area_mu"] = amounts
    version = layer_version(session)
    report = bulk_import(session, write(frame, tmp_path / "new.gpkg"), "新增地块", "test")
    assert report.path == "direct" and report.staging_reason is None
    assert (report.created_count, report.updated_count, report.unchanged_count) == (30, 0, 0)
    assert layer_version(session) > version
    for parcel_id in frame["id"]:
        (entry,) = parcel_history(session, parcel_id)
        assert entry["action"] == "import" and entry["version"] == 1
        assert "新增地块" in entry["reason"] and entry["old"] is None
    kinds = session.execute(
        text("SELECT DISTINCT GeometryType(geom) FROM parcels WHERE id LIKE 'JX2022-N%'")
    ).scalars()
    assert set(kinds) == {"MULTIPOLYGON"}
    new = parcel_as_of(session, frame["id"][1], datetime.now(UTC))
    assert new["properties"]["boundaries"]["east"]  # parsed 四至
    # Amounts are rounded as PostgreSQL rounds the text the staging path would send.
    for parcel_id, amount in zip(frame["id"][2:7], amounts, strict=True):
        same = session.execute(
            text(
                "SELECT declared_area_mu = CAST(:given AS numeric(10, 2)) FROM parcels "
                "WHERE id = :id"
            ),
            {"given": repr(amount), "id": parcel_id},
        ).scalar_one()
        assert same, (parcel_id, amount)


def test_new_and_changed_parcels_are_written_with_history(session, tmp_path):
    frame = shipped_frame()
    frame.loc[0, "block"] = "批量板块"
    extra = frame.iloc[[1]].copy()
    extra["id"], extra["seq"], extra["name"] = "JX2022-90", 90, "批量新地块"
    extra["boundaries"] = None  # parsed from boundary_text by the import
    frame = gpd.GeoDataFrame([*frame.to_dict("records"), *extra.to_dict("records")], crs=frame.crs)
    before = stored(session, "JX2022-01")
    report = bulk_import(session, write(frame, tmp_path / "p.gpkg"), "年度批量更新", "test")
    assert (report.created_count, report.updated_count, report.unchanged_count) == (1, 1, 12)
    assert report.path == "direct"
    after = stored(session, "JX2022-01")
    assert after.block == "批量板块" and after.version == before.version + 1
    history = parcel_history(session, "JX2022-01")[-1]
    assert history["action"] == "import" and "年度批量更新" in history["reason"]
    assert history["old"]["properties"]["block"] != "批量板块"
    # The bulk row stores no copy of the state after; it is resolved from the parcel itself.
    assert history["new"]["properties"]["block"] == "批量板块"
    new = parcel_as_of(session, "JX2022-90", datetime.now(UTC))
    assert new["properties"]["name"] == "批量新地块"
    assert new["properties"]["boundaries"]["east"]  # parsed 四至


def test_one_refused_feature_writes_nothing_and_every_reason_is_named(session, tmp_path):
    frame = shipped_frame()
    frame["seq"] = frame["seq"].astype(object)
    frame.loc[2, "block"] = " "
    frame.loc[3, "seq"] = 0
    frame.loc[4, "plan"] = "不存在的计划"
    frame.loc[5, "id"] = frame.loc[6, "id"]
    frame.loc[7, "geometry_source"] = "guessed"
    frame.loc[8, "geometry"] = MultiPolygon([Polygon([(0, 0), (1, 0), (1, 1)])])
    frame.loc[0, "block"] = "不应写入"
    with pytest.raises(ImportRefused) as refused:
        bulk_import(session, write(frame, tmp_path / "p.gpkg"), "x", "test")
    reasons = {r["feature"]: r["reason"] for r in refused.value.report.refused}
    assert "block" in reasons[3] and "seq" in reasons[4] and "plan" in reasons[5]
    assert "same id" in reasons[6] and "same id" in reasons[7]
    assert "geometry_source" in reasons[8] and "China" in reasons[9]
    assert refused.value.report.refused_count == 7
    assert refused.value.report.path == "staging"
    assert stored(session, "JX2022-01").block != "不应写入"


@pytest.mark.parametrize("clash", ["id", "seq"])
def test_new_parcels_that_clash_with_each_other_are_named(session, tmp_path, clash):
    """The table's unique keys stop the COPY; the staging path then names both features."""
    frame = new_parcels(20)
    frame.loc[7, clash] = frame.loc[3, clash]
    before = layer_version(session)
    with pytest.raises(ImportRefused) as refused:
        bulk_import(session, write(frame, tmp_path / "clash.gpkg"), "x", "test")
    report = refused.value.report
    assert report.path == "staging" and "refused" in report.staging_reason
    assert {r["feature"] for r in report.refused} == {4, 8}
    assert all("same" in r["reason"] for r in report.refused)
    assert layer_version(session) == before
    assert stored(session, frame["id"][0]) is None


def test_an_invalid_new_shape_is_named_after_the_table_refuses_it(session, tmp_path):
    frame = new_parcels(5)
    x, y = frame.geometry[2].centroid.x, frame.geometry[2].centroid.y
    bowtie = Polygon([(x, y), (x + 0.001, y + 0.001), (x + 0.001, y), (x, y + 0.001)])
    frame.loc[2, "geometry"] = MultiPolygon([bowtie])
    with pytest.raises(ImportRefused) as refused:
        bulk_import(session, write(frame, tmp_path / "bowtie.gpkg"), "x", "test")
    (only,) = refused.value.report.refused
    assert only["feature"] == 3 and "not valid" in only["reason"]


def test_a_file_with_text_where_numbers_belong_takes_the_staging_path(session, tmp_path):
    frame = new_parcels(4)
    frame["seq"] = frame["seq"].astype(str)
    report = bulk_import(session, write(frame, tmp_path / "texts.gpkg"), "x", "test")
    assert report.path == "staging" and "seq" in report.staging_reason
    assert report.created_count == 4
    assert stored(session, frame["id"][3]).version == 1


def test_readers_are_not_kept_waiting_while_an_import_is_under_way(session, engine, tmp_path):
    """No index is dropped and no table locked: readers see the parcels as they were."""
    before = session.execute(text("SELECT count(*) FROM parcels")).scalar_one()
    bulk_import(session, write(new_parcels(40), tmp_path / "new.gpkg"), "x", "test")
    assert session.execute(text("SELECT count(*) FROM parcels")).scalar_one() == before + 40
    with engine.connect() as reader:  # the import's transaction is still open
        reader.execute(text("SET lock_timeout = '2s'"))
        seen = reader.execute(
            text("SELECT count(*) FROM parcels WHERE geom && ST_MakeEnvelope(73, 3, 136, 54, 4326)")
        ).scalar_one()
    assert seen == before


def test_an_invalid_shape_is_named_after_the_table_refuses_it(session, tmp_path):
    frame = shipped_frame()
    x, y = frame.geometry[4].centroid.x, frame.geometry[4].centroid.y
    bowtie = Polygon([(x, y), (x + 0.001, y + 0.001), (x + 0.001, y), (x, y + 0.001)])
    frame.loc[4, "geometry"] = MultiPolygon([bowtie])
    with pytest.raises(ImportRefused) as refused:
        bulk_import(session, write(frame, tmp_path / "p.gpkg"), "x", "test")
    (only,) = refused.value.report.refused
    assert only["feature"] == 5 and "not valid" in only["reason"]


def test_a_value_the_table_cannot_hold_is_refused_with_the_database_reason(session, tmp_path):
    frame = shipped_frame()
    frame.loc[0, "block"] = "不应写入"
    frame.loc[2, "declared_area_mu"] = 1e12  # beyond numeric(10, 2)
    with pytest.raises(ImportRefused) as refused:
        bulk_import(session, write(frame, tmp_path / "p.gpkg"), "x", "test")
    (only,) = refused.value.report.refused
    assert "database refused" in only["reason"] and "numeric" in only["reason"]
    assert stored(session, "JX2022-01").block != "不应写入"


def test_dry_run_reports_but_writes_nothing_and_a_projected_file_is_transformed(session, tmp_path):
    frame = shipped_frame()
    frame.loc[0, "block"] = "试运行"
    path = write(frame.to_crs(4549), tmp_path / "cgcs.gpkg")
    report = bulk_import(session, path, "x", "test", dry_run=True)
    assert report.dry_run and not report.applied and report.updated_count >= 1
    assert stored(session, "JX2022-01").block != "试运行"
    # Back in WGS84, the shapes are the same parcels (areas agree to a tiny fraction).
    frame.loc[0, "block"] = "投影导入"
    before = stored(session, "JX2022-02")
    bulk_import(session, write(frame.to_crs(4549), tmp_path / "cgcs2.gpkg"), "x", "test")
    assert stored(session, "JX2022-01").block == "投影导入"
    assert stored(session, "JX2022-02")[2] == pytest.approx(before[2], rel=1e-6)


def test_a_file_without_the_fields_is_refused_in_plain_words(session, tmp_path):
    frame = shipped_frame().drop(columns=["implementing_unit"])
    with pytest.raises(InvalidInput, match="implementing_unit"):
        bulk_import(session, write(frame, tmp_path / "p.gpkg"), "x", "test")
    (tmp_path / "junk.gpkg").write_bytes(b"not a geopackage")
    with pytest.raises(InvalidInput, match="cannot be read"):
        bulk_import(session, tmp_path / "junk.gpkg", "x", "test")
