/**
 * Digital signatures for issued documents: a PAdES-style (ETSI.CAdES.detached) signature over the
 * whole PDF with the organisation's PKCS#12 certificate. The visible appearance (signer image,
 * seal, signing time) is already in the rendered page; this adds the cryptographic signature.
 */
import { plainAddPlaceholder } from "@signpdf/placeholder-plain";
import { P12Signer } from "@signpdf/signer-p12";
import { SignPdf } from "@signpdf/signpdf";
import { EffectError } from "../errors.js";

export interface SignPdfOptions {
  /** The signing certificate and key as PKCS#12 (.p12/.pfx). */
  p12: Buffer;
  passphrase: string;
  /** e.g. "Ban hành Báo cáo số 07/BC-LHH". */
  reason: string;
  /** e.g. "Hà Giang". */
  location: string;
  /** Signer or organisation name. */
  name: string;
  contactInfo?: string;
  /** The signing time written into the signature (must match the one printed on the page). */
  signingTime: Date;
}

/** Room for the CMS signature in the placeholder (certificate chain included). */
const SIGNATURE_LENGTH = 16_384;

/**
 * Signs `pdf` and returns the signed bytes. The input must use a classic xref table (the PDF
 * renderer saves that way).
 * @throws EffectError `signing_failed` (permanent): wrong passphrase, broken certificate, or a PDF
 *   the placeholder cannot be added to.
 */
export async function signPdf(pdf: Buffer, options: SignPdfOptions): Promise<Buffer> {
  try {
    const withPlaceholder = plainAddPlaceholder({
      pdfBuffer: pdf,
      reason: options.reason,
      location: options.location,
      name: options.name,
      contactInfo: options.contactInfo ?? "",
      signingTime: options.signingTime,
      signatureLength: SIGNATURE_LENGTH,
      subFilter: "ETSI.CAdES.detached",
      appName: "TVPB",
    });
    const signer = new P12Signer(options.p12, { passphrase: options.passphrase });
    return await new SignPdf().sign(withPlaceholder, signer, options.signingTime);
  } catch (err) {
    throw new EffectError(`Không ký số được văn bản: ${(err as Error).message}`, true, "signing_failed");
  }
}
