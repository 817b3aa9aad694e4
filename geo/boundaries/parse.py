"""Parse the four-boundary text (四至) of a parcel into structured references, one list per side.

Expropriation plans describe a parcel by what lies on each side, in words:
``东至X，南至Y，西至Z，北至W``. :func:`parse_boundaries` reads that text without guessing: a side
word it does not know (``中至``, ``东北至``) and any fragment it cannot place end up verbatim in
``unparsed`` with a warning, so no text is ever dropped silently.
"""

import re

from geo.boundaries import vocab
from geo.boundaries.parsed import SIDES, FeatureRef, ParsedBoundaries, SideRefs

_OPPOSITES = ({"east", "west"}, {"south", "north"})
_P = vocab.POSITION_WORDS
# A clause starts with side words (东, 东、南, 东西), an optional 侧/面/边, then a verb or colon.
_HEAD = re.compile(rf"(?P<sides>[{_P}](?:、?[{_P}])*)[侧面边]?(?:[{vocab.SIDE_VERBS}][：:]?|[：:])")
# A side word in the middle of a body usually means a missing comma ("东至A路南至B河").
_INNER_HEAD = re.compile(r"[东南西北][侧面边]?至")
_HARD_SEPARATORS = "，,；;。"
_OPEN, _CLOSE = "（(【[", "）)】]"


class _Source:
    """The input with whitespace removed, mapped back to the original for verbatim fragments."""

    def __init__(self, text: str) -> None:
        self.text = text
        kept = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
        self.compact = "".join(ch for _, ch in kept)
        self.index = [i for i, _ in kept]
        # Positions in ``compact`` that followed whitespace: a side word there starts a clause.
        self.gaps = {n for n, (i, _) in enumerate(kept) if i > 0 and text[i - 1].isspace()}

    def raw(self, start: int, end: int) -> str:
        """The original text of compact[start:end], inner spacing kept, trimmed."""
        if start >= end:
            return ""
        return self.text[self.index[start] : self.index[end - 1] + 1].strip()


class _Draft:
    """Mutable collector behind one ParsedBoundaries."""

    def __init__(self) -> None:
        self.sides: dict[str, list[SideRefs]] = {}
        self.address: str | None = None
        self.notes: list[str] = []
        self.unparsed: list[str] = []
        self.warnings: list[str] = []

    def reject(self, fragment: str, warning: str) -> None:
        self.unparsed.append(fragment)
        self.warnings.append(warning)

    def result(self) -> ParsedBoundaries:
        sides = {}
        for side in SIDES:
            given = self.sides.get(side)
            if given:
                features = tuple(f for refs in given for f in refs.features)
                joined_by = given[0].joined_by if len(given) == 1 else "and"
                sides[side] = SideRefs(features, joined_by)
        return ParsedBoundaries(
            sides, self.address, tuple(self.notes), tuple(self.unparsed), tuple(self.warnings)
        )


def _top_level(s: str, start: int, end: int) -> list[int]:
    """Positions in s[start:end] outside brackets (bracket characters themselves excluded)."""
    positions, depth = [], 0
    for i in range(start, end):
        if s[i] in _OPEN:
            depth += 1
        elif s[i] in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0:
            positions.append(i)
    return positions


