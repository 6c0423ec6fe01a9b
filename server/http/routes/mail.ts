/**
 * What went out: the delivery log of an assignment (JSON, staff only) and, in demo mode (no
 * SMTP_URL), the outbox pages that show the `.eml` files the files mailer wrote.
 *
 * The outbox is listed from `mail_messages` rows of the viewer's organisation that have a file,
 * not from the folder, so one organisation never sees another's mail on a shared installation;
 * a file is served only when such a row names it and its resolved path lies inside the outbox
 * folder (no path traversal, no symlink games through the URL).
 */
import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { Router, type NextFunction, type Request, type Response } from "express";
import { and, asc, desc, eq, isNotNull, like, or } from "drizzle-orm";
import type { Db } from "../../db/connect.js";
import { effects, mailMessages, organizations } from "../../db/schema.js";
import { ForbiddenError, NotFoundError } from "../../errors.js";
import { hasRole, type Actor } from "../../runtime/actor.js";
import type { Clock } from "../../runtime/clock.js";
import { loadAssignment } from "../../policies/assignmentPolicy.js";
import { formatShortDate, pad2, vietnamParts } from "../../documents/format.js";
import { parseEml } from "../../mail/eml.js";
import type { LinkPages } from "../../views/linkPages.js";
import { identify, requireActor } from "../auth.js";

const STAFF = ["secretariat", "leadership", "clerk", "admin"] as const;
const isStaff = (actor: Actor) => hasRole(actor, ...STAFF);

/** GET /assignments/:id/mail — mounted on /api/v1 after authentication. */
export function mailLogRoutes(deps: { db: Db }): Router {
  const r = Router();
  r.get("/assignments/:id/mail", async (req, res) => {
    const actor = req.actor as Actor;
    const a = await loadAssignment(deps.db, actor, req.params.id as string);
    if (!isStaff(actor)) throw new ForbiddenError("Chỉ cán bộ Liên hiệp hội xem được nhật ký gửi thư.");
    const rows = await deps.db
      .select()
      .from(mailMessages)
      .where(eq(mailMessages.assignmentId, a.id))
      .orderBy(asc(mailMessages.createdAt), asc(mailMessages.idempotencyKey));
    // A mail effect that failed before any message existed (unknown template, bad data) shows too.
    const failed = await deps.db
      .select()
      .from(effects)
      .where(and(eq(effects.assignmentId, a.id), eq(effects.kind, "mail"), eq(effects.status, "failed")));
    const orphans = failed.filter((e) => !rows.some((m) => m.idempotencyKey.startsWith(`${e.idempotencyKey}:`)));
    res.json({
      data: [
        ...rows.map((m) => ({
          id: m.id,
          template: m.template,
          recipients: m.recipients,
          subject: m.subject,
          status: m.status,
          attempts: m.attempts,
          error: m.error,
          messageId: m.messageId,
          createdAt: m.createdAt.toISOString(),
          sentAt: m.sentAt?.toISOString() ?? null,
        })),
        ...orphans.map((e) => ({
          id: `effect-${e.id}`,
          template: String((e.payload as { template?: string }).template ?? ""),
          recipients: [],
          subject: null,
          status: "failed",
          attempts: e.attempts,
          error: e.lastError,
          messageId: null,
          createdAt: e.createdAt.toISOString(),
          sentAt: null,
        })),
      ],
    });
  });
  return r;
}

/** GET /outbox and /outbox/:file — mounted at the root; staff only (session or Bearer). */
export function outboxRoutes(deps: { db: Db; clock: Clock; outboxDir: string; pages: LinkPages }): Router {
  const r = Router();
  const guard = [
    identify({ db: deps.db, clock: deps.clock }),
    requireActor,
    (req: Request, _res: Response, next: NextFunction) => {
      next(
        isStaff(req.actor as Actor) ? undefined : new ForbiddenError("Chỉ cán bộ Liên hiệp hội xem được hộp thư đi."),
      );
    },
  ];
  const orgName = async (actor: Actor) =>
    (
      await deps.db
        .select({ name: organizations.name })
        .from(organizations)
        .where(eq(organizations.id, actor.organizationId))
    )[0]?.name;

  r.get("/outbox", ...guard, async (req, res) => {
    const actor = req.actor as Actor;
    const limit = 300;
    const rows = await deps.db
      .select()
      .from(mailMessages)
      .where(and(eq(mailMessages.organizationId, actor.organizationId), isNotNull(mailMessages.file)))
      .orderBy(desc(mailMessages.sentAt), desc(mailMessages.createdAt))
      .limit(limit + 1);
    const messages = rows.slice(0, limit).map((m) => ({
      file: path.basename(m.file!),
      subject: m.subject,
      time: timeLabel(m.sentAt ?? m.createdAt),
      to: ((m.recipients as Array<{ name?: string; address: string }>) ?? [])
        .map((x) => (x.name ? `${x.name} <${x.address}>` : x.address))
        .join(", "),
    }));
    html(
      res,
      deps.pages.render("outbox", {
        title: "Hộp thư đi",
        orgName: await orgName(actor),
        messages,
        more: rows.length > limit,
        shown: limit,
        wide: true,
      }),
    );
  });

  r.get("/outbox/:file", ...guard, async (req, res) => {
    const actor = req.actor as Actor;
    const name = String(req.params.file);
    if (!/^[A-Za-z0-9._-]{1,200}\.eml$/.test(name) || name.startsWith("."))
      throw new NotFoundError("mail_not_found", "Không tìm thấy thư.");
    const [row] = await deps.db
      .select()
      .from(mailMessages)
      .where(
        and(
          eq(mailMessages.organizationId, actor.organizationId),
          or(
            like(mailMessages.file, `%/${name.replace(/[%_\\]/g, "\\$&")}`),
            like(mailMessages.file, `%\\${name.replace(/[%_\\]/g, "\\$&")}`),
          ),
        ),
      )
      .limit(1);
    if (!row?.file) throw new NotFoundError("mail_not_found", "Không tìm thấy thư.");
    let raw: Buffer;
    try {
      const root = await realpath(deps.outboxDir);
      const file = await realpath(row.file);
      if (!file.startsWith(root + path.sep) || path.basename(file) !== name) throw new Error("outside the outbox");
      raw = await readFile(file);
    } catch {
      throw new NotFoundError("mail_not_found", "Không tìm thấy tệp thư.");
    }
    if (req.query.download) {
      res.set("Content-Disposition", `attachment; filename="${name}"`).type("message/rfc822").send(raw);
      return;
    }
    const eml = parseEml(raw);
    html(
      res,
      deps.pages.render("outboxMessage", {
        title: eml.subject || row.subject,
        orgName: await orgName(actor),
        wide: true,
        file: name,
        subject: eml.subject || row.subject,
        from: eml.from,
        to: eml.to,
        time: timeLabel(row.sentAt ?? row.createdAt),
        messageId: eml.messageId || row.messageId,
        text: eml.text,
        html: eml.html,
        attachments: eml.attachments,
      }),
    );
  });
  return r;
}

function html(res: Response, body: string) {
  // The message's own HTML is shown only in a sandboxed srcdoc iframe (no scripts, no same-origin).
  res.set("Cache-Control", "no-store").type("html").send(body);
}

function timeLabel(d: Date) {
  const p = vietnamParts(d);
  return `${pad2(p.hour)}:${pad2(p.minute)} ${formatShortDate(d)}`;
}
