"""Survey results (勘测定界): boundary points (界址点) in, a checked parcel polygon and its area out.

A survey replaces a parcel's schematic or digitized shape with the surveyed one (geometry_source
``surveyed``). Surveyors deliver the boundary points as a point table (界址点坐标表, CSV or XLSX)
or as the land-submission coordinate text file (建设用地报批坐标文件, ``[属性描述]`` and
``[地块坐标]``); ``geo.survey.formats`` reads and writes both, and ``geo.survey.rings`` checks
the rings the points make.

Coordinates are CGCS2000 3-degree Gauss-Kruger in the zone of the parcel being surveyed (its
``zone_epsg``: EPSG:4549, central meridian 120E, for Jiaxing; EPSG:4547, 114E, for Zhengzhou).
X is the northing and Y the easting, written either plain (EPSG:4534 … 4554) or with the zone
number, central meridian / 3, in front (40 for 120E: EPSG:4528; EPSG:4513 … 4533 for zones
25 … 45). A file in another zone (a Y prefix or a 带号 naming it) is refused rather than read,
since a wrong zone moves a parcel by hundreds of kilometres. A parcel not yet located takes its
plan's zone (``geo.survey.apply``), or, without one, the zone its survey file names.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from shapely import Polygon

from geo.area import (
    DEFAULT_PLANE_EPSG,
    MU_M2,
    central_meridian,
    from_plane,
    prefixed_epsg,
    zone_by_number,
    zone_number,
    zone_of,
)
from geo.errors import InvalidSurvey
from geo.messages import message
from geo.survey.formats import (
    MAX_POINTS,
    BoundaryPoint,
    format_coordinate_text,
    format_point_table,
    table_points,
    text_blocks,
)
from geo.survey.rings import build_polygon, check_writable, plane_rows

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

PREFIX_M = 1_000_000
"""A prefixed easting is the zone number times this plus the plain easting (40 572 000 m)."""


@dataclass(frozen=True)
class SourceCrs:
    """How a file's Y values are written: the zone's plane and what the prefix adds."""

    zone: int
    """The plain EPSG code of the zone (EPSG:4534 … 4554): the plane the polygon is built on."""
    prefixed: bool

    @property
    def name(self) -> str:
        """The CRS as written, e.g. EPSG:4549 plain or EPSG:4528 with the zone number."""
        return f"EPSG:{prefixed_epsg(self.zone) if self.prefixed else self.zone}"

    @property
    def offset(self) -> float:
        """What the zone prefix adds to a plain easting (0 for plain eastings)."""
        return zone_number(self.zone) * PREFIX_M if self.prefixed else 0.0


def _zone_words(zone: int) -> str:
    return message(
        "survey.zone_words", number=zone_number(zone), meridian=central_meridian(zone), zone=zone
    )


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


def _y_form(point: BoundaryPoint, zone: int | None) -> SourceCrs:
    """How a point's Y is written, plain or with the zone prefix; refuse anything else.

    ``zone`` is the parcel's zone: the one a plain easting is read in, and the only one a prefix
    may name. None (a parcel not yet located) accepts any prefix and refuses plain eastings.
    """
    if point.x <= 0 or point.y <= 0:
        raise InvalidSurvey(
            message("survey.xy_not_positive", where=point.where, x=point.x, y=point.y)
        )
    if _digits(point.y) == 7 and _digits(point.x) in (6, 8):
        raise InvalidSurvey(message("survey.xy_swapped", where=point.where))
    if _digits(point.x) != 7:
        raise InvalidSurvey(message("survey.x_not_northing", where=point.where, x=point.x))
    if _digits(point.y) == 6:
        if zone is None:
            raise InvalidSurvey(message("survey.y_needs_zone", where=point.where, y=point.y))
        return SourceCrs(zone, prefixed=False)
    if _digits(point.y) == 8:
        number = int(point.y // PREFIX_M)
        found = zone_by_number(number)
        if found is None:
            raise InvalidSurvey(
                message("survey.y_zone_outside_china", where=point.where, y=point.y, number=number)
            )
        if zone is not None and found != zone:
            raise InvalidSurvey(
                message(
                    "survey.y_wrong_zone",
                    where=point.where,
                    y=point.y,
                    zone_words=_zone_words(zone),
                    zone_number=zone_number(zone),
                    number=number,
                )
            )
        return SourceCrs(found, prefixed=True)
    if zone is None:
        raise InvalidSurvey(
            message("survey.y_digits", where=point.where, y=point.y, digits=_digits(point.y))
        )
    raise InvalidSurvey(
        message(
            "survey.y_digits_in_zone",
            where=point.where,
            y=point.y,
            digits=_digits(point.y),
            zone=zone,
            zone_number=zone_number(zone),
            prefixed_epsg=prefixed_epsg(zone),
        )
    )


def _source_crs(points: list[BoundaryPoint], zone: int | None) -> SourceCrs:
    """How every point's Y is written; they must all be written the same way."""
    first, source = points[0], _y_form(points[0], zone)
    for point in points[1:]:
        other = _y_form(point, zone)
        if other.prefixed != source.prefixed:
            raise InvalidSurvey(
                message(
                    "survey.y_form_differs_with" if source.prefixed else "survey.y_form_differs",
                    where=point.where,
                    y=point.y,
                    first=first.where,
                    first_y=first.y,
                    zone_number=zone_number(source.zone),
                )
            )
        if other.zone != source.zone:
            raise InvalidSurvey(
                message(
                    "survey.several_zones",
                    where=point.where,
                    y=point.y,
                    zone=zone_number(other.zone),
                    first=first.where,
                    first_y=first.y,
                    first_zone=zone_number(source.zone),
                )
            )
    return source


