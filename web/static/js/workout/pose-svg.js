// The exercise drawings in the page: an SVG made once per figure, its body
// redrawn for each pose (poses.js gives the shapes), and the still start and
// end pictures of the exercise pages.
import { figureFor } from "./figures.js";
import { bodyShapes, groundShapes, VIEW_BOX } from "./poses.js";

/** @typedef {import("#types").Figure} Figure @typedef {import("#types").Shape} Shape */

const SVG = "http://www.w3.org/2000/svg";

/** @param {string} name @param {Shape[1]} attributes */
function node(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

/** @param {Element} svg @param {string} selector @param {Shape[]} shapes */
const fill = (svg, selector, shapes) => /** @type {Element} */ (svg.querySelector(selector))
  .replaceChildren(...shapes.map(([tag, attributes]) => node(tag, attributes)));

/** Draw `pose` into `svg` (made once by makeFigure).
 * @param {Element} svg @param {Figure} figure @param {import("#types").Pose} pose
 * @param {{side?: import("#types").Side | null}} [options] */
export function drawPose(svg, figure, pose, { side = null } = {}) {
  fill(svg, "[data-ground]", groundShapes(figure, side)); // seen from the feet, it turns with the side
  fill(svg, "[data-body]", bodyShapes(figure, pose, side));
}

/** A new, empty figure: the mat and any props, the body drawn by drawPose.
 * @param {Figure} figure @param {string} label */
export function makeFigure(figure, label) {
  const svg = node("svg", { viewBox: VIEW_BOX, role: "img", class: "pose", "aria-label": label });
  svg.append(node("g", { "data-ground": "" }), node("g", { "data-body": "" }));
  fill(svg, "[data-ground]", groundShapes(figure));
  return svg;
}

/** A still drawing of one pose ("start" or "end"), with its text alternative.
 * @param {Figure} figure @param {"start" | "end"} which */
function stillFigure(figure, which) {
  const svg = makeFigure(figure, figure[which].alt);
  drawPose(svg, figure, figure[which]);
  svg.dataset.pose = which;
  return svg;
}

/** Fill every [data-poses] box of a page with its start and end drawings.
 * @param {ParentNode} root */
export function fillPoses(root) {
  for (const box of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll("[data-poses]"))) {
    const figure = figureFor(String(box.dataset.poses), box.dataset.variation ?? null);
    if (!figure) continue;
    for (const which of /** @type {const} */ (["start", "end"])) {
      /** @type {Element} */ (box.querySelector(`[data-pose-box="${which}"]`)).replaceChildren(stillFigure(figure, which));
    }
  }
}
