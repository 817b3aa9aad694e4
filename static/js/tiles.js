/* zhengshou map page: large plans, drawn from the vector tiles.
 *
 * With more than a few thousand parcels (or `?tiles=1`), main.js does not load the parcels as
 * GeoJSON. Instead:
 *   - protomaps-leaflet (vendored, loaded here on demand) draws /tiles/parcels/{z}/{x}/{y}.pbf
 *     (layer "parcels") on canvas tiles, each parcel in its block's or its stage's colour, the
 *     service's (styles.js), as in GeoJSON mode: the tiles carry `block` and `stage`;
 *   - a click on the map asks the point look-up, which answers with the parcel (and opens its
 *     popup); the parcel and any look-up hits are outlined from the answer's GeoJSON;
 *   - the side panel lists one page of /ogc/collections/parcels/items at a time (tile-list.js);
 *   - the totals come from /api/v1/plans and /api/v1/checks/area, as in GeoJSON mode.
 * Only the chosen plan's parcels are drawn: the tiles carry every plan's, each with its `plan`
 * (title), and the paint and label rules skip the others.
 * This module owns the tile layer, the plan's blocks (from the service's colours, so that the
 * legend and the block filter list them all at once), the outlines, zooming to a parcel and
 * its popup, and the geometry notice of tile mode.
 */
import { fitParcel, map, refreshStyles, setParcelOverlay } from "./map.js";
import { PARCEL_STYLE } from "./paint.js";
import { fillBlockFilter } from "./panel.js";
import { popupAnchor, popupHtml, popupOptions } from "./popup.js";
import { selectedPlan } from "./plans.js";
import { getJSON, query, shifted, state, toDisplayGeoJSON, toDisplayLatLng } from "./state.js";
import { onStylesChange, parcelColour, planBlocks } from "./styles.js";

const TILE_URL = "/tiles/parcels/{z}/{x}/{y}.pbf";
const RENDERER_SCRIPT = "/vendor/protomaps-leaflet/protomaps-leaflet.js";
const DATA_LAYER = "parcels";
const GEOMETRY_SOURCES = ["schematic", "digitized", "surveyed", "none"];

let layer; // the protomaps-leaflet layer
let highlight; // outlines of the selected, hovered and looked-up parcels
const stats = { featuresDrawn: 0, tilesLoaded: 0 };
const painted = new Map(); // parcel id -> the fill its paint rule last gave (a test hook)
let dimmedBlock = ""; // the list's block filter: the other blocks are drawn faint
let planTitle = null; // the chosen plan's title: only its parcels are drawn

// ---------------------------------------------------------------------------------------
// Blocks: the chosen plan's, as the service's colours list them (a block not stated, null,
// last); the tiles' colours are the same as GeoJSON mode's.
// ---------------------------------------------------------------------------------------
function takePlanBlocks() {
  const collator = new Intl.Collator("zh-Hans-CN");
  const blocks = planBlocks(state.planCode);
  const named = blocks.filter((block) => block !== null).sort(collator.compare);
  state.blocks = blocks.includes(null) ? [...named, null] : named;
}

// The colours were reloaded (a parcel moved into a new block): list the plan's blocks again.
onStylesChange(() => {
  if (!state.tileMode) return;
  takePlanBlocks();
  fillBlockFilter();
});

/** Keep features the page has seen, so that popups and outlines can use them. */
export function remember(features) {
  for (const feature of features || []) state.byId.set(feature.properties.id, feature);
}

// ---------------------------------------------------------------------------------------
// The renderer
// ---------------------------------------------------------------------------------------
const dimmed = (feature) => Boolean(dimmedBlock) && feature.props.block !== dimmedBlock;
const inPlan = (zoom, feature) => planTitle === null || feature.props.plan === planTitle;

/** The list's block filter changed: draw the other blocks faint ("" for none). */
export function dimOtherBlocks(block) {
  if (block === dimmedBlock) return;
  dimmedBlock = block;
  if (layer) layer.rerenderTiles();
}

/** Count what a symbolizer draws (a test hook: the tiles were drawn, not just fetched). */
function counted(symbolizer) {
  return {
    before: (ctx, z) => symbolizer.before(ctx, z),
    draw(ctx, geom, z, feature) {
      stats.featuresDrawn += 1;
      symbolizer.draw(ctx, geom, z, feature);
    },
  };
}

/**
 * On an Amap basemap the map is in GCJ-02, but the tiles are WGS84. The tiles' pane is
 * moved by the GCJ-02 offset at the view's centre, and the layer asks for the tiles under
 * the moved view. The offset changes by about 0.4 m per km, so across any view the error
 * stays under a pixel. (Per-feature shifting cannot work: at high zoom the offset, about
 * 500 m around Jiaxing, is many tiles, so the features come from other tiles.)
 * Uses GridLayer._getTiledPixelBounds, private in Leaflet 1.9 (vendored, pinned).
 */
