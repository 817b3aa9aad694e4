/* zhengshou map page: the interface language.
 *
 * Owns the zh/en string tables (feature modules add theirs with addStrings), t() to look a
 * string up, the language choice (remembered in localStorage) and applyLang(), which
 * translates the page's static [data-i18n…] elements and then asks every renderer registered
 * with onLangChange() to redraw what it built.
 */
import { $, state } from "./state.js";

// ---------------------------------------------------------------------------------------
// UI strings: one dictionary, {zh, en}. `{name}` placeholders are filled by t().
// ---------------------------------------------------------------------------------------
const I18N = {
  zh: {
    pageTitle: "征收地块地图 · 嘉兴市2022年国有土地上房屋征收计划",
    title: "嘉兴市2022年国有土地上房屋征收计划",
    searchLabel: "地址查询",
    searchPlaceholder: "输入地址，如 城北路592号",
    searchTitle: "查询地址是否位于征收地块内（按回车查询）",
    searchButton: "查询",
    langToggle: "English",
    langToggleLabel: "Switch to English",
    noticeHeadline: "本图所有地块范围均非测绘成果。",
    noticeSources: "几何来源：{list}",
    panelHeading: "地块列表",
    blockFilter: "所属板块",
    allBlocks: "全部板块",
    textFilter: "关键字",
    textFilterPlaceholder: "名称、四至、实施单位",
    sortBy: "排序",
    sortSeq: "序号",
    sortBlock: "所属板块",
    sortArea: "申报面积（大→小）",
    sortUnit: "实施单位",
    exportAll: "导出全部 GeoJSON",
    exportFiltered: "导出筛选结果 GeoJSON",
    exportOther: "导出筛选结果",
    mapLabel: "征收地块地图",
    totalsParcels: "地块数",
    totalsDeclared: "申报面积合计",
    totalsPublished: "公布总面积",
    totalsMeasured: "图上量算合计",
    totalsMatch: "一致",
    totalsDiff: "相差 {d} 亩",
    totalsFailing: "面积超出容差",
    count: "{n} 宗",
    mu: "亩",
    filterAll: "显示全部 {n} 宗地块",
    filterSome: "筛选结果：{n} 宗，申报面积 {a} 亩",
    filterError: "筛选失败：{m}",
    loading: "正在加载…",
    loadError: "数据加载失败：{m}",
    fId: "编号",
    fSeq: "序号",
    fName: "地块名称",
    fBlock: "所属板块",
    fBoundary: "四至范围",
    fDeclared: "土地面积（申报）",
    fMeasured: "图上量算面积",
    fCheck: "面积核对",
    fInterest: "公共利益类型",
    fUnit: "建设活动组织实施单位",
    fGeometry: "几何来源",
    fApproval: "批复文号",
    fVersion: "版本",
    fDocuments: "附件",
    documentsLoading: "正在加载…",
    popupHistory: "历史记录",
    geometryNote: "几何说明",
    checkOk: "容差内",
    checkFail: "超出容差",
    checkLine: "{status}（相差 {pct}，容差 ±{tol}%）",
    geom_schematic: "示意范围",
    geom_digitized: "数字化范围",
    geom_surveyed: "测绘成果",
    geom_drawn: "手绘范围（在底图上描绘，非测绘成果）",
    geom_none: "待落图（尚无范围）",
    unlocatedHeading: "待落图",
    unstated: "未载明",
    totalsUnlocated: "其中 {n} 宗待落图",
    totalsUnstated: "另有 {n} 宗未载明面积",
    checkNotLocated: "待落图，未核对",
    notLocated: "待落图，尚无范围",
    warn_schematic: "示意范围，非测绘成果",
    warn_digitized: "数字化范围，非测绘成果",
    warn_drawn: "手绘范围（在底图上描绘，非测绘成果）",
    lookupAddressTitle: "地址查询：{q}",
    lookupPointTitle: "地图点选：{lon}, {lat}{crs}",
    lookupBusy: "查询中…",
    colon: "：",
    quality: "匹配精度",
    quality_exact: "门牌点精确匹配",
    quality_interpolated: "按门牌号沿道路插值",
    quality_road: "仅匹配到道路",
    quality_district: "仅匹配到区县",
    quality_none: "未匹配",
    uncertainty: "位置误差约 ±{m} 米",
    matched: "匹配对象",
    ignored: "未识别部分",
    verdictInside: "该位置在以下地块范围内：",
    verdictOutside: "该位置不在任何地块范围内。",
    nearest: "最近地块：",
    distance: "距离约 {d} 米",
    verdictUndetermined: "匹配精度不足，无法判定是否在地块范围内。",
    nearby: "附近地块（{basis}）：",
    noNearby: "附近没有地块。",
    verdictNone: "未能定位该地址。",
    serverMessage: "服务说明：",
    lookupError: "查询失败：{m}",
    close: "关闭",
    lookupMarker: "查询位置",
    uncertaintyCircle: "位置误差范围",
    legendBlocks: "所属板块",
    legendReference: "参考图层（估计位置，非测绘）",
    layerParcels: "征收地块",
    layerReference: "参考图层（估计位置，非测绘）",
    kind_road: "道路",
    kind_water: "水系",
    kind_wall: "围墙",
    kind_estate: "小区",
    kind_building: "建筑",
    kind_facility: "单位、设施",
    kind_green: "绿地",
    kind_parcel: "已征收地块",
    kind_address: "门牌点",
    basemap: "底图：",
    basemap_none: "无（显示参考图层）",
    basemap_osm: "OpenStreetMap",
    basemap_tianditu: "天地图",
    basemap_tianditu_img: "天地图影像",
    basemap_amap: "高德地图（叠加图层已转换为 GCJ-02）",
    noTiandituKey: "未配置天地图密钥（tianditu_tk），不显示底图。",
  },
  en: {
    pageTitle: "Parcel map · Jiaxing 2022 land expropriation plan",
    title: "Jiaxing 2022 land expropriation plan",
    searchLabel: "Address look-up",
    searchPlaceholder: "Enter an address, e.g. 城北路592号",
    searchTitle: "Check whether an address falls in a parcel (press Enter)",
    searchButton: "Search",
    langToggle: "中文",
    langToggleLabel: "切换到中文",
    noticeHeadline: "No parcel shape on this map is a survey result.",
    noticeSources: "Geometry sources: {list}",
    panelHeading: "Parcels",
    blockFilter: "Block",
    allBlocks: "All blocks",
    textFilter: "Text",
    textFilterPlaceholder: "Name, boundaries, company",
    sortBy: "Sort by",
    sortSeq: "No.",
    sortBlock: "Block",
    sortArea: "Declared area (largest first)",
    sortUnit: "Implementing company",
    exportAll: "Export all (GeoJSON)",
    exportFiltered: "Export filtered (GeoJSON)",
    exportOther: "Export filtered",
    mapLabel: "Map of expropriation parcels",
    totalsParcels: "Parcels",
    totalsDeclared: "Declared total",
    totalsPublished: "Published total",
    totalsMeasured: "Measured on the map",
    totalsMatch: "matches",
    totalsDiff: "differs by {d} mu",
    totalsFailing: "Area outside tolerance",
    count: "{n}",
    mu: "mu",
    filterAll: "Showing all {n} parcels",
    filterSome: "Filtered: {n} parcels, {a} mu declared",
    filterError: "Filter failed: {m}",
    loading: "Loading…",
    loadError: "Could not load the data: {m}",
    fId: "ID",
    fSeq: "No.",
    fName: "Parcel",
    fBlock: "Block",
    fBoundary: "Four boundaries",
    fDeclared: "Land area (declared)",
    fMeasured: "Measured on the map shape",
    fCheck: "Area check",
    fInterest: "Public-interest type",
    fUnit: "Implementing company",
    fGeometry: "Geometry source",
    fApproval: "Approval reference",
    fVersion: "Version",
    fDocuments: "Documents",
    documentsLoading: "Loading…",
    popupHistory: "History",
    geometryNote: "About this shape",
    checkOk: "within tolerance",
    checkFail: "outside tolerance",
    checkLine: "{status} ({pct}, tolerance ±{tol}%)",
    geom_schematic: "Schematic extent",
    geom_digitized: "Digitized extent",
    geom_surveyed: "Surveyed",
    geom_drawn: "Drawn by hand (traced on a basemap, not a survey)",
    geom_none: "Not located yet (no shape)",
    unlocatedHeading: "Not located yet",
    unstated: "not stated",
    totalsUnlocated: "of which {n} not located yet",
    totalsUnstated: "{n} more without a stated area",
    checkNotLocated: "not located, not checked",
    notLocated: "not located yet, no shape",
    warn_schematic: "Schematic extent, not a survey",
    warn_digitized: "Digitized extent, not a survey",
    warn_drawn: "Drawn by hand on a basemap, not a survey",
    lookupAddressTitle: "Address: {q}",
    lookupPointTitle: "Map point: {lon}, {lat}{crs}",
    lookupBusy: "Looking up…",
    colon: ": ",
    quality: "Match quality",
    quality_exact: "exact address point",
    quality_interpolated: "house number interpolated along the road",
    quality_road: "road only",
    quality_district: "district only",
    quality_none: "no match",
    uncertainty: "Position uncertain by about ±{m} m",
    matched: "Matched",
    ignored: "Not understood",
    verdictInside: "This location is within:",
    verdictOutside: "This location is not within any parcel.",
    nearest: "Nearest parcel:",
    distance: "about {d} m away",
    verdictUndetermined: "The match is too coarse to tell whether it is within a parcel.",
    nearby: "Nearby parcels ({basis}):",
    noNearby: "No parcels nearby.",
    verdictNone: "The address could not be located.",
    serverMessage: "Service message:",
    lookupError: "Look-up failed: {m}",
    close: "Close",
    lookupMarker: "Looked-up location",
    uncertaintyCircle: "Position uncertainty",
    legendBlocks: "Blocks (所属板块)",
    legendReference: "Reference layer (estimated, not surveyed)",
    layerParcels: "Parcels",
    layerReference: "Reference layer (estimated, not surveyed)",
    kind_road: "Road",
    kind_water: "Water",
    kind_wall: "Wall",
    kind_estate: "Estate",
    kind_building: "Building",
    kind_facility: "Facility",
    kind_green: "Green space",
    kind_parcel: "Already expropriated lot",
    kind_address: "Address point",
    basemap: "Basemap: ",
    basemap_none: "none (reference layer shown)",
    basemap_osm: "OpenStreetMap",
    basemap_tianditu: "Tianditu",
    basemap_tianditu_img: "Tianditu imagery",
    basemap_amap: "Amap (overlays shifted to GCJ-02)",
    noTiandituKey: "No Tianditu key (tianditu_tk) is configured: no basemap is shown.",
  },
};

