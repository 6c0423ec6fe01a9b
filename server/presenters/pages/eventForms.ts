/**
 * Action forms for the events a user may send now (`can` of the assignment detail): each
 * event's fields come from its JSON schema (the same zod schema the API validates with), and a
 * submitted form is turned back into the event's JSON shape before that schema parses it. Which
 * forms are warnings, which events have a page of their own and what a form adds come from the
 * event declarations (server/commands/events).
 */
import { AppError } from "../../errors.js";
import { ASSIGNMENT_EVENTS, declarationOf, eventJsonSchema, type Translate } from "../../commands/events/index.js";

type JsonSchema = {
  type?: string;
  enum?: string[];
  format?: string;
  maxLength?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
};

export type FieldModel = {
  name: string;
  label: string;
  kind: "text" | "textarea" | "number" | "select" | "lines" | "datetime" | "expert";
  required: boolean;
  value: string;
  options?: Array<{ value: string; label: string; selected: boolean }>;
  error?: string;
  min?: number;
  max?: number;
};

/** A posted event form shown again: its event, what was typed, and the refusal's message. */
export type EventFormState = {
  type: string;
  values: Record<string, unknown>;
  error: { field?: string; message: string };
};

export type EventFormModel = {
  type: string;
  label: string;
  fields: FieldModel[];
  error?: string;
  danger: boolean;
  primary: boolean;
  /** The confirmation the sender ticks (final, weighty events), or null. */
  confirm: string | null;
};

const SKIP = new Set(["type", "expectedVersion"]);
const typesWith = (has: (form: NonNullable<(typeof ASSIGNMENT_EVENTS)[string]["form"]>) => boolean | undefined) =>
  new Set(Object.keys(ASSIGNMENT_EVENTS).filter((type) => has(ASSIGNMENT_EVENTS[type].form ?? {})));
/** Events with their own page or form (the assignment page links to them instead). */
export const CUSTOM_EVENTS: ReadonlySet<string> = typesWith((f) => f.ownPage);
const DANGER = typesWith((f) => f.danger);
const CONFIRM = typesWith((f) => f.confirm);

/** Whether a posted form carries its ticked confirmation (`confirm=yes`). */
export const confirmed = (body: Record<string, unknown>): boolean => body.confirm === "yes";

/** Builds the field models of one event. */
export function eventForm(opts: {
  type: string;
  schema: unknown;
  t: (k: string) => string;
  values?: Record<string, unknown>;
  error?: { field?: string; message: string };
  experts?: Array<{ value: string; label: string }>;
}): EventFormModel {
  const s = opts.schema as JsonSchema;
  const fields: FieldModel[] = [];
  for (const [name, p] of Object.entries(s.properties ?? {})) {
    if (SKIP.has(name)) continue;
    const required = (s.required ?? []).includes(name);
    const raw = opts.values?.[name];
    const value = Array.isArray(raw) ? raw.join("\n") : raw === undefined || raw === null ? "" : String(raw);
    const f: FieldModel = { name, label: opts.t(`field.${name}`), kind: "text", required, value };
    if (name === "expertId") {
      f.kind = "expert";
      f.options = (opts.experts ?? []).map((o) => ({ ...o, selected: o.value === value }));
    } else if (p.enum) {
      f.kind = "select";
      f.options = p.enum.map((v) => ({ value: v, label: opts.t(`enum.${name}.${v}`), selected: v === value }));
    } else if (p.type === "integer" || p.type === "number") {
      f.kind = "number";
      f.min = p.minimum;
      f.max = p.maximum;
    } else if (p.type === "array") {
      f.kind = "lines";
    } else if (p.format === "date-time") {
      f.kind = "datetime";
    } else if ((p.maxLength ?? 4000) > 300) {
      f.kind = "textarea";
    }
    if (opts.error?.field === name || opts.error?.field?.startsWith(`${name}.`)) f.error = opts.error.message;
    fields.push(f);
  }
  const fieldErr = opts.error && fields.some((f) => f.error);
  return {
    type: opts.type,
    label: opts.t(`event.${opts.type}`),
    fields,
    error: opts.error && !fieldErr ? opts.error.message : undefined,
    danger: DANGER.has(opts.type),
    primary: !DANGER.has(opts.type),
    confirm: CONFIRM.has(opts.type) ? opts.t(`confirm.${opts.type}`) : null,
  };
}

/**
 * Turns a submitted form into the event's JSON shape (numbers, lists, Vietnam-time instants, and
 * what the event's declaration reads from the form), ready for the event schema to parse.
 * @throws AppError 400 unknown_event when the form names no event a person can send;
 *   400 confirmation_required when a final event's confirmation is not ticked
 */
export function eventFromForm(body: Record<string, unknown>, t: Translate): Record<string, unknown> {
  const type = typeof body.type === "string" ? body.type : "";
  const declaration = declarationOf(type);
  if (!declaration) throw new AppError(400, "unknown_event", t("error.unknownEvent"), "type");
  if (CONFIRM.has(type) && !confirmed(body))
    throw new AppError(400, "confirmation_required", t("error.confirmation_required"), "confirm");
  const s = eventJsonSchema(type) as JsonSchema;
  let event: Record<string, unknown> = { type };
  for (const [name, p] of Object.entries(s.properties ?? {})) {
    if (SKIP.has(name) || body[name] === undefined) continue;
    const value = fieldValue(body[name], p, (s.required ?? []).includes(name));
    if (value !== undefined) event[name] = value;
  }
  event = declaration.form?.fromForm?.(body, event, t) ?? event;
  if (body.expectedVersion) event.expectedVersion = Number(body.expectedVersion);
  return event;
}

/** One posted field as the schema wants it; undefined leaves it out. */
function fieldValue(v: unknown, p: JsonSchema, required: boolean): unknown {
  const str = Array.isArray(v) ? v.join("\n") : String(v);
  if (p.type === "array") {
    const items = str
      .split(/\r?\n/)
      .map((x) => x.trim())
      .filter(Boolean);
    return items.length || required ? items : undefined;
  }
  const trimmed = str.trim();
  if (!trimmed) return undefined;
  if (p.type === "integer" || p.type === "number") {
    const digits = trimmed.replace(/[.\s](?=\d{3}\b)/g, "");
    return /^-?\d+(\.\d+)?$/.test(digits) ? Number(digits) : trimmed;
  }
  if (p.format === "date-time")
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(trimmed) ? `${trimmed}:00+07:00` : trimmed;
  return trimmed;
}

/**
 * The form state to show again when the command refuses a posted event (400, 403 or 409): the
 * form open with what was typed and the message at its field. Null for errors the form does not
 * show (404, 5xx, anything that is not an AppError): those go to the error page.
 */
export function eventFormError(err: unknown, body: Record<string, unknown>, t: Translate): EventFormState | null {
  if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) return null;
  const type = String(body.type);
  const field = err.field?.split(".")[0];
  const message =
    err.code === "validation_failed" && field ? t("error.field", { field: t(`field.${field}`) }) : err.message;
  const values = type.startsWith("response.") ? { answers: body.answers } : body;
  return { type, values, error: { field, message } };
}
