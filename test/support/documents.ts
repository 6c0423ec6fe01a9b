/**
 * Shared helpers for the documents tests: realistic Vietnamese view models, small PNG images for
 * the signature and seal, one shared PDF renderer, and poppler wrappers (pdftotext, pdfinfo,
 * pdffonts, pdfsig) that read the PDFs back.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { deflateSync } from "node:zlib";
import forge from "node-forge";
import { createDocumentTemplates, type DocumentTemplates } from "../../server/documents/templates.js";
import { planSamples } from "./planDocuments.js";
import type {
  DocumentKind,
  DocumentModels,
  IssuedInfo,
  OrgProfile,
  PanelMember,
  SubjectInfo,
} from "../../server/documents/types.js";

export { closeSharedRenderer, sharedRenderer } from "./sharedRenderer.js";

const run = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// Images: a tiny PNG encoder so the tests need no image library.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encodes an RGBA image; `alpha(x, y)` in 0..1 gives coverage of the single ink colour. */
export function encodePng(
  width: number,
  height: number,
  rgb: [number, number, number],
  alpha: (x: number, y: number) => number,
): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      const a = Math.max(0, Math.min(1, alpha(x, y)));
      const o = row + 1 + x * 4;
      raw[o] = rgb[0];
      raw[o + 1] = rgb[1];
      raw[o + 2] = rgb[2];
      raw[o + 3] = Math.round(a * 255);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

function dataUrl(png: Buffer): string {
  return `data:image/png;base64,${png.toString("base64")}`;
}

/** A blue handwritten-looking stroke on a transparent background. */
export const signerImage = dataUrl(
  (() => {
    const pts: Array<[number, number]> = [];
    for (let t = 0; t <= 1; t += 0.002) {
      const x = 20 + 300 * t;
      const y = 75 + 32 * Math.sin(t * 14) * Math.cos(t * 3) - 20 * t;
      pts.push([x, y]);
    }
    for (let t = 0; t <= 1; t += 0.004) pts.push([60 + 220 * t, 115 - 6 * Math.sin(t * 6)]);
    return encodePng(340, 140, [18, 38, 160], (x, y) => {
      let best = Infinity;
      for (const [px, py] of pts) best = Math.min(best, (px - x) ** 2 + (py - y) ** 2);
      return 4.6 - Math.sqrt(best);
    });
  })(),
);

/** A red round seal (two rings and a star) on a transparent background. */
export const sealImage = dataUrl(
  encodePng(220, 220, [210, 20, 25], (x, y) => {
    const dx = x - 110;
    const dy = y - 110;
    const r = Math.sqrt(dx * dx + dy * dy);
    const ring = (radius: number, w: number) => w / 2 + 0.8 - Math.abs(r - radius);
    const angle = Math.atan2(dy, dx) + Math.PI / 2;
    const star = 26 + 16 * Math.cos(5 * angle);
    const inStar = r < star ? 1 : 0;
    const ticks = r > 62 && r < 88 && Math.abs(Math.sin(angle * 18)) < 0.35 ? 0.9 : 0;
    return Math.max(ring(104, 7), ring(94, 3), ring(58, 3), inStar, ticks);
  }),
);

// ---------------------------------------------------------------------------------------------
// Realistic view models.

export const org: OrgProfile = {
  parentBody: "LIÊN HIỆP CÁC HỘI KH&KT VIỆT NAM",
  issuerName: "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH HÀ GIANG",
  issuerNameLines: ["LIÊN HIỆP CÁC HỘI KHOA HỌC", "VÀ KỸ THUẬT TỈNH HÀ GIANG"],
  displayName: "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Hà Giang",
  shortName: "Liên hiệp hội",
  issuerAbbr: "LHH",
  unitAbbr: "TVPB",
  unitName: "Ban Tư vấn, phản biện và giám định xã hội",
  place: "Hà Giang",
  province: "Hà Giang",
  provincialRegulation:
    "Quyết định số 19/2021/QĐ-UBND ngày 28/7/2021 của UBND tỉnh Hà Giang ban hành Quy chế phối hợp tổ chức hoạt " +
    "động tư vấn, phản biện và giám định xã hội",
  address: "Số 338 đường Nguyễn Trãi, phường Nguyễn Trãi, thành phố Hà Giang",
  phone: "0219 3866 552",
  email: "lienhiephoi@hagiang.gov.vn",
  signers: {
    default: { authority: { prefix: "KT.", of: "CHỦ TỊCH" }, title: "PHÓ CHỦ TỊCH", name: "Nguyễn Đức Hưởng" },
    chairman: { authority: { prefix: "TM.", of: "BAN THƯỜNG VỤ" }, title: "CHỦ TỊCH", name: "Vương Ngọc Hà" },
  },
  sealImage,
  margins: { top: 20, bottom: 20, left: 30, right: 15 },
};

const subject: SubjectInfo = {
  type: "critique",
  title: "Đề án phát triển cây dược liệu tỉnh Hà Giang giai đoạn 2026–2030, định hướng 2035",
  orderingAgency: "UBND tỉnh Hà Giang",
  draftingAgency: "Sở Nông nghiệp và Môi trường",
};

const order = {
  number: "125/UBND-KTTH",
  date: "2026-01-05T09:00:00+07:00",
  issuer: "UBND tỉnh Hà Giang",
  summary: "về việc đề nghị phản biện xã hội Đề án phát triển cây dược liệu",
};

