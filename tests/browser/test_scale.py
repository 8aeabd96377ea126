"""Years of logs in real Chromium: the kept tally always says what all the logs
say, History pages through 10,000 sessions, an import cut short by a reload
finishes without doubling any, and a new device shows how far its first pull is.

Timings are measured by `make bench` (bench/history_scale.py), never here.
"""

import json
import random
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE
from tests.browser.helpers import stores
from tests.sync_client import Device, new_account

# Thousands of logs take a while on a busy machine: generous waits (never timed).
SLOW = 60_000

MODULES = """
const store = await import("/static/js/progress/progress-store.js");
const progress = await import("/static/js/progress/progress.js");
const sessions = await import("/static/js/lib/sessions.js");
const records = await import("/static/js/lib/records.js");
const db = await import("/static/js/lib/db.js");
const routine = await (await fetch("/api/v1/routine")).json();
"""

# Under the sync engine's own lock, so no sync writes between the two reads:
# the kept tally plus the recent logs, and a tally of every log from scratch.
COMPARE = (
    """async (now) => {"""
    + MODULES
    + """
  return navigator.locks.request("spine-routine-sync", async () => {
    const kept = await store.loadTally(routine, new Date(now));
    const all = (await db.getAll("sessions")).filter((r) => !r.deleted)
      .sort((a, b) => (a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1
        : a.id < b.id ? -1 : 1));
    const resetAt = (await db.get("meta", store.RESET_KEY)) ?? null;
    const full = progress.tallyOf(all.map((r) => r.data), routine, { resetAt });
    const at = new Date(now);
    const read = (t) => records.canonical({ tally: t,
      streak: progress.streak(t, { now: at, goal: 3, firstDay: 1 }),
      strength: [1, 3, 7].map((goal) => progress.habitStrength(t, { now: at, goal })),
      plan: progress.nextTargets(t, routine) });
    return { same: read(kept) === read(full), count: full.count,
      kept: read(kept).slice(0, 3000), full: read(full).slice(0, 3000) };
  });
}"""
)


def routine(base_url: str) -> dict[str, Any]:
    return dict(httpx.get(f"{base_url}/api/v1/routine").json())


def session_log(
    rnd: random.Random, exercises: list[dict[str, Any]], at: datetime
) -> dict[str, Any]:
    """A log as the app writes it, with every field a person can vary."""
    entries = []
    for exercise in exercises:
        reps: Any = rnd.randint(exercise["reps"]["min"] - 2, exercise["reps"]["max"])
        if exercise["sides"] != "none":
            reps = {"left": reps, "right": reps - rnd.randint(0, 1)}
        entry: dict[str, Any] = {
            "exercise_id": exercise["id"],
            "reps": reps,
            "skipped": rnd.random() < 0.25,
        }
        if rnd.random() < 0.3:
            entry["rating"] = rnd.choice(["easy", "ok", "hard", "painful"])
        if rnd.random() < 0.05:
            entry["hurt"] = True
        if rnd.random() < 0.3:
            entry["target"] = {"reps": exercise["reps"]["min"], "hold_seconds": None}
        entries.append(entry)
    # Some logs were written with an offset: they must still sort by the moment.
    offset = rnd.choice([0, 0, 0, 2, -5])
    local = at.astimezone(UTC) + timedelta(hours=offset)
    stamp = local.strftime("%Y-%m-%dT%H:%M:%S") + (
        "Z" if offset == 0 else f"{'+' if offset > 0 else '-'}{abs(offset):02d}:00"
    )
    pain = lambda: None if rnd.random() < 0.2 else rnd.choice([0, 1, 2, 2, 3, 3, 4, 5, 7, 8])  # noqa: E731
    return {
        "routine_id": "spine-five",
        "started_at": stamp,
        "ended_at": None if rnd.random() < 0.1 else stamp,
        "pain_before": pain(),
        "pain_after": pain(),
        "notes": "",
        "exercises": entries,
    }


