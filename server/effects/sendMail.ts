/**
 * The mail effect: one message per recipient, each with a stable Message-ID derived from the
 * effect's idempotency key. A `mail_messages` row is committed as "sending" before the SMTP
 * hand-off and "sent" after it; a retry finds "sent" and does nothing, so a message is not sent
 * twice by a retried effect. One that died between the SMTP server's acceptance and "sent" is found
 * in the mailer's acceptance journal, which every process shares (the database).
 *
 * The template data is built from the database by `buildMailData` (./mailData.ts). An unknown
 * template, or data that cannot be built or rendered, is a permanent failure (no retry loop); the
 * effect worker then calls its `onFailed`, which server/server.ts should set to
 * `(effect, err) => reportMailFailure(mailDeps, effect, err)` so the secretariat hears of it.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { agencies, annualPlans, assignments, documents, mailMessages, organizations } from "../db/schema.js";
import { createBlobCache, type BlobCache } from "../db/blobCache.js";
import { EffectError } from "../errors.js";
import type { Mailer, OutgoingMail, SendResult } from "../adapters/mailer.js";
import { messageIdFor } from "../adapters/mailer.js";
import { retryWhileUnavailable } from "../db/retry.js";
import type { EmailTemplates } from "../mail/templates.js";
import type { EffectContext, EffectRow } from "../runtime/effectWorker.js";
import type { Clock } from "../runtime/clock.js";
import { resolveSettings } from "../settings.js";
import { formatShortDate, pad2, vietnamParts } from "../documents/format.js";
import { resolveRecipients, type Recipient } from "./recipients.js";
import { resolvePlanRecipients } from "./planRecipients.js";
import { translate } from "../words/catalogue.js";
import { buildDigestData } from "../digest/buildDigestData.js";
import { ORGANIZATION_WORKFLOW } from "../digest/digestTimer.js";
import { buildMailData, DEV_LINK_SECRET, ISSUED_DOCUMENT_COLUMNS, type IssuedDocument } from "./mailData.js";
import { queueEffect } from "../runtime/queueEffect.js";
import { letterAttachments } from "./letterAttachments.js";

export type MailDeps = {
  db: Db;
  clock: Clock;
  mailer: Mailer;
  templates: EmailTemplates;
  publicUrl: string;
  /**
   * HMAC secret of the accept/decline links in invitations (≥ 32 bytes). Default: DEV_LINK_SECRET, for development
   * only.
   */
  linkSecret?: string;
  /**
   * Blob bytes by SHA-256 for attachments (the issued PDFs of a result letter go out to every
   * recipient). Default: a 64 MiB cache of this handler's own. Blobs never change, so it is never stale.
   */
  blobCache?: BlobCache;
  /**
   * Whether a mail that announces issued letters waits until their PDFs are rendered and carries
   * them (default true). False only where no PDF renderer is configured at all: the mail then goes
   * with the letters already rendered, if any, and names the rest by number.
   */
  waitForDocuments?: boolean;
};

type Payload = {
  template: string;
  to: unknown;
  data?: Record<string, unknown>;
  workflow: string;
  workflowId: string;
  event?: string;
};

type Rendered = { subject: string; html: string; text: string };
type Organization = typeof organizations.$inferSelect;
type MailRow = typeof mailMessages.$inferSelect;

/** What the handler's steps share: its dependencies, the Message-ID domain, the attachment cache. */
type Env = { deps: MailDeps; domain: string; blobCache: BlobCache };

/** One message to hand over: who, what, and the row of an earlier attempt, if any. */
type Delivery = {
  effect: EffectRow;
  key: string;
  existing: MailRow | undefined;
  template: string;
  recipient: Recipient;
  rendered: Rendered;
  attachments: OutgoingMail["attachments"];
  org: Organization;
  assignmentId: string | null;
  headers: Record<string, string>;
};

/**
 * Builds the effect handler. It stops before the next message once the effect worker's `signal`
 * says the lease is lost (another process may be sending the same effect).
 */
