"""OGC API - Features: collections, items and single features, answered by PostGIS.

Part 1 (core, GeoJSON), Part 2 (CRS by reference) and Part 3 (CQL2 text filters). The web layer
(api/routes/ogc.py) adds links, HTML and headers; everything about the data happens here.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.errors import FeatureNotFound, InvalidInput
from geo.messages import message
from geo.ogc.cql2 import Queryable, compile_cql2
from geo.ogc.crs import SUPPORTED_CRS, OgcCrs
from geo.parcels.reads import PARCEL_PROPERTIES, feature_sql
from geo.parcels.record import Kind, Use, fields_with
from geo.query import Query

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
JSON_SCHEMA_TYPES = {
    Kind.TEXT: "string",
    Kind.CHOICE: "string",
    Kind.WHOLE: "integer",
    Kind.NUMBER: "number",
}
"""The JSON Schema type of a parcel field of each kind, as the queryables document names it."""


@dataclass(frozen=True)
class Collection:
    """A table served as a feature collection. All SQL here is trusted, never user text."""

    id: str
    title: str
    description: str
    from_sql: str
    id_sql: str
    geometry_sql: str
    properties: dict[str, str]
    queryables: dict[str, tuple[str, str]]
    """Property name -> (SQL expression, JSON Schema type), usable in filters."""
    order_sql: str
    integer_ids: bool = False

    def filter_columns(self) -> dict[str, Queryable]:
        """Queryable name -> its SQL expression and type."""
        return {
            name: Queryable(name, sql, json_type)
            for name, (sql, json_type) in self.queryables.items()
        }


COLLECTIONS = {
    c.id: c
    for c in (
        Collection(
            id="parcels",
            title="征收地块 Expropriation parcels",
            description="Parcels of the published expropriation plans. No shape is a survey "
            "result: see each feature's geometry_source and geometry_note.",
            from_sql="parcels p JOIN plans pl ON pl.id = p.plan_id",
            id_sql="p.id",
            geometry_sql="p.geom",
            properties={k: v for k, v in PARCEL_PROPERTIES.items() if k != "boundaries"},
            queryables={
                field.name: (field.sql, JSON_SCHEMA_TYPES[field.kind])
                for field in fields_with(Use.QUERY)
            },
            order_sql="pl.year, pl.id, p.seq",
        ),
        Collection(
            id="reference",
            title="参考要素 Reference features",
            description="Roads, rivers, walls, estates and addresses the four-boundary texts "
            "name. Positions are estimates, not surveyed.",
            from_sql="reference_features r",
            id_sql="r.id",
            geometry_sql="r.geom",
            properties={
                "name": "r.name",
                "kind": "r.kind",
                "address": "r.address",
                "geometry_source": "r.geometry_source",
                "note": "r.note",
            },
            queryables={
                "name": ("r.name", "string"),
                "kind": ("r.kind", "string"),
                "geometry_source": ("r.geometry_source", "string"),
            },
            order_sql="r.id",
            integer_ids=True,
        ),
        Collection(
            id="gazetteer",
            title="地名地址 Gazetteer",
            description="Address points, road centrelines and district centres used for "
            "address look-up. Positions are estimates; see uncertainty_m.",
            from_sql="gazetteer_entries g",
            id_sql="g.id",
            geometry_sql="g.geom",
            properties={
                "kind": "g.kind",
                "name": "g.name",
                "district": "g.district",
                "road": "g.road",
                "house_number": "g.house_number",
                "uncertainty_m": "g.uncertainty_m",
                "geometry_source": "g.geometry_source",
                "note": "g.note",
            },
            queryables={
                "kind": ("g.kind", "string"),
                "name": ("g.name", "string"),
                "district": ("g.district", "string"),
                "road": ("g.road", "string"),
                "house_number": ("g.house_number", "integer"),
            },
            order_sql="g.id",
            integer_ids=True,
        ),
    )
}


def get_collection(collection_id: str) -> Collection:
    """The collection with that id, or a 404-class error."""
    try:
        return COLLECTIONS[collection_id]
    except KeyError:
        known = ", ".join(COLLECTIONS)
        raise FeatureNotFound(
            message("ogc.no_collection", known=known, collection_id=collection_id)
        ) from None


def collection_extent(session: Session, collection: Collection) -> list[float] | None:
    """The CRS84 bounding box of a collection's features, from PostGIS."""
    row = session.execute(
        text(
            f"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
            f"(SELECT ST_Extent({collection.geometry_sql}) AS e FROM {collection.from_sql}) AS x"
        )
    ).one()
    return None if row[0] is None else [round(v, 7) for v in row]


