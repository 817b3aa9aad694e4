"""The zhengshou command, run as a separate process against the test database."""

import json

import pytest
from pyproj import Transformer
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.support.cli import run
from tests.support.files import NOTICE_FILE, PARCELS_FILE, write_json


def count(database_url: str) -> int:
    answer = run(database_url, "export")
    assert answer.returncode == 0, answer.stderr
    return json.loads(answer.stdout)["numberReturned"]


def test_load_twice_is_idempotent(database_url):
    first = run(database_url, "load", str(PARCELS_FILE))
    second = run(database_url, "load", str(PARCELS_FILE))
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert "0 parcels inserted, 0 updated, 13 unchanged" in second.stdout
    assert count(database_url) == 13


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("not json at all", "not JSON"),
        ('{"type": "FeatureCollection", "features": []}', "has no features"),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "X"}, "geometry": null}]}',
            "feature 1 (id X): missing properties",
        ),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_changes(
    database_url, tmp_path, content, words
):
    path = write_json(tmp_path / "bad.geojson", content)
    answer = run(database_url, "load", str(path))
    assert answer.returncode == 2
    assert words in answer.stderr and "Traceback" not in answer.stderr
    assert count(database_url) == 13


def test_failure_inside_the_database_leaves_it_as_it_was(database_url, tmp_path):
    data = json.loads(PARCELS_FILE.read_text(encoding="utf-8"))
    data["plan"]["title"] = data["plan"]["code"] = "另一份计划"
    for feature in data["features"]:
        feature["properties"]["plan"] = "另一份计划"
        feature["properties"]["id"] = "NEW-" + feature["properties"]["id"]
    data["features"][5]["properties"]["id"] = "JX2022-01"  # already used by the 2022 plan
    path = write_json(tmp_path / "conflict.geojson", data)
    answer = run(database_url, "load", str(path))
    assert answer.returncode == 2 and "database refused" in answer.stderr
    assert count(database_url) == 13  # neither the new plan's first five parcels nor the plan


def expected_strict_exit(report: dict) -> int:
    failed = report["area"]["status"] == "fail" or any(
        p["status"] == "fail" for p in report["parcels"]
    )
    return 1 if failed else 0


@pytest.mark.parametrize("tolerance", ["2", "0"])
def test_check_prints_a_table_and_strict_exit_codes(database_url, tolerance):
    table = run(database_url, "check", "--tolerance-pct", tolerance)
    assert table.returncode == 0, table.stdout + table.stderr
    assert "JX2022-13" in table.stdout and "253.68" in table.stdout
    report = json.loads(run(database_url, "check", "--json", "--tolerance-pct", tolerance).stdout)
    assert len(report["parcels"]) == 13
    strict = run(database_url, "check", "--strict", "--tolerance-pct", tolerance)
    assert strict.returncode == expected_strict_exit(report)


def test_lookup_and_bad_crs(database_url):
    answer = run(database_url, "lookup", "120.7", "30.7")
    assert answer.returncode == 0 and json.loads(answer.stdout)["nearest"]["distance_m"] > 0
    bad = run(database_url, "lookup", "120.7", "30.7", "--crs", "mars")
    assert bad.returncode == 2 and "Unknown crs 'mars'" in bad.stderr


def test_unreachable_database_is_one_plain_line():
    answer = run("postgresql+psycopg://x@127.0.0.1:9/none", "export")
    assert answer.returncode == 2
    assert answer.stderr.startswith("error: cannot reach the database")
    assert "Traceback" not in answer.stderr


def test_bad_reference_file_is_refused_and_the_layer_kept(database_url, tmp_path):
    path = write_json(
        tmp_path / "reference.geojson",
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "某路", "kind": "road", "geometry_source": "schematic", "note": "x"}, "geometry": {"type": "LineString", "coordinates": [[1, 2]]}}]}',
    )
    answer = run(database_url, "load-reference", str(path))
    assert answer.returncode == 2 and "reference feature 1 (某路)" in answer.stderr
    assert "Traceback" not in answer.stderr
    parsed = run(database_url, "parse", "东至甲路，南至乙河，西至丙路，北至丁路")
    assert (
        parsed.returncode == 0
        and json.loads(parsed.stdout)["boundaries"]["west"][0]["name"] == "丙路"
    )
    unparsable = run(database_url, "parse", "见附图")
    assert unparsable.returncode == 1 and json.loads(unparsable.stdout)["unparsed"] == ["见附图"]


