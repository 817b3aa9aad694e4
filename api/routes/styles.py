"""The colours of the parcels on every map: blocks and stages, with their labels."""

from typing import Any

from fastapi import APIRouter

from api.deps import ReadSessionDep
from api.schemas import ERROR_RESPONSES
from geo.parcels.styles import style_document

router = APIRouter(tags=["map"])


@router.get("/styles", responses=ERROR_RESPONSES)
def parcel_styles(session: ReadSessionDep) -> dict[str, Any]:
    """A distinct colour for every block in the database and a fixed one for every stage.

    The map page colours parcels with these in both its modes (GeoJSON and vector tiles), and
    the TileJSON carries the same document as ``zhengshou:styles``. Each entry gives its value,
    colour, label (in the request's language and in each language) and the plans (codes) that
    have parcels in it.
    """
    return style_document(session)