def queryables_schema(collection: Collection) -> dict[str, Any]:
    """The JSON Schema of the properties a filter may use (Part 3)."""
    properties: dict[str, Any] = {
        name: {"type": json_type, "title": name}
        for name, (_, json_type) in collection.queryables.items()
    }
    properties["geometry"] = {"$ref": "https://geojson.org/schema/Geometry.json"}
    return {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "type": "object",
        "title": collection.title,
        "properties": properties,
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class ItemsQuery:
    """What a client asked of a collection's items."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: tuple[float, float, float, float] | None = None
    bbox_crs: OgcCrs = SUPPORTED_CRS[0]
    crs: OgcCrs = SUPPORTED_CRS[0]
    properties: tuple[tuple[str, str], ...] = ()
    cql2: str | None = None
    filter_crs: OgcCrs = SUPPORTED_CRS[0]


def _conditions(collection: Collection, query: ItemsQuery) -> tuple[str, dict[str, Any]]:
    conditions, params = ["TRUE"], {}
    columns = collection.filter_columns()
    for position, (name, value) in enumerate(query.properties):
        if name not in columns:
            raise InvalidInput(
                message("ogc.unknown_property", queryables=", ".join(columns), name=name)
            )
        # Compare as text so that seq=3 and block=城北板块 both work from a query string.
        conditions.append(f"CAST({columns[name].sql} AS text) = :prop{position}")
        params[f"prop{position}"] = value
    if query.bbox is not None:
        names = ("bbox0", "bbox1", "bbox2", "bbox3")
        envelope = query.bbox_crs.bbox_sql(names)
        conditions.append(f"ST_Intersects({collection.geometry_sql}, {envelope})")
        params |= dict(zip(names, query.bbox, strict=True))
    if query.cql2:
        compiled = compile_cql2(query.cql2, columns, collection.geometry_sql, query.filter_crs)
        conditions.append(compiled.sql)
        params |= compiled.params
    return " AND ".join(conditions), params


def _feature_sql(collection: Collection, crs: OgcCrs) -> str:
    geometry = crs.from_storage(collection.geometry_sql)
    return feature_sql(collection.id_sql, geometry, collection.properties, crs.decimals)


def items_query(collection: Collection, query: ItemsQuery) -> Query:
    """The statement for a page of features, answered in one round trip.

    Its row: numberMatched, numberReturned, and the page's features as comma-separated GeoJSON.
    """
    if not 1 <= query.limit <= MAX_LIMIT:
        raise InvalidInput(message("ogc.limit_range", limit=MAX_LIMIT, given=query.limit))
    if query.offset < 0:
        raise InvalidInput(message("ogc.offset_range", given=query.offset))
    where, params = _conditions(collection, query)
    statement = text(f"""
        SELECT (SELECT count(*) FROM {collection.from_sql} WHERE {where}),
               count(*),
               coalesce(string_agg(page.feature, ',' ORDER BY page.n), '')
        FROM (
            SELECT {_feature_sql(collection, query.crs)}::text AS feature,
                   row_number() OVER (ORDER BY {collection.order_sql}) AS n
            FROM {collection.from_sql} WHERE {where}
            ORDER BY {collection.order_sql} LIMIT :limit OFFSET :offset
        ) AS page""")
    return Query(statement, params | {"limit": query.limit, "offset": query.offset})


def item(session: Session, collection: Collection, feature_id: str, crs: OgcCrs) -> str:
    """One feature as GeoJSON text; a bad or unknown id is a 404, never a 500."""
    if collection.integer_ids and not feature_id.isdigit():
        raise FeatureNotFound(
            message("ogc.feature_id_not_number", collection=collection.id, feature_id=feature_id)
        )
    body = session.execute(
        text(
            f"SELECT {_feature_sql(collection, crs)}::text FROM {collection.from_sql} "
            f"WHERE CAST({collection.id_sql} AS text) = :id"
        ),
        {"id": feature_id},
    ).scalar_one_or_none()
    if body is None:
        raise FeatureNotFound(
            message("ogc.no_feature", collection=collection.id, feature_id=feature_id)
        )
    return body
