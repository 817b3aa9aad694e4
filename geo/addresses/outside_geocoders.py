"""External geocoders behind one interface: Tianditu (天地图) and Amap (高德).

They are off by default; the local gazetteer is the default geocoder. Chosen by configuration
(``ZS_GEOCODER=local|tianditu|amap``) with the key from the environment, a timeout, and plain
errors when the key is missing or the service fails. Tianditu answers in CGCS2000, which zhengshou
treats as WGS84; Amap answers in GCJ-02, converted to WGS84 before any parcel look-up.
"""

import json
from abc import ABC, abstractmethod
from typing import Any, Protocol

import httpx
from pydantic_settings import BaseSettings, SettingsConfigDict

from geo.addresses.local_geocoder import Geocoded
from geo.coords import InputCrs, LonLat, to_wgs84
from geo.errors import GeocoderUnavailable
from geo.messages import message

# What each provider's match level means for us; anything else is too coarse ("none").
TIANDITU_LEVELS = {
    "门址": "exact",
    "门牌号": "exact",
    "兴趣点": "exact",
    "道路": "road",
    "道路交叉口": "road",
    "区县": "district",
    "乡镇": "district",
}
AMAP_LEVELS = {
    "门牌号": "exact",
    "单元号": "exact",
    "楼栋": "exact",
    "门址": "exact",
    "兴趣点": "exact",
    "道路": "road",
    "道路交叉路口": "road",
    "区县": "district",
    "开发区": "district",
    "乡镇": "district",
}
# Without survey-grade data from the provider we assume typical errors for each level.
LEVEL_UNCERTAINTY_M = {"exact": 50.0, "road": 1000.0, "district": 10000.0}
QUALITY_WORDS = {"road": "addresses.quality_road", "district": "addresses.quality_district"}


def quality_word(quality: str) -> str:
    """A coarse match's level (road, district) in the reader's language."""
    return message(QUALITY_WORDS[quality]) if quality in QUALITY_WORDS else quality


class GeocoderSettings(BaseSettings):
    """Which geocoder to use and how to reach the external ones."""

    model_config = SettingsConfigDict(env_prefix="ZS_", env_file=".env", extra="ignore")

    geocoder: str = "local"
    geocoder_timeout_s: float = 5.0
    tianditu_key: str | None = None
    tianditu_url: str = "https://api.tianditu.gov.cn/geocoder"
    amap_key: str | None = None
    amap_url: str = "https://restapi.amap.com/v3/geocode/geo"


class ExternalGeocoder(Protocol):
    """A geocoding web service."""

    name: str

    def geocode(self, address: str) -> Geocoded:
        """Geocode one address text."""
        ...


def _get_json(url: str, params: dict[str, str], timeout_s: float, provider: str) -> Any:
    try:
        response = httpx.get(url, params=params, timeout=timeout_s)
    except httpx.TimeoutException:
        raise GeocoderUnavailable(
            message("addresses.geocoder_timeout", timeout_s=timeout_s, provider=provider)
        ) from None
    except httpx.HTTPError as exc:
        raise GeocoderUnavailable(
            message("addresses.geocoder_unreachable", error=type(exc).__name__, provider=provider)
        ) from None
    if response.status_code != 200:
        raise GeocoderUnavailable(
            message("addresses.geocoder_http", status=response.status_code, provider=provider)
        )
    try:
        return response.json()
    except ValueError:
        raise GeocoderUnavailable(
            message("addresses.geocoder_not_json", provider=provider)
        ) from None


def _result(provider: str, quality: str, location: LonLat, matched: str) -> Geocoded:
    if quality == "none":
        return Geocoded(
            "none",
            provider=provider,
            matched=matched,
            message=message("addresses.geocoder_too_coarse", provider=provider),
        )
    note = (
        ""
        if quality == "exact"
        else message("addresses.geocoder_coarse", quality=quality_word(quality), provider=provider)
    )
    return Geocoded(
        quality, location, LEVEL_UNCERTAINTY_M[quality], matched, provider=provider, message=note
    )


