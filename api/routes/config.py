"""What the map page needs to know about this deployment."""

from typing import Any

from fastapi import APIRouter

from api.deps import SettingsDep
from geo.parcels.styles import BLOCK_PALETTE

router = APIRouter(tags=["map"])


@router.get("/config")
def map_config(settings: SettingsDep) -> dict[str, Any]:
    """The configured basemap (none, tianditu, osm or amap), its browser key, and the palette.

    Blocks take the palette's colours in the order they first appear in the plan, as in the
    shareable folium map.
    """
    return {
        "basemap": settings.basemap,
        "tianditu_tk": settings.tianditu_tk,
        "block_palette": list(BLOCK_PALETTE),
    }
