/* zhengshou map page: a parcel's change history in the side panel, and past outlines on the map.
 *
 * GET /api/v1/parcels/{id}/history → {"parcel_id", "changes": [{id, version, action, actor, at,
 * reason, old, new}]}, oldest first; `old` and `new` are the parcel before and after, as GeoJSON
 * Features (an "attach" change carries {"document": …} instead). The panel lists the changes
 * newest first. "Show on map" draws that version's outline dashed, labelled with its date; a
 * retire shows the last outline before it. One past outline at a time; "Clear" removes it.
 */
import { addStrings, t } from "./i18n.js";
import { fitParcel, map } from "./map.js";
import { popupAnchor } from "./popup.js";
import { $, esc, getJSON, state, toDisplayGeoJSON } from "./state.js";

const ACTIONS = ["create", "update", "retire", "survey", "import", "load", "attach"];
// Property changes worth listing (popup labels); derived or bookkeeping fields are left out.
const PROPERTY_LABELS = {
  seq: "fSeq",
  name: "fName",
  block: "fBlock",
  boundary_text: "fBoundary",
  declared_area_mu: "fDeclared",
  interest_type: "fInterest",
  implementing_unit: "fUnit",
  approval_reference: "fApproval",
  geometry_source: "fGeometry",
  plan: "historyPlan",
  stage: "fStage", // the stage's labels come with stages.js
  stage_date: "stageFieldDate",
  stage_document: "stageFieldDocument",
  stage_reason: "stageFieldReason",
  agreements_signed: "stageFieldSigned",
  agreements_total: "stageFieldTotal",
};
const OUTLINE_STYLE = {
  color: "#5b2a86",
  weight: 3,
  opacity: 0.95,
  dashArray: "8 6",
  fill: false,
  interactive: false,
};

addStrings({
  zh: {
    historyTitle: "历史记录：{name}",
    historyLoading: "正在加载历史记录…",
    historyError: "历史记录加载失败：{m}",
    historyEmpty: "没有历史记录。",
    historyCount: "共 {n} 次变更（最新在前）",
    action_create: "创建",
    action_update: "修改",
    action_retire: "撤销",
    action_survey: "测绘更新",
    action_import: "导入",
    action_load: "载入",
    action_attach: "上传附件",
    historyVersion: "版本 {v}",
    historyActor: "操作人",
    historyReason: "原因",
    historyChanged: "变更",
    historyGeometryChanged: "地块范围已修改",
    historyDocument: "附件：{title}",
    historyPlan: "征收计划",
    historyShow: "在图上显示此版本范围",
    historyShown: "已在图上显示",
    historyShowing: "图上虚线为 {date} 的范围（版本 {v}）。",
    historyClear: "清除",
    historyLabel: "{date} 版本 {v}",
  },
  en: {
    historyTitle: "History: {name}",
    historyLoading: "Loading the history…",
    historyError: "Could not load the history: {m}",
    historyEmpty: "No history.",
    historyCount: "{n} changes (newest first)",
    action_create: "Created",
    action_update: "Changed",
    action_retire: "Retired",
    action_survey: "Survey applied",
    action_import: "Imported",
    action_load: "Loaded",
    action_attach: "Document attached",
    historyVersion: "version {v}",
    historyActor: "By",
    historyReason: "Reason",
    historyChanged: "Changes",
    historyGeometryChanged: "outline changed",
    historyDocument: "Document: {title}",
    historyPlan: "Plan",
    historyShow: "Show this version on the map",
    historyShown: "Shown on the map",
    historyShowing: "The dashed outline is the parcel on {date} (version {v}).",
    historyClear: "Clear",
    historyLabel: "{date} v{v}",
  },
});

let current = null; // {id, busy, error, changes}
let shown = null; // {entryId, version, at}
let outline = null; // the Leaflet layer of the past outline
let serial = 0;

const pad = (n) => String(n).padStart(2, "0");
/** Local date and time, e.g. 2022-05-14 09:30. */
function fmtTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const fmtDate = (iso) => fmtTime(iso).slice(0, 10);
const short = (value) => {
  const text = value === null || value === undefined || value === "" ? "—" : String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
};

/** The outline a change can show: the parcel after it, or before it for a retire. */
function outlineOf(change) {
  if (change.new && change.new.geometry) return change.new;
  if (change.old && change.old.geometry) return change.old;
  return null;
}

function titleOf(id) {
  const feature = state.byId.get(id);
  if (feature) return `${feature.properties.seq}. ${feature.properties.name}`;
  const last = current && current.changes && current.changes.slice().reverse().find(outlineOf);
  const p = last && outlineOf(last).properties;
  return p ? `${p.seq}. ${p.name}` : id;
}

function diffHtml(change) {
  if (change.new && change.new.document) {
    const doc = change.new.document;
    return `<p class="history-diff">${esc(t("historyDocument", { title: doc.title || doc.filename || "" }))}</p>`;
  }
  if (!change.old || !change.new || !change.old.properties || !change.new.properties) return "";
  const before = change.old.properties;
  const after = change.new.properties;
  const items = [];
  for (const [key, label] of Object.entries(PROPERTY_LABELS)) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    items.push(
      `<li><span class="history-key">${esc(t(label))}</span>${esc(t("colon"))}` +
        `<del>${esc(short(before[key]))}</del> → <ins>${esc(short(after[key]))}</ins></li>`,
    );
  }
  if (JSON.stringify(change.old.geometry) !== JSON.stringify(change.new.geometry)) {
    items.push(`<li>${esc(t("historyGeometryChanged"))}</li>`);
  }
  return items.length ? `<ul class="history-diff">${items.join("")}</ul>` : "";
}

