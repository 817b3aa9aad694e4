/* zhengshou map page: where a parcel stands in the process, in its popup.
 *
 * Owns the popup's 阶段 row (the current stage, since when, agreements signed) and its 阶段与时间线
 * section: the timeline, fetched when the section is opened, from
 * GET /api/v1/parcels/{id}/timeline → {"parcel_id", "stage", "timeline": [{stage, label, date,
 * document, reason, agreements_signed, agreements_total, agreements_share, approval_reference,
 * changed_at, changed_by, change_reason, action, version}]} (oldest first); and, for an editor, a
 * small form that moves the parcel: POST /api/v1/parcels/{id}/stage with If-Match (the version
 * the popup shows) and {stage, date, document, reason, agreements_signed, agreements_total,
 * approval_reference}. The answer {feature, changed, warnings} goes to the page's onSaved hook
 * (main.js: list, map and popup redrawn) after the timeline is read again.
 *
 * Popups are HTML strings rebuilt on every update (a documents list arriving, a language
 * switch, a save): the section's open state, what the planner has typed, the timelines read and
 * the last answer's notes live here, by parcel, and the DOM listens on the document.
 */
import { canEdit, noteRefusal, writeHeaders } from "./auth.js";
import { addStrings, t } from "./i18n.js";
import { esc, state } from "./state.js";

export const STAGES = [
  "planned",
  "pre_notice",
  "risk_assessment",
  "decision",
  "compensation",
  "handed_over",
  "paused",
  "withdrawn",
];
const NEEDS_REASON = new Set(["paused", "withdrawn"]);

addStrings({
  zh: {
    fStage: "阶段",
    stageName_planned: "列入计划",
    stageName_pre_notice: "预公告 / 征收启动公告",
    stageName_risk_assessment: "社会稳定风险评估",
    stageName_decision: "征收决定 / 方案公告",
    stageName_compensation: "补偿安置",
    stageName_handed_over: "交地",
    stageName_paused: "暂缓",
    stageName_withdrawn: "撤销",
    stageSince: "{stage}（{date}）",
    stageAgreements: "已签协议 {signed}/{total}（{pct}%）",
    stageAgreementsCount: "已签协议 {signed} 份",
    stageSection: "阶段与时间线",
    stageLoading: "正在加载时间线…",
    stageError: "时间线加载失败：{m}",
    stageBy: "{who} · {when}",
    stageNoDate: "日期未载明",
    stageDocumentLabel: "文件",
    stageReasonLabel: "原因",
    stageApprovalLabel: "批复文号",
    stageChangeTitle: "变更阶段",
    stageFieldStage: "阶段",
    stageFieldDate: "日期",
    stageFieldDocument: "依据文件",
    stageFieldReason: "原因",
    stageReasonHint: "暂缓、撤销或退回时必填",
    stageFieldSigned: "已签协议",
    stageFieldTotal: "应签协议",
    stageFieldApproval: "批复文号",
    stageSave: "保存阶段",
    stageSaving: "正在保存…",
    stageSaved: "阶段已保存。",
    stageUnchanged: "阶段记录未变，无需保存。",
    stageNeedsReason: "暂缓或撤销须填写原因。",
    stageNeedsDate: "请填写日期。",
    stageConflict: "该地块已被他人修改（现为版本 {v}）：请关闭弹窗后重新打开，再变更阶段。",
    stageRefused: "未保存：{m}",
  },
  en: {
    fStage: "Stage",
    stageName_planned: "planned",
    stageName_pre_notice: "pre-notice / start notice",
    stageName_risk_assessment: "social stability risk assessment",
    stageName_decision: "expropriation decision / plan notice",
    stageName_compensation: "compensation and resettlement",
    stageName_handed_over: "handed over",
    stageName_paused: "paused",
    stageName_withdrawn: "withdrawn",
    stageSince: "{stage} ({date})",
    stageAgreements: "agreements signed {signed}/{total} ({pct}%)",
    stageAgreementsCount: "{signed} agreements signed",
    stageSection: "Stage and timeline",
    stageLoading: "Loading the timeline…",
    stageError: "Could not load the timeline: {m}",
    stageBy: "{who} · {when}",
    stageNoDate: "date not stated",
    stageDocumentLabel: "Document",
    stageReasonLabel: "Reason",
    stageApprovalLabel: "Approval ref.",
    stageChangeTitle: "Change the stage",
    stageFieldStage: "Stage",
    stageFieldDate: "Date",
    stageFieldDocument: "Document",
    stageFieldReason: "Reason",
    stageReasonHint: "needed for paused, withdrawn, or a move back",
    stageFieldSigned: "Signed",
    stageFieldTotal: "Total",
    stageFieldApproval: "Approval ref.",
    stageSave: "Save stage",
    stageSaving: "Saving…",
    stageSaved: "Stage saved.",
    stageUnchanged: "The stage record is unchanged; nothing saved.",
    stageNeedsReason: "Paused or withdrawn needs a reason.",
    stageNeedsDate: "Give the date.",
    stageConflict: "Someone else changed this parcel (now version {v}): close the popup, open it again and redo the change.",
    stageRefused: "Not saved: {m}",
  },
});