export function createSendMail(deps: MailDeps) {
  const env: Env = {
    deps,
    domain: new URL(deps.publicUrl).hostname.replace(/[^A-Za-z0-9.-]/g, "") || "localhost",
    blobCache: deps.blobCache ?? createBlobCache(),
  };
  return async function sendMail(effect: EffectRow, ctx?: EffectContext): Promise<void> {
    const p = effect.payload as Payload;
    if (!effect.assignmentId && p.workflow === ORGANIZATION_WORKFLOW)
      return sendOrganizationMail(env, effect, p, ctx?.signal);
    if (!effect.assignmentId && p.workflow === "annualPlan") return sendPlanMail(env, effect, p, ctx?.signal);
    if (!effect.assignmentId) throw new EffectError("mail effect without assignment", true, "mail_invalid");
    return sendAssignmentMail(env, effect, p, ctx?.signal);
  };
}

/** Throws (retryable) when the effect's lease is lost: the next message is left to whoever holds it now. */
function checkLease(signal: AbortSignal | undefined) {
  if (signal?.aborted) throw new EffectError("the effect's lease was lost; stopping", false, "lease_lost");
}

/** Mail about one assignment: one message per recipient the payload names. */
async function sendAssignmentMail(env: Env, effect: EffectRow, p: Payload, signal: AbortSignal | undefined) {
  const { deps } = env;
  const { a, org, agency } = await loadAssignment(env, effect);
  if (!deps.templates.names().includes(p.template))
    throw new EffectError(`unknown mail template "${p.template}"`, true, "mail_unknown_template");
  const recipients = await resolveRecipients(deps.db, a, p.to, p.workflowId, { agency });
  const result = await letterAttachments(deps.db, env.blobCache, {
    assignmentId: a.id,
    template: p.template,
    invitationId: p.workflow === "invitation" ? p.workflowId : undefined,
    wait: deps.waitForDocuments ?? true,
  });
  for (const r of recipients) {
    const key = `${effect.idempotencyKey}:${r.address.toLowerCase()}`;
    const { existing, delivered } = await priorAttempt(env, key);
    if (delivered) continue;
    checkLease(signal);
    const rendered = await renderOrFail(p.template, async () => {
      const data = await buildMailData({
        db: deps.db,
        template: p.template,
        assignment: a,
        organization: org,
        recipient: r,
        payloadData: p.data ?? {},
        to: p.to,
        workflow: p.workflow,
        workflowId: p.workflowId,
        event: p.event,
        publicUrl: deps.publicUrl,
        clock: deps.clock,
        linkSecret: deps.linkSecret ?? DEV_LINK_SECRET,
        prefetched: { agency, latestIssued: result?.latest, signedBySha: result?.signedBySha },
      });
      return deps.templates.render(p.template as never, r.locale, data as never);
    });
    const attachments = result?.attachments ?? [];
    const headers = { "X-TVPB-Assignment": a.code };
    const base = { effect, key, existing, template: p.template, org };
    await deliver(env, { ...base, recipient: r, rendered, attachments, assignmentId: a.id, headers });
  }
}

/**
 * The assignment, its organisation and its agency in one round trip; the agency is used both to
 * find the recipients and to fill the template. Throws a permanent EffectError when one is gone.
 */
async function loadAssignment(env: Env, effect: EffectRow) {
  const [row] = await env.deps.db
    .select({ a: assignments, org: organizations, agency: agencies })
    .from(assignments)
    .innerJoin(organizations, eq(organizations.id, effect.organizationId))
    .leftJoin(agencies, eq(agencies.id, assignments.agencyId))
    .where(eq(assignments.id, effect.assignmentId!));
  if (!row) throw new EffectError("assignment or organisation gone", true, "mail_invalid");
  return row;
}

/**
 * Renders a message. A retryable EffectError (e.g. documents not rendered yet) stays retryable;
 * anything else is a bug in the data: permanent `mail_data_invalid`.
 */
async function renderOrFail(template: string, render: () => Promise<Rendered>): Promise<Rendered> {
  try {
    return await render();
  } catch (err) {
    if (err instanceof EffectError) throw err;
    throw new EffectError(
      `cannot build mail ${template}: ${err instanceof Error ? err.message : String(err)}`,
      true,
      "mail_data_invalid",
    );
  }
}

