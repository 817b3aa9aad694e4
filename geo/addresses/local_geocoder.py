"""Geocoding with the local gazetteer in PostGIS.

Matching order: the exact address point, then interpolation along the road by house number,
then the road alone, then the district alone. The answer says which (``quality``) and how far
off the position may be (``uncertainty_m``). Addresses outside the area the gazetteer covers get
``quality: none`` with the reason, never a confident wrong answer.
"""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.addresses.parse import ParsedAddress
from geo.coords import LonLat
from geo.messages import message

QUALITIES = ("exact", "interpolated", "road", "district", "none")
COVERED_PROVINCE = "浙江省"
COVERED_CITY = "嘉兴市"


@dataclass
class Geocoded:
    """Where an address is, how good the match is, and what it matched."""

    quality: str
    location: LonLat | None = None
    uncertainty_m: float | None = None
    matched: str | None = None
    road: str | None = None
    district: str | None = None
    message: str = ""
    provider: str = "local"
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def is_point(self) -> bool:
        """Whether the match is precise enough to say inside or outside a parcel."""
        return self.quality in ("exact", "interpolated")


def outside_coverage(parsed: ParsedAddress) -> str | None:
    """Why an address lies outside the gazetteer's area, or None."""
    if parsed.province and parsed.province != COVERED_PROVINCE:
        return message("addresses.outside_coverage", place=parsed.province, covered=COVERED_CITY)
    if parsed.city and parsed.city != COVERED_CITY:
        return message("addresses.outside_coverage", place=parsed.city, covered=COVERED_CITY)
    return None


def _lonlat(row: Any) -> LonLat:
    return LonLat(round(row.lon, 7), round(row.lat, 7))


def match_address_point(session: Session, parsed: ParsedAddress) -> Geocoded | None:
    """The gazetteer's address point for road + house number (+ suffix), if there is one."""
    row = session.execute(
        text("""
            SELECT name, district, uncertainty_m, ST_X(geom) AS lon, ST_Y(geom) AS lat
            FROM gazetteer_entries
            WHERE kind = 'address' AND road = :road AND house_number = :number
              AND house_suffix IS NOT DISTINCT FROM CAST(:suffix AS text)
              AND (CAST(:district AS text) IS NULL OR district IS NULL OR district = :district)
            ORDER BY id LIMIT 1"""),
        {
            "road": parsed.road,
            "number": parsed.house_number,
            "suffix": parsed.house_suffix,
            "district": parsed.district,
        },
    ).one_or_none()
    if row is None:
        return None
    return Geocoded(
        "exact",
        _lonlat(row),
        row.uncertainty_m,
        message("addresses.matched_address_point", name=row.name),
        road=parsed.road,
        district=row.district,
    )


def interpolation_anchors(session: Session, road_id: int, number: int) -> list[tuple[int, float]]:
    """(house number, position 0..1 along the road) pairs on the same side (odd/even) as number.

    Known address points on the road are projected onto it; the road's own house-number range
    adds its two ends.
    """
    rows = session.execute(
        text("""
            SELECT a.house_number AS number,
                   ST_LineLocatePoint(ST_LineMerge(r.geom), a.geom) AS position
            FROM gazetteer_entries r
            JOIN gazetteer_entries a
              ON a.kind = 'address' AND a.road = r.name AND a.house_number % 2 = :parity
            WHERE r.id = :road_id AND ST_GeometryType(ST_LineMerge(r.geom)) = 'ST_LineString'
            UNION ALL
            SELECT unnest(CASE WHEN :parity = 1 THEN ARRAY[r.odd_from, r.odd_to]
                               ELSE ARRAY[r.even_from, r.even_to] END),
                   unnest(ARRAY[0.0, 1.0])
            FROM gazetteer_entries r
            WHERE r.id = :road_id AND ST_GeometryType(ST_LineMerge(r.geom)) = 'ST_LineString'"""),
        {"road_id": road_id, "parity": number % 2},
    ).all()
    return sorted((row.number, row.position) for row in rows if row.number is not None)


