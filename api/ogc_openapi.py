"""The /ogc part of the app's OpenAPI document, in OpenAPI 3.0 form.

FastAPI writes OpenAPI 3.1; OGC API - Features' oas30 class and many clients expect 3.0. The
differences that occur in this app are JSON Schema details: nullable types written as anyOf with
"null", numeric exclusive bounds, and "examples" lists.
"""

import copy
from typing import Any


def _to_30(node: Any) -> Any:
    if isinstance(node, list):
        return [_to_30(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _to_30(value) for key, value in node.items()}
    options = node.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        rest = [option for option in options if option != {"type": "null"}]
        node.pop("anyOf")
        node.update(rest[0] if len(rest) == 1 else {"anyOf": rest})
        node["nullable"] = True
    for bound, flag in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(node.get(bound), int | float) and not isinstance(node.get(bound), bool):
            node[flag] = node.pop(bound)
            node[bound] = True
    if isinstance(node.get("examples"), list) and "paths" not in node:
        examples = node.pop("examples")
        if examples:
            node["example"] = examples[0]
    return node


def openapi_30(document: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The paths under ``prefix`` and their schemas, converted to OpenAPI 3.0.3."""
    converted = _to_30(copy.deepcopy(document))
    converted["openapi"] = "3.0.3"
    converted["paths"] = {p: v for p, v in converted["paths"].items() if p.startswith(prefix)}
    return converted
