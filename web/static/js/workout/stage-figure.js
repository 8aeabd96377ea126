// The figure on the player's stage (figures.js says what it is, poses.js and
// pose-svg.js draw it).
import { both as bothPoses, figureFor } from "./figures.js";
import { between } from "./poses.js";
import { drawPose, makeFigure } from "./pose-svg.js";

/** The stage's figure: moves between its poses in step with the player's own
 * phase times (re-anchored at every tick, so it never drifts), still while
 * paused, and without motion when the user asks for reduced motion. */
export class StageFigure {
  constructor(box) {
    this.box = box;
    this.key = null;
    this.frame = null;
    this.reduced = matchMedia("(prefers-reduced-motion: reduce)");
  }

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

  at(elapsedMs) {
    const { from, to, ms } = this.anchor;
    return from + (to - from) * Math.min(1, Math.max(0, ms ? elapsedMs / ms : 1));
  }

  tick() {
    this.frame = null;
    if (this.still) return;
    this.draw(this.at(performance.now() - this.anchor.start));
    this.frame = requestAnimationFrame(() => this.tick());
  }

  draw(at) {
    drawPose(this.svg, this.figure, between(this.figure.start, this.figure.end, at), { side: this.side });
    this.svg.dataset.t = at.toFixed(2);
    this.svg.dataset.pose = at === 0 ? "start" : at === 1 ? "end" : "between";
    this.svg.dataset.side = this.side ?? "";
  }
}
