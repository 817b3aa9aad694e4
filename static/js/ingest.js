/* zhengshou map page: 导入公告 (ingest a notice), for editors.
 *
 * Owns the 导入公告 button and its dialog: choose a notice file (text, web page, Word, PDF,
 * Excel, CSV), read it with POST /api/v1/plans/ingest?dry_run (nothing is written), show the
 * plan's and every parcel's fields in editable cells with where each came from and the
 * warnings highlighted, and commit with the cells the editor changed sent as corrections. The
 * server keeps what the notice printed beside each correction. The button is shown to editors
 * only (auth.js canEdit()): an account signed in on the page writes with its session, and the
 * token field is shown only to a browser writing with a stored bearer token (scripts, tests).
 */
import { addStrings, onLangChange, t } from "./i18n.js";
import { TOKEN_KEY, canEdit, currentUser, noteRefusal, onAuthChange, writeHeaders } from "./auth.js";
import { apiFetch, esc } from "./state.js";

addStrings({
  zh: {
    ingestButton: "导入公告",
    ingestTitle: "导入征收公告",
    ingestHelp: "选择公告文件（文本、网页、Word、PDF、Excel 或 CSV）。先读取核对，改正读错的单元格后再提交；读取不会写入任何数据。",
    ingestToken: "编辑令牌",
    ingestTokenHelp: "由管理员用 zhengshou token create --role editor 生成；只保存在本次浏览器会话中。",
    ingestFile: "公告文件",
    ingestCode: "计划代码（可不填）",
    ingestRead: "读取",
    ingestCommit: "提交入库",
    ingestClose: "关闭",
    ingestReading: "正在读取…",
    ingestWriting: "正在写入…",
    ingestPlan: "公告信息",
    ingestParcels: "地块（{n} 宗）",
    ingestWarnings: "提示（{n} 条）",
    ingestNoWarnings: "没有提示。",
    ingestRegion: "所属地区",
    ingestRegionNone: "未能识别（不会按参考图层自动落图）",
    ingestLayout: "版式：{layout}；格式：{format}",
    ingestProposed: "将写入计划：{title}（代码 {code}，{year} 年）",
    layout_table: "表格",
    "layout_flattened-table": "拆成逐行的表格",
    layout_paragraphs: "每段一个地块",
    "layout_single-parcel": "单个地块公告",
    ingestWhere: "出处：{where}",
    ingestCorrected: "已改 {n} 处",
    ingestDone: "已写入：新增 {i} 宗，更新 {u} 宗，未变 {k} 宗；其中 {n} 宗待落图。",
    ingestShow: "在地图上查看",
    ingestNeedFile: "请先选择公告文件。",
    ingestNeedToken: "请填写编辑令牌。",
    ingestFailed: "未能完成：{m}",
    pTitle: "标题",
    pDocumentType: "公告类型",
    pIssuer: "发布机关",
    pDocumentNumber: "文号",
    pApprovalNumber: "批复文号",
    pPublishedOn: "发布日期",
    cSeq: "序号",
    cName: "名称",
    cPlace: "位置",
    cBoundary: "四至",
    cArea: "面积",
    cPurpose: "公共利益类型",
    cImplementer: "实施单位",
    cRemarks: "备注",
  },
  en: {
    ingestButton: "Import notice",
    ingestTitle: "Import an expropriation notice",
    ingestHelp: "Choose a notice file (text, web page, Word, PDF, Excel or CSV). Read it first, correct any cell read wrongly, then commit; reading writes nothing.",
    ingestToken: "Editor token",
    ingestTokenHelp: "Made by an administrator with zhengshou token create --role editor; kept for this browser session only.",
    ingestFile: "Notice file",
    ingestCode: "Plan code (optional)",
    ingestRead: "Read",
    ingestCommit: "Commit",
    ingestClose: "Close",
    ingestReading: "Reading…",
    ingestWriting: "Writing…",
    ingestPlan: "The notice",
    ingestParcels: "Parcels ({n})",
    ingestWarnings: "Warnings ({n})",
    ingestNoWarnings: "No warnings.",
    ingestRegion: "Region",
    ingestRegionNone: "not recognised (parcels will not be placed from the reference layer)",
    ingestLayout: "Layout: {layout}; format: {format}",
    ingestProposed: "Will write the plan: {title} (code {code}, {year})",
    layout_table: "table",
    "layout_flattened-table": "table flattened to lines",
    layout_paragraphs: "one paragraph per parcel",
    "layout_single-parcel": "single-parcel announcement",
    ingestWhere: "From: {where}",
    ingestCorrected: "{n} corrected",
    ingestDone: "Written: {i} new, {u} updated, {k} unchanged; {n} not located yet.",
    ingestShow: "Show on the map",
    ingestNeedFile: "Choose a notice file first.",
    ingestNeedToken: "Enter an editor token.",
    ingestFailed: "Could not finish: {m}",
    pTitle: "Title",
    pDocumentType: "Type",
    pIssuer: "Issuer",
    pDocumentNumber: "Document number",
    pApprovalNumber: "Approval number",
    pPublishedOn: "Published on",
    cSeq: "No.",
    cName: "Name",
    cPlace: "Place",
    cBoundary: "Four boundaries",
    cArea: "Area",
    cPurpose: "Public interest",
    cImplementer: "Implementer",
    cRemarks: "Remarks",
  },
});

