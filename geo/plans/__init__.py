"""The plan (征收计划): one published notice's parcels, read as a whole.

- ``reads``: every plan, or one by its code, with what the notice says of itself (type,
  numbers, issuer, date), its region, and its parcels summed up by PostGIS: how many, how many
  located, the declared and measured 亩 and the extent of the located ones. Also the check that
  a plan code names a plan, for the parcel filters of the API and the CLI.
- ``summary``: a plan's parcels counted and their declared and measured 亩 summed by block,
  implementing company, public-interest type, stage, area-check verdict and located or not
  (统计), in one GROUPING SETS statement; a field the notice does not state is a group of its own.
- ``summary_files``: that summary as one table, written as CSV (UTF-8 with a BOM) or Excel.

Writing a plan belongs to the loaders (``geo.intake``) and the notice ingest (``geo.notices``).
``reads`` imports only the shared basics, so that any package may use it; ``summary`` also
counts with the area check's rule (``geo.checks.area``), which imports nothing of this package.
"""
