import { expect } from "chai";
import { buildCostEstimateModel } from "../../server/documents/costEstimateModel.js";
import { buildPlanSubmissionModel } from "../../server/documents/planSubmissionModel.js";
import type { PlanDocumentKind } from "../../server/documents/planTypes.js";
import { qrDataUrl } from "../../server/documents/verification.js";
import { buildEstimate } from "../../server/money/buildEstimate.js";
import { demoRates } from "../../server/money/demoRates.js";
import {
  documentTemplates,
  issuedInfo,
  org,
  pdfFonts,
  pdfInfo,
  pdfText,
  sealImage,
  sharedRenderer,
  signerImage,
  squash,
} from "../support/documents.js";
import { planSamples } from "../support/planDocuments.js";

type Sample = keyof ReturnType<typeof planSamples>;
const kindOf = (name: Sample): PlanDocumentKind => (name === "planAmendment" ? "planSubmission" : name);

/** What each issued sample must show on its first page and at its end. */
const expected: Record<
  Sample,
  { number: string | null; date: string; signer: string[]; recipients: boolean; minPages: number }
> = {
  planSubmission: {
    number: "Số: 05/TTr-LHH",
    date: "ngày 20 tháng 11 năm 2026",
    signer: ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Vương Ngọc Hà"],
    recipients: true,
    minPages: 2,
  },
  planAmendment: {
    number: "Số: 18/TTr-LHH",
    date: "ngày 02 tháng 06 năm 2027",
    signer: ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Vương Ngọc Hà"],
    recipients: true,
    minPages: 2,
  },
  planExecutionReport: {
    number: "Số: 21/BC-LHH",
    date: "ngày 28 tháng 12 năm 2027",
    signer: ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Vương Ngọc Hà"],
    recipients: true,
    minPages: 2,
  },
  costEstimate: {
    number: null,
    date: "ngày 05 tháng 03 năm 2027",
    signer: [
      "NGƯỜI LẬP BIỂU",
      "Đỗ Thị Lan",
      "KẾ TOÁN",
      "Hoàng Thị Mai",
      "KT. CHỦ TỊCH",
      "PHÓ CHỦ TỊCH",
      "Nguyễn Đức Hưởng",
    ],
    recipients: false,
    minPages: 1,
  },
  feeSettlement: {
    number: null,
    date: "ngày 25 tháng 05 năm 2027",
    signer: ["NGƯỜI LẬP BIỂU", "KẾ TOÁN", "KT. CHỦ TỊCH", "Nguyễn Đức Hưởng"],
    recipients: false,
    minPages: 1,
  },
};

/** The first line of text on each page (page numbers sit alone at the top from page 2). */
function firstLines(text: string): string[] {
  return text.split("\f").map((page) => (page.split("\n").find((l) => l.trim()) ?? "").trim());
}

