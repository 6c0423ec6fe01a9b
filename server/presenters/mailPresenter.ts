/** What went out by mail, as the delivery log (JSON) and the demo outbox pages show it. */
import path from "node:path";
import type { effects, mailMessages } from "../db/schema.js";
import { formatShortDate, pad2, vietnamParts } from "../documents/format.js";
import { parseEml } from "../mail/eml.js";

type MailRow = typeof mailMessages.$inferSelect;

/** The delivery log: each message, then each mail effect that failed before a message existed. */
export function presentMailLog(log: { messages: MailRow[]; failedBeforeMessage: Array<typeof effects.$inferSelect> }) {
  return [
    ...log.messages.map((m) => ({
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
    ...log.failedBeforeMessage.map((e) => ({
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
  ];
}

/** "HH:MM d/m/yyyy" in Vietnam's time. */
function timeLabel(d: Date) {
  const p = vietnamParts(d);
  return `${pad2(p.hour)}:${pad2(p.minute)} ${formatShortDate(d)}`;
}

/** The outbox page's rows: file, subject, time and recipients. */
export function presentOutboxList(messages: MailRow[]) {
  return messages.map((m) => ({
    file: path.basename(m.file!),
    subject: m.subject,
    time: timeLabel(m.sentAt ?? m.createdAt),
    to: ((m.recipients as Array<{ name?: string; address: string }>) ?? [])
      .map((x) => (x.name ? `${x.name} <${x.address}>` : x.address))
      .join(", "),
  }));
}

/** One outbox message as its page shows it: headers, text, HTML (shown sandboxed) and attachments. */
export function presentOutboxMessage(row: MailRow, raw: Buffer, file: string) {
  const eml = parseEml(raw);
  return {
    file,
    subject: eml.subject || row.subject,
    from: eml.from,
    to: eml.to,
    time: timeLabel(row.sentAt ?? row.createdAt),
    messageId: eml.messageId || row.messageId,
    text: eml.text,
    html: eml.html,
    attachments: eml.attachments,
  };
}
