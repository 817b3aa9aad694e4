"""The CJK font printed maps are set in, from Debian's packages.

Parcel names, 四至 and notices are Chinese whatever the language of the labels, and matplotlib's
own fonts have no Chinese glyphs: without a CJK font every name would print as empty boxes. So a
missing font is an error that says which package to install, never a map of boxes.
"""

import threading
from pathlib import Path

import matplotlib
from matplotlib import font_manager

from geo.errors import PrintingUnavailable
from geo.messages import message

CJK_FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)
"""Debian's fonts-wqy-microhei, fonts-noto-cjk and fonts-wqy-zenhei, in order of preference."""

_lock = threading.Lock()
_family: str | None = None
_file: Path | None = None
_advances: dict[str, float] = {}


def cjk_family() -> str:
    """The registered CJK font's family name; registers it with matplotlib on first use.

    Also sets matplotlib to embed fonts in PDFs as TrueType (Type 42), so that the text of a
    printed map can be searched and copied, and is not a bitmap (Type 3).
    """
    global _family, _file
    with _lock:
        if _family is None:
            font_file = next((path for path in CJK_FONT_FILES if path.exists()), None)
            if font_file is None:
                raise PrintingUnavailable(
                    message("printing.no_cjk_font", paths=", ".join(map(str, CJK_FONT_FILES)))
                )
            font_manager.fontManager.addfont(str(font_file))
            family = font_manager.FontProperties(fname=str(font_file)).get_name()
            matplotlib.rcParams["pdf.fonttype"] = 42
            matplotlib.rcParams["font.family"] = [family, "DejaVu Sans"]
            matplotlib.rcParams["axes.unicode_minus"] = False
            _family, _file = family, font_file
        return _family


def advance_em(char: str) -> float:
    """How far one character advances the pen, in ems of the CJK font (1.0 for a Hanzi)."""
    cjk_family()
    with _lock:
        if char not in _advances:
            font = font_manager.get_font(str(_file))
            font.set_size(100, 72)
            glyph = font.load_char(ord(char))
            _advances[char] = glyph.linearHoriAdvance / 65536 / 100
        return _advances[char]
