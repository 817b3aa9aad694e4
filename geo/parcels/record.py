"""The parcel record: the one list of a parcel's fields, and one GeoJSON Feature validated into it.

``FIELDS`` says, for every property a parcel has, what kind of value it holds, where it is stored,
and who reads or writes it: parcels files, loads, the editing API, the OGC API, the exported files.
The modules that used to spell these lists out (the file check, the loader, the bulk import,
editing, the reads, the export, the tiles, the OGC queryables, the HTML map) derive theirs from it,
so a field is added or renamed in one place.
"""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum, Flag, auto
from typing import Any

from shapely import MultiPolygon, Polygon

from geo.area import MU_M2
from geo.errors import GeoError, InvalidParcelData
from geo.geometry_input import parse_input_geometry
from geo.messages import message
from geo.models import GEOMETRY_SOURCES, STAGES


class Kind(Enum):
    """What a field's value is; the order is the order in which a feature's values are checked."""

    TEXT = auto()
    NUMBER = auto()
    CHOICE = auto()
    WHOLE = auto()
    JSON = auto()
    DATE = auto()
    """A calendar day: ISO 8601 text (2022-05-14) in JSON and in the exported files."""


class Use(Flag):
    """Who reads or writes a field, besides the GeoJSON every read serves (all fields)."""

    SERVED = 0
    """Only served (and written by the database or derived on every write)."""
    FILE = auto()
    """A property of every parcels file, in the order data/parcels.geojson gives them."""
    KEY = auto()
    """Identifies the parcel (id, seq): a ParcelRecord attribute that a load never changes."""
    LOAD = auto()
    """A ParcelRecord attribute that a load copies into its column and compares to find changes."""
    EDIT = auto()
    """Changed through the editing API."""
    QUERY = auto()
    """An OGC API queryable (a filter compares its stored value)."""


@dataclass(frozen=True)
class ParcelField:
    """One property of a parcel."""

    name: str
    kind: Kind
    uses: Use = Use.SERVED
    shapefile_name: str | None = None
    """Its name in the exported files' Shapefile (dBASE allows 10 characters); None: not in the
    exported files. The names are stable: users' GIS projects refer to them."""
    label_zh: str | None = None
    """Its label on the shareable map's popup."""
    stored_sql: str | None = None
    """The stored value in SQL over ``parcels p JOIN plans pl``, when not the column ``p.<name>``."""
    shown_sql: str | None = None
    """How a served Feature shows the value (rounded, unwrapped), when not as stored."""
    choices: tuple[str, ...] = ()
    optional: bool = False
    """Whether an edit may clear it (JSON null, or an empty text)."""
    unstated: bool = False
    """Whether it may be null because a notice does not state it (files and edits give JSON
    null; an empty text is still refused, so that "not stated" has one spelling)."""

    @property
    def sql(self) -> str:
        """The stored value, in SQL over ``parcels p JOIN plans pl``; filters compare it."""
        return self.stored_sql or f"p.{self.name}"

    @property
    def served_sql(self) -> str:
        """The value as a served GeoJSON Feature shows it, in SQL."""
        return self.shown_sql or self.sql

    @property
    def is_text(self) -> bool:
        """Whether the value is text (free or one of its choices)."""
        return self.kind in (Kind.TEXT, Kind.CHOICE)


PLAN_VALUE = Use.FILE | Use.LOAD | Use.EDIT
"""What the published plan gives each parcel: in every file, loaded, editable."""
KEY_VALUE = Use.FILE | Use.KEY | Use.QUERY
"""What identifies a parcel: in every file, never changed by a load."""

