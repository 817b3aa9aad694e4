"""The reference layer the 四至 texts name: roads, rivers, walls, estates, addresses."""

from fastapi import APIRouter, Response

from api.deps import ReadSessionDep
from api.schemas import ERROR_RESPONSES, GEOJSON, GEOJSON_RESPONSE
from geo.boundaries.reference import reference_collection_json

# "parcels" first, as /docs has always listed it (generated clients name classes by first tag).
router = APIRouter(tags=["parcels", "reference"])


@router.get("/reference", responses=GEOJSON_RESPONSE | ERROR_RESPONSES)
def reference_layer(session: ReadSessionDep) -> Response:
    """The reference layer (roads, rivers, walls, estates, addresses) the 四至 texts name."""
    return Response(reference_collection_json(session), media_type=GEOJSON)
