/* zhengshou: the planners' map page. Entry module: boots the page and wires the modules.
 *
 * Plain JavaScript ES modules, no build step. Leaflet draws the parcels (canvas renderer),
 * gcoord shifts every overlay to GCJ-02 when the basemap is Amap; both are vendored classic
 * scripts loaded before this module (globals L and gcoord). All data comes from the same origin:
 *   /api/v1/config, /api/v1/styles, /api/v1/plans, /api/v1/parcels, /api/v1/checks/area,
 *   /api/v1/reference, /api/v1/lookup. The page shows one plan at a time, chosen in the panel (plans.js).
 * A large plan (more than TILE_THRESHOLD parcels, or `?tiles=1`) is drawn from the vector tiles
 * instead of GeoJSON: see tiles.js and tile-list.js.
 *
 * The modules: state.js (shared state, helpers), i18n.js (strings, language), map.js (map,
 * basemaps, reference layer, parcel layers, legend), styles.js (the service's colours of blocks
 * and stages, coloured by which), paint.js (line and fill styles, shared with the OGC pages), plans.js (the plan picker, zooming to a
 * plan), popup.js (a parcel's popup), panel.js (notice, totals, list, 待落图, filters), exports.js (export links), lookups.js (address and point
 * look-ups), history.js (a parcel's history), documents.js (its documents), ingest.js (导入公告,
 * reading a notice and committing it), draw.js with guide.js (drawing and correcting a shape,
 * editors only), auth.js (who is signed in, the headers a write carries), signin.js (the
 * sign-in control), stats.js (统计: the chosen plan's summary, tables and bar charts), print.js
 * (printed maps: the 打印 buttons and dialog), stages.js (a parcel's stage, its timeline and the
 * stage form), tiles.js and tile-list.js (tile mode). Some imports are circular (map.js and
 * tiles.js use each other):
 * modules only call one another after start-up, never while they load, so that is safe.
 * `window.zhengshou` exposes a few hooks for the browser tests (see the end of this file).
 */
import { currentUser, loadSession } from "./auth.js";
import * as documents from "./documents.js";
import * as drawing from "./draw.js";
import * as historyView from "./history.js";
import { applyLang, initialLang, onLangChange, setLang, t } from "./i18n.js";
import { initIngest } from "./ingest.js";
import { addLookupLayer, bindLookup, lookupPoint, renderLookup } from "./lookups.js";
import {
  chooseBasemap,
  colourOf,
  createMap,
  drawParcels,
  drawReference,
  makeTileLayers,
  map,
  renderLayersControl,
  renderLegend,
  showParcel,
  zoomToParcel,
} from "./map.js";
import {
  applyFilter,
  bindFilters,
  bindList,
  fillBlockFilter,
  renderList,
  renderNotice,
  renderTotals,
  resetBlockFilter,
} from "./panel.js";
import { bindPicker, loadPlans, renderPicker, selectedPlan, zoomToPlan } from "./plans.js";
import { initPrint } from "./print.js";
import { initSignIn } from "./signin.js";
import { initStats } from "./stats.js";
import { initStages } from "./stages.js";
import { $, getJSON, state, toDisplayLatLng } from "./state.js";
import { colourBy, loadStyles } from "./styles.js";
import * as tileList from "./tile-list.js";
import * as tileView from "./tiles.js";

// Above this many parcels the page draws vector tiles instead of loading every parcel as
// GeoJSON (a canvas handles a few thousand polygons; 100,000 would freeze the page).
// `?tiles=1` / `?tiles=0` in the page URL forces either mode.
const TILE_THRESHOLD = 3000;

/** After a language switch, everything drawn from strings (once the map exists). */
function renderAll() {
  if (!map) return;
  renderPicker();
  renderNotice();
  renderTotals();
  renderList();
  renderLegend();
  renderLayersControl();
  renderLookup();
  historyView.render();
  drawing.render();
  if (state.openPopup && state.openPopup.isOpen()) state.openPopup.update();
}

/** A shape saved from the map: the parcel's new feature everywhere (list, map, popup, notice
 * of sources), its area check asked again, and the parcel shown. */
async function parcelSaved(feature) {
  const id = feature.properties.id;
  state.byId.set(id, feature);
  state.allParcels = state.allParcels.map((f) => (f.properties.id === id ? feature : f));
  try {
    const audit = await getJSON(`/api/v1/parcels/${encodeURIComponent(id)}/checks`);
    if (audit.area) state.checks.set(id, audit.area);
  } catch (_) {
    /* the badge keeps its old value; the popup still shows the new shape */
  }
  if (state.tileMode) await tileView.showPlan();
  else {
    takePlanParcels();
    drawParcels();
  }
  renderAll();
  showParcel(id);
}

