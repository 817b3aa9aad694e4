"""The preamble of a notice: issuer, document and approval numbers, dates and document type.

Read from the running text (the paragraphs of a ``NoticeDocument``). Every field keeps the text
it was read from verbatim and the paragraph's ``where``; the value is derived (an ISO date, a
normalised document type). Rules, as notices are usually set:

- the title is the first paragraph, among the first few, that names a kind of notice (公告, 通告,
  通知, 决定, 计划, 方案), joined with the line before it when the title is broken over two;
- the document type comes from the title, else from the first paragraph naming one;
- the document number is a 〔2022〕12号-like number standing alone on its line or in the title;
  the approval number (批复文号) is one found after 批准/批复/批文 (or just before 批准);
- the issuer is the body signing the notice (a line that is only 人民政府/自然资源局/… followed
  by a date); failing a signature, the body the title begins with;
- the publication date is the signature's date, failing that the last line that is only a date.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from geo.chinese import fold
from geo.messages import message
from geo.notices.document import NoticeDocument, Paragraph


@dataclass(frozen=True)
class Found:
    """A field of the preamble: its derived value, the verbatim text and where it was found."""

    value: str
    text: str
    where: str


@dataclass(frozen=True)
class Preamble:
    """What the running text says about the notice itself."""

    title: Found | None = None
    document_type: Found | None = None
    issuer: Found | None = None
    document_number: Found | None = None
    approval_numbers: tuple[Found, ...] = ()
    dates: tuple[Found, ...] = ()
    published_on: Found | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def approval_number(self) -> Found | None:
        """The first approval number (批复文号), if any."""
        return self.approval_numbers[0] if self.approval_numbers else None


# Document types, matched on the folded title; earlier entries win.
DOCUMENT_TYPES = (
    ("补偿安置方案", ("补偿安置方案", "补偿方案")),
    ("预公告", ("预公告",)),
    ("启动公告", ("启动公告", "启动征收", "征收启动")),
    ("方案公告", ("征收土地方案公告", "征地方案公告", "方案公告", "征收方案")),
    ("征收决定", ("征收决定", "征收的决定", "征收房屋的决定", "决定")),
    ("征收计划", ("征收计划", "征地计划")),
    ("征收公告", ("征收土地公告", "征地公告", "征收公告")),
)
_TITLE_WORDS = re.compile(r"(公告|通告|通知|决定|计划|方案|公示)")
_ORG = (
    r"(?:人民政府办公室|人民政府|自然资源和规划局|自然资源局|国土资源局|规划和自然资源局|"
    r"住房和城乡建设局|住房城乡建设局|住房和城乡建设委员会|房屋征收管理办公室|房屋征收办公室|"
    r"房屋征收与补偿办公室|房屋征收服务中心|房屋征收管理局|征收办公室|土地储备中心|"
    r"管理委员会|管委会|街道办事处|办事处|办公厅)"
)
_SIGNATURE = re.compile(rf"^\s*(?P<org>\S{{2,40}}?{_ORG})\s*(?:[(（]?盖章[)）]?)?\s*$")
_TITLE_ORG = re.compile(rf"^\s*(?P<org>\S{{2,30}}?{_ORG})(?=关于|.{{0,40}}(?:公告|通告|决定))")
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_ARABIC_DATE = re.compile(
    rf"(?<![\d.])(?P<y>{_YEAR})\s*(?:年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日"
    rf"|(?P<sep>[-./])(?P<m2>\d{{1,2}})(?P=sep)(?P<d2>\d{{1,2}})(?![\d.]))"
)
_CN_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0}
_CN_DIGITS = "".join(_CN_VALUE)
_CN_DATE = re.compile(
    rf"(?P<y>[{_CN_DIGITS}]{{4}})年(?P<m>[一二三四五六七八九十]{{1,3}})月"
    rf"(?P<d>[一二三四五六七八九十]{{1,3}})日"
)
# Matched on folded text, where full-width brackets are already half-width.
_OPEN, _CLOSE = "〔[(【﹝〖", "〕])】﹞〗"
_NUMBER = re.compile(
    rf"(?P<prefix>[\u4e00-\u9fa5A-Za-z]{{0,12}}(?:\([\u4e00-\u9fa5]{{1,6}}\))?)"
    rf"[{re.escape(_OPEN)}]\s*(?P<year>{_YEAR})\s*"
    rf"[{re.escape(_CLOSE)}]\s*(?:[-—]\s*)?第?\s*(?P<n>\d{{1,5}})\s*(?P<hao>号)?"
)
_LEAD_IN = re.compile(r"^.*(?:根据|依据|按照|关于|经|以|批准|批复|批文|文号|印发|政府|见|的)")
_APPROVAL_BEFORE = re.compile(r"(批准|批复|批文|批\s*准\s*文\s*号|审批)")
_APPROVAL_AFTER = re.compile(r"^\s*(?:号)?\s*(?:文|文件)?\s*(?:批准|批复|同意|批)")


def _cn_number(text: str) -> int:
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_VALUE[tens] if tens else 1) * 10 + (_CN_VALUE[units] if units else 0)
    return int("".join(str(_CN_VALUE[c]) for c in text))


def find_dates(paragraph: Paragraph) -> list[Found]:
    """Every date in a paragraph (2021年8月12日, 二〇二一年八月十二日, 2021-08-12, 2021.8.12)."""
    folded = fold(paragraph.text)
    found: list[tuple[int, Found]] = []
    for match in _ARABIC_DATE.finditer(folded):
        y, m, d = (
            match.group("y"),
            match.group("m") or match.group("m2"),
            match.group("d") or match.group("d2"),
        )
        found.append((match.start(), _dated(int(y), int(m), int(d), match, paragraph)))
    for match in _CN_DATE.finditer(folded):
        y, m, d = (
            _cn_number(match.group("y")),
            _cn_number(match.group("m")),
            _cn_number(match.group("d")),
        )
        found.append((match.start(), _dated(y, m, d, match, paragraph)))
    return [item for _, item in sorted(found, key=lambda pair: pair[0]) if item.value]


def _dated(y: int, m: int, d: int, match: re.Match[str], paragraph: Paragraph) -> Found:
    text = paragraph.text[match.start() : match.end()]
    try:
        return Found(date(y, m, d).isoformat(), text, paragraph.where)
    except ValueError:
        return Found("", text, paragraph.where)


def _numbers(paragraph: Paragraph) -> list[tuple[Found, bool]]:
    """The document-number-like strings of a paragraph, each with whether it is an approval."""
    folded = fold(paragraph.text)
    found = []
    for match in _NUMBER.finditer(folded):
        prefix = _LEAD_IN.sub("", match.group("prefix"))
        start = match.start("prefix") + len(match.group("prefix")) - len(prefix)
        text = paragraph.text[start : match.end()]
        before = folded[max(0, start - 30) : start]
        after = folded[match.end() : match.end() + 8]
        # 陕政土批〔2024〕1248号: the number's own prefix says it is an approval (批).
        approval = bool(
            _APPROVAL_BEFORE.search(before) or _APPROVAL_AFTER.match(after) or "批" in prefix
        )
        value = f"{prefix}〔{match.group('year')}〕{int(match.group('n'))}号"
        found.append((Found(value, text, paragraph.where), approval))
    return found


_CITED = re.compile(r"《[^》]*》")


def document_type(title: str, running: bool = False) -> str | None:
    """The kind of notice a title names (征收计划, 预公告, 启动公告, 方案公告, 征收决定, …).

    In running text (``running``) a document cited in 《》 names another notice, and a bare
    决定 is the verb (决定启动实施…), so neither says what this notice is.
    """
    folded = fold(title)
    if running:
        folded = _CITED.sub("", folded)
    for kind, words in DOCUMENT_TYPES:
        if any(word in folded for word in words if not (running and word == "决定")):
            return kind
    return None


# A saved web page's breadcrumb (首页 > 政务公开 > 征地公告 > …) names where the page sits on
# the site, not the notice: it is never the title, though its last part often reads like one.
_BREADCRUMB = re.compile(
    r"^\s*(?:首页|当前位置|您的位置|您现在的位置|位置)|(?:[>\u203a\u00bb\uff1e].*){2,}"
)

# A numbered section (四、公告期限) or a sentence (…拟进行征收。) is not a title.
_NOT_TITLE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.]|\d{1,2}\s*[、.](?!\d)|\()|[。:,]\s*$"
)
_CJK = re.compile(r"[\u4e00-\u9fa5]")


def _title(paragraphs: list[Paragraph]) -> Found | None:
    lines = [p for p in paragraphs[:8] if p.text.strip() and not _BREADCRUMB.search(p.text)]
    for index, paragraph in enumerate(lines):
        folded = fold(paragraph.text)
        if (
            _TITLE_WORDS.search(folded)
            and len(paragraph.text.strip()) <= 60
            and not _NOT_TITLE.search(folded)
        ):
            text, where = paragraph.text.strip(), paragraph.where
            previous = lines[index - 1].text.strip() if index else ""
            if (
                index == 1
                and len(previous) <= 40
                and _CJK.search(previous)
                and not re.search(r"[。：:，,]$", previous)
                and not _NUMBER.search(fold(previous))
            ):
                text, where = previous + text, lines[0].where
            return Found(text, text, where)
    return None


def _signature(paragraphs: list[Paragraph]) -> tuple[Found, Found] | None:
    """The last signing body followed (on its line or the next two) by a date, not 印发."""
    signed = None
    for index, paragraph in enumerate(paragraphs):
        line = paragraph.text.strip()
        dates = find_dates(paragraph)
        if dates and "印发" not in line:
            org_text = line[: line.find(dates[0].text)].strip()
            match = _SIGNATURE.match(fold(org_text))
            if match:
                org = org_text[match.start("org") : match.end("org")]
                signed = (Found(org, org_text, paragraph.where), dates[0])
                continue
        match = _SIGNATURE.match(fold(line))
        if not match:
            continue
        for following in paragraphs[index + 1 : index + 3]:
            dates = find_dates(following)
            if dates and "印发" not in following.text:
                org = line[match.start("org") : match.end("org")]
                signed = (Found(org, line, paragraph.where), dates[0])
                break
            if following.text.strip():
                break
    return signed


def running_lines(document: NoticeDocument) -> list[Paragraph]:
    """The paragraphs, and the table rows that hold one text only, in reading order.

    A spreadsheet has no running text: its title, signature and date are rows of one cell (or
    one merged across the sheet), which read as lines here.
    """
    lines: list[Paragraph] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            lines.append(block)
            continue
        for row in block.rows:
            texts = {cell.text.strip() for cell in row} - {""}
            if len(texts) == 1:
                first = next(cell for cell in row if cell.text.strip())
                lines.append(Paragraph(first.text.strip(), first.where))
    return lines


def read_preamble(document: NoticeDocument) -> Preamble:
    """The issuer, numbers, dates and document type of a notice, each with where it was found."""
    paragraphs = running_lines(document)
    warnings: list[str] = []
    title = _title(paragraphs)
    kind = None
    if title and (value := document_type(title.text)):
        kind = Found(value, title.text, title.where)
    else:
        for paragraph in paragraphs:
            if value := document_type(paragraph.text, running=True):
                kind = Found(value, paragraph.text.strip(), paragraph.where)
                break
    if kind is None:
        warnings.append(message("notices.no_document_type"))
    number, approvals = None, []
    for paragraph in paragraphs:
        for found, approval in _numbers(paragraph):
            alone = len(paragraph.text.strip()) - len(found.text) <= 12
            if approval:
                approvals.append(found)
            elif number is None and (alone or (title and paragraph.where == title.where)):
                number = found
    dates = [found for paragraph in paragraphs for found in find_dates(paragraph)]
    signature = _signature(paragraphs)
    issuer, published = signature if signature else (None, None)
    if issuer is None and title:
        # 靖政发〔2024〕6号靖边县人民政府…预公告: the body follows a number heading the title.
        lead = _NUMBER.match(fold(title.text))
        start = lead.end() if lead and not lead.group("prefix").endswith("关于") else 0
        if match := _TITLE_ORG.match(fold(title.text)[start:]):
            org = title.text[start : start + match.end("org")].strip()
            issuer = Found(org, org, title.where)
    if published is None:
        alone = [
            found
            for paragraph in paragraphs
            for found in find_dates(paragraph)
            if len(paragraph.text.strip()) - len(found.text) <= 2
        ]
        published = alone[-1] if alone else None
    if issuer is None:
        warnings.append(message("notices.no_issuer"))
    if published is None:
        warnings.append(message("notices.no_publication_date"))
    return Preamble(
        title, kind, issuer, number, tuple(approvals), tuple(dates), published, tuple(warnings)
    )
