"""Looking after an installation's data as a whole, rather than one capability's.

- ``backup``: a pg_dump of the whole database with a GeoPackage of the parcels beside it, and the
  restore into an empty database.
"""
