"""One parcel's map (附图): its 红线 with the 四至 at each side, its table, its boundary points.

The scale is the largest standard scale at which the parcel, with room around it for the
四至 written outside each side, fits the frame; the frame is centred on the parcel.
"""

from collections.abc import Callable
from decimal import Decimal

from shapely import MultiPolygon, Polygon

from geo.area import mu_to_m2, zone_number
from geo.messages import message
from geo.printing.data import MapFeature, ParcelFacts, PlanFacts
from geo.printing.frame import (
    RED,
    View,
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
    GAP_MM,
    MARGIN_MM,
    STANDARD_SCALES,
    Layout,
    PrintOptions,
    Rect,
    choose_scale,
    format_scale,
    page_layout,
)
from geo.printing.sheet import Sheet, balanced_wrap, text_box, wrap
from geo.printing.tables import Column, Table, flow
from geo.survey.polygon import plane_rows

SurroundingsReader = Callable[[tuple[float, float, float, float]], list[MapFeature]]
"""Reads what lies in a frame (plane bounds) around the parcel."""

SIDE_PT = 9.0
SIDE_GAP_MM = 2.5
SIDE_WIDTHS_MM = (42.0, 30.0, 20.0)
"""The widths the 四至 east and west of a parcel may wrap at, widest first."""
SIDE_COLOUR = "#8b0000"
MIN_ROOM_SHARE = 0.1
SCALE_BAR_ROOM_MM = 15.0
"""Below (and above) the parcel: room for the scale bar in the frame's corner."""
LABEL_PT = 7.0
SIDES = ("east", "south", "west", "north")
JOINERS = {"chain": "—"}


def stated(value: object) -> str:
    """A value as printed; one the notice does not state says so."""
    return message("printing.unstated") if value is None or value == "" else str(value)


def area_text(mu: float | Decimal | None) -> str:
    """An area in mu and in square metres, or 未载明."""
    if mu is None:
        return message("printing.unstated")
    return message("printing.area_value", mu=f"{mu:.2f}", m2=f"{mu_to_m2(float(mu)):,.1f}")


def side_texts(parcel: ParcelFacts) -> dict[str, str]:
    """Each side the 四至 names, as written (``东至：原南湖法院围墙``), from its parsed form."""
    sides = (parcel.boundaries or {}).get("boundaries") or {}
    joined_by = (parcel.boundaries or {}).get("joined_by") or {}
    texts = {}
    for side in SIDES:
        features = sides.get(side) or []
        if features:
            joiner = JOINERS.get(joined_by.get(side, ""), "、")
            texts[side] = message(
                f"printing.side_{side}", text=joiner.join(feature["text"] for feature in features)
            )
    return texts


def attribute_table(parcel: ParcelFacts) -> Table:
    """The parcel's facts as a two-column table: what, and its value."""
    surveyed = parcel.geometry_source == "surveyed"
    measured = (
        area_text(parcel.measured_area_mu)
        if parcel.measured_area_m2 is not None
        else message("printing.not_located_short")
    )
    rows = [
        ("field_seq", str(parcel.seq)),
        ("field_name", parcel.name),
        ("field_block", stated(parcel.block)),
        ("field_boundary", stated(parcel.boundary_text)),
        ("field_declared", area_text(parcel.declared_area_mu)),
        ("field_surveyed" if surveyed else "field_measured", measured),
        ("field_interest", stated(parcel.interest_type)),
        ("field_unit", stated(parcel.implementing_unit)),
        ("field_approval", parcel.approval_reference or "—"),
        ("field_geometry", message(f"printing.geometry_{parcel.geometry_source}")),
        ("field_id", parcel.id),
    ]
    return Table(
        columns=(Column("", 1.25), Column("", 3.6)),
        rows=tuple((message(f"printing.{key}"), value) for key, value in rows),
        title=message("printing.attributes_title"),
        show_header=False,
        label_column=True,
    )


