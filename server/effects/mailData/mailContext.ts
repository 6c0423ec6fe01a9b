/**
 * What every mail data builder starts from: the assignment, its organisation and agency, the
 * recipient's words, and small readers of the database (deadlines, issued documents, experts,
 * invitations) scoped to the assignment. Built once per recipient by `buildMailData`.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../../db/connect.js";
import {
  agencies,
  assignments,
  blobs,
  deadlines,
  documents,
  experts,
  invitations,
  organizations,
} from "../../db/schema.js";
import { loadCalendar } from "../../calendar/loadCalendar.js";
import type { WorkingCalendar } from "../../calendar/workingDays.js";
import { isSignedPdf } from "../../signing/pdfSignature.js";
import { formatDocumentNumber, formatShortDate, pad2, vietnamParts } from "../../documents/format.js";
import type { Clock } from "../../runtime/clock.js";
import { resolveSettings, type OrgSettings } from "../../settings.js";
import { wordsFor, type Words } from "../../words/catalogue.js";
import { personName } from "../../words/personName.js";
import type { Recipient } from "../recipients.js";

type Assignment = typeof assignments.$inferSelect;
type Organization = typeof organizations.$inferSelect;
type Agency = typeof agencies.$inferSelect;
type Expert = typeof experts.$inferSelect;

/** The columns of a `documents` row the mail data needs (not the view model, which can be large). */
export const ISSUED_DOCUMENT_COLUMNS = {
  id: documents.id,
  kind: documents.kind,
  status: documents.status,
  register: documents.register,
  year: documents.year,
  number: documents.number,
  numberLabel: documents.numberLabel,
  sha256: documents.sha256,
  issuedAt: documents.issuedAt,
  createdAt: documents.createdAt,
};
/** A `documents` row read with ISSUED_DOCUMENT_COLUMNS. */
export type IssuedDocument = { [K in keyof typeof ISSUED_DOCUMENT_COLUMNS]: (typeof documents.$inferSelect)[K] };

/** What `buildMailData` is given (see server/mail/types.ts for what each template expects). */
export type BuildMailDataProps = {
  db: Executor;
  template: string;
  assignment: Assignment;
  organization: Organization;
  recipient: Recipient;
  /** The `data` the machine (or a command) put in the effect payload. */
  payloadData: Record<string, unknown>;
  /** The audience the machine named ("secretariat", "leadership", { expertId } …). */
  to?: unknown;
  /** "assignment" or "invitation": which workflow queued the mail. */
  workflow?: string;
  workflowId: string;
  /** The event that asked for the mail ("panel.submit" …): what leadership is asked to do. */
  event?: string;
  publicUrl: string;
  clock: Clock;
  linkSecret?: string;
  /**
   * Rows the caller has already read for this effect, so they are not read again per recipient:
   * the assignment's agency (null: none), and the latest issuing/issued document of some kinds
   * (a kind present with null: none). Anything not given is read from the database.
   */
  prefetched?: {
    agency?: Agency | null;
    latestIssued?: ReadonlyMap<string, IssuedDocument | null>;
    /** Whether the bytes of a stored PDF (by SHA-256) carry a signature, for the attachments already loaded. */
    signedBySha?: ReadonlyMap<string, boolean>;
  };
};

/** The part of the assignment machine's context that mails read. */
export type MailMachineContext = {
  missingDocuments?: string[];
  declineReasons?: string | null;
  plan?: { reviewDays: number } | null;
  timeline?: { reviewDays: number; responseDays: number };
  extensionRequests?: Array<{ expertId: string; days: number; reason: string; status: string }>;
  workshop?: { scheduledAt: string; place: string } | null;
  recommendations?: Array<{ id: string; number: number }>;
  reminders?: number;
  panel?: Array<{ expertId: string; status: string; role: string }>;
  opinions?: Array<{ expertId: string }>;
};

/** An issued document as mails quote it: "05/QĐ-LHH" and its date. */
export type IssuedRef = { number: string; date: string; year: number | null; row: IssuedDocument };

/** Everything a builder needs, with the recipient's words. */
export type MailContext = Awaited<ReturnType<typeof createMailContext>>;

/** Reads the agency (unless prefetched) and builds the context of one recipient's mail. */
export async function createMailContext(props: BuildMailDataProps) {
  const { db, assignment: a, organization: org, recipient } = props;
  const words = wordsFor(recipient.locale);
  const settings = resolveSettings(org.settings);
  const url = `${props.publicUrl}/assignments/${a.id}`;
  const typeLabel = words.lower("type", a.type);
  const agency = await agencyOf(db, a, props.prefetched?.agency);
  const agencyName = agency?.name ?? a.draftingAgency ?? org.name;
  const base = {
    org: {
      name: org.name,
      shortName: org.shortName,
      address: settings.address,
      email: settings.email,
      phone: settings.phone,
    },
    recipient: { name: recipient.name },
  };
  const ctx = ((a.snapshot ?? {}) as { context?: MailMachineContext }).context ?? {};
  const panelKey = a.forms.includes("council") ? "mail.panel.council" : "mail.panel.expertGroup";
  return {
    props,
    db,
    a,
    org,
    recipient,
    words,
    settings,
    ctx,
    url,
    typeLabel,
    agency,
    agencyName,
    base,
    now: props.clock.now(),
    pd: props.payloadData,
    withA: { ...base, assignment: { code: a.code, title: a.title, typeLabel, agencyName, url } },
    panelLabel: words.t(panelKey, { type: typeLabel }),
    readers: assignmentReaders(db, a, settings, props.prefetched, props.clock.now()),
    /** dd/mm/yyyy, or undefined without a date. */
    date: (d: Date | null | undefined) => (d ? formatShortDate(d) : undefined),
    /** "08:30 ngày 20/03/2026" / "08:30, 20/03/2026" in Vietnam time. */
    dateTime: (d: Date) => {
      const p = vietnamParts(d);
      return words.t("mail.dateTime", { time: `${pad2(p.hour)}:${pad2(p.minute)}`, date: formatShortDate(d) });
    },
    /** The panel role's label; a seat without a role is a member. */
    roleLabel: (role: string | null | undefined) =>
      role ? words.labelOr("panelRole", role) : words.label("panelRole", "member"),
    expertName: (e: Expert | undefined) => (e ? personName(e) : ""),
  };
}

