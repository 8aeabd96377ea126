// @ts-check
// The safety check on /workout (templates/_safety.html): before the first
// workout, every 12 weeks, and after a session that ended with pain of 7 or
// more, Start waits for the answers. A warning sign holds it until the user
// says a health professional has cleared them. The answers are saved in the
// synced settings record (safety.js has the rules).
import { canonicalTime } from "../lib/checks.js";
import { t } from "../lib/i18n.js";
import { SAFETY_SIGNS } from "../lib/rules.js";
import { DAY_MS } from "../progress/days.js";
import { sessionsBetween } from "../lib/sessions.js";
import { loadSettings, saveSettings } from "../settings/settings-store.js";
import { painfulSince, safetyNeed, verdict } from "./safety.js";

/** @typedef {import("#types").SafetyCheck} SafetyCheck */

/** One view per section, asked again after a painful session. @type {WeakMap<HTMLElement, SafetyView>} */
const views = new WeakMap();

/**
 * Call `ready` (which shows Start) once the safety check allows it: at once
 * when it is not due, else when it is answered with no warning sign or cleared.
 * @param {HTMLElement} root /workout's main, with the check's section
 * @param {() => void} ready
 */
export async function startWhenSafe(root, ready) {
  const section = /** @type {HTMLElement} */ (root.querySelector("#safety"));
  const now = Date.now();
  /** @type {SafetyCheck | null | undefined} */
  let safety;
  /** @type {import("./safety.js").Ended[]} */
  let since = [];
  try {
    ({ safety } = await loadSettings());
    // Only the sessions since the last answers: at most 12 weeks of them.
    if (safety) {
      since = (await sessionsBetween(new Date(safety.answered_at), new Date(now + DAY_MS)))
        .flatMap((record) => (record.data ? [record.data] : []));
    }
  } catch (error) {
    // Storage that cannot be read could not keep the answers either: rather than
    // hold Start behind questions it can never save, Start shows.
    console.warn("Could not read the safety check:", error);
    section.hidden = true;
    ready();
    return;
  }
  const need = safetyNeed(safety, since, now);
  if (!need) {
    section.hidden = true;
    ready();
    return;
  }
  const view = views.get(section) ?? new SafetyView(section);
  views.set(section, view);
  view.ready = ready;
  view.ask(need, safety ?? null, safety ? painfulSince(safety, since) : null);
}

class SafetyView {
  /** @param {HTMLElement} section */
  constructor(section) {
    this.section = section;
    /** Shows Start. */
    this.ready = () => {};
    this.form = /** @type {HTMLFormElement} */ (section.querySelector("[data-safety-form]"));
    /** @type {SafetyCheck | null} */
    this.safety = null;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.answer().catch((error) => this.say(String(error)));
    });
    this.button("safety-cleared").addEventListener("click", () => this.cleared().catch((e) => this.say(String(e))));
    this.button("safety-again").addEventListener("click", () => this.showForm());
    this.button("safety-open").addEventListener("click", () => this.showForm());
  }

  /** @param {string} action */
  button(action) {
    return /** @type {HTMLButtonElement} */ (this.section.querySelector(`[data-action="${action}"]`));
  }

  /** @param {string} text */
  say(text) {
    /** @type {HTMLElement} */ (this.section.querySelector("[data-safety-why]")).textContent = text;
  }

  /**
   * @param {"first" | "weeks" | "pain" | "held"} need
   * @param {SafetyCheck | null} safety
   * @param {number | null} pain
   */
  ask(need, safety, pain) {
    this.safety = safety;
    this.section.hidden = false;
    // In Start's room, over the hidden Start (templates/workout.html).
    this.section.parentElement?.classList.add("stacked");
    const why = {
      first: t("Before your first workout, please answer these questions."),
      weeks: t("It has been 12 weeks since you last answered these questions. Please answer them again."),
      pain: t("A recent session ended with pain of {pain} out of 10. Before the next one, please answer these questions again.",
        { pain: pain ?? 0 }),
      held: t("Your last answers showed a warning sign."),
    }[need];
    this.say(why);
    if (need === "held" && safety) {
      this.showVerdict(safety.yes, false);
    } else {
      // The questions open on a tap: a first visit's page keeps still.
      this.hideAll();
      this.button("safety-open").hidden = false;
    }
  }

  /** Hide every part but the heading and the line that says why. */
  hideAll() {
    for (const part of this.section.querySelectorAll("[data-safety-verdict], [data-safety-held], [data-safety-intro], [data-action=safety-open]")) {
      /** @type {HTMLElement} */ (part).hidden = true;
    }
    this.form.hidden = true;
  }

  showForm() {
    this.hideAll();
    this.form.reset();
    this.intro(true);
    this.form.hidden = false;
    /** @type {HTMLElement} */ (this.form.querySelector("input"))?.focus();
  }

  /**
   * @param {readonly string[]} yes
   * @param {boolean} [focus]
   */
  showVerdict(yes, focus = true) {
    const meaning = verdict(yes);
    this.hideAll();
    for (const part of this.section.querySelectorAll("[data-safety-verdict]")) {
      /** @type {HTMLElement} */ (part).hidden = /** @type {HTMLElement} */ (part).dataset.safetyVerdict !== meaning;
    }
    /** @type {HTMLElement} */ (this.section.querySelector("[data-safety-held]")).hidden = false;
    if (!focus) return;
    // The questions are gone: the check is read again from its top, the verdict focused.
    this.section.scrollIntoView({ block: "start" });
    /** @type {HTMLElement | null} */ (this.section.querySelector(`[data-safety-verdict="${meaning}"] h3`))
      ?.focus({ preventScroll: true });
  }

  async answer() {
    const { elements } = this.form;
    const yes = SAFETY_SIGNS.filter((sign) => /** @type {RadioNodeList} */ (elements.namedItem(sign)).value === "yes");
    const safety = { answered_at: canonicalTime(Date.now()), yes, cleared_at: null };
    await saveSettings({ safety });
    this.safety = safety;
    if (verdict(yes) === "clear") {
      this.pass();
    } else {
      this.say(t("Your answers show a warning sign."));
      this.showVerdict(yes);
    }
  }

  async cleared() {
    if (!this.safety) return;
    await saveSettings({ safety: { ...this.safety, cleared_at: canonicalTime(Date.now()) } });
    this.pass();
  }

  /** @param {boolean} shown */
  intro(shown) {
    /** @type {HTMLElement} */ (this.section.querySelector("[data-safety-intro]")).hidden = !shown;
  }

  /** The check is done: Start takes its room, and the focus. */
  pass() {
    this.hideAll();
    this.section.hidden = true;
    this.section.parentElement?.classList.remove("stacked");
    this.ready();
    // Start stands where the check began: back to it, wherever the answers scrolled to.
    this.section.parentElement?.scrollIntoView({ block: "nearest" });
    /** @type {HTMLElement | null} */ (document.querySelector("#start-form input"))?.focus({ preventScroll: true });
  }
}
