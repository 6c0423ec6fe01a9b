/** Small ASN.1 (DER) builders over node-forge, for the CMS structures of server/signing. */
import forge from "node-forge";

const { asn1 } = forge;
export type Node = forge.asn1.Asn1;

/** SEQUENCE of `items`. */
export const seq = (...items: Node[]): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
/** SET of `items`, sorted by their encoding as DER asks. */
export const set = (...items: Node[]): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, sortDer(items));
/** An OBJECT IDENTIFIER. */
export const oid = (dotted: string): Node =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(dotted).getBytes());
/** An OCTET STRING. */
export const octets = (bytes: Buffer): Node =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes.toString("binary"));
/** An INTEGER from a small number. */
export const int = (n: number): Node =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
/** An INTEGER from big-endian bytes (a serial number, a nonce). */
export const intBytes = (bytes: Buffer): Node =>
  asn1.create(
    asn1.Class.UNIVERSAL,
    asn1.Type.INTEGER,
    false,
    (bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes).toString("binary"),
  );
export const nul = (): Node => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, "");
export const bool = (v: boolean): Node =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, String.fromCharCode(v ? 0xff : 0));
export const generalizedTime = (d: Date): Node =>
  asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(d));
/** A context-specific tag `[n]`, constructed (EXPLICIT or an IMPLICIT SET/SEQUENCE). */
export const ctx = (n: number, items: Node[]): Node => asn1.create(asn1.Class.CONTEXT_SPECIFIC, n, true, items);
/** A context-specific `[n]` SET OF, sorted (IMPLICIT SET OF). */
export const ctxSet = (n: number, items: Node[]): Node => ctx(n, sortDer(items));

/** An AlgorithmIdentifier without parameters, or with NULL. */
export const algorithm = (dotted: string, withNull = true): Node =>
  withNull ? seq(oid(dotted), nul()) : seq(oid(dotted));

/** DER bytes of a node. */
export const der = (node: Node): Buffer => Buffer.from(asn1.toDer(node).getBytes(), "binary");
/** Parses DER bytes. @throws Error on malformed input */
export const parse = (bytes: Buffer): Node =>
  asn1.fromDer(forge.util.createBuffer(bytes.toString("binary")), {
    strict: false,
    parseAllBytes: false, // a signature's /Contents is padded with zeros
    decodeBitStrings: false, // keep bit strings as they are, so re-encoding gives the same bytes
  } as never);
/** The bytes of a primitive node's value. */
export const valueBytes = (node: Node): Buffer => Buffer.from(node.value as string, "binary");
/** The children of a constructed node. */
export const children = (node: Node): Node[] => node.value as Node[];
/** Whether a node is the context-specific tag `[n]`. */
export const isCtx = (node: Node, n: number): boolean =>
  node.tagClass === asn1.Class.CONTEXT_SPECIFIC && node.type === n;
/** The dotted form of an OID node. */
export const oidOf = (node: Node): string => asn1.derToOid(node.value as string);

function sortDer(items: Node[]): Node[] {
  return items
    .map((n) => ({ n, d: der(n) }))
    .sort((a, b) => Buffer.compare(a.d, b.d))
    .map((x) => x.n);
}

/** Object identifiers used by TVPB's signatures. */
export const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  signatureTimeStampToken: "1.2.840.113549.1.9.16.2.14",
  tstInfo: "1.2.840.113549.1.9.16.1.4",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
  sha1: "1.3.14.3.2.26",
  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRSA: "1.2.840.113549.1.1.11",
} as const;
