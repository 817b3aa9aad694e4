"""A corpus of notices with hand-read answers, scored field by field and shown as a table.

A corpus is a directory of notice files, each beside a ``<name>.expected.json`` that gives the
plan fields and every parcel's fields as a person reads them off the notice (None where the
notice does not say). Each notice is read, its parcels extracted and its preamble read exactly
as ``zhengshou`` does, and scored with ``layouts.accuracy.notice_accuracy``.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from geo.notices.layouts import extract_parcels
from geo.notices.layouts.accuracy import Accuracy, notice_accuracy
from geo.notices.preamble import read_preamble
from geo.notices.readers import read_notice

EXPECTED = ".expected.json"


@dataclass
class NoticeScore:
    """One notice: its file, format, type, layout, parcel counts and field score."""

    name: str
    format: str
    document_type: str | None
    layout: str | None
    parcels: int
    expected_parcels: int
    score: Accuracy


def score_notice(path: Path) -> NoticeScore:
    """Read one notice and score it against the answers beside it."""
    expected = json.loads(path.with_name(path.stem + EXPECTED).read_text(encoding="utf-8"))
    document = read_notice(path.read_bytes(), path.name)
    extraction = extract_parcels(document)
    score = notice_accuracy(extraction, read_preamble(document), expected)
    return NoticeScore(
        path.name,
        document.format,
        expected["plan"].get("document_type"),
        extraction.layout,
        len(extraction.parcels),
        len(expected["parcels"]),
        score,
    )


def notices(directory: Path) -> list[Path]:
    """The notice files of a corpus: every file with answers beside it, by name."""
    return sorted(
        path
        for path in directory.iterdir()
        if not path.name.endswith(EXPECTED) and path.with_name(path.stem + EXPECTED).exists()
    )


def score_corpus(directory: Path) -> list[NoticeScore]:
    """Every notice of a corpus, scored."""
    return [score_notice(path) for path in notices(directory)]


def _percent(score: Accuracy) -> str:
    return f"{100 * score.ratio:.1f}%"


def _total(scores: list[NoticeScore]) -> Accuracy:
    total = Accuracy()
    for item in scores:
        total.add(item.score)
    return total


def _group(scores: list[NoticeScore], key: str) -> list[str]:
    groups: dict[str, list[NoticeScore]] = {}
    for item in scores:
        groups.setdefault(str(getattr(item, key)), []).append(item)
    rows = []
    for name, items in sorted(groups.items()):
        total = _total(items)
        parcels = sum(item.expected_parcels for item in items)
        rows.append(f"| {name} | {len(items)} | {parcels} | {total.compared} | {_percent(total)} |")
    return rows


def markdown(scores: list[NoticeScore]) -> str:
    """The accuracy tables in Markdown: by notice, by field, by document type and by format."""
    lines = [
        "| notice | format | type | layout | parcels (read/expected) | fields | exact |",
        "|---|---|---|---|---|---|---|",
    ]
    for item in scores:
        lines.append(
            f"| {item.name} | {item.format} | {item.document_type} | {item.layout} | "
            f"{item.parcels}/{item.expected_parcels} | {item.score.compared} | "
            f"{_percent(item.score)} |"
        )
    total = _total(scores)
    parcels = sum(item.expected_parcels for item in scores)
    read = sum(item.parcels for item in scores)
    lines.append(
        f"| **all {len(scores)}** | | | | {read}/{parcels} | {total.compared} | "
        f"**{_percent(total)}** |"
    )
    lines += ["", "| field | compared | right | exact |", "|---|---|---|---|"]
    for name, compared in total.by_field.items():
        right = total.right_by_field[name]
        lines.append(f"| {name} | {compared} | {right} | {100 * right / compared:.1f}% |")
    for key, title in (("document_type", "type"), ("format", "format")):
        lines += ["", f"| {title} | notices | parcels | fields | exact |", "|---|---|---|---|---|"]
        lines += _group(scores, key)
    return "\n".join(lines)


def differences(scores: list[NoticeScore]) -> str:
    """What differed, notice by notice (empty when every field is right)."""
    return "\n".join(
        f"{item.name}: {difference}" for item in scores for difference in item.score.differences
    )