function followGcj02(pane) {
  const shiftAt = (centre, zoom) => {
    const [lon, lat] = gcoord.transform([centre.lng, centre.lat], gcoord.GCJ02, gcoord.WGS84);
    return map.project(centre, zoom).subtract(map.project(L.latLng(lat, lon), zoom));
  };
  const tiledBounds = layer._getTiledPixelBounds;
  layer._getTiledPixelBounds = function (centre) {
    const bounds = tiledBounds.call(this, centre);
    const shift = shiftAt(centre, this._tileZoom);
    return L.bounds(bounds.min.subtract(shift), bounds.max.subtract(shift));
  };
  const move = (centre, zoom) => {
    const shift = shiftAt(centre, zoom);
    // Whole pixels: a fractional position blurs the tiles and shows their seams.
    pane.style.transform = `translate(${Math.round(shift.x)}px, ${Math.round(shift.y)}px)`;
  };
  map.on("zoomanim", (event) => move(event.center, event.zoom)); // with the zoom animation
  map.on("zoomend moveend viewreset", () => move(map.getCenter(), map.getZoom()));
  move(map.getCenter(), map.getZoom());
}

function paintRules() {
  // Attribute functions must take (zoom, feature) to be evaluated per feature.
  const fill = new protomapsL.PolygonSymbolizer({
    fill: (zoom, f) => {
      const colour = parcelColour(f.props);
      // Overview cells stand for several parcels and have no id of their own.
      if (f.props.id !== undefined) painted.set(f.props.id, colour);
      return colour;
    },
    opacity: (zoom, f) => (dimmed(f) ? 0.08 : PARCEL_STYLE.fillOpacity),
  });
  const line = new protomapsL.LineSymbolizer({
    color: (zoom, f) => parcelColour(f.props),
    width: (zoom, f) => (dimmed(f) ? 1 : PARCEL_STYLE.weight),
    opacity: (zoom, f) => (dimmed(f) ? 0.35 : PARCEL_STYLE.opacity),
    lineJoin: "round",
  });
  return [
    { dataLayer: DATA_LAYER, symbolizer: counted(fill), filter: inPlan },
    { dataLayer: DATA_LAYER, symbolizer: line, filter: inPlan },
  ];
}

/**
 * The parcels' sequence numbers, as GeoJSON mode shows them. The library anchors a label
 * on a polygon's first vertex, so this places it at the centre of the piece of the parcel
 * in the tile; the id as a de-duplication key keeps a parcel cut by a tile edge to one
 * label.
 */
function seqLabelRules() {
  const text = new protomapsL.CenteredTextSymbolizer({
    labelProps: ["seq_label"],
    font: "700 11px sans-serif",
    fill: "#222222",
    stroke: "rgba(255, 255, 255, 0.9)",
    width: 2,
  });
  const place = (layout, geom, feature) => {
    const ring = geom[0];
    if (!ring || !ring.length) return undefined;
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const p of ring) {
      minX = Math.min(minX, p.x);
      maxX = Math.max(maxX, p.x);
      minY = Math.min(minY, p.y);
      maxY = Math.max(maxY, p.y);
    }
    const centre = ring[0].clone();
    centre.x = (minX + maxX) / 2;
    centre.y = (minY + maxY) / 2;
    feature.props.seq_label = String(feature.props.seq); // text labels need a string
    const labels = text.place(layout, [[centre]], feature) || [];
    for (const label of labels) {
      label.deduplicationKey = String(feature.props.id);
      label.deduplicationDistance = 256;
    }
    return labels;
  };
  // Overview tiles' cells (with `parcels`, the count) stand for several parcels: no number.
  const numbered = (zoom, feature) => inPlan(zoom, feature) && feature.props.parcels === undefined;
  return [{ dataLayer: DATA_LAYER, minzoom: 13, symbolizer: { place }, filter: numbered }];
}

function createLayer() {
  // Parcels above the reference layer (overlayPane, 400), as in GeoJSON mode; clicks go
  // through to the map, which asks the look-up.
  const pane = map.createPane("parcelTiles");
  pane.style.zIndex = 410;
  pane.style.pointerEvents = "none";
  const outlines = map.createPane("parcelHighlight");
  outlines.style.zIndex = 420;
  outlines.style.pointerEvents = "none";
  layer = protomapsL.leafletLayer({
    url: TILE_URL,
    pane: "parcelTiles",
    paintRules: paintRules(),
    labelRules: seqLabelRules(),
    maxDataZoom: 16, // data tiles up to z16 (512 px); deeper zooms scale them
    attribution: "", // not the library's default OSM credit: these are our own parcels
    maxZoom: 20,
  });
  layer.on("load", () => {
    stats.tilesLoaded += 1;
  });
  if (shifted()) followGcj02(pane);
  highlight = L.geoJSON(null, {
    pane: "parcelHighlight",
    renderer: L.svg({ pane: "parcelHighlight" }),
    interactive: false,
    style: (feature) => highlightStyle(feature.properties.id),
  }).addTo(map);
  setParcelOverlay(layer.addTo(map));
}

function highlightStyle(id) {
  const colour = parcelColour(state.byId.get(id).properties);
  if (id === state.selectedId || state.lookupHits.has(id)) {
    return { color: "#111111", weight: 3, opacity: 1, fill: false };
  }
  return { color: colour, weight: 4, opacity: 1, fillColor: colour, fillOpacity: 0.25 };
}

