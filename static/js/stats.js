/* zhengshou map page: 统计, the chosen plan's summary.
 *
 * Owns the 统计 button (beside the plan picker) and its dialog: GET
 * /api/v1/plans/{code}/summary, asked in the page's language (Accept-Language), shown as one
 * table and one bar chart per grouping (block, implementing company, public-interest type,
 * stage, area check, located or not). The service names the groups (stage names, 未载明);
 * this module only lays them out. The charts are inline SVG drawn here: no library, nothing
 * fetched from outside. The downloads are links to summary.xlsx and summary.csv with the
 * page's language in ?lang= (a link cannot set a header).
 */
import { addStrings, onLangChange, t } from "./i18n.js";
import { apiFetch, esc, fmtMu, state } from "./state.js";
import { blockColour } from "./styles.js";

addStrings({
  zh: {
    statsButton: "统计",
    statsButtonTitle: "当前征收计划的分组统计：地块数与面积，可下载 Excel 或 CSV",
    statsTitle: "统计 · {title}",
    statsLoading: "正在统计…",
    statsFailed: "统计失败：{m}",
    statsNoPlan: "未选择征收计划。",
    statsXlsx: "下载 Excel",
    statsCsv: "下载 CSV",
    statsClose: "关闭",
    statsChart: "图表",
    statsTotals: "共 {n} 宗：已落图 {l} 宗，待落图 {u} 宗；申报面积 {d}，图上量算 {m}。",
    statsMu: "{a} 亩",
    statsUnstated: "另有 {n} 宗未载明面积。",
    statsPublished: "公布总面积 {p}。",
    statsTolerance: "面积核对容差 ±{t}%。",
    statsName: "名称",
    statsParcels: "地块数",
    statsLocated: "已落图",
    statsNotLocated: "待落图",
    statsDeclared: "申报面积（亩）",
    statsMeasured: "图上量算（亩）",
    statsChartFor: "{group}：{metric}",
  },
  en: {
    statsButton: "Summary",
    statsButtonTitle: "The chosen plan grouped: parcels and areas, downloadable as Excel or CSV",
    statsTitle: "Summary · {title}",
    statsLoading: "Counting…",
    statsFailed: "Could not summarise: {m}",
    statsNoPlan: "No plan is chosen.",
    statsXlsx: "Download Excel",
    statsCsv: "Download CSV",
    statsClose: "Close",
    statsChart: "Chart",
    statsTotals: "{n} parcels: {l} located, {u} not located; declared {d}, measured on the map {m}.",
    statsMu: "{a} mu",
    statsUnstated: "{n} more without a stated area.",
    statsPublished: "Published total {p}.",
    statsTolerance: "Area check tolerance ±{t}%.",
    statsName: "Name",
    statsParcels: "Parcels",
    statsLocated: "Located",
    statsNotLocated: "Not located",
    statsDeclared: "Declared (mu)",
    statsMeasured: "Measured (mu)",
    statsChartFor: "{group}: {metric}",
  },
});

// What a chart may show, with its column heading's string.
const METRICS = { parcels: "statsParcels", declared_mu: "statsDeclared", measured_mu: "statsMeasured" };
const COLUMNS = [
  ["parcels", "statsParcels"],
  ["located", "statsLocated"],
  ["not_located", "statsNotLocated"],
  ["declared_mu", "statsDeclared"],
  ["measured_mu", "statsMeasured"],
];
// Verdict colours as the badges use them; other groups in the page's accent colour, blocks in
// the colour the map draws them in.
const VALUE_COLOURS = {
  area_check: { ok: "#1a7f37", fail: "#b42318", not_declared: "#8c959f", not_located: "#d4a72c" },
  location: { located: "#0b5cad", not_located: "#d4a72c" },
};
const ACCENT = "#0b5cad";
const CHART = { width: 440, label: 160, row: 22, bar: 14, valueRoom: 64, fontPx: 12 };

let dialog;
let summary = null; // the last answer, for the chosen plan and language
let failure = null;
let metric = "declared_mu";
let serial = 0; // answers to an older request (another plan, language) are dropped

