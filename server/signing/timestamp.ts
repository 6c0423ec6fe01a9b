/**
 * RFC 3161 timestamps for PAdES B-T: the SHA-256 of the signature value is sent to the timestamp
 * authority, and its token (a CMS SignedData over a TSTInfo) becomes the signature's unsigned
 * attribute signature-time-stamp-token.
 */
import { createHash, randomBytes } from "node:crypto";
import * as A from "./asn1.js";

/** The TimeStampReq for `data` (DER): version 1, SHA-256 imprint, a nonce, certReq true. */
export function timestampRequest(data: Buffer, nonce = randomBytes(8)): Buffer {
  const imprint = A.seq(A.algorithm(A.OID.sha256), A.octets(createHash("sha256").update(data).digest()));
  return A.der(A.seq(A.int(1), imprint, A.intBytes(nonce), A.bool(true)));
}

/**
 * Asks the authority at `url` for a token over `signature`.
 * @throws Error when it cannot be reached, refuses (PKIStatus other than granted), or answers a
 *   token that does not cover this signature.
 */
export async function requestTimestamp(url: string, signature: Buffer, timeoutMs = 15_000): Promise<A.Node> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/timestamp-query" },
    body: new Uint8Array(timestampRequest(signature)),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`timestamp authority answered HTTP ${res.status}`);
  const answer = A.children(A.parse(Buffer.from(await res.arrayBuffer())));
  const status = A.valueBytes(A.children(answer[0])[0]).readUIntBE(0, 1);
  if (status > 1 || !answer[1]) throw new Error(`timestamp authority refused the request (status ${status})`);
  const token = answer[1];
  const imprint = createHash("sha256").update(signature).digest();
  if (!A.der(token).includes(imprint)) throw new Error("the timestamp token does not cover this signature");
  return token;
}
