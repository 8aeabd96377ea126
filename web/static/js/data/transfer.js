// Your data, in and out: the CSV and JSON exports and the import of either,
// all from the data on this device (DOM-free, tested on its own).
//
// Sessions are checked on import exactly as the server checks `data` v1
// (session-check.js), so nothing invalid is stored or synced; ids are kept in
// lower case and sessions compared with their times in UTC, as the server does.
//
// The files themselves are the same in every language: the CSV's header is its
// machine column names and its values are machine values (only exercise_name,
// which import ignores, is in the page's language), so a file exported in any
// language imports in any other. What the import reports is in the page's language.
//
// export.js writes the files, import.js reads them back; this module is what
// the pages load (the data page on the first tap).
export { checkSession } from "./session-check.js";
export { fileName, FORMAT, toCsv, toJson } from "./export.js";
export { importSummary, planImport } from "./import.js";