def _parcel(
    points: list[BoundaryPoint],
    source: SourceCrs,
    parcel_number: str | None = None,
    parcel_name: str | None = None,
    stated_area_m2: float | None = None,
) -> SurveyedParcel:
    plane, point_count = build_polygon(points, source.offset)
    # Surveyors compute 亩 on the Gauss-Kruger plane (shoelace, holes subtracted), not on the
    # ellipsoid; the stored measured area uses the same plane.
    area_m2 = plane.area
    return SurveyedParcel(
        parcel_number=parcel_number,
        parcel_name=parcel_name,
        polygon_plane=plane,
        polygon_wgs84=from_plane(plane, source.zone),
        source_crs=source.name,
        area_m2=area_m2,
        area_mu=round(area_m2 / MU_M2, 2),
        stated_area_m2=stated_area_m2,
        point_count=point_count,
    )


def _require_data(data: bytes) -> None:
    if not data.strip():
        raise InvalidSurvey(message("survey.file_empty"))


def read_point_table(
    data: bytes, filename: str, zone: int | None = DEFAULT_PLANE_EPSG
) -> SurveyedParcel:
    r"""Read a boundary-point table (界址点坐标表), CSV or XLSX, into one parcel.

    Columns: 点号, 圈号 (optional, default 1), X (northing) and Y (easting), found by their header;
    a table without a header must have them in that order (4 or 3 columns). ``zone`` is the
    surveyed parcel's zone (plain EPSG code), None for a parcel not yet located.

    >>> rows = ["点号,X,Y", "J1,3400000,572000", "J2,3400000,572100", "J3,3400100,572100",
    ...         "J4,3400100,572000"]
    >>> parcel = read_point_table("\n".join(rows).encode(), "square.csv")
    >>> parcel.area_m2, parcel.area_mu, parcel.source_crs
    (10000.0, 15.0, 'EPSG:4549')
    """
    _require_data(data)
    points = table_points(data, filename)
    return _parcel(points, _source_crs(points, zone))


