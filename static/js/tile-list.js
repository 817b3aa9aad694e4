/* zhengshou map page: tile mode's parcel list, one page at a time, and its 待落图 list.
 *
 * A large plan is not loaded whole, so the side panel lists one page of the chosen plan's
 * located parcels from /ogc/collections/parcels/items (limit/offset, with previous/next),
 * filtered by plan (plan=, its title), block (block=) and keyword (a CQL2 LIKE filter), in the
 * service's order (no sorting). The parcels without a shape cannot come from the tiles: they
 * are listed under 待落图, as in GeoJSON mode, from /api/v1/parcels?located=false with the same
 * plan, block and keyword.
 * `?pagesize=N` in the page URL changes the page length (default 50), for testing.
 */
import { addStrings, t } from "./i18n.js";
import { refreshStyles } from "./map.js";
import { renderUnlocated, rowHtml } from "./panel.js";
import { selectedPlan } from "./plans.js";
import { $, getJSON, query, state } from "./state.js";
import { dimOtherBlocks, remember } from "./tiles.js";

const DEFAULT_PAGE_SIZE = 50;
// The keyword is matched in these queryables (the OGC items have no `q`; see applyFilter).
const KEYWORD_FIELDS = ["id", "name", "block", "boundary_text", "implementing_unit"];
// The paged list holds the parcels the tiles draw; those without a shape are listed apart.
const LOCATED = "geometry_source <> 'none'";

addStrings({
  zh: {
    pagerPrev: "‹ 上一页",
    pagerNext: "下一页 ›",
    pagerRange: "第 {from}–{to} 宗，共 {n} 宗",
    pagerEmpty: "没有符合条件的地块",
    filterAllTiles: "共 {n} 宗地块",
    filterSomeTiles: "筛选结果：{n} 宗",
    sortTiles: "大型计划按服务端顺序分页显示，不能排序",
    tileMode:
      "矢量瓦片模式：地图按瓦片绘制，列表分页显示（每页 {size} 宗）。地图缩小后，看不清的小地块合并为方格显示，颜色取格内面积最大的地块。",
  },
  en: {
    pagerPrev: "‹ Previous",
    pagerNext: "Next ›",
    pagerRange: "{from}–{to} of {n}",
    pagerEmpty: "No parcel matches",
    filterAllTiles: "{n} parcels",
    filterSomeTiles: "Filtered: {n} parcels",
    sortTiles: "A large plan is listed in pages in the service's order: no sorting",
    tileMode:
      "Vector tile mode: the map is drawn from tiles, the list comes in pages of {size}. Zoomed out, parcels too small to see are drawn as squares, each in the colour of its largest parcel.",
  },
});

const pageSize = (() => {
  const asked = Number(new URLSearchParams(location.search).get("pagesize"));
  return Number.isInteger(asked) && asked >= 1 && asked <= 1000 ? asked : DEFAULT_PAGE_SIZE;
})();
// offset is the page asked for; shownOffset the page on screen, which the range describes
// until the asked-for page arrives.
const page = { offset: 0, shownOffset: 0, matched: null, features: [], busy: false, error: null };
// The 待落图 parcels of the filter (null until they arrive).
const unlocated = { features: null, error: null };
let filter = { block: "", q: "", plan: null };
let pageSerial = 0;
let unlocatedSerial = 0;

/** Tile mode's list: the sort is off, a line says why the list is paged, the first page. */
export async function start() {
  const sort = $("sort-select");
  sort.disabled = true;
  sort.dataset.i18nTitle = "sortTiles";
  $("filter-status").insertAdjacentHTML("beforebegin", '<p id="tile-mode" class="tile-mode"></p>');
  bindPager();
  filter = { ...filter, plan: state.planCode };
  await Promise.all([loadPage(), loadUnlocated()]);
}

