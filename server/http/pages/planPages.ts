/**
 * The year's programme (issue 16): the plans, one plan's page with the forms of its current step,
 * one item's page, proposals by agencies and member associations, the province's decision.
 * Every form posts to the same commands as the API and comes back with `?done=<event>`.
 */
import type { Request, Response } from "express";
import multer from "multer";
import { AppError, NotFoundError, ValidationError } from "../../errors.js";
import { planAbilities } from "../../policies/planPolicy.js";
import { createAnnualPlan } from "../../commands/createAnnualPlan.js";
import { sendPlanEvent } from "../../commands/sendPlanEvent.js";
import { submitProposal } from "../../commands/submitProposal.js";
import { recordPlanDecision } from "../../commands/recordPlanDecision.js";
import { startPlanItem } from "../../commands/startPlanItem.js";
import { MAX_FILE_BYTES } from "../../commands/uploadDossierFile.js";
import {
  CreatePlanSchema,
  DecisionFormSchema,
  PlanEventBodySchema,
  ProposalSchema,
  StartItemSchema,
} from "../../commands/events/annualPlan.js";
import { listAnnualPlans } from "../../queries/listAnnualPlans.js";
import { loadPlanPage } from "../../queries/loadPlanPage.js";
import { loadPlanReport } from "../../queries/loadPlanReport.js";
import { presentPlanReport } from "../../presenters/pages/presentPlanReport.js";
import { presentPlanList } from "../../presenters/pages/presentPlanList.js";
import { presentPlanPage } from "../../presenters/pages/presentPlanPage.js";
import { presentPlanItemPage } from "../../presenters/pages/presentPlanItemPage.js";
import { refusedPlanForm, type PlanFormState } from "../../presenters/pages/planFormFields.js";
import { parse } from "../validate.js";
import { actorOf, render, tr } from "./context.js";
import {
  readContent,
  readCreatePlan,
  readDecision,
  readPlanEvent,
  readRank,
  readStart,
} from "./forms/readPlanForms.js";
import { attempt, bodyOf, get, post, postUpload, str, type PageDeps } from "./pageRoute.js";

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 200 } });

type Show = (deps: PageDeps, req: Request, res: Response, state?: PlanFormState, status?: number) => Promise<void>;

async function showPlans(deps: PageDeps, req: Request, res: Response, state: PlanFormState = {}, status = 200) {
  const actor = actorOf(req);
  const plans = await listAnnualPlans(deps.db, actor);
  const latest = Math.max(deps.clock.now().getUTCFullYear(), ...plans.map((p) => p.year));
  const opts = { create: planAbilities(actor).manage, year: latest };
  render(req, res, "plans", presentPlanList(plans, opts, state, tr(req)), status);
}

async function showPlan(deps: PageDeps, req: Request, res: Response, state: PlanFormState = {}, status = 200) {
  const actor = actorOf(req);
  const data = await loadPlanPage(deps.db, actor, String(req.params.id));
  render(req, res, "plan", presentPlanPage(data, planAbilities(actor), state, tr(req)), status);
}

async function showItem(deps: PageDeps, req: Request, res: Response, state: PlanFormState = {}, status = 200) {
  const actor = actorOf(req);
  const data = await loadPlanPage(deps.db, actor, String(req.params.id));
  const item = data.view.items.find((i) => i.id === req.params.itemId);
  if (!item) throw new NotFoundError("plan_item_not_found", tr(req)("error.plan_item_not_found"));
  render(req, res, "planItem", presentPlanItemPage(data, item, planAbilities(actor), state, tr(req)), status);
}

async function showReport(deps: PageDeps, req: Request, res: Response) {
  const report = await loadPlanReport(deps.db, actorOf(req), String(req.params.id));
  render(req, res, "planReport", presentPlanReport(report, tr(req)));
}

/** Runs a form's command; a refusal shows `show` again with the form as typed; success redirects. */
async function act(
  deps: PageDeps,
  req: Request,
  res: Response,
  p: { form: string; show: Show; run: () => Promise<unknown>; to: string },
) {
  const b = bodyOf(req);
  const again = (err: AppError) => p.show(deps, req, res, refusedPlanForm(p.form, b, err, tr(req)), err.status);
  if (await attempt(p.run, again)) res.redirect(303, p.to);
}

const planUrl = (req: Request, done: string) => `/plans/${String(req.params.id)}?done=plan.${encodeURIComponent(done)}`;

async function postCreate(deps: PageDeps, req: Request, res: Response) {
  let id = "";
  const run = async () => {
    const input = parse(CreatePlanSchema, readCreatePlan(bodyOf(req)));
    id = (await createAnnualPlan(deps, { actor: actorOf(req), input })).id;
  };
  const b = bodyOf(req);
  const again = (err: AppError) => showPlans(deps, req, res, refusedPlanForm("create", b, err, tr(req)), err.status);
  if (await attempt(run, again)) res.redirect(303, `/plans/${id}?done=plan.created`);
}

/** A plan-wide event (its type a hidden field), or an item's (`/items/:itemId/events`). */
async function postEvent(deps: PageDeps, req: Request, res: Response) {
  const type = str(bodyOf(req).type);
  const itemId = req.params.itemId ? String(req.params.itemId) : undefined;
  const run = () => {
    const { expectedVersion, ...event } = parse(PlanEventBodySchema, readPlanEvent(type, bodyOf(req), itemId));
    return sendPlanEvent(deps, { actor: actorOf(req), planId: String(req.params.id), event, expectedVersion });
  };
  const to = itemId
    ? `/plans/${String(req.params.id)}/items/${itemId}?done=plan.${encodeURIComponent(type)}`
    : planUrl(req, type);
  await act(deps, req, res, { form: type, show: itemId ? showItem : showPlan, run, to });
}

async function postRank(deps: PageDeps, req: Request, res: Response) {
  const run = () => {
    const event = parse(PlanEventBodySchema, readRank(bodyOf(req)));
    return sendPlanEvent(deps, { actor: actorOf(req), planId: String(req.params.id), event });
  };
  await act(deps, req, res, { form: "items.rank", show: showPlan, run, to: planUrl(req, "items.rank") });
}

async function postProposal(deps: PageDeps, req: Request, res: Response) {
  const run = () => {
    const { content } = parse(ProposalSchema, { content: readContent(bodyOf(req)) });
    return submitProposal(deps, { actor: actorOf(req), planId: String(req.params.id), content } as never);
  };
  await act(deps, req, res, { form: "proposal", show: showPlan, run, to: planUrl(req, "proposal.submit") });
}

async function postAddItem(deps: PageDeps, req: Request, res: Response) {
  const run = () => {
    const event = parse(PlanEventBodySchema, { type: "item.add", content: readContent(bodyOf(req)) });
    return sendPlanEvent(deps, { actor: actorOf(req), planId: String(req.params.id), event });
  };
  await act(deps, req, res, { form: "proposal", show: showPlan, run, to: planUrl(req, "item.add") });
}

async function postDecision(deps: PageDeps, req: Request, res: Response) {
  const run = () => {
    if (!req.file) throw new ValidationError("file_required", tr(req)("planForm.fileRequired"), "file");
    const input = parse(DecisionFormSchema, readDecision(bodyOf(req)));
    const file = { name: Buffer.from(req.file.originalname, "latin1").toString("utf8"), bytes: req.file.buffer };
    return recordPlanDecision(deps, {
      actor: actorOf(req),
      planId: String(req.params.id),
      input: input as never,
      file,
    });
  };
  await act(deps, req, res, { form: "decision", show: showPlan, run, to: planUrl(req, "decision.record") });
}

async function postStart(deps: PageDeps, req: Request, res: Response) {
  let to = "";
  const run = async () => {
    const input = parse(StartItemSchema, readStart(bodyOf(req)));
    const props = { actor: actorOf(req), planId: String(req.params.id), itemId: String(req.params.itemId), input };
    to = `/assignments/${(await startPlanItem(deps, props)).id}?done=item.start`;
  };
  const b = bodyOf(req);
  const again = (err: AppError) => showItem(deps, req, res, refusedPlanForm("start", b, err, tr(req)), err.status);
  if (await attempt(run, again)) res.redirect(303, to);
}

/** The annual plan pages. */
export const planPages = [
  get("/plans", (deps, req, res) => showPlans(deps, req, res)),
  post("/plans", postCreate),
  get("/plans/:id", (deps, req, res) => showPlan(deps, req, res)),
  get("/plans/:id/report", showReport),
  post("/plans/:id/events", postEvent),
  post("/plans/:id/rank", postRank),
  post("/plans/:id/proposals", postProposal),
  post("/plans/:id/items", postAddItem),
  postUpload("/plans/:id/decision", (req, res, next) => upload.single("file")(req, res, next), postDecision),
  get("/plans/:id/items/:itemId", (deps, req, res) => showItem(deps, req, res)),
  post("/plans/:id/items/:itemId/events", postEvent),
  post("/plans/:id/items/:itemId/start", postStart),
];