const acceptLanguage = () => (state.lang === "zh" ? "zh-CN,zh;q=0.9" : "en");
const number = (key, value) => (value === null || value === undefined ? "—" : key.endsWith("_mu") ? fmtMu(value) : String(value));

function el(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
}

function colour(group, row) {
  if (group.key === "block") return row.value !== null ? blockColour(row.value) : ACCENT;
  return (VALUE_COLOURS[group.key] || {})[row.value] || ACCENT;
}

let measure = null; // a canvas context, to measure a label in the chart's font

/** A name too long for the chart's label column is shortened there (the table has it whole):
 * measured in the page's own font, since Chinese and Latin letters differ in width. */
function shortName(label) {
  const room = CHART.label - 12;
  if (!measure) {
    measure = document.createElement("canvas").getContext("2d");
    measure.font = `${CHART.fontPx}px ${getComputedStyle(document.body).fontFamily}`;
  }
  if (measure.measureText(label).width <= room) return label;
  const chars = [...label];
  while (chars.length > 1 && measure.measureText(`${chars.join("")}…`).width > room) chars.pop();
  return `${chars.join("")}…`;
}

/** One grouping's horizontal bar chart, as SVG: a bar per row, scaled to the largest. */
export function barChart(group, key) {
  const values = group.rows.map((row) => Number(row[key]) || 0);
  const largest = Math.max(...values, 0);
  const span = CHART.width - CHART.label - CHART.valueRoom;
  const height = group.rows.length * CHART.row + 4;
  const bars = group.rows
    .map((row, i) => {
      const y = i * CHART.row + 2;
      const width = largest > 0 ? (values[i] / largest) * span : 0;
      const text = number(key, row[key]);
      return `<g class="stats-bar" data-value="${esc(row.value ?? "")}" data-amount="${values[i]}">
        <title>${esc(row.label)}: ${esc(text)}</title>
        <text x="${CHART.label - 6}" y="${y + CHART.bar - 3}" text-anchor="end" class="stats-bar-label">${esc(shortName(row.label))}</text>
        <rect x="${CHART.label}" y="${y}" width="${width.toFixed(2)}" height="${CHART.bar}" fill="${colour(group, row)}"></rect>
        <text x="${CHART.label + width + 4}" y="${y + CHART.bar - 3}" class="stats-bar-value">${esc(text)}</text>
      </g>`;
    })
    .join("");
  const title = t("statsChartFor", { group: group.label, metric: t(METRICS[key]) });
  return `<svg class="stats-chart" role="img" aria-label="${esc(title)}" viewBox="0 0 ${CHART.width} ${height}"
      width="${CHART.width}" height="${height}" data-group="${esc(group.key)}" data-metric="${key}">${bars}</svg>`;
}

