"""Schematic parcel shapes: the best that can be drawn before any survey or digitizing.

No coordinates exist in the published plan. A schematic parcel is a rectangle with exactly the
declared area, centred where the named streets are believed to be and turned to the local street
grid; ``data/sources/schematic_placement.csv`` records each placement with its evidence. The shape
says nothing about the real boundary, and every feature built here says so in ``geometry_note``.
"""

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely import MultiPolygon, Point, box
from shapely.affinity import rotate

from geo.area import from_plane, mu_to_m2, to_plane, zone_epsg
from geo.errors import InvalidParcelData
from geo.geometry_output import geojson_multipolygon
from geo.intake.notice_table import PlanRow, PlanTable, read_plan_table
from geo.messages import message


@dataclass(frozen=True)
class Placement:
    """Where and how a schematic rectangle is drawn for one row of the plan."""

    seq: int
    lon: float
    lat: float
    bearing_deg: float
    aspect: float
    evidence: str


def read_placements(path: Path) -> dict[int, Placement]:
    """Read the placement table (seq, lon, lat, bearing_deg, aspect, evidence)."""
    placements: dict[int, Placement] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                placement = Placement(
                    seq=int(row["seq"]),
                    lon=float(row["lon"]),
                    lat=float(row["lat"]),
                    bearing_deg=float(row["bearing_deg"]),
                    aspect=float(row["aspect"]),
                    evidence=row["evidence"].strip(),
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise InvalidParcelData(
                    message("intake.placement_unreadable", line=line, exc=exc, path=path)
                ) from None
            if placement.aspect <= 0 or not math.isfinite(placement.aspect):
                raise InvalidParcelData(message("intake.aspect_not_positive", line=line, path=path))
            placements[placement.seq] = placement
    return placements


def schematic_rectangle(placement: Placement, area_m2: float) -> MultiPolygon:
    """A rectangle of ``area_m2`` on the measurement plane, centred and turned as placed."""
    zone = zone_epsg(placement.lon)  # the plane back must be the plane out, in any province
    centre = to_plane(Point(placement.lon, placement.lat), zone)
    width = math.sqrt(area_m2 * placement.aspect)
    height = area_m2 / width
    rectangle = box(
        centre.x - width / 2, centre.y - height / 2, centre.x + width / 2, centre.y + height / 2
    )
    # Bearings are clockwise from north; shapely turns counter-clockwise for positive angles.
    turned = rotate(rectangle, -placement.bearing_deg, origin=centre)
    return MultiPolygon([from_plane(turned, zone)])


def schematic_note(row: PlanRow, placement: Placement) -> str:
    """The provenance note every schematic feature carries."""
    return (
        "Schematic: a rectangle with the declared area, placed at the estimated location of the "
        "streets named in the four-boundary text; not surveyed and not digitized from a map, so it "
        f"does not show the real boundary. Placement: {placement.evidence}"
    )


def row_properties(plan: dict[str, Any], row: PlanRow) -> dict[str, Any]:
    """A plan row's properties as data/parcels.geojson names them (geometry fields aside)."""
    parcel_id = f"{plan['code']}-{row.seq:02d}"
    return {
        "id": parcel_id,
        "plan": plan["title"],
        "plan_year": plan["year"],
        "seq": row.seq,
        "block": row.block,
        "name": row.name,
        "boundary_text": row.boundary_text,
        "declared_area_mu": float(row.declared_area_mu),
        "interest_type": row.interest_type,
        "implementing_unit": row.implementing_unit,
    }


def schematic_feature(plan: dict[str, Any], row: PlanRow, placement: Placement) -> dict[str, Any]:
    """Build one GeoJSON Feature with the plan row's verbatim attributes."""
    geometry = schematic_rectangle(placement, mu_to_m2(float(row.declared_area_mu)))
    properties = row_properties(plan, row) | {
        "geometry_source": "schematic",
        "geometry_note": schematic_note(row, placement),
    }
    return {
        "type": "Feature",
        "id": properties["id"],
        "properties": properties,
        "geometry": geojson_multipolygon(geometry),
    }


def plan_member(plan: dict[str, Any], table: PlanTable) -> dict[str, Any]:
    """The collection's "plan" member: what the loader stores in the plans table."""
    return {
        "code": plan["code"],
        "title": plan["title"],
        "year": plan["year"],
        "issuer": plan["issuer"],
        "published_on": plan["published_on"],
        "source_document": plan["source_document"],
        "published_total_mu": float(table.published_total_mu),
    }


def build_schematic_collection(plan_file: Path) -> dict[str, Any]:
    """Build the schematic parcels FeatureCollection described by a plan source file."""
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    table = read_plan_table(plan_file.parent / plan["notice_file"])
    placements = read_placements(plan_file.parent / plan["placement_file"])
    missing = [row.seq for row in table.rows if row.seq not in placements]
    if missing:
        raise InvalidParcelData(message("intake.placement_missing", missing=missing))
    return {
        "type": "FeatureCollection",
        "plan": plan_member(plan, table),
        "features": [schematic_feature(plan, row, placements[row.seq]) for row in table.rows],
    }


def write_collection(collection: dict[str, Any], path: Path) -> None:
    """Write a FeatureCollection as UTF-8 GeoJSON with Chinese text left readable."""
    path.write_text(json.dumps(collection, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
