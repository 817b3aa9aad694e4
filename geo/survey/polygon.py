"""Survey results (勘测定界): boundary points (界址点) in, a checked parcel polygon and its area out.

A survey replaces a parcel's schematic or digitized shape with the surveyed one (geometry_source
``surveyed``). Surveyors deliver the boundary points as a point table (界址点坐标表, CSV or XLSX)
or as the land-submission coordinate text file (建设用地报批坐标文件, ``[属性描述]`` and
``[地块坐标]``); ``geo.survey.formats`` reads and writes both, and ``geo.survey.rings`` checks
the rings the points make. Coordinates are CGCS2000 3-degree Gauss-Kruger, central meridian
120E: X is the northing and Y the easting, written either plain (EPSG:4549) or with the zone
number 40 in front (EPSG:4528). Other zones are refused rather than guessed, since a wrong zone
moves a parcel by hundreds of kilometres.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from shapely import Polygon

from geo.area import MEASUREMENT_CRS, MU_M2, from_plane
from geo.errors import InvalidSurvey
from geo.survey.formats import (
    MAX_POINTS,
    BoundaryPoint,
    format_coordinate_text,
    format_point_table,
    table_points,
    text_blocks,
)
from geo.survey.rings import build_polygon, plane_rows

__all__ = [
    "MAX_POINTS",
    "InvalidSurvey",
    "SurveyedParcel",
    "read_coordinate_text",
    "read_point_table",
    "read_survey",
    "write_coordinate_text",
    "write_point_table",
]

ZONE = 40
"""The only Gauss-Kruger 3-degree zone accepted: central meridian 120E, which covers Jiaxing."""
ZONE_CRS = "EPSG:4528"
"""CGCS2000 / 3-degree Gauss-Kruger zone 40: eastings carry the zone number (40 500 000 m)."""
ZONE_OFFSET_M = ZONE * 1_000_000
"""What the zone prefix adds to an EPSG:4549 easting."""


@dataclass(frozen=True)
class SurveyedParcel:
    """A parcel polygon built from surveyed boundary points, with its area on the plane."""

    parcel_number: str | None
    parcel_name: str | None
    polygon_plane: Polygon = field(repr=False)
    polygon_wgs84: Polygon = field(repr=False)
    source_crs: str
    area_m2: float
    area_mu: float
    stated_area_m2: float | None
    point_count: int

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready summary: areas, the stated area and the difference, points, CRS, bbox."""
        stated = self.stated_area_m2
        difference = None if stated is None else self.area_m2 - stated
        return {
            "parcel_number": self.parcel_number,
            "parcel_name": self.parcel_name,
            "area_m2": round(self.area_m2, 2),
            "area_mu": round(self.area_mu, 2),
            "stated_area_m2": None if stated is None else round(stated, 2),
            "area_difference_m2": None if difference is None else round(difference, 2),
            "area_difference_pct": round(100 * difference / stated, 2) if stated else None,
            "point_count": self.point_count,
            "hole_count": len(self.polygon_plane.interiors),
            "source_crs": self.source_crs,
            # RFC 7946 order: west, south, east, north in WGS84 degrees.
            "bbox": [round(value, 7) for value in self.polygon_wgs84.bounds],
        }


def _digits(value: float) -> int:
    return len(str(int(abs(value))))


