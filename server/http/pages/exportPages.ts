/**
 * The main lists as Excel workbooks (issue 14 §6): the assignment list with the filters of the
 * page it was opened from, the registers of a year, the document register, the expert registry.
 * Who may download each is who may open its page (the queries check it again).
 */
import type { Request, Response } from "express";
import { authorizePage } from "../../policies/pagePolicy.js";
import { exportAssignments, exportDocuments, exportExperts, exportRegisters } from "../../queries/exportLists.js";
import { sendDownload } from "../send.js";
import { actorOf } from "./context.js";
import { readListFilters } from "./forms/readListFilters.js";
import { get, str, type PageDeps } from "./pageRoute.js";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

function sendXlsx(res: Response, bytes: Buffer, name: string) {
  res.setHeader("Cache-Control", "no-store");
  sendDownload(res, { bytes, fileName: `${name}.xlsx`, contentType: XLSX, disposition: "attachment" });
}

async function assignmentsXlsx(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "assignments");
  const order = req.query.queue === "1" ? "due" : "updated";
  const filters = { ...readListFilters(req.query), order } as const;
  sendXlsx(res, await exportAssignments(deps.db, actor, deps.clock.now(), filters), "nhiem-vu");
}

async function registersXlsx(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "registers");
  const year = Number(str(req.query.year)) || Number(deps.clock.now().toISOString().slice(0, 4));
  sendXlsx(res, await exportRegisters(deps.db, actor, year), `so-cong-van-${year}`);
}

async function documentsXlsx(deps: PageDeps, req: Request, res: Response) {
  sendXlsx(res, await exportDocuments(deps.db, actorOf(req)), "van-ban");
}

async function expertsXlsx(deps: PageDeps, req: Request, res: Response) {
  const actor = actorOf(req);
  authorizePage(actor, "experts");
  sendXlsx(res, await exportExperts(deps.db, actor), "chuyen-gia");
}

/** GET /exports/*.xlsx. */
export const exportPages = [
  get("/exports/assignments.xlsx", assignmentsXlsx),
  get("/exports/registers.xlsx", registersXlsx),
  get("/exports/documents.xlsx", documentsXlsx),
  get("/exports/experts.xlsx", expertsXlsx),
];
