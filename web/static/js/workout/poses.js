// @ts-check
// Line drawings of every exercise, from the pose descriptions of figures.js
// (DOM-free): a pose between two others is the angles in between, joints come
// from the angles and the limbs' lengths, and a pose becomes shapes, as
// [tag, attributes], for the page (pose-svg.js) or for a stored picture
// (cardSvg). The knee rolls are seen from the feet end (and a little from the
// side), where knees tipping sideways are plain to see. Colours come from
// currentColor, so the drawings follow light and dark mode.
import { both } from "./figures.js";

/** @typedef {import("#types").Figure} Figure @typedef {import("#types").Pose} Pose */
/** @typedef {import("#types").Shape} Shape @typedef {import("#types").Side} Side */
/** @typedef {number[]} Point @typedef {Point[]} Line @typedef {Record<string, number | number[]>} Angles */
/** @typedef {{view: "feet", head: Point, shoulders: [Point, Point], hips: [Point, Point], arm: Line, arm2: Line,
 *   leg: Line, leg2: Line}} FeetJoints */
/** @typedef {{view?: undefined, hip: Point, spine: Line, shoulder: Point, head: Point, arm: Line, arm2: Line,
 *   leg: Line, leg2: Line}} SideJoints */

const LENGTH = { back: 20, chest: 24, neck: 5, head: 7, upper: 17, fore: 15, thigh: 26, shin: 24 };
const FLOOR = 91; // the top of the mat

/** @type {(a: number, b: number, at: number) => number} */
const mix = (a, b, at) => a + (b - a) * at;

const KEYS = ["torso", "chest", "hip", "arm", "arm2", "leg", "leg2", "roll"];

/** The pose a fraction `at` of the way from `from` to `to`.
 * @param {Pose} from @param {Pose} to @param {number} at @returns {Pose} */
export function between(from, to, at) {
  /** @type {Record<string, unknown>} */
  const pose = from.view ? { view: from.view } : {};
  // The same keys in both, each a number or a list of them (the pose's angles).
  const [f, g] = /** @type {Angles[]} */ (/** @type {unknown} */ ([from, to]));
  for (const key of KEYS.filter((k) => k in from)) {
    const a = f[key];
    const b = g[key];
    pose[key] = Array.isArray(a) ? a.map((v, i) => mix(v, /** @type {number[]} */ (b)[i], at))
      : mix(a, /** @type {number} */ (b), at);
  }
  return /** @type {Pose} */ (pose);
}

/** @param {Point} point @param {number} degrees @param {number} length @returns {Point} */
function along([x, y], degrees, length) {
  const r = (degrees * Math.PI) / 180;
  return [x + Math.cos(r) * length, y - Math.sin(r) * length];
}

/** @param {Point} start @param {number[]} angles @param {number} first @param {number} second */
function limb(start, [a, b], first, second) {
  const joint = along(start, a, first);
  return [start, joint, along(joint, b, second)];
}

// The knee rolls seen from the feet end, turned 40° so the head lies to the
// left as in the other drawings, and 26° from above, so the bent knees show as
// two peaks: x across the mat (to the viewer's right), y up from it, z along it
// from the feet to the head. One side's points; the other side mirrors them.
const FEET = { shoulder: [17, 5, 70], elbow: [27, 3, 60], hand: [35, 3, 50],
  hip: [7, 5, 26], knee: [9, 34, 12], foot: [11, 3, 0] };
const MAT = [[-25, 0, -3], [25, 0, -3], [25, 0, 94], [-25, 0, 94]];

const YAW = (-40 * Math.PI) / 180;

/** Where a point of the mat's space is drawn (`mirror`: seen from the other side).
 * @param {Point} point @param {boolean} [mirror] @returns {Point} */
function project([x, y, z], mirror = false) {
  const [c, s] = [Math.cos(YAW), Math.sin(YAW)];
  const across = x * c + z * s;
  const depth = z * c - x * s;
  const scale = 1.15 * (1 - depth * 0.003); // farther away is smaller
  const at = 126 + across * scale;
  return [mirror ? 200 - at : at, 89.5 - (y * 0.9 + depth * 0.44) * 1.15];
}

/** `point` turned about the body's long axis, `degrees` towards the viewer's right.
 * @param {Point} point @param {number} degrees */
