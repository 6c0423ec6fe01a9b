/**
 * The event the `can` list asks the machine about: a minimal valid payload built from the
 * declaration's schema (so rules about the payload alone pass, as they will for a correctly filled
 * form), plus the declaration's `probe` (what the server adds, and what depends on the assignment),
 * so that the rules about the assignment are really evaluated.
 */
import type { Actor } from "../../runtime/actor.js";
import type { AssignmentContext } from "../../../workflows/assignment/types.js";
import { declarationOf, eventJsonSchema, type Payload } from "./index.js";

type JsonSchema = {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  format?: string;
  minLength?: number;
  minimum?: number;
  minItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  pattern?: string;
  anyOf?: JsonSchema[];
};

const samples = new Map<string, Payload>();

/** The probe event of a people's event type for this assignment context and actor. */
export function probeEvent(type: string, ctx: AssignmentContext, actor: Actor): { type: string } & Payload {
  let sample = samples.get(type);
  if (!sample) {
    sample = exampleOf(eventJsonSchema(type) as JsonSchema) as Payload;
    samples.set(type, sample);
  }
  return { ...sample, ...(declarationOf(type)?.probe?.(ctx, actor) ?? {}), type };
}

/** A smallest value the JSON schema accepts: required properties only, one item where one is needed. */
export function exampleOf(s: JsonSchema): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.anyOf) return exampleOf(s.anyOf[0]);
  switch (s.type) {
    case "object":
      return Object.fromEntries(
        (s.required ?? []).map((name) => [name, exampleOf(s.properties?.[name] ?? {})] as const),
      );
    case "array":
      return Array.from({ length: s.minItems ?? 0 }, () => exampleOf(s.items ?? {}));
    case "integer":
    case "number":
      return s.minimum ?? 0;
    case "boolean":
      return true;
    case "string":
      return stringExample(s);
    default:
      return null;
  }
}

function stringExample(s: JsonSchema): string {
  if (s.format === "uuid") return "00000000-0000-4000-8000-000000000000";
  if (s.format === "date-time") return "2026-01-01T00:00:00+07:00";
  if (s.pattern === "^\\d{4}-\\d{2}-\\d{2}$") return "2026-01-01";
  return "x".repeat(Math.max(1, s.minLength ?? 1));
}
