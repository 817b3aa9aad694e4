"""Side audit: does each feature the 四至 text names lie along the parcel, on the side it says?

PostGIS finds, for every feature a parcel's text names, the nearest reference feature or parcel
of that name (on the named side first) and its distance, on the parcel's own Gauss-Kruger plane
(its ``zone_epsg``), where distances are metres and north is up. The compass test then uses the
same reading of a side as the digitizer (geo.boundaries.sides).
"""

from dataclasses import asdict, dataclass
from typing import Any

from shapely import from_wkb
from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.boundaries.parsed import FeatureRef
from geo.boundaries.sides import NEAR_M, lies_on_side, side_part
from geo.messages import Term, in_each_language

SIDE_WORDS = {
    "east": "sides.east",
    "south": "sides.south",
    "west": "sides.west",
    "north": "sides.north",
}

# One row per feature named on a side, with the nearest thing of that name, if any.
NAMED_FEATURES_SQL = """
WITH named AS (
    SELECT p.id AS parcel_id, p.plan_id, side.key AS side, ref.ord, ref.value AS ref,
           p.zone_epsg, ST_Transform(p.geom, p.zone_epsg) AS parcel_geom
    FROM parcels p,
         jsonb_each(p.boundaries -> 'boundaries') AS side,
         jsonb_array_elements(side.value) WITH ORDINALITY AS ref(value, ord)
    WHERE (CAST(:parcel_id AS text) IS NULL OR p.id = :parcel_id)
      AND p.geom IS NOT NULL  -- a parcel not yet located has no sides to check
)
SELECT named.parcel_id, named.side, named.ord, named.ref,
       ST_AsBinary(named.parcel_geom) AS parcel_wkb,
       nearest.label, ST_AsBinary(nearest.geom) AS feature_wkb,
       ST_Distance(nearest.geom, named.parcel_geom) AS distance_m
FROM named
LEFT JOIN LATERAL (
    SELECT candidate.label, candidate.geom FROM (
        SELECT r.name || ' (' || r.kind || ')' AS label,
               ST_Transform(r.geom, named.zone_epsg) AS geom
        FROM reference_features r WHERE r.name = named.ref ->> 'name'
        UNION ALL
        SELECT 'parcel ' || o.id, ST_Transform(o.geom, named.zone_epsg)
        FROM parcels o
        WHERE o.plan_id = named.plan_id AND o.id <> named.parcel_id AND o.name = named.ref ->> 'name'
          AND o.geom IS NOT NULL
    ) AS candidate,
    LATERAL (SELECT ST_ClosestPoint(candidate.geom, ST_Centroid(named.parcel_geom)) AS point,
                    ST_Centroid(named.parcel_geom) AS centre) AS near
    -- A shared name (围墙 on two sides) means the one on the named side, then the nearest.
    ORDER BY CASE named.side
                 WHEN 'east' THEN ST_X(near.point) - ST_X(near.centre)
                 WHEN 'west' THEN ST_X(near.centre) - ST_X(near.point)
                 WHEN 'north' THEN ST_Y(near.point) - ST_Y(near.centre)
                 ELSE ST_Y(near.centre) - ST_Y(near.point)
             END > 0 DESC,
             candidate.geom <-> named.parcel_geom
    LIMIT 1
) AS nearest ON TRUE
ORDER BY named.parcel_id,
         array_position(ARRAY['east', 'south', 'west', 'north'], named.side), named.ord"""


@dataclass(frozen=True)
class SideCheck:
    """One named feature on one side of one parcel, and whether it is where the text says."""

    parcel_id: str
    side: str
    name: str
    status: str
    matched: str | None
    distance_m: float | None
    en: str
    zh: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def feature_ref(data: dict[str, Any]) -> FeatureRef:
    """A FeatureRef back from its stored JSON form."""
    return FeatureRef(
        text=data["text"],
        name=data["name"],
        kind=data.get("kind"),
        qualifiers=tuple(data.get("qualifiers", ())),
        notes=tuple(data.get("notes", ())),
    )


def judge(row: Any, near_m: float) -> SideCheck:
    """Decide one row: unresolved (warn), too far or wrong side (fail), or ok."""
    ref = feature_ref(row.ref)
    side = Term(SIDE_WORDS[row.side])

    def result(status: str, key: str, **values: Any) -> SideCheck:
        distance = None if row.distance_m is None else round(row.distance_m, 1)
        texts = in_each_language(key, side=side, name=ref.name, **values)
        return SideCheck(row.parcel_id, row.side, ref.name, status, row.label, distance, **texts)

    if row.label is None:
        return result("warn", "checks.side_not_in_reference")
    if row.distance_m > near_m:
        return result("fail", "checks.side_too_far", distance_m=row.distance_m, near_m=near_m)
    part = side_part(ref, row.side, from_wkb(bytes(row.feature_wkb)))
    if not lies_on_side(part, from_wkb(bytes(row.parcel_wkb)), row.side, near_m):
        return result("fail", "checks.side_wrong")
    return result("ok", "checks.side_ok")


def check_sides(
    session: Session, parcel_id: str | None = None, near_m: float = NEAR_M
) -> list[SideCheck]:
    """Side checks for every stored parcel, or for one."""
    rows = session.execute(text(NAMED_FEATURES_SQL), {"parcel_id": parcel_id})
    return [judge(row, near_m) for row in rows]
