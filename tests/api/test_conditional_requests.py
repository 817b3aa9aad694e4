"""Conditional requests (RFC 9110 §13): If-Match on writes, If-None-Match on reads.

If-Match compares strongly: an entity tag that is not the parcel's current version, including
one the service never gave out, is 412 with the current version; only a header that is not a
list of entity tags at all is 400. ``*`` matches any existing parcel, a list matches when one of
its tags does. If-None-Match compares weakly: a read whose ETag is listed (or ``*``) is 304.
"""

import hashlib

import pytest

from api.conditional import EntityTag, parse_tag_list, version_of
from geo.tokens import create_token
from tests.support.errors import assert_error

PARCEL = "/api/v1/parcels/JX2022-07"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def editor(session) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(session, '条件请求', 'editor')}"}


def current(client) -> tuple[int, str]:
    read = client.get(PARCEL)
    return read.json()["properties"]["version"], read.headers["etag"]


def change(client, editor, if_match, unit="嘉兴市条件请求公司"):
    body = {"properties": {"implementing_unit": unit}, "reason": "条件请求测试"}
    headers = list(editor.items()) + [("If-Match", value) for value in if_match]
    return client.patch(PARCEL, json=body, headers=headers)


# --- Parsing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "tags"),
    [
        ('"3"', [EntityTag("3")]),
        ('W/"3"', [EntityTag("3", weak=True)]),
        ('"a,b"', [EntityTag("a,b")]),  # a comma is a tag character
        ('"1", W/"2" ,,"x"', [EntityTag("1"), EntityTag("2", weak=True), EntityTag("x")]),
        ('""', [EntityTag("")]),
        ("", []),
        (" , ", []),
    ],
)
def test_entity_tag_lists_are_parsed(value, tags):
    assert parse_tag_list(value).tags == tuple(tags)


@pytest.mark.parametrize(
    "value", ["3", "abc", '"3', 'w/"3"', '"3" "4"', '*, "3"', '"3"x', 'W/ "3"']
)
def test_what_is_not_a_list_of_entity_tags_is_refused(value):
    assert parse_tag_list(value) is None


def test_only_strong_canonical_numbers_name_versions():
    assert version_of(EntityTag("12")) == 12
    for tag in (
        EntityTag("12", weak=True),
        EntityTag("012"),
        EntityTag("abc"),
        EntityTag("\u0661"),
    ):
        assert version_of(tag) is None


# --- If-Match on writes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tags",
    [
        ['"abc"'],
        ['W/"x"'],
        ["W/{etag}"],  # the current version, but weak: If-Match compares strongly
        ['"0{version}"'],  # the same number, other octets
        ['""'],
        ['"abc", "def"'],
        ['"abc"', 'W/"x"'],  # two field lines
        [""],  # an empty list
    ],
)
def test_a_tag_that_is_not_the_current_version_is_412_with_the_current_one(client, editor, tags):
    version, etag = current(client)
    sent = [tag.format(etag=etag, version=version) for tag in tags]
    refused = change(client, editor, sent)
    assert_error(refused, 412, "version_conflict", "no current version", f'ETag is "{version}"')
    assert refused.json()["error"]["current_version"] == version
    assert current(client) == (version, etag)  # nothing written


def test_a_stale_version_alone_says_the_parcel_changed(client, editor):
    version, etag = current(client)
    assert change(client, editor, [etag]).status_code == 200
    stale = change(client, editor, [etag], unit="又一次")
    assert_error(stale, 412, "version_conflict", "changed since you read it")
    assert stale.json()["error"]["current_version"] == version + 1


@pytest.mark.parametrize("value", ["3", "abc", '"3', 'w/"3"', '"3" "4"', '*, "3"'])
def test_a_header_that_is_not_a_list_of_entity_tags_is_400(client, editor, value):
    version, etag = current(client)
    assert_error(change(client, editor, [value]), 400, "invalid_input", "entity tags", '"3"')
    assert current(client) == (version, etag)


def test_a_list_matches_when_one_of_its_tags_does(client, editor):
    version, etag = current(client)
    written = change(client, editor, [f'"abc", W/"x", "{version + 5}", {etag}'])
    assert written.status_code == 200, written.text
    assert written.headers["etag"] == f'"{version + 1}"'
    again = change(client, editor, ['"abc"', written.headers["etag"]], unit="第二次")
    assert again.status_code == 200, again.text


