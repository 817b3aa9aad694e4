"""Liveness and readiness."""

from fastapi import APIRouter
from sqlalchemy import text

from api.deps import SessionDep
from api.schemas import ERROR_RESPONSES, Health
from geo.parcels.reads import parcel_count

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, responses=ERROR_RESPONSES)
def healthz(session: SessionDep) -> Health:
    """Database reachable, PostGIS present, and how many parcels are stored."""
    postgis = session.execute(text("SELECT postgis_lib_version()")).scalar_one()
    return Health(status="ok", database="ok", postgis=postgis, parcels=parcel_count(session))