describe("annual plan documents: view models", () => {
  it("counts the list, writes quarters, types and forms in words and the total in figures and words", () => {
    const vm = planSamples().planSubmission;
    expect(vm.counts).to.include({
      received: "09",
      included: "06",
      consultancy: "02",
      critique: "02",
      assessment: "02",
    });
    expect(vm.groups).to.have.length(1);
    expect(vm.groups[0].rows[0]).to.deep.equal({
      no: "1",
      title: "Đề án phát triển cây dược liệu tỉnh Hà Giang giai đoạn 2026–2030, định hướng 2035",
      type: "Phản biện",
      forms: "Hội đồng, hội thảo",
      agency: "Sở Nông nghiệp và Môi trường",
      quarter: "Quý II",
      cost: "45.000.000",
      note: null,
    });
    expect(vm.groups[0].rows[3]).to.include({ forms: "Tổ chuyên gia, lấy ý kiến bằng văn bản", quarter: "Quý I" });
    expect(vm.total).to.equal("237.500.000");
    expect(vm.totalWords).to.equal("Hai trăm ba mươi bảy triệu năm trăm nghìn đồng");
    expect(vm.addressees).to.deep.equal(["Ủy ban nhân dân tỉnh Hà Giang"]);
  });

  it("groups an amendment's items into added, changed and cut, and quotes the decision in force", () => {
    const vm = planSamples().planAmendment;
    expect(vm.groups.map((g) => [g.heading, g.rows.length, g.subtotal])).to.deep.equal([
      ["I. NHIỆM VỤ BỔ SUNG", 1, "30.000.000"],
      ["II. NHIỆM VỤ ĐIỀU CHỈNH", 1, "50.000.000"],
      ["III. NHIỆM VỤ ĐƯA RA KHỎI DANH MỤC", 1, "80.000.000"],
    ]);
    expect(vm.inForce).to.deep.equal(["Quyết định số 245/QĐ-UBND ngày 15/01/2027"]);
    expect(vm.counts).to.include({ added: "01", changed: "01", cut: "01" });
    expect(vm.total).to.equal("177.500.000");
  });

  it("reports planned, done, carried over and cut, and approved against spent", () => {
    const vm = planSamples().planExecutionReport;
    expect(vm.counts).to.deep.equal({ planned: "05", done: "03", carriedOver: "02", cut: "01" });
    expect(vm.rows.map((r) => [r.status, r.approved, r.spent])).to.deep.equal([
      ["Hoàn thành", "45.000.000", "9.400.000"],
      ["Chuyển sang năm sau", "60.000.000", "0"],
      ["Hoàn thành", "12.500.000", "9.000.000"],
      ["Hoàn thành", "15.000.000", "6.500.000"],
      ["Bị loại khỏi danh mục", "0", "0"],
      ["Chuyển sang năm sau", "25.000.000", "0"],
    ]);
    expect(vm.totals).to.include({ approved: "157.500.000", spent: "24.900.000", remaining: "132.600.000" });
    expect(vm.totals.spentWords).to.equal("Hai mươi bốn triệu chín trăm nghìn đồng");
  });

  it("prints the estimate's lines, adjustment with its reason and total in words", () => {
    const vm = planSamples().costEstimate;
    expect(vm.rows).to.have.length(13);
    expect(vm.rows[10]).to.deep.equal({
      no: "11",
      label: "Đại biểu tham dự hội thảo",
      unit: "người/buổi",
      quantity: "40",
      unitAmount: "150.000",
      amount: "6.000.000",
    });
    expect(vm).to.include({ subtotal: "28.150.000", total: "30.000.000", totalWords: "Ba mươi triệu đồng" });
    expect(vm.budget).to.equal("45.000.000");
    expect(vm.adjustments[0].reason).to.equal("Khảo sát vùng trồng dược liệu tại 2 xã, 2 ngày");
  });

  it("lists one line per expert to sign, with gross, tax and net", () => {
    const vm = planSamples().feeSettlement;
    expect(vm.rows.map((r) => [r.no, r.name, r.gross, r.tax, r.net])).to.deep.equal([
      ["1", "PGS.TS. Nguyễn Thị Phương Thảo", "2.900.000", "240.000", "2.660.000"],
      ["2", "TS. Trần Đức Hưng", "1.800.000", "0", "1.800.000"],
      ["3", "ThS. Lê Minh Châu", "1.750.000", "0", "1.750.000"],
      ["4", "TS. Hoàng Thị Vân", "2.950.000", "0", "2.950.000"],
    ]);
    expect(vm.rows[0].items).to.deep.equal([
      "Bài nhận xét, phản biện: 2.400.000",
      "Chủ trì cuộc họp Hội đồng: 500.000",
    ]);
    expect(vm.totals).to.deep.equal({ gross: "9.400.000", tax: "240.000", net: "9.160.000" });
    expect(vm.totalWords).to.equal("Chín triệu bốn trăm nghìn đồng");
    expect(vm.panelDecision).to.equal("Hội đồng thành lập theo Quyết định số 05/QĐ-LHH ngày 12/03/2027");
  });

  it("refuses a cost that is not whole đồng", () => {
    const item = { title: "X", type: "critique", forms: ["written"], agency: "Sở", quarter: 1, estimatedCost: 1.5 };
    expect(() =>
      buildPlanSubmissionModel({
        org,
        year: 2027,
        kind: "initial",
        province: "UBND",
        bases: [],
        received: 1,
        items: [item],
      }),
    )
      .to.throw()
      .with.property("code", "invalid_amount");
    const e = buildEstimate({ on: "2027-03-01", rates: demoRates(), panel: { member: 1 }, forms: ["written"] });
    const bad = { ...e, total: 0.5 };
    expect(() =>
      buildCostEstimateModel({
        org,
        preparedBy: "A",
        accountant: "B",
        estimate: bad,
        subject: { type: "critique", title: "X", orderingAgency: "Y", forms: ["written"] },
      }),
    )
      .to.throw()
      .with.property("code", "invalid_amount");
  });
});

