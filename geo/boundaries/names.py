"""Which reference features a name in a 四至 text means, as real names are written.

A notice and a basemap seldom spell a name the same way: 嘉兴市中山路 or 中山路, 東 or 东,
全角 or half-width digits, 中山路(规划) for a road not built yet, 中山路东段 for a part of it. The
digitizer looks a name up here and gets every feature it may mean, at the best level of likeness
found, so an exact name always wins over a variant:

1. the same name once folded (Traditional to Simplified, full-width to half-width, no spaces);
2. the same without the city or district prefix (嘉兴市, 南湖区) and without ``(规划)``;
3. a 段 of a road (中山路东段) against the whole road (中山路), or the other way round: the whole
   road is used, and the match says so.

A basemap splits one road into many pieces (an OSM way per block), so features of one name that
touch are merged into one (``merge_touching``); what is left with several members is a name shared
by different things, which ``digitize.choose_candidate`` settles by the side they lie on or
reports as ambiguous.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import shapely
from shapely import Geometry
from shapely.ops import linemerge

from geo.chinese import normalise

Item = TypeVar("Item")

# An administrative prefix: a place name of two to six characters and the level it names. The
# remainder must keep three characters, so that 新区路, 市场路 or 开发区大道 are never cut.
_PREFIX = re.compile(
    r"^[\u4e00-\u9fff]{2,6}?(?:自治区|自治州|省|市|地区|盟|区|县|旗|镇|乡|街道)(?=[^\s]{3,})"
)
_PLANNED = re.compile(r"\((?:规划|拟建|在建)\)$")
_SECTION = re.compile(r"(?:[东南西北中]|[一二三四五六七八九十\d]+)?段$")
_SPACES = re.compile(r"\s+")
TOUCHING_M = 1.0
"""Features of one name closer than this are pieces of one feature (OSM ways share nodes)."""


def folded(name: str) -> str:
    """Level 1: the name Simplified, half-width, without spaces."""
    return _SPACES.sub("", normalise(name))


def base(name: str) -> str:
    """Level 2: the folded name without administrative prefixes and a planned-road suffix."""
    key = _PLANNED.sub("", folded(name))
    while (shorter := _PREFIX.sub("", key, count=1)) != key:
        key = shorter
    return key


def whole_road(name: str) -> str | None:
    """Level 3: the road a section names (中山路东段 -> 中山路), or None if it names no section."""
    key = base(name)
    shorter = _SECTION.sub("", key)
    return shorter if shorter != key and len(shorter) >= 2 else None


LEVELS = ("same name", "name variant", "section of the road")


@dataclass(frozen=True)
class Match(Generic[Item]):
    """The items a name may mean, and how alike the names are (an index into ``LEVELS``)."""

    items: list[Item]
    level: int = 0

    def how(self, asked: str, found: str) -> str:
        """A few words for a provenance note when the names differ, else ''."""
        if asked == found:
            return ""
        if self.level == 2 and whole_road(asked):
            return f" for {asked}: the text names a section, the whole road is used"
        if self.level == 2:
            return f" for {asked}: a section of the road the text names"
        return f" for {asked}"


class NameIndex(Generic[Item]):
    """Items found by name at the three levels of likeness."""

    def __init__(self, items: Iterable[Item], name_of: Callable[[Item], str]) -> None:
        """Index ``items`` under the keys of ``name_of(item)``."""
        self._keys: list[dict[str, list[Item]]] = [defaultdict(list) for _ in LEVELS]
        for item in items:
            name = name_of(item)
            self._keys[0][folded(name)].append(item)
            self._keys[1][base(name)].append(item)
            self._keys[2][whole_road(name) or base(name)].append(item)

    def find(self, name: str) -> Match[Item]:
        """The items at the best level that has any; none at all is an empty match."""
        keys = (folded(name), base(name), whole_road(name) or base(name))
        for level, key in enumerate(keys):
            found = self._keys[level].get(key)
            if found:
                return Match(list(found), level)
        return Match([])


def merge_touching(geometries: Sequence[Geometry]) -> list[list[int]]:
    """Groups (by position) of geometries that touch one another, directly or through others."""
    tree = shapely.STRtree(list(geometries))
    group = list(range(len(geometries)))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    pairs = tree.query(list(geometries), predicate="dwithin", distance=TOUCHING_M)
    for i, j in zip(*pairs, strict=True):
        group[root(int(i))] = root(int(j))
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(geometries)):
        members[root(i)].append(i)
    return list(members.values())


def merged(geometries: Sequence[Geometry]) -> Geometry:
    """One geometry of touching pieces: lines joined end to end, areas united.

    Points that only label an area or a line (an estate's name node) are dropped.
    """
    dimension = max(shapely.get_dimensions(g) for g in geometries)
    kept = [g for g in geometries if shapely.get_dimensions(g) == dimension]
    if len(kept) == 1:
        return kept[0]
    if dimension == 1:
        return linemerge(shapely.union_all(kept))
    return shapely.union_all(kept)
