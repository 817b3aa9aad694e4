/* zhengshou map page: the side panel, and the notice above it.
 *
 * Owns the geometry notice (and the load-error message), the chosen plan's totals, the parcel
 * list with its sorting, the 待落图 list of parcels without a shape, and the block and keyword
 * filters. In GeoJSON mode the filter asks /api/v1/parcels for the matching ids of the chosen
 * plan and the list is built here; in tile mode the list is paged by tile-list.js, which uses
 * the 待落图 list from here. The plan picker is plans.js; the look-up answer and the history
 * have boxes of their own in the panel (lookups.js, history.js).
 */
import { bindExports, updateExportLinks } from "./exports.js";
import { t } from "./i18n.js";
import { refreshStyles, setHover, showParcel } from "./map.js";
import { selectedPlan } from "./plans.js";
import { popupHtml, stated } from "./popup.js";
import { $, esc, fmtMu, fmtPct, getJSON, query, state } from "./state.js";
import { parcelColour } from "./styles.js";
import * as tileList from "./tile-list.js";

// ---------------------------------------------------------------------------------------
// Notice, totals, list, filters
// ---------------------------------------------------------------------------------------
export function renderNotice() {
  const box = $("notice");
  if (state.loadError) {
    box.classList.add("error");
    $("notice-headline").textContent = t("loadError", { m: state.loadError });
    return;
  }
  $("notice-headline").textContent = t("noticeHeadline");
  $("notice-text").textContent = state.notice[state.lang === "en" ? "en" : "zh"] + (state.basemapWarning ? ` ${t(state.basemapWarning)}` : "");
  const list = Object.entries(state.sources)
    .map(([source, n]) => `${t(`geom_${source}`)} ${t("count", { n })}`)
    .join("，");
  $("notice-sources").textContent = list ? t("noticeSources", { list }) : "";
}

/** The chosen plan's totals: counts and sums from /api/v1/plans, failures from the area check. */
export function renderTotals() {
  const plan = selectedPlan();
  const box = $("totals");
  if (!plan) {
    box.textContent = state.plans.length ? t("loading") : t("count", { n: 0 });
    return;
  }
  const { total, not_located, declared_unstated, declared_total_mu, measured_total_mu } =
    plan.parcels;
  const published = plan.published_total_mu;
  let verdict = "";
  if (published !== null && declared_total_mu !== null) {
    const diff = declared_total_mu - published;
    verdict =
      Math.abs(diff) < 0.005
        ? `<span class="badge ok">${esc(t("totalsMatch"))}</span>`
        : `<span class="badge fail">${esc(t("totalsDiff", { d: fmtMu(diff) }))}</span>`;
  }
  // The area check's rows cover every parcel in either mode; they may still be loading.
  const checks = state.checksByPlan.get(plan.title);
  const failing = checks
    ? esc(t("count", { n: checks.filter((c) => c.status === "fail").length }))
    : esc(t("loading"));
  const mu = esc(t("mu"));
  const area = (value) => stated(value, `${fmtMu(value)} ${mu}`);
  const row = (label, valueHtml, id = "") =>
    `<dt>${esc(t(label))}</dt><dd${id ? ` id="${id}"` : ""}>${valueHtml}</dd>`;
  // Parcels the notice names but nobody has located yet are counted, and said to be; so are
  // declared areas the notice does not state, which the sum leaves out.
  const unlocated = not_located
    ? ` <small id="total-unlocated">${esc(t("totalsUnlocated", { n: not_located }))}</small>`
    : "";
  const unstatedAreas = declared_unstated
    ? ` <small>${esc(t("totalsUnstated", { n: declared_unstated }))}</small>`
    : "";
  box.innerHTML = `<dl>${[
    row("totalsParcels", esc(t("count", { n: total })) + unlocated, "total-count"),
    row("totalsDeclared", area(declared_total_mu) + unstatedAreas, "total-declared"),
    row("totalsPublished", `${area(published)} ${verdict}`, "total-published"),
    row("totalsMeasured", measured_total_mu === null ? "—" : area(measured_total_mu), "total-measured"),
    row("totalsFailing", `${failing} <small>(±${esc(state.tolerance)}%)</small>`),
  ].join("")}</dl>`;
}

function sortedParcels() {
  const collator = new Intl.Collator("zh-Hans-CN");
  const bySeq = (a, b) => a.properties.seq - b.properties.seq;
  const list = state.parcels.filter((f) => !state.filteredIds || state.filteredIds.has(f.properties.id));
  const compare = {
    seq: bySeq,
    block: (a, b) =>
      state.blocks.indexOf(a.properties.block) - state.blocks.indexOf(b.properties.block) || bySeq(a, b),
    area: (a, b) => b.properties.declared_area_mu - a.properties.declared_area_mu || bySeq(a, b),
    unit: (a, b) =>
      collator.compare(a.properties.implementing_unit || "", b.properties.implementing_unit || "") ||
      bySeq(a, b),
  }[state.sort] || bySeq;
  return list.sort(compare);
}

export function rowHtml(feature) {
  const p = feature.properties;
  const check = state.checks.get(p.id);
  const badge =
    check && check.status === "fail"
      ? ` <span class="badge fail">${esc(t("checkFail"))} ${esc(fmtPct(check.difference_pct))}</span>`
      : "";
  return `<li><button type="button" class="parcel-row" data-id="${esc(p.id)}">
      <span class="swatch" style="background:${parcelColour(p)}"></span>
      <span class="name"><span class="seq">${esc(p.seq)}</span>${esc(p.name)}</span>
      <span class="meta">${metaHtml(p)}${badge}</span>
      <span class="unit">${esc(p.implementing_unit ?? "—")}</span>
    </button></li>`;
}

