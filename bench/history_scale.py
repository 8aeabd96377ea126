"""Pages with years of session logs: 10, 100, 1,000 and 10,000 sessions on one
phone, imported as a user would (Settings → Your data → Import a file, the
app's own JSON export), then `/`, `/workout`, `/history` and `/summary` loaded,
all with the CPU slowed four times (DevTools' throttling, about a mid-range
phone, as in export_speed).

For each size: a fresh browser context (its own service worker and IndexedDB);
the import's wall time, from picking the file to the message that says what was
added, and the longest main-thread block from then until a quiet second
(PerformanceObserver `longtask`); then per page one unmeasured warm-up load and
three measured ones, each in a new tab (medians): main-thread work from the new
document until a quiet second (DevTools `Performance.getMetrics` TaskDuration),
the time from navigation start until the page shows its content, and the JS heap
then (JSHeapUsedSize, not collected first). A page should do about as much work
with 10,000 sessions as with 10 (it shows a week, a plan, a list, four weeks):
the ratio between them is the budget.

`BENCH_SIZES=10,100` runs fewer sizes (the ratio is then between the largest and
the smallest). A page that has not shown its content after 120 s is reported as
"> 120 s" and its script stopped, so one slow page never holds up the rest.
"""

import contextlib
import json
import os
import re
import signal
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

import httpx
from playwright.sync_api import Browser, BrowserContext, CDPSession, Page, ViewportSize
from playwright.sync_api import Error as PlaywrightError

from bench.chromium import chromium_on_live_server
from tests.browser.conftest import PHONE

SIZES = (10, 100, 1000, 10000)
PAGES = ("/", "/workout", "/history", "/summary")
THROTTLE = 4
ROUNDS = 3
PAGE_TIMEOUT_S = 120  # until a page shows its content; after that it is "> 120 s"
QUIET_MS = 1000  # the page is done once a second passes with no long task...
QUIET_CAP_S = 60  # ...or after this long, whichever is first
ANSWER_S = 30  # a page whose main thread answers nothing for this long is "busy"
GRACE_S = 10  # past a Playwright timeout, before the renderer is killed (watchdog)
SEED = 20240501
# A European phone: English words, Monday weeks, summer time in the logs' offsets.
LOCALE = "en-GB"
TIMEZONE = "Europe/Berlin"

# Before any script of every page of the context: long tasks from the first
# moment, and the server's own text of the elements that scripts fill in (`/`
# and `/workout` are sent with placeholder text, so "has text" alone would
# count a page as shown before it has read a single log).
OBSERVE = """(() => {
  const tasks = (window.__longtasks = []);
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch (error) {
    console.warn("no longtask observer", error);
  }
  const WATCH = "[data-week-count], [data-target]";
  const written = (window.__written = new WeakSet());
  const served = (window.__served = new WeakMap());
  // Parsing is over and no module script has run yet (HTML's "the end", step 1).
  document.addEventListener("readystatechange", () => {
    if (document.readyState !== "interactive") return;
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        const node = record.target;
        const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
        const watched = element?.closest(WATCH);
        if (watched) written.add(watched);
      }
    });
    for (const element of document.querySelectorAll(WATCH)) {
      served.set(element, element.textContent);
      observer.observe(element, { childList: true, characterData: true, subtree: true });
    }
  });
})();"""

# Polled each frame: once the page shows its content, when it first did (ms).
SHOWN = """(path) => {
  const filled = (el) => el.textContent.trim() !== ""
    && (window.__written?.has(el) || el.textContent !== window.__served?.get(el));
  let shown = false;
  if (path === "/") {
    const count = document.querySelector("[data-week-count]");
    shown = !!count && filled(count);
  } else if (path === "/workout") {
    const targets = [...document.querySelectorAll("[data-target]")];
    shown = targets.length > 0 && targets.every(filled);
  } else if (path === "/history") {
    const list = document.querySelector("[data-sessions]");
    const empty = document.querySelector("[data-empty]");
    shown = list?.getAttribute("aria-busy") === "false"
      && (list.querySelector("li") !== null || (!!empty && !empty.hidden));
  } else if (path === "/summary") {
    const page = document.querySelector("[data-summary-page]");
    shown = !!page && !page.hidden;
  }
  if (shown) window.__shown ??= performance.now();
  return shown && window.__shown;
}"""