/**
 * The earlier attempt at this (effect, recipient), if any, and whether it already reached the
 * SMTP server. A row left "sending" (or "retrying") by an attempt that died after the server
 * said 250 but before the "sent" update is in the shared acceptance journal: it is recorded as
 * sent and not sent again, whichever process made that attempt.
 */
async function priorAttempt(env: Env, key: string): Promise<{ existing: MailRow | undefined; delivered: boolean }> {
  const { db, mailer, clock } = env.deps;
  const [existing] = await db.select().from(mailMessages).where(eq(mailMessages.idempotencyKey, key));
  if (existing?.status === "sent") return { existing, delivered: true };
  if (existing && (await mailer.wasAccepted?.(existing.messageId))) {
    await db
      .update(mailMessages)
      .set({ status: "sent", sentAt: existing.sentAt ?? clock.now(), error: null })
      .where(eq(mailMessages.id, existing.id));
    return { existing, delivered: true };
  }
  return { existing, delivered: false };
}

/** Records the message as "sending", hands it to the mailer, records "sent" (or the failure). */
async function deliver(env: Env, m: Delivery) {
  const { db, mailer, clock } = env.deps;
  const settings = resolveSettings(m.org.settings);
  const messageId = m.existing?.messageId ?? messageIdFor(m.key, env.domain);
  await markSending(env, m, messageId);
  let res: SendResult;
  try {
    const names = headerNames(m, settings.mail.fromName || m.org.name);
    res = await mailer.send({
      from: { name: names.from, address: settings.mail.fromAddress },
      ...(settings.mail.replyTo ? { replyTo: { name: names.replyTo, address: settings.mail.replyTo } } : {}),
      to: [{ name: names.to, address: m.recipient.address }],
      subject: m.rendered.subject,
      html: m.rendered.html,
      text: m.rendered.text,
      attachments: m.attachments,
      messageId,
      headers: m.headers,
    });
  } catch (err) {
    const e = err instanceof EffectError ? err : new EffectError(String(err), false, "mail_unavailable");
    await db
      .update(mailMessages)
      .set({ status: e.permanent ? "failed" : "retrying", error: e.message })
      .where(eq(mailMessages.idempotencyKey, m.key));
    throw e;
  }
  // The acceptance is in the journal already; "sent" is retried through a short outage all the same.
  await retryWhileUnavailable(() =>
    db
      .update(mailMessages)
      .set({ status: "sent", sentAt: clock.now(), file: res.file ?? null, error: null })
      .where(eq(mailMessages.idempotencyKey, m.key)),
  );
}

/** Line breaks and control characters: never valid in a name that goes into a mail header. */
const HEADER_BREAKERS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;

/**
 * The display names of the message's From, Reply-To and To headers. A name with a line break or a
 * control character (data saved before such names were refused, or written around the commands)
 * would make every message fail in the mailer; it is refused here as a permanent failure that says
 * in plain words what to fix, so the secretariat can fix the data and retry from the delivery log.
 * The `delivery.failed` warning itself goes out with such names cleaned, so that the warning is not lost too.
 * @throws EffectError mail_sender_invalid (the organisation's sender name), mail_recipient_invalid (a person's name)
 */
