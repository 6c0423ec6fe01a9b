/** The number of an issued document as it is quoted: `07/BC-LHH`, `37/LHH-TVPB`. */
import { formatDocumentNumber } from "./format.js";
import { DOCUMENT_KIND_INFO } from "./templates.js";
import type { DocumentKind, OrgProfile } from "./types.js";

/**
 * The number as printed after "Số:", e.g. `07/BC-LHH`, `37/LHH-TVPB`, `01/QĐ-LHH/M` (confidential);
 * null without a number.
 */
export function numberLabelOf(
  kind: DocumentKind,
  number: number | null,
  org: Pick<OrgProfile, "issuerAbbr" | "unitAbbr">,
  confidential = false,
): string | null {
  if (number === null || DOCUMENT_KIND_INFO[kind].unnumbered) return null;
  return formatDocumentNumber({
    number,
    typeAbbr: DOCUMENT_KIND_INFO[kind].typeAbbr,
    issuerAbbr: org.issuerAbbr,
    unitAbbr: org.unitAbbr,
    confidential,
  }).replace(/^Số:\s*/, "");
}
