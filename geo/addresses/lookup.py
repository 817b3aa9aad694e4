"""Answer "does this address fall in an expropriation parcel?": parse, geocode, look up.

A point match (exact or interpolated) gets the same answer as a point look-up. A road or
district match is too coarse to say inside or outside: ``inside`` stays null and the parcels
along the road, or in the area the match may cover, are listed instead.
"""

from typing import Any

from sqlalchemy.orm import Session

from geo.addresses.local_geocoder import Geocoded, geocode_local
from geo.addresses.outside_geocoders import ExternalGeocoder, quality_word
from geo.addresses.parse import parse_address
from geo.messages import message
from geo.parcels.lookup import parcels_near_road, parcels_within, point_answer
from geo.parcels.reads import GEOMETRY_NOTICE

ROAD_CORRIDOR_M = 50.0
"""A parcel is "along" a road when it comes within this distance of the road's centreline."""


def nearby_parcels(session: Session, geocoded: Geocoded) -> dict[str, Any]:
    """The parcels a coarse match could concern, and on what basis."""
    if geocoded.quality == "road" and geocoded.provider == "local" and geocoded.road:
        return {
            "basis": message(
                "addresses.basis_road", corridor_m=ROAD_CORRIDOR_M, road=geocoded.road
            ),
            "parcels": parcels_near_road(session, geocoded.road, ROAD_CORRIDOR_M),
        }
    radius = geocoded.uncertainty_m or 0.0
    return {
        "basis": message(
            "addresses.basis_radius", quality=quality_word(geocoded.quality), radius=radius
        ),
        "parcels": parcels_within(session, geocoded.location, radius) if geocoded.location else [],
    }


def lookup_address(
    session: Session, address: str, geocoder: ExternalGeocoder | None = None
) -> dict[str, Any]:
    """Geocode an address (local gazetteer unless an external geocoder is given) and look it up."""
    parsed = parse_address(address)
    geocoded = geocoder.geocode(parsed.normalized) if geocoder else geocode_local(session, parsed)
    answer: dict[str, Any] = {
        "address": parsed.to_dict(),
        "geocoder": geocoded.provider,
        "quality": geocoded.quality,
        "uncertainty_m": None if geocoded.uncertainty_m is None else round(geocoded.uncertainty_m),
        "matched": geocoded.matched,
        "message": geocoded.message,
        "location": None,
        "inside": None,
        "parcels": [],
        "nearest": None,
        "nearby": None,
    }
    if geocoded.is_point and geocoded.location:
        answer |= point_answer(session, geocoded.location)
    elif geocoded.quality in ("road", "district") and geocoded.location:
        answer["location"] = {
            "lon": geocoded.location.lon,
            "lat": geocoded.location.lat,
            "crs": "wgs84",
        }
        answer["nearby"] = nearby_parcels(session, geocoded)
    return answer | {"geometry_notice": GEOMETRY_NOTICE}
