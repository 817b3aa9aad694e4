"""Bringing parcels in, from published notices and from GIS files.

- ``notice_ingest``: any county's notice, reviewed (``geo.notices``), corrected and written as a
  plan and its parcels; ``notice_parcels`` turns the review into a parcels file's form, and
  ``notice_table`` and ``notice`` keep the Jiaxing plan layout reproducing the shipped data;
- ``schematic`` and ``build``: schematic shapes, then digitized ones (``geo.boundaries``), as
  data/parcels.geojson;
- ``parcel_file``: a parcels GeoJSON file read and validated (each feature by ``geo.parcels.record``);
- ``loader``: a validated parcels file written, idempotently, in one transaction
  (through ``geo.parcels.writes``, as imports are);
- ``file_import``: GeoJSON, GeoPackage, Shapefile or CSV imports, all or nothing, with a dry run;
- ``bulk_import``: millions of parcels through COPY (``bulk_copy`` streams the file into a staging
  table, ``bulk_sql`` checks and writes it).
"""
