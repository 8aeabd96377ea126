// What /workout shows: the start form, the stage, the It hurts panel and the
// summary, drawn from what the player hands over; taps and keys go back to it
// as named actions.
import * as pacing from "./pacing.js";
import { lang, t, tn } from "../lib/i18n.js";
import { minutesText } from "./duration.js";
import { StageFigure } from "./stage-figure.js";

/** @typedef {(form?: HTMLFormElement) => void} Handler given the form, for a form's submit */

/** A name from the routine inside a sentence: lower case, except in German,
 * where nouns keep their capitals.
 * @param {string} name */
function inSentence(name) {
  return lang === "de" ? name : name.toLowerCase();
}

export class View {
  /** @param {HTMLElement} root /workout's main (templates/workout.html): each part is there */
  constructor(root) {
    this.root = root;
    /** @param {string} selector */
    this.$ = (selector) => /** @type {HTMLElement} */ (root.querySelector(selector));
    this.figure = new StageFigure(this.$("[data-figure]"));
    /** @type {Record<string, Handler>} */
    this.handlers = {};
    root.addEventListener("click", (event) => {
      const target = /** @type {Element} */ (event.target);
      const button = /** @type {HTMLElement | null} */ (target.closest("[data-action]"));
      if (button) {
        this.handlers[String(button.dataset.action)]?.();
      } else if (target.closest("[data-stage]")) {
        this.handlers.stage?.();
      }
    });
    this.$("#start-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.handlers.start?.(/** @type {HTMLFormElement} */ (event.target));
    });
    this.$("#save-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.handlers.save?.(/** @type {HTMLFormElement} */ (event.target));
    });
    document.addEventListener("keydown", (event) => this.key(event));
  }

  /** Space pauses and resumes, the arrows step back and on (the page says so). A
   * focused control keeps its own keys: Space presses the button it is on.
   * @param {KeyboardEvent} event */
  key(event) {
    if (this.$("#player").hidden || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target instanceof Element ? event.target : null;
    const typing = target?.closest("input, select, textarea, [contenteditable]");
    const control = typing || target?.closest("button, a, summary");
    const action = /** @type {Record<string, string | null>} */ ({ " ": control ? null : "pause", ArrowLeft: typing ? null : "previous",
      ArrowRight: typing ? null : "next" })[event.key];
    if (!action) return;
    event.preventDefault();
    this.handlers[action]?.();
  }

  /** Back to the stage, focus on the exercise's name: after the It hurts panel. */
  focusStage() {
    window.scrollTo(0, 0);
    this.$("[data-exercise-name]").focus({ preventScroll: true });
  }

  /** Say on the stage, once, that the voice is silent and why.
   * @param {string} message */
  voiceNote(message) {
    const note = this.$("[data-voice-note]");
    note.textContent = message;
    note.hidden = false;
  }

  /** Show the start form: only once every control has its handler, so no tap is lost. */
  ready() {
    this.$("#start-form").hidden = false;
  }

  hideStart() {
    this.$("#start-form").hidden = true;
  }

  /** @param {string} name @param {(form: HTMLFormElement) => void} handler */
  on(name, handler) {
    this.handlers[name] = (arg) => handler(/** @type {HTMLFormElement} */ (arg));
  }

  /** @param {string} name */
  show(name) {
    for (const id of ["resume", "prepare", "player", "finish", "saved"]) {
      this.$(`#${id}`).hidden = id !== name;
    }
    // On the mat the player is all there is: no header, no tabs, nothing to scroll.
    document.body.classList.toggle("is-playing", name === "player");
    if (name === "player") window.scrollTo(0, 0);
    const heading = this.$(`#${name} [tabindex="-1"]`);
    heading?.focus();
  }

  resetForms() {
    /** @type {HTMLFormElement} */ (this.$("#start-form")).reset();
    /** @type {HTMLFormElement} */ (this.$("#save-form")).reset();
  }

  /** @param {number} ms */
  showDuration(ms) {
    this.$("[data-duration]").textContent = minutesText(ms);
  }

  /** @param {string} text */
  resumeText(text) {
    this.$("[data-resume-text]").textContent = text;
  }

  /** @param {import("#types").Stage} s */
  renderStage(s) {
    this.$("[data-position]").textContent = s.position;
    this.$("[data-exercise-name]").textContent = s.name;
    this.figure.show(s.figure);
    this.$("[data-phase]").textContent = s.phase;
    this.$("[data-seconds]").textContent = s.seconds;
    this.$("[data-counter]").textContent = s.counter;
    this.$("[data-text]").textContent = s.text;
    this.$("[data-variation]").textContent = s.variation;
    this.$("[data-variation]").hidden = !s.variation;
    this.$("[data-paused]").hidden = !s.paused;
    this.$("[data-action=pause]").textContent = s.paused ? t("Resume") : t("Pause");
    this.$("[data-action=next]").textContent = s.resting ? t("Skip rest") : t("Next");
    /** @type {HTMLProgressElement} */ (this.$("[data-progress]")).value = s.progress;
    this.root.classList.toggle("is-paused", s.paused);
  }

  /** @param {import("#types").Variation | null} easier */
  showHurts(easier) {
    const panel = this.$("[data-hurts]");
    panel.hidden = false;
    const button = /** @type {HTMLElement} */ (panel.querySelector("[data-action=easier]"));
    button.hidden = !easier;
    if (easier) {
      button.textContent = t("Switch to the easier version: {name}", { name: inSentence(easier.name) });
    }
    /** @type {HTMLElement} */ (panel.querySelector("h2")).focus();
  }

  hideHurts() {
    this.$("[data-hurts]").hidden = true;
  }

  hurtsOpen() {
    return !this.$("[data-hurts]").hidden;
  }

  /** @param {import("#types").Routine} routine @param {import("#types").WorkoutState} state
   * @param {import("#types").ExerciseLog[]} exercises */
  showSummary(routine, state, exercises) {
    this.hideHurts();
    const minutes = Math.max(0, Math.round((Date.parse(String(state.endedAt)) - Date.parse(state.startedAt)) / 60000));
    const finishedAll = exercises.every((e) => !e.skipped);
    this.$("#finish-title").textContent = finishedAll ? t("Workout complete") : t("Workout ended");
    this.$("[data-time]").textContent = tn(minutes, "{n} minute", "{n} minutes");
    this.$("[data-done]").textContent = t("{done} of {total}",
      { done: exercises.filter((e) => !e.skipped).length, total: exercises.length });
    const body = this.$("[data-summary]");
    // Each cell carries its column's header, shown beside it when a phone
    // stacks the table into rows (app.css .stack).
    const head = /** @type {HTMLTableSectionElement} */ (body.closest("table")?.tHead);
    const labels = [...head.rows[0].cells].map((cell) => cell.textContent.trim());
    body.replaceChildren(...exercises.map((entry, i) => {
      const row = document.createElement("tr");
      const name = document.createElement("td");
      name.textContent = routine.exercises[i].name;
      const reps = document.createElement("td");
      reps.textContent = pacing.describeReps(entry);
      const feeling = document.createElement("td");
      if (!entry.skipped) feeling.append(ratingSelect(routine.exercises[i]));
      row.append(name, reps, feeling);
      labels.forEach((label, j) => { row.cells[j].dataset.label = label; });
      return row;
    }));
    this.show("finish");
  }
}

const RATINGS = [["", t("Say how")], ["easy", t("Easy")], ["ok", t("OK")], ["hard", t("Hard")],
  ["painful", t("Painful")]];

/** A choice of how an exercise felt, part of the save form; the next plan reads it.
 * @param {import("#types").Exercise} exercise */
function ratingSelect(exercise) {
  const select = document.createElement("select");
  select.setAttribute("form", "save-form");
  select.dataset.rating = exercise.id;
  select.setAttribute("aria-label", t("How did {name} feel?", { name: inSentence(exercise.name) }));
  for (const [value, label] of RATINGS) select.append(new Option(label, value));
  return select;
}
