/**
 * Spreadsheet exports (.xlsx) for the accountant: estimates, payments, statements. A real workbook
 * written by write-excel-file (the pair of the read-excel-file the registry import uses), safe to
 * open: every text cell that a spreadsheet could take for a formula (it starts with `=`, `+`, `-`,
 * `@`, a tab or a carriage return) is written with a leading apostrophe, no cell is ever written as
 * a formula, amounts are numbers in whole đồng with a thousands format, and Vietnamese text is kept
 * as it is (Unicode, NFC).
 */
import type { Cell, Row } from "write-excel-file/node";
import { ValidationError } from "../errors.js";
import { toDong } from "../money/dong.js";

/** What a column holds: text (escaped), an amount in đồng, a count, or a calendar day `YYYY-MM-DD`. */
export type ColumnKind = "text" | "money" | "count" | "day";

export type XlsxColumn<T> = {
  header: string;
  kind: ColumnKind;
  value: (row: T) => string | number | null | undefined;
  /** Width in characters. */
  width?: number;
};

export type XlsxSheet<T> = { name: string; columns: XlsxColumn<T>[]; rows: readonly T[] };

/** A sheet whose row type has been checked against its columns (see `defineSheet`). */
export type AnySheet = XlsxSheet<unknown> & { readonly __checked: true };

/** Checks a sheet's columns against its rows' type and makes it one of a workbook's sheets. */
export function defineSheet<T>(sheet: XlsxSheet<T>): AnySheet {
  return sheet as unknown as AnySheet;
}

/** Characters that make a spreadsheet read a cell as a formula (or a DDE command) when they lead. */
const FORMULA_LEAD = /^[=+\-@\t\r]/;

/** The thousands format; Excel and LibreOffice show it with the reader's separators (1.234.567 in Vietnamese). */
export const MONEY_FORMAT = "#,##0";

/**
 * A text cell's value, escaped against spreadsheet (CSV/formula) injection: a leading `=`, `+`,
 * `-`, `@`, tab or carriage return gets an apostrophe in front, so the text stays text even when
 * someone edits the cell or saves the sheet as CSV.
 */
export function escapeCellText(text: string): string {
  const normal = text.normalize("NFC");
  return FORMULA_LEAD.test(normal) ? `'${normal}` : normal;
}

/** `YYYY-MM-DD` → a Date at midnight UTC (spreadsheets have no time zones; the day stays the day). */
function dayCell(value: string, field: string): Cell {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new ValidationError("invalid_date", `Ngày không hợp lệ: ${value}.`, field);
  }
  return { value: new Date(`${value}T00:00:00Z`), type: Date, format: "dd/mm/yyyy" };
}

function cell(kind: ColumnKind, value: string | number | null | undefined, field: string): Cell {
  if (value === null || value === undefined || value === "") return null;
  switch (kind) {
    case "money":
      return { value: toDong(value, field), type: Number, format: MONEY_FORMAT };
    case "count":
      if (typeof value !== "number" || !Number.isSafeInteger(value)) {
        throw new ValidationError("invalid_quantity", "Số lượng phải là số nguyên.", field);
      }
      return { value, type: Number, format: "0" };
    case "day":
      return dayCell(String(value), field);
    default:
      return { value: escapeCellText(String(value)), type: String };
  }
}

/** Sheet names: at most 31 characters, none of `[]:*?/\`, not empty. */
function sheetName(name: string, index: number): string {
  const clean = name
    .replace(/[[\]:*?/\\]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 31);
  return clean || `Sheet${index + 1}`;
}

function sheetData<T>(sheet: XlsxSheet<T>): Row[] {
  const header: Row = sheet.columns.map((c) => ({ value: escapeCellText(c.header), type: String, fontWeight: "bold" }));
  const body = sheet.rows.map((row, r) =>
    sheet.columns.map((c, i) => cell(c.kind, c.value(row), `${sheet.name}[${r + 1}][${i + 1}]`)),
  );
  return [header, ...body];
}

/**
 * Writes a workbook with one sheet per entry, a bold header row frozen on top.
 * @throws ValidationError `invalid_amount` for a money cell that is not whole đồng, `invalid_quantity`,
 *   `invalid_date`; `duplicate_sheet` for two sheets with the same name.
 */
export async function writeWorkbook(sheets: readonly AnySheet[]): Promise<Buffer> {
  const names = sheets.map((s, i) => sheetName(s.name, i));
  if (new Set(names.map((n) => n.toLocaleLowerCase("vi"))).size !== names.length) {
    throw new ValidationError("duplicate_sheet", "Hai trang tính trùng tên.", "sheets");
  }
  const book = sheets.map((s, i) => ({
    sheet: names[i],
    data: sheetData(s),
    columns: s.columns.map((c) => ({ width: c.width ?? (c.kind === "text" ? 30 : 16) })),
    stickyRowsCount: 1,
  }));
  // Loaded on the first export, not at every start (about 0.1 s of a start's CPU).
  const { default: writeXlsxFile } = await import("write-excel-file/node");
  const buffer = await writeXlsxFile(book, { fontFamily: "Times New Roman", fontSize: 12 }).toBuffer();
  return Buffer.from(buffer);
}
