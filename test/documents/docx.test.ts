import { inflateRawSync } from "node:zlib";
import { expect } from "chai";
import { reportToDocx } from "../../server/documents/docx.js";
import { samples } from "../support/documents.js";

/** Reads one entry of a zip file (enough of the format for a .docx: stored or deflated). */
function readZipEntry(zip: Buffer, name: string): string | null {
  // End of central directory: signature 0x06054b50 within the last 64 KiB.
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error("not a zip file");
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error("bad central directory");
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const entry = zip.subarray(at + 46, at + 46 + nameLen).toString("utf8");
    if (entry === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString("utf8");
    }
    at += 46 + nameLen + extraLen + commentLen;
  }
  return null;
}

describe("documents/docx", () => {
  it("exports the draft final report as a .docx with the same sections, in Vietnamese, on A4 in Times New Roman", async () => {
    const docx = await reportToDocx(samples.finalReport);
    expect(docx.subarray(0, 2).toString("ascii")).to.equal("PK");
    const xml = readZipEntry(docx, "word/document.xml");
    expect(xml, "word/document.xml").to.be.a("string");
    const text = xml!.replace(/<[^>]+>/g, "");
    for (const s of [
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
      "Độc lập - Tự do - Hạnh phúc",
      "LIÊN HIỆP CÁC HỘI KHOA HỌC",
      "Số:      /BC-LHH",
      "DỰ THẢO",
      "Kết quả phản biện Đề án phát triển cây dược liệu tỉnh Hà Giang giai đoạn 2026–2030, định hướng 2035",
      "I. THÔNG TIN CHUNG",
      "II. ĐÁNH GIÁ CHUNG",
      "III. Ý KIẾN CỤ THỂ",
      "IV. KẾT LUẬN VÀ KIẾN NGHỊ",
      "1. Điều chỉnh chỉ tiêu diện tích",
      "6. Bổ sung danh mục doanh nghiệp",
      "PHỤ LỤC I",
      "PHỤ LỤC II",
      "PHỤ LỤC III",
      "PGS.TS. Nguyễn Thị Phương Thảo",
      "Nơi nhận:",
      "- Lưu: VT, TVPB.",
    ]) {
      expect(text).to.include(s);
    }
    expect(xml).to.include('w:w="11906"'); // A4 width in twips
    expect(xml).to.include('w:left="1701"'); // 30 mm
    expect(xml).to.include("<w:titlePg/>"); // no page number on page 1
    expect(xml!.match(/<w:tbl>/g)!.length).to.equal(4); // header, signature, panel list, comment matrix
    const styles = readZipEntry(docx, "word/styles.xml")!;
    expect(styles).to.include("Times New Roman");
    expect(styles).to.include('w:val="28"'); // 14 pt
  });

  it("prints the number and date once the report is issued", async () => {
    const docx = await reportToDocx(samples.finalReport, { draft: false });
    const text = readZipEntry(docx, "word/document.xml")!.replace(/<[^>]+>/g, "");
    expect(text).to.include("Số: 07/BC-LHH");
    expect(text).to.include("Hà Giang, ngày 10 tháng 02 năm 2026");
    expect(text).to.not.include("DỰ THẢO");
  });
});
