"""OGC API - Features under /ogc: JSON, GeoJSON and HTML; links and headers live here."""

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from api import ogc_html
from api.deps import ReaderDep, ReadSessionDep
from api.ogc_openapi import openapi_30
from api.schemas import GEOJSON
from geo.errors import InvalidInput
from geo.messages import language_from_accept, message, use_language
from geo.ogc.collections import (
    COLLECTIONS,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Collection,
    ItemsQuery,
    collection_extent,
    get_collection,
    item,
    items_query,
    queryables_schema,
)
from geo.ogc.crs import DEFAULT_CRS, SUPPORTED_CRS, find_crs
from geo.parcels.styles import blocks_query, stored_block_colours
from geo.query import fetch_value

router = APIRouter(prefix="/ogc", tags=["OGC API - Features"])
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
]
RESERVED = {
    "f",
    "limit",
    "offset",
    "bbox",
    "bbox-crs",
    "crs",
    "filter",
    "filter-lang",
    "filter-crs",
}
Format = Annotated[str | None, Query(pattern="^(json|html)$", description="json or html")]


def wants_html(request: Request, f: str | None) -> bool:
    """HTML when asked with f=html, or by a browser's Accept header without f."""
    if f is not None:
        return f == "html"
    return "text/html" in request.headers.get("accept", "")


def base(request: Request) -> str:
    """The service's /ogc URL as the client reached it."""
    return str(request.base_url).rstrip("/") + "/ogc"


def link(href: str, rel: str, media: str, title: str) -> dict[str, str]:
    """One OGC link object."""
    return {"href": href, "rel": rel, "type": media, "title": title}


def html_page(
    request: Request, render: Callable[[], str], headers: dict[str, str] | None = None
) -> HTMLResponse:
    """A page rendered in the language the request asks for (Accept-Language).

    The API sets every request's language so; the pages set it again, so that they never
    depend on the order of middleware.
    """
    with use_language(language_from_accept(request.headers.get("accept-language"))):
        return HTMLResponse(render(), headers=headers)


@router.get("")
def landing(request: Request, f: Format = None) -> Response:
    """Landing page, with links to the API definition, conformance and collections."""
    root = base(request)
    body = {
        "title": "zhengshou OGC API - Features",
        "description": "Land and house expropriation plans (征收计划) as OGC API - Features.",
        "links": [
            link(f"{root}?f=json", "self", "application/json", "This document"),
            link(f"{root}?f=html", "alternate", "text/html", "This document as HTML"),
            link(
                f"{root}/api",
                "service-desc",
                "application/vnd.oai.openapi+json;version=3.0",
                "API definition",
            ),
            link(str(request.base_url) + "docs", "service-doc", "text/html", "API documentation"),
            link(f"{root}/conformance", "conformance", "application/json", "Conformance"),
            link(f"{root}/collections", "data", "application/json", "Collections"),
        ],
    }
    if wants_html(request, f):
        return html_page(request, lambda: ogc_html.landing_page(body, root))
    return JSONResponse(body)


@router.get("/api")
def api_definition(request: Request) -> JSONResponse:
    """The OpenAPI 3.0 definition of the /ogc endpoints."""
    document = openapi_30(request.app.openapi(), prefix="/ogc")
    return JSONResponse(document, media_type="application/vnd.oai.openapi+json;version=3.0")


@router.get("/conformance")
def conformance(request: Request, f: Format = None) -> Response:
    """The conformance classes this service implements."""
    body = {"conformsTo": CONFORMANCE}
    if wants_html(request, f):
        return html_page(request, lambda: ogc_html.conformance_page(body, base(request)))
    return JSONResponse(body)


def collection_document(
    request: Request, session: ReadSessionDep, collection: Collection
) -> dict[str, Any]:
    """One collection's metadata with its links, extent and CRS list."""
    url = f"{base(request)}/collections/{collection.id}"
    extent = collection_extent(session, collection)
    return {
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "itemType": "feature",
        "extent": {"spatial": {"bbox": [extent] if extent else [], "crs": SUPPORTED_CRS[0].uri}},
        "crs": [crs.uri for crs in SUPPORTED_CRS],
        "storageCrs": SUPPORTED_CRS[0].uri,
        "links": [
            link(url, "self", "application/json", "This collection"),
            link(f"{url}/items", "items", GEOJSON, "Features"),
            link(f"{url}/items?f=html", "items", "text/html", "Features as HTML"),
            link(
                f"{url}/queryables",
                "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                "application/schema+json",
                "Queryables",
            ),
        ],
    }


@router.get("/collections")
def collections(request: Request, session: ReadSessionDep, f: Format = None) -> Response:
    """The feature collections."""
    root = base(request)
    body = {
        "links": [link(f"{root}/collections", "self", "application/json", "Collections")],
        "collections": [collection_document(request, session, c) for c in COLLECTIONS.values()],
    }
    if wants_html(request, f):
        return html_page(request, lambda: ogc_html.collections_page(body, root))
    return JSONResponse(body)


@router.get("/collections/{collection_id}")
def collection(
    request: Request, session: ReadSessionDep, collection_id: str, f: Format = None
) -> Response:
    """One collection's metadata."""
    chosen = get_collection(collection_id)
    document = collection_document(request, session, chosen)
    if wants_html(request, f):
        return html_page(request, lambda: ogc_html.collection_page(document, chosen, base(request)))
    return JSONResponse(document)


