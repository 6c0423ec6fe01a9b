/**
 * The expert-registry import file: CSV (comma or semicolon separated, RFC 4180 quotes) or the
 * first sheet of an .xlsx workbook turned into CSV, so both go through the same preview, per-row
 * checks (the registry's schema, duplicates within the file) and confirmation.
 */
import { ExpertSchema } from "../../schemas.js";
import type { Translate } from "../../../presenters/pages/pageTypes.js";

/** The columns the import reads (fullName is required). */
export const CSV_COLUMNS = ["fullName", "academicTitle", "degree", "fields", "workplace", "email", "phone"] as const;

/** Parses CSV (RFC 4180 quotes; comma or semicolon separated, detected from the header). */
export function parseCsv(text: string): string[][] {
  const src = text.replace(/^\uFEFF/, "");
  const first = src.split(/\r?\n/)[0] ?? "";
  const sep = first.split(";").length > first.split(",").length ? ";" : ",";
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim()));
}

function inputOf(header: string[], cells: string[]) {
  const rec: Record<string, string> = {};
  header.forEach((h, j) => {
    rec[h] = (cells[j] ?? "").trim();
  });
  return {
    fullName: rec.fullName ?? "",
    academicTitle: rec.academicTitle || null,
    degree: rec.degree || null,
    fields: (rec.fields ?? "")
      .split(/[|;]/)
      .map((x) => x.trim())
      .filter(Boolean),
    workplace: rec.workplace || null,
    email: rec.email || null,
    phone: rec.phone || null,
  };
}

/** The rows of an expert CSV, each checked against the registry's schema; `missing` without a fullName column. */
export function previewCsv(text: string, t: Translate) {
  const rows = parseCsv(text);
  const header = (rows[0] ?? []).map((h) => h.trim());
  const missing = header.includes("fullName") ? null : t("import.needHeader", { columns: CSV_COLUMNS.join(", ") });
  const seen = new Set<string>();
  const out = rows.slice(1).map((cells, i) => {
    const input = inputOf(header, cells);
    const r = ExpertSchema.safeParse(input);
    let error = r.success ? null : `${r.error.issues[0].path.join(".") || "?"}: ${r.error.issues[0].message}`;
    const key = `${input.fullName}|${input.email ?? ""}`.toLowerCase();
    if (!error && seen.has(key)) error = t("import.duplicate");
    seen.add(key);
    return { line: i + 2, input, error, fields: input.fields.join(", ") };
  });
  return { missing, rows: out, ok: out.filter((r) => !r.error).length, bad: out.filter((r) => r.error).length };
}
