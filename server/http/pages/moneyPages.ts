/**
 * The accountant's pages (issue 16): the rates table, the year's payments (record, reverse), an
 * assignment's estimate and settlement, an expert's statement, and an expert's own payments.
 * The .xlsx exports are the API's (`/api/v1/…xlsx`), linked from the pages.
 */
import type { Request, Response } from "express";
import type { AppError } from "../../errors.js";
import { authorizePage, mayUse, requireExpert } from "../../policies/pagePolicy.js";
import { addRate } from "../../commands/addRate.js";
import { prepareEstimate } from "../../commands/prepareEstimate.js";
import { recordPayment, reversePayment } from "../../commands/recordPayment.js";
import { EstimateSchema, PaymentSchema, RateSchema, ReversalSchema } from "../../commands/moneySchemas.js";
import { listRates } from "../../queries/listRates.js";
import { listMoneyChoices } from "../../queries/listMoneyChoices.js";
import { listPayments, loadAssignmentMoney, loadExpertStatement } from "../../queries/moneyReads.js";
import { issueCostEstimate } from "../../commands/issueCostEstimate.js";
import { issueFeeSettlement } from "../../commands/issueFeeSettlement.js";
import { presentExpertStatement, presentPayments, presentRates } from "../../presenters/pages/presentMoneyPages.js";
import { presentAssignmentMoney } from "../../presenters/pages/presentAssignmentMoney.js";
import { refusedPlanForm, type PlanFormState } from "../../presenters/pages/planFormFields.js";
import { parse } from "../validate.js";
import { actorOf, render, tr } from "./context.js";
import { readEstimateForm, readPaymentForm, readRateForm, readReversalForm } from "./forms/readMoneyForms.js";
import { attempt, bodyOf, get, post, str, type PageDeps } from "./pageRoute.js";

type Show = (deps: PageDeps, req: Request, res: Response, state?: PlanFormState, status?: number) => Promise<void>;

/** The year asked for (`?year=`), else this year. */
const yearOf = (deps: PageDeps, req: Request) => {
  const y = Number(str(req.query.year));
  return Number.isInteger(y) && y >= 2000 && y <= 2200 ? y : deps.clock.now().getUTCFullYear();
};

async function showRates(deps: PageDeps, req: Request, res: Response, state: PlanFormState = {}, status = 200) {
  const actor = actorOf(req);
  authorizePage(actor, "rates");
  const rows = await listRates(deps.db, actor);
  render(req, res, "rates", presentRates(rows, mayUse(actor, "ratesEdit"), state, tr(req)), status);
}

async function showPayments(deps: PageDeps, req: Request, res: Response, state: PlanFormState = {}, status = 200) {
  const actor = actorOf(req);
  authorizePage(actor, "payments");
  const year = yearOf(deps, req);
  const payments = await listPayments(deps.db, actor, { year });
  const choices = await listMoneyChoices(deps.db, actor);
  const model = presentPayments(
    { year, payments, choices, mayRecord: mayUse(actor, "paymentsRecord") },
    state,
    tr(req),
  );
  render(req, res, "payments", model, status);
}

async function showAssignmentMoney(
  deps: PageDeps,
  req: Request,
  res: Response,
  state: PlanFormState = {},
  status = 200,
) {
  const actor = actorOf(req);
  const { estimates, settlement, documents: docs } = await loadAssignmentMoney(deps.db, actor, String(req.params.id));
  const can = { estimate: mayUse(actor, "estimateEdit"), openAssignment: mayUse(actor, "assignments"), docs };
  const model = presentAssignmentMoney(estimates, settlement, can, state, tr(req));
  render(req, res, "assignmentMoney", model, status);
}

async function showStatement(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  const s = await loadExpertStatement(deps.db, actor, String(req.params.expertId), yearOf(deps, req));
  render(req, res, "expertStatement", presentExpertStatement(s, false, tr(req)));
}

async function showMine(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  const s = await loadExpertStatement(deps.db, actor, requireExpert(actor), yearOf(deps, req));
  render(req, res, "expertStatement", presentExpertStatement(s, true, tr(req)));
}

/** Runs a money form's command; a refusal shows `show` again with the form as typed. */
async function act(
  deps: PageDeps,
  req: Request,
  res: Response,
  p: { form: string; show: Show; run: () => Promise<unknown>; to: string },
) {
  const b = bodyOf(req);
  const again = (err: AppError) =>
    p.show(deps, req, res, refusedPlanForm(p.form, b, err, tr(req), "moneyField"), err.status);
  if (await attempt(p.run, again, { notFoundToo: true })) res.redirect(303, p.to);
}

async function postRate(deps: PageDeps, req: Request, res: Response) {
  const run = () =>
    addRate(deps, { actor: actorOf(req), input: parse(RateSchema, readRateForm(bodyOf(req))) as never });
  await act(deps, req, res, { form: "rate", show: showRates, run, to: "/money/rates?done=money.rateAdded" });
}

async function postPayment(deps: PageDeps, req: Request, res: Response) {
  const input = () => parse(PaymentSchema, readPaymentForm(bodyOf(req)));
  const run = () => recordPayment(deps, { actor: actorOf(req), input: input() as never });
  const to = `/money/payments?year=${yearOf(deps, req)}&done=money.paymentRecorded`;
  await act(deps, req, res, { form: "payment", show: showPayments, run, to });
}

async function postReversal(deps: PageDeps, req: Request, res: Response) {
  const paymentId = String(req.params.paymentId);
  const run = () =>
    reversePayment(deps, {
      actor: actorOf(req),
      paymentId,
      input: parse(ReversalSchema, readReversalForm(bodyOf(req))),
    });
  const to = `/money/payments?year=${yearOf(deps, req)}&done=money.paymentReversed`;
  await act(deps, req, res, { form: `reverse-${paymentId}`, show: showPayments, run, to });
}

async function postEstimate(deps: PageDeps, req: Request, res: Response) {
  const assignmentId = String(req.params.id);
  const run = () => {
    const input = parse(EstimateSchema, readEstimateForm(bodyOf(req)));
    return prepareEstimate(deps, { actor: actorOf(req), assignmentId, input: input as never });
  };
  const to = `/assignments/${assignmentId}/money?done=money.estimatePrepared`;
  await act(deps, req, res, { form: "estimate", show: showAssignmentMoney, run, to });
}

/** Issues the assignment's cost estimate or settlement statement as a PDF; the page lists it. */
function postMoneyDocument(issue: typeof issueCostEstimate, done: string) {
  return async (deps: PageDeps, req: Request, res: Response) => {
    const assignmentId = String(req.params.id);
    const run = () => issue(deps, { actor: actorOf(req), assignmentId });
    const to = `/assignments/${assignmentId}/money?done=${done}#pdfs`;
    await act(deps, req, res, { form: "pdf", show: showAssignmentMoney, run, to });
  };
}

/** The money pages. */
export const moneyPages = [
  get("/money/rates", (deps, req, res) => showRates(deps, req, res)),
  post("/money/rates", postRate),
  get("/money/payments", (deps, req, res) => showPayments(deps, req, res)),
  post("/money/payments", postPayment),
  post("/money/payments/:paymentId/reversal", postReversal),
  get("/money/experts/:expertId", showStatement),
  get("/money/mine", showMine),
  get("/assignments/:id/money", (deps, req, res) => showAssignmentMoney(deps, req, res)),
  post("/assignments/:id/money/estimate", postEstimate),
  post("/assignments/:id/money/estimate-document", postMoneyDocument(issueCostEstimate, "money.estimateIssued")),
  post("/assignments/:id/money/settlement-document", postMoneyDocument(issueFeeSettlement, "money.settlementIssued")),
];
