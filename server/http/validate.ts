/** Parses input with a zod schema; failures become 400 validation_failed naming the field. */
import type { z } from "zod";
import { ValidationError } from "../errors.js";

export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const field = first.path.join(".") || undefined;
  const code =
    first.code === "invalid_union" && first.path.join(".") === "type" ? "unknown_event" : "validation_failed";
  throw new ValidationError(
    code,
    `Dữ liệu không hợp lệ${field ? ` ở trường “${field}”` : ""}: ${first.message}`,
    field,
    r.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
  );
}
