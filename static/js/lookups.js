/* zhengshou map page: look-ups, an address from the search box or a point clicked on the map.
 *
 * Owns /api/v1/lookup requests (address=…, or lon/lat with crs=wgs84|gcj02), the answer's
 * box in the side panel (#lookup-result: match quality, the verdict, the parcels it names),
 * and the look-up's marker and uncertainty circle on the map. The parcels an answer names
 * are outlined (state.lookupHits).
 */
import { t } from "./i18n.js";
import { map, refreshStyles, renderer, showParcel } from "./map.js";
import {
  $,
  esc,
  fmtMetres,
  getJSON,
  query,
  shifted,
  state,
  toDisplayGeoJSON,
  toDisplayLatLng,
} from "./state.js";
import * as tileView from "./tiles.js";

let lookupLayer; // the marker and uncertainty circle of the last look-up

/** The look-up's layer group, above the parcels. */
export function addLookupLayer() {
  lookupLayer = L.layerGroup().addTo(map);
}

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

export function lookupPoint(latlng) {
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

export function renderLookup() {
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

export function bindLookup() {
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