class WebGeocoder(ABC):
    """A geocoder behind one HTTP GET that answers JSON; each provider asks and reads its own way."""

    name: str

    def __init__(self, key: str, url: str, timeout_s: float) -> None:
        self.key, self.url, self.timeout_s = key, url, timeout_s

    @abstractmethod
    def request_params(self, address: str) -> dict[str, str]:
        """The query parameters that ask for one address."""

    @abstractmethod
    def parse(self, body: Any) -> Geocoded:
        """Turn the provider's answer into a Geocoded, or raise GeocoderUnavailable."""

    def geocode(self, address: str) -> Geocoded:
        """Geocode one address text."""
        body = _get_json(self.url, self.request_params(address), self.timeout_s, self.name)
        return self.parse(body)


class TiandituGeocoder(WebGeocoder):
    """天地图 geocoder (CGCS2000 coordinates, treated as WGS84)."""

    name = "tianditu"

    def request_params(self, address: str) -> dict[str, str]:
        """Query parameters: the address goes in a JSON ``ds`` object."""
        return {"ds": json.dumps({"keyWord": address}, ensure_ascii=False), "tk": self.key}

    def parse(self, body: Any) -> Geocoded:
        """Turn a Tianditu answer into a Geocoded, or raise GeocoderUnavailable."""
        if not isinstance(body, dict) or str(body.get("status")) != "0":
            reason = body.get("msg") if isinstance(body, dict) else None
            raise GeocoderUnavailable(
                message(
                    "addresses.tianditu_refused", reason=reason or message("addresses.no_reason")
                )
            )
        found = body.get("location")
        if not isinstance(found, dict):
            return Geocoded(
                "none", provider=self.name, message=message("addresses.tianditu_no_match")
            )
        try:
            location = LonLat(float(found["lon"]), float(found["lat"]))
        except (KeyError, TypeError, ValueError):
            raise GeocoderUnavailable(message("addresses.tianditu_no_coordinates")) from None
        level = str(found.get("level", ""))
        return _result(
            self.name,
            TIANDITU_LEVELS.get(level, "none"),
            location,
            f"{found.get('keyWord', '')} ({level})",
        )


class AmapGeocoder(WebGeocoder):
    """高德 geocoder (GCJ-02 coordinates, converted to WGS84)."""

    name = "amap"

    def request_params(self, address: str) -> dict[str, str]:
        """Query parameters, restricted to Jiaxing."""
        return {"address": address, "city": "嘉兴", "key": self.key, "output": "JSON"}

    def parse(self, body: Any) -> Geocoded:
        """Turn an Amap answer into a Geocoded, or raise GeocoderUnavailable."""
        if not isinstance(body, dict) or str(body.get("status")) != "1":
            info = body.get("info") if isinstance(body, dict) else None
            raise GeocoderUnavailable(
                message("addresses.amap_refused", reason=info or message("addresses.no_reason"))
            )
        geocodes = body.get("geocodes") or []
        if not geocodes:
            return Geocoded("none", provider=self.name, message=message("addresses.amap_no_match"))
        first = geocodes[0]
        try:
            lon, lat = (float(v) for v in str(first["location"]).split(","))
        except (KeyError, TypeError, ValueError):
            raise GeocoderUnavailable(message("addresses.amap_no_coordinates")) from None
        level = str(first.get("level", ""))
        location = to_wgs84(lon, lat, InputCrs.GCJ02)
        return _result(
            self.name,
            AMAP_LEVELS.get(level, "none"),
            location,
            f"{first.get('formatted_address', '')} ({level})",
        )


def _key(settings: GeocoderSettings, provider: str) -> str:
    key = getattr(settings, f"{provider}_key")
    if not key:
        raise GeocoderUnavailable(
            message(
                "addresses.geocoder_key_missing",
                key=f"ZS_{provider.upper()}_KEY",
                provider=provider,
            )
        )
    return key


def external_geocoder(settings: GeocoderSettings) -> ExternalGeocoder | None:
    """The configured external geocoder, or None when the local gazetteer is used."""
    choice = settings.geocoder.strip().lower()
    if choice == "local":
        return None
    if choice == "tianditu":
        return TiandituGeocoder(
            _key(settings, choice), settings.tianditu_url, settings.geocoder_timeout_s
        )
    if choice == "amap":
        return AmapGeocoder(_key(settings, choice), settings.amap_url, settings.geocoder_timeout_s)
    raise GeocoderUnavailable(message("addresses.unknown_geocoder", geocoder=settings.geocoder))
