/**
 * PAdES B-T (issue 11 §5): with a timestamp authority configured, signing a PDF asks the authority
 * (RFC 3161, over HTTP) for a token over the signature value and embeds it as the signature's
 * unsigned attribute signature-time-stamp-token. A minimal authority runs in the test on 127.0.0.1;
 * its tokens are CMS SignedData over a TSTInfo, built with TVPB's own CMS builder.
 */
import { expect } from "chai";
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import * as A from "../../server/signing/asn1.js";
import { buildSignedData } from "../../server/signing/cms.js";
import { openP12 } from "../../server/signing/pkcs12.js";
import { signPdf } from "../../server/documents/signPdf.js";
import { EffectError } from "../../server/errors.js";
import { pdfSig, selfSignedP12 } from "../support/documents.js";

/** A one-page PDF with a classic cross-reference table, as the signer needs. */
function minimalPdf(): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, "0")} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

type Mode = "granted" | "rejection" | "otherImprint";

/** A minimal RFC 3161 authority: answers each TimeStampReq with a token over its imprint and nonce. */
async function startTsa(mode: Mode) {
  const tsa = openP12(selfSignedP12("Tsa-Thu-Nghiem-2026", "TVPB test TSA"), "Tsa-Thu-Nghiem-2026").signer;
  const seen: { imprints: Buffer[]; tokens: Buffer[]; contentTypes: string[] } = {
    imprints: [],
    tokens: [],
    contentTypes: [],
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        seen.contentTypes.push(String(req.headers["content-type"]));
        const [, imprint, nonce] = A.children(A.parse(Buffer.concat(chunks)));
        seen.imprints.push(A.valueBytes(A.children(imprint)[1]));
        if (mode === "rejection") return reply(res, A.seq(A.seq(A.int(2))));
        const covered =
          mode === "granted"
            ? imprint
            : A.seq(A.algorithm(A.OID.sha256), A.octets(createHash("sha256").update("khác").digest()));
        const tstInfo = A.der(
          A.seq(A.int(1), A.oid("1.3.6.1.4.1.99999.1"), covered, A.int(7), A.generalizedTime(new Date()), nonce),
        );
        const token = await buildSignedData(tsa, {
          contentType: A.OID.tstInfo,
          content: tstInfo,
          digest: createHash("sha256").update(tstInfo).digest(),
        });
        seen.tokens.push(token);
        reply(res, A.seq(A.seq(A.int(0)), A.parse(token)));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function reply(res: http.ServerResponse, answer: A.Node) {
  res.writeHead(200, { "content-type": "application/timestamp-reply" });
  res.end(A.der(answer));
}

/** The signer info of the CMS in a signed PDF's /Contents. */
function signerInfoOf(pdf: Buffer): A.Node[] {
  const hex = /\/Contents\s*<([0-9A-Fa-f]+)>/.exec(pdf.toString("latin1"))![1];
  const signedData = A.children(A.children(A.parse(Buffer.from(hex, "hex")))[1])[0];
  const infos = A.children(signedData).at(-1)!;
  return A.children(A.children(infos)[0]);
}

describe("signature timestamps from a timestamp authority (PAdES B-T)", function () {
  this.timeout(300_000);
  const passphrase = "Lhh-HaGiang-2026";
  const signer = openP12(selfSignedP12(passphrase), passphrase).signer;
  const options = (tsaUrl: string) => ({
    signer,
    reason: "Ban hành",
    location: "Hà Giang",
    name: "Nguyễn Đức Hưởng",
    signingTime: new Date("2026-03-02T03:00:00Z"),
    tsaUrl,
  });

  it("asks the authority for a token over the signature value and embeds it as an unsigned attribute", async () => {
    const tsa = await startTsa("granted");
    try {
      const signed = await signPdf(minimalPdf(), options(tsa.url));
      expect(tsa.seen.tokens).to.have.length(1);
      expect(tsa.seen.contentTypes[0]).to.equal("application/timestamp-query");
      const info = signerInfoOf(signed);
      const signatureValue = A.valueBytes(info[5]);
      expect(tsa.seen.imprints[0].equals(createHash("sha256").update(signatureValue).digest())).to.equal(true);
      const unsigned = info[6];
      expect(unsigned && A.isCtx(unsigned, 1), "unsigned attributes").to.equal(true);
      const [attribute] = A.children(unsigned);
      const [type, values] = A.children(attribute);
      expect(A.oidOf(type)).to.equal(A.OID.signatureTimeStampToken);
      expect(A.der(A.children(values)[0]).equals(tsa.seen.tokens[0]), "the authority's token, byte for byte").to.equal(
        true,
      );
      const report = await pdfSig(signed);
      expect(report).to.match(/Signature Validation: Signature is Valid\./);
    } finally {
      await tsa.close();
    }
  });

  it("signs without a timestamp when no authority is configured", async () => {
    const signed = await signPdf(minimalPdf(), { ...options(""), tsaUrl: undefined });
    expect(signerInfoOf(signed)).to.have.length(6);
  });

  for (const mode of ["rejection", "otherImprint"] as const)
    it(`refuses to sign with a retryable timestamp_failed when the authority answers ${mode}`, async () => {
      const tsa = await startTsa(mode);
      try {
        const err = await signPdf(minimalPdf(), options(tsa.url)).then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).to.be.instanceOf(EffectError);
        expect((err as EffectError).code).to.equal("timestamp_failed");
        expect((err as EffectError).permanent, "retried later").to.equal(false);
        expect(tsa.seen.imprints).to.have.length(1);
      } finally {
        await tsa.close();
      }
    });
});