# Polled every 100 ms: true after a second with no long task since `since` (ms on
# the page's clock) in which every poll came in time. Not all main-thread work is
# reported as a long task (style, layout and garbage collection of a huge DOM are
# not), but none of it lets a poll run: a late poll starts the second again.
QUIET = """([since, quiet]) => {
  const now = performance.now();
  if (window.__quiet?.since !== since) window.__quiet = { since, from: since, last: now };
  const q = window.__quiet;
  if (now - q.last > 250) q.from = now;
  q.last = now;
  const ends = window.__longtasks.map((t) => t.start + t.duration);
  return now - Math.max(q.from, ...ends) >= quiet;
}"""

# Around the import: when the file was picked (the input's change, before the
# app's own listener) and when the message said what happened.
IMPORT_PROBE = """() => {
  window.__import = { start: null, end: null, text: "" };
  window.addEventListener("change", (event) => {
    if (event.target.matches?.("[data-import-file]")) window.__import.start ??= performance.now();
  }, true);
  const message = document.querySelector("[data-data-message]");
  new MutationObserver(() => {
    if (window.__import.end === null && message.textContent.trim()) {
      window.__import.end = performance.now();
      window.__import.text = message.textContent;
    }
  }).observe(message, { childList: true, characterData: true, subtree: true });
}"""


def sizes() -> list[int]:
    raw = os.environ.get("BENCH_SIZES", "")
    return sorted({int(s) for s in raw.split(",") if s.strip()}) if raw.strip() else list(SIZES)


# --- The export file ---------------------------------------------------------


def last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def offset(day: date) -> timedelta:
    """Central European time, summer time from March's last Sunday to October's (for
    daytime hours); worked out here, so the file is the same with or without tzdata."""
    summer = last_sunday(day.year, 3) <= day < last_sunday(day.year, 10)
    return timedelta(hours=2 if summer else 1)


def iso(moment: datetime, shift: timedelta) -> str:
    """A local time with its offset, as a phone in Berlin has it: 2025-03-04T07:31:12.000+01:00."""
    hours = int(shift.total_seconds()) // 3600
    return f"{moment:%Y-%m-%dT%H:%M:%S}.000+{hours:02d}:00"


NOTES = [
    "Felt good.",
    "Stiff in the morning, better after.",
    "Left hip a bit tight; went slower on the rolls.",
    'Physio said "slower on the way down", so I did.',
    "Short one before work",
    "After a long drive, back sore",
    "Müde heute, aber gemacht.",
    "Slept badly.\nStill did it.",
]


def clamp(pain: int) -> int:
    return max(0, min(10, pain))


