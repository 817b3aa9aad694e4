"""The table layouts: a table with a header row, and a table flattened to one cell per line."""

from decimal import Decimal

from geo.intake.notice_table import TITLE_LINE, split_cells
from geo.notices.document import Cell, NoticeDocument, Paragraph, Table
from geo.notices.layouts import extract_parcels
from geo.notices.layouts.accuracy import field_accuracy
from tests.support.expected_plan import PUBLISHED_TOTAL_MU, ROWS
from tests.support.files import NOTICE_FILE


def wide(text: str) -> str:
    """The text with full-width digits, full stops and commas, as some notices print them."""
    return text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789.,"})


def grid(rows: list[list[str]], name: str = "表1") -> Table:
    """A table; "<" spreads the cell to the left, "^" the cell above (as readers spread merges)."""
    built: list[list[Cell]] = []
    for r, row in enumerate(rows):
        cells: list[Cell] = []
        for c, text in enumerate(row):
            where = f"{name} 第{r + 1}行 第{c + 1}列"
            source = cells[c - 1] if text == "<" else built[r - 1][c] if text == "^" else None
            if source is None:
                cells.append(Cell(text, where))
            else:
                cells.append(Cell(source.text, where, source.merged_from or source.where))
        built.append(cells)
    return Table(tuple(tuple(row) for row in built), name)


def document(*blocks, fmt: str = "docx") -> NoticeDocument:
    return NoticeDocument("notice", fmt, tuple(blocks))


def lines(text: str) -> list[Paragraph]:
    return [Paragraph(line, f"第{i}行") for i, line in enumerate(text.split("\n"), 1)]


def assert_all_fields(extraction, expected):
    score = field_accuracy(extraction, expected)
    assert score.differences == []
    assert score.ratio == 1.0


JIAXING_HEADER = [
    "序号",
    "所属板块\n（或行政区域）",
    "所属地块",
    "四至范围（具体由人民政府依法确定征收范围）",
    "土地面积（亩）",
    "公共利益类型",
    "建设活动组织实施单位",
]


def test_plan_table_with_merged_cells_left_blank_and_a_total():
    table = grid(
        [
            JIAXING_HEADER,
            [
                "1",
                "城东板块",
                "虹桥新村地块",
                "东至原南湖法院围墙，南至勤俭路，西至春波坊，北至大新路",
                "42.84",
                "旧城区改建",
                "嘉兴市嘉城城市更新建设有限公司",
            ],
            [
                "2",
                "",
                "大新弄17号地块",
                "东至青龙街，南至大新路，西至秀水人家，北至秀水人家",
                "2.42",
                "",
                "嘉兴市南湖城市建设投资集团有限公司",
            ],
            ["总  计", "45.26", "<", "<", "<", "<", "<"],
        ]
    )
    extraction = extract_parcels(document(table, fmt="text"))
    assert extraction.layout == "table"
    assert_all_fields(
        extraction,
        [
            {
                "seq": "1",
                "place": "城东板块",
                "name": "虹桥新村地块",
                "mu": "42.84",
                "boundary": "东至原南湖法院围墙，南至勤俭路，西至春波坊，北至大新路",
                "purpose": "旧城区改建",
                "implementer": "嘉兴市嘉城城市更新建设有限公司",
            },
            {
                "seq": "2",
                "place": "城东板块",
                "name": "大新弄17号地块",
                "area": "2.42",
                "purpose": "旧城区改建",
                "implementer": "嘉兴市南湖城市建设投资集团有限公司",
            },
        ],
    )
    second = extraction.parcels[1]
    assert second.place.filled_from == "表1 第2行 第2列"
    assert second.place.where == "表1 第3行 第2列"
    assert second.area_value.unit == "亩" and second.area_value.unit_from_header
    assert [w for w in extraction.all_warnings() if "四至" not in w] == []
    assert [total.text for total in extraction.totals] == ["45.26"]


def test_the_jiaxing_plan_table_as_a_reader_would_give_it():
    text = NOTICE_FILE.read_text(encoding="utf-8")
    cells = split_cells(text[list(TITLE_LINE.finditer(text))[-1].end() :].splitlines()[1:])
    total_at = next(i for i, cell in enumerate(cells) if cell.replace(" ", "") == "总计")
    rows = [cells[i : i + 7] for i in range(0, total_at, 7)]
    rows.append([*cells[total_at : total_at + 2], "<", "<", "<", "<", "<"])
    extraction = extract_parcels(document(grid(rows), fmt="text"))
    assert_all_fields(
        extraction,
        [
            dict(
                zip(("place", "name", "boundary", "mu", "purpose", "implementer"), row, strict=True)
            )
            | {"seq": str(seq)}
            for seq, row in sorted(ROWS.items())
        ],
    )
    assert [w for w in extraction.all_warnings() if "四至" not in w] == []
    assert extraction.totals[0].value.mu == Decimal(PUBLISHED_TOTAL_MU)


