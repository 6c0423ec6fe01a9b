/** What the public verification page (and its JSON) tells anyone about an issued document. */
import { DOCUMENT_KIND_INFO } from "../documents/templates.js";
import { isDocumentKind, orgProfile } from "../documents/viewModels.js";
import { formatShortDate } from "../documents/format.js";
import { contentCodeOf } from "../documents/verification.js";
import type { VerifiedDocument } from "../queries/findVerifiedDocument.js";

export type PublicDocument = {
  type: string;
  number: string | null;
  date: string;
  issuedAt: string;
  issuer: string;
  subject: string;
  verifyCode: string;
  /** The content code printed on the document, recomputed from the stored view model. */
  contentCode: string;
  /** The SHA-256 of the stored PDF file (what an uploaded file is checked against). */
  sha256: string;
  signed: boolean;
  corrects?: { number: string | null; date: string };
  correctedBy?: { number: string | null; date: string; verifyCode: string | null };
};

type FrozenModel = { vm?: { summary?: string; subject?: { title: string }; title?: string; periodLabel?: string } };

const short = (d: Date | null) => (d ? formatShortDate(d) : "");

/** The public facts: type, number, date, issuer, subject, code, checksum, signature, corrections. */
export function presentPublicDocument(found: VerifiedDocument): PublicDocument {
  const { doc, organization, corrects, correctedBy } = found;
  const vm = (doc.viewModel as FrozenModel | null)?.vm;
  return {
    type: isDocumentKind(doc.kind) ? DOCUMENT_KIND_INFO[doc.kind].typeName : doc.kind,
    number: doc.numberLabel,
    date: short(doc.issuedAt),
    issuedAt: doc.issuedAt?.toISOString() ?? "",
    issuer: organization ? orgProfile(organization).profile.displayName : "",
    subject: vm?.summary ? `V/v ${vm.summary}` : (vm?.subject?.title ?? vm?.title ?? vm?.periodLabel ?? doc.title),
    verifyCode: doc.verifyCode ?? "",
    contentCode: vm ? contentCodeOf(vm) : "",
    sha256: doc.sha256 ?? "",
    signed: found.signed,
    ...(corrects ? { corrects: { number: corrects.numberLabel, date: short(corrects.issuedAt) } } : {}),
    ...(correctedBy
      ? {
          correctedBy: {
            number: correctedBy.numberLabel,
            date: short(correctedBy.issuedAt),
            verifyCode: correctedBy.verifyCode,
          },
        }
      : {}),
  };
}
