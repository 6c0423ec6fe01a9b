/**
 * Checks a PDF signed outside TVPB (a USB token, a CA's remote signing service) against the bytes
 * TVPB issued: the upload must begin with exactly the issued bytes, add one signature as an
 * incremental update whose byte range covers the whole file but its /Contents, and the CMS in
 * /Contents must verify: the message digest equals the digest of the byte range, and the signature
 * over the signed attributes verifies with the signer's certificate, valid now. TVPB does not
 * check the certificate's chain to a root (no national trust list is configured).
 */
import { createHash, verify, X509Certificate } from "node:crypto";
import { AppError } from "../errors.js";
import * as A from "./asn1.js";

const { OID } = A;
const DIGESTS: Record<string, string> = {
  [OID.sha256]: "sha256",
  [OID.sha384]: "sha384",
  [OID.sha512]: "sha512",
  [OID.sha1]: "sha1",
};

/** Who signed, from the signer's certificate. */
export type ExternalSignature = { subject: string; serialNumber: string };

const refuse = (code: string, message: string) => new AppError(422, code, message, "file");

/**
 * @throws AppError 415 signed_file_not_pdf; 422 signed_file_not_incremental, signed_file_no_signature,
 *   signed_file_byte_range_invalid, signed_file_signature_unreadable, signed_file_digest_mismatch,
 *   signed_file_signature_invalid, signed_file_certificate_invalid
 */
export function verifyIncrementalSignature(original: Buffer, signed: Buffer, now: Date): ExternalSignature {
  if (!signed.subarray(0, 5).equals(Buffer.from("%PDF-")))
    throw new AppError(415, "signed_file_not_pdf", "Tệp tải lên không phải PDF.", "file");
  if (signed.length <= original.length || !signed.subarray(0, original.length).equals(original))
    throw refuse(
      "signed_file_not_incremental",
      "Tệp đã ký phải giữ nguyên từng byte của văn bản đã ban hành và chỉ thêm chữ ký (cập nhật gia tăng).",
    );
  const added = signed.subarray(original.length).toString("latin1");
  const ranges = [...added.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  if (!ranges.length) throw refuse("signed_file_no_signature", "Phần thêm vào tệp không có chữ ký số.");
  if (ranges.length > 1) throw refuse("signed_file_byte_range_invalid", "Chỉ chấp nhận thêm đúng một chữ ký số.");
  const [a, b, c, d] = ranges[0].slice(1).map(Number);
  const gap = signed.subarray(b, c).toString("latin1");
  if (a !== 0 || b <= original.length || c <= b || c + d !== signed.length || !/^<[0-9a-fA-F]*>$/.test(gap))
    throw refuse("signed_file_byte_range_invalid", "Chữ ký số không phủ toàn bộ tệp (ByteRange không hợp lệ).");
  const content = Buffer.concat([signed.subarray(0, b), signed.subarray(c, c + d)]);
  return verifyCms(Buffer.from(gap.slice(1, -1), "hex"), content, now);
}

/** Verifies a detached CMS over `content`. */
function verifyCms(cms: Buffer, content: Buffer, now: Date): ExternalSignature {
  let parts: ReturnType<typeof readSignerInfo>;
  try {
    parts = readSignerInfo(cms);
  } catch {
    throw refuse("signed_file_signature_unreadable", "Không đọc được chữ ký số (CMS) trong tệp.");
  }
  const { digestName, signedAttrs, signature, certificate } = parts;
  const digest = createHash(digestName).update(content).digest();
  let data = content;
  if (signedAttrs) {
    const md = A.children(signedAttrs).find((attr) => A.oidOf(A.children(attr)[0]) === OID.messageDigest);
    const value = md ? A.valueBytes(A.children(A.children(md)[1])[0]) : null;
    if (!value?.equals(digest))
      throw refuse("signed_file_digest_mismatch", "Nội dung tệp không khớp với chữ ký số (đã bị thay đổi sau khi ký).");
    data = A.der(signedAttrs);
    data[0] = 0x31; // the signature is over the attributes encoded as a SET
  }
  const cert = new X509Certificate(certificate);
  if (!verify(digestName, data, cert.publicKey, signature))
    throw refuse("signed_file_signature_invalid", "Chữ ký số không hợp lệ.");
  if (now < new Date(cert.validFrom) || now > new Date(cert.validTo))
    throw refuse("signed_file_certificate_invalid", "Chứng thư số của người ký chưa có hiệu lực hoặc đã hết hạn.");
  return { subject: cert.subject.replace(/\n/g, ", "), serialNumber: cert.serialNumber.toUpperCase() };
}

/** The first signer's digest algorithm, signed attributes, signature and certificate. @throws Error */
function readSignerInfo(cms: Buffer) {
  const contentInfo = A.children(A.parse(cms));
  if (A.oidOf(contentInfo[0]) !== OID.signedData) throw new Error("not SignedData");
  const sd = A.children(A.children(contentInfo[1])[0]);
  const certs = sd.find((n) => A.isCtx(n, 0));
  const signerInfo = A.children(A.children(sd[sd.length - 1])[0]);
  const [, sid, digestAlg] = signerInfo;
  const digestName = DIGESTS[A.oidOf(A.children(digestAlg)[0])];
  if (!digestName) throw new Error("unsupported digest");
  const signedAttrs = A.isCtx(signerInfo[3], 0) ? signerInfo[3] : null;
  const signature = A.valueBytes(signerInfo[signedAttrs ? 5 : 4]);
  const [issuer, serial] = A.children(sid).map((n) => A.der(n));
  const certificate = (certs ? A.children(certs) : [])
    .map((c) => A.der(c))
    .find((der) => {
      const tbs = A.children(A.children(A.parse(der))[0]);
      const at = A.isCtx(tbs[0], 0) ? 1 : 0;
      return A.der(tbs[at]).equals(serial) && A.der(tbs[at + 2]).equals(issuer);
    });
  if (!certificate) throw new Error("signer certificate missing");
  return { digestName, signedAttrs, signature, certificate };
}
