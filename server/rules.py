"""The rules the browser code keeps exactly as the server does, from one source.

The devices check a session before it is imported or synced, name the weekdays of
a reminder, and find the settings record by its id, offline and before any answer
from the server. So the rules are written into a small ES module,
web/static/js/lib/rules.js, made from the server's own constants by `make rules`;
tests/test_rules.py fails when the module is not what this makes. The sync limits
are also in GET /api/v1/config, for other clients.

    python -m server.rules > web/static/js/lib/rules.js
"""

import json
import sys
from typing import Any

from . import i18n
from .sync import records, times, validate

MODULE = "web/static/js/lib/rules.js"


def rules() -> dict[str, Any]:
    return {
        "SETTINGS_ID": records.SETTINGS_ID,
        "WEEKDAYS": list(records.WEEKDAYS),
        "RATINGS": list(records.RATINGS),
        "TEMPOS": list(records.TEMPOS),
        "LANGUAGES": list(i18n.available()),
        "SAFETY_SIGNS": list(records.SAFETY_SIGNS),
        "URGENT_SIGNS": list(records.URGENT_SIGNS),
        "SAFETY_RECHECK_DAYS": records.SAFETY_RECHECK_DAYS,
        "SAFETY_PAIN": records.SAFETY_PAIN,
        "PAIN_MAX": records.PAIN_MAX,
        "COUNT_MAX": records.COUNT_MAX,
        "HOLD_MAX": records.HOLD_MAX,
        "NOTES_MAX": records.NOTES_MAX,
        "EXERCISES_MAX": records.EXERCISES_MAX,
        "WEEKLY_GOAL_MAX": records.WEEKLY_GOAL_MAX,
        "EARLIEST_MS": int(times.EARLIEST.timestamp() * 1000),
        "AHEAD_MS": int(times.AHEAD.total_seconds() * 1000),
        "MAX_CHANGES": validate.MAX_CHANGES,
        "MAX_RECORD_BYTES": validate.MAX_RECORD_BYTES,
    }


def module() -> str:
    lines = [
        "// @ts-check",
        "// Made by `make rules` from the server's constants (server/rules.py): do not edit.",
        "// The rules a device keeps exactly as the server does.",
    ]
    for name, value in rules().items():
        text = json.dumps(value, ensure_ascii=False)
        # tsc reads the types from the values: a list is a readonly string[].
        lines.append(
            f"export const {name} = Object.freeze({text});"
            if isinstance(value, list)
            else f"export const {name} = {text};"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(module())
