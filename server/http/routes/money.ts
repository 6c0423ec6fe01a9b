/**
 * /api/v1 money: rates, an assignment's estimates and settlement, payments and their reversals,
 * an expert's statement of the year, the plan's execution report, and the .xlsx exports.
 */
import { Router } from "express";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { addRate } from "../../commands/addRate.js";
import { prepareEstimate } from "../../commands/prepareEstimate.js";
import { issueFeeSettlement } from "../../commands/issueFeeSettlement.js";
import { issueCostEstimate } from "../../commands/issueCostEstimate.js";
import { recordPayment, reversePayment } from "../../commands/recordPayment.js";
import {
  EstimateSchema,
  PaymentQuery,
  PaymentSchema,
  RateSchema,
  ReversalSchema,
  YearQuery,
} from "../../commands/moneySchemas.js";
import { listEstimates, listPayments, loadExpertStatement, loadSettlement } from "../../queries/moneyReads.js";
import { exportEstimate, exportExpertStatement, exportPayments, exportSettlement } from "../../queries/moneyExports.js";
import { loadPlanReport } from "../../queries/loadPlanReport.js";
import { parse } from "../validate.js";
import { actorOf } from "../auth.js";
import { sendDownload } from "../send.js";
import type { Handler } from "../handler.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The money routes (mounted under /api/v1 after requireActor). */
export function moneyRoutes(deps: RuntimeDeps): Router {
  const r = Router();
  r.post("/rates", postRate(deps));
  r.get("/assignments/:id/estimates", getEstimates(deps));
  r.post("/assignments/:id/estimates", postEstimate(deps));
  r.get(
    "/assignments/:id/estimate.xlsx",
    xlsx(deps, (a, req) => exportEstimate(deps.db, a, req.params.id), "du-toan"),
  );
  r.get("/assignments/:id/settlement", getSettlement(deps));
  r.get(
    "/assignments/:id/settlement.xlsx",
    xlsx(deps, (a, req) => exportSettlement(deps.db, a, req.params.id), "bang-ke"),
  );
  r.post("/assignments/:id/settlement-statements", postMoneyForm(deps, issueFeeSettlement));
  r.post("/assignments/:id/estimate-documents", postMoneyForm(deps, issueCostEstimate));
  r.get("/payments", getPayments(deps));
  r.get(
    "/payments.xlsx",
    xlsx(deps, (a, req) => exportPayments(deps.db, a, parse(PaymentQuery, req.query)), "chi-tra"),
  );
  r.post("/payments", postPayment(deps));
  r.post("/payments/:id/reversal", postReversal(deps));
  r.get("/experts/:id/statement", getStatement(deps));
  r.get("/experts/:id/statement.xlsx", xlsx(deps, statementBytes(deps), "sao-ke"));
  r.get("/annual-plans/:id/report", getPlanReport(deps));
  return r;
}

type Bytes = (actor: ReturnType<typeof actorOf>, req: Parameters<Handler<"id">>[0]) => Promise<Buffer>;

/** A workbook download. */
function xlsx(_deps: RuntimeDeps, bytes: Bytes, name: string): Handler<"id"> {
  return async (req, res) => {
    const file = await bytes(actorOf(req), req);
    sendDownload(res, { bytes: file, fileName: `${name}.xlsx`, contentType: XLSX, disposition: "attachment" });
  };
}

function statementBytes({ db }: RuntimeDeps): Bytes {
  return (actor, req) => exportExpertStatement(db, actor, req.params.id, parse(YearQuery, req.query).year);
}

/** POST /rates: a row of the rates table (accountant, admin). */
function postRate(deps: RuntimeDeps): Handler {
  return async (req, res) => {
    const row = await addRate(deps, { actor: actorOf(req), input: parse(RateSchema, req.body) });
    res.status(201).json({ data: row });
  };
}

/**
 * POST /assignments/:id/settlement-statements (the bảng kê) and /estimate-documents (the dự toán):
 * the financial form issued as a PDF document (accountant, secretariat).
 */
function postMoneyForm(deps: RuntimeDeps, issue: typeof issueFeeSettlement): Handler<"id"> {
  return async (req, res) => {
    const doc = await issue(deps, { actor: actorOf(req), assignmentId: req.params.id });
    res
      .status(201)
      .json({ data: { id: doc.id, kind: doc.kind, status: doc.status, pdf: `/api/v1/documents/${doc.id}/pdf` } });
  };
}

/** GET /assignments/:id/estimates: every version, with lines, adjustments and the total in words. */
function getEstimates({ db }: RuntimeDeps): Handler<"id"> {
  return async (req, res) => void res.json({ data: await listEstimates(db, actorOf(req), req.params.id) });
}

/** POST /assignments/:id/estimates: a new version from the rates and the work. */
function postEstimate(deps: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    const input = parse(EstimateSchema, req.body);
    const { row, estimate } = await prepareEstimate(deps, { actor: actorOf(req), assignmentId: req.params.id, input });
    res.status(201).json({ data: { id: row.id, version: row.version, ...estimate } });
  };
}

/** GET /assignments/:id/settlement: bảng kê chi thù lao chuyên gia. */
function getSettlement({ db }: RuntimeDeps): Handler<"id"> {
  return async (req, res) => void res.json({ data: await loadSettlement(db, actorOf(req), req.params.id) });
}

/** GET /payments: the payments the caller may see (an expert: their own). */
function getPayments({ db }: RuntimeDeps): Handler {
  return async (req, res) =>
    void res.json({ data: await listPayments(db, actorOf(req), parse(PaymentQuery, req.query)) });
}

/** POST /payments: the accountant records a payment with its voucher. */
function postPayment(deps: RuntimeDeps): Handler {
  return async (req, res) => {
    const row = await recordPayment(deps, { actor: actorOf(req), input: parse(PaymentSchema, req.body) });
    res.status(201).json({ data: row });
  };
}

/** POST /payments/:id/reversal: a correction, as a reversal row. */
function postReversal(deps: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    const input = parse(ReversalSchema, req.body);
    const row = await reversePayment(deps, { actor: actorOf(req), paymentId: req.params.id, input });
    res.status(201).json({ data: row });
  };
}

/** GET /experts/:id/statement?year=: the expert's payments of the year (the expert or money staff). */
function getStatement({ db }: RuntimeDeps): Handler<"id"> {
  return async (req, res) => {
    const { year } = parse(YearQuery, req.query);
    res.json({ data: await loadExpertStatement(db, actorOf(req), req.params.id, year) });
  };
}

/** GET /annual-plans/:id/report: planned vs done vs carried over; approved vs spent. */
function getPlanReport({ db }: RuntimeDeps): Handler<"id"> {
  return async (req, res) => void res.json({ data: await loadPlanReport(db, actorOf(req), req.params.id) });
}
