/* zhengshou map page: the Leaflet map.
 *
 * Owns the map and its canvas renderer, the basemap (none, Tianditu vector or imagery, OSM or
 * Amap; with a Tianditu key the layer switcher offers none / vector / imagery), the
 * reference layer, the chosen plan's parcels drawn as GeoJSON layers with their styles and
 * sequence labels (redrawn when another plan is chosen), zooming to a parcel, the legend with
 * its 板块/阶段 switch (colours from styles.js, the service's) and the layer switcher. In tile
 * mode (tiles.js) the parcels come from the vector tiles: zoomToParcel, showParcel and
 * refreshStyles hand over to it.
 */
import { addStrings, t } from "./i18n.js";
import { lookupPoint } from "./lookups.js";
import { PARCEL_STYLE, REFERENCE_STYLES } from "./paint.js";
import { popupAnchor, popupHtml, popupOptions } from "./popup.js";
import { esc, state, toDisplayGeoJSON } from "./state.js";
import {
  blockColour,
  colourBy,
  legend,
  onStylesChange,
  parcelColour,
  setColourBy,
  stageOf,
} from "./styles.js";
import * as tileView from "./tiles.js";

const BASEMAPS = ["none", "tianditu", "tianditu_img", "osm", "amap"];
// Tianditu's WMTS layers for each of its basemaps: the map and its labels above it.
const TIANDITU_LAYERS = { tianditu: ["vec", "cva"], tianditu_img: ["img", "cia"] };

addStrings({
  zh: { colourBy: "着色", colourByBlock: "板块", colourByStage: "阶段" },
  en: { colourBy: "Colour by", colourByBlock: "block", colourByStage: "stage" },
});

export let map;
export let renderer;
let parcelLayer;
let referenceLayer;
let labelLayer;
let parcelOverlay; // parcels + their sequence labels, as one switchable overlay
let legendControl;
let layersControl;
let tileLayers = [];

// ---------------------------------------------------------------------------------------
// Map and basemap
// ---------------------------------------------------------------------------------------
export function chooseBasemap(config) {
  const override = new URLSearchParams(location.search).get("basemap");
  if (BASEMAPS.includes(override)) return override;
  return BASEMAPS.includes(config.basemap) ? config.basemap : "none";
}

/** The tile layers of a basemap (none when it needs a key that is not configured). Exported for
 * the tests, which check the URL templates without loading a tile. */
export function makeTileLayers(basemap, config) {
  const common = { maxZoom: 20, maxNativeZoom: 18 };
  if (basemap === "osm") {
    return [
      L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
        ...common,
        maxNativeZoom: 19,
        attribution:
          '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
      }),
    ];
  }
  if (basemap in TIANDITU_LAYERS) {
    if (!config.tianditu_tk) {
      state.basemapWarning = "noTiandituKey";
      return [];
    }
    const tk = encodeURIComponent(config.tianditu_tk);
    const wmts = (layer) =>
      `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0` +
      `&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles` +
      `&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${tk}`;
    const options = { ...common, subdomains: "01234567", attribution: "&copy; 天地图 Tianditu" };
    return TIANDITU_LAYERS[basemap].map((layer) => L.tileLayer(wmts(layer), options));
  }
  if (basemap === "amap") {
    return [
      L.tileLayer(
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
        { ...common, subdomains: "1234", attribution: "&copy; 高德地图 AutoNavi" },
      ),
    ];
  }
  return [];
}

/** The basemaps the layer switcher offers: with a Tianditu key, none, its vector map and its
 * imagery (all WGS84 like the overlays; Amap's GCJ-02 cannot be switched to after start-up). */
function switchableBasemaps() {
  if (!state.config.tianditu_tk || state.basemap === "amap") return [];
  const choices = ["none", "tianditu", "tianditu_img"];
  if (!choices.includes(state.basemap)) choices.push(state.basemap);
  return choices;
}