def build_sessions(
    count: int, routine: dict[str, Any], rng: Random, today: date
) -> list[dict[str, Any]]:
    """`count` sessions, one a day (some days two), the last one yesterday: a plan
    that grows a rep after a good session and starts over after a painful one, pain
    that eases over the months with the odd flare-up, a few skipped exercises."""
    slots: list[tuple[date, int]] = []
    day = today - timedelta(days=1)
    while len(slots) < count:
        per_day = 2 if rng.random() < 0.1 and count - len(slots) >= 2 else 1
        slots.extend((day, k) for k in reversed(range(per_day)))
        day -= timedelta(days=1)
    slots.reverse()
    exercises = routine["exercises"]
    plan = {
        e["id"]: {
            "reps": e["reps"]["min"],
            "hold": (e["hold_seconds"] or {}).get("min"),
            "at_top": 0,
            "eased": 0,
        }
        for e in exercises
    }
    flare = 0
    out = []
    for n, (day, k) in enumerate(slots):
        hour = rng.randint(6, 8) if k == 0 else 19  # before work, and now and then at night
        start = datetime(day.year, day.month, day.day, hour, rng.randint(0, 59), rng.randint(0, 59))
        if flare == 0 and rng.random() < 1 / 150:
            flare = rng.randint(3, 10)
        ease = 3 * 0.5 ** (n / 60)  # from about 5.5 down to 2.5 over the first months
        pain_before: int | None = clamp(round(2.5 + ease + rng.gauss(0, 1) + 3 * bool(flare)))
        flare = max(0, flare - 1)
        abandoned = rng.random() < 0.01
        pain_after: int | None = None
        if not abandoned and pain_before is not None:
            step = rng.choice([-2, -1, -1, -1, 0, 0, 0, 1])
            pain_after = clamp(pain_before + step)
        if rng.random() < 0.02:
            pain_before = None
        if rng.random() < 0.03:
            pain_after = None
        change = None if pain_before is None or pain_after is None else pain_after - pain_before
        entries = []
        for i, exercise in enumerate(exercises):
            state = plan[exercise["id"]]
            target: dict[str, int] = {"reps": state["reps"]}
            if state["hold"] is not None:
                target["hold_seconds"] = state["hold"]
            sided = exercise["sides"] != "none"
            skip = (abandoned and i >= 3) or rng.random() < 0.02 + 0.1 * ((pain_before or 0) >= 7)
            done = rng.randint(0, target["reps"] - 1) if skip else target["reps"]
            if not skip and rng.random() < 0.1:
                done = max(1, done - rng.randint(1, 2))
            entry: dict[str, Any] = {
                "exercise_id": exercise["id"],
                "reps": {"left": done, "right": done} if sided else done,
                "skipped": skip,
            }
            levels = {v["level"]: v["id"] for v in exercise["variations"]}
            if state["eased"] and "easier" in levels:
                entry["variation_id"] = levels["easier"]
            elif state["at_top"] >= 20 and "harder" in levels and rng.random() < 0.5:
                entry["variation_id"] = levels["harder"]
            if not skip and rng.random() < 0.5:
                weights = [20, 40, 25, 15] if change is not None and change > 0 else [35, 50, 13, 2]
                entry["rating"] = rng.choices(["easy", "ok", "hard", "painful"], weights)[0]
                if entry["rating"] == "painful" and rng.random() < 0.3:
                    entry["hurt"] = True
            entry["target"] = target
            entries.append(entry)
            # The next target, roughly as the app's plan would set it.
            state["eased"] = max(0, state["eased"] - 1)
            if skip:
                continue
            rating = entry.get("rating")
            if rating == "painful" or (change is not None and change >= 2):
                state.update(reps=exercise["reps"]["min"], at_top=0, eased=3)
                state["hold"] = (exercise["hold_seconds"] or {}).get("min")
            elif done == target["reps"] and rating != "hard" and change is not None and change <= 0:
                state["reps"] = min(exercise["reps"]["max"], state["reps"] + 1)
                if state["hold"] is not None:
                    state["hold"] = min(exercise["hold_seconds"]["max"], state["hold"] + 1)
                top = state["reps"] == exercise["reps"]["max"]
                state["at_top"] = state["at_top"] + 1 if top else 0
        shift = offset(day)
        ended = start + timedelta(minutes=rng.randint(14, 24), seconds=rng.randint(0, 59))
        data = {
            "routine_id": routine["id"],
            "started_at": iso(start, shift),
            "ended_at": None if abandoned else iso(ended, shift),
            "pain_before": pain_before,
            "pain_after": pain_after,
            "notes": rng.choice(NOTES) if rng.random() < 0.08 else "",
            "exercises": entries,
        }
        session_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        out.append({"id": session_id, "version": 0, "deleted": False, "data": data})
    return out


