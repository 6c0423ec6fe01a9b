import { expect } from "chai";
import { DOCUMENT_KINDS, type DocumentKind } from "../../server/documents/types.js";
import { qrDataUrl } from "../../server/documents/verification.js";
import {
  documentTemplates,
  issuedInfo,
  pdfFonts,
  pdfInfo,
  pdfText,
  samples,
  sealImage,
  sharedRenderer,
  signerImage,
  squash,
} from "../support/documents.js";

/** What each issued sample must show: its number line, date line, signer and minimum length. */
const expected: Record<
  DocumentKind,
  { number: string | null; date: string; signer: string[]; minPages: number; recipients: boolean; letter: boolean }
> = {
  requestDocuments: {
    number: "Số: 03/LHH-TVPB",
    date: "ngày 07 tháng 01 năm 2026",
    signer: ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Đức Hưởng"],
    minPages: 1,
    recipients: true,
    letter: true,
  },
  declineLetter: {
    number: "Số: 04/LHH-TVPB",
    date: "ngày 08 tháng 01 năm 2026",
    signer: ["KT. CHỦ TỊCH", "Nguyễn Đức Hưởng"],
    minPages: 1,
    recipients: true,
    letter: true,
  },
  acceptanceLetter: {
    number: "Số: 09/LHH-TVPB",
    date: "ngày 09 tháng 01 năm 2026",
    signer: ["KT. CHỦ TỊCH", "Nguyễn Đức Hưởng"],
    minPages: 2,
    recipients: true,
    letter: true,
  },
  panelDecision: {
    number: "Số: 05/QĐ-LHH",
    date: "ngày 12 tháng 01 năm 2026",
    signer: ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Vương Ngọc Hà"],
    minPages: 2,
    recipients: true,
    letter: false,
  },
  expertInvitation: {
    number: "Số: 11/LHH-TVPB",
    date: "ngày 10 tháng 01 năm 2026",
    signer: ["PHÓ CHỦ TỊCH", "Nguyễn Đức Hưởng"],
    minPages: 1,
    recipients: true,
    letter: true,
  },
  meetingInvitation: {
    number: "Số: 02/GM-LHH",
    date: "ngày 26 tháng 01 năm 2026",
    signer: ["Nguyễn Đức Hưởng"],
    minPages: 1,
    recipients: true,
    letter: false,
  },
  expertOpinion: {
    number: null,
    date: "ngày 27 tháng 01 năm 2026",
    signer: ["NGƯỜI NHẬN XÉT", "PGS.TS. Trần Đức Thắng"],
    minPages: 2,
    recipients: false,
    letter: false,
  },
  minutes: {
    number: "Số: 01/BB-LHH",
    date: "ngày 30 tháng 01 năm 2026",
    signer: ["THƯ KÝ", "CHỦ TỊCH HỘI ĐỒNG", "PGS.TS. Nguyễn Thị Phương Thảo"],
    minPages: 2,
    recipients: false,
    letter: false,
  },
  finalReport: {
    number: "Số: 07/BC-LHH",
    date: "ngày 10 tháng 02 năm 2026",
    signer: ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Đức Hưởng"],
    minPages: 5,
    recipients: true,
    letter: false,
  },
  coverLetter: {
    number: "Số: 37/LHH-TVPB",
    date: "ngày 10 tháng 02 năm 2026",
    signer: ["KT. CHỦ TỊCH", "Nguyễn Đức Hưởng"],
    minPages: 1,
    recipients: true,
    letter: true,
  },
  responseReminder: {
    number: "Số: 52/LHH-TVPB",
    date: "ngày 16 tháng 03 năm 2026",
    signer: ["Nguyễn Đức Hưởng"],
    minPages: 1,
    recipients: true,
    letter: true,
  },
  activityReport: {
    number: "Số: 15/BC-LHH",
    date: "ngày 06 tháng 04 năm 2026",
    signer: ["TM. BAN THƯỜNG VỤ", "Vương Ngọc Hà"],
    minPages: 2,
    recipients: true,
    letter: false,
  },
  planSubmission: {
    number: "Số: 05/TTr-LHH",
    date: "ngày 20 tháng 11 năm 2026",
    signer: ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Vương Ngọc Hà"],
    minPages: 2,
    recipients: true,
    letter: false,
  },
  planExecutionReport: {
    number: "Số: 21/BC-LHH",
    date: "ngày 28 tháng 12 năm 2027",
    signer: ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH", "Vương Ngọc Hà"],
    minPages: 2,
    recipients: true,
    letter: false,
  },
  costEstimate: {
    number: null,
    date: "ngày 05 tháng 03 năm 2027",
    signer: ["NGƯỜI LẬP BIỂU", "KẾ TOÁN", "KT. CHỦ TỊCH", "Nguyễn Đức Hưởng"],
    minPages: 1,
    recipients: false,
    letter: false,
  },
  feeSettlement: {
    number: null,
    date: "ngày 25 tháng 05 năm 2027",
    signer: ["NGƯỜI LẬP BIỂU", "KẾ TOÁN", "KT. CHỦ TỊCH", "Nguyễn Đức Hưởng"],
    minPages: 1,
    recipients: false,
    letter: false,
  },
};

