/** Types the page presenters share. */

/** Translates a catalogue key in the request's locale ({name} placeholders filled from `vars`). */
export type Translate = (key: string, vars?: Record<string, unknown>) => string;

/** A failed form: what the person typed and the message to show (beside `field` when known). */
export type FailedForm<V = Record<string, unknown>> = { values: V; error: string };
