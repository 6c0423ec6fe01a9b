/** Reading one posted form field. */

/** A form field's text ("" when absent or not a string). */
export const str = (v: unknown) => (typeof v === "string" ? v : "");
