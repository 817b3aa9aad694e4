"""What a writer says it read: the parcel versions a change may apply to (optimistic concurrency).

A write names the versions it read (the API takes them from If-Match's entity tags), or any
version (``If-Match: *``). A write naming none is refused as a precondition missing; a write whose
versions do not include the current one is refused with the current version, whether the parcel
changed meanwhile or the writer named something that was never a version.
"""

from dataclasses import dataclass

from geo.errors import PreconditionRequired, VersionConflict
from geo.messages import message


@dataclass(frozen=True)
class ExpectedVersions:
    """The versions a change may apply to; ``stated`` is how the writer named them."""

    versions: frozenset[int] = frozenset()
    any_version: bool = False
    stated: tuple[str, ...] = ()

    @classmethod
    def exactly(cls, version: int) -> "ExpectedVersions":
        """One version, as the CLI and scripts give it."""
        return cls(frozenset({version}), stated=(f'"{version}"',))

    def admit(self, current: int) -> bool:
        """True when a change may apply to the parcel at version ``current``."""
        return self.any_version or current in self.versions


def admits(expected: ExpectedVersions | int | None, current: int) -> bool:
    """True when a write naming ``expected`` may apply to the parcel at version ``current``."""
    if expected is None:
        return False
    if isinstance(expected, int):
        return expected == current
    return expected.admit(current)


def check_version(current: int, expected: ExpectedVersions | int | None, parcel_id: str) -> None:
    """Refuse a change unless the writer named the parcel's current version (or any)."""
    if expected is None:
        raise PreconditionRequired(message("parcels.if_match_needed", parcel_id=parcel_id))
    if admits(expected, current):
        return
    if isinstance(expected, int):
        expected = ExpectedVersions.exactly(expected)
    if len(expected.stated) == 1 and len(expected.versions) == 1:
        (version,) = expected.versions
        raise VersionConflict(
            message(
                "parcels.version_conflict", expected=version, parcel_id=parcel_id, current=current
            ),
            current,
        )
    raise VersionConflict(
        message(
            "http.if_match_unmatched",
            tags=", ".join(expected.stated) or message("http.no_entity_tag"),
            parcel_id=parcel_id,
            current=current,
        ),
        current,
    )