function table(group) {
  const head = COLUMNS.map(([, label]) => `<th>${esc(t(label))}</th>`).join("");
  const rows = group.rows
    .map((row) => {
      const cells = COLUMNS.map(([key]) => `<td data-key="${key}">${esc(number(key, row[key]))}</td>`).join("");
      const unstated = row.value === null ? ' class="stats-unstated"' : "";
      return `<tr data-value="${esc(row.value ?? "")}"><th scope="row"${unstated}>${esc(row.label)}</th>${cells}</tr>`;
    })
    .join("");
  return `<div class="stats-table-wrap"><table class="stats-table"><thead><tr><th>${esc(t("statsName"))}</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

const area = (mu) => (mu === null ? "—" : t("statsMu", { a: fmtMu(mu) }));

function totalsText() {
  const totals = summary.totals;
  const parts = [
    t("statsTotals", {
      n: totals.parcels,
      l: totals.located,
      u: totals.not_located,
      d: area(totals.declared_mu),
      m: area(totals.measured_mu),
    }),
  ];
  if (totals.declared_unstated) parts.push(t("statsUnstated", { n: totals.declared_unstated }));
  if (summary.plan.published_total_mu !== null) {
    parts.push(t("statsPublished", { p: area(summary.plan.published_total_mu) }));
  }
  parts.push(t("statsTolerance", { t: summary.tolerance_pct }));
  return parts.join(state.lang === "zh" ? "" : " "); // Chinese sentences end in 。 and no space
}

function downloadHref(extension) {
  const code = encodeURIComponent(state.planCode);
  return `/api/v1/plans/${code}/summary.${extension}?lang=${state.lang === "zh" ? "zh" : "en"}`;
}

function render() {
  if (!dialog) return;
  dialog.querySelectorAll("[data-i18n]").forEach((node) => (node.textContent = t(node.dataset.i18n)));
  const button = document.getElementById("stats-open");
  if (button) {
    button.textContent = t("statsButton");
    button.title = t("statsButtonTitle");
  }
  dialog.querySelector("#stats-metric").innerHTML = Object.entries(METRICS)
    .map(([key, label]) => `<option value="${key}"${key === metric ? " selected" : ""}>${esc(t(label))}</option>`)
    .join("");
  dialog.querySelector("#stats-xlsx").href = downloadHref("xlsx");
  dialog.querySelector("#stats-csv").href = downloadHref("csv");
  const body = dialog.querySelector(".stats-body");
  const status = dialog.querySelector(".stats-status");
  const heading = dialog.querySelector("#stats-title");
  const plan = state.plans.find((p) => p.code === state.planCode);
  heading.textContent = t("statsTitle", { title: (summary && summary.plan.title) || (plan && plan.title) || "—" });
  status.classList.toggle("stats-error", Boolean(failure));
  if (failure) {
    status.textContent = t("statsFailed", { m: failure });
    body.innerHTML = "";
    return;
  }
  if (!summary) {
    status.textContent = state.planCode ? t("statsLoading") : t("statsNoPlan");
    body.innerHTML = "";
    return;
  }
  status.textContent = totalsText();
  body.innerHTML = summary.groups
    .map(
      (group) => `<section class="stats-group" data-group="${esc(group.key)}">
        <h3>${esc(group.label)}</h3>
        <div class="stats-pair">${table(group)}<div class="stats-chart-wrap">${barChart(group, metric)}</div></div>
      </section>`,
    )
    .join("");
}

/** Ask the service for the chosen plan's summary, in the page's language, and show it. */
export async function load() {
  const asked = ++serial;
  summary = null;
  failure = null;
  render();
  if (!state.planCode) return;
  try {
    const response = await apiFetch(`/api/v1/plans/${encodeURIComponent(state.planCode)}/summary`, {
      headers: { Accept: "application/json", "Accept-Language": acceptLanguage() },
    });
    const answer = await response.json().catch(() => null);
    if (asked !== serial) return;
    if (!response.ok) {
      failure = (answer && answer.error && answer.error.message) || `HTTP ${response.status}`;
    } else {
      summary = answer;
    }
  } catch (error) {
    if (asked !== serial) return;
    failure = error.message;
  }
  render();
}

function build() {
  dialog = el(`
    <dialog id="stats-dialog" class="stats-dialog" aria-labelledby="stats-title">
      <form method="dialog">
        <header class="stats-head">
          <h2 id="stats-title"></h2>
          <div class="stats-actions">
            <label class="stats-metric"><span data-i18n="statsChart"></span> <select id="stats-metric"></select></label>
            <a id="stats-xlsx" class="button" download data-i18n="statsXlsx"></a>
            <a id="stats-csv" class="button" download data-i18n="statsCsv"></a>
            <button type="submit" class="button" data-i18n="statsClose"></button>
          </div>
        </header>
        <p class="stats-status" role="status" aria-live="polite"></p>
        <div class="stats-body"></div>
      </form>
    </dialog>`);
  document.body.append(dialog);
  dialog.querySelector("#stats-metric").addEventListener("change", (event) => {
    metric = event.target.value;
    render();
  });
}

/** Add the 统计 button to `parent` and its dialog to the page. */
export function initStats(parent) {
  build();
  const button = el(`<button type="button" id="stats-open" class="button stats-open"></button>`);
  button.addEventListener("click", () => {
    dialog.showModal();
    load();
  });
  parent.append(button);
  render();
  // The service names the groups in the language asked: a switch asks again.
  onLangChange(() => (dialog.open ? load() : render()));
}

/** For the browser tests: the summary shown, if any. */
export const shownSummary = () => summary;
