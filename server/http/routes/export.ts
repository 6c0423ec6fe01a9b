/** GET /api/v1/export: the admin's whole organisation as a ZIP (JSON of its rows and its files), streamed. */
import { Router, type Request, type Response } from "express";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { requireRole } from "../../policies/assignmentPolicy.js";
import { writeOrganizationExport } from "../../queries/exportOrganization.js";
import { actorOf } from "../auth.js";

/** Streams the export to `res`; after the first byte a failure can only cut the download short. */
export async function sendOrganizationExport(deps: RuntimeDeps, req: Request, res: Response): Promise<void> {
  const actor = actorOf(req);
  requireRole(actor, "admin");
  const now = deps.clock.now();
  const day = now.toISOString().slice(0, 10);
  res.setHeader("Content-Type", "application/zip");
  res.setHeader("Content-Disposition", `attachment; filename="tvpb-export-${day}.zip"`);
  res.setHeader("Cache-Control", "no-store");
  try {
    await writeOrganizationExport(deps.db, actor, res, now);
  } catch (err) {
    if (!res.headersSent) throw err;
    req.log?.error({ err, event: "export.failed" }, "organisation export cut short");
    res.destroy(err as Error);
  }
}

/** The export route (mounted under /api/v1 after requireActor). */
export function exportRoutes(deps: RuntimeDeps): Router {
  const r = Router();
  r.get("/export", (req, res) => sendOrganizationExport(deps, req, res));
  return r;
}
