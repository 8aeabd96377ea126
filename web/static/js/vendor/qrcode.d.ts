// The part of the vendored qrcode-generator (qrcode.js, left as published)
// that sync/sync-settings.js uses, for the type checker: with this file next
// to it, tsc reads these declarations instead of checking the vendored code.
// Move it along with qrcode.js, under the same name.

export interface QRCode {
  addData(data: string, mode?: "Numeric" | "Alphanumeric" | "Byte" | "Kanji"): void;
  make(): void;
  getModuleCount(): number;
  isDark(row: number, col: number): boolean;
}

/** typeNumber 1 to 40, or 0 for the smallest that fits. */
export function qrcode(typeNumber: number, errorCorrectionLevel: "L" | "M" | "Q" | "H"): QRCode;
