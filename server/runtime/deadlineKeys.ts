/**
 * How deadline rows are keyed. A workflow's deadline has a key (`review`, `response`, …); the
 * reminders and escalations planned around it are more rows keyed `<deadline key>#<reminder key>`,
 * so they are cancelled, paused and resumed with it.
 */

/** Separates a deadline's key from the key of a reminder planned around it. */
export const REMINDER_SEPARATOR = "#";
