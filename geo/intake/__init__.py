"""Bringing parcels in, from published notices and from GIS files.

- ``notice_table`` and ``notice``: a published plan notice read into a plan and its parcels;
- ``schematic`` and ``build``: schematic shapes, then digitized ones (``geo.boundaries``), as
  data/parcels.geojson;
- ``parcel_file``: a parcels GeoJSON file read and validated;
- ``loader``: a validated parcels file written, idempotently, in one transaction;
- ``file_import``: GeoJSON, GeoPackage, Shapefile or CSV imports, all or nothing, with a dry run;
- ``bulk_import``: millions of parcels through COPY.
"""
