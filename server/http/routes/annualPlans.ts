/** /api/v1/annual-plans: the year's list from proposals to the province's decision, amendments and closing. */
import { Router } from "express";
import multer from "multer";
import { ValidationError } from "../../errors.js";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
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
import { loadAnnualPlan } from "../../queries/loadAnnualPlan.js";
import { presentPlan } from "../../presenters/planPresenter.js";
import { parse } from "../validate.js";
import { actorOf } from "../auth.js";
import type { Handler } from "../handler.js";
import { guardMultipart } from "../inputGuards.js";

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 10 } });

/** The annual plan routes (mounted under /api/v1 after requireActor). */
export function annualPlanRoutes(deps: RuntimeDeps): Router {
  const r = Router();
  r.get("/annual-plans", getPlans(deps));
  r.post("/annual-plans", postPlan(deps));
  r.get("/annual-plans/:id", getPlan(deps));
  r.post("/annual-plans/:id/events", postPlanEvent(deps));
  r.post("/annual-plans/:id/proposals", postProposal(deps));
  r.post("/annual-plans/:id/decisions", guardMultipart(upload.single("file")), postDecision(deps));
  r.post("/annual-plans/:id/items/:itemId/start", postStart(deps));
  return r;
}

/** The plan as the caller sees it now. */
async function planData(deps: RuntimeDeps, req: Parameters<Handler>[0], id: string) {
  const actor = actorOf(req);
  return presentPlan(await loadAnnualPlan(deps.db, actor, id), actor);
}

/** GET /annual-plans: the organisation's plans. */
function getPlans({ db }: RuntimeDeps): Handler {
  return async (req, res) => void res.json({ data: await listAnnualPlans(db, actorOf(req)) });
}

/** POST /annual-plans: the secretariat opens a year's call for proposals. */
function postPlan(deps: RuntimeDeps): Handler {
  return async (req, res) => {
    const input = parse(CreatePlanSchema, req.body);
    const plan = await createAnnualPlan(deps, { actor: actorOf(req), input });
    res
      .status(201)
      .location(`/api/v1/annual-plans/${plan.id}`)
      .json({ data: await planData(deps, req, plan.id) });
  };
}

/** GET /annual-plans/:id: the plan, its items (a proposer: its own), submissions, decisions, `can`. */
function getPlan(deps: RuntimeDeps): Handler<"id"> {
  return async (req, res) => void res.json({ data: await planData(deps, req, req.params.id) });
}

/** POST /annual-plans/:id/events: one declared plan event. */
function postPlanEvent(deps: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    const { expectedVersion, ...event } = parse(PlanEventBodySchema, req.body);
    await sendPlanEvent(deps, { actor: actorOf(req), planId: req.params.id, event, expectedVersion });
    res.json({ data: await planData(deps, req, req.params.id) });
  };
}

/** POST /annual-plans/:id/proposals: an agency, a member association or the Union proposes a task. */
function postProposal(deps: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    const { content } = parse(ProposalSchema, req.body);
    const { itemId } = await submitProposal(deps, { actor: actorOf(req), planId: req.params.id, content } as never);
    res.status(201).json({ data: { itemId, plan: await planData(deps, req, req.params.id) } });
  };
}

/** POST /annual-plans/:id/decisions: the province's decision (multipart: `file` and `decision`, JSON). */
function postDecision(deps: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    if (!req.file) throw new ValidationError("file_required", "Cần tải lên quyết định (trường “file”).", "file");
    const input = parse(DecisionFormSchema, parseJsonField((req.body as { decision?: string })?.decision));
    const name = Buffer.from(req.file.originalname, "latin1").toString("utf8");
    const file = { name, bytes: req.file.buffer };
    await recordPlanDecision(deps, { actor: actorOf(req), planId: req.params.id, input: input as never, file });
    res.status(201).json({ data: await planData(deps, req, req.params.id) });
  };
}

/** POST /annual-plans/:id/items/:itemId/start: the item becomes an assignment (origin annual_list). */
function postStart(deps: RuntimeDeps): Handler<"id" | "itemId"> {
  return async (req, res) => {
    const input = parse(StartItemSchema, req.body ?? {});
    const { id: planId, itemId } = req.params;
    const a = await startPlanItem(deps, { actor: actorOf(req), planId, itemId, input });
    res
      .status(201)
      .location(`/api/v1/assignments/${a.id}`)
      .json({ data: { assignmentId: a.id, code: a.code } });
  };
}

/** A multipart form's JSON field. @throws ValidationError validation_failed */
function parseJsonField(value: string | undefined): unknown {
  try {
    return JSON.parse(value ?? "");
  } catch {
    throw new ValidationError("validation_failed", "Trường “decision” phải là JSON.", "decision");
  }
}
