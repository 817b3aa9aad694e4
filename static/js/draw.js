/* zhengshou map page: drawing a parcel's shape, or correcting it, on the map (editors only).
 *
 * Owns the editing session: Leaflet-Geoman (vendored, global L.PM) draws a polygon for a parcel
 * without a shape, or edits an existing one (move, add and remove vertices, cut a hole, remove a
 * part), snapping to the 四至's highlighted features (guide.js) and to the other layers on the
 * map. Geoman has no undo for vertex edits, so every change pushes the whole geometry on a stack
 * here. After each change (debounced) the service checks the unsaved shape with the same audit
 * as `zhengshou check` (POST /parcels/{id}/checks/preview); 保存 PATCHes the parcel with the
 * version the editing started from (If-Match), geometry_source "drawn" and a note naming the
 * editor and the basemap. A conflict shows who changed the parcel meanwhile, with 重新载入.
 * The panel is #draw-panel (checks' HTML: draw-checks.js); popups and 待落图 carry the buttons.
 */
import { canEdit, currentUser, noteRefusal, onAuthChange, writeHeaders } from "./auth.js";
import "./draw-strings.js";
import { checksHtml, conflictHtml } from "./draw-checks.js";
import { guideBounds, guideHtml, hideGuide, resolveSides, showGuide } from "./guide.js";
import { t } from "./i18n.js";
import { fitParcel, map, refreshStyles } from "./map.js";
import { $, apiFetch, esc, shifted, state, toDisplayGeoJSON } from "./state.js";

const PREVIEW_DELAY_MS = 300; // the checks answer after the hand stops, not on every pixel
const EDIT_STYLE = { color: "#111111", weight: 2, fillColor: "#ffd400", fillOpacity: 0.3 };
// The basemap, as the saved note names it (in English, like the other geometry notes).
const BASEMAP_NAMES = {
  none: "no basemap (the estimated reference layer)",
  tianditu: "Tianditu vector map",
  tianditu_img: "Tianditu imagery",
  osm: "OpenStreetMap",
  amap: "Amap",
};
const LOCATION = /\[(-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)\]/; // GEOS: "Self-intersection[lon lat]"

let edit = null; // the session: {id, feature, etag, group, layer, undo, serial, checks, …}
let onSaved = () => {};

/** The popup's and the 待落图 details' button, for an editor. */
export function drawButtonHtml(id) {
  const feature = state.byId.get(id);
  if (!canEdit() || !feature) return "";
  const label = t(feature.geometry ? "drawEdit" : "drawNew");
  return `<button type="button" class="button draw-button" data-draw="${esc(id)}">${esc(label)}</button>`;
}

export function initDraw(hooks) {
  onSaved = hooks.onSaved;
  map.pm.setGlobalOptions({ snappable: true, snapDistance: 15, allowSelfIntersection: true });
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-draw]");
    if (button) open(button.dataset.draw);
  });
  map.on("pm:create", (event) => {
    if (!edit || edit.layer) return;
    map.removeLayer(event.layer);
    startEditing(makeLayer(toWgs84(event.layer.toGeoJSON().geometry)));
    changed();
  });
  map.on("pm:cut", (event) => {
    if (!edit || event.originalLayer !== edit.layer) return;
    map.removeLayer(event.layer);
    edit.group.removeLayer(event.originalLayer);
    startEditing(makeLayer(toWgs84(event.layer.toGeoJSON().geometry)));
    changed();
  });
  onAuthChange(() => {
    if (edit && !canEdit()) close();
    hooks.onAuth();
  });
}

// ---------------------------------------------------------------------------------------
// The shape being edited
// ---------------------------------------------------------------------------------------
function toWgs84(geometry) {
  if (!shifted()) return geometry;
  return gcoord.transform(structuredClone(geometry), gcoord.GCJ02, gcoord.WGS84);
}

const currentGeometry = () => (edit && edit.layer ? toWgs84(edit.layer.toGeoJSON().geometry) : null);

