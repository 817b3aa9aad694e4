"""Imports of parcels from the files GIS tools exchange: all or nothing, with a dry run.

GeoJSON, GeoPackage, zipped Shapefile (names as zhengshou exports them, long texts restored from
long_text.csv) or CSV with a WKT column. Every feature is checked first and every refusal is
reported with its reason; a real run then writes all of it in one transaction, or nothing when
anything was refused. A dry run does the same writes inside a savepoint and rolls them back, so
what it reports is exactly what a real run would do.
"""

import contextlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyogrio
import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from geo.errors import ImportRefused, InvalidInput, InvalidParcelData, PayloadTooLarge
from geo.messages import message
from geo.models import Plan
from geo.parcels.export_writers import LONG_TEXT_FILE, SHAPEFILE_FIELDS
from geo.parcels.record import Kind, ParcelRecord, Use, fields_with, parse_feature
from geo.parcels.writes import write_parcels

MAX_IMPORT_BYTES = 50 * 1024 * 1024
MAX_FEATURES = 100_000
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # a zip bomb stops here, before anything is unpacked
MAX_ZIP_MEMBERS = 100
FORMATS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".zip": "shp", ".csv": "csv"}
INTEGER_PROPERTIES = tuple(f.name for f in fields_with(Use.FILE) if f.kind is Kind.WHOLE)
NUMERIC_PROPERTIES = tuple(
    f.name for f in fields_with(Use.FILE) if f.kind in (Kind.WHOLE, Kind.NUMBER)
)


@dataclass
class ImportReport:
    """What an import did, or would do."""

    dry_run: bool
    applied: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return dict(self.__dict__)

    def refused_total(self) -> int:
        """How many features were refused."""
        return len(self.refused)


def _frame_features(frame: Any) -> list[dict[str, Any]]:
    features = json.loads(frame.to_json(na="null"))["features"]
    for feature in features:
        properties = feature["properties"]
        for key in INTEGER_PROPERTIES:
            value = properties.get(key)
            if isinstance(value, float) and value.is_integer():
                properties[key] = int(value)
    return features


def _safe_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The archive's members, refused when they could escape the folder or blow up in size."""
    members = archive.infolist()
    for member in members:
        name = member.filename
        if name.startswith(("/", "\\")) or ".." in Path(name).parts or ":" in name:
            raise InvalidInput(message("intake.zip_path_escapes", name=name))
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNZIPPED_BYTES or len(members) > MAX_ZIP_MEMBERS:
        raise PayloadTooLarge(
            message(
                "intake.zip_too_large",
                files=len(members),
                limit_mb=MAX_UNZIPPED_BYTES // (1024 * 1024),
                limit_files=MAX_ZIP_MEMBERS,
                unpacked=unpacked,
            )
        )
    return members


def _shapefile_features(data: bytes) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.extractall(folder, members=_safe_members(archive))
        shapefiles = list(Path(folder).rglob("*.shp"))
        if len(shapefiles) != 1:
            raise InvalidInput(message("intake.zip_one_shp"))
        frame = pyogrio.read_dataframe(shapefiles[0], encoding="UTF-8")
        long_texts = list(Path(folder).rglob(LONG_TEXT_FILE))
        full = pd.read_csv(long_texts[0], dtype=str, keep_default_na=False) if long_texts else None
    frame = frame.rename(columns={short: name for name, short in SHAPEFILE_FIELDS.items()})
    features = _frame_features(frame)
    if full is not None:  # texts that the dbf's 254-byte fields had to cut
        by_key = {(row["id"], row["attribute"]): row["text"] for _, row in full.iterrows()}
        for feature in features:
            props = feature["properties"]
            for name in props:
                props[name] = by_key.get((props.get("id"), name), props[name])
    return features