const PARCEL_FIELDS = [
  ["seq", "cSeq", "序号"],
  ["name", "cName", "名称"],
  ["place", "cPlace", "位置"],
  ["boundary", "cBoundary", "四至"],
  ["area", "cArea", "面积"],
  ["purpose", "cPurpose", "公共利益类型"],
  ["implementer", "cImplementer", "实施单位"],
  ["remarks", "cRemarks", "备注"],
];
const PLAN_FIELDS = [
  ["title", "pTitle"],
  ["document_type", "pDocumentType"],
  ["issuer", "pIssuer"],
  ["document_number", "pDocumentNumber"],
  ["approval_number", "pApprovalNumber"],
  ["published_on", "pPublishedOn"],
];

let dialog;
let review = null; // the last dry-run answer

function el(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
}

/** A field's cell: an input holding the text as read, its source in the tooltip. The
 * document type shows its normalised name (征收计划), not the title line it was read from. */
function cell(kind, name, found, flagged, parcel) {
  const text = found ? (name === "document_type" ? found.value : found.text).trim() : "";
  const where = found ? t("ingestWhere", { where: found.where }) : "";
  const wide = name === "boundary" || name === "title";
  const control = wide ? "textarea" : "input";
  const attrs = `data-kind="${kind}" data-field="${name}" data-parcel="${parcel ?? ""}"`;
  const original = `data-original="${esc(text)}"`;
  const cls = flagged ? ' class="ingest-flagged"' : "";
  return wide
    ? `<${control} ${attrs} ${original}${cls} title="${esc(where)}" rows="2">${esc(text)}</${control}>`
    : `<${control} ${attrs} ${original}${cls} title="${esc(where)}" value="${esc(text)}">`;
}