function entryHtml(change) {
  const action = ACTIONS.includes(change.action) ? t(`action_${change.action}`) : change.action;
  const isShown = shown && shown.entryId === change.id;
  const button = outlineOf(change)
    ? `<button type="button" class="link-button" data-show-version="${esc(change.id)}"` +
      ` aria-pressed="${isShown}">${esc(t(isShown ? "historyShown" : "historyShow"))}</button>`
    : "";
  return `<li class="history-entry${isShown ? " shown" : ""}" data-action="${esc(change.action)}"
          data-entry-id="${esc(change.id)}" data-version="${esc(change.version)}">
        <div class="history-head">
          <span class="history-action">${esc(action)}</span>
          <span class="history-version">${esc(t("historyVersion", { v: change.version }))}</span>
          <time datetime="${esc(change.at)}" title="${esc(change.at)}">${esc(fmtTime(change.at))}</time>
        </div>
        <dl class="history-facts">
          <dt>${esc(t("historyActor"))}</dt><dd class="history-actor">${esc(change.actor || "—")}</dd>
          <dt>${esc(t("historyReason"))}</dt><dd class="history-reason">${esc(change.reason || "—")}</dd>
        </dl>
        ${diffHtml(change)}
        ${button}
      </li>`;
}

const labelOf = (entry) => esc(t("historyLabel", { date: fmtDate(entry.at), v: entry.version }));

export function render() {
  if (outline && shown) outline.setTooltipContent(labelOf(shown)); // language switch
  const box = $("history-panel");
  if (!current) {
    box.hidden = true;
    box.innerHTML = "";
    return;
  }
  const close = esc(t("close"));
  let body;
  if (current.busy) body = `<p class="muted">${esc(t("historyLoading"))}</p>`;
  else if (current.error) body = `<p class="error">${esc(t("historyError", { m: current.error }))}</p>`;
  else if (!current.changes.length) body = `<p class="muted">${esc(t("historyEmpty"))}</p>`;
  else {
    const newestFirst = current.changes.slice().reverse();
    body =
      `<p class="muted">${esc(t("historyCount", { n: current.changes.length }))}</p>` +
      `<ol class="history-list">${newestFirst.map(entryHtml).join("")}</ol>`;
  }
  const showing = shown
    ? `<p class="history-showing">${esc(t("historyShowing", { date: fmtTime(shown.at), v: shown.version }))} ` +
      `<button type="button" class="button" data-clear-version>${esc(t("historyClear"))}</button></p>`
    : "";
  box.innerHTML =
    `<button type="button" class="close" aria-label="${close}" title="${close}">×</button>` +
    `<h3>${esc(t("historyTitle", { name: titleOf(current.id) }))}</h3>${showing}${body}`;
  box.hidden = false;
}

async function open(id) {
  const mine = ++serial;
  if (!current || current.id !== id) clear();
  current = { id, busy: true };
  render();
  $("panel").scrollTop = 0;
  try {
    const answer = await getJSON(`/api/v1/parcels/${encodeURIComponent(id)}/history`);
    if (mine !== serial) return;
    current = { id, changes: answer.changes || [] };
  } catch (error) {
    if (mine !== serial) return;
    current = { id, error: error.message };
  }
  render();
}

function outlinePane() {
  if (!map.getPane("historyPane")) {
    // Above the parcels (and the tile panes), below tooltips and popups.
    const pane = map.createPane("historyPane");
    pane.style.zIndex = 450;
    pane.style.pointerEvents = "none";
  }
  return "historyPane";
}

function showVersion(entryId) {
  const change = current && current.changes && current.changes.find((c) => String(c.id) === String(entryId));
  const feature = change && outlineOf(change);
  if (!feature) return false;
  if (outline) outline.remove();
  const pane = outlinePane();
  outline = L.geoJSON(toDisplayGeoJSON(feature), {
    pane,
    renderer: L.svg({ pane }),
    style: () => OUTLINE_STYLE,
    interactive: false,
  }).addTo(map);
  const bounds = outline.getBounds();
  outline.bindTooltip(labelOf(change), {
    permanent: true,
    direction: "top",
    className: "history-label",
    interactive: false,
    pane: "tooltipPane",
  });
  outline.openTooltip(popupAnchor(bounds));
  if (!map.getBounds().contains(bounds)) fitParcel(bounds);
  shown = { entryId: change.id, version: change.version, at: change.at };
  render();
  return true;
}

function clear() {
  if (outline) outline.remove();
  outline = null;
  shown = null;
  if (current) render();
}

export function bind() {
  // Popups are built from HTML strings: listen on the document for their history buttons.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-history]");
    if (button) open(button.dataset.history);
  });
  const box = $("history-panel");
  L.DomEvent.disableClickPropagation(box);
  L.DomEvent.disableScrollPropagation(box);
  box.addEventListener("click", (event) => {
    if (event.target.closest(".close")) {
      serial += 1;
      clear();
      current = null;
      render();
      return;
    }
    if (event.target.closest("[data-clear-version]")) {
      clear();
      return;
    }
    const show = event.target.closest("[data-show-version]");
    if (show) showVersion(show.dataset.showVersion);
  });
}

/** Test hook: the past version drawn from the history, if any: {entryId, version, at}. */
export const shownVersion = () => (shown ? { ...shown } : null);
