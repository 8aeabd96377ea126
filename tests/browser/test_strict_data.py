"""The device keeps the server's rules (ARCHITECTURE §8): the shared cases of
tests/cases/session_data.json run through transfer.js in the page, and those of
tests/cases/settings_data.json through the settings check; a file
imported through Settings keeps ids in lower case and knows one moment in two
offsets for one session."""

import json
import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.helpers import READ_META, module_runner, stores, wait_until
from tests.test_records import load_settings_cases
from tests.test_strict_data import load_cases, stored

# Each case through checkSession; then all of them as one JSON file through planImport.
CHECK_ALL = """
const verdicts = arg.map((c) => {
  try {
    return { valid: true, data: transfer.checkSession(c.data, routine) };
  } catch (error) {
    return { valid: false, field: error.field ?? null, message: error.message,
      invalid: error.constructor.name };
  }
});
return verdicts;
"""
CHECK_SETTINGS = """
return arg.map((data) => {
  try {
    return { valid: true, data: settings_check.checkSettings(data) };
  } catch (error) {
    return { valid: false, field: error.field ?? null, message: error.message,
      invalid: error.constructor.name };
  }
});
"""
PLAN_FILE = """
const file = JSON.stringify({ format: transfer.FORMAT, version: 1, exported_at: "x",
  sessions: arg.sessions });
const plan = await transfer.planImport(file, arg.existing, routine);
return { add: plan.add, already: plan.already, invalid: plan.invalid };
"""


