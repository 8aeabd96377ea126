"""A big export is read in slices (data/json-slices.js): the same value as
JSON.parse for every shape, whatever its strings hold, and the same error."""

import json
from typing import Any

from playwright.sync_api import Page

from tests.browser.helpers import module_runner

COMPARE = """
const breaths = { n: 0 };
const breathe = () => { breaths.n += 1; return new Promise((r) => setTimeout(r, 0)); };
const out = [];
for (const text of arg) {
  let sliced, whole;
  try {
    sliced = { ok: await json_slices.parseJson(text, breathe) };
  } catch (e) { sliced = { error: e.name }; }
  try { whole = { ok: JSON.parse(text) }; } catch (e) { whole = { error: e.name }; }
  const same = JSON.stringify(sliced) === JSON.stringify(whole);
  out.push(same ? "same" : JSON.stringify([sliced, whole]).slice(0, 300));
}
return { out, breaths: breaths.n };
"""


def session(n: int) -> dict[str, Any]:
    tricky = 'a "quoted" [bracket], {brace}, comma, back\\\\slash \\u00e9 ' + "ü" * (n % 3)
    return {
        "id": f"{n:08x}-0000-4000-8000-000000000000",
        "version": 1,
        "deleted": False,
        "data": {"notes": tricky, "exercises": [{"reps": {"left": n, "right": 2}}], "x": [1, [2]]},
    }


def test_a_big_file_reads_in_slices_as_json_parse_reads_it(page: Page, base_url: str) -> None:
    sessions = [session(n) for n in range(3000)]
    export = {"format": "spine-routine-export", "version": 1, "exported_at": "x"}
    texts = [
        json.dumps({**export, "sessions": sessions}),  # the app's own shape
        # pretty, another array after it
        json.dumps({"sessions": sessions, "others": [], **export}, indent=2),
        json.dumps({"before": [1, 2], "sessions": [*sessions, 7, None, "s,]"]}),  # mixed items
        json.dumps({**export, "sessions": sessions})[:-5],  # cut short: a syntax error
        json.dumps({**export, "sessions": sessions}) + "]",  # junk after it
        json.dumps([sessions]),  # not an object
        '{"sessions": []}',  # small: JSON.parse as it is
    ]
    run = module_runner(page, base_url, "data/json-slices")
    result = run(COMPARE, texts)
    assert result["out"] == ["same"] * len(texts)
    assert result["breaths"] > 10, "a big file is read in slices, with breaths between them"