async function agencyOf(db: Executor, a: Assignment, known: Agency | null | undefined): Promise<Agency | undefined> {
  if (!a.agencyId) return undefined;
  if (known !== undefined) return known ?? undefined;
  return (await db.select().from(agencies).where(eq(agencies.id, a.agencyId)))[0];
}

/** Readers of the database scoped to one assignment. */
function assignmentReaders(
  db: Executor,
  a: Assignment,
  settings: OrgSettings,
  prefetched: BuildMailDataProps["prefetched"],
  now: Date,
) {
  const assignmentId = a.id;
  const latestIssued = prefetched?.latestIssued;
  /** The latest deadline row with this key (any status: a passed or cancelled deadline still has its date). */
  const deadline = async (key: string) => {
    const [d] = await db
      .select()
      .from(deadlines)
      .where(and(eq(deadlines.assignmentId, assignmentId), eq(deadlines.key, key)))
      .orderBy(desc(deadlines.createdAt))
      .limit(1);
    return d?.dueAt;
  };
  /** The latest numbered document of a kind: its number ("05/QĐ-LHH") and date. */
  const issued = async (kind: string): Promise<IssuedRef | undefined> => {
    const [d] = latestIssued?.has(kind)
      ? [latestIssued.get(kind) ?? undefined]
      : await latestDocument(db, assignmentId, kind);
    if (!d || (!d.numberLabel && !d.number)) return undefined;
    return { number: numberOf(d, settings), date: formatShortDate(d.issuedAt ?? d.createdAt), year: d.year, row: d };
  };
  const expertById = async (id: string | undefined) =>
    id ? (await db.select().from(experts).where(eq(experts.id, id)))[0] : undefined;
  /** The expert's accepted invitation to this assignment, else their latest one. */
  const invitationOf = async (expertId: string | undefined) => {
    if (!expertId) return undefined;
    const rows = await db
      .select()
      .from(invitations)
      .where(and(eq(invitations.assignmentId, assignmentId), eq(invitations.expertId, expertId)))
      .orderBy(desc(invitations.createdAt));
    return rows.find((r) => r.state === "accepted") ?? rows[0];
  };
  /** The expert's own review deadline (after an extension), else the panel's. */
  const reviewDue = async (expertId?: string) =>
    (expertId ? await deadline(`review:${expertId}`) : undefined) ?? (await deadline("review"));
  /** Whether an issued document's stored bytes carry a digital signature (mails say "đã được ký số" only then). */
  const isSigned = async (row: IssuedDocument) => {
    if (!row.sha256) return false;
    const known = prefetched?.signedBySha?.get(row.sha256);
    if (known !== undefined) return known;
    const [blob] = await db.select({ bytes: blobs.bytes }).from(blobs).where(eq(blobs.sha256, row.sha256));
    return !!blob && isSignedPdf(blob.bytes);
  };
  /** The organisation's working-day calendar around now, read once per mail. */
  let cal: Promise<WorkingCalendar> | undefined;
  const calendar = () => (cal ??= loadCalendar(db, a.organizationId, now));
  return { deadline, issued, expertById, invitationOf, reviewDue, isSigned, calendar };
}

function latestDocument(db: Executor, assignmentId: string, kind: string) {
  return db
    .select(ISSUED_DOCUMENT_COLUMNS)
    .from(documents)
    .where(
      and(
        eq(documents.assignmentId, assignmentId),
        eq(documents.kind, kind),
        inArray(documents.status, ["issuing", "issued"]),
      ),
    )
    .orderBy(desc(documents.createdAt))
    .limit(1);
}

/** The number as quoted after "số": the stored label, else built from the register. */
function numberOf(d: IssuedDocument, settings: OrgSettings): string {
  const register = (d.register ?? "CV").replace(/-MAT$/, "");
  return (
    d.numberLabel ??
    formatDocumentNumber({
      number: d.number,
      issuerAbbr: settings.issuerAbbr,
      ...(register === "CV" ? { unitAbbr: settings.unitAbbr } : { typeAbbr: register }),
      confidential: !!d.register?.endsWith("-MAT"),
    }).replace(/^Số:\s*/, "")
  );
}
