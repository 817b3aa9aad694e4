"""Clauses of a four-boundary text (四至) that do not start with a side word and a verb.

Notices also write:

- the reversed form ``X以东`` (``位于X以东``): the parcel lies east of X, so X is its WEST
  boundary; 以西 gives the east side, 以南 the north side and 以北 the south side;
- neighbours, ``东与X相邻`` (a side) or ``与X相邻/相接/交界/毗邻`` (no side);
- ``东以X为界`` (X is the east boundary) and a bare ``以X为界``, which belongs to the side of the
  clause before it.

:func:`match_form` recognises them on the Simplified compact text; the parser reads the body.
"""

import re
from dataclasses import dataclass

_SIDES = r"(?P<sides>[东南西北](?:、?[东南西北])*)[侧面边]?"
_NEIGHBOURING = "相邻|相接|相连|交界|毗邻|接壤"
# The parcel lies to this side of X, so X bounds it on the opposite side.
_REVERSED_SIDE = {"东": "西", "西": "东", "南": "北", "北": "南"}

_PATTERNS = (
    ("reversed", re.compile(r"(?:位于)?(?P<body>.+?)以(?P<direction>[东南西北])[侧面边]?")),
    ("neighbour", re.compile(rf"(?:{_SIDES})?[与同](?P<body>.+?)(?:{_NEIGHBOURING})")),
    ("boundary", re.compile(rf"(?:{_SIDES})?以(?P<body>.+)为界")),
)
# How such a clause ends: a 、 or a space after it separates clauses, not features.
ENDS_A_FORM = re.compile(rf"(?:以[东南西北][侧面边]?|{_NEIGHBOURING}|以[^以]+为界)$")
# 以X为界 at the end of a side's body: 东至张家村以小河为界 names both on the east side.
BOUNDARY_TAIL = re.compile(r"以(?P<body>[^以]+)为界$")


@dataclass(frozen=True)
class Form:
    """One recognised clause.

    Attributes:
        kind: "reversed", "neighbour" or "boundary" (以X为界).
        sides: The side words the clause gives (the reversed form's already turned round), or
            None when it gives none: a neighbour, or 以X为界 following another clause.
        body: Start and end of the features' text in the compact text.
    """

    kind: str
    sides: str | None
    body: tuple[int, int]


def match_form(plain: str, start: int, end: int) -> Form | None:
    """The form that plain[start:end] is written in, or None."""
    for kind, pattern in _PATTERNS:
        found = pattern.fullmatch(plain, start, end)
        if found:
            sides = _REVERSED_SIDE[found["direction"]] if kind == "reversed" else found["sides"]
            return Form(kind, sides, found.span("body"))
    return None
