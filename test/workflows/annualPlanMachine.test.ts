import { expect } from "chai";
import { initialTransition, transition } from "xstate";
import { annualPlanMachine } from "../../workflows/annualPlan/annualPlanMachine.js";
import type { AnnualPlanEvent, AnnualPlanEventType } from "../../workflows/annualPlan/types.js";
import { effects, flattenState, paramsOf, roundTrip } from "../support/machines.js";
import {
  DECISION,
  agencyProposer,
  content,
  drivePlanTo,
  planInput,
  proposals,
  sendPlan,
  sendPlanAll,
  unionProposer,
  type PlanSnapshot,
} from "../support/planMachines.js";

const m = annualPlanMachine;
const state = (s: PlanSnapshot) => flattenState(s.value);
const statusOf = (s: PlanSnapshot, id: string) => s.context.items.find((i) => i.itemId === id)?.status;
const item = (s: PlanSnapshot, id: string) => s.context.items.find((i) => i.itemId === id)!;

/** The event must be refused: `can` says no, and transition() changes nothing and asks for nothing. */
function expectRefused(snapshot: PlanSnapshot, event: AnnualPlanEvent) {
  expect(snapshot.can(event), `${event.type} should be refused in ${state(snapshot)}`).to.equal(false);
  const [next, actions] = transition(m, snapshot, event);
  expect(state(next)).to.equal(state(snapshot));
  expect(next.context).to.deep.equal(snapshot.context);
  expect(effects(actions)).to.deep.equal([]);
}

const REJECT_03: AnnualPlanEvent = { type: "item.reject", itemId: "it-03", reason: "Trùng nội dung" };
const RANK: AnnualPlanEvent = { type: "items.rank", order: ["it-01", "it-02", "it-04", "it-05"] };

