import { expect } from "chai";
import { isSignedPdf } from "../../server/signing/pdfSignature.js";

describe("signing/pdfSignature", () => {
  it("finds a signature dictionary's /ByteRange array anywhere in the bytes, and nothing else", () => {
    const pdf = (middle: string) =>
      Buffer.concat([
        Buffer.from("%PDF-1.7\n"),
        Buffer.alloc(5000, 0x41),
        Buffer.from(middle),
        Buffer.from("\n%%EOF\n"),
      ]);
    expect(isSignedPdf(pdf("<</Type /Sig /ByteRange [0 10 20 30] /Contents <00>>>"))).to.equal(true);
    expect(isSignedPdf(pdf("/ByteRange\r\n [0 1 2 3]"))).to.equal(true);
    expect(isSignedPdf(pdf("/ByteRange[0 1 2 3]"))).to.equal(true);
    expect(isSignedPdf(pdf("/ByteRangeX [0] /ByteRange /Other"))).to.equal(false);
    expect(isSignedPdf(pdf("/ByteRange /Name /ByteRange  [0 1 2 3]"))).to.equal(true);
    expect(isSignedPdf(pdf("no signature here"))).to.equal(false);
    expect(isSignedPdf(Buffer.from("/ByteRange"))).to.equal(false);
  });
});
