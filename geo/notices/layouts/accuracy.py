"""Field accuracy: how many of the fields a person read off a notice an extraction got right.

Expected parcels are dictionaries of field name to verbatim text (and ``mu`` for the area in 亩,
compared as a number); the extraction's parcels are matched to them in order. Every expected
field counts once; a field is right when the extracted text (or 亩) is the same.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from geo.notices.layouts.model import Extraction, Parcel


@dataclass
class Accuracy:
    """Fields compared, fields right, and what differed."""

    compared: int = 0
    right: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Right over compared (1.0 when nothing was compared)."""
        return self.right / self.compared if self.compared else 1.0


def _actual(parcel: Parcel, name: str) -> str | None:
    if name == "mu":
        area = parcel.area_value
        return None if area is None or area.mu is None else str(area.mu.normalize())
    value = getattr(parcel, name)
    return None if value is None else value.text


def field_accuracy(extraction: Extraction, expected: list[dict[str, str]]) -> Accuracy:
    """Compare extracted parcels to the expected ones, field by field, in order."""
    score = Accuracy()
    if len(extraction.parcels) != len(expected):
        score.differences.append(f"{len(extraction.parcels)} parcels, expected {len(expected)}")
    for index, wanted in enumerate(expected):
        parcel = extraction.parcels[index] if index < len(extraction.parcels) else None
        for name, text in wanted.items():
            score.compared += 1
            got = None if parcel is None else _actual(parcel, name)
            if name == "mu" and got is not None:
                same = Decimal(got) == Decimal(text)
            else:
                same = got == text
            if same:
                score.right += 1
            else:
                score.differences.append(f"parcel {index + 1} {name}: {got!r}, expected {text!r}")
    return score
