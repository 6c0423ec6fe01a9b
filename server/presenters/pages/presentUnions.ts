/**
 * The operator's Unions page: each Union with its state in words and the forms to rename, suspend
 * or re-activate it, and the form that creates a Union with its first administrator. Nothing of a
 * Union's work; no codes as text.
 */
import type { listUnions } from "../../queries/listUnions.js";
import type { Translate } from "./pageTypes.js";

/** A refused form: what was typed, the message, and the field it belongs to (or `rename:<id>`). */
export type UnionFormState = { values?: Record<string, string>; error?: string; errorField?: string };

/** The page model. */
export function presentUnions(rows: Awaited<ReturnType<typeof listUnions>>, form: UnionFormState, t: Translate) {
  const errors: Record<string, string> = {};
  if (form.error && form.errorField) errors[form.errorField] = form.error;
  return {
    unions: rows.map((u) => ({
      id: u.id,
      name: u.name,
      shortName: u.shortName,
      province: u.province ?? "",
      accounts: Number(u.accounts),
      createdAt: u.createdAt,
      suspended: !!u.suspendedAt,
      state: t(u.suspendedAt ? "unions.suspended" : "unions.active"),
      renameError: errors[`rename:${u.id}`] ?? null,
    })),
    values: form.values ?? {},
    errors,
    error: form.error && !form.errorField ? form.error : null,
  };
}
