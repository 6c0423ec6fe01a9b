import { expect } from "chai";
import { initialTransition, transition } from "xstate";
import {
  assignmentMachine,
  type AssignmentEvent,
  type AssignmentEventType,
} from "../../workflows/assignment/assignmentMachine.js";
import {
  assignmentInput,
  driveTo,
  effects,
  flattenState,
  panelMembers,
  paramsOf,
  recommendationIds,
  roundTrip,
  send,
  sendAll,
  type AssignmentSnapshot,
} from "../support/machines.js";

const m = assignmentMachine;
const [chair, secretary, member] = panelMembers.map((p) => p.expertId);
const HOLD: AssignmentEvent = {
  type: "assignment.hold",
  reason: "Cơ quan đặt hàng đề nghị tạm dừng để chỉnh sửa dự thảo",
};
const WITHDRAW: AssignmentEvent = { type: "assignment.withdraw", reason: "UBND tỉnh rút dự thảo để xây dựng lại" };

/**
 * The event must be refused: `can` says no, and transition() changes neither state nor context nor asks for anything.
 */
function expectRefused(snapshot: AssignmentSnapshot, event: AssignmentEvent) {
  expect(snapshot.can(event), `${event.type} should be refused in ${flattenState(snapshot.value)}`).to.equal(false);
  const [next, actions] = transition(m, snapshot, event);
  expect(flattenState(next.value)).to.equal(flattenState(snapshot.value));
  expect(next.context).to.deep.equal(snapshot.context);
  expect(effects(actions)).to.deep.equal([]);
}

const state = (s: AssignmentSnapshot) => flattenState(s.value);

/** Drives to underReview with the given experts' opinions already in. */
function reviewWithOpinions(experts: string[], overrides = {}) {
  let s = driveTo("active.underReview", overrides);
  for (const expertId of experts) [s] = send(m, s, { type: "opinion.submitted", expertId, version: 1 });
  return s;
}

const ALL_ANSWERS = recommendationIds.map((id) => ({ recommendationId: id, status: "accepted" as const }));

describe("assignment machine", () => {
  describe("ordered and screening", () => {
    it("starts as an order waiting to be registered, asking for nothing yet", () => {
      const [s, actions] = initialTransition(m, assignmentInput());
      expect(state(s)).to.equal("active.ordered");
      expect(effects(actions)).to.deep.equal([]);
      expect(s.context).to.include({ round: 1, assignmentId: "PB-2026-014", reportVersion: 0, escalations: 0 });
      expect(s.context.panel).to.deep.equal([]);
    });

    it("registers the order, acknowledges it to the agency and starts a screening clock of 5 working days", () => {
      const [s0] = initialTransition(m, assignmentInput());
      const [s, actions] = send(m, s0, { type: "order.register", note: "Công văn số 112/UBND-KT" });
      expect(state(s)).to.equal("active.screening.reviewing");
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "order.acknowledged", to: "agency" } },
        {
          type: "scheduleDeadline",
          params: { key: "screening", workingDays: 5, event: { type: "deadline.reached", key: "screening" } },
        },
      ]);
    });

    it("takes the screening period from the organisation's timeline", () => {
      const [s0] = initialTransition(
        m,
        assignmentInput({ timeline: { ...assignmentInput().timeline, screeningWorkingDays: 7 } }),
      );
      const [, actions] = send(m, s0, { type: "order.register" });
      expect(paramsOf(actions, "scheduleDeadline")).to.deep.equal([
        { key: "screening", workingDays: 7, event: { type: "deadline.reached", key: "screening" } },
      ]);
    });

    it("pauses the screening clock while the agency owes documents, writes the request letter and mails the agency", () => {
      const s0 = driveTo("active.screening.reviewing");
      const missing = ["Tờ trình của Sở Nông nghiệp và Môi trường", "Báo cáo đánh giá tác động môi trường"];
      const [s, actions] = send(m, s0, { type: "documents.request", missingDocuments: missing });
      expect(state(s)).to.equal("active.screening.awaitingDocuments");
      expect(s.context.missingDocuments).to.deep.equal(missing);
      expect(effects(actions)).to.deep.equal([
        { type: "pauseDeadline", params: { key: "screening" } },
        { type: "renderDocument", params: { kind: "requestDocuments", issue: true } },
        { type: "sendMail", params: { template: "documents.requested", to: "agency" } },
      ]);
    });

    it("resumes the screening clock when the documents arrive and clears the list of what was missing", () => {
      const s0 = driveTo("active.screening.awaitingDocuments");
      const [s, actions] = send(m, s0, { type: "documents.supply", note: "Công văn bổ sung số 140/SNNMT" });
      expect(state(s)).to.equal("active.screening.reviewing");
      expect(s.context.missingDocuments).to.deep.equal([]);
      expect(effects(actions)).to.deep.equal([{ type: "resumeDeadline", params: { key: "screening" } }]);
    });

    it("refuses a request for documents that names no document", () => {
      const s = driveTo("active.screening.reviewing");
      expectRefused(s, { type: "documents.request", missingDocuments: [] });
    });

    it("ignores the screening deadline while the agency owes documents, because the clock is paused", () => {
      const s0 = driveTo("active.screening.awaitingDocuments");
      const [s, actions] = transition(m, s0, { type: "deadline.reached", key: "screening" });
      expect(state(s)).to.equal("active.screening.awaitingDocuments");
      expect(effects(actions)).to.deep.equal([]);
    });

    it("escalates an overdue screening to the secretariat while it is being reviewed or waits for leadership", () => {
      for (const target of [
        "active.screening.reviewing",
        "active.screening.proposedAccept",
        "active.screening.proposedDecline",
      ]) {
        const [s, actions] = send(m, driveTo(target), { type: "deadline.reached", key: "screening" });
        expect(state(s), target).to.equal(target);
        expect(effects(actions), target).to.deep.equal([
          { type: "sendMail", params: { template: "escalation", to: "secretariat", data: { key: "screening" } } },
        ]);
      }
    });

    it("proposes to accept, asking leadership to decide", () => {
      const [s, actions] = send(m, driveTo("active.screening.reviewing"), {
        type: "order.proposeAccept",
        note: "Đúng phạm vi, đủ năng lực",
      });
      expect(state(s)).to.equal("active.screening.proposedAccept");
      expect(s.context.proposal).to.deep.equal({ kind: "accept", note: "Đúng phạm vi, đủ năng lực" });
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "leadership.pending", to: "leadership" } },
      ]);
    });

    it("proposes to decline with reasons, asking leadership to decide", () => {
      const reasons = "Nội dung thuộc bí mật nhà nước, ngoài phạm vi phản biện xã hội";
      const [s, actions] = send(m, driveTo("active.screening.reviewing"), { type: "order.proposeDecline", reasons });
      expect(state(s)).to.equal("active.screening.proposedDecline");
      expect(s.context.proposal).to.deep.equal({ kind: "decline", note: reasons });
      expect(s.context.declineReasons).to.equal(reasons);
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "leadership.pending", to: "leadership" } },
      ]);
    });

    it("refuses a proposal to decline without reasons", () => {
      const s = driveTo("active.screening.reviewing");
      expectRefused(s, { type: "order.proposeDecline", reasons: "" });
      expectRefused(s, { type: "order.proposeDecline", reasons: "   " });
    });

    it("moves to planning when leadership accepts, stopping the screening clock and starting the planning one", () => {
      const [s, actions] = send(m, driveTo("active.screening.proposedAccept"), { type: "order.accept" });
      expect(state(s)).to.equal("active.planning");
      expect(effects(actions)).to.deep.equal([
        { type: "cancelDeadline", params: { key: "screening" } },
        {
          type: "scheduleDeadline",
          params: { key: "planning", workingDays: 5, event: { type: "deadline.reached", key: "planning" } },
        },
      ]);
    });

    it(
      "ends the assignment when leadership declines: every deadline cancelled, the decline letter issued and " +
        "mailed to the agency",
      () => {
        const [s, actions] = send(m, driveTo("active.screening.proposedDecline"), { type: "order.decline" });
        expect(state(s)).to.equal("declined");
        expect(s.status).to.equal("done");
        expect(effects(actions)).to.deep.equal([
          { type: "cancelDeadline", params: { key: "screening" } },
          { type: "cancelAllDeadlines" },
          { type: "renderDocument", params: { kind: "declineLetter", issue: true } },
          { type: "sendMail", params: { template: "order.declined", to: "agency" } },
        ]);
      },
    );

    it("lets leadership return either proposal to the secretariat with comments, forgetting the proposal", () => {
      for (const target of ["active.screening.proposedAccept", "active.screening.proposedDecline"]) {
        const [s, actions] = send(m, driveTo(target), {
          type: "proposal.return",
          comments: "Đề nghị làm rõ dự toán kinh phí",
        });
        expect(state(s), target).to.equal("active.screening.reviewing");
        expect(s.context.proposal, target).to.equal(null);
        expect(s.context.declineReasons, target).to.equal(null);
        expect(effects(actions), target).to.deep.equal([]);
      }
    });

    it("refuses to return a proposal without comments", () => {
      expectRefused(driveTo("active.screening.proposedAccept"), { type: "proposal.return", comments: "" });
      expectRefused(driveTo("active.screening.proposedDecline"), { type: "proposal.return", comments: " " });
    });

    it("does not let leadership decide the opposite of what was proposed", () => {
      expectRefused(driveTo("active.screening.proposedAccept"), { type: "order.decline" });
      expectRefused(driveTo("active.screening.proposedDecline"), { type: "order.accept" });
    });
  });

  describe("planning", () => {
    it("submits the plan, issues the acceptance letter to the agency and opens panel formation", () => {
      const plan = {
        workPlan: "Hội đồng 7 thành viên, 01 hội thảo tại huyện",
        costEstimate: 68_500_000,
        reviewDays: 20,
      };
      const [s, actions] = send(m, driveTo("active.planning"), { type: "plan.submit", ...plan });
      expect(state(s)).to.equal("active.panelFormation.forming");
      expect(s.context.plan).to.deep.equal(plan);
      expect(effects(actions)).to.deep.equal([
        { type: "cancelDeadline", params: { key: "planning" } },
        { type: "renderDocument", params: { kind: "acceptanceLetter", issue: true } },
        { type: "sendMail", params: { template: "order.accepted", to: "agency" } },
      ]);
    });

    it("takes the review period from the timeline when the plan does not set one, and accepts a zero-cost plan", () => {
      const [s] = send(m, driveTo("active.planning"), {
        type: "plan.submit",
        workPlan: "Lấy ý kiến bằng văn bản",
        costEstimate: 0,
      });
      expect(s.context.plan).to.deep.equal({ workPlan: "Lấy ý kiến bằng văn bản", costEstimate: 0, reviewDays: 15 });
    });

    it("refuses a plan without a work plan or with a negative or non-numeric cost estimate", () => {
      const s = driveTo("active.planning");
      expectRefused(s, { type: "plan.submit", workPlan: "", costEstimate: 10_000_000 });
      expectRefused(s, { type: "plan.submit", workPlan: "  ", costEstimate: 10_000_000 });
      expectRefused(s, { type: "plan.submit", workPlan: "Kế hoạch", costEstimate: -1 });
      expectRefused(s, { type: "plan.submit", workPlan: "Kế hoạch", costEstimate: Number.NaN });
      expectRefused(s, { type: "plan.submit", workPlan: "Kế hoạch", costEstimate: Number.POSITIVE_INFINITY });
    });

    it("escalates an overdue plan to the secretariat", () => {
      const [s, actions] = send(m, driveTo("active.planning"), { type: "deadline.reached", key: "planning" });
      expect(state(s)).to.equal("active.planning");
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "escalation", to: "secretariat", data: { key: "planning" } } },
      ]);
    });
  });

  describe("panel formation", () => {
    const invite = (over: Partial<Extract<AssignmentEvent, { type: "panel.invite" }>> = {}): AssignmentEvent => ({
      type: "panel.invite",
      members: panelMembers.map((p) => ({ ...p })),
      alternates: [
        { expertId: "cg-pham-thu-dung", role: "member" },
        { expertId: "cg-hoang-minh-duc", role: "chair" },
      ],
      invitationIds: ["inv-01", "inv-02", "inv-03"],
      ...over,
    });
    const invited = () => send(m, driveTo("active.panelFormation.forming"), invite())[0];

    it("invites the chosen experts, one invitation each, and keeps the ranked alternates", () => {
      const [s, actions] = send(m, driveTo("active.panelFormation.forming"), invite());
      expect(state(s)).to.equal("active.panelFormation.forming");
      const seats = [
        { invitationId: "inv-01", expertId: chair, role: "chair", status: "invited", conflict: false },
        { invitationId: "inv-02", expertId: secretary, role: "secretary", status: "invited", conflict: false },
        { invitationId: "inv-03", expertId: member, role: "member", status: "invited", conflict: false },
      ];
      expect(s.context.panel).to.deep.equal(seats);
      expect(s.context.alternates).to.deep.equal([
        { expertId: "cg-pham-thu-dung", role: "member" },
        { expertId: "cg-hoang-minh-duc", role: "chair" },
      ]);
      expect(effects(actions)).to.deep.equal([{ type: "createInvitations", params: { seats } }]);
    });

    it(
      "keeps a seat whose expert accepted declaring a conflict out of the panel until the secretariat waives " +
        "it with a written reason",
      () => {
        let s = invited();
        [s] = send(m, s, { type: "invitation.accepted", invitationId: "inv-01", conflict: true });
        [s] = send(m, s, { type: "invitation.accepted", invitationId: "inv-02" });
        [s] = send(m, s, { type: "invitation.accepted", invitationId: "inv-03" });
        expect(s.context.panel[0]).to.include({ status: "accepted", conflict: true });
        expectRefused(s, { type: "panel.submit" });
        expectRefused(s, { type: "conflict.waive", invitationId: "inv-01", reason: " " });
        expectRefused(s, { type: "conflict.waive", invitationId: "inv-02", reason: "Không có xung đột" });
        const [w, actions] = send(m, s, {
          type: "conflict.waive",
          invitationId: "inv-01",
          reason: "Chuyên gia chỉ góp ý vòng đầu dự thảo, không tham gia biên soạn.",
        });
        expect(w.context.panel[0]).to.include({
          conflict: false,
          waiver: "Chuyên gia chỉ góp ý vòng đầu dự thảo, không tham gia biên soạn.",
        });
        expect(effects(actions)).to.deep.equal([]);
        expect(send(m, w, { type: "panel.submit" })[0].value).to.deep.equal({ active: { panelFormation: "proposed" } });
      },
    );

    it("replaces an expert who declared a conflict with the next alternate of the same role", () => {
      let s = invited();
      [s] = send(m, s, { type: "invitation.accepted", invitationId: "inv-03", conflict: true });
      const [r, actions] = send(m, s, {
        type: "conflict.replace",
        invitationId: "inv-03",
        reason: "Chuyên gia là thành viên tổ soạn thảo.",
        nextInvitationId: "inv-04",
      });
      expect(r.context.panel[2]).to.include({ status: "cancelled", conflict: true });
      const seat = { invitationId: "inv-04", expertId: "cg-pham-thu-dung", role: "member", status: "invited" };
      expect(r.context.panel[3]).to.include(seat);
      expect(effects(actions)).to.deep.equal([
        { type: "cancelInvitation", params: { invitationId: "inv-03" } },
        { type: "createInvitations", params: { seats: [{ ...seat, conflict: false }] } },
      ]);
    });

    it("invites more experts later without touching the seats already there", () => {
      const [s, actions] = send(
        m,
        invited(),
        invite({ members: [{ expertId: "cg-vu-thi-hoa", role: "member" }], alternates: [], invitationIds: ["inv-04"] }),
      );
      expect(s.context.panel.map((p) => p.invitationId)).to.deep.equal(["inv-01", "inv-02", "inv-03", "inv-04"]);
      expect(effects(actions)).to.deep.equal([
        {
          type: "createInvitations",
          params: {
            seats: [
              { invitationId: "inv-04", expertId: "cg-vu-thi-hoa", role: "member", status: "invited", conflict: false },
            ],
          },
        },
      ]);
    });

    it("refuses invitations that name an expert twice, do not match the invitation ids, or are empty", () => {
      const s = driveTo("active.panelFormation.forming");
      expectRefused(
        s,
        invite({
          members: [
            { expertId: chair, role: "chair" },
            { expertId: chair, role: "member" },
          ],
          invitationIds: ["inv-01", "inv-02"],
        }),
      );
      expectRefused(s, invite({ invitationIds: ["inv-01", "inv-02"] }));
      expectRefused(s, invite({ invitationIds: ["inv-01", "inv-02", "inv-03", "inv-04"] }));
      expectRefused(s, invite({ members: [], invitationIds: [] }));
    });

    it(
      "refuses to invite again an expert who is already invited or has accepted, but may re-invite one whose " +
        "invitation expired",
      () => {
        let s = invited();
        expectRefused(s, invite({ members: [{ expertId: chair, role: "chair" }], invitationIds: ["inv-09"] }));
        [s] = send(m, s, { type: "invitation.accepted", invitationId: "inv-01" });
        expectRefused(s, invite({ members: [{ expertId: chair, role: "chair" }], invitationIds: ["inv-09"] }));
        [s] = send(m, s, { type: "invitation.expired", invitationId: "inv-03" });
        const [again] = send(
          m,
          s,
          invite({ members: [{ expertId: member, role: "member" }], alternates: [], invitationIds: ["inv-10"] }),
        );
        expect(
          again.context.panel.filter((p) => p.expertId === member).map((p) => [p.invitationId, p.status]),
        ).to.deep.equal([
          ["inv-03", "expired"],
          ["inv-10", "invited"],
        ]);
      },
    );

    it("records an acceptance on the open seat and asks for nothing", () => {
      const [s, actions] = send(m, invited(), { type: "invitation.accepted", invitationId: "inv-02" });
      expect(s.context.panel.map((p) => p.status)).to.deep.equal(["invited", "accepted", "invited"]);
      expect(effects(actions)).to.deep.equal([]);
    });

    it("answers invitations only for open seats: an unknown invitation or a seat already answered is refused", () => {
      let s = invited();
      for (const type of ["invitation.accepted", "invitation.declined", "invitation.expired"] as const) {
        expectRefused(s, { type, invitationId: "inv-99" });
      }
      [s] = send(m, s, { type: "invitation.accepted", invitationId: "inv-01" });
      [s] = send(m, s, { type: "invitation.declined", invitationId: "inv-02" });
      [s] = send(m, s, { type: "invitation.expired", invitationId: "inv-03" });
      for (const invitationId of ["inv-01", "inv-02", "inv-03"]) {
        for (const type of ["invitation.accepted", "invitation.declined", "invitation.expired"] as const) {
          expectRefused(s, { type, invitationId });
        }
      }
    });

    it("records a declared conflict on the declined seat and brings the next ranked alternate of the same role", () => {
      const [s, actions] = send(m, invited(), {
        type: "invitation.declined",
        invitationId: "inv-03",
        conflict: true,
        nextInvitationId: "inv-04",
      });
      const newSeat = {
        invitationId: "inv-04",
        expertId: "cg-pham-thu-dung",
        role: "member",
        status: "invited",
        conflict: false,
      };
      expect(s.context.panel[2]).to.deep.equal({
        invitationId: "inv-03",
        expertId: member,
        role: "member",
        status: "declined",
        conflict: true,
      });
      expect(s.context.panel[3]).to.deep.equal(newSeat);
      expect(s.context.alternates).to.deep.equal([{ expertId: "cg-hoang-minh-duc", role: "chair" }]);
      expect(effects(actions)).to.deep.equal([{ type: "createInvitations", params: { seats: [newSeat] } }]);
    });

    it("brings the chair alternate, not the better-ranked member, when the chair lets the invitation expire", () => {
      const [s, actions] = send(m, invited(), {
        type: "invitation.expired",
        invitationId: "inv-01",
        nextInvitationId: "inv-04",
      });
      const newSeat = {
        invitationId: "inv-04",
        expertId: "cg-hoang-minh-duc",
        role: "chair",
        status: "invited",
        conflict: false,
      };
      expect(s.context.panel[0]).to.include({ status: "expired", conflict: false });
      expect(s.context.panel[3]).to.deep.equal(newSeat);
      expect(s.context.alternates).to.deep.equal([{ expertId: "cg-pham-thu-dung", role: "member" }]);
      expect(effects(actions)).to.deep.equal([{ type: "createInvitations", params: { seats: [newSeat] } }]);
    });

    it(
      "falls back to the best-ranked alternate of any role, for the lost seat's role, when none of the same " +
        "role is left",
      () => {
        const [s0] = send(
          m,
          driveTo("active.panelFormation.forming"),
          invite({ alternates: [{ expertId: "cg-pham-thu-dung", role: "member" }] }),
        );
        const [s, actions] = send(m, s0, {
          type: "invitation.declined",
          invitationId: "inv-02",
          nextInvitationId: "inv-04",
        });
        const newSeat = {
          invitationId: "inv-04",
          expertId: "cg-pham-thu-dung",
          role: "secretary",
          status: "invited",
          conflict: false,
        };
        expect(s.context.panel[3]).to.deep.equal(newSeat);
        expect(s.context.alternates).to.deep.equal([]);
        expect(effects(actions)).to.deep.equal([{ type: "createInvitations", params: { seats: [newSeat] } }]);
      },
    );

    it("never brings an alternate who already holds a seat", () => {
      const [s0] = send(
        m,
        driveTo("active.panelFormation.forming"),
        invite({
          alternates: [
            { expertId: secretary, role: "member" },
            { expertId: "cg-pham-thu-dung", role: "member" },
          ],
        }),
      );
      const [s] = send(m, s0, { type: "invitation.declined", invitationId: "inv-03", nextInvitationId: "inv-04" });
      expect(s.context.panel[3]).to.include({ expertId: "cg-pham-thu-dung", role: "member" });
    });

    it(
      "leaves the seat empty and invites nobody when a decline or expiry comes without a next invitation, or " +
        "no alternate is left",
      () => {
        let [s, actions] = send(m, invited(), { type: "invitation.declined", invitationId: "inv-03" });
        expect(s.context.panel).to.have.length(3);
        expect(s.context.alternates).to.have.length(2);
        expect(paramsOf(actions, "createInvitations").flatMap((p) => (p as { seats: unknown[] }).seats)).to.deep.equal(
          [],
        );
        [s, actions] = send(m, s, { type: "invitation.expired", invitationId: "inv-02" });
        expect(s.context.panel).to.have.length(3);
        expect(paramsOf(actions, "createInvitations").flatMap((p) => (p as { seats: unknown[] }).seats)).to.deep.equal(
          [],
        );

        const [noAlt] = send(m, driveTo("active.panelFormation.forming"), invite({ alternates: [] }));
        [s, actions] = send(m, noAlt, {
          type: "invitation.declined",
          invitationId: "inv-01",
          nextInvitationId: "inv-04",
        });
        expect(s.context.panel).to.have.length(3);
        expect(paramsOf(actions, "createInvitations").flatMap((p) => (p as { seats: unknown[] }).seats)).to.deep.equal(
          [],
        );
      },
    );

    it("refuses to propose the panel until enough experts have accepted", () => {
      let s = invited();
      expectRefused(s, { type: "panel.submit" });
      [s] = send(m, s, { type: "invitation.accepted", invitationId: "inv-01" });
      [s] = send(m, s, { type: "invitation.accepted", invitationId: "inv-02" });
      expectRefused(s, { type: "panel.submit" });
      [s] = send(m, s, { type: "invitation.accepted", invitationId: "inv-03" });
      const [proposed, actions] = send(m, s, { type: "panel.submit", note: "Đề nghị phê duyệt Hội đồng" });
      expect(state(proposed)).to.equal("active.panelFormation.proposed");
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "leadership.pending", to: "leadership" } },
      ]);
    });

    it("refuses to propose a council without a chair, but lets an expert group go without one", () => {
      for (const forms of [["council"], ["expert_group"]] as const) {
        let [s] = send(m, driveTo("active.panelFormation.forming", { forms: [...forms], minPanel: 2 }), invite());
        [s] = send(m, s, { type: "invitation.accepted", invitationId: "inv-02" });
        [s] = send(m, s, { type: "invitation.accepted", invitationId: "inv-03" });
        expect(s.can({ type: "panel.submit" }), forms[0]).to.equal(forms[0] === "expert_group");
      }
    });

    it("refuses to propose a panel in which an accepted expert has a declared conflict of interest", () => {
      // No event marks an accepted seat as conflicted; the rule still holds for a stored snapshot that has one.
      let s = invited();
      for (const invitationId of ["inv-01", "inv-02", "inv-03"])
        [s] = send(m, s, { type: "invitation.accepted", invitationId });
      const json = JSON.parse(JSON.stringify(m.getPersistedSnapshot(s)));
      json.context.panel[2].conflict = true;
      expectRefused(m.resolveState(json), { type: "panel.submit" });
    });

    it(
      "approves the panel: outstanding invitations cancelled, the establishing decision issued, the panel " +
        "told, a review clock in working days",
      () => {
        const [s, actions] = send(m, driveTo("active.panelFormation.proposed"), { type: "panel.approve" });
        expect(state(s)).to.equal("active.underReview");
        expect(s.context.panelApproved).to.equal(true);
        expect(effects(actions)).to.deep.equal([
          { type: "cancelInvitations" },
          { type: "renderDocument", params: { kind: "panelDecision", issue: true } },
          { type: "sendMail", params: { template: "panel.approved", to: "panel" } },
          {
            type: "scheduleDeadline",
            params: { key: "review", workingDays: 15, event: { type: "deadline.reached", key: "review" } },
          },
        ]);
      },
    );

    it("uses the review period agreed in the plan for the review clock", () => {
      let s = driveTo("active.planning");
      [s] = send(m, s, { type: "plan.submit", workPlan: "Hội đồng", costEstimate: 1, reviewDays: 20 });
      [s] = send(m, s, invite());
      for (const invitationId of ["inv-01", "inv-02", "inv-03"])
        [s] = send(m, s, { type: "invitation.accepted", invitationId });
      [s] = send(m, s, { type: "panel.submit" });
      const [, actions] = send(m, s, { type: "panel.approve" });
      expect(paramsOf(actions, "scheduleDeadline")).to.deep.equal([
        { key: "review", workingDays: 20, event: { type: "deadline.reached", key: "review" } },
      ]);
    });

    it("keeps answering invitations still open while the panel waits for approval, and can still approve it", () => {
      const [proposed] = sendAll(
        driveTo("active.panelFormation.forming"),
        invite({
          members: [...panelMembers.map((p) => ({ ...p })), { expertId: "cg-vu-thi-hoa", role: "member" }],
          invitationIds: ["inv-01", "inv-02", "inv-03", "inv-04"],
        }),
        { type: "invitation.accepted", invitationId: "inv-01" },
        { type: "invitation.accepted", invitationId: "inv-02" },
        { type: "invitation.accepted", invitationId: "inv-03" },
        { type: "panel.submit" },
      );
      const [s, actions] = send(m, proposed, {
        type: "invitation.declined",
        invitationId: "inv-04",
        nextInvitationId: "inv-05",
      });
      expect(state(s)).to.equal("active.panelFormation.proposed");
      expect(effects(actions)).to.deep.equal([
        {
          type: "createInvitations",
          params: {
            seats: [
              {
                invitationId: "inv-05",
                expertId: "cg-pham-thu-dung",
                role: "member",
                status: "invited",
                conflict: false,
              },
            ],
          },
        },
      ]);
      expect(s.can({ type: "panel.approve" })).to.equal(true);
    });

    it("refuses to approve a panel that is no longer complete", () => {
      // Accepted seats cannot be lost by an event; the guard still protects a stored snapshot that lost one.
      const json = JSON.parse(JSON.stringify(m.getPersistedSnapshot(driveTo("active.panelFormation.proposed"))));
      json.context.panel[0].status = "cancelled";
      expectRefused(m.resolveState(json), { type: "panel.approve" });
    });

    it("returns the panel to the secretariat with comments, and refuses a return without them", () => {
      const s0 = driveTo("active.panelFormation.proposed");
      expectRefused(s0, { type: "panel.return", comments: "" });
      const [s, actions] = send(m, s0, { type: "panel.return", comments: "Bổ sung chuyên gia lĩnh vực dược liệu" });
      expect(state(s)).to.equal("active.panelFormation.forming");
      expect(s.context.panel).to.deep.equal(s0.context.panel);
      expect(effects(actions)).to.deep.equal([]);
    });
  });

  describe("under review", () => {
    it(
      "records an opinion from an accepted panel member and keeps only the latest version of each expert's " +
        "opinion",
      () => {
        let [s, actions] = send(m, driveTo("active.underReview"), {
          type: "opinion.submitted",
          expertId: chair,
          version: 1,
        });
        // The submitted opinion is issued as the expert's signed form (bản nhận xét), unnumbered.
        expect(effects(actions)).to.deep.equal([
          { type: "renderDocument", params: { kind: "expertOpinion", issue: true } },
        ]);
        [s] = send(m, s, { type: "opinion.submitted", expertId: member, version: 1 });
        [s] = send(m, s, { type: "opinion.submitted", expertId: chair, version: 2 });
        expect(s.context.opinions).to.deep.equal([
          { expertId: member, version: 1 },
          { expertId: chair, version: 2 },
        ]);
      },
    );

    it("refuses an opinion from anyone who is not an accepted member of the panel", () => {
      let s = driveTo("active.panelFormation.forming");
      [s] = sendAll(
        s,
        {
          type: "panel.invite",
          members: [...panelMembers.map((p) => ({ ...p })), { expertId: "cg-vu-thi-hoa", role: "member" }],
          invitationIds: ["inv-01", "inv-02", "inv-03", "inv-04"],
        },
        { type: "invitation.accepted", invitationId: "inv-01" },
        { type: "invitation.accepted", invitationId: "inv-02" },
        { type: "invitation.accepted", invitationId: "inv-03" },
        { type: "invitation.declined", invitationId: "inv-04" },
        { type: "panel.submit" },
        { type: "panel.approve" },
      );
      expectRefused(s, { type: "opinion.submitted", expertId: "cg-vu-thi-hoa", version: 1 });
      expectRefused(s, { type: "opinion.submitted", expertId: "cg-khong-co-ten", version: 1 });
    });

    it("records an extension request from a panel member and tells the secretariat", () => {
      const [s, actions] = send(m, driveTo("active.underReview"), {
        type: "extension.request",
        expertId: member,
        days: 7,
        reason: "Đi công tác nước ngoài",
      });
      expect(s.context.extensionRequests).to.deep.equal([
        { expertId: member, days: 7, reason: "Đi công tác nước ngoài", status: "pending" },
      ]);
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "extension.requested", to: "secretariat" } },
      ]);
    });

    it("accepts extensions of 1 to 60 days only, with a reason, from a member who has not yet submitted", () => {
      const s = reviewWithOpinions([chair]);
      const ask = (expertId: string, days: number, reason = "Ốm"): AssignmentEvent => ({
        type: "extension.request",
        expertId,
        days,
        reason,
      });
      expect(s.can(ask(member, 1))).to.equal(true);
      expect(s.can(ask(member, 60))).to.equal(true);
      expectRefused(s, ask(member, 0));
      expectRefused(s, ask(member, -3));
      expectRefused(s, ask(member, 61));
      expectRefused(s, ask(member, 10, ""));
      expectRefused(s, ask(member, 10, "   "));
      expectRefused(s, ask("cg-khong-co-ten", 10));
      expectRefused(s, ask(chair, 10));
    });

    it("allows one pending extension request per expert at a time", () => {
      const [s] = send(m, driveTo("active.underReview"), {
        type: "extension.request",
        expertId: member,
        days: 7,
        reason: "Đi công tác",
      });
      expectRefused(s, { type: "extension.request", expertId: member, days: 3, reason: "Thêm" });
      expect(s.can({ type: "extension.request", expertId: secretary, days: 3, reason: "Ốm" })).to.equal(true);
    });

    it("grants an extension by rescheduling that expert's own review deadline and telling the expert", () => {
      const [s0] = send(m, driveTo("active.underReview"), {
        type: "extension.request",
        expertId: member,
        days: 7,
        reason: "Đi công tác",
      });
      const [s, actions] = send(m, s0, { type: "extension.grant", expertId: member });
      expect(s.context.extensionRequests).to.deep.equal([
        { expertId: member, days: 7, reason: "Đi công tác", status: "granted" },
      ]);
      expect(effects(actions)).to.deep.equal([
        {
          type: "scheduleDeadline",
          params: {
            key: `review:${member}`,
            workingDays: 7,
            from: "review",
            event: { type: "deadline.reached", key: `review:${member}` },
          },
        },
        {
          type: "sendMail",
          params: { template: "extension.decided", to: { expertId: member }, data: { granted: true } },
        },
      ]);
    });

    it("grants fewer days than asked when the secretariat says so", () => {
      const [s0] = send(m, driveTo("active.underReview"), {
        type: "extension.request",
        expertId: member,
        days: 14,
        reason: "Đi công tác",
      });
      const [s, actions] = send(m, s0, { type: "extension.grant", expertId: member, days: 5 });
      expect(s.context.extensionRequests[0]).to.include({ days: 5, status: "granted" });
      expect(paramsOf(actions, "scheduleDeadline")).to.deep.equal([
        {
          key: `review:${member}`,
          workingDays: 5,
          from: "review",
          event: { type: "deadline.reached", key: `review:${member}` },
        },
      ]);
    });

    it("refuses an extension with a reason mailed to the expert", () => {
      const [s0] = send(m, driveTo("active.underReview"), {
        type: "extension.request",
        expertId: member,
        days: 14,
        reason: "Đi công tác",
      });
      const [s, actions] = send(m, s0, {
        type: "extension.refuse",
        expertId: member,
        reason: "Hạn báo cáo UBND tỉnh không thể lùi",
      });
      expect(s.context.extensionRequests[0]).to.include({ status: "refused" });
      expect(effects(actions)).to.deep.equal([
        {
          type: "sendMail",
          params: {
            template: "extension.decided",
            to: { expertId: member },
            data: { granted: false, reason: "Hạn báo cáo UBND tỉnh không thể lùi" },
          },
        },
      ]);
    });

    it("grants a second request after a refused one for the days of the second request", () => {
      const [s0] = sendAll(
        driveTo("active.underReview"),
        { type: "extension.request", expertId: member, days: 3, reason: "Ốm" },
        { type: "extension.refuse", expertId: member, reason: "Không đủ căn cứ" },
        { type: "extension.request", expertId: member, days: 10, reason: "Nằm viện, có giấy ra viện" },
      );
      const [s, actions] = send(m, s0, { type: "extension.grant", expertId: member });
      expect(s.context.extensionRequests.map((r) => [r.days, r.status])).to.deep.equal([
        [3, "refused"],
        [10, "granted"],
      ]);
      expect(paramsOf(actions, "scheduleDeadline")).to.deep.equal([
        {
          key: `review:${member}`,
          workingDays: 10,
          from: "review",
          event: { type: "deadline.reached", key: `review:${member}` },
        },
      ]);
    });

    it("refuses to grant or refuse an extension nobody asked for, or one already decided", () => {
      let s = driveTo("active.underReview");
      expectRefused(s, { type: "extension.grant", expertId: member });
      expectRefused(s, { type: "extension.refuse", expertId: member, reason: "Không" });
      [s] = sendAll(
        s,
        { type: "extension.request", expertId: member, days: 3, reason: "Ốm" },
        { type: "extension.grant", expertId: member },
      );
      expectRefused(s, { type: "extension.grant", expertId: member });
      expectRefused(s, { type: "extension.refuse", expertId: member, reason: "Không" });
    });

    it("sends a reminder to one expert or to every expert whose opinion is still missing, and counts them", () => {
      let [s, actions] = send(m, driveTo("active.underReview"), { type: "reminder.send", expertId: member });
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "opinion.reminder", to: { expertId: member } } },
      ]);
      [s, actions] = send(m, s, { type: "reminder.send" });
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "opinion.reminder", to: { pendingExperts: true } } },
      ]);
      expect(s.context.reminders).to.equal(2);
    });

    it("schedules a workshop with a meeting invitation to the panel, then records its minutes", () => {
      const s0 = driveTo("active.underReview", { forms: ["council", "workshop"] });
      expectRefused(s0, { type: "workshop.record", minutes: "Biên bản", attendees: [] });
      const [s1, a1] = send(m, s0, {
        type: "workshop.schedule",
        scheduledAt: "2026-03-12T08:00:00+07:00",
        place: "UBND xã Tân Lập",
      });
      expect(s1.context.workshop).to.deep.equal({
        scheduledAt: "2026-03-12T08:00:00+07:00",
        place: "UBND xã Tân Lập",
        minutesRecorded: false,
      });
      expect(effects(a1)).to.deep.equal([
        { type: "renderDocument", params: { kind: "meetingInvitation", issue: true } },
        { type: "sendMail", params: { template: "workshop.invitation", to: "panel" } },
      ]);
      const [s2, a2] = send(m, s1, {
        type: "workshop.record",
        minutes: "Biên bản hội thảo tham vấn 250 hộ dân",
        attendees: [chair, member],
      });
      expect(s2.context.workshop?.minutesRecorded).to.equal(true);
      expect(effects(a2)).to.deep.equal([{ type: "renderDocument", params: { kind: "minutes", issue: true } }]);
    });

    it("records the workshop's minutes only on or after its day (Vietnam time)", () => {
      const s0 = driveTo("active.underReview", { forms: ["council", "workshop"] });
      const [s1] = send(m, s0, { type: "workshop.schedule", scheduledAt: "2026-03-12T08:00:00+07:00", place: "Xã" });
      const minutes = { type: "workshop.record" as const, minutes: "Biên bản", attendees: [chair] };
      // 23:30 on 11/03 Vietnam time is still the day before.
      expectRefused(s1, { ...minutes, recordedAt: "2026-03-11T16:30:00Z" });
      const [early] = [transition(m, s1, { ...minutes, recordedAt: "2026-03-11T16:30:00Z" })];
      expect(early[0].context.workshop?.minutesRecorded).to.equal(false);
      const [s2] = send(m, s1, { ...minutes, recordedAt: "2026-03-11T17:00:00Z" });
      expect(s2.context.workshop?.minutesRecorded).to.equal(true);
    });

    it("records the review's due instant without mail, and sends each escalation level on", () => {
      let [s, actions] = send(m, driveTo("active.underReview"), { type: "deadline.reached", key: "review" });
      expect(state(s)).to.equal("active.underReview");
      expect(effects(actions)).to.deep.equal([]);
      [s, actions] = send(m, s, { type: "deadline.reached", key: "review", level: "secretariat" });
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "escalation", to: "secretariat", data: { key: "review" } } },
      ]);
      [s, actions] = send(m, s, { type: "deadline.reached", key: "review", level: "leadership" });
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "escalation", to: "leadership", data: { key: "review" } } },
      ]);
      expect(s.context.escalations).to.equal(2);
    });

    it("escalates an extended expert's own overdue deadline about that expert only", () => {
      const [, actions] = send(m, driveTo("active.underReview"), {
        type: "deadline.reached",
        key: `review:${member}`,
        level: "secretariat",
      });
      expect(effects(actions)).to.deep.equal([
        {
          type: "sendMail",
          params: { template: "escalation", to: "secretariat", data: { key: `review:${member}`, expertId: member } },
        },
      ]);
    });

    it("refuses to close the review until the minimum number of opinions is in", () => {
      let s = reviewWithOpinions([chair, secretary]);
      expectRefused(s, { type: "review.close" });
      [s] = send(m, s, { type: "opinion.submitted", expertId: chair, version: 2 });
      expectRefused(s, { type: "review.close" });
      [s] = send(m, s, { type: "opinion.submitted", expertId: member, version: 1 });
      const [next, actions] = send(m, s, { type: "review.close" });
      expect(state(next)).to.equal("active.consolidation");
      expect(effects(actions)).to.deep.equal([
        { type: "cancelDeadline", params: { key: "review" } },
        {
          type: "scheduleDeadline",
          params: { key: "consolidation", workingDays: 5, event: { type: "deadline.reached", key: "consolidation" } },
        },
      ]);
    });

    it("refuses to close a review that includes a workshop until the minutes are recorded", () => {
      let s = reviewWithOpinions([chair, secretary, member], { forms: ["council", "workshop"] });
      expectRefused(s, { type: "review.close" });
      [s] = send(m, s, { type: "workshop.schedule", scheduledAt: "2026-03-12T08:00:00+07:00", place: "Hội trường" });
      expectRefused(s, { type: "review.close" });
      [s] = send(m, s, { type: "workshop.record", minutes: "Biên bản", attendees: [chair] });
      expect(s.can({ type: "review.close" })).to.equal(true);
    });
  });

  describe("consolidation and approval", () => {
    it("records the draft report's version and refuses to submit before there is a draft", () => {
      const s0 = driveTo("active.consolidation");
      expectRefused(s0, { type: "report.submit" });
      const [s, actions] = send(m, s0, { type: "report.drafted", version: 1 });
      expect(s.context.reportVersion).to.equal(1);
      expect(effects(actions)).to.deep.equal([]);
      expect(s.can({ type: "report.submit" })).to.equal(true);
    });

    it("escalates an overdue consolidation to the secretariat", () => {
      const [s, actions] = send(m, driveTo("active.consolidation"), { type: "deadline.reached", key: "consolidation" });
      expect(state(s)).to.equal("active.consolidation");
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "escalation", to: "secretariat", data: { key: "consolidation" } } },
      ]);
    });

    it("sends a council's report to its chair for endorsement first", () => {
      const [s0] = send(m, driveTo("active.consolidation"), { type: "report.drafted", version: 1 });
      const [s, actions] = send(m, s0, { type: "report.submit" });
      expect(state(s)).to.equal("active.approval.awaitingChair");
      expect(effects(actions)).to.deep.equal([{ type: "cancelDeadline", params: { key: "consolidation" } }]);
      expectRefused(s, { type: "report.approve" });
    });

    it("asks leadership once, when the chair endorses the report", () => {
      const [s, actions] = send(m, driveTo("active.approval.awaitingChair"), {
        type: "report.endorse",
        note: "Nhất trí",
      });
      expect(state(s)).to.equal("active.approval.awaitingLeadership");
      expect(s.context.chairEndorsed).to.equal(true);
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "leadership.pending", to: "leadership" } },
      ]);
    });

    it("sends an expert group's report straight to leadership", () => {
      const [s0] = send(m, driveTo("active.consolidation", { forms: ["expert_group", "written"] }), {
        type: "report.drafted",
        version: 1,
      });
      const [s, actions] = send(m, s0, { type: "report.submit" });
      expect(state(s)).to.equal("active.approval.awaitingLeadership");
      expect(effects(actions)).to.deep.equal([
        { type: "cancelDeadline", params: { key: "consolidation" } },
        { type: "sendMail", params: { template: "leadership.pending", to: "leadership" } },
      ]);
      expectRefused(s, { type: "report.endorse" });
    });

    it(
      "returns the report to consolidation with comments, from the chair or from leadership, and restarts the " +
        "consolidation clock",
      () => {
        for (const target of ["active.approval.awaitingChair", "active.approval.awaitingLeadership"]) {
          const s0 = driveTo(target);
          expectRefused(s0, { type: "report.return", comments: "" });
          const [s, actions] = send(m, s0, { type: "report.return", comments: "Bổ sung ý kiến thiểu số" });
          expect(state(s), target).to.equal("active.consolidation");
          expect(s.context.returns, target).to.deep.equal([{ comments: "Bổ sung ý kiến thiểu số", reportVersion: 1 }]);
          expect(effects(actions), target).to.deep.equal([
            {
              type: "scheduleDeadline",
              params: {
                key: "consolidation",
                workingDays: 5,
                event: { type: "deadline.reached", key: "consolidation" },
              },
            },
          ]);
        }
      },
    );

    it("keeps every return when a report is returned twice and then approved, and asks the chair again each round", () => {
      let s = driveTo("active.approval.awaitingLeadership");
      [s] = sendAll(
        s,
        { type: "report.return", comments: "Làm rõ nguồn vốn" },
        { type: "report.drafted", version: 2 },
        { type: "report.submit" },
      );
      expect(state(s)).to.equal("active.approval.awaitingChair");
      expect(s.context.chairEndorsed).to.equal(false);
      [s] = sendAll(
        s,
        { type: "report.return", comments: "Chủ tịch Hội đồng đề nghị sửa mục III" },
        { type: "report.drafted", version: 3 },
        { type: "report.submit" },
        { type: "report.endorse" },
      );
      const [approved, actions] = send(m, s, { type: "report.approve", note: "Đồng ý ban hành" });
      expect(state(approved)).to.equal("active.issuing");
      expect(approved.context.reportVersion).to.equal(3);
      expect(approved.context.returns).to.deep.equal([
        { comments: "Làm rõ nguồn vốn", reportVersion: 1 },
        { comments: "Chủ tịch Hội đồng đề nghị sửa mục III", reportVersion: 2 },
      ]);
      expect(effects(actions)).to.deep.equal([]);
    });
  });

  describe("issuing, response and closing", () => {
    const recommendations = recommendationIds.map((id, i) => ({ id, number: i + 1 }));
    const [r1, r2, r3] = recommendationIds;

    it(
      "issues the report with its recommendations: final report and cover letter issued, the result mailed, " +
        "the panel thanked",
      () => {
        const [s, actions] = send(m, driveTo("active.issuing"), { type: "report.issue", recommendations });
        expect(state(s)).to.equal("active.sent");
        expect(s.context.recommendations).to.deep.equal(recommendations);
        expect(effects(actions)).to.deep.equal([
          { type: "createRecommendations" },
          { type: "renderDocument", params: { kind: "finalReport", issue: true } },
          { type: "renderDocument", params: { kind: "coverLetter", issue: true } },
          { type: "sendMail", params: { template: "result.sent", to: "recipients" } },
          { type: "sendMail", params: { template: "expert.thanks", to: "panel" } },
        ]);
      },
    );

    it("refuses to issue a report without numbered recommendations", () => {
      expectRefused(driveTo("active.issuing"), { type: "report.issue", recommendations: [] });
    });

    it("records delivery only once the documents it delivers are issued", () => {
      expectRefused(driveTo("active.sent"), {
        type: "delivery.recorded",
        channel: "email",
        pendingDocuments: ["coverLetter"],
      });
      const [s] = send(m, driveTo("active.sent"), {
        type: "delivery.recorded",
        channel: "email",
        pendingDocuments: [],
      });
      expect(state(s)).to.equal("active.awaitingResponse");
    });

    it("closes self-initiated work after delivery when no recipient is asked to answer", () => {
      const input = { origin: "self_initiated" as const, hasAgency: false, awaitsResponse: false };
      const [s, actions] = send(m, driveTo("active.sent", input), { type: "delivery.recorded", channel: "email" });
      expect(state(s)).to.equal("closed");
      expect(effects(actions)).to.deep.include({ type: "cancelAllDeadlines" });
      expect(paramsOf(actions, "scheduleDeadline")).to.deep.equal([]);
      const [w] = send(m, driveTo("active.sent", { ...input, awaitsResponse: true }), {
        type: "delivery.recorded",
        channel: "email",
      });
      expect(state(w), "a recipient asked to answer").to.equal("active.awaitingResponse");
    });

    it("writes no acknowledgement, acceptance or decline letter for self-initiated work", () => {
      const input = { origin: "self_initiated" as const, hasAgency: false, awaitsResponse: false };
      const [, registered] = send(m, driveTo("active.ordered", input), { type: "order.register" });
      expect(paramsOf(registered, "sendMail")).to.deep.equal([]);
      const [, planned] = send(m, driveTo("active.planning", input), {
        type: "plan.submit",
        workPlan: "Hội đồng 3 thành viên",
        costEstimate: 0,
      });
      expect(paramsOf(planned, "renderDocument")).to.deep.equal([]);
      expect(paramsOf(planned, "sendMail")).to.deep.equal([]);
      const [declined, actions] = send(m, driveTo("active.screening.proposedDecline", input), {
        type: "order.decline",
      });
      expect(state(declined)).to.equal("declined");
      expect(paramsOf(actions, "renderDocument")).to.deep.equal([]);
      expect(paramsOf(actions, "sendMail")).to.deep.equal([]);
      const [, ordinary] = send(m, driveTo("active.planning"), {
        type: "plan.submit",
        workPlan: "Hội đồng 3 thành viên",
        costEstimate: 0,
      });
      expect(paramsOf(ordinary, "renderDocument")).to.deep.equal([{ kind: "acceptanceLetter", issue: true }]);
    });

    it("records delivery and starts the agency's response clock", () => {
      const [s, actions] = send(m, driveTo("active.sent"), { type: "delivery.recorded", channel: "email" });
      expect(state(s)).to.equal("active.awaitingResponse");
      expect(effects(actions)).to.deep.equal([
        {
          type: "scheduleDeadline",
          params: { key: "response", workingDays: 30, event: { type: "deadline.reached", key: "response" } },
        },
      ]);
    });

    it("saves a partial response on known recommendations, explaining anything not fully accepted", () => {
      const [s, actions] = send(m, driveTo("active.awaitingResponse"), {
        type: "response.save",
        answers: [
          { recommendationId: r1, status: "accepted" },
          { recommendationId: r2, status: "partly", explanation: "Tiếp thu một phần do hạn chế ngân sách" },
        ],
      });
      expect(state(s)).to.equal("active.awaitingResponse");
      expect(s.context.answered).to.deep.equal([r1, r2]);
      expect(effects(actions)).to.deep.equal([{ type: "recordResponses" }]);
    });

    it(
      "refuses a response on an unknown recommendation, with an unknown status, without an explanation for a " +
        "refusal, or with no answers",
      () => {
        const s = driveTo("active.awaitingResponse");
        for (const type of ["response.save", "response.submit"] as const) {
          expectRefused(s, { type, answers: [{ recommendationId: "kn-99", status: "accepted" }] });
          expectRefused(s, { type, answers: [{ recommendationId: r1, status: "maybe" as never }] });
          expectRefused(s, {
            type,
            answers: [...ALL_ANSWERS.slice(1), { recommendationId: r1, status: "not_accepted" }],
          });
          expectRefused(s, {
            type,
            answers: [...ALL_ANSWERS.slice(1), { recommendationId: r1, status: "partly", explanation: "  " }],
          });
        }
        expectRefused(s, { type: "response.save", answers: [] });
      },
    );

    it("refuses to submit the response until every recommendation is answered, counting what was saved earlier", () => {
      let s = driveTo("active.awaitingResponse");
      expectRefused(s, { type: "response.submit", answers: [{ recommendationId: r1, status: "accepted" }] });
      [s] = send(m, s, {
        type: "response.save",
        answers: [
          { recommendationId: r1, status: "accepted" },
          { recommendationId: r2, status: "not_accepted", explanation: "Không phù hợp quy hoạch" },
        ],
      });
      expectRefused(s, { type: "response.submit", answers: [] });
      const [done, actions] = send(m, s, {
        type: "response.submit",
        answers: [{ recommendationId: r3, status: "accepted" }],
      });
      expect(state(done)).to.equal("active.responded");
      expect(done.context.answered).to.have.members([r1, r2, r3]);
      expect(effects(actions)).to.deep.equal([
        { type: "cancelDeadline", params: { key: "response" } },
        { type: "recordResponses" },
        { type: "sendMail", params: { template: "response.received", to: "secretariat" } },
      ]);
    });

    it("issues a reminder letter when the response falls due, and sends escalation levels on", () => {
      const [s, actions] = send(m, driveTo("active.awaitingResponse"), { type: "deadline.reached", key: "response" });
      expect(state(s)).to.equal("active.awaitingResponse");
      expect(s.context.reminders).to.equal(1);
      expect(effects(actions)).to.deep.equal([
        { type: "renderDocument", params: { kind: "responseReminder", issue: true } },
      ]);
      const [, esc] = send(m, s, { type: "deadline.reached", key: "response", level: "leadership" });
      expect(effects(esc)).to.deep.equal([
        { type: "sendMail", params: { template: "escalation", to: "leadership", data: { key: "response" } } },
      ]);
    });

    it("ignores a stale deadline of another stage while awaiting the response", () => {
      expectRefused(driveTo("active.awaitingResponse"), { type: "deadline.reached", key: "review" });
    });

    it("closes a responded assignment, cancelling every deadline", () => {
      const [s, actions] = send(m, driveTo("active.responded"), { type: "assignment.close", note: "Đã quyết toán" });
      expect(state(s)).to.equal("closed");
      expect(effects(actions)).to.deep.equal([{ type: "cancelAllDeadlines" }]);
    });

    it(
      "reopens a closed assignment for a follow-up critique as round 2 in screening, with a fresh context and " +
        "a new screening clock",
      () => {
        const closed = driveTo("closed");
        expectRefused(closed, { type: "assignment.reopen", reason: "" });
        const [s, actions] = send(m, closed, {
          type: "assignment.reopen",
          reason: "Sở gửi lại dự thảo đã chỉnh sửa để phản biện lần 2",
        });
        expect(state(s)).to.equal("active.screening.reviewing");
        const [fresh] = initialTransition(m, assignmentInput());
        expect(s.context).to.deep.equal({ ...fresh.context, round: 2 });
        expect(effects(actions)).to.deep.equal([
          {
            type: "scheduleDeadline",
            params: { key: "screening", workingDays: 5, event: { type: "deadline.reached", key: "screening" } },
          },
        ]);
      },
    );
  });

  describe("hold, resume and withdrawal", () => {
    const openStates = [
      "active.ordered",
      "active.screening.reviewing",
      "active.screening.awaitingDocuments",
      "active.screening.proposedAccept",
      "active.screening.proposedDecline",
      "active.planning",
      "active.panelFormation.forming",
      "active.panelFormation.proposed",
      "active.underReview",
      "active.consolidation",
      "active.approval.awaitingChair",
      "active.approval.awaitingLeadership",
      "active.issuing",
      "active.sent",
      "active.awaitingResponse",
      "active.responded",
    ];

    it("puts an open assignment on hold with a reason, pausing all its deadlines", () => {
      const [s, actions] = send(m, driveTo("active.screening.reviewing"), HOLD);
      expect(state(s)).to.equal("onHold");
      expect(effects(actions)).to.deep.equal([{ type: "pauseDeadline", params: { key: "*" } }]);
    });

    it("refuses a hold without a reason", () => {
      expectRefused(driveTo("active.underReview"), { type: "assignment.hold", reason: "" });
      expectRefused(driveTo("active.underReview"), { type: "assignment.hold", reason: "  " });
    });

    it("resumes every open state at exactly the sub-state it was held in, with its context untouched", () => {
      const wrong: string[] = [];
      for (const target of openStates) {
        const s0 = driveTo(target);
        if (!s0.can(HOLD)) {
          wrong.push(`${target}: hold refused`);
          continue;
        }
        const [held] = transition(m, s0, HOLD);
        const [back] = transition(m, held, { type: "assignment.resume" });
        if (state(back) !== target) wrong.push(`${target}: resumed to ${state(back)}`);
        else if (JSON.stringify(back.context) !== JSON.stringify(s0.context)) wrong.push(`${target}: context changed`);
      }
      expect(wrong).to.deep.equal([]);
    });

    it(
      "pauses the running clock on hold instead of cancelling it, and resumes it without restarting it or " +
        "repeating mails",
      () => {
        const wrong: string[] = [];
        for (const target of openStates) {
          const s0 = driveTo(target);
          if (!s0.can(HOLD)) {
            wrong.push(`${target}: hold refused`);
            continue;
          }
          const [held, onHold] = transition(m, s0, HOLD);
          const [, onResume] = transition(m, held, { type: "assignment.resume", note: "Đã nhận dự thảo sửa đổi" });
          const h = JSON.stringify(effects(onHold));
          const r = JSON.stringify(effects(onResume));
          if (h !== JSON.stringify([{ type: "pauseDeadline", params: { key: "*" } }]))
            wrong.push(`${target}: hold asks ${h}`);
          if (r !== JSON.stringify([{ type: "resumeDeadline", params: { key: "*" } }]))
            wrong.push(`${target}: resume asks ${r}`);
        }
        expect(wrong).to.deep.equal([]);
      },
    );

    it("resumes the exact sub-state after a hold even when the snapshot is saved and reloaded in between", () => {
      let s = roundTrip(m, reviewWithOpinions([chair]));
      [s] = send(m, s, { type: "extension.request", expertId: member, days: 5, reason: "Đi công tác" });
      const before = s.context;
      [s] = send(m, roundTrip(m, s), HOLD);
      expect(state(s)).to.equal("onHold");
      [s] = send(m, roundTrip(m, s), { type: "assignment.resume" });
      s = roundTrip(m, s);
      expect(state(s)).to.equal("active.underReview");
      expect(s.context).to.deep.equal(before);

      let d = roundTrip(m, driveTo("active.screening.awaitingDocuments"));
      [d] = send(m, d, HOLD);
      [d] = send(m, roundTrip(m, d), { type: "assignment.resume" });
      expect(state(roundTrip(m, d))).to.equal("active.screening.awaitingDocuments");
    });

    it("withdraws an open assignment with a reason: deadlines and invitations cancelled, the secretariat told", () => {
      const s0 = driveTo("active.panelFormation.forming");
      expectRefused(s0, { type: "assignment.withdraw", reason: "" });
      const [s, actions] = send(m, s0, WITHDRAW);
      expect(state(s)).to.equal("withdrawn");
      expect(s.status).to.equal("done");
      expect(effects(actions)).to.deep.equal([
        { type: "cancelAllDeadlines" },
        { type: "cancelInvitations" },
        { type: "sendMail", params: { template: "assignment.withdrawn", to: "secretariat" } },
      ]);
    });

    it("can withdraw from every open state", () => {
      const refused = openStates.filter((target) => !driveTo(target).can(WITHDRAW));
      expect(refused).to.deep.equal([]);
    });

    it("withdraws an assignment on hold, cancelling its deadlines and invitations, but not without a reason", () => {
      const held = driveTo("onHold");
      expectRefused(held, { type: "assignment.withdraw", reason: "" });
      const [s, actions] = send(m, held, WITHDRAW);
      expect(state(s)).to.equal("withdrawn");
      expect(effects(actions).slice(0, 2)).to.deep.equal([
        { type: "cancelAllDeadlines" },
        { type: "cancelInvitations" },
      ]);
    });
  });

  describe("refused events", () => {
    const samples: Record<AssignmentEventType, AssignmentEvent> = {
      "order.register": { type: "order.register" },
      "documents.request": { type: "documents.request", missingDocuments: ["Tờ trình"] },
      "documents.supply": { type: "documents.supply" },
      "order.proposeAccept": { type: "order.proposeAccept" },
      "order.proposeDecline": { type: "order.proposeDecline", reasons: "Ngoài phạm vi" },
      "order.accept": { type: "order.accept" },
      "order.decline": { type: "order.decline" },
      "proposal.return": { type: "proposal.return", comments: "Xem lại" },
      "plan.submit": { type: "plan.submit", workPlan: "Kế hoạch", costEstimate: 1 },
      "panel.invite": {
        type: "panel.invite",
        members: [{ expertId: "cg-vu-thi-hoa", role: "member" }],
        invitationIds: ["inv-90"],
      },
      "invitation.accepted": { type: "invitation.accepted", invitationId: "inv-01" },
      "invitation.declined": { type: "invitation.declined", invitationId: "inv-01" },
      "invitation.expired": { type: "invitation.expired", invitationId: "inv-01" },
      "conflict.waive": { type: "conflict.waive", invitationId: "inv-01", reason: "Không ảnh hưởng" },
      "conflict.replace": { type: "conflict.replace", invitationId: "inv-01", reason: "Thay", nextInvitationId: "x" },
      "panel.submit": { type: "panel.submit" },
      "panel.approve": { type: "panel.approve" },
      "panel.return": { type: "panel.return", comments: "Xem lại" },
      "opinion.submitted": { type: "opinion.submitted", expertId: chair, version: 9 },
      "extension.request": { type: "extension.request", expertId: member, days: 5, reason: "Ốm" },
      "extension.grant": { type: "extension.grant", expertId: member },
      "extension.refuse": { type: "extension.refuse", expertId: member, reason: "Không" },
      "reminder.send": { type: "reminder.send" },
      "workshop.schedule": { type: "workshop.schedule", scheduledAt: "2026-03-12T08:00:00+07:00", place: "Hội trường" },
      "workshop.record": { type: "workshop.record", minutes: "Biên bản", attendees: [] },
      "review.close": { type: "review.close" },
      "report.drafted": { type: "report.drafted", version: 9 },
      "report.submit": { type: "report.submit" },
      "report.endorse": { type: "report.endorse" },
      "report.approve": { type: "report.approve" },
      "report.return": { type: "report.return", comments: "Xem lại" },
      "report.issue": { type: "report.issue", recommendations: [{ id: "kn-01", number: 1 }] },
      "delivery.recorded": { type: "delivery.recorded", channel: "email" },
      "response.save": { type: "response.save", answers: [{ recommendationId: "kn-01", status: "accepted" }] },
      "response.submit": { type: "response.submit", answers: ALL_ANSWERS },
      "response.record": {
        type: "response.record",
        answers: ALL_ANSWERS,
        answeredBy: "Hội đồng nhân dân tỉnh",
        answeredOn: "2026-04-01",
      },
      "assignment.close": { type: "assignment.close" },
      "assignment.reopen": { type: "assignment.reopen", reason: "Dự thảo sửa đổi" },
      "assignment.hold": HOLD,
      "assignment.resume": { type: "assignment.resume" },
      "assignment.withdraw": WITHDRAW,
      "deadline.reached": { type: "deadline.reached", key: "screening" },
    };
    const open = ["assignment.hold", "assignment.withdraw"] as const;
    /** What each state may accept; every other event is refused there. */
    const accepts: Record<string, AssignmentEventType[]> = {
      "active.ordered": ["order.register", ...open],
      "active.screening.reviewing": [
        "documents.request",
        "order.proposeAccept",
        "order.proposeDecline",
        "deadline.reached",
        ...open,
      ],
      "active.screening.awaitingDocuments": ["documents.supply", ...open],
      "active.screening.proposedAccept": ["order.accept", "proposal.return", "deadline.reached", ...open],
      "active.screening.proposedDecline": ["order.decline", "proposal.return", "deadline.reached", ...open],
      "active.planning": ["plan.submit", "deadline.reached", ...open],
      "active.panelFormation.forming": [
        "panel.invite",
        "invitation.accepted",
        "invitation.declined",
        "invitation.expired",
        "panel.submit",
        ...open,
      ],
      "active.panelFormation.proposed": [
        "panel.approve",
        "panel.return",
        "invitation.accepted",
        "invitation.declined",
        "invitation.expired",
        ...open,
      ],
      "active.underReview": [
        "opinion.submitted",
        "extension.request",
        "extension.grant",
        "extension.refuse",
        "reminder.send",
        "workshop.schedule",
        "workshop.record",
        "deadline.reached",
        "review.close",
        ...open,
      ],
      "active.consolidation": ["report.drafted", "report.submit", "deadline.reached", ...open],
      "active.approval.awaitingChair": ["report.endorse", "report.return", ...open],
      "active.approval.awaitingLeadership": ["report.approve", "report.return", ...open],
      "active.issuing": ["report.issue", ...open],
      "active.sent": ["delivery.recorded", ...open],
      "active.awaitingResponse": ["response.save", "response.submit", "deadline.reached", ...open],
      "active.responded": ["assignment.close", ...open],
      closed: ["assignment.reopen"],
      onHold: ["assignment.resume", "assignment.withdraw"],
      declined: [],
      withdrawn: [],
    };

    for (const [target, allowed] of Object.entries(accepts)) {
      const label = allowed.length ? `accepts only ${allowed.length} kinds of event` : "accepts nothing";
      it(`${label} in ${target}, refusing the others without any effect`, () => {
        const s = driveTo(target);
        for (const [type, event] of Object.entries(samples)) {
          if (!allowed.includes(type as AssignmentEventType)) expectRefused(s, event);
        }
      });
    }
  });

  describe("persistence", () => {
    it("survives a save and reload after every step of its life, from order to close and reopening", () => {
      let [s] = initialTransition(m, assignmentInput({ forms: ["council", "workshop"] }));
      const visited: string[] = [state(s)];
      const all: string[] = [];
      const go = (event: AssignmentEvent) => {
        const [next, actions] = send(m, roundTrip(m, s), event);
        s = roundTrip(m, next);
        all.push(
          ...effects(actions).map(
            (e) => `${e.type}${e.type === "sendMail" ? `:${(e.params as { template: string }).template}` : ""}`,
          ),
        );
        if (visited[visited.length - 1] !== state(s)) visited.push(state(s));
      };
      go({ type: "order.register" });
      go({ type: "documents.request", missingDocuments: ["Báo cáo đánh giá tác động môi trường"] });
      go({ type: "documents.supply" });
      go({ type: "order.proposeAccept" });
      go({ type: "order.accept" });
      go({
        type: "plan.submit",
        workPlan: "Hội đồng và hội thảo hiện trường",
        costEstimate: 120_000_000,
        reviewDays: 20,
      });
      go({
        type: "panel.invite",
        members: panelMembers.map((p) => ({ ...p })),
        alternates: [{ expertId: "cg-pham-thu-dung", role: "member" }],
        invitationIds: ["inv-01", "inv-02", "inv-03"],
      });
      go({ type: "invitation.accepted", invitationId: "inv-01" });
      go({ type: "invitation.accepted", invitationId: "inv-02" });
      go({ type: "invitation.declined", invitationId: "inv-03", conflict: true, nextInvitationId: "inv-04" });
      go({ type: "invitation.accepted", invitationId: "inv-04" });
      go({ type: "panel.submit" });
      go({ type: "panel.approve" });
      go({ type: "workshop.schedule", scheduledAt: "2026-03-12T08:00:00+07:00", place: "Nhà văn hóa thôn Nà Mòn" });
      go({ type: "workshop.record", minutes: "Biên bản hội thảo", attendees: [chair, secretary, "cg-pham-thu-dung"] });
      for (const expertId of [chair, secretary, "cg-pham-thu-dung"])
        go({ type: "opinion.submitted", expertId, version: 1 });
      go({ type: "review.close" });
      go({ type: "report.drafted", version: 1 });
      go({ type: "report.submit" });
      go({ type: "report.return", comments: "Bổ sung ma trận góp ý" });
      go({ type: "report.drafted", version: 2 });
      go({ type: "report.submit" });
      go({ type: "report.endorse" });
      go({ type: "report.approve" });
      go({
        type: "report.issue",
        recommendations: [
          { id: "kn-01", number: 1 },
          { id: "kn-02", number: 2 },
        ],
      });
      go({ type: "delivery.recorded", channel: "email" });
      go({ type: "response.save", answers: [{ recommendationId: "kn-01", status: "accepted" }] });
      go({
        type: "response.submit",
        answers: [{ recommendationId: "kn-02", status: "partly", explanation: "Điều chỉnh theo nguồn vốn" }],
      });
      go({ type: "assignment.close" });
      go({ type: "assignment.reopen", reason: "Dự thảo sửa đổi gửi phản biện lần 2" });

      expect(visited).to.deep.equal([
        "active.ordered",
        "active.screening.reviewing",
        "active.screening.awaitingDocuments",
        "active.screening.reviewing",
        "active.screening.proposedAccept",
        "active.planning",
        "active.panelFormation.forming",
        "active.panelFormation.proposed",
        "active.underReview",
        "active.consolidation",
        "active.approval.awaitingChair",
        "active.consolidation",
        "active.approval.awaitingChair",
        "active.approval.awaitingLeadership",
        "active.issuing",
        "active.sent",
        "active.awaitingResponse",
        "active.responded",
        "closed",
        "active.screening.reviewing",
      ]);
      expect(s.context.round).to.equal(2);
      // Seven documents of the assignment, and the three experts' opinions (bản nhận xét).
      expect(all.filter((a) => a === "renderDocument")).to.have.length(10);
      expect(all.filter((a) => a === "createInvitations")).to.have.length(2);
      expect(all).to.include.members([
        "sendMail:order.acknowledged",
        "sendMail:result.sent",
        "sendMail:response.received",
        "cancelAllDeadlines",
      ]);
    });
  });
});
