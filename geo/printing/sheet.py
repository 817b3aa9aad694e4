"""A sheet of paper drawn in millimetres: text that wraps, lines, boxes, and labels that never overlap.

A matplotlib Figure the size of the paper carries one transparent overlay axes whose units are
millimetres from the top-left corner; titles, tables, footers and map labels are drawn on it.
Map frames are separate axes placed at their millimetre rectangle (``geo.printing.frame``).
Widths of text are measured from the font's own advances, so wrapping and collision tests agree
with what is printed.
"""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import shapely
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from shapely import Geometry

from geo.printing.fonts import advance_em, cjk_family
from geo.printing.paper import Rect

PT_MM = 25.4 / 72
"""Millimetres in one typographic point."""
LINE_SPACING = 1.3
BACKING = {"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.8}
"""A white box behind map labels, so that they read over lines and fills. Not a halo (path
effect): matplotlib draws text with path effects as outlines, and the PDF would lose the
text, which must stay searchable."""

# Punctuation that must not begin a line (禁则): it stays at the end of the line before.
_NO_LINE_START = set("、，。；：？！）》」』】〕,.;:?!)%")  # noqa: RUF001
# A run of letters, digits and their punctuation is one word; each Hanzi breaks on its own.
_TOKEN = re.compile(r"[A-Za-z0-9.,:;!?'\"%()\[\]/+\-_@#&=°²]+\s*|\s+|.")


def text_width_mm(text: str, size_pt: float) -> float:
    """The printed width of one line of text."""
    return sum(advance_em(char) for char in text) * size_pt * PT_MM


def line_height_mm(size_pt: float) -> float:
    """The distance between two lines' baselines."""
    return size_pt * PT_MM * LINE_SPACING


def wrap(text: str, width_mm: float, size_pt: float) -> list[str]:
    """Break text into lines no wider than width_mm: between Hanzi, or between words.

    Line breaks in the text are kept. A word wider than the line is broken between letters.
    """
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for token in _TOKEN.findall(paragraph):
            fits = text_width_mm(line + token.rstrip(), size_pt) <= width_mm
            if not fits and token in _NO_LINE_START and len(line.strip()) > 1:
                # The mark may not begin a line: the character before it goes down with it.
                lines.append(line[:-1].rstrip())
                line = line[-1] + token
                continue
            if fits or not line.strip():
                line += token
            else:
                lines.append(line.rstrip())
                line = token.lstrip()
            while text_width_mm(line.rstrip(), size_pt) > width_mm and len(line) > 1:
                cut = _fitting_prefix(line, width_mm, size_pt)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


def balanced_wrap(text: str, width_mm: float, size_pt: float) -> list[str]:
    """Wrap into as few lines as ``wrap`` does, but of even lengths: no word alone on the last.

    >>> balanced_wrap("少年路已征收地块边界", 25, 9)
    ['少年路已征', '收地块边界']
    """
    lines = wrap(text, width_mm, size_pt)
    narrowest = width_mm
    while narrowest > 1 and len(wrap(text, narrowest - 0.5, size_pt)) == len(lines):
        narrowest -= 0.5
    return wrap(text, narrowest, size_pt)


def _fitting_prefix(text: str, width_mm: float, size_pt: float) -> int:
    for end in range(len(text), 0, -1):
        if text_width_mm(text[:end], size_pt) <= width_mm:
            return end
    return 1


@dataclass(frozen=True)
class Box:
    """An axis-aligned box on the page (mm), for collision tests between labels."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: "Box") -> bool:
        """Whether the two boxes share any area."""
        return not (
            self.right <= other.left
            or other.right <= self.left
            or self.bottom <= other.top
            or other.bottom <= self.top
        )

    def inside(self, rect: Rect) -> bool:
        """Whether the box lies within a rectangle."""
        return (
            self.left >= rect.x
            and self.right <= rect.right
            and self.top >= rect.y
            and self.bottom <= rect.bottom
        )

    @staticmethod
    def of(rect: Rect) -> "Box":
        """A rectangle's box."""
        return Box(rect.x, rect.y, rect.right, rect.bottom)


def text_box(
    lines: list[str], x: float, y: float, size_pt: float, ha: str, va: str, pad: float = 0.6
) -> Box:
    """The box a block of lines occupies when anchored at (x, y) as ``ha``/``va`` say."""
    width = max((text_width_mm(line, size_pt) for line in lines), default=0.0)
    height = line_height_mm(size_pt) * len(lines)
    left = {"left": x, "center": x - width / 2, "right": x - width}[ha]
    top = {"top": y, "center": y - height / 2, "baseline": y - height, "bottom": y - height}[va]
    return Box(left - pad, top - pad, left + width + pad, top + height + pad)


@dataclass
class Sheet:
    """One page: a Figure the size of the paper, with a millimetre overlay on top of everything."""

    width_mm: float
    height_mm: float
    figure: Figure = field(init=False)
    overlay: Axes = field(init=False)
    taken: list[Box] = field(default_factory=list)
    """Boxes labels must keep clear of: other labels, the north arrow, the scale bar."""
    lines_kept_clear: list[Geometry] = field(default_factory=list)
    """Lines (page mm) no label may cover: the parcels' outlines."""

    def __post_init__(self) -> None:
        cjk_family()
        self.figure = Figure(figsize=(self.width_mm / 25.4, self.height_mm / 25.4))
        self.figure.patch.set_facecolor("white")
        self.overlay = self.figure.add_axes((0, 0, 1, 1), zorder=10)
        self.overlay.set_xlim(0, self.width_mm)
        self.overlay.set_ylim(self.height_mm, 0)
        self.overlay.set_axis_off()
        self.overlay.patch.set_visible(False)

    def keep_clear(self, line: Geometry) -> None:
        """Keep labels off a line (in page mm), such as a parcel's 红线."""
        shapely.prepare(line)
        self.lines_kept_clear.append(line)

    def covers_kept_line(self, box: Box) -> bool:
        """Whether a box would hide part of a line labels keep clear of."""
        area = shapely.box(box.left, box.top, box.right, box.bottom)
        return any(line.intersects(area) for line in self.lines_kept_clear)

    def axes_at(self, rect: Rect, zorder: int = 1) -> Axes:
        """New axes filling a rectangle of the page exactly (for a map frame)."""
        return self.figure.add_axes(
            (
                rect.x / self.width_mm,
                1 - rect.bottom / self.height_mm,
                rect.w / self.width_mm,
                rect.h / self.height_mm,
            ),
            zorder=zorder,
        )

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size_pt: float = 8,
        ha: str = "left",
        va: str = "top",
        color: str = "black",
        **options: object,
    ) -> None:
        """One line (or lines joined by newlines) at (x, y) mm."""
        self.overlay.text(
            x,
            y,
            text,
            fontsize=size_pt,
            ha=ha,
            va=va,
            color=color,
            linespacing=LINE_SPACING,
            **options,  # type: ignore[arg-type]
        )

    def paragraph(
        self, x: float, y: float, lines: Iterable[str], size_pt: float, color: str = "black"
    ) -> float:
        """Lines top-down from (x, y); returns the height used."""
        step = line_height_mm(size_pt)
        count = 0
        for count, line in enumerate(lines, start=1):
            self.text(x, y + (count - 1) * step, line, size_pt, color=color)
        return count * step

    def line(
        self, xs: list[float], ys: list[float], width_pt: float = 0.5, color: str = "black"
    ) -> None:
        """A line through page points (mm)."""
        self.overlay.plot(xs, ys, color=color, linewidth=width_pt, solid_capstyle="butt")

    def box(
        self,
        rect: Rect,
        edge: str | None = "black",
        fill: str | None = None,
        width_pt: float = 0.5,
        **options: object,
    ) -> None:
        """A rectangle, outlined and/or filled."""
        self.overlay.add_patch(
            Rectangle(
                (rect.x, rect.y),
                rect.w,
                rect.h,
                edgecolor=edge or "none",
                facecolor=fill or "none",
                linewidth=width_pt if edge else 0,
                **options,  # type: ignore[arg-type]
            )
        )

    def label(
        self,
        lines: list[str],
        x: float,
        y: float,
        size_pt: float,
        ha: str = "center",
        va: str = "center",
        within: Rect | None = None,
        color: str = "black",
        rotation: float = 0.0,
        force: bool = False,
    ) -> bool:
        """Place a map label unless it would overlap another or leave ``within``; say if placed.

        ``force`` places it regardless (the 四至, which the map must show), still keeping others
        clear of it.
        """
        box = text_box(lines, x, y, size_pt, ha, va)
        if rotation:
            box = _rotated(box, rotation)
        if not force and within is not None and not box.inside(within):
            return False
        if not force and any(box.overlaps(other) for other in self.taken):
            return False
        if not force and self.covers_kept_line(box):
            return False
        self.taken.append(box)
        self.text(
            x,
            y,
            "\n".join(lines),
            size_pt,
            ha=ha,
            va=va,
            color=color,
            rotation=rotation,
            rotation_mode="anchor",
            multialignment=ha if ha != "center" else "center",
            bbox=BACKING,
        )
        return True


def _rotated(box: Box, degrees: float) -> Box:
    """The axis-aligned box around a box turned about its centre."""
    cx, cy = (box.left + box.right) / 2, (box.top + box.bottom) / 2
    w, h = box.right - box.left, box.bottom - box.top
    angle = math.radians(degrees)
    half_w = (abs(w * math.cos(angle)) + abs(h * math.sin(angle))) / 2
    half_h = (abs(w * math.sin(angle)) + abs(h * math.cos(angle))) / 2
    return Box(cx - half_w, cy - half_h, cx + half_w, cy + half_h)
