"""Plain HTML pages for OGC API - Features (the HTML conformance class)."""

import html
import json
from typing import Any

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font:14px sans-serif;margin:2em;max-width:70em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}}</style>
</head><body><h1>{title}</h1>{body}</body></html>"""


def _links(links: list[dict[str, str]]) -> str:
    rows = "".join(
        f'<li><a href="{html.escape(item["href"])}">{html.escape(item["title"])}</a> '
        f"({html.escape(item['rel'])}, {html.escape(item['type'])})</li>"
        for item in links
    )
    return f"<ul>{rows}</ul>"


def _table(rows: dict[str, Any]) -> str:
    cells = "".join(
        f"<tr><th>{html.escape(str(key))}</th><td>{html.escape(_text(value))}</td></tr>"
        for key, value in rows.items()
    )
    return f"<table>{cells}</table>"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def render_html(kind: str, body: dict[str, Any]) -> str:
    """An HTML page for a landing, conformance, collections, collection, items or item body."""
    if kind == "conformance":
        title = "Conformance"
        content = (
            "<ul>" + "".join(f"<li>{html.escape(c)}</li>" for c in body["conformsTo"]) + "</ul>"
        )
    elif kind == "collections":
        title = "Collections"
        content = "".join(
            f"<h2>{html.escape(c['title'])}</h2><p>{html.escape(c['description'])}</p>"
            + _links(c["links"])
            for c in body["collections"]
        )
    elif kind == "items":
        title = f"{body['collection']}: {body['numberReturned']} / {body['numberMatched']}"
        content = _links(body["links"]) + "".join(
            f"<h3>{html.escape(str(feature['id']))}</h3>" + _table(feature["properties"])
            for feature in body["features"]
        )
    elif kind == "item":
        title = str(body["id"])
        content = _table(body["properties"]) + f"<pre>{html.escape(_text(body['geometry']))}</pre>"
    else:  # landing, collection
        title = body.get("title", kind)
        content = f"<p>{html.escape(body.get('description', ''))}</p>" + _links(body["links"])
    return PAGE.format(title=html.escape(title), body=content)
