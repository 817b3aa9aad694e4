/* zhengshou map page: large plans, drawn from the vector tiles.
 *
 * With more than a few thousand parcels (or `?tiles=1`), app.js does not load the parcels as
 * GeoJSON. Instead:
 *   - protomaps-leaflet (vendored) draws /tiles/parcels/{z}/{x}/{y}.pbf (layer "parcels") on
 *     canvas tiles, each parcel in its block's colour;
 *   - a click on the map asks the point look-up, which answers with the parcel (and opens its
 *     popup); the parcel and any look-up hits are outlined from the answer's GeoJSON;
 *   - the side panel lists one page of /ogc/collections/parcels/items at a time (limit/offset,
 *     with previous/next), filtered by block (block=) and keyword (a CQL2 LIKE filter);
 *   - the totals come from /api/v1/checks/area, as in GeoJSON mode.
 * `?pagesize=N` in the page URL changes the page length (default 50), for testing.
 */
"use strict";

(function () {
  const TILE_URL = "/tiles/parcels/{z}/{x}/{y}.pbf";
  const RENDERER_SCRIPT = "/vendor/protomaps-leaflet/protomaps-leaflet.js";
  const DATA_LAYER = "parcels";
  const DEFAULT_PAGE_SIZE = 50;
  const GEOMETRY_SOURCES = ["schematic", "digitized", "surveyed"];
  // The keyword is matched in these queryables (the OGC items have no `q`; see applyFilter).
  const KEYWORD_FIELDS = ["id", "name", "block", "boundary_text", "implementing_unit"];

  window.zhengshouModules = window.zhengshouModules || {};
  window.zhengshouModules.tiles = function tilesModule(app) {
    const { state, t, esc, $, query, getJSON } = app;
    app.addStrings({
      zh: {
        legendBlocksTiles: "所属板块（已加载的瓦片）",
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
        legendBlocksTiles: "Blocks (in the tiles loaded)",
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
    let layer; // the protomaps-leaflet layer
    let highlight; // outlines of the selected, hovered and looked-up parcels
    let blocksTimer = null;
    const stats = { featuresDrawn: 0, tilesLoaded: 0 };

    // -------------------------------------------------------------------------------------
    // Colours. GeoJSON mode colours blocks in their order of first appearance (as the folium
    // map does). Tiles only ever show some of the parcels, so that order is unknown here:
    // a block's colour is the palette entry picked by a hash (FNV-1a) of its name. It is stable
    // across pages, zooms and reloads, but two blocks may share a colour, and the colours
    // differ from GeoJSON mode's.
    // -------------------------------------------------------------------------------------
    function hashColour(block) {
      let hash = 0x811c9dc5;
      for (const char of String(block)) {
        hash ^= char.codePointAt(0);
        hash = Math.imul(hash, 0x01000193) >>> 0;
      }
      return state.palette[hash % state.palette.length];
    }

    /** A block's colour; a block seen for the first time joins the legend and the filter. */
    function colourFor(block) {
      let colour = state.blockColour.get(block);
      if (!colour) {
        colour = hashColour(block);
        state.blockColour.set(block, colour);
        state.blocks.push(block);
        state.blocks.sort(new Intl.Collator("zh-Hans-CN").compare);
        clearTimeout(blocksTimer);
        blocksTimer = setTimeout(() => {
          app.fillBlockFilter();
          app.renderLegend();
        }, 100);
      }
      return colour;
    }

    /** Keep features the page has seen, so that popups and outlines can use them. */
    function remember(features) {
      for (const feature of features || []) {
        state.byId.set(feature.properties.id, feature);
        colourFor(feature.properties.block);
      }
    }

    // -------------------------------------------------------------------------------------
    // The renderer
    // -------------------------------------------------------------------------------------
    const dimmed = (feature) => Boolean(filter.block) && feature.props.block !== filter.block;

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
    function followGcj02(map, pane) {
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
        fill: (zoom, f) => colourFor(f.props.block),
        opacity: (zoom, f) => (dimmed(f) ? 0.08 : 0.38),
      });
      const line = new protomapsL.LineSymbolizer({
        color: (zoom, f) => colourFor(f.props.block),
        width: (zoom, f) => (dimmed(f) ? 1 : 2),
        opacity: (zoom, f) => (dimmed(f) ? 0.35 : 1),
        lineJoin: "round",
      });
      return [
        { dataLayer: DATA_LAYER, symbolizer: counted(fill) },
        { dataLayer: DATA_LAYER, symbolizer: line },
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
      return [{ dataLayer: DATA_LAYER, minzoom: 13, symbolizer: { place } }];
    }

    function createLayer(map) {
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
      if (app.shifted()) followGcj02(map, pane);
      highlight = L.geoJSON(null, {
        pane: "parcelHighlight",
        renderer: L.svg({ pane: "parcelHighlight" }),
        interactive: false,
        style: (feature) => highlightStyle(feature.properties.id),
      }).addTo(map);
      app.setParcelOverlay(layer.addTo(map));
    }

    function highlightStyle(id) {
      const colour = app.colourOf(state.byId.get(id).properties.block);
      if (id === state.selectedId || state.lookupHits.has(id)) {
        return { color: "#111111", weight: 3, opacity: 1, fill: false };
      }
      return { color: colour, weight: 4, opacity: 1, fillColor: colour, fillOpacity: 0.25 };
    }

    function refreshHighlight() {
      if (!highlight) return;
      highlight.clearLayers();
      const ids = new Set([...state.lookupHits, state.selectedId, state.hoverId]);
      for (const id of ids) {
        const feature = id && state.byId.get(id);
        if (feature) highlight.addData(app.toDisplayGeoJSON(feature));
      }
    }

    // -------------------------------------------------------------------------------------
    // Start-up: view, notice
    // -------------------------------------------------------------------------------------
    async function loadNotice() {
      // An empty page of /api/v1/parcels (a bbox far from any parcel) carries the collection's
      // notice; the OGC counts per geometry source replace its geometry_sources.
      const [empty, ...counts] = await Promise.all([
        getJSON("/api/v1/parcels?bbox=0,0,0.000001,0.000001"),
        ...GEOMETRY_SOURCES.map((source) =>
          getJSON(`/ogc/collections/parcels/items${query({ geometry_source: source, limit: 1 })}`),
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

    async function start() {
      const map = app.map();
      const [tilejson] = await Promise.all([getJSON("/tiles/parcels.json"), loadNotice(), loadRenderer()]);
      const [west, south, east, north] = tilejson.bounds;
      const bounds = L.latLngBounds([app.toDisplayLatLng(west, south), app.toDisplayLatLng(east, north)]);
      map.fitBounds(bounds, { paddingTopLeft: [60, 30], paddingBottomRight: [250, 30], animate: false });
      createLayer(map);
      const sort = $("sort-select");
      sort.disabled = true;
      sort.dataset.i18nTitle = "sortTiles";
      $("filter-status").insertAdjacentHTML("beforebegin", '<p id="tile-mode" class="tile-mode"></p>');
      bindPager();
      await loadPage();
    }

    // -------------------------------------------------------------------------------------
    // The paged list
    // -------------------------------------------------------------------------------------
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
      app.refreshStyles();
    }

    function applyFilter(next) {
      const blockChanged = next.block !== filter.block;
      filter = { block: next.block || "", q: next.q || "" };
      page.offset = 0;
      if (blockChanged && layer) layer.rerenderTiles(); // dim the other blocks
      return loadPage();
    }

    function renderList() {
      $("tile-mode").textContent = t("tileMode", { size: pageSize });
      $("parcel-list").innerHTML = page.features.map(app.rowHtml).join("");
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

    // -------------------------------------------------------------------------------------
    // Parcels: zoom, popups
    // -------------------------------------------------------------------------------------
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

    const boundsOf = (feature) => L.geoJSON(app.toDisplayGeoJSON(feature)).getBounds();

    async function zoomToParcel(id, options) {
      const feature = await featureOf(id);
      if (!feature) return false;
      app.fitParcel(boundsOf(feature), options);
      return true;
    }

    function openPopup(id, latlng) {
      const popup = L.popup(app.popupOptions(id))
        .setLatLng(latlng)
        .setContent(() => app.popupHtml(id));
      popup.on("remove", () => {
        if (state.selectedId !== id) return;
        state.selectedId = null;
        app.refreshStyles();
      });
      popup.openOn(app.map());
      state.selectedId = id;
      app.refreshStyles();
    }

    async function showParcel(id) {
      if (!(await zoomToParcel(id, { roomForPopup: true }))) return false;
      openPopup(id, app.popupAnchor(boundsOf(state.byId.get(id))));
      return true;
    }

    /** After a click on the map: the parcel the look-up found there opens its popup. */
    async function popupFromLookup(looked, latlng) {
      const result = await looked;
      if (!result || result !== state.lastLookup || !result.answer) return;
      const answer = result.answer;
      if (answer.inside === true && answer.parcels.length) openPopup(answer.parcels[0].properties.id, latlng);
    }

    /** The renderer's pixel [r, g, b, a] at a WGS84 point (for tests), or null. */
    function pixelAt(lon, lat) {
      const map = app.map();
      const point = map.latLngToContainerPoint(app.toDisplayLatLng(lon, lat));
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

    return {
      start,
      remember,
      refreshHighlight,
      renderList,
      applyFilter,
      zoomToParcel,
      showParcel,
      popupFromLookup,
      pixelAt,
      stats: () => ({
        ...stats,
        loading: layer ? layer.isLoading() : true,
        pageOffset: page.offset,
        pageSize,
        matched: page.matched,
        busy: page.busy,
      }),
    };
  };
})();