def _check_attributes(attributes: dict[str, tuple[str, str]], zone: int | None) -> int | None:
    """Refuse a coordinate file whose [属性描述] names another datum, zone width or zone.

    Returns the zone to read the file in: the parcel's, or the one 带号 states when the parcel
    has none yet.
    """
    system, where = attributes.get("坐标系", ("", ""))
    if system and "2000" not in system:
        raise InvalidSurvey(message("survey.system_unsupported", system=system, where=where))
    for key in ("几度分带", "分带"):
        width, where = attributes.get(key, ("", ""))
        digits = re.search(r"\d+", width)
        if digits and digits[0] != "3":
            raise InvalidSurvey(
                message("survey.zone_width_unsupported", key=key, width=width, where=where)
            )
    stated, where = attributes.get("带号", ("", ""))
    if not stated:
        return zone
    number = int(stated) if stated.isdigit() else None
    found = None if number is None else zone_by_number(number)
    if found is None:
        raise InvalidSurvey(message("survey.stated_zone_outside_china", stated=stated, where=where))
    if zone is not None and found != zone:
        raise InvalidSurvey(
            message(
                "survey.stated_zone_wrong",
                zone_words=_zone_words(zone),
                zone_number=zone_number(zone),
                stated=stated,
                where=where,
            )
        )
    return found


def read_coordinate_text(
    data: bytes, zone: int | None = DEFAULT_PLANE_EPSG
) -> list[SurveyedParcel]:
    """Read every parcel of a submission coordinate text file ([属性描述] and [地块坐标]).

    ``zone`` is the surveyed parcel's zone (plain EPSG code), None for a parcel not yet located.
    """
    _require_data(data)
    attributes, blocks = text_blocks(data)
    zone = _check_attributes(attributes, zone)
    source = _source_crs([point for block in blocks for point in block.points], zone)
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


def read_survey(
    data: bytes, filename: str, zone: int | None = DEFAULT_PLANE_EPSG
) -> list[SurveyedParcel]:
    """Read any supported survey file: a .csv/.xlsx point table or a .txt coordinate file.

    ``zone`` is the surveyed parcel's zone (plain EPSG code), None for a parcel not yet located.
    """
    _require_data(data)
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "txt" or _is_coordinate_text(data):
        return read_coordinate_text(data, zone)
    if suffix in ("csv", "xlsx", "xls"):
        return [read_point_table(data, filename, zone)]
    raise InvalidSurvey(
        message("survey.unknown_file_kind", filename=filename or message("survey.the_file"))
    )


def _writing_source(polygon_wgs84: Polygon, zone: int | None, prefixed: bool) -> SourceCrs:
    check_writable(polygon_wgs84)  # before an empty shape is asked for its zone
    return SourceCrs(zone_of(polygon_wgs84) if zone is None else zone, prefixed)


def write_point_table(
    polygon_wgs84: Polygon, with_zone_prefix: bool = False, zone: int | None = None
) -> bytes:
    """Write a polygon as a boundary-point table CSV: 点号, 圈号, X, Y on the plane, in metres.

    The plane is ``zone`` (the parcel's), or the polygon's own zone.
    """
    source = _writing_source(polygon_wgs84, zone, with_zone_prefix)
    rows, _ = plane_rows(polygon_wgs84, source.zone, source.offset)
    return format_point_table(rows)


def write_coordinate_text(
    polygon_wgs84: Polygon,
    parcel_number: str,
    parcel_name: str,
    unit: str = "zhengshou",
    *,
    produced_on: date | None = None,
    zone: int | None = None,
) -> bytes:
    """Write a polygon as a submission coordinate text file (Y with the zone number, area in ha).

    The plane is ``zone`` (the parcel's), or the polygon's own zone; 带号 names it.
    """
    source = _writing_source(polygon_wgs84, zone, prefixed=True)
    rows, area_m2 = plane_rows(polygon_wgs84, source.zone, source.offset)
    return format_coordinate_text(
        rows,
        area_m2 / 10_000,
        parcel_number,
        parcel_name,
        unit,
        produced_on or date.today(),
        zone_number(source.zone),
    )
