"""A whole plan's printed map: every parcel numbered and coloured by block, the index, the totals;
an index too long for the first page goes on, row by row, on the next."""

import pytest
from sqlalchemy import text as sql

from geo.area import MU_M2
from geo.intake.loader import load_parcels
from geo.intake.parcel_file import parse_parcel_collection
from geo.printing.frame import PARCEL_LINE_PT
from geo.printing.paper import SMALLER_SCALES, STANDARD_SCALES
from tests.support.pdf import compact, map_frame, pages, paths, stated_scale, text
from tests.support.plans import HANGZHOU, SHAOXING, SamplePlan, load_test_plans, plan_collection

ZH = {"lang": "zh"}
BIG = SamplePlan(
    code="BIG2025",
    title="2025年测试市国有土地上房屋征收计划（长表测试）",
    year=2025,
    region=HANGZHOU.region,
    parcels=tuple(
        (
            seq,
            f"第{seq % 4 + 1}板块",
            f"第{seq}号测试地块",
            64.0,
            (120.10 + (seq % 10) * 0.004, 30.20 + (seq // 10) * 0.004),
        )
        for seq in range(1, 61)
    ),
)


def totals(session, code: str):
    return session.execute(
        sql("""SELECT count(*), sum(declared_area_mu), sum(measured_area_m2), count(geom),
                      count(DISTINCT block)
               FROM parcels WHERE plan_id = (SELECT id FROM plans WHERE code = :code)"""),
        {"code": code},
    ).one()


def test_the_plan_map_numbers_every_parcel_and_gives_the_totals(client, session):
    response = client.get("/api/v1/plans/JX2022/map.pdf", params=ZH)
    assert response.status_code == 200, response.text
    content = response.content
    words = compact(text(content))
    count, declared, measured_m2, _located, blocks = totals(session, "JX2022")
    rows = session.execute(
        sql("SELECT seq, name FROM parcels WHERE plan_id = 1 ORDER BY seq")
    ).all()
    assert len(rows) == count == 13
    for _seq, name in rows:
        assert name in words
    assert f"共{count}宗地块" in words
    assert f"申报面积合计{declared:.2f}亩" in words
    assert f"图上量算合计{measured_m2 / MU_M2:.2f}亩" in words
    assert "2022年嘉兴市级国有土地上房屋征收计划表" in words
    assert stated_scale(words) in (*STANDARD_SCALES, *SMALLER_SCALES)
    # Every 序号 is on the map itself, in the frame, not only in the index.
    left, top, right, bottom = (v * 72 / 25.4 for v in map_frame(content))
    on_map = {
        word["text"] for word in pages(content)[0].crop((left, top, right, bottom)).extract_words()
    }
    assert {str(seq) for seq, _ in rows} <= on_map
    # One colour per block: as many outline colours in the frame as blocks.
    colours = {
        path.colour
        for path in paths(content)
        if path.width_pt == PARCEL_LINE_PT and path.bbox[3] < bottom * 25.4 / 72
    }
    assert len(colours) == blocks


def test_a_long_index_goes_on_to_the_next_page_with_no_row_lost(client, session):
    load_parcels(session, parse_parcel_collection(plan_collection(BIG)))
    content = client.get(f"/api/v1/plans/{BIG.code}/map.pdf", params=ZH).content
    assert len(pages(content)) >= 2
    words = compact(text(content))
    for _seq, _block, name, _declared, _corner in BIG.parcels:
        assert words.count(name) == 1, name
    assert "地块一览（续）" in words
    assert f"第2页，共{len(pages(content))}页" in words
    response = client.get(f"/api/v1/plans/{BIG.code}/map.png", params=ZH | {"page": 2, "dpi": 60})
    assert response.status_code == 200
    assert int(response.headers["x-page-count"]) == len(pages(content))


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_plans_with_parcels_not_located_print(client, session, orientation):
    load_test_plans(session)
    params = ZH | {"orientation": orientation}
    hangzhou = compact(
        text(client.get(f"/api/v1/plans/{HANGZHOU.code}/map.pdf", params=params).content)
    )
    assert "1宗待落图" in hangzhou and "待落图仓库地块" in hangzhou
    shaoxing = client.get(f"/api/v1/plans/{SHAOXING.code}/map.pdf", params=params)
    assert shaoxing.status_code == 200
    words = compact(text(shaoxing.content))
    assert "该计划的地块均尚未落图" in words and "比例尺：—" in words
    assert "未载明" in words  # the parcel whose notice states no block
