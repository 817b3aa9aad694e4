"""A whole plan's map: every parcel numbered by 序号 and coloured by block, its index and totals.

Blocks print in the map page's colours (``geo.parcels.styles``), so a block looks the same on
screen and on paper; that palette has no red, which is the 红线 on a parcel's map.
"""

from collections import Counter
from collections.abc import Callable

import shapely
from matplotlib.colors import to_rgba

from geo.messages import message
from geo.printing.data import MapFeature, ParcelFacts, PlanFacts
from geo.printing.frame import (
    centred_view,
    draw_frame,
    draw_outline,
    draw_surroundings,
    label_features,
    north_arrow,
    not_located_frame,
    scale_bar,
)
from geo.printing.furniture import (
    TITLE_MM,
    draw_footer,
    draw_strip,
    draw_title,
    footer_height,
    footer_lines,
    parcel_entry,
    source_text,
    surroundings_entries,
    zone_text,
)
from geo.printing.paper import (
    MARGIN_MM,
    STANDARD_SCALES,
    Layout,
    PrintOptions,
    choose_scale,
    format_scale,
    page_layout,
)
from geo.printing.sheet import Box, Sheet, text_box
from geo.printing.tables import Column, Table, flow

SurroundingsReader = Callable[[tuple[float, float, float, float]], list[MapFeature]]

NUMBER_PT = 7.5


def _mu(value: float | None) -> str:
    return "—" if value is None else f"{float(value):.2f}"


def index_table(parcels: list[ParcelFacts]) -> Table:
    """序号, 名称, 板块, declared and measured 亩, and a total row."""
    rows = [
        (
            str(p.seq),
            p.name,
            p.block or message("printing.unstated"),
            _mu(p.declared_area_mu),
            _mu(p.measured_area_mu)
            if p.measured_area_m2 is not None
            else message("printing.not_located_short"),
        )
        for p in parcels
    ]
    declared = sum(float(p.declared_area_mu) for p in parcels if p.declared_area_mu is not None)
    measured = sum(p.measured_area_mu or 0.0 for p in parcels)
    rows.append((message("printing.totals_row"), "", "", f"{declared:.2f}", f"{measured:.2f}"))
    return Table(
        columns=(
            Column(message("printing.field_seq"), 0.45, "center"),
            Column(message("printing.field_name"), 2.2),
            Column(message("printing.field_block"), 1.9),
            Column(message("printing.index_declared"), 1.15, "right"),
            Column(message("printing.index_measured"), 1.15, "right"),
        ),
        rows=tuple(rows),
        title=message("printing.index_title"),
        size_pt=7.5,
        total_row=True,
    )


def totals_text(plan: PlanFacts, parcels: list[ParcelFacts]) -> str:
    """The plan's totals in one sentence: parcels, declared and measured 亩, not located."""
    declared = sum(float(p.declared_area_mu) for p in parcels if p.declared_area_mu is not None)
    located = [p for p in parcels if p.measured_area_m2 is not None]
    missing = len(parcels) - len(located)
    published = plan.published_total_mu
    return message(
        "printing.totals",
        parcels=len(parcels),
        declared=f"{declared:.2f}",
        published=message("printing.totals_published", mu=f"{published:.2f}") if published else "",
        located=len(located),
        measured=f"{sum(p.measured_area_mu or 0.0 for p in located):.2f}",
        not_located=message("printing.totals_not_located", count=missing) if missing else "",
    )


def _footer(
    plan: PlanFacts, parcels: list[ParcelFacts], zone: int | None, width: float
) -> list[str]:
    counts = Counter(p.geometry_source for p in parcels)
    sources = message("printing.list_separator").join(
        message("printing.source_count", source=message(f"printing.geometry_{source}"), count=count)
        for source, count in sorted(counts.items())
    )
    unsurveyed = any(p.geometry_source != "surveyed" for p in parcels)
    notice = message("printing.not_survey" if unsurveyed else "printing.reference_estimated")
    paragraphs = [
        source_text(plan),
        totals_text(plan, parcels),
        message("printing.plan_geometry", sources=sources),
        notice,
        zone_text(zone),
    ]
    return footer_lines(paragraphs, width)


