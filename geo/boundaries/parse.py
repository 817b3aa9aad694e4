"""Parse the four-boundary text (四至) of a parcel into structured references, one list per side.

Expropriation plans describe a parcel by what lies on each side, in words:
``东至X，南至Y，西至Z，北至W``. :func:`parse_boundaries` reads that text without guessing: a side
word it does not know (``中至``, ``东北至``) and any fragment it cannot place end up verbatim in
``unparsed`` with a warning, so no text is ever dropped silently. Words are matched on a
Simplified copy (東至 reads as 东至); texts and names keep the characters as written. One feature
is read by :mod:`geo.boundaries.features`; headless forms (A路以东) by :mod:`geo.boundaries.forms`.
"""

import re

from geo.boundaries import vocab
from geo.boundaries.features import CLOSE as _CLOSE
from geo.boundaries.features import OPEN as _OPEN
from geo.boundaries.features import cut, matching_open, read_feature, split_body, top_level
from geo.boundaries.forms import BOUNDARY_TAIL, ENDS_A_FORM, Form, match_form
from geo.boundaries.parsed import SIDES, FeatureRef, ParsedBoundaries, SideRefs
from geo.chinese import simplified_in_place

_OPPOSITES = ({"east", "west"}, {"south", "north"})
_P = vocab.POSITION_WORDS
_VERB = "|".join([*vocab.LONG_SIDE_VERBS, f"[{vocab.SIDE_VERBS}]"])
# A clause starts with side words (东, 东、南, 东西), an optional 侧/面/边, then a verb or colon.
_HEAD = re.compile(rf"(?P<sides>[{_P}](?:、?[{_P}])*)[侧面边]?(?:(?:{_VERB})[：:]?|[：:])")
# A side word in the middle of a body usually means a missing comma ("东至A路南至B河").
_INNER_HEAD = re.compile(r"[东南西北][侧面边]?[至起止]")
_HARD_SEPARATORS = "，,；;。"