# Order matters: it is the order of the properties in every served Feature and exported file.
# Columns: name, kind, uses, Shapefile name, label on the map.
FIELDS = (
    ParcelField("id", Kind.TEXT, KEY_VALUE, "id", "编号"),
    ParcelField("plan", Kind.TEXT, Use.FILE | Use.QUERY, "plan", stored_sql="pl.title"),
    ParcelField("plan_year", Kind.WHOLE, Use.FILE | Use.QUERY, "plan_year", stored_sql="pl.year"),
    ParcelField("seq", Kind.WHOLE, KEY_VALUE, "seq", "序号"),
    ParcelField("block", Kind.TEXT, PLAN_VALUE | Use.QUERY, "block", "所属板块", unstated=True),
    ParcelField("name", Kind.TEXT, PLAN_VALUE | Use.QUERY, "name", "地块名称"),
    ParcelField(
        "boundary_text", Kind.TEXT, PLAN_VALUE | Use.QUERY, "boundary", "四至范围", unstated=True
    ),
    ParcelField(
        "declared_area_mu",
        Kind.NUMBER,
        PLAN_VALUE | Use.QUERY,
        "decl_mu",
        "土地面积（亩）",
        unstated=True,
    ),
    ParcelField(
        "interest_type",
        Kind.TEXT,
        PLAN_VALUE | Use.QUERY,
        "interest",
        "公共利益类型",
        unstated=True,
    ),
    ParcelField(
        "implementing_unit",
        Kind.TEXT,
        PLAN_VALUE | Use.QUERY,
        "impl_unit",
        "建设活动组织实施单位",
        unstated=True,
    ),
    ParcelField(
        "geometry_source",
        Kind.CHOICE,
        PLAN_VALUE | Use.QUERY,
        "geom_src",
        "几何来源",
        choices=GEOMETRY_SOURCES,
    ),
    ParcelField("geometry_note", Kind.TEXT, PLAN_VALUE, "geom_note"),
    ParcelField("approval_reference", Kind.TEXT, Use.EDIT, optional=True),
    # Where the parcel stands in the process (geo.stages), since when, on which document. Not in
    # the parcels file: a stage is a fact about the parcel's progress, not about the published
    # plan, so a load keeps it and it changes by an edit (geo.stages checks the rules).
    ParcelField("stage", Kind.CHOICE, Use.EDIT | Use.QUERY, "stage", "阶段", choices=STAGES),
    ParcelField("stage_date", Kind.DATE, Use.EDIT, "stage_date", "阶段日期", optional=True),
    ParcelField("stage_document", Kind.TEXT, Use.EDIT, "stage_doc", "阶段文件", optional=True),
    ParcelField("stage_reason", Kind.TEXT, Use.EDIT, "stage_rsn", "阶段说明", optional=True),
    ParcelField(
        "agreements_signed", Kind.WHOLE, Use.EDIT, "agr_signed", "已签协议数", optional=True
    ),
    ParcelField("agreements_total", Kind.WHOLE, Use.EDIT, "agr_total", "应签协议数", optional=True),
    ParcelField("version", Kind.WHOLE),
    # Derived from boundary_text on every write (geo.parcels.writes); GeoJSON only, as it nests.
    ParcelField("boundaries", Kind.JSON, shown_sql="p.boundaries -> 'boundaries'"),
    # The CGCS2000 3-degree Gauss-Kruger zone nearest the parcel (EPSG:4534 … 4554), in which
    # the database measures its area; null for a parcel without a shape. GIS users need it to
    # know which plane the metres are on, so it travels in the exported files too.
    ParcelField("zone_epsg", Kind.WHOLE, Use.QUERY, "zone_epsg"),
    # Planar area on the parcel's zone, computed by the database; mu rounded to 0.01 as plans
    # publish them.
    ParcelField(
        "measured_area_m2",
        Kind.NUMBER,
        Use.QUERY,
        "meas_m2",
        shown_sql="round(p.measured_area_m2::numeric, 1)",
    ),
    ParcelField(
        "measured_area_mu",
        Kind.NUMBER,
        shapefile_name="meas_mu",
        label_zh="实测面积（亩）",
        stored_sql=f"round((p.measured_area_m2 / {MU_M2!r})::numeric, 2)",
    ),
)
FIELD_BY_NAME = {field.name: field for field in FIELDS}


def fields_with(use: Use) -> tuple[ParcelField, ...]:
    """The fields that have this use, in ``FIELDS`` order."""
    return tuple(field for field in FIELDS if use in field.uses)


def names_with(use: Use) -> tuple[str, ...]:
    """The names of the fields that have this use, in ``FIELDS`` order."""
    return tuple(field.name for field in fields_with(use))


PROPERTY_NAMES = names_with(Use.FILE)
"""The properties every parcels file gives each feature, in data/parcels.geojson's order."""
TEXT_PROPERTIES = tuple(f.name for f in fields_with(Use.FILE) if f.kind is Kind.TEXT)
"""The file's free-text properties, which must not be empty (some may be null: ``unstated``)."""
KEY_NAMES = names_with(Use.KEY)
LOADED_COLUMNS = names_with(Use.LOAD)
"""Every attribute of a record that is stored as is; the key names identify the row."""
RECORD_NAMES = tuple(f.name for f in FIELDS if f.uses & (Use.KEY | Use.LOAD))
"""The attributes of a ParcelRecord besides its geometry: the key and the loaded columns."""
EXPORTED = tuple(field for field in FIELDS if field.shapefile_name)
"""The fields of the exported files (all but GeoJSON): only those given a Shapefile name, so a
field added here reaches the served GeoJSON at once but users' files only on purpose."""
LABELS_ZH = {field.name: field.label_zh for field in FIELDS if field.label_zh}


@dataclass(frozen=True)
class PlanInfo:
    """The plan a parcels file belongs to."""

    code: str
    title: str
    year: int
    issuer: str | None = None
    published_on: date | None = None
    source_document: str | None = None
    published_total_mu: Decimal | None = None