def export_text(sessions: list[dict[str, Any]], now: datetime) -> str:
    """The file as the app's toJson writes it (web/static/js/data/export.js): one session a
    line, in IndexedDB's order (by id)."""
    head = json.dumps(
        {
            "format": "spine-routine-export",
            "version": 1,
            "exported_at": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        },
        separators=(",", ":"),
    )
    lines = [
        json.dumps(s, separators=(",", ":"), ensure_ascii=False)
        for s in sorted(sessions, key=lambda s: s["id"])
    ]
    return head[:-1] + ',"sessions":[\n' + ",\n".join(lines) + "\n]}\n"


# --- In the browser ----------------------------------------------------------


class Renderers:
    """The renderer processes the pages of one context run in (their pids, from the
    browser): the ones that were not there before it, but the browser's own UI. Only
    this bench's own Chromium is asked, and only its own children are ever ended."""

    def __init__(self, browser: Browser) -> None:
        self.cdp = browser.new_browser_cdp_session()
        self.before = self.all()

    def all(self) -> set[int]:
        info = self.cdp.send("SystemInfo.getProcessInfo")["processInfo"]
        return {int(p["id"]) for p in info if p["type"] == "renderer"}

    def pages(self) -> list[int]:
        found = []
        for pid in sorted(self.all() - self.before):
            try:
                if b"--top-chrome-webui" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    continue
            except OSError:
                pass
            found.append(pid)
        return found

    def kill(self) -> None:
        kill(self.pages())


def kill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def watchdog(renderers: Renderers, seconds: float) -> Iterator[None]:
    """Kill the context's renderers if the block still runs GRACE_S after `seconds`.

    Playwright's own timeouts are not enough: a renderer in one long task (style,
    layout or garbage collection of a huge DOM; 10,000 sessions on /history) answers
    nothing until it is over, and a wait_for_function given 120 s came back after 680.
    Killing the renderer ends the wait with an error at once."""
    timer = threading.Timer(seconds + GRACE_S, kill, [renderers.pages()])
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def stop(renderers: Renderers, page: Page) -> None:
    """End a page that is still busy. Pages of one origin share a renderer, and a closed
    tab's work goes on in it, holding up every page after it; a renderer in a long task
    answers no DevTools command until it is over (Runtime.terminateExecution and
    Page.crash included). So the context's renderers are killed; the next load starts
    a new one, and the service worker, which may go with them, starts again."""
    renderers.kill()
    page.close()


class Busy(Exception):
    """The page's main thread answered nothing for ANSWER_S."""


def read(renderers: Renderers, page: Page, function: str, arg: Any = None) -> Any:
    """Call a function in the page and return its JSON value, or raise Busy. Where
    page.evaluate waits for as long as the page's current task runs (minutes, on a
    page that is too slow), a wait_for_function gives up in time, and its string
    value comes back with the answer itself."""
    wrapped = f"(arg) => JSON.stringify([({function})(arg)])"
    try:
        with watchdog(renderers, ANSWER_S):
            handle = page.wait_for_function(wrapped, arg=arg, polling=100, timeout=ANSWER_S * 1000)
    except PlaywrightError:
        raise Busy from None
    return json.loads(handle.json_value())[0]


def throttled(context: BrowserContext, page: Page) -> CDPSession:
    """Slow the page's CPU and count its main-thread work. Set on a new tab's blank
    page, throttling holds for the documents it then loads (checked here: 8-10x at a
    rate of 10, after one navigation and after two). It is not set again on each
    navigation: a command sent then waits for the renderer's main thread, and an
    event handler waiting for it holds up everything else the bench waits for."""
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
    cdp.send("Performance.enable")
    return cdp


def settle(renderers: Renderers, page: Page, since: float) -> bool:
    """Wait until a second passes with no long task (at most QUIET_CAP_S); False if never."""
    try:
        with watchdog(renderers, QUIET_CAP_S):
            page.wait_for_function(
                QUIET, arg=[since, QUIET_MS], polling=100, timeout=QUIET_CAP_S * 1000
            )
    except PlaywrightError:
        return False
    return True


