"""The four-boundary text (四至), from words to a polygon.

- ``parse``: the parser (``parse_boundaries``); ``parsed``: what it produces (sides, named features);
- ``features``: one side's text cut into features, each read into name, kind and qualifiers;
- ``forms``: the clauses without a side word (X以东, 与X相邻, 以X为界);
- ``vocab``: its word tables;
- ``sides``: compass sides on the parcel's Gauss-Kruger plane, shared by the digitizer and the side check;
- ``reference``: the reference layer, the roads, rivers, walls and estates that the texts name;
- ``digitize``: one parcel's text and the reference layer in, a polygon (or the reasons why not) out;
- ``digitize_plan``: every parcel of a plan digitized, parcels that name others after them.
"""
