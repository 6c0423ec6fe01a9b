import { expect } from "chai";
import type { AnyStateMachine, AnyStateNode } from "xstate";
import { assignmentMachine } from "../../workflows/assignment/assignmentMachine.js";
import { invitationMachine } from "../../workflows/invitation/invitationMachine.js";
import {
  ASSIGNMENT_EVENTS,
  eventJsonSchema,
  eventSchema,
  INVITATION_EVENTS,
  INVITATION_SYSTEM_EVENTS,
  PEOPLE_EVENT_TYPES,
  SYSTEM_EVENTS,
} from "../../server/commands/events/index.js";
import { exampleOf } from "../../server/commands/events/probeEvent.js";
import { hasLabel, localeStrings } from "../../server/words/catalogue.js";

/** Every event type a machine has a transition for, with the named guards of those transitions. */
function handledEvents(machine: AnyStateMachine): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const visit = (node: AnyStateNode) => {
    for (const [type, transitions] of Object.entries(node.on)) {
      const guards = found.get(type) ?? new Set<string>();
      for (const t of transitions) for (const g of guardNames(t.guard)) guards.add(g);
      found.set(type, guards);
    }
    Object.values(node.states).forEach(visit);
  };
  visit(machine.root);
  return found;
}

/** The named guards of a transition: its own name, or the names inside an `and([...])`. */
function guardNames(guard: unknown): string[] {
  if (typeof guard === "string") return [guard];
  const combined = guard as { name?: string; guards?: unknown[] } | undefined;
  if (typeof guard === "function" && combined?.name === "and") return (combined.guards ?? []).flatMap(guardNames);
  return [];
}

describe("every event is declared once, next to the machine that handles it", () => {
  const handled = handledEvents(assignmentMachine);

  it("declares every event the assignment machine handles, from people or from the system, and no other", () => {
    const declared = [...PEOPLE_EVENT_TYPES, ...Object.keys(SYSTEM_EVENTS)];
    expect(new Set(declared).size, "an event declared twice").to.equal(declared.length);
    expect([...handled.keys()].sort()).to.deep.equal(declared.sort());
  });

  it("declares every event of the invitation machine the same way", () => {
    const declared = [...Object.keys(INVITATION_EVENTS), ...Object.keys(INVITATION_SYSTEM_EVENTS)];
    expect([...handledEvents(invitationMachine).keys()].sort()).to.deep.equal(declared.sort());
  });

  it("gives each people's event its roles, and a message for exactly the rules the machine checks on it", () => {
    for (const type of PEOPLE_EVENT_TYPES) {
      const d = ASSIGNMENT_EVENTS[type];
      expect(d.roles, type).to.not.be.empty;
      expect(Object.keys(d.rules ?? {}).sort(), `${type}: rules`).to.deep.equal([...handled.get(type)!].sort());
    }
    const invitation = handledEvents(invitationMachine);
    for (const [type, d] of Object.entries(INVITATION_EVENTS))
      expect(Object.keys(d.rules ?? {}).sort(), type).to.deep.equal([...invitation.get(type)!].sort());
  });

  it("has the words of every event and every rule message in Vietnamese and English", () => {
    const keys = ["rule.default"];
    for (const d of [...Object.values(ASSIGNMENT_EVENTS), ...Object.values(INVITATION_EVENTS)])
      keys.push(...Object.values(d.rules ?? {}));
    for (const locale of ["vi", "en"] as const) {
      for (const key of keys) expect(localeStrings(locale), `${locale}: ${key}`).to.have.property(key);
      for (const type of PEOPLE_EVENT_TYPES)
        expect(hasLabel("event", type, locale), `${locale}: ${type}`).to.equal(true);
    }
  });

  it("builds for each event a minimal payload its own schema accepts (what the can list starts from)", () => {
    for (const type of [...PEOPLE_EVENT_TYPES, ...Object.keys(INVITATION_EVENTS)]) {
      const example = exampleOf(eventJsonSchema(type) as object);
      const parsed = eventSchema(type)!.safeParse(example);
      expect(parsed.success, `${type}: ${JSON.stringify(example)} ${parsed.error?.message ?? ""}`).to.equal(true);
    }
  });
});
