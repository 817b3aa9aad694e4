"""What surrounds a map on the sheet: the title, the strip with the scale and legend, the footer."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from matplotlib.patches import Rectangle

from geo.area import central_meridian, zone_number
from geo.messages import message
from geo.printing.data import MapFeature, PlanFacts
from geo.printing.frame import NEIGHBOUR, OTHER, RED, STYLES, Style
from geo.printing.paper import Rect
from geo.printing.sheet import Sheet, line_height_mm, text_width_mm, wrap

TITLE_MM = 17.0
FOOTER_PT = 7.0
LEGEND_PT = 7.5
SWATCH_W, SWATCH_H = 7.0, 3.2


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a swatch drawn in a style, and what it stands for."""

    label: str
    style: Style
    shape: str = "area"
    """'area', 'line' or 'point'."""


def parcel_entry(label: str, colour: str = RED, fill: str | None = None) -> LegendEntry:
    """The legend's line for a parcel outline (the 红线, or a block's colour)."""
    return LegendEntry(label, Style(colour, fill, 1.6), "area" if fill else "line")


def surroundings_entries(features: Iterable[MapFeature]) -> list[LegendEntry]:
    """A legend line for each kind of thing drawn around the parcels, in drawing order."""
    kinds: list[str] = []
    for feature in features:
        kind = "neighbour" if feature.layer == "parcel" else feature.kind or "other"
        if kind not in kinds:
            kinds.append(kind)
    entries = []
    for kind in sorted(
        kinds, key=lambda k: (NEIGHBOUR if k == "neighbour" else STYLES.get(k, OTHER)).order
    ):
        style = NEIGHBOUR if kind == "neighbour" else STYLES.get(kind, OTHER)
        shape = "line" if style.fill is None or kind == "neighbour" else "area"
        if kind == "address":
            shape = "point"
        entries.append(LegendEntry(message(f"printing.legend_kind_{kind}"), style, shape))
    return entries


def draw_title(sheet: Sheet, rect: Rect, overline: str, title: str) -> None:
    """The plan's title above, the sheet's own title under it, centred, and a rule."""
    middle = rect.x + rect.w / 2
    sheet.text(middle, rect.y, overline, 10, ha="center", color="#333333")
    title_pt = 16.0
    while text_width_mm(title, title_pt) > rect.w and title_pt > 9:
        title_pt -= 0.5
    sheet.text(middle, rect.y + 6, title, title_pt, ha="center")
    sheet.line([rect.x, rect.right], [rect.bottom - 0.5, rect.bottom - 0.5], 0.8)


def draw_strip(sheet: Sheet, rect: Rect, scale_text: str, entries: list[LegendEntry]) -> None:
    """Under the map: the stated scale on the left, then the legend, in up to two rows."""
    rows = (rect.y + 1.4, rect.y + 5.4)
    sheet.text(rect.x, rows[0], scale_text, 8.5)
    x = rect.x + text_width_mm(scale_text, 8.5) + 6
    start, row = x, 0
    for entry in entries:
        width = SWATCH_W + 1.5 + text_width_mm(entry.label, LEGEND_PT) + 4
        if x + width > rect.right:
            if row == 1:
                break  # a third row would run into the tables; the strip shows what fits
            row, x = 1, start
        _swatch(sheet, x, rows[row], entry)
        sheet.text(x + SWATCH_W + 1.5, rows[row], entry.label, LEGEND_PT)
        x += width


def _swatch(sheet: Sheet, x: float, y: float, entry: LegendEntry) -> None:
    style, middle = entry.style, y + SWATCH_H / 2
    dashes = (0, style.dashes) if style.dashes else "solid"
    if entry.shape == "line":
        sheet.overlay.plot(
            [x, x + SWATCH_W],
            [middle, middle],
            color=style.edge,
            linewidth=min(style.width_pt, 3.0),
            linestyle=dashes,
        )
    elif entry.shape == "point":
        sheet.overlay.plot([x + SWATCH_W / 2], [middle], "o", color=style.edge, markersize=2.5)
    else:
        sheet.overlay.add_patch(
            Rectangle(
                (x, y),
                SWATCH_W,
                SWATCH_H,
                facecolor=style.fill or "none",
                edgecolor=style.edge,
                linewidth=min(style.width_pt, 1.6),
                linestyle=dashes,
            )
        )


def zone_text(zone: int | None) -> str:
    """The coordinate system the frame is drawn in, for the footer."""
    if zone is None:
        return ""
    return message(
        "printing.zone", number=zone_number(zone), meridian=central_meridian(zone), epsg=zone
    )


def source_text(plan: PlanFacts) -> str:
    """Where the plan comes from: its notice and the date it was published."""
    return message(
        "printing.source",
        source=plan.source_document or plan.title,
        date=plan.published_on.isoformat() if plan.published_on else message("printing.unstated"),
    )


def footer_lines(paragraphs: list[str], width: float) -> list[str]:
    """The footer's paragraphs wrapped to the page."""
    return [
        line for paragraph in paragraphs if paragraph for line in wrap(paragraph, width, FOOTER_PT)
    ]


def footer_height(lines: list[str]) -> float:
    """Room for the footer's lines and the page line under them."""
    return line_height_mm(FOOTER_PT) * (len(lines) + 1) + 2.0


def draw_footer(sheet: Sheet, rect: Rect, lines: list[str], page: int, pages: int) -> None:
    """A rule, the footer's lines, and the print date with the page number on the last line."""
    sheet.line([rect.x, rect.right], [rect.y, rect.y], 0.5)
    used = sheet.paragraph(rect.x, rect.y + 1.5, lines, FOOTER_PT, color="#222222")
    last = rect.y + 1.5 + used
    sheet.text(
        rect.x, last, message("printing.printed_on", date=date.today().isoformat()), FOOTER_PT
    )
    sheet.text(
        rect.right, last, message("printing.page", page=page, pages=pages), FOOTER_PT, ha="right"
    )
