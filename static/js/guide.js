/* zhengshou map page: the 四至 as a guide while a parcel is drawn (draw.js).
 *
 * Owns the highlights: each feature the parcel's four-boundary text names, found by name in the
 * reference layer the page loaded (/api/v1/reference) or among the plan's other parcels (as
 * geo/checks/sides.py looks them up), drawn in its side's colour and labelled 东/南/西/北 with
 * the text; and the HTML that lists the sides, with the names not found. The highlights are
 * snapping targets for Geoman, so a vertex can be put on the named road's edge.
 */
import { t } from "./i18n.js";
import { map } from "./map.js";
import { esc, state, toDisplayGeoJSON } from "./state.js";

export const SIDES = ["east", "south", "west", "north"];
// One colour per side, distinct from each other and from the parcels' fill (ColorBrewer Set1).
export const SIDE_COLOURS = { east: "#e41a1c", south: "#ff7f00", west: "#984ea3", north: "#377eb8" };

let guideLayer = null;

/** The features of a name: reference features, then parcels of the same plan (not this one). */
function namedFeatures(name, parcel) {
  const reference = (state.reference ? state.reference.features : []).filter(
    (f) => f.properties.name === name,
  );
  const parcels = state.allParcels.filter(
    (f) =>
      f.geometry &&
      f.properties.name === name &&
      f.properties.plan === parcel.properties.plan &&
      f.properties.id !== parcel.properties.id,
  );
  return [...reference, ...parcels];
}

/** A rough centre of a GeoJSON geometry (its coordinates' bounding box), for nearness only. */
function centre(geometry) {
  const flat = JSON.stringify(geometry.coordinates).match(/-?\d+(\.\d+)?/g).map(Number);
  const xs = flat.filter((_, i) => i % 2 === 0);
  const ys = flat.filter((_, i) => i % 2 === 1);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

/** Per side, each named feature with what was found for it: [{side, ref, features}]. A parcel
 * with a shape gets the nearest feature of each name (a name like 围墙 is everywhere), as the
 * side check takes the nearest; one without a shape gets all, to show where it may be. */
export function resolveSides(parcel) {
  const boundaries = parcel.properties.boundaries || {};
  const here = parcel.geometry ? centre(parcel.geometry) : null;
  const distance = (f) => {
    const [x, y] = centre(f.geometry);
    return (x - here[0]) ** 2 + (y - here[1]) ** 2;
  };
  const rows = [];
  for (const side of SIDES) {
    for (const ref of boundaries[side] || []) {
      let features = namedFeatures(ref.name, parcel);
      if (here && features.length > 1) {
        features = [features.reduce((best, f) => (distance(f) < distance(best) ? f : best))];
      }
      rows.push({ side, ref, features });
    }
  }
  return rows;
}

/** Highlight every resolved feature on the map, in its side's colour, labelled with the text. */
export function showGuide(rows) {
  hideGuide();
  guideLayer = L.featureGroup().addTo(map);
  for (const { side, ref, features } of rows) {
    if (!features.length) continue;
    const colour = SIDE_COLOURS[side];
    const layer = L.geoJSON(toDisplayGeoJSON({ type: "FeatureCollection", features }), {
      // SVG, not the page's canvas: Geoman snaps to these, and they sit above the parcels.
      style: () => ({ color: colour, weight: 6, opacity: 0.75, fillColor: colour, fillOpacity: 0.12 }),
      pointToLayer: (_, latlng) => L.circleMarker(latlng, { radius: 6, color: colour }),
      interactive: false,
    });
    layer.addTo(guideLayer);
    const label = `${t(`side_${side}`)}：${ref.text || ref.name}`;
    layer.eachLayer((part) => {
      L.tooltip({ permanent: true, direction: "center", className: `side-label side-${side}`, interactive: false })
        .setLatLng(part.getBounds ? part.getBounds().getCenter() : part.getLatLng())
        .setContent(esc(label))
        .addTo(guideLayer);
    });
  }
}

export function hideGuide() {
  if (guideLayer) guideLayer.remove();
  guideLayer = null;
}

/** The guide's bounds, to fit the view on a parcel that has no shape yet. */
export const guideBounds = () => (guideLayer && guideLayer.getLayers().length ? guideLayer.getBounds() : null);

/** The 四至 text and, per side, its swatch and names, the unresolved ones said to be. */
export function guideHtml(parcel, rows) {
  const text = parcel.properties.boundary_text;
  const items = rows
    .map(({ side, ref, features }) => {
      const missing = features.length ? "" : ` <span class="badge warn">${esc(t("guideNotFound"))}</span>`;
      return `<li class="guide-side" data-side="${side}">
        <span class="side-swatch" style="background:${SIDE_COLOURS[side]}"></span>
        <strong>${esc(t(`side_${side}`))}</strong> ${esc(ref.text || ref.name)}${missing}</li>`;
    })
    .join("");
  const unresolved = rows.filter((row) => !row.features.length).map((row) => row.ref.name);
  const note = unresolved.length
    ? `<p class="guide-unresolved">${esc(t("guideUnresolved", { names: unresolved.join("、") }))}</p>`
    : "";
  return `<p class="guide-text">${text ? esc(text) : esc(t("unstated"))}</p>
    <ul class="guide-sides">${items}</ul>${note}`;
}
