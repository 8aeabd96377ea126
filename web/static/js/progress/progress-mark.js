// @ts-check
// What a write of session logs tells the kept tally (progress-store.js): a
// small module, loaded by every page that writes logs, that knows nothing of
// how the tally is counted.
import { promised } from "../lib/db.js";

/** The meta key of {before, generation}: the logs the kept tally leaves out
 * start at `before` (null: it is stale), and `generation` counts the writes. */
export const MARK = "progress-mark";

/**
 * Note, inside the transaction that writes session logs, the start keys
 * (started_at of the record, before and after) of the logs it changes: a kept
 * tally that counted one of them is no longer right.
 */
/**
 * @param {IDBObjectStore} meta
 * @param {(string | null | undefined)[]} keys
 */
export async function touchLogs(meta, keys) {
  /** @type {import("#types").ProgressMark} */
  const mark = (await promised(meta.get(MARK))) ?? { before: null, generation: 0 };
  const before = mark.before;
  const stale = before !== null && keys.some((key) => key != null && key < before);
  await promised(meta.put({ before: stale ? null : mark.before, generation: mark.generation + 1 }, MARK));
}
