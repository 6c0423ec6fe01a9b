/**
 * Digital signatures for issued documents: PAdES baseline B-B (ETSI EN 319 142-1; sub-filter
 * ETSI.CAdES.detached, CMS with the signing-certificate-v2 attribute) over the whole PDF with the
 * organisation's key, and B-T when a timestamp authority is configured. The visible appearance
 * (signer image, seal, signing time) is already in the rendered page; this adds the signature.
 */
import { createHash } from "node:crypto";
import { SignPdf, Signer } from "@signpdf/signpdf";
import { EffectError } from "../errors.js";
import { OID } from "../signing/asn1.js";
import { buildSignedData, type CmsSigner } from "../signing/cms.js";
import { requestTimestamp } from "../signing/timestamp.js";
import { addSignaturePlaceholder } from "./signaturePlaceholder.js";

export interface SignPdfOptions {
  /** The private key and certificate chain (from the organisation's PKCS#12). */
  signer: CmsSigner;
  /** e.g. "Ban hành Báo cáo số 07/BC-LHH". */
  reason: string;
  /** e.g. "Hà Giang". */
  location: string;
  /** Signer or organisation name. */
  name: string;
  contactInfo?: string;
  /** The signing time written into the signature dictionary (/M; must match the one printed on the page). */
  signingTime: Date;
  /** An RFC 3161 timestamp authority: the signature then carries a timestamp (B-T). */
  tsaUrl?: string;
}

/**
 * Room for the CMS signature in the placeholder, in bytes (written as twice as many hex digits; what
 * the signature leaves unused stays zeros in every issued file). Without a timestamp authority the
 * signature holds the certificates and about a kilobyte more (signed attributes, issuer and serial,
 * the signature value: 512 bytes for RSA-4096), so the room is the chain's DER plus 4 KiB, rounded up
 * to a KiB. A timestamp token carries the authority's own certificates, of a size not known before the
 * answer, so with one the room stays at 24 KiB, as it always was.
 */
export function signatureRoom(signer: CmsSigner, timestamped: boolean): number {
  if (timestamped) return 24_576;
  const certificates = [signer.certificate, ...signer.chain].reduce((n, c) => n + c.length, 0);
  return Math.ceil((certificates + 4_096) / 1_024) * 1_024;
}

/** The @signpdf signer that builds TVPB's CMS. */
class CadesSigner extends Signer {
  constructor(
    private readonly signer: CmsSigner,
    private readonly tsaUrl: string | undefined,
  ) {
    super();
  }
  override async sign(content: Buffer): Promise<Buffer> {
    const digest = createHash("sha256").update(content).digest();
    const tsa = this.tsaUrl;
    return buildSignedData(this.signer, {
      digest,
      unsigned: tsa
        ? async (signature) => [{ type: OID.signatureTimeStampToken, value: await requestTimestamp(tsa, signature) }]
        : undefined,
    });
  }
}

/**
 * Signs `pdf` and returns the signed bytes. The input must use a classic xref table (the PDF
 * renderer saves that way).
 * @throws EffectError `signing_failed` (permanent): a key that cannot sign, or a PDF the
 *   placeholder cannot be added to; `timestamp_failed` (retryable) when the timestamp authority fails.
 */
export async function signPdf(pdf: Buffer, options: SignPdfOptions): Promise<Buffer> {
  try {
    const withPlaceholder = addSignaturePlaceholder({
      pdfBuffer: pdf,
      reason: options.reason,
      location: options.location,
      name: options.name,
      contactInfo: options.contactInfo ?? "",
      signingTime: options.signingTime,
      signatureLength: signatureRoom(options.signer, !!options.tsaUrl),
      subFilter: "ETSI.CAdES.detached",
      appName: "TVPB",
    });
    return await new SignPdf().sign(withPlaceholder, new CadesSigner(options.signer, options.tsaUrl));
  } catch (err) {
    const message = (err as Error).message;
    if (/timestamp/i.test(message) || (err as Error).name === "TimeoutError" || /fetch failed/.test(message))
      throw new EffectError(`Không lấy được dấu thời gian: ${message}`, false, "timestamp_failed");
    throw new EffectError(`Không ký số được văn bản: ${message}`, true, "signing_failed");
  }
}