const timelines = new Map(); // id -> {status: "loading" | "ok" | "error", steps, error}
const openIds = new Set(); // sections the planner opened (kept open across popup updates)
const notes = new Map(); // id -> {kind: "ok" | "error", text} from the last save
const drafts = new Map(); // id -> {name: value} typed into the form and not saved yet
let onSaved = () => {};

const stageLabel = (code) => (STAGES.includes(code) ? t(`stageName_${code}`) : String(code ?? "—"));
const pad = (n) => String(n).padStart(2, "0");
function fmtTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso ?? "");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

function agreementsText(signed, total) {
  if (signed === null || signed === undefined) return "";
  if (!total) return t("stageAgreementsCount", { signed });
  return t("stageAgreements", { signed, total, pct: Math.round((100 * signed) / total) });
}

/** The popup's 阶段 cell: the stage, since when, and the agreements during compensation. */
export function stageCell(p) {
  if (!p.stage) return "—";
  const name = esc(stageLabel(p.stage));
  const since = p.stage_date ? esc(t("stageSince", { stage: stageLabel(p.stage), date: p.stage_date })) : name;
  const counted = agreementsText(p.agreements_signed, p.agreements_total);
  const more = counted ? `<br><small>${esc(counted)}</small>` : "";
  return `<span class="stage-cell"><span class="stage-badge" data-stage="${esc(p.stage)}">${since}</span>${more}</span>`;
}

function stepHtml(step) {
  const facts = [];
  if (step.document) facts.push([t("stageDocumentLabel"), step.document]);
  if (step.approval_reference && step.stage === "decision") {
    facts.push([t("stageApprovalLabel"), step.approval_reference]);
  }
  if (step.reason) facts.push([t("stageReasonLabel"), step.reason]);
  const counted = agreementsText(step.agreements_signed, step.agreements_total);
  const who = step.changed_at ? t("stageBy", { who: step.changed_by || "—", when: fmtTime(step.changed_at) }) : "";
  return `<li class="stage-step" data-stage="${esc(step.stage)}">
      <div><strong class="stage-step-name">${esc(stageLabel(step.stage))}</strong>
        <span class="stage-step-date">${esc(step.date || t("stageNoDate"))}</span></div>
      ${facts.map(([k, v]) => `<div class="stage-step-fact">${esc(k)}${esc(t("colon"))}${esc(v)}</div>`).join("")}
      ${counted ? `<div class="stage-step-fact">${esc(counted)}</div>` : ""}
      ${who ? `<div class="stage-step-by muted">${esc(who)}</div>` : ""}
    </li>`;
}

function timelineHtml(id) {
  const entry = timelines.get(id);
  if (!entry || entry.status === "loading") return `<p class="muted">${esc(t("stageLoading"))}</p>`;
  if (entry.status === "error") return `<p class="error">${esc(t("stageError", { m: entry.error }))}</p>`;
  return `<ol class="stage-timeline-list">${entry.steps.map(stepHtml).join("")}</ol>`;
}

const FORM_FIELDS = ["stage", "date", "document", "approval_reference", "agreements_signed", "agreements_total", "reason"];

