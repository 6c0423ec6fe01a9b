/**
 * The commands' own check that names and other one-line values hold no line break or control
 * character, whatever face (API, page, import, seed, CLI) called them: such a value in a sender or
 * recipient name breaks every mail header it reaches.
 */
import { ValidationError } from "../errors.js";
import { isOneLine } from "./events/fields.js";

/**
 * Checks each named value that is a string.
 * @throws ValidationError validation_failed naming the first field that is not one clean line
 */
export function requireOneLine(values: Record<string, unknown>): void {
  for (const [field, v] of Object.entries(values)) {
    if (typeof v === "string" && !isOneLine(v))
      throw new ValidationError(
        "validation_failed",
        `Trường “${field}” phải là một dòng, không chứa ký tự xuống dòng hay ký tự điều khiển.`,
        field,
      );
  }
}
