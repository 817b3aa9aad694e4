"""Parse a Chinese street address (嘉兴市南湖区城北路592号3幢2单元301室) into its parts.

:func:`parse_address` reads, left to right: the administrative part (province, city, district),
a sub-district or town (街道/镇/乡), a road, then the numbered parts (sub-lane 弄, house 号,
building 幢/栋/号楼/座, unit 单元, room 室/房). Whatever it does not understand goes verbatim into
``ignored``; nothing is dropped silently. It never guesses a missing level: 嘉兴市 alone does not
add 浙江省, and 海宁市 does not add 嘉兴市.

Why no address library: ``cpca`` 0.5.5 (last release 2021, needs pandas and pyahocorasick; imports
in about 0.1 s here) reads 上海路5号 as 上海市 with the address 路5号, returns nothing at all for
南湖路8号, and adds provinces the text does not name. ``jionlp`` reads these correctly, but installs
about 250 MB with its dependencies to look up a handful of names. The plan needs 浙江省, 嘉兴市 and
its seven districts and county-level cities, so a small table (:mod:`geo.addresses.vocab`) plus a
generic suffix rule (…省/…市/…区/…县) for other places is enough, and is easy to check.

Forms read in a particular way:

- An area's short form counts only for the province and the city (浙江, 嘉兴), and not when a road
  suffix follows (嘉兴路 is a road). Districts need their full name (南湖区), because 南湖 is also a
  lake, a sub-district (南湖街道) and a road (南湖路).
- The road is the longest run of Chinese characters ending in 路/街/弄/巷/道/大道 right after the
  administrative part; a named place in front of it (电力局宿舍) means there is no road.
- ``N弄`` after a road is a sub-lane (城北路592弄3号: lane 592 off 城北路, house 3).
- A named place without a road, such as 电力局宿舍 in 电力局宿舍4号楼, goes to ``ignored``:
  the model has no field for it and the caller can still show it.
- Floors (一楼, 3层) have no field either, and go to ``ignored``.
- ``ignored`` fragments are cut from the input as given (full-width characters and spaces
  inside a fragment kept); separators at their ends (，、；and spaces) are trimmed.
"""

import re
from dataclasses import asdict, dataclass

from geo.addresses import vocab
from geo.errors import InvalidAddress
from geo.messages import message

MAX_ADDRESS_CHARS = 200

_HAS_CONTENT = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf\u30070-9]")
# Full-width ASCII (U+FF01..U+FF5E) sits at a fixed offset from ASCII.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH.update({ord(h): ord("-") for h in vocab.HYPHENS})


