/**
 * The demo's year of work and its money (issue 16), driven through the same commands as the API:
 * the rates table; this year's list, compiled from proposals of an agency, a member association
 * and the Union last autumn, submitted with its Tờ trình and approved by the province (one proposal
 * cut), one item started as an assignment today and one left late; next year's call for
 * proposals, open, with an agency's and an association's proposal; an estimate and a paid expert
 * on the assignment under review. Last year's steps run on a clock set to their day, so the
 * documents and history carry realistic dates.
 */
import type { Db } from "../db/connect.js";
import type { Actor, Role } from "../runtime/actor.js";
import type { Clock } from "../runtime/clock.js";
import { addRate } from "../commands/addRate.js";
import { createAnnualPlan } from "../commands/createAnnualPlan.js";
import { submitProposal } from "../commands/submitProposal.js";
import { sendPlanEvent } from "../commands/sendPlanEvent.js";
import { recordPlanDecision } from "../commands/recordPlanDecision.js";
import { startPlanItem } from "../commands/startPlanItem.js";
import { prepareEstimate } from "../commands/prepareEstimate.js";
import { recordPayment } from "../commands/recordPayment.js";
import { demoRates } from "../money/demoRates.js";
import type { ItemContent } from "../../workflows/annualPlan/types.js";
import { DEMO_DECISION_PDF, demoProposals, nextYearProposals, type DemoProposal } from "./demoPlanData.js";

type Rt = { db: Db; clock: Clock };
type Who = (role: Role) => Actor;
export type DemoPlanRefs = { agencyIds: string[]; chairExpertId: string; underReviewId: string };

const day = (d: Date) => d.toISOString().slice(0, 10);
/** The same database on a clock that reads `iso` (a step of last year's list, on its day). */
const on = (rt: Rt, iso: string): Rt => ({ db: rt.db, clock: { now: () => new Date(iso) } });

/** Seeds the rates, this year's list in execution, next year's call and the money of assignment 2. */
export async function seedDemoPlans(rt: Rt, who: Who, refs: DemoPlanRefs) {
  for (const { id: _id, ...rate } of demoRates()) await addRate(rt, { actor: who("accountant"), input: rate });
  await seedThisYear(rt, who, refs);
  await seedNextYear(rt, who);
  await seedMoney(rt, who, refs);
}

/** Proposes each of `list` as its proposer; returns the item ids in order. */
async function proposeAll(rt: Rt, who: Who, planId: string, list: DemoProposal[]) {
  const ids: string[] = [];
  for (const p of list) {
    const { itemId } = await submitProposal(rt, { actor: who(p.by), planId, content: p.content as ItemContent });
    ids.push(itemId);
  }
  return ids;
}

/** This year's list: proposals last autumn, the province's decision in December, executed since. */
async function seedThisYear(rt: Rt, who: Who, refs: DemoPlanRefs) {
  const now = rt.clock.now();
  const year = now.getUTCFullYear();
  const quarter = Math.floor(now.getUTCMonth() / 3) + 1;
  const last = `${year - 1}`;
  const plan = await createAnnualPlan(on(rt, `${last}-10-01T02:00:00Z`), {
    actor: who("secretariat"),
    input: { year, proposalsDueOn: `${last}-11-15` },
  });
  const proposals = demoProposals(refs.agencyIds, Math.max(1, quarter - 1), quarter);
  const ids = await proposeAll(on(rt, `${last}-11-05T03:00:00Z`), who, plan.id, proposals);
  const send = (at: string, role: Role, event: { type: string } & Record<string, unknown>) =>
    sendPlanEvent(on(rt, at), { actor: who(role), planId: plan.id, event });
  await send(`${last}-11-17T02:00:00Z`, "secretariat", { type: "proposals.close" });
  await send(`${last}-11-20T02:00:00Z`, "secretariat", { type: "items.rank", order: ids });
  await send(`${last}-11-24T02:00:00Z`, "secretariat", { type: "submission.propose" });
  await send(`${last}-11-26T02:00:00Z`, "leadership", { type: "submission.approve" });
  await send(`${last}-11-27T02:00:00Z`, "clerk", { type: "submission.issue" });
  const cut = ids[proposals.findIndex((p) => p.cut)];
  await recordPlanDecision(on(rt, `${last}-12-30T02:00:00Z`), {
    actor: who("clerk"),
    planId: plan.id,
    input: { number: `3105/QĐ-UBND`, date: `${last}-12-29`, cut: [cut] },
    file: { name: `QĐ 3105 phê duyệt danh mục ${year}.pdf`, bytes: DEMO_DECISION_PDF },
  });
  const started = ids[proposals.findIndex((p) => p.startNow)];
  await startPlanItem(rt, {
    actor: who("secretariat"),
    planId: plan.id,
    itemId: started,
    input: { orderNumber: "2210/UBND-KT", orderDate: day(now), summary: "Đặt hàng theo Danh mục đã phê duyệt." },
  });
}

/** Next year's call for proposals, open for three more weeks, with two proposals in. */
async function seedNextYear(rt: Rt, who: Who) {
  const now = rt.clock.now();
  const due = day(new Date(now.getTime() + 21 * 86_400_000));
  const plan = await createAnnualPlan(rt, {
    actor: who("secretariat"),
    input: { year: now.getUTCFullYear() + 1, proposalsDueOn: due },
  });
  await proposeAll(rt, who, plan.id, nextYearProposals());
}

/** The estimate of assignment 2 (an expert group of three, written opinions) and the chair's fee, paid. */
async function seedMoney(rt: Rt, who: Who, refs: DemoPlanRefs) {
  await prepareEstimate(rt, {
    actor: who("secretariat"),
    assignmentId: refs.underReviewId,
    input: { forms: ["expert_group", "written"], panel: { chair: 1, member: 2 }, printing: 5 },
  });
  await recordPayment(rt, {
    actor: who("accountant"),
    input: {
      assignmentId: refs.underReviewId,
      payee: { kind: "expert", expertId: refs.chairExpertId },
      item: "expert_opinion",
      description: "Bài nhận xét của Tổ trưởng Tổ chuyên gia",
      amount: 2_400_000,
      taxWithheld: 240_000,
      paidOn: day(rt.clock.now()),
      voucherNumber: "PC-0125",
    },
  });
}