export function refreshHighlight() {
  if (!highlight) return;
  highlight.clearLayers();
  const ids = new Set([...state.lookupHits, state.selectedId, state.hoverId]);
  for (const id of ids) {
    const feature = id && state.byId.get(id);
    if (feature) highlight.addData(toDisplayGeoJSON(feature));
  }
}

// ---------------------------------------------------------------------------------------
// Start-up: view, notice
// ---------------------------------------------------------------------------------------
async function loadNotice() {
  // An empty page of /api/v1/parcels (a bbox far from any parcel) carries the collection's
  // notice; the chosen plan's OGC counts per geometry source replace its geometry_sources.
  const plan = planTitle;
  const [empty, ...counts] = await Promise.all([
    getJSON("/api/v1/parcels?bbox=0,0,0.000001,0.000001"),
    ...GEOMETRY_SOURCES.map((source) =>
      getJSON(`/ogc/collections/parcels/items${query({ geometry_source: source, plan, limit: 1 })}`),
    ),
  ]);
  state.notice = { zh: empty.geometry_notice_zh || empty.geometry_notice || "", en: empty.geometry_notice || "" };
  state.sources = {};
  GEOMETRY_SOURCES.forEach((source, i) => {
    if (counts[i].numberMatched) state.sources[source] = counts[i].numberMatched;
  });
}

function loadRenderer() {
  if (window.protomapsL) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = RENDERER_SCRIPT;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`${RENDERER_SCRIPT} did not load`));
    document.head.appendChild(script);
  });
}

/** Tile mode's start: the notice and the renderer, then the tile layer (main.js has set the
 * view, on the chosen plan). */
export async function start() {
  planTitle = selectedPlan() ? selectedPlan().title : null;
  takePlanBlocks();
  await Promise.all([loadNotice(), loadRenderer()]);
  createLayer();
}

/** Paint the tiles again: the colouring changed (板块/阶段) or the colours were reloaded. */
export function repaint() {
  if (layer) layer.rerenderTiles();
}

/** Another plan was chosen: draw its parcels only, with its blocks and its notice's counts. */
export async function showPlan() {
  planTitle = selectedPlan() ? selectedPlan().title : null;
  takePlanBlocks();
  if (layer) {
    layer.clearLayout(); // labels placed for the other plan go too
    layer.rerenderTiles();
  }
  await loadNotice();
}

// ---------------------------------------------------------------------------------------
// Parcels: zoom, popups
// ---------------------------------------------------------------------------------------
async function featureOf(id) {
  if (!state.byId.has(id)) {
    try {
      remember([await getJSON(`/api/v1/parcels/${encodeURIComponent(id)}`)]);
    } catch (_) {
      return null;
    }
  }
  return state.byId.get(id);
}

const boundsOf = (feature) => L.geoJSON(toDisplayGeoJSON(feature)).getBounds();

export async function zoomToParcel(id, options) {
  const feature = await featureOf(id);
  if (!feature) return false;
  fitParcel(boundsOf(feature), options);
  return true;
}

function openPopup(id, latlng) {
  const popup = L.popup(popupOptions(id))
    .setLatLng(latlng)
    .setContent(() => popupHtml(id));
  popup.on("remove", () => {
    if (state.selectedId !== id) return;
    state.selectedId = null;
    refreshStyles();
  });
  popup.openOn(map);
  state.selectedId = id;
  refreshStyles();
}

export async function showParcel(id) {
  if (!(await zoomToParcel(id, { roomForPopup: true }))) return false;
  openPopup(id, popupAnchor(boundsOf(state.byId.get(id))));
  return true;
}

/** After a click on the map: the parcel the look-up found there opens its popup. */
export async function popupFromLookup(looked, latlng) {
  const result = await looked;
  if (!result || result !== state.lastLookup || !result.answer) return;
  const answer = result.answer;
  if (answer.inside === true && answer.parcels.length) openPopup(answer.parcels[0].properties.id, latlng);
}

/** The renderer's pixel [r, g, b, a] at a WGS84 point (for tests), or null. */
export function pixelAt(lon, lat) {
  const point = map.latLngToContainerPoint(toDisplayLatLng(lon, lat));
  const origin = map.getContainer().getBoundingClientRect();
  const x = origin.left + point.x;
  const y = origin.top + point.y;
  for (const tile of Object.values(layer._tiles)) {
    const rect = tile.el.getBoundingClientRect();
    if (x < rect.left || x >= rect.right || y < rect.top || y >= rect.bottom) continue;
    const cx = Math.floor(((x - rect.left) * tile.el.width) / rect.width);
    const cy = Math.floor(((y - rect.top) * tile.el.height) / rect.height);
    return Array.from(tile.el.getContext("2d").getImageData(cx, cy, 1, 1).data);
  }
  return null;
}

/** Test hook: the fill colour the paint rule last gave a parcel (null if never drawn). */
export const paintedFill = (id) => painted.get(id) ?? null;

/** Test hook: features drawn, tiles loaded, and whether tiles are still loading. */
export function layerStats() {
  return { ...stats, loading: layer ? layer.isLoading() : true };
}
