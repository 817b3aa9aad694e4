"""The features of one side of a four-boundary text (四至): where they are, and what each is.

:mod:`geo.boundaries.parse` cuts the text into clauses; this module cuts a clause's body into
feature fragments (a chain, a list) and reads each one, such as ``原南湖法院围墙`` or
``银河村(中桥村)土地``, into a name, kind, qualifiers, notes and aliases. Words are matched on a
Simplified copy of the fragment (``geo.chinese.simplified_in_place`` keeps every position), and the
name keeps the characters as written.
"""

from geo.boundaries import vocab
from geo.boundaries.parsed import FeatureRef
from geo.chinese import simplified_in_place

OPEN, CLOSE = "（(【[", "）)】]"


def kind_of(name: str) -> str | None:
    """The kind told by the (Simplified) name's last suffix, or None."""
    for suffix in vocab.SUFFIXES:
        if name.endswith(suffix):
            return vocab.SUFFIX_KIND[suffix]
    return "address" if vocab.HOUSE_NUMBER_END.search(name) else None


def split_brackets(fragment: str) -> tuple[str, list[tuple[str, int]]]:
    """The fragment outside brackets, and each top-level bracket's text with its place in it."""
    bare, brackets, buffer, depth = [], [], [], 0
    for ch in fragment:
        if ch in OPEN:
            if depth:
                buffer.append(ch)
            depth += 1
        elif ch in CLOSE:
            depth = max(depth - 1, 0)
            if depth:
                buffer.append(ch)
            elif buffer:
                brackets.append(("".join(buffer), len(bare)))
                buffer = []
        else:
            (buffer if depth else bare).append(ch)
    if buffer:  # an unclosed bracket: keep its text as a note rather than lose it
        brackets.append(("".join(buffer), len(bare)))
    return "".join(bare), brackets


def _without_edge(plain: str, start: int, end: int) -> str:
    """plain[start:end] without a trailing side word (A路北侧 -> A路), to tell its kind."""
    edge = vocab.TRAILING_QUALIFIER.search(plain, start, end)
    return plain[start : edge.start() if edge and edge.start() > start else end]


def describe(bare: str) -> tuple[str, tuple[str, ...], str | None]:
    """Name, qualifiers and kind of a fragment with its bracketed notes removed."""
    plain = simplified_in_place(bare)
    start, end, leading = 0, len(plain), []
    for word in vocab.LEADING_QUALIFIERS:
        rest = plain[start + len(word) : end]
        if not plain.startswith(word, start) or not rest:
            continue
        # 原 also starts names (原野路): only strip it when a real name is left after it.
        if word != "原" or (kind_of(rest) and (len(rest) >= 3 or rest in vocab.SUFFIX_KIND)):
            leading.append(bare[start : start + len(word)])
            start += len(word)
    line_word = []
    line = vocab.LINE_QUALIFIER.search(plain, start, end)
    if line:
        cut = line.start()
        # 道路红线 after a kindless name (规划道路红线) leaves 道路 in it: the road is the feature.
        if (
            plain.startswith(("道路", "用地"), cut)
            and kind_of(_without_edge(plain, start, cut)) is None
        ):
            cut += 2
        if cut > start:
            line_word, end = [bare[cut:end]], cut
    edge_word = []
    edge = vocab.TRAILING_QUALIFIER.search(plain, start, end)
    if edge and edge.start() > start:
        edge_word, end = [bare[edge.start() : end]], edge.start()
    inner = [bare[m.start() : m.end()] for m in vocab.INNER_QUALIFIER.finditer(plain, start, end)]
    edge_plain = simplified_in_place(edge_word[0]) if edge_word else ""
    kind = "boundary" if "界" in edge_plain else kind_of(plain[start:end])
    return bare[start:end], (*leading, *inner, *edge_word, *line_word), kind


def _looks_like_feature(fragment: str) -> bool:
    """Whether the fragment names something of a known kind."""
    return describe(split_brackets(fragment)[0])[2] is not None


def _is_alias(text: str, bare: str, at: int) -> bool:
    """Whether a bracket placed at ``at`` in ``bare`` names the word before it again."""
    plain = simplified_in_place(text)
    before = simplified_in_place(bare[:at])
    return bool(before) and not vocab.NOT_ALIAS.match(plain) and plain[-1] == before[-1]


def read_feature(fragment: str, text: str) -> tuple[FeatureRef | None, list[str]]:
    """The feature a fragment names, and the remarks in it that concern the whole text.

    Args:
        fragment: The fragment without whitespace.
        text: The same fragment as written, for ``FeatureRef.text``.

    Returns:
        The feature (None when no name is left once qualifiers and brackets are off) and the
        bracketed remarks such as ``以实际测量为准``, which belong to the text's notes.
    """
    bare, brackets = split_brackets(fragment)
    name, qualifiers, kind = describe(bare)
    remarks, before, after, notes, aliases = [], [], [], [], []
    for inside, at in brackets:
        plain = simplified_in_place(inside)
        if vocab.NOTE.search(plain):
            remarks.append(inside)
        elif plain in vocab.BRACKET_QUALIFIERS:
            (after if at else before).append(inside)
        elif _is_alias(inside, bare, at):
            aliases.append(inside)
        else:
            notes.append(inside)
    if not name:
        return None, remarks
    feature = FeatureRef(
        text, name, kind, (*before, *qualifiers, *after), tuple(notes), tuple(aliases)
    )
    return feature, remarks


def top_level(s: str, start: int, end: int) -> list[int]:
    """Positions in s[start:end] outside brackets (bracket characters themselves excluded)."""
    positions, depth = [], 0
    for i in range(start, end):
        if s[i] in OPEN:
            depth += 1
        elif s[i] in CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0:
            positions.append(i)
    return positions


def cut(start: int, end: int, separators: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The non-empty spans of [start, end) between the given separator spans."""
    spans = []
    for sep_start, sep_end in [*separators, (end, end)]:
        if start < sep_start:
            spans.append((start, sep_start))
        start = sep_end
    return spans


def _split_list(s: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a side's body at 、 always, and at 和/及/与 only between two recognisable features."""
    top = set(top_level(s, start, end))
    parts = []
    commas = [(i, i + 1) for i in sorted(top) if s[i] == "、"]
    for part_start, part_end in cut(start, end, commas):
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


def split_body(s: str, start: int, end: int) -> tuple[list[tuple[int, int]], str]:
    """The feature spans of a side's body and how they are joined."""
    dashes = [
        (i, i + 1)
        for i in top_level(s, start, end)
        # 592-1号 or 1~3幢 is a number range, not a chain.
        if s[i] in vocab.DASHES
        and not (i > start and i + 1 < end and s[i - 1 : i + 2 : 2].isdigit())
    ]
    chain = cut(start, end, dashes)
    if len(chain) > 1:
        return chain, "chain"
    parts = _split_list(s, start, end)
    return parts, "and" if len(parts) > 1 else "single"


def matching_open(s: str, start: int, close: int) -> int | None:
    """The position of the bracket that opens the one at ``close``, if it is in s[start:close]."""
    depth = 0
    for i in range(close, start - 1, -1):
        if s[i] in CLOSE:
            depth += 1
        elif s[i] in OPEN:
            depth -= 1
            if depth == 0:
                return i
    return None
