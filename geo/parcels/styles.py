"""The colours of the parcels on every map, and what a geometry source means.

A colour per block (所属板块) and per stage, decided here once and served to the map page in both
of its modes (``GET /api/v1/styles``, and the TileJSON's ``zhengshou:styles``), to the OGC API's
HTML pages, the folium export and the printed maps: a block has the same colour wherever it is
drawn, and no two blocks share one.
"""

import colorsys
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.messages import LANGUAGES, current_language, message
from geo.models import STAGES
from geo.query import Query

BLOCK_PALETTE = (
    "#1f77b4",
    "#393b79",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
)
"""Well-separated colours for blocks (Tableau 10 without its grey, which means "not stated" or
"off the main line" here, and its red, which on a printed map is the 红线 of the expropriated
parcel), given to blocks in name order; further blocks get generated hues."""
UNSTATED_BLOCK_COLOUR = "#c7c7c7"
"""A parcel whose notice does not state its block."""
STAGE_COLOURS = {
    # The main line darkest to lightest along a viridis-like ramp, so that the order reads on
    # the map; paused and withdrawn in greys, as parcels that have left it.
    "planned": "#46327e",
    "pre_notice": "#365c8d",
    "risk_assessment": "#277f8e",
    "decision": "#1fa187",
    "compensation": "#4ac16d",
    "handed_over": "#a0da39",
    "paused": "#9e9e9e",
    "withdrawn": "#616161",
}
"""A fixed colour for each stage of geo.models.STAGES."""
DEFAULT_STAGE = STAGES[0]
"""The stage a parcel has until it is moved on: 列入计划, the column's default."""

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


def generated_colour(n: int) -> str:
    """The n-th colour beyond the palette: hues a golden angle apart, in three lightnesses.

    >>> generated_colour(0), generated_colour(1)
    ('#d56039', '#1d8b59')
    """
    hue = (15 + n * 137.508) % 360 / 360
    lightness = (0.53, 0.33, 0.43)[n % 3]
    saturation = (0.65, 0.5, 0.8)[n // 3 % 3]
    red, green, blue = colorsys.hls_to_rgb(hue, lightness, saturation)
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in (red, green, blue))


def block_colours(blocks: Iterable[str | None]) -> dict[str | None, str]:
    """A distinct colour for every block, the palette's first, in name order (code points).

    The same set of blocks always gets the same colours; a block the notice does not state
    (None) gets the neutral colour.

    >>> block_colours(["城北板块", "城东板块", "城北板块", None])
    {'城东板块': '#1f77b4', '城北板块': '#393b79', None: '#c7c7c7'}
    """
    given = set(blocks)
    names = sorted(block for block in given if block is not None)
    colours: dict[str | None, str] = dict(zip(names, BLOCK_PALETTE, strict=False))
    taken = {*colours.values(), UNSTATED_BLOCK_COLOUR, *STAGE_COLOURS.values()}
    n = 0
    for name in names[len(BLOCK_PALETTE) :]:
        while (colour := generated_colour(n)) in taken:
            n += 1
        colours[name] = colour
        taken.add(colour)
    if None in given:
        colours[None] = UNSTATED_BLOCK_COLOUR
    return colours


BLOCKS_SQL = text("SELECT coalesce(json_agg(DISTINCT block), '[]')::text FROM parcels")


def blocks_query() -> Query:
    """The statement giving every block in the database (null for "not stated") as JSON text."""
    return Query(BLOCKS_SQL)


def stored_block_colours(blocks_json: str) -> dict[str | None, str]:
    """The colour of every stored block, from what ``blocks_query`` answered."""
    return block_colours(json.loads(blocks_json))


# One scan for both: which plans (by code) have parcels in each block and in each stage.
PLANS_BY_BLOCK_AND_STAGE = text("""
SELECT GROUPING(p.block) = 1 AS is_stage, p.block, p.stage,
       array_agg(DISTINCT pl.code ORDER BY pl.code) AS plans
FROM parcels p JOIN plans pl ON pl.id = p.plan_id
GROUP BY GROUPING SETS ((p.block), (p.stage))
""")


def _entry(value: str | None, colour: str, labels: dict[str, str], plans: list[str]) -> dict:
    return {
        "value": value,
        "colour": colour,
        "label": labels[current_language()],
        "labels": labels,
        "plans": plans,
    }


def _in_every_language(key: str) -> dict[str, str]:
    return {language: message(key, language=language) for language in LANGUAGES}


def style_document(session: Session) -> dict[str, Any]:
    """The colours of every block in the database and of every stage, with their labels.

    Each entry names the plans (codes) that have parcels in it, so that a legend can show the
    chosen plan's only. ``label`` is in the current language, ``labels`` in each language.
    """
    plans_by_block: dict[str | None, list[str]] = {}
    plans_by_stage: dict[str, list[str]] = {}
    for is_stage, block, stage, plans in session.execute(PLANS_BY_BLOCK_AND_STAGE):
        if is_stage:
            plans_by_stage[stage] = plans
        else:
            plans_by_block[block] = plans
    unstated = _in_every_language("styles.unstated_block")
    blocks = [
        _entry(
            block,
            colour,
            unstated if block is None else dict.fromkeys(LANGUAGES, block),
            plans_by_block[block],
        )
        for block, colour in block_colours(plans_by_block).items()
    ]
    stages = [
        _entry(
            stage,
            STAGE_COLOURS[stage],
            _in_every_language(f"stage_names.{stage}"),
            plans_by_stage.get(stage, []),
        )
        for stage in STAGES
    ]
    return {
        "block": {
            "property": "block",
            "title": message("styles.block_title"),
            "titles": _in_every_language("styles.block_title"),
            "unstated": {"colour": UNSTATED_BLOCK_COLOUR, "labels": unstated},
            "entries": blocks,
        },
        "stage": {
            "property": "stage",
            "title": message("styles.stage_title"),
            "titles": _in_every_language("styles.stage_title"),
            "default": DEFAULT_STAGE,
            "entries": stages,
        },
    }
