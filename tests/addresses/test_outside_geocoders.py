"""External geocoders against recorded answers from a local fake server (no network, no keys)."""

import pytest

from geo.addresses.lookup import lookup_address
from geo.addresses.outside_geocoders import (
    AmapGeocoder,
    GeocoderSettings,
    TiandituGeocoder,
    external_geocoder,
)
from geo.errors import GeocoderUnavailable
from tests.support.fake_geocoder import FakeGeocoder

ADDRESS = "嘉兴市城北路592号"


@pytest.fixture
def fake():
    with FakeGeocoder() as server:
        yield server


def test_tianditu_request_and_answer(fake):
    geocoder = TiandituGeocoder("test-key", fake.url + "/geocoder", timeout_s=2)
    result = geocoder.geocode(ADDRESS)
    assert fake.last_query()["tk"] == "test-key"
    assert fake.last_json_param("ds") == {"keyWord": ADDRESS}
    assert result.quality == "exact" and result.provider == "tianditu"
    # CGCS2000 is taken as WGS84: the coordinates pass through unchanged.
    assert (result.location.lon, result.location.lat) == (120.7271166, 30.7767231)


def test_tianditu_road_level_is_coarse(fake):
    fake.answer = "tianditu_road"
    result = TiandituGeocoder("k", fake.url, 2).geocode("嘉兴市城北路")
    assert result.quality == "road" and "too coarse" in result.message


def test_tianditu_refusal_is_reported(fake):
    fake.answer = "tianditu_refused"
    with pytest.raises(GeocoderUnavailable, match="tianditu refused the request: 权限类型错误"):
        TiandituGeocoder("k", fake.url, 2).geocode(ADDRESS)


def test_amap_request_and_gcj02_conversion(fake):
    fake.answer = "amap_house_number"
    result = AmapGeocoder("amap-key", fake.url + "/v3/geocode/geo", timeout_s=2).geocode(ADDRESS)
    query = fake.last_query()
    assert query == {"address": ADDRESS, "city": "嘉兴", "key": "amap-key", "output": "JSON"}
    assert result.quality == "exact"
    # The recorded GCJ-02 point is the WGS84 gazetteer point shifted; converted back it matches.
    assert result.location.lon == pytest.approx(120.7271166, abs=2e-6)
    assert result.location.lat == pytest.approx(30.7767231, abs=2e-6)


@pytest.mark.parametrize(
    ("answer", "quality"), [("amap_district", "district"), ("amap_no_match", "none")]
)
def test_amap_coarse_and_empty_answers(fake, answer, quality):
    fake.answer = answer
    assert AmapGeocoder("k", fake.url, 2).geocode(ADDRESS).quality == quality


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ("amap_invalid_key", "amap refused the request: INVALID_USER_KEY"),
        ("http500", "amap answered HTTP 500"),
        ("not-json", "not JSON"),
        ("slow", "did not answer within 0.5 s"),
    ],
)
def test_amap_failures_are_plain(fake, answer, words):
    fake.answer = answer
    with pytest.raises(GeocoderUnavailable, match=words):
        AmapGeocoder("k", fake.url, timeout_s=0.5).geocode(ADDRESS)


def test_unreachable_service():
    with pytest.raises(GeocoderUnavailable, match="cannot be reached"):
        AmapGeocoder("k", "http://127.0.0.1:9/geo", timeout_s=1).geocode(ADDRESS)


@pytest.mark.parametrize("provider", ["tianditu", "amap"])
def test_missing_key_is_a_clear_error(provider):
    with pytest.raises(GeocoderUnavailable, match=f"ZS_{provider.upper()}_KEY is not set"):
        external_geocoder(GeocoderSettings(geocoder=provider))


def test_local_is_the_default_and_unknown_is_refused():
    assert external_geocoder(GeocoderSettings()) is None
    with pytest.raises(GeocoderUnavailable, match="Unknown geocoder 'bing'"):
        external_geocoder(GeocoderSettings(geocoder="bing"))


def test_provider_answer_reaches_the_parcel_lookup(session, fake):
    fake.answer = "amap_house_number"
    geocoder = external_geocoder(GeocoderSettings(geocoder="amap", amap_key="k", amap_url=fake.url))
    answer = lookup_address(session, ADDRESS, geocoder)
    assert answer["geocoder"] == "amap" and answer["quality"] == "exact"
    assert answer["inside"] is True
    assert [p["id"] for p in answer["parcels"]] == ["JX2022-06"]


def test_api_uses_the_configured_geocoder(database_url, session, fake):
    from fastapi.testclient import TestClient

    from api.main import create_app
    from api.settings import ApiSettings
    from geo.db import DatabaseSettings
    from tests.support.readers import use_session

    fake.answer = "tianditu_house_number"
    settings = ApiSettings(
        db=DatabaseSettings(database_url=database_url),
        geocoding=GeocoderSettings(geocoder="tianditu", tianditu_key="k", tianditu_url=fake.url),
    )
    app = create_app(settings)
    use_session(app, session)
    with TestClient(app) as client:
        body = client.get("/api/v1/lookup", params={"address": ADDRESS}).json()
        assert body["geocoder"] == "tianditu" and body["parcels"][0]["id"] == "JX2022-06"
        fake.answer = "tianditu_refused"
        response = client.get("/api/v1/lookup", params={"address": ADDRESS})
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "geocoder_unavailable"


def test_the_environment_chooses_the_geocoder(monkeypatch):
    from api.settings import ApiSettings

    monkeypatch.setenv("ZS_GEOCODER", "amap")
    monkeypatch.setenv("ZS_AMAP_KEY", "k")
    settings = ApiSettings()
    assert settings.geocoding.geocoder == "amap"
    assert isinstance(external_geocoder(settings.geocoding), AmapGeocoder)
