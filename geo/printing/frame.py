"""The map frame: ground on the zone plane drawn to scale in a rectangle of paper.

The frame's axes fill its rectangle exactly and show frame-width x scale / 1000 metres, so one
millimetre of paper is scale / 1000 metres of the CGCS2000 zone plane in both directions and a
ruler on the printed page measures true. Reference features are drawn under the parcels, the
parcels' outlines on top; names are placed on the page's millimetre overlay and skipped where
they would cover another label, the north arrow or the scale bar.
"""

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import shapely
from matplotlib.axes import Axes
from matplotlib.patches import PathPatch, Polygon
from matplotlib.path import Path
from shapely import Geometry, LineString
from shapely.affinity import affine_transform

from geo.messages import message
from geo.printing.data import MapFeature
from geo.printing.paper import Rect, format_scale
from geo.printing.sheet import Box, Sheet, text_box, text_width_mm

RED = "#ff0000"
"""The parcel's outline, its 红线: pure red, as planning maps draw it."""
PARCEL_LINE_PT = 1.8


@dataclass(frozen=True)
class Style:
    """How one kind of reference feature is drawn."""

    edge: str
    fill: str | None = None
    width_pt: float = 0.6
    dashes: tuple[float, ...] | None = None
    text: str = "#333333"
    order: int = 1


STYLES = {
    "green": Style("#8fbf7a", "#e3f1da", order=0),
    "estate": Style("#b8a98f", "#f3efe6", order=0),
    "facility": Style("#a0a0a0", "#eeeeee", order=0),
    "building": Style("#8c7b70", "#ddd3cb", order=1),
    "parcel": Style("#888888", "#f1f1f1", 0.6, (4, 2), order=1),
    "water": Style("#4a90c8", "#cfe4f5", 2.2, text="#1f5f99", order=2),
    "road": Style("#b5b5b5", None, 3.2, order=3),
    "wall": Style("#555555", None, 0.9, (5, 1.5, 1, 1.5), order=4),
    "address": Style("#222222", "#222222", 0.5, order=5),
}
OTHER = Style("#999999", "#f4f4f4", order=1)
NEIGHBOUR = Style("#6e6e6e", "none", 0.9, (6, 2.5), text="#555555", order=6)


@dataclass(frozen=True)
class View:
    """A frame: its rectangle on the page and the plane coordinates it shows."""

    rect: Rect
    scale: int
    xmin: float
    ymin: float

    @property
    def mm_per_m(self) -> float:
        """Millimetres of paper per metre of ground."""
        return 1000 / self.scale

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """The ground shown: (xmin, ymin, xmax, ymax) in plane metres."""
        return (
            self.xmin,
            self.ymin,
            self.xmin + self.rect.w / self.mm_per_m,
            self.ymin + self.rect.h / self.mm_per_m,
        )

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        """A plane point's position on the page (mm from the top-left)."""
        return (
            self.rect.x + (x - self.xmin) * self.mm_per_m,
            self.rect.bottom - (y - self.ymin) * self.mm_per_m,
        )

    def on_page(self, geometry: Geometry) -> Geometry:
        """A plane geometry in page millimetres (y down)."""
        scale = self.mm_per_m
        return affine_transform(
            geometry,
            [
                scale,
                0,
                0,
                -scale,
                self.rect.x - self.xmin * scale,
                self.rect.bottom + self.ymin * scale,
            ],
        )

    def box_of(self, geometry: Geometry) -> Box:
        """A plane geometry's bounding box on the page."""
        xmin, ymin, xmax, ymax = geometry.bounds
        left, bottom = self.to_page(xmin, ymin)
        right, top = self.to_page(xmax, ymax)
        return Box(left, top, right, bottom)


def centred_view(rect: Rect, scale: int, centre: tuple[float, float]) -> View:
    """The frame at this scale with ``centre`` (plane) in its middle."""
    half_w = rect.w / 2 * scale / 1000
    half_h = rect.h / 2 * scale / 1000
    return View(rect, scale, centre[0] - half_w, centre[1] - half_h)


def draw_frame(sheet: Sheet, view: View) -> Axes:
    """The frame's axes: exactly its rectangle and its ground, no ticks, a neat line."""
    axes = sheet.axes_at(view.rect)
    xmin, ymin, xmax, ymax = view.bounds
    axes.set_xlim(xmin, xmax)
    axes.set_ylim(ymin, ymax)
    axes.set_xticks([])
    axes.set_yticks([])
    axes.set_facecolor("white")
    for spine in axes.spines.values():
        spine.set_linewidth(1.0)
    return axes


