"""The ``zhengshou`` command line: thin wrappers around the same ``geo`` functions the API uses.

- ``main``: the ``zhengshou`` app, every command registered in the order ``--help`` lists them;
- ``context``: what every command runs in: errors as one plain line, one database transaction;
- ``loading``: parcels files, the plan build, reference layer and gazetteer, imports, notices;
- ``checks``: the parcel audits, and reading a 四至 text;
- ``lookups``: look-ups by point, address or table, exports and the shareable map;
- ``tokens``: bearer tokens for editing;
- ``operations``: the schema, backups and restores, the server.
"""
