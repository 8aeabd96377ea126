"""Your data in the browser: CSV and JSON out, either back in, and the summary
for a physiotherapist, offline and on paper."""

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import PHONE
from tests.browser.helpers import SPIES, go_offline
from tests.browser.test_pages import assert_accessible

TRICKY = 'Felt "fine", then tight;\nrested, and 日本語 too'
SAVE = """async (sessions) => {
  const { saveSession } = await import("/static/js/lib/sessions.js");
  for (const [id, data] of sessions) await saveSession(data, id);
  return true;
}"""
LIVE_SESSIONS = """async () => {
  const { listSessions } = await import("/static/js/lib/sessions.js");
  return (await listSessions()).map((r) => ({ id: r.id, data: r.data }));
}"""


def session(days_ago: int, notes: str = "", pain: tuple = (4, 3), **entry: Any) -> dict:
    # Dated from today, so they fall in the summary's default range (the last four weeks).
    today = datetime.now(UTC).replace(hour=7, minute=30, second=0, microsecond=0)
    start = today - timedelta(days=days_ago)
    return {
        "routine_id": "spine-five",
        "started_at": start.isoformat().replace("+00:00", ".000Z"),
        "ended_at": (start + timedelta(minutes=17)).isoformat().replace("+00:00", ".000Z"),
        "pain_before": pain[0],
        "pain_after": pain[1],
        "notes": notes,
        "exercises": [
            {
                "exercise_id": "knees-to-chest",
                "reps": 10,
                "skipped": False,
                "rating": "ok",
                "target": {"reps": 10, "hold_seconds": 20},
            },
            {"exercise_id": "knee-rolls", "reps": {"left": 12, "right": 11}, "skipped": False}
            | entry,
            {"exercise_id": "opposite-arm-leg-lift", "reps": 0, "skipped": True},
        ],
    }


SESSIONS = [
    ("6f1c8a52-5a51-4c6e-9d0f-2c3f4b6a7d81", session(9, "First one", (5, 4))),
    (
        "0b8e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
        session(5, TRICKY, (4, 3), rating="painful", hurt=True),
    ),
    ("9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d", session(1, "=1+1 is not a formula", (3, 1))),
]


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, has_touch=True, accept_downloads=True)
    context.add_init_script(SPIES)
    yield context
    context.close()


def with_sessions(context: BrowserContext, base_url: str) -> Page:
    page = context.new_page()
    page.goto(base_url + "/settings")
    page.evaluate(SAVE, [[i, d] for i, d in SESSIONS])
    page.reload()
    return page


