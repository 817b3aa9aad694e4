"""Every notice of the corpus goes into the database with every parcel and its fields as read.

The corpus (tests/fixtures/notices/corpus) is scored field by field in tests/notices; here each
notice is written, so that "no parcel lost" holds for what is stored, not only for what is read.
"""

from decimal import Decimal

import pytest
from sqlalchemy import text

from geo.intake.notice_ingest import ingest_notice_file
from geo.notices.corpus import notices
from tests.support.files import read_json
from tests.support.notice_corpus_office import CORPUS


def expected_for(path):
    return read_json(path.with_name(path.name.split(".")[0] + ".expected.json"))


@pytest.mark.parametrize("path", notices(CORPUS), ids=lambda path: path.name)
def test_each_corpus_notice_is_written_with_every_parcel(session, path):
    expected = expected_for(path)
    code = f"C{path.name[:2]}"
    result = ingest_notice_file(session, path.read_bytes(), path.name, code=code)
    wanted = expected["parcels"]
    assert result.load.inserted == len(wanted)
    rows = session.execute(
        text(
            "SELECT p.name, p.block, p.boundary_text, p.declared_area_mu, p.interest_type, "
            "p.implementing_unit, p.geometry_source, p.geometry_note "
            "FROM parcels p JOIN plans pl ON pl.id = p.plan_id WHERE pl.code = :code "
            "ORDER BY p.seq"
        ),
        {"code": code},
    ).all()
    assert len(rows) == len(wanted)
    for row, parcel in zip(rows, wanted, strict=True):
        assert row.boundary_text == parcel["boundary"]
        assert row.implementing_unit == parcel["implementer"]
        assert row.interest_type == parcel["purpose"]
        if parcel["mu"] is not None:
            assert row.declared_area_mu == Decimal(parcel["mu"]).quantize(Decimal("0.01"))
        assert row.name == (parcel["name"] or parcel["place"] or row.name)
        # None of these invented or real-named counties has reference features here.
        assert row.geometry_source == "none" and row.geometry_note
    plan = session.execute(
        text("SELECT document_type, document_number, issuer FROM plans WHERE code = :c"),
        {"c": code},
    ).one()
    assert plan.document_type == expected["plan"]["document_type"]
    assert plan.document_number == expected["plan"]["document_number"]
    assert plan.issuer == expected["plan"]["issuer"]
