"""Plans out of PostGIS as JSON, each with its parcels counted, summed and bounded in one query.

Several plans from several cities share one database, and the map page picks one: it needs each
plan's region (to zoom to a plan none of whose parcels has a shape yet), the extent of its
located parcels, and its totals without loading the parcels.
"""

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.area import MU_M2
from geo.errors import PlanNotFound
from geo.messages import message
from geo.query import Query, fetch_value

# Per plan, over its parcels. count(geom) counts the located ones; sum() skips a declared area
# the notice does not state (NULL), and says so by being NULL when no parcel states one.
_TOTALS_SQL = """
    SELECT p.plan_id,
           count(*) AS total,
           count(p.geom) AS located,
           count(*) FILTER (WHERE p.declared_area_mu IS NULL) AS declared_unstated,
           sum(p.declared_area_mu) AS declared_mu,
           sum(p.measured_area_m2) AS measured_m2,
           ST_Extent(p.geom) AS extent
    FROM parcels p {where}
    GROUP BY p.plan_id"""

# One plan as a JSON object, over plans pl LEFT JOIN the totals t (absent for a plan without
# parcels). Keys in the order the API documents them.
_PLAN_JSON_SQL = f"""
json_build_object(
    'id', pl.id,
    'code', pl.code,
    'title', pl.title,
    'year', pl.year,
    'document_type', pl.document_type,
    'document_number', pl.document_number,
    'approval_number', pl.approval_number,
    'issuer', pl.issuer,
    'published_on', pl.published_on,
    'source_document', pl.source_document,
    'published_total_mu', pl.published_total_mu,
    'region', json_build_object(
        'province', pl.province,
        'city', pl.city,
        'county', pl.county,
        'adcode', pl.adcode,
        'longitude', pl.region_longitude,
        'latitude', pl.region_latitude
    ),
    'parcels', json_build_object(
        'total', coalesce(t.total, 0),
        'located', coalesce(t.located, 0),
        'not_located', coalesce(t.total - t.located, 0),
        'declared_unstated', coalesce(t.declared_unstated, 0),
        'declared_total_mu', t.declared_mu,
        'measured_total_mu', round((t.measured_m2 / {MU_M2!r})::numeric, 2)
    ),
    'bbox', CASE WHEN t.extent IS NULL THEN NULL ELSE json_build_array(
        round(ST_XMin(t.extent)::numeric, 7), round(ST_YMin(t.extent)::numeric, 7),
        round(ST_XMax(t.extent)::numeric, 7), round(ST_YMax(t.extent)::numeric, 7)
    ) END
)"""

PLANS_SQL = text(f"""
    WITH totals AS ({_TOTALS_SQL.format(where="")})
    SELECT json_build_object(
        'plans', coalesce(json_agg({_PLAN_JSON_SQL} ORDER BY pl.year, pl.id), '[]'::json)
    )::text
    FROM plans pl LEFT JOIN totals t ON t.plan_id = pl.id""")

# Only the one plan's parcels are summed (the plan_id index finds them). The outer SELECT always
# gives one row, NULL for an unknown code, on a session as on the async pool.
_ONE_PLAN_WHERE = "WHERE p.plan_id = (SELECT id FROM plans WHERE code = :code)"
PLAN_SQL = text(f"""
    WITH totals AS ({_TOTALS_SQL.format(where=_ONE_PLAN_WHERE)})
    SELECT (
        SELECT ({_PLAN_JSON_SQL})::text
        FROM plans pl LEFT JOIN totals t ON t.plan_id = pl.id
        WHERE pl.code = :code
    )""")

PLAN_EXISTS_SQL = text("SELECT EXISTS (SELECT 1 FROM plans WHERE code = :code)")

# The review a plan was committed from (NULL for a plan loaded from a parcels file), with the
# digest that identifies the file and corrections; NULL for an unknown code (one row always,
# on a session as on the async pool).
PLAN_NOTICE_SQL = text("""
    SELECT (
        SELECT json_build_object(
            'code', code, 'notice_sha256', notice_sha256, 'review', notice_review
        )::text
        FROM plans WHERE code = :code
    )""")


def plans_query() -> Query:
    """The statement whose value is ``{"plans": [...]}`` (text), in year then id order."""
    return Query(PLANS_SQL)


def plan_query(code: str) -> Query:
    """The statement whose value is one plan as JSON text, or NULL if no plan has the code."""
    return Query(PLAN_SQL, {"code": code})


def plan_notice_query(code: str) -> Query:
    """The statement whose value is the plan's committed notice review as JSON text."""
    return Query(PLAN_NOTICE_SQL, {"code": code})


def plan_exists_query(code: str) -> Query:
    """The statement whose value says whether a plan has this code."""
    return Query(PLAN_EXISTS_SQL, {"code": code})


def no_such_plan(code: str) -> PlanNotFound:
    """The error for a plan code that names no plan."""
    return PlanNotFound(message("plans.not_found", code=code))


def require_plan(session: Session, code: str) -> None:
    """Refuse a plan code that names no plan (a filter on it would silently match nothing)."""
    if not fetch_value(session, plan_exists_query(code)):
        raise no_such_plan(code)
