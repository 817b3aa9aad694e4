"""Ingesting the published notice reproduces the shipped plan and parcels exactly."""

import json

import pytest
from sqlalchemy import text

from geo.errors import InvalidParcelData
from geo.intake.notice import ingest_notice
from tests.support.files import NOTICE_FILE, PARCELS_FILE


def test_ingesting_the_seed_changes_nothing_in_the_shipped_data(session):
    shipped = json.loads(PARCELS_FILE.read_text(encoding="utf-8"))
    report = ingest_notice(session, NOTICE_FILE.read_text(encoding="utf-8"), "JX2022", "seed")
    assert [o.geometry_source for o in report.outcomes] == ["digitized"] * 13
    assert (report.load.inserted, report.load.updated, report.load.unchanged) == (0, 0, 13)
    plan = session.execute(
        text(
            "SELECT code, title, year, issuer, published_on::text, source_document, published_total_mu::float FROM plans"
        )
    ).one()
    assert tuple(plan) == tuple(
        shipped["plan"][k]
        for k in (
            "code",
            "title",
            "year",
            "issuer",
            "published_on",
            "source_document",
            "published_total_mu",
        )
    )


def test_ingest_into_an_empty_database_creates_the_13_parcels_as_shipped(session):
    session.execute(text("DELETE FROM parcels"))
    session.execute(text("DELETE FROM plans"))
    report = ingest_notice(session, NOTICE_FILE.read_text(encoding="utf-8"), "JX2022", "seed")
    assert report.load.inserted == 13
    shipped = {f["id"]: f for f in json.loads(PARCELS_FILE.read_text(encoding="utf-8"))["features"]}
    rows = session.execute(
        text(
            "SELECT id, ST_AsGeoJSON(geom, 7)::json AS geometry, block, name, boundary_text, declared_area_mu::float AS area, interest_type, implementing_unit, geometry_source, geometry_note FROM parcels"
        )
    ).all()
    assert len(rows) == 13
    for row in rows:
        props = shipped[row.id]["properties"]
        assert (row.block, row.name, row.boundary_text, row.area) == (
            props["block"],
            props["name"],
            props["boundary_text"],
            props["declared_area_mu"],
        )
        assert (row.interest_type, row.implementing_unit) == (
            props["interest_type"],
            props["implementing_unit"],
        )
        assert (row.geometry_source, row.geometry_note) == (
            props["geometry_source"],
            props["geometry_note"],
        )
        assert row.geometry["coordinates"] == shipped[row.id]["geometry"]["coordinates"]


def test_rows_that_cannot_be_digitized_are_kept_without_a_shape_and_reported(session):
    session.execute(text("DELETE FROM reference_features WHERE name = '勤俭路'"))
    session.execute(text("DELETE FROM parcels"))
    report = ingest_notice(session, NOTICE_FILE.read_text(encoding="utf-8"), "JX2022", "seed")
    missing = {o.id: o.detail for o in report.outcomes if o.geometry_source == "none"}
    assert set(missing) == {"JX2022-01", "JX2022-11"}
    assert all("勤俭路 (not in the reference layer)" in detail for detail in missing.values())
    assert report.load.inserted == 13  # the notice is the record: no parcel is lost
    stored = session.execute(
        text(
            "SELECT id, geometry_note FROM parcels WHERE geom IS NULL AND geometry_source = 'none'"
        )
    ).all()
    assert {row.id for row in stored} == set(missing)
    assert all("勤俭路 (not in the reference layer)" in row.geometry_note for row in stored)
    assert "2 parcels have no shape yet (待落图)" in report.summary()


def test_a_text_without_a_plan_table_is_refused(session):
    with pytest.raises(InvalidParcelData, match="no table titled"):
        ingest_notice(session, "嘉兴市人民政府关于某事的通知\n正文", "X", "x")
