"""Printed maps (附图): one parcel's map, or a whole plan's, as PDF or PNG on A4 or A3.

The pages are drawn on the server with matplotlib in the parcel's CGCS2000 3-degree zone plane,
with the map frame sized in paper millimetres, so that a stated scale (1:500 … 1:10000) measures
true on paper. The API and the CLI call ``geo.printing.output`` (``print_parcel``, ``print_plan``,
``print_map``).

- ``fonts``: the CJK font the pages need (Debian's fonts-wqy-microhei or fonts-noto-cjk);
- ``paper``: paper sizes, print options, the standard scales and the page layout in millimetres;
- ``data``: what a sheet shows, read from PostGIS already projected onto the zone plane;
- ``sheet``: a page of paper in millimetres: text, wrapping, labels that must not overlap;
- ``frame``: the map frame: parcels, reference features, names, north arrow, scale bar;
- ``furniture``: around the map: the title, the strip with the scale and legend, the footer;
- ``tables``: tables that wrap their cells and continue on the next page;
- ``parcel_sheet`` and ``plan_sheet``: the pages of one parcel's map and of a plan's map;
- ``output``: pages into PDF (vector, fonts embedded as TrueType) or PNG bytes.
"""
