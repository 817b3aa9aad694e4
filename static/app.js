/* zhengshou: the planners' map page.
 *
 * Plain JavaScript, no build step. Leaflet draws the parcels (canvas renderer), gcoord shifts
 * every overlay to GCJ-02 when the basemap is Amap. All data comes from the same origin:
 *   /api/v1/config, /api/v1/parcels, /api/v1/checks/area, /api/v1/reference, /api/v1/lookup.
 * A large plan (more than TILE_THRESHOLD parcels, or `?tiles=1`) is drawn from the vector tiles
 * instead of GeoJSON: see tiles.js. history.js shows a parcel's history, documents.js its
 * attached documents. Those files load first and register in `window.zhengshouModules`; this
 * file hands each the `app` object (shared state and helpers) at start-up.
 * `window.zhengshou` exposes a few hooks for the browser tests (see the end of this file).
 */
"use strict";

(function () {
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
      warn_schematic: "示意范围，非测绘成果",
      warn_digitized: "数字化范围，非测绘成果",
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
      warn_schematic: "Schematic extent, not a survey",
      warn_digitized: "Digitized extent, not a survey",
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
      basemap_amap: "Amap (overlays shifted to GCJ-02)",
      noTiandituKey: "No Tianditu key (tianditu_tk) is configured: no basemap is shown.",
    },
  };

  const LANG_KEY = "zhengshou.lang";
  const BASEMAPS = ["none", "tianditu", "osm", "amap"];
  // Above this many parcels the page draws vector tiles instead of loading every parcel as
  // GeoJSON (a canvas handles a few thousand polygons; 100,000 would freeze the page).
  // `?tiles=1` / `?tiles=0` in the page URL forces either mode.
  const TILE_THRESHOLD = 3000;
  // Only used if the server sends no palette; /api/v1/config's block_palette is the one the
  // shareable folium map uses too, so both maps colour a block the same way.
  const FALLBACK_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];
  const REFERENCE_STYLES = {
    road: { color: "#8d949c", weight: 3, opacity: 0.9 },
    water: { color: "#3b8ed8", weight: 4, opacity: 0.85 },
    wall: { color: "#333333", weight: 1.2, opacity: 0.9 },
    estate: { color: "#9aa0a6", weight: 1, fillColor: "#e9ebee", fillOpacity: 0.35 },
    building: { color: "#9aa0a6", weight: 1, fillColor: "#dde0e4", fillOpacity: 0.4 },
    facility: { color: "#a59f94", weight: 1, fillColor: "#ece6da", fillOpacity: 0.35 },
    green: { color: "#7fb77e", weight: 1, fillColor: "#cfe8c9", fillOpacity: 0.5 },
    parcel: { color: "#6e7781", weight: 1, dashArray: "4 3", fillOpacity: 0 },
    address: { color: "#333333", weight: 1, fillColor: "#ffffff", fillOpacity: 1, radius: 4 },
  };

  const state = {
    lang: "zh",
    basemap: "none",
    config: null,
    notice: "",
    sources: {},
    parcels: [], // GeoJSON features, WGS84, as the API gave them
    byId: new Map(),
    layers: new Map(), // id -> Leaflet polygon layer
    checks: new Map(), // id -> area-check row
    tolerance: 5,
    plan: null,
    blocks: [],
    blockColour: new Map(),
    palette: FALLBACK_COLOURS,
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
  };

  let map;
  let renderer;
  let parcelLayer;
  let referenceLayer;
  let labelLayer;
  let parcelOverlay; // parcels + their sequence labels, as one switchable overlay
  let lookupLayer;
  let legendControl;
  let layersControl;
  let tileLayers = [];
  // Feature modules (history.js, documents.js, tiles.js), created in start().
  const modules = window.zhengshouModules || {};
  let historyView;
  let documents;
  let tileView;

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------------------------------
  // Small helpers
  // ---------------------------------------------------------------------------------------
  function t(key, vars) {
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
  function addStrings(table) {
    for (const lang of Object.keys(I18N)) Object.assign(I18N[lang], table[lang] || {});
  }

  function esc(value) {
    return String(value ?? "").replace(/[&<>"']/g, (c) => ({
      "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
    })[c]);
  }

  const fmtMu = (n) => (n === null || n === undefined ? "–" : Number(n).toFixed(2));
  const fmtMetres = (n) => Math.round(Number(n)).toLocaleString(state.lang === "zh" ? "zh-CN" : "en");
  const fmtPct = (n) => `${n > 0 ? "+" : n < 0 ? "−" : "±"}${Math.abs(Number(n)).toFixed(2)}%`;

  async function getJSON(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
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

  function query(params) {
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
  const shifted = () => state.basemap === "amap";

  function toDisplayGeoJSON(geojson) {
    if (!shifted()) return geojson;
    // gcoord rewrites coordinates in place: shift a copy.
    return gcoord.transform(structuredClone(geojson), gcoord.WGS84, gcoord.GCJ02);
  }

  function toDisplayLatLng(lon, lat) {
    if (!shifted()) return L.latLng(lat, lon);
    const [x, y] = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02);
    return L.latLng(y, x);
  }

  // ---------------------------------------------------------------------------------------
  // Language
  // ---------------------------------------------------------------------------------------
  function initialLang() {
    try {
      const saved = localStorage.getItem(LANG_KEY);
      if (saved === "zh" || saved === "en") return saved;
    } catch (_) {
      /* storage may be unavailable; fall back to Chinese */
    }
    return "zh";
  }

  function setLang(lang) {
    state.lang = lang === "en" ? "en" : "zh";
    try {
      localStorage.setItem(LANG_KEY, state.lang);
    } catch (_) {
      /* not remembered, still switched */
    }
    applyLang();
  }

  function applyLang() {
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
    if (!map) return;
    renderNotice();
    renderTotals();
    renderList();
    renderLegend();
    renderLayersControl();
    renderLookup();
    if (historyView) historyView.render();
    if (state.openPopup && state.openPopup.isOpen()) state.openPopup.update();
  }

  // ---------------------------------------------------------------------------------------
  // Map and basemap
  // ---------------------------------------------------------------------------------------
  function chooseBasemap(config) {
    const override = new URLSearchParams(location.search).get("basemap");
    if (BASEMAPS.includes(override)) return override;
    return BASEMAPS.includes(config.basemap) ? config.basemap : "none";
  }

  function makeTileLayers(basemap, config) {
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
    if (basemap === "tianditu") {
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
      return [L.tileLayer(wmts("vec"), options), L.tileLayer(wmts("cva"), options)];
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

  function createMap() {
    map = L.map("map", { zoomControl: true, maxZoom: 20, minZoom: 8 });
    renderer = L.canvas({ padding: 0.5, tolerance: 4 });
    tileLayers = makeTileLayers(state.basemap, state.config);
    for (const layer of tileLayers) layer.addTo(map);
    map.attributionControl.setPrefix(
      '<a href="https://leafletjs.com" title="A JavaScript library for interactive maps">Leaflet</a>',
    );
    L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
    map.on("click", (event) => {
      const looked = lookupPoint(event.latlng);
      // Tile mode has no parcel layers to open a popup: the look-up's answer opens it.
      if (state.tileMode) tileView.popupFromLookup(looked, event.latlng);
    });
    // One parcel popup at a time, whichever layer opened it: remember it for the language
    // switch, and fetch its documents.
    map.on("popupopen", (event) => {
      const id = event.popup.options.parcelId;
      if (!id) return;
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
  // Reference layer (drawn under the parcels, so that the map is readable offline)
  // ---------------------------------------------------------------------------------------
  function drawReference(collection) {
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
  const colourOf = (block) => state.blockColour.get(block) || "#555";

  function parcelStyle(id) {
    const feature = state.byId.get(id);
    const colour = colourOf(feature.properties.block);
    const style = { color: colour, weight: 2, opacity: 1, fillColor: colour, fillOpacity: 0.38 };
    if (state.filteredIds && !state.filteredIds.has(id)) {
      Object.assign(style, { opacity: 0.35, fillOpacity: 0.08, weight: 1 });
    }
    if (state.lookupHits.has(id)) Object.assign(style, { color: "#111111", weight: 3 });
    if (id === state.selectedId) Object.assign(style, { color: "#111111", weight: 3 });
    if (id === state.hoverId) Object.assign(style, { weight: 4, fillOpacity: 0.6 });
    return style;
  }

  function refreshStyles() {
    for (const [id, layer] of state.layers) layer.setStyle(parcelStyle(id));
    if (state.tileMode) tileView.refreshHighlight();
    for (const row of document.querySelectorAll(".parcel-row")) {
      row.classList.toggle("hover", row.dataset.id === state.hoverId);
      row.classList.toggle("selected", row.dataset.id === state.selectedId);
    }
  }

  function setHover(id) {
    if (state.hoverId === id) return;
    state.hoverId = id;
    refreshStyles();
  }

  function drawParcels() {
    parcelLayer = L.geoJSON(toDisplayGeoJSON({ type: "FeatureCollection", features: state.parcels }), {
      renderer,
      style: (feature) => parcelStyle(feature.properties.id),
      onEachFeature: (feature, layer) => {
        const id = feature.properties.id;
        state.layers.set(id, layer);
        layer.bindPopup(() => popupHtml(id), POPUP_OPTIONS(id));
        layer.bindTooltip(() => `${feature.properties.seq}. ${esc(feature.properties.name)}`, {
          sticky: true,
          direction: "top",
        });
        // The popup stops the click here, so the map's click handler would not see it.
        layer.on("click", (event) => lookupPoint(event.latlng));
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

    // The map needs a view before layers are really added (and before getCenter works).
    // Room for the zoom/layer buttons (top left) and the legend (bottom right).
    map.fitBounds(parcelLayer.getBounds(), {
      paddingTopLeft: [60, 30],
      paddingBottomRight: [250, 30],
      animate: false,
    });

    // Sequence numbers on the map, so that small parcels can be found at city scale.
    labelLayer = L.layerGroup();
    parcelOverlay = L.layerGroup([parcelLayer, labelLayer]).addTo(map);
    for (const [id, layer] of state.layers) {
      L.tooltip({ permanent: true, direction: "center", className: "seq-label", interactive: false })
        .setLatLng(layer.getCenter())
        .setContent(String(state.byId.get(id).properties.seq))
        .addTo(labelLayer);
    }
  }

  const POPUP_OPTIONS = (id) => ({ maxWidth: 360, minWidth: 260, parcelId: id });

  function popupHtml(id) {
    const p = state.byId.get(id).properties;
    const check = state.checks.get(id);
    let checkCell = "–";
    if (check) {
      const status = check.status === "ok" ? t("checkOk") : t("checkFail");
      checkCell = `<span class="badge ${check.status === "ok" ? "ok" : "fail"}">${esc(
        t("checkLine", { status, pct: fmtPct(check.difference_pct), tol: state.tolerance }),
      )}</span>`;
    }
    const warning =
      p.geometry_source === "schematic" || p.geometry_source === "digitized"
        ? `<p class="geometry-warning">${esc(t(`warn_${p.geometry_source}`))}</p>`
        : "";
    const rows = [
      ["fSeq", esc(p.seq)],
      ["fName", `<strong>${esc(p.name)}</strong>`],
      ["fBlock", esc(p.block)],
      ["fBoundary", esc(p.boundary_text)],
      ["fDeclared", `${fmtMu(p.declared_area_mu)} ${esc(t("mu"))}`],
      ["fMeasured", `${fmtMu(p.measured_area_mu)} ${esc(t("mu"))} (${fmtMetres(p.measured_area_m2)} m²)`],
      ["fCheck", checkCell],
      ["fInterest", esc(p.interest_type)],
      ["fUnit", esc(p.implementing_unit)],
      ["fApproval", p.approval_reference ? esc(p.approval_reference) : "—"],
      ["fGeometry", esc(t(`geom_${p.geometry_source}`))],
      ["fId", esc(p.id)],
      ["fVersion", p.version === undefined || p.version === null ? "—" : esc(p.version)],
    ];
    // Documents: a row only when the service has the endpoint (see documents.js).
    const docs = documents.html(id);
    if (docs !== null) rows.push(["fDocuments", docs]);
    return `<div class="parcel-popup" data-parcel-id="${esc(id)}">
      <h3>${esc(p.seq)}. ${esc(p.name)}</h3>
      <table>${rows.map(([k, v]) => `<tr><th scope="row">${esc(t(k))}</th><td>${v}</td></tr>`).join("")}
      </table>
      ${warning}
      <details><summary>${esc(t("geometryNote"))}</summary><p>${esc(p.geometry_note)}</p></details>
      <div class="popup-actions">
        <button type="button" class="button" data-history="${esc(id)}">${esc(t("popupHistory"))}</button>
      </div>
    </div>`;
  }

  function fitParcel(bounds, { roomForPopup = false } = {}) {
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

  /** Anchor a popup on the parcel's north edge, so that it does not hide the parcel. */
  const popupAnchor = (bounds) => L.latLng(bounds.getNorth(), bounds.getCenter().lng);

  /** Zoom to a parcel. GeoJSON mode: its layer (or null). Tile mode: a promise of a boolean. */
  function zoomToParcel(id, options) {
    if (state.tileMode) return tileView.zoomToParcel(id, options);
    const layer = state.layers.get(id);
    if (!layer) return null;
    fitParcel(layer.getBounds(), options);
    return layer;
  }

  /** Zoom to a parcel and open its popup. Tile mode: a promise of a boolean. */
  function showParcel(id) {
    if (state.tileMode) return tileView.showParcel(id);
    const layer = zoomToParcel(id, { roomForPopup: true });
    if (layer) layer.openPopup(popupAnchor(layer.getBounds()));
    return Boolean(layer);
  }

  // ---------------------------------------------------------------------------------------
  // Notice, totals, list, filters
  // ---------------------------------------------------------------------------------------
  function renderNotice() {
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

  function renderTotals() {
    const plan = state.plan;
    const box = $("totals");
    if (!plan) {
      box.textContent = t("loading");
      return;
    }
    const diff = Number(plan.difference_mu);
    const verdict =
      Math.abs(diff) < 0.005
        ? `<span class="badge ok">${esc(t("totalsMatch"))}</span>`
        : `<span class="badge fail">${esc(t("totalsDiff", { d: fmtMu(diff) }))}</span>`;
    // From the area check's rows, which cover every parcel in either mode.
    const measured = [...state.checks.values()].reduce(
      (sum, c) => sum + Number(c.measured_area_mu || 0),
      0,
    );
    const failing = [...state.checks.values()].filter((c) => c.status !== "ok").length;
    const mu = esc(t("mu"));
    const row = (label, valueHtml, id = "") =>
      `<dt>${esc(t(label))}</dt><dd${id ? ` id="${id}"` : ""}>${valueHtml}</dd>`;
    box.innerHTML = `<dl>${[
      row("totalsParcels", esc(t("count", { n: plan.parcels })), "total-count"),
      row("totalsDeclared", `${fmtMu(plan.declared_sum_mu)} ${mu}`, "total-declared"),
      row("totalsPublished", `${fmtMu(plan.published_total_mu)} ${mu} ${verdict}`, "total-published"),
      row("totalsMeasured", `${fmtMu(measured)} ${mu}`),
      row("totalsFailing", `${esc(t("count", { n: failing }))} <small>(±${esc(state.tolerance)}%)</small>`),
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
        collator.compare(a.properties.implementing_unit, b.properties.implementing_unit) ||
        bySeq(a, b),
    }[state.sort] || bySeq;
    return list.sort(compare);
  }

  function rowHtml(feature) {
    const p = feature.properties;
    const check = state.checks.get(p.id);
    const badge =
      check && check.status !== "ok"
        ? ` <span class="badge fail">${esc(t("checkFail"))} ${esc(fmtPct(check.difference_pct))}</span>`
        : "";
    return `<li><button type="button" class="parcel-row" data-id="${esc(p.id)}">
      <span class="swatch" style="background:${colourOf(p.block)}"></span>
      <span class="name"><span class="seq">${esc(p.seq)}</span>${esc(p.name)}</span>
      <span class="meta">${esc(p.block)} · ${fmtMu(p.declared_area_mu)} ${esc(t("mu"))}${badge}</span>
      <span class="unit">${esc(p.implementing_unit)}</span>
    </button></li>`;
  }

  function renderList() {
    if (state.tileMode) {
      tileView.renderList();
      refreshStyles();
      return;
    }
    const list = $("parcel-list");
    const items = sortedParcels();
    list.innerHTML = items.map(rowHtml).join("");
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

  function bindList() {
    const list = $("parcel-list");
    list.addEventListener("click", (event) => {
      const row = event.target.closest(".parcel-row");
      if (row) showParcel(row.dataset.id);
    });
    const hover = (event) => {
      const row = event.target.closest(".parcel-row");
      setHover(row ? row.dataset.id : null);
    };
    list.addEventListener("mouseover", hover);
    list.addEventListener("mouseleave", () => setHover(null));
    list.addEventListener("focusin", hover);
    list.addEventListener("focusout", () => setHover(null));
    $("sort-select").addEventListener("change", (event) => {
      state.sort = event.target.value;
      renderList();
    });
  }

  /** Add the blocks that have no option yet (tile mode learns blocks as tiles arrive). */
  function fillBlockFilter() {
    const select = $("block-filter");
    const present = new Set([...select.options].map((option) => option.value));
    for (const block of state.blocks) {
      if (present.has(block)) continue;
      const option = document.createElement("option");
      option.value = block;
      option.textContent = block;
      select.appendChild(option);
    }
  }

  function currentFilter() {
    return { block: $("block-filter").value, q: $("text-filter").value.trim() };
  }

  function updateExportLinks(filter) {
    $("export-filtered").href = `/api/v1/export.geojson${query(filter)}`;
    const format = $("export-format").value;
    $("export-other").href = `/api/v1/export${query({ ...filter, format })}`;
  }

  let filterTimer = null;
  let filterSerial = 0;

  async function applyFilter() {
    const filter = currentFilter();
    updateExportLinks(filter);
    const serial = ++filterSerial;
    state.filterError = null;
    if (state.tileMode) {
      tileView.applyFilter(filter);
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

  function bindFilters() {
    $("block-filter").addEventListener("change", applyFilter);
    $("export-format").addEventListener("change", () => updateExportLinks(currentFilter()));
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

  // ---------------------------------------------------------------------------------------
  // Legend and layer switcher
  // ---------------------------------------------------------------------------------------
  function renderLegend() {
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
        return div;
      };
      legendControl.addTo(map);
    }
    const blocks = state.blocks
      .map(
        (b) =>
          `<div class="item"><span class="sym" style="background:${colourOf(b)};` +
          `opacity:.75"></span>${esc(b)}</div>`,
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
    // Tile mode knows only the blocks of the tiles loaded so far.
    const heading = t(state.tileMode ? "legendBlocksTiles" : "legendBlocks");
    legendControl.getContainer().innerHTML = `<h4>${esc(heading)}</h4>${blocks}${reference}${basemap}`;
  }

  function renderLayersControl() {
    if (layersControl) layersControl.remove();
    const overlays = { [t("layerParcels")]: parcelOverlay };
    if (referenceLayer) overlays[t("layerReference")] = referenceLayer;
    layersControl = L.control.layers({}, overlays, { collapsed: true, position: "topleft" }).addTo(map);
  }

  // ---------------------------------------------------------------------------------------
  // Look-ups: an address from the search box, or a point clicked on the map
  // ---------------------------------------------------------------------------------------
  async function runLookup(kind, label, url) {
    const serial = ++state.lookupSerial;
    state.lastLookup = { kind, label, busy: true };
    renderLookup();
    let result;
    try {
      result = { kind, label, answer: await getJSON(url) };
    } catch (error) {
      result = { kind, label, error: error.message };
    }
    if (serial !== state.lookupSerial) return result; // a newer look-up has started
    state.lastLookup = result;
    drawLookup(result);
    renderLookup();
    return result;
  }

  function lookupAddress(text) {
    const address = text.trim();
    if (!address) return Promise.resolve(null);
    return runLookup("address", address, `/api/v1/lookup${query({ address })}`);
  }

  function lookupPoint(latlng) {
    // On an Amap basemap the map is in GCJ-02: say so, and the server converts back to WGS84.
    const lon = latlng.lng.toFixed(7);
    const lat = latlng.lat.toFixed(7);
    const crs = shifted() ? "gcj02" : "wgs84";
    const label = { lon, lat, crs: crs === "gcj02" ? " (GCJ-02)" : "" };
    return runLookup("point", label, `/api/v1/lookup${query({ lon, lat, crs })}`);
  }

  function parcelsOf(answer) {
    if (!answer) return [];
    if (answer.inside === true) return answer.parcels;
    if (answer.inside === false && answer.nearest) return [answer.nearest.parcel];
    if (answer.nearby) return answer.nearby.parcels;
    return [];
  }

  function drawLookup(result) {
    lookupLayer.clearLayers();
    const hits = parcelsOf(result.answer);
    state.lookupHits = new Set(hits.map((f) => f.properties.id));
    if (state.tileMode) tileView.remember(hits);
    refreshStyles();
    const answer = result.answer;
    if (!answer || !answer.location) return;
    const point = toDisplayLatLng(answer.location.lon, answer.location.lat);
    if (answer.uncertainty_m) {
      L.circle(point, {
        renderer,
        radius: answer.uncertainty_m,
        color: "#0b5cad",
        weight: 1,
        dashArray: "5 5",
        fillOpacity: 0.04,
        interactive: false,
      }).addTo(lookupLayer);
    }
    L.marker(point, { title: t("lookupMarker"), alt: t("lookupMarker"), keyboard: false })
      .addTo(lookupLayer);
    if (result.kind === "address") {
      // Show the point with the parcels the answer is about (not the whole uncertainty circle).
      const bounds = L.latLngBounds([point]);
      for (const feature of hits) bounds.extend(L.geoJSON(toDisplayGeoJSON(feature)).getBounds());
      map.fitBounds(bounds, {
        paddingTopLeft: [80, 80],
        paddingBottomRight: [260, 80], // the legend
        maxZoom: 17,
      });
    }
  }

  function parcelButton(feature, extra) {
    const p = feature.properties;
    const facts = [p.block, p.id, extra].filter(Boolean).map(esc).join(" · ");
    return (
      `<button type="button" class="link-button" data-show-parcel="${esc(p.id)}">` +
      `${esc(p.seq)}. ${esc(p.name)}</button> <span class="facts">${facts}</span>`
    );
  }

  const parcelList = (cls, features, extra) =>
    `<ul class="${cls}">${features.map((f) => `<li>${parcelButton(f, extra)}</li>`).join("")}</ul>`;

  const fact = (label, valueHtml) =>
    `<p class="facts">${esc(t(label))}${esc(t("colon"))}${valueHtml}</p>`;

  /** The answer as HTML, and the verdict: inside | outside | undetermined | none. */
  function answerHtml(answer) {
    const html = [];
    if (answer.quality) {
      const quality = `<strong class="quality">${esc(t(`quality_${answer.quality}`))}</strong>`;
      html.push(fact("quality", `${quality} (${esc(answer.quality)})`));
      if (answer.uncertainty_m) {
        const m = fmtMetres(answer.uncertainty_m);
        html.push(`<p class="facts">${esc(t("uncertainty", { m }))}</p>`);
      }
      if (answer.matched) html.push(fact("matched", esc(answer.matched)));
      const ignored = answer.address ? answer.address.ignored : [];
      if (ignored && ignored.length) html.push(fact("ignored", esc(ignored.join("、"))));
    }
    let verdict;
    if (answer.inside === true) {
      verdict = "inside";
      html.push(`<p class="verdict inside">${esc(t("verdictInside"))}</p>`);
      html.push(parcelList("hits", answer.parcels));
    } else if (answer.inside === false) {
      verdict = "outside";
      html.push(`<p class="verdict outside">${esc(t("verdictOutside"))}</p>`);
      if (answer.nearest) {
        const distance = t("distance", { d: fmtMetres(answer.nearest.distance_m) });
        html.push(`<p>${esc(t("nearest"))}</p>`);
        html.push(parcelList("hits", [answer.nearest.parcel], distance));
      }
    } else if (!answer.location) {
      // Nothing matched: no point, so no inside/outside either.
      verdict = "none";
      html.push(`<p class="verdict undetermined">${esc(t("verdictNone"))}</p>`);
    } else {
      // A road or district match: too coarse to say inside or outside. List nearby parcels.
      verdict = "undetermined";
      html.push(`<p class="verdict undetermined">${esc(t("verdictUndetermined"))}</p>`);
      const nearby = answer.nearby ? answer.nearby.parcels : [];
      if (nearby.length) {
        html.push(`<p>${esc(t("nearby", { basis: answer.nearby.basis }))}</p>`);
        html.push(parcelList("nearby", nearby));
      } else {
        html.push(`<p>${esc(t("noNearby"))}</p>`);
      }
    }
    if (answer.message) {
      html.push(`<p class="facts server-message">${esc(t("serverMessage"))} ${esc(answer.message)}</p>`);
    }
    return { verdict, html: html.join("") };
  }

  function renderLookup() {
    const box = $("lookup-result");
    const result = state.lastLookup;
    if (!result) {
      box.hidden = true;
      box.innerHTML = "";
      return;
    }
    const title =
      result.kind === "address"
        ? t("lookupAddressTitle", { q: result.label })
        : t("lookupPointTitle", result.label);
    const close = esc(t("close"));
    let body;
    let verdict;
    if (result.busy) {
      verdict = "busy";
      body = `<p class="verdict">${esc(t("lookupBusy"))}</p>`;
    } else if (result.error) {
      verdict = "error";
      body = `<p class="verdict error">${esc(t("lookupError", { m: result.error }))}</p>`;
    } else {
      ({ verdict, html: body } = answerHtml(result.answer));
    }
    box.dataset.verdict = verdict;
    box.innerHTML =
      `<button type="button" class="close" aria-label="${close}" title="${close}">×</button>` +
      `<h3>${esc(title)}</h3>${body}`;
    box.hidden = false;
  }

  function bindLookup() {
    $("search-form").addEventListener("submit", (event) => {
      event.preventDefault();
      lookupAddress($("search-input").value);
    });
    const box = $("lookup-result");
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    box.addEventListener("click", (event) => {
      if (event.target.closest(".close")) {
        state.lastLookup = null;
        state.lookupSerial += 1;
        lookupLayer.clearLayers();
        state.lookupHits = new Set();
        refreshStyles();
        renderLookup();
        return;
      }
      const button = event.target.closest("[data-show-parcel]");
      if (button) showParcel(button.dataset.showParcel);
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

  function chooseTileMode(count) {
    const forced = new URLSearchParams(location.search).get("tiles");
    if (forced === "1" || forced === "0") return forced === "1";
    return count > TILE_THRESHOLD;
  }

  async function start() {
    state.lang = initialLang();
    historyView = modules.history(app);
    documents = modules.documents(app);
    tileView = modules.tiles(app);
    applyLang();
    $("lang-toggle").addEventListener("click", () => setLang(state.lang === "zh" ? "en" : "zh"));

    // The area check has a row per parcel: for a large plan a large answer, so tile mode draws
    // the map without waiting for it (the totals say "loading" meanwhile). A failure is kept
    // for the await below, not left as an unhandled rejection.
    const checksLoaded = getJSON("/api/v1/checks/area")
      .then((checks) => {
        state.tolerance = checks.tolerance_pct;
        state.plan = checks.plans[0] || null;
        for (const row of checks.parcels) state.checks.set(row.id, row);
        return null;
      })
      .catch((error) => error);
    const [config, count, reference] = await Promise.all([
      getJSON("/api/v1/config"),
      countParcels(),
      getJSON("/api/v1/reference"),
    ]);
    state.config = config;
    state.basemap = chooseBasemap(config);
    state.parcelCount = count;
    state.tileMode = chooseTileMode(count);
    if (!state.tileMode) {
      const failed = await checksLoaded;
      if (failed) throw failed;
    }
    const palette = (config.block_palette && config.block_palette.length) ? config.block_palette : FALLBACK_COLOURS;
    state.palette = palette;

    createMap();
    drawReference(reference);
    if (state.tileMode) {
      await tileView.start();
    } else {
      const parcels = await getJSON("/api/v1/parcels");
      state.notice = { zh: parcels.geometry_notice_zh || parcels.geometry_notice || "", en: parcels.geometry_notice || "" };
      state.sources = parcels.geometry_sources || {};
      state.parcels = parcels.features.slice().sort((a, b) => a.properties.seq - b.properties.seq);
      for (const f of state.parcels) {
        state.byId.set(f.properties.id, f);
        if (!state.blocks.includes(f.properties.block)) state.blocks.push(f.properties.block);
      }
      // Blocks in order of first appearance, as the shareable folium map colours them.
      state.blocks.forEach((b, i) => state.blockColour.set(b, palette[i % palette.length]));
      drawParcels();
    }
    lookupLayer = L.layerGroup().addTo(map);
    map.on("overlayadd overlayremove", renderLegend);

    fillBlockFilter();
    bindList();
    bindFilters();
    bindLookup();
    historyView.bind();
    applyLang();
    const failed = await checksLoaded;
    if (failed) throw failed;
    applyLang(); // totals, and the list's area-check badges
  }

  // What the modules may use. Functions rather than copies, so that they always see the
  // current map and state.
  const app = {
    state,
    I18N,
    addStrings,
    t,
    esc,
    $,
    query,
    getJSON,
    fmtMu,
    fmtMetres,
    map: () => map,
    setParcelOverlay: (overlay) => {
      parcelOverlay = overlay;
    },
    shifted,
    toDisplayGeoJSON,
    toDisplayLatLng,
    colourOf,
    popupHtml,
    popupOptions: POPUP_OPTIONS,
    popupAnchor,
    fitParcel,
    rowHtml,
    refreshStyles,
    renderNotice,
    renderLegend,
    fillBlockFilter,
    lookupPoint,
  };

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
    /** The colour a block is drawn in. */
    blockColour: colourOf,
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
    /** Tile mode: requests made, tiles drawn, and the renderer's pixel at a WGS84 point. */
    tiles: () => tileView.stats(),
    tilePixelAt: (lon, lat) => tileView.pixelAt(lon, lat),
    /** The past version drawn from the history, if any: {entryId, version, at}. */
    historyShown: () => historyView.shown(),
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
})();