def some_day(rnd: random.Random, start: datetime, days: int) -> datetime:
    return start + timedelta(seconds=rnd.randint(0, days * 86400))


@pytest.mark.parametrize("seed", [3, 11])
def test_the_kept_tally_equals_a_count_of_every_log(
    browser: Browser, base_url: str, seed: int
) -> None:
    """Random adds, edits, deletes, imports, pulls from another device and plan
    resets over three years, with the day moving on: after each, the tally a
    page reads (kept plus recent) is the tally of all the logs, to the number."""
    rnd = random.Random(seed)
    exercises = routine(base_url)["exercises"]
    origin = datetime(2024, 1, 1, tzinfo=UTC)
    span = (datetime(2026, 12, 1, tzinfo=UTC) - origin).days
    context = browser.new_context(viewport=PHONE, timezone_id="Europe/Madrid")
    page = context.new_page()
    http = httpx.Client(base_url=base_url)
    other, _ = new_account(http, "tablet")
    join(page, base_url, http.post("/api/v1/pairings", headers=other.headers).json()["code"])
    live: set[str] = set()
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)

    def write(logs: list[tuple[str, dict[str, Any]]]) -> None:
        page.evaluate(
            """async (logs) => {"""
            + MODULES
            + """
          const stamp = new Date().toISOString();
          await records.writeRecords(logs.map(([id, data]) => ({ id, type: "session", version: 0,
            dirty: true, deleted: false, data, base: null, started_at: data.started_at,
            updated_at: stamp })));
        }""",
            logs,
        )

    def batch(count: int) -> list[tuple[str, dict[str, Any]]]:
        return [
            (str(uuid.uuid4()), session_log(rnd, exercises, some_day(rnd, origin, span)))
            for _ in range(count)
        ]

    # Years of logs to begin with, some at the very same moment.
    first = batch(700)
    twin = first[0][1]["started_at"]
    for _, data in first[:12]:
        data["started_at"] = twin
    write(first)
    live.update(i for i, _ in first)
    ops = ["add"] * 5 + ["edit"] * 4 + ["delete"] * 2 + ["import", "pull", "reset"]
    for step in range(45):
        op = rnd.choice(ops)
        if op == "add":
            recent = rnd.random() < 0.6
            start = now - timedelta(days=40) if recent else origin
            when = some_day(rnd, start, 40 if recent else span)
            logs = [(str(uuid.uuid4()), session_log(rnd, exercises, when))]
            page.evaluate(
                "async ([id, data]) => { const m = await import('/static/js/lib/sessions.js');"
                " await m.saveSession(data, id); }",
                logs[0],
            )
            live.add(logs[0][0])
        elif op == "edit" and live:
            target = rnd.choice(sorted(live))
            changes = {"pain_after": rnd.choice([None, 1, 3, 8]), "notes": f"step {step}"}
            page.evaluate(
                "async ([id, changes]) => { const m = await import('/static/js/lib/sessions.js');"
                " await m.updateSession(id, changes); }",
                [target, changes],
            )
        elif op == "delete" and live:
            target = rnd.choice(sorted(live))
            page.evaluate(
                "async (id) => { const m = await import('/static/js/lib/sessions.js');"
                " await m.deleteSession(id); }",
                target,
            )
            live.discard(target)
        elif op == "import":
            logs = batch(rnd.randint(1, 600))
            write(logs)
            live.update(i for i, _ in logs)
        elif op == "pull":
            # The other device adds old and new logs and edits and deletes some of ours.
            pulled = pull_from_other(page, other, rnd, exercises, origin, span, live)
            live.update(pulled["added"])
            live.difference_update(pulled["deleted"])
        elif op == "reset":
            at = some_day(rnd, origin, span + 30).isoformat().replace("+00:00", "Z")
            page.evaluate(
                "async (at) => { const m = await import('/static/js/lib/db.js');"
                " await m.put('meta', new Date(at).toISOString(), 'plan-reset'); }",
                at,
            )
        now += timedelta(days=rnd.choice([0, 0, 1, 3, 20, 60]))
        result = page.evaluate(COMPARE, now.isoformat())
        assert result["same"], (step, op, result["kept"], result["full"])
        assert result["count"] == len(live), (step, op)
    kept = page.evaluate(
        "async () => { const m = await import('/static/js/lib/db.js');"
        " return [await m.get('meta', 'progress-tally'), await m.get('meta', 'progress-mark')]; }"
    )
    # And the kept tally is really kept (not made again for every page).
    assert kept[0] is not None
    assert kept[0]["tally"]["count"] > 300
    assert kept[1]["before"] == kept[0]["before"]
    http.close()
    context.close()


