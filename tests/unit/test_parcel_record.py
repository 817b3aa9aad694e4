"""The parcel record's field list, and what derives from it, against the names users rely on."""

from dataclasses import fields

from geo.parcels.record import (
    EXPORTED,
    FIELDS,
    RECORD_NAMES,
    TEXT_PROPERTIES,
    ParcelRecord,
    Use,
    names_with,
)


def test_the_record_dataclass_has_the_fields_the_list_gives_it():
    assert tuple(f.name for f in fields(ParcelRecord)) == (*RECORD_NAMES, "geometry")


def test_file_properties_are_those_of_data_parcels_geojson_in_order():
    assert names_with(Use.FILE) == (
        "id",
        "plan",
        "plan_year",
        "seq",
        "block",
        "name",
        "boundary_text",
        "declared_area_mu",
        "interest_type",
        "implementing_unit",
        "geometry_source",
        "geometry_note",
    )
    assert "geometry_source" not in TEXT_PROPERTIES  # a choice, checked against its values


def test_editable_fields_are_the_plan_values_and_the_approval_reference():
    assert names_with(Use.EDIT) == (
        "block",
        "name",
        "boundary_text",
        "declared_area_mu",
        "interest_type",
        "implementing_unit",
        "geometry_source",
        "geometry_note",
        "approval_reference",
    )


def test_shapefile_names_fit_dbase_and_are_unique():
    names = [field.shapefile_name for field in EXPORTED]
    assert all(name and len(name) <= 10 for name in names)
    assert len(set(names)) == len(names)


def test_names_are_unique():
    assert len({field.name for field in FIELDS}) == len(FIELDS)
