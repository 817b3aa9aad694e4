"""The ``zhengshou`` command line: thin wrappers around the same ``geo`` functions the API uses."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from geo import migrate as migrations
from geo.checks import DEFAULT_TOLERANCE_PCT, check_areas
from geo.coords import parse_crs
from geo.db import DatabaseSettings, make_engine, session_scope
from geo.errors import GeoError
from geo.loader import load_parcels
from geo.lookups import lookup_point
from geo.parcel_file import read_parcel_file
from geo.parcels import ParcelFilter, feature_collection_json, parse_bbox
from geo.schematic import build_schematic_collection, write_collection

app = typer.Typer(
    help="zhengshou: land and house expropriation plans as a GIS service.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

DEFAULT_PLAN_SOURCE = Path("data/sources/jiaxing-2022-plan.json")
DEFAULT_PARCELS = Path("data/parcels.geojson")


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
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise fail(
            f"cannot reach the database ({reason}). Start the project's cluster with 'make db' "
            "or set DATABASE_URL."
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
        report = load_parcels(session, parcel_file)
    typer.echo(report.summary())


@app.command("build-schematic")
def build_schematic(
    plan_source: Annotated[Path, typer.Argument()] = DEFAULT_PLAN_SOURCE,
    output: Annotated[Path, typer.Option("--output", "-o")] = DEFAULT_PARCELS,
) -> None:
    """Rebuild the schematic parcels file from the notice text and the placement table."""
    with reported_errors():
        collection = build_schematic_collection(plan_source)
    write_collection(collection, output)
    typer.echo(f"wrote {len(collection['features'])} schematic parcels to {output}")


@app.command()
def check(
    tolerance_pct: Annotated[float, typer.Option(help="Allowed area difference in %.")] = (
        DEFAULT_TOLERANCE_PCT
    ),
    strict: Annotated[bool, typer.Option(help="Exit 1 when any check fails.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Compare measured areas with declared mu and the plan totals with the published ones."""
    with database_session() as session:
        report = check_areas(session, tolerance_pct)
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=1))
    else:
        typer.echo(f"{'id':<12} {'declared':>9} {'measured':>9} {'diff':>9}  status source    name")
        typer.echo("\n".join(item.summary() for item in (*report.parcels, *report.plans)))
        typer.echo(f"tolerance {report.tolerance_pct}%: {'ok' if report.ok else 'FAILURES'}")
    if strict and not report.ok:
        raise typer.Exit(1)


@app.command()
def lookup(
    lon: float,
    lat: float,
    crs: Annotated[
        str, typer.Option(help="wgs84, gcj02 (Amap, Tencent) or bd09 (Baidu).")
    ] = "wgs84",
) -> None:
    """Say whether a point falls in a parcel, or which parcel is nearest."""
    with database_session() as session:
        answer = lookup_point(session, lon, lat, parse_crs(crs))
    typer.echo(json.dumps(answer, ensure_ascii=False, indent=1))


@app.command()
def export(
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    block: str | None = None,
    bbox: Annotated[str | None, typer.Option(help="minLon,minLat,maxLon,maxLat")] = None,
    q: Annotated[str | None, typer.Option(help="Text to search for.")] = None,
) -> None:
    """Export parcels as GeoJSON, to a file or to standard output."""
    with reported_errors():
        parcel_filter = ParcelFilter(block=block, bbox=parse_bbox(bbox) if bbox else None, q=q)
    with database_session() as session:
        body = feature_collection_json(session, parcel_filter)
    if output:
        output.write_text(body + "\n", encoding="utf-8")
    else:
        typer.echo(body)


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API and the map."""
    import uvicorn

    uvicorn.run("api.main:create_app", factory=True, host=host, port=port)


if __name__ == "__main__":
    app()
