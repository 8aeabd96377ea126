// The guided workout on /workout: the plan, the player and the summary wired
// to the page. The pacing lives in pacing.js, the plan in plan.js, the player
// in player.js and what it shows in player-view.js.
import * as pacing from "./pacing.js";
import { routineUrl } from "../lib/i18n.js";
import { PlanView } from "./plan.js";
import { get } from "../lib/db.js";
import { loadSettings } from "../settings/settings-store.js";
import { planningPace } from "./voice-pace.js";
import { Player } from "./player.js";
import { View } from "./player-view.js";
import { startWhenSafe } from "../safety/safety-check.js";

/** @param {HTMLElement} root /workout's main (templates/workout.html) */
export async function startWorkoutPage(root) {
  const view = new View(root);
  const [routine, settings, saved] = await Promise.all([
    fetch(routineUrl).then((r) => /** @type {Promise<import("#types").Routine>} */ (r.json())), loadSettings(), get("meta", pacing.PROGRESS_KEY),
  ]);
  const player = new Player(view, routine, settings);
  const pace = await planningPace(settings);
  const plan = new PlanView(root, routine, () => {
    view.showDuration(pacing.totalMs(pacing.buildTimeline(routine, settings.tempo, plan.current(), pace)));
  });
  // The plan is for the next workout: a running or ended one never waits for it.
  const planned = plan.refresh().catch((error) => console.warn("Could not work out the plan:", error));
  view.on("start", async (form) => {
    await planned;
    player.start(readPain(form, "pain_before"), plan.current(), pace);
  });
  view.on("resume", () => player.resume());
  view.on("end-saved", () => player.end());
  view.on("pause", () => player.togglePause());
  view.on("stage", () => player.togglePause());
  view.on("previous", () => player.step(pacing.previous));
  view.on("next", () => player.step(pacing.next));
  view.on("skip", () => player.skip());
  view.on("hurts", () => player.hurts());
  view.on("easier", () => player.easier());
  view.on("end", () => player.end());
  view.on("save", (form) => player.save(readPain(form, "pain_after"),
    /** @type {HTMLTextAreaElement} */ (form.elements.namedItem("notes")).value,
    readRatings(form)));
  view.on("again", async () => {
    // A new session starts blank: no pain rating, note or feeling from the last one.
    view.resetForms();
    view.hideStart();
    await plan.refresh();
    view.show("prepare");
    // A session that ended with much pain asks the safety questions again.
    await startWhenSafe(root, () => view.ready());
  });
  const safe = startWhenSafe(root, () => view.ready());
  if (saved?.status === "running") player.offerResume(saved);
  else if (saved?.status === "finished") player.load(saved).finish();
  else view.show("prepare");
  await Promise.all([planned, safe]);
}

/** The per-exercise "How did it feel?" answers: {exerciseId: rating}.
 * @param {HTMLFormElement} form @returns {Record<string, import("#types").Rating>} */
function readRatings(form) {
  return Object.fromEntries([.../** @type {Iterable<HTMLSelectElement>} */ (form.elements)]
    .filter((element) => element.dataset.rating && element.value)
    .map((element) => [element.dataset.rating, element.value]));
}

/** @param {HTMLFormElement} form @param {string} name */
function readPain(form, name) {
  const value = /** @type {RadioNodeList} */ (form.elements.namedItem(name)).value; // 0 to 10, or ""
  return value === "" ? null : Number(value);
}
