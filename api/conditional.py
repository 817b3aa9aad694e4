"""HTTP conditional requests (RFC 9110 §13): If-Match on writes, If-None-Match on reads.

Both headers hold ``*`` or a list of entity tags. If-Match compares strongly (§13.1.1): a parcel's
ETag is its version, so only the strong tags naming the current version match, and a tag the
service never gave out matches nothing (412). If-None-Match compares weakly (§13.1.2): a read
whose ETag is listed answers 304 with no body.

The parser is written out because the grammar is one line and no dependency of the project
checks it (Werkzeug's ``parse_etags`` accepts anything, unquoted text included).
"""

import re
from dataclasses import dataclass

from fastapi import Request, Response

from geo.errors import InvalidInput
from geo.messages import message
from geo.parcels.preconditions import ExpectedVersions

# One list element: an entity-tag or nothing (RFC 9110 §5.6.1 allows empty elements), then a
# comma or the end. entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, and etagc = %x21 / %x23-7E /
# obs-text (§8.8.3).
LIST_ELEMENT = re.compile(r'[ \t]*(?:(W/)?"([\x21\x23-\x7e\x80-\xff]*)")?[ \t]*(,|\Z)')


@dataclass(frozen=True)
class EntityTag:
    """One entity tag: its opaque text and whether it is weak (``W/"..."``)."""

    opaque: str
    weak: bool = False

    def __str__(self) -> str:
        return f'{"W/" if self.weak else ""}"{self.opaque}"'


@dataclass(frozen=True)
class TagList:
    """A conditional header's value: ``*`` (any), or entity tags."""

    tags: tuple[EntityTag, ...] = ()
    any_tag: bool = False


def parse_tag_list(value: str) -> TagList | None:
    """``*`` or a comma-separated list of entity tags; None when it is neither."""
    if value.strip(" \t") == "*":
        return TagList(any_tag=True)
    tags = []
    position = 0
    while True:
        found = LIST_ELEMENT.match(value, position)
        if found is None:
            return None
        if found[2] is not None:
            tags.append(EntityTag(found[2], weak=found[1] is not None))
        if not found[3]:  # the end
            return TagList(tuple(tags))
        position = found.end()


def header_value(request: Request, name: str) -> str | None:
    """A list header's value, its field lines joined as RFC 9110 §5.3 allows; None if absent."""
    lines = request.headers.getlist(name)
    return ", ".join(lines) if lines else None


def version_of(tag: EntityTag) -> int | None:
    """The parcel version a tag names, if it is one the service gives out (strong, "3")."""
    digits = tag.opaque
    if tag.weak or not digits.isascii() or not digits.isdigit() or str(int(digits)) != digits:
        return None
    return int(digits)


def expected_versions(value: str | None) -> ExpectedVersions | None:
    """If-Match as the versions a write may apply to; None when the header is absent."""
    if value is None:
        return None
    tags = parse_tag_list(value)
    if tags is None:
        raise InvalidInput(message("http.if_match_malformed", value=value))
    if tags.any_tag:
        return ExpectedVersions(any_version=True, stated=("*",))
    versions = {version_of(tag) for tag in tags.tags} - {None}
    return ExpectedVersions(frozenset(versions), stated=tuple(str(tag) for tag in tags.tags))


def none_match(request: Request, etag: str) -> bool:
    """True when If-None-Match is ``*`` or lists ``etag`` (weak comparison).

    A malformed header is ignored: answering the full representation is always correct.
    """
    value = header_value(request, "if-none-match")
    tags = parse_tag_list(value) if value is not None else None
    if tags is None:
        return False
    ours = parse_tag_list(etag)
    if ours is None or len(ours.tags) != 1:
        return False
    return tags.any_tag or any(tag.opaque == ours.tags[0].opaque for tag in tags.tags)


def not_modified(headers: dict[str, str]) -> Response:
    """304: no body; the ETag (and caching headers) a 200 would have sent."""
    return Response(status_code=304, headers=headers)
