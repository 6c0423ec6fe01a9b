/**
 * CMS SignedData (RFC 5652) as PAdES baseline B-B asks (ETSI EN 319 142-1): detached, SHA-256,
 * signed attributes content-type, message-digest and signing-certificate-v2 (ESSCertIDv2 with the
 * certificate's hash and issuer/serial), no signing-time attribute (the PDF's /M carries the
 * time); optionally a signature timestamp as unsigned attribute (B-T). The same builder makes a
 * timestamp token (encapsulated TSTInfo) for the test timestamp authority.
 */
import { createHash, createPrivateKey, sign as rsaSign, type KeyObject } from "node:crypto";
import * as A from "./asn1.js";

const { OID } = A;

/** Who signs: the private key (PEM), the certificate (DER) and the rest of its chain (DER). */
export type CmsSigner = { keyPem: string; certificate: Buffer; chain: Buffer[] };

/** What is signed and what is added after. */
export type SignedDataInput = {
  /** SHA-256 of the content (the PDF's byte ranges, or the encapsulated content). */
  digest: Buffer;
  /** Default `data`; `tstInfo` for a timestamp token. */
  contentType?: string;
  /** Encapsulated content (a TSTInfo); detached when absent. */
  content?: Buffer;
  /** Called with the signature value; returns unsigned attributes (e.g. a timestamp token). */
  unsigned?: (signature: Buffer) => Promise<Array<{ type: string; value: A.Node }>>;
};

/** Each signer's private key parsed once (a kept opened key signs many documents), not from PEM per signature. */
const privateKeys = new WeakMap<CmsSigner, KeyObject>();

function privateKeyOf(signer: CmsSigner): KeyObject {
  let key = privateKeys.get(signer);
  if (!key) privateKeys.set(signer, (key = createPrivateKey(signer.keyPem)));
  return key;
}

/**
 * RSA PKCS#1 v1.5 with SHA-256 (deterministic: the same bytes as the synchronous call), computed on
 * libuv's thread pool so that the event loop, which drives the PDF renderer, is not held meanwhile.
 */
function signAsync(data: Buffer, signer: CmsSigner): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    rsaSign("sha256", data, privateKeyOf(signer), (err, signature) => (err ? reject(err) : resolve(signature))),
  );
}

/** The certificate's issuer Name and serialNumber nodes, taken from its DER (byte-exact). */
export function issuerAndSerial(certificate: Buffer): { issuer: A.Node; serial: A.Node } {
  const tbs = A.children(A.children(A.parse(certificate))[0]);
  const at = A.isCtx(tbs[0], 0) ? 1 : 0;
  return { serial: tbs[at], issuer: tbs[at + 2] };
}

const attribute = (type: string, value: A.Node) => A.seq(A.oid(type), A.set(value));

/** ESS signing-certificate-v2: SHA-256 of the certificate and its issuer/serial (RFC 5035). */
function signingCertificateV2(certificate: Buffer): A.Node {
  const { issuer, serial } = issuerAndSerial(certificate);
  const hash = createHash("sha256").update(certificate).digest();
  // hashAlgorithm DEFAULT sha256 is omitted; issuerSerial: GeneralNames [directoryName [4] Name].
  const issuerSerial = A.seq(A.seq(A.ctx(4, [issuer])), serial);
  return A.seq(A.seq(A.seq(A.octets(hash), issuerSerial)));
}

/**
 * Builds a ContentInfo with SignedData and returns its DER.
 * @throws Error when the key cannot sign (not RSA, broken PEM)
 */
export async function buildSignedData(signer: CmsSigner, input: SignedDataInput): Promise<Buffer> {
  const contentType = input.contentType ?? OID.data;
  const signedAttrs = [
    attribute(OID.contentType, A.oid(contentType)),
    attribute(OID.messageDigest, A.octets(input.digest)),
    attribute(OID.signingCertificateV2, signingCertificateV2(signer.certificate)),
  ];
  const toSign = A.der(A.set(...signedAttrs));
  const signature = await signAsync(toSign, signer);
  const unsigned = input.unsigned ? await input.unsigned(signature) : [];
  const { issuer, serial } = issuerAndSerial(signer.certificate);
  const signerInfo = A.seq(
    A.int(1),
    A.seq(issuer, serial),
    A.algorithm(OID.sha256),
    A.ctxSet(0, signedAttrs),
    A.algorithm(OID.rsaEncryption),
    A.octets(signature),
    ...(unsigned.length
      ? [
          A.ctxSet(
            1,
            unsigned.map((u) => attribute(u.type, u.value)),
          ),
        ]
      : []),
  );
  const encap = input.content
    ? A.seq(A.oid(contentType), A.ctx(0, [A.octets(input.content)]))
    : A.seq(A.oid(contentType));
  const certificates = [signer.certificate, ...signer.chain].map((c) => A.parse(c));
  const signedData = A.seq(
    A.int(contentType === OID.data ? 1 : 3),
    A.set(A.algorithm(OID.sha256)),
    encap,
    A.ctxSet(0, certificates),
    A.set(signerInfo),
  );
  return A.der(A.seq(A.oid(OID.signedData), A.ctx(0, [signedData])));
}
