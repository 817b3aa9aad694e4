"""Database tables: plans and their parcels."""

from datetime import date, datetime
from decimal import Decimal

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

STAGES = (
    "planned",
    "pre_notice",
    "risk_assessment",
    "decision",
    "compensation",
    "handed_over",
    "paused",
    "withdrawn",
)
"""A parcel's stage, in process order (geo.stages says what each means; the last two are off the
main line and need a reason)."""

SHAPE_SOURCES = ("schematic", "digitized", "surveyed")
"""Where a stored shape came from; reference features and gazetteer entries always have one."""
GEOMETRY_SOURCES = (*SHAPE_SOURCES, "drawn", "none")
"""A parcel's geometry_source: a shape's source ('drawn': by a planner on the map), or 'none'
for a parcel not yet located."""

# The CGCS2000 3-degree Gauss-Kruger zone whose central meridian (75E … 135E, EPSG:4534 … 4554)
# is nearest the parcel's centroid: where surveyors measure its area and write its coordinates.
ZONE_EPSG_SQL = (
    "CASE WHEN geom IS NULL THEN NULL ELSE 4534 + LEAST(20, GREATEST(0, "
    "round((ST_X(ST_Centroid(geom)) - 75.0) / 3.0)))::integer END"
)
MEASURED_AREA_SQL = f"ST_Area(ST_Transform(geom, {ZONE_EPSG_SQL}))"


class Base(DeclarativeBase):
    """Declarative base for zhengshou's tables."""