/** Block and declared area; what the notice does not state is a dash, never "null". */
function metaHtml(p) {
  const area = p.declared_area_mu === null ? "—" : `${fmtMu(p.declared_area_mu)} ${t("mu")}`;
  return esc(`${p.block ?? "—"} · ${area}`);
}

/** A parcel not yet located: its 四至 in place of a place on the map. */
function unlocatedRowHtml(feature) {
  const p = feature.properties;
  return `<li><button type="button" class="parcel-row unlocated-row" data-id="${esc(p.id)}">
      <span class="swatch" style="background:${parcelColour(p)}"></span>
      <span class="name"><span class="seq">${esc(p.seq)}</span>${esc(p.name)}</span>
      <span class="meta">${metaHtml(p)}</span>
      <span class="unit boundary">${stated(p.boundary_text)}</span>
    </button></li>`;
}

/** The 待落图 section under the list, made only when some parcel has no shape. */
function unlocatedSection() {
  let section = $("unlocated");
  if (!section) {
    section = document.createElement("section");
    section.id = "unlocated";
    section.className = "unlocated";
    section.innerHTML = `<h3 id="unlocated-heading"></h3>
      <ol id="unlocated-list" class="parcel-list"></ol>
      <div id="unlocated-detail" class="unlocated-detail" aria-live="polite" hidden></div>`;
    $("parcel-list").after(section);
    bindRows($("unlocated-list"), showUnlocated);
  }
  return section;
}

/** A parcel without a shape has nothing to zoom to: its details open in the panel. */
function showUnlocated(id) {
  state.selectedId = id;
  const detail = $("unlocated-detail");
  detail.innerHTML = popupHtml(id);
  detail.hidden = false;
  refreshStyles();
}

/** List the parcels without a shape under 待落图 (hidden when there are none). */
export function renderUnlocated(items) {
  const section = $("unlocated");
  if (!items.length) {
    if (section) section.hidden = true;
    return;
  }
  unlocatedSection().hidden = false;
  $("unlocated-heading").textContent = `${t("unlocatedHeading")} (${t("count", { n: items.length })})`;
  $("unlocated-list").innerHTML = items.map(unlocatedRowHtml).join("");
  const detail = $("unlocated-detail");
  if (!detail.hidden && state.byId.has(state.selectedId)) detail.innerHTML = popupHtml(state.selectedId);
}

export function renderList() {
  if (state.tileMode) {
    tileList.renderList();
    refreshStyles();
    return;
  }
  const list = $("parcel-list");
  const items = sortedParcels();
  list.innerHTML = items.filter((f) => f.geometry).map(rowHtml).join("");
  renderUnlocated(items.filter((f) => !f.geometry));
  const status = $("filter-status");
  if (state.filterError) {
    status.textContent = t("filterError", { m: state.filterError });
  } else if (state.filteredIds) {
    const area = items.reduce((sum, f) => sum + Number(f.properties.declared_area_mu), 0);
    status.textContent = t("filterSome", { n: items.length, a: fmtMu(area) });
  } else {
    status.textContent = t("filterAll", { n: items.length });
  }
  refreshStyles();
}

function bindRows(list, show) {
  list.addEventListener("click", (event) => {
    const row = event.target.closest(".parcel-row");
    if (row) show(row.dataset.id);
  });
  const hover = (event) => {
    const row = event.target.closest(".parcel-row");
    setHover(row ? row.dataset.id : null);
  };
  list.addEventListener("mouseover", hover);
  list.addEventListener("mouseleave", () => setHover(null));
  list.addEventListener("focusin", hover);
  list.addEventListener("focusout", () => setHover(null));
}

export function bindList() {
  bindRows($("parcel-list"), showParcel);
  $("sort-select").addEventListener("change", (event) => {
    state.sort = event.target.value;
    renderList();
  });
}

/** Add the blocks that have no option yet (tile mode learns blocks as tiles arrive). */
export function fillBlockFilter() {
  const select = $("block-filter");
  const present = new Set([...select.options].map((option) => option.value));
  for (const block of state.blocks) {
    // A block the notice does not state cannot be filtered on (block= is an exact match).
    if (block === null || block === undefined || present.has(block)) continue;
    const option = document.createElement("option");
    option.value = block;
    option.textContent = block;
    select.appendChild(option);
  }
}

/** Another plan has other blocks: back to "all blocks", with the new plan's blocks listed. */
export function resetBlockFilter() {
  const select = $("block-filter");
  while (select.options.length > 1) select.remove(1);
  select.value = "";
  fillBlockFilter();
}

function currentFilter() {
  return { block: $("block-filter").value, q: $("text-filter").value.trim(), plan: state.planCode };
}

let filterTimer = null;
let filterSerial = 0;

/** Filter the list (and the exports) by the chosen plan, block and keyword. */
export async function applyFilter() {
  const filter = currentFilter();
  updateExportLinks(filter);
  const serial = ++filterSerial;
  state.filterError = null;
  if (state.tileMode) {
    tileList.applyFilter(filter);
    return;
  }
  if (!filter.block && !filter.q) {
    state.filteredIds = null;
    renderList();
    return;
  }
  try {
    const answer = await getJSON(`/api/v1/parcels${query(filter)}`);
    if (serial !== filterSerial) return;
    state.filteredIds = new Set(answer.features.map((f) => f.properties.id));
  } catch (error) {
    if (serial !== filterSerial) return;
    state.filterError = error.message;
  }
  renderList();
}

export function bindFilters() {
  $("block-filter").addEventListener("change", applyFilter);
  bindExports(currentFilter);
  updateExportLinks(currentFilter()); // the chosen plan's, from the start
  $("text-filter").addEventListener("input", () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(applyFilter, 250);
  });
  $("text-filter").addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      clearTimeout(filterTimer);
      applyFilter();
    }
  });
}

