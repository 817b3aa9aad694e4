"""OGC API - Features under /ogc: JSON, GeoJSON and HTML; links and headers live here."""

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from api.deps import ReaderDep, ReadSessionDep
from api.ogc_html import render_html
from api.ogc_openapi import openapi_30
from api.schemas import GEOJSON
from geo.errors import InvalidInput
from geo.messages import message
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
from geo.ogc.crs import SUPPORTED_CRS, find_crs

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


def respond(
    request: Request,
    f: str | None,
    body: dict[str, Any],
    kind: str,
    media: str = "application/json",
) -> Response:
    """The body as JSON, or as HTML for browsers."""
    if wants_html(request, f):
        return HTMLResponse(render_html(kind, body))
    return JSONResponse(body, media_type=media)


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
    return respond(request, f, body, "landing")


@router.get("/api")
def api_definition(request: Request) -> JSONResponse:
    """The OpenAPI 3.0 definition of the /ogc endpoints."""
    document = openapi_30(request.app.openapi(), prefix="/ogc")
    return JSONResponse(document, media_type="application/vnd.oai.openapi+json;version=3.0")


@router.get("/conformance")
def conformance(request: Request, f: Format = None) -> Response:
    """The conformance classes this service implements."""
    return respond(request, f, {"conformsTo": CONFORMANCE}, "conformance")


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
    return respond(request, f, body, "collections")


@router.get("/collections/{collection_id}")
def collection(
    request: Request, session: ReadSessionDep, collection_id: str, f: Format = None
) -> Response:
    """One collection's metadata."""
    document = collection_document(request, session, get_collection(collection_id))
    return respond(request, f, document, "collection")


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
        body = body_head | {"features": json.loads(f"[{features}]"), "collection": chosen.title}
        return HTMLResponse(render_html("items", body), headers=headers)
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
        return HTMLResponse(render_html("item", json.loads(body)), headers=headers)
    return Response(body, media_type=GEOJSON, headers=headers)
