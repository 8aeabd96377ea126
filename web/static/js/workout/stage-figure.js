// The figure on the player's stage (figures.js says what it is, poses.js and
// pose-svg.js draw it).
import { both as bothPoses, figureFor } from "./figures.js";
import { between } from "./poses.js";
import { drawPose, makeFigure } from "./pose-svg.js";

/** @typedef {import("#types").Figure} Figure @typedef {import("#types").FigureState} FigureState */
/** @typedef {{from: number, to: number, ms: number, start: number}} Anchor */

/** The stage's figure: moves between its poses in step with the player's own
 * phase times (re-anchored at every tick, so it never drifts), still while
 * paused, and without motion when the user asks for reduced motion. */
export class StageFigure {
  /** @param {Element} box */
  constructor(box) {
    this.box = box;
    /** @type {string | null} */
    this.key = null;
    /** @type {number | null} */
    this.frame = null;
    this.reduced = matchMedia("(prefers-reduced-motion: reduce)");
  }

  /** @param {FigureState} s */
  show(s) {
    const figure = figureFor(s.exerciseId, s.variationId);
    const key = `${s.exerciseId}/${s.variationId}`;
    if (!figure) { this.box.replaceChildren(); this.key = key; return; }
    if (key !== this.key) {
      this.key = key;
      this.svg = makeFigure(figure, bothPoses(figure));
      this.box.replaceChildren(this.svg);
    }
    this.figure = figure;
    this.side = s.side;
    this.anchor = { from: s.from, to: s.to, ms: s.ms, start: performance.now() - s.elapsedMs };
    this.still = s.paused || this.reduced.matches || s.from === s.to;
    if (this.reduced.matches) this.draw(s.to);
    else if (this.still) this.draw(this.at(s.elapsedMs));
    else if (this.frame === null) this.frame = requestAnimationFrame(() => this.tick());
    if (!this.still) this.draw(this.at(s.elapsedMs));
  }

  /** @param {number} elapsedMs */
  at(elapsedMs) {
    const { from, to, ms } = /** @type {Anchor} */ (this.anchor);
    return from + (to - from) * Math.min(1, Math.max(0, ms ? elapsedMs / ms : 1));
  }

  tick() {
    this.frame = null;
    if (this.still) return;
    this.draw(this.at(performance.now() - /** @type {Anchor} */ (this.anchor).start));
    this.frame = requestAnimationFrame(() => this.tick());
  }

  /** @param {number} at */
  draw(at) {
    // Only once show() has made them.
    const svg = /** @type {SVGElement} */ (this.svg);
    const figure = /** @type {Figure} */ (this.figure);
    drawPose(svg, figure, between(figure.start, figure.end, at), { side: this.side });
    svg.dataset.t = at.toFixed(2);
    svg.dataset.pose = at === 0 ? "start" : at === 1 ? "end" : "between";
    svg.dataset.side = this.side ?? "";
  }
}