/** One layer group per switchable basemap, the shown one holding the tile layers on the map. */
const basemapGroups = new Map();

function basemapGroup(basemap) {
  if (!basemapGroups.has(basemap)) {
    const layers = basemap === state.basemap ? tileLayers : makeTileLayers(basemap, state.config);
    basemapGroups.set(basemap, L.layerGroup(layers));
  }
  return basemapGroups.get(basemap);
}

export function createMap() {
  map = L.map("map", { zoomControl: true, maxZoom: 20, minZoom: 8 });
  renderer = L.canvas({ padding: 0.5, tolerance: 4 });
  tileLayers = makeTileLayers(state.basemap, state.config);
  if (switchableBasemaps().length) basemapGroup(state.basemap).addTo(map);
  else for (const layer of tileLayers) layer.addTo(map);
  // Tiles sit in Leaflet's tile pane, under the overlay pane: the reference layer and the
  // parcels stay on top whichever basemap is chosen.
  map.on("baselayerchange", (event) => {
    const chosen = [...basemapGroups].find(([, group]) => group === event.layer);
    if (chosen) state.basemap = chosen[0];
    renderLegend();
  });
  map.attributionControl.setPrefix(
    '<a href="https://leafletjs.com" title="A JavaScript library for interactive maps">Leaflet</a>',
  );
  L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
  // The colours were reloaded (a new block) or the 板块/阶段 switch was turned: repaint.
  onStylesChange(() => {
    refreshStyles();
    if (state.tileMode) tileView.repaint();
    renderLegend();
  });
}

// ---------------------------------------------------------------------------------------
// Reference layer (drawn under the parcels, so that the map is readable offline)
// ---------------------------------------------------------------------------------------
export function drawReference(collection) {
  state.reference = collection; // the drawing guide (guide.js) finds the 四至's features in it
  referenceLayer = L.geoJSON(toDisplayGeoJSON(collection), {
    renderer,
    style: (feature) => REFERENCE_STYLES[feature.properties.kind] || REFERENCE_STYLES.road,
    pointToLayer: (feature, latlng) =>
      L.circleMarker(latlng, { renderer, ...REFERENCE_STYLES.address }),
    onEachFeature: (feature, layer) => {
      const { name, kind } = feature.properties;
      layer.bindTooltip(() => `${esc(name)} <small>(${esc(t(`kind_${kind}`))})</small>`, {
        sticky: true,
      });
    },
  });
  // Estimated positions: shown by default only when there is no real basemap.
  if (state.basemap === "none") referenceLayer.addTo(map);
}

// ---------------------------------------------------------------------------------------
// Parcels
// ---------------------------------------------------------------------------------------
/** A block's colour (the service's), whatever the parcels are coloured by. */
export const colourOf = blockColour;

function parcelStyle(id) {
  const colour = parcelColour(state.byId.get(id).properties);
  const style = { ...PARCEL_STYLE, color: colour, fillColor: colour };
  if (state.filteredIds && !state.filteredIds.has(id)) {
    Object.assign(style, { opacity: 0.35, fillOpacity: 0.08, weight: 1 });
  }
  if (state.lookupHits.has(id)) Object.assign(style, { color: "#111111", weight: 3 });
  // Being redrawn (draw.js): the editable copy stands in its place.
  if (id === state.editingId) return { ...style, opacity: 0, fillOpacity: 0 };
  if (id === state.selectedId) Object.assign(style, { color: "#111111", weight: 3 });
  if (id === state.hoverId) Object.assign(style, { weight: 4, fillOpacity: 0.6 });
  return style;
}

export function refreshStyles() {
  for (const [id, layer] of state.layers) layer.setStyle(parcelStyle(id));
  if (state.tileMode) tileView.refreshHighlight();
  for (const row of document.querySelectorAll(".parcel-row")) {
    row.classList.toggle("hover", row.dataset.id === state.hoverId);
    row.classList.toggle("selected", row.dataset.id === state.selectedId);
    const feature = state.byId.get(row.dataset.id);
    const swatch = row.querySelector(".swatch");
    if (feature && swatch) swatch.style.background = parcelColour(feature.properties);
  }
}

