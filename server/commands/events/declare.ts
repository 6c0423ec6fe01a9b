/**
 * What an event declaration says. One declaration per event a person sends to the assignment
 * machine: its payload, who may send it, what the server adds to it, the messages shown when one of
 * the machine's rules refuses it, how to ask the machine about it for the `can` list, and its web
 * form. Everything else (the policy, the `can` list, the OpenAPI document, the forms) reads these.
 */
import type { z } from "zod";
import type { Tx } from "../../db/connect.js";
import type { Actor, Role } from "../../runtime/actor.js";
import type { AssignmentRow } from "../../runtime/applyEvent.js";
import type { AssignmentContext } from "../../../workflows/assignment/types.js";

export type Payload = Record<string, unknown>;
/** Translates a locale key in the reader's language (the page's `t`). */
export type Translate = (key: string, vars?: Record<string, unknown>) => string;

/** A people's event of the assignment machine. `S` is the zod shape of its payload. */
export type EventDeclaration<S extends z.ZodRawShape = z.ZodRawShape> = {
  /** The payload's fields (besides `type` and the optional `expectedVersion` every event takes). */
  payload: S;
  /** The roles that may send it (an agency only for its own orders, an expert only with an expert record). */
  roles: readonly Role[];
  /**
   * What the server adds before the machine sees it (ids of new records, the sender's expert id,
   * the numbered recommendations), and checks that need the database. Runs in the command's
   * transaction after the role check. May throw AppErrors (400, 403, 409).
   */
  enrich?: (tx: Tx, ctx: EnrichContext, event: { type: string } & z.infer<z.ZodObject<S>>) => Promise<Payload>;
  /** The machine's rules (guard names) that may refuse it → the locale key of the message shown. */
  rules?: Readonly<Record<string, string>>;
  /**
   * For the `can` list the machine is asked with a minimal valid payload; this adds what the
   * server would add and what depends on the assignment (a pending request's expert, its
   * recommendations) so that the rules judge the assignment, not the sample.
   */
  probe?: (ctx: AssignmentContext, actor: Actor) => Payload;
  /** The web pages' form of it. */
  form?: FormDeclaration;
};

/** What `enrich` knows besides the event: who sends it, to which assignment, and when (the injected clock). */
export type EnrichContext = { actor: Actor; assignment: AssignmentRow; now: Date };

export type FormDeclaration = {
  /** Shown as a warning-coloured form (a refusal, a return, a withdrawal). */
  danger?: boolean;
  /** Sent from a page or form of its own (the panel builder, the response form), not the generic one. */
  ownPage?: boolean;
  /** Final and weighty (issuing): the form asks the sender to tick a confirmation (`confirm.<type>`). */
  confirm?: boolean;
  /** Fields of the posted form the generic conversion does not know, folded into the event. */
  fromForm?: (body: Payload, event: Payload, t: Translate) => Payload;
};

/** An event of the assignment machine only the system sends (workers, other machines, commands). */
export type SystemEventDeclaration = { sentBy: string };

/** An event a person sends to an invitation (the invited expert, or the secretariat on their behalf). */
export type InvitationEventDeclaration<S extends z.ZodRawShape = z.ZodRawShape> = {
  payload: S;
  rules?: Readonly<Record<string, string>>;
};

/** Declares one people's event: typed by its payload shape here, kept with the others untyped. */
export const declareEvent = <S extends z.ZodRawShape>(d: EventDeclaration<S>): EventDeclaration =>
  d as unknown as EventDeclaration;
