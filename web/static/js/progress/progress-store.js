// @ts-check
// The tally of the logs on this device (progress.js), kept in IndexedDB so a
// page reads the last weeks of logs instead of every log of the years before.
// What is kept is derived, never synced: it is made again from the logs when
// it is missing, from another version of this code, another time zone,
// another routine or plan reset, or when a log older than the weeks it leaves
// out is written (every write of a log calls touchLogs, progress-mark.js, in its transaction).
import { addDays, startOfDay } from "./days.js";
import { emptyTally, foldSession, routineShape } from "./tally.js";
import { promised, transaction } from "../lib/db.js";
import { MARK } from "./progress-mark.js";

/** The meta key of a plan reset (an ISO time): logs before it leave the plan alone. */
export const RESET_KEY = "plan-reset";
const KEPT = "progress-tally"; // a KeptTally (types.js)
const VERSION = 1;
const RECENT_DAYS = 56; // a kept tally covers the logs up to eight weeks ago...
const BEHIND_DAYS = 112; // ...and moves on once it is sixteen weeks behind
const SLICE = 500; // logs read in one transaction while the tally is made

/** @typedef {import("#types").Routine} Routine */
/** @typedef {import("#types").SessionRecord} SessionRecord */
/** @typedef {import("#types").ProgressMark} Mark */
/** @typedef {import("#types").Tally} Tally */
/** @typedef {import("#types").SessionData} SessionData */
/** @typedef {import("#types").KeptTally} Kept */

/** @type {{key: string, promise: Promise<Kept>} | null} the kept tally being made in this page */
let making = null;
/** @type {() => Promise<void>} */
const breathe = () => new Promise((resolve) => { setTimeout(resolve, 0); });

function zone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? "";
}

/**
 * Midnight, local time, `RECENT_DAYS` before now, as the UTC key logs are indexed by.
 * @param {Date} now
 */
function cutoff(now) {
  return addDays(startOfDay(now), -RECENT_DAYS).toISOString();
}

/**
 * @param {Kept | undefined} kept
 * @param {Mark | undefined} mark
 * @param {Routine} routine
 * @param {string | null} resetAt
 * @returns {kept is Kept}
 */
function fits(kept, mark, routine, resetAt) {
  return !!kept && kept.version === VERSION && mark?.before === kept.before
    && kept.zone === zone() && kept.routine === routineShape(routine)
    && (kept.resetAt === resetAt || (resetAt !== null && resetAt >= kept.before));
}

/**
 * Fold live logs, oldest first, into a tally.
 * @param {Tally} tally
 * @param {SessionRecord[]} records
 * @param {Routine} routine
 */
function foldAll(tally, records, routine) {
  for (const record of records) {
    // A live log has data.
    if (!record.deleted) foldSession(tally, /** @type {SessionData} */ (record.data), routine);
  }
}

/**
 * The tally of every log on this device, for `routine` and the plan's reset.
 * Reads the kept tally and the logs after it in one transaction; makes the
 * kept tally first (in slices, so the page goes on answering) when there is
 * none that fits.
 * @param {Routine} routine
 * @param {Date} [now]
 * @returns {Promise<Tally>}
 */
export async function loadTally(routine, now = new Date()) {
  /** @type {{reset: string | null, kept?: Kept, recent?: SessionRecord[]}} */
  const read = await transaction(["sessions", "meta"], "readonly", async (s) => {
    const [kept, mark, resetAt] = await Promise.all([KEPT, MARK, RESET_KEY]
      .map((key) => promised(s.meta.get(key))));
    /** @type {string | null} */
    const reset = resetAt ?? null;
    if (!fits(kept, mark, routine, reset)) return { reset };
    return { kept, reset, recent: await since(s.sessions, kept.before) };
  });
  let { kept, recent } = read;
  if (!kept) {
    // Made now, and kept unless a log is written meanwhile; the logs after it
    // are read afterwards, so none written while it was made is missed. Two
    // parts of a page asking at once share one making.
    const key = `${routineShape(routine)} ${read.reset}`;
    if (making?.key !== key) {
      const promise = build(routine, read.reset, now).finally(() => {
        if (making?.promise === promise) making = null;
      });
      making = { key, promise };
    }
    const made = await making.promise;
    kept = made;
    recent = await transaction(["sessions"], "readonly", (s) => since(s.sessions, made.before));
  } else if (kept.before < addDays(startOfDay(now), -BEHIND_DAYS).toISOString()) {
    const idle = globalThis.requestIdleCallback ?? ((run) => setTimeout(run, 1000));
    const start = kept;
    idle(() => build(routine, read.reset, now, start).catch(() => {}));
  }
  const tally = structuredClone(kept.tally);
  if (read.reset !== kept.resetAt) tally.plan = emptyTally(routine, { resetAt: read.reset }).plan;
  // Read with the kept tally, or after the one made just now.
  foldAll(tally, /** @type {SessionRecord[]} */ (recent), routine);
  return tally;
}

