"""Page geometry without a database: scales, options, wrapping, and tables across pages."""

import doctest
import subprocess
import sys

import pytest

import geo.printing.paper
import geo.printing.plan_sheet
import geo.printing.sheet
from geo.errors import InvalidInput
from geo.printing.paper import (
    STANDARD_SCALES,
    PrintOptions,
    Rect,
    choose_scale,
    page_layout,
)
from geo.printing.sheet import text_width_mm, wrap
from geo.printing.tables import Column, Table, flow


@pytest.mark.parametrize(
    "module", [geo.printing.paper, geo.printing.plan_sheet, geo.printing.sheet]
)
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("width_m", [20, 90, 180, 450, 900, 1800, 4000, 40_000])
def test_the_scale_chosen_is_the_largest_standard_one_that_fits(width_m):
    scale = choose_scale(width_m, width_m / 2, 180, 120)
    assert width_m * 1000 / scale <= 180
    larger = [s for s in STANDARD_SCALES if s < scale]
    assert all(width_m * 1000 / s > 180 for s in larger)


@pytest.mark.parametrize(
    "options",
    [
        {"paper": "B5"},
        {"orientation": "sideways"},
        {"fmt": "svg"},
        {"dpi": 20},
        {"dpi": 1200},
        {"page": 0},
        {"language": "fr"},
    ],
)
def test_bad_options_are_refused_in_plain_words(options):
    with pytest.raises(InvalidInput) as refused:
        PrintOptions(**options)
    assert str(next(iter(options.values()))) in str(refused.value)


@pytest.mark.parametrize(("paper", "size"), [("A4", (210, 297)), ("A3", (297, 420))])
def test_paper_sizes_turn_for_landscape(paper, size):
    assert PrintOptions(paper=paper).size_mm == size
    assert PrintOptions(paper=paper, orientation="landscape").size_mm == size[::-1]


@pytest.mark.parametrize("size", [(210, 297), (297, 210), (297, 420), (420, 297)])
def test_the_layout_keeps_everything_on_the_page_and_apart(size):
    layout = page_layout(size, 17, 25, 80)
    parts = [layout.title, layout.map, layout.strip, layout.content, layout.footer]
    for part in parts:
        assert part.x >= 0 and part.right <= size[0] and part.y >= 0 and part.bottom <= size[1]
    for i, one in enumerate(parts):
        for other in parts[i + 1 :]:
            apart = (
                one.right <= other.x
                or other.right <= one.x
                or one.bottom <= other.y
                or other.bottom <= one.y
            )
            assert apart, (one, other)


TEXTS = [
    "东至秀洲区水利农机大楼东侧支路（含竹桥苑16幢、17幢、19幢）-竹桥街-竹桥苑西边界-602厂西边界",
    "Digitized (sides) from the four-boundary text on the estimated reference layer, read to "
    "their near edge with assumed half-widths.",
    "嘉兴市人民政府关于下达2022年嘉兴市国民经济和社会发展计划的通知，附件2",
]


@pytest.mark.parametrize("words", TEXTS)
@pytest.mark.parametrize("width", [12.0, 30.0, 80.0])
def test_wrapping_keeps_every_character_within_the_width(words, width):
    lines = wrap(words, width, 8)
    assert "".join(lines).replace(" ", "") == words.replace(" ", "")
    for line in lines:
        assert text_width_mm(line, 8) <= width + 0.01 or len(line) == 1
    assert not any(line[:1] in "、，）" for line in lines[1:])


def test_a_long_table_goes_on_over_pages_row_by_row():
    rows = tuple((str(n), f"第{n}号地块", "城东板块" * (n % 3 + 1)) for n in range(1, 201))
    table = Table((Column("序号", 1), Column("名称", 3), Column("板块", 3)), rows, title="地块一览")
    first, later = Rect(10, 150, 180, 100), Rect(10, 30, 180, 240)
    placed = flow([table], first, later)
    assert [row for piece in placed for row in piece.table.rows] == list(rows)
    assert [piece.page for piece in placed] == list(range(len(placed)))
    for piece in placed:
        area = first if piece.page == 0 else later
        assert piece.y + piece.table.height(piece.width) <= area.bottom + 1e-6
        assert len(piece.table.rows) >= 3
    assert [piece.table.continued for piece in placed] == [False] + [True] * (len(placed) - 1)


def test_grouped_tables_fill_their_columns_before_the_next_page():
    rows = tuple((f"J{n}", f"{3405000 + n:.3f}", f"{570000 + n:.3f}") for n in range(1, 121))
    table = Table((Column("点号", 1), Column("X", 2), Column("Y", 2)), rows, group_width=56)
    placed = flow([table], Rect(10, 200, 186, 60), Rect(10, 30, 186, 240))
    assert [row for piece in placed for row in piece.table.rows] == list(rows)
    assert len(placed) == 2


def test_without_a_cjk_font_printing_says_which_package_to_install():
    """In a fresh interpreter (the font is registered once per process), with no font found."""
    script = (
        "from pathlib import Path\n"
        "import geo.printing.fonts as fonts\n"
        "from geo.errors import PrintingUnavailable\n"
        "fonts.CJK_FONT_FILES = (Path('/nonexistent/font.ttc'),)\n"
        "try:\n"
        "    fonts.cjk_family()\n"
        "except PrintingUnavailable as exc:\n"
        "    print(exc.code, exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("printing_unavailable ")
    assert "fonts-wqy-microhei" in done.stdout
