"""Export of a large history in headless Chromium with the CPU slowed four times
(DevTools' throttling, about a mid-range phone): 5,000 sessions to CSV and to
JSON, from IndexedDB to the text of the file, and the longest task meanwhile
(a task over 50 ms is one the user could feel as a freeze)."""

import statistics
from typing import Any

from bench.chromium import chromium_on_live_server
from tests.browser.conftest import PHONE

SESSIONS = 5000
ROUNDS = 5
THROTTLE = 4

SEED = """async (count) => {
  const { writeRecords } = await import("/static/js/lib/records.js");
  const records = [];
  for (let n = 0; n < count; n += 1) {
    const at = new Date(Date.UTC(2020, 0, 1) + n * 36e5 * 7).toISOString();
    records.push({ id: crypto.randomUUID(), type: "session", version: 0, dirty: false,
      deleted: false, base: null, started_at: at, updated_at: at,
      data: { routine_id: "spine-five", started_at: at,
        ended_at: at, pain_before: n % 11, pain_after: (n + 3) % 11, notes: `Session ${n}, "ok"`,
        exercises: [
          { exercise_id: "knees-to-chest", reps: 10, skipped: false, rating: "ok" },
          { exercise_id: "knee-rolls", reps: { left: 12, right: 12 }, skipped: false },
          { exercise_id: "straight-leg-raise", reps: { left: 10, right: 10 }, skipped: false,
            target: { reps: 10, hold_seconds: 5 } },
          { exercise_id: "upper-ab-crunch", reps: 12, skipped: false },
          { exercise_id: "opposite-arm-leg-lift", reps: { left: 3, right: 3 }, skipped: true },
        ] } });
  }
  await writeRecords(records);
  return true;
}"""

MEASURE = """async () => {
  const { getAll } = await import("/static/js/lib/db.js");
  const { toCsv, toJson } = await import("/static/js/data/export.js");
  const longest = { value: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longest.value = Math.max(longest.value, entry.duration);
  });
  observer.observe({ type: "longtask" });
  const out = {};
  let start = performance.now();
  const records = await getAll("sessions");
  out.csv = (await toCsv(records, {})).length && performance.now() - start;
  await new Promise((r) => setTimeout(r, 50));
  start = performance.now();
  const again = await getAll("sessions");
  out.json = (await toJson(again)).length && performance.now() - start;
  await new Promise((r) => setTimeout(r, 100));
  observer.disconnect();
  out.longest = longest.value;
  return out;
}"""


def run() -> dict[str, Any]:
    with chromium_on_live_server() as (browser, base):
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(base + "/settings")
        page.evaluate(SEED, SESSIONS)
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
        rounds = [page.evaluate(MEASURE) for _ in range(ROUNDS)]
        context.close()
    result = {key: statistics.median(r[key] for r in rounds) for key in ("csv", "json", "longest")}
    print(
        f"Export of {SESSIONS:,} sessions, CPU slowed {THROTTLE}x (median of {ROUNDS}): "
        f"CSV {result['csv']:.0f} ms, JSON {result['json']:.0f} ms; "
        f"longest task {result['longest']:.0f} ms (budget: each under 1000 ms)"
    )
    return result


if __name__ == "__main__":
    run()
