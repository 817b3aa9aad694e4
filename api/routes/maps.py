"""Shareable maps."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import ReadSessionDep
from api.schemas import ERROR_RESPONSES

router = APIRouter(tags=["map"])


@router.get("/maps/parcels.html", response_class=HTMLResponse, responses=ERROR_RESPONSES)
def shareable_map(session: ReadSessionDep) -> HTMLResponse:
    """A self-contained HTML map of all parcels (folium, Leaflet inlined): works offline."""
    # folium (about 100 MB with its dependencies) loads on the first map, not in every worker.
    from geo.parcels.folium_map import parcels_map_from_db

    return HTMLResponse(
        parcels_map_from_db(session),
        headers={"Content-Disposition": 'inline; filename="zhengshou-parcels.html"'},
    )
