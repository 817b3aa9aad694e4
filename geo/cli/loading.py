"""Commands that bring data in: parcels files, the plan build, layers, imports and notices."""

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy.orm import Session

from geo.addresses.gazetteer import read_gazetteer_file, replace_gazetteer
from geo.boundaries.reference import layer_label
from geo.cli.context import database_session, fail, reported_errors
from geo.errors import ImportRefused
from geo.intake.build import build_parcels
from geo.intake.bulk_import import bulk_import, file_srid
from geo.intake.file_import import import_parcels
from geo.intake.loader import load_parcels
from geo.intake.notice import stored_reference
from geo.intake.notice_ingest import ingest_notice_file
from geo.intake.parcel_file import read_parcel_file
from geo.intake.schematic import write_collection
from geo.messages import message
from geo.notices.corrections import read_corrections
from geo.reference.layers import (
    ReferenceLayer,
    parse_bbox,
    read_reference_source,
    store_reference_layer,
)

DEFAULT_PLAN_SOURCE = Path("data/sources/jiaxing-2022-plan.json")
DEFAULT_PARCELS = Path("data/parcels.geojson")
DEFAULT_REFERENCE = Path("data/reference.geojson")
DEFAULT_GAZETTEER = Path("data/gazetteer.geojson")
STORED = "stored"
"""``build --reference stored``: the reference layer in the database."""

Record = TypeVar("Record")


def load(path: Annotated[Path, typer.Argument()] = DEFAULT_PARCELS) -> None:
    """Load a parcels GeoJSON file in one transaction; loading it again changes nothing."""
    with reported_errors():
        parcel_file = read_parcel_file(path)
    with database_session() as session:
        report = load_parcels(session, parcel_file, source=str(path))
    typer.echo(report.summary())


def build(
    plan_source: Annotated[Path, typer.Argument()] = DEFAULT_PLAN_SOURCE,
    reference: Annotated[
        str,
        typer.Option(
            help="Reference layer to digitize on: a reference GeoJSON, an OSM extract "
            "(.osm.pbf), or 'stored' for the layer load-reference put in the database."
        ),
    ] = str(DEFAULT_REFERENCE),
    digitize: Annotated[bool, typer.Option(help="Digitize from the 四至 text.")] = True,
    output: Annotated[Path, typer.Option("--output", "-o")] = DEFAULT_PARCELS,
) -> None:
    """Rebuild the parcels file: schematic shapes, digitized from the reference layer if possible."""
    layer: Path | ReferenceLayer | None = Path(reference) if digitize else None
    if digitize and reference == STORED:
        with database_session() as session:
            records = stored_reference(session)
        layer = ReferenceLayer(layer_label(records), records)
    with reported_errors():
        collection, outcomes = build_parcels(plan_source, layer)
    write_collection(collection, output)
    typer.echo("\n".join(outcome.summary() for outcome in outcomes))
    typer.echo(message("cli.wrote_parcels", count=len(collection["features"]), output=output))


def replace_layer(
    path: Path,
    read: Callable[[Path], list[Record]],
    replace: Callable[[Session, list[Record]], int],
) -> int:
    """Read a layer file, then replace the stored layer with it in one transaction; the count."""
    with reported_errors():
        records = read(path)
    with database_session() as session:
        return replace(session, records)


def load_gazetteer(path: Annotated[Path, typer.Argument()] = DEFAULT_GAZETTEER) -> None:
    """Replace the stored gazetteer (addresses, roads, districts), in one transaction."""
    count = replace_layer(path, read_gazetteer_file, replace_gazetteer)
    typer.echo(message("cli.gazetteer_loaded", path=path, count=count))