def import_timeout_s(count: int) -> float:
    return max(120.0, 0.12 * count)  # 20 minutes for 10,000


def do_import(
    context: BrowserContext, renderers: Renderers, base: str, path: Path, count: int
) -> dict[str, Any]:
    """Settings → Your data → Import a file, as a user does; the wall time from picking
    the file to the message, and the longest long task from then until the page is quiet."""
    page = context.new_page()
    page.goto(base + "/settings")
    # As the tests do: the worker must control the page (tests/browser/helpers.py).
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_selector("[data-action=import]:not([disabled])", state="attached")
    throttled(context, page)
    page.evaluate(IMPORT_PROBE)
    timeout_s = import_timeout_s(count)
    page.set_input_files("[data-import-file]", str(path))
    try:
        with watchdog(renderers, timeout_s):
            handle = page.wait_for_function(
                "() => window.__import.end !== null && JSON.stringify(window.__import)",
                polling=250,
                timeout=timeout_s * 1000,
            )
    except PlaywrightError:
        stop(renderers, page)
        return {"error": f"no import message after {timeout_s:.0f} s"}
    probe = json.loads(handle.json_value())
    text = probe["text"].strip()
    found = re.match(r"([\d,.\s]+) added", text)
    added = int(re.sub(r"\D", "", found.group(1))) if found else 0
    result: dict[str, Any] = {
        "wall_s": (probe["end"] - probe["start"]) / 1000,
        "added": added,
        "message": text,
        "quiet": settle(renderers, page, probe["end"]),
    }
    try:
        tasks = read(renderers, page, "() => window.__longtasks")
    except Busy:
        stop(renderers, page)
        result["longest_ms"] = None
        result["error"] = f"the page was still busy {QUIET_CAP_S + ANSWER_S} s after the message"
        return result
    page.close()
    during = [t["duration"] for t in tasks if t["start"] + t["duration"] >= probe["start"]]
    result["longest_ms"] = max(during, default=0.0)
    if added != count:
        result["error"] = f"the import added {added:,} of {count:,} sessions: {text!r}"
    return result


def load(
    context: BrowserContext, renderers: Renderers, base: str, path: str
) -> dict[str, Any] | None:
    """One load of a page in a new tab; None when it showed no content within
    PAGE_TIMEOUT_S, no main-thread time or heap when it was busy long after."""
    page = context.new_page()
    cdp = throttled(context, page)
    deadline = time.monotonic() + PAGE_TIMEOUT_S
    try:
        page.goto(base + path, wait_until="commit", timeout=PAGE_TIMEOUT_S * 1000)
        left = max(1.0, deadline - time.monotonic())
        with watchdog(renderers, left):
            handle = page.wait_for_function(SHOWN, arg=path, polling="raf", timeout=left * 1000)
    except PlaywrightError:
        stop(renderers, page)
        return None
    shown = float(handle.json_value())
    quiet = settle(renderers, page, shown)
    try:
        read(renderers, page, "() => true")  # getMetrics would wait while a task runs
        with watchdog(renderers, ANSWER_S):
            answer = cdp.send("Performance.getMetrics")
    except (Busy, PlaywrightError):
        stop(renderers, page)
        return {"main_ms": None, "shown_ms": shown, "heap_mib": None, "quiet": False}
    metrics = {m["name"]: m["value"] for m in answer["metrics"]}
    if quiet:
        page.close()
    else:
        stop(renderers, page)
    return {
        "main_ms": metrics["TaskDuration"] * 1000,
        "shown_ms": shown,
        "heap_mib": metrics["JSHeapUsedSize"] / 2**20,
        "quiet": quiet,
    }


