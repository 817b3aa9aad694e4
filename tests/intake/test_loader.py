"""Loading is idempotent and all-or-nothing."""

import copy
import json

import pytest
from sqlalchemy import func, select, text

from geo.errors import InvalidParcelData
from geo.intake.loader import load_parcels
from geo.intake.parcel_file import parse_parcel_collection, read_parcel_file
from geo.models import Parcel, Plan
from tests.support.files import PARCELS_FILE


def snapshot(session):
    return session.execute(
        text("SELECT id, seq, name, declared_area_mu, ST_AsText(geom) FROM parcels ORDER BY id")
    ).all()


def test_loading_twice_leaves_13_parcels_unchanged(session):
    before = snapshot(session)
    for _ in range(2):
        report = load_parcels(session, read_parcel_file(PARCELS_FILE))
        assert (report.inserted, report.updated, report.unchanged) == (0, 0, 13)
    assert session.scalar(select(func.count()).select_from(Parcel)) == 13
    assert session.scalar(select(func.count()).select_from(Plan)) == 1
    assert snapshot(session) == before


def test_first_load_into_empty_tables_inserts(session):
    session.execute(text("DELETE FROM parcels"))
    report = load_parcels(session, read_parcel_file(PARCELS_FILE))
    assert (report.inserted, report.updated) == (13, 0)


def test_a_database_refusal_midway_rolls_back_everything(session):
    """Feature 2 breaks a database constraint after the plan and feature 1 were written."""
    data = json.loads(PARCELS_FILE.read_text(encoding="utf-8"))
    other = copy.deepcopy(data)
    other["plan"]["title"] = other["plan"]["code"] = "另一份计划"
    for feature in other["features"]:
        feature["properties"]["plan"] = "另一份计划"
        feature["properties"]["id"] = "NEW-" + feature["properties"]["id"]
    other["features"][1]["properties"]["id"] = "JX2022-05"  # taken by the 2022 plan
    before = snapshot(session)
    savepoint = session.begin_nested()
    with pytest.raises(InvalidParcelData, match="database refused"):
        load_parcels(session, parse_parcel_collection(other))
    savepoint.rollback()
    assert snapshot(session) == before
    assert session.scalar(select(func.count()).select_from(Plan)) == 1


def test_changing_a_stable_id_is_refused(session):
    data = json.loads(PARCELS_FILE.read_text(encoding="utf-8"))
    data["features"][0]["properties"]["id"] = "RENAMED-01"
    with pytest.raises(InvalidParcelData, match="ids are stable"):
        load_parcels(session, parse_parcel_collection(data))


def test_a_changed_parcel_is_updated_with_a_new_version_and_history(session):
    data = json.loads(PARCELS_FILE.read_text(encoding="utf-8"))
    data["features"][0]["properties"]["implementing_unit"] = "某某公司"
    report = load_parcels(
        session, parse_parcel_collection(data), actor="test", source="test.geojson"
    )
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 12)
    version = session.execute(
        text("SELECT version FROM parcels WHERE id = 'JX2022-01'")
    ).scalar_one()
    last = session.execute(
        text(
            "SELECT action, actor, reason, old, new FROM parcel_history WHERE parcel_id = 'JX2022-01' ORDER BY id DESC LIMIT 1"
        )
    ).one()
    assert (last.action, last.actor, last.reason) == ("load", "test", "loaded from test.geojson")
    assert last.old["properties"]["implementing_unit"] != "某某公司"
    assert last.new["properties"]["implementing_unit"] == "某某公司"
    assert last.new["properties"]["version"] == version == last.old["properties"]["version"] + 1


def test_a_parcel_without_a_shape_is_loaded_and_kept(session):
    from tests.support.shapeless import SHAPELESS_ID, parcels_with_shapeless

    data = parcels_with_shapeless()
    report = load_parcels(session, parse_parcel_collection(data))
    assert (report.inserted, report.unchanged) == (1, 13)
    row = session.execute(
        text("SELECT geometry_source, geom, measured_area_m2 FROM parcels WHERE id = :id"),
        {"id": SHAPELESS_ID},
    ).one()
    assert tuple(row) == ("none", None, None)
    # Loading the same file again changes nothing; giving it a shape later updates it.
    assert load_parcels(session, parse_parcel_collection(data)).unchanged == 14
    data["features"][-1]["geometry"] = data["features"][0]["geometry"]
    data["features"][-1]["properties"] |= {"geometry_source": "digitized"}
    report = load_parcels(session, parse_parcel_collection(data))
    assert (report.inserted, report.updated) == (0, 1)


def test_a_shapeless_parcel_that_does_not_say_so_refuses_the_whole_file(session):
    from tests.support.shapeless import parcels_with_shapeless

    data = parcels_with_shapeless()
    data["features"][-1]["properties"]["geometry_source"] = "schematic"
    before = snapshot(session)
    with pytest.raises(InvalidParcelData, match="has no geometry"):
        load_parcels(session, parse_parcel_collection(data))
    assert snapshot(session) == before
