"""The ``zhengshou`` command line: thin wrappers around the same ``geo`` functions the API uses."""

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from geo import migrate as migrations
from geo.addresses.batch import batch_lookup, read_address_table, table_format, write_table
from geo.addresses.gazetteer import read_gazetteer_file, replace_gazetteer
from geo.addresses.lookup import lookup_address
from geo.addresses.outside_geocoders import GeocoderSettings, external_geocoder
from geo.backup import backup, restore
from geo.boundaries.parse import parse_boundaries
from geo.boundaries.reference import read_reference_file, replace_reference_layer
from geo.boundaries.sides import NEAR_M
from geo.checks.area import DEFAULT_TOLERANCE_PCT, check_areas
from geo.checks.audit import audit_parcels, audit_summary
from geo.checks.summary import check_summary
from geo.coords import parse_crs
from geo.db import DatabaseSettings, make_engine, session_scope
from geo.errors import (
    DatabaseUnavailable,
    GeoError,
    ImportRefused,
    database_failure,
    first_line,
)
from geo.intake.build import build_parcels
from geo.intake.bulk_import import bulk_import, file_srid
from geo.intake.file_import import import_parcels
from geo.intake.loader import load_parcels
from geo.intake.notice import ingest_file
from geo.intake.parcel_file import read_parcel_file
from geo.intake.schematic import write_collection
from geo.parcels.export import export_file, export_format, export_srid, geojson_chunks
from geo.parcels.folium_map import parcels_map_from_db
from geo.parcels.lookup import lookup_point
from geo.parcels.reads import ParcelFilter, parse_bbox
from geo.tokens import create_token, list_tokens, revoke_token

