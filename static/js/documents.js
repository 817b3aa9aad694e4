/* zhengshou map page: the documents attached to a parcel (批复扫描件, survey reports), listed as
 * download links under 附件 in its popup.
 *
 * GET /api/v1/parcels/{id}/documents → {"documents": [{id, title, filename, content_type, size,
 * uploaded_at, uploaded_by, url}]}. The list is fetched each time a popup opens.
 *
 * A service without that endpoint must cost the page nothing: no row, and nothing in the
 * console. A 404 from fetch() cannot be made quiet (the browser itself logs "Failed to load
 * resource"), so the page asks the service's OpenAPI document once whether the endpoint exists
 * before it asks for any list. If that document is unavailable, it asks the endpoint directly
 * and still treats a 404 as "no documents".
 */
import { addStrings, t } from "./i18n.js";
import { apiFetch, esc } from "./state.js";

const DOCUMENTS_PATH = /^\/api\/v1\/parcels\/\{[^}]+\}\/documents$/;

addStrings({
  zh: { documentsNone: "—", documentsError: "附件列表加载失败" },
  en: { documentsNone: "—", documentsError: "Could not load the documents" },
});

// id -> {status: "loading" | "ok" | "none" | "error", list}
const byParcel = new Map();
let supported = null; // a promise of true | false | null (null: unknown, try the endpoint)
let absent = false; // the OpenAPI document says there is no such endpoint

function endpointKnown() {
  if (!supported) {
    supported = apiFetch("/openapi.json", { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((spec) => {
        if (!spec || !spec.paths) return null;
        const found = Object.entries(spec.paths).some(
          ([path, item]) => DOCUMENTS_PATH.test(path) && item && item.get,
        );
        absent = !found;
        return found;
      })
      .catch(() => null);
  }
  return supported;
}

/** The parcel's documents, or null: 404 (no such endpoint, or no such parcel) is none. */
async function fetchList(id) {
  const response = await apiFetch(`/api/v1/parcels/${encodeURIComponent(id)}/documents`, {
    headers: { Accept: "application/json" },
  });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = await response.json();
  return Array.isArray(body.documents) ? body.documents : [];
}

/** Fetch the parcel's documents, then call `changed` so that the popup re-renders. */
export async function load(id, changed) {
  if ((await endpointKnown()) === false) {
    changed(); // drops the row that said "loading"
    return;
  }
  let entry;
  try {
    const list = await fetchList(id);
    entry = list === null ? { status: "none" } : { status: "ok", list };
  } catch (_) {
    entry = { status: "error" };
  }
  byParcel.set(id, entry);
  changed();
}

const fmtSize = (bytes) => {
  const n = Number(bytes) || 0;
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
};

/** The 附件 cell's HTML, or null when the service has no documents endpoint. */
export function html(id) {
  if (absent) return null;
  const entry = byParcel.get(id);
  // Until the first answer; afterwards the last list stays shown while it is refreshed.
  if (!entry) return `<span class="muted">${esc(t("documentsLoading"))}</span>`;
  if (entry.status === "none") return null;
  if (entry.status === "error") return `<span class="muted">${esc(t("documentsError"))}</span>`;
  if (!entry.list.length) return esc(t("documentsNone"));
  const items = entry.list.map((doc) => {
    const title = doc.title || doc.filename;
    const date = doc.uploaded_at ? String(doc.uploaded_at).slice(0, 10) : "";
    const facts = [doc.filename !== title ? doc.filename : "", fmtSize(doc.size), date]
      .filter(Boolean)
      .map(esc)
      .join(" · ");
    return (
      `<li><a class="document-link" href="${esc(doc.url)}" download="${esc(doc.filename || "")}"` +
      ` data-document-id="${esc(doc.id)}">${esc(title)}</a> <small>${facts}</small></li>`
    );
  });
  return `<ul class="documents">${items.join("")}</ul>`;
}
