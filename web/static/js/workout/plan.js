// @ts-check
// "Today's plan" on /workout: each exercise's target from the logs
// (progress.js), why it is what it is, the variations on offer, a calm word
// when pain says to stop, and a reset to the routine's starting counts.
import * as progress from "../progress/progress.js";
import { put } from "../lib/db.js";
import { loadTally, RESET_KEY } from "../progress/progress-store.js";
import { t } from "../lib/i18n.js";

/** @typedef {import("#types").Routine} Routine */
/** @typedef {import("#types").Exercise} Exercise */
/** @typedef {import("#types").Target} Target */
/** @typedef {Record<string, Target>} Derived */

/** The plan's parts of /workout (templates/workout.html): each is there. */
export class PlanView {
  /**
   * @param {HTMLElement} root
   * @param {Routine} routine
   * @param {() => void} onChange called whenever the plan changes
   */
  constructor(root, routine, onChange) {
    this.root = root;
    this.routine = routine;
    this.onChange = onChange;
    /** @type {Record<string, Target>} */
    this.targets = {};
    /** @type {Derived} */
    this.derived = {};
    for (const exercise of routine.exercises) {
      this.part(this.item(exercise.id), "[data-offer]")
        .addEventListener("change", () => this.changed(exercise));
    }
    this.part(root, "[data-action=reset-plan]").addEventListener("click", () => this.reset());
  }

  /**
   * @param {ParentNode} parent
   * @param {string} selector
   */
  part(parent, selector) {
    return /** @type {HTMLElement} */ (parent.querySelector(selector));
  }

  /** @param {string} id */
  item(id) {
    return this.part(this.root, `[data-plan-exercise="${id}"]`);
  }

  /** Work the plan out again from the logs, and show it. */
  async refresh() {
    const { targets, caution } = await derive(this.routine);
    this.derived = targets;
    for (const exercise of this.routine.exercises) {
      const target = targets[exercise.id];
      const offer = /** @type {HTMLInputElement} */ (this.part(this.item(exercise.id), "[data-offer]"));
      // Easing off is ticked for the user; a harder version only ever by their choice.
      offer.checked = target.offer?.direction === "easier";
      this.show(exercise);
    }
    this.showCaution(caution);
    // The plan folds to one row so Start stays in reach; a change on offer is
    // the user's to see and choose, so it opens then (and never shuts by itself).
    const fold = /** @type {HTMLDetailsElement | null} */ (this.root.querySelector("[data-plan-fold]"));
    if (fold && this.routine.exercises.some((e) => targets[e.id].offer)) fold.open = true;
    const moved = this.routine.exercises.some((e) => targets[e.id].reason.kind !== "start"
      && targets[e.id].reason.kind !== "reset");
    this.part(this.root, "[data-action=reset-plan]").hidden = !moved;
    this.onChange();
  }

  /** @param {Exercise} exercise */
  changed(exercise) {
    this.show(exercise);
    this.onChange();
  }

  /** @param {Exercise} exercise */
  show(exercise) {
    const item = this.item(exercise.id);
    const derived = this.derived[exercise.id];
    const label = this.part(item, ".offer");
    const offer = /** @type {HTMLInputElement} */ (this.part(label, "[data-offer]"));
    label.hidden = !derived.offer;
    if (derived.offer) {
      this.part(label, "[data-offer-text]").textContent = offerText(exercise, derived.offer);
    }
    const target = progress.withOffer(derived, exercise, offer.checked);
    this.targets[exercise.id] = target;
    const words = progress.explain(target, exercise);
    if (words !== null) this.part(item, "[data-target]").textContent = words;
  }

  /** @param {import("#types").Caution | null} caution */
  showCaution(caution) {
    const box = this.part(this.root, "[data-caution]");
    box.hidden = !caution;
    if (!caution) return;
    this.part(box, "[data-caution-text]").textContent = caution.reason === "high"
      ? t("Your back hurt a lot after your last session ({pain} out of 10). Take a break from the routine and talk to a doctor or physiotherapist before you go on.", { pain: caution.pain })
      : t("Your back has hurt more after each of your last three sessions. Take a break from the routine and talk to a doctor or physiotherapist before you go on.");
  }

  async reset() {
    await put("meta", new Date().toISOString(), RESET_KEY);
    await this.refresh();
    this.part(this.root, "[data-plan-note]").textContent =
      t("The plan is back to the routine's starting counts.");
  }

  /**
   * What the player runs: {exerciseId: {reps, hold_seconds, variation_id}}.
   * @returns {import("#types").Plan}
   */
  current() {
    return Object.fromEntries(Object.entries(this.targets).map(([id, target]) => [id, forPlayer(target)]));
  }
}

/**
 * Each exercise's target from the logs on this device, and any caution.
 * @param {Routine} routine
 * @returns {Promise<{targets: Derived, caution: import("#types").Caution | null}>}
 */
async function derive(routine) {
  return progress.nextTargets(await loadTally(routine), routine);
}

/** @param {Target} target */
function forPlayer(target) {
  return { reps: target.reps, hold_seconds: target.hold, variation_id: target.variation };
}

/** The plan /workout offers before anything is changed there (easing off taken,
 * a harder version not), for pages that say how long the workout takes.
 * @param {Routine} routine
 * @returns {Promise<import("#types").Plan>}
 */
export async function defaultPlan(routine) {
  const { targets } = await derive(routine);
  return Object.fromEntries(routine.exercises.map((exercise) => {
    const target = targets[exercise.id];
    return [exercise.id,
      forPlayer(progress.withOffer(target, exercise, target.offer?.direction === "easier"))];
  }));
}

/**
 * @param {Exercise} exercise
 * @param {{variation: string | null, direction: string}} offer
 */
function offerText(exercise, offer) {
  if (offer.variation === null) return t("Go back to the usual way (harder)");
  // An offer names one of the exercise's own variations (progress.js).
  const variation = /** @type {import("#types").Variation} */ (
    exercise.variations.find((v) => v.id === offer.variation));
  const name = variation.name.charAt(0).toLowerCase() + variation.name.slice(1);
  return offer.direction === "harder" ? t("Ready for more? Try it {name} (harder)", { name })
    : t("Make it easier: {name}", { name });
}
