/* zhengshou map page: tile mode's parcel list, one page at a time.
 *
 * A large plan is not loaded whole, so the side panel lists one page of
 * /ogc/collections/parcels/items (limit/offset, with previous/next), filtered by block
 * (block=) and keyword (a CQL2 LIKE filter), in the service's order (no sorting).
 * `?pagesize=N` in the page URL changes the page length (default 50), for testing.
 */
import { addStrings, t } from "./i18n.js";
import { refreshStyles } from "./map.js";
import { rowHtml } from "./panel.js";
import { $, getJSON, query } from "./state.js";
import { dimOtherBlocks, remember } from "./tiles.js";

const DEFAULT_PAGE_SIZE = 50;
// The keyword is matched in these queryables (the OGC items have no `q`; see applyFilter).
const KEYWORD_FIELDS = ["id", "name", "block", "boundary_text", "implementing_unit"];

addStrings({
  zh: {
    pagerPrev: "‹ 上一页",
    pagerNext: "下一页 ›",
    pagerRange: "第 {from}–{to} 宗，共 {n} 宗",
    pagerEmpty: "没有符合条件的地块",
    filterAllTiles: "共 {n} 宗地块",
    filterSomeTiles: "筛选结果：{n} 宗",
    sortTiles: "大型计划按服务端顺序分页显示，不能排序",
    tileMode: "矢量瓦片模式：地图按瓦片绘制，列表分页显示（每页 {size} 宗）。",
  },
  en: {
    pagerPrev: "‹ Previous",
    pagerNext: "Next ›",
    pagerRange: "{from}–{to} of {n}",
    pagerEmpty: "No parcel matches",
    filterAllTiles: "{n} parcels",
    filterSomeTiles: "Filtered: {n} parcels",
    sortTiles: "A large plan is listed in pages in the service's order: no sorting",
    tileMode: "Vector tile mode: the map is drawn from tiles, the list comes in pages of {size}.",
  },
});

const pageSize = (() => {
  const asked = Number(new URLSearchParams(location.search).get("pagesize"));
  return Number.isInteger(asked) && asked >= 1 && asked <= 1000 ? asked : DEFAULT_PAGE_SIZE;
})();
// offset is the page asked for; shownOffset the page on screen, which the range describes
// until the asked-for page arrives.
const page = { offset: 0, shownOffset: 0, matched: null, features: [], busy: false, error: null };
let filter = { block: "", q: "" };
let pageSerial = 0;

/** Tile mode's list: the sort is off, a line says why the list is paged, the first page. */
export async function start() {
  const sort = $("sort-select");
  sort.disabled = true;
  sort.dataset.i18nTitle = "sortTiles";
  $("filter-status").insertAdjacentHTML("beforebegin", '<p id="tile-mode" class="tile-mode"></p>');
  bindPager();
  await loadPage();
}

// ---------------------------------------------------------------------------------------
// The paged list
// ---------------------------------------------------------------------------------------
function keywordFilter(q) {
  // CQL2 text; pygeofilter cannot read a quote escaped as '', so quotes are dropped.
  const text = String(q || "").replace(/['\\]/g, "").trim();
  if (!text) return null;
  return KEYWORD_FIELDS.map((field) => `${field} LIKE '%${text}%'`).join(" OR ");
}

async function loadPage() {
  const mine = ++pageSerial;
  page.busy = true;
  page.error = null;
  renderList();
  const params = {
    limit: pageSize,
    offset: page.offset,
    block: filter.block || null,
    filter: keywordFilter(filter.q),
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

export function applyFilter(next) {
  filter = { block: next.block || "", q: next.q || "" };
  page.offset = 0;
  dimOtherBlocks(filter.block); // redraws the tiles if the block changed
  return loadPage();
}

export function renderList() {
  $("tile-mode").textContent = t("tileMode", { size: pageSize });
  $("parcel-list").innerHTML = page.features.map(rowHtml).join("");
  const status = $("filter-status");
  const filtered = Boolean(filter.block || filter.q);
  if (page.error) status.textContent = t("filterError", { m: page.error });
  else if (page.matched === null) status.textContent = t("loading");
  else status.textContent = t(filtered ? "filterSomeTiles" : "filterAllTiles", { n: page.matched });
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