export const members: PanelMember[] = [
  {
    name: "PGS.TS. Nguyễn Thị Phương Thảo",
    workplace: "Phó Hiệu trưởng, Trường Đại học Nông Lâm – Đại học Thái Nguyên",
    role: "chair",
    field: "Khoa học cây trồng",
  },
  {
    name: "TS. Hoàng Văn Quyết",
    workplace: "Phó Chủ tịch Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Hà Giang",
    role: "viceChair",
    field: "Kinh tế nông nghiệp",
  },
  {
    name: "ThS. Lò Thị Hương Giang",
    workplace: "Trưởng Ban Tư vấn, phản biện và giám định xã hội, Liên hiệp hội",
    role: "secretary",
  },
  { name: "PGS.TS. Trần Đức Thắng", workplace: "Viện Dược liệu, Bộ Y tế", role: "reviewer", field: "Dược liệu học" },
  {
    name: "TS. Vàng Seo Dìn",
    workplace: "Chủ tịch Hội Đông y tỉnh Hà Giang",
    role: "reviewer",
    field: "Y học cổ truyền",
  },
  {
    name: "TS. Phạm Thị Ngọc Ánh",
    workplace: "Hội Khoa học Kinh tế tỉnh Hà Giang",
    role: "member",
    field: "Kinh tế phát triển",
  },
  { name: "ThS. Nông Quốc Việt", workplace: "Hội Luật gia tỉnh Hà Giang", role: "member", field: "Luật hành chính" },
];

const recipientsToAgency = [
  "Thường trực Tỉnh ủy (để b/c)",
  "Thường trực HĐND tỉnh (để b/c)",
  "Sở Nông nghiệp và Môi trường",
  "Thường trực Liên hiệp hội",
];

/** Repeats a paragraph pattern to force page breaks. */
function many<T>(n: number, f: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => f(i + 1));
}