def test_two_row_header_page_breaks_two_figures_and_totals_that_disagree():
    table = grid(
        [
            ["征收土地预公告地块一览表", "<", "<", "<", "<", "<", "<", "<"],
            ["编号", "地块名称", "坐落", "四至", "征收面积", "<", "用途", "备注"],
            ["^", "^", "^", "^", "亩", "平方米", "^", "^"],
            [
                "1",
                "凤鸣村1号地块",
                "梧桐街道凤鸣村",
                "东至凤鸣路；南至河；西至农田；北至村道",
                "12.5",
                "8333",
                "交通设施",
                "",
            ],
            ["", "", "", "", "", "", "", ""],
            ["编号", "地块名称", "坐落", "四至", "征收面积", "<", "用途", "备注"],
            [
                "2",
                "同福村2号地块",
                "梧桐街道同福村",
                "东至同福河；南至环城南路；西至农田；北至农田",
                "3.75",
                "2000",
                "交通设施",
                "含集体建设用地",
            ],
            ["合计", "<", "<", "<", "17", "10333", "", ""],
            ["注：面积以实际勘测为准。", "<", "<", "<", "<", "<", "<", "<"],
        ]
    )
    extraction = extract_parcels(document(table, fmt="pdf"))
    assert_all_fields(
        extraction,
        [
            {
                "seq": "1",
                "name": "凤鸣村1号地块",
                "place": "梧桐街道凤鸣村",
                "mu": "12.5",
                "area": "12.5 | 8333",
                "purpose": "交通设施",
            },
            {"seq": "2", "name": "同福村2号地块", "mu": "3.75", "remarks": "含集体建设用地"},
        ],
    )
    first, second = extraction.parcels
    assert first.area.where == "表1 第4行 第5列; 表1 第4行 第6列"
    assert [f.unit for f in first.area_value.figures] == ["亩", "平方米"]
    assert first.warnings == ()
    assert "disagree" in second.warnings[0]  # 3.75亩 is 2500 m², not 2000
    assert len(extraction.warnings) == 1 and "合计 17亩 differs" in extraction.warnings[0]


def test_traditional_headers_and_full_width_digits():
    table = grid(
        [
            ["序號", "地塊名稱", "坐落", "四至範圍", "面積（公頃）", "用途", "徵收實施單位"],
            [
                wide("1"),
                "東湖地塊",
                "東湖鎮",
                "東至湖濱路，南至中山路，西至民生路，北至民權路",
                wide("1.25"),
                "公共設施",
                "東湖鎮人民政府",
            ],
        ]
    )
    extraction = extract_parcels(document(table))
    assert_all_fields(
        extraction,
        [
            {
                "seq": wide("1"),
                "name": "東湖地塊",
                "place": "東湖鎮",
                "area": wide("1.25"),
                "mu": "18.75",
                "boundary": "東至湖濱路，南至中山路，西至民生路，北至民權路",
                "implementer": "東湖鎮人民政府",
            }
        ],
    )
    assert extraction.parcels[0].seq.value == 1
    assert extraction.parcels[0].area_value.m2 == Decimal("12500")


def test_table_without_an_area_column_keeps_every_row_and_says_so():
    table = grid(
        [
            ["序号", "项目名称", "四至范围", "实施单位"],
            [
                "1",
                "城南污水处理厂扩建工程",
                "东至规划路，南至南溪，西至厂区，北至滨江路",
                "市城投公司",
            ],
            ["2", "", "东至河，南至路", "市城投公司"],
        ]
    )
    extraction = extract_parcels(document(table))
    assert len(extraction.parcels) == 2
    assert extraction.parcels[0].warnings == ("表1 第2行 第1列: no 面积",)
    assert extraction.parcels[1].warnings == ("表1 第3行 第1列: no 名称/面积",)
    assert extraction.warnings == ("表1: the table has no 面积 column",)


def test_ten_thousand_rows_with_the_unit_in_the_header():
    rows = [["序号", "地块编号", "村", "四至", "征收面积/平方米", "备注"]]
    rows += [
        [str(i), f"DK-{i:05d}", "新村", f"东至{i}号路，南至河", f"{1000 + i % 7}.5", ""]
        for i in range(1, 10_001)
    ]
    total = sum(Decimal(f"{1000 + i % 7}.5") for i in range(1, 10_001))
    rows.append(["合计", "", "", "", f"{total:,}", ""])
    extraction = extract_parcels(document(grid(rows), fmt="xlsx"))
    assert len(extraction.parcels) == 10_000
    assert [w for w in extraction.all_warnings() if "四至" not in w] == []
    last = extraction.parcels[-1]
    assert (last.name.text, last.area_value.m2) == ("DK-10000", Decimal("1004.5"))