def test_lookup_an_address_and_a_table(database_url, tmp_path):
    answer = run(database_url, "lookup", "嘉兴市环城西路23号一楼及仓库")
    assert answer.returncode == 0, answer.stderr
    body = json.loads(answer.stdout)
    assert body["quality"] == "exact" and body["parcels"][0]["id"] == "JX2022-10"
    table = tmp_path / "addresses.csv"
    table.write_text("address\n城北路592号\n不存在路1号\n", encoding="utf-8")
    done = run(database_url, "lookup", "--file", str(table))
    assert done.returncode == 0, done.stderr
    checked = (tmp_path / "addresses.checked.csv").read_text(encoding="utf-8-sig").splitlines()
    assert checked[1].startswith("城北路592号,exact,") and "JX2022-06" in checked[1]
    assert "不存在路 is not in the gazetteer" in checked[2]


def test_bad_gazetteer_file_is_refused(database_url, tmp_path):
    path = write_json(
        tmp_path / "gazetteer.geojson",
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"kind": "address", "name": "某路1号", "road": "某路", "uncertainty_m": 5, "geometry_source": "surveyed", "note": "x"}, "geometry": {"type": "Point", "coordinates": [120.7, 30.7]}}]}',
    )
    answer = run(database_url, "load-gazetteer", str(path))
    assert answer.returncode == 2
    assert (
        "gazetteer entry 1 (某路1号): an address needs 'road' and 'house_number'" in answer.stderr
    )


def test_ingest_the_seed_and_manage_tokens(database_url):
    answer = run(database_url, "ingest", str(NOTICE_FILE), "--code", "JX2022")
    assert answer.returncode == 0, answer.stderr
    assert "0 parcels inserted, 0 updated, 13 unchanged" in answer.stdout
    created = run(database_url, "token", "create", "--name", "规划科", "--role", "editor")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith("zs_") and " " not in token
    token_id = token.split("_")[1]
    listed = run(database_url, "token", "list")
    assert "规划科" in listed.stdout and token not in listed.stdout
    assert run(database_url, "token", "revoke", token_id).returncode == 0
    assert "revoked" in run(database_url, "token", "list").stdout
    again = run(database_url, "token", "revoke", token_id)
    assert again.returncode == 2 and "No active token" in again.stderr
    bad = run(database_url, "token", "create", "--name", "x", "--role", "root")
    assert bad.returncode == 2 and "role must be one of" in bad.stderr


