/* zhengshou map page: the export links under the filters.
 *
 * "Export all" is /api/v1/export.geojson: every parcel, or with several plans every parcel of
 * the chosen plan. The "filtered" links carry the panel's filter (plan, block, q) and the
 * chosen format: /api/v1/export.geojson?… and /api/v1/export?…&format=…. They are plain
 * download links: the browser asks the service.
 */
import { $, query, state } from "./state.js";

export function updateExportLinks(filter) {
  const plan = state.plans.length > 1 ? filter.plan : null;
  $("export-all").href = `/api/v1/export.geojson${query({ plan })}`;
  $("export-filtered").href = `/api/v1/export.geojson${query(filter)}`;
  const format = $("export-format").value;
  $("export-other").href = `/api/v1/export${query({ ...filter, format })}`;
}

/** A change of format points the link at it; `currentFilter` reads the panel's filter. */
export function bindExports(currentFilter) {
  $("export-format").addEventListener("change", () => updateExportLinks(currentFilter()));
}
