"""API settings: where the static map lives and how the app reaches PostGIS."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from geo.db import DatabaseSettings
from geo.geocoders import GeocoderSettings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ApiSettings(BaseSettings):
    """Settings of the web app; environment variables carry the ``ZS_`` prefix."""

    model_config = SettingsConfigDict(env_prefix="ZS_", env_file=".env", extra="ignore")

    static_dir: Path = PROJECT_ROOT / "static"
    db: DatabaseSettings = Field(default_factory=DatabaseSettings)
    geocoder: GeocoderSettings = Field(default_factory=GeocoderSettings)