function turn([x, y, z], degrees) {
  const r = (degrees * Math.PI) / 180;
  const h = y - 5;
  return [x * Math.cos(r) + h * Math.sin(r), 5 - x * Math.sin(r) + h * Math.cos(r), z];
}

/** Joints seen from the feet: `leg` and `arm` on the viewer's left (right if
 * `mirror`). The knees tip `roll` degrees away from the viewer, to the right
 * (left if `mirror`), the pelvis turns a little with them, shoulders and feet
 * stay where they are.
 * @param {number} roll @param {boolean} mirror @returns {FeetJoints} */
function feetJoints(roll, mirror) {
  const sides = [-1, 1].map((sign) => {
    /** @param {keyof typeof FEET} name */
    const at = (name, degrees = 0) => {
      const [x, y, z] = FEET[name];
      return project(turn([x * sign, y, z], degrees), mirror);
    };
    const hip = at("hip", roll * 0.3);
    return { shoulder: at("shoulder"), arm: [at("shoulder"), at("elbow"), at("hand")],
      hip, leg: [hip, at("knee", roll), at("foot")] };
  });
  const [left, right] = sides;
  return { view: "feet", head: project([0, 8, 82], mirror), shoulders: [left.shoulder, right.shoulder],
    hips: [left.hip, right.hip], arm: left.arm, arm2: right.arm, leg: left.leg, leg2: right.leg };
}

/** Joint positions of a pose (on `side`, for a pose seen from the feet).
 * @param {Pose} pose @param {Side | null} [side] @returns {FeetJoints | SideJoints} */
function joints(pose, side = null) {
  // The knees tip away from the viewer, where they show best: to the right,
  // and on side "left" the whole view turns round so they go to the left.
  if (pose.view === "feet") return feetJoints(pose.roll, side === "left");
  const hip = pose.hip;
  const waist = along(hip, pose.torso, LENGTH.back);
  // The chest bends half way at its middle, so a curl is a curve.
  const middle = along(waist, (pose.torso + pose.chest) / 2, LENGTH.chest / 2);
  const shoulder = along(middle, pose.chest, LENGTH.chest / 2);
  return {
    hip, spine: [hip, waist, middle, shoulder], shoulder,
    head: along(shoulder, pose.chest, LENGTH.neck + LENGTH.head),
    arm: limb(shoulder, pose.arm, LENGTH.upper, LENGTH.fore),
    arm2: limb(shoulder, pose.arm2, LENGTH.upper, LENGTH.fore),
    leg: limb(hip, pose.leg, LENGTH.thigh, LENGTH.shin),
    leg2: limb(hip, pose.leg2, LENGTH.thigh, LENGTH.shin),
  };
}

/** @param {number} n */
const round = (n) => Math.round(n * 10) / 10;
/** @param {Line} points */
const path = (points) => `M${points.map(([x, y]) => `${round(x)} ${round(y)}`).join(" L")}`;

/**
 * The shapes of a body in `pose`, as [tag, attributes] (DOM-free). Limbs on the
 * far side of the body are drawn lighter; on the other side of an exercise the
 * moving limbs change places with their partners, so the picture shows which
 * side works (seen from the feet, the knees tip to one side or the other).
 * @param {Figure} figure @param {Pose} pose @param {Side | null} [side] @returns {Shape[]}
 */
export function bodyShapes(figure, pose, side = null) {
  const j = joints(pose, side);
  if (j.view === "feet") return feetShapes(j);
  const far = new Set(["arm2", "leg2"]);
  const moving = figure.end.moving ?? [];
  if (side === "right") {
    for (const name of moving) {
      const partner = name.endsWith("2") ? name.slice(0, -1) : `${name}2`;
      for (const limbName of [name, partner]) {
        if (far.has(limbName)) far.delete(limbName); else far.add(limbName);
      }
    }
  }
  /** @type {Shape[]} */
  const shapes = [
    .../** @type {const} */ (["arm2", "leg2", "arm", "leg"]).map(/** @returns {Shape} */ (name) => ["path",
      { d: path(j[name]), class: far.has(name) ? "pose-far" : "pose-near" }]),
    ["path", { d: path(j.spine), class: "pose-torso" }],
    ["circle", { cx: round(j.head[0]), cy: round(j.head[1]), r: LENGTH.head, class: "pose-head" }],
  ];
  if (figure.props.includes("band")) {
    const [fx, fy] = j.leg[2];
    const [hx, hy] = j.arm[2];
    shapes.push(["path", { class: "pose-band",
      d: `M${round(hx)} ${round(hy)} Q${round(fx + 8)} ${round(fy - 6)} ${round(fx)} ${round(fy)}` }]);
  }
  return shapes;
}

