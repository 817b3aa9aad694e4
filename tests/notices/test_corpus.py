"""The corpus: notices written in the style of real ones, each read and scored field by field.

Every notice under tests/fixtures/notices/corpus has its answers beside it
(``<name>.expected.json``, read by hand). No notice may lose a parcel, and the fields together
must be read right at least 95% of the time; ``-s`` prints the table, a failure shows it too.
"""

import pytest

from geo.notices.corpus import differences, markdown, notices, score_corpus, score_notice
from tests.support.notice_builders import FIXTURES

CORPUS = FIXTURES / "corpus"
FORMATS = {"text", "html", "docx", "xlsx", "pdf"}


@pytest.fixture(scope="module")
def scores():
    found = score_corpus(CORPUS)
    print("\n" + markdown(found))
    return found


def test_the_corpus_is_varied(scores):
    assert len(scores) >= 15
    assert {item.format for item in scores} >= FORMATS
    assert len({item.document_type for item in scores}) >= 5
    assert {item.layout for item in scores} >= {"table", "flattened-table", "paragraphs"} | {
        "single-parcel"
    }


@pytest.mark.parametrize("path", notices(CORPUS), ids=lambda path: path.name)
def test_no_parcel_lost(path):
    item = score_notice(path)
    assert item.parcels == item.expected_parcels, "\n".join(item.score.differences)


def test_field_accuracy_at_least_95_percent(scores):
    compared = sum(item.score.compared for item in scores)
    right = sum(item.score.right for item in scores)
    assert right / compared >= 0.95, markdown(scores) + "\n\n" + differences(scores)
