import pytest

from tests.support.errors import assert_error
from tests.support.expected_plan import ROWS


@pytest.mark.parametrize("seq", sorted(ROWS))
def test_every_plan_row_parses_without_unparsed_fragments(client, seq):
    response = client.post("/api/v1/boundaries/parse", json={"text": ROWS[seq][2]})
    assert response.status_code == 200
    body = response.json()
    assert set(body["boundaries"]) == {"east", "south", "west", "north"}
    assert body["unparsed"] == []
    if seq == 10:
        assert body["address"] == ROWS[10][2]
    else:
        assert all(body["boundaries"][side] for side in body["boundaries"])


def test_shared_side_and_note(client):
    body = client.post("/api/v1/boundaries/parse", json={"text": ROWS[6][2]}).json()
    assert body["boundaries"]["east"] == body["boundaries"]["south"]
    assert body["boundaries"]["east"][0]["name"] == "不锈钢设备总厂"
    assert body["boundaries"]["north"][0]["notes"] == ["城北路592号"]


def test_unknown_side_word_is_a_warning_and_unparsed(client):
    body = client.post("/api/v1/boundaries/parse", json={"text": "中至某路，南至乙河"}).json()
    assert body["unparsed"] and body["warnings"]


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"json": {}}, ("'text'", "required")),
        ({"json": {"text": 5}}, ("'text'",)),
        ({"json": {"text": "东至" + "路" * 5001}}, ("'text'", "5000")),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, ("JSON",)),
    ],
)
def test_bad_bodies(client, kwargs, words):
    assert_error(client.post("/api/v1/boundaries/parse", **kwargs), 400, "invalid_request", *words)


def test_parsed_sides_come_with_each_parcel(client):
    feature = client.get("/api/v1/parcels/JX2022-04").json()
    east = feature["properties"]["boundaries"]["east"]
    assert [ref["name"] for ref in east][:2] == ["秀洲区水利农机大楼东侧支路", "竹桥街"]
    assert len(east) == 6
