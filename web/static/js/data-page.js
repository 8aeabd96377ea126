// Settings → Your data: download CSV or JSON, import either. All from this device.
import { getAll } from "./db.js";
import { routineUrl, t } from "./i18n.js";
import { writeRecords } from "./records.js";

// The export and import code is loaded on the first tap, not with the page.
const transfer = () => import("./transfer.js");

async function routine() {
  const response = await fetch(routineUrl);
  return response.json();
}

function download(text, name, type) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

export function startDataSection(root) {
  const say = (text) => { root.querySelector("[data-data-message]").textContent = text; };
  const problems = root.querySelector("[data-import-problems]");
  const input = root.querySelector("[data-import-file]");
  root.querySelector("[data-action=csv]").addEventListener("click", async () => {
    const [records, { exercises }, { fileName, toCsv }] = await Promise.all([getAll("sessions"),
      routine(), transfer()]);
    const names = Object.fromEntries(exercises.map((e) => [e.id, e.name]));
    download(await toCsv(records, names), fileName("csv"), "text/csv;charset=utf-8");
    say(t("CSV downloaded."));
  });
  root.querySelector("[data-action=json]").addEventListener("click", async () => {
    const { fileName, toJson } = await transfer();
    download(await toJson(await getAll("sessions")), fileName("json"), "application/json");
    say(t("JSON downloaded."));
  });
  root.querySelector("[data-action=import]").addEventListener("click", () => input.click());
  for (const button of root.querySelectorAll("[data-action]")) button.disabled = false;
  input.addEventListener("change", async () => {
    const [file] = input.files;
    input.value = "";
    if (!file) return;
    problems.replaceChildren();
    try {
      const [text, existing, { id: routineId }, { importSummary, planImport }] = await Promise.all([
        file.text(), getAll("sessions"), routine(), transfer()]);
      const plan = planImport(text, existing, routineId);
      const now = new Date().toISOString();
      await writeRecords(plan.add.map(({ id, data }) => ({ id, type: "session", version: 0, dirty: true,
        deleted: false, data, base: null, started_at: data.started_at, updated_at: now })));
      say(`${importSummary(plan)}.`);
      problems.replaceChildren(...plan.invalid.map((text) => {
        const item = document.createElement("li");
        item.textContent = text;
        return item;
      }));
    } catch (error) {
      say(t("Nothing imported: {reason}", { reason: error.message }));
    }
  });
}
