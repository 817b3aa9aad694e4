/* zhengshou map page: what the drawing panel (draw.js) says about the shape being drawn.
 *
 * Owns the HTML of the service's answer on the unsaved shape (area against the declared 亩,
 * each side of the 四至, overlaps and other topology findings, in the page's language) and of
 * a save refused because someone else changed the parcel meanwhile.
 */
import { t } from "./i18n.js";
import { esc, fmtMu, fmtPct, state } from "./state.js";

export function conflictHtml({ version, last }) {
  const by = last
    ? `<p>${esc(t("drawConflictBy", { who: last.actor, at: new Date(last.at).toLocaleString(), reason: last.reason }))}</p>`
    : "";
  return `<div class="draw-conflict"><p>${esc(t("drawConflict", { v: version }))}</p>${by}
    <button type="button" class="button" data-draw-action="reload">${esc(t("drawReload"))}</button></div>`;
}

const badge = (status) => `<span class="badge ${status}">${esc(t(`status_${status}`))}</span>`;

export function checksHtml(session) {
  if (!session.layer) return `<p>${esc(t("drawNoShape"))}</p>`;
  if (session.checking && !session.checks) return `<p>${esc(t("drawChecking"))}</p>`;
  const checks = session.checks;
  if (!checks) return "";
  const zh = state.lang !== "en";
  const area = checks.area || {};
  const areaLine =
    area.declared_area_mu === null || area.declared_area_mu === undefined
      ? t("drawAreaUndeclared", { m: fmtMu(area.measured_area_mu) })
      : t("drawArea", { m: fmtMu(area.measured_area_mu), d: fmtMu(area.declared_area_mu), pct: fmtPct(area.difference_pct) });
  const areaStatus = area.status === "ok" || area.status === "fail" ? badge(area.status) : "";
  const sides = (checks.sides || [])
    .map((side) => `<li class="draw-side" data-side="${esc(side.side)}">${badge(side.status)} ${esc(zh ? side.zh : side.en)}</li>`)
    .join("");
  const overlaps = (checks.topology || []).filter((issue) => issue.kind === "overlap");
  const others = (checks.topology || []).filter((issue) => issue.kind !== "overlap");
  const overlapHtml = overlaps.length
    ? overlaps
        .map((o) => {
          const other = o.parcel_ids.find((pid) => pid !== session.id);
          return `<li class="draw-overlap">${badge("fail")} ${esc(t("drawOverlap", { other, a: o.area_m2 }))}</li>`;
        })
        .join("")
    : `<li class="draw-overlap">${badge("ok")} ${esc(t("drawNoOverlap"))}</li>`;
  const otherHtml = others.map((i) => `<li>${badge(i.severity)} ${esc(zh ? i.zh : i.en)}</li>`).join("");
  return `<p class="draw-area" data-status="${esc(area.status)}">${areaStatus} ${esc(areaLine)}</p>
    <ul class="draw-sides">${sides}</ul><ul class="draw-topology">${overlapHtml}${otherHtml}</ul>`;
}