export function setHover(id) {
  if (state.hoverId === id) return;
  state.hoverId = id;
  refreshStyles();
}

/** Draw the chosen plan's parcels (state.parcels), replacing any drawn before.
 * The map must have its view first: the sequence labels sit at each parcel's centre. */
export function drawParcels() {
  if (!parcelOverlay) createParcelLayers();
  parcelLayer.clearLayers();
  labelLayer.clearLayers();
  state.layers.clear();
  // A parcel not yet located has no shape: the panel lists it under 待落图 instead.
  const located = state.parcels.filter((f) => f.geometry);
  parcelLayer.addData(toDisplayGeoJSON({ type: "FeatureCollection", features: located }));
  // Sequence numbers on the map, so that small parcels can be found at city scale.
  for (const [id, layer] of state.layers) {
    L.tooltip({ permanent: true, direction: "center", className: "seq-label", interactive: false })
      // getCenter needs the layer on the map, which it is not while the overlay is switched off.
      .setLatLng(map.hasLayer(layer) ? layer.getCenter() : layer.getBounds().getCenter())
      .setContent(String(state.byId.get(id).properties.seq))
      .addTo(labelLayer);
  }
}

function createParcelLayers() {
  parcelLayer = L.geoJSON(null, {
    renderer,
    style: (feature) => parcelStyle(feature.properties.id),
    onEachFeature: (feature, layer) => {
      const id = feature.properties.id;
      state.layers.set(id, layer);
      layer.bindPopup(() => popupHtml(id), popupOptions(id));
      layer.bindTooltip(() => `${feature.properties.seq}. ${esc(feature.properties.name)}`, {
        sticky: true,
        direction: "top",
      });
      // The popup stops the click here, so the map's click handler would not see it.
      // While a shape is drawn (draw.js) a click is a vertex, not a question.
      layer.on("click", (event) => state.editingId || lookupPoint(event.latlng));
      layer.on("mouseover", () => setHover(id));
      layer.on("mouseout", () => setHover(null));
      layer.on("popupopen", () => {
        state.selectedId = id;
        refreshStyles();
        const row = document.querySelector(`.parcel-row[data-id="${CSS.escape(id)}"]`);
        if (row) row.scrollIntoView({ block: "nearest" });
      });
      layer.on("popupclose", () => {
        if (state.selectedId === id) state.selectedId = null;
        refreshStyles();
      });
    },
  });
  labelLayer = L.layerGroup();
  parcelOverlay = L.layerGroup([parcelLayer, labelLayer]).addTo(map);
}

export function fitParcel(bounds, { roomForPopup = false } = {}) {
  // No animation: the view is final when this returns. With a popup to come, leave room
  // above the parcel for it, so that it opens without panning the map.
  const top = roomForPopup ? Math.min(360, map.getSize().y / 2) : 60;
  map.fitBounds(bounds, {
    paddingTopLeft: [60, top],
    paddingBottomRight: [60, 40],
    maxZoom: 18,
    animate: false,
  });
}

/** Zoom to a parcel. GeoJSON mode: its layer (or null). Tile mode: a promise of a boolean. */
export function zoomToParcel(id, options) {
  if (state.tileMode) return tileView.zoomToParcel(id, options);
  const layer = state.layers.get(id);
  if (!layer) return null;
  fitParcel(layer.getBounds(), options);
  return layer;
}

/** Zoom to a parcel and open its popup. Tile mode: a promise of a boolean. */
export function showParcel(id) {
  if (state.tileMode) return tileView.showParcel(id);
  const layer = zoomToParcel(id, { roomForPopup: true });
  if (layer) layer.openPopup(popupAnchor(layer.getBounds()));
  return Boolean(layer);
}