def load_reference(
    path: Annotated[Path, typer.Argument()] = DEFAULT_REFERENCE,
    bbox: Annotated[
        str | None,
        typer.Option(help="Keep only what touches minlon,minlat,maxlon,maxlat (WGS84)."),
    ] = None,
    name_field: Annotated[
        str | None, typer.Option(help="A GIS layer's field holding the feature's name.")
    ] = None,
    kind_field: Annotated[
        str | None,
        typer.Option(help="A GIS layer's field holding the kind (road, water, estate…)."),
    ] = None,
    geometry_source: Annotated[
        str, typer.Option(help="How a GIS layer was made: digitized, surveyed or schematic.")
    ] = "digitized",
) -> None:
    """Replace the stored reference layer with a file, in one transaction.

    The file is a reference GeoJSON, an OSM extract (.osm.pbf; its addresses also go into the
    gazetteer) or any GIS layer (GeoPackage, zipped Shapefile…, with --name-field and
    --kind-field) in any CRS.
    """
    with reported_errors():
        layer = read_reference_source(
            path,
            bbox=parse_bbox(bbox) if bbox else None,
            name_field=name_field,
            kind_field=kind_field,
            geometry_source=geometry_source,
        )
    with database_session() as session:
        store_reference_layer(session, layer)
    typer.echo(layer.summary(path))


def import_command(
    path: Path,
    reason: Annotated[str, typer.Option(help="Where the data comes from, and why.")],
    dry_run: Annotated[bool, typer.Option(help="Report only; write nothing.")] = False,
    bulk: Annotated[
        bool,
        typer.Option(
            help="COPY-based import for large files (GeoPackage and any GDAL format), without "
            "the size limits; history rows keep only the state before."
        ),
    ] = False,
) -> None:
    """Import parcels (GeoJSON, GeoPackage, zipped Shapefile, CSV with WKT): all or nothing."""
    if not path.is_file():
        raise fail(message("files.no_such_file", path=path))
    with database_session() as session:
        try:
            if bulk:
                with reported_errors():
                    total, _ = file_srid(path)
                with typer.progressbar(
                    length=total, label=message("cli.copying"), file=sys.stderr
                ) as bar:
                    report = bulk_import(
                        session, path, reason, "cli:import", dry_run, progress=bar.update
                    )
            else:
                report = import_parcels(
                    session, path.read_bytes(), path.name, reason, "cli:import", dry_run
                )
        except ImportRefused as refused:  # nothing was written; show every reason
            typer.echo(json.dumps(refused.report.to_dict(), ensure_ascii=False, indent=1))
            raise fail(str(refused), code=1) from None
    typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))


def ingest(
    notice: Path,
    code: Annotated[
        str | None,
        typer.Option(
            "--code",
            "--plan-code",
            help="Short plan code for parcel ids, e.g. JX2022 (default: the stored plan's of "
            "the same title, else one made of the region, year and title).",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Read any notice (text, web page, Word, PDF, Excel, CSV) and show what was "
            "found, with where each field came from and every warning; write nothing.",
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="The review (or result) as JSON.")
    ] = False,
    corrections: Annotated[
        Path | None,
        typer.Option(
            help='A JSON file of corrections: [{"parcel": 0, "field": "area", "text": "12.5亩"}, '
            '{"field": "title", "text": "…"}] (parcels numbered from 0 as the review lists them).'
        ),
    ] = None,
) -> None:
    """Ingest a published notice (any county, any layout): reviewed, then written in one go."""
    try:
        data = notice.read_bytes()
        typed = None if corrections is None else json.loads(corrections.read_text("utf-8"))
    except OSError as exc:
        raise fail(
            message("cli.cannot_read", name=exc.filename, reason=exc.strerror or exc)
        ) from None
    except ValueError as exc:
        raise fail(message("cli.not_json", exc=exc, corrections=corrections)) from None
    with reported_errors():
        fixes = read_corrections(typed)
    if dry_run:
        with reported_errors():
            result = ingest_notice_file(None, data, notice.name, code=code, corrections=fixes)
    else:
        with database_session() as session:
            result = ingest_notice_file(session, data, notice.name, code=code, corrections=fixes)
    typer.echo(
        json.dumps(result.to_dict(), ensure_ascii=False, indent=1) if as_json else result.summary()
    )
