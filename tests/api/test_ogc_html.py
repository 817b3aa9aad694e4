"""The OGC API's HTML pages: they parse, link to one another, map their items in the map page's
colours with assets from this service only, and speak the request's language."""

import json
from urllib.parse import urlsplit

import pytest
from lxml import html
from sqlalchemy import text

from tests.support.shapeless import SHAPELESS_ID, load_shapeless

ZH = {"accept-language": "zh-CN,zh;q=0.9"}
EN = {"accept-language": "en-GB,en;q=0.9"}
DASH = "\u2013"  # en dash, as the pager writes a range
PAGES = [
    "/ogc",
    "/ogc/conformance",
    "/ogc/collections",
    "/ogc/collections/parcels",
    "/ogc/collections/parcels/items",
    "/ogc/collections/parcels/items/JX2022-06",
    "/ogc/collections/reference/items",
    "/ogc/collections/gazetteer/items",
]
MAPPED = [
    "/ogc/collections/parcels",
    "/ogc/collections/parcels/items",
    "/ogc/collections/parcels/items/JX2022-06",
    "/ogc/collections/reference/items",
    "/ogc/collections/gazetteer/items",
]


def page(client, path: str, headers=ZH, **params):
    response = client.get(path, params={"f": "html", **params}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return html.fromstring(response.text)


def map_data(tree) -> dict:
    return json.loads(tree.get_element_by_id("ogc-map-data").text)


@pytest.mark.parametrize("path", PAGES)
def test_every_page_parses_with_a_trail_and_its_json(client, path):
    tree = page(client, path)
    assert len(tree.findall(".//h1")) == 1
    crumbs = tree.xpath("//nav[@class='crumbs']//li")
    assert crumbs and crumbs[0].text_content().strip() == "OGC API 首页"
    assert tree.xpath("//nav[@class='crumbs']//*[@aria-current='page']")
    alternate = tree.xpath("//link[@rel='alternate']/@href")[0]
    assert (
        client.get(alternate)
        .headers["content-type"]
        .startswith(("application/json", "application/geo+json"))
    )


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_nothing_from_outside(client, path):
    tree = page(client, path)
    for element in tree.xpath("//script[@src] | //link[@href]"):
        url = element.get("src") or element.get("href")
        parts = urlsplit(url)
        assert parts.scheme in ("", "data") or parts.netloc == "testserver", url


@pytest.mark.parametrize("path", MAPPED)
def test_mapped_pages_carry_the_map_and_the_vendored_leaflet(client, path):
    tree = page(client, path)
    assert tree.get_element_by_id("ogc-map") is not None
    scripts = [s.get("src") for s in tree.xpath("//script[@src]")]
    assert "/vendor/leaflet/leaflet.js" in scripts and "/js/ogc-map.js" in scripts
    assert "/vendor/leaflet/leaflet.css" in [link.get("href") for link in tree.xpath("//link")]
    for asset in ("/vendor/leaflet/leaflet.js", "/js/ogc-map.js", "/js/paint.js", "/ogc.css"):
        assert client.get(asset).status_code == 200, asset


def test_links_lead_to_pages_that_answer(client):
    """Follow every link from the landing page through the collections to the items and one
    item, with small pages so that next and previous appear too."""
    start = "http://testserver/ogc?f=html"
    seen, queue = set(), [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, headers=ZH)
        assert response.status_code == 200, url
        if not response.headers["content-type"].startswith("text/html"):
            continue
        parts = urlsplit(url)
        if parts.path.startswith("/ogc/collections/") and "/items/" in parts.path:
            continue  # an item's page: its links lead back up
        tree = html.fromstring(response.text)
        for href in tree.xpath("//a/@href"):
            target = urlsplit(href)
            if target.netloc not in ("", "testserver") or not target.path.startswith("/ogc"):
                continue
            if target.path.endswith("/items") and "limit=" not in target.query:
                href = f"{href}{'&' if target.query else '?'}limit=5"
            if "offset=" in target.query and "offset=5&" not in target.query + "&":
                continue  # one step of paging is enough: the walk stays short
            queue.append(href)
    paths = {urlsplit(url).path for url in seen}
    assert "/ogc/collections/parcels/items/JX2022-01" in paths
    assert {"/ogc/conformance", "/ogc/collections/reference", "/ogc/collections/gazetteer"} <= paths


def test_items_page_pages_and_links_each_item(client):
    tree = page(client, "/ogc/collections/parcels/items", limit=5, offset=5)
    assert (
        f"第 6{DASH}10 个，共 13 个"
        in tree.xpath("//nav[@class='pager']/span[@class='range']")[0].text_content()
    )
    nxt = tree.xpath("//nav[@class='pager']/a[@rel='next']/@href")[0]
    prev = tree.xpath("//nav[@class='pager']/a[@rel='prev']/@href")[0]
    assert "offset=10" in nxt and "offset=0" in prev and "f=html" in nxt and "f=html" in prev
    last = html.fromstring(client.get(nxt).text)
    assert not last.xpath("//nav[@class='pager']/a[@rel='next']")
    items = [a.text_content() for a in tree.xpath("//table[@class='items']/tbody//a")]
    assert items == [f"JX2022-{n:02d}" for n in range(6, 11)]
    back = tree.xpath('//a[@rel="collection"]/@href')[0]
    assert urlsplit(back).path == "/ogc/collections/parcels"


def test_the_map_draws_the_page_items_in_the_map_page_colours(client):
    styles = client.get("/api/v1/styles").json()
    colours = {entry["value"]: entry["colour"] for entry in styles["block"]["entries"]}
    tree = page(client, "/ogc/collections/parcels/items", limit=5)
    data = map_data(tree)
    assert [f["id"] for f in data["features"]] == [f"JX2022-{n:02d}" for n in range(1, 6)]
    for feature in data["features"]:
        assert (
            data["colours"][feature["properties"]["block"]]
            == colours[feature["properties"]["block"]]
        )
        assert data["links"][feature["id"]].endswith(f"/items/{feature['id']}?f=html")
    swatches = [
        s.get("style") for s in tree.xpath("//table[@class='items']//span[@class='swatch']")
    ]
    first_block = data["features"][0]["properties"]["block"]
    assert swatches[0] == f"background:{colours[first_block]}"
    legend = tree.xpath("//div[@class='legend']")[0].text_content()
    assert first_block in legend


def test_item_page_labels_and_notices_in_chinese(client):
    tree = page(client, "/ogc/collections/parcels/items/JX2022-06", headers=ZH)
    assert tree.get("lang") == "zh-CN"
    labels = [th.text_content() for th in tree.xpath("//table[@class='properties']/tbody//th")]
    assert {"所属板块", "四至范围", "土地面积（亩）", "几何来源", "建设活动组织实施单位"} <= set(
        labels
    )
    notices = " ".join(p.text_content() for p in tree.xpath("//p[@class='notice']"))
    assert "非测绘成果" in notices
    source = tree.xpath("//tr[@class='property-geometry_source']/td")[0].text_content()
    assert source == "digitized（数字化范围，非测绘成果）"
    assert "嘉兴市城市投资发展集团有限公司" in tree.text_content()
    assert [f["id"] for f in map_data(tree)["features"]] == ["JX2022-06"]


def test_item_page_labels_and_notices_in_english(client):
    tree = page(client, "/ogc/collections/parcels/items/JX2022-06", headers=EN)
    assert tree.get("lang") == "en"
    labels = [th.text_content() for th in tree.xpath("//table[@class='properties']/tbody//th")]
    assert {"Block", "Four boundaries (四至)", "Declared area (mu)", "Geometry source"} <= set(
        labels
    )
    notices = " ".join(p.text_content() for p in tree.xpath("//p[@class='notice']"))
    assert "No parcel shape here is a survey result (非测绘成果)" in notices
    source = tree.xpath("//tr[@class='property-geometry_source']/td")[0].text_content()
    assert source == "digitized（Digitized extent, not a survey）"
    assert tree.xpath("//nav[@class='crumbs']//li")[0].text_content().strip() == "OGC API home"
    # Values are never translated.
    assert "城北板块" in tree.xpath("//tr[@class='property-block']/td")[0].text_content()


def test_values_are_escaped(client, session):
    name = '</script><script>alert("x")</script><b>地块</b>'
    session.execute(text("UPDATE parcels SET name = :name WHERE id = 'JX2022-06'"), {"name": name})
    for path in ("/ogc/collections/parcels/items/JX2022-06", "/ogc/collections/parcels/items"):
        response = client.get(path, params={"f": "html"})
        tree = html.fromstring(response.text)
        assert [s.get("src") for s in tree.xpath("//script")] == [
            None,
            "/vendor/leaflet/leaflet.js",
            "/js/ogc-map.js",
        ]
        assert not tree.xpath("//b")
        assert name in tree.text_content()
        features = map_data(tree)["features"]
        assert name in [f["properties"]["name"] for f in features]


def test_a_projected_page_says_why_it_has_no_map(client):
    tree = page(
        client,
        "/ogc/collections/parcels/items/JX2022-06",
        crs="http://www.opengis.net/def/crs/EPSG/0/4549",
    )
    assert not tree.xpath('//*[@id="ogc-map"]') and not tree.xpath('//*[@id="ogc-map-data"]')
    assert "CRS84" in tree.xpath("//p[@class='map-message']")[0].text_content()


def test_a_parcel_without_a_shape_says_so(client, session):
    load_shapeless(session)
    tree = page(client, f"/ogc/collections/parcels/items/{SHAPELESS_ID}")
    assert not tree.xpath('//*[@id="ogc-map"]')
    notices = " ".join(p.text_content() for p in tree.xpath("//p[@class='notice']"))
    assert "待落图" in notices
    source = tree.xpath("//tr[@class='property-geometry_source']/td")[0].text_content()
    assert source.startswith("none（")


def test_reference_pages_say_positions_are_estimates(client):
    tree = page(client, "/ogc/collections/reference/items", headers=EN, limit=3)
    assert "estimated positions" in tree.xpath("//p[@class='notice']")[0].text_content()
    assert [th.text_content() for th in tree.xpath("//table[@class='items']/thead//th")] == [
        "ID",
        "Name",
        "Kind",
        "Geometry source",
    ]