def _csv_features(data: bytes) -> list[dict[str, Any]]:
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if "wkt" not in frame.columns:
        raise InvalidInput(message("intake.csv_needs_wkt"))
    features = []
    for position, row in frame.iterrows():
        try:
            geometry = shapely.geometry.mapping(shapely.from_wkt(row["wkt"]))
        except shapely.errors.ShapelyError:
            geometry = {"type": "invalid WKT", "row": int(position) + 2}
        properties: dict[str, Any] = {k: v for k, v in row.items() if k != "wkt"}
        for key in NUMERIC_PROPERTIES:
            # A value that is not a number stays text, and the validation names the property.
            with contextlib.suppress(json.JSONDecodeError):
                properties[key] = json.loads(properties[key]) if properties.get(key) else None
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return features


def read_import(data: bytes, filename: str) -> list[dict[str, Any]]:
    """The features of an uploaded file, as GeoJSON dicts."""
    if len(data) > MAX_IMPORT_BYTES:
        raise PayloadTooLarge(
            message("files.too_large", limit_mb=MAX_IMPORT_BYTES // (1024 * 1024))
        )
    kind = FORMATS.get(Path(filename).suffix.lower())
    if kind is None:
        raise InvalidInput(message("intake.import_kind", filename=filename))
    try:
        if kind == "geojson":
            collection = json.loads(data)
            features = collection.get("features") if isinstance(collection, dict) else None
            if not isinstance(features, list):
                raise InvalidInput(message("intake.geojson_not_collection"))
        elif kind == "gpkg":
            with tempfile.NamedTemporaryFile(suffix=".gpkg") as handle:
                handle.write(data)
                handle.flush()
                features = _frame_features(pyogrio.read_dataframe(handle.name))
        elif kind == "shp":
            features = _shapefile_features(data)
        else:
            features = _csv_features(data)
    except (
        json.JSONDecodeError,
        UnicodeDecodeError,
        zipfile.BadZipFile,
        pyogrio.errors.DataSourceError,
    ) as exc:
        raise InvalidInput(
            message("intake.file_unreadable", error=type(exc).__name__, filename=filename)
        ) from None
    if len(features) > MAX_FEATURES:
        raise InvalidInput(
            message("intake.too_many_features", count=len(features), limit=MAX_FEATURES)
        )
    return features


def check_features(
    session: Session, features: list[dict[str, Any]], report: ImportReport
) -> dict[int, list[ParcelRecord]]:
    """Valid records grouped by plan id; every refusal goes into the report."""
    plans = {(p.title, p.year): p.id for p in session.execute(select(Plan)).scalars()}
    grouped: dict[int, list[ParcelRecord]] = {}
    for position, feature in enumerate(features, start=1):
        try:
            record, title, year = parse_feature(
                feature, message("intake.feature_at", position=position)
            )
        except InvalidParcelData as exc:
            report.refused.append({"feature": position, "reason": str(exc)})
            continue
        if (title, year) not in plans:
            report.refused.append(
                {
                    "feature": position,
                    "id": record.id,
                    "reason": message("intake.no_such_plan", year=year, title=title),
                }
            )
            continue
        grouped.setdefault(plans[(title, year)], []).append(record)
    return grouped


def import_parcels(
    session: Session, data: bytes, filename: str, reason: str, actor: str, dry_run: bool
) -> ImportReport:
    """Import a file's parcels: a report for a dry run, all-or-nothing for a real one."""
    if not reason.strip():
        raise InvalidInput(message("intake.reason_needed"))
    report = ImportReport(dry_run=dry_run)
    grouped = check_features(session, read_import(data, filename), report)
    if report.refused and not dry_run:
        raise ImportRefused(report)
    savepoint = session.begin_nested()
    try:
        for plan_id, records in grouped.items():
            inserted, updated = write_parcels(
                session, plan_id, tuple(records), "import", actor, f"{reason} ({filename})"
            )
            report.created += inserted
            report.updated += updated
            report.unchanged += [r.id for r in records if r.id not in {*inserted, *updated}]
    except InvalidParcelData as exc:
        savepoint.rollback()
        report.refused.append({"reason": str(exc)})
        if not dry_run:
            raise ImportRefused(report) from None
        return report
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
        report.applied = True
    return report
