"""CQL2 text filters compiled to parameterised SQL.

pygeofilter (maintained, used by pygeoapi) parses the text. This module walks its syntax tree and
emits SQL in which every identifier comes from the collection's queryables (a whitelist) and
every value is a bound parameter: user text never becomes SQL.
"""

import json
import math
from dataclasses import dataclass, field
from typing import Any

from pygeofilter import ast, values
from pygeofilter.parsers.cql2_text import parse

from geo.errors import InvalidInput
from geo.messages import message
from geo.ogc.crs import OgcCrs

COMPARISONS = {
    ast.Equal: "=",
    ast.NotEqual: "<>",
    ast.LessThan: "<",
    ast.LessEqual: "<=",
    ast.GreaterThan: ">",
    ast.GreaterEqual: ">=",
}
SUPPORTED = (
    "=, <>, <, <=, >, >=, LIKE, IN, BETWEEN, IS NULL, AND, OR, NOT and S_INTERSECTS with a "
    "POINT, LINESTRING, POLYGON or BBOX"
)


@dataclass
class CompiledFilter:
    """A SQL condition and its bound parameters."""

    sql: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Queryable:
    """A property a filter may name: its SQL expression and JSON Schema type."""

    name: str
    sql: str
    json_type: str


def literal_value(value: Any, queryable: Queryable) -> tuple[Any, str]:
    """A filter literal as the property's type, and the SQL type to bind it as.

    Binding with an explicit type makes every driver agree: without it, asyncpg takes the type
    PostgreSQL infers from the column and silently truncates ``seq >= 3.5`` to ``seq >= 3``.
    """
    name = queryable.name
    if queryable.json_type == "string":
        if not isinstance(value, str):
            raise InvalidInput(message("ogc.filter_text_property", name=name))
        return value, "text"
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InvalidInput(message("ogc.filter_number_property", name=name, value=value))
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise InvalidInput(
                message("ogc.filter_number_property", name=name, value=value)
            ) from None
    if isinstance(value, int):
        return value, "bigint"
    if not math.isfinite(value):
        raise InvalidInput(message("ogc.filter_finite", name=name))
    return value, "double precision"


class _Compiler:
    def __init__(self, queryables: dict[str, Queryable], geometry_sql: str, crs: OgcCrs) -> None:
        self.queryables = queryables
        self.geometry_sql = geometry_sql
        self.crs = crs
        self.params: dict[str, Any] = {}

    def bind(self, value: Any, sql_type: str) -> str:
        name = f"cql{len(self.params)}"
        self.params[name] = value
        return f"CAST(:{name} AS {sql_type})"

    def typed(self, value: Any, queryable: Queryable) -> str:
        return self.bind(*literal_value(value, queryable))

    def attribute(self, node: Any) -> Queryable:
        if not isinstance(node, ast.Attribute):
            raise InvalidInput(message("ogc.filter_property_left"))
        if node.name not in self.queryables:
            known = ", ".join(sorted(self.queryables))
            raise InvalidInput(message("ogc.filter_unknown_property", name=node.name, known=known))
        return self.queryables[node.name]

    def geometry(self, node: Any) -> str:
        if isinstance(node, values.Geometry):
            geojson = self.bind(json.dumps(node.geometry), "text")
            return self.crs.to_storage(
                f"ST_SetSRID(ST_GeomFromGeoJSON({geojson}), {self.crs.srid})"
            )
        if (
            isinstance(node, ast.Function)
            and node.name.lower() == "bbox"
            and len(node.arguments) == 4
        ):
            corners = ", ".join(self.bind(float(v), "double precision") for v in node.arguments)
            return self.crs.to_storage(f"ST_MakeEnvelope({corners}, {self.crs.srid})")
        raise InvalidInput(message("ogc.filter_intersects_literal"))

    def compile(self, node: Any) -> str:
        if isinstance(node, ast.And | ast.Or):
            word = "AND" if isinstance(node, ast.And) else "OR"
            return f"({self.compile(node.lhs)} {word} {self.compile(node.rhs)})"
        if isinstance(node, ast.Not):
            return f"(NOT {self.compile(node.sub_node)})"
        if type(node) in COMPARISONS:
            prop = self.attribute(node.lhs)
            return f"({prop.sql} {COMPARISONS[type(node)]} {self.typed(node.rhs, prop)})"
        if isinstance(node, ast.Like):
            prop = self.attribute(node.lhs)
            if prop.json_type != "string":
                raise InvalidInput(message("ogc.filter_like_text", name=prop.name))
            negate = "NOT " if node.not_ else ""
            return f"({prop.sql} {negate}LIKE {self.typed(node.pattern, prop)})"
        if isinstance(node, ast.In):
            prop = self.attribute(node.lhs)
            options = ", ".join(self.typed(value, prop) for value in node.sub_nodes)
            return f"({prop.sql} {'NOT ' if node.not_ else ''}IN ({options}))"
        if isinstance(node, ast.Between):
            prop = self.attribute(node.lhs)
            low, high = self.typed(node.low, prop), self.typed(node.high, prop)
            negate = "NOT " if node.not_ else ""
            return f"({prop.sql} {negate}BETWEEN {low} AND {high})"
        if isinstance(node, ast.IsNull):
            return f"({self.attribute(node.lhs).sql} IS {'NOT ' if node.not_ else ''}NULL)"
        if isinstance(node, ast.GeometryIntersects):
            if not (isinstance(node.lhs, ast.Attribute) and node.lhs.name == "geometry"):
                raise InvalidInput(message("ogc.filter_intersects_geometry"))
            return f"ST_Intersects({self.geometry_sql}, {self.geometry(node.rhs)})"
        raise InvalidInput(
            message("ogc.filter_unsupported", kind=type(node).__name__, supported=SUPPORTED)
        )


def compile_cql2(
    text: str, queryables: dict[str, Queryable], geometry_sql: str, crs: OgcCrs
) -> CompiledFilter:
    """Parse CQL2 text and compile it against whitelisted property expressions.

    ``crs`` is the filter-crs in which geometry literals are written.
    """
    try:
        tree = parse(text)
    except Exception as exc:  # lark raises several kinds; all mean "cannot be parsed"
        reason = str(exc).strip().splitlines()[0][:200]
        raise InvalidInput(message("ogc.filter_unparsable", reason=reason)) from None
    compiler = _Compiler(queryables, geometry_sql, crs)
    return CompiledFilter(compiler.compile(tree), compiler.params)
