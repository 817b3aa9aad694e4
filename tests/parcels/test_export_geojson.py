"""The GeoJSON export's own Feature text and COPY framing, against the served Feature's."""

import json

import pytest
from sqlalchemy import text

from geo.parcels.export_fields import DECIMALS
from geo.parcels.export_geojson import (
    COPY_CSV,
    copy_rows,
    feature_text_sql,
    features_text,
    geojson_chunks,
)
from geo.parcels.reads import FROM_SQL, PARCEL_PROPERTIES, ParcelFilter, feature_sql
from geo.query import Query

# Everything a text may hold that JSON or COPY treats specially.
AWKWARD = 'a "quoted" \\ back\\slash\nnew line\ttab\r\x01\x02 控制 😀 \u2028 end'


@pytest.fixture
def awkward_parcels(session):
    """Two parcels rewritten in the rolled-back session: awkward texts, nulls, no shape."""
    first, second = session.execute(text("SELECT id FROM parcels ORDER BY id LIMIT 2")).scalars()
    session.execute(
        text(
            "UPDATE parcels SET name = :awkward, boundary_text = :awkward, block = NULL, "
            "approval_reference = :awkward WHERE id = :id"
        ),
        {"awkward": AWKWARD, "id": first},
    )
    session.execute(
        text(
            "UPDATE parcels SET geom = NULL, geometry_source = 'none', "
            "geometry_note = :awkward WHERE id = :id"
        ),
        {"awkward": AWKWARD, "id": second},
    )
    return first, second


@pytest.mark.parametrize("srid", [4326, 4549])
def test_feature_text_is_the_served_features_bytes(session, awkward_parcels, srid):
    geometry = "p.geom" if srid == 4326 else f"ST_Transform(p.geom, {srid})"
    served = feature_sql("p.id", geometry, PARCEL_PROPERTIES, DECIMALS[srid])
    exported = feature_text_sql("p.id", geometry, PARCEL_PROPERTIES, DECIMALS[srid])
    rows = session.execute(text(f"SELECT ({served})::text, {exported} {FROM_SQL}")).all()
    assert len(rows) == 13
    for built, concatenated in rows:
        assert concatenated == built
    names = {json.loads(row[0])["properties"]["name"] for row in rows}
    assert AWKWARD in names


def test_the_export_is_the_parcel_list_with_awkward_texts(client, awkward_parcels):
    listed = client.get("/api/v1/parcels")
    exported = client.get("/api/v1/export.geojson")
    assert exported.status_code == 200
    assert exported.content == listed.content
    features = {f["id"]: f for f in exported.json()["features"]}
    first, second = awkward_parcels
    assert features[first]["properties"]["name"] == AWKWARD
    assert features[second]["geometry"] is None


def test_slices_join_as_json_agg_joins_them(session, awkward_parcels):
    sliced = "".join(geojson_chunks(session, ParcelFilter(), batch_size=3))
    whole = "".join(geojson_chunks(session, ParcelFilter(), batch_size=100))
    assert sliced == whole
    assert len(json.loads(sliced)["features"]) == 13


def test_a_raw_line_break_is_refused_not_passed_on(session):
    # Only a json-typed value keeps a raw line break; COPY would quote it, and the stream says so.
    query = Query(text("SELECT CAST(:value AS json)"), {"value": '{"a":\n1}'})
    copied = copy_rows(session, query, COPY_CSV)
    with pytest.raises(ValueError, match="line break"):
        features_text(copied)
