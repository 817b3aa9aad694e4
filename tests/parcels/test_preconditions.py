"""The versions a write names, checked against the current one (geo/parcels/preconditions.py)."""

import pytest

from geo.errors import PreconditionRequired, VersionConflict
from geo.messages import use_language
from geo.parcels.preconditions import ExpectedVersions, admits, check_version


def test_a_named_version_or_any_is_admitted():
    check_version(4, 4, "JX2022-01")
    check_version(4, ExpectedVersions(frozenset({2, 4})), "JX2022-01")
    check_version(4, ExpectedVersions(any_version=True, stated=("*",)), "JX2022-01")


def test_admits_takes_a_plain_version_too():
    assert admits(4, 4) and not admits(3, 4) and not admits(None, 4)
    assert admits(ExpectedVersions(any_version=True), 4)
    assert not admits(ExpectedVersions(frozenset()), 4)


def test_no_precondition_is_428s_error():
    with pytest.raises(PreconditionRequired):
        check_version(4, None, "JX2022-01")


def test_one_stale_version_says_the_parcel_changed():
    with pytest.raises(VersionConflict, match="changed since you read it") as refused:
        check_version(4, 3, "JX2022-01")
    assert refused.value.details() == {"current_version": 4}


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", ["no current version", '"4"', 'W/"x"']), ("zh", ["当前版本", '"4"', 'W/"x"'])],
)
def test_tags_that_name_no_version_are_refused_with_the_current_one(language, words):
    never_given = ExpectedVersions(frozenset(), stated=('"abc"', 'W/"x"'))
    with use_language(language), pytest.raises(VersionConflict) as refused:
        check_version(4, never_given, "JX2022-01")
    for word in words:
        assert word in str(refused.value)
    assert refused.value.details() == {"current_version": 4}
