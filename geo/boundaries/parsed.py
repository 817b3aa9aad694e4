"""The parsed form of a four-boundary text (四至): the sides, and the features named on each.

:func:`geo.boundaries.parse.parse_boundaries` produces it; the digitizer, the side check and the
API read it. The records are frozen values, so a reading can be shared and compared.
"""

from dataclasses import dataclass

SIDES = ("east", "south", "west", "north")


@dataclass(frozen=True)
class FeatureRef:
    """One feature referenced on one side, e.g. ``原南湖法院围墙``.

    Attributes:
        text: The fragment as written in the source (typos kept), trimmed.
        name: The name without leading/trailing qualifiers and bracketed notes. Position words
            inside the name stay, because they identify the feature (中环路南侧绿地).
        kind: road, water, wall, estate, building, parcel, boundary, green, facility, land
            (a land-use class: 耕地, 水浇地, 城镇住宅用地, …) or address, decided by the name's last
            suffix; None when the text does not tell.
        qualifiers: Position and state words found (原, 现状, 东侧, 西边界, 中心线, 道路红线, a
            bracketed 规划 or 现状, …), in text order. Only 东侧-like words inside a name stay in
            ``name`` too; the others are taken off it: 规划支路中心线 is the road 规划支路, and the
            boundary runs on its centreline.
        notes: Bracketed notes of this feature, brackets stripped.
        aliases: Other names given in brackets for the same feature, e.g. 中桥村 in
            银河村(中桥村)土地: a bracket whose text ends like the word before it.
    """

    text: str
    name: str
    kind: str | None
    qualifiers: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The feature as a JSON-ready dict; ``aliases`` only when there are some."""
        data = {
            "text": self.text,
            "name": self.name,
            "kind": self.kind,
            "qualifiers": list(self.qualifiers),
            "notes": list(self.notes),
        }
        # Absent rather than empty, so that stored readings of texts without aliases keep their
        # exact JSON.
        if self.aliases:
            data["aliases"] = list(self.aliases)
        return data


@dataclass(frozen=True)
class SideRefs:
    """What one side says: its features and how the text joins them.

    Attributes:
        features: The features in text order.
        joined_by: "single", "and" (和/及/与/、, or the side given twice) or "chain" (features
            joined by dashes along the side, in order).
    """

    features: tuple[FeatureRef, ...]
    joined_by: str


@dataclass(frozen=True)
class ParsedBoundaries:
    """The structured reading of one four-boundary text.

    Attributes:
        sides: Only the sides the text gives, keyed by names from ``SIDES`` in that order.
        address: The text itself when it is an address rather than four sides.
        notes: Remarks not tied to a side (详见图则, 总面积约30亩, …).
        unparsed: Fragments that could not be read, verbatim.
        warnings: Plain-English messages, each quoting the fragment concerned.
        neighbours: Features the text says the parcel touches without saying on which side
            (与A村相邻, 与B地块交界). They are kept apart from ``sides`` because no side may be
            guessed; the digitizer and the side check do not use them.
    """

    sides: dict[str, SideRefs]
    address: str | None = None
    notes: tuple[str, ...] = ()
    unparsed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    neighbours: tuple[FeatureRef, ...] = ()

    def to_dict(self) -> dict:
        """The reading as a JSON-ready dict; all four sides are present, empty when not given.

        ``neighbours`` is present only when the text names some, so that stored readings of
        texts without them keep their exact JSON.
        """
        given = {side: self.sides.get(side) for side in SIDES}
        data = {
            "boundaries": {
                side: [f.to_dict() for f in refs.features] if refs else []
                for side, refs in given.items()
            },
            "joined_by": {side: refs.joined_by if refs else None for side, refs in given.items()},
            "address": self.address,
            "notes": list(self.notes),
            "unparsed": list(self.unparsed),
            "warnings": list(self.warnings),
        }
        if self.neighbours:
            data["neighbours"] = [f.to_dict() for f in self.neighbours]
        return data
