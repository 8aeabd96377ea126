// @ts-check
// A large JSON file read without blocking the page: JSON.parse of a 10,000-session
// export (8 MiB) holds a slowed phone's main thread for longer than 200 ms in one
// go. The file's top-level object is read with its biggest array (the sessions)
// left empty; that array's items are found by a scan and parsed one by one, with
// a breath between slices. Whatever the scan does not expect, it hands to
// JSON.parse whole, which then says what is wrong, exactly as before.
const QUOTE = 34;
const BACKSLASH = 92;
const [OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET] = [123, 125, 91, 93];
const COMMA = 44;
const SCAN_SLICE = 1 << 18; // characters between breaths
const PARSE_SLICE = 500; // items between breaths

/** @typedef {{key: [number, number], start: number, end: number, items: [number, number][]}} Found */

/** The top-level object's longest array: its key's range, its own range and its items'.
 * @param {string} text @param {() => Promise<void>} breathe @returns {Promise<Found | null>} */
async function scan(text, breathe) {
  let depth = 0;
  let inString = false;
  /** @type {Found | null} */
  let best = null;
  /** @type {Found | null} */
  let current = null;
  let itemStart = -1;
  let keyStart = -1;
  /** @type {[number, number] | null} */
  let key = null; // the last string at depth 1: the name of the array that follows
  for (let i = 0; i < text.length; i += 1) {
    if (i % SCAN_SLICE === 0 && i) await breathe();
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i += 1;
      else if (c === QUOTE) {
        inString = false;
        if (depth === 1) key = [keyStart, i + 1];
      }
      continue;
    }
    if (c === QUOTE) {
      inString = true;
      if (depth === 1) keyStart = i;
      if (depth === 2 && current && itemStart < 0) itemStart = i;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === 1 && c === OPEN_BRACKET && key) current = { key, start: i, end: -1, items: [] };
      else if (depth === 2 && current && itemStart < 0) itemStart = i;
      depth += 1;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth -= 1;
      if (depth === 1 && current && c === CLOSE_BRACKET) {
        if (itemStart >= 0) current.items.push([itemStart, i]);
        current.end = i + 1;
        if (!best || current.items.length > best.items.length) best = current;
        current = null;
        itemStart = -1;
      }
    } else if (c === COMMA && depth === 2 && current) {
      if (itemStart >= 0) current.items.push([itemStart, i]);
      itemStart = -1;
    } else if (depth === 2 && current && itemStart < 0 && c > 32) {
      itemStart = i; // a number, true, false or null
    }
  }
  return best;
}

/** JSON.parse(text), in slices when `text` is an object holding a long array.
 * @param {string} text @param {() => Promise<void>} breathe @returns {Promise<any>} */
export async function parseJson(text, breathe) {
  if (text.length < SCAN_SLICE) return JSON.parse(text);
  let found;
  try {
    found = await scan(text, breathe);
  } catch {
    found = null;
  }
  if (!found || found.items.length < PARSE_SLICE) return JSON.parse(text);
  const head = JSON.parse(`${text.slice(0, found.start)}[]${text.slice(found.end)}`);
  const name = JSON.parse(text.slice(...found.key));
  if (!head || typeof head !== "object" || !Array.isArray(head[name])) return JSON.parse(text);
  const array = head[name];
  for (let n = 0; n < found.items.length; n += 1) {
    if (n % PARSE_SLICE === 0 && n) await breathe();
    const [start, end] = found.items[n];
    array.push(JSON.parse(text.slice(start, end)));
  }
  return head;
}
