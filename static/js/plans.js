/* zhengshou map page: the plan picker.
 *
 * Several plans, from several cities, may share the service. The picker at the top of the side
 * panel lists /api/v1/plans by title and region; the chosen plan scopes the list, the totals
 * and the parcels drawn (main.js wires the change), and the map zooms to it: to the extent of
 * its located parcels, or, when none of them has a shape, to its region's centre at a county's
 * zoom, with a message saying so. The choice is kept in the page URL (`?plan=CODE`), so a link
 * opens the same plan; without one, the Jiaxing plan (JX2022) stays the default.
 *
 * With one plan only, the picker is shown but disabled: it still says which plan and region the
 * page shows, and the panel does not change its layout when a second plan is loaded.
 */
import { addStrings, t } from "./i18n.js";
import { map } from "./map.js";
import { $, esc, getJSON, state, toDisplayLatLng } from "./state.js";

const DEFAULT_PLAN = "JX2022";
// A district or county (some 30-60 km across) fills the map at about this zoom.
const COUNTY_ZOOM = 11;
// Where no plan says where it is: the middle of China, as far out as the map goes.
const CHINA = { lon: 105, lat: 35, zoom: 8 };
// Room for the zoom/layer buttons (top left) and the legend (bottom right), as for the parcels.
const FIT = { paddingTopLeft: [60, 30], paddingBottomRight: [250, 30], animate: false };

addStrings({
  zh: {
    planPicker: "征收计划",
    planOnlyOne: "数据库中只有这一个征收计划",
    planApproval: "批复文号 {n}",
    planNoneLocated: "该计划的 {n} 宗地块均尚未落图：地图显示其所在地区（{region}）的中心。",
    planNoneLocatedNoRegion: "该计划的 {n} 宗地块均尚未落图，也未载明所在地区的位置：地图未移动。",
    planNoParcels: "该计划尚无地块。",
    planUnknown: "链接中的计划 {code} 不存在，现显示 {title}。",
    pageTitlePlan: "征收地块地图 · {title}",
    regionCentre: "{region}（地区中心）",
  },
  en: {
    planPicker: "Plan",
    planOnlyOne: "This is the only plan in the database",
    planApproval: "approval {n}",
    planNoneLocated:
      "None of this plan's {n} parcels is located yet: the map shows the centre of its region ({region}).",
    planNoneLocatedNoRegion:
      "None of this plan's {n} parcels is located yet, and its region has no position: the map did not move.",
    planNoParcels: "This plan has no parcels yet.",
    planUnknown: "The plan {code} in the link does not exist; showing {title}.",
    pageTitlePlan: "Parcel map · {title}",
    regionCentre: "{region} (centre of the region)",
  },
});

let unknownAsked = null; // a ?plan= code that names no plan, said once on the page
let regionMarker = null; // the region's centre, when the map shows it in place of parcels

/** Load the plans and choose one: the URL's, else JX2022, else the first. */
export async function loadPlans() {
  const answer = await getJSON("/api/v1/plans");
  state.plans = answer.plans || [];
  const asked = new URLSearchParams(location.search).get("plan");
  const known = (code) => state.plans.some((plan) => plan.code === code);
  unknownAsked = asked && !known(asked) ? asked : null;
  if (known(asked)) state.planCode = asked;
  else if (known(DEFAULT_PLAN)) state.planCode = DEFAULT_PLAN;
  else state.planCode = state.plans.length ? state.plans[0].code : null;
}

export const selectedPlan = () => state.plans.find((plan) => plan.code === state.planCode) || null;

/** 浙江省杭州市上城区: the region's names, each once (a municipality repeats its name). */
export function regionLabel(plan) {
  const region = (plan && plan.region) || {};
  const names = [region.province, region.city, region.county].filter(Boolean);
  return names.filter((name, i) => names.indexOf(name) === i).join("");
}

function optionText(plan) {
  const region = regionLabel(plan);
  return region ? `${plan.title}（${region}）` : plan.title;
}

