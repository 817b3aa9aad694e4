"""Point look-up."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SessionDep
from api.schemas import ERROR_RESPONSES, LookupAnswer
from geo.coords import parse_crs
from geo.lookups import lookup_point

router = APIRouter(tags=["lookup"])


@router.get("/lookup", response_model=LookupAnswer, responses=ERROR_RESPONSES)
def lookup(
    session: SessionDep,
    lon: Annotated[float, Query(ge=-180, le=180, allow_inf_nan=False, description="Longitude")],
    lat: Annotated[float, Query(ge=-90, le=90, allow_inf_nan=False, description="Latitude")],
    crs: Annotated[
        str, Query(description="wgs84 (GPS), gcj02 (Amap, Tencent) or bd09 (Baidu)")
    ] = "wgs84",
) -> dict:
    """Does this point fall in a parcel? If not, which parcel is nearest, and how far (m)?"""
    return lookup_point(session, lon, lat, parse_crs(crs))
