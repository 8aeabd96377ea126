// @ts-check
// Settings → Your data: download CSV or JSON, import either. All from this device.
import { get, getAll, promised, put, remove, transaction } from "../lib/db.js";
import { locale, routineUrl, t, tn } from "../lib/i18n.js";
import { loadTally } from "../progress/progress-store.js";
import { writeRecords } from "../lib/records.js";

// The export and import code is loaded on the first tap, not with the page.
const transfer = () => import("./transfer.js");

/** @typedef {import("#types").SessionRecord} SessionRecord */

/** @returns {Promise<import("#types").Routine>} */
async function routine() {
  const response = await fetch(routineUrl);
  return response.json();
}

/**
 * @param {string} text
 * @param {string} name
 * @param {string} type
 */
function download(text, name, type) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

/**
 * @param {HTMLElement} root the settings' "Your data" section, whose controls
 *   (templates/settings.html) are all there
 */
export function startDataSection(root) {
  /** @param {string} selector */
  const $ = (selector) => /** @type {HTMLElement} */ (root.querySelector(selector));
  /** @param {string} text */
  const say = (text) => { $("[data-data-message]").textContent = text; };
  const input = /** @type {HTMLInputElement} */ ($("[data-import-file]"));
  $("[data-action=csv]").addEventListener("click", async () => {
    const [records, { exercises }, { fileName, toCsv }] = await Promise.all([getAll("sessions"),
      routine(), transfer()]);
    const names = Object.fromEntries(exercises.map((e) => [e.id, e.name]));
    download(await toCsv(records, names), fileName("csv"), "text/csv;charset=utf-8");
    say(t("CSV downloaded."));
  });
  $("[data-action=json]").addEventListener("click", async () => {
    const { fileName, toJson } = await transfer();
    download(await toJson(await getAll("sessions")), fileName("json"), "application/json");
    say(t("JSON downloaded."));
  });
  $("[data-action=import]").addEventListener("click", () => input.click());
  for (const button of /** @type {NodeListOf<HTMLButtonElement>} */ (root.querySelectorAll("[data-action]"))) {
    button.disabled = false;
  }
  const importer = new Importer(root, say);
  input.addEventListener("change", async () => {
    const [file] = input.files ?? [];
    input.value = "";
    if (file) await importer.start(file);
  });
  importer.resume();
}

/** Where an import in progress is kept: its file and how many sessions it has
 * written, so a reload in the middle finishes it without writing any twice. */
const IMPORT_KEY = "import";
const BATCH = 250;

class Importer {
  /**
   * @param {HTMLElement} root
   * @param {(text: string) => void} say
   */
  constructor(root, say) {
    this.root = root;
    this.say = say;
    this.bar = /** @type {HTMLProgressElement} */ (root.querySelector("[data-import-bar]"));
    this.label = /** @type {HTMLElement} */ (root.querySelector("[data-import-label]"));
    this.box = /** @type {HTMLElement} */ (root.querySelector("[data-import-progress]"));
    this.problems = /** @type {HTMLElement} */ (root.querySelector("[data-import-problems]"));
  }

  /** An import cut short (the page was closed or reloaded): finish it. */
  async resume() {
    const pending = await get("meta", IMPORT_KEY);
    if (pending?.file) await this.run(pending.file, pending.added ?? 0);
  }

  /** @param {Blob} file */
  async start(file) {
    this.problems.replaceChildren();
    // The file itself is kept (a Blob in IndexedDB) until every session is written.
    await put("meta", { file, added: 0 }, IMPORT_KEY);
    await this.run(file, 0);
  }

  /**
   * @param {string} text
   * @param {number} done
   * @param {number} total
   */
  show(text, done, total) {
    this.box.hidden = false;
    this.label.textContent = text;
    this.bar.max = Math.max(1, total);
    this.bar.value = done;
  }

  /**
   * @param {Blob} file
   * @param {number} addedBefore sessions written by the run this one finishes
   */
  async run(file, addedBefore) {
    /** @type {(n: number, total: number) => {n: string, total: string}} */
    const count = (n, total) => ({ n: n.toLocaleString(locale), total: total.toLocaleString(locale) });
    try {
      this.show(t("Reading the file…"), 0, 1);
      const [text, existing, theRoutine, { importSummary, planImport }] = await Promise.all([
        file.text(), allSessions(), routine(), transfer()]);
      const plan = await planImport(text, existing, theRoutine,
        (/** @type {number} */ n, /** @type {number} */ total) =>
          this.show(t("Checking {n} of {total} sessions", count(n, total)), n, total));
      const now = new Date().toISOString();
      /** @type {SessionRecord[]} */
      const records = plan.add.map((/** @type {{id: string, data: import("#types").SessionData}} */ { id, data }) => ({
        id, type: /** @type {const} */ ("session"), version: 0, dirty: true,
        deleted: false, data, base: null, started_at: data.started_at, updated_at: now }));
      for (let i = 0; i < records.length; i += BATCH) {
        const added = addedBefore + Math.min(records.length, i + BATCH);
        this.show(t("Saving {n} of {total} sessions", count(addedBefore + i, addedBefore + records.length)),
          addedBefore + i, addedBefore + records.length);
        await writeRecords(records.slice(i, i + BATCH), [IMPORT_KEY, { file, added }]);
        await breathe();
      }
      await remove("meta", IMPORT_KEY);
      // Written before an interruption: counted as added, not as already here.
      this.box.hidden = true;
      this.say(`${importSummary({ added: addedBefore + plan.add.length,
        already: Math.max(0, plan.already - addedBefore), invalid: plan.invalid })}.`);
      this.problems.replaceChildren(...plan.invalid.map((/** @type {string} */ problem) => {
        const item = document.createElement("li");
        item.textContent = problem;
        return item;
      }));
      // Count the new logs now, so the next page opens as quickly as ever.
      loadTally(theRoutine).catch(() => {});
    } catch (error) {
      this.box.hidden = true;
      const saved = (await get("meta", IMPORT_KEY).catch(() => null))?.added ?? 0;
      await remove("meta", IMPORT_KEY).catch(() => {});
      this.say(saved
        ? tn(saved, "The import stopped: {reason} {n} session was saved; import the file again to add the rest.",
          "The import stopped: {reason} {n} sessions were saved; import the file again to add the rest.",
          { reason: /** @type {Error} */ (error).message })
        : t("Nothing imported: {reason}", { reason: /** @type {Error} */ (error).message }));
    }
  }
}

/** @type {() => Promise<void>} */
const breathe = () => new Promise((resolve) => { setTimeout(resolve, 0); });

/**
 * Every session record here, read in slices so a long history never stalls the page.
 * @returns {Promise<SessionRecord[]>}
 */
async function allSessions() {
  /** @type {SessionRecord[]} */
  const all = [];
  /** @type {string | null} */
  let after = null;
  for (;;) {
    const range = after === null ? null : IDBKeyRange.lowerBound(after, true);
    /** @type {SessionRecord[]} */
    const slice = await transaction(["sessions"], "readonly",
      (s) => promised(s.sessions.getAll(range, 1000)));
    all.push(...slice);
    if (slice.length < 1000) return all;
    after = slice[slice.length - 1].id;
    await breathe();
  }
}
