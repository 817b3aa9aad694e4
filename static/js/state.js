/* zhengshou map page: the state every module shares, and small helpers.
 *
 * Owns the `state` object (data loaded from the API, the current filter, selection, language,
 * basemap, …), DOM and HTML helpers ($, esc), number formats, same-origin JSON requests
 * (getJSON, query), and the display coordinates: the API speaks WGS84, an Amap basemap needs
 * GCJ-02 on screen. Imports nothing; Leaflet (L) and gcoord are the vendored globals.
 */

export const state = {
  lang: "zh",
  basemap: "none",
  config: null,
  notice: "",
  sources: {},
  parcels: [], // GeoJSON features of the chosen plan, WGS84, as the API gave them
  byId: new Map(),
  layers: new Map(), // id -> Leaflet polygon layer
  checks: new Map(), // id -> area-check row
  tolerance: 5,
  plans: [], // /api/v1/plans: each plan with its region, totals and extent (plans.js)
  planCode: null, // the plan shown: the panel, the totals and the parcels drawn are its
  allParcels: [], // GeoJSON mode: every plan's parcels; state.parcels holds the chosen plan's
  checksByPlan: new Map(), // plan title -> its parcels' area-check rows
  blocks: [], // the chosen plan's blocks: the legend and the block filter list them
  filteredIds: null, // null = no filter
  filterError: null,
  sort: "seq",
  hoverId: null,
  selectedId: null,
  lookupHits: new Set(),
  lastLookup: null,
  lookupSerial: 0,
  basemapWarning: "",
  loadError: null,
  legendReferenceOpen: false,
  tileMode: false, // true: parcels come from the vector tiles, the list is paged (tiles.js)
  parcelCount: 0, // numberMatched of the OGC items: every parcel, whatever the mode
  openPopup: null, // the parcel popup on the map, if any
  reference: null, // /api/v1/reference as loaded (WGS84), for the drawing guide
  editingId: null, // the parcel being drawn or corrected (draw.js), hidden on the map meanwhile
};

export const $ = (id) => document.getElementById(id);

export function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
  })[c]);
}

export const fmtMu = (n) => (n === null || n === undefined ? "–" : Number(n).toFixed(2));
export const fmtMetres = (n) => Math.round(Number(n)).toLocaleString(state.lang === "zh" ? "zh-CN" : "en");
export const fmtPct = (n) => `${n > 0 ? "+" : n < 0 ? "−" : "±"}${Math.abs(Number(n)).toFixed(2)}%`;

/** The language the server answers in (its error and look-up messages): the one the planner
 * picked on the page (i18n.js keeps the choice in state.lang). */
export function answerLanguage() {
  return state.lang === "en" ? "en" : "zh-CN";
}

/** fetch() for this service: every call asks for answers in the page's language. */
export function apiFetch(url, options = {}) {
  const headers = new Headers(options.headers || {});
  if (!headers.has("Accept-Language")) headers.set("Accept-Language", answerLanguage());
  return fetch(url, { ...options, headers });
}

export async function getJSON(url) {
  const response = await apiFetch(url, { headers: { Accept: "application/json" } });
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    body = null;
  }
  if (!response.ok) {
    const message = body && body.error && body.error.message;
    throw new Error(message || `HTTP ${response.status}`);
  }
  return body;
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

// ---------------------------------------------------------------------------------------
// Coordinates: the API speaks WGS84; an Amap basemap needs GCJ-02 on screen.
// ---------------------------------------------------------------------------------------
export const shifted = () => state.basemap === "amap";

export function toDisplayGeoJSON(geojson) {
  if (!shifted()) return geojson;
  // gcoord rewrites coordinates in place: shift a copy.
  return gcoord.transform(structuredClone(geojson), gcoord.WGS84, gcoord.GCJ02);
}

export function toDisplayLatLng(lon, lat) {
  if (!shifted()) return L.latLng(lat, lon);
  const [x, y] = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02);
  return L.latLng(y, x);
}