class _Source:
    """The input with whitespace removed, mapped back to the original for verbatim fragments.

    ``plain`` is ``compact`` in Simplified characters, one for one, and is what words are
    matched on; fragments and names are taken from ``compact`` and ``text``.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        kept = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
        self.compact = "".join(ch for _, ch in kept)
        self.plain = simplified_in_place(self.compact)
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
        self.neighbours: list[FeatureRef] = []
        # The sides of the last clause read, which a following bare 以X为界 belongs to.
        self.last_sides: list[str] = []

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
            sides,
            self.address,
            tuple(self.notes),
            tuple(self.unparsed),
            tuple(self.warnings),
            tuple(self.neighbours),
        )


def _form_ends(s: str, start: int, i: int) -> bool:
    """Whether s[start:i] is a headless clause whose form ends at i (A路以东, not 东至A路以东)."""
    return not _HEAD.match(s, start) and bool(ENDS_A_FORM.search(s, start, i))


def _separates(s: str, start: int, i: int) -> bool:
    """Whether the punctuation at i separates two clauses; ``start`` is where this one began.

    ，；。 always do. A 、 does between two side clauses (东至A、南至B; but 东、南至 is one head)
    and after a reversed or neighbour form (A路以东、B河以西); else it lists features (东至A、B).
    A colon does before a head when it ends a label (四至：东至…), not a head's own colon
    (东至：南湖路).
    """
    if s[i] in _HARD_SEPARATORS:
        return True
    if s[i] == "、":
        own = _HEAD.match(s, start)
        next_head = own and own.end() <= i and _HEAD.match(s, i + 1)
        return bool(next_head or _form_ends(s, start, i))
    return s[i] in "：:" and bool(_HEAD.match(s, i + 1)) and not _HEAD.fullmatch(s, start, i + 1)


def _segments(src: _Source) -> list[tuple[int, int]]:
    """Split the text into clauses at punctuation, or at whitespace before a clause."""
    s, cuts = src.plain, []
    for i in top_level(s, 0, len(s)):
        start = cuts[-1][1] if cuts else 0
        if _separates(s, start, i):
            cuts.append((i, i + 1))
        elif i in src.gaps and (_HEAD.match(s, i) or _form_ends(s, start, i)):
            cuts.append((i, i))
    return cut(0, len(s), cuts)


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


def _peel_notes(src: _Source, start: int, end: int, notes: list[str]) -> int:
    """Move trailing remarks of a body into notes (in text order); return the new body end."""
    s, found = src.plain, []
    while start < end:
        opening = matching_open(s, start, end - 1) if s[end - 1] in _CLOSE else None
        if opening is not None and vocab.NOTE.search(s[opening + 1 : end - 1]):
            found.insert(0, src.raw(opening + 1, end - 1))
            end = opening
            continue
        top = set(top_level(s, start, end))
        keyword = next(
            (m for m in vocab.NOTE_KEYWORD.finditer(s, start + 1, end) if m.start() in top), None
        )
        if keyword is None:
            break
        found.insert(0, src.raw(keyword.start(), end))
        end = keyword.start()
    notes.extend(found)
    return end


def _read_features(
    src: _Source, start: int, end: int, draft: _Draft
) -> tuple[list[FeatureRef], str] | None:
    """The features of a clause body and how they are joined; None when it names none.

    Remarks go to the draft's notes and unreadable features to its unparsed fragments.
    """
    notes: list[str] = []
    body_end = _peel_notes(src, start, end, notes)
    s = src.plain
    bodies = [(start, body_end)]
    tail = BOUNDARY_TAIL.search(s, start, body_end)
    if tail and tail.start() > start and tail.start() in top_level(s, start, body_end):
        bodies = [(start, tail.start()), tail.span("body")]
    spans, joins = [], []
    for body_start, body_stop in bodies:
        part, joined_by = split_body(s, body_start, body_stop)
        spans += part
        joins.append(joined_by)
    if not spans:  # nothing but punctuation or remarks after the side word
        return None
    draft.notes.extend(notes)
    if _INNER_HEAD.search(s, start, body_end):
        draft.warnings.append(
            f'possible side word inside "{src.raw(start, body_end)}"; '
            "sides should be separated by punctuation"
        )
    features = []
    for a, b in spans:
        feature, remarks = read_feature(src.compact[a:b], src.raw(a, b))
        if feature is None:
            draft.reject(src.raw(a, b), f'no feature name in "{src.raw(a, b)}"')
            continue
        # A bracket such as （以实际测量为准） is about the whole text, not this feature.
        draft.notes.extend(remarks)
        features.append(feature)
    return features, joins[0] if len(joins) == 1 else "and"


def _read_clause(
    src: _Source, words: str, span: tuple[int, int], body: tuple[int, int], draft: _Draft
) -> None:
    """Read one clause that names its sides (东至…, A路以西, 东与B村相邻) into the draft."""
    clause = src.raw(*span)
    sides, problem = _sides_of(words)
    draft.last_sides = []
    if problem:
        draft.reject(clause, f'{problem} in "{clause}"')
        return
    read = _read_features(src, *body, draft)
    if read is None:
        draft.reject(clause, f'side "{sides[0]}" names no feature in "{clause}"')
        return
    _add_to_sides(sides, read, clause, draft)


def _add_to_sides(
    sides: list[str], read: tuple[list[FeatureRef], str], clause: str, draft: _Draft, *, more=False
) -> None:
    """Put features read from a clause on its sides; ``more`` when the clause adds to the last."""
    features, joined_by = read
    if not features:
        return
    refs = SideRefs(tuple(features), joined_by if len(features) > 1 else "single")
    for side in sides:
        if side in draft.sides and not more:
            draft.warnings.append(f'side "{side}" given twice (again in "{clause}")')
        draft.sides.setdefault(side, []).append(refs)
    draft.last_sides = sides


def _read_form(src: _Source, form: Form, span: tuple[int, int], draft: _Draft) -> None:
    """Read a clause written in one of the forms of :mod:`geo.boundaries.forms`."""
    if form.sides is not None:
        _read_clause(src, form.sides, span, form.body, draft)
        return
    clause, follows = src.raw(*span), draft.last_sides
    draft.last_sides = []
    if form.kind == "boundary" and not follows:
        draft.reject(clause, f'fragment "{clause}" is not tied to a side')
        return
    read = _read_features(src, *form.body, draft)
    if read is None:
        draft.reject(clause, f'no feature name in "{clause}"')
    elif form.kind == "boundary":  # 以X为界 after 东至…: X bounds the same side
        _add_to_sides(follows, read, clause, draft, more=True)
    else:
        draft.neighbours.extend(read[0])


def _read_loose(src: _Source, start: int, end: int, draft: _Draft) -> None:
    """Read a fragment that starts with no side word: a remark, a label, or unreadable text."""
    fragment = src.raw(start, end)
    draft.last_sides = []
    inner = src.plain[start:end]
    if inner[0] in _OPEN and inner[-1] in _CLOSE:
        inner, fragment = inner[1:-1], fragment[1:-1].strip()
    if inner and (vocab.NOTE.search(inner) or vocab.LABEL.fullmatch(inner)):
        draft.notes.append(fragment)
    else:
        draft.reject(src.raw(start, end), f'fragment "{src.raw(start, end)}" is not tied to a side')


def parse_boundaries(text: str) -> ParsedBoundaries:
    """Parse a four-boundary text (四至) into the features named on each side.

    Clauses start with a side word and a verb or colon (东至, 南到, 西临, 北侧至, 南起, 西止, 东毗邻,
    东：, 东、南至, 东西至), or are written in a form of :mod:`geo.boundaries.forms`, and are
    separated by ，,；;。, by whitespace, or by 、 between two clauses. Within a side, dashes make a
    chain, and 、 (or 和/及/与 between two recognisable features) a list. A side given twice
    gathers both lists. Neighbours named without a side go to ``neighbours``. Text without any
    clause is an address when it reads like one, else unparsed.

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
        >>> parsed = parse_boundaries("A路以东、B河以西、南起C村集体土地，北止D路中心线")
        >>> [(side, [(f.name, f.kind, f.qualifiers) for f in refs.features])
        ...  for side, refs in parsed.sides.items()]  # doctest: +NORMALIZE_WHITESPACE
        [('east', [('B河', 'water', ())]), ('south', [('C村集体土地', 'land', ())]),
         ('west', [('A路', 'road', ())]), ('north', [('D路', 'road', ('中心线',))])]
    """
    if not isinstance(text, str):
        raise TypeError(f"boundary text must be a str, not {type(text).__name__}")
    draft, src = _Draft(), _Source(text)
    if not src.compact:
        draft.warnings.append("empty boundary text")
        return draft.result()
    if sum(src.compact.count(ch) for ch in _OPEN) != sum(src.compact.count(ch) for ch in _CLOSE):
        draft.warnings.append(f'unbalanced brackets in "{text.strip()}"')
    clauses = []
    for a, b in _segments(src):
        head = _HEAD.match(src.plain, a, b)
        clauses.append((head, None if head else match_form(src.plain, a, b), (a, b)))
    if not any(head or form for head, form, _ in clauses):
        whole = text.strip()
        if vocab.ADDRESS.search(src.plain):
            draft.address = whole
            draft.warnings.append(f'no four sides given; read as an address: "{whole}"')
        else:
            draft.reject(whole, f'no side word found and not an address: "{whole}"')
        return draft.result()
    for head, form, span in clauses:
        if head:
            _read_clause(src, head["sides"], span, (head.end(), span[1]), draft)
        elif form:
            _read_form(src, form, span, draft)
        else:
            _read_loose(src, *span, draft)
    missing = [side for side in SIDES if side not in draft.sides]
    if missing:
        draft.warnings.append(f"missing sides: {', '.join(missing)}")
    return draft.result()