def coordinate_table(parcel: ParcelFacts) -> Table | None:
    """The boundary points (界址点) of a drawn or surveyed shape, numbered as surveyors do."""
    if parcel.geometry_source not in ("drawn", "surveyed") or parcel.lonlat is None:
        return None
    zone = parcel.zone_epsg
    parts = (
        list(parcel.lonlat.geoms) if isinstance(parcel.lonlat, MultiPolygon) else [parcel.lonlat]
    )
    rows = []
    for number, part in enumerate(parts, start=1):
        if not isinstance(part, Polygon):
            continue
        points, _ = plane_rows(part, zone, 0.0)
        prefix = f"{number}-" if len(parts) > 1 else ""
        rows += [(prefix + label, f"{x:.3f}", f"{y:.3f}") for label, _, x, y in points]
    return Table(
        columns=(
            Column(message("printing.point_label"), 0.8, "center"),
            Column(message("printing.point_x"), 1.4, "right"),
            Column(message("printing.point_y"), 1.4, "right"),
        ),
        rows=tuple(rows),
        title=message("printing.points_title", number=zone_number(zone), epsg=zone),
        group_width=56.0,
    )


def _footer(parcel: ParcelFacts, plan: PlanFacts, width: float) -> list[str]:
    geometry = message(
        "printing.geometry",
        source=message(f"printing.geometry_{parcel.geometry_source}"),
        note=parcel.geometry_note,
    )
    notice = {
        "surveyed": message("printing.reference_estimated"),
        "none": "",  # no shape, nothing drawn: the map says it is not located
    }.get(parcel.geometry_source, message("printing.not_survey"))
    return footer_lines([source_text(plan), geometry, notice, zone_text(parcel.zone_epsg)], width)


def _side_blocks(parcel: ParcelFacts, frame: Rect, side_w: float) -> dict[str, list[str]]:
    """Each side's 四至 as wrapped lines: east and west narrow, north and south wide.

    A 四至 that needs more than one line breaks after 东至： first, then into even lines.
    """
    widths = {"east": side_w, "west": side_w, "north": frame.w * 0.6, "south": frame.w * 0.6}
    blocks = {}
    for side, text in side_texts(parcel).items():
        lines = wrap(text, widths[side], SIDE_PT)
        if len(lines) > 1:
            head, mark, rest = text.partition("：" if "：" in text else ": ")
            if rest:
                lines = [head + mark.strip(), *balanced_wrap(rest, widths[side], SIDE_PT)]
        blocks[side] = lines
    return blocks


def _margins(blocks: dict[str, list[str]]) -> dict[str, float]:
    """The room (mm) the parcel must leave on each side in the frame.

    Room for the 四至 written there, and under the parcel for the scale bar.
    """
    rooms = {"east": 6.0, "west": 6.0, "north": 6.0, "south": SCALE_BAR_ROOM_MM}
    for side, lines in blocks.items():
        box = text_box(lines, 0, 0, SIDE_PT, "left", "top")
        extent = box.right - box.left if side in ("east", "west") else box.bottom - box.top
        rooms[side] = max(rooms[side], extent + SIDE_GAP_MM + 1.5)
    return rooms


def _fit(parcel: ParcelFacts, frame: Rect) -> tuple[View, float]:
    """The view at the largest standard scale at which the parcel and its 四至 fit the frame.

    Also the width the east and west 四至 wrap at for it: narrower when that allows a larger
    scale. The parcel sits in the middle of the room the 四至 leave.
    """
    xmin, ymin, xmax, ymax = parcel.plane.bounds
    best: tuple[int, float, dict[str, float]] | None = None
    for side_w in SIDE_WIDTHS_MM:
        rooms = _margins(_side_blocks(parcel, frame, side_w))
        # Some ground around the parcel, whatever its 四至: the map shows where it lies.
        for side in rooms:
            share = frame.w if side in ("east", "west") else frame.h
            rooms[side] = max(rooms[side], MIN_ROOM_SHARE * share)
        scale = choose_scale(
            xmax - xmin,
            ymax - ymin,
            frame.w - rooms["east"] - rooms["west"],
            frame.h - rooms["north"] - rooms["south"],
        )
        if best is None or scale < best[0]:
            best = (scale, side_w, rooms)
    assert best is not None
    scale, side_w, rooms = best
    page_x = frame.x + rooms["west"] + (frame.w - rooms["west"] - rooms["east"]) / 2
    page_y = frame.y + rooms["north"] + (frame.h - rooms["north"] - rooms["south"]) / 2
    m_per_mm = scale / 1000
    view = View(
        frame,
        scale,
        (xmin + xmax) / 2 - (page_x - frame.x) * m_per_mm,
        (ymin + ymax) / 2 - (frame.bottom - page_y) * m_per_mm,
    )
    return view, side_w


