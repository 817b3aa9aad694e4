"""Map styling shared by the web page (through /api/v1/config) and the folium export."""

from collections.abc import Iterable

BLOCK_PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
)
"""Colours for blocks (所属板块), given in the order blocks first appear in the plan."""

GEOMETRY_NOTICE_ZH = (
    "地块范围均非测绘成果：示意范围是按估计位置绘制、面积等于公布面积的矩形；"
    "数字化范围是依据四至描述在估计位置的参考图层上绘制的；"
    "手绘范围是规划人员在底图上描绘的。"
)
"""The Chinese counterpart of geo.parcels.reads.GEOMETRY_NOTICE, for maps planners read."""

GEOMETRY_NOTICES = {
    "schematic": ("示意范围，非测绘成果", "Schematic extent, not a survey"),
    "digitized": ("数字化范围，非测绘成果", "Digitized extent, not a survey"),
    "surveyed": ("测绘成果", "Surveyed"),
    "drawn": ("手绘范围（在底图上描绘，非测绘成果）", "Drawn by hand on a basemap, not a survey"),
}
"""What a parcel's geometry_source means, in Chinese and English, for popups."""


def block_colours(blocks: Iterable[str]) -> dict[str, str]:
    """A colour per block, in order of first appearance, cycling through the palette.

    >>> block_colours(["城东板块", "城北板块", "城东板块"])
    {'城东板块': '#1f77b4', '城北板块': '#d62728'}
    """
    colours: dict[str, str] = {}
    for block in blocks:
        if block not in colours:
            colours[block] = BLOCK_PALETTE[len(colours) % len(BLOCK_PALETTE)]
    return colours
