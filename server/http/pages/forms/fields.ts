/** Reading one posted form field. */

/** A form field's text ("" when absent or not a string). */
export const str = (v: unknown) => (typeof v === "string" ? v : "");

/** Whether the form was posted in the background by the page's autosave (public/app.js), not by a person. */
export const isAutosave = (b: Record<string, unknown>) => str(b.autosave) === "1";
