"""The parcel: its record, its store, and what is served from it.

- ``reads``: parcels out of PostGIS as GeoJSON, filtered;
- ``lookup``: which parcels hold a point, or which is nearest;
- ``editing``: create, update and retire, with optimistic concurrency;
- ``history``: every change, and any past state (``as_of``);
- ``documents``: PDFs attached to parcels;
- ``tiles``: Mapbox Vector Tiles made by PostGIS;
- ``export``: GeoJSON, GeoPackage, Shapefile, KML, CSV and XLSX;
- ``folium_map`` and ``styles``: the shareable HTML map and the colours it shares with the page.
"""