def _number_label(sheet: Sheet, view, parcel: ParcelFacts, colour: str) -> None:
    """The parcel's 序号 in a ring: inside it when it fits, else beside it with a leader."""
    spot = parcel.plane.representative_point()
    x, y = view.to_page(spot.x, spot.y)
    text = str(parcel.seq)
    radius = max(text_box([text], 0, 0, NUMBER_PT, "center", "center", pad=0).right, 1.4) + 0.9
    inner = Box(view.rect.x + 1, view.rect.y + 1, view.rect.right - 1, view.rect.bottom - 1)
    offsets = [(0.0, 0.0)] + [
        (d * dx, d * dy)
        for d in (5.0, 8.0, 12.0, 16.0)
        for dx, dy in ((1, -1), (-1, -1), (1, 1), (-1, 1), (0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0))
    ]
    for dx, dy in offsets:
        box = Box(x + dx - radius, y + dy - radius, x + dx + radius, y + dy + radius)
        inside = inner.left <= box.left and box.right <= inner.right
        inside = inside and inner.top <= box.top and box.bottom <= inner.bottom
        if inside and not any(box.overlaps(other) for other in sheet.taken):
            break
    sheet.taken.append(box)
    if dx or dy:
        sheet.line([x, x + dx], [y, y + dy], 0.5, colour)
    sheet.text(
        x + dx,
        y + dy,
        text,
        NUMBER_PT,
        ha="center",
        va="center",
        bbox={
            "boxstyle": "circle,pad=0.18",
            "facecolor": "white",
            "edgecolor": colour,
            "linewidth": 0.9,
        },
    )


def draw_plan_map(
    sheet: Sheet,
    layout: Layout,
    parcels: list[ParcelFacts],
    around: SurroundingsReader,
    block_colours: dict[str | None, str],
) -> None:
    """The frame with every located parcel, numbered, and the strip under it."""
    shown = {parcel.block for parcel in parcels}
    colours = {block: colour for block, colour in block_colours.items() if block in shown}
    located = [p for p in parcels if p.plane is not None]
    if not located:
        not_located_frame(sheet, layout.map, [message("printing.plan_not_located")])
        draw_strip(sheet, layout.strip, message("printing.no_scale"), [])
        return
    frame = layout.map
    xmin, ymin, xmax, ymax = shapely.GeometryCollection([p.plane for p in located]).bounds
    # Room for the 序号 rings at the edges, and for the north arrow and scale bar.
    scale = choose_scale(xmax - xmin, ymax - ymin, frame.w - 16, frame.h - 16)
    view = centred_view(frame, scale, ((xmin + xmax) / 2, (ymin + ymax) / 2))
    axes = draw_frame(sheet, view)
    features = draw_surroundings(axes, around(view.bounds))
    for parcel in located:
        colour = colours[parcel.block]
        draw_outline(axes, parcel.plane, colour, fill=to_rgba(colour, 0.35))
        sheet.keep_clear(view.on_page(parcel.plane.boundary))
    north_arrow(sheet, frame)
    scale_bar(sheet, view)
    for parcel in sorted(located, key=lambda p: -p.plane.area):
        _number_label(sheet, view, parcel, colours[parcel.block])
    label_features(sheet, view, features, 6.5)
    key = "printing.scale_beyond" if scale > STANDARD_SCALES[-1] else "printing.scale"
    blocks = [
        parcel_entry(block or message("printing.unstated"), colour, to_rgba(colour, 0.35))
        for block, colour in colours.items()
    ]
    draw_strip(
        sheet,
        layout.strip,
        message(key, scale=format_scale(scale)),
        [*blocks, *surroundings_entries(features)],
    )


def plan_pages(
    plan: PlanFacts,
    parcels: list[ParcelFacts],
    zone: int | None,
    around: SurroundingsReader,
    options: PrintOptions,
    block_colours: dict[str | None, str],
) -> list[Sheet]:
    """Every page of a plan's map: the map with the index, then the index continued."""
    width, height = options.size_mm
    footer = _footer(plan, parcels, zone, width - 2 * MARGIN_MM)
    table = index_table(parcels)
    probe = page_layout(options.size_mm, TITLE_MM, footer_height(footer), 0)
    layout = page_layout(
        options.size_mm, TITLE_MM, footer_height(footer), table.height(probe.content.w)
    )
    placed = flow([table], layout.content, layout.later_content)
    sheets = [Sheet(width, height) for _ in range(1 + max(piece.page for piece in placed))]
    draw_plan_map(sheets[0], layout, parcels, around, block_colours)
    title = message("printing.plan_title")
    for number, sheet in enumerate(sheets, start=1):
        suffix = message("printing.continued") if number > 1 else ""
        draw_title(sheet, layout.title, plan.title, title + suffix)
        draw_footer(sheet, layout.footer, footer, number, len(sheets))
    for piece in placed:
        piece.table.draw(sheets[piece.page], piece.x, piece.y, piece.width)
    return sheets