def test_a_table_broken_over_pages_continues_without_its_header():
    first = grid([["序号", "地块名称", "面积（亩）"], ["1", "A地块", "1.5"]], "表1")
    second = grid([["2", "B地块", "2.5"], ["合计", "", "4"]], "表2")
    extraction = extract_parcels(document(first, second, fmt="pdf"))
    assert [p.name.text for p in extraction.parcels] == ["A地块", "B地块"]
    assert extraction.warnings == ()  # 4 is 1.5 + 2.5
    assert [w.split(": ", 1)[1] for w in extraction.all_warnings()] == ["no 四至", "no 四至"]


FLATTENED = """\
附件：征收土地计划表
| 序号 |
| 地块名称 |
| 位置 |

| 四至范围 |
| 面积（亩） |
| 公共利益类型 |
| 实施单位 |
|
1
|
城北1号地块
|
城北街道
东至文经路，南至齐心弄，
西至河流，北至文纬路

|
15.2
|
旧城区改建
|
嘉兴市城市投资发展集团有限公司
|
2
城北2号地块
城北街道
东至文昌路，南至文纬路，西至文经路，北至洪兴路
3.8
嘉兴市南湖城市建设投资集团有限公司
合计
19
特此公告。"""


def test_a_table_flattened_to_one_cell_per_line():
    extraction = extract_parcels(document(*lines(FLATTENED), fmt="html"))
    assert extraction.layout == "flattened-table"
    assert_all_fields(
        extraction,
        [
            {
                "seq": "1",
                "name": "城北1号地块",
                "place": "城北街道",
                "mu": "15.2",
                "boundary": "东至文经路，南至齐心弄，\n西至河流，北至文纬路",
                "purpose": "旧城区改建",
                "implementer": "嘉兴市城市投资发展集团有限公司",
            },
            {
                "seq": "2",
                "name": "城北2号地块",
                "place": "城北街道",
                "mu": "3.8",
                "boundary": "东至文昌路，南至文纬路，西至文经路，北至洪兴路",
                "purpose": "旧城区改建",
                "implementer": "嘉兴市南湖城市建设投资集团有限公司",
            },
        ],
    )
    first, second = extraction.parcels
    assert first.boundary.where == "第16行至第17行"
    assert second.purpose.filled_from == "第22行"
    assert [w for w in extraction.all_warnings() if "四至" not in w] == []
    assert [total.text for total in extraction.totals] == ["19"]


def test_a_flattened_table_whose_total_disagrees():
    text = "序号\n项目名称\n四至\n面积（公顷）\n1\nA项目\n东至河\n1.2\n2\nB项目\n东至路\n0.8\n总计\n2.5"
    extraction = extract_parcels(document(*lines(text), fmt="html"))
    assert [p.area_value.mu for p in extraction.parcels] == [Decimal(18), Decimal(12)]
    assert "总计" in extraction.warnings[0] and "30.0000亩" in extraction.warnings[0]


def test_village_land_table_of_a_scheme_notice_with_the_unit_above_it():
    """方案公告 list villages with a 合计 over the 地类 columns, the unit in a note above."""
    table = grid(
        [
            ["乡镇(街道)", "村(居委会)", "合计", "农用地", "建设用地"],
            ["文华街道", "抄岭", "29.3416", "27.2704", "2.0712"],
            ["^", "韩岭", "1.7402", "1.7027", "0.0375"],
            ["合计", "<", "31.0818", "28.9731", "2.1087"],
        ]
    )
    note = Paragraph("单位：公顷", "第3行")
    extraction = extract_parcels(document(Paragraph("具体面积详见下表：", "第2行"), note, table))
    assert extraction.layout == "table"
    assert_all_fields(
        extraction,
        [
            {"name": "抄岭", "place": "文华街道", "area": "29.3416", "mu": "440.124"},
            {"name": "韩岭", "place": "文华街道", "area": "1.7402", "mu": "26.103"},
        ],
    )
    assert [w for w in extraction.all_warnings() if "四至" not in w] == []


def test_a_village_named_in_a_cell_is_not_a_village_column():
    table = grid([["拟征收土地位置", "城南镇石桥村"], ["四至范围", "东至石桥路"]])
    assert extract_parcels(document(table)).layout == "single-parcel"


def test_a_boundary_cell_pointing_at_a_map_leaves_the_parcel_without_one():
    table = grid(
        [["序号", "地块名称", "四至范围", "面积（亩）"], ["1", "公园地块", "详见附图", "3"]]
    )
    extraction = extract_parcels(document(table))
    assert extraction.parcels[0].boundary is None
    assert extraction.parcels[0].area_value.mu == 3
