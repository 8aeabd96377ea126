// @ts-check
// Made by `make rules` from the server's constants (server/rules.py): do not edit.
// The rules a device keeps exactly as the server does.
export const SETTINGS_ID = "00000000-0000-4000-8000-000000000001";
export const WEEKDAYS = Object.freeze(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
export const RATINGS = Object.freeze(["easy", "ok", "hard", "painful"]);
export const TEMPOS = Object.freeze(["slower", "normal", "faster"]);
export const LANGUAGES = Object.freeze(["en", "de", "es"]);
export const SAFETY_SIGNS = Object.freeze(["bladder_bowel", "saddle_numbness", "leg_weakness", "fever", "injury", "weight_loss", "cancer", "night_pain", "age"]);
export const URGENT_SIGNS = Object.freeze(["bladder_bowel", "saddle_numbness", "leg_weakness"]);
export const SAFETY_RECHECK_DAYS = 84;
export const SAFETY_PAIN = 7;
export const PAIN_MAX = 10;
export const COUNT_MAX = 1000;
export const HOLD_MAX = 600;
export const NOTES_MAX = 2000;
export const EXERCISES_MAX = 50;
export const WEEKLY_GOAL_MAX = 7;
export const EARLIEST_MS = 946684800000;
export const AHEAD_MS = 86400000;
export const MAX_CHANGES = 200;
export const MAX_RECORD_BYTES = 65536;
