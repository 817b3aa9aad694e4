"""The area check's rule in SQL (area_status_sql, which the plan summary counts with) judges every
parcel as the Python rule does, at the edge of the tolerance too."""

from sqlalchemy import text

from geo.checks.area import area_status_sql, check_areas
from tests.support.independent import MU_M2
from tests.support.plans import HANGZHOU, load_test_plans

STATUS_SQL = text(
    f"SELECT id, {area_status_sql('declared_area_mu', 'measured_area_m2')} AS status FROM parcels"
)


def test_sql_and_python_agree_on_every_parcel_and_tolerance(session):
    load_test_plans(session)  # parcels without a shape, and one without a declared area
    session.execute(
        text("UPDATE parcels SET declared_area_mu = NULL WHERE id = :id"),
        {"id": HANGZHOU.parcel_id(2)},
    )
    rounded = [
        abs(check.difference_pct)
        for check in check_areas(session).parcels
        if check.difference_pct is not None
    ]
    # Each parcel's exact difference, as the Python rule computes it: a tolerance right at it.
    rows = session.execute(
        text(
            "SELECT declared_area_mu, measured_area_m2 FROM parcels "
            "WHERE declared_area_mu IS NOT NULL AND measured_area_m2 IS NOT NULL"
        )
    ).all()
    exact = [abs((m2 / MU_M2 - float(declared)) / float(declared) * 100) for declared, m2 in rows]
    tolerances = [0.0, 1.0, 5.0, 10.0, 100.0, *rounded, *exact]
    statuses = set()
    for tolerance in tolerances:
        python = {check.id: check.status for check in check_areas(session, tolerance).parcels}
        sql = dict(session.execute(STATUS_SQL, {"tolerance_pct": tolerance}).all())
        assert sql == python, tolerance
        statuses |= set(sql.values())
    assert statuses == {"ok", "fail", "not_located", "not_declared"}
