"""One source for each rule the server and the devices share: the browser's rules
module is what the server's constants make, and every error code the server can
answer is in its list (which the browser words; tests/browser/test_rules.py)."""

import re
from pathlib import Path

from server import rules
from server.errors import ERROR_CODES
from server.sync.records import SessionData, SettingsData

ROOT = Path(__file__).resolve().parent.parent
# A code given to ApiError, error_response, a refusal or a change's rejection.
CODE_CALL = re.compile(
    r"(?:ApiError|error_response|_refuse|rejected)\(\s*[^()\"]*?,\s*\"([a-z]+(?:_[a-z]+)*)\"",
    re.S,
)


def test_the_browser_rules_module_is_made_from_the_server() -> None:
    written = (ROOT / rules.MODULE).read_text()
    assert written == rules.module(), "web/static/js/lib/rules.js is stale: run `make rules`"


def test_the_rules_are_the_ones_the_models_enforce() -> None:
    made = rules.rules()
    schema = SessionData.model_json_schema()
    assert schema["properties"]["notes"]["maxLength"] == made["NOTES_MAX"]
    assert schema["properties"]["exercises"]["maxItems"] == made["EXERCISES_MAX"]
    settings = SettingsData.model_json_schema()
    assert settings["properties"]["weekly_goal"]["maximum"] == made["WEEKLY_GOAL_MAX"]
    assert settings["properties"]["tempo"]["enum"] == made["TEMPOS"]
    reminders = settings["$defs"]["Reminders"]["properties"]["days"]["items"]
    assert reminders["enum"] == made["WEEKDAYS"]


def test_every_error_code_the_server_answers_is_listed() -> None:
    used = set()
    for path in (ROOT / "server").rglob("*.py"):
        used |= set(CODE_CALL.findall(path.read_text()))
    used |= set(re.findall(r'\d{3}: "([a-z_]+)"', (ROOT / "server/errors.py").read_text()))
    assert {"unknown_exercise", "quota_exceeded", "payload_too_large"} <= used  # the scan works
    assert used - set(ERROR_CODES) == set(), "add these codes to server/errors.py ERROR_CODES"