function formHtml(id, p) {
  if (!canEdit()) return "";
  const draft = drafts.get(id) || {};
  const value = (name, fallback = "") => esc(draft[name] ?? fallback);
  const chosen = draft.stage || p.stage;
  const options = STAGES.map(
    (code) => `<option value="${code}"${code === chosen ? " selected" : ""}>${esc(stageLabel(code))}</option>`,
  ).join("");
  const note = notes.get(id);
  // The inputs the chosen stage takes (fitForm keeps them so as the choice changes).
  const hiddenFor = {
    agreements_signed: chosen !== "compensation",
    agreements_total: chosen !== "compensation",
    approval_reference: chosen !== "decision",
  };
  const field = (name, label, input) =>
    `<label class="stage-field" data-field="${name}"${hiddenFor[name] ? " hidden" : ""}>` +
    `<span>${esc(t(label))}</span>${input}</label>`;
  return `<form class="stage-form" data-stage-form="${esc(id)}">
      <div class="stage-form-title">${esc(t("stageChangeTitle"))}</div>
      ${field("stage", "stageFieldStage", `<select name="stage">${options}</select>`)}
      ${field("date", "stageFieldDate", `<input type="date" name="date" value="${value("date", today())}" required>`)}
      ${field("document", "stageFieldDocument", `<input type="text" name="document" maxlength="2000" value="${value("document")}">`)}
      ${field("approval_reference", "stageFieldApproval", `<input type="text" name="approval_reference" maxlength="2000" value="${value("approval_reference", p.approval_reference || "")}">`)}
      ${field("agreements_signed", "stageFieldSigned", `<input type="number" name="agreements_signed" min="0" step="1" value="${value("agreements_signed")}">`)}
      ${field("agreements_total", "stageFieldTotal", `<input type="number" name="agreements_total" min="1" step="1" value="${value("agreements_total")}">`)}
      ${field("reason", "stageFieldReason", `<input type="text" name="reason" maxlength="2000" placeholder="${esc(t("stageReasonHint"))}" value="${value("reason")}"${NEEDS_REASON.has(chosen) ? " required" : ""}>`)}
      <button type="submit" class="button">${esc(t("stageSave"))}</button>
      <p class="stage-note${note ? ` ${note.kind}` : ""}" aria-live="polite">${note ? esc(note.text) : ""}</p>
    </form>`;
}

/** The 阶段与时间线 section of a parcel's popup (or of its 待落图 details). */
export function stageSectionHtml(id) {
  const feature = state.byId.get(id);
  if (!feature) return "";
  const open = openIds.has(id);
  return `<details class="stage-section" data-stage-for="${esc(id)}"${open ? " open" : ""}>
      <summary>${esc(t("stageSection"))}</summary>
      <div class="stage-timeline">${open ? timelineHtml(id) : ""}</div>
      ${formHtml(id, feature.properties)}
    </details>`;
}

/** Show only the inputs the chosen stage takes: agreements for compensation, the 批复文号 for a
 * decision. */
function fitForm(form) {
  const stage = form.elements.stage.value;
  for (const label of form.querySelectorAll(".stage-field")) {
    const name = label.dataset.field;
    if (name === "agreements_signed" || name === "agreements_total") label.hidden = stage !== "compensation";
    if (name === "approval_reference") label.hidden = stage !== "decision";
  }
  form.elements.reason.required = NEEDS_REASON.has(stage);
}

function paint(id) {
  for (const section of document.querySelectorAll(".stage-section")) {
    if (section.dataset.stageFor !== id) continue;
    const box = section.querySelector(".stage-timeline");
    if (box) box.innerHTML = section.open ? timelineHtml(id) : "";
    const form = section.querySelector(".stage-form");
    if (form) fitForm(form);
  }
}

async function loadTimeline(id) {
  timelines.set(id, { ...(timelines.get(id) || {}), status: "loading" });
  paint(id);
  try {
    const response = await fetch(`/api/v1/parcels/${encodeURIComponent(id)}/timeline`, {
      headers: { Accept: "application/json", "Accept-Language": state.lang },
    });
    const body = await response.json();
    if (!response.ok) throw new Error((body.error && body.error.message) || `HTTP ${response.status}`);
    timelines.set(id, { status: "ok", steps: body.timeline || [] });
  } catch (error) {
    timelines.set(id, { status: "error", error: error.message });
  }
  paint(id);
}

