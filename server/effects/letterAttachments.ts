/**
 * The issued letters a mail carries: the mail that announces a document (the acceptance, the
 * decline, the request for documents, the panel decision, the meeting invitation, the expert's
 * invitation letter, the result and its cover letter) travels with its PDF.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { BlobCache } from "../db/blobCache.js";
import { isSignedPdf } from "../signing/pdfSignature.js";
import type { Db } from "../db/connect.js";
import { documents } from "../db/schema.js";
import { EffectError } from "../errors.js";
import { ISSUED_DOCUMENT_COLUMNS, type IssuedDocument } from "./mailData.js";

/** The retryable failure of a mail whose letters are still rendering (the render effect wakes it). */
export const DOCUMENTS_PENDING = "the announced documents are not rendered yet";

/** Mail template → the kinds of issued document it announces, in the order they are attached. */
export const LETTERS_OF_MAIL: Readonly<Record<string, readonly string[]>> = {
  "documents.requested": ["requestDocuments"],
  "order.declined": ["declineLetter"],
  "order.accepted": ["acceptanceLetter"],
  "panel.approved": ["panelDecision"],
  "workshop.invitation": ["meetingInvitation"],
  "result.sent": ["finalReport", "coverLetter"],
  invitation: ["expertInvitation"],
};

/** The invitation a letter belongs to: on the row as issued, or under `source` once frozen. */
const vmText = (path: string) => sql.raw(`view_model #>> '{${path}}'`);
const INVITATION_OF_ROW = sql`coalesce(${vmText("invitationId")}, ${vmText("source,invitationId")})`;

/** The file name a recipient sees, by kind (no diacritics: some mail clients mangle them). */
const FILE_NAMES: Record<string, string> = {
  requestDocuments: "Cong-van-de-nghi-bo-sung-ho-so",
  declineLetter: "Cong-van-khong-tiep-nhan",
  acceptanceLetter: "Cong-van-tiep-nhan",
  panelDecision: "Quyet-dinh-thanh-lap",
  meetingInvitation: "Giay-moi",
  expertInvitation: "Thu-moi",
  finalReport: "Bao-cao-ket-qua",
  coverLetter: "Cong-van",
};

/**
 * The attachments of `template` for one assignment (the latest issued row of each kind, and for an
 * invitation mail the letter of that invitation), with the latest row of each kind for the mail's
 * data; undefined for a mail that announces no document.
 * `wait`: throw the retryable EffectError `documents_pending` until every letter is rendered (an
 * installation that renders PDFs); otherwise attach those already rendered and leave the rest out.
 */
export async function letterAttachments(
  db: Db,
  blobCache: BlobCache,
  props: { assignmentId: string; template: string; invitationId?: string; wait: boolean },
) {
  const kinds = LETTERS_OF_MAIL[props.template];
  if (!kinds) return undefined;
  const ofInvitation = props.template === "invitation" && props.invitationId;
  const docs = await db
    .select(ISSUED_DOCUMENT_COLUMNS)
    .from(documents)
    .where(
      and(
        eq(documents.assignmentId, props.assignmentId),
        inArray(documents.kind, [...kinds]),
        inArray(documents.status, ["issuing", "issued"]),
        ofInvitation ? sql`${INVITATION_OF_ROW} = ${props.invitationId}` : undefined,
      ),
    );
  const latestOf = (k: string) =>
    docs.filter((d) => d.kind === k).sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime())[0];
  const latest = new Map<string, IssuedDocument | null>(kinds.map((k) => [k, latestOf(k) ?? null]));
  const rows = [...latest.values()].filter((d): d is IssuedDocument => !!d);
  const pending = rows.some((d) => d.status !== "issued" || !d.sha256);
  if (pending && props.wait) throw new EffectError(DOCUMENTS_PENDING, false, "documents_pending");
  const ready = rows.filter((d) => d.status === "issued" && d.sha256);
  const files = await blobCache.load(
    db,
    ready.map((d) => d.sha256!),
  );
  const signedBySha = new Map([...files].map(([sha, bytes]) => [sha, isSignedPdf(bytes)]));
  const attachments = ready.map((d) => {
    const content = files.get(d.sha256!);
    // Cannot happen (documents.sha256 references blobs); a plain Error is retried like any glitch.
    if (!content) throw new Error(`blob ${d.sha256} of document ${d.id} not found`);
    const name = FILE_NAMES[d.kind] ?? "Van-ban";
    return { filename: `${name}-${d.number ?? ""}-${d.year ?? ""}.pdf`, content, contentType: "application/pdf" };
  });
  return { attachments, latest, signedBySha };
}
