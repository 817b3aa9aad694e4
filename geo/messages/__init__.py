"""Every sentence a person reads, in Simplified Chinese and in English: one catalogue per language.

The catalogues are ``zh.toml`` and ``en.toml`` beside this module, keyed by dotted names
(``errors.parcel_not_found``) with ``{placeholders}``. Code never spells a sentence out; it calls
:func:`message` with a key and the values. Which language is used is a context variable: the API
sets it per request from ``Accept-Language`` (Chinese when the request asks for ``zh``, English
otherwise), the CLI from ``--lang`` or ``LANG``. Error codes never change with the language.
"""

import os
import re
import string
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("zh", "en")
"""The languages there is a catalogue for."""
DEFAULT_LANGUAGE = "en"
"""Used when nothing asks for Chinese: API clients that send no Accept-Language, and scripts."""

_CATALOGUE_DIR = Path(__file__).parent
_current: ContextVar[str] = ContextVar("zhengshou_language", default=DEFAULT_LANGUAGE)


def _flatten(table: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in table.items():
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


@cache
def catalogue(language: str) -> dict[str, str]:
    """One language's messages by dotted key."""
    with (_CATALOGUE_DIR / f"{language}.toml").open("rb") as file:
        return dict(_flatten(tomllib.load(file)))


def placeholders(template: str) -> set[str]:
    """The names a message's template fills in."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def current_language() -> str:
    """The language of the request or command being served."""
    return _current.get()


@contextmanager
def use_language(language: str) -> Iterator[None]:
    """Render messages in this language inside the block."""
    token = _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def set_language(language: str) -> None:
    """Render messages in this language from now on in this context (a request, a command)."""
    _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def message(key: str, /, language: str | None = None, **values: Any) -> str:
    """The message ``key`` in the current (or given) language, with its placeholders filled.

    Templates are :meth:`str.format` templates, so ``{name!r}`` and ``{size:,}`` work as in an
    f-string, and a literal brace is written twice. A value that is a :class:`Term` is put in
    in the same language.
    """
    if language is not None and language != current_language():
        with use_language(language):
            return message(key, **values)
    return catalogue(current_language())[key].format_map(values)


@dataclass(frozen=True)
class Term:
    """A catalogue word put into another message, in that message's language.

    ``message("checks.side_far", side=Term("sides.east"), ...)`` reads "east side: …" in English
    and "东至…" in Chinese.
    """

    key: str

    def __format__(self, spec: str) -> str:
        return format(message(self.key), spec)

    def __str__(self) -> str:
        return message(self.key)


def in_each_language(key: str, /, **values: Any) -> dict[str, str]:
    """The message in every language, ``{"zh": …, "en": …}``, for answers that carry both."""
    return {language: message(key, language, **values) for language in LANGUAGES}


_ACCEPT_ITEM = re.compile(
    r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([^\s;,]+))?"
)


def language_from_accept(header: str | None) -> str:
    """The language an ``Accept-Language`` header asks for.

    ``zh`` when the most wanted language there is a catalogue for is Chinese (any zh-* tag),
    ``en`` otherwise, by the weights of RFC 9110 §12.5.4.
    """
    best, best_weight = DEFAULT_LANGUAGE, 0.0
    for item in (header or "").split(","):
        match = _ACCEPT_ITEM.match(item)
        if not match:
            continue
        try:
            weight = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        primary = match.group(1).split("-")[0].lower()
        if primary in LANGUAGES and weight > best_weight:
            best, best_weight = primary, weight
    return best


def language_from_environment(environ: Mapping[str, str] = os.environ) -> str:
    """The language a shell asks for, by POSIX precedence (LC_ALL, LC_MESSAGES, LANG)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE
