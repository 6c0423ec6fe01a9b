import { expect } from "chai";
import { initialTransition, transition } from "xstate";
import { invitationMachine, type InvitationEvent } from "../../workflows/invitation/invitationMachine.js";
import { effects, flattenState, invitationInput, roundTrip, send } from "../support/machines.js";

const m = invitationMachine;
type Snapshot = ReturnType<typeof invitationMachine.resolveState>;

const ACCEPT: InvitationEvent = {
  type: "invitation.accept",
  declaration: { noConflict: true, confidentiality: true, note: "Tôi không tham gia soạn thảo đề án" },
};
const DECLINE: InvitationEvent = { type: "invitation.decline", reason: "Bận công tác tại Hà Nội đến hết tháng 3" };
const EXPIRE: InvitationEvent = { type: "invitation.expire" };
const CANCEL: InvitationEvent = { type: "invitation.cancel" };
const ALL: InvitationEvent[] = [ACCEPT, DECLINE, EXPIRE, CANCEL];

function invited() {
  return initialTransition(m, invitationInput())[0];
}

function expectRefused(snapshot: Snapshot, event: InvitationEvent) {
  expect(snapshot.can(event), `${event.type} should be refused in ${flattenState(snapshot.value)}`).to.equal(false);
  const [next, actions] = transition(m, snapshot, event);
  expect(next.value).to.equal(snapshot.value);
  expect(next.context).to.deep.equal(snapshot.context);
  expect(effects(actions)).to.deep.equal([]);
}

describe("invitation machine", () => {
  it("invites the expert by mail with a numbered invitation letter and schedules the expiry in working days", () => {
    const [s, actions] = initialTransition(m, invitationInput({ responseWorkingDays: 4 }));
    expect(s.value).to.equal("invited");
    expect(s.context).to.deep.equal({
      ...invitationInput({ responseWorkingDays: 4 }),
      declaration: null,
      declineReason: null,
      conflict: false,
    });
    expect(effects(actions)).to.deep.equal([
      { type: "scheduleDeadline", params: { key: "invitation", workingDays: 4, event: { type: "invitation.expire" } } },
      { type: "renderDocument", params: { kind: "expertInvitation", issue: true } },
      { type: "sendMail", params: { template: "invitation", to: "expert" } },
    ]);
  });

  it(
    "accepts with a complete declaration of no conflict and confidentiality, stops the expiry clock and tells " +
      "the assignment",
    () => {
      const [s, actions] = send(m, invited(), ACCEPT);
      expect(s.value).to.equal("accepted");
      expect(s.context.declaration).to.deep.equal({
        noConflict: true,
        confidentiality: true,
        note: "Tôi không tham gia soạn thảo đề án",
      });
      expect(effects(actions)).to.deep.equal([
        { type: "cancelDeadline", params: { key: "invitation" } },
        { type: "notifyAssignment", params: { type: "invitation.accepted" } },
      ]);
    },
  );

  it("accepts declaring a conflict of interest described in the note, and tells the assignment of it", () => {
    const declaration = { noConflict: false, confidentiality: true, note: "Tôi từng góp ý dự thảo lần 1" };
    const [s, actions] = send(m, invited(), { type: "invitation.accept", declaration });
    expect(s.value).to.equal("accepted");
    expect(effects(actions)).to.deep.equal([
      { type: "cancelDeadline", params: { key: "invitation" } },
      { type: "notifyAssignment", params: { type: "invitation.accepted", conflict: true } },
    ]);
  });

  it("refuses an acceptance whose declaration is missing or incomplete", () => {
    const s = invited();
    expectRefused(s, { type: "invitation.accept", declaration: { noConflict: false, confidentiality: true } });
    expectRefused(s, { type: "invitation.accept", declaration: { noConflict: true, confidentiality: false } });
    expectRefused(s, { type: "invitation.accept", declaration: { noConflict: false, confidentiality: false } });
    expectRefused(s, { type: "invitation.accept" } as InvitationEvent);
    expectRefused(s, { type: "invitation.accept", declaration: { noConflict: "yes", confidentiality: 1 } } as never);
  });

  it("declines with a reason, stops the expiry clock and tells the assignment there is no conflict", () => {
    const [s, actions] = send(m, invited(), DECLINE);
    expect(s.value).to.equal("declined");
    expect(s.status).to.equal("done");
    expect(s.context).to.include({ declineReason: "Bận công tác tại Hà Nội đến hết tháng 3", conflict: false });
    expect(effects(actions)).to.deep.equal([
      { type: "cancelDeadline", params: { key: "invitation" } },
      { type: "notifyAssignment", params: { type: "invitation.declined", conflict: false } },
    ]);
  });

  it("carries a declared conflict of interest to the assignment when the expert declines because of it", () => {
    const [s, actions] = send(m, invited(), {
      type: "invitation.decline",
      reason: "Tôi là thành viên tổ soạn thảo đề án",
      conflict: true,
    });
    expect(s.context.conflict).to.equal(true);
    expect(effects(actions)).to.deep.include({
      type: "notifyAssignment",
      params: { type: "invitation.declined", conflict: true },
    });
  });

  it("refuses a decline without a reason", () => {
    expectRefused(invited(), { type: "invitation.decline", reason: "" });
    expectRefused(invited(), { type: "invitation.decline", reason: "   ", conflict: true });
  });

  it("expires when the expert stays silent, telling the assignment and the secretariat", () => {
    const [s, actions] = send(m, invited(), EXPIRE);
    expect(s.value).to.equal("expired");
    expect(s.status).to.equal("done");
    expect(effects(actions)).to.deep.equal([
      { type: "cancelDeadline", params: { key: "invitation" } },
      { type: "notifyAssignment", params: { type: "invitation.expired" } },
      { type: "sendMail", params: { template: "invitation.expired", to: "secretariat" } },
    ]);
  });

  it("is cancelled while still open, stopping the expiry clock without telling the assignment", () => {
    const [s, actions] = send(m, invited(), CANCEL);
    expect(s.value).to.equal("cancelled");
    expect(s.status).to.equal("done");
    expect(effects(actions)).to.deep.equal([{ type: "cancelDeadline", params: { key: "invitation" } }]);
  });

  it("is cancelled after acceptance, when the assignment is withdrawn", () => {
    const [accepted] = send(m, invited(), ACCEPT);
    const [s, actions] = send(m, accepted, CANCEL);
    expect(s.value).to.equal("cancelled");
    expect(effects(actions)).to.deep.equal([]);
  });

  it("refuses to accept, decline or expire once accepted", () => {
    const [accepted] = send(m, invited(), ACCEPT);
    for (const event of [ACCEPT, DECLINE, EXPIRE]) expectRefused(accepted, event);
  });

  for (const [end, reach] of [
    ["declined", DECLINE],
    ["expired", EXPIRE],
    ["cancelled", CANCEL],
  ] as const) {
    it(`accepts nothing once ${end}`, () => {
      const [s] = send(m, invited(), reach);
      expect(s.value).to.equal(end);
      for (const event of ALL) expectRefused(s, event);
    });
  }

  it("survives a save and reload at every step", () => {
    let s = roundTrip(m, invited());
    expect(s.can(ACCEPT)).to.equal(true);
    [s] = send(m, s, ACCEPT);
    s = roundTrip(m, s);
    expect(s.value).to.equal("accepted");
    expect(s.context.declaration).to.deep.equal(ACCEPT.type === "invitation.accept" ? ACCEPT.declaration : null);
    expectRefused(s, EXPIRE);
    [s] = send(m, s, CANCEL);
    s = roundTrip(m, s);
    expect(s.value).to.equal("cancelled");
    expect(s.status).to.equal("done");
  });
});