def measure_page(
    context: BrowserContext, renderers: Renderers, base: str, path: str
) -> dict[str, Any] | None:
    """Medians of ROUNDS loads of a page, or None if one showed nothing in time.

    The first load after an import may build caches for the next ones, so one
    warm-up load goes first and is not counted. Once a load times out, or is still
    busy long after it showed its content, the page is not loaded again: more loads
    of minutes each would tell nothing new."""
    runs = []
    for _ in range(1 + ROUNDS):
        got = load(context, renderers, base, path)
        if got is None or got["main_ms"] is None:
            return got
        runs.append(got)
    measured = runs[1:]
    medians: dict[str, Any] = {
        key: statistics.median(r[key] for r in measured)
        for key in ("main_ms", "shown_ms", "heap_mib")
    }
    medians["quiet"] = all(r["quiet"] for r in measured)
    return medians


def describe(got: dict[str, Any] | None) -> str:
    if got is None:
        return f"> {PAGE_TIMEOUT_S} s (showed nothing; its renderer was stopped)"
    if got["main_ms"] is None:
        return (
            f"shown at {got['shown_ms']:.0f} ms, then still busy {QUIET_CAP_S + ANSWER_S} s "
            "later (not measured; its renderer was stopped)"
        )
    text = (
        f"main thread {got['main_ms']:.0f} ms, shown at {got['shown_ms']:.0f} ms, "
        f"heap {got['heap_mib']:.1f} MiB"
    )
    return text if got["quiet"] else f"{text} (never quiet for 1 s within {QUIET_CAP_S} s)"


def measure_size(
    browser: Browser, base: str, routine: dict[str, Any], count: int, folder: Path
) -> dict[str, Any]:
    now = datetime.now(UTC)
    today = (now + offset(now.date())).date()  # the date in Berlin
    sessions = build_sessions(count, routine, Random(SEED + count), today)
    path = folder / f"spine-routine-{today:%Y-%m-%d}-{count}.json"
    path.write_text(export_text(sessions, now), encoding="utf-8")
    size_mib = path.stat().st_size / 2**20
    renderers = Renderers(browser)
    context = browser.new_context(
        viewport=ViewportSize(width=PHONE["width"], height=PHONE["height"]),
        locale=LOCALE,
        timezone_id=TIMEZONE,
    )
    context.add_init_script(OBSERVE)
    try:
        began = time.monotonic()
        imported = do_import(context, renderers, base, path, count)
        took = time.monotonic() - began
        line = f"  {count:,} sessions ({size_mib:.1f} MiB file) [{took:.0f} s]: import"
        if "wall_s" in imported:
            line += f" {imported['wall_s']:.1f} s, longest block {imported['longest_ms']:.0f} ms"
            line += f" ({imported['message']})"
        print(line + (f" FAILED: {imported['error']}" if "error" in imported else ""), flush=True)
        if "wall_s" not in imported:  # nothing imported: the pages would show nothing to measure
            return {"import": imported, "pages": dict.fromkeys(PAGES), "skipped": True}
        pages = {}
        for page_path in PAGES:
            began = time.monotonic()
            pages[page_path] = measure_page(context, renderers, base, page_path)
            took = time.monotonic() - began
            print(f"    {page_path:9} [{took:3.0f} s] {describe(pages[page_path])}", flush=True)
        return {"import": imported, "pages": pages, "skipped": False}
    finally:
        context.close()


# --- The table ---------------------------------------------------------------