def _y_form(point: BoundaryPoint) -> str:
    """Whether a point's Y is a plain easting or carries the zone prefix; refuse anything else."""
    if point.x <= 0 or point.y <= 0:
        raise InvalidSurvey(f"{point.where}: X and Y must be positive, not {point.x}, {point.y}.")
    if _digits(point.y) == 7 and _digits(point.x) in (6, 8):
        raise InvalidSurvey(
            f"{point.where}: X and Y look swapped: X is the northing (纵坐标, 7 digits) and Y the "
            "easting (横坐标, 6 digits, or 8 with the zone number)."
        )
    if _digits(point.x) != 7:
        raise InvalidSurvey(
            f"{point.where}: X {point.x} is not a northing in China (7 digits before the point)."
        )
    if _digits(point.y) == 6:
        return "plain"
    if _digits(point.y) == 8:
        zone = int(point.y // 1_000_000)
        if zone != ZONE:
            raise InvalidSurvey(
                f"{point.where}: Y {point.y} is in Gauss-Kruger zone {zone}; only zone {ZONE} "
                "(3-degree, central meridian 120E) is supported. Reproject the survey first."
            )
        return "prefixed"
    raise InvalidSurvey(
        f"{point.where}: Y {point.y} has {_digits(point.y)} digits before the point; expected 6 "
        f"(easting, EPSG:4549) or 8 starting with the zone number {ZONE} (EPSG:4528)."
    )


def _source_crs(points: list[BoundaryPoint]) -> tuple[str, float]:
    """The CRS the Y values are written in, and the offset that takes them to EPSG:4549."""
    first, form = points[0], _y_form(points[0])
    for point in points[1:]:
        if _y_form(point) != form:
            with_prefix = "with" if form == "prefixed" else "without"
            raise InvalidSurvey(
                f"{point.where}: Y {point.y} differs from {first.where} (Y {first.y}, {with_prefix} "
                f"the zone prefix {ZONE}); every point must be written the same way."
            )
    return (ZONE_CRS, ZONE_OFFSET_M) if form == "prefixed" else (MEASUREMENT_CRS, 0.0)


def _parcel(
    points: list[BoundaryPoint],
    source: tuple[str, float],
    parcel_number: str | None = None,
    parcel_name: str | None = None,
    stated_area_m2: float | None = None,
) -> SurveyedParcel:
    crs, offset = source
    plane, point_count = build_polygon(points, offset)
    # Surveyors compute 亩 on the Gauss-Kruger plane (shoelace, holes subtracted), not on the
    # ellipsoid; the stored measured area uses the same plane.
    area_m2 = plane.area
    return SurveyedParcel(
        parcel_number=parcel_number,
        parcel_name=parcel_name,
        polygon_plane=plane,
        polygon_wgs84=from_plane(plane),
        source_crs=crs,
        area_m2=area_m2,
        area_mu=round(area_m2 / MU_M2, 2),
        stated_area_m2=stated_area_m2,
        point_count=point_count,
    )


def _require_data(data: bytes) -> None:
    if not data.strip():
        raise InvalidSurvey("The file is empty.")


def read_point_table(data: bytes, filename: str) -> SurveyedParcel:
    r"""Read a boundary-point table (界址点坐标表), CSV or XLSX, into one parcel.

    Columns: 点号, 圈号 (optional, default 1), X (northing) and Y (easting), found by their header;
    a table without a header must have them in that order (4 or 3 columns).

    >>> rows = ["点号,X,Y", "J1,3400000,572000", "J2,3400000,572100", "J3,3400100,572100",
    ...         "J4,3400100,572000"]
    >>> parcel = read_point_table("\n".join(rows).encode(), "square.csv")
    >>> parcel.area_m2, parcel.area_mu, parcel.source_crs
    (10000.0, 15.0, 'EPSG:4549')
    """
    _require_data(data)
    points = table_points(data, filename)
    return _parcel(points, _source_crs(points))


def _check_attributes(attributes: dict[str, tuple[str, str]]) -> None:
    """Refuse a coordinate file whose [属性描述] names another datum, zone width or zone."""
    system, where = attributes.get("坐标系", ("", ""))
    if system and "2000" not in system:
        raise InvalidSurvey(
            f"{where}: 坐标系={system} is not supported; only CGCS2000 (2000国家大地坐标系) is."
        )
    for key in ("几度分带", "分带"):
        width, where = attributes.get(key, ("", ""))
        digits = re.search(r"\d+", width)
        if digits and digits[0] != "3":
            raise InvalidSurvey(f"{where}: {key}={width}: only 3-degree zones are supported.")
    zone, where = attributes.get("带号", ("", ""))
    if zone and zone != str(ZONE):
        raise InvalidSurvey(
            f"{where}: 带号={zone}: zone {zone} is not supported; only zone {ZONE} (3-degree "
            "Gauss-Kruger, central meridian 120E) is. Reproject the survey first."
        )


def read_coordinate_text(data: bytes) -> list[SurveyedParcel]:
    """Read every parcel of a submission coordinate text file ([属性描述] and [地块坐标])."""
    _require_data(data)
    attributes, blocks = text_blocks(data)
    _check_attributes(attributes)
    source = _source_crs([point for block in blocks for point in block.points])
    return [
        _parcel(
            list(block.points),
            source,
            block.parcel_number,
            block.parcel_name,
            block.stated_area_m2,
        )
        for block in blocks
    ]


def _is_coordinate_text(data: bytes) -> bool:
    start = data[:64]
    for encoding in ("utf-8-sig", "gb18030"):
        text = start.decode(encoding, errors="ignore").lstrip()
        if text.startswith(("[属性描述]", "[地块坐标]")):
            return True
    return False


def read_survey(data: bytes, filename: str) -> list[SurveyedParcel]:
    """Read any supported survey file: a .csv/.xlsx point table or a .txt coordinate file."""
    _require_data(data)
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "txt" or _is_coordinate_text(data):
        return read_coordinate_text(data)
    if suffix in ("csv", "xlsx", "xls"):
        return [read_point_table(data, filename)]
    raise InvalidSurvey(
        f"{filename or 'The file'}: unknown kind of file; send a .csv or .xlsx boundary-point "
        "table (界址点坐标表) or a .txt coordinate file (坐标文件)."
    )


def write_point_table(polygon_wgs84: Polygon, with_zone_prefix: bool = False) -> bytes:
    """Write a polygon as a boundary-point table CSV: 点号, 圈号, X, Y on the plane, in metres."""
    rows, _ = plane_rows(polygon_wgs84, ZONE_OFFSET_M if with_zone_prefix else 0.0)
    return format_point_table(rows)


def write_coordinate_text(
    polygon_wgs84: Polygon,
    parcel_number: str,
    parcel_name: str,
    unit: str = "zhengshou",
    *,
    produced_on: date | None = None,
) -> bytes:
    """Write a polygon as a submission coordinate text file (zone 40, area in hectares)."""
    rows, area_m2 = plane_rows(polygon_wgs84, ZONE_OFFSET_M)
    return format_coordinate_text(
        rows, area_m2 / 10_000, parcel_number, parcel_name, unit, produced_on or date.today()
    )