def join(page: Page, base_url: str, code: str) -> None:
    page.goto(f"{base_url}/settings")
    page.get_by_label("Already syncing on another device?").fill(code)
    page.get_by_role("button", name="Join with a code").click()
    expect(page.get_by_text("This device now syncs with your other devices.")).to_be_visible()


def pull_from_other(
    page: Page,
    other: Device,
    rnd: random.Random,
    exercises: list[dict[str, Any]],
    origin: datetime,
    span: int,
    live: set[str],
) -> dict[str, list[str]]:
    """Let the phone send what it has, the other device change things, and the phone pull."""
    sync_now(page)
    other.pull()
    added = [
        other.create(session_log(rnd, exercises, some_day(rnd, origin, span)))
        for _ in range(rnd.randint(1, 30))
    ]
    mine = sorted(i for i in other.live() if i in live)
    deleted = rnd.sample(mine, min(len(mine), rnd.randint(0, 3)))
    for record_id in deleted:
        other.delete(record_id)
    for record_id in rnd.sample(sorted(set(mine) - set(deleted)), min(len(mine) - len(deleted), 3)):
        other.edit(record_id, pain_after=rnd.choice([0, 2, 9]))
    other.push()
    sync_now(page)
    return {"added": added, "deleted": deleted}


def sync_now(page: Page) -> None:
    page.evaluate(
        "async () => { const m = await import('/static/js/sync/sync.js');"
        " for (let i = 0; i < 20 && (await m.status()).waiting; i++) await m.syncNow();"
        " await m.syncNow(); }"
    )


GENERATE = """async ({ count, end }) => {
  const records = await import("/static/js/lib/records.js");
  const routine = await (await fetch("/api/v1/routine")).json();
  const made = [];
  const last = Date.parse(end);
  for (let i = 0; i < count; i++) {
    const started = new Date(last - i * 86400000 - (i % 3) * 3600000).toISOString();
    made.push({ id: crypto.randomUUID(), type: "session", version: 0, dirty: true, deleted: false,
      base: null, started_at: started, updated_at: started,
      data: { routine_id: routine.id, started_at: started, ended_at: started, pain_before: i % 6,
        pain_after: (i + 2) % 6, notes: `log ${i}`, exercises: routine.exercises.map((e) => ({
          exercise_id: e.id, skipped: false,
          reps: e.sides === "none" ? e.reps.min : { left: e.reps.min, right: e.reps.min } })) } });
  }
  for (let i = 0; i < made.length; i += 1000) await records.writeRecords(made.slice(i, i + 1000));
  // As an import does when it ends: the tally of the new logs is made and kept.
  const store = await import("/static/js/progress/progress-store.js");
  await store.loadTally(routine);
  return made.length;
}"""