/** The body seen from the feet: arms, shoulders, pelvis and spine, the head,
 * then the legs, the one the knees tip towards (`leg2`) underneath.
 * @param {FeetJoints} j @returns {Shape[]} */
function feetShapes(j) {
  /** @type {(a: Point, b: Point) => Point} */
  const middle = (a, b) => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  return [
    .../** @type {const} */ (["arm", "arm2"]).map(/** @returns {Shape} */ (name) => ["path",
      { d: path(j[name]), class: "pose-far" }]),
    ["path", { class: "pose-torso", d: `${path(j.shoulders)} ${path(j.hips)} `
      + path([middle(...j.shoulders), middle(...j.hips)]) }],
    ["circle", { cx: round(j.head[0]), cy: round(j.head[1]), r: LENGTH.head, class: "pose-head" }],
    .../** @type {const} */ (["leg2", "leg"]).map(/** @returns {Shape} */ (name) => ["path",
      { d: path(j[name]), class: "pose-near" }]),
  ];
}

/** The mat and any props under the body.
 * @param {Figure} figure @param {Side | null} [side] @returns {Shape[]} */
export function groundShapes(figure, side = null) {
  if (figure.start.view === "feet") {
    const points = MAT.map((p) => project(p, side === "left"))
      .map(([x, y]) => `${round(x)},${round(y)}`).join(" ");
    return [["polygon", { points, class: "pose-mat" }]];
  }
  /** @type {Shape[]} */
  const shapes = [["rect", { x: 4, y: FLOOR, width: 192, height: 5, rx: 2.5, class: "pose-mat" }]];
  if (figure.props.includes("pillow")) {
    shapes.push(["ellipse", { cx: 104, cy: FLOOR - 3, rx: 15, ry: 4.5, class: "pose-pillow" }]);
  }
  return shapes;
}

export const VIEW_BOX = "0 38 200 62";
// For the pictures stored as files (the home page's cards): colours of their
// own, since a picture in an <img> cannot follow the page's.
const CARD_STYLE = ".pose-near,.pose-far,.pose-torso,.pose-head,.pose-band,.pose-pillow"
  + "{fill:none;stroke:#1f3b36;stroke-linecap:round;stroke-linejoin:round}"
  + ".pose-near,.pose-far{stroke-width:5}.pose-far{opacity:.4}.pose-torso{stroke-width:7}"
  + ".pose-head{stroke-width:3;fill:#e6f2ef}.pose-mat{fill:#9cc9bf}polygon.pose-mat{fill:#c2ded7}"
  + ".pose-pillow{stroke-width:2;stroke-dasharray:3 2}.pose-band{stroke-width:1.5;stroke-dasharray:4 2}"
  + ".pose-ghost{opacity:.3}";

/** @param {unknown} text */
const escape = (text) => String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
/** @param {Shape} shape */
const markup = ([tag, attributes]) => `<${tag} ${Object.entries(attributes)
  .map(([k, v]) => `${k}="${escape(v)}"`).join(" ")}/>`;

/** A standalone SVG file of an exercise: the start pose faint, the end pose over it.
 * @param {Figure} figure */
export function cardSvg(figure) {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${VIEW_BOX}" width="240" height="74">`
    + `<title>${escape(both(figure))}</title>`
    + `<style>${CARD_STYLE}</style><rect x="0" y="38" width="200" height="62" rx="8" fill="#e6f2ef"/>`
    + groundShapes(figure).map(markup).join("")
    + `<g class="pose-ghost">${bodyShapes(figure, figure.start).map(markup).join("")}</g>`
    + `<g>${bodyShapes(figure, figure.end).map(markup).join("")}</g></svg>\n`;
}