/** The map's own events: a click asks the look-up, a parcel popup fetches its documents. */
function wireMap() {
  map.on("click", (event) => {
    if (state.editingId) return; // a click while drawing places a vertex, it asks nothing
    const looked = lookupPoint(event.latlng);
    // Tile mode has no parcel layers to open a popup: the look-up's answer opens it.
    if (state.tileMode) tileView.popupFromLookup(looked, event.latlng);
  });
  // One parcel popup at a time, whichever layer opened it: remember it for the language
  // switch, and fetch its documents.
  map.on("popupopen", (event) => {
    const id = event.popup.options.parcelId;
    if (!id) return;
    if (state.editingId) {
      map.closePopup(event.popup); // clicks while drawing are vertices, not questions
      return;
    }
    state.openPopup = event.popup;
    documents.load(id, () => {
      if (state.openPopup === event.popup && event.popup.isOpen()) event.popup.update();
    });
  });
  map.on("popupclose", (event) => {
    if (state.openPopup === event.popup) state.openPopup = null;
  });
}

// ---------------------------------------------------------------------------------------
// Start-up
// ---------------------------------------------------------------------------------------
/** The number of parcels, cheaply: the OGC items' numberMatched for a one-feature page. */
async function countParcels() {
  const page = await getJSON("/ogc/collections/parcels/items?limit=1");
  return Number(page.numberMatched) || 0;
}

/** The area check's rows, split by plan. It lists parcels plan by plan (ordered by year, plan
 * and seq) and gives each plan's count, in the same order: no row names its plan. */
function checksByPlan(checks) {
  const byPlan = new Map();
  let offset = 0;
  for (const total of checks.plans) {
    byPlan.set(total.plan, checks.parcels.slice(offset, offset + total.parcels));
    offset += total.parcels;
  }
  return byPlan;
}

/** GeoJSON mode: the chosen plan's parcels, blocks (in order of first appearance, for the
 * legend and the list) and geometry sources. */
function takePlanParcels() {
  const plan = selectedPlan();
  state.parcels = state.allParcels.filter((f) => !plan || f.properties.plan === plan.title);
  state.blocks = [];
  state.sources = {};
  for (const f of state.parcels) {
    if (!state.blocks.includes(f.properties.block)) state.blocks.push(f.properties.block);
    state.sources[f.properties.geometry_source] = (state.sources[f.properties.geometry_source] || 0) + 1;
  }
}

let planShown = Promise.resolve(true);

function showPlanError(error) {
  const box = $("plan-message");
  box.textContent = t("loadError", { m: (error && error.message) || error });
  box.hidden = false;
}

/** Another plan was chosen in the picker: its parcels, totals and list, and the map on it. */
async function showPlan() {
  map.closePopup();
  state.selectedId = null;
  state.filteredIds = null;
  zoomToPlan(); // first: the tiles then load for the new view, and labels need a view
  if (state.tileMode) {
    await tileView.showPlan();
  } else {
    takePlanParcels();
    drawParcels();
  }
  resetBlockFilter();
  renderAll();
  await applyFilter();
}

function chooseTileMode(count) {
  const forced = new URLSearchParams(location.search).get("tiles");
  if (forced === "1" || forced === "0") return forced === "1";
  return count > TILE_THRESHOLD;
}

async function start() {
  state.lang = initialLang();
  onLangChange(renderAll);
  applyLang();
  $("lang-toggle").addEventListener("click", () => setLang(state.lang === "zh" ? "en" : "zh"));
  initIngest(document.querySelector(".topbar"));
  initSignIn(document.querySelector(".topbar"));
  initStats(document.querySelector(".plan-picker"));
  initPrint();

  // The area check has a row per parcel: for a large plan a large answer, so tile mode draws
  // the map without waiting for it (the totals say "loading" meanwhile). A failure is kept
  // for the await below, not left as an unhandled rejection.
  const checksLoaded = getJSON("/api/v1/checks/area")
    .then((checks) => {
      state.tolerance = checks.tolerance_pct;
      state.checksByPlan = checksByPlan(checks);
      for (const row of checks.parcels) state.checks.set(row.id, row);
      return null;
    })
    .catch((error) => error);
  const [config, count, reference] = await Promise.all([
    getJSON("/api/v1/config"),
    countParcels(),
    getJSON("/api/v1/reference"),
    loadPlans(),
    loadSession(), // who is signed in: editing tools wait for it, the map does not
    loadStyles(), // the colours of blocks and stages, the same in both modes
  ]);
  state.config = config;
  state.basemap = chooseBasemap(config);
  state.parcelCount = count;
  state.tileMode = chooseTileMode(count);
  if (!state.tileMode) {
    const failed = await checksLoaded;
    if (failed) throw failed;
  }

  createMap();
  wireMap();
  drawReference(reference);
  zoomToPlan(); // the map's first view: the chosen plan
  if (state.tileMode) {
    await tileView.start();
    await tileList.start();
  } else {
    // Every plan's parcels (GeoJSON mode has a few thousand at most): a plan change draws
    // another plan's without asking the service again.
    const parcels = await getJSON("/api/v1/parcels");
    state.notice = { zh: parcels.geometry_notice_zh || parcels.geometry_notice || "", en: parcels.geometry_notice || "" };
    state.allParcels = parcels.features.slice().sort((a, b) => a.properties.seq - b.properties.seq);
    for (const f of state.allParcels) state.byId.set(f.properties.id, f);
    takePlanParcels();
    drawParcels();
  }
  addLookupLayer();
  map.on("overlayadd overlayremove", renderLegend);

  fillBlockFilter();
  bindPicker(() => {
    planShown = showPlan().then(
      () => true,
      (error) => {
        showPlanError(error);
        return false;
      },
    );
  });
  bindList();
  bindFilters();
  bindLookup();
  historyView.bind();
  drawing.initDraw({ onSaved: parcelSaved, onAuth: renderAll });
  initStages({ onSaved: parcelSaved });
  applyLang();
  const failed = await checksLoaded;
  if (failed) throw failed;
  applyLang(); // totals, and the list's area-check badges
}

