"""Published notices (征收计划, 预公告, 启动公告, 方案公告, 征收决定) read into plans and parcels.

- ``document``: the neutral form every reader produces: paragraphs and tables of cells, each
  with where it was found, the text verbatim;
- ``readers``: plain text (UTF-8, GB18030), web pages, Word, PDF with a text layer, Excel, CSV;
- ``areas``: areas as published (亩, 公顷, 平方米, 万平方米, 约, two figures) into 亩 and m²;
- ``preamble``: the issuer, document and approval numbers, dates and document type;
- ``layouts``: the parcels, from a table with a header row, a table flattened to one cell per
  line, one paragraph per parcel, areas given per village in one sentence, or a single-parcel
  announcement; a purpose or implementer given once is carried to each parcel
  (``layouts.accuracy`` scores what was read against expected answers);
- ``region``: the province, city and county a notice names, with the 6-digit adcode and centre,
  from cpca's administrative-division table;
- ``preview``: the review a planner reads before anything is written (``ingest --dry-run``);
- ``corrections``: a planner's corrections to the review, re-derived, with what was printed kept;
- ``corpus``: our corpus of notices read and scored, for the README's accuracy tables.

Matching uses ``geo.chinese`` (Traditional to Simplified, full-width to half-width, positions
kept); the text itself is kept verbatim.
"""