def _polygon_path(geometry: Geometry) -> Path | None:
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            coords = list(ring.coords)
            vertices += coords
            codes += [Path.MOVETO] + [Path.LINETO] * (len(coords) - 2) + [Path.CLOSEPOLY]
    return Path(vertices, codes) if vertices else None


def _parts(geometry: Geometry, kind: str) -> list[Geometry]:
    return [part for part in shapely.get_parts(geometry) if part.geom_type.endswith(kind)]


def draw_shape(axes: Axes, geometry: Geometry, style: Style, zorder: float) -> None:
    """Polygons filled and outlined, lines stroked, points dotted, in a style."""
    polygons = shapely.MultiPolygon(_parts(geometry, "Polygon"))
    path = _polygon_path(polygons)
    if path is not None:
        axes.add_patch(
            PathPatch(
                path,
                facecolor=style.fill or "none",
                edgecolor=style.edge,
                linewidth=style.width_pt if style.fill else max(style.width_pt, 0.8),
                linestyle=(0, style.dashes) if style.dashes else "solid",
                zorder=zorder,
            )
        )
    for line in _parts(geometry, "LineString"):
        xs, ys = line.xy
        axes.plot(
            xs,
            ys,
            color=style.edge,
            linewidth=style.width_pt,
            linestyle=(0, style.dashes) if style.dashes else "solid",
            solid_capstyle="round",
            zorder=zorder,
        )
    for point in _parts(geometry, "Point"):
        axes.plot([point.x], [point.y], "o", color=style.edge, markersize=2.5, zorder=zorder)


def draw_surroundings(axes: Axes, features: Iterable[MapFeature]) -> list[MapFeature]:
    """Reference features by kind (areas under lines), then other parcels dashed.

    Returns them in the order drawn, for the names.
    """
    ordered = sorted(
        features,
        key=lambda f: (NEIGHBOUR if f.layer == "parcel" else STYLES.get(f.kind or "", OTHER)).order,
    )
    for feature in ordered:
        style = NEIGHBOUR if feature.layer == "parcel" else STYLES.get(feature.kind or "", OTHER)
        draw_shape(axes, feature.geometry, style, zorder=1 + style.order / 10)
    return ordered


def draw_outline(axes: Axes, geometry: Geometry, colour: str = RED, fill: str = "none") -> None:
    """A parcel's outline (all its parts, one path), above everything else in the frame."""
    path = _polygon_path(geometry)
    if path is not None:
        axes.add_patch(
            PathPatch(path, facecolor=fill, edgecolor=colour, linewidth=PARCEL_LINE_PT, zorder=5)
        )


def _line_label_spot(line: LineString) -> tuple[tuple[float, float], float]:
    """The middle of a line's longest segment and that segment's angle, kept upright."""
    coords = list(line.coords)
    start, end = max(itertools.pairwise(coords), key=lambda seg: math.dist(seg[0], seg[1]))
    angle = math.degrees(math.atan2(end[1] - start[1], end[0] - start[0]))
    if angle > 90:
        angle -= 180
    elif angle <= -90:
        angle += 180
    return ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2), angle


def label_features(
    sheet: Sheet, view: View, features: Iterable[MapFeature], size_pt: float
) -> None:
    """Name each feature once where its name fits without covering another label.

    A line is named along its longest visible segment, when the name is no longer than the
    line; an area inside, else just above or below it; a point beside it.
    """
    inner = Rect(view.rect.x + 1, view.rect.y + 1, view.rect.w - 2, view.rect.h - 2)
    named: set[tuple[str, str]] = set()
    for feature in sorted(features, key=lambda f: -f.geometry.length):
        label = feature.name
        if feature.layer == "parcel":
            label = message("printing.neighbour_label", name=feature.name, seq=feature.seq)
        if (feature.layer, label) in named:
            continue
        style = NEIGHBOUR if feature.layer == "parcel" else STYLES.get(feature.kind or "", OTHER)
        for x, y, ha, va, angle in _label_spots(view, feature.geometry, label, size_pt):
            if sheet.label([label], x, y, size_pt, ha, va, inner, style.text, angle):
                named.add((feature.layer, label))
                break


