"""Areas as published (亩, 公顷, 平方米, 万平方米, 约, two figures) read into 亩 and m².

An area keeps what the notice printed (the number and the unit as written) and adds derived
figures in 亩 and m². 1 亩 is 10000/15 m² exactly and 1 公顷 is 15 亩; the derived figures are
computed exactly (as fractions) and given as ``Decimal`` to 28 significant digits.

Two figures (``53999平方米(合80.9985亩)``, ``12.5亩（约8333平方米）``) are both kept; they are
checked against each other within rounding: each printed figure stands for any value within half
a unit of its last digit, so they agree when they differ by no more than the sum of those two
half-units in m² (in practice the half-unit of the less precise figure, converted). The first
figure is the one the derived 亩 and m² come from.

Matching is done on a folded copy of the text (``geo.chinese.fold``: full-width digits
and punctuation to half-width, Traditional to Simplified, character for character), so that
every match points back at the verbatim text.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from geo.chinese import fold
from geo.messages import message

UNITS = ("亩", "公顷", "平方米", "万平方米")
# Unit spellings (folded) to the normalised unit; longer spellings first.
_UNIT_WORDS = {
    "万平方米": "万平方米",
    "平方米": "平方米",
    "平米": "平方米",
    "㎡": "平方米",
    "m²": "平方米",
    "m2": "平方米",
    "M2": "平方米",
    "公顷": "公顷",
    "亩": "亩",
}
UNIT_PATTERN = "|".join(sorted(map(re.escape, _UNIT_WORDS), key=len, reverse=True))
_ABOUT = "约为|大约|约合|约|合计约|合|折合|即"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_FIGURE = re.compile(
    rf"(?P<about>{_ABOUT})?\s*(?P<number>{_NUMBER})\s*(?P<unit>{UNIT_PATTERN})?(?![\d.])"
)
# What may stand between and around figures without making the text unreadable.
_FILLER = re.compile(rf"^[\s()\[\],;、/|+=]*(?:{_ABOUT}|其中|共|面积|为)?[\s()\[\],;、/|+=]*$")
_COMMA = re.compile(r"\d+(?:,\d+)+")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_HEADER_UNIT = re.compile(rf"(?:{UNIT_PATTERN})")

MU_PER_UNIT = {
    "亩": Fraction(1),
    "公顷": Fraction(15),
    "平方米": Fraction(15, 10_000),
    "万平方米": Fraction(15),
}
M2_PER_MU = Fraction(10_000, 15)


def header_unit(header: str) -> str | None:
    """The unit a column header names (面积（亩）, 用地面积(公顷), 征收面积/平方米), if any."""
    found = _HEADER_UNIT.search(fold(header))
    return _UNIT_WORDS[found.group()] if found else None


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


@dataclass(frozen=True)
class AreaFigure:
    """One printed figure: the number and unit as written, and its value."""

    value: str
    """The number, verbatim, full-width digits and separators included (``1,234.5``)."""
    unit_text: str
    """The unit, verbatim; empty when the unit came from the column header (or is missing)."""
    unit: str | None
    """The unit, normalised: one of ``UNITS``, or None when neither cell nor header gives one."""
    amount: Decimal
    """The number, half-width and without thousands separators."""
    about: bool
    """Whether the figure is qualified as approximate (约, 大约, 约为)."""

    def _mu(self) -> Fraction | None:
        return None if self.unit is None else Fraction(self.amount) * MU_PER_UNIT[self.unit]

    @property
    def mu(self) -> Decimal | None:
        """The figure in 亩."""
        mu = self._mu()
        return None if mu is None else _decimal(mu)

    @property
    def m2(self) -> Decimal | None:
        """The figure in m²."""
        mu = self._mu()
        return None if mu is None else _decimal(mu * M2_PER_MU)

    def half_unit_m2(self) -> Fraction | None:
        """Half a unit of the figure's last printed digit, in m² (its rounding)."""
        if self.unit is None:
            return None
        exponent = self.amount.as_tuple().exponent
        assert isinstance(exponent, int)
        half = Fraction(1, 2) * Fraction(10) ** exponent
        return half * MU_PER_UNIT[self.unit] * M2_PER_MU


