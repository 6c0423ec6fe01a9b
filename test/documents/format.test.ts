import { expect } from "chai";
import {
  formatDateLine,
  formatDocumentNumber,
  formatMoney,
  toRoman,
  vietnamTimeIso,
} from "../../server/documents/format.js";
import { ValidationError } from "../../server/errors.js";

describe("documents/format", () => {
  it("numbers a titled document with its type abbreviation and the issuer, leading zero below 10", () => {
    expect(formatDocumentNumber({ number: 7, typeAbbr: "BC", issuerAbbr: "LHH" })).to.equal("Số: 07/BC-LHH");
    expect(formatDocumentNumber({ number: 12, typeAbbr: "QĐ", issuerAbbr: "LHH" })).to.equal("Số: 12/QĐ-LHH");
  });

  it("numbers a letter with issuer and unit and no type abbreviation", () => {
    expect(formatDocumentNumber({ number: 37, issuerAbbr: "LHH", unitAbbr: "TVPB" })).to.equal("Số: 37/LHH-TVPB");
    expect(formatDocumentNumber({ number: 5, issuerAbbr: "LHH", unitAbbr: "TVPB" })).to.equal("Số: 05/LHH-TVPB");
  });

  it("prints a blank number for a draft", () => {
    expect(formatDocumentNumber({ number: null, typeAbbr: "BC", issuerAbbr: "LHH" })).to.equal("Số:      /BC-LHH");
  });

  it("rejects a zero number and a letter without a unit abbreviation", () => {
    expect(() => formatDocumentNumber({ number: 0, typeAbbr: "BC", issuerAbbr: "LHH" }))
      .to.throw(ValidationError)
      .with.property("code", "invalid_document_number");
    expect(() => formatDocumentNumber({ number: 3, issuerAbbr: "LHH" }))
      .to.throw(ValidationError)
      .with.property("code", "missing_abbreviation");
  });

  it("writes the date line in Vietnam time with leading zeros", () => {
    // 20:30 UTC on 4 January is already 5 January in Vietnam.
    expect(formatDateLine("Hà Giang", new Date("2026-01-04T20:30:00Z"))).to.equal(
      "Hà Giang, ngày 05 tháng 01 năm 2026",
    );
    expect(formatDateLine("Hà Giang", new Date("2026-11-23T03:00:00Z"))).to.equal(
      "Hà Giang, ngày 23 tháng 11 năm 2026",
    );
  });

  it("writes ISO 8601 timestamps with the +07:00 offset", () => {
    expect(vietnamTimeIso(new Date("2026-02-10T02:15:09Z"))).to.equal("2026-02-10T09:15:09+07:00");
    expect(vietnamTimeIso(new Date("2025-12-31T17:00:00Z"))).to.equal("2026-01-01T00:00:00+07:00");
  });

  it("formats money with dots and roman numerals for headings", () => {
    expect(formatMoney(1_250_000)).to.equal("1.250.000 đồng");
    expect(formatMoney(950, "")).to.equal("950");
    expect([1, 2, 3, 4, 9, 14, 40].map(toRoman)).to.deep.equal(["I", "II", "III", "IV", "IX", "XIV", "XL"]);
  });
});
