"""Printed maps as bytes: the pages into one PDF (vector), or one page into a PNG.

The API and the CLI both call :func:`print_parcel` / :func:`print_plan` (or :func:`print_map`,
which tells a parcel id from a plan code). Rendering is CPU work; the API runs it in its thread
pool. Each call draws on its own matplotlib Figures, never on pyplot's shared state.

matplotlib takes seconds to import, so this module imports the drawing modules only when a map
is printed: the API server and the CLI start without it.
"""

import io
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from geo.errors import InvalidInput, ParcelNotFound
from geo.messages import message, use_language
from geo.plans.reads import plan_exists_query
from geo.printing.data import (
    MapFeature,
    parcel_exists,
    read_parcel,
    read_plan,
    read_surroundings,
)
from geo.printing.paper import PrintOptions
from geo.query import fetch_value

if TYPE_CHECKING:
    from geo.printing.sheet import Sheet

MEDIA_TYPES = {"pdf": "application/pdf", "png": "image/png"}
# matplotlib promises no thread safety, even for separate Figures (its font and text-layout
# caches are shared): one map is drawn at a time per process. Drawing is CPU work that holds
# the GIL anyway, so the lock costs no parallelism.
_drawing = threading.Lock()


@dataclass(frozen=True)
class PrintedMap:
    """A rendered map: its bytes, media type, a file name to save it as, and its page count."""

    content: bytes
    media_type: str
    filename: str
    pages: int


def _render(sheets: list["Sheet"], options: PrintOptions, title: str, stem: str) -> PrintedMap:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_pdf import FigureCanvasPdf, PdfPages

    buffer = io.BytesIO()
    if options.fmt == "pdf":
        metadata = {"Title": title, "Creator": "zhengshou"}
        with PdfPages(buffer, metadata=metadata) as pdf:
            for sheet in sheets:
                FigureCanvasPdf(sheet.figure)
                pdf.savefig(sheet.figure)
    else:
        if options.page > len(sheets):
            raise InvalidInput(message("printing.bad_page", page=options.page, pages=len(sheets)))
        figure = sheets[options.page - 1].figure
        FigureCanvasAgg(figure)
        figure.savefig(buffer, format="png", dpi=options.dpi)
        if len(sheets) > 1:
            stem = f"{stem}-p{options.page}"
    return PrintedMap(
        buffer.getvalue(), MEDIA_TYPES[options.fmt], f"{stem}.{options.fmt}", len(sheets)
    )


def print_parcel(session: Session, parcel_id: str, options: PrintOptions) -> PrintedMap:
    """One parcel's map (附图)."""
    from geo.printing.parcel_sheet import parcel_pages

    with use_language(options.language):
        parcel, plan = read_parcel(session, parcel_id)

        def around(bounds: tuple[float, float, float, float]) -> list[MapFeature]:
            assert parcel.zone_epsg is not None  # only a located parcel's frame asks
            return read_surroundings(session, parcel.zone_epsg, bounds, [parcel.id])

        title = message("printing.parcel_title", name=parcel.name, seq=parcel.seq)
        with _drawing:
            sheets = parcel_pages(parcel, plan, around, options)
            return _render(sheets, options, f"{plan.title} {title}", f"{parcel.id}-map")


def print_plan(session: Session, code: str, options: PrintOptions) -> PrintedMap:
    """A whole plan's map: every parcel numbered and coloured by block, with its index."""
    from geo.parcels.styles import blocks_query, stored_block_colours
    from geo.printing.plan_sheet import plan_pages

    with use_language(options.language):
        plan, parcels, zone = read_plan(session, code)

        def around(bounds: tuple[float, float, float, float]) -> list[MapFeature]:
            assert zone is not None  # only a plan with located parcels draws a frame
            return read_surroundings(session, zone, bounds, [p.id for p in parcels])

        with _drawing:
            # The map page's colours (geo.parcels.styles), so a block prints as it shows.
            colours = stored_block_colours(fetch_value(session, blocks_query()))
            sheets = plan_pages(plan, parcels, zone, around, options, colours)
            return _render(sheets, options, plan.title, f"{plan.code}-map")


def print_map(session: Session, key: str, options: PrintOptions) -> PrintedMap:
    """The map of the parcel with this id, or else of the plan with this code."""
    if parcel_exists(session, key):
        return print_parcel(session, key, options)
    if fetch_value(session, plan_exists_query(key)):
        return print_plan(session, key, options)
    with use_language(options.language):
        raise ParcelNotFound(message("printing.neither", key=key))