describe("annual plan machine", () => {
  describe("collecting proposals", () => {
    it("opens with a call for proposals and a deadline on the last day for proposals", () => {
      const [s, actions] = initialTransition(m, planInput());
      expect(state(s)).to.equal("collecting");
      expect(s.context).to.include({ year: 2027, approvedVersion: 0 });
      expect(s.context.draft).to.deep.equal({ kind: "initial", version: 1, reason: null });
      expect(effects(actions)).to.deep.equal([
        {
          type: "scheduleDeadline",
          params: { key: "proposals", on: "2026-10-31", event: { type: "deadline.reached", key: "proposals" } },
        },
        { type: "sendMail", params: { template: "annualPlan.callForProposals", to: "proposers" } },
      ]);
    });

    it("takes an agency's proposal, records its content as version data and acknowledges it", () => {
      const [s0] = initialTransition(m, planInput());
      const [s, actions] = sendPlan(s0, proposals[0]);
      expect(item(s, "it-01")).to.deep.equal({
        itemId: "it-01",
        status: "proposed",
        quarter: 2,
        proposer: agencyProposer,
        rank: null,
        mergedInto: null,
        assignmentId: null,
        addedIn: 1,
        pending: null,
      });
      expect(effects(actions)).to.deep.equal([
        { type: "saveItemVersion", params: { itemId: "it-01", listVersion: 1, reason: null } },
        { type: "sendMail", params: { template: "annualPlan.proposalReceived", to: { itemProposer: "it-01" } } },
      ]);
    });

    it("takes proposals from member associations and the Union's own", () => {
      const [s0] = initialTransition(m, planInput());
      const [s] = sendPlanAll(s0, ...proposals);
      expect(s.context.items.map((i) => [i.itemId, i.proposer.kind])).to.deep.equal([
        ["it-01", "agency"],
        ["it-02", "agency"],
        ["it-03", "association"],
        ["it-04", "union"],
        ["it-05", "agency"],
      ]);
    });

    it("refuses a proposal that is incomplete, malformed or already there", () => {
      const s = drivePlanTo("collecting");
      const [withOne] = sendPlan(s, proposals[0]);
      const base = { type: "proposal.submit" as const, itemId: "it-09", proposer: agencyProposer };
      const bad: AnnualPlanEvent[] = [
        { ...base, itemId: "it-01", content: content() },
        { ...base, itemId: " ", content: content() },
        { ...base, content: content({ title: "  " }) },
        { ...base, content: content({ rationale: "" }) },
        { ...base, content: content({ forms: [] }) },
        { ...base, content: content({ forms: ["council", "council"] }) },
        { ...base, content: content({ forms: ["seminar" as never] }) },
        { ...base, content: content({ type: "review" as never }) },
        { ...base, content: content({ quarter: 5 as never }) },
        { ...base, content: content({ quarter: 0 as never }) },
        { ...base, content: content({ estimatedCost: 45_000_000.5 }) },
        { ...base, content: content({ estimatedCost: -1 }) },
        { ...base, content: content({ estimatedCost: Number.MAX_SAFE_INTEGER + 1 }) },
        { ...base, proposer: { kind: "agency", id: null }, content: content() },
        { ...base, proposer: { kind: "union", id: "ag-x" }, content: content() },
        { ...base, proposer: { kind: "province" as never, id: "x" }, content: content() },
      ];
      for (const event of bad) expectRefused(withOne, event);
    });

    it("lets a proposer withdraw a proposal, once", () => {
      const [s0] = sendPlanAll(drivePlanTo("collecting"), proposals[0], proposals[1]);
      const [s, actions] = sendPlan(s0, {
        type: "proposal.withdraw",
        itemId: "it-02",
        reason: "Sở tự tổ chức lấy ý kiến",
      });
      expect(statusOf(s, "it-02")).to.equal("withdrawn");
      expect(effects(actions)).to.deep.equal([]);
      expectRefused(s, { type: "proposal.withdraw", itemId: "it-02" });
      expectRefused(s, { type: "proposal.withdraw", itemId: "it-99" });
    });

    it("closes the call when the secretariat says so and cancels the proposals deadline", () => {
      const [s, actions] = sendPlan(drivePlanTo("collecting"), { type: "proposals.close" });
      expect(state(s)).to.equal("preparing.compiling");
      expect(effects(actions)).to.deep.equal([{ type: "cancelDeadline", params: { key: "proposals" } }]);
    });

    it("closes the call by itself when the proposals deadline falls due and tells the secretariat", () => {
      const [s, actions] = sendPlan(drivePlanTo("collecting"), { type: "deadline.reached", key: "proposals" });
      expect(state(s)).to.equal("preparing.compiling");
      expect(effects(actions)).to.deep.equal([
        { type: "cancelDeadline", params: { key: "proposals" } },
        { type: "sendMail", params: { template: "annualPlan.proposalsClosed", to: "secretariat" } },
      ]);
    });

    it("refuses other deadlines and the secretariat's compiling work while collecting", () => {
      const [s] = sendPlanAll(drivePlanTo("collecting"), ...proposals);
      expectRefused(s, { type: "deadline.reached", key: "decision" });
      expectRefused(s, { type: "deadline.reached", key: "quarterStart:1" });
      expectRefused(s, { type: "items.rank", order: proposals.map((p) => p.itemId) });
      expectRefused(s, { type: "submission.propose" });
    });

    it("lets a proposal be corrected while the call is open: a new version, the quarter followed", () => {
      const [s0] = sendPlanAll(drivePlanTo("collecting"), ...proposals);
      const edit: AnnualPlanEvent = {
        type: "item.edit",
        itemId: "it-01",
        content: { quarter: 3 },
        reason: "Lùi tiến độ",
      };
      const [s, actions] = sendPlan(s0, edit);
      expect(s.context.items.find((i) => i.itemId === "it-01")?.quarter).to.equal(3);
      expect(actions.map((a) => a.type)).to.include("saveItemVersion");
      expectRefused(s, { ...edit, reason: "" });
    });
  });

  describe("compiling the list", () => {
    it("adds the Union's own item and records it", () => {
      const s0 = drivePlanTo("preparing.compiling");
      const add: AnnualPlanEvent = {
        type: "item.add",
        itemId: "it-07",
        proposer: unionProposer,
        content: content({ title: "Chương trình bảo tồn, phát triển cây chè Shan tuyết", quarter: 3 }),
        note: "Liên hiệp hội chủ động đề xuất",
      };
      const [s, actions] = sendPlan(s0, add);
      expect(item(s, "it-07")).to.include({ status: "proposed", addedIn: 1, quarter: 3 });
      expect(item(s, "it-07").pending).to.equal(null);
      expect(effects(actions)).to.deep.equal([
        {
          type: "saveItemVersion",
          params: { itemId: "it-07", listVersion: 1, reason: "Liên hiệp hội chủ động đề xuất" },
        },
      ]);
      expectRefused(s, { ...add, itemId: "it-08", content: content({ estimatedCost: 1.5 }) });
    });

    it("refuses late proposals from outside once the call has closed (the secretariat adds them)", () => {
      const s = drivePlanTo("preparing.compiling");
      expectRefused(s, { type: "proposal.submit", itemId: "it-08", proposer: agencyProposer, content: content() });
      expectRefused(s, { type: "proposal.withdraw", itemId: "it-01" });
    });

    it("edits a proposal with a reason, moves its quarter and takes it out of the ranking", () => {
      const [s0] = sendPlan(drivePlanTo("preparing.compiling"), {
        type: "items.rank",
        order: proposals.map((p) => p.itemId),
      });
      const [s, actions] = sendPlan(s0, {
        type: "item.edit",
        itemId: "it-01",
        content: { quarter: 3, estimatedCost: 40_000_000 },
        reason: "Điều chỉnh theo khả năng bố trí kinh phí",
      });
      expect(item(s, "it-01")).to.include({ quarter: 3, rank: null });
      expect(item(s, "it-02").rank).to.equal(2);
      expect(effects(actions)).to.deep.equal([
        {
          type: "saveItemVersion",
          params: { itemId: "it-01", listVersion: 1, reason: "Điều chỉnh theo khả năng bố trí kinh phí" },
        },
      ]);
    });

    it("refuses an edit without a reason, without content, with a bad field, or of an item not proposed", () => {
      const [s] = sendPlan(drivePlanTo("preparing.compiling"), REJECT_03);
      const edit = { type: "item.edit" as const, itemId: "it-01", reason: "Sửa tên" };
      expectRefused(s, { ...edit, content: { title: "Tên mới" }, reason: " " });
      expectRefused(s, { ...edit, content: {} });
      expectRefused(s, { ...edit, content: { estimatedCost: -5 } });
      expectRefused(s, { ...edit, content: { quarter: 7 as never } });
      expectRefused(s, { ...edit, content: { colour: "đỏ" } as never });
      expectRefused(s, { ...edit, itemId: "it-03", content: { title: "Tên mới" } });
      expectRefused(s, { ...edit, itemId: "it-99", content: { title: "Tên mới" } });
    });

    it("merges proposals into one that stays on the list", () => {
      const [s, actions] = sendPlan(drivePlanTo("preparing.compiling"), {
        type: "items.merge",
        intoItemId: "it-01",
        itemIds: ["it-03"],
        reason: "Cùng lĩnh vực nông nghiệp, gộp thành một nhiệm vụ",
      });
      expect(item(s, "it-03")).to.include({ status: "merged", mergedInto: "it-01" });
      expect(statusOf(s, "it-01")).to.equal("proposed");
      expect(effects(actions)).to.deep.equal([]);
    });

    it("refuses a merge into itself, into a rejected item, of nothing, twice the same, or without a reason", () => {
      const [s] = sendPlan(drivePlanTo("preparing.compiling"), REJECT_03);
      const merge = { type: "items.merge" as const, intoItemId: "it-01", reason: "Gộp" };
      expectRefused(s, { ...merge, itemIds: ["it-01"] });
      expectRefused(s, { ...merge, itemIds: [] });
      expectRefused(s, { ...merge, itemIds: ["it-02", "it-02"] });
      expectRefused(s, { ...merge, itemIds: ["it-03"] });
      expectRefused(s, { ...merge, intoItemId: "it-03", itemIds: ["it-02"] });
      expectRefused(s, { ...merge, itemIds: ["it-02"], reason: "" });
    });

    it("rejects with reasons only, and restores a rejected or merged item as a proposal", () => {
      const s0 = drivePlanTo("preparing.compiling");
      expectRefused(s0, { type: "item.reject", itemId: "it-03", reason: "  " });
      const [s1] = sendPlan(s0, REJECT_03);
      expect(statusOf(s1, "it-03")).to.equal("rejected");
      expectRefused(s1, REJECT_03);
      expectRefused(s1, { type: "item.restore", itemId: "it-01", reason: "Nhầm" });
      expectRefused(s1, { type: "item.restore", itemId: "it-03", reason: "" });
      const [s2] = sendPlan(s1, { type: "item.restore", itemId: "it-03", reason: "Lãnh đạo đề nghị giữ lại" });
      expect(item(s2, "it-03")).to.include({ status: "proposed", rank: null, mergedInto: null });
      const [s3] = sendPlanAll(
        s2,
        { type: "items.merge", intoItemId: "it-01", itemIds: ["it-03"], reason: "Gộp" },
        { type: "item.restore", itemId: "it-03", reason: "Tách lại" },
      );
      expect(item(s3, "it-03")).to.include({ status: "proposed", mergedInto: null });
    });

    it("ranks exactly the proposals on the list, and nothing else", () => {
      const [s0] = sendPlan(drivePlanTo("preparing.compiling"), REJECT_03);
      expectRefused(s0, { type: "items.rank", order: ["it-01", "it-02", "it-04"] });
      expectRefused(s0, { type: "items.rank", order: ["it-01", "it-02", "it-03", "it-04", "it-05"] });
      expectRefused(s0, { type: "items.rank", order: ["it-01", "it-01", "it-02", "it-04"] });
      const [s] = sendPlan(s0, { type: "items.rank", order: ["it-05", "it-01", "it-04", "it-02"] });
      expect(s.context.items.map((i) => [i.itemId, i.rank])).to.deep.equal([
        ["it-01", 2],
        ["it-02", 4],
        ["it-03", null],
        ["it-04", 3],
        ["it-05", 1],
      ]);
    });

    it("proposes the list to leadership only when every proposal has its place", () => {
      const [unranked] = sendPlan(drivePlanTo("preparing.compiling"), REJECT_03);
      expectRefused(unranked, { type: "submission.propose" });
      const [s, actions] = sendPlanAll(unranked, RANK, { type: "submission.propose", note: "Danh mục 04 nhiệm vụ" });
      expect(state(s)).to.equal("preparing.awaitingLeadership");
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "annualPlan.leadershipPending", to: "leadership" } },
      ]);
    });

    it("refuses to propose an empty list", () => {
      let [s] = sendPlan(drivePlanTo("collecting"), { type: "proposals.close" });
      expectRefused(s, { type: "submission.propose" });
      [s] = sendPlanAll(
        s,
        { ...proposals[0], type: "item.add" },
        { type: "item.reject", itemId: "it-01", reason: "Trùng" },
      );
      expectRefused(s, { type: "submission.propose" });
    });
  });

  describe("leadership, the Tờ trình and the province", () => {
    it("leadership approves the submission and the clerk is asked to issue it", () => {
      const [s, actions] = sendPlan(drivePlanTo("preparing.awaitingLeadership"), { type: "submission.approve" });
      expect(state(s)).to.equal("preparing.issuing");
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "annualPlan.readyToIssue", to: "clerk" } },
      ]);
    });

    it("leadership returns it with comments, which are kept, and the list can be proposed again", () => {
      const s0 = drivePlanTo("preparing.awaitingLeadership");
      expectRefused(s0, { type: "submission.return", comments: " " });
      const comments = "Bổ sung căn cứ pháp lý và sắp xếp lại thứ tự ưu tiên";
      const [s, actions] = sendPlan(s0, { type: "submission.return", comments });
      expect(state(s)).to.equal("preparing.compiling");
      expect(s.context.returns).to.deep.equal([{ by: "leadership", version: 1, comments }]);
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "annualPlan.submissionReturned", to: "secretariat" } },
      ]);
      const [again] = sendPlan(s, { type: "submission.propose" });
      expect(state(again)).to.equal("preparing.awaitingLeadership");
    });

    it("refuses item work and the clerk's issue while leadership decides", () => {
      const s = drivePlanTo("preparing.awaitingLeadership");
      expectRefused(s, { type: "item.edit", itemId: "it-01", content: { quarter: 3 }, reason: "Lùi" });
      expectRefused(s, { type: "submission.issue" });
      expectRefused(s, DECISION);
    });

    it("issues the numbered Tờ trình with the list in its order, sends it and waits for the decision", () => {
      const [s, actions] = sendPlan(drivePlanTo("preparing.issuing"), { type: "submission.issue" });
      expect(state(s)).to.equal("preparing.submitted");
      expect(s.context.submissions).to.deep.equal([{ version: 1, kind: "initial", outcome: "pending" }]);
      expect(effects(actions)).to.deep.equal([
        {
          type: "recordSubmission",
          params: { version: 1, kind: "initial", itemIds: ["it-01", "it-02", "it-04", "it-05"] },
        },
        { type: "renderDocument", params: { kind: "planSubmission", issue: true, version: 1 } },
        { type: "sendMail", params: { template: "annualPlan.submitted", to: "province" } },
        {
          type: "scheduleDeadline",
          params: { key: "decision", days: 30, event: { type: "deadline.reached", key: "decision" } },
        },
      ]);
    });

    it("asks the secretariat to follow up when the province has not decided in time", () => {
      const [s, actions] = sendPlan(drivePlanTo("preparing.submitted"), { type: "deadline.reached", key: "decision" });
      expect(state(s)).to.equal("preparing.submitted");
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "annualPlan.decisionFollowUp", to: "secretariat" } },
      ]);
    });

    it("goes back to compiling when the province returns the list, and submits the same version again", () => {
      const comments = "Rà soát, giảm số lượng nhiệm vụ cho phù hợp dự toán ngân sách";
      const [s, actions] = sendPlan(drivePlanTo("preparing.submitted"), {
        type: "province.return",
        comments,
        letterNumber: "1520/UBND-KGVX",
      });
      expect(state(s)).to.equal("preparing.compiling");
      expect(s.context.returns).to.deep.equal([{ by: "province", version: 1, comments }]);
      expect(s.context.submissions).to.deep.equal([{ version: 1, kind: "initial", outcome: "returned" }]);
      expect(effects(actions)).to.deep.equal([
        { type: "cancelDeadline", params: { key: "decision" } },
        { type: "sendMail", params: { template: "annualPlan.submissionReturned", to: "secretariat" } },
      ]);
      const [again, issued] = sendPlanAll(
        s,
        { type: "submission.propose" },
        { type: "submission.approve" },
        { type: "submission.issue" },
      );
      expect(state(again)).to.equal("preparing.submitted");
      expect(paramsOf(issued, "renderDocument")).to.deep.equal([{ kind: "planSubmission", issue: true, version: 1 }]);
      expect(again.context.submissions.map((x) => x.outcome)).to.deep.equal(["returned", "pending"]);
    });

    it("records the province's decision: one item cut, one changed, the rest approved, and the year's reminders", () => {
      const [s, actions] = sendPlan(drivePlanTo("preparing.submitted"), DECISION);
      expect(state(s)).to.equal("inExecution.running");
      expect(s.context.items.map((i) => [i.itemId, i.status, i.quarter])).to.deep.equal([
        ["it-01", "approved", 2],
        ["it-02", "changed", 4],
        ["it-03", "rejected", 1],
        ["it-04", "approved", 2],
        ["it-05", "cut", 4],
      ]);
      expect(s.context.items.every((i) => i.rank === null && i.pending === null)).to.equal(true);
      expect(s.context).to.include({ approvedVersion: 1, draft: null });
      expect(s.context.decisions).to.deep.equal([
        { version: 1, number: "245/QĐ-UBND", date: "2027-01-15", fileId: "file-qd-245" },
      ]);
      expect(s.context.submissions).to.deep.equal([{ version: 1, kind: "initial", outcome: "approved" }]);
      const fx = effects(actions);
      expect(fx[0]).to.deep.equal({ type: "cancelDeadline", params: { key: "decision" } });
      expect(fx[1]).to.deep.equal({ type: "recordDecision", params: { version: 1, kind: "initial" } });
      expect(
        paramsOf(actions, "scheduleDeadline").map((p) => [(p as { key: string }).key, (p as { on: string }).on]),
      ).to.deep.equal([
        ["quarterStart:1", "2027-01-01"],
        ["quarterEnd:1", "2027-03-31"],
        ["quarterStart:2", "2027-04-01"],
        ["quarterEnd:2", "2027-06-30"],
        ["quarterStart:3", "2027-07-01"],
        ["quarterEnd:3", "2027-09-30"],
        ["quarterStart:4", "2027-10-01"],
        ["quarterEnd:4", "2027-12-31"],
      ]);
      expect(paramsOf(actions, "sendMail")).to.deep.equal([
        { template: "annualPlan.decided", to: "proposers", data: { kind: "initial" } },
        { template: "annualPlan.decided", to: "accountant", data: { kind: "initial" } },
      ]);
    });

    it("refuses a decision without number, date or file, naming items it was not sent, or twice the same", () => {
      const s = drivePlanTo("preparing.submitted");
      const bad: AnnualPlanEvent[] = [
        { ...DECISION, number: " " },
        { ...DECISION, date: "2027-02-30" },
        { ...DECISION, date: "15/01/2027" },
        { ...DECISION, fileId: "" },
        { ...DECISION, cut: ["it-03"] },
        { ...DECISION, cut: ["it-99"] },
        { ...DECISION, cut: ["it-02"] },
        { ...DECISION, cut: [], changed: [{ itemId: "it-01", quarter: 9 as never }] },
        { ...DECISION, kept: ["it-01"] },
      ];
      for (const event of bad) expectRefused(s, event);
    });
  });

  describe("in execution", () => {
    it("starts an approved item as an assignment linked both ways", () => {
      const [s, actions] = sendPlan(drivePlanTo("inExecution.running"), {
        type: "item.start",
        itemId: "it-01",
        assignmentId: "as-01",
      });
      expect(item(s, "it-01")).to.include({ status: "started", assignmentId: "as-01" });
      expect(effects(actions)).to.deep.equal([
        { type: "openAssignment", params: { itemId: "it-01", assignmentId: "as-01" } },
      ]);
    });

    it("refuses to start an item cut, rejected, already started, without an assignment or with one already used", () => {
      const [s] = sendPlan(drivePlanTo("inExecution.running"), {
        type: "item.start",
        itemId: "it-01",
        assignmentId: "as-01",
      });
      expectRefused(s, { type: "item.start", itemId: "it-05", assignmentId: "as-05" });
      expectRefused(s, { type: "item.start", itemId: "it-03", assignmentId: "as-03" });
      expectRefused(s, { type: "item.start", itemId: "it-01", assignmentId: "as-09" });
      expectRefused(s, { type: "item.start", itemId: "it-04", assignmentId: " " });
      expectRefused(s, { type: "item.start", itemId: "it-04", assignmentId: "as-01" });
    });

    it("marks a started item done when its assignment closes, and only a started one", () => {
      const s0 = drivePlanTo("inExecution.running");
      expectRefused(s0, { type: "item.completed", itemId: "it-04" });
      const [s, actions] = sendPlanAll(
        s0,
        { type: "item.start", itemId: "it-04", assignmentId: "as-04" },
        { type: "item.completed", itemId: "it-04" },
      );
      expect(statusOf(s, "it-04")).to.equal("done");
      expect(effects(actions)).to.deep.equal([]);
      expectRefused(s, { type: "item.completed", itemId: "it-04" });
    });

    it("tells the secretariat at a quarter's start which items are due, and nothing when none are", () => {
      const s = drivePlanTo("inExecution.running");
      const [, q2] = sendPlan(s, { type: "deadline.reached", key: "quarterStart:2" });
      expect(effects(q2)).to.deep.equal([
        {
          type: "sendMail",
          params: {
            template: "annualPlan.itemsDue",
            to: "secretariat",
            data: { year: 2027, quarter: 2, itemIds: ["it-01", "it-04"] },
          },
        },
      ]);
      const [, q1] = sendPlan(s, { type: "deadline.reached", key: "quarterStart:1" });
      expect(effects(q1)).to.deep.equal([]);
    });

    it("warns the secretariat and leadership of items not started by the end of their quarter", () => {
      const [s] = sendPlan(drivePlanTo("inExecution.running"), {
        type: "item.start",
        itemId: "it-01",
        assignmentId: "as-01",
      });
      const [after, actions] = sendPlan(s, { type: "deadline.reached", key: "quarterEnd:2" });
      expect(state(after)).to.equal("inExecution.running");
      const data = { year: 2027, quarter: 2, itemIds: ["it-04"] };
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "annualPlan.itemsNotStarted", to: "secretariat", data } },
        { type: "sendMail", params: { template: "annualPlan.itemsNotStarted", to: "leadership", data } },
      ]);
      const [, q4] = sendPlan(s, { type: "deadline.reached", key: "quarterEnd:4" });
      expect(paramsOf(q4, "sendMail")).to.deep.equal([
        {
          template: "annualPlan.itemsNotStarted",
          to: "secretariat",
          data: { year: 2027, quarter: 4, itemIds: ["it-02", "it-04"] },
        },
        {
          template: "annualPlan.itemsNotStarted",
          to: "leadership",
          data: { year: 2027, quarter: 4, itemIds: ["it-02", "it-04"] },
        },
        { template: "annualPlan.yearEnded", to: "secretariat", data: { year: 2027 } },
      ]);
    });

    it("refuses deadlines it does not know and the list's compiling work", () => {
      const s = drivePlanTo("inExecution.running");
      expectRefused(s, { type: "deadline.reached", key: "quarterStart:5" });
      expectRefused(s, { type: "deadline.reached", key: "proposals" });
      expectRefused(s, { type: "deadline.reached", key: "decision" });
      expectRefused(s, { type: "item.edit", itemId: "it-01", content: { quarter: 3 }, reason: "Lùi" });
      expectRefused(s, { type: "item.change", itemId: "it-01", content: { quarter: 3 }, reason: "Lùi" });
      expectRefused(s, { type: "amendment.open", reason: "" });
    });
  });

  describe("amendments (điều chỉnh, bổ sung)", () => {
    const amending = () => {
      const [s] = sendPlan(drivePlanTo("inExecution.running"), {
        type: "amendment.open",
        reason: "Điều chỉnh, bổ sung danh mục theo Công văn 3105/UBND-KGVX",
      });
      return s;
    };

    it("opens an amendment as the next version of the list", () => {
      const s = amending();
      expect(state(s)).to.equal("inExecution.amending.compiling");
      expect(s.context.draft).to.deep.equal({
        kind: "amendment",
        version: 2,
        reason: "Điều chỉnh, bổ sung danh mục theo Công văn 3105/UBND-KGVX",
      });
    });

    it("adds new items, changes approved ones and proposes cuts, each pending until the decision", () => {
      const [s, actions] = sendPlanAll(
        amending(),
        { type: "item.add", itemId: "it-06", proposer: unionProposer, content: content({ quarter: 3 }) },
        {
          type: "item.change",
          itemId: "it-04",
          content: { quarter: 3, estimatedCost: 20_000_000 },
          reason: "Sở Nội vụ lùi thời gian trình",
        },
        { type: "item.proposeCut", itemId: "it-02", reason: "Sở Xây dựng đề nghị không thực hiện" },
      );
      expect(item(s, "it-06")).to.include({ status: "proposed", addedIn: 2 });
      expect(item(s, "it-06").pending).to.deep.equal({ kind: "add" });
      expect(item(s, "it-04")).to.include({ status: "approved", quarter: 2 });
      expect(item(s, "it-04").pending).to.deep.equal({ kind: "change", quarter: 3 });
      expect(item(s, "it-02")).to.include({ status: "changed" });
      expect(item(s, "it-02").pending).to.deep.equal({ kind: "cut" });
      expect(effects(actions)).to.deep.equal([]);
    });

    it("records an item change as a version of the amendment", () => {
      const [, actions] = sendPlan(amending(), {
        type: "item.change",
        itemId: "it-04",
        content: { estimatedCost: 20_000_000 },
        reason: "Tăng số chuyên gia",
      });
      expect(effects(actions)).to.deep.equal([
        { type: "saveItemVersion", params: { itemId: "it-04", listVersion: 2, reason: "Tăng số chuyên gia" } },
      ]);
    });

    it("refuses changes to items cut, rejected or already pending, cuts of started items, and reasonless ones", () => {
      const [s] = sendPlanAll(
        amending(),
        { type: "item.start", itemId: "it-01", assignmentId: "as-01" },
        { type: "item.proposeCut", itemId: "it-04", reason: "Không còn cần thiết" },
      );
      expectRefused(s, { type: "item.change", itemId: "it-05", content: { quarter: 3 }, reason: "Khôi phục" });
      expectRefused(s, { type: "item.change", itemId: "it-03", content: { quarter: 3 }, reason: "Khôi phục" });
      expectRefused(s, { type: "item.change", itemId: "it-04", content: { quarter: 3 }, reason: "Lùi" });
      expectRefused(s, { type: "item.change", itemId: "it-02", content: { quarter: 3 }, reason: "" });
      expectRefused(s, { type: "item.change", itemId: "it-02", content: {}, reason: "Lùi" });
      expectRefused(s, { type: "item.proposeCut", itemId: "it-01", reason: "Không cần" });
      expectRefused(s, { type: "item.proposeCut", itemId: "it-02", reason: " " });
      expectRefused(s, { type: "item.keep", itemId: "it-02" });
    });

    it("keeps an item as it was when its pending change is withdrawn, its terms in force restored", () => {
      const [s1, kept] = sendPlanAll(
        amending(),
        { type: "item.change", itemId: "it-04", content: { quarter: 3 }, reason: "Lùi" },
        { type: "item.keep", itemId: "it-04" },
      );
      expect(item(s1, "it-04").pending).to.equal(null);
      expect(paramsOf(kept, "restoreItemVersions")).to.deep.equal([{ itemIds: ["it-04"], inForce: 1, reason: null }]);
      const [s, uncut] = sendPlanAll(
        s1,
        { type: "item.proposeCut", itemId: "it-02", reason: "Không còn cần thiết" },
        { type: "item.keep", itemId: "it-02", reason: "Vẫn cần" },
      );
      expect(item(s, "it-02").pending).to.equal(null);
      expect(paramsOf(uncut, "restoreItemVersions"), "a withdrawn cut changed no terms").to.deep.equal([
        { itemIds: [], inForce: 1, reason: "Vẫn cần" },
      ]);
      expectRefused(s, { type: "submission.propose" });
    });

    it("cancels an amendment: pending changes dropped, its new proposals withdrawn, the version in force unchanged", () => {
      const s0 = amending();
      expectRefused(s0, { type: "amendment.cancel", reason: "" });
      const [s, actions] = sendPlanAll(
        s0,
        { type: "item.add", itemId: "it-06", proposer: unionProposer, content: content() },
        { type: "item.change", itemId: "it-04", content: { quarter: 3 }, reason: "Lùi" },
        { type: "amendment.cancel", reason: "UBND tỉnh không yêu cầu điều chỉnh nữa" },
      );
      expect(state(s)).to.equal("inExecution.running");
      expect(effects(actions).map((a) => a.type)).to.deep.equal(["restoreItemVersions"]);
      expect(s.context).to.include({ approvedVersion: 1, draft: null });
      expect(statusOf(s, "it-06")).to.equal("withdrawn");
      expect(s.context.items.every((i) => i.pending === null)).to.equal(true);
      expect(paramsOf(actions, "restoreItemVersions")).to.deep.equal([
        { itemIds: ["it-04"], inForce: 1, reason: "UBND tỉnh không yêu cầu điều chỉnh nữa" },
      ]);
    });

    it("goes through the same submission: leadership, the numbered Tờ trình of version 2, the province", () => {
      const [s, actions] = sendPlanAll(
        amending(),
        { type: "item.add", itemId: "it-06", proposer: unionProposer, content: content({ quarter: 3 }) },
        { type: "item.change", itemId: "it-04", content: { quarter: 3 }, reason: "Lùi" },
        { type: "items.rank", order: ["it-06"] },
        { type: "submission.propose" },
        { type: "submission.approve" },
        { type: "submission.issue" },
      );
      expect(state(s)).to.equal("inExecution.amending.submitted");
      expect(paramsOf(actions, "recordSubmission")).to.deep.equal([
        { version: 2, kind: "amendment", itemIds: ["it-06", "it-04"] },
      ]);
      expect(paramsOf(actions, "renderDocument")).to.deep.equal([{ kind: "planSubmission", issue: true, version: 2 }]);
    });

    it("applies the amendment's decision: additions approved, changes made, a refused change kept, and no new reminders", () => {
      const [submitted] = sendPlanAll(
        amending(),
        { type: "item.start", itemId: "it-01", assignmentId: "as-01" },
        { type: "item.add", itemId: "it-06", proposer: unionProposer, content: content({ quarter: 3 }) },
        { type: "item.change", itemId: "it-04", content: { quarter: 3 }, reason: "Lùi" },
        { type: "item.change", itemId: "it-01", content: { estimatedCost: 55_000_000 }, reason: "Bổ sung hội thảo" },
        { type: "item.proposeCut", itemId: "it-02", reason: "Không thực hiện" },
        { type: "items.rank", order: ["it-06"] },
        { type: "submission.propose" },
        { type: "submission.approve" },
        { type: "submission.issue" },
      );
      const [s, actions] = sendPlan(submitted, {
        type: "decision.record",
        number: "1020/QĐ-UBND",
        date: "2027-06-20",
        fileId: "file-qd-1020",
        kept: ["it-02"],
      });
      expect(state(s)).to.equal("inExecution.running");
      expect(s.context.items.map((i) => [i.itemId, i.status, i.quarter])).to.deep.equal([
        ["it-01", "started", 2],
        ["it-02", "changed", 4],
        ["it-03", "rejected", 1],
        ["it-04", "changed", 3],
        ["it-05", "cut", 4],
        ["it-06", "approved", 3],
      ]);
      expect(s.context.approvedVersion).to.equal(2);
      expect(s.context.decisions.map((d) => d.number)).to.deep.equal(["245/QĐ-UBND", "1020/QĐ-UBND"]);
      expect(paramsOf(actions, "recordDecision")).to.deep.equal([{ version: 2, kind: "amendment" }]);
      expect(paramsOf(actions, "scheduleDeadline")).to.deep.equal([]);
    });

    it("lets the amendment's decision cut what it was asked to change, but not a started item", () => {
      const [submitted] = sendPlanAll(
        amending(),
        { type: "item.start", itemId: "it-01", assignmentId: "as-01" },
        { type: "item.change", itemId: "it-01", content: { estimatedCost: 55_000_000 }, reason: "Bổ sung" },
        { type: "item.change", itemId: "it-04", content: { quarter: 3 }, reason: "Lùi" },
        { type: "submission.propose" },
        { type: "submission.approve" },
        { type: "submission.issue" },
      );
      const decision = { type: "decision.record" as const, number: "1020/QĐ-UBND", date: "2027-06-20", fileId: "f" };
      expectRefused(submitted, { ...decision, cut: ["it-01"] });
      expectRefused(submitted, { ...decision, cut: ["it-02"] });
      const [s] = sendPlan(submitted, { ...decision, cut: ["it-04"] });
      expect(statusOf(s, "it-04")).to.equal("cut");
    });

    it("keeps items moving while an amendment is prepared, but not the year's report", () => {
      const s0 = amending();
      const [s] = sendPlanAll(
        s0,
        { type: "item.start", itemId: "it-04", assignmentId: "as-04" },
        { type: "item.completed", itemId: "it-04" },
      );
      expect(statusOf(s, "it-04")).to.equal("done");
      expectRefused(s, { type: "report.submit" });
      expectRefused(s, { type: "amendment.open", reason: "Lần nữa" });
    });

    it("follows up a late amendment decision and sends a returned amendment back to compiling", () => {
      const s0 = drivePlanTo("inExecution.amending.submitted");
      const [, follow] = sendPlan(s0, { type: "deadline.reached", key: "decision" });
      expect(paramsOf(follow, "sendMail")).to.deep.equal([
        { template: "annualPlan.decisionFollowUp", to: "secretariat" },
      ]);
      const [, q] = sendPlan(s0, { type: "deadline.reached", key: "quarterEnd:2" });
      expect(paramsOf(q, "sendMail").length).to.equal(2);
      const [s] = sendPlan(s0, { type: "province.return", comments: "Chưa đủ căn cứ bổ sung" });
      expect(state(s)).to.equal("inExecution.amending.compiling");
      expect(s.context.draft?.version).to.equal(2);
    });
  });

  describe("the year's report and closing", () => {
    it("submits the execution report to leadership", () => {
      const [s, actions] = sendPlan(drivePlanTo("inExecution.running"), { type: "report.submit" });
      expect(state(s)).to.equal("inExecution.reporting");
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "annualPlan.reportPending", to: "leadership" } },
      ]);
    });

    it("takes the report back with comments", () => {
      const s0 = drivePlanTo("inExecution.reporting");
      expectRefused(s0, { type: "report.return", comments: "" });
      const [s, actions] = sendPlan(s0, { type: "report.return", comments: "Bổ sung số liệu kinh phí đã chi" });
      expect(state(s)).to.equal("inExecution.running");
      expect(s.context.reportReturns).to.deep.equal(["Bổ sung số liệu kinh phí đã chi"]);
      expect(effects(actions)).to.deep.equal([
        { type: "sendMail", params: { template: "annualPlan.reportReturned", to: "secretariat" } },
      ]);
    });

    it("closes the year: unfinished items carried over, the numbered report issued, every deadline cancelled", () => {
      const [s0] = sendPlanAll(drivePlanTo("inExecution.reporting"), { type: "item.completed", itemId: "it-01" });
      const [s, actions] = sendPlan(s0, { type: "report.approve" });
      expect(state(s)).to.equal("closed");
      expect(s.status).to.equal("done");
      expect(s.context.items.map((i) => [i.itemId, i.status])).to.deep.equal([
        ["it-01", "done"],
        ["it-02", "carriedOver"],
        ["it-03", "rejected"],
        ["it-04", "carriedOver"],
        ["it-05", "cut"],
        ["it-06", "carriedOver"],
      ]);
      expect(effects(actions)).to.deep.equal([
        { type: "carryOverItems", params: { itemIds: ["it-02", "it-04", "it-06"] } },
        { type: "cancelAllDeadlines" },
        { type: "renderDocument", params: { kind: "planExecutionReport", issue: true } },
        { type: "sendMail", params: { template: "annualPlan.closed", to: "secretariat" } },
        { type: "sendMail", params: { template: "annualPlan.closed", to: "accountant" } },
      ]);
    });
  });

  describe("every event outside its states is refused", () => {
    const sample: Record<AnnualPlanEventType, AnnualPlanEvent> = {
      "proposal.submit": { type: "proposal.submit", itemId: "it-50", proposer: agencyProposer, content: content() },
      "proposal.withdraw": { type: "proposal.withdraw", itemId: "it-04" },
      "proposals.close": { type: "proposals.close" },
      "item.add": { type: "item.add", itemId: "it-51", proposer: unionProposer, content: content() },
      "item.edit": { type: "item.edit", itemId: "it-04", content: { quarter: 3 }, reason: "Lùi" },
      "items.merge": { type: "items.merge", intoItemId: "it-01", itemIds: ["it-04"], reason: "Gộp" },
      "item.reject": { type: "item.reject", itemId: "it-04", reason: "Trùng" },
      "item.restore": { type: "item.restore", itemId: "it-03", reason: "Giữ lại" },
      "items.rank": { type: "items.rank", order: ["it-01"] },
      "submission.propose": { type: "submission.propose" },
      "submission.approve": { type: "submission.approve" },
      "submission.return": { type: "submission.return", comments: "Sửa" },
      "submission.issue": { type: "submission.issue" },
      "decision.record": { type: "decision.record", number: "1/QĐ-UBND", date: "2027-01-15", fileId: "f" },
      "province.return": { type: "province.return", comments: "Sửa" },
      "amendment.open": { type: "amendment.open", reason: "Bổ sung" },
      "amendment.cancel": { type: "amendment.cancel", reason: "Thôi" },
      "item.change": { type: "item.change", itemId: "it-04", content: { quarter: 3 }, reason: "Lùi" },
      "item.proposeCut": { type: "item.proposeCut", itemId: "it-04", reason: "Thôi" },
      "item.keep": { type: "item.keep", itemId: "it-04" },
      "item.start": { type: "item.start", itemId: "it-04", assignmentId: "as-50" },
      "item.completed": { type: "item.completed", itemId: "it-01" },
      "report.submit": { type: "report.submit" },
      "report.approve": { type: "report.approve" },
      "report.return": { type: "report.return", comments: "Sửa" },
      "deadline.reached": { type: "deadline.reached", key: "proposals" },
    };
    const compiling = [
      "item.add",
      "item.edit",
      "items.merge",
      "item.reject",
      "item.restore",
      "items.rank",
      "submission.propose",
    ];
    const execution = ["item.start", "item.completed", "deadline.reached"];
    const allowed: Record<string, string[]> = {
      collecting: ["proposal.submit", "proposal.withdraw", "proposals.close", "deadline.reached"],
      "preparing.compiling": compiling,
      "preparing.awaitingLeadership": ["submission.approve", "submission.return"],
      "preparing.issuing": ["submission.issue"],
      "preparing.submitted": ["decision.record", "province.return", "deadline.reached"],
      "inExecution.running": [...execution, "amendment.open", "report.submit"],
      "inExecution.amending.compiling": [
        ...execution,
        ...compiling,
        "item.change",
        "item.proposeCut",
        "item.keep",
        "amendment.cancel",
      ],
      "inExecution.amending.awaitingLeadership": [...execution, "submission.approve", "submission.return"],
      "inExecution.amending.issuing": [...execution, "submission.issue"],
      "inExecution.amending.submitted": [...execution, "decision.record", "province.return"],
      "inExecution.reporting": [...execution, "report.approve", "report.return"],
      closed: [],
    };
    for (const [target, events] of Object.entries(allowed)) {
      it(`in ${target} refuses everything but ${events.length ? events.join(", ") : "nothing"}`, () => {
        const s = drivePlanTo(target);
        for (const type of Object.keys(sample) as AnnualPlanEventType[]) {
          if (!events.includes(type)) expectRefused(s, sample[type]);
        }
        // Each state answers at least one of its own events with a plausible payload (not a dead state).
        if (events.length) expect(events.some((type) => s.can(sample[type as AnnualPlanEventType]))).to.equal(true);
      });
    }
  });

  describe("persistence", () => {
    it("survives the JSON round trip of every state and carries on from it", () => {
      for (const target of [
        "collecting",
        "preparing.compiling",
        "preparing.submitted",
        "inExecution.running",
        "inExecution.amending.compiling",
        "inExecution.amending.submitted",
        "inExecution.reporting",
        "closed",
      ]) {
        const s = drivePlanTo(target);
        const restored = roundTrip(m, s);
        expect(state(restored), target).to.equal(target);
        expect(restored.context).to.deep.equal(s.context);
      }
      const restored = roundTrip(m, drivePlanTo("preparing.submitted"));
      const [s] = sendPlan(restored, DECISION);
      expect(state(s)).to.equal("inExecution.running");
    });
  });
});
