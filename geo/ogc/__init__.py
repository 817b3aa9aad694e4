"""OGC API - Features, answered by PostGIS.

- ``collections``: the collections, their items and single features;
- ``cql2``: CQL2 text filters compiled to parameterised SQL;
- ``crs``: the coordinate reference systems served.
"""
