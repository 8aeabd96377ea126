// What each exercise's picture shows, as small pose descriptions: a body seen
// from the side on a mat, joints at absolute angles (0° points right, 90° up),
// the back in two parts (lower back, then chest) so a crunch can curl the
// upper back alone; the knee rolls seen from the feet end instead. Each pose
// has its text alternative, and each rep step says whether it rises, stays or
// returns, so the player can move the figure with its phases (phaseMotion).
// poses.js turns a pose into shapes, pose-svg.js puts them in the page.
import { t } from "../lib/i18n.js";

/** @typedef {import("#types").Figure} Figure @typedef {import("#types").SidePose} SidePose */

// Lying on the back, head to the left, arms along the body.
const BACK = { hip: [122, 86], torso: 180, chest: 180, arm: [-4, 0], arm2: [-4, 0], leg: [0, 0], leg2: [0, 0] };
const KNEES_BENT = { leg: [55, -62], leg2: [57, -60] };
// Face down on a pillow, arms stretched beyond the head.
const PRONE = { hip: [120, 84], torso: 181, chest: 181, arm: [184, 180], arm2: [183, 179], leg: [1, 0], leg2: [1, 0] };
const FOURS = { hip: [132, 62], torso: 180, chest: 180, arm: [-90, -90], arm2: [-88, -88], leg: [-90, 0], leg2: [-88, 2] };

/** Each exercise: its poses, what each rep step does with them, and text alternatives.
 * @type {Record<string, Figure>} */
export const FIGURES = {
  "knees-to-chest": {
    props: [],
    start: { ...BACK, alt: t("Lying on the back on the mat, legs stretched out.") },
    end: { ...BACK, arm: [58, 8], arm2: [60, 10], leg: [122, -8], leg2: [124, -6],
      alt: t("Both knees drawn up to the chest, hands holding them.") },
    steps: ["rise", "still", "still", "return"],
  },
  "knee-rolls": {
    props: [],
    start: { view: "feet", roll: 0, alt: t("Lying on the back, knees bent, feet and shoulders flat on the mat.") },
    end: { view: "feet", roll: 70,
      alt: t("Both knees lowered together to one side; feet and shoulders stay on the mat.") },
    steps: ["still", "rise", "return"],
  },
  "straight-leg-raise": {
    props: [],
    start: { ...BACK, leg: [0, 0], leg2: [57, -60], alt: t("Lying on the back, one knee bent with the foot on the mat, the other leg straight.") },
    end: { ...BACK, leg: [42, 42], leg2: [57, -60], moving: ["leg"],
      alt: t("The straight leg raised, knee kept straight, the other foot still on the mat.") },
    steps: ["still", "rise", "still", "return"],
  },
  "upper-ab-crunch": {
    props: [],
    start: { ...BACK, ...KNEES_BENT, arm: [152, -40], arm2: [150, -42],
      alt: t("Lying on the back, knees bent, hands behind the head.") },
    // Only the chest curls up (25°); the lower back and the hips stay down.
    end: { ...BACK, ...KNEES_BENT, chest: 155, arm: [127, -65], arm2: [125, -67],
      alt: t("Chest and shoulders lifted a little towards the knees, neck in line with the back.") },
    steps: ["rise", "still", "return"],
  },
  "opposite-arm-leg-lift": {
    props: ["pillow"],
    start: { ...PRONE, alt: t("Lying face down, a pillow under the stomach, arms stretched beyond the head.") },
    end: { ...PRONE, arm: [166, 166], leg2: [13, 13], moving: ["arm", "leg2"],
      alt: t("One arm and the opposite leg lifted a little, the body still on the mat.") },
    steps: ["rise", "still", "return"],
  },
};

/** The variations that change the picture.
 * @type {Record<string, Omit<Figure, "steps">>} */
export const VARIATIONS = {
  "straight-leg-raise/with-band": {
    props: ["band"],
    start: { .../** @type {SidePose} */ (FIGURES["straight-leg-raise"].start), arm: [52, 15], arm2: [54, 17],
      alt: t("Lying on the back, a band around the foot of the straight leg, its ends in both hands.") },
    end: { .../** @type {SidePose} */ (FIGURES["straight-leg-raise"].end), arm: [62, 30], arm2: [64, 32],
      alt: t("The straight leg raised with the band's help, knee straight.") },
  },
  "opposite-arm-leg-lift/all-fours": {
    props: [],
    start: { ...FOURS, alt: t("On all fours: hands under the shoulders, knees under the hips, back flat.") },
    end: { ...FOURS, arm: [178, 180], leg2: [0, 0], moving: ["arm", "leg2"],
      alt: t("One arm reaching forward and the opposite leg back, both in line with the back.") },
  },
};

/** @param {string} exerciseId @param {string | null} [variationId] @returns {Figure | null} */
export function figureFor(exerciseId, variationId = null) {
  const base = FIGURES[exerciseId];
  if (!base) return null;
  const variation = variationId ? VARIATIONS[`${exerciseId}/${variationId}`] : null;
  return variation ? { ...base, ...variation } : base;
}

/** The text alternative of a moving figure: where it starts, then where it ends.
 * @param {Figure} figure */
export function both(figure) {
  return t("{start} Then: {end}", { start: figure.start.alt, end: figure.end.alt });
}

/**
 * Where the figure is during a phase of the player, as fractions of the way
 * from the start pose (0) to the end pose (1): from `from` to `to` over the
 * phase. Rep steps rise, stay or return as the figure says; a hold stays at
 * the end pose; everything else is the start pose.
 * @param {Pick<Figure, "steps">} figure @param {import("#types").Phase} phase
 * @returns {import("#types").Motion} */
export function phaseMotion(figure, phase) {
  if (phase.kind === "hold") return { from: 1, to: 1 };
  if (phase.kind !== "move" || phase.step === undefined) return { from: 0, to: 0 };
  let at = 0;
  for (const motion of figure.steps.slice(0, phase.step)) {
    if (motion === "rise") at = 1;
    if (motion === "return") at = 0;
  }
  const motion = figure.steps[phase.step];
  if (motion === "rise") return { from: 0, to: 1 };
  if (motion === "return") return { from: 1, to: 0 };
  return { from: at, to: at };
}