@router.get("/collections/{collection_id}/queryables")
def queryables(collection_id: str) -> JSONResponse:
    """The properties a filter may use, as JSON Schema."""
    schema = queryables_schema(get_collection(collection_id))
    return JSONResponse(schema, media_type="application/schema+json")


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """Four numbers; six (3D) are refused in plain words."""
    try:
        numbers = tuple(float(part) for part in value.split(","))
    except ValueError:
        raise InvalidInput(message("ogc.bbox_not_numbers", value=value)) from None
    if len(numbers) != 4:
        raise InvalidInput(message("ogc.bbox_four_numbers", count=len(numbers)))
    return numbers  # type: ignore[return-value]


def page_links(request: Request, offset: int, limit: int, matched: int) -> list[dict[str, str]]:
    """self, and next/prev when there are more pages, keeping every other parameter."""

    def at(new_offset: int) -> str:
        return str(request.url.include_query_params(offset=new_offset, limit=limit))

    links = [link(str(request.url), "self", GEOJSON, "This page")]
    if offset + limit < matched:
        links.append(link(at(offset + limit), "next", GEOJSON, "Next page"))
    if offset > 0:
        links.append(link(at(max(offset - limit, 0)), "prev", GEOJSON, "Previous page"))
    return links


def html_page_at(request: Request, offset: int, limit: int, matched: int) -> str | None:
    """The HTML page of items starting at offset (keeping every other parameter), if any."""
    if offset >= matched or offset + limit <= 0:
        return None
    url = request.url.include_query_params(offset=max(offset, 0), limit=limit, f="html")
    return str(url)


@router.get("/collections/{collection_id}/items")
async def collection_items(
    request: Request,
    reader: ReaderDep,
    collection_id: str,
    limit: Annotated[int, Query(description=f"At most {MAX_LIMIT}")] = DEFAULT_LIMIT,
    offset: int = 0,
    bbox: str | None = None,
    bbox_crs: Annotated[str | None, Query(alias="bbox-crs")] = None,
    crs: str | None = None,
    filter_text: Annotated[str | None, Query(alias="filter", max_length=4000)] = None,
    filter_lang: Annotated[str | None, Query(alias="filter-lang")] = None,
    filter_crs: Annotated[str | None, Query(alias="filter-crs")] = None,
    f: Format = None,
) -> Response:
    """Features of a collection: bbox, paging, property filters (e.g. block=) and CQL2 text."""
    chosen = get_collection(collection_id)
    if filter_lang not in (None, "cql2-text"):
        raise InvalidInput(message("ogc.filter_lang_unsupported", filter_lang=filter_lang))
    query = ItemsQuery(
        limit=limit,
        offset=offset,
        bbox=parse_bbox(bbox) if bbox else None,
        bbox_crs=find_crs(bbox_crs, "bbox-crs"),
        crs=find_crs(crs),
        properties=tuple((k, v) for k, v in request.query_params.items() if k not in RESERVED),
        cql2=filter_text,
        filter_crs=find_crs(filter_crs, "filter-crs"),
    )
    matched, returned, features = await reader.row(items_query(chosen, query))
    body_head = {
        "type": "FeatureCollection",
        "numberMatched": matched,
        "numberReturned": returned,
        "timeStamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "links": page_links(request, offset, limit, matched),
    }
    headers = {"Content-Crs": f"<{query.crs.uri}>"}
    if wants_html(request, f):
        # Parcels are drawn in their block's colour, as on the map page.
        blocks = await reader.value(blocks_query()) if chosen.id == "parcels" else "[]"
        page = ogc_html.ItemsPage(
            offset=offset,
            matched=matched,
            returned=returned,
            next_href=html_page_at(request, offset + limit, limit, matched),
            previous_href=html_page_at(request, offset - limit, limit, matched),
            self_href=str(request.url),
            crs_uri=query.crs.uri,
            drawable=query.crs is DEFAULT_CRS,
        )
        items = json.loads(f"[{features}]")
        colours = stored_block_colours(blocks)
        return html_page(
            request,
            lambda: ogc_html.items_page(items, chosen, base(request), page, colours),
            headers,
        )
    # The features are PostGIS's JSON text; splice them in rather than decode and re-encode.
    head = json.dumps(body_head, ensure_ascii=False)[:-1]
    return Response(f'{head}, "features": [{features}]}}', media_type=GEOJSON, headers=headers)


@router.get("/collections/{collection_id}/items/{feature_id}")
def collection_item(
    request: Request,
    session: ReadSessionDep,
    collection_id: str,
    feature_id: str,
    crs: str | None = None,
    f: Format = None,
) -> Response:
    """One feature."""
    chosen, target = get_collection(collection_id), find_crs(crs)
    body = item(session, chosen, feature_id, target)
    headers = {"Content-Crs": f"<{target.uri}>"}
    if wants_html(request, f):
        blocks = fetch_value(session, blocks_query()) if chosen.id == "parcels" else "[]"
        feature = json.loads(body)
        return html_page(
            request,
            lambda: ogc_html.item_page(
                feature,
                chosen,
                base(request),
                self_href=str(request.url),
                crs_uri=target.uri,
                drawable=target is DEFAULT_CRS,
                colours=stored_block_colours(blocks),
            ),
            headers,
        )
    return Response(body, media_type=GEOJSON, headers=headers)
