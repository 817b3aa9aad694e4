"""Addresses: does this address fall in a parcel?

- ``parse`` and ``vocab``: a Chinese street address into its parts;
- ``gazetteer``: the local gazetteer (address points, roads with house numbers, districts);
- ``local_geocoder``: geocoding with the gazetteer in PostGIS;
- ``outside_geocoders``: Tianditu (天地图) and Amap (高德), off by default;
- ``lookup``: one address, parsed, geocoded and looked up;
- ``batch``: a spreadsheet of addresses, answered row by row.
"""
