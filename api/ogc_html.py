"""The OGC API's HTML pages (the HTML conformance class), rendered from Jinja templates.

Like tipg's and pygeoapi's pages, each page links to its neighbours (landing → collections →
collection → items → item, next and previous pages, back again), labels fields and gives the
notices in the request's language (geo.messages), and draws its features on a small map: the
vendored Leaflet, parcels in their block's colour as on the map page (geo.parcels.styles,
static/js/ogc-map.js). Every asset comes from this service, so the pages work offline. The
templates (api/templates/ogc) escape every value.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.datastructures import URL

from geo.messages import catalogue, current_language, message
from geo.ogc.collections import Collection
from geo.parcels.reads import GEOMETRY_NOTICE
from geo.parcels.styles import GEOMETRY_NOTICE_ZH, GEOMETRY_NOTICES, UNSTATED_BLOCK_COLOUR

ENVIRONMENT = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates" / "ogc"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
LIST_COLUMNS = {
    "parcels": ("seq", "name", "block", "declared_area_mu", "geometry_source"),
    "reference": ("name", "kind", "geometry_source"),
    "gazetteer": ("name", "kind", "district", "uncertainty_m"),
}
"""The properties an items page lists for each feature; the item's own page shows them all."""
HTML_LANG = {"zh": "zh-CN", "en": "en"}
GEOJSON = "application/geo+json"


def t(key: str, **values: Any) -> str:
    """A sentence of these pages in the current language."""
    return message(f"ogc_html.{key}", **values)


ENVIRONMENT.globals["t"] = t


def field_label(name: str) -> str:
    """A property's label in the current language; the property's own name when it has none."""
    return catalogue(current_language()).get(f"ogc_html.fields.{name}", name)


def as_html(url: str) -> str:
    """The same URL asking for HTML."""
    return str(URL(url).include_query_params(f="html"))


def as_json(url: str) -> str:
    """The same URL asking for JSON."""
    return str(URL(url).include_query_params(f="json"))


@dataclass(frozen=True)
class Link:
    """A link on a page."""

    href: str
    title: str
    rel: str = ""
    note: str = ""


@dataclass(frozen=True)
class Crumb:
    """One step of the trail from the landing page; the current page has no href."""

    title: str
    href: str | None = None


def _trail(root: str, *steps: tuple[str, str | None]) -> list[Crumb]:
    home = Crumb(t("home"), as_html(root) if steps else None)
    return [home, *(Crumb(title, href) for title, href in steps)]


def _render(template: str, **context: Any) -> str:
    context.setdefault("notices", [])
    context.setdefault("map_data", None)
    context.setdefault("json_type", "application/json")
    return ENVIRONMENT.get_template(template).render(
        html_lang=HTML_LANG.get(current_language(), "en"), **context
    )


def _geometry_notices(collection: Collection) -> list[str]:
    if collection.id == "parcels":
        return [GEOMETRY_NOTICE_ZH if current_language() == "zh" else GEOMETRY_NOTICE]
    return [t("notice_reference")]


def _shown(collection: Collection, name: str, value: Any) -> str:
    """A property's value as a person reads it: what a geometry source or a stage means."""
    if value is None:
        return "—"
    if collection.id == "parcels" and name == "geometry_source":
        meaning = GEOMETRY_NOTICES.get(value)
        if meaning is None:
            return f"{value}（{t('geometry_not_located')}）" if value == "none" else value
        return f"{value}（{meaning[0 if current_language() == 'zh' else 1]}）"
    if collection.id == "parcels" and name == "stage":
        return message(f"stage_names.{value}")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _block_colour(
    collection: Collection, properties: dict[str, Any], colours: dict[str | None, str]
) -> str | None:
    if collection.id != "parcels":
        return None
    return colours.get(properties.get("block"), UNSTATED_BLOCK_COLOUR)


