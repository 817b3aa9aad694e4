/* zhengshou map page: a parcel's popup on the map.
 *
 * Owns the popup's options and HTML (the parcel's facts, its area check, the documents row
 * from documents.js, the stage row and the 阶段与时间线 section from stages.js, the history
 * button, which history.js listens for, and for an editor the 绘制范围/修改范围 button, which
 * draw.js listens for) and where a popup is anchored. Used by the GeoJSON parcel layers (map.js) and by tile mode (tiles.js).
 */
import * as documents from "./documents.js";
import { drawButtonHtml } from "./draw.js";
import { t } from "./i18n.js";
import { printButtonHtml } from "./print.js";
import { stageCell, stageSectionHtml } from "./stages.js";
import { esc, fmtMetres, fmtMu, fmtPct, state } from "./state.js";

export const popupOptions = (id) => ({ maxWidth: 360, minWidth: 260, parcelId: id });

const isStated = (value) => value !== null && value !== undefined && value !== "";

/** A field as HTML; one the notice does not state (null) says 未载明, never "null" or nothing. */
export function stated(value, html = esc(value)) {
  return isStated(value) ? html : `<span class="unstated">${esc(t("unstated"))}</span>`;
}

export function popupHtml(id) {
  const p = state.byId.get(id).properties;
  const check = state.checks.get(id);
  let checkCell = "–";
  if (check && check.status === "not_located") {
    checkCell = `<span class="badge">${esc(t("checkNotLocated"))}</span>`;
  } else if (check) {
    const status = check.status === "ok" ? t("checkOk") : t("checkFail");
    checkCell = `<span class="badge ${check.status === "ok" ? "ok" : "fail"}">${esc(
      t("checkLine", { status, pct: fmtPct(check.difference_pct), tol: state.tolerance }),
    )}</span>`;
  }
  const warning =
    ["schematic", "digitized", "drawn"].includes(p.geometry_source)
      ? `<p class="geometry-warning">${esc(t(`warn_${p.geometry_source}`))}</p>`
      : "";
  const rows = [
    ["fSeq", esc(p.seq)],
    ["fName", `<strong>${esc(p.name)}</strong>`],
    ["fBlock", stated(p.block)],
    ["fBoundary", stated(p.boundary_text)],
    ["fDeclared", stated(p.declared_area_mu, `${fmtMu(p.declared_area_mu)} ${esc(t("mu"))}`)],
    [
      "fMeasured",
      p.measured_area_m2 === null
        ? esc(t("notLocated"))
        : `${fmtMu(p.measured_area_mu)} ${esc(t("mu"))} (${fmtMetres(p.measured_area_m2)} m²)`,
    ],
    ["fCheck", checkCell],
    ["fInterest", stated(p.interest_type)],
    ["fUnit", stated(p.implementing_unit)],
    ["fApproval", p.approval_reference ? esc(p.approval_reference) : "—"],
    ["fStage", stageCell(p)],
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
      ${stageSectionHtml(id)}
      <div class="popup-actions">
        <button type="button" class="button" data-history="${esc(id)}">${esc(t("popupHistory"))}</button>
        ${drawButtonHtml(id)}
        ${printButtonHtml(id)}
      </div>
    </div>`;
}

/** Anchor a popup on the parcel's north edge, so that it does not hide the parcel. */
export const popupAnchor = (bounds) => L.latLng(bounds.getNorth(), bounds.getCenter().lng);
