"""The exported files other than GeoJSON, written from one table of the parcels' attributes.

``geo.parcels.export.parcel_frame`` reads the table; each writer here turns it into one file:
GeoPackage, a zipped Shapefile (with the limits of dBASE handled visibly), KML, CSV and XLSX.
"""

import csv
import html
import io
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.parcels.export_fields import (
    DBF_TEXT_BYTES,
    LONG_TEXT_FILE,
    SHAPEFILE_FIELDS,
    TEXT_ATTRIBUTES,
    TRUNCATION_MARK,
    fit_dbf_text,
)

LAYER = "parcels"

EXCEL_CELL_CHARS = 32_767

# The KML balloon's own labels: two differ from the record's (四至, not 四至范围; 量算面积, not
# 实测面积), and KML files already exchanged read them, so they stay as first shipped.
KML_DESCRIPTION = [
    ("编号", "id"),
    ("所属板块", "block"),
    ("四至", "boundary_text"),
    ("土地面积（亩）", "declared_area_mu"),
    ("量算面积（亩）", "measured_area_mu"),
    ("公共利益类型", "interest_type"),
    ("建设活动组织实施单位", "implementing_unit"),
    ("几何来源", "geometry_source"),
]


def _write_with_gdal(frame: gpd.GeoDataFrame, filename: str, driver: str, **options: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="zhengshou-export-") as folder:
        path = Path(folder) / filename
        frame.to_file(path, driver=driver, layer=LAYER, engine="pyogrio", **options)
        return path.read_bytes()


def write_gpkg(frame: gpd.GeoDataFrame) -> bytes:
    """A GeoPackage with one layer ``parcels``; GeoPackage keeps the full attribute names."""
    # GeoPackage 1.2 rather than GDAL's default 1.4: older readers (Debian 12's GDAL 3.6, the
    # QGIS built on it) warn that 1.4 "may only be partially supported".
    return _write_with_gdal(frame.drop(columns="wkt"), "parcels.gpkg", "GPKG", VERSION="1.2")


def shapefile_fields_csv() -> str:
    """The ``fields.csv`` that travels with the Shapefile: attribute -> field, and the caveats."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["attribute", "shapefile_field", "note"])
    for attribute, field in SHAPEFILE_FIELDS.items():
        note = ""
        if attribute in TEXT_ATTRIBUTES:
            note = f"text; over {DBF_TEXT_BYTES} UTF-8 bytes cut, ending {TRUNCATION_MARK}"
        writer.writerow([attribute, field, note])
    writer.writerow([])
    writer.writerow(
        [
            "note",
            "",
            f"dBASE text holds at most {DBF_TEXT_BYTES} bytes; a longer value is cut at a "
            f"character boundary and ends with {TRUNCATION_MARK}. {LONG_TEXT_FILE} gives every "
            "cut value in full (id, attribute, shapefile_field, text); so do the other formats.",
        ]
    )
    return "\ufeff" + buffer.getvalue()


def cut_texts(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Fit every text attribute into dBASE; return the cut frame and ``long_text.csv``."""
    cut = frame.copy()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "attribute", "shapefile_field", "text"])
    for attribute in TEXT_ATTRIBUTES:
        cut[attribute] = frame[attribute].map(lambda v: fit_dbf_text(v) if v else v)
        # A null text (not stated, no stage document) is never cut; pandas has None != None.
        was_cut = frame[attribute].notna() & (cut[attribute] != frame[attribute])
        for parcel_id, full in frame.loc[was_cut, ["id", attribute]].values:
            writer.writerow([parcel_id, attribute, SHAPEFILE_FIELDS[attribute], full])
    return cut, "\ufeff" + buffer.getvalue()


def write_shapefile_zip(frame: gpd.GeoDataFrame) -> bytes:
    """A zip of parcels.shp/.shx/.dbf/.prj/.cpg (UTF-8), ``fields.csv`` and ``long_text.csv``.

    dBASE limits names to 10 characters (see ``SHAPEFILE_FIELDS``) and text to 254 bytes.
    Texts are cut by :func:`fit_dbf_text`, visibly, rather than left to GDAL, which cuts without
    a mark; ``long_text.csv`` keeps the cut values whole.
    """
    shp, long_text = cut_texts(frame.drop(columns="wkt"))
    shp = shp.rename(columns=SHAPEFILE_FIELDS)
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="zhengshou-export-") as folder:
        shp.to_file(Path(folder) / "parcels.shp", engine="pyogrio", encoding="UTF-8")
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(folder).iterdir()):
                archive.write(path, path.name)
            archive.writestr("fields.csv", shapefile_fields_csv())
            archive.writestr(LONG_TEXT_FILE, long_text)
    return buffer.getvalue()


def kml_description(row: pd.Series) -> str:
    """The balloon text: key attributes as escaped HTML lines (Google Earth renders HTML)."""
    # A parcel not yet located has no measured area (NaN in the table): say so, not "nan".
    lines = [
        f"{label}: {'待落图' if pd.isna(row[key]) else row[key]}" for label, key in KML_DESCRIPTION
    ]
    lines.append("非测绘成果 (not a survey result)")
    return "<br>".join(html.escape(line) for line in lines)


def write_kml(frame: gpd.GeoDataFrame) -> bytes:
    """KML for Google Earth: placemark name = parcel name, description = key attributes.

    LIBKML also writes every attribute as ExtendedData; the plain KML driver is the fallback.
    """
    kml = frame.drop(columns="wkt")
    kml.insert(kml.columns.get_loc("name") + 1, "description", kml.apply(kml_description, axis=1))
    driver = "LIBKML" if "LIBKML" in pyogrio.list_drivers(write=True) else "KML"
    return _write_with_gdal(kml, "parcels.kml", driver)


def write_csv(frame: gpd.GeoDataFrame) -> bytes:
    """CSV in UTF-8 with a BOM (so Excel shows Chinese), geometry as the ``wkt`` column."""
    table = pd.DataFrame(frame.drop(columns="geometry"))
    return ("\ufeff" + table.to_csv(index=False)).encode("utf-8")


def write_xlsx(frame: gpd.GeoDataFrame) -> bytes:
    """An Excel sheet ``parcels``: a header row, the attributes, and WKT in the last column.

    A WKT longer than Excel's 32,767 characters per cell is left empty rather than cut, since a
    cut WKT is no geometry at all; the other formats carry it whole.
    """
    table = pd.DataFrame(frame.drop(columns="geometry"))
    table["wkt"] = table["wkt"].where(table["wkt"].str.len() <= EXCEL_CELL_CHARS, None)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.to_excel(writer, sheet_name=LAYER, index=False, freeze_panes=(1, 0))
    return buffer.getvalue()


WRITERS = {
    "gpkg": write_gpkg,
    "shp": write_shapefile_zip,
    "kml": write_kml,
    "csv": write_csv,
    "xlsx": write_xlsx,
}