@dataclass(frozen=True)
class Area:
    """An area as published: its verbatim text, its figures, the derived 亩 and m²."""

    text: str
    figures: tuple[AreaFigure, ...] = ()
    unit_from_header: bool = False
    warnings: tuple[str, ...] = field(default=())
    unread: str = ""
    """Text beside the figures that was not read as part of the area (a warning says so)."""

    @property
    def doubtful(self) -> bool:
        """Whether some of the text was not read as an area, or a figure is not positive."""
        return bool(self.unread) or any(figure.amount <= 0 for figure in self.figures)

    def _first(self, name: str):
        return getattr(self.figures[0], name) if self.figures else None

    @property
    def value(self) -> str | None:
        """The first figure's number, verbatim."""
        return self._first("value")

    @property
    def unit_text(self) -> str | None:
        """The first figure's unit, verbatim ('' when it came from the header)."""
        return self._first("unit_text")

    @property
    def unit(self) -> str | None:
        """The first figure's unit, normalised."""
        return self._first("unit")

    @property
    def about(self) -> bool:
        """Whether the area is given as approximate."""
        return any(figure.about for figure in self.figures) or "约" in fold(self.text)

    @property
    def mu(self) -> Decimal | None:
        """The area in 亩, from the first figure."""
        return self._first("mu")

    @property
    def m2(self) -> Decimal | None:
        """The area in m², from the first figure."""
        return self._first("m2")

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form: the first figure as printed, and 亩 (4 decimals) and m² (2) derived."""
        mu, m2 = self.mu, self.m2
        return {
            "value": self.value,
            "unit": self.unit,
            "unit_text": self.unit_text,
            "about": self.about,
            "mu": None if mu is None else float(round(mu, 4)),
            "m2": None if m2 is None else float(round(m2, 2)),
        }


def _figures(text: str, folded: str, default_unit: str | None) -> tuple[list[AreaFigure], str]:
    figures: list[AreaFigure] = []
    rest: list[str] = []
    position = 0
    for match in _FIGURE.finditer(folded):
        rest.append(folded[position : match.start()])
        position = match.end()
        unit_word = match.group("unit")
        number = match.group("number").replace(",", "")
        figures.append(
            AreaFigure(
                value=text[match.start("number") : match.end("number")],
                unit_text=text[match.start("unit") : match.end("unit")] if unit_word else "",
                unit=_UNIT_WORDS[unit_word] if unit_word else default_unit,
                amount=Decimal(number if not number.startswith(".") else "0" + number),
                about=bool(match.group("about")) and match.group("about") != "合",
            )
        )
    rest.append(folded[position:])
    return figures, "".join(rest)


def disagreement(first: AreaFigure, second: AreaFigure) -> str | None:
    """Why two figures of one area disagree beyond rounding, or None when they agree."""
    if first.unit is None or second.unit is None:
        return None
    one = Fraction(first.amount) * MU_PER_UNIT[first.unit] * M2_PER_MU
    two = Fraction(second.amount) * MU_PER_UNIT[second.unit] * M2_PER_MU
    tolerance = (first.half_unit_m2() or 0) + (second.half_unit_m2() or 0)
    if abs(one - two) <= tolerance:
        return None
    return message(
        "notices.area_figures_disagree",
        first=f"{first.value}{first.unit}",
        first_m2=float(one),
        second=f"{second.value}{second.unit}",
        second_m2=float(two),
        tolerance_m2=float(tolerance),
    )


def parse_area(text: str, default_unit: str | None = None) -> Area:
    """Read an area as published; the unit may come from the column header (``default_unit``).

    Nonsense is refused with a warning, never an exception: the Area then has no figures.

    >>> parse_area("约12.5亩").mu
    Decimal('12.5')
    >>> parse_area("1,234.5", "平方米").mu
    Decimal('1.85175')
    """
    folded = fold(text)
    if not folded.strip():
        return Area(text, warnings=(message("notices.no_area"),))
    figures, rest = _figures(text, folded, default_unit)
    given = text.strip()
    if not figures or any(not _THOUSANDS.fullmatch(m.group()) for m in _COMMA.finditer(folded)):
        return Area(text, warnings=(message("notices.not_an_area", text=given),))
    warnings: list[str] = []
    unread = ""
    if not _FILLER.match(rest):
        if len(figures) == 1 and figures[0].unit is None:
            return Area(text, warnings=(message("notices.not_an_area", text=given),))
        unread = rest.strip()
        warnings.append(message("notices.area_rest_unread", rest=unread))
    if len(figures) > 2:
        warnings.append(message("notices.area_many_figures", count=len(figures)))
        figures = figures[:2]
    if any(figure.unit is None for figure in figures):
        warnings.append(message("notices.area_no_unit", text=given))
    if any(figure.amount <= 0 for figure in figures):
        warnings.append(message("notices.area_not_positive", text=given))
    if len(figures) == 2 and (why := disagreement(*figures)):
        warnings.append(why)
    from_header = default_unit is not None and not figures[0].unit_text
    return Area(text, tuple(figures), from_header, tuple(warnings), unread)


def combine_areas(first: Area, second: Area) -> Area:
    """One area from two columns (面积 over 亩 and 平方米 sub-columns): both figures kept."""
    if not first.figures or not second.figures:
        return first if first.figures else second
    figures = (first.figures[0], second.figures[0])
    warnings = list(first.warnings) + list(second.warnings)
    if why := disagreement(*figures):
        warnings.append(why)
    text = f"{first.text} | {second.text}"
    from_header = first.unit_from_header or second.unit_from_header
    return Area(text, figures, from_header, tuple(warnings), first.unread or second.unread)
