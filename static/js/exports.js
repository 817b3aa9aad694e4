/* zhengshou map page: the export links under the filters.
 *
 * "Export all" is a fixed link (/api/v1/export.geojson). The "filtered" links carry the
 * panel's filter (block, q) and the chosen format: /api/v1/export.geojson?… and
 * /api/v1/export?…&format=…. They are plain download links: the browser asks the service.
 */
import { $, query } from "./state.js";

export function updateExportLinks(filter) {
  $("export-filtered").href = `/api/v1/export.geojson${query(filter)}`;
  const format = $("export-format").value;
  $("export-other").href = `/api/v1/export${query({ ...filter, format })}`;
}

/** A change of format points the link at it; `currentFilter` reads the panel's filter. */
export function bindExports(currentFilter) {
  $("export-format").addEventListener("change", () => updateExportLinks(currentFilter()));
}
