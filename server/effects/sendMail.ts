/**
 * The mail effect: one message per recipient, each with a stable Message-ID derived from the
 * effect's idempotency key. A `mail_messages` row is committed as "sending" before the SMTP
 * hand-off and "sent" after it; a retry finds "sent" and does nothing, so a message is not sent
 * twice by a retried effect.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { assignments, blobs, documents, mailMessages, organizations } from "../db/schema.js";
import { EffectError } from "../errors.js";
import type { Mailer } from "../adapters/mailer.js";
import { messageIdFor } from "../adapters/mailer.js";
import type { EmailTemplates } from "../mail/templates.js";
import type { EffectRow } from "../runtime/effectWorker.js";
import type { Clock } from "../runtime/clock.js";
import { resolveSettings } from "../settings.js";
import { STATE_LABELS, TYPE_LABELS } from "../presenters/labels.js";
import { resolveRecipients } from "./recipients.js";

export type MailDeps = { db: Db; clock: Clock; mailer: Mailer; templates: EmailTemplates; publicUrl: string };

type Payload = { template: string; to: unknown; data?: Record<string, unknown>; workflow: string; workflowId: string; event?: string };

/** Builds the effect handler. */
export function createSendMail(deps: MailDeps) {
  const domain = new URL(deps.publicUrl).hostname.replace(/[^A-Za-z0-9.-]/g, "") || "localhost";
  return async function sendMail(effect: EffectRow): Promise<void> {
    const p = effect.payload as Payload;
    if (!effect.assignmentId) throw new EffectError("mail effect without assignment", true, "mail_invalid");
    const [a] = await deps.db.select().from(assignments).where(eq(assignments.id, effect.assignmentId));
    const [org] = await deps.db.select().from(organizations).where(eq(organizations.id, effect.organizationId));
    if (!a || !org) throw new EffectError("assignment or organisation gone", true, "mail_invalid");
    const settings = resolveSettings(org.settings);
    const recipients = await resolveRecipients(deps.db, a, p.to, p.workflowId);
    const attachments = p.template === "result.sent" ? await issuedAttachments(deps.db, a.id) : [];
    for (const r of recipients) {
      const key = `${effect.idempotencyKey}:${r.address.toLowerCase()}`;
      const [existing] = await deps.db.select().from(mailMessages).where(eq(mailMessages.idempotencyKey, key));
      if (existing?.status === "sent") continue;
      const data = {
        org: { name: org.name, shortName: org.shortName, address: settings.address, email: settings.email, phone: settings.phone },
        recipient: { name: r.name },
        assignment: { code: a.code, title: a.title, typeLabel: TYPE_LABELS[a.type], stateLabel: STATE_LABELS[a.state] ?? a.state, agencyName: "", url: `${deps.publicUrl}/assignments/${a.id}` },
        ...(p.data ?? {}),
      };
      const rendered = deps.templates.render(p.template as never, r.locale, data as never);
      const messageId = existing?.messageId ?? messageIdFor(key, domain);
      if (!existing) {
        await deps.db.insert(mailMessages).values({
          organizationId: effect.organizationId, assignmentId: a.id, idempotencyKey: key, messageId, template: p.template,
          recipients: [{ name: r.name, address: r.address }], subject: rendered.subject, status: "sending", attempts: 1, createdAt: deps.clock.now(),
        }).onConflictDoNothing();
      } else {
        await deps.db.update(mailMessages).set({ attempts: existing.attempts + 1, status: "sending" }).where(eq(mailMessages.id, existing.id));
      }
      try {
        const res = await deps.mailer.send({
          from: { name: settings.mail.fromName || org.name, address: settings.mail.fromAddress },
          ...(settings.mail.replyTo ? { replyTo: { name: org.name, address: settings.mail.replyTo } } : {}),
          to: [{ name: r.name, address: r.address }], subject: rendered.subject, html: rendered.html, text: rendered.text,
          attachments, messageId, headers: { "X-TVPB-Assignment": a.code },
        });
        await deps.db.update(mailMessages).set({ status: "sent", sentAt: deps.clock.now(), file: res.file ?? null, error: null }).where(eq(mailMessages.idempotencyKey, key));
      } catch (err) {
        const e = err instanceof EffectError ? err : new EffectError(String(err), false, "mail_unavailable");
        await deps.db.update(mailMessages).set({ status: e.permanent ? "failed" : "retrying", error: e.message }).where(eq(mailMessages.idempotencyKey, key));
        throw e;
      }
    }
  };
}

/** The issued PDFs of the result (final report and cover letter); waits until they are rendered. */
async function issuedAttachments(db: Db, assignmentId: string) {
  const docs = await db.select().from(documents).where(and(eq(documents.assignmentId, assignmentId), inArray(documents.kind, ["finalReport", "coverLetter"]), inArray(documents.status, ["issuing", "issued"])));
  const latest = ["coverLetter", "finalReport"].map((k) => docs.filter((d) => d.kind === k).sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime())[0]).filter(Boolean);
  if (latest.some((d) => d.status !== "issued" || !d.sha256)) throw new EffectError("the result documents are not rendered yet", false, "documents_pending");
  const files = await db.select().from(blobs).where(inArray(blobs.sha256, latest.map((d) => d.sha256!)));
  return latest.map((d) => ({
    filename: `${d.kind === "finalReport" ? "Bao-cao-ket-qua" : "Cong-van"}-${d.number ?? ""}-${d.year ?? ""}.pdf`,
    content: files.find((f) => f.sha256 === d.sha256)!.bytes,
    contentType: "application/pdf",
  }));
}
