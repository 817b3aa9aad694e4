"""The parcel: its record, its store, and what is served from it.

- ``record``: the one list of a parcel's fields, and a GeoJSON Feature validated into a record;
- ``writes``: the one write path: a record turned into a row, and the upsert every write uses;
- ``reads``: parcels out of PostGIS as GeoJSON, filtered;
- ``lookup``: which parcels hold a point, or which is nearest;
- ``editing``: create, update and retire, with optimistic concurrency;
- ``preconditions``: the versions a write says it read (If-Match), checked against the current one;
- ``history``: every change, and any past state (``as_of``);
- ``documents``: PDFs attached to parcels;
- ``tiles``: Mapbox Vector Tiles made by PostGIS;
- ``export`` and ``export_writers``: GeoJSON streamed; GeoPackage, Shapefile, KML, CSV and XLSX;
- ``styles``: the colours of blocks and stages every map paints with, and what a geometry source
  means;
- ``folium_map``: the shareable HTML map.
"""
