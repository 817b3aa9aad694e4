"""Field accuracy: how many of the fields a person read off a notice an extraction got right.

Expected parcels are dictionaries of field name to verbatim text (and ``mu`` for the area in 亩,
compared as a number, to as many decimals as the expected figure gives); the extraction's
parcels are matched to them in order. Every expected field counts once, a None too (the notice
does not say, so nothing must be read); a field is right when the extracted text (or 亩) is the
same. ``notice_accuracy`` scores a whole notice, its plan fields (type, issuer, numbers, date)
and its parcels, from the answers in a ``<name>.expected.json`` written by hand.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from geo.notices.layouts.model import Extraction, Parcel
from geo.notices.preamble import Preamble

PLAN_FIELDS = ("document_type", "issuer", "document_number", "approval_number", "published_on")
"""The plan fields an expected file gives, in the order a table shows them."""


@dataclass
class Accuracy:
    """Fields compared, fields right, what differed, and the same counts by field name."""

    compared: int = 0
    right: int = 0
    differences: list[str] = field(default_factory=list)
    by_field: Counter = field(default_factory=Counter)
    right_by_field: Counter = field(default_factory=Counter)

    @property
    def ratio(self) -> float:
        """Right over compared (1.0 when nothing was compared)."""
        return self.right / self.compared if self.compared else 1.0

    def count(self, name: str, got: str | None, wanted: str | None, same: bool, label: str):
        """Count one field compared, noting a difference under ``label``."""
        self.compared += 1
        self.by_field[name] += 1
        if same:
            self.right += 1
            self.right_by_field[name] += 1
        else:
            self.differences.append(f"{label} {name}: {got!r}, expected {wanted!r}")

    def add(self, other: "Accuracy") -> None:
        """Add another score's counts to this one (differences are not kept)."""
        self.compared += other.compared
        self.right += other.right
        self.by_field.update(other.by_field)
        self.right_by_field.update(other.right_by_field)


def _actual(parcel: Parcel, name: str) -> str | None:
    if name == "mu":
        area = parcel.area_value
        return None if area is None or area.mu is None else str(area.mu.normalize())
    value = getattr(parcel, name)
    return None if value is None else value.text


def _same_mu(got: str, wanted: str) -> bool:
    """Whether an extracted 亩 is the expected one, rounded to the expected figure's decimals."""
    expected = Decimal(wanted)
    places = expected.as_tuple().exponent
    return (
        Decimal(got).quantize(Decimal(1).scaleb(places)) == expected
        if places < 0
        else (Decimal(got) == expected)
    )


def field_accuracy(extraction: Extraction, expected: list[dict[str, str | None]]) -> Accuracy:
    """Compare extracted parcels to the expected ones, field by field, in order."""
    score = Accuracy()
    if len(extraction.parcels) != len(expected):
        score.differences.append(f"{len(extraction.parcels)} parcels, expected {len(expected)}")
    for index, wanted in enumerate(expected):
        parcel = extraction.parcels[index] if index < len(extraction.parcels) else None
        for name, text in wanted.items():
            got = None if parcel is None else _actual(parcel, name)
            if name == "mu" and got is not None and text is not None:
                same = _same_mu(got, text)
            else:
                same = got == text
            score.count(name, got, text, same, f"parcel {index + 1}")
    return score


def plan_values(preamble: Preamble) -> dict[str, str | None]:
    """The plan fields as an expected file gives them.

    Numbers are verbatim, the type and the date derived (方案公告, 2021-10-14).
    """
    approval = preamble.approval_number
    return {
        "document_type": preamble.document_type.value if preamble.document_type else None,
        "issuer": preamble.issuer.value if preamble.issuer else None,
        "document_number": preamble.document_number.text if preamble.document_number else None,
        "approval_number": approval.text if approval else None,
        "published_on": preamble.published_on.value if preamble.published_on else None,
    }


def notice_accuracy(extraction: Extraction, preamble: Preamble, expected: dict) -> Accuracy:
    """A notice's plan fields and parcels against its expected answers (``plan``, ``parcels``)."""
    score = field_accuracy(extraction, expected["parcels"])
    got = plan_values(preamble)
    for name, wanted in expected["plan"].items():
        score.count(name, got.get(name), wanted, got.get(name) == wanted, "plan")
    return score