def _map_data(
    collection: Collection,
    features: list[dict[str, Any]],
    colours: dict[str | None, str],
    links: dict[str, str],
    extent: list[float] | None = None,
) -> dict[str, Any]:
    """What static/js/ogc-map.js draws: CRS84 features, block colours, each item's page."""
    return {
        "collection": collection.id,
        "features": [f for f in features if f.get("geometry")],
        "colours": {block: colour for block, colour in colours.items() if block is not None},
        "unstated_colour": UNSTATED_BLOCK_COLOUR,
        "links": links,
        "extent": extent,
        "strings": {"open_item": t("open_item")},
    }


def _map_message(drawable: bool, crs_uri: str) -> str:
    return "" if drawable else t("map_needs_crs84", crs=crs_uri)


def landing_page(body: dict[str, Any], root: str) -> str:
    """The landing page: what the service holds and where to go from here."""
    links = [
        Link(as_html(f"{root}/collections"), t("collections"), "data"),
        Link(as_html(f"{root}/conformance"), t("conformance"), "conformance"),
        Link(f"{root}/api", t("api_definition"), "service-desc"),
        Link(str(URL(root).replace(path="/docs")), t("api_documentation"), "service-doc"),
    ]
    return _render(
        "landing.html",
        title=body["title"],
        intro=t("landing_intro"),
        description=body["description"],
        links=links,
        crumbs=_trail(root),
        json_href=as_json(root),
    )


def conformance_page(body: dict[str, Any], root: str) -> str:
    """The conformance classes, as text (their URIs name specifications, not pages here)."""
    return _render(
        "conformance.html",
        title=t("conformance"),
        classes=body["conformsTo"],
        crumbs=_trail(root, (t("conformance"), None)),
        json_href=as_json(f"{root}/conformance"),
    )


def collections_page(body: dict[str, Any], root: str) -> str:
    """Every collection, each linking to its page and its items."""
    collections = [
        {
            "title": c["title"],
            "description": c["description"],
            "href": as_html(f"{root}/collections/{c['id']}"),
            "links": [
                Link(as_html(f"{root}/collections/{c['id']}/items"), t("collection_items")),
                Link(f"{root}/collections/{c['id']}/items", t("as_geojson")),
            ],
        }
        for c in body["collections"]
    ]
    return _render(
        "collections.html",
        title=t("collections"),
        collections=collections,
        crumbs=_trail(root, (t("collections"), None)),
        json_href=as_json(f"{root}/collections"),
    )


def collection_page(document: dict[str, Any], collection: Collection, root: str) -> str:
    """One collection: its extent on a map, its CRSs, and the way to its items."""
    url = f"{root}/collections/{collection.id}"
    boxes = document["extent"]["spatial"]["bbox"]
    extent = boxes[0] if boxes else None
    links = [
        Link(as_html(f"{url}/items"), t("collection_items"), "items"),
        Link(f"{url}/items", t("as_geojson"), "items"),
        Link(f"{url}/queryables", t("queryables")),
    ]
    return _render(
        "collection.html",
        title=collection.title,
        description=collection.description,
        notices=_geometry_notices(collection),
        extent=extent,
        storage_crs=document["storageCrs"],
        crs=document["crs"],
        links=links,
        crumbs=_trail(
            root, (t("collections"), as_html(f"{root}/collections")), (collection.title, None)
        ),
        json_href=as_json(url),
        map_message="" if extent else t("no_extent"),
        map_data=_map_data(collection, [], {}, {}, extent) if extent else None,
    )


@dataclass(frozen=True)
class ItemsPage:
    """Where a page of items sits among the others."""

    offset: int
    matched: int
    returned: int
    next_href: str | None
    previous_href: str | None
    self_href: str
    crs_uri: str
    drawable: bool
    """Whether the coordinates are CRS84, the only ones the map can draw."""


def _item_href(root: str, collection: Collection, feature_id: Any) -> str:
    return as_html(f"{root}/collections/{collection.id}/items/{feature_id}")


