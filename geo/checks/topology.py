"""Topology audit, computed in PostGIS: validity, overlaps within a plan, slivers and small holes.

Areas and perimeters are in metres on each parcel's own Gauss-Kruger plane (``zone_epsg``), as
its measured area is; an overlap is measured on the plane of the first parcel of the pair.
"""

import math
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.messages import in_each_language

OVERLAP_MIN_M2 = 0.01
"""Overlaps below this (1 dm²) are rounding noise of shared edges, not real overlaps."""
SLIVER_MAX_M2 = 50.0
SLIVER_MIN_THINNESS = 0.05
"""Polsby-Popper compactness 4πA/P²: 1 for a circle, 0.785 for a square, near 0 for a sliver."""
HOLE_MAX_M2 = 50.0

INVALID_SQL = """
SELECT p.id, ST_IsValidReason(p.geom) AS reason FROM parcels p WHERE NOT ST_IsValid(p.geom)"""
# Pairs of parcels of a plan whose interiors meet, with the area they share. Parcels of a
# cadastral map touch their neighbours along shared edges, so most pairs the index finds touch
# without overlapping: ST_Relate's interior-interior test ('2********': they share an area)
# settles those, and only true overlaps pay for ST_Intersection and ST_Transform (about twice
# the cost). Pairs are ordered by id in byte order (COLLATE "C", the same order as the
# cluster's C.UTF-8); the collation also keeps the planner from walking the primary key for
# a.id < b.id, so it takes the GiST index and a parallel plan.
OVERLAP_SQL = """
SELECT a.id AS first, b.id AS second,
       ST_Area(ST_Transform(ST_Intersection(a.geom, b.geom), a.zone_epsg)) AS area_m2
FROM parcels a JOIN parcels b
  ON a.geom && b.geom AND a.plan_id = b.plan_id AND a.id < b.id COLLATE "C"
 AND ST_Relate(a.geom, b.geom, '2********')"""
PARTS_SQL = """
SELECT p.id, part.path[1] AS part, ST_Area(ST_Transform(part.geom, p.zone_epsg)) AS area_m2,
       ST_Perimeter(ST_Transform(part.geom, p.zone_epsg)) AS perimeter_m
FROM parcels p, ST_Dump(p.geom) AS part"""
HOLES_SQL = """
SELECT p.id, part.path[1] AS part, ring.path[1] AS ring,
       ST_Area(ST_Transform(ring.geom, p.zone_epsg)) AS area_m2
FROM parcels p, ST_Dump(p.geom) AS part, ST_DumpRings(part.geom) AS ring
WHERE ring.path[1] > 0"""
# One parcel's findings (the preview of a drawing, a parcel's own audit): the same statements
# kept to the pairs and parts it takes part in, so that the answer costs one parcel's worth.
ONE = "CAST(:parcel_id AS text) IS NULL OR {column} = :parcel_id"
# A parcel's overlaps: the pairs where it is first, then those where it is second, each found
# from its primary key and the GiST index (one "a.id = x OR b.id = x" would scan every pair).
ONE_PARCEL_OVERLAP_SQL = (
    f"{OVERLAP_SQL} WHERE a.id = :parcel_id\nUNION ALL {OVERLAP_SQL} WHERE b.id = :parcel_id"
)


@dataclass(frozen=True)
class TopologyIssue:
    """One topology finding; ``severity`` is fail for invalid shapes and overlaps, else warn."""

    kind: str
    parcel_ids: list[str]
    severity: str
    area_m2: float | None
    en: str
    zh: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def check_topology(
    session: Session,
    sliver_max_m2: float = SLIVER_MAX_M2,
    hole_max_m2: float = HOLE_MAX_M2,
    parcel_id: str | None = None,
) -> list[TopologyIssue]:
    """Every topology finding over the stored parcels, or those ``parcel_id`` takes part in."""
    one = {"parcel_id": parcel_id}
    issues = [
        TopologyIssue(
            "invalid",
            [row.id],
            "fail",
            None,
            **in_each_language("checks.invalid_geometry", reason=row.reason),
        )
        for row in session.execute(
            text(f"{INVALID_SQL} AND ({ONE.format(column='p.id')}) ORDER BY p.id"), one
        )
    ]
    pairs = OVERLAP_SQL if parcel_id is None else ONE_PARCEL_OVERLAP_SQL
    for row in session.execute(text(f"{pairs} ORDER BY first, second"), one):
        if row.area_m2 >= OVERLAP_MIN_M2:
            issues.append(
                TopologyIssue(
                    "overlap",
                    [row.first, row.second],
                    "fail",
                    round(row.area_m2, 2),
                    **in_each_language(
                        "checks.overlap", first=row.first, second=row.second, area_m2=row.area_m2
                    ),
                )
            )
    parts = f"{PARTS_SQL} WHERE {ONE.format(column='p.id')}"
    for row in session.execute(text(f"{parts} ORDER BY p.id, part"), one):
        thinness = 4 * math.pi * row.area_m2 / row.perimeter_m**2
        if row.area_m2 < sliver_max_m2 or thinness < SLIVER_MIN_THINNESS:
            issues.append(
                TopologyIssue(
                    "sliver",
                    [row.id],
                    "warn",
                    round(row.area_m2, 2),
                    **in_each_language(
                        "checks.sliver",
                        id=row.id,
                        part=row.part,
                        area_m2=row.area_m2,
                        thinness=thinness,
                    ),
                )
            )
    holes = f"{HOLES_SQL} AND ({ONE.format(column='p.id')})"
    for row in session.execute(text(f"{holes} ORDER BY p.id, part, ring"), one):
        if row.area_m2 < hole_max_m2:
            issues.append(
                TopologyIssue(
                    "hole",
                    [row.id],
                    "warn",
                    round(row.area_m2, 2),
                    **in_each_language("checks.small_hole", id=row.id, area_m2=row.area_m2),
                )
            )
    return issues
