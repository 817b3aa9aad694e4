"""Checks on parcels, computed in PostGIS.

- ``area``: measured area against the declared 亩, per parcel and per plan;
- ``topology``: validity, overlaps, slivers and holes;
- ``sides``: does each feature the 四至 names lie along the parcel, on the side it says?
- ``audit``: the three together, per parcel, with reasons;
- ``summary``: the same checks as counts, for any number of parcels.
"""
