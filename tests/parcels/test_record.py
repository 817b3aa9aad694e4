"""The parcel record's field list, and what derives from it.

The file's property order is checked against data/parcels.geojson in test_parcels_data, and the
Shapefile names against their documented table in tests/api/test_exports.
"""

from dataclasses import fields

from geo.parcels.record import (
    EXPORTED,
    FIELDS,
    KEY_NAMES,
    LOADED_COLUMNS,
    PROPERTY_NAMES,
    RECORD_NAMES,
    TEXT_PROPERTIES,
    ParcelRecord,
    Use,
    names_with,
)
from geo.stages.rules import STAGE_FIELDS


def test_the_record_dataclass_has_the_fields_the_list_gives_it():
    assert tuple(f.name for f in fields(ParcelRecord)) == (*RECORD_NAMES, "geometry")
    assert RECORD_NAMES == (*KEY_NAMES, *LOADED_COLUMNS) == ("id", "seq", *LOADED_COLUMNS)


def test_a_file_gives_the_record_and_its_plan():
    assert set(PROPERTY_NAMES) == {*RECORD_NAMES, "plan", "plan_year"}
    assert "geometry_source" not in TEXT_PROPERTIES  # a choice, checked against its values


def test_editable_fields_are_the_loaded_values_the_approval_reference_and_the_stage():
    assert names_with(Use.EDIT) == (*LOADED_COLUMNS, "approval_reference", *STAGE_FIELDS)


def test_the_stage_is_edited_and_queried_but_never_loaded_from_a_file():
    assert not set(STAGE_FIELDS) & set(PROPERTY_NAMES)
    assert not set(STAGE_FIELDS) & set(LOADED_COLUMNS)
    assert "stage" in names_with(Use.QUERY)


def test_shapefile_names_fit_dbase_and_are_unique():
    names = [field.shapefile_name for field in EXPORTED]
    assert all(name and len(name) <= 10 for name in names)
    assert len(set(names)) == len(names)


def test_names_are_unique():
    assert len({field.name for field in FIELDS}) == len(FIELDS)
