"""Paper, print options, the standard scales, and where things go on a page (in millimetres).

Positions on a page are millimetres from its top-left corner, as a planner measures a sheet.
A map frame is a rectangle of paper; at scale 1:S one millimetre on it is S/1000 metres on the
zone plane, so the frame's size in millimetres and the scale decide which ground it shows.
"""

import math
from dataclasses import dataclass

from geo.errors import InvalidInput
from geo.messages import LANGUAGES, message

PAPER_SIZES_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
"""ISO 216 sizes, portrait (width, height)."""
ORIENTATIONS = ("portrait", "landscape")
FORMATS = ("pdf", "png")
MIN_DPI, MAX_DPI, DEFAULT_DPI = 50, 300, 150
"""PNG resolution: 300 dpi is print quality; more would make an A3 page of over 17 megapixels."""

STANDARD_SCALES = (500, 1000, 2000, 5000, 10000)
"""The large scales of China's basic scale series, the ones a parcel map (附图) is drawn at."""
SMALLER_SCALES = (25000, 50000, 100000, 250000, 500000, 1000000)
"""The rest of the series, for a parcel or plan too large for 1:10000 on the paper chosen."""

MARGIN_MM = 12.0
GAP_MM = 4.0
STRIP_MM = 9.0
"""The strip under the map frame: the stated scale and the legend."""


@dataclass(frozen=True)
class PrintOptions:
    """What the caller asked for; checked on creation, refusing with a plain message."""

    paper: str = "A4"
    orientation: str = "portrait"
    fmt: str = "pdf"
    dpi: int = DEFAULT_DPI
    page: int = 1
    """The page a PNG shows (a PDF has them all)."""
    language: str = "zh"

    def __post_init__(self) -> None:
        choices = {
            "paper": (self.paper, tuple(PAPER_SIZES_MM)),
            "orientation": (self.orientation, ORIENTATIONS),
            "format": (self.fmt, FORMATS),
            "language": (self.language, LANGUAGES),
        }
        for name, (value, allowed) in choices.items():
            if value not in allowed:
                raise InvalidInput(
                    message(
                        "printing.bad_choice", name=name, value=value, allowed=", ".join(allowed)
                    )
                )
        if not MIN_DPI <= self.dpi <= MAX_DPI:
            raise InvalidInput(message("printing.bad_dpi", dpi=self.dpi, low=MIN_DPI, high=MAX_DPI))
        if self.page < 1:
            raise InvalidInput(message("printing.bad_page_number", page=self.page))

    @property
    def size_mm(self) -> tuple[float, float]:
        """The page's (width, height) in millimetres, turned for landscape."""
        width, height = PAPER_SIZES_MM[self.paper]
        return (height, width) if self.orientation == "landscape" else (width, height)


def choose_scale(width_m: float, height_m: float, frame_w_mm: float, frame_h_mm: float) -> int:
    """The largest standard scale at which a width x height of ground fits in the frame.

    >>> choose_scale(200, 150, 186, 140), choose_scale(30, 30, 186, 140)
    (2000, 500)
    >>> choose_scale(4000, 2800, 186, 140)
    25000
    """
    for scale in (*STANDARD_SCALES, *SMALLER_SCALES):
        if width_m * 1000 / scale <= frame_w_mm and height_m * 1000 / scale <= frame_h_mm:
            return scale
    needed = max(width_m * 1000 / frame_w_mm, height_m * 1000 / frame_h_mm)
    magnitude = 10 ** math.floor(math.log10(needed))
    return int(next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= needed))


def format_scale(scale: int) -> str:
    """A scale as maps print it.

    >>> format_scale(2000), format_scale(10000)
    ('1:2000', '1:10000')
    """
    return f"1:{scale}"


@dataclass(frozen=True)
class Rect:
    """A rectangle on the page, in millimetres from the top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        """The right edge."""
        return self.x + self.w

    @property
    def bottom(self) -> float:
        """The bottom edge."""
        return self.y + self.h


@dataclass(frozen=True)
class Layout:
    """Where a sheet's parts go on its first page, and the content area of later pages."""

    page_w: float
    page_h: float
    title: Rect
    map: Rect
    strip: Rect
    content: Rect
    """The tables on the first page: under the map (portrait) or beside it (landscape)."""
    later_content: Rect
    """The tables on later pages."""
    footer: Rect


def page_layout(
    size_mm: tuple[float, float], title_h: float, footer_h: float, content_h: float
) -> Layout:
    """Lay out a sheet: title on top, footer at the bottom, the map and the tables between.

    On a portrait page the tables go under the map and take ``content_h`` (at most half the
    room); on a landscape page they take a column right of the map.
    """
    page_w, page_h = size_mm
    inner_w = page_w - 2 * MARGIN_MM
    title = Rect(MARGIN_MM, MARGIN_MM, inner_w, title_h)
    footer = Rect(MARGIN_MM, page_h - MARGIN_MM - footer_h, inner_w, footer_h)
    top = title.bottom + GAP_MM
    room_h = footer.y - GAP_MM - top
    later = Rect(MARGIN_MM, top, inner_w, room_h)
    if page_w > page_h:
        map_w = round(inner_w * 0.62)
        map_rect = Rect(MARGIN_MM, top, map_w, room_h - STRIP_MM)
        content = Rect(map_rect.right + GAP_MM + 2, top, inner_w - map_w - GAP_MM - 2, room_h)
    else:
        content_h = min(content_h, room_h * 0.5)
        map_h = room_h - STRIP_MM - GAP_MM - content_h
        map_rect = Rect(MARGIN_MM, top, inner_w, map_h)
        content = Rect(MARGIN_MM, top + map_h + STRIP_MM + GAP_MM, inner_w, content_h)
    strip = Rect(map_rect.x, map_rect.bottom, map_rect.w, STRIP_MM)
    return Layout(page_w, page_h, title, map_rect, strip, content, later, footer)
