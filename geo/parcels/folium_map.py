"""A self-contained, shareable HTML map of the parcels, made with folium.

folium loads Leaflet, jQuery and Bootstrap from CDNs by default; those are unreachable from many
Chinese networks and from offline machines. This map drops the assets it does not use and inlines
the vendored Leaflet (with its images as data URIs), so the file works anywhere, offline.
"""

import base64
import html
import json
import re
from pathlib import Path
from typing import Any

import folium
from branca.element import Element
from shapely.geometry import shape
from sqlalchemy.orm import Session

from geo.boundaries.reference import reference_collection_json
from geo.messages import message
from geo.parcels.reads import ParcelFilter, feature_collection_json
from geo.parcels.record import LABELS_ZH
from geo.parcels.styles import GEOMETRY_NOTICE_ZH, GEOMETRY_NOTICES, block_colours

LEAFLET_DIR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "leaflet"
POPUP_PROPERTIES = (
    "seq",
    "name",
    "block",
    "boundary_text",
    "declared_area_mu",
    "measured_area_mu",
    "interest_type",
    "implementing_unit",
)
"""The popup's rows, in order, each under the record's label for it."""
# (property, label); the notice in Chinese stands under the label of the source it explains.
POPUP_FIELDS = (
    *((name, LABELS_ZH[name]) for name in POPUP_PROPERTIES),
    ("geometry_notice_zh", LABELS_ZH["geometry_source"]),
)


def _inline_leaflet_css() -> str:
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        image = LEAFLET_DIR / match.group(1)
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{encoded})"

    return re.sub(r"url\((images/[\w-]+\.png)\)", data_uri, css)


def _inline_assets(page: str) -> str:
    """Replace the Leaflet CDN tags with the vendored files, inline."""
    script = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")
    script = script.replace("</script", "<\\/script")
    page = re.sub(
        r'<script src="[^"]*leaflet[^"]*\.js"></script>',
        lambda _: f"<script>{script}</script>",
        page,
    )
    return re.sub(
        r'<link rel="stylesheet" href="[^"]*leaflet[^"]*\.css"/>',
        lambda _: f"<style>{_inline_leaflet_css()}</style>",
        page,
    )


def _legend(colours: dict[str | None, str], notice: str) -> Element:
    rows = "".join(
        f'<div><span style="display:inline-block;width:12px;height:12px;background:{colour};'
        f'margin-right:6px"></span>{html.escape(block or message("styles.unstated_block", "zh"))}</div>'
        for block, colour in colours.items()
    )
    return Element(
        '<div style="position:fixed;top:12px;right:12px;z-index:1000;background:#fff;'
        'padding:8px 10px;border:1px solid #999;font:13px sans-serif;max-width:340px">'
        f"<b>所属板块</b>{rows}<hr style='margin:6px 0'>"
        f"<small>{html.escape(GEOMETRY_NOTICE_ZH)}<br>{html.escape(notice)}</small></div>"
    )


REFERENCE_STYLES = {
    "road": {"color": "#888888", "weight": 3},
    "water": {"color": "#3b8fd9", "weight": 3},
    "wall": {"color": "#444444", "weight": 1},
}


def _add_reference(figure: folium.Map, reference: dict[str, Any]) -> None:
    """Roads, rivers and walls, so that the map reads without a basemap (offline)."""
    lines = [f for f in reference["features"] if f["properties"]["kind"] in REFERENCE_STYLES]
    folium.GeoJson(
        {"type": "FeatureCollection", "features": lines},
        name="参考要素（估计位置）",
        style_function=lambda f: REFERENCE_STYLES[f["properties"]["kind"]],
        tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=["参考要素"]),
    ).add_to(figure)


def parcels_map_html(collection: dict[str, Any], reference: dict[str, Any] | None = None) -> str:
    """The parcels FeatureCollection (as the API serves it) as a standalone HTML map.

    With a reference layer, its roads, rivers and walls are drawn under the parcels.
    """
    colours = block_colours(f["properties"]["block"] for f in collection["features"])
    # A parcel not yet located has no shape to draw or to fit the view around.
    features = [f for f in collection["features"] if f["geometry"] is not None]
    collection = {**collection, "features": features}
    for feature in features:
        source = feature["properties"]["geometry_source"]
        feature["properties"]["geometry_notice_zh"] = GEOMETRY_NOTICES[source][0]
    bounds = [shape(f["geometry"]).bounds for f in features] or [(120.7, 30.7, 120.8, 30.8)]
    south_west = [min(b[1] for b in bounds), min(b[0] for b in bounds)]
    north_east = [max(b[3] for b in bounds), max(b[2] for b in bounds)]

    figure = folium.Map(tiles=None, control_scale=True)
    figure.default_js = [item for item in figure.default_js if item[0] == "leaflet"]
    figure.default_css = [item for item in figure.default_css if item[0] == "leaflet_css"]
    if reference:
        _add_reference(figure, reference)
    folium.GeoJson(
        collection,
        name="征收地块",
        style_function=lambda f: {
            "color": colours[f["properties"]["block"]],
            "fillColor": colours[f["properties"]["block"]],
            "weight": 2,
            "fillOpacity": 0.35,
        },
        highlight_function=lambda f: {"weight": 4, "fillOpacity": 0.6},
        popup=folium.GeoJsonPopup(
            fields=[name for name, _ in POPUP_FIELDS],
            aliases=[label for _, label in POPUP_FIELDS],
            localize=False,
            labels=True,
        ),
        tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=["地块"]),
    ).add_to(figure)
    figure.fit_bounds([south_west, north_east])
    figure.get_root().html.add_child(_legend(colours, collection.get("geometry_notice", "")))
    figure.get_root().header.add_child(Element('<meta charset="utf-8">'))
    return _inline_assets(figure.get_root().render())


def parcels_map_from_db(session: Session) -> str:
    """The standalone map of every stored parcel, over the stored reference layer."""
    return parcels_map_html(
        json.loads(feature_collection_json(session, ParcelFilter())),
        json.loads(reference_collection_json(session)),
    )
