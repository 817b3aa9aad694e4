"""Word tables for reading Chinese addresses; see :mod:`geo.addresses.parse`.

Kept apart from the parser so that names met in new plans can be added without touching its logic.
"""

import re

# Administrative levels in the order an address writes them. A county-level city (海宁市) is a
# ``district``: it sits under 嘉兴市 exactly as 南湖区 does, whatever its suffix says.
LEVELS = ("province", "city", "district")

# Full names, recognised wherever the admin part of an address allows their level.
KNOWN_AREAS = {
    "浙江省": "province",
    "嘉兴市": "city",
    "南湖区": "district",
    "秀洲区": "district",
    "嘉善县": "district",
    "海盐县": "district",
    "海宁市": "district",
    "平湖市": "district",
    "桐乡市": "district",
}

# Short forms people write for the province and the city. District short forms (南湖, 秀洲, 海宁)
# are deliberately absent: 南湖 is also the lake, 南湖街道 a sub-district and 南湖路 a road, so a
# district is only read from its full name.
ALIASES = {"浙江": "浙江省", "嘉兴": "嘉兴市"}

ROAD_SUFFIXES = ("大道", "路", "街", "弄", "巷", "道")
# Characters that end a name rather than belong to it: road suffixes and 号 (a house number).
_NOT_IN_AREA_NAME = "路街弄巷道号"
_AREA_CHAR = rf"(?:(?![{_NOT_IN_AREA_NAME}])[\u4e00-\u9fff])"

# An alias followed by a road suffix is the name of a road (嘉兴路, 嘉兴南路, 浙江大道), not an area.
ALIAS_BLOCKED_BY = re.compile(r"[东南西北中]?(?:大道|路|街|弄|巷|道)")

# Generic suffix rules for areas outside the table (上海市, 黄浦区, 广东省). They are tried only at
# the start of the text or right after an area already read, which keeps 广东路 and 上海路 roads.
GENERIC_AREAS = {
    "province": re.compile(rf"{_AREA_CHAR}{{2,5}}?(?:省|自治区)"),
    # 市场 is a market, not a city (菜市场).
    "city": re.compile(rf"{_AREA_CHAR}{{2,4}}?市(?!场)"),
    "district": re.compile(rf"{_AREA_CHAR}{{2,4}}?[区县]"),
}
# Names ending in 区 that are estates, campuses or zones rather than districts.
NOT_DISTRICT_ENDINGS = (
    "小区",
    "社区",
    "园区",
    "景区",
    "校区",
    "片区",
    "街区",
    "厂区",
    "院区",
    "城区",
    "市区",
    "郊区",
    "营区",
    "生活区",
    "住宅区",
    "商业区",
)

# 街道, 镇, 乡; not when a road suffix follows (新镇路 is a road).
SUBDISTRICT = re.compile(rf"{_AREA_CHAR}{{2,6}}?(?:街道|镇|乡)(?![路街弄巷道])")

# A road is the longest run of Chinese characters ending in a road suffix. 与/及/、 stop the run
# so that "A路与B路交叉口" does not become one road.
ROAD = re.compile(r"(?:(?![与及、号])[\u4e00-\u9fff])+(?:大道|路|街|弄|巷|道)")

# The numbered parts after the road, in the order an address writes them.
NUMBERED_PARTS = (
    ("sub_lane", re.compile(r"(?P<value>\d+)弄")),
    (
        "house",
        re.compile(r"(?P<value>\d+)(?P<dash>-[0-9A-Za-z]+)?号(?![楼幢栋])(?P<stem>[甲乙丙丁戊])?"),
    ),
    ("building", re.compile(r"(?P<value>\d+|[A-Za-z]\d*)(?:号楼|#楼?|号?幢|号?栋|座)")),
    ("unit", re.compile(r"(?P<value>\d+)单元")),
    ("room", re.compile(r"(?P<value>\d+)[室房]")),
)

CHINESE_DIGITS = {
    "零": 0,
    "\u3007": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = "[零\u3007一二两三四五六七八九十百千]+"
# Chinese numerals are converted only where they number something: before 号 (and 号楼), 幢, 栋,
# 单元 and 室, and before 弄 right after a road suffix (城北路五百九十二弄). Elsewhere they are part
# of a name (九里弄) or a floor (一楼) and stay as written.
NUMBERED_NUMERAL = re.compile(rf"{_NUMERAL}(?=号|幢|栋|单元|室)|(?<=[路街巷道]){_NUMERAL}(?=弄)")

# Hyphen look-alikes (hyphen, non-breaking hyphen, figure dash, en dash, minus sign), written as
# escapes so that they stay visible in review; full-width forms are handled by the width mapping.
HYPHENS = "\u2010\u2011\u2012\u2013\u2212"
# Separators trimmed from the ends of an ignored fragment; they carry no meaning of their own.
SEPARATORS = " \t\n\r\u3000,，、;；:：。."