def items_page(
    features: list[dict[str, Any]],
    collection: Collection,
    root: str,
    page: ItemsPage,
    colours: dict[str | None, str],
) -> str:
    """A page of items: a map of them, a table linking to each one's page, and the pager."""
    url = f"{root}/collections/{collection.id}"
    columns = LIST_COLUMNS.get(collection.id) or tuple(
        features[0]["properties"] if features else ()
    )
    rows = [
        {
            "id": feature["id"],
            "href": _item_href(root, collection, feature["id"]),
            "colour": _block_colour(collection, feature["properties"], colours),
            "cells": [_shown(collection, n, feature["properties"].get(n)) for n in columns],
        }
        for feature in features
    ]
    range_text = (
        t(
            "page_range",
            first=page.offset + 1,
            last=page.offset + page.returned,
            matched=page.matched,
        )
        if page.returned
        else t("page_empty", matched=page.matched)
    )
    legend = None
    if collection.id == "parcels" and features:
        blocks = list(dict.fromkeys(f["properties"].get("block") for f in features))
        legend = {
            "title": field_label("block"),
            "entries": [
                {
                    "colour": colours.get(block, UNSTATED_BLOCK_COLOUR),
                    "label": message("styles.unstated_block") if block is None else block,
                }
                for block in blocks
            ],
        }
    links = {str(f["id"]): _item_href(root, collection, f["id"]) for f in features}
    return _render(
        "items.html",
        title=f"{collection.title} · {t('items')}",
        notices=_geometry_notices(collection),
        pages={"previous": page.previous_href, "next": page.next_href, "range": range_text},
        headings=[field_label(name) for name in columns],
        rows=rows,
        legend=legend,
        links=[Link(as_html(url), t("back_to_collection"), "collection")],
        crumbs=_trail(
            root,
            (t("collections"), as_html(f"{root}/collections")),
            (collection.title, as_html(url)),
            (t("items"), None),
        ),
        json_href=as_json(page.self_href),
        json_type=GEOJSON,
        map_message=_map_message(page.drawable, page.crs_uri),
        map_data=_map_data(collection, features, colours, links) if page.drawable else None,
    )


def item_page(
    feature: dict[str, Any],
    collection: Collection,
    root: str,
    self_href: str,
    crs_uri: str,
    drawable: bool,
    colours: dict[str | None, str],
) -> str:
    """One item: its shape on a map and every property under its label."""
    url = f"{root}/collections/{collection.id}"
    properties = feature["properties"]
    name = properties.get("name")
    if collection.id == "parcels" and name:
        title = f"{properties.get('seq')}. {name}"
    else:
        title = str(name or feature["id"])
    rows = [
        {
            "name": key,
            "label": field_label(key),
            "value": _shown(collection, key, value),
            "colour": _block_colour(collection, properties, colours) if key == "block" else None,
        }
        for key, value in properties.items()
        if not (key == "id" and value == feature["id"])  # the first row gives it
    ]
    notices = _geometry_notices(collection)
    if feature.get("geometry") is None:
        notices.append(t("no_geometry"))
    links = {str(feature["id"]): as_html(self_href)}
    return _render(
        "item.html",
        title=title,
        feature_id=feature["id"],
        notices=notices,
        rows=rows,
        links=[
            Link(as_html(f"{url}/items"), t("back_to_items"), "collection"),
            Link(as_html(url), t("back_to_collection")),
        ],
        crumbs=_trail(
            root,
            (t("collections"), as_html(f"{root}/collections")),
            (collection.title, as_html(url)),
            (t("items"), as_html(f"{url}/items")),
            (str(feature["id"]), None),
        ),
        json_href=as_json(self_href),
        json_type=GEOJSON,
        map_message=_map_message(drawable, crs_uri) if feature.get("geometry") else "",
        map_data=(
            _map_data(collection, [feature], colours, links)
            if drawable and feature.get("geometry")
            else None
        ),
    )