def table(
    wanted: list[int],
    results: dict[int, dict[str, Any]],
    ratio: dict[str, float | None],
) -> None:
    small, large = wanted[0], wanted[-1]

    def value(path: str, n: int, key: str, digits: int = 0) -> str:
        got = results[n]["pages"][path]
        if got is None:
            return "no import" if results[n]["skipped"] else f"> {PAGE_TIMEOUT_S} s"
        if got[key] is None:
            return "busy"
        text = f"{got[key]:,.{digits}f}"
        return text + "*" if key == "main_ms" and not got["quiet"] else text

    def imported(n: int, key: str, digits: int) -> str:
        got = results[n]["import"].get(key)
        return "failed" if got is None else f"{got:,.{digits}f}"

    header = f"{'main-thread ms':24}" + "".join(f"{n:>10,}" for n in wanted)
    header += f"{f'{large:,}:{small:,}':>14}"
    header += f"{f'shown ms @{large:,}':>18}{f'heap MiB @{large:,}':>18}"
    print(header)
    for path in PAGES:
        row = f"{path:24}" + "".join(f"{value(path, n, 'main_ms'):>10}" for n in wanted)
        ratio_text = f"{ratio[path]:.2f}x" if ratio[path] is not None else "-"
        row += f"{ratio_text:>14}{value(path, large, 'shown_ms'):>18}"
        row += f"{value(path, large, 'heap_mib', 1):>18}"
        print(row)
    print(f"{'import wall s':24}" + "".join(f"{imported(n, 'wall_s', 1):>10}" for n in wanted))
    print(
        f"{'import longest block ms':24}"
        + "".join(f"{imported(n, 'longest_ms', 0):>10}" for n in wanted)
    )
    got = [results[n]["pages"][path] for n in wanted for path in PAGES]
    if any(g and g["main_ms"] is not None and not g["quiet"] for g in got):
        print(f"* never quiet for a second within {QUIET_CAP_S} s: still working when measured")
    if any(g and g["main_ms"] is None for g in got):
        print(
            f"busy: still working {QUIET_CAP_S + ANSWER_S} s after showing its content "
            "(main thread and heap not measured)"
        )


def run() -> dict[str, Any]:
    wanted = sizes()
    started = time.monotonic()
    print(
        f"History scale: {', '.join(f'{n:,}' for n in wanted)} sessions imported, pages loaded "
        f"with the CPU slowed {THROTTLE}x (median of {ROUNDS} after a warm-up load)",
        flush=True,
    )
    results: dict[int, dict[str, Any]] = {}
    with chromium_on_live_server() as (browser, base), tempfile.TemporaryDirectory() as tmp:
        routine = httpx.get(base + "/api/v1/routine", params={"lang": "en"}, timeout=10).json()
        for count in wanted:
            results[count] = measure_size(browser, base, routine, count, Path(tmp))
    small, large = wanted[0], wanted[-1]
    failures: list[str] = []
    pages: dict[str, dict[int, dict[str, Any] | None]] = {}
    ratio: dict[str, float | None] = {}
    heap: dict[str, float | None] = {}
    for path in PAGES:
        pages[path] = {n: results[n]["pages"][path] for n in wanted}
        for n, got in pages[path].items():
            if got is None and not results[n]["skipped"]:
                failures.append(
                    f"{path} showed nothing within {PAGE_TIMEOUT_S} s with {n:,} sessions"
                )
            elif got is not None and got["main_ms"] is None:
                failures.append(
                    f"{path} was still busy {QUIET_CAP_S + ANSWER_S} s after showing its "
                    f"content with {n:,} sessions"
                )
        first, last = pages[path][small], pages[path][large]
        few, many = (first or {}).get("main_ms"), (last or {}).get("main_ms")
        ratio[path] = many / few if few and many and large > small else None
        heap[path] = (last or {}).get("heap_mib")
    imports = {n: results[n]["import"] for n in wanted}
    for n, got in imports.items():
        if "error" in got:
            failures.append(f"import of {n:,} sessions: {got['error']}")
    table(wanted, results, ratio)
    print(f"History scale took {time.monotonic() - started:.0f} s")
    return {
        "sizes": wanted,
        "smallest": small,
        "largest": large,
        "pages": pages,
        "ratio": ratio,
        "heap_mib": heap,
        "import": imports,
        "failures": failures,
    }


if __name__ == "__main__":
    for failure in run()["failures"]:
        print(f"FAILED: {failure}")
