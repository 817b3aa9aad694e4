"""Shared expectations for the 四至 parser's tests."""

from geo.boundaries.parsed import ParsedBoundaries

# The reading of the four-side text every variant of the parser's tests is written around:
# 东至A路，南至B河，西至C小区，北至D街, as side -> [(name, kind)].
FOUR = {"east": [("A路", "road")], "south": [("B河", "water")]}
FOUR |= {"west": [("C小区", "estate")], "north": [("D街", "road")]}

# What an "extra" key of a parser case checks on one side of a parse: extra[key] maps a side to
# the value expected.
SIDE_CHECKS = {
    "joined": lambda refs: refs.joined_by,
    "texts": lambda refs: [f.text for f in refs.features],
    "qualifiers": lambda refs: refs.features[0].qualifiers,
    "aliases": lambda refs: refs.features[0].aliases,
    "notes": lambda refs: refs.features[0].notes,
}


def assert_warnings(parsed: ParsedBoundaries, wanted: list[str]) -> None:
    """Each wanted piece appears in some warning, and there are warnings only if any are wanted."""
    missing = [piece for piece in wanted if not any(piece in w for w in parsed.warnings)]
    assert not missing and bool(parsed.warnings) == bool(wanted), (missing, parsed.warnings)


def assert_sides(parsed: ParsedBoundaries, extra: dict, keys=tuple(SIDE_CHECKS)) -> None:
    """The side checks of ``extra`` named in ``keys`` hold on the parse."""
    for key in keys:
        for side, value in extra.get(key, {}).items():
            assert SIDE_CHECKS[key](parsed.sides[side]) == value, (key, side)
