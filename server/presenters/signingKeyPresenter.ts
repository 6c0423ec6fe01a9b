/** The signing key as the API shows it: the certificate's public facts only. */
import type { SigningKeyView } from "../queries/loadSigningKeys.js";

/** One key: subject, issuer, serial, validity, status and who installed or retired it. */
export function presentSigningKey(k: SigningKeyView) {
  return {
    id: k.id,
    status: k.status,
    subject: k.subject,
    issuer: k.issuer,
    serialNumber: k.serialNumber,
    notBefore: k.notBefore.toISOString(),
    notAfter: k.notAfter.toISOString(),
    certificateSha256: k.certificateSha256,
    signerName: k.signerName,
    installedAt: k.installedAt.toISOString(),
    retiredAt: k.retiredAt?.toISOString() ?? null,
  };
}

/** GET /signing-key: the active key (or null), the expiry warning and the history. */
export function presentSigningKeys(s: {
  active: SigningKeyView | null;
  expiresSoon: boolean;
  history: SigningKeyView[];
}) {
  return {
    active: s.active ? presentSigningKey(s.active) : null,
    expiresSoon: s.expiresSoon,
    history: s.history.map(presentSigningKey),
  };
}
