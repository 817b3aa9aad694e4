/* The OGC API's HTML pages: the small map of a page's items (or of a collection's extent).
 *
 * api/ogc_html.py writes what to draw into the page, as JSON in
 * <script type="application/json" id="ogc-map-data">: the items (GeoJSON in CRS84), the
 * collection, the block colours the service gives every map (geo/parcels/styles.py), each
 * item's page, and the collection's extent. Parcels are painted as on the map page, reference
 * features and gazetteer entries by kind (paint.js). No basemap: the page works offline.
 * Leaflet is the vendored classic script (global L).
 */
import { PARCEL_STYLE, REFERENCE_STYLES } from "./paint.js";

const data = JSON.parse(document.getElementById("ogc-map-data").textContent);
const container = document.getElementById("ogc-map");

function colourOf(block) {
  if (block === null || block === undefined) return data.unstated_colour;
  return data.colours[block] || data.unstated_colour;
}

function style(feature) {
  if (data.collection === "parcels") {
    const colour = colourOf(feature.properties.block);
    return { ...PARCEL_STYLE, color: colour, fillColor: colour };
  }
  return REFERENCE_STYLES[feature.properties.kind] || REFERENCE_STYLES.road;
}

/** What a feature is called: its number and name for a parcel, else its name or id. */
function titleOf(feature) {
  const p = feature.properties;
  const name = p.name || String(feature.id);
  return data.collection === "parcels" && p.seq !== undefined ? `${p.seq}. ${name}` : name;
}

/** A popup naming the feature, with a link to its own page (built from text nodes: no HTML
 * from the data is ever parsed). */
function popupOf(feature) {
  const box = document.createElement("div");
  const title = document.createElement("strong");
  title.textContent = titleOf(feature);
  box.appendChild(title);
  const href = data.links[String(feature.id)];
  if (href && href !== location.href) {
    const link = document.createElement("a");
    link.href = href;
    link.textContent = data.strings.open_item;
    box.append(document.createElement("br"), link);
  }
  return box;
}

function draw() {
  const map = L.map(container, { scrollWheelZoom: false, maxZoom: 20 });
  map.attributionControl.setPrefix(false);
  L.control.scale({ imperial: false }).addTo(map);
  const layer = L.geoJSON(data.features, {
    style,
    pointToLayer: (feature, latlng) =>
      L.circleMarker(latlng, { ...REFERENCE_STYLES.address, ...style(feature), radius: 5 }),
    onEachFeature: (feature, featureLayer) => {
      featureLayer.bindTooltip(titleOf(feature), { sticky: true });
      featureLayer.bindPopup(() => popupOf(feature));
    },
  }).addTo(map);
  let bounds = layer.getBounds();
  if (data.extent) {
    const [west, south, east, north] = data.extent;
    const box = L.latLngBounds([south, west], [north, east]);
    L.rectangle(box, { color: "#0b5cad", weight: 2, fill: false, dashArray: "6 4" }).addTo(map);
    bounds = bounds.isValid() ? bounds.extend(box) : box;
  }
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 18 });
  else map.setView([35, 105], 4); // nothing to show: China
  container.dataset.features = String(layer.getLayers().length);
}

draw();
