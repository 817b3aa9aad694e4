"""Normalisation of Chinese text for DERIVED fields only (matching, keys, comparisons).

What a notice says is kept verbatim in the document and in every field shown to a planner;
:func:`normalise` gives the form to compare and look up. It:

- converts Traditional characters to Simplified with OpenCC's ``t2s`` (東至 → 东至,
  公頃 → 公顷), phrase-aware, so Simplified text passes through unchanged;
- applies NFKC, which turns full-width letters, digits and ASCII punctuation into half-width
  (full-width "12.5" and "AB" become ASCII) and the ideographic space into a space. This
  includes the full-width ``，；：（）`` and the full-width exclamation and question marks: in
  notices they are the same separators and brackets as their half-width twins ("东至：X，南至：Y",
  "(合80.9985亩)" and "（合80.9985亩）" must match), so they become ``, ; : ( ) ! ?``;
- keeps the Chinese punctuation NFKC leaves alone and that carries meaning: the enumeration
  comma ``、`` (lists of villages), the full stop ``。``, book-title marks ``《》`` (文件名),
  corner brackets and ``〔〕`` around document numbers;
- keeps the unit ``㎡`` and the superscripts ``²³``, which NFKC would turn into "m2" and a digit
  that reads as part of a number;
- collapses every run of whitespace to one space and trims the ends.

:func:`fold` is the same idea for matching inside a text: it keeps every character's position.
"""

import re
import unicodedata
from functools import lru_cache

import opencc

KEPT = "㎡²³"
"""Characters NFKC would rewrite into something that misreads as a number."""
_OUTSIDE_KEPT = re.compile(f"[^{KEPT}]+")
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters turned Simplified (OpenCC ``t2s``); nothing else changed."""
    return _converter().convert(text)


# Full-width ASCII (digits, punctuation, letters) to half-width, and the ideographic space.
_FULL_WIDTH = str.maketrans({chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " "})


@lru_cache(maxsize=4096)
def _simplified_char(char: str) -> str:
    converted = simplified(char)
    return converted if len(converted) == 1 else char


def simplified_in_place(text: str) -> str:
    """Traditional characters to Simplified, character for character: the length is kept.

    OpenCC's ``t2s`` applied to each character alone, kept only when it gives one character, so
    that a position found in the result is the same position in the verbatim text: the 四至
    parser, the notice layouts and the preamble match words on this and quote the original.
    """
    return "".join(_simplified_char(char) for char in text)


def fold(text: str) -> str:
    """A same-length matching form: full-width ASCII to half-width, Traditional to Simplified."""
    return simplified_in_place(text.translate(_FULL_WIDTH))


def normalise(text: str) -> str:
    """The form of ``text`` to compare and match on: Simplified, half-width, spaces collapsed.

    For derived fields only; never store the result in place of the text a notice published.
    """
    half_width = _OUTSIDE_KEPT.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return _WHITESPACE.sub(" ", simplified(half_width)).strip()