/** Tile mode: the tile layer is the switchable parcel overlay. */
export function setParcelOverlay(overlay) {
  parcelOverlay = overlay;
}

// ---------------------------------------------------------------------------------------
// Legend and layer switcher
// ---------------------------------------------------------------------------------------
export function renderLegend() {
  if (!legendControl) {
    legendControl = L.control({ position: "bottomright" });
    legendControl.onAdd = () => {
      const div = L.DomUtil.create("div", "legend");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      // Remember whether the reference part is open across re-renders (language switch).
      div.addEventListener("toggle", (event) => {
        if (event.target.matches(".legend-reference")) state.legendReferenceOpen = event.target.open;
      }, true);
      div.addEventListener("change", (event) => {
        if (event.target.name === "colour-by") setColourBy(event.target.value);
      });
      return div;
    };
    legendControl.addTo(map);
  }
  const shown = legend({ blocks: state.blocks, stages: shownStages(), planCode: state.planCode });
  const items = shown.entries
    .map(
      (entry) =>
        `<div class="item"><span class="sym" style="background:${esc(entry.colour)};` +
        `opacity:.75"></span>${esc(entry.label)}</div>`,
    )
    .join("");
  let reference = "";
  if (referenceLayer && map.hasLayer(referenceLayer)) {
    const sym = (kind) => {
      const s = REFERENCE_STYLES[kind];
      let css;
      if (kind === "address") css = `background:#fff;border:1px solid ${s.color}`;
      else if (["road", "water", "wall"].includes(kind)) {
        css = `border-top-color:${s.color};border-top-width:${Math.max(1, s.weight)}px`;
      } else {
        const line = s.dashArray ? "dashed" : "solid";
        css = `background:${s.fillColor || "transparent"};border:1px ${line} ${s.color}`;
      }
      const shape = kind === "address" ? " dot" : ["road", "water", "wall"].includes(kind) ? " line" : "";
      return `<span class="sym${shape}" style="${css}"></span>`;
    };
    const items = ["road", "water", "wall", "estate", "building", "parcel", "address"]
      .map((kind) => `<div class="item">${sym(kind)}${esc(t(`kind_${kind}`))}</div>`)
      .join("");
    const open = state.legendReferenceOpen ? " open" : "";
    reference =
      `<hr><details class="legend-reference"${open}>` +
      `<summary>${esc(t("legendReference"))}</summary><div class="grid">${items}</div></details>`;
  }
  const basemap = `<hr><div class="item">${esc(t("basemap"))}${esc(t(`basemap_${state.basemap}`))}</div>`;
  legendControl.getContainer().innerHTML =
    colourBySwitch() + `<h4>${esc(shown.title)}</h4>${items}${reference}${basemap}`;
}

/** The 板块/阶段 switch at the top of the legend. */
function colourBySwitch() {
  const option = (value, label) =>
    `<label><input type="radio" name="colour-by" value="${value}"` +
    `${colourBy() === value ? " checked" : ""}> ${esc(t(label))}</label>`;
  return (
    `<div class="colour-by" role="radiogroup" aria-label="${esc(t("colourBy"))}">` +
    `${esc(t("colourBy"))}${option("block", "colourByBlock")}${option("stage", "colourByStage")}</div>`
  );
}

/** GeoJSON mode: the stages of the parcels drawn. Tile mode: null (the service's per plan). */
function shownStages() {
  if (state.tileMode) return null;
  return new Set(state.parcels.filter((f) => f.geometry).map((f) => stageOf(f.properties)));
}

export function renderLayersControl() {
  if (layersControl) layersControl.remove();
  const overlays = { [t("layerParcels")]: parcelOverlay };
  if (referenceLayer) overlays[t("layerReference")] = referenceLayer;
  const bases = {};
  for (const basemap of switchableBasemaps()) bases[t(`basemap_${basemap}`)] = basemapGroup(basemap);
  layersControl = L.control.layers(bases, overlays, { collapsed: true, position: "topleft" }).addTo(map);
}