def test_import_dry_run_and_refusal(database_url, tmp_path):
    data = json.loads(PARCELS_FILE.read_text(encoding="utf-8"))
    path = write_json(tmp_path / "update.geojson", data)
    dry = run(database_url, "import", str(path), "--reason", "检查", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert len(json.loads(dry.stdout)["unchanged"]) == 13
    data["features"][0]["properties"]["geometry_source"] = "guessed"
    write_json(path, data)
    refused = run(database_url, "import", str(path), "--reason", "检查")
    assert refused.returncode == 1 and "nothing was written" in refused.stderr
    assert json.loads(refused.stdout)["refused"][0]["feature"] == 1
    missing = run(database_url, "import", str(tmp_path / "none.geojson"), "--reason", "x")
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_bulk_import_from_a_geopackage_with_progress(database_url, tmp_path):
    path = tmp_path / "parcels.gpkg"
    exported = run(database_url, "export", "--format", "gpkg", "--output", str(path))
    assert exported.returncode == 0, exported.stderr
    dry = run(database_url, "import", str(path), "--reason", "批量核对", "--bulk", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    report = json.loads(dry.stdout)
    assert report["features"] == 13 and report["unchanged_count"] == 13, report
    assert "copying" in dry.stderr  # the progress bar
    junk = tmp_path / "junk.gpkg"
    junk.write_bytes(b"not a geopackage")
    refused = run(database_url, "import", str(junk), "--reason", "x", "--bulk")
    assert refused.returncode == 2 and "cannot be read" in refused.stderr


def test_ingest_dry_run_reviews_any_notice_and_writes_nothing(database_url, tmp_path):
    notice = tmp_path / "预公告.html"
    notice.write_text(
        "<html><body><h1>泉山县人民政府征收土地预公告</h1><p>泉政〔2025〕7号</p><table>"
        "<tr><td>序号</td><td>地块名称</td><td>四至范围</td><td>面积（公顷）</td></tr>"
        "<tr><td>1</td><td>北湖地块</td><td>东至湖滨路，南至北湖，西至学府路，北至环湖北路</td>"
        "<td>2.5</td></tr></table><p>泉山县人民政府</p><p>2025年6月1日</p></body></html>",
        encoding="utf-8",
    )
    before = count(database_url)
    shown = run(database_url, "ingest", str(notice), "--dry-run")
    assert shown.returncode == 0, shown.stderr
    assert "北湖地块" in shown.stdout and "(= 37.5000 亩, 25000.00 m²)" in shown.stdout
    review = json.loads(run(database_url, "ingest", str(notice), "--dry-run", "--json").stdout)
    assert (
        review["layout"] == "table"
        and review["plan"]["document_number"]["value"] == "泉政〔2025〕7号"
    )
    assert [p["name"]["text"] for p in review["parcels"]] == ["北湖地块"]
    assert count(database_url) == before


def test_ingest_writes_a_county_notice_once_and_again_changes_nothing(database_url, tmp_path):
    notice = tmp_path / "预公告.html"
    notice.write_text(
        "<html><body><h1>泉山县人民政府征收土地预公告</h1><p>泉政〔2025〕8号</p><table>"
        "<tr><td>序号</td><td>地块名称</td><td>四至范围</td><td>面积（公顷）</td></tr>"
        "<tr><td>1</td><td>南湖地块</td><td>东至湖滨路，南至南湖，西至学府路，北至环湖南路</td>"
        "<td>1.2</td></tr></table><p>泉山县人民政府</p><p>2025年6月2日</p></body></html>",
        encoding="utf-8",
    )
    fixes = tmp_path / "fixes.json"
    fixes.write_text('[{"parcel": 0, "field": "name", "text": "南湖东地块"}]', "utf-8")
    before = count(database_url)
    try:
        first = run(
            database_url, "ingest", str(notice), "--code", "QS2025", "--corrections", str(fixes)
        )
        assert first.returncode == 0, first.stderr
        assert (
            "1 parcels inserted" in first.stdout and "1 parcels have no shape yet" in first.stdout
        )
        again = run(database_url, "ingest", str(notice), "--corrections", str(fixes), "--json")
        written = json.loads(again.stdout)["written"]
        assert (written["inserted"], written["updated"], written["unchanged"]) == (0, 0, 1)
        assert count(database_url) == before + 1
    finally:
        engine = create_engine(database_url, poolclass=NullPool)
        with engine.begin() as conn:  # the CLI committed: leave the shared database as it was
            conn.execute(text("DELETE FROM parcel_history WHERE parcel_id = 'QS2025-01'"))
            conn.execute(text("DELETE FROM parcels WHERE id = 'QS2025-01'"))
            conn.execute(text("DELETE FROM plans WHERE code = 'QS2025'"))
        engine.dispose()


def test_ingest_refusals_are_one_plain_line(database_url, tmp_path):
    scan = tmp_path / "scan.bin"
    scan.write_bytes(b"\x00\x01binary\x00")
    circular = tmp_path / "circular.txt"
    circular.write_text("某县人民政府\n关于做好防汛工作的通知\n各乡镇：请做好防汛工作。\n", "utf-8")
    fixes = tmp_path / "fixes.json"
    fixes.write_text('[{"parcel": 99, "field": "name", "text": "x"}]', "utf-8")
    for args, words in (
        ((str(tmp_path / "missing.docx"), "--dry-run"), "cannot read"),
        ((str(scan), "--dry-run"), "error: "),
        ((str(circular),), "no parcels"),
        ((str(NOTICE_FILE), "--corrections", str(fixes)), "no parcel 99"),
    ):
        answer = run(database_url, "ingest", *args)
        assert (
            answer.returncode == 2 and words in answer.stderr and "Traceback" not in answer.stderr
        )


def test_lookup_by_easting_and_northing_on_a_zone(database_url):
    lon, lat = 120.7511, 30.7667
    easting, northing = Transformer.from_crs("EPSG:4326", "EPSG:4549", always_xy=True).transform(
        lon, lat
    )
    by_lonlat = json.loads(run(database_url, "lookup", str(lon), str(lat)).stdout)
    on_plane = run(
        database_url, "lookup", f"{easting:.3f}", f"{northing:.3f}", "--crs", "EPSG:4549"
    )
    assert on_plane.returncode == 0, on_plane.stderr
    answer = json.loads(on_plane.stdout)
    assert by_lonlat["parcels"], "the point lies in a shipped parcel"
    assert [p["id"] for p in answer["parcels"]] == [p["id"] for p in by_lonlat["parcels"]]
    swapped = run(database_url, "lookup", f"{northing:.3f}", f"{easting:.3f}", "--crs", "epsg:4549")
    assert swapped.returncode == 2 and "give EASTING NORTHING" in swapped.stderr
