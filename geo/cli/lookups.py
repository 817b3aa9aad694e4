"""Commands that read the stored parcels: look-ups, exports and the shareable map."""

import json
from pathlib import Path
from typing import Annotated

import typer
from shapely import Point

from geo.addresses.batch import batch_lookup, read_address_table, table_format, write_table
from geo.addresses.lookup import lookup_address
from geo.addresses.outside_geocoders import GeocoderSettings, external_geocoder
from geo.area import ZONE_EPSGS, from_plane
from geo.cli.context import database_session, fail, reported_errors
from geo.coords import InputCrs, parse_crs
from geo.errors import InvalidInput
from geo.messages import message
from geo.parcels.export import (
    export_file,
    export_format,
    export_srid,
    export_srid_for,
    geojson_chunks,
)
from geo.parcels.folium_map import parcels_map_from_db
from geo.parcels.lookup import lookup_point
from geo.parcels.reads import ParcelFilter, parse_bbox
from geo.plans.reads import require_plan
from geo.stages import parse_stages


def as_point(words: list[str]) -> tuple[float, float] | None:
    """LON LAT when the words are two numbers, else None (an address)."""
    if len(words) != 2:
        return None
    try:
        return float(words[0]), float(words[1])
    except ValueError:
        return None


def plane_zone(crs: str) -> int | None:
    """The zone a ``--crs`` of the form EPSG:4534 … EPSG:4554 names, else None."""
    code = crs.strip().upper().removeprefix("EPSG:")
    return int(code) if code.isdigit() and int(code) in ZONE_EPSGS else None


def from_zone(easting: float, northing: float, zone: int) -> tuple[float, float]:
    """WGS84 LON LAT of a point on a zone's plane, given as GIS software gives it (x, then y).

    Surveyors write the northing first (X) and may put the zone number before the easting; both
    would land the point hundreds of kilometres off, so only the plain form is taken.
    """
    if not (100_000 <= easting < 1_000_000 and 1_000_000 <= northing < 10_000_000):
        raise InvalidInput(
            message("cli.plane_point_form", northing=northing, zone=zone, easting=easting)
        )
    point = from_plane(Point(easting, northing), zone)
    return point.x, point.y


def lookup(
    query: Annotated[list[str] | None, typer.Argument(help="LON LAT, or an address.")] = None,
    crs: Annotated[
        str,
        typer.Option(
            help="wgs84, gcj02 (Amap, Tencent) or bd09 (Baidu); or a CGCS2000 3-degree zone, "
            "EPSG:4534 … EPSG:4554 (4549 is CM 120E), with EASTING NORTHING in metres."
        ),
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
        typer.echo(message("cli.addresses_checked", count=len(table), target=target))
        return
    words = query or []
    if not words:
        raise fail(message("cli.lookup_what"))
    point = as_point(words)
    zone = plane_zone(crs)
    with database_session() as session:
        if point and zone:
            answer = lookup_point(session, *from_zone(*point, zone), InputCrs.WGS84)
        elif point:
            answer = lookup_point(session, point[0], point[1], parse_crs(crs))
        else:
            answer = lookup_address(session, " ".join(words), geocoder)
    typer.echo(json.dumps(answer, ensure_ascii=False, indent=1))


def export(
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="geojson, gpkg, shp (zip), kml, csv or xlsx.")
    ] = "geojson",
    crs: Annotated[
        str,
        typer.Option(
            help="EPSG:4326 (default), a CGCS2000 3-degree zone EPSG:4534 … EPSG:4554 (4549 is "
            "CM 120E), or local: the zone of the exported parcels."
        ),
    ] = "EPSG:4326",
    block: str | None = None,
    bbox: Annotated[str | None, typer.Option(help="minLon,minLat,maxLon,maxLat")] = None,
    q: Annotated[str | None, typer.Option(help="Text to search for.")] = None,
    plan: Annotated[str | None, typer.Option(help="A plan's code, e.g. JX2022.")] = None,
    located: Annotated[
        bool | None,
        typer.Option(
            "--located/--not-located", help="Only parcels with a shape, or only those without."
        ),
    ] = None,
    stage: Annotated[
        str | None,
        typer.Option(help="Only parcels at this stage, or these: decision,compensation."),
    ] = None,
) -> None:
    """Export parcels to a file; GeoJSON may also go to standard output."""
    with reported_errors():
        export_as = export_format(fmt)
        export_srid(crs, export_as)  # a wrong crs is refused before the database is opened
        parcel_filter = ParcelFilter(
            block=block,
            bbox=parse_bbox(bbox) if bbox else None,
            q=q,
            plan=plan or None,
            located=located,
            stages=parse_stages(stage) if stage else (),
        )
    if output is None and export_as.name != "geojson":
        raise fail(message("cli.export_needs_output", format=export_as.name))
    with database_session() as session:
        if parcel_filter.plan:
            require_plan(session, parcel_filter.plan)
        srid = export_srid_for(session, crs, export_as, parcel_filter)
        if output is None:
            for chunk in geojson_chunks(session, parcel_filter, srid):
                typer.echo(chunk, nl=False)
            typer.echo()  # a text file ends with a newline, as the CLI's exports always have
            return
        if export_as.name == "geojson":
            with output.open("w", encoding="utf-8") as stream:
                stream.writelines(geojson_chunks(session, parcel_filter, srid))
                stream.write("\n")
        else:
            output.write_bytes(export_file(session, export_as, parcel_filter, srid))
    typer.echo(message("cli.wrote_export", format=export_as.name, output=output))


def shareable_map(
    out: Annotated[Path, typer.Option("--out", "-o")] = Path("parcels.html"),
) -> None:
    """Write a self-contained HTML map of all parcels (works offline, no CDN)."""
    with database_session() as session:
        page = parcels_map_from_db(session)
    out.write_text(page, encoding="utf-8")
    typer.echo(message("cli.wrote", out=out))