class Plan(Base):
    """A published expropriation plan (征收计划), e.g. Jiaxing's 2022 city-level plan."""

    __tablename__ = "plans"
    __table_args__ = (CheckConstraint("adcode ~ '^[0-9]{6}$'", name="ck_plans_adcode"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(Text, unique=True)
    year: Mapped[int] = mapped_column(Integer)
    issuer: Mapped[str | None] = mapped_column(Text)
    published_on: Mapped[date | None] = mapped_column(Date)
    source_document: Mapped[str | None] = mapped_column(Text)
    published_total_mu: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # What the notice says of itself (geo.notices.preamble) and where it is (geo.notices.region).
    document_type: Mapped[str | None] = mapped_column(Text)
    document_number: Mapped[str | None] = mapped_column(Text)
    approval_number: Mapped[str | None] = mapped_column(Text)
    province: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    county: Mapped[str | None] = mapped_column(Text)
    adcode: Mapped[str | None] = mapped_column(String(6))
    region_longitude: Mapped[float | None] = mapped_column(Double)
    region_latitude: Mapped[float | None] = mapped_column(Double)
    # The review the planner committed (geo.notices.preview), the parcels' evidence; and the
    # digest of the file and corrections, so that ingesting the same again changes nothing.
    notice_review: Mapped[dict | None] = mapped_column(JSONB)
    notice_sha256: Mapped[str | None] = mapped_column(String(64))


class Parcel(Base):
    """One parcel (地块) of a plan, with its verbatim four-boundary text and its geometry."""

    __tablename__ = "parcels"
    __table_args__ = (
        UniqueConstraint("plan_id", "seq", name="uq_parcels_plan_seq"),
        CheckConstraint(
            "geometry_source IN ('schematic', 'digitized', 'surveyed', 'drawn', 'none')",
            name="ck_parcels_geometry_source",
        ),
        CheckConstraint(
            "geom IS NULL OR (ST_IsValid(geom) AND NOT ST_IsEmpty(geom))",
            name="ck_parcels_geom_valid",
        ),
        # A parcel named by the notice but not yet located has no shape, and says so.
        CheckConstraint("(geom IS NULL) = (geometry_source = 'none')", name="ck_parcels_shapeless"),
        # Only the shapeless rows: counting them (every point look-up does) costs nothing.
        Index("ix_parcels_shapeless", "plan_id", postgresql_where=text("geom IS NULL")),
        CheckConstraint("declared_area_mu > 0", name="ck_parcels_declared_area_positive"),
        CheckConstraint("seq > 0", name="ck_parcels_seq_positive"),
        CheckConstraint(
            "stage IN (" + ", ".join(f"'{stage}'" for stage in STAGES) + ")",
            name="ck_parcels_stage",
        ),
        # Paused and withdrawn parcels say why; agreements never exceed their total.
        CheckConstraint(
            "stage NOT IN ('paused', 'withdrawn') OR length(btrim(coalesce(stage_reason, ''))) > 0",
            name="ck_parcels_stage_reason",
        ),
        CheckConstraint(
            "(agreements_signed IS NULL OR agreements_signed >= 0) AND "
            "(agreements_total IS NULL OR agreements_total > 0) AND "
            "(agreements_signed IS NULL OR agreements_total IS NULL "
            "OR agreements_signed <= agreements_total)",
            name="ck_parcels_agreements",
        ),
        Index("ix_parcels_plan_stage", "plan_id", "stage"),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="RESTRICT"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    block: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    boundary_text: Mapped[str | None] = mapped_column(Text)
    declared_area_mu: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    interest_type: Mapped[str | None] = mapped_column(Text)
    implementing_unit: Mapped[str | None] = mapped_column(Text)
    geometry_source: Mapped[str] = mapped_column(String(16))
    geometry_note: Mapped[str] = mapped_column(Text)
    geom: Mapped[WKBElement | None] = mapped_column(
        Geometry("MULTIPOLYGON", srid=4326, spatial_index=True, nullable=True)
    )
    # Derived from boundary_text by geo.boundaries.parse when the parcel is loaded; the text stays the
    # evidence, this is its parsed form for the side checks and the API.
    boundaries: Mapped[dict | None] = mapped_column(JSONB)
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    approval_reference: Mapped[str | None] = mapped_column(Text)
    # Where the parcel stands in the process (geo.stages), since when, on which document.
    stage: Mapped[str] = mapped_column(String(16), server_default="planned")
    stage_date: Mapped[date | None] = mapped_column(Date)
    stage_document: Mapped[str | None] = mapped_column(Text)
    stage_reason: Mapped[str | None] = mapped_column(Text)
    agreements_signed: Mapped[int | None] = mapped_column(Integer)
    agreements_total: Mapped[int | None] = mapped_column(Integer)
    zone_epsg: Mapped[int | None] = mapped_column(Integer, Computed(ZONE_EPSG_SQL, persisted=True))
    measured_area_m2: Mapped[float | None] = mapped_column(
        Double, Computed(MEASURED_AREA_SQL, persisted=True)
    )


class ReferenceFeature(Base):
    """A feature that four-boundary texts name: a road, river, wall, estate, building or address."""

    __tablename__ = "reference_features"
    __table_args__ = (
        CheckConstraint(
            "geometry_source IN ('schematic', 'digitized', 'surveyed')",
            name="ck_reference_features_geometry_source",
        ),
        CheckConstraint(
            "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)", name="ck_reference_features_geom_valid"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    address: Mapped[str | None] = mapped_column(Text)
    geometry_source: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("GEOMETRY", srid=4326, spatial_index=True, nullable=False)
    )


class GazetteerEntry(Base):
    """An address point, a road centreline with house-number ranges, or a district centre."""

    __tablename__ = "gazetteer_entries"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('address', 'road', 'district')", name="ck_gazetteer_entries_kind"
        ),
        CheckConstraint(
            "geometry_source IN ('schematic', 'digitized', 'surveyed')",
            name="ck_gazetteer_entries_geometry_source",
        ),
        CheckConstraint(
            "(kind = 'address') = (house_number IS NOT NULL AND road IS NOT NULL)",
            name="ck_gazetteer_entries_address_number",
        ),
        CheckConstraint("uncertainty_m >= 0", name="ck_gazetteer_entries_uncertainty"),
        CheckConstraint(
            "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)", name="ck_gazetteer_entries_geom_valid"
        ),
        Index("ix_gazetteer_entries_kind_name", "kind", "name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(Text)
    district: Mapped[str | None] = mapped_column(Text)
    road: Mapped[str | None] = mapped_column(Text)
    house_number: Mapped[int | None] = mapped_column(Integer)
    house_suffix: Mapped[str | None] = mapped_column(Text)
    odd_from: Mapped[int | None] = mapped_column(Integer)
    odd_to: Mapped[int | None] = mapped_column(Integer)
    even_from: Mapped[int | None] = mapped_column(Integer)
    even_to: Mapped[int | None] = mapped_column(Integer)
    uncertainty_m: Mapped[float] = mapped_column(Double)
    geometry_source: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text)
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("GEOMETRY", srid=4326, spatial_index=True, nullable=False)
    )


class ApiToken(Base):
    """A bearer token for writing; only a hash of its secret is stored."""

    __tablename__ = "api_tokens"
    __table_args__ = (
        CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="ck_api_tokens_role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class User(Base):
    """A person's account for the map page: name, argon2 password hash, role."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="ck_users_role"),
        CheckConstraint("length(btrim(name)) > 0", name="ck_users_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class UserSession(Base):
    """A signed-in browser: a hash of its cookie's secret, its CSRF token, expiry, revocation."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SignInFailure(Base):
    """A failed sign-in, by account name and client address, for the guessing limit."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_name_at", "name", "at"),
        Index("ix_sign_in_failures_client_at", "client", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    client: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ParcelHistory(Base):
    """One change to a parcel: who, when, why, and the parcel before and after (GeoJSON)."""

    __tablename__ = "parcel_history"
    __table_args__ = (
        CheckConstraint(
            "action IN ('create', 'update', 'retire', 'survey', 'import', 'load', 'attach')",
            name="ck_parcel_history_action",
        ),
        CheckConstraint("length(trim(reason)) > 0", name="ck_parcel_history_reason"),
        Index("ix_parcel_history_parcel_at", "parcel_id", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    parcel_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    reason: Mapped[str] = mapped_column(Text)
    old: Mapped[dict | None] = mapped_column(JSONB)
    new: Mapped[dict | None] = mapped_column(JSONB)


class ParcelDocument(Base):
    """A document attached to a parcel: a PDF scan of an approval (批复), a survey report."""

    __tablename__ = "parcel_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parcel_id: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(Text)
    filename: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    uploaded_by: Mapped[str] = mapped_column(Text)


class LayerVersion(Base):
    """A layer's version, bumped by a trigger on every write to it (tiles use tile_versions)."""

    __tablename__ = "layer_versions"

    layer: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


def _partial(zoom: int, using: str = "gist") -> dict:
    return {"postgresql_using": using, "postgresql_where": text(f"cell_zoom < {zoom}")}


class ParcelTile(Base):
    """A located parcel as tiles draw it, kept by the triggers of migration 0012 (derived)."""

    __tablename__ = "parcel_tiles"
    __table_args__ = (
        *(Index(f"ix_parcel_tiles_shapes_{z}", "geom", **_partial(z)) for z in (10, 11, 12)),
        Index("ix_parcel_tiles_cells", "cell_zoom", "cell_x", "cell_y", **_partial(12, "btree")),
    )

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan_id: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    block: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    declared_area_mu: Mapped[float | None] = mapped_column(Double)
    measured_area_mu: Mapped[float | None] = mapped_column(Double)
    interest_type: Mapped[str | None] = mapped_column(Text)
    implementing_unit: Mapped[str | None] = mapped_column(Text)
    geometry_source: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(16))
    geom: Mapped[WKBElement] = mapped_column(Geometry("MULTIPOLYGON", srid=3857, nullable=False))
    cell_zoom: Mapped[int] = mapped_column(SmallInteger)
    cell_x: Mapped[int] = mapped_column(Integer)
    cell_y: Mapped[int] = mapped_column(Integer)


class ParcelCell(Base):
    """A cell of an overview tile; its block and stage are its largest parcel's (its colour)."""

    __tablename__ = "parcel_cells"
    zoom: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    cell_x: Mapped[int] = mapped_column(Integer, primary_key=True)
    cell_y: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parcels: Mapped[int] = mapped_column(Integer)
    declared_area_mu: Mapped[float | None] = mapped_column(Double)
    measured_area_mu: Mapped[float | None] = mapped_column(Double)
    block: Mapped[str | None] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(16))
    largest_id: Mapped[str] = mapped_column(String(64))
    largest_mu: Mapped[float | None] = mapped_column(Double)


class TileVersion(Base):
    """The layer version of the last write touching a tile (zoom -1: every tile)."""

    __tablename__ = "tile_versions"
    zoom: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    x: Mapped[int] = mapped_column(Integer, primary_key=True)
    y: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
