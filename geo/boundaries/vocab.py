"""Word tables for reading four-boundary texts (四至); see :mod:`geo.boundaries.parse`.

Kept apart from the parser so that words met in new plans can be added without touching its logic.
"""

import re

SIDE_WORDS = {"东": "east", "南": "south", "西": "west", "北": "north"}
# Other position words seen before 至 in sloppy or foreign texts; recognising them lets the parser
# report "unknown side word" instead of misreading the clause as a feature list.
POSITION_WORDS = "东南西北中左右上下前后内外"
# 起 and 止 open and close a span (南起A路，北止B河); 毗邻/紧邻/紧靠 are two-character verbs.
SIDE_VERBS = "至到临邻靠接为起止"
LONG_SIDE_VERBS = ("毗邻", "紧邻", "紧靠")

# Hyphen, full-width hyphen, en dash, em dash, tilde and full-width tilde (written as escapes so
# that look-alike characters stay visible in review).
DASHES = "-\uff0d\u2013\u2014~\uff5e"
WORD_JOINERS = re.compile("以及|和|及|与")

# Remarks about the whole text rather than a side: how a fragment starts or ends ...
NOTE = re.compile(
    r"^(?:详见|参见|具体|以实际|以实测|总面积|用地面积|占地面积|面积|备注|注[:：])|为准$"
)
# ... and where one starts when it trails a side's feature without punctuation.
NOTE_KEYWORD = re.compile(r"详见|参见|具体以|以实际|以实测|总面积|用地面积|占地面积|面积约")
LABEL = re.compile(r"(?:地块|用地)?(?:四至|四至范围|范围)")

LEADING_QUALIFIERS = ("现状", "现有", "原")
# Where on a feature the boundary runs: its centreline or a red line (红线, the legal edge of a
# road or of a plot). 道路/用地 belong to the qualifier only when the name keeps a kind without them.
LINE_QUALIFIER = re.compile(r"(?:道路|用地)?红线$|中心线$|边线$")
# Bracketed words that say what state a feature is in rather than add a note: A路（规划）.
BRACKET_QUALIFIERS = ("规划", "现状")
# A bracket naming the feature again ("银河村(中桥村)土地") is an alias, unless it says what the
# feature contains or leaves out.
NOT_ALIAS = re.compile(r"^(?:含|包含|包括|不含|除)")
TRAILING_QUALIFIER = re.compile(r"(?:[东南西北][侧面边]?)?(?:边界|界线)$|[东南西北][侧面边]$")
INNER_QUALIFIER = re.compile(r"[东南西北][侧面边](?!界)")

KIND_WORDS = {
    "road": "路 街 弄 巷 道 大道 支路 过道 道路 通道 公路 马路 胡同",
    "water": "港 河 河流 河道 水道 水系 浜 塘 湖 渠 江 溪 沟 池塘",
    "wall": "围墙 墙",
    "estate": "苑 新村 小区 花园 公寓 人家 宿舍 社区 家园 公馆 山庄",
    "building": "幢 栋 楼 大楼 中心 剧院 法院 电影院 大厦 医院 学校 宾馆 酒店 商场",
    "parcel": "地块",
    "boundary": "边界 界线",
    "green": "绿地 绿化 绿化带 公园",
    "facility": "厂 总厂 厂房 停车场 菜场 市场 仓库 变电站 加油站 泵站 公司",
    # Land-use classes (水浇地, 坑塘水面, 城镇住宅用地, …): neighbouring land, not a line feature.
    "land": "土地 用地 耕地 林地 园地 草地 旱地 水田 水浇地 空地 荒地 宅基地 储备地 农用地 农田 "
    "菜地 坑塘水面 养殖水面 滩涂",
}
SUFFIX_KIND = {word: kind for kind, words in KIND_WORDS.items() for word in words.split()}
# Longest first, so that 河道 is water before 道 makes it a road.
SUFFIXES = sorted(SUFFIX_KIND, key=len, reverse=True)
HOUSE_NUMBER_END = re.compile(r"[\d一二三四五六七八九十百]+(?:[-\uff0d]\d+)*号$")
# A house number after a street word, or a city/district prefix followed by a street.
ADDRESS = re.compile(r"[路街弄巷道村里坊]\d+(?:[-\uff0d]\d+)*号|^\w{2,}?[省市县区镇].*[路街弄巷道]")
