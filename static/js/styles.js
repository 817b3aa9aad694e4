/* zhengshou map page: the parcels' colours, as the service gives them.
 *
 * Owns the colours of blocks and stages (GET /api/v1/styles; geo/parcels/styles.py decides
 * them once, for the page in both its modes, the tiles' TileJSON, the OGC pages and the
 * printed maps), what the parcels are coloured by (板块 or 阶段, remembered in localStorage),
 * a parcel's colour, and the legend's entries. A block the page has not heard of (a parcel
 * just edited into a new block) makes it ask the service again, once per block; the
 * listeners registered with onStylesChange then repaint.
 */
import { getJSON, state } from "./state.js";

const COLOUR_BY_KEY = "zhengshou.colourBy";
const MODES = ["block", "stage"];
const NEUTRAL = "#c7c7c7"; // before the styles have loaded; never drawn once they have

let styles = null;
const blockColours = new Map();
const stageColours = new Map();
const asked = new Set(); // blocks the service was asked about again
const listeners = [];
let mode = savedMode();

function savedMode() {
  try {
    const saved = localStorage.getItem(COLOUR_BY_KEY);
    if (MODES.includes(saved)) return saved;
  } catch (_) {
    /* storage may be unavailable: colour by block */
  }
  return "block";
}

/** Load (or reload) the colours from the service. */
export async function loadStyles() {
  styles = await getJSON("/api/v1/styles");
  blockColours.clear();
  stageColours.clear();
  for (const entry of styles.block.entries) blockColours.set(entry.value, entry.colour);
  for (const entry of styles.stage.entries) stageColours.set(entry.value, entry.colour);
}

/** Call `listener` after the colours were reloaded or the colouring changed. */
export function onStylesChange(listener) {
  listeners.push(listener);
}

const changed = () => listeners.forEach((listener) => listener());

function askAgain(block) {
  if (asked.has(block)) return;
  asked.add(block);
  loadStyles().then(changed, () => {
    /* the block keeps the neutral colour until the page is reloaded */
  });
}

/** A block's colour; a block the notice does not state (null, or absent from a tile) is
 * neutral. */
export function blockColour(block) {
  const key = block === undefined ? null : block;
  const colour = blockColours.get(key);
  if (colour) return colour;
  if (key !== null && styles) askAgain(key);
  return styles ? styles.block.unstated.colour : NEUTRAL;
}

/** A parcel's stage, 'planned' until it is moved on. */
export const stageOf = (properties) => properties.stage ?? (styles ? styles.stage.default : "planned");

export const stageColour = (stage) => stageColours.get(stage) || NEUTRAL;

/** The colour a parcel is painted in: its block's or its stage's. */
export function parcelColour(properties) {
  return mode === "stage" ? stageColour(stageOf(properties)) : blockColour(properties.block);
}

export const colourBy = () => mode;

export function setColourBy(next) {
  if (!MODES.includes(next) || next === mode) return;
  mode = next;
  try {
    localStorage.setItem(COLOUR_BY_KEY, mode);
  } catch (_) {
    /* not remembered, still switched */
  }
  changed();
}

/** The blocks of a plan (by code; every plan's for null), as the service lists them. */
export function planBlocks(planCode) {
  if (!styles) return [];
  return styles.block.entries
    .filter((entry) => planCode === null || entry.plans.includes(planCode))
    .map((entry) => entry.value);
}

const label = (entry) => entry.labels[state.lang] ?? entry.label;

/**
 * The legend of what is drawn: a title and {colour, label} entries. By block: `blocks`, in
 * the order given. By stage: the stages in process order, those in `stages` (a Set) when
 * given, else those the service says the plan has.
 */
export function legend({ blocks, stages = null, planCode = null }) {
  if (!styles) return { title: "", entries: [] };
  if (mode === "stage") {
    const shown = (entry) =>
      stages ? stages.has(entry.value) : planCode === null || entry.plans.includes(planCode);
    return {
      title: styles.stage.titles[state.lang],
      entries: styles.stage.entries.filter(shown).map((entry) => ({ colour: entry.colour, label: label(entry) })),
    };
  }
  const byValue = new Map(styles.block.entries.map((entry) => [entry.value, entry]));
  const unstated = { labels: styles.block.unstated.labels, label: "" };
  return {
    title: styles.block.titles[state.lang],
    entries: blocks.map((block) => ({
      colour: blockColour(block),
      label: block === null || block === undefined ? label(unstated) : label(byValue.get(block) || { labels: {}, label: block }),
    })),
  };
}