/**
 * @param {IDBObjectStore} sessions
 * @param {string} before
 * @returns {Promise<SessionRecord[]>}
 */
function since(sessions, before) {
  return promised(sessions.index("started_at").getAll(IDBKeyRange.lowerBound(before)));
}

/**
 * Call `use(records)` with every log whose key is at least `from` (null: from
 * the first) and below `to` (null: to the last), oldest first, ties by id, a
 * slice per transaction; `first(meta)` runs in the first one.
 * @param {string | null} from
 * @param {string | null} to
 * @param {(records: SessionRecord[]) => void} use
 * @param {((meta: IDBObjectStore) => Promise<boolean>) | null} [first]
 * @returns {Promise<boolean>} false when `first` said no
 */
async function eachSlice(from, to, use, first = null) {
  let lower = from;
  let open = false; // whether the lower bound itself was read already
  for (let n = 0; ; n++) {
    if (n) await breathe();
    const range = rangeOf(lower, open, to);
    const [records, early] = await transaction(["sessions", "meta"], "readonly", async (s) => {
      const early = n === 0 && first ? await first(s.meta) : null;
      const index = s.sessions.index("started_at");
      /** @type {SessionRecord[]} */
      const slice = await promised(index.getAll(range, SLICE));
      if (slice.length < SLICE) return [slice, early];
      // A slice must not end inside a run of logs with the same start.
      const last = slice[slice.length - 1].started_at;
      const before = slice.filter((r) => r.started_at < last);
      /** @type {SessionRecord[]} */
      const same = await promised(index.getAll(IDBKeyRange.only(last)));
      return /** @type {[SessionRecord[], boolean | null]} */ ([[...before, ...same], early]);
    });
    if (n === 0 && first && early === false) return false;
    use(records);
    if (records.length < SLICE) return true;
    lower = records[records.length - 1].started_at;
    open = true;
  }
}

/**
 * @param {string | null} lower
 * @param {boolean} open
 * @param {string | null} upper
 */
function rangeOf(lower, open, upper) {
  if (lower !== null && upper !== null) return IDBKeyRange.bound(lower, upper, open, true);
  if (lower !== null) return IDBKeyRange.lowerBound(lower, open);
  if (upper !== null) return IDBKeyRange.upperBound(upper, true);
  return null;
}

/**
 * Make the kept tally of the logs before the cutoff, from `start` (a kept
 * tally still valid) or from nothing, and keep it unless a log was written
 * meanwhile (then the next page makes it again).
 * @param {Routine} routine
 * @param {string | null} resetAt
 * @param {Date} now
 * @param {Kept | null} [start]
 * @returns {Promise<Kept>}
 */
async function build(routine, resetAt, now, start = null) {
  const before = cutoff(now);
  const base = start;
  let generation = 0;
  const tally = base ? structuredClone(base.tally) : emptyTally(routine, { resetAt });
  if (base && base.resetAt !== resetAt) tally.plan = emptyTally(routine, { resetAt }).plan;
  const began = await eachSlice(base?.before ?? null, before, (records) => foldAll(tally, records, routine),
    async (meta) => {
      /** @type {Mark} */
      const mark = (await promised(meta.get(MARK))) ?? { before: null, generation: 0 };
      generation = mark.generation;
      // Moving a kept tally on: only if no write has made it wrong since it was read.
      return !base || mark.before === base.before;
    });
  if (!began) return build(routine, resetAt, now);
  /** @type {Kept} */
  const kept = { version: VERSION, zone: zone(), routine: routineShape(routine), resetAt,
    before, tally };
  await transaction(["meta"], "readwrite", async (s) => {
    /** @type {Mark} */
    const mark = (await promised(s.meta.get(MARK))) ?? { before: null, generation: 0 };
    if (mark.generation !== generation) return;
    await promised(s.meta.put(kept, KEPT));
    await promised(s.meta.put({ before, generation }, MARK));
  });
  return kept;
}
