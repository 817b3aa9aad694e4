"""API settings: where the static map lives and how the app reaches PostGIS."""

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from geo.addresses.outside_geocoders import GeocoderSettings
from geo.db import DatabaseSettings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ApiSettings(BaseSettings):
    """Settings of the web app; environment variables carry the ``ZS_`` prefix."""

    model_config = SettingsConfigDict(env_prefix="ZS_", env_file=".env", extra="ignore")

    static_dir: Path = PROJECT_ROOT / "static"
    db: DatabaseSettings = Field(default_factory=DatabaseSettings)
    # Not named "geocoder": that would read ZS_GEOCODER, which belongs to GeocoderSettings.
    geocoding: GeocoderSettings = Field(default_factory=GeocoderSettings)
    # The map's tile layer. "none" draws the reference roads and rivers from the service, so the
    # page works with no internet access, as in many government office networks.
    basemap: Literal["none", "tianditu", "osm", "amap"] = "none"
    tianditu_tk: str | None = None
    """Tianditu browser key for the tile layer (public by design, unlike the geocoder key)."""
    tile_cache_mb: int = Field(default=32, ge=0)
    """Memory per worker for recently made vector tiles (ZS_TILE_CACHE_MB); 0 turns it off."""
    cors_origins: list[str] = []
    """Origins allowed to call the API from a browser (ZS_CORS_ORIGINS='["https://…"]'); none by
    default, since the map is served by the API itself."""
    session_hours: float = Field(default=8, gt=0, le=24 * 30)
    """How long a sign-in on the map page lasts (ZS_SESSION_HOURS), counted from the sign-in
    however busy the session is: a working day by default, then the planner signs in again."""
