"""Reading printed maps back: a PDF's text and drawn paths (pdfplumber), and a page as pixels
(poppler's pdftoppm), in millimetres from the page's top-left corner."""

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy
import pdfplumber
import pytest
from PIL import Image

MM_PER_PT = 25.4 / 72
SCALE = re.compile(r"(?:比例尺|Scale)\s*1:(\d+)")


@dataclass
class Path2D:
    """A path drawn on a page: its points (mm) and its stroke."""

    points: list[tuple[float, float]]
    colour: tuple
    width_pt: float
    dashed: bool

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        xs, ys = zip(*self.points, strict=True)
        return min(xs), min(ys), max(xs), max(ys)


def pages(content: bytes) -> list:
    return pdfplumber.open(io.BytesIO(content)).pages


def text(content: bytes) -> str:
    """Every page's text, in reading order, without the line breaks pdfplumber adds."""
    return "\n".join(page.extract_text() or "" for page in pages(content))


def compact(words: str) -> str:
    """Text without whitespace: wrapped lines and cell padding do not split what is searched."""
    return re.sub(r"\s+", "", words)


def page_size_mm(content: bytes, number: int = 0) -> tuple[float, float]:
    page = pages(content)[number]
    return page.width * MM_PER_PT, page.height * MM_PER_PT


def paths(content: bytes, number: int = 0) -> list[Path2D]:
    """The stroked paths of a page (curves, lines, rectangles), in mm."""
    found = []
    for item in (page := pages(content)[number]).curves + page.lines + page.rects:
        colour = item.get("stroking_color")
        if not isinstance(colour, tuple):
            colour = (colour,) * 3 if isinstance(colour, float | int) else ()
        points = item.get("pts") or [(item["x0"], item["top"]), (item["x1"], item["bottom"])]
        found.append(
            Path2D(
                [(x * MM_PER_PT, y * MM_PER_PT) for x, y in points],
                colour,
                item.get("linewidth") or 0.0,
                bool(item.get("dash") and item["dash"][0]),
            )
        )
    return found


def is_colour(colour: tuple, hex_colour: str, tolerance: float = 0.01) -> bool:
    wanted = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return len(colour) == 3 and all(
        abs(a - b) <= tolerance for a, b in zip(colour, wanted, strict=True)
    )


def stated_scale(words: str) -> int:
    """The scale the map states (比例尺 1:2000), the same wherever it says so."""
    found = {int(value) for value in SCALE.findall(words)}
    assert len(found) == 1, found
    return found.pop()


def rasterise(content: bytes, tmp_path: Path, dpi: int = 100, number: int = 1) -> Image.Image:
    """A PDF page as an RGB image, drawn by poppler (not by the code under test)."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: apt-get install poppler-utils (make test installs it)")
    source = tmp_path / "page.pdf"
    source.write_bytes(content)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-png",
            "-f",
            str(number),
            "-l",
            str(number),
            "-singlefile",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    return Image.open(tmp_path / "page.png").convert("RGB")


def red_pixels(image: Image.Image) -> list[tuple[int, int]]:
    """Where an image is pure red (the 红线, and the red text of the parcel's name): (x, y)."""
    rgb = numpy.asarray(image.convert("RGB")).astype(int)
    mask = (rgb[:, :, 0] > 200) & (rgb[:, :, 1] < 90) & (rgb[:, :, 2] < 90)
    ys, xs = numpy.nonzero(mask)
    return list(zip(xs.tolist(), ys.tolist(), strict=True))


def map_frame(content: bytes) -> tuple[float, float, float, float]:
    """The map frame's neat line (mm): the long black lines a map's axes are drawn with."""
    sides = [
        path
        for path in paths(content)
        if path.colour == (0.0, 0.0, 0.0)
        and path.width_pt == 1.0
        and max(path.bbox[2] - path.bbox[0], path.bbox[3] - path.bbox[1]) > 50
    ]
    assert len(sides) == 4, [path.bbox for path in sides]
    boxes = [path.bbox for path in sides]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