app = typer.Typer(
    help="zhengshou: land and house expropriation plans as a GIS service.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

DEFAULT_PLAN_SOURCE = Path("data/sources/jiaxing-2022-plan.json")
DEFAULT_PARCELS = Path("data/parcels.geojson")
DEFAULT_REFERENCE = Path("data/reference.geojson")
DEFAULT_GAZETTEER = Path("data/gazetteer.geojson")


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a plain error line and return the exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn domain and connection errors into one plain line and a non-zero exit."""
    try:
        yield
    except GeoError as exc:
        raise fail(str(exc)) from None
    except SQLAlchemyError as exc:
        failure = database_failure(exc)
        if isinstance(failure, DatabaseUnavailable):
            raise fail(
                f"cannot reach the database ({first_line(exc)}). Start the project's cluster with "
                "'make db' or set DATABASE_URL."
            ) from None
        if failure is not None:
            raise fail(str(failure)) from None
        # A schema older than the code is the usual cause; say so rather than print a traceback.
        raise fail(
            f"the database refused the operation ({first_line(exc)}); try 'zhengshou migrate'."
        ) from None


@contextmanager
def database_session() -> Iterator[Session]:
    """One transaction against the configured database, with errors reported plainly."""
    engine = make_engine(DatabaseSettings())
    try:
        with reported_errors(), session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


@app.command()
def migrate(revision: str = "head") -> None:
    """Create or upgrade the database schema (Alembic)."""
    with reported_errors():
        migrations.upgrade(DatabaseSettings().database_url, revision)
    typer.echo(f"schema at {revision}")


@app.command()
def load(path: Annotated[Path, typer.Argument()] = DEFAULT_PARCELS) -> None:
    """Load a parcels GeoJSON file in one transaction; loading it again changes nothing."""
    with reported_errors():
        parcel_file = read_parcel_file(path)
    with database_session() as session:
        report = load_parcels(session, parcel_file, source=str(path))
    typer.echo(report.summary())


@app.command()
def build(
    plan_source: Annotated[Path, typer.Argument()] = DEFAULT_PLAN_SOURCE,
    reference: Annotated[Path, typer.Option(help="Reference layer to digitize on.")] = (
        DEFAULT_REFERENCE
    ),
    digitize: Annotated[bool, typer.Option(help="Digitize from the 四至 text.")] = True,
    output: Annotated[Path, typer.Option("--output", "-o")] = DEFAULT_PARCELS,
) -> None:
    """Rebuild the parcels file: schematic shapes, digitized from the reference layer if possible."""
    with reported_errors():
        collection, outcomes = build_parcels(plan_source, reference if digitize else None)
    write_collection(collection, output)
    typer.echo("\n".join(outcome.summary() for outcome in outcomes))
    typer.echo(f"wrote {len(collection['features'])} parcels to {output}")


@app.command("load-gazetteer")
def load_gazetteer(path: Annotated[Path, typer.Argument()] = DEFAULT_GAZETTEER) -> None:
    """Replace the stored gazetteer (addresses, roads, districts), in one transaction."""
    with reported_errors():
        records = read_gazetteer_file(path)
    with database_session() as session:
        count = replace_gazetteer(session, records)
    typer.echo(f"gazetteer: {count} entries loaded from {path}")


@app.command("load-reference")
def load_reference(path: Annotated[Path, typer.Argument()] = DEFAULT_REFERENCE) -> None:
    """Replace the stored reference layer with a file, in one transaction."""
    with reported_errors():
        records = read_reference_file(path)
    with database_session() as session:
        count = replace_reference_layer(session, records)
    typer.echo(f"reference layer: {count} features loaded from {path}")


@app.command()
def check(
    tolerance_pct: Annotated[float, typer.Option(help="Allowed area difference in %.")] = (
        DEFAULT_TOLERANCE_PCT
    ),
    near_m: Annotated[float, typer.Option(help="How close a named feature must be (m).")] = NEAR_M,
    strict: Annotated[bool, typer.Option(help="Exit 1 when any parcel fails.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    summary: Annotated[
        bool,
        typer.Option(
            help="Counts, the worst findings and each check's time, computed in PostGIS: for "
            "large tables, where the per-parcel report would be millions of lines."
        ),
    ] = False,
    overlaps: Annotated[
        bool,
        typer.Option(
            help="With --summary: include the overlap check (slow where parcels pile up)."
        ),
    ] = True,
) -> None:
    """Audit the parcels: area against declared mu, topology, and the 四至 sides."""
    if summary:
        with database_session() as session:
            report = check_summary(session, tolerance_pct, overlaps)
        typer.echo(json.dumps(report, ensure_ascii=False, indent=1, default=str))
        if strict and (report["area"]["fail"] or report["topology"]["overlapping_pairs"]):
            raise typer.Exit(1)
        return
    with database_session() as session:
        areas = check_areas(session, tolerance_pct)
        audits = audit_parcels(session, tolerance_pct, near_m)
    if as_json:
        report = {"area": areas.to_dict(), "parcels": [a.to_dict() for a in audits]}
        typer.echo(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        typer.echo(f"{'id':<12} {'declared':>9} {'measured':>9} {'diff':>9}  area source    name")
        typer.echo("\n".join(item.summary() for item in (*areas.parcels, *areas.plans)))
        typer.echo("")
        for audit in audits:
            typer.echo(f"{audit.id:<12} {audit.status.upper():<5} {audit.name}")
            for reason in audit.reasons:
                typer.echo(f"    {reason['status']:<4} {reason['en']}")
        counts = audit_summary(audits)
        typer.echo(
            f"\n{counts['ok']} ok, {counts['warn']} warn, {counts['fail']} fail "
            f"(area tolerance {tolerance_pct:g}%, sides within {near_m:g} m)"
        )
    if strict and (any(a.status == "fail" for a in audits) or not areas.ok):
        raise typer.Exit(1)


def as_point(words: list[str]) -> tuple[float, float] | None:
    """LON LAT when the words are two numbers, else None (an address)."""
    if len(words) != 2:
        return None
    try:
        return float(words[0]), float(words[1])
    except ValueError:
        return None


@app.command()
def lookup(
    query: Annotated[list[str] | None, typer.Argument(help="LON LAT, or an address.")] = None,
    crs: Annotated[
        str, typer.Option(help="wgs84, gcj02 (Amap, Tencent) or bd09 (Baidu).")
    ] = "wgs84",
    file: Annotated[
        Path | None, typer.Option(help="A CSV or XLSX table with an address column.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where the table goes.")
    ] = None,
) -> None:
    """Say whether a point or an address falls in a parcel, or check a table of addresses."""
    with reported_errors():
        geocoder = external_geocoder(GeocoderSettings())
    if file is not None:
        with reported_errors():
            fmt = table_format(file.name)
            frame = read_address_table(file.read_bytes(), fmt)
        with database_session() as session:
            table = batch_lookup(session, frame, geocoder)
        target = output or file.with_name(f"{file.stem}.checked.{fmt}")
        target.write_bytes(write_table(table, fmt))
        typer.echo(f"{len(table)} addresses checked; results in {target}")
        return
    words = query or []
    if not words:
        raise fail("give LON LAT, an address, or --file")
    point = as_point(words)
    with database_session() as session:
        if point:
            answer = lookup_point(session, point[0], point[1], parse_crs(crs))
        else:
            answer = lookup_address(session, " ".join(words), geocoder)
    typer.echo(json.dumps(answer, ensure_ascii=False, indent=1))


@app.command()
def export(
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="geojson, gpkg, shp (zip), kml, csv or xlsx.")
    ] = "geojson",
    crs: Annotated[str, typer.Option(help="EPSG:4326 (default) or EPSG:4549.")] = "EPSG:4326",
    block: str | None = None,
    bbox: Annotated[str | None, typer.Option(help="minLon,minLat,maxLon,maxLat")] = None,
    q: Annotated[str | None, typer.Option(help="Text to search for.")] = None,
) -> None:
    """Export parcels to a file; GeoJSON may also go to standard output."""
    with reported_errors():
        export_as = export_format(fmt)
        srid = export_srid(crs, export_as)
        parcel_filter = ParcelFilter(block=block, bbox=parse_bbox(bbox) if bbox else None, q=q)
    if output is None and export_as.name != "geojson":
        raise fail(f"{export_as.name} is a binary or table file: give --output/-o FILE")
    with database_session() as session:
        if output is None:
            for chunk in geojson_chunks(session, parcel_filter, srid):
                typer.echo(chunk, nl=False)
            return
        if export_as.name == "geojson":
            with output.open("w", encoding="utf-8") as stream:
                stream.writelines(geojson_chunks(session, parcel_filter, srid))
        else:
            output.write_bytes(export_file(session, export_as, parcel_filter, srid))
    typer.echo(f"wrote {export_as.name} to {output}")


@app.command()
def parse(text: str) -> None:
    """Parse a four-boundary (四至) text and print the sides as JSON."""
    parsed = parse_boundaries(text)
    typer.echo(json.dumps(parsed.to_dict(), ensure_ascii=False, indent=1))
    if parsed.unparsed:
        raise typer.Exit(1)


@app.command("import")
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
        raise fail(f"{path}: no such file")
    with database_session() as session:
        try:
            if bulk:
                with reported_errors():
                    total, _ = file_srid(path)
                with typer.progressbar(length=total, label="copying", file=sys.stderr) as bar:
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


@app.command()
def ingest(
    notice: Path,
    code: Annotated[str, typer.Option(help="Short plan code for parcel ids, e.g. JX2022.")],
) -> None:
    """Ingest a published plan notice: table, merged cells, 四至 parsed, shapes digitized."""
    with database_session() as session:
        report = ingest_file(session, notice, code)
    typer.echo(report.summary())


token_app = typer.Typer(help="Bearer tokens for editing (shown once, stored hashed).")
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Option(help="Whose token this is, e.g. a planner's name.")],
    role: Annotated[str, typer.Option(help="viewer, editor or admin.")] = "editor",
) -> None:
    """Create a token; it is printed once, alone on the last line, and never again."""
    with database_session() as session:
        token = create_token(session, name, role)
    typer.echo(f"created a {role} token for {name}; keep it now, it is not stored in clear:")
    typer.echo(token)


@token_app.command("revoke")
def token_revoke(token_id: int) -> None:
    """Revoke a token by its id (the number after zs_)."""
    with database_session() as session:
        revoke_token(session, token_id)
    typer.echo(f"token {token_id} revoked")


@token_app.command("list")
def token_list() -> None:
    """List tokens (never their secrets)."""
    with database_session() as session:
        rows = list_tokens(session)
    for token_id, name, role, created, revoked in rows:
        state = f"revoked {revoked:%Y-%m-%d}" if revoked else "active"
        typer.echo(f"{token_id:>4}  {role:<7} {state:<18} {created:%Y-%m-%d}  {name}")


@app.command("backup")
def backup_command(target: Path) -> None:
    """Back up the whole database (pg_dump custom format) plus a GeoPackage of the parcels."""
    engine = make_engine(DatabaseSettings())
    try:
        with reported_errors():
            dump, snapshot = backup(engine, target)
    finally:
        engine.dispose()
    typer.echo(f"wrote {dump} (pg_restore format) and {snapshot} (GeoPackage of the parcels)")


@app.command("restore")
def restore_command(source: Path) -> None:
    """Restore a backup into the (empty) database DATABASE_URL points at, in one transaction."""
    engine = make_engine(DatabaseSettings())
    try:
        with reported_errors():
            restore(engine, source)
    finally:
        engine.dispose()
    typer.echo(f"restored {source}")


@app.command("map")
def shareable_map(
    out: Annotated[Path, typer.Option("--out", "-o")] = Path("parcels.html"),
) -> None:
    """Write a self-contained HTML map of all parcels (works offline, no CDN)."""
    with database_session() as session:
        page = parcels_map_from_db(session)
    out.write_text(page, encoding="utf-8")
    typer.echo(f"wrote {out}")


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API and the map."""
    import uvicorn

    uvicorn.run("api.main:create_app", factory=True, host=host, port=port)


if __name__ == "__main__":
    app()
