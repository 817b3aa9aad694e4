"""The review of a notice before it is written: fields with their sources, and every warning."""

import json

from geo.notices.preview import preview_notice

NOTICE = """延河县人民政府关于城北路延伸段项目征收土地的预公告
延河政〔2025〕31号
一、拟征收土地位置：塔山街道龙泉村
二、四至范围：东至经十五路，西至规划二路，南至新河制药有限公司，北至
三、拟征收土地面积：约3.2566公顷（48.849亩）
四、征收目的：城镇道路建设
特此公告。
延河县人民政府
2025年10月12日
"""


def preview():
    return preview_notice(NOTICE.encode("gb18030"), "延河预公告.txt")


def test_plan_fields_say_where_they_were_found():
    plan = preview().to_dict()["plan"]
    assert plan["document_type"]["value"] == "预公告"
    assert plan["document_number"] == {
        "value": "延河政〔2025〕31号",
        "text": "延河政〔2025〕31号",
        "where": "第2行",
    }
    assert plan["published_on"]["value"] == "2025-10-12"
    assert plan["issuer"]["value"] == "延河县人民政府"


def test_parcel_fields_are_verbatim_with_derived_areas_and_the_parsed_four_sides():
    review = preview().to_dict()
    assert (review["format"], review["layout"]) == ("text", "single-parcel")
    (parcel,) = review["parcels"]
    assert parcel["boundary"]["text"] == "东至经十五路，西至规划二路，南至新河制药有限公司，北至"
    assert parcel["area"]["text"] == "约3.2566公顷（48.849亩）"
    assert (parcel["area"]["unit"], parcel["area"]["about"]) == ("公顷", True)
    assert parcel["area"]["mu"] == 48.849 and parcel["area"]["m2"] == 32566.0
    sides = parcel["boundaries"]["boundaries"]
    assert [f["name"] for f in sides["east"]] == ["经十五路"]
    # 北至 names no feature: the review says so instead of inventing one.
    assert sides["north"] == []
    assert any("四至" in warning and "北至" in warning for warning in parcel["warnings"])
    assert parcel["warnings"][-1] in review["warnings"]
    json.dumps(review, ensure_ascii=False)  # JSON-ready throughout


def test_terminal_table_lists_every_field_with_its_place():
    table = preview().table()
    assert "layout: single-parcel" in table
    assert "面积: 约3.2566公顷（48.849亩） (= 48.8490 亩, 32566.00 m²)  [第5行]" in table
    assert "1 parcel\n" in table