def _cut(start: int, end: int, separators: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The non-empty spans of [start, end) between the given separator spans."""
    spans = []
    for sep_start, sep_end in [*separators, (end, end)]:
        if start < sep_start:
            spans.append((start, sep_start))
        start = sep_end
    return spans


def _segments(src: _Source) -> list[tuple[int, int]]:
    """Split the compact text into clauses at punctuation, or at whitespace before a side word."""
    s, cuts = src.compact, []
    for i in _top_level(s, 0, len(s)):
        if s[i] in _HARD_SEPARATORS:
            cuts.append((i, i + 1))
        elif i in src.gaps and _HEAD.match(s, i):
            cuts.append((i, i))
        elif s[i] in "：:" and _HEAD.match(s, i + 1):
            # A label such as 四至：东至…; never split a head's own colon (东至：南湖路).
            start = cuts[-1][1] if cuts else 0
            if not _HEAD.fullmatch(s, start, i + 1):
                cuts.append((i, i + 1))
    return _cut(0, len(s), cuts)


def _sides_of(word: str) -> tuple[list[str], str | None]:
    """The sides named by a head's side word, or a problem description."""
    sides: list[str] = []
    for item in word.split("、"):
        unknown = [ch for ch in item if ch not in vocab.SIDE_WORDS]
        if unknown:
            return [], f'unknown side word "{"".join(unknown)}"'
        if len(set(item)) != len(item):
            return [], f'repeated side word "{item}"'
        # 东北/西南 name a corner, not two sides; only opposite pairs (东西, 南北) list two sides.
        if len(item) == 2 and {vocab.SIDE_WORDS[ch] for ch in item} not in _OPPOSITES:
            return [], f'diagonal side "{item}" is not mapped to a side'
        sides.extend(vocab.SIDE_WORDS[ch] for ch in item)
    return sides, None


def _kind(name: str) -> str | None:
    """The kind told by the name's last suffix, or None."""
    for suffix in vocab.SUFFIXES:
        if name.endswith(suffix):
            return vocab.SUFFIX_KIND[suffix]
    return "address" if vocab.HOUSE_NUMBER_END.search(name) else None


def _split_brackets(fragment: str) -> tuple[str, list[str]]:
    """The fragment outside brackets, and the contents of its top-level bracketed notes."""
    bare, notes, buffer, depth = [], [], [], 0
    for ch in fragment:
        if ch in _OPEN:
            if depth:
                buffer.append(ch)
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
            if depth:
                buffer.append(ch)
            elif buffer:
                notes.append("".join(buffer))
                buffer = []
        else:
            (buffer if depth else bare).append(ch)
    if buffer:  # an unclosed bracket: keep its text as a note rather than lose it
        notes.append("".join(buffer))
    return "".join(bare), notes


def _describe(bare: str) -> tuple[str, tuple[str, ...], str | None]:
    """Name, qualifiers and kind of a fragment with its bracketed notes removed."""
    name, leading, trailing = bare, [], []
    for word in vocab.LEADING_QUALIFIERS:
        rest = name[len(word) :]
        if not name.startswith(word) or not rest:
            continue
        # 原 also starts names (原野路): only strip it when a real name is left after it.
        if word != "原" or (_kind(rest) and (len(rest) >= 3 or rest in vocab.SUFFIX_KIND)):
            leading.append(word)
            name = rest
    edge = vocab.TRAILING_QUALIFIER.search(name)
    if edge and edge.start() > 0:
        trailing.append(edge.group())
        name = name[: edge.start()]
    inner = vocab.INNER_QUALIFIER.findall(name)
    kind = "boundary" if trailing and "界" in trailing[0] else _kind(name)
    return name, (*leading, *inner, *trailing), kind


def _looks_like_feature(fragment: str) -> bool:
    return _describe(_split_brackets(fragment)[0])[2] is not None


def _split_list(s: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a side's body at 、 always, and at 和/及/与 only between two recognisable features."""
    top = set(_top_level(s, start, end))
    parts = []
    commas = [(i, i + 1) for i in sorted(top) if s[i] == "、"]
    for part_start, part_end in _cut(start, end, commas):
        begin = part_start
        for joiner in vocab.WORD_JOINERS.finditer(s, part_start, part_end):
            # Both sides must read as features, so 和平路 or 中和广场 stay whole.
            if joiner.start() in top and joiner.start() > begin:
                left, rest = s[begin : joiner.start()], s[joiner.end() : part_end]
                if _looks_like_feature(left) and _looks_like_feature(rest):
                    parts.append((begin, joiner.start()))
                    begin = joiner.end()
        parts.append((begin, part_end))
    return [(a, b) for a, b in parts if a < b]


def _split_body(s: str, start: int, end: int) -> tuple[list[tuple[int, int]], str]:
    """The feature spans of a side's body and how they are joined."""
    dashes = [
        (i, i + 1)
        for i in _top_level(s, start, end)
        # 592-1号 or 1~3幢 is a number range, not a chain.
        if s[i] in vocab.DASHES
        and not (i > start and i + 1 < end and s[i - 1 : i + 2 : 2].isdigit())
    ]
    chain = _cut(start, end, dashes)
    if len(chain) > 1:
        return chain, "chain"
    parts = _split_list(s, start, end)
    return parts, "and" if len(parts) > 1 else "single"


def _matching_open(s: str, start: int, close: int) -> int | None:
    """The position of the bracket that opens the one at ``close``, if it is in s[start:close]."""
    depth = 0
    for i in range(close, start - 1, -1):
        if s[i] in _CLOSE:
            depth += 1
        elif s[i] in _OPEN:
            depth -= 1
            if depth == 0:
                return i
    return None


def _peel_notes(src: _Source, start: int, end: int, notes: list[str]) -> int:
    """Move trailing remarks of a body into notes (in text order); return the new body end."""
    s, found = src.compact, []
    while start < end:
        opening = _matching_open(s, start, end - 1) if s[end - 1] in _CLOSE else None
        if opening is not None and vocab.NOTE.search(s[opening + 1 : end - 1]):
            found.insert(0, src.raw(opening + 1, end - 1))
            end = opening
            continue
        top = set(_top_level(s, start, end))
        keyword = next(
            (m for m in vocab.NOTE_KEYWORD.finditer(s, start + 1, end) if m.start() in top), None
        )
        if keyword is None:
            break
        found.insert(0, src.raw(keyword.start(), end))
        end = keyword.start()
    notes.extend(found)
    return end


def _read_clause(src: _Source, head: re.Match[str], start: int, end: int, draft: _Draft) -> None:
    """Read one ``东至…`` clause into the draft."""
    clause = src.raw(start, end)
    sides, problem = _sides_of(head["sides"])
    if problem:
        draft.reject(clause, f'{problem} in "{clause}"')
        return
    notes: list[str] = []
    body_end = _peel_notes(src, head.end(), end, notes)
    s = src.compact
    spans, joined_by = _split_body(s, head.end(), body_end)
    if not spans:  # nothing but punctuation or remarks after the side word
        draft.reject(clause, f'side "{sides[0]}" names no feature in "{clause}"')
        return
    draft.notes.extend(notes)
    if _INNER_HEAD.search(s, head.end(), body_end):
        draft.warnings.append(
            f'possible side word inside "{src.raw(head.end(), body_end)}"; '
            "sides should be separated by punctuation"
        )
    features = []
    for a, b in spans:
        bare, bracketed = _split_brackets(s[a:b])
        name, qualifiers, kind = _describe(bare)
        if not name:
            draft.reject(src.raw(a, b), f'no feature name in "{src.raw(a, b)}"')
            continue
        # A bracket such as （以实际测量为准） is about the whole text, not this feature.
        draft.notes.extend(n for n in bracketed if vocab.NOTE.search(n))
        own = tuple(n for n in bracketed if not vocab.NOTE.search(n))
        features.append(FeatureRef(src.raw(a, b), name, kind, qualifiers, own))
    if not features:
        return
    refs = SideRefs(tuple(features), joined_by if len(features) > 1 else "single")
    for side in sides:
        if side in draft.sides:
            draft.warnings.append(f'side "{side}" given twice (again in "{clause}")')
        draft.sides.setdefault(side, []).append(refs)


def _read_loose(src: _Source, start: int, end: int, draft: _Draft) -> None:
    """Read a fragment that starts with no side word: a remark, a label, or unreadable text."""
    fragment = src.raw(start, end)
    inner = src.compact[start:end]
    if inner[0] in _OPEN and inner[-1] in _CLOSE:
        inner, fragment = inner[1:-1], fragment[1:-1].strip()
    if inner and (vocab.NOTE.search(inner) or vocab.LABEL.fullmatch(inner)):
        draft.notes.append(fragment)
    else:
        draft.reject(src.raw(start, end), f'fragment "{src.raw(start, end)}" is not tied to a side')


def parse_boundaries(text: str) -> ParsedBoundaries:
    """Parse a four-boundary text (四至) into the features named on each side.

    Clauses start with a side word and a verb or colon (东至, 南到, 西临, 北侧至, 东：, 东、南至,
    东西至) and are separated by ，,；;。 or by whitespace before the next side word. Within a
    side, dashes make a chain, and 、 (or 和/及/与 between two recognisable features) a list.
    Text without any side word is an address when it reads like one, else unparsed.

    Args:
        text: The boundary text as published.

    Returns:
        The parsed reading; it never raises for a str, reporting problems in ``warnings``.

    Raises:
        TypeError: If ``text`` is not a str.

    Examples:
        >>> parsed = parse_boundaries("东至规划路，南、西至阳光小区，北至现状河道（详见图则）")
        >>> [(f.name, f.kind, f.qualifiers) for f in parsed.sides["north"].features]
        [('河道', 'water', ('现状',))]
        >>> parsed.sides["south"] == parsed.sides["west"], parsed.notes
        (True, ('详见图则',))
        >>> parse_boundaries("东至长和路和河道，南至A小区东侧边界").warnings
        ('missing sides: west, north',)
        >>> parse_boundaries("中至公园").unparsed
        ('中至公园',)
    """
    if not isinstance(text, str):
        raise TypeError(f"boundary text must be a str, not {type(text).__name__}")
    draft, src = _Draft(), _Source(text)
    if not src.compact:
        draft.warnings.append("empty boundary text")
        return draft.result()
    if sum(src.compact.count(ch) for ch in _OPEN) != sum(src.compact.count(ch) for ch in _CLOSE):
        draft.warnings.append(f'unbalanced brackets in "{text.strip()}"')
    clauses = [(_HEAD.match(src.compact, a, b), a, b) for a, b in _segments(src)]
    if not any(head for head, _, _ in clauses):
        whole = text.strip()
        if vocab.ADDRESS.search(src.compact):
            draft.address = whole
            draft.warnings.append(f'no four sides given; read as an address: "{whole}"')
        else:
            draft.reject(whole, f'no side word found and not an address: "{whole}"')
        return draft.result()
    for head, start, end in clauses:
        if head:
            _read_clause(src, head, start, end, draft)
        else:
            _read_loose(src, start, end, draft)
    missing = [side for side in SIDES if side not in draft.sides]
    if missing:
        draft.warnings.append(f"missing sides: {', '.join(missing)}")
    return draft.result()
