"""History: saved sessions, newest first; details, edits and deletes that sync can follow."""

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import SPIES, go_offline, stores
from tests.browser.test_pages import assert_accessible

SEED = """async (sessions) => {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open("spine-routine");
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  await new Promise((resolve) => {
    const tx = db.transaction("sessions", "readwrite");
    for (const s of sessions) tx.objectStore("sessions").put(s);
    tx.oncomplete = resolve;
  });
  db.close();
}"""


def session(id_: str, started: str, ended: str | None, notes: str = "") -> dict:
    return {
        "id": id_,
        "type": "session",
        "version": 0,
        "dirty": True,
        "deleted": False,
        "started_at": started,
        "updated_at": started,
        "data": {
            "routine_id": "spine-five",
            "started_at": started,
            "ended_at": ended,
            "pain_before": 4,
            "pain_after": 2,
            "notes": notes,
            "exercises": [
                {"exercise_id": "knees-to-chest", "reps": 15, "skipped": False},
                {"exercise_id": "knee-rolls", "reps": {"left": 12, "right": 12}, "skipped": False},
                {
                    "exercise_id": "straight-leg-raise",
                    "reps": {"left": 0, "right": 0},
                    "skipped": True,
                },
                {"exercise_id": "upper-ab-crunch", "reps": 12, "skipped": False},
                {
                    "exercise_id": "opposite-arm-leg-lift",
                    "reps": {"left": 12, "right": 12},
                    "skipped": False,
                },
            ],
        },
    }


OLDER = session(
    "11111111-1111-4111-8111-111111111111",
    "2026-11-20T07:30:00.000Z",
    "2026-11-20T07:48:00.000Z",
    "<img src=x onerror=alert(1)> stiff today",
)
NEWER = session("22222222-2222-4222-8222-222222222222", "2026-11-23T18:00:00.000Z", None)


def open_history(page: Page, context: BrowserContext, base_url: str) -> None:
    go_offline(page, context, base_url)
    page.goto(base_url + "/history")
    # The app has opened (and so created) its database once the list is drawn.
    expect(page.locator("[data-sessions]")).to_have_attribute("aria-busy", "false")
    page.evaluate(SEED, [OLDER, NEWER])
    page.reload()


def test_sessions_are_listed_newest_first_with_their_facts(
    page: Page, context: BrowserContext, base_url: str, page_errors: list[str]
) -> None:
    open_history(page, context, base_url)
    items = page.locator(".session summary")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Unfinished · pain 4 → 2 · 4 of 5 exercises")
    expect(items.nth(1)).to_contain_text("18 minutes · pain 4 → 2 · 4 of 5 exercises")
    expect(page.get_by_text("No sessions saved yet.")).to_be_hidden()
    items.nth(1).click()
    details = page.locator(".session").nth(1)
    expect(details.get_by_role("row", name="Straight-leg raise Not done")).to_be_visible()
    expect(details.get_by_role("row", name="Knee rolls 12 left, 12 right")).to_be_visible()
    # A note is text, never markup.
    expect(details.locator(".session-note")).to_have_text(
        "<img src=x onerror=alert(1)> stiff today"
    )
    expect(details.locator(".session-note img")).to_have_count(0)
    # The chart of pain over time, with its numbers for anyone who cannot see it.
    chart = page.get_by_role("img", name="Pain after your last 2 sessions went from 2 to 2.")
    expect(chart).to_be_visible()
    expect(chart.locator("circle")).to_have_count(4)
    page.get_by_text("Show the numbers").click()
    expect(page.locator("[data-chart-rows] tr")).to_have_count(2)
    expect(page.locator("[data-chart-rows] tr").first).to_contain_text("4")
    assert_accessible(page)