def test_a_star_matches_any_existing_parcel(client, editor):
    version, _ = current(client)
    written = change(client, editor, ["*"])
    assert written.status_code == 200, written.text
    assert written.json()["properties"]["version"] == version + 1
    retired = client.delete(
        PARCEL, params={"reason": "条件请求测试"}, headers=editor | {"If-Match": "*"}
    )
    assert retired.status_code == 204
    # No parcel any more: the answer is that, not a failed precondition.
    assert_error(change(client, editor, ["*"]), 410, "parcel_retired")
    unknown = client.patch(
        "/api/v1/parcels/NO-SUCH",
        json={"properties": {"name": "x"}, "reason": "x"},
        headers=editor | {"If-Match": "*"},
    )
    assert_error(unknown, 404, "parcel_not_found")


def test_retiring_with_a_tag_never_given_out_is_412(client, editor):
    version, _ = current(client)
    refused = client.delete(PARCEL, params={"reason": "x"}, headers=editor | {"If-Match": '"abc"'})
    assert_error(refused, 412, "version_conflict")
    assert refused.json()["error"]["current_version"] == version
    assert client.get(PARCEL).status_code == 200


# --- If-None-Match on reads ---------------------------------------------------------------------


@pytest.mark.parametrize("form", ["{etag}", "W/{etag}", '"abc", {etag}', "*"])
def test_a_read_whose_etag_is_named_is_304_without_a_body(client, form):
    _, etag = current(client)
    again = client.get(PARCEL, headers={"If-None-Match": form.format(etag=etag)})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag


@pytest.mark.parametrize("value", ['"abc"', 'W/"x"', "abc", ""])
def test_a_read_whose_etag_is_not_named_is_answered_in_full(client, value):
    _, etag = current(client)
    full = client.get(PARCEL, headers={"If-None-Match": value})
    assert full.status_code == 200
    assert full.headers["etag"] == etag and full.json()["id"] == "JX2022-07"


def test_after_a_write_the_old_etag_gets_the_new_parcel(client, editor):
    _, etag = current(client)
    written = change(client, editor, [etag])
    fresh = client.get(PARCEL, headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert fresh.headers["etag"] == written.headers["etag"] != etag


def test_if_none_match_does_not_hide_a_retired_or_unknown_parcel(client, editor):
    _, etag = current(client)
    client.delete(PARCEL, params={"reason": "x"}, headers=editor | {"If-Match": etag})
    assert_error(client.get(PARCEL, headers={"If-None-Match": "*"}), 410, "parcel_retired")
    unknown = client.get("/api/v1/parcels/NO-SUCH", headers={"If-None-Match": "*"})
    assert_error(unknown, 404, "parcel_not_found")


def test_a_past_state_has_no_etag_and_is_answered_in_full(client):
    _, etag = current(client)
    past = client.get(
        PARCEL, params={"as_of": "2100-01-01T00:00:00Z"}, headers={"If-None-Match": etag}
    )
    assert past.status_code == 200 and "etag" not in past.headers


def test_tiles_compare_weakly_and_take_lists(client):
    url = "/tiles/parcels/12/3421/1679.pbf"  # over Jiaxing's parcels
    first = client.get(url)
    etag = first.headers["etag"]
    for form in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = client.get(url, headers={"If-None-Match": form})
        assert again.status_code == 304 and again.headers["etag"] == etag
        assert "max-age" in again.headers["cache-control"]


def test_a_document_named_by_its_etag_is_304(client, editor):
    created = client.post(
        "/api/v1/parcels/JX2022-07/documents",
        headers=editor,
        files={"file": ("批复.pdf", PDF, "application/pdf")},
        data={"title": "批复", "reason": "归档"},
    )
    assert created.status_code == 201, created.text
    url = created.json()["url"]
    etag = client.get(url).headers["etag"]
    assert etag == f'"{hashlib.sha256(PDF).hexdigest()}"'
    again = client.get(url, headers={"If-None-Match": f"W/{etag}"})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(url, headers={"If-None-Match": '"abc"'}).content == PDF
