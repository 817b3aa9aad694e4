"""Reference layers from real basemaps, for the digitizer: read, labelled, stored.

- ``osm``: an OpenStreetMap extract (pyosmium) into reference features and gazetteer addresses;
- ``gis``: any GDAL layer (GeoPackage, zipped Shapefile, GeoJSON) with named name and kind fields;
- ``layers``: the source a path names, read by the right reader, and stored in one transaction
  (the reference layer replaced, the addresses a previous load put in the gazetteer replaced).

It sits above ``geo.boundaries`` (the record and note forms the digitizer reads) and
``geo.addresses`` (the gazetteer), which is why it is not part of either.
"""