def file_session(record_id: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": record_id, "version": 1, "deleted": False, "data": data}


def test_the_importer_judges_every_shared_case_as_the_server_does(page: Page, base_url: str):
    cases = load_cases()
    run = module_runner(page, base_url, "data/transfer")
    verdicts = run(CHECK_ALL, cases)
    wrong = []
    for case, verdict in zip(cases, verdicts, strict=True):
        if case["valid"]:
            if not verdict["valid"] or verdict["data"] != stored(case):
                wrong.append((case["name"], verdict))
        else:
            # The path of what is wrong, and its words name the field.
            last = case["field"].rsplit(".", 1)[-1]
            if (
                verdict["valid"]
                or verdict["field"] != case["field"]
                or last not in verdict["message"]
                or verdict["invalid"] != "Invalid"
            ):
                wrong.append((case["name"], verdict))
    assert wrong == []


def test_the_settings_check_judges_every_shared_case_as_the_server_does(
    page: Page, base_url: str
) -> None:
    cases = load_settings_cases()
    run = module_runner(page, base_url, "settings/settings-check")
    verdicts = run(CHECK_SETTINGS, [c["data"] for c in cases])
    wrong = []
    for case, verdict in zip(cases, verdicts, strict=True):
        if case["valid"]:
            if verdict != {"valid": True, "data": case["data"]}:
                wrong.append((case["name"], verdict))
        else:
            # As the server answers: the path of what is wrong, named in the words.
            last = case["field"].rsplit(".", 1)[-1]
            named = last in verdict.get("message", "") or last.isdigit()
            expected = {"valid": False, "field": case["field"], "invalid": "Invalid"}
            if {k: verdict.get(k) for k in expected} != expected or not named:
                wrong.append((case["name"], verdict))
    assert wrong == []


def test_an_import_plan_adds_the_valid_cases_once_each_and_lists_the_rest(
    page: Page, base_url: str
) -> None:
    cases = load_cases()
    ids = [str(uuid.uuid4()).upper() for _ in cases]
    run = module_runner(page, base_url, "data/transfer")
    sessions = [file_session(i, c["data"]) for i, c in zip(ids, cases, strict=True)]
    plan = run(PLAN_FILE, {"sessions": sessions, "existing": []})
    # Cases that store the same data (one moment written in several ways) are one
    # session: the first is added (as the file has it), the others are already here.
    valid, seen = [], []
    for record_id, case in zip(ids, cases, strict=True):
        if case["valid"] and stored(case) not in seen:
            valid.append((record_id.lower(), case["data"]))
            seen.append(stored(case))
    assert [(a["id"], a["data"]) for a in plan["add"]] == valid
    assert plan["already"] == sum(c["valid"] for c in cases) - len(valid) > 0
    assert len(plan["invalid"]) == sum(not c["valid"] for c in cases)
    assert plan["invalid"][0].startswith("session ")


def test_one_uuid_in_capitals_and_lower_case_and_one_moment_in_two_offsets_are_one_session(
    page: Page, base_url: str
) -> None:
    [case] = [c for c in load_cases() if c["name"] == "an offset is stored in UTC"]
    record_id = str(uuid.uuid4())
    run = module_runner(page, base_url, "data/transfer")
    in_utc = stored(case)
    twice = [file_session(record_id.upper(), case["data"]), file_session(record_id, in_utc)]
    plan = run(PLAN_FILE, {"sessions": twice, "existing": []})
    assert ([(a["id"], a["data"]) for a in plan["add"]], plan["already"]) == (
        [(record_id, case["data"])],
        1,
    )
    # Already on this device, under the id in capitals and with the offset: nothing to add.
    here = [{"id": record_id.upper(), "deleted": False, "data": case["data"]}]
    plan = run(PLAN_FILE, {"sessions": [file_session(record_id, in_utc)], "existing": here})
    assert (plan["add"], plan["already"]) == ([], 1)


def test_a_file_with_server_refused_sessions_imports_only_the_good_one(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    by_name = {c["name"]: c for c in load_cases()}
    good = by_name["an offset is stored in UTC"]
    record_id = str(uuid.uuid4())
    sessions = [
        file_session(record_id.upper(), good["data"]),
        file_session(str(uuid.uuid4()), by_name["digits for the start"]["data"]),
        file_session(str(uuid.uuid4()), by_name["ended before it started"]["data"]),
        file_session(str(uuid.uuid4()), by_name["an exercise the routine does not have"]["data"]),
    ]
    path = tmp_path / "mixed.json"
    export = {"format": "spine-routine-export", "version": 1, "exported_at": "x"}
    path.write_text(json.dumps({**export, "sessions": sessions}), encoding="utf-8")
    page.goto(base_url + "/settings")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import a file").click()
    chooser.value.set_files(str(path))
    message = page.locator("[data-data-message]")
    expect(message).to_contain_text("1 added, 0 already here, 3 not valid")
    expect(message).to_contain_text("session 3: ended_at must not be before started_at")
    held = page.evaluate(
        """async () => {
          const { listSessions } = await import("/static/js/lib/sessions.js");
          return (await listSessions()).map((r) => ({ id: r.id, data: r.data }));
        }"""
    )
    assert held == [{"id": record_id, "data": good["data"]}]


def test_a_session_kept_here_under_an_id_in_capitals_syncs_as_one_record(
    page: Page, base_url: str
) -> None:
    [case] = [c for c in load_cases() if c["name"] == "Z without a fraction"]
    record_id = str(uuid.uuid4())
    page.goto(base_url + "/settings")
    # Imported or pulled before ids were kept in lower case.
    page.evaluate(
        """async ([id, data]) => {
          const { saveSession } = await import("/static/js/lib/sessions.js");
          await saveSession(data, id);
        }""",
        [record_id.upper(), case["data"]],
    )
    page.get_by_label("A name for this device").fill("Phone")
    page.get_by_role("button", name="Turn on sync").click()
    page.get_by_role("button", name="I have saved it").click()
    synced = f"async (key) => Boolean((await ({READ_META})(key))?.lastSyncAt)"
    wait_until(page, synced, "sync")  # a whole round: the push, then the pull after it
    held = stores(page)["sessions"]
    assert [(s["id"], s["data"], s["version"]) for s in held] == [(record_id, case["data"], 1)]