const LANG_KEY = "zhengshou.lang";

// Called after a language switch: the parts of the page built from strings redraw.
const renderers = [];

export function t(key, vars) {
  const table = I18N[state.lang] || I18N.zh;
  let text = key in table ? table[key] : I18N.zh[key] !== undefined ? I18N.zh[key] : key;
  if (vars) {
    for (const [name, value] of Object.entries(vars)) {
      text = text.split(`{${name}}`).join(String(value));
    }
  }
  return text;
}

/** Merge a module's strings ({zh: {...}, en: {...}}) into the dictionary. */
export function addStrings(table) {
  for (const lang of Object.keys(I18N)) Object.assign(I18N[lang], table[lang] || {});
}

/** Redraw with `render` after every applyLang(). */
export function onLangChange(render) {
  renderers.push(render);
}

// ---------------------------------------------------------------------------------------
// Language
// ---------------------------------------------------------------------------------------
export function initialLang() {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    if (saved === "zh" || saved === "en") return saved;
  } catch (_) {
    /* storage may be unavailable; fall back to Chinese */
  }
  return "zh";
}

export function setLang(lang) {
  state.lang = lang === "en" ? "en" : "zh";
  try {
    localStorage.setItem(LANG_KEY, state.lang);
  } catch (_) {
    /* not remembered, still switched */
  }
  applyLang();
}

export function applyLang() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.title = t("pageTitle");
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-placeholder]")) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
  for (const el of document.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  for (const el of document.querySelectorAll("[data-i18n-aria-label]")) {
    el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  }
  const toggle = $("lang-toggle");
  toggle.textContent = t("langToggle");
  toggle.lang = state.lang === "zh" ? "en" : "zh-CN";
  toggle.setAttribute("aria-label", t("langToggleLabel"));
  for (const render of renderers) render();
}
