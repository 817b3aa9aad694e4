"""What the map page needs to know about this deployment."""

from typing import Any

from fastapi import APIRouter

from api.deps import SettingsDep

router = APIRouter(tags=["map"])


@router.get("/config")
def map_config(settings: SettingsDep) -> dict[str, Any]:
    """The configured basemap (none, tianditu, osm or amap) and its browser key.

    The parcels' colours are at /api/v1/styles.
    """
    return {"basemap": settings.basemap, "tianditu_tk": settings.tianditu_tk}
