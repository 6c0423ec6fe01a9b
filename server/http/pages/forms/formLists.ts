/** Repeated fields of a form (`name[0][field]`), which the body parser gives as an array or an object. */

/** The entries of a repeated field, in order (none when absent). */
export const listOf = (v: unknown): unknown[] =>
  Array.isArray(v) ? v : v && typeof v === "object" ? Object.values(v) : [];

/** The entries of a repeated field as records. */
export const recordsOf = (v: unknown) => listOf(v).map((x) => x as Record<string, unknown>);
