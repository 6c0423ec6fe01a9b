/**
 * Every event, declared once (see README.md). The families below are read in this order, which is
 * the order of the `can` list and of the OpenAPI document.
 */
import { z } from "zod";
import type { EventDeclaration, InvitationEventDeclaration } from "./declare.js";
import { SCREENING_EVENTS } from "./screening.js";
import { PLANNING_EVENTS } from "./planning.js";
import { PANEL_EVENTS } from "./panel.js";
import { REVIEW_EVENTS } from "./review.js";
import { REPORT_EVENTS } from "./report.js";
import { RESPONSE_EVENTS } from "./response.js";
import { LIFECYCLE_EVENTS } from "./lifecycle.js";
import { INVITATION_EVENTS } from "./invitation.js";

export { SYSTEM_EVENTS } from "./system.js";
export { INVITATION_EVENTS, INVITATION_SYSTEM_EVENTS } from "./invitation.js";
export type { EventDeclaration, FormDeclaration, Payload, Translate } from "./declare.js";

/** The assignment events people send, by type. */
export const ASSIGNMENT_EVENTS: Readonly<Record<string, EventDeclaration>> = {
  ...SCREENING_EVENTS,
  ...PLANNING_EVENTS,
  ...PANEL_EVENTS,
  ...REVIEW_EVENTS,
  ...REPORT_EVENTS,
  ...RESPONSE_EVENTS,
  ...LIFECYCLE_EVENTS,
};

/** The types of the assignment events people send, in declaration order. */
export const PEOPLE_EVENT_TYPES: readonly string[] = Object.keys(ASSIGNMENT_EVENTS);

/** The declaration of an assignment event people send, or undefined (unknown, or system-only). */
export function declarationOf(type: string): EventDeclaration | undefined {
  return Object.hasOwn(ASSIGNMENT_EVENTS, type) ? ASSIGNMENT_EVENTS[type] : undefined;
}

const withVersion = { expectedVersion: z.number().int().min(1).optional() };
const schemas = new Map<string, z.ZodObject>();
const jsonSchemas = new Map<string, unknown>();

/**
 * The zod schema of a people's event: its `type`, its payload and, for assignment events, the
 * optional `expectedVersion`; unknown fields are refused. Undefined for an unknown type.
 */
export function eventSchema(type: string): z.ZodObject | undefined {
  let s = schemas.get(type);
  if (s) return s;
  const assignmentEvent = declarationOf(type);
  const payload = assignmentEvent?.payload ?? invitationDeclarationOf(type)?.payload;
  if (!payload) return undefined;
  s = z
    .object({ type: z.literal(type), ...(assignmentEvent ? withVersion : {}), ...payload })
    .strict() as unknown as z.ZodObject;
  schemas.set(type, s);
  return s;
}

/** The JSON schema (input side) of a people's event, as the `can` list and the forms give it. */
export function eventJsonSchema(type: string): unknown {
  let s = jsonSchemas.get(type);
  if (s === undefined) {
    const schema = eventSchema(type);
    if (!schema) return undefined;
    s = z.toJSONSchema(schema, { io: "input" });
    jsonSchemas.set(type, s);
  }
  return s;
}

/** The declaration of an invitation event people send, or undefined. */
export function invitationDeclarationOf(type: string): InvitationEventDeclaration | undefined {
  return Object.hasOwn(INVITATION_EVENTS, type) ? INVITATION_EVENTS[type] : undefined;
}

/** The locale key of the message shown when `rule` refuses an event of `type` ("rule.default" if undeclared). */
export function ruleMessageKey(type: string, rule: string | undefined): string {
  const rules = (declarationOf(type) ?? invitationDeclarationOf(type))?.rules;
  return rule && rules && Object.hasOwn(rules, rule) ? rules[rule] : "rule.default";
}
