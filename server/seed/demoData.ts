/**
 * The demo organisation's data (server/seed/demo.ts): its settings, member associations, ordering
 * agencies, experts and people. Plain data; indexes link the lists (an expert's association, a
 * person's agency or expert record).
 */
import type { Role } from "../runtime/actor.js";
import type { OrgSettings } from "../settings.js";

/** The demo Union's own settings (the rest are the defaults). */
export const DEMO_SETTINGS: Partial<OrgSettings> = {
  issuerName: "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH TUYÊN QUANG",
  place: "Tuyên Quang",
  address: "Số 8 đường Tân Trào, phường Minh Xuân, tỉnh Tuyên Quang",
  email: "lienhiephoi@tuyenquang.gov.vn",
  phone: "0207 3822 468",
  signers: [
    {
      key: "chairman",
      name: "Nguyễn Văn Thắng",
      title: "CHỦ TỊCH",
      authority: "TM.",
      authorityTitle: "BAN THƯỜNG VỤ",
    },
    { key: "vice", name: "Hoàng Thị Thu Hường", title: "PHÓ CHỦ TỊCH", authority: "KT.", authorityTitle: "CHỦ TỊCH" },
  ],
  mail: { fromName: "Liên hiệp các Hội KH&KT tỉnh Tuyên Quang", fromAddress: "tvpb@lhh-tuyenquang.vn" },
  minPanel: { council: 5, expert_group: 3, workshop: 3, written: 3 },
  minOpinions: { council: 5, expert_group: 3, workshop: 2, written: 3 },
};

/** Member associations: [name, short name]. */
export const DEMO_ASSOCIATIONS: ReadonlyArray<readonly [string, string]> = [
  ["Hội Làm vườn tỉnh Tuyên Quang", "Hội Làm vườn"],
  ["Hội Đông y tỉnh Tuyên Quang", "Hội Đông y"],
  ["Hội Xây dựng tỉnh Tuyên Quang", "Hội Xây dựng"],
  ["Hội Tin học tỉnh Tuyên Quang", "Hội Tin học"],
  ["Hội Kinh tế và Luật tỉnh Tuyên Quang", "Hội Kinh tế – Luật"],
];

/** Ordering agencies (the third, Sở KH&CN, employs one of the experts). */
export const DEMO_AGENCIES: ReadonlyArray<{ name: string; shortName: string; email: string; address?: string }> = [
  {
    name: "Ủy ban nhân dân tỉnh Tuyên Quang",
    shortName: "UBND tỉnh",
    email: "ubnd@tuyenquang.gov.vn",
    address: "Số 160 đường Trần Hưng Đạo, phường Minh Xuân, tỉnh Tuyên Quang",
  },
  { name: "Sở Nông nghiệp và Môi trường tỉnh Tuyên Quang", shortName: "Sở NN&MT", email: "snnmt@tuyenquang.gov.vn" },
  { name: "Sở Khoa học và Công nghệ tỉnh Tuyên Quang", shortName: "Sở KH&CN", email: "skhcn@tuyenquang.gov.vn" },
  { name: "Sở Xây dựng tỉnh Tuyên Quang", shortName: "Sở Xây dựng", email: "sxd@tuyenquang.gov.vn" },
];

/** Experts: [full name, academic title, degree, fields, workplace, index of their association]. */
export const DEMO_EXPERTS = [
  ["Nguyễn Thị Phương Thảo", "PGS.", "TS.", ["Dược liệu", "Thực vật học"], "Trường Đại học Tân Trào", 1],
  ["Trần Đức Hưng", "GS.", "TS.", ["Nông nghiệp", "Khoa học đất"], "Viện Thổ nhưỡng Nông hóa", 0],
  ["Lê Minh Châu", null, "TS.", ["Kinh tế nông nghiệp"], "Trường Đại học Kinh tế Quốc dân", 4],
  ["Phạm Quốc Khánh", null, "ThS.", ["Chuyển đổi số", "Hệ thống thông tin"], "Viễn thông Tuyên Quang", 3],
  ["Đỗ Thị Ngọc Ánh", null, "TS.", ["Luật hành chính", "Chính sách công"], "Học viện Hành chính Quốc gia", 4],
  ["Vũ Văn Đạt", "PGS.", "TS.", ["Thủy lợi", "Công trình thủy"], "Trường Đại học Thủy lợi", 2],
  ["Hoàng Thị Lan", null, "BSCKII.", ["Y học cổ truyền"], "Bệnh viện Y dược cổ truyền tỉnh", 1],
  ["Ngô Quang Vinh", null, "KS.", ["Quy hoạch đô thị", "Kiến trúc"], "Hội Xây dựng tỉnh", 2],
  ["Bùi Thị Hằng", null, "TS.", ["Môi trường", "Đa dạng sinh học"], "Trường Đại học Tân Trào", 0],
  ["Ma Văn Sơn", null, "ThS.", ["Lâm nghiệp", "Dược liệu"], "Trung tâm Khuyến nông tỉnh", 0],
  ["Nông Thị Thúy", null, "TS.", ["Xã hội học", "Dân tộc học"], "Viện Dân tộc học", 4],
  ["Lương Văn Phúc", null, "ThS.", ["Công nghệ thông tin"], "Sở Khoa học và Công nghệ tỉnh Tuyên Quang", 3],
] as const;

/** The demo log-ins, one per role (three experts); `agency`, `expert` and `association` index the lists above. */
export const DEMO_PEOPLE: ReadonlyArray<{
  role: Role;
  email: string;
  name: string;
  agency?: number;
  expert?: number;
  association?: number;
}> = [
  { role: "agency", email: "coquan@demo.tvpb.vn", name: "Lý Thị Mai (Văn phòng UBND tỉnh)", agency: 0 },
  { role: "secretariat", email: "banthuky@demo.tvpb.vn", name: "Đặng Văn Toàn (Ban TVPB)" },
  { role: "expert", email: "chuyengia@demo.tvpb.vn", name: "PGS.TS. Nguyễn Thị Phương Thảo", expert: 0 },
  { role: "expert", email: "chuyengia2@demo.tvpb.vn", name: "GS.TS. Trần Đức Hưng", expert: 1 },
  { role: "expert", email: "chuyengia3@demo.tvpb.vn", name: "TS. Lê Minh Châu", expert: 2 },
  { role: "leadership", email: "lanhdao@demo.tvpb.vn", name: "Nguyễn Văn Thắng (Chủ tịch)" },
  { role: "clerk", email: "vanthu@demo.tvpb.vn", name: "Triệu Thị Hoa (Văn thư)" },
  { role: "admin", email: "quantri@demo.tvpb.vn", name: "Quản trị hệ thống" },
  { role: "accountant", email: "ketoan@demo.tvpb.vn", name: "Phùng Thị Nga (Kế toán)" },
  { role: "association", email: "hoidongy@demo.tvpb.vn", name: "Chẩu Văn Lâm (Hội Đông y tỉnh)", association: 1 },
];
