// @ts-check
// Tables that read as rows of "label: value" on a narrow screen: each cell
// carries its column's header in data-label, which app.css shows (.stack).
// The table stays a table for screen readers, headers and all.

/**
 * Copy each column header's words onto the cells of the table's body.
 * @param {HTMLTableElement} table
 */
export function labelCells(table) {
  const headers = [...(table.tHead?.rows[0]?.cells ?? [])].map((cell) => (cell.textContent ?? "").trim());
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      [...row.cells].forEach((cell, i) => { if (headers[i]) cell.dataset.label = headers[i]; });
    }
  }
}