function renderReview() {
  const body = dialog.querySelector(".ingest-review");
  if (!review) {
    body.innerHTML = "";
    return;
  }
  const plan = review.plan;
  const region = review.region;
  const regionText = region
    ? [region.province, region.city, region.county].filter(Boolean).join("") + ` (${region.adcode})`
    : t("ingestRegionNone");
  const planRows = PLAN_FIELDS.map(
    ([name, label]) =>
      `<tr><th>${esc(t(label))}</th><td>${cell("plan", name, name === "approval_number" ? (plan.approval_numbers || [])[0] : plan[name], false, null)}</td></tr>`,
  ).join("");
  const proposed = review.proposed_plan || {};
  const head = PARCEL_FIELDS.map(([, label]) => `<th>${esc(t(label))}</th>`).join("");
  const rows = review.parcels
    .map((parcel, index) => {
      const warnings = parcel.warnings || [];
      const cells = PARCEL_FIELDS.map(([name, , word]) => {
        const flagged = warnings.some((w) => w.includes(word));
        return `<td>${cell("parcel", name, parcel[name], flagged, index)}</td>`;
      }).join("");
      return `<tr class="${warnings.length ? "ingest-warned" : ""}">${cells}</tr>`;
    })
    .join("");
  const warnings = review.warnings || [];
  body.innerHTML = `
    <p class="ingest-meta">${esc(t("ingestLayout", { layout: review.layout ? t(`layout_${review.layout}`) : "–", format: review.format }))}</p>
    <p class="ingest-meta ingest-proposed">${esc(t("ingestProposed", { title: proposed.title || "–", code: proposed.code || "–", year: proposed.year || "–" }))}</p>
    <h3>${esc(t("ingestPlan"))}</h3>
    <table class="ingest-plan"><tbody>${planRows}
      <tr><th>${esc(t("ingestRegion"))}</th><td class="ingest-region">${esc(regionText)}</td></tr>
    </tbody></table>
    <h3>${esc(t("ingestParcels", { n: review.parcels.length }))} <span class="ingest-corrected"></span></h3>
    <div class="ingest-table-wrap"><table class="ingest-parcels"><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>
    <h3>${esc(t("ingestWarnings", { n: warnings.length }))}</h3>
    ${warnings.length ? `<ul class="ingest-warnings">${warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul>` : `<p>${esc(t("ingestNoWarnings"))}</p>`}`;
  countCorrections();
}

/** The cells the editor changed, as the API's corrections. */
function corrections() {
  return [...dialog.querySelectorAll(".ingest-review [data-field]")]
    .filter((input) => input.value.trim() !== input.dataset.original)
    .map((input) => {
      const correction = { field: input.dataset.field, text: input.value };
      if (input.dataset.kind === "parcel") correction.parcel = Number(input.dataset.parcel);
      return correction;
    });
}

function countCorrections() {
  const shown = dialog.querySelector(".ingest-corrected");
  const n = corrections().length;
  if (shown) shown.textContent = n ? t("ingestCorrected", { n }) : "";
  dialog.querySelectorAll(".ingest-review [data-field]").forEach((input) => {
    input.classList.toggle("ingest-changed", input.value.trim() !== input.dataset.original);
  });
}

function status(message, isError = false) {
  const line = dialog.querySelector(".ingest-status");
  line.textContent = message;
  line.classList.toggle("ingest-error", isError);
}

async function send(dryRun) {
  const file = dialog.querySelector("#ingest-file").files[0];
  if (!file) return status(t("ingestNeedFile"), true);
  if (!bySession()) {
    const token = dialog.querySelector("#ingest-token").value.trim();
    if (!token) return status(t("ingestNeedToken"), true);
    sessionStorage.setItem(TOKEN_KEY, token);
  }
  const form = new FormData();
  form.append("file", file);
  form.append("dry_run", dryRun ? "true" : "false");
  const code = dialog.querySelector("#ingest-code").value.trim();
  if (code) form.append("code", code);
  if (!dryRun) form.append("corrections", JSON.stringify(corrections()));
  status(t(dryRun ? "ingestReading" : "ingestWriting"));
  dialog.querySelectorAll("button").forEach((b) => (b.disabled = true));
  try {
    const response = await apiFetch("/api/v1/plans/ingest", {
      method: "POST",
      headers: writeHeaders(),
      body: form,
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      noteRefusal(body);
      const message = body.error ? body.error.message : `HTTP ${response.status}`;
      return status(t("ingestFailed", { m: message }), true);
    }
    if (dryRun) {
      review = body;
      renderReview();
      status("");
      dialog.querySelector("#ingest-commit").hidden = false;
    } else {
      const w = body.written;
      status(t("ingestDone", { i: w.inserted, u: w.updated, k: w.unchanged, n: w.not_located }));
      const show = dialog.querySelector("#ingest-show");
      show.hidden = false;
      show.dataset.plan = body.proposed_plan.code;
    }
  } catch (error) {
    status(t("ingestFailed", { m: error.message }), true);
  } finally {
    dialog.querySelectorAll("button").forEach((b) => (b.disabled = false));
  }
}

function build() {
  dialog = el(`
    <dialog id="ingest-dialog" class="ingest-dialog" aria-labelledby="ingest-title">
      <form method="dialog" class="ingest-form">
        <h2 id="ingest-title" data-i18n="ingestTitle"></h2>
        <p class="ingest-help" data-i18n="ingestHelp"></p>
        <div class="ingest-inputs">
          <label class="ingest-token-field"><span data-i18n="ingestToken"></span>
            <input id="ingest-token" type="password" autocomplete="off" data-i18n-title="ingestTokenHelp"></label>
          <label><span data-i18n="ingestFile"></span>
            <input id="ingest-file" type="file" accept=".txt,.htm,.html,.docx,.pdf,.xlsx,.csv"></label>
          <label><span data-i18n="ingestCode"></span>
            <input id="ingest-code" type="text" maxlength="32" pattern="[A-Za-z0-9_-]*"></label>
          <button type="button" id="ingest-read" class="button" data-i18n="ingestRead"></button>
        </div>
        <p class="ingest-status" role="status" aria-live="polite"></p>
        <div class="ingest-review"></div>
        <div class="ingest-actions">
          <button type="button" id="ingest-commit" class="button primary" data-i18n="ingestCommit" hidden></button>
          <button type="button" id="ingest-show" class="button" data-i18n="ingestShow" hidden></button>
          <button type="submit" class="button" data-i18n="ingestClose"></button>
        </div>
      </form>
    </dialog>`);
  document.body.append(dialog);
  dialog.querySelector("#ingest-token").value = sessionStorage.getItem(TOKEN_KEY) || "";
  dialog.querySelector("#ingest-read").addEventListener("click", () => send(true));
  dialog.querySelector("#ingest-commit").addEventListener("click", () => send(false));
  dialog.querySelector("#ingest-show").addEventListener("click", (event) => {
    const url = new URL(window.location.href);
    url.searchParams.set("plan", event.target.dataset.plan);
    window.location.assign(url);
  });
  dialog.querySelector("#ingest-file").addEventListener("change", () => {
    review = null;
    renderReview();
    dialog.querySelector("#ingest-commit").hidden = true;
    dialog.querySelector("#ingest-show").hidden = true;
    status("");
  });
  dialog.addEventListener("input", countCorrections);
}

function translate() {
  dialog.querySelectorAll("[data-i18n]").forEach((node) => (node.textContent = t(node.dataset.i18n)));
  dialog.querySelectorAll("[data-i18n-title]").forEach((node) => (node.title = t(node.dataset.i18nTitle)));
  const button = document.getElementById("ingest-open");
  if (button) button.textContent = t("ingestButton");
  renderReview();
}

function bySession() {
  const user = currentUser();
  return Boolean(user && user.via === "session");
}

/** Editors see the button; an account signed in on the page needs no token field. */
function showForAuth() {
  const button = document.getElementById("ingest-open");
  button.hidden = !canEdit();
  if (button.hidden && dialog.open) dialog.close();
  dialog.querySelector(".ingest-token-field").hidden = bySession();
}

/** Add the 导入公告 button to ``parent`` and the dialog to the page. */
export function initIngest(parent) {
  build();
  const button = el(`<button type="button" id="ingest-open" class="ingest-open" hidden></button>`);
  button.addEventListener("click", () => dialog.showModal());
  parent.append(button);
  translate();
  onLangChange(translate);
  showForAuth();
  onAuthChange(showForAuth);
}
