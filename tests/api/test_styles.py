"""GET /api/v1/styles and the TileJSON's zhengshou:styles: the colours every map paints with."""

import math

import mapbox_vector_tile
from sqlalchemy import text

from geo.models import STAGES
from geo.parcels.styles import BLOCK_PALETTE
from geo.parcels.tiles import TILE_FORMAT
from tests.support.plans import load_test_plans


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def entries(client, member: str = "block") -> list[dict]:
    return client.get("/api/v1/styles").json()[member]["entries"]


def test_every_block_of_the_jiaxing_plan_has_its_own_colour(client):
    parcels = client.get("/api/v1/parcels", params={"plan": "JX2022"}).json()["features"]
    blocks = {f["properties"]["block"] for f in parcels}
    colours = {e["value"]: e["colour"] for e in entries(client) if "JX2022" in e["plans"]}
    assert set(colours) == blocks
    assert len(set(colours.values())) == len(blocks)


def test_more_blocks_than_the_palette_still_get_distinct_colours(client, session):
    load_test_plans(session)
    session.execute(text("UPDATE parcels SET block = '测试板块' || id"))
    count = session.scalar(text("SELECT count(DISTINCT block) FROM parcels"))
    assert count > len(BLOCK_PALETTE)
    found = entries(client)
    assert len(found) == count
    assert len({e["colour"] for e in found}) == count


def test_entries_name_their_plans_and_labels(client, session):
    load_test_plans(session)
    session.execute(text("UPDATE parcels SET block = NULL WHERE id = 'HZ2023-01'"))
    body = client.get("/api/v1/styles").json()
    by_value = {e["value"]: e for e in body["block"]["entries"]}
    assert by_value["望江板块"]["plans"] == ["HZ2023"]
    assert by_value["城北板块"]["labels"] == {"zh": "城北板块", "en": "城北板块"}
    unstated = by_value[None]
    assert unstated["colour"] == body["block"]["unstated"]["colour"]
    assert (
        unstated["labels"] == {"zh": "未载明", "en": "not stated"} and "HZ2023" in unstated["plans"]
    )
    # Without Accept-Language, labels are English.
    assert unstated["label"] == "not stated"


def test_stages_in_process_order_with_their_names(client, session):
    session.execute(text("UPDATE parcels SET stage = 'decision' WHERE id = 'JX2022-03'"))
    stages = entries(client, "stage")
    assert [e["value"] for e in stages] == list(STAGES)
    by_value = {e["value"]: e for e in stages}
    assert by_value["decision"]["labels"]["zh"] == "征收决定 / 方案公告"
    assert by_value["decision"]["plans"] == ["JX2022"] and by_value["planned"]["plans"] == [
        "JX2022"
    ]
    assert by_value["handed_over"]["plans"] == []
    assert len({e["colour"] for e in stages}) == len(STAGES)


def test_the_tilejson_carries_the_same_colours(client):
    tilejson = client.get("/tiles/parcels.json").json()
    assert tilejson["zhengshou:styles"] == client.get("/api/v1/styles").json()
    assert tilejson["vector_layers"][0]["fields"]["stage"] == "String"


def test_tiles_carry_each_parcels_stage(client, session):
    session.execute(text("UPDATE parcels SET stage = 'compensation' WHERE id = 'JX2022-06'"))
    x, y = tile_of(120.745, 30.765, 13)  # a detail zoom: each parcel with its own stage
    response = client.get(f"/tiles/parcels/13/{x}/{y}.pbf")
    assert response.status_code == 200
    assert response.headers["etag"].startswith(f'"t{TILE_FORMAT}-')
    layer = mapbox_vector_tile.decode(response.content)["parcels"]
    stages = {f["properties"]["id"]: f["properties"]["stage"] for f in layer["features"]}
    assert stages["JX2022-06"] == "compensation"
    assert {stage for pid, stage in stages.items() if pid != "JX2022-06"} == {"planned"}