export const samples: { [K in DocumentKind]: DocumentModels[K] } = {
  requestDocuments: {
    org,
    number: 3,
    date: "2026-01-07T08:00:00+07:00",
    summary: "đề nghị bổ sung hồ sơ Đề án phát triển cây dược liệu",
    addressees: ["Ủy ban nhân dân tỉnh Hà Giang"],
    recipients: ["Sở Nông nghiệp và Môi trường", "Lãnh đạo Liên hiệp hội"],
    subject,
    order,
    missingDocuments: [
      "Tờ trình của Sở Nông nghiệp và Môi trường đề nghị phê duyệt Đề án",
      "Báo cáo đánh giá tác động kinh tế – xã hội và môi trường của Đề án",
      "Bản tổng hợp, giải trình, tiếp thu ý kiến góp ý của các sở, ngành, UBND các huyện",
      "Số liệu hiện trạng diện tích, sản lượng cây dược liệu giai đoạn 2021–2025 theo từng huyện",
    ],
    dueDate: "2026-01-14T17:00:00+07:00",
    contact: "bà Lò Thị Hương Giang, Trưởng Ban TVPB&GĐXH, điện thoại 0915 226 318",
  },
  declineLetter: {
    org,
    number: 4,
    date: "2026-01-08T08:00:00+07:00",
    summary: "không tiếp nhận nhiệm vụ giám định dự án hồ chứa nước Nậm Ngặt",
    addressees: ["Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp tỉnh Hà Giang"],
    recipients: ["UBND tỉnh (để b/c)"],
    subject: {
      ...subject,
      type: "assessment",
      title: "Báo cáo nghiên cứu khả thi dự án hồ chứa nước Nậm Ngặt, huyện Quản Bạ",
    },
    order: {
      number: "18/BQLDA-KT",
      date: "2025-12-29T09:00:00+07:00",
      issuer: "Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp tỉnh",
    },
    reasons: [
      "Nội dung đề nghị là thẩm định thiết kế kỹ thuật công trình thủy lợi, thuộc thẩm quyền của cơ quan chuyên " +
        "môn về xây dựng theo Luật Xây dựng, không thuộc phạm vi giám định xã hội theo Quyết định số 14/2014/QĐ-TTg",
      "Liên hiệp hội hiện không có chuyên gia về địa kỹ thuật đập đủ điều kiện tham gia trong thời hạn đề nghị " +
        "(10 ngày)",
    ],
    suggestion:
      "Liên hiệp hội sẵn sàng phản biện xã hội phương án bồi thường, hỗ trợ tái định cư cho 250 hộ dân bị ảnh " +
      "hưởng khi có đề nghị.",
  },
  acceptanceLetter: {
    org,
    number: 9,
    date: "2026-01-09T08:00:00+07:00",
    summary: "tiếp nhận nhiệm vụ phản biện xã hội Đề án phát triển cây dược liệu",
    addressees: ["Ủy ban nhân dân tỉnh Hà Giang"],
    recipients: ["Sở Nông nghiệp và Môi trường", "Sở Tài chính"],
    subject,
    order,
    form: "Hội đồng phản biện kết hợp hội thảo khoa học",
    plan: [
      {
        step: "Thành lập Hội đồng phản biện, gửi hồ sơ đến các thành viên",
        time: "12/01/2026 – 14/01/2026",
        responsible: "Ban TVPB&GĐXH",
      },
      {
        step: "Các thành viên nghiên cứu hồ sơ, viết bản nhận xét",
        time: "14/01/2026 – 28/01/2026",
        responsible: "Thành viên Hội đồng",
      },
      {
        step: "Khảo sát thực tế vùng trồng dược liệu tại Quản Bạ, Hoàng Su Phì",
        time: "20/01/2026 – 22/01/2026",
        responsible: "Hội đồng, Sở Nông nghiệp và Môi trường",
      },
      { step: "Hội thảo khoa học lấy ý kiến chuyên gia", time: "30/01/2026", responsible: "Liên hiệp hội" },
      {
        step: "Tổng hợp, hoàn thiện báo cáo kết quả phản biện",
        time: "02/02/2026 – 06/02/2026",
        responsible: "Thư ký khoa học, Ban TVPB&GĐXH",
      },
      {
        step: "Gửi báo cáo kết quả phản biện đến UBND tỉnh",
        time: "trước 13/02/2026",
        responsible: "Văn phòng Liên hiệp hội",
      },
    ],
    costItems: [
      { item: "Chủ tịch Hội đồng chủ trì họp", unit: "buổi", quantity: 1, unitPrice: 1_500_000 },
      { item: "Bản nhận xét của ủy viên phản biện", unit: "bản", quantity: 2, unitPrice: 2_000_000 },
      { item: "Bản nhận xét của ủy viên Hội đồng", unit: "bản", quantity: 4, unitPrice: 1_250_000 },
      { item: "Thư ký khoa học tổng hợp báo cáo", unit: "báo cáo", quantity: 1, unitPrice: 1_800_000 },
      { item: "Hội thảo khoa học (hội trường, tài liệu, nước uống)", unit: "cuộc", quantity: 1, unitPrice: 6_500_000 },
      { item: "Khảo sát thực tế (xăng xe, công tác phí)", unit: "đợt", quantity: 1, unitPrice: 8_750_000 },
    ],
    costBasis: "Thông tư số 11/2015/TT-BTC ngày 29/01/2015 của Bộ Tài chính",
    resultDueDate: "2026-02-13T17:00:00+07:00",
    contact: "bà Lò Thị Hương Giang, điện thoại 0915 226 318",
  },
  panelDecision: {
    org,
    number: 5,
    date: "2026-01-12T08:00:00+07:00",
    signerRole: "chairman",
    recipients: ["Như Điều 4", "UBND tỉnh (để b/c)", "Sở Nông nghiệp và Môi trường"],
    asAbove: false,
    subject,
    panelKind: "council",
    decider: "BAN THƯỜNG VỤ LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH HÀ GIANG",
    bases: [
      "Quyết định số 14/2014/QĐ-TTg ngày 14/02/2014 của Thủ tướng Chính phủ về hoạt động tư vấn, phản biện và " +
        "giám định xã hội của Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
      "Quyết định số 19/2021/QĐ-UBND ngày 28/7/2021 của UBND tỉnh Hà Giang ban hành Quy chế phối hợp tổ chức " +
        "hoạt động tư vấn, phản biện và giám định xã hội",
      "Điều lệ Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Hà Giang",
      "Văn bản số 125/UBND-KTTH ngày 05/01/2026 của UBND tỉnh Hà Giang về việc đề nghị phản biện xã hội Đề án " +
        "phát triển cây dược liệu",
    ],
    proposedBy: "Trưởng Ban Tư vấn, phản biện và giám định xã hội",
    members,
    duties: [
      "Nghiên cứu hồ sơ Đề án, viết bản nhận xét, phản biện theo mẫu",
      "Tham gia khảo sát thực tế và hội thảo khoa học do Liên hiệp hội tổ chức",
      "Thảo luận, thống nhất nội dung báo cáo kết quả phản biện trình Ban Thường vụ",
      "Bảo mật thông tin, tài liệu theo quy định",
    ],
    period: "từ ngày 12/01/2026 đến ngày 13/02/2026",
    implementers: "Chánh Văn phòng, Trưởng Ban Tư vấn, phản biện và giám định xã hội",
  },
  expertInvitation: {
    org,
    number: 11,
    date: "2026-01-10T08:00:00+07:00",
    summary: "mời tham gia Hội đồng phản biện Đề án phát triển cây dược liệu",
    addressees: ["PGS.TS. Nguyễn Thị Phương Thảo, Phó Hiệu trưởng Trường Đại học Nông Lâm – Đại học Thái Nguyên"],
    asAbove: true,
    recipients: ["Ban TVPB&GĐXH"],
    subject,
    expertName: "PGS.TS. Nguyễn Thị Phương Thảo",
    salutation: "Bà",
    role: "chair",
    reviewFrom: "2026-01-14T08:00:00+07:00",
    reviewDue: "2026-01-28T17:00:00+07:00",
    replyBy: "2026-01-12T17:00:00+07:00",
    fee: "theo Thông tư số 11/2015/TT-BTC ngày 29/01/2015 của Bộ Tài chính",
    responseUrl: "https://tvpb.lhhhagiang.vn/moi/K7QX3MPD",
    contact: "bà Lò Thị Hương Giang, điện thoại 0915 226 318",
  },
  meetingInvitation: {
    org,
    number: 2,
    date: "2026-01-26T08:00:00+07:00",
    recipients: ["Như trên", "Lãnh đạo Liên hiệp hội"],
    asAbove: false,
    subject,
    title:
      "Tham dự Hội thảo khoa học phản biện Đề án phát triển cây dược liệu tỉnh Hà Giang giai đoạn 2026–2030, " +
      "định hướng 2035",
    invitees: [
      "Đại diện lãnh đạo UBND tỉnh Hà Giang",
      "Đại diện lãnh đạo Sở Nông nghiệp và Môi trường, Sở Y tế, Sở Khoa học và Công nghệ",
      "Các thành viên Hội đồng phản biện (theo Quyết định số 05/QĐ-LHH ngày 12/01/2026)",
      "Đại diện Hợp tác xã dược liệu Quản Bạ và Công ty cổ phần Dược liệu Hà Giang",
    ],
    startsAt: "2026-01-30T08:00:00+07:00",
    venue:
      "Hội trường tầng 3, trụ sở Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Hà Giang, số 338 đường Nguyễn " +
      "Trãi, thành phố Hà Giang",
    agenda: [
      "Sở Nông nghiệp và Môi trường trình bày tóm tắt Đề án",
      "Các ủy viên phản biện trình bày bản nhận xét",
      "Thảo luận về quy hoạch vùng trồng, liên kết tiêu thụ và nguồn vốn",
      "Chủ tịch Hội đồng kết luận",
    ],
    chairedBy: "PGS.TS. Nguyễn Thị Phương Thảo, Chủ tịch Hội đồng phản biện",
    contact: "bà Lò Thị Hương Giang, điện thoại 0915 226 318",
  },
  expertOpinion: {
    org,
    date: "2026-01-27T16:00:00+07:00",
    subject,
    panelName: "HỘI ĐỒNG PHẢN BIỆN",
    expert: {
      name: "PGS.TS. Trần Đức Thắng",
      degree: "Phó Giáo sư, Tiến sĩ",
      field: "Dược liệu học",
      workplace: "Viện Dược liệu, Bộ Y tế",
      role: "reviewer",
    },
    generalComments: [
      "Đề án được xây dựng công phu, bám sát Quyết định số 1976/QĐ-TTg về quy hoạch phát triển dược liệu và chủ " +
        "trương của Tỉnh ủy về phát triển kinh tế dưới tán rừng. Việc xây dựng Đề án là cần thiết, phù hợp với " +
        "lợi thế khí hậu á nhiệt đới của vùng cao núi đá phía Bắc.",
      "Tuy nhiên, phần đánh giá hiện trạng còn thiếu số liệu theo từng huyện, chưa phân tích rõ nguyên nhân " +
        "diện tích cây thảo quả giảm mạnh giai đoạn 2021–2025; các chỉ tiêu đến năm 2030 chưa có cơ sở tính toán.",
    ],
    specificComments: [
      {
        section: "Mục I.2 – Hiện trạng",
        comment: "Số liệu diện tích năm 2025 (3.850 ha) không khớp với Niên giám thống kê (3.412 ha).",
        suggestion: "Thống nhất nguồn số liệu, ghi rõ nguồn và thời điểm.",
      },
      {
        section: "Mục II.1 – Mục tiêu",
        comment: "Chỉ tiêu 10.000 ha năm 2030 là quá cao so với tốc độ tăng bình quân 4%/năm.",
        suggestion: "Điều chỉnh còn khoảng 6.000–6.500 ha, có lộ trình theo từng năm.",
      },
      {
        section: "Mục III.3 – Giống",
        comment: "Chưa có giải pháp bảo tồn nguồn gen quý (tam thất hoang, hoàng tinh hoa đỏ).",
        suggestion: "Bổ sung nhiệm vụ xây dựng vườn bảo tồn và vườn ươm giống gốc.",
      },
      {
        section: "Mục IV – Kinh phí",
        comment: "Tỷ lệ vốn xã hội hóa 70% chưa có căn cứ.",
        suggestion: "Bổ sung danh mục doanh nghiệp đã cam kết đầu tư.",
      },
    ],
    conclusion: "agreeWithRevisions",
    recommendations: [
      "Rà soát, thống nhất số liệu hiện trạng theo Niên giám thống kê năm 2025.",
      "Điều chỉnh chỉ tiêu diện tích và bổ sung lộ trình thực hiện theo từng năm.",
    ],
    signature: { signerImage, signedAt: "2026-01-27T16:20:00+07:00" },
  },
  minutes: {
    org,
    number: 1,
    date: "2026-01-30T11:45:00+07:00",
    recipients: [],
    subject,
    title:
      "Hội thảo khoa học phản biện Đề án phát triển cây dược liệu tỉnh Hà Giang giai đoạn 2026–2030, định hướng 2035",
    startsAt: "2026-01-30T08:00:00+07:00",
    endsAt: "2026-01-30T11:30:00+07:00",
    venue: "Hội trường tầng 3, trụ sở Liên hiệp hội, số 338 đường Nguyễn Trãi, thành phố Hà Giang",
    chair: "PGS.TS. Nguyễn Thị Phương Thảo, Chủ tịch Hội đồng",
    secretary: "ThS. Lò Thị Hương Giang, Ủy viên thư ký khoa học",
    present: members.map((m) => `${m.name}, ${m.workplace}`),
    absent: [],
    guests: [
      "Ông Hoàng Minh Đức, Phó Giám đốc Sở Nông nghiệp và Môi trường",
      "Bà Sùng Thị Mỷ, Giám đốc Hợp tác xã dược liệu Quản Bạ",
    ],
    proceedings: [
      {
        speaker: "Ông Hoàng Minh Đức",
        content:
          "Trình bày tóm tắt Đề án: mục tiêu đến năm 2030 đạt 10.000 ha cây dược liệu, hình thành 05 vùng trồng " +
          "tập trung đạt tiêu chuẩn GACP-WHO, giá trị sản xuất 1.200 tỷ đồng/năm.",
      },
      {
        speaker: "PGS.TS. Trần Đức Thắng",
        content:
          "Đề nghị rà soát số liệu hiện trạng; chỉ tiêu diện tích năm 2030 quá cao; cần bổ sung giải pháp bảo " +
          "tồn nguồn gen quý.",
      },
      {
        speaker: "TS. Vàng Seo Dìn",
        content:
          "Đề nghị ưu tiên các cây bản địa gắn với tri thức của đồng bào Mông, Dao; bổ sung cơ chế chia sẻ lợi " +
          "ích khi khai thác bài thuốc dân gian.",
      },
      {
        speaker: "Bà Sùng Thị Mỷ",
        content:
          "Hợp tác xã khó tiếp cận vốn vay vì không có tài sản thế chấp; đề nghị tỉnh có chính sách bảo lãnh tín dụng.",
      },
      {
        speaker: "ThS. Nông Quốc Việt",
        content:
          "Một số chính sách hỗ trợ trong Đề án cần được ban hành bằng nghị quyết của HĐND tỉnh mới có cơ sở " +
          "pháp lý để thực hiện.",
      },
    ],
    conclusions: [
      "Hội đồng thống nhất Đề án cần thiết, đủ điều kiện trình sau khi chỉnh sửa, bổ sung.",
      "Thư ký khoa học tổng hợp ý kiến, dự thảo báo cáo kết quả phản biện trước ngày 06/02/2026.",
    ],
    secretarySigner: { title: "THƯ KÝ", name: "ThS. Lò Thị Hương Giang" },
    chairSigner: { title: "CHỦ TỊCH HỘI ĐỒNG", name: "PGS.TS. Nguyễn Thị Phương Thảo" },
  },
  finalReport: {
    org,
    number: 7,
    date: "2026-02-10T08:00:00+07:00",
    recipients: [
      "UBND tỉnh Hà Giang",
      "Thường trực Tỉnh ủy (để b/c)",
      "Liên hiệp các Hội KH&KT Việt Nam (để b/c)",
      "Sở Nông nghiệp và Môi trường",
    ],
    asAbove: false,
    subject,
    order,
    panelDecision: {
      number: "05/QĐ-LHH",
      date: "2026-01-12T08:00:00+07:00",
      issuer: "Ban Thường vụ Liên hiệp hội",
      summary: "về việc thành lập Hội đồng phản biện",
    },
    form: "Hội đồng phản biện; khảo sát thực tế tại huyện Quản Bạ, Hoàng Su Phì; hội thảo khoa học ngày 30/01/2026",
    timeline: "từ ngày 12/01/2026 đến ngày 10/02/2026",
    panelKind: "council",
    members,
    opinionsReceived: 7,
    overall: [
      {
        heading: "Sự cần thiết",
        paragraphs: [
          "Hội đồng thống nhất đánh giá việc xây dựng Đề án là cần thiết. Hà Giang có trên 1.200 loài cây " +
            "thuốc, trong đó nhiều loài quý như tam thất, đương quy, đỗ trọng, thảo quả, hoàng tinh; phát triển " +
            "dược liệu gắn với kinh tế dưới tán rừng góp phần giảm nghèo bền vững cho đồng bào vùng cao.",
        ],
      },
      {
        heading: "Sự phù hợp với chủ trương, chính sách và pháp luật",
        paragraphs: [
          "Đề án cơ bản phù hợp với Luật Dược năm 2016, Quyết định số 1976/QĐ-TTg, Nghị quyết của Tỉnh ủy về " +
            "phát triển nông nghiệp hàng hóa. Tuy nhiên, một số chính sách hỗ trợ (bảo lãnh tín dụng, hỗ trợ " +
            "chứng nhận GACP-WHO) cần được HĐND tỉnh ban hành bằng nghị quyết theo Luật Ngân sách nhà nước.",
        ],
      },
      {
        heading: "Sự phù hợp với quy hoạch, kế hoạch",
        paragraphs: [
          "Vùng trồng dự kiến cơ bản phù hợp Quy hoạch tỉnh thời kỳ 2021–2030; riêng 1.100 ha tại huyện Hoàng " +
            "Su Phì chồng lấn đất rừng phòng hộ, cần rà soát lại.",
        ],
      },
    ],
    specific: [
      {
        heading: "Về mục tiêu",
        paragraphs: many(
          3,
          (i) =>
            `Ý kiến ${i}: Chỉ tiêu 10.000 ha đến năm 2030 chưa có cơ sở tính toán; tốc độ tăng diện tích bình ` +
            `quân giai đoạn 2021–2025 chỉ đạt khoảng 4%/năm, trong khi chỉ tiêu đòi hỏi trên 20%/năm. Hội ` +
            `đồng đề nghị điều chỉnh còn khoảng 6.000–6.500 ha, xây dựng lộ trình theo từng năm và từng ` +
            `huyện, gắn với khả năng tiêu thụ của thị trường.`,
        ),
      },
      {
        heading: "Về đánh giá hiện trạng và số liệu",
        paragraphs: many(
          3,
          (i) =>
            `Ý kiến ${i}: Số liệu diện tích, sản lượng giữa các phần của Đề án chưa thống nhất và khác với Niên ` +
            `giám thống kê năm 2025; chưa phân tích nguyên nhân diện tích thảo quả giảm do biến đổi khí hậu ` +
            `và giá bán giảm. Đề nghị bổ sung bảng số liệu theo từng huyện, ghi rõ nguồn.`,
        ),
      },
      {
        heading: "Về giải pháp",
        paragraphs: many(
          4,
          (i) =>
            `Ý kiến ${i}: Giải pháp về giống, liên kết chuỗi giá trị và thu hút doanh nghiệp còn chung chung; ` +
            `chưa có cơ chế chia sẻ lợi ích với cộng đồng nắm giữ tri thức bản địa về cây thuốc; cần bổ sung ` +
            `nhiệm vụ xây dựng vườn bảo tồn nguồn gen, hỗ trợ hợp tác xã đạt chứng nhận GACP-WHO và xây ` +
            `dựng chỉ dẫn địa lý cho sản phẩm chủ lực.`,
        ),
      },
      {
        heading: "Về nguồn lực và tính khả thi",
        paragraphs: [
          "Tổng kinh phí 1.850 tỷ đồng, trong đó vốn xã hội hóa 70% là chưa có căn cứ; đề nghị bổ sung danh mục " +
            "doanh nghiệp đã cam kết, phương án huy động vốn và phân kỳ đầu tư.",
        ],
      },
      {
        heading: "Về tác động kinh tế – xã hội và môi trường",
        paragraphs: [
          "Cần đánh giá tác động đến sinh kế của khoảng 3.500 hộ đồng bào dân tộc thiểu số, nguy cơ suy thoái " +
            "rừng khi trồng dưới tán và tác động của thuốc bảo vệ thực vật đến nguồn nước đầu nguồn.",
        ],
      },
      {
        heading: "Về tổ chức thực hiện và chất lượng văn bản",
        paragraphs: [
          "Phân công nhiệm vụ giữa các sở, ngành còn trùng lặp; dự thảo còn nhiều lỗi kỹ thuật trình bày, một " +
            "số thuật ngữ chưa thống nhất (dược liệu, cây thuốc, lâm sản ngoài gỗ).",
        ],
      },
    ],
    verdict:
      "Đề án phát triển cây dược liệu tỉnh Hà Giang giai đoạn 2026–2030, định hướng 2035 đủ điều kiện trình " +
      "UBND tỉnh phê duyệt sau khi được chỉnh sửa, bổ sung theo các kiến nghị dưới đây.",
    recommendations: [
      "Điều chỉnh chỉ tiêu diện tích năm 2030 còn khoảng 6.000–6.500 ha và xây dựng lộ trình theo từng năm, " +
        "từng huyện.",
      "Rà soát, thống nhất số liệu hiện trạng theo Niên giám thống kê năm 2025, ghi rõ nguồn.",
      "Loại khỏi vùng trồng tập trung khoảng 1.100 ha chồng lấn đất rừng phòng hộ tại huyện Hoàng Su Phì.",
      "Bổ sung nhiệm vụ bảo tồn nguồn gen cây thuốc quý và cơ chế chia sẻ lợi ích với cộng đồng.",
      "Đề xuất HĐND tỉnh ban hành nghị quyết về chính sách hỗ trợ phát triển dược liệu.",
      "Bổ sung danh mục doanh nghiệp cam kết đầu tư và phương án huy động vốn xã hội hóa.",
    ],
    matrix: [
      {
        section: "I.2 – Hiện trạng",
        opinion: "Số liệu diện tích năm 2025 không khớp Niên giám thống kê.",
        proposedChange: "Thống nhất nguồn số liệu, bổ sung bảng theo huyện.",
        expert: "PGS.TS. Trần Đức Thắng",
      },
      {
        section: "II.1 – Mục tiêu",
        opinion: "Chỉ tiêu 10.000 ha quá cao.",
        proposedChange: "Điều chỉnh còn 6.000–6.500 ha, có lộ trình.",
        expert: "PGS.TS. Nguyễn Thị Phương Thảo",
      },
      {
        section: "III.2 – Vùng trồng",
        opinion: "Chồng lấn 1.100 ha rừng phòng hộ tại Hoàng Su Phì.",
        proposedChange: "Rà soát, loại khỏi vùng trồng tập trung.",
        expert: "TS. Hoàng Văn Quyết",
      },
      {
        section: "III.3 – Giống",
        opinion: "Chưa có giải pháp bảo tồn nguồn gen quý.",
        proposedChange: "Bổ sung vườn bảo tồn, vườn ươm giống gốc.",
        expert: "PGS.TS. Trần Đức Thắng",
      },
      {
        section: "III.5 – Tri thức bản địa",
        opinion: "Chưa có cơ chế chia sẻ lợi ích với cộng đồng.",
        proposedChange: "Bổ sung cơ chế theo Nghị định số 59/2017/NĐ-CP.",
        expert: "TS. Vàng Seo Dìn",
      },
      {
        section: "IV – Chính sách",
        opinion: "Chính sách hỗ trợ phải do HĐND tỉnh ban hành.",
        proposedChange: "Tách thành dự thảo nghị quyết riêng.",
        expert: "ThS. Nông Quốc Việt",
      },
      {
        section: "IV – Kinh phí",
        opinion: "Tỷ lệ xã hội hóa 70% chưa có căn cứ.",
        proposedChange: "Bổ sung danh mục doanh nghiệp cam kết.",
        expert: "TS. Phạm Thị Ngọc Ánh",
      },
      ...many(14, (i) => ({
        section: `Phụ lục ${i}`,
        opinion: `Bảng số liệu ${i} chưa ghi nguồn, đơn vị tính chưa thống nhất giữa các cột.`,
        proposedChange: "Ghi rõ nguồn, thống nhất đơn vị tính.",
        expert: "ThS. Lò Thị Hương Giang",
      })),
    ],
    minorityViews: [
      {
        expert: "TS. Phạm Thị Ngọc Ánh",
        view:
          "Giữ chỉ tiêu 8.000 ha vì đã có 02 doanh nghiệp ký biên bản ghi nhớ bao tiêu sản phẩm; đề nghị " +
          "ghi nhận trong báo cáo.",
      },
    ],
  },
  coverLetter: {
    org,
    number: 37,
    date: "2026-02-10T08:30:00+07:00",
    summary: "gửi kết quả phản biện xã hội Đề án phát triển cây dược liệu",
    addressees: ["Ủy ban nhân dân tỉnh Hà Giang"],
    recipients: recipientsToAgency,
    subject,
    order,
    report: { number: "07/BC-LHH", date: "2026-02-10T08:00:00+07:00" },
    recommendationCount: 6,
    responseDueDate: "2026-03-12T17:00:00+07:00",
    contact: "bà Lò Thị Hương Giang, Trưởng Ban TVPB&GĐXH, điện thoại 0915 226 318",
  },
  responseReminder: {
    org,
    number: 52,
    date: "2026-03-16T08:00:00+07:00",
    summary: "đề nghị báo cáo kết quả tiếp thu, giải trình ý kiến phản biện",
    addressees: ["Ủy ban nhân dân tỉnh Hà Giang", "Sở Nông nghiệp và Môi trường"],
    recipients: ["Thường trực Liên hiệp hội"],
    subject,
    order,
    report: { number: "07/BC-LHH", date: "2026-02-10T08:00:00+07:00" },
    coverLetter: { number: "37/LHH-TVPB", date: "2026-02-10T08:30:00+07:00" },
    responseDueDate: "2026-03-12T17:00:00+07:00",
    pending: [
      "Kiến nghị số 1: điều chỉnh chỉ tiêu diện tích năm 2030",
      "Kiến nghị số 3: loại diện tích chồng lấn đất rừng phòng hộ tại huyện Hoàng Su Phì",
      "Kiến nghị số 5: đề xuất HĐND tỉnh ban hành nghị quyết về chính sách hỗ trợ",
    ],
    newDueDate: "2026-03-31T17:00:00+07:00",
    contact: "bà Lò Thị Hương Giang, điện thoại 0915 226 318",
  },
  activityReport: {
    org,
    number: 15,
    date: "2026-04-06T08:00:00+07:00",
    recipients: ["UBND tỉnh Hà Giang", "Liên hiệp các Hội KH&KT Việt Nam", "Ban Tuyên giáo và Dân vận Tỉnh ủy"],
    asAbove: false,
    signerRole: "chairman",
    periodLabel: "quý I năm 2026",
    periodKind: "quarterly",
    plan: {
      year: 2026,
      decisions: ["Quyết định số 2345/QĐ-UBND ngày 20/12/2025"],
      execution: [
        { label: "Nhiệm vụ thuộc Danh mục", count: "06" },
        { label: "Đã hoàn thành", count: "01" },
        { label: "Đang thực hiện", count: "02" },
        { label: "Chưa triển khai", count: "03" },
        { label: "Chuyển sang năm sau", count: "00" },
        { label: "Đưa ra khỏi danh mục", count: "01" },
      ],
      budget: [
        { label: "Kinh phí được phê duyệt", amount: "237.500.000" },
        { label: "Đã chi", amount: "24.900.000" },
        { label: "Còn lại", amount: "212.600.000" },
      ],
      spentWords: "Hai mươi bốn triệu chín trăm nghìn đồng",
    },
    bases: ["Kế hoạch số 02/KH-LHH ngày 06/01/2026 về hoạt động tư vấn, phản biện và giám định xã hội năm 2026"],
    rows: [
      {
        title: "Đề án phát triển cây dược liệu tỉnh Hà Giang giai đoạn 2026–2030, định hướng 2035",
        type: "critique",
        orderingAgency: "UBND tỉnh",
        status: "Đã gửi kết quả, chờ phản hồi",
        recommendations: 6,
        accepted: 3,
      },
      {
        title: "Kế hoạch ứng dụng khoa học công nghệ và chuyển đổi số trong sản xuất nông nghiệp",
        type: "consultancy",
        orderingAgency: "Sở Khoa học và Công nghệ",
        status: "Đã có phản hồi",
        recommendations: 5,
        accepted: 5,
      },
      {
        title: "Dự thảo Nghị quyết của HĐND tỉnh về chính sách thu hút, trọng dụng trí thức",
        type: "critique",
        orderingAgency: "Liên hiệp hội tự đề xuất",
        status: "Đang phản biện",
        recommendations: 0,
        accepted: 0,
      },
      {
        title: "Báo cáo nghiên cứu khả thi dự án hồ chứa nước Nậm Ngặt, huyện Quản Bạ",
        type: "assessment",
        orderingAgency: "Ban QLDA các công trình nông nghiệp",
        status: "Không tiếp nhận",
        recommendations: 0,
        accepted: 0,
      },
      ...many(12, (i) => ({
        title:
          `Quy hoạch chung đô thị thị trấn ` +
          `${["Việt Quang", "Yên Minh", "Đồng Văn", "Mèo Vạc", "Vinh Quang", "Tam Sơn"][i % 6]} (đợt ${i})`,
        type: "critique" as const,
        orderingAgency: "UBND huyện",
        status: i % 2 ? "Đã gửi kết quả" : "Đang lấy ý kiến",
        recommendations: i + 2,
        accepted: i,
      })),
    ],
    results: [
      "Trong quý I năm 2026, Liên hiệp hội tiếp nhận 16 đề nghị, thực hiện 15 nhiệm vụ tư vấn, phản biện và " +
        "giám định xã hội, không tiếp nhận 01 nhiệm vụ do không thuộc phạm vi. Các nhiệm vụ đều được thực hiện " +
        "đúng thời hạn đã thống nhất với cơ quan đặt hàng.",
      "Tỷ lệ kiến nghị được cơ quan soạn thảo tiếp thu đạt trên 60%, tăng so với cùng kỳ năm 2025.",
    ],
    limitations: [
      "Một số cơ quan chưa gửi văn bản tiếp thu, giải trình đúng hạn; kinh phí cho hoạt động khảo sát thực tế " +
        "còn hạn chế.",
    ],
    plans: [
      "Hoàn thành các nhiệm vụ đang thực hiện.",
      "Tổ chức tập huấn kỹ năng phản biện cho 50 chuyên gia của các hội thành viên.",
    ],
    proposals: ["Đề nghị UBND tỉnh chỉ đạo các sở, ngành gửi văn bản tiếp thu, giải trình đúng thời hạn."],
  },
  ...planKindSamples(),
};

/** The year's plan and money documents' samples (test/support/planDocuments.ts), one per kind. */
function planKindSamples() {
  const { planSubmission, planExecutionReport, costEstimate, feeSettlement } = planSamples();
  return { planSubmission, planExecutionReport, costEstimate, feeSettlement };
}

/** An "issued" verification block for tests (the QR image is passed in, see qrDataUrl). */
export function issuedInfo(qrDataUrl: string): IssuedInfo {
  return {
    verifyCode: "K7QX-3MPD-9A",
    verifyUrl: "https://tvpb.lhhhagiang.vn/verify/K7QX3MPD9A",
    qrDataUrl,
    contentCode: "9F2C-4E1B-7A0D-3C5E",
  };
}

/** A self-signed RSA certificate in a PKCS#12 bundle, made on the spot (ASCII names: NSS reads them). */
export function selfSignedP12(passphrase: string, commonName = "Lien hiep cac Hoi KH&KT tinh Ha Giang"): Buffer {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = "01";
  cert.validity.notBefore = new Date("2025-01-01T00:00:00Z");
  cert.validity.notAfter = new Date("2030-01-01T00:00:00Z");
  const attrs = [
    { name: "commonName", value: commonName },
    { name: "countryName", value: "VN" },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, nonRepudiation: true },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(keys.privateKey, [cert], passphrase, { algorithm: "3des" });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), "binary");
}

// ---------------------------------------------------------------------------------------------
// Templates (the shared renderer is in sharedRenderer.ts).

let templates: DocumentTemplates | undefined;

/** The built-in templates, compiled once for the whole run. */
export function documentTemplates(): DocumentTemplates {
  templates ??= createDocumentTemplates({ dir: join(process.cwd(), "templates/documents") });
  return templates;
}

// ---------------------------------------------------------------------------------------------
// Poppler wrappers.

async function withFile<T>(pdf: Buffer, f: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "tvpb-pdf-"));
  const path = join(dir, "doc.pdf");
  writeFileSync(path, pdf);
  try {
    return await f(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `pdftotext` of the whole document or a page range; `layout` keeps columns, `raw` keeps stream order. */
export function pdfText(
  pdf: Buffer,
  opts: { first?: number; last?: number; mode?: "layout" | "raw" } = {},
): Promise<string> {
  return withFile(pdf, async (path) => {
    const args = [opts.mode === "raw" ? "-raw" : "-layout"];
    if (opts.first) args.push("-f", String(opts.first));
    if (opts.last) args.push("-l", String(opts.last));
    const { stdout } = await run("pdftotext", [...args, "-enc", "UTF-8", path, "-"], { maxBuffer: 32 * 1024 * 1024 });
    return stdout;
  });
}

/** `pdfinfo` as key → value. */
export function pdfInfo(pdf: Buffer): Promise<Record<string, string>> {
  return withFile(pdf, async (path) => {
    const { stdout } = await run("pdfinfo", ["-enc", "UTF-8", path]);
    const out: Record<string, string> = {};
    for (const line of stdout.split("\n")) {
      const m = /^([^:]+):\s*(.*)$/.exec(line);
      if (m) out[m[1].trim()] = m[2].trim();
    }
    return out;
  });
}

export interface FontRow {
  name: string;
  type: string;
  embedded: boolean;
}

/** `pdffonts` rows. */
export function pdfFonts(pdf: Buffer): Promise<FontRow[]> {
  return withFile(pdf, async (path) => {
    const { stdout } = await run("pdffonts", [path]);
    return stdout
      .split("\n")
      .slice(2)
      .filter((l) => l.trim())
      .map((l) => {
        const parts = l.trim().split(/\s+/);
        // name, type (one or two words), encoding, emb, sub, uni, object, id
        const emb = parts[parts.length - 5];
        return { name: parts[0], type: parts.slice(1, parts.length - 6).join(" "), embedded: emb === "yes" };
      });
  });
}

/** `pdfsig` output (exit code ignored: it is non-zero for untrusted certificates). */
export function pdfSig(pdf: Buffer): Promise<string> {
  return withFile(pdf, async (path) => {
    try {
      const { stdout, stderr } = await run("pdfsig", [path]);
      return stdout + stderr;
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      return (e.stdout ?? "") + (e.stderr ?? "");
    }
  });
}

/** Page count from pdfinfo. */
export async function pageCount(pdf: Buffer): Promise<number> {
  return Number((await pdfInfo(pdf)).Pages);
}

/** Collapses whitespace, for matching phrases that wrap across lines. */
export function squash(text: string): string {
  return text.replace(/\s+/g, " ");
}
