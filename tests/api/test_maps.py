"""The shareable folium map: all parcels, the same popups, and nothing loaded from outside."""

import json
import re

import pytest

from geo.parcels.folium_map import POPUP_FIELDS
from geo.parcels.styles import BLOCK_PALETTE
from tests.support.cli import run

CDN_HOSTS = (
    "cdn.jsdelivr.net",
    "code.jquery.com",
    "cdnjs.cloudflare.com",
    "bootstrapcdn.com",
    "unpkg.com",
)


@pytest.fixture
def page(client) -> str:
    response = client.get("/maps/parcels.html")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def geojson_features(page: str) -> list[str]:
    return re.findall(r'"type": "Feature", "id": "(JX2022-\d\d)"', page) or re.findall(
        r'"id": "(JX2022-\d\d)"', page
    )


def shows(page: str, text: str) -> bool:
    """Whether text is in the page as written or as folium's JSON escapes it (\\uXXXX)."""
    return text in page or json.dumps(text)[1:-1] in page


def test_map_has_all_13_parcels_with_popups(page):
    assert sorted(set(geojson_features(page))) == [f"JX2022-{n:02d}" for n in range(1, 14)]
    for _, label in POPUP_FIELDS:
        assert shows(page, label)
    assert shows(page, "嘉兴市城市投资发展集团有限公司")
    assert shows(page, "数字化范围，非测绘成果")  # every shipped parcel is digitized
    assert BLOCK_PALETTE[0] in page  # the first block's colour, as on the web page


def test_map_loads_nothing_from_outside(page):
    assert re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="https?:', page) == []
    for host in CDN_HOSTS:
        assert host not in page
    assert "L.map(" in page or "L.map (" in page
    assert "leaflet.js" not in re.findall(r'src="([^"]*)"', page)


def test_cli_writes_the_same_map(database_url, tmp_path):
    out = tmp_path / "parcels.html"
    answer = run(database_url, "map", "--out", str(out))
    assert answer.returncode == 0, answer.stderr
    assert sorted(set(geojson_features(out.read_text(encoding="utf-8")))) == [
        f"JX2022-{n:02d}" for n in range(1, 14)
    ]


def test_config_gives_the_basemap(client):
    body = client.get("/api/v1/config").json()
    assert body == {"basemap": "none", "tianditu_tk": None}


def test_blocks_have_the_colours_every_map_gives_them(client, page):
    for entry in client.get("/api/v1/styles").json()["block"]["entries"]:
        assert entry["colour"] in page, entry
