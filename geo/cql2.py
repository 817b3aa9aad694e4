"""CQL2 text filters compiled to parameterised SQL.

pygeofilter (maintained, used by pygeoapi) parses the text. This module walks its syntax tree and
emits SQL in which every identifier comes from the collection's queryables (a whitelist) and
every value is a bound parameter: user text never becomes SQL.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from pygeofilter import ast, values
from pygeofilter.parsers.cql2_text import parse

from geo.crs import OgcCrs
from geo.errors import InvalidInput

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


class _Compiler:
    def __init__(self, queryables: dict[str, str], geometry_sql: str, crs: OgcCrs) -> None:
        self.queryables = queryables
        self.geometry_sql = geometry_sql
        self.crs = crs
        self.params: dict[str, Any] = {}

    def bind(self, value: Any) -> str:
        if not isinstance(value, str | int | float | bool):
            raise InvalidInput(f"The filter value {value!r} is not a string, number or boolean.")
        name = f"cql{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def attribute(self, node: Any) -> str:
        if not isinstance(node, ast.Attribute):
            raise InvalidInput("A filter comparison must have a property name on its left.")
        if node.name not in self.queryables:
            known = ", ".join(sorted(self.queryables))
            raise InvalidInput(
                f"Unknown property {node.name!r} in the filter; queryables: {known}."
            )
        return self.queryables[node.name]

    def geometry(self, node: Any) -> str:
        if isinstance(node, values.Geometry):
            geojson = self.bind(json.dumps(node.geometry))
            return self.crs.to_storage(
                f"ST_SetSRID(ST_GeomFromGeoJSON({geojson}), {self.crs.srid})"
            )
        if (
            isinstance(node, ast.Function)
            and node.name.lower() == "bbox"
            and len(node.arguments) == 4
        ):
            corners = ", ".join(self.bind(float(v)) for v in node.arguments)
            return self.crs.to_storage(f"ST_MakeEnvelope({corners}, {self.crs.srid})")
        raise InvalidInput("S_INTERSECTS needs a geometry literal (POINT, POLYGON …) or BBOX(…).")

    def compile(self, node: Any) -> str:
        if isinstance(node, ast.And | ast.Or):
            word = "AND" if isinstance(node, ast.And) else "OR"
            return f"({self.compile(node.lhs)} {word} {self.compile(node.rhs)})"
        if isinstance(node, ast.Not):
            return f"(NOT {self.compile(node.sub_node)})"
        if type(node) in COMPARISONS:
            return f"({self.attribute(node.lhs)} {COMPARISONS[type(node)]} {self.bind(node.rhs)})"
        if isinstance(node, ast.Like):
            negate = "NOT " if node.not_ else ""
            return f"({self.attribute(node.lhs)} {negate}LIKE {self.bind(node.pattern)})"
        if isinstance(node, ast.In):
            options = ", ".join(self.bind(value) for value in node.sub_nodes)
            return f"({self.attribute(node.lhs)} {'NOT ' if node.not_ else ''}IN ({options}))"
        if isinstance(node, ast.Between):
            low, high = self.bind(node.low), self.bind(node.high)
            negate = "NOT " if node.not_ else ""
            return f"({self.attribute(node.lhs)} {negate}BETWEEN {low} AND {high})"
        if isinstance(node, ast.IsNull):
            return f"({self.attribute(node.lhs)} IS {'NOT ' if node.not_ else ''}NULL)"
        if isinstance(node, ast.GeometryIntersects):
            if not (isinstance(node.lhs, ast.Attribute) and node.lhs.name == "geometry"):
                raise InvalidInput("S_INTERSECTS takes the property 'geometry' first.")
            return f"ST_Intersects({self.geometry_sql}, {self.geometry(node.rhs)})"
        raise InvalidInput(f"This filter uses {type(node).__name__}; supported: {SUPPORTED}.")


def compile_cql2(
    text: str, queryables: dict[str, str], geometry_sql: str, crs: OgcCrs
) -> CompiledFilter:
    """Parse CQL2 text and compile it against whitelisted property expressions.

    ``crs`` is the filter-crs in which geometry literals are written.
    """
    try:
        tree = parse(text)
    except Exception as exc:  # lark raises several kinds; all mean "cannot be parsed"
        reason = str(exc).strip().splitlines()[0][:200]
        raise InvalidInput(f"The filter cannot be parsed as CQL2 text: {reason}") from None
    compiler = _Compiler(queryables, geometry_sql, crs)
    return CompiledFilter(compiler.compile(tree), compiler.params)