function headerNames(m: Delivery, fromName: string) {
  const names = { from: fromName, replyTo: m.org.name, to: m.recipient.name };
  if (m.template === "delivery.failed")
    return {
      from: fromName.replace(HEADER_BREAKERS, " "),
      replyTo: m.org.name.replace(HEADER_BREAKERS, " "),
      to: m.recipient.name.replace(HEADER_BREAKERS, " "),
    };
  const bad = (v: string) => new RegExp(HEADER_BREAKERS.source).test(v);
  if (bad(names.from) || bad(names.replyTo))
    throw new EffectError(
      "Tên người gửi thư (Cài đặt tổ chức: tên người gửi hoặc tên tổ chức) có ký tự xuống dòng " +
        "hoặc ký tự điều khiển. " +
        "Sửa ở trang Cài đặt, rồi bấm “Gửi lại” trong nhật ký gửi thư của nhiệm vụ.",
      true,
      "mail_sender_invalid",
    );
  if (bad(names.to))
    throw new EffectError(
      `Tên người nhận “${m.recipient.name.replace(HEADER_BREAKERS, " ").trim()}” có ký tự xuống dòng hoặc ký tự ` +
        "điều khiển. Sửa tên ở trang Chuyên gia hoặc Người dùng, rồi bấm “Gửi lại” trong nhật ký gửi thư của nhiệm vụ.",
      true,
      "mail_recipient_invalid",
    );
  return names;
}

/** The "sending" row: inserted for a first attempt, counted up for a later one. */
async function markSending(env: Env, m: Delivery, messageId: string) {
  const { db, clock } = env.deps;
  if (m.existing) {
    await db
      .update(mailMessages)
      .set({ attempts: m.existing.attempts + 1, status: "sending" })
      .where(eq(mailMessages.id, m.existing.id));
    return;
  }
  await db
    .insert(mailMessages)
    .values({
      organizationId: m.effect.organizationId,
      assignmentId: m.assignmentId,
      idempotencyKey: m.key,
      messageId,
      template: m.template,
      recipients: [{ name: m.recipient.name, address: m.recipient.address }],
      subject: m.rendered.subject,
      status: "sending",
      attempts: 1,
      createdAt: clock.now(),
    })
    .onConflictDoNothing();
}

/** Mail about the organisation rather than one assignment: the secretariat's daily digest. */
async function sendOrganizationMail(env: Env, effect: EffectRow, p: Payload, signal: AbortSignal | undefined) {
  const { deps } = env;
  const [org] = await deps.db.select().from(organizations).where(eq(organizations.id, effect.organizationId));
  if (!org) throw new EffectError("organisation gone", true, "mail_invalid");
  if (p.template !== "secretariat.digest")
    throw new EffectError(`no organisation-wide mail "${p.template}"`, true, "mail_unknown_template");
  const orgOnly = { id: "", organizationId: org.id, agencyId: null } as never;
  const recipients = await resolveRecipients(deps.db, orgOnly, p.to, p.workflowId);
  for (const r of recipients) {
    const key = `${effect.idempotencyKey}:${r.address.toLowerCase()}`;
    const { existing, delivered } = await priorAttempt(env, key);
    if (delivered) continue;
    const digest = await buildDigestData({
      db: deps.db,
      organizationId: org.id,
      now: deps.clock.now(),
      locale: r.locale,
      publicUrl: deps.publicUrl,
    });
    // Nothing overdue and nothing waiting: no mail that day (a digest that says "nothing" every morning trains people
    // to ignore it).
    if (!digest.overdue.length && !digest.waiting.length) continue;
    checkLease(signal);
    const rendered = await renderOrFail("secretariat.digest", async () => {
      const settings = resolveSettings(org.settings);
      const base = {
        org: {
          name: org.name,
          shortName: org.shortName ?? org.name,
          address: settings.address,
          email: settings.email,
          phone: settings.phone,
        },
        recipient: { name: r.name },
      };
      return deps.templates.render("secretariat.digest", r.locale, { ...base, ...digest } as never);
    });
    const base = { effect, key, existing, template: p.template, org };
    await deliver(env, { ...base, recipient: r, rendered, attachments: [], assignmentId: null, headers: {} });
  }
}

/**
 * An annual plan's notice: one generic template ("annualPlan.notice") whose subject and message are
 * the words of the machine's template name (`mail.annualPlan.<name>.subject` / `.body`).
 */