@dataclass(frozen=True)
class ParcelRecord:
    """One validated parcel, ready to be written: the ``RECORD_NAMES`` fields and its shape."""

    id: str
    seq: int
    block: str | None
    name: str
    boundary_text: str | None
    declared_area_mu: Decimal | None
    interest_type: str | None
    implementing_unit: str | None
    geometry_source: str
    geometry_note: str
    geometry: MultiPolygon | None
    """None for a parcel the notice names but nobody has located yet (geometry_source 'none')."""


def _problem(where: str, problem: str) -> InvalidParcelData:
    return InvalidParcelData(message("parcels.problem", where=where, problem=problem))


def multipolygon(raw: Any, where: str, error: type[GeoError] = InvalidParcelData) -> MultiPolygon:
    """Turn a GeoJSON geometry into a valid MultiPolygon, or raise ``error`` saying what is wrong."""
    geometry = parse_input_geometry(raw, where, ("Polygon", "MultiPolygon"), error)
    return MultiPolygon([geometry]) if isinstance(geometry, Polygon) else geometry


NO_SHAPE = "none"
"""The geometry_source of a parcel without a shape: the notice names it, nobody has located it."""


def shape_matches_source(has_shape: bool, geometry_source: str, where: str) -> None:
    """Refuse a shape with geometry_source 'none', or a missing shape with any other source.

    A parcel may lack a shape (the notice is the legal record), but only saying so: its
    geometry_note says why (no 四至, a named feature not on the reference layer).
    """
    if not has_shape and geometry_source != NO_SHAPE:
        raise _problem(
            where,
            message("parcels.no_geometry_source", no_shape=NO_SHAPE, source=geometry_source),
        )
    if has_shape and geometry_source == NO_SHAPE:
        raise _problem(where, message("parcels.none_with_shape", no_shape=NO_SHAPE))


def feature_geometry(raw: Any, geometry_source: str, where: str) -> MultiPolygon | None:
    """A feature's shape, or None for ``"geometry": null`` with geometry_source 'none'."""
    shape_matches_source(raw is not None, geometry_source, where)
    return None if raw is None else multipolygon(raw, where)


def is_positive_number(value: Any) -> bool:
    """Whether a decoded JSON value is a finite number above zero (not a boolean)."""
    return (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and value > 0
    )


def json_decimal(value: int | float) -> Decimal:
    """A JSON number as the Decimal it was written as.

    >>> json_decimal(42.84)
    Decimal('42.84')
    """
    # str() gives the shortest text that reads back as the same float: 42.84, not 42.8399999…
    return Decimal(str(value))


def _checked(field: ParcelField, properties: dict[str, Any], where: str) -> Any:
    """A feature's value of one field, or InvalidParcelData saying what is wrong with it."""
    key, value = field.name, properties[field.name]
    if value is None and field.unstated:  # the notice does not state it
        return None
    if field.kind is Kind.TEXT:
        if not isinstance(value, str) or not value.strip():
            raise _problem(where, message("parcels.property_text", key=key))
        return value
    if field.kind is Kind.NUMBER:
        if not is_positive_number(value):
            raise _problem(where, message("parcels.property_positive", value=value, key=key))
        return json_decimal(value)
    if field.kind is Kind.CHOICE:
        if value not in field.choices:
            raise _problem(
                where,
                message(
                    "parcels.property_choice",
                    choices=", ".join(field.choices),
                    value=value,
                    key=key,
                ),
            )
        return value
    # Kind.WHOLE: no JSON field comes from a file.
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _problem(where, message("parcels.property_whole", value=value, key=key))
    return value


# Which problem a feature with several is refused for depends on this order, kept as it was: kind
# by kind (texts first), each in file order; the plan's year is checked after the shape.
CHECKED_BEFORE_SHAPE = tuple(
    sorted(
        (field for field in fields_with(Use.FILE) if field.name != "plan_year"),
        key=lambda field: list(Kind).index(field.kind),
    )
)


def parse_feature(feature: Any, where: str) -> tuple[ParcelRecord, str, int]:
    """Validate one feature; return the record with its plan title and plan year."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise _problem(where, message("parcels.not_a_feature"))
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        raise _problem(where, message("parcels.no_properties"))
    if isinstance(properties.get("id"), str):
        where = f"{where} (id {properties['id']})"
    missing = [key for key in PROPERTY_NAMES if key not in properties]
    if missing:
        raise _problem(where, message("parcels.missing_properties", missing=", ".join(missing)))
    values = {field.name: _checked(field, properties, where) for field in CHECKED_BEFORE_SHAPE}
    geometry = feature_geometry(feature.get("geometry"), values["geometry_source"], where)
    plan_year = _checked(FIELD_BY_NAME["plan_year"], properties, where)
    record = ParcelRecord(**{name: values[name] for name in RECORD_NAMES}, geometry=geometry)
    return record, values["plan"], plan_year
