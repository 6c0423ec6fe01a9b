import { expect } from "chai";
import {
  contentCodeOf,
  makeVerifyCode,
  normalizeVerifyCode,
  qrDataUrl,
  sha256Hex,
} from "../../server/documents/verification.js";

describe("documents/verification", () => {
  it("hashes bytes with SHA-256, and a one-byte change gives another hash", () => {
    const bytes = Buffer.from("Báo cáo số 07/BC-LHH", "utf8");
    const same = Buffer.from(bytes);
    const changed = Buffer.from(bytes);
    changed[changed.length - 1] ^= 1;
    expect(sha256Hex(bytes)).to.match(/^[0-9a-f]{64}$/);
    expect(sha256Hex(same)).to.equal(sha256Hex(bytes));
    expect(sha256Hex(changed)).to.not.equal(sha256Hex(bytes));
    expect(sha256Hex("abc")).to.equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("gives one content code for one content whatever the key order (as PostgreSQL jsonb reorders keys)", () => {
    const vm = { summary: "V/v gửi kết quả", org: { place: "Tuyên Quang", name: "LHH" }, recipients: ["A", "B"] };
    const reordered = {
      recipients: ["A", "B"],
      org: { name: "LHH", place: "Tuyên Quang" },
      summary: "V/v gửi kết quả",
    };
    expect(contentCodeOf(vm)).to.match(/^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(contentCodeOf(reordered)).to.equal(contentCodeOf(vm));
    expect(contentCodeOf({ ...vm, recipients: ["B", "A"] })).to.not.equal(contentCodeOf(vm));
  });

  it("makes short grouped codes without look-alike characters", () => {
    const codes = new Set(Array.from({ length: 200 }, makeVerifyCode));
    expect(codes.size).to.equal(200);
    for (const code of codes) {
      expect(code).to.match(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}$/);
      expect(normalizeVerifyCode(code.toLowerCase().replace(/-/g, " "))).to.equal(code);
    }
    expect(normalizeVerifyCode("K7QX-3MPD-0A")).to.equal(null);
  });

  it("draws a QR code as a PNG data URL", async () => {
    const url = await qrDataUrl("https://tvpb.lhhhagiang.vn/verify/K7QX3MPD9A");
    expect(url).to.match(/^data:image\/png;base64,/);
    const png = Buffer.from(url.split(",")[1], "base64");
    expect(png.subarray(1, 4).toString("ascii")).to.equal("PNG");
  });
});