async function sendPlanMail(env: Env, effect: EffectRow, p: Payload, signal: AbortSignal | undefined) {
  const { deps } = env;
  const [row] = await deps.db
    .select({ org: organizations, plan: annualPlans })
    .from(annualPlans)
    .innerJoin(organizations, eq(organizations.id, annualPlans.organizationId))
    .where(eq(annualPlans.id, p.workflowId));
  if (!row) throw new EffectError("plan or organisation gone", true, "mail_invalid");
  const { org, plan } = row;
  const name = p.template.replace(/^annualPlan\./, "");
  const settings = resolveSettings(org.settings);
  for (const r of await resolvePlanRecipients(deps.db, org.id, plan.id, p.to)) {
    const key = `${effect.idempotencyKey}:${r.address.toLowerCase()}`;
    const { existing, delivered } = await priorAttempt(env, key);
    if (delivered) continue;
    checkLease(signal);
    const vars = { year: plan.year, ...(p.data ?? {}) };
    const rendered = await renderOrFail("annualPlan.notice", async () =>
      deps.templates.render("annualPlan.notice", r.locale, {
        org: {
          name: org.name,
          shortName: org.shortName ?? org.name,
          address: settings.address,
          email: settings.email,
          phone: settings.phone,
        },
        recipient: { name: r.name },
        subject: translate(r.locale, `mail.annualPlan.${name}.subject`, vars),
        message: translate(r.locale, `mail.annualPlan.${name}.body`, vars),
        plan: { title: plan.title, url: `${deps.publicUrl}/annual-plans/${plan.id}` },
      } as never),
    );
    const base = { effect, key, existing, template: p.template, org };
    await deliver(env, { ...base, recipient: r, rendered, attachments: [], assignmentId: null, headers: {} });
  }
}

/**
 * Tells the secretariat that a mail effect failed for good: queues a `delivery.failed` mail (one per
 * failed effect, idempotency key `${effect.idempotencyKey}:failed`). Meant as the effect worker's
 * `onFailed`; ignores other effect kinds, effects without an assignment, and a failed
 * `delivery.failed` itself (no loop).
 */
export async function reportMailFailure(
  deps: Pick<MailDeps, "db" | "clock">,
  effect: EffectRow,
  error: Error,
): Promise<void> {
  if (effect.kind !== "mail" || !effect.assignmentId) return;
  const p = effect.payload as Payload;
  if (p.template === "delivery.failed") return;
  const rows = await deps.db
    .select()
    .from(mailMessages)
    .where(and(eq(mailMessages.assignmentId, effect.assignmentId), eq(mailMessages.template, p.template)));
  const failed = rows.filter(
    (m) => m.idempotencyKey.startsWith(`${effect.idempotencyKey}:`) && m.status === "failed",
  )[0];
  const to = (failed?.recipients as Array<{ name: string; address: string }> | undefined)?.[0];
  const now = deps.clock.now();
  const v = vietnamParts(now);
  const code = error instanceof EffectError ? error.code : "";
  const data = {
    failedRecipient: to ?? { name: audienceLabel(p.to), address: "—" },
    mailSubject: failed?.subject ?? p.template,
    error: failed?.error ?? error.message,
    occurredAt: `${pad2(v.hour)}:${pad2(v.minute)} ngày ${formatShortDate(now)}`,
    // Data to fix rather than a server's refusal: the mail says which, in plain words.
    senderNameInvalid: code === "mail_sender_invalid",
    recipientNameInvalid: code === "mail_recipient_invalid",
  };
  await deps.db.transaction(async (tx) => {
    await queueEffect(tx, {
      organizationId: effect.organizationId,
      assignmentId: effect.assignmentId,
      kind: "mail",
      payload: {
        template: "delivery.failed",
        to: "secretariat",
        data,
        workflow: p.workflow,
        workflowId: p.workflowId,
        event: "mail.failed",
      },
      idempotencyKey: `${effect.idempotencyKey}:failed`,
      runAfter: now,
    });
  });
}

function audienceLabel(to: unknown): string {
  const names: Record<string, string> = {
    agency: "Cơ quan đặt hàng",
    panel: "Thành viên Hội đồng",
    secretariat: "Ban Tư vấn phản biện",
    leadership: "Lãnh đạo Liên hiệp hội",
    expert: "Chuyên gia",
  };
  return typeof to === "string" ? (names[to] ?? to) : "Chuyên gia";
}
