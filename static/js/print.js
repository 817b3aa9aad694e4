/* zhengshou map page: printed maps (附图).
 *
 * Owns the 打印 button of a parcel's popup (printButtonHtml, which popup.js puts in its
 * actions), the 打印地图 button beside the plan picker, and the small dialog that chooses the
 * paper (A4/A3), the orientation and the format (PDF/PNG). The service draws the map
 * (GET /api/v1/parcels/{id}/map.pdf|png, /api/v1/plans/{code}/map.pdf|png); the page only
 * opens it: a PDF in a new tab, a PNG as a download. The last choices are remembered.
 */
import { addStrings, onLangChange, t } from "./i18n.js";
import { esc, state } from "./state.js";

const CHOICES_KEY = "zhengshou.print";
const DEFAULTS = { paper: "A4", orientation: "portrait", format: "pdf" };

addStrings({
  zh: {
    printButton: "打印",
    printPlanButton: "打印地图",
    printPlanTitle: "打印计划地图：{title}",
    printParcelTitle: "打印地块附图：{name}",
    printPaper: "纸张",
    printOrientation: "方向",
    printPortrait: "纵向",
    printLandscape: "横向",
    printFormat: "格式",
    printPdf: "PDF（矢量，可打印）",
    printPng: "PNG 图片",
    printHelp: "按标准比例尺（1:500–1:10000）在服务器上绘制，含红线、四至、比例尺、指北针和地块信息表。",
    printGo: "打印",
    printCancel: "取消",
  },
  en: {
    printButton: "Print",
    printPlanButton: "Print map",
    printPlanTitle: "Print the plan's map: {title}",
    printParcelTitle: "Print the parcel's map: {name}",
    printPaper: "Paper",
    printOrientation: "Orientation",
    printPortrait: "Portrait",
    printLandscape: "Landscape",
    printFormat: "Format",
    printPdf: "PDF (vector, for printing)",
    printPng: "PNG image",
    printHelp:
      "Drawn by the service to a standard scale (1:500 to 1:10000), with the red line, the four boundaries, a scale bar, a north arrow and the parcel's table.",
    printGo: "Print",
    printCancel: "Cancel",
  },
});

let dialog = null;
let target = null; // {kind: "parcel" | "plan", id}

/** The 打印 button of a parcel's popup. */
export const printButtonHtml = (id) =>
  `<button type="button" class="button" data-print="${esc(id)}">${esc(t("printButton"))}</button>`;

function remembered() {
  try {
    return { ...DEFAULTS, ...JSON.parse(localStorage.getItem(CHOICES_KEY) || "{}") };
  } catch (_) {
    return { ...DEFAULTS };
  }
}

function remember(choices) {
  try {
    localStorage.setItem(CHOICES_KEY, JSON.stringify(choices));
  } catch (_) {
    /* not remembered; printed all the same */
  }
}

/** The map's address on the service for a target and the dialog's choices. */
export function mapUrl(what, choices) {
  const collection = what.kind === "plan" ? "plans" : "parcels";
  const query = new URLSearchParams({
    paper: choices.paper,
    orientation: choices.orientation,
    lang: state.lang,
  });
  return `/api/v1/${collection}/${encodeURIComponent(what.id)}/map.${choices.format}?${query}`;
}

const radio = (name, value, key) =>
  `<label><input type="radio" name="${name}" value="${value}"> <span data-i18n="${key}"></span></label>`;

function build() {
  dialog = document.createElement("dialog");
  dialog.id = "print-dialog";
  dialog.className = "print-dialog";
  dialog.setAttribute("aria-labelledby", "print-title");
  dialog.innerHTML = `
    <form method="dialog" class="print-form">
      <h2 id="print-title"></h2>
      <p class="print-help" data-i18n="printHelp"></p>
      <fieldset><legend data-i18n="printPaper"></legend>
        <label><input type="radio" name="paper" value="A4"> A4</label>
        <label><input type="radio" name="paper" value="A3"> A3</label></fieldset>
      <fieldset><legend data-i18n="printOrientation"></legend>
        ${radio("orientation", "portrait", "printPortrait")}
        ${radio("orientation", "landscape", "printLandscape")}</fieldset>
      <fieldset><legend data-i18n="printFormat"></legend>
        ${radio("format", "pdf", "printPdf")}
        ${radio("format", "png", "printPng")}</fieldset>
      <div class="print-actions">
        <button type="submit" class="button primary" value="print" data-i18n="printGo"></button>
        <button type="submit" class="button" value="cancel" data-i18n="printCancel"></button>
      </div>
    </form>`;
  document.body.append(dialog);
  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "print" && target) openMap(target, chosen());
  });
}

function chosen() {
  const value = (name) => dialog.querySelector(`input[name="${name}"]:checked`).value;
  return { paper: value("paper"), orientation: value("orientation"), format: value("format") };
}

/** Open the map: a PDF in a new tab (the browser's viewer prints it), a PNG as a download. */
function openMap(what, choices) {
  remember(choices);
  const link = document.createElement("a");
  link.href = mapUrl(what, choices);
  link.target = "_blank";
  link.rel = "noopener";
  if (choices.format === "png") link.download = `${what.id}-map.png`;
  document.body.append(link);
  link.click();
  link.remove();
}

function titleText() {
  if (!target) return "";
  if (target.kind === "plan") {
    const plan = state.plans.find((p) => p.code === target.id);
    return t("printPlanTitle", { title: plan ? plan.title : target.id });
  }
  const feature = state.byId.get(target.id);
  return t("printParcelTitle", { name: feature ? feature.properties.name : target.id });
}

function translate() {
  dialog.querySelectorAll("[data-i18n]").forEach((node) => (node.textContent = t(node.dataset.i18n)));
  dialog.querySelector("#print-title").textContent = titleText();
  const planButton = document.getElementById("print-plan");
  if (planButton) planButton.textContent = t("printPlanButton");
}

/** Show the dialog for a parcel ({kind: "parcel", id}) or a plan ({kind: "plan", id: code}). */
export function openDialog(what) {
  target = what;
  const choices = remembered();
  for (const [name, value] of Object.entries(choices)) {
    const input = dialog.querySelector(`input[name="${name}"][value="${value}"]`);
    if (input) input.checked = true;
  }
  translate();
  dialog.returnValue = "";
  dialog.showModal();
}

/** The dialog, the plan's button beside the picker, and the popups' buttons (by delegation). */
export function initPrint() {
  build();
  const planButton = document.createElement("button");
  planButton.type = "button";
  planButton.id = "print-plan";
  planButton.className = "button print-plan";
  planButton.addEventListener("click", () => {
    if (state.planCode) openDialog({ kind: "plan", id: state.planCode });
  });
  document.querySelector(".plan-picker").append(planButton);
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-print]");
    if (button) openDialog({ kind: "parcel", id: button.dataset.print });
  });
  translate();
  onLangChange(translate);
}