def bracket(anchors: list[tuple[int, float]], number: int) -> tuple[float, float] | None:
    """Linear position of ``number`` between the nearest anchors below and above it.

    Returns (position, half the span between the two anchors as a fraction of the road).

    >>> bracket([(10, 0.2), (20, 0.6)], 15)
    (0.4, 0.2)
    """
    below = [a for a in anchors if a[0] <= number]
    above = [a for a in anchors if a[0] >= number]
    if not below or not above:
        return None
    (low_number, low_pos), (high_number, high_pos) = below[-1], above[0]
    if low_number == high_number:
        return low_pos, 0.0
    share = (number - low_number) / (high_number - low_number)
    position = low_pos + share * (high_pos - low_pos)
    return round(position, 9), round(abs(high_pos - low_pos) / 2, 9)


def match_road(session: Session, parsed: ParsedAddress) -> Geocoded | None:
    """Interpolate the house number along the road, or fall back to the road alone."""
    road = session.execute(
        text("""
            SELECT id, name, district, uncertainty_m,
                   ST_Length(geom::geography) AS length_m,
                   ST_X(ST_ClosestPoint(geom, ST_Centroid(geom))) AS lon,
                   ST_Y(ST_ClosestPoint(geom, ST_Centroid(geom))) AS lat
            FROM gazetteer_entries
            WHERE kind = 'road' AND name = :road
              AND (CAST(:district AS text) IS NULL OR district IS NULL OR district = :district)
            ORDER BY id LIMIT 1"""),
        {"road": parsed.road, "district": parsed.district},
    ).one_or_none()
    if road is None:
        return None
    if parsed.house_number is not None:
        found = bracket(
            interpolation_anchors(session, road.id, parsed.house_number), parsed.house_number
        )
        if found is not None:
            position, half_span = found
            point = session.execute(
                text("""SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
                            SELECT ST_LineInterpolatePoint(ST_LineMerge(geom), :position) AS p
                            FROM gazetteer_entries WHERE id = :id) AS interpolated"""),
                {"id": road.id, "position": position},
            ).one()
            return Geocoded(
                "interpolated",
                _lonlat(point),
                road.uncertainty_m + half_span * road.length_m,
                message(
                    "addresses.matched_interpolated", road=road.name, number=parsed.house_number
                ),
                road=road.name,
                district=road.district,
            )
    return Geocoded(
        "road",
        _lonlat(road),
        road.uncertainty_m + road.length_m / 2,
        message("addresses.matched_road_only", road=road.name),
        road=road.name,
        district=road.district,
        message=message("addresses.road_only", road=road.name),
    )


def match_district(session: Session, parsed: ParsedAddress) -> Geocoded | None:
    """The district alone."""
    row = session.execute(
        text("""SELECT name, uncertainty_m,
                       ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
                FROM gazetteer_entries WHERE kind = 'district' AND name = :district
                ORDER BY id LIMIT 1"""),
        {"district": parsed.district},
    ).one_or_none()
    if row is None:
        return None
    return Geocoded(
        "district",
        _lonlat(row),
        row.uncertainty_m,
        message("addresses.matched_district_only", name=row.name),
        district=row.name,
        message=message("addresses.district_only", name=row.name),
    )


def geocode_local(session: Session, parsed: ParsedAddress) -> Geocoded:
    """Geocode a parsed address with the local gazetteer."""
    reason = outside_coverage(parsed)
    if reason:
        return Geocoded("none", message=reason)
    if parsed.road:
        if parsed.house_number is not None:
            exact = match_address_point(session, parsed)
            if exact:
                return exact
        on_road = match_road(session, parsed)
        if on_road:
            return on_road
    if parsed.district:
        district = match_district(session, parsed)
        if district:
            if parsed.road:
                district.message = (
                    message("addresses.road_not_in_gazetteer_prefix", road=parsed.road)
                    + district.message
                )
            return district
    if parsed.road:
        return Geocoded(
            "none", message=message("addresses.road_not_in_gazetteer", road=parsed.road)
        )
    return Geocoded(
        "none",
        message=message("addresses.nothing_to_place"),
    )