def test_history_pages_through_ten_thousand_sessions(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/about")
    assert page.evaluate(GENERATE, {"count": 10_000, "end": "2026-11-30T07:00:00Z"}) == 10_000
    page.goto(f"{base_url}/history")
    items = page.locator("[data-sessions] > li")
    expect(items).to_have_count(20, timeout=SLOW)
    expect(page.locator("[data-sessions-shown]")).to_have_text(
        "20 of 10,000 sessions shown.", timeout=SLOW
    )
    # Newest first, and a screen reader hears the place in all ten thousand.
    expect(items.first).to_have_attribute("aria-posinset", "1")
    expect(items.first).to_have_attribute("aria-setsize", "10000")
    expect(items.first.locator(".session-date")).to_contain_text("November 30, 2026")
    expect(page.get_by_role("heading", name="This week")).to_be_visible()
    # The button adds the next twenty, and the keyboard goes on from the first of them.
    more = page.get_by_role("button", name="Show 20 older sessions")
    more.click()
    expect(items.nth(39)).to_be_attached(timeout=SLOW)
    focused = page.evaluate(
        "() => document.activeElement.closest('li').getAttribute('aria-posinset')"
    )
    assert focused == "21"
    # Scrolling to the end of the list brings the next ones by itself.
    count = items.count()
    items.last.scroll_into_view_if_needed()
    expect(items.nth(count)).to_be_attached(timeout=SLOW)
    # Page through every one of them.
    shown = page.evaluate(
        """async () => {
          const list = document.querySelector("[data-sessions]");
          const button = document.querySelector("[data-more]");
          while (!button.hidden) {
            const n = list.children.length;
            button.click();
            await new Promise((resolve) => {
              const watch = new MutationObserver(() => {
                if (list.children.length > n) { watch.disconnect(); resolve(); }
              });
              watch.observe(list, { childList: true });
            });
          }
          const keys = [...list.children].map((li) => li.dataset.key);
          const ids = new Set([...list.children].map((li) => li.dataset.id));
          return { count: keys.length, distinct: ids.size,
            newestFirst: keys.every((k, i) => i === 0 || keys[i - 1] >= k),
            last: list.lastElementChild.getAttribute("aria-posinset"),
            heap: performance.memory.usedJSHeapSize };
        }"""
    )
    assert shown["count"] == shown["distinct"] == 10_000
    assert shown["newestFirst"]
    assert shown["last"] == "10000"
    assert shown["heap"] < 200 * 2**20
    expect(more).to_be_hidden()
    expect(page.locator("[data-sessions-shown]")).to_have_text("")
    # The oldest one opens with its details, as the newest does.
    oldest = items.last
    oldest.locator("summary").click()
    expect(oldest.get_by_role("table", name="Exercises")).to_be_visible(timeout=SLOW)
    expect(oldest.locator(".session-note")).to_have_text("log 9999")


def export_file(tmp_path: Path, base_url: str, count: int) -> tuple[Path, list[str]]:
    rnd = random.Random(5)
    exercises = routine(base_url)["exercises"]
    start = datetime(2014, 1, 1, 7, tzinfo=UTC)  # 4,000 days: all in the past
    sessions = [
        {
            "id": str(uuid.uuid4()),
            "version": 0,
            "deleted": False,
            "data": session_log(rnd, exercises, start + timedelta(days=n)),
        }
        for n in range(count)
    ]
    body = {"format": "spine-routine-export", "version": 1, "exported_at": "2026-11-30T08:00:00Z"}
    path = tmp_path / "spine-routine-2026-11-30.json"
    path.write_text(json.dumps({**body, "sessions": sessions}), encoding="utf-8")
    return path, [s["id"] for s in sessions]


def test_an_import_cut_short_by_a_reload_finishes_without_doubling(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    path, ids = export_file(tmp_path, base_url, 4_000)
    page.goto(f"{base_url}/settings")
    expect(page.get_by_role("button", name="Import a file")).to_be_enabled(timeout=SLOW)
    # The moment 1,000 sessions are saved, the page reloads (as if closed halfway).
    page.evaluate(
        """() => {
          const label = document.querySelector("[data-import-label]");
          window.__seen = [];
          new MutationObserver(() => {
            window.__seen.push(label.textContent);
            if (/^Saving [1-9],\\d{3} of 4,000/.test(label.textContent)) location.reload();
          }).observe(label, { childList: true, characterData: true, subtree: true });
        }"""
    )
    page.locator("[data-import-file]").set_input_files(path)
    page.wait_for_url(re.compile("/settings"), wait_until="load")
    page.wait_for_function("() => !window.__seen", timeout=SLOW)  # the reloaded page
    # It goes on by itself, and says what the whole import did.
    expect(page.locator("[data-data-message]")).to_have_text(
        "4,000 added, 0 already here.", timeout=SLOW
    )
    expect(page.locator("[data-import-progress]")).to_be_hidden()
    held = stores(page)
    kept = [r["id"] for r in held["sessions"]]
    assert sorted(kept) == sorted(ids)
    assert sorted(e["id"] for e in held["outbox"]) == sorted(ids)
    # Importing the same file again adds nothing.
    page.locator("[data-import-file]").set_input_files(path)
    expect(page.locator("[data-data-message]")).to_have_text(
        "0 added, 4,000 already here.", timeout=SLOW
    )


def test_an_import_shows_its_progress(page: Page, base_url: str, tmp_path: Path) -> None:
    path, _ = export_file(tmp_path, base_url, 3_000)
    page.goto(f"{base_url}/settings")
    # As a person can: once the button is there to press (the page has wired the input).
    expect(page.get_by_role("button", name="Import a file")).to_be_enabled(timeout=SLOW)
    page.evaluate(
        """() => {
          const box = document.querySelector("[data-import-progress]");
          window.__bars = [];
          new MutationObserver(() => {
            const bar = box.querySelector("progress");
            if (!box.hidden) window.__bars.push([box.textContent.trim(), bar.value, bar.max]);
          }).observe(box, { attributes: true, childList: true, characterData: true,
            subtree: true });
        }"""
    )
    page.locator("[data-import-file]").set_input_files(path)
    expect(page.locator("[data-data-message]")).to_have_text(
        "3,000 added, 0 already here.", timeout=SLOW
    )
    bars = page.evaluate("() => window.__bars")
    saving = [b for b in bars if b[0].startswith("Saving")]
    assert any(re.fullmatch(r"Saving 1,\d{3} of 3,000 sessions", b[0]) for b in saving), bars
    assert all(b[2] == 3_000 and 0 <= b[1] <= 3_000 for b in saving)
    assert [b[1] for b in saving] == sorted(b[1] for b in saving)
    assert any(b[0].startswith("Checking") for b in bars)


def test_a_new_device_shows_how_far_its_first_pull_is(browser: Browser, base_url: str) -> None:
    http = httpx.Client(base_url=base_url)
    other, _ = new_account(http, "tablet")
    rnd = random.Random(9)
    exercises = routine(base_url)["exercises"]
    start = datetime(2023, 1, 1, 7, tzinfo=UTC)
    for n in range(1_200):
        other.create(session_log(rnd, exercises, start + timedelta(days=n)))
        if len(other.outbox) == 200:  # the most one push may carry
            other.push()
    assert not other.outbox
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(
        """window.__status = [];
        new MutationObserver(() => {
          const text = document.querySelector("[data-sync-status]")?.textContent.trim();
          if (text && window.__status.at(-1) !== text) window.__status.push(text);
        }).observe(document, { childList: true, characterData: true, subtree: true });"""
    )
    page = context.new_page()
    join(page, base_url, http.post("/api/v1/pairings", headers=other.headers).json()["code"])
    expect(page.locator("[data-sync-status]")).to_have_text("Synced", timeout=SLOW)
    seen = page.evaluate("() => window.__status")
    assert "Receiving 500 of 1,200 sessions" in seen, seen
    assert "Receiving 1,000 of 1,200 sessions" in seen, seen
    assert len([r for r in stores(page)["sessions"] if not r["deleted"]]) == 1_200
    page.goto(f"{base_url}/history")
    expect(page.locator("[data-sessions-shown]")).to_have_text(
        "20 of 1,200 sessions shown.", timeout=SLOW
    )
    http.close()
    context.close()
