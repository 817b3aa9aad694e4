/* zhengshou: how features are painted, shared by the map page (map.js, tiles.js) and the OGC
 * API's HTML pages (ogc-map.js), so that a parcel or a road looks the same on both.
 *
 * The colours of blocks and stages are not here: the service decides them (GET /api/v1/styles,
 * geo/parcels/styles.py). Imports nothing.
 */

/** A parcel's outline and fill, in its block's (or stage's) colour. */
export const PARCEL_STYLE = { weight: 2, opacity: 1, fillOpacity: 0.38 };

/** The reference layer's features by kind. */
export const REFERENCE_STYLES = {
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