function number(value) {
  return value === "" ? null : Number(value);
}

function bodyOf(form) {
  const value = (name) => form.elements[name].value.trim();
  const stage = value("stage");
  const body = {
    stage,
    date: value("date"),
    document: value("document") || null,
    reason: value("reason") || null,
  };
  if (stage === "compensation") {
    body.agreements_signed = number(value("agreements_signed"));
    body.agreements_total = number(value("agreements_total"));
  }
  if (stage === "decision" && value("approval_reference")) body.approval_reference = value("approval_reference");
  return body;
}

function say(form, id, kind, text) {
  notes.set(id, { kind, text });
  const note = form.querySelector(".stage-note");
  note.className = `stage-note ${kind}`;
  note.textContent = text;
}

async function save(form) {
  const id = form.dataset.stageForm;
  const feature = state.byId.get(id);
  const body = bodyOf(form);
  if (!body.date) return say(form, id, "error", t("stageNeedsDate"));
  if (NEEDS_REASON.has(body.stage) && !body.reason) return say(form, id, "error", t("stageNeedsReason"));
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  say(form, id, "busy", t("stageSaving"));
  let response;
  let answer = null;
  try {
    response = await fetch(`/api/v1/parcels/${encodeURIComponent(id)}/stage`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "Accept-Language": state.lang,
        "If-Match": `"${feature.properties.version}"`,
        ...writeHeaders(),
      },
      body: JSON.stringify(body),
    });
    answer = await response.json();
  } catch (error) {
    button.disabled = false;
    return say(form, id, "error", t("stageRefused", { m: error.message }));
  }
  button.disabled = false;
  if (!response.ok) {
    noteRefusal(answer);
    const error = (answer && answer.error) || {};
    const text =
      response.status === 412
        ? t("stageConflict", { v: error.current_version ?? "?" })
        : t("stageRefused", { m: error.message || `HTTP ${response.status}` });
    return say(form, id, "error", text);
  }
  const lines = [t(answer.changed ? "stageSaved" : "stageUnchanged"), ...(answer.warnings || [])];
  notes.set(id, { kind: "ok", text: lines.join(" ") });
  drafts.delete(id);
  openIds.add(id);
  await loadTimeline(id);
  if (answer.changed) await onSaved(answer.feature);
  else paint(id);
}

function remember(form) {
  const draft = {};
  for (const name of FORM_FIELDS) draft[name] = form.elements[name].value;
  drafts.set(form.dataset.stageForm, draft);
}

/** Listen for the sections' toggles, the form's stage choice and its submission. */
export function initStages(hooks) {
  onSaved = hooks.onSaved;
  // `toggle` does not bubble: listen in the capture phase.
  document.addEventListener(
    "toggle",
    (event) => {
      const section = event.target;
      if (!(section instanceof HTMLElement) || !section.classList.contains("stage-section")) return;
      const id = section.dataset.stageFor;
      if (section.open) {
        openIds.add(id);
        const form = section.querySelector(".stage-form");
        if (form) fitForm(form);
        if (!timelines.has(id) || timelines.get(id).status === "error") loadTimeline(id);
        else paint(id);
      } else {
        openIds.delete(id);
      }
    },
    true,
  );
  document.addEventListener("change", (event) => {
    const form = event.target.closest && event.target.closest(".stage-form");
    if (form && event.target.name === "stage") fitForm(form);
    if (form) remember(form);
  });
  document.addEventListener("input", (event) => {
    const form = event.target.closest && event.target.closest(".stage-form");
    if (form) remember(form);
  });
  document.addEventListener("submit", (event) => {
    const form = event.target.closest && event.target.closest(".stage-form");
    if (!form) return;
    event.preventDefault();
    save(form);
  });
}

/** Test hook: the timeline read for a parcel (its steps), or null. */
export const timelineOf = (id) => {
  const entry = timelines.get(id);
  return entry && entry.status === "ok" ? entry.steps.map((step) => ({ ...step })) : null;
};