// ---------------------------------------------------------------------------------------
// The paged list
// ---------------------------------------------------------------------------------------
function cqlFilter(q) {
  // CQL2 text; pygeofilter cannot read a quote escaped as '', so quotes are dropped.
  const text = String(q || "").replace(/['\\]/g, "").trim();
  if (!text) return LOCATED;
  const keyword = KEYWORD_FIELDS.map((field) => `${field} LIKE '%${text}%'`).join(" OR ");
  return `${LOCATED} AND (${keyword})`;
}

async function loadPage() {
  const mine = ++pageSerial;
  page.busy = true;
  page.error = null;
  renderList();
  const plan = selectedPlan();
  const params = {
    limit: pageSize,
    offset: page.offset,
    plan: plan ? plan.title : null, // the OGC queryable `plan` is the plan's title
    block: filter.block || null,
    filter: cqlFilter(filter.q),
  };
  try {
    const answer = await getJSON(`/ogc/collections/parcels/items${query(params)}`);
    if (mine !== pageSerial) return;
    page.features = answer.features || [];
    page.shownOffset = params.offset;
    page.matched = Number(answer.numberMatched) || 0;
    remember(page.features);
  } catch (error) {
    if (mine !== pageSerial) return;
    page.features = [];
    page.shownOffset = params.offset;
    page.error = error.message;
  }
  page.busy = false;
  renderList();
  refreshStyles();
}

/** The parcels without a shape that match the filter, whole (they are few: a notice's rows
 * nobody has located yet), from the parcel API. */
async function loadUnlocated() {
  const mine = ++unlocatedSerial;
  const params = { located: "false", plan: filter.plan, block: filter.block, q: filter.q };
  try {
    const answer = await getJSON(`/api/v1/parcels${query(params)}`);
    if (mine !== unlocatedSerial) return;
    unlocated.features = answer.features.sort((a, b) => a.properties.seq - b.properties.seq);
    unlocated.error = null;
    remember(unlocated.features);
  } catch (error) {
    if (mine !== unlocatedSerial) return;
    unlocated.features = [];
    unlocated.error = error.message;
  }
  renderList();
}

export function applyFilter(next) {
  filter = { block: next.block || "", q: next.q || "", plan: next.plan || null };
  page.offset = 0;
  dimOtherBlocks(filter.block); // redraws the tiles if the block changed
  return Promise.all([loadPage(), loadUnlocated()]);
}

export function renderList() {
  $("tile-mode").textContent = t("tileMode", { size: pageSize });
  $("parcel-list").innerHTML = page.features.map(rowHtml).join("");
  renderUnlocated(unlocated.features || []);
  const status = $("filter-status");
  const filtered = Boolean(filter.block || filter.q);
  const error = page.error || unlocated.error;
  // Located (paged) and not located (listed whole) together, as GeoJSON mode counts them.
  const n = page.matched + (unlocated.features ? unlocated.features.length : 0);
  if (error) status.textContent = t("filterError", { m: error });
  else if (page.matched === null || unlocated.features === null) status.textContent = t("loading");
  else status.textContent = t(filtered ? "filterSomeTiles" : "filterAllTiles", { n });
  const pager = $("pager");
  pager.hidden = page.matched === null;
  const from = page.features.length ? page.shownOffset + 1 : 0;
  const to = page.shownOffset + page.features.length;
  $("pager-range").textContent = page.matched
    ? t("pagerRange", { from, to, n: page.matched })
    : t("pagerEmpty");
  $("page-prev").textContent = t("pagerPrev");
  $("page-next").textContent = t("pagerNext");
  $("page-prev").disabled = page.busy || page.offset === 0;
  $("page-next").disabled = page.busy || page.matched === null || to >= page.matched;
}

function bindPager() {
  $("page-prev").addEventListener("click", () => {
    page.offset = Math.max(0, page.offset - pageSize);
    loadPage();
  });
  $("page-next").addEventListener("click", () => {
    page.offset += pageSize;
    loadPage();
  });
}

/** Test hook: the page asked for, its length, the number of matches, whether one is loading. */
export function pageStats() {
  return { pageOffset: page.offset, pageSize, matched: page.matched, busy: page.busy };
}
