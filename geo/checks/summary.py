"""Area and topology checks as counts, for any number of parcels: each one SQL statement.

The per-parcel reports (``geo.checks.area``, ``geo.checks.topology``, ``geo.checks.audit``) list every parcel and
every finding, which suits a plan of 13 parcels and not a province of a million. Here PostGIS
aggregates: how many parcels pass or fail, the worst few with their figures, and how long each
check took, so that a check over 1,000,000 parcels answers in seconds to minutes with no Python
loop over rows.
"""

import time
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.area import MU_M2
from geo.checks.area import DEFAULT_TOLERANCE_PCT
from geo.checks.topology import (
    HOLE_MAX_M2,
    HOLES_SQL,
    INVALID_SQL,
    OVERLAP_MIN_M2,
    OVERLAP_SQL,
    PARTS_SQL,
    SLIVER_MAX_M2,
    SLIVER_MIN_THINNESS,
)
from geo.errors import InvalidInput
from geo.messages import message

WORST = 10
"""How many of the worst findings each check names."""

AREA_SQL = f"""
WITH checked AS (
    SELECT p.id, p.declared_area_mu::float8 AS declared_mu,
           p.measured_area_m2 / {MU_M2!r} AS measured_mu
    FROM parcels p
), rated AS (
    SELECT *, (measured_mu - declared_mu) / declared_mu * 100 AS difference_pct FROM checked
)
SELECT count(*) AS parcels,
       count(*) FILTER (WHERE abs(difference_pct) <= :tolerance) AS ok,
       count(*) FILTER (WHERE abs(difference_pct) > :tolerance) AS fail,
       count(*) FILTER (WHERE measured_mu IS NULL) AS not_located,
       (SELECT coalesce(json_agg(w ORDER BY abs(w.difference_pct) DESC, w.id), '[]') FROM (
            SELECT id, round(declared_mu::numeric, 2) AS declared_area_mu,
                   round(measured_mu::numeric, 2) AS measured_area_mu,
                   round(difference_pct::numeric, 2) AS difference_pct
            FROM rated WHERE measured_mu IS NOT NULL
            ORDER BY abs(difference_pct) DESC, id LIMIT {WORST}) AS w) AS worst
FROM rated"""
PLAN_TOTALS_SQL = """
SELECT coalesce(json_agg(t ORDER BY t.plan), '[]') FROM (
    SELECT pl.title AS plan, count(p.id) AS parcels, sum(p.declared_area_mu) AS declared_sum_mu,
           pl.published_total_mu,
           count(p.id) FILTER (WHERE p.geom IS NULL) AS not_located,
           CASE WHEN pl.published_total_mu IS NULL THEN 'unknown'
                WHEN sum(p.declared_area_mu) = pl.published_total_mu THEN 'ok' ELSE 'fail'
           END AS status
    FROM plans pl LEFT JOIN parcels p ON p.plan_id = pl.id
    GROUP BY pl.id) AS t"""
INVALID_SUMMARY_SQL = f"""
SELECT count(*), coalesce(json_agg(i ORDER BY n) FILTER (WHERE n <= {WORST}), '[]')
FROM (SELECT *, row_number() OVER (ORDER BY id) AS n FROM ({INVALID_SQL}) AS x) AS i"""
# The threshold is applied in the aggregates, not as a WHERE on area_m2: PostgreSQL would push
# such a filter down beside the projection and compute each pair's intersection twice.
OVERLAP_SUMMARY_SQL = f"""
SELECT count(*) FILTER (WHERE counted), coalesce(sum(area_m2) FILTER (WHERE counted), 0),
       coalesce(json_agg(json_build_object('first', first, 'second', second, 'area_m2', area_m2,
                                           'n', n) ORDER BY n)
                FILTER (WHERE counted AND n <= {WORST}), '[]')
FROM (SELECT first, second, round(area_m2::numeric, 2) AS area_m2,
             area_m2 >= :overlap_min AS counted,
             row_number() OVER (ORDER BY area_m2 DESC, first, second) AS n
      FROM ({OVERLAP_SQL}) AS x) AS o"""
SLIVER_SUMMARY_SQL = f"""
SELECT count(*) FROM ({PARTS_SQL}) AS x
WHERE area_m2 < :sliver_max OR 4 * pi() * area_m2 / (perimeter_m ^ 2) < :thinness"""
HOLE_SUMMARY_SQL = f"SELECT count(*) FROM ({HOLES_SQL}) AS x WHERE area_m2 < :hole_max"


def check_summary(
    session: Session, tolerance_pct: float = DEFAULT_TOLERANCE_PCT, overlaps: bool = True
) -> dict[str, Any]:
    """Counts, the worst findings and the seconds each check took, all computed in PostGIS.

    The overlap check costs time per pair of touching parcels, not per parcel: where parcels
    pile up (the benchmark's synthetic million has about 58 neighbours each), it can take hours;
    ``overlaps=False`` leaves it out and says so.
    """
    if not 0 <= tolerance_pct <= 100:
        raise InvalidInput(message("checks.tolerance_range", tolerance_pct=tolerance_pct))
    seconds: dict[str, float] = {}

    def timed(name: str, sql: str, **params: Any) -> Any:
        started = time.perf_counter()
        row = session.execute(text(sql), params).one()
        seconds[name] = round(time.perf_counter() - started, 3)
        return row

    area = timed("area", AREA_SQL, tolerance=tolerance_pct)
    (plans,) = timed("plan_totals", PLAN_TOTALS_SQL)
    for plan in plans:  # said only when some parcel has no shape: the answer is otherwise as before
        if not plan["not_located"]:
            del plan["not_located"]
    invalid = timed("invalid", INVALID_SUMMARY_SQL)
    pairs = (
        timed("overlaps", OVERLAP_SUMMARY_SQL, overlap_min=OVERLAP_MIN_M2)
        if overlaps
        else (None, None, message("checks.overlaps_left_out"))
    )
    (slivers,) = timed(
        "slivers", SLIVER_SUMMARY_SQL, sliver_max=SLIVER_MAX_M2, thinness=SLIVER_MIN_THINNESS
    )
    (holes,) = timed("holes", HOLE_SUMMARY_SQL, hole_max=HOLE_MAX_M2)
    return {
        "area": {
            "method": message("checks.area_method"),
            "tolerance_pct": tolerance_pct,
            "parcels": area.parcels,
            "ok": area.ok,
            "fail": area.fail,
            **({"not_located": area.not_located} if area.not_located else {}),
            "worst": area.worst,
            "plans": plans,
        },
        "topology": {
            "invalid": invalid[0],
            "invalid_first": invalid[1],
            "overlapping_pairs": pairs[0],
            "overlap_total_m2": None if pairs[1] is None else round(float(pairs[1]), 2),
            "largest_overlaps": pairs[2],
            "slivers": slivers,
            "small_holes": holes,
            "thresholds": {
                "overlap_min_m2": OVERLAP_MIN_M2,
                "sliver_max_m2": SLIVER_MAX_M2,
                "sliver_min_compactness": SLIVER_MIN_THINNESS,
                "hole_max_m2": HOLE_MAX_M2,
            },
        },
        "seconds": seconds,
    }