function detailsText(plan) {
  return [
    regionLabel(plan),
    plan.issuer,
    plan.document_number,
    plan.approval_number ? t("planApproval", { n: plan.approval_number }) : null,
    plan.published_on,
  ]
    .filter(Boolean)
    .join(" · ");
}

/** Why the map is where it is, when the plan cannot show its parcels; "" otherwise. */
function messageText(plan) {
  if (unknownAsked) return t("planUnknown", { code: unknownAsked, title: plan ? plan.title : "—" });
  if (!plan) return "";
  const { total, located } = plan.parcels;
  if (located) return "";
  if (!total) return t("planNoParcels");
  const region = regionLabel(plan);
  return hasRegionCentre(plan)
    ? t("planNoneLocated", { n: total, region: region || "—" })
    : t("planNoneLocatedNoRegion", { n: total });
}

/** The picker, the plan's details and message, and (with several plans) the page's title. */
export function renderPicker() {
  const select = $("plan-select");
  const plan = selectedPlan();
  select.innerHTML = state.plans
    .map((p) => `<option value="${esc(p.code)}">${esc(optionText(p))}</option>`)
    .join("");
  if (plan) select.value = plan.code;
  select.disabled = state.plans.length < 2;
  select.title = select.disabled ? t("planOnlyOne") : plan ? optionText(plan) : "";
  $("plan-details").textContent = plan ? detailsText(plan) : "";
  const message = messageText(plan);
  $("plan-message").textContent = message;
  $("plan-message").hidden = !message;
  if (regionMarker) regionMarker.setTooltipContent(regionTooltip(plan));
  // One plan: the page keeps its own title (translated). Several: the chosen plan's.
  if (plan && state.plans.length > 1) {
    $("page-title").textContent = plan.title;
    document.title = t("pageTitlePlan", { title: plan.title });
  }
}

/** A choice in the picker: remembered in the URL, then `onChange` redraws for the plan. */
export function bindPicker(onChange) {
  $("plan-select").addEventListener("change", (event) => {
    state.planCode = event.target.value;
    unknownAsked = null;
    const url = new URL(location.href);
    url.searchParams.set("plan", state.planCode);
    // Replaced, not pushed: the back button leaves the page as before, with no state to restore.
    history.replaceState(null, "", url);
    onChange();
  });
}

const hasRegionCentre = (plan) =>
  Boolean(plan && plan.region) &&
  Number.isFinite(plan.region.longitude) &&
  Number.isFinite(plan.region.latitude);

function hasView() {
  try {
    map.getCenter();
    return true;
  } catch (_) {
    return false; // Leaflet: "Set map center and zoom first."
  }
}

const regionTooltip = (plan) => t("regionCentre", { region: regionLabel(plan) || plan.code });

/** Zoom to the chosen plan: its located parcels, else its region's centre. Says which. */
export function zoomToPlan() {
  const plan = selectedPlan();
  if (regionMarker) regionMarker.remove();
  regionMarker = null;
  if (plan && plan.bbox) {
    const [west, south, east, north] = plan.bbox;
    map.fitBounds(L.latLngBounds([toDisplayLatLng(west, south), toDisplayLatLng(east, north)]), FIT);
    return "bbox";
  }
  if (hasRegionCentre(plan)) {
    const centre = toDisplayLatLng(plan.region.longitude, plan.region.latitude);
    map.setView(centre, COUNTY_ZOOM, { animate: false });
    // A mark where the map is centred, so that an empty map still says where it is.
    regionMarker = L.circleMarker(centre, {
      radius: 6,
      color: "#7a4d00",
      weight: 2,
      fillColor: "#fff4d6",
      fillOpacity: 1,
      interactive: false,
    })
      .bindTooltip(regionTooltip(plan), {
        permanent: true,
        direction: "right",
        offset: [8, 0],
        className: "region-label",
      })
      .addTo(map);
    return "region";
  }
  // Nowhere to go: stay, or at start-up (the map needs a view) show China.
  if (!hasView()) map.setView(toDisplayLatLng(CHINA.lon, CHINA.lat), CHINA.zoom, { animate: false });
  return "none";
}