function makeLayer(geometry) {
  const layers = L.geoJSON(toDisplayGeoJSON(geometry), { style: () => EDIT_STYLE }).getLayers();
  return layers[0];
}

function startEditing(layer) {
  edit.layer = layer;
  edit.group.addLayer(layer);
  layer.pm.enable({ snappable: true, allowSelfIntersection: true });
  layer.on("pm:edit", changed); // after a vertex is moved, added or removed
  layer.on("click", removePartAt);
}

/** Replace the shape (undo, removing a part) by a new editable layer. */
function replaceShape(geometry) {
  edit.layer.pm.disable();
  edit.group.removeLayer(edit.layer);
  edit.layer = null;
  if (geometry) startEditing(makeLayer(geometry));
  else map.pm.enableDraw("Polygon");
}

/** Every change: remembered for undo, and checked by the service once the hand rests. */
function changed() {
  edit.undo.push(currentGeometry());
  edit.message = null;
  edit.conflict = null;
  schedulePreview();
  renderBody();
}

function undo() {
  if (!edit || edit.undo.length <= edit.base) return;
  edit.undo.pop();
  replaceShape(edit.undo.at(-1) || null);
  if (edit.layer) schedulePreview();
  else Object.assign(edit, { checks: null, refused: null });
  renderBody();
}

function removePartAt(event) {
  if (!edit.removing) return;
  edit.removing = false;
  const geometry = currentGeometry();
  const polygons = geometry.type === "MultiPolygon" ? geometry.coordinates : [geometry.coordinates];
  if (polygons.length < 2) return renderBody(); // the last part stays: a shape needs one
  const at = toWgs84({ type: "Point", coordinates: [event.latlng.lng, event.latlng.lat] }).coordinates;
  const kept = polygons.filter((polygon) => !inRing(at, polygon[0]));
  if (kept.length === polygons.length) return renderBody();
  replaceShape({ type: "MultiPolygon", coordinates: kept });
  changed();
}