@dataclass(frozen=True)
class ParsedAddress:
    """The parts of one address; a part the text does not give is None.

    Attributes:
        text: The input as given.
        normalized: Full-width characters made half-width, whitespace removed, and Chinese
            numerals in house, building, unit, room and sub-lane numbers written in digits.
        province: e.g. 浙江省.
        city: e.g. 嘉兴市 (also when written 嘉兴).
        district: District, county or county-level city, e.g. 南湖区, 嘉善县, 海宁市.
        subdistrict: 街道, 镇 or 乡, e.g. 新兴街道.
        road: e.g. 城北路, 汤家弄, 精严寺街.
        house_number: The number before 号, e.g. 592.
        house_suffix: What qualifies the house number: "-1" in 592-1号, "甲" in 12号甲.
        sub_lane: The lane off the road, e.g. "592弄" in 城北路592弄3号.
        building: The building number as text: "4" for 4号楼, 4幢 or 四幢; "A" for A座.
        unit: The unit number as text: "2" for 2单元.
        room: The room number as text: "301" for 301室.
        ignored: Fragments not understood, verbatim from ``text``, in text order.
    """

    text: str
    normalized: str
    province: str | None = None
    city: str | None = None
    district: str | None = None
    subdistrict: str | None = None
    road: str | None = None
    house_number: int | None = None
    house_suffix: str | None = None
    sub_lane: str | None = None
    building: str | None = None
    unit: str | None = None
    room: str | None = None
    ignored: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The address as a JSON-ready dict (``ignored`` as a list)."""
        result = asdict(self)
        result["ignored"] = list(self.ignored)
        return result


def parse_address(text: str) -> ParsedAddress:
    """Split a Chinese address into administrative areas, road and numbered parts.

    Args:
        text: One address, as written (full-width digits and Chinese numerals allowed).

    Returns:
        The parts found. Text it does not understand is kept verbatim in ``ignored``; a result
        may hold nothing else, and the caller decides whether that is too vague.

    Raises:
        InvalidAddress: The text is empty, longer than ``MAX_ADDRESS_CHARS``, or has neither
            Chinese characters nor digits.

    Examples:
        >>> a = parse_address("浙江省嘉兴市南湖区城北路592号3幢2单元301室")
        >>> a.province, a.city, a.district, a.road, a.house_number
        ('浙江省', '嘉兴市', '南湖区', '城北路', 592)
        >>> a.building, a.unit, a.room
        ('3', '2', '301')
        >>> a = parse_address("嘉兴城北路五百九十二号")
        >>> a.normalized, a.city, a.road, a.house_number
        ('嘉兴城北路592号', '嘉兴市', '城北路', 592)
        >>> a = parse_address("嘉兴市环城西路23号一楼及仓库")
        >>> a.road, a.house_number, a.ignored
        ('环城西路', 23, ('一楼及仓库',))
        >>> parse_address("城北路592弄3号").sub_lane
        '592弄'
        >>> parse_address("南湖路8号").district is None
        True
    """
    _check(text)
    normalized, spans = _normalize(text)
    fields: dict = {}
    ignored: list[str] = []

    pos = _read_areas(normalized, fields)
    match = vocab.SUBDISTRICT.match(normalized, pos)
    if match:
        fields["subdistrict"] = match.group()
        pos = match.end()
    match = vocab.ROAD.match(normalized, pos)
    if match:
        fields["road"] = match.group()
        pos = match.end()

    def keep(start: int, end: int) -> None:
        # Cut from the original text, so that a fragment reads exactly as the caller wrote it.
        if start < end:
            fragment = text[spans[start][0] : spans[end - 1][1]].strip(vocab.SEPARATORS)
            if fragment:
                ignored.append(fragment)

    last = -1
    while True:
        found = _next_numbered_part(normalized, pos, last)
        if found is None:
            break
        index, match = found
        keep(pos, match.start())
        _store_numbered_part(vocab.NUMBERED_PARTS[index][0], match, fields)
        last, pos = index, match.end()
    keep(pos, len(normalized))
    return ParsedAddress(text=text, normalized=normalized, ignored=tuple(ignored), **fields)


def chinese_numeral_to_int(numeral: str) -> int | None:
    """Read a Chinese numeral, positional (一百零五) or digit by digit (三零一).

    Returns None for a form that is not standard and could be read two ways: 一百五 means 150
    in speech but 105 by position, so it is left as written rather than guessed.

    Examples:
        >>> [chinese_numeral_to_int(n) for n in ("十二", "二十三", "一百零五", "五百九十二")]
        [12, 23, 105, 592]
        >>> chinese_numeral_to_int("三零一"), chinese_numeral_to_int("一百五")
        (301, None)
    """
    if not numeral or any(
        c not in vocab.CHINESE_DIGITS and c not in vocab.CHINESE_UNITS for c in numeral
    ):
        return None
    if not any(c in vocab.CHINESE_UNITS for c in numeral):
        return int("".join(str(vocab.CHINESE_DIGITS[c]) for c in numeral))
    digit: int | None = None
    total, last_unit, after_zero = 0, 10_000, False
    for char in numeral:
        if char in vocab.CHINESE_UNITS:
            unit = vocab.CHINESE_UNITS[char]
            if unit >= last_unit:
                return None
            if digit is None:
                # A bare 十 stands for 一十 only at the start (十二); 一百十 is not standard.
                if unit != 10 or total:
                    return None
                digit = 1
            total, digit, last_unit, after_zero = total + digit * unit, None, unit, False
        elif vocab.CHINESE_DIGITS[char] == 0:
            if digit is not None:
                return None
            after_zero = True
        else:
            if digit is not None:
                return None
            digit = vocab.CHINESE_DIGITS[char]
    if digit is not None:
        # A last digit counts as units only right after 十 or after 零 (一百零五), see above.
        if last_unit != 10 and not after_zero:
            return None
        total += digit
    return total


def _check(text: str) -> None:
    if not isinstance(text, str):
        raise InvalidAddress(message("addresses.not_text", kind=type(text).__name__))
    if not text.strip():
        raise InvalidAddress(message("addresses.empty"))
    if len(text) > MAX_ADDRESS_CHARS:
        raise InvalidAddress(
            message("addresses.too_long", length=len(text), limit=MAX_ADDRESS_CHARS)
        )
    if not _HAS_CONTENT.search(text.translate(_WIDTH)):
        raise InvalidAddress(message("addresses.not_an_address", text=text.strip()))


def _normalize(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Normalize ``text`` and give, for each normalized character, its span in ``text``."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    for i, char in enumerate(text):
        if not char.isspace():
            chars.append(char.translate(_WIDTH))
            spans.append((i, i + 1))
    joined = "".join(chars)
    out: list[str] = []
    out_spans: list[tuple[int, int]] = []
    pos = 0
    for match in vocab.NUMBERED_NUMERAL.finditer(joined):
        value = chinese_numeral_to_int(match.group())
        if value is None:
            continue
        out.extend(joined[pos : match.start()])
        out_spans.extend(spans[pos : match.start()])
        # Every digit of the converted number maps to the whole Chinese numeral it came from.
        whole = (spans[match.start()][0], spans[match.end() - 1][1])
        out.extend(str(value))
        out_spans.extend([whole] * len(str(value)))
        pos = match.end()
    out.extend(joined[pos:])
    out_spans.extend(spans[pos:])
    return "".join(out), out_spans


def _read_areas(normalized: str, fields: dict) -> int:
    """Read province, city and district from the start; return where the rest begins."""
    pos, level_index = 0, -1
    while level_index < len(vocab.LEVELS) - 1:
        found = _known_area(normalized, pos, level_index) or _generic_area(
            normalized, pos, level_index
        )
        if found is None:
            break
        level, name, pos = found
        fields[level] = name
        level_index = vocab.LEVELS.index(level)
    return pos


def _known_area(normalized: str, pos: int, after: int) -> tuple[str, str, int] | None:
    best: tuple[str, str, int] | None = None
    for written, name in [(n, n) for n in vocab.KNOWN_AREAS] + list(vocab.ALIASES.items()):
        level = vocab.KNOWN_AREAS[name]
        end = pos + len(written)
        if vocab.LEVELS.index(level) <= after or not normalized.startswith(written, pos):
            continue
        if written != name and vocab.ALIAS_BLOCKED_BY.match(normalized, end):
            continue
        if best is None or end > best[2]:
            best = (level, name, end)
    return best


def _generic_area(normalized: str, pos: int, after: int) -> tuple[str, str, int] | None:
    for level in vocab.LEVELS[after + 1 :]:
        match = vocab.GENERIC_AREAS[level].match(normalized, pos)
        if match and not (
            level == "district" and match.group().endswith(vocab.NOT_DISTRICT_ENDINGS)
        ):
            return level, match.group(), match.end()
    return None


def _next_numbered_part(normalized: str, pos: int, after: int) -> tuple[int, re.Match] | None:
    """The earliest numbered part at or after ``pos`` that may follow part number ``after``."""
    best: tuple[int, re.Match] | None = None
    for index in range(after + 1, len(vocab.NUMBERED_PARTS)):
        match = vocab.NUMBERED_PARTS[index][1].search(normalized, pos)
        if match and (best is None or match.start() < best[1].start()):
            best = (index, match)
    return best


def _store_numbered_part(part: str, match: re.Match, fields: dict) -> None:
    value = match.group("value")
    if part == "sub_lane":
        fields["sub_lane"] = f"{value}弄"
    elif part == "house":
        fields["house_number"] = int(value)
        fields["house_suffix"] = match.group("dash") or match.group("stem")
    else:
        fields[part] = value