/** Splits pdftotext output into pages (form feeds) and returns each page's first non-blank line. */
function firstLines(text: string): string[] {
  return text
    .split("\f")
    .filter((p, i, all) => i < all.length - 1 || p.trim())
    .map(
      (p) =>
        p
          .split("\n")
          .find((l) => l.trim())
          ?.trim() ?? "",
    );
}

async function assertOnlyTinos(pdf: Buffer): Promise<void> {
  const fonts = await pdfFonts(pdf);
  expect(fonts.length).to.be.greaterThan(0);
  for (const f of fonts) {
    expect(f.name, `font ${f.name}`).to.match(/^[A-Z]{6}\+Tinos-(Regular|Bold|Italic|BoldItalic)$/);
    expect(f.embedded, `font ${f.name} embedded`).to.equal(true);
    expect(f.name).to.not.match(/Liberation|DejaVu|Times|Arial|Helvetica/i);
  }
}

describe("documents: every document type rendered to PDF", function () {
  const pdfs = new Map<DocumentKind, Buffer>();

  before(async function () {
    const templates = documentTemplates();
    const renderer = sharedRenderer();
    const issued = issuedInfo(await qrDataUrl("https://tvpb.lhhhagiang.vn/verify/K7QX3MPD9A"));
    await Promise.all(
      DOCUMENT_KINDS.map(async (kind) => {
        const vm = { ...samples[kind], signature: { signerImage, sealImage, signedAt: "2026-02-10T09:15:00+07:00" } };
        // Linked fonts, as the document service renders an issue (answered by the renderer).
        const html = templates.render(kind, vm, { draft: false, issued, fonts: "linked" });
        pdfs.set(
          kind,
          await renderer.render(html, { margins: vm.org.margins, metadata: templates.metadata(kind, vm) }),
        );
      }),
    );
  });

  for (const kind of DOCUMENT_KINDS) {
    it(`renders ${kind} on A4 in embedded Tinos with the Decree 30 header, number, date and signature`, async () => {
      const pdf = pdfs.get(kind)!;
      const exp = expected[kind];
      const info = await pdfInfo(pdf);
      expect(info["Page size"]).to.match(/^59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
      const pages = Number(info.Pages);
      expect(pages).to.be.at.least(exp.minPages);
      expect(info.Title).to.match(/[ạảãáàâấầẩẫậăắằẳẵặđêếềểễệôốồổỗộơớờởỡợưứừửữự]/i);
      expect(info.Author).to.equal("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Hà Giang");
      await assertOnlyTinos(pdf);

      const page1 = await pdfText(pdf, { first: 1, last: 1 });
      const all = squash(await pdfText(pdf));
      expect(page1).to.include("LIÊN HIỆP CÁC HỘI KHOA HỌC");
      expect(page1).to.include("VÀ KỸ THUẬT TỈNH HÀ GIANG");
      expect(page1).to.include("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
      expect(page1).to.include("Độc lập - Tự do - Hạnh phúc");
      expect(page1).to.include(`Hà Giang, ${exp.date}`);
      if (exp.number) expect(page1).to.include(exp.number);
      else expect(page1).to.not.match(/Số:/);
      if (kind !== "expertOpinion") expect(page1).to.include("LIÊN HIỆP CÁC HỘI KH&KT VIỆT NAM");
      if (exp.letter) {
        expect(squash(page1)).to.match(/V\/v \S/);
        expect(page1).to.include("Kính gửi:");
      }
      for (const line of exp.signer) expect(all).to.include(line);
      if (exp.recipients) {
        expect(all).to.include("Nơi nhận:");
        expect(all).to.include("- Lưu: VT, TVPB.");
      }
      // Issued: the signing time and the verification code are printed.
      expect(all).to.include("Mã xác thực: K7QX-3MPD-9A");

      // Page numbers: none on page 1, "2", "3"… at the top of the following pages.
      const heads = firstLines(await pdfText(pdf));
      expect(heads[0]).to.not.match(/^\d+$/);
      for (let p = 2; p <= pages; p++) expect(heads[p - 1], `page ${p}`).to.equal(String(p));
    });
  }

  it("breaks the long final report over several pages with its annexes and numbered recommendations", async () => {
    const pdf = pdfs.get("finalReport")!;
    const text = squash(await pdfText(pdf));
    for (const heading of [
      "I. THÔNG TIN CHUNG",
      "II. ĐÁNH GIÁ CHUNG",
      "III. Ý KIẾN CỤ THỂ",
      "IV. KẾT LUẬN VÀ KIẾN NGHỊ",
      "PHỤ LỤC I",
      "PHỤ LỤC II",
      "PHỤ LỤC III",
    ]) {
      expect(text).to.include(heading);
    }
    expect(text).to.include("BÁO CÁO Kết quả phản biện Đề án phát triển cây dược liệu tỉnh Hà Giang");
    expect(text).to.include("Quyết định số 14/2014/QĐ-TTg");
    expect(text).to.include("Văn bản số 125/UBND-KTTH ngày 05/01/2026 của UBND tỉnh Hà Giang");
    expect(text).to.include("Quyết định số 05/QĐ-LHH ngày 12/01/2026");
    expect(text).to.include("07/07 bản nhận xét");
    expect(text).to.match(/1\. Điều chỉnh chỉ tiêu diện tích.*6\. Bổ sung danh mục doanh nghiệp/);
    expect(text).to.include("PGS.TS. Nguyễn Thị Phương Thảo");
    expect(text).to.include("Ký số: 2026-02-10T09:15:00+07:00");
  });

  it("puts the cost estimate with Vietnamese money formatting in the acceptance letter", async () => {
    const text = squash(await pdfText(pdfs.get("acceptanceLetter")!));
    expect(text).to.include("6.500.000");
    expect(text).to.include("Tổng cộng 27.550.000");
    expect(text).to.include("Tổng kinh phí dự kiến: 27.550.000 đồng");
  });

  it("reports the year's list in the activity report: planned vs done vs carried over, approved vs spent", async () => {
    const text = squash(await pdfText(pdfs.get("activityReport")!));
    expect(text).to.include("3. Thực hiện Danh mục nhiệm vụ tư vấn, phản biện và giám định xã hội năm 2026");
    expect(text).to.match(/phê duyệt tại Quyết định số 2345\/QĐ-\s?UBND ngày 20\/12\/2025\./);
    expect(text).to.match(/06 01 02 03 00 01/);
    expect(text).to.include("4. Kinh phí thực hiện Danh mục");
    expect(text).to.match(/237\.500\.000 24\.900\.000 212\.600\.000/);
    expect(text).to.include(
      "Kinh phí đã chi đến hết quý I năm 2026: 24.900.000 đồng (Bằng chữ: Hai mươi bốn triệu chín trăm nghìn đồng).",
    );
  });

  it("quotes the order's number and date in the cover letter", async () => {
    const text = squash(await pdfText(pdfs.get("coverLetter")!));
    expect(text).to.match(/Văn bản số 125\/UBND-\s?KTTH ngày 05\/01\/2026/);
    expect(text).to.include("Báo cáo số 07/BC-LHH ngày 10/02/2026");
  });

  it("renders drafts with a blank number, blank day and month, no signature and DỰ THẢO on every page", async () => {
    const templates = documentTemplates();
    const renderer = sharedRenderer();
    for (const kind of ["finalReport", "coverLetter"] as const) {
      const vm = { ...samples[kind], signature: { signerImage, sealImage, signedAt: "2026-02-10T09:15:00+07:00" } };
      const pdf = await renderer.render(templates.render(kind, vm, { draft: true }), { margins: vm.org.margins });
      await assertOnlyTinos(pdf);
      const page1 = await pdfText(pdf, { first: 1, last: 1 });
      const symbol = kind === "finalReport" ? "BC-LHH" : "LHH-TVPB";
      expect(page1).to.match(new RegExp(`Số:\\s+/${symbol}`));
      expect(page1).to.not.match(/Số: \d/);
      expect(page1).to.match(/Hà Giang, ngày\s+tháng\s+năm 2026/);
      const whole = await pdfText(pdf);
      expect(whole).to.not.include("Ký số:");
      expect(whole).to.not.include("Mã xác thực");
      const pages = Number((await pdfInfo(pdf)).Pages);
      for (let p = 1; p <= pages; p++) {
        // The diagonal watermark comes out one glyph per line; drop whitespace to read it.
        const raw = (await pdfText(pdf, { first: p, last: p, mode: "raw" })).replace(/\s+/g, "");
        expect(raw, `page ${p}`).to.include("DỰTHẢO");
      }
    }
  });
});