def download(page: Page, button: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("button", name=button).click()
    return info.value.suggested_filename, info.value.path().read_bytes()


def save(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def import_file(page: Page, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import a file").click()
    chooser.value.set_files(str(path))


def test_json_and_csv_exports_hold_exactly_what_the_device_holds(
    phone: BrowserContext, base_url: str
) -> None:
    page = with_sessions(phone, base_url)
    expect(page.get_by_role("heading", name="Your data")).to_be_visible()
    name, raw = download(page, "Download JSON")
    assert re.fullmatch(r"spine-routine-\d{4}-\d{2}-\d{2}\.json", name)
    exported = json.loads(raw)
    assert (exported["format"], exported["version"]) == ("spine-routine-export", 1)
    held = {s["id"]: s["data"] for s in page.evaluate(LIVE_SESSIONS)}
    assert {s["id"]: s["data"] for s in exported["sessions"]} == held
    assert all(s["deleted"] is False and s["version"] == 0 for s in exported["sessions"])

    name, raw = download(page, "Download CSV")
    assert name.endswith(".csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with its mark, for Excel
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == 9  # one per exercise per session
    assert list(rows[0]) == [
        "session_id",
        "started_at",
        "ended_at",
        "duration_minutes",
        "pain_before",
        "pain_after",
        "exercise_id",
        "exercise_name",
        "variation_id",
        "reps",
        "reps_left",
        "reps_right",
        "skipped",
        "rating",
        "notes",
    ]
    tricky = [r for r in rows if r["session_id"] == SESSIONS[1][0]]
    assert [r["notes"] for r in tricky] == [TRICKY] * 3
    rolls = next(r for r in tricky if r["exercise_id"] == "knee-rolls")
    assert (rolls["reps"], rolls["reps_left"], rolls["reps_right"], rolls["rating"]) == (
        "",
        "12",
        "11",
        "painful",
    )
    assert rolls["exercise_name"] == "Knee rolls"
    first = rows[0]
    assert (first["started_at"], first["duration_minutes"], first["pain_before"]) == (
        SESSIONS[0][1]["started_at"],
        "17",
        "5",
    )
    # A spreadsheet must not run a note as a formula.
    formula = next(r for r in rows if r["session_id"] == SESSIONS[2][0])
    assert formula["notes"] == "'=1+1 is not a formula"


def test_an_export_imported_on_a_fresh_phone_gives_the_same_history_once(
    phone: BrowserContext, browser: Browser, base_url: str, tmp_path: Path
) -> None:
    page = with_sessions(phone, base_url)
    _, json_file = download(page, "Download JSON")
    _, csv_file = download(page, "Download CSV")
    held = sorted(page.evaluate(LIVE_SESSIONS), key=lambda s: s["id"])

    for name, content in (("export.json", json_file), ("export.csv", csv_file)):
        fresh = browser.new_context(viewport=PHONE)
        other = fresh.new_page()
        other.goto(base_url + "/settings")
        import_file(other, save(tmp_path, name, content))
        message = other.locator("[data-data-message]")
        expect(message).to_have_text("3 added, 0 already here.")
        got = sorted(other.evaluate(LIVE_SESSIONS), key=lambda s: s["id"])
        assert [s["id"] for s in got] == [s["id"] for s in held]
        if name.endswith(".json"):
            assert got == held
        else:  # a CSV carries no plan targets and no "It hurts"
            for mine, theirs in zip(got, held, strict=True):
                assert mine["data"]["notes"] == theirs["data"]["notes"]
                assert [e["reps"] for e in mine["data"]["exercises"]] == [
                    e["reps"] for e in theirs["data"]["exercises"]
                ]
        # Imported sessions go out with the next sync like new ones.
        outbox = other.evaluate(
            """() => new Promise((resolve) => {
              const open = indexedDB.open("spine-routine");
              open.onsuccess = () => {
                const r = open.result.transaction("outbox").objectStore("outbox").count();
                r.onsuccess = () => resolve(r.result);
              };
            })"""
        )
        assert outbox == 3
        import_file(other, save(tmp_path, name, content))
        expect(message).to_have_text("0 added, 3 already here.")
        assert len(other.evaluate(LIVE_SESSIONS)) == 3
        fresh.close()
    # Back on the first phone, its own files add nothing.
    import_file(page, save(tmp_path, "again.csv", csv_file))
    expect(page.locator("[data-data-message]")).to_have_text("0 added, 3 already here.")


def test_a_tampered_file_reports_its_bad_rows_and_stores_nothing_invalid(
    phone: BrowserContext, browser: Browser, base_url: str, tmp_path: Path
) -> None:
    page = with_sessions(phone, base_url)
    _, raw = download(page, "Download CSV")
    lines = raw.decode("utf-8-sig").split("\r\n")
    # Row 7 is the last row of the second session: its pain after becomes 11.
    cells = lines[6].split(",")
    cells[5] = "11"
    lines[6] = ",".join(cells)
    fresh = browser.new_context(viewport=PHONE)
    other = fresh.new_page()
    other.goto(base_url + "/settings")
    import_file(other, save(tmp_path, "tampered.csv", "\r\n".join(lines).encode()))
    expect(other.locator("[data-data-message]")).to_have_text(
        "2 added, 0 already here, 1 not valid (row 7: pain_after must be 0 to 10)."
    )
    assert sorted(s["id"] for s in other.evaluate(LIVE_SESSIONS)) == sorted(
        [SESSIONS[0][0], SESSIONS[2][0]]
    )
    # A changed session under a known id is kept beside the first, never over it.
    changed = json.loads(download(page, "Download JSON")[1])
    changed["sessions"][0]["data"]["pain_after"] = 0
    import_file(page, save(tmp_path, "changed.json", json.dumps(changed).encode()))
    expect(page.locator("[data-data-message]")).to_have_text("1 added, 2 already here.")
    held = page.evaluate(LIVE_SESSIONS)
    assert len(held) == 4
    copy = next(s for s in held if s["id"] not in {i for i, _ in SESSIONS})
    assert copy["data"]["pain_after"] == 0
    assert "a different version of this session is already here" in copy["data"]["notes"]
    fresh.close()


def test_the_summary_works_offline_and_prints_on_at_most_two_pages(
    phone: BrowserContext, base_url: str
) -> None:
    page = with_sessions(phone, base_url)
    # A month of training three times a week, each with a note.
    month = [
        [
            f"1a2b3c4d-0000-4000-8000-{n:012d}",
            session(10 + 2 * n, f"Week {n}: hips loose, a bit stiff."),
        ]
        for n in range(1, 10)
    ]
    page.evaluate(SAVE, month)
    go_offline(page, phone, base_url)
    page.goto(base_url + "/history")
    page.get_by_role("link", name=re.compile("summary to show your physiotherapist")).click()
    expect(page).to_have_url(base_url + "/summary")
    expect(page.locator("[data-summary-overview]")).to_contain_text("11 sessions from")
    expect(page.locator("[data-summary-pain]")).to_have_text(
        "Average pain before a session 4.0, after 2.9."
    )
    rows = page.locator("[data-summary-exercises] tr")
    expect(rows.filter(has_text="Knee rolls")).to_contain_text("12/11, 12/11, 12/11")
    expect(rows.filter(has_text="Knees to chest")).to_contain_text("20 s")
    expect(page.locator("[data-summary-hurt]")).to_contain_text(
        "Knee rolls (it hurt, felt painful)"
    )
    expect(page.locator("[data-summary-notes]")).to_contain_text("First one")
    assert_accessible(page)

    page.emulate_media(media="print")
    for name in ("Print or save as PDF",):
        expect(page.get_by_role("button", name=name)).to_be_hidden()
    expect(page.locator(".tabs")).to_be_hidden()
    expect(page.locator("[data-summary-range]")).to_be_hidden()
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(255, 255, 255)"
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper)
        pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
        assert 1 <= pages <= 2, (paper, pages)
