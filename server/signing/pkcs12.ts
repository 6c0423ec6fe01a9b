/**
 * Reads an organisation's PKCS#12 (.p12/.pfx) and checks it before it is stored: the passphrase
 * opens it, it holds an RSA private key and the certificate that matches it, the certificate is
 * valid now, and its key usage allows signing documents.
 */
import { createHash } from "node:crypto";
import forge from "node-forge";
import { AppError, ValidationError } from "../errors.js";
import type { CmsSigner } from "./cms.js";

/** What may be shown about a certificate (never the key). */
export type CertificateInfo = {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the certificate's DER, hex. */
  sha256: string;
};

/** An opened PKCS#12: the signer for CMS and what may be shown of its certificate. */
export type OpenedP12 = { signer: CmsSigner; info: CertificateInfo; commonName: string | null };

const unprocessable = (code: string, message: string) => new AppError(422, code, message, "file");

/** "CN=…, O=…, C=VN" from a forge name. */
export function distinguishedName(attrs: forge.pki.CertificateField[]): string {
  return attrs.map((a) => `${a.shortName ?? a.name ?? a.type}=${String(a.value)}`).join(", ");
}

/** The certificate's public facts. */
export function certificateInfo(cert: forge.pki.Certificate): CertificateInfo {
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), "binary");
  return {
    subject: distinguishedName(cert.subject.attributes),
    issuer: distinguishedName(cert.issuer.attributes),
    serialNumber: cert.serialNumber.toUpperCase(),
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
    sha256: createHash("sha256").update(der).digest("hex"),
  };
}

/**
 * Opens a PKCS#12 with its passphrase.
 * @throws ValidationError signing_key_unreadable, signing_key_wrong_passphrase;
 *   AppError 422 signing_key_no_private_key, signing_key_no_certificate
 */
export function openP12(bytes: Buffer, passphrase: string): OpenedP12 {
  let asn: forge.asn1.Asn1;
  try {
    asn = forge.asn1.fromDer(forge.util.createBuffer(bytes.toString("binary")));
  } catch {
    throw new ValidationError("signing_key_unreadable", "Tệp không phải chứng thư số PKCS#12 (.p12/.pfx).", "file");
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn, false, passphrase);
  } catch (err) {
    if (/password|MAC/i.test((err as Error).message))
      throw new ValidationError(
        "signing_key_wrong_passphrase",
        "Mật khẩu của tệp chứng thư số không đúng.",
        "passphrase",
      );
    throw new ValidationError(
      "signing_key_unreadable",
      "Không đọc được tệp chứng thư số (chỉ hỗ trợ khoá RSA).",
      "file",
    );
  }
  const bag = (type: string) => p12.getBags({ bagType: type })[type] ?? [];
  const key = [...bag(forge.pki.oids.pkcs8ShroudedKeyBag), ...bag(forge.pki.oids.keyBag)][0]?.key as
    forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw unprocessable("signing_key_no_private_key", "Tệp chứng thư số không chứa khoá bí mật.");
  const certs = bag(forge.pki.oids.certBag).flatMap((b) => (b.cert ? [b.cert] : []));
  const own = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n?.compareTo(key.n) === 0 && pub.e?.compareTo(key.e) === 0;
  });
  if (!own) throw unprocessable("signing_key_no_certificate", "Tệp không chứa chứng thư số khớp với khoá bí mật.");
  const toDer = (c: forge.pki.Certificate) =>
    Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), "binary");
  const cn = own.subject.getField("CN") as { value?: string } | null;
  return {
    signer: {
      keyPem: forge.pki.privateKeyToPem(key),
      certificate: toDer(own),
      chain: certs.filter((c) => c !== own).map(toDer),
    },
    info: certificateInfo(own),
    commonName: cn?.value ?? null,
  };
}

/**
 * Checks that an opened certificate may sign documents now.
 * @throws AppError 422 signing_key_not_yet_valid, signing_key_expired, signing_key_usage_invalid
 */
export function checkSigningCertificate(p12: Buffer, passphrase: string, now: Date): OpenedP12 {
  const opened = openP12(p12, passphrase);
  const { notBefore, notAfter } = opened.info;
  if (now < notBefore) throw unprocessable("signing_key_not_yet_valid", "Chứng thư số chưa đến ngày có hiệu lực.");
  if (now > notAfter) throw unprocessable("signing_key_expired", "Chứng thư số đã hết hạn.");
  const cert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(opened.signer.certificate.toString("binary")));
  const usage = cert.getExtension("keyUsage") as { digitalSignature?: boolean; nonRepudiation?: boolean } | null;
  if (usage && !usage.digitalSignature && !usage.nonRepudiation)
    throw unprocessable("signing_key_usage_invalid", "Chứng thư số không được phép dùng để ký (key usage).");
  return opened;
}