// Test hooks (also handy from the console). Coordinates are WGS84 lon/lat, as in the API.
const hooks = {
  isReady: false,
  error: null,
  /** Parcels drawn as GeoJSON layers (0 in tile mode, where the tiles draw them). */
  parcelCount: () => state.layers.size,
  /** "geojson", or "tiles" for a large plan (or ?tiles=1). */
  mode: () => (state.tileMode ? "tiles" : "geojson"),
  basemap: () => state.basemap,
  lang: () => state.lang,
  setLang,
  showParcel: (id) => Promise.resolve(showParcel(id)),
  /** Zoom to a parcel; resolves true if it exists. */
  zoomToParcel: (id) => Promise.resolve(zoomToParcel(id)).then(Boolean),
  /** The colour a block is drawn in (the service's). */
  blockColour: colourOf,
  /** What the parcels are coloured by: "block" or "stage" (the legend's switch). */
  colourBy,
  /** The fill a parcel is painted in: its Leaflet layer's (GeoJSON mode), or the one the
   * tiles' paint rule last gave it (tile mode); null if it was not drawn. */
  parcelFill: (id) =>
    state.tileMode ? tileView.paintedFill(id) : (state.layers.get(id)?.options.fillColor ?? null),
  /** Page (client) coordinates of a WGS84 point, for a real mouse click. */
  clientPointOf(lon, lat) {
    const point = map.latLngToContainerPoint(toDisplayLatLng(lon, lat));
    const rect = map.getContainer().getBoundingClientRect();
    return { x: rect.left + point.x, y: rect.top + point.y };
  },
  /** Fire the map's click handler at a WGS84 point; resolves with the look-up result. */
  clickAt(lon, lat) {
    const latlng = toDisplayLatLng(lon, lat);
    return lookupPoint(latlng);
  },
  /** The parcel's outer ring as drawn (display coordinates: GCJ-02 on an Amap basemap). */
  displayRing(id) {
    const layer = state.layers.get(id);
    let rings = layer.getLatLngs();
    while (Array.isArray(rings[0])) rings = rings[0];
    return rings.map((ll) => [ll.lng, ll.lat]);
  },
  lastLookup: () => state.lastLookup,
  /** The plan shown (its code), and the map's view in WGS84 (display coordinates off Amap). */
  plan: () => state.planCode,
  view() {
    const bounds = map.getBounds();
    const centre = map.getCenter();
    return {
      zoom: map.getZoom(),
      center: [centre.lng, centre.lat],
      bounds: [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()],
    };
  },
  /** Resolves once a plan chosen in the picker is drawn and listed. */
  planShown: () => planShown,
  /** Tile mode: requests made, tiles drawn, and the renderer's pixel at a WGS84 point. */
  tiles: () => ({ ...tileView.layerStats(), ...tileList.pageStats() }),
  tilePixelAt: (lon, lat) => tileView.pixelAt(lon, lat),
  /** The past version drawn from the history, if any: {entryId, version, at}. */
  historyShown: () => historyView.shownVersion(),
  /** The signed-in account ({name, role, via}) or null. */
  user: () => currentUser(),
  /** The drawing session (draw.js): its parcel, the service's checks, a refusal, the shape. */
  drawing: () => drawing.debugState(),
  /** A basemap's tile URL templates for a Tianditu key, built but never loaded. */
  basemapTemplates: (basemap, tk) => makeTileLayers(basemap, { tianditu_tk: tk }).map((l) => l._url),
};
hooks.ready = start().then(
  () => {
    hooks.isReady = true;
    return true;
  },
  (error) => {
    hooks.error = String((error && error.message) || error);
    state.loadError = hooks.error;
    renderNotice();
    return false;
  },
);
window.zhengshou = hooks;