def _place_sides(sheet: Sheet, view: View, parcel: ParcelFacts, side_w: float) -> None:
    """The 四至 outside each side of the parcel, kept inside the frame."""
    box = view.box_of(parcel.plane)
    frame = view.rect
    middle_x, middle_y = (box.left + box.right) / 2, (box.top + box.bottom) / 2
    spots = {
        "east": (box.right + SIDE_GAP_MM, middle_y, "left", "center"),
        "west": (box.left - SIDE_GAP_MM, middle_y, "right", "center"),
        "north": (middle_x, box.top - SIDE_GAP_MM, "center", "bottom"),
        "south": (middle_x, box.bottom + SIDE_GAP_MM, "center", "top"),
    }
    for side, lines in _side_blocks(parcel, frame, side_w).items():
        x, y, ha, va = spots[side]
        placed = text_box(lines, x, y, SIDE_PT, ha, va)
        # Pushed back inside the frame where the parcel nearly fills it.
        x += max(0.0, frame.x + 1.5 - placed.left) - max(0.0, placed.right - frame.right + 1.5)
        y += max(0.0, frame.y + 1.5 - placed.top) - max(0.0, placed.bottom - frame.bottom + 1.5)
        sheet.label(lines, x, y, SIDE_PT, ha=ha, va=va, color=SIDE_COLOUR, force=True)


def draw_parcel_map(
    sheet: Sheet, layout: Layout, parcel: ParcelFacts, around: SurroundingsReader
) -> None:
    """The map frame and the strip under it (stated scale, legend)."""
    outline = parcel_entry(message("printing.legend_outline"))
    if parcel.plane is None:
        lines = [
            message("printing.not_located"),
            *wrap(parcel.geometry_note, layout.map.w * 0.7, 11),
        ]
        not_located_frame(sheet, layout.map, lines)
        draw_strip(sheet, layout.strip, message("printing.no_scale"), [])
        return
    frame = layout.map
    view, side_w = _fit(parcel, frame)
    scale = view.scale
    axes = draw_frame(sheet, view)
    features = draw_surroundings(axes, around(view.bounds))
    draw_outline(axes, parcel.plane, RED)
    sheet.keep_clear(view.on_page(parcel.plane.boundary))
    north_arrow(sheet, frame)
    scale_bar(sheet, view)
    _place_sides(sheet, view, parcel, side_w)
    # The parcel's name inside it, where it fits (the title names it anyway).
    spot = parcel.plane.representative_point()
    x, y = view.to_page(spot.x, spot.y)
    box = view.box_of(parcel.plane)
    inside = Rect(box.left, box.top, box.right - box.left, box.bottom - box.top)
    sheet.label(wrap(parcel.name, inside.w, 9), x, y, 9, within=inside, color=RED)
    label_features(sheet, view, features, LABEL_PT)
    key = "printing.scale_beyond" if scale > STANDARD_SCALES[-1] else "printing.scale"
    draw_strip(
        sheet,
        layout.strip,
        message(key, scale=format_scale(scale)),
        [outline, *surroundings_entries(features)],
    )


def parcel_pages(
    parcel: ParcelFacts, plan: PlanFacts, around: SurroundingsReader, options: PrintOptions
) -> list[Sheet]:
    """Every page of one parcel's map: the map with its tables, then tables that continue."""
    width, height = options.size_mm
    footer = _footer(parcel, plan, width - 2 * MARGIN_MM)
    tables = [attribute_table(parcel)]
    points = coordinate_table(parcel)
    probe = page_layout(options.size_mm, TITLE_MM, footer_height(footer), 0)
    wanted = tables[0].height(probe.content.w)
    if points is not None:
        tables.append(points)
        whole = points.height(probe.content.w)
        wanted += GAP_MM + whole if whole <= 45.0 else 0.0  # else it begins on page 2
    layout = page_layout(options.size_mm, TITLE_MM, footer_height(footer), wanted)
    placed = flow(tables, layout.content, layout.later_content)
    sheets = [Sheet(width, height) for _ in range(1 + max(piece.page for piece in placed))]
    draw_parcel_map(sheets[0], layout, parcel, around)
    title = message("printing.parcel_title", name=parcel.name, seq=parcel.seq)
    for number, sheet in enumerate(sheets, start=1):
        suffix = message("printing.continued") if number > 1 else ""
        draw_title(sheet, layout.title, plan.title, title + suffix)
        draw_footer(sheet, layout.footer, footer, number, len(sheets))
    for piece in placed:
        piece.table.draw(sheets[piece.page], piece.x, piece.y, piece.width)
    return sheets