describe("annual plan documents: rendered to PDF in the Decree 30 layout", function () {
  const pdfs = new Map<Sample, Buffer>();
  const samples = planSamples();
  const names = Object.keys(expected) as Sample[];

  before(async function () {
    this.timeout(180_000);
    const templates = documentTemplates();
    const renderer = sharedRenderer();
    const issued = issuedInfo(await qrDataUrl("https://tvpb.lhhhagiang.vn/verify/K7QX3MPD9A"));
    // All at once: the shared renderer's pool takes two at a time.
    await Promise.all(
      names.map(async (name) => {
        const kind = kindOf(name);
        const vm = { ...samples[name], signature: { signerImage, sealImage, signedAt: "2027-01-10T09:15:00+07:00" } };
        const html = templates.render(kind, vm as never, { draft: false, issued });
        const meta = { margins: vm.org.margins, metadata: templates.metadata(kind, vm as never) };
        pdfs.set(name, await renderer.render(html, meta));
      }),
    );
  });

  it("has a sample for every kind", () => {
    const kinds: PlanDocumentKind[] = ["planSubmission", "planExecutionReport", "costEstimate", "feeSettlement"];
    expect([...new Set(names.map(kindOf))].sort()).to.deep.equal(kinds.sort());
  });

  for (const name of names) {
    it(`renders ${name} on A4 in embedded Tinos with the header, number, date, signature and page numbers`, async () => {
      const pdf = pdfs.get(name)!;
      const exp = expected[name];
      const [info, fonts, page1, whole] = await Promise.all([
        pdfInfo(pdf),
        pdfFonts(pdf),
        pdfText(pdf, { first: 1, last: 1 }),
        pdfText(pdf),
      ]);
      expect(info["Page size"]).to.match(/^59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
      const pages = Number(info.Pages);
      expect(pages).to.be.at.least(exp.minPages);
      expect(info.Author).to.equal("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Hà Giang");
      expect(info.Title).to.match(/[ạảãáàâấầẩẫậăắằẳẵặđêếềểễệôốồổỗộơớờởỡợưứừửữự]/i);
      expect(fonts.length).to.be.greaterThan(0);
      for (const f of fonts) {
        expect(f.name, f.name).to.match(/Tinos/);
        expect(f.embedded, `${f.name} embedded`).to.equal(true);
      }
      const all = squash(whole);
      for (const line of [
        "LIÊN HIỆP CÁC HỘI KH&KT VIỆT NAM",
        "LIÊN HIỆP CÁC HỘI KHOA HỌC",
        "VÀ KỸ THUẬT TỈNH HÀ GIANG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        `Hà Giang, ${exp.date}`,
      ]) {
        expect(page1, line).to.include(line);
      }
      if (exp.number) expect(page1).to.include(exp.number);
      else expect(page1).to.not.match(/Số:/);
      for (const line of exp.signer) expect(all, line).to.include(line);
      if (exp.recipients) {
        expect(all).to.include("Nơi nhận:");
        expect(all).to.include("- Lưu: VT, TVPB.");
      } else expect(all).to.not.include("Nơi nhận:");
      expect(all).to.include("Mã xác thực: K7QX-3MPD-9A");
      expect(all).to.include("Ký số: 2027-01-10T09:15:00+07:00");
      const heads = firstLines(whole);
      expect(heads[0]).to.not.match(/^\d+$/);
      for (let p = 2; p <= pages; p++) expect(heads[p - 1], `page ${p}`).to.equal(String(p));
    });
  }

  it("submits the list to UBND tỉnh with a Tờ trình and the list as its annex, totals in figures and words", async () => {
    const text = squash(await pdfText(pdfs.get("planSubmission")!));
    expect(text).to.include(
      "TỜ TRÌNH Về việc đề nghị phê duyệt Danh mục nhiệm vụ tư vấn, phản biện và giám định xã hội năm 2027",
    );
    expect(text).to.include("Kính gửi: Ủy ban nhân dân tỉnh Hà Giang.");
    expect(text).to.include("- Như trên;");
    expect(text).to.include("Trên cơ sở 09 đề xuất nhận được");
    expect(text).to.include(
      "Danh mục gồm 06 nhiệm vụ (02 nhiệm vụ tư vấn, 02 nhiệm vụ phản biện, 02 nhiệm vụ giám định xã hội)",
    );
    expect(text).to.include(
      "Tổng kinh phí dự kiến: 237.500.000 đồng (Bằng chữ: Hai trăm ba mươi bảy triệu năm trăm nghìn đồng).",
    );
    expect(text).to.include("PHỤ LỤC DANH MỤC NHIỆM VỤ TƯ VẤN, PHẢN BIỆN VÀ GIÁM ĐỊNH XÃ HỘI NĂM 2027");
    expect(text).to.include(
      "(Kèm theo Tờ trình số 05/TTr-LHH ngày 20/11/2026 của Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Hà Giang)",
    );
    expect(text).to.match(/Tổng cộng 237\.500\.000/);
    expect(text).to.include("Quý III");
  });

  it("submits an amendment with the decision in force, grouped changes and the new total", async () => {
    const text = squash(await pdfText(pdfs.get("planAmendment")!));
    expect(text).to.include(
      "Về việc đề nghị điều chỉnh, bổ sung Danh mục nhiệm vụ tư vấn, phản biện và giám định xã hội năm 2027",
    );
    expect(text).to.include("phê duyệt tại Quyết định số 245/QĐ-UBND ngày 15/01/2027.");
    expect(text).to.include("bổ sung 01 nhiệm vụ; điều chỉnh 01 nhiệm vụ; đưa ra khỏi danh mục 01 nhiệm vụ");
    for (const heading of ["I. NHIỆM VỤ BỔ SUNG", "II. NHIỆM VỤ ĐIỀU CHỈNH", "III. NHIỆM VỤ ĐƯA RA KHỎI DANH MỤC"]) {
      expect(text).to.include(heading);
    }
    expect(text).to.include("Bằng chữ: Một trăm bảy mươi bảy triệu năm trăm nghìn đồng.");
  });

  it("reports the year: planned vs done vs carried over, approved vs spent", async () => {
    const text = squash(await pdfText(pdfs.get("planExecutionReport")!));
    expect(text).to.include(
      "BÁO CÁO Kết quả thực hiện Danh mục nhiệm vụ tư vấn, phản biện và giám định xã hội năm 2027",
    );
    expect(text).to.include("Quyết định số 245/QĐ-UBND ngày 15/01/2027 và Quyết định số 1020/QĐ-UBND ngày 20/06/2027");
    expect(text).to.match(/05 03 02 01/);
    expect(text).to.match(/Tổng cộng 157\.500\.000 24\.900\.000 132\.600\.000/);
    expect(text).to.include(
      "Tổng kinh phí đã chi: 24.900.000 đồng (Bằng chữ: Hai mươi bốn triệu chín trăm nghìn đồng)",
    );
  });

  it("prints the estimate with its lines, the adjustment's reason and Bằng chữ", async () => {
    const text = squash(await pdfText(pdfs.get("costEstimate")!));
    expect(text).to.include("DỰ TOÁN KINH PHÍ Phản biện Đề án phát triển cây dược liệu");
    expect(text).to.match(/Đại biểu tham dự hội thảo người\/buổi 40 150\.000 6\.000\.000/);
    expect(text).to.match(/Cộng 28\.150\.000/);
    const raw = squash(await pdfText(pdfs.get("costEstimate")!, { mode: "raw" }));
    expect(raw).to.include(
      "Điều chỉnh: Thuê xe khảo sát thực địa (lý do: Khảo sát vùng trồng dược liệu tại 2 xã, 2 ngày)",
    );
    expect(text).to.match(/Tổng cộng 30\.000\.000/);
    expect(text).to.include("Bằng chữ: Ba mươi triệu đồng.");
    expect(text).to.include("Căn cứ lập dự toán: Nghị quyết số 09/2025/NQ-HĐND");
  });

  it("prints the settlement with a line per expert to sign and the total in words", async () => {
    const text = squash(await pdfText(pdfs.get("feeSettlement")!));
    expect(text).to.include("BẢNG KÊ CHI THÙ LAO CHUYÊN GIA");
    expect(text).to.include("Ký nhận");
    expect(text).to.match(/PGS\.TS\. Nguyễn Thị .*2\.900\.000 240\.000 2\.660\.000/);
    expect(text).to.match(/Tổng cộng 9\.400\.000 240\.000 9\.160\.000/);
    expect(text).to.include("Tổng số tiền bằng chữ: Chín triệu bốn trăm nghìn đồng.");
    expect(text).to.include("Kèm theo chứng từ số: PC-2027-015, PC-2027-021.");
  });

  it("renders a draft Tờ trình with a blank number and date and DỰ THẢO, unsigned", async function () {
    this.timeout(60_000);
    const vm = {
      ...samples.planSubmission,
      signature: { signerImage, sealImage, signedAt: "2027-01-10T09:15:00+07:00" },
    };
    const pdf = await sharedRenderer().render(documentTemplates().render("planSubmission", vm, { draft: true }), {
      margins: vm.org.margins,
    });
    const page1 = await pdfText(pdf, { first: 1, last: 1 });
    expect(page1).to.match(/Số:\s+\/TTr-LHH/);
    expect(page1).to.match(/Hà Giang, ngày\s+tháng\s+năm 2026/);
    const pages = Number((await pdfInfo(pdf)).Pages);
    // The diagonal watermark comes out one glyph per line; drop whitespace to read it.
    const raws = await Promise.all(
      Array.from({ length: pages }, (_, i) => pdfText(pdf, { first: i + 1, last: i + 1, mode: "raw" })),
    );
    expect(raws).to.have.length.above(0);
    raws.forEach((raw, i) => expect(raw.replace(/\s+/g, ""), `page ${i + 1}`).to.include("DỰTHẢO"));
    const all = await pdfText(pdf);
    expect(all).to.not.include("Ký số:");
    expect(all).to.not.include("Mã xác thực");
  });

  it("refuses to issue a Tờ trình without a number or a date", () => {
    const templates = documentTemplates();
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return (err as { code?: string }).code;
      }
      return "no error";
    };
    expect(
      code(() => templates.render("planSubmission", { ...samples.planSubmission, number: null }, { draft: false })),
    ).to.equal("missing_document_number");
    expect(
      code(() => templates.render("costEstimate", { ...samples.costEstimate, date: null }, { draft: false })),
    ).to.equal("missing_document_date");
    expect(
      code(() =>
        templates.render("feeSettlement", { ...samples.feeSettlement, signerRole: "nobody" }, { draft: false }),
      ),
    ).to.equal("unknown_signer");
  });
});