def test_editing_a_note_and_pain_rating_queues_the_change(
    page: Page, context: BrowserContext, base_url: str
) -> None:
    open_history(page, context, base_url)
    page.locator(".session summary").nth(1).click()
    item = page.locator(".session").nth(1)
    item.get_by_label("Note").fill("Much better after the walk")
    item.get_by_label("Pain after (0–10)").select_option("1")
    item.get_by_role("button", name="Save changes").click()
    expect(page.locator(".session summary").nth(1)).to_contain_text("pain 4 → 1")
    saved = stores(page)
    record = next(s for s in saved["sessions"] if s["id"] == OLDER["id"])
    assert record["data"]["notes"] == "Much better after the walk"
    assert record["data"]["pain_after"] == 1
    assert record["dirty"] is True
    [change] = saved["outbox"]
    assert change["id"] == OLDER["id"]
    assert change["data"] == record["data"]


def test_deleting_asks_first_and_leaves_a_tombstone(
    page: Page, context: BrowserContext, base_url: str
) -> None:
    open_history(page, context, base_url)
    page.locator(".session summary").nth(0).click()
    item = page.locator(".session").nth(0)
    item.get_by_role("button", name="Delete session").click()
    item.get_by_role("button", name="Keep it").click()
    expect(page.locator(".session")).to_have_count(2)
    item.get_by_role("button", name="Delete session").click()
    item.get_by_role("button", name="Yes, delete it").click()
    expect(page.locator(".session")).to_have_count(1)
    saved = stores(page)
    tombstone = next(s for s in saved["sessions"] if s["id"] == NEWER["id"])
    assert tombstone["deleted"] is True
    assert tombstone["data"] is None
    [change] = saved["outbox"]
    assert (change["id"], change["deleted"], change["data"]) == (NEWER["id"], True, None)
    page.reload()
    expect(page.locator(".session")).to_have_count(1)


def start_workout_offline(page: Page, context: BrowserContext, base_url: str, ms: int) -> None:
    """Offline, with a fake clock: start the workout and let `ms` pass."""
    context.add_init_script(SPIES)
    page.clock.install()
    go_offline(page, context, base_url)
    page.goto(base_url + "/workout")
    page.get_by_role("button", name="Start workout").click()
    page.clock.run_for(ms)


def test_a_saved_workout_is_still_in_history_after_reopening(
    page: Page, context: BrowserContext, base_url: str
) -> None:
    start_workout_offline(page, context, base_url, 60_000)
    page.get_by_role("button", name="End workout").click()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("heading", name="Session saved")).to_be_visible()
    page.close()
    again = context.new_page()
    again.goto(base_url + "/history")
    expect(again.locator(".session")).to_have_count(1)
    expect(again.locator(".session summary")).to_contain_text("1 minute · pain – → –")


def test_a_workout_left_for_hours_is_kept_as_unfinished(
    page: Page, context: BrowserContext, base_url: str
) -> None:
    start_workout_offline(page, context, base_url, 30_000)
    page.goto(base_url + "/history")
    expect(page.get_by_text("A workout is in progress.")).to_be_visible()
    page.clock.run_for(7 * 60 * 60 * 1000)
    page.reload()
    expect(page.locator(".session summary")).to_contain_text("Unfinished")
    expect(page.get_by_text("A workout is in progress.")).to_be_hidden()
    assert stores(page)["progress"] is None


def test_a_change_the_server_refused_is_pointed_out(
    page: Page, context: BrowserContext, base_url: str
) -> None:
    open_history(page, context, base_url)
    page.evaluate(
        """async (id) => {
            const db = await new Promise((resolve) => {
                const open = indexedDB.open("spine-routine");
                open.onsuccess = () => resolve(open.result);
            });
            await new Promise((resolve) => {
                const tx = db.transaction("outbox", "readwrite");
                tx.objectStore("outbox").put({ id, type: "session", base_version: 0,
                    deleted: false, data: null, queued_at: "2026-11-24T08:00:00Z",
                    rejected: { code: "invalid_data", message: "data.notes: too long" } });
                tx.oncomplete = resolve;
            });
            db.close();
        }""",
        OLDER["id"],
    )
    page.reload()
    badges = page.locator(".session").nth(1).locator(".badge")
    expect(badges.first).to_have_text("Could not sync: data.notes: too long")
    expect(page.locator(".session").nth(0).locator(".badge").first).to_have_text(
        "On this device only"
    )