function inRing([x, y], ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

// ---------------------------------------------------------------------------------------
// Opening and closing
// ---------------------------------------------------------------------------------------
async function open(id) {
  if (edit) close();
  const response = await apiFetch(`/api/v1/parcels/${encodeURIComponent(id)}`, {
    headers: { Accept: "application/geo+json, application/json" },
  });
  if (!response.ok) return;
  const feature = await response.json();
  map.closePopup();
  state.editingId = id;
  refreshStyles();
  const rows = resolveSides(feature);
  // The undo stack starts with the stored shape, which undo never takes away.
  const base = feature.geometry ? 1 : 0;
  edit = { id, feature, etag: response.headers.get("ETag"), rows, undo: [], base, serial: 0 };
  edit.group = L.featureGroup().addTo(map);
  showGuide(rows);
  if (feature.geometry) {
    startEditing(makeLayer(feature.geometry));
    edit.undo.push(currentGeometry());
    fitParcel(edit.layer.getBounds());
    schedulePreview();
  } else {
    const bounds = guideBounds();
    if (bounds) fitParcel(bounds);
    map.pm.enableDraw("Polygon");
  }
  render();
  $("panel").scrollTop = 0; // the section sits at the panel's top
}

function close() {
  if (!edit) return;
  clearTimeout(edit.timer);
  map.pm.disableDraw();
  if (edit.layer) edit.layer.pm.disable();
  edit.group.remove();
  hideGuide();
  edit = null;
  state.editingId = null;
  refreshStyles();
  render();
}

// ---------------------------------------------------------------------------------------
// The service's checks on the unsaved shape, and saving
// ---------------------------------------------------------------------------------------
function schedulePreview() {
  clearTimeout(edit.timer);
  edit.checking = true;
  edit.timer = setTimeout(preview, PREVIEW_DELAY_MS);
}

async function send(method, url, body, headers = {}) {
  const response = await apiFetch(url, {
    method,
    headers: { "Content-Type": "application/json", Accept: "application/json", ...writeHeaders(), ...headers },
    body: JSON.stringify(body),
  });
  let answer = null;
  try {
    answer = await response.json();
  } catch (_) {
    answer = null;
  }
  if (!response.ok) noteRefusal(answer); // an ended sign-in signs the page out, and says so
  return { response, answer, error: (answer && answer.error) || { message: `HTTP ${response.status}` } };
}

async function preview() {
  const session = edit;
  const serial = ++session.serial;
  const url = `/api/v1/parcels/${encodeURIComponent(session.id)}/checks/preview`;
  let result;
  try {
    result = await send("POST", url, { geometry: currentGeometry() });
  } catch (error) {
    result = { response: { ok: false, status: 0 }, error: { message: error.message } };
  }
  if (session !== edit || serial !== session.serial) return; // a later change asked again
  session.checking = false;
  session.checks = result.response.ok ? result.answer : null;
  session.refused = result.response.ok ? null : refusal(result);
  renderBody();
}

/** A refused shape's reason, and where it lies when the message says ("…[lon lat]"). */
function refusal({ response, error }) {
  const invalid = response.status === 422 || error.code === "invalid_geometry";
  const found = LOCATION.exec(error.message || "");
  return {
    message: t(invalid ? "drawRefused" : "drawFailed", { m: error.message }),
    at: found ? [Number(found[1]), Number(found[2])] : null,
  };
}

async function save() {
  const reason = $("draw-reason").value.trim();
  if (!reason) {
    edit.message = t("drawReasonMissing");
    renderBody();
    $("draw-reason").focus();
    return;
  }
  const session = edit;
  const who = (currentUser() && currentUser().name) || (session.checks && session.checks.editor) || "an editor";
  const day = new Date().toISOString().slice(0, 10);
  const note = `Drawn on the map by ${who} on ${BASEMAP_NAMES[state.basemap] || state.basemap} (${day}): ${reason}`;
  const body = {
    geometry: currentGeometry(),
    properties: { geometry_source: "drawn", geometry_note: note },
    reason,
  };
  session.message = t("drawSaving");
  renderBody();
  const url = `/api/v1/parcels/${encodeURIComponent(session.id)}`;
  const result = await send("PATCH", url, body, { "If-Match": session.etag });
  if (session !== edit) return;
  session.message = null;
  if (result.response.ok) {
    close();
    onSaved(result.answer);
  } else if (result.response.status === 412) {
    session.conflict = await conflict(session.id, result.error.current_version);
  } else {
    session.refused = refusal(result);
  }
  renderBody();
}

/** Who changed the parcel since the editing began: its latest history entry. */
async function conflict(id, version) {
  try {
    const response = await apiFetch(`/api/v1/parcels/${encodeURIComponent(id)}/history`);
    const changes = (await response.json()).changes || [];
    return { version, last: changes.at(-1) || null };
  } catch (_) {
    return { version, last: null };
  }
}

// ---------------------------------------------------------------------------------------
// The panel section
// ---------------------------------------------------------------------------------------
function section() {
  let box = $("draw-panel");
  if (!box) {
    box = document.createElement("section");
    box.id = "draw-panel";
    box.className = "draw-panel";
    box.setAttribute("aria-live", "polite");
    document.querySelector(".plan-picker").after(box);
    box.addEventListener("click", (event) => {
      const action = event.target.closest("[data-draw-action]");
      if (action) ACTIONS[action.dataset.drawAction]();
    });
  }
  return box;
}

const ACTIONS = {
  undo,
  cut: () => edit.layer && map.pm.enableDraw("Cut", { layersToCut: [edit.layer] }),
  remove: () => {
    edit.removing = !edit.removing;
    renderBody();
  },
  cancel: close,
  save,
  reload: () => open(edit.id),
};

/** The whole section (on opening, and after a language switch); the reason typed is kept. */
export function render() {
  const box = section();
  box.hidden = !edit;
  if (!edit) return;
  const typed = $("draw-reason") ? $("draw-reason").value : "";
  const p = edit.feature.properties;
  const action = t(edit.feature.geometry ? "drawEdit" : "drawNew");
  const button = (name, label) =>
    `<button type="button" class="button" data-draw-action="${name}">${esc(t(label))}</button>`;
  box.innerHTML = `<h3>${esc(t("drawHeading", { action, seq: p.seq, name: p.name }))}</h3>
    <p class="draw-hint">${esc(t(edit.feature.geometry ? "drawHintEdit" : "drawHintNew"))}</p>
    <h4>${esc(t("drawGuide"))}</h4>${guideHtml(edit.feature, edit.rows)}
    <div class="draw-tools">${button("undo", "drawUndo")}${button("cut", "drawCut")}${button("remove", "drawRemovePart")}${button("cancel", "drawCancel")}</div>
    <h4>${esc(t("drawChecks"))}</h4>
    <div id="draw-checks" class="draw-checks"></div>
    <div id="draw-message" class="draw-message" role="alert"></div>
    <label for="draw-reason">${esc(t("drawReason"))}</label>
    <textarea id="draw-reason" rows="2" maxlength="2000"></textarea>
    <div class="draw-save">${button("save", "drawSave")}</div>`;
  $("draw-reason").value = typed;
  renderBody();
}

/** The parts that change while drawing: the checks, the message, the tools' state. */
function renderBody() {
  if (!edit || !$("draw-checks")) return;
  $("draw-checks").innerHTML = checksHtml(edit);
  const parts = [];
  if (edit.removing) parts.push(`<p>${esc(t("drawRemovePartHint"))}</p>`);
  if (edit.message) parts.push(`<p>${esc(edit.message)}</p>`);
  if (edit.refused) {
    parts.push(`<p class="draw-refused">${esc(edit.refused.message)}</p>`);
    if (edit.refused.at) {
      const [lon, lat] = edit.refused.at;
      parts.push(`<p class="draw-refused-at">${esc(t("drawRefusedAt", { lon, lat }))}</p>`);
    }
  }
  if (edit.conflict) parts.push(conflictHtml(edit.conflict));
  $("draw-message").innerHTML = parts.join("");
  showRefusalMarker();
  const tools = document.querySelectorAll("#draw-panel [data-draw-action]");
  for (const tool of tools) {
    const name = tool.dataset.drawAction;
    tool.disabled = ["cut", "remove", "save"].includes(name) && !edit.layer;
    if (name === "undo") tool.disabled = edit.undo.length <= edit.base;
    tool.classList.toggle("active", name === "remove" && Boolean(edit.removing));
  }
}

let refusalMarker = null;

function showRefusalMarker() {
  if (refusalMarker) refusalMarker.remove();
  refusalMarker = null;
  if (!edit || !edit.refused || !edit.refused.at) return;
  const [lon, lat] = edit.refused.at;
  const latlng = toDisplayGeoJSON({ type: "Point", coordinates: [lon, lat] }).coordinates;
  refusalMarker = L.circleMarker([latlng[1], latlng[0]], {
    radius: 9, color: "#c00000", weight: 3, fillOpacity: 0, className: "draw-refused-marker",
  })
    .bindTooltip(esc(edit.refused.message), { permanent: true, direction: "right", className: "draw-refused-label" })
    .addTo(edit.group);
}

/** Vertices placed so far while a polygon or a hole is drawn (Geoman's working line). */
function drawnVertices() {
  const drawer = [map.pm.Draw.Polygon, map.pm.Draw.Cut].find((mode) => mode.enabled());
  return drawer ? drawer._layer.getLatLngs().length : null;
}

/** For the browser tests: the session as plain data. */
export function debugState() {
  if (!edit) return null;
  return {
    id: edit.id,
    checking: Boolean(edit.checking),
    checks: edit.checks || null,
    refused: edit.refused || null,
    undo: edit.undo.length,
    geometry: currentGeometry(),
    vertices: drawnVertices(),
  };
}
