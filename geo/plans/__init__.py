"""The plan (征收计划): one published notice's parcels, read as a whole.

- ``reads``: every plan, or one by its code, with what the notice says of itself (type,
  numbers, issuer, date), its region, and its parcels summed up by PostGIS: how many, how many
  located, the declared and measured 亩 and the extent of the located ones. Also the check that
  a plan code names a plan, for the parcel filters of the API and the CLI.

Writing a plan belongs to the loaders (``geo.intake``) and the notice ingest (``geo.notices``).
This package imports only the shared basics, so that any package may use it.
"""