def _label_spots(
    view: View, geometry: Geometry, label: str, size_pt: float
) -> list[tuple[float, float, str, str, float]]:
    """Where a feature's name may go, best first: page (x, y), alignment and angle."""
    lines = _parts(geometry, "LineString")
    if lines:
        line = max(lines, key=lambda part: part.length)
        if text_width_mm(label, size_pt) > view.mm_per_m * line.length:
            return []  # longer than the visible line: it would float off the road
        (x, y), angle = _line_label_spot(line)
        return [(*view.to_page(x, y), "center", "center", angle)]
    spot = geometry.representative_point()
    x, y = view.to_page(spot.x, spot.y)
    if not _parts(geometry, "Polygon"):
        return [(x + 1.5, y, "left", "center", 0.0), (x - 1.5, y, "right", "center", 0.0)]
    box = view.box_of(geometry)
    middle = (box.left + box.right) / 2
    return [
        (x, y, "center", "center", 0.0),
        (middle, box.top - 0.8, "center", "bottom", 0.0),
        (middle, box.bottom + 0.8, "center", "top", 0.0),
    ]


def north_arrow(sheet: Sheet, rect: Rect) -> None:
    """A north arrow in the frame's top-right corner: grid north, which the plane's y-axis is."""
    x, y = rect.right - 9, rect.y + 6
    sheet.overlay.add_patch(
        Polygon(
            [(x, y), (x - 3, y + 11), (x, y + 8.5)],
            closed=True,
            facecolor="black",
            edgecolor="black",
            linewidth=0.5,
        )
    )
    sheet.overlay.add_patch(
        Polygon(
            [(x, y), (x + 3, y + 11), (x, y + 8.5)],
            closed=True,
            facecolor="white",
            edgecolor="black",
            linewidth=0.5,
        )
    )
    sheet.text(x, y - 0.6, message("printing.north"), 9, ha="center", va="bottom")
    sheet.taken.append(Box(x - 5, y - 5.5, x + 5, y + 12))


def _bar_length(scale: int, longest_mm: float) -> float:
    """The longest round length (1, 2 or 5 x 10^n m) whose bar is at most ``longest_mm``."""
    most_m = longest_mm * scale / 1000
    magnitude = 10 ** math.floor(math.log10(most_m))
    return max(m * magnitude for m in (1, 2, 5, 10) if m * magnitude <= most_m)


def scale_bar(sheet: Sheet, view: View) -> None:
    """A scale bar in the frame's bottom-left corner, in four alternating parts, and the scale."""
    length_m = _bar_length(view.scale, min(50.0, view.rect.w / 3))
    length_mm = length_m * view.mm_per_m
    x, y = view.rect.x + 5, view.rect.bottom - 6
    unit = "km" if length_m >= 1000 else "m"
    divisor = 1000 if unit == "km" else 1
    end_label = f"{length_m / divisor:g} {unit}"
    backing = Rect(x - 2.5, y - 9.5, length_mm + 5 + text_width_mm(end_label, 7) / 2, 13)
    sheet.box(backing, edge=None, fill="white", alpha=0.85)
    for part in range(4):
        sheet.box(
            Rect(x + part * length_mm / 4, y - 1.6, length_mm / 4, 1.6),
            edge="black",
            fill="black" if part % 2 == 0 else "white",
            width_pt=0.4,
        )
    for part, fraction in ((0, 0.0), (2, 0.5), (4, 1.0)):
        value = length_m * fraction / divisor
        text = end_label if part == 4 else f"{value:g}"
        sheet.text(x + length_mm * fraction, y - 2.2, text, 7, ha="center", va="bottom")
    sheet.text(x, y + 0.8, format_scale(view.scale), 7, va="top")
    sheet.taken.append(Box(backing.x, backing.y, backing.right, backing.bottom))


def not_located_frame(sheet: Sheet, rect: Rect, lines: list[str]) -> None:
    """A frame with no map: the parcel is not located, and the note says why."""
    # Hatching takes the patch's edge colour: a light hatch first, then the black neat line.
    sheet.box(rect, edge="#c8c8c8", fill="#f7f7f7", width_pt=0, hatch="//", zorder=0)
    sheet.box(rect, edge="black", width_pt=1.0)
    size = 11
    box = text_box(lines, rect.x + rect.w / 2, rect.y + rect.h / 2, size, "center", "center")
    sheet.box(
        Rect(box.left - 3, box.top - 3, box.right - box.left + 6, box.bottom - box.top + 6),
        edge="#777777",
        fill="white",
    )
    sheet.text(
        rect.x + rect.w / 2,
        rect.y + rect.h / 2,
        "\n".join(lines),
        size,
        ha="center",
        va="center",
        multialignment="center",
    )
