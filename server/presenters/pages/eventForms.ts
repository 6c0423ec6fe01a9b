/**
 * Action forms for the events a user may send now (`can` of the assignment detail): each
 * event's fields come from its JSON schema (the same zod schema the API validates with), and a
 * submitted form is turned back into the event's JSON shape before that schema parses it.
 */
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

export type EventFormModel = {
  type: string;
  label: string;
  fields: FieldModel[];
  error?: string;
  danger: boolean;
  primary: boolean;
};

const SKIP = new Set(["type", "expectedVersion"]);
/** Events with their own page or form (the assignment page links to them instead). */
export const CUSTOM_EVENTS = new Set(["panel.invite", "response.save", "response.submit"]);
const DANGER = new Set([
  "order.decline",
  "order.proposeDecline",
  "assignment.withdraw",
  "assignment.hold",
  "report.return",
  "panel.return",
  "proposal.return",
  "extension.refuse",
]);

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
  };
}

/** Turns a submitted form into the event's JSON shape (numbers, lists, Vietnam-time instants). */
export function eventFromForm(type: string, schema: unknown, body: Record<string, unknown>): Record<string, unknown> {
  const s = schema as JsonSchema;
  const event: Record<string, unknown> = { type };
  for (const [name, p] of Object.entries(s.properties ?? {})) {
    if (SKIP.has(name)) continue;
    const v = body[name];
    if (v === undefined) continue;
    const str = Array.isArray(v) ? v.join("\n") : String(v);
    if (p.type === "array") {
      const items = str
        .split(/\r?\n/)
        .map((x) => x.trim())
        .filter(Boolean);
      if (items.length) event[name] = items;
      else if ((s.required ?? []).includes(name)) event[name] = [];
      continue;
    }
    const trimmed = str.trim();
    if (!trimmed) continue;
    if (p.type === "integer" || p.type === "number")
      event[name] = /^-?\d+(\.\d+)?$/.test(trimmed.replace(/[.\s](?=\d{3}\b)/g, ""))
        ? Number(trimmed.replace(/[.\s](?=\d{3}\b)/g, ""))
        : trimmed;
    else if (p.format === "date-time")
      event[name] = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(trimmed) ? `${trimmed}:00+07:00` : trimmed;
    else event[name] = trimmed;
  }
  return event;
}
