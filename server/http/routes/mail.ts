/**
 * What went out: the delivery log of an assignment (JSON, staff only) and, in demo mode (no
 * SMTP_URL), the outbox pages that show the `.eml` files the files mailer wrote (staff only; which
 * files may be shown is the queries' business: server/queries/listOutbox.ts, readOutboxMessage.ts).
 */
import { Router, type Response } from "express";
import type { Db } from "../../db/connect.js";
import type { Clock } from "../../runtime/clock.js";
import type { LinkPages } from "../../views/linkPages.js";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { listMailLog } from "../../queries/listMailLog.js";
import { retryMail } from "../../commands/retryMail.js";
import { listOutbox, OUTBOX_LIMIT } from "../../queries/listOutbox.js";
import { readOutboxMessage } from "../../queries/readOutboxMessage.js";
import { presentMailLog, presentOutboxList, presentOutboxMessage } from "../../presenters/mailPresenter.js";
import { actorOf, identify, requireActor } from "../auth.js";
import type { Handler } from "../handler.js";

type OutboxDeps = { db: Db; clock: Clock; outboxDir: string; pages: LinkPages };

/** GET /assignments/:id/mail and POST …/mail/:entryId/retry — mounted on /api/v1 after authentication. */
export function mailLogRoutes(deps: RuntimeDeps): Router {
  const r = Router();
  r.get("/assignments/:id/mail", getMailLog(deps));
  r.post("/assignments/:id/mail/:entryId/retry", postMailRetry(deps));
  return r;
}

/** POST /assignments/:id/mail/:entryId/retry: sends a failed message again (staff), once its data is fixed. */
function postMailRetry(deps: RuntimeDeps): Handler<"id" | "entryId"> {
  return async (req, res) => {
    const props = { actor: actorOf(req), assignmentId: req.params.id, entryId: req.params.entryId };
    const { effectId, queuedAt } = await retryMail(deps, props);
    res.status(202).json({ data: { effectId, status: "pending", queuedAt: queuedAt.toISOString() } });
  };
}

/** GET /assignments/:id/mail: every message of the assignment and its delivery status. */
function getMailLog({ db }: { db: Db }): Handler<"id"> {
  return async (req, res) => {
    res.json({ data: presentMailLog(await listMailLog(db, actorOf(req), req.params.id)) });
  };
}

/** GET /outbox and /outbox/:file — mounted at the root; staff only (session or Bearer). */
export function outboxRoutes(deps: OutboxDeps): Router {
  const r = Router();
  const signedIn = [identify({ db: deps.db, clock: deps.clock }), requireActor];
  r.get("/outbox", ...signedIn, getOutbox(deps));
  r.get("/outbox/:file", ...signedIn, getOutboxMessage(deps));
  return r;
}

/** GET /outbox: the organisation's sent messages, newest first. */
function getOutbox({ db, pages }: OutboxDeps): Handler {
  return async (req, res) => {
    const { orgName, messages, more } = await listOutbox(db, actorOf(req));
    const data = { messages: presentOutboxList(messages), more, shown: OUTBOX_LIMIT };
    html(res, pages.render("outbox", { title: "Hộp thư đi", orgName, wide: true, ...data }));
  };
}

/** GET /outbox/:file: one message (?download=1: the raw .eml). */
function getOutboxMessage({ db, pages, outboxDir }: OutboxDeps): Handler<"file"> {
  return async (req, res) => {
    const name = String(req.params.file);
    const { row, raw, orgName } = await readOutboxMessage(db, actorOf(req), { name, outboxDir });
    if (req.query.download)
      return void res.set("Content-Disposition", `attachment; filename="${name}"`).type("message/rfc822").send(raw);
    const message = presentOutboxMessage(row, raw, name);
    html(res, pages.render("outboxMessage", { title: message.subject, orgName, wide: true, ...message }));
  };
}

function html(res: Response, body: string) {
  // The message's own HTML is shown only in a sandboxed srcdoc iframe (no scripts, no same-origin).
  res.set("Cache-Control", "no-store").type("html").send(body);
}
