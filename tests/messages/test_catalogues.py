"""The two message catalogues: same keys and placeholders, every key used, each in its language."""

import ast
import re
from pathlib import Path

import pytest

from geo.messages import LANGUAGES, catalogue, placeholders

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*ROOT.glob("geo/**/*.py"), *ROOT.glob("api/**/*.py")])
KEY = re.compile(r"^[a-z_]+(?:\.[a-z0-9_]+)+$")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+")

# Keys the code builds from a value it holds, not from an f-string in the call: their prefix.
# (A call like message(f"printing.side_{side}") is found in the code: its prefix counts as used.)
BUILT_FROM_VALUES = {
    "validation.": "pydantic's error types (api/errors.py describe_validation_error)",
}
# Chinese domain words that English messages keep verbatim, as the notices and survey files
# write them (the README's glossary): a reader matches them against the document.
GLOSSARY = {
    "亩", "公顷", "平方米", "四至", "名称", "位置", "范围", "面积", "面", "序号", "号", "总计",
    "通知", "人民政府", "征收计划", "征收计划表", "预公告", "启动公告", "待落图", "内环",
    "界址点", "界址点坐标表", "坐标文件", "地块坐标", "点号", "圈号", "横坐标", "纵坐标",
    "坐标系", "带号", "国家大地坐标系", "非测绘成果", "批复文号",
}  # fmt: skip


def literal_strings() -> set[str]:
    """Every string constant in geo/ and api/ (keys in message() calls, dicts, constants)."""
    found = set()
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def message_calls() -> list[tuple[Path, int, ast.expr]]:
    """The first argument of every message(), Term() and in_each_language() call."""
    calls = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("message", "Term", "in_each_language")
                and node.args
            ):
                calls.append((path, node.lineno, node.args[0]))
    return calls


def test_both_catalogues_have_the_same_keys() -> None:
    zh, en = catalogue("zh"), catalogue("en")
    assert sorted(set(zh) - set(en)) == []
    assert sorted(set(en) - set(zh)) == []


@pytest.mark.parametrize("key", sorted(catalogue("en")))
def test_a_message_has_the_same_placeholders_in_both_languages(key: str) -> None:
    assert placeholders(catalogue("zh")[key]) == placeholders(catalogue("en")[key])


def built_prefixes() -> set[str]:
    """The prefixes of keys the code builds in the call: message(f"summary.group_{key}")."""
    return {
        argument.values[0].value
        for _, _, argument in message_calls()
        if isinstance(argument, ast.JoinedStr)
        and argument.values
        and isinstance(argument.values[0], ast.Constant)
    }


def test_every_message_the_code_asks_for_exists() -> None:
    keys = set(catalogue("en"))
    missing = []
    for path, line, argument in message_calls():
        where = f"{path.relative_to(ROOT)}:{line}"
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            if argument.value not in keys:
                missing.append(f"{where} {argument.value}")
        elif isinstance(argument, ast.JoinedStr):
            prefix = "".join(p.value for p in argument.values[:1] if isinstance(p, ast.Constant))
            if not prefix or not any(key.startswith(prefix) for key in keys):
                missing.append(f"{where} {ast.unparse(argument)}")
    assert missing == []


def test_every_message_in_the_catalogues_is_used() -> None:
    """Scans all of geo/ and api/ as they are, so a section other code fills is checked too.

    A key counts as used when the code spells it out anywhere (a call, a table of keys), or when
    a call builds it from an f-string whose fixed start it has (message(f"printing.side_{side}"),
    stage names by code); BUILT_FROM_VALUES lists the keys built from a value beforehand.
    """
    used = {text for text in literal_strings() if KEY.match(text)}
    prefixes = built_prefixes() | set(BUILT_FROM_VALUES)
    unused = [
        key
        for key in catalogue("en")
        if key not in used and not any(key.startswith(prefix) for prefix in prefixes)
    ]
    assert unused == []


class Anything:
    """A value any placeholder takes, whatever its conversion or format spec."""

    def __format__(self, spec: str) -> str:
        return "…"

    def __repr__(self) -> str:
        return "'…'"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_renders(language: str) -> None:
    """Each template is a valid format string: braces doubled, conversions known."""
    for key, template in catalogue(language).items():
        values = dict.fromkeys(placeholders(template), Anything())
        assert template.format_map(values), key


def test_english_messages_hold_no_chinese_but_the_glossary() -> None:
    stray = {
        key: run
        for key, text in catalogue("en").items()
        for run in CJK.findall(text)
        if run not in GLOSSARY
    }
    assert stray == {}


def test_every_chinese_message_is_in_chinese() -> None:
    same = [key for key, text in catalogue("zh").items() if not CJK.search(text)]
    assert same == []
