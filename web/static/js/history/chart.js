// @ts-check
// A small line chart of pain before and after each session, drawn as SVG with
// DOM calls, with the numbers in a table beside it for anyone who cannot see it.
import { locale, tn } from "../lib/i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 320;
const HEIGHT = 160;
const PAD = { left: 28, right: 10, top: 10, bottom: 22 };

/**
 * @param {string} name
 * @param {Record<string, string | number>} [attributes]
 * @param {(Node | string)[]} children
 */
function node(name, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  element.append(...children);
  return element;
}

/**
 * @typedef {{when: string, before: number | null, after: number | null}} PainPoint
 * @typedef {"before" | "after"} PainKey
 */

/**
 * The last `count` session records with a pain rating, as points oldest first
 * (records given oldest first).
 * @param {{data: import("#types").SessionData}[]} records
 * @param {number} [count]
 * @returns {PainPoint[]}
 */
export function painSeries(records, count = 14) {
  return records
    .filter((s) => s.data.pain_before !== null || s.data.pain_after !== null)
    .slice(-count)
    .map((s) => ({ when: s.data.started_at, before: s.data.pain_before, after: s.data.pain_after }));
}

/**
 * @param {PainPoint[]} points
 * @param {PainKey} key
 * @param {(i: number) => number} x
 * @param {(pain: number) => number} y
 */
function line(points, key, x, y) {
  const d = points
    .map((p, i) => (p[key] === null ? null : `${x(i)},${y(/** @type {number} */ (p[key]))}`))
    .filter(Boolean)
    .join(" ");
  return node("polyline", { points: d, class: `chart-${key}` });
}

/** Draw the chart of `points` ({when, before, after}, oldest first) into
 * `figure`; hide it when there is too little to show.
 * @param {HTMLElement} figure
 * @param {PainPoint[]} points
 */
export function drawPainChart(figure, points) {
  figure.hidden = points.length < 2;
  if (figure.hidden) return;
  /** @param {number} i */
  const x = (i) => PAD.left + (i * (WIDTH - PAD.left - PAD.right)) / Math.max(1, points.length - 1);
  /** @param {number} pain */
  const y = (pain) => PAD.top + ((10 - pain) * (HEIGHT - PAD.top - PAD.bottom)) / 10;
  const afters = points.map((p) => p.after).filter((v) => v !== null);
  const summary = afters.length >= 2
    ? tn(points.length, "Pain after your last {n} session went from {from} to {to}.",
      "Pain after your last {n} sessions went from {from} to {to}.",
      { from: afters[0], to: afters[afters.length - 1] })
    : tn(points.length, "Pain before your last {n} session, 0 to 10.",
      "Pain before your last {n} sessions, 0 to 10.");
  const grid = [0, 5, 10].flatMap((pain) => [
    node("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(pain), y2: y(pain), class: "chart-grid" }),
    node("text", { x: PAD.left - 8, y: y(pain) + 4, "text-anchor": "end", class: "chart-label" },
      String(pain)),
  ]);
  const dots = points.flatMap((p, i) => /** @type {PainKey[]} */ (["before", "after"])
    .filter((key) => p[key] !== null)
    .map((key) => node("circle", { cx: x(i), cy: y(/** @type {number} */ (p[key])), r: 3.5,
      class: `chart-${key}-dot` })));
  const svg = node("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img",
    "aria-label": summary, class: "chart" },
  ...grid, line(points, "before", x, y), line(points, "after", x, y), ...dots);
  // The figure (templates/_pain.html) has all of these.
  const caption = /** @type {HTMLElement} */ (figure.querySelector("figcaption"));
  /** @type {Element} */ (figure.querySelector("[data-chart-svg]")).replaceChildren(svg);
  /** @type {Element} */ (caption.querySelector("[data-chart-summary]")).textContent = summary;
  const day = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  /** @type {Element} */ (figure.querySelector("[data-chart-rows]")).replaceChildren(...points.map((p) => {
    const row = document.createElement("tr");
    for (const text of [day.format(new Date(p.when)), p.before ?? "–", p.after ?? "–"]) {
      const cell = document.createElement("td");
      cell.textContent = String(text);
      row.append(cell);
    }
    return row;
  }));
}
