/**
 * Realistic view models of the year's plan and money documents, built by the real builders from
 * the money room's real computations (demo rates, a settlement, a year statement). They join the
 * other kinds' samples in documents.ts; the amendment is a second Tờ trình (`planAmendment`).
 */
import { buildCostEstimateModel } from "../../server/documents/costEstimateModel.js";
import { buildFeeSettlementModel } from "../../server/documents/feeSettlementModel.js";
import { buildPlanExecutionReportModel } from "../../server/documents/planExecutionReportModel.js";
import { buildPlanSubmissionModel } from "../../server/documents/planSubmissionModel.js";
import type { PlanDocumentModels } from "../../server/documents/planTypes.js";
import { buildEstimate } from "../../server/money/buildEstimate.js";
import { buildSettlement } from "../../server/money/buildSettlement.js";
import { demoRates } from "../../server/money/demoRates.js";
import type { Payment } from "../../server/money/types.js";
import { yearStatement } from "../../server/money/yearStatement.js";
import { org } from "./documents.js";

/** Read when the samples are built: documents.ts, which defines `org`, imports this file. */
const bases = () => [
  "Quyết định số 14/2014/QĐ-TTg ngày 14/02/2014 của Thủ tướng Chính phủ về hoạt động tư vấn, phản biện và giám định " +
    "xã hội của Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam",
  org.provincialRegulation!,
  "Kế hoạch số 12/KH-LHH ngày 15/9/2026 của Liên hiệp hội về xây dựng Danh mục nhiệm vụ tư vấn, phản biện và giám " +
    "định xã hội năm 2027",
];
const RECIPIENTS = [
  "Thường trực Tỉnh ủy (để báo cáo)",
  "Thường trực HĐND tỉnh (để báo cáo)",
  "Sở Tài chính",
  "Liên hiệp các Hội KH&KT Việt Nam",
];

const ITEMS = [
  {
    title: "Đề án phát triển cây dược liệu tỉnh Hà Giang giai đoạn 2026–2030, định hướng 2035",
    type: "critique",
    forms: ["council", "workshop"],
    agency: "Sở Nông nghiệp và Môi trường",
    quarter: 2,
    estimatedCost: 45_000_000,
  },
  {
    title: "Quy hoạch chung đô thị Đồng Văn đến năm 2045",
    type: "assessment",
    forms: ["council", "workshop"],
    agency: "Sở Xây dựng",
    quarter: 3,
    estimatedCost: 60_000_000,
  },
  {
    title: "Dự thảo Nghị quyết HĐND tỉnh về chính sách thu hút, trọng dụng trí thức",
    type: "critique",
    forms: ["written"],
    agency: "Liên hiệp hội đề xuất",
    quarter: 2,
    estimatedCost: 12_500_000,
  },
  {
    title: "Kế hoạch ứng dụng khoa học công nghệ và chuyển đổi số trong sản xuất nông nghiệp",
    type: "consultancy",
    forms: ["expert_group", "written"],
    agency: "Hội Khoa học Kinh tế Nông lâm nghiệp",
    quarter: 1,
    estimatedCost: 15_000_000,
  },
  {
    title: "Báo cáo nghiên cứu khả thi dự án hồ chứa nước Nậm Ngặt, xã Quản Bạ (ảnh hưởng 250 hộ dân)",
    type: "assessment",
    forms: ["council", "workshop"],
    agency: "Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp",
    quarter: 4,
    estimatedCost: 80_000_000,
  },
  {
    title: "Đề án bảo tồn và phát huy giá trị Công viên địa chất toàn cầu UNESCO Cao nguyên đá Đồng Văn",
    type: "consultancy",
    forms: ["expert_group"],
    agency: "Sở Văn hóa, Thể thao và Du lịch",
    quarter: 3,
    estimatedCost: 25_000_000,
  },
];

const THAO = {
  expertId: "cg-thao",
  name: "PGS.TS. Nguyễn Thị Phương Thảo",
  role: "Chủ tịch Hội đồng",
  workplace: "Trường Đại học Tân Trào",
};
const HUNG = {
  expertId: "cg-hung",
  name: "TS. Trần Đức Hưng",
  role: "Ủy viên thư ký khoa học",
  workplace: "Hội Lâm nghiệp tỉnh",
};
const CHAU = {
  expertId: "cg-chau",
  name: "ThS. Lê Minh Châu",
  role: "Ủy viên phản biện",
  workplace: "Sở Khoa học và Công nghệ",
};
const VAN = {
  expertId: "cg-van",
  name: "TS. Hoàng Thị Vân",
  role: "Ủy viên",
  workplace: "Bệnh viện Y dược cổ truyền tỉnh",
};

let n = 0;
function pay(
  to: { expertId: string; name: string },
  amount: number,
  description: string,
  extra: Partial<Payment> = {},
): Payment {
  n += 1;
  return {
    id: `pay-${n}`,
    assignmentId: "as-01",
    planItemId: null,
    payee: { kind: "expert", expertId: to.expertId, name: to.name },
    item: "expert_opinion",
    description,
    amount,
    taxWithheld: amount >= 2_000_000 ? amount / 10 : 0,
    paidOn: "2027-05-20",
    voucherNumber: "PC-2027-015",
    reversesId: null,
    ...extra,
  };
}

const PAYMENTS: Payment[] = [
  pay(THAO, 2_400_000, "Bài nhận xét, phản biện"),
  pay(THAO, 500_000, "Chủ trì cuộc họp Hội đồng", { item: "chairing" }),
  pay(HUNG, 1_500_000, "Bài nhận xét, phản biện"),
  pay(HUNG, 300_000, "Thư ký cuộc họp Hội đồng", { item: "secretary" }),
  pay(CHAU, 1_500_000, "Bài nhận xét, phản biện"),
  pay(CHAU, 250_000, "Tham dự họp Hội đồng", { item: "meeting_attendance" }),
  pay(VAN, 1_200_000, "Bài nhận xét, phản biện"),
  pay(VAN, 250_000, "Tham dự họp Hội đồng", { item: "meeting_attendance" }),
  pay(VAN, 1_500_000, "Báo cáo tham luận tại hội thảo", { item: "workshop_paper", voucherNumber: "PC-2027-021" }),
];

const ESTIMATE = buildEstimate({
  on: "2027-03-05",
  rates: demoRates(),
  panel: { chair: 1, secretary: 1, reviewer: 2, member: 3 },
  forms: ["council", "workshop"],
  workshop: { papers: 2, participants: 40 },
  travel: 7,
  printing: 10,
  adjustments: [
    { label: "Thuê xe khảo sát thực địa", amount: 1_850_000, reason: "Khảo sát vùng trồng dược liệu tại 2 xã, 2 ngày" },
  ],
  budget: 45_000_000,
});

/** The five documents' view models (the Tờ trình twice: the initial list and an amendment). */
export function planSamples(): PlanDocumentModels & { planAmendment: PlanDocumentModels["planSubmission"] } {
  const province = "Ủy ban nhân dân tỉnh Hà Giang";
  const statusOf = ["done", "carriedOver", "done", "done", "cut", "carriedOver"];
  const statement = yearStatement({
    year: 2027,
    items: ITEMS.map((it, i) => ({
      itemId: `it-${i}`,
      title: it.title,
      status: statusOf[i],
      approvedBudget: statusOf[i] === "cut" ? null : it.estimatedCost,
      assignmentId: i === 0 ? "as-01" : null,
    })),
    estimates: { "as-01": ESTIMATE.total },
    payments: [
      ...PAYMENTS,
      pay(HUNG, 9_000_000, "Khoán chi nhiệm vụ", { assignmentId: null, planItemId: "it-2", paidOn: "2027-08-10" }),
      pay(CHAU, 6_500_000, "Khoán chi nhiệm vụ", { assignmentId: null, planItemId: "it-3", paidOn: "2027-04-02" }),
    ],
  });
  return {
    planSubmission: buildPlanSubmissionModel({
      org,
      number: 5,
      date: "2026-11-20T08:00:00+07:00",
      signerRole: "chairman",
      recipients: RECIPIENTS,
      year: 2027,
      kind: "initial",
      province,
      bases: bases(),
      received: 9,
      items: ITEMS,
    }),
    planAmendment: buildPlanSubmissionModel({
      org,
      number: 18,
      date: "2027-06-02T08:00:00+07:00",
      signerRole: "chairman",
      recipients: RECIPIENTS,
      year: 2027,
      kind: "amendment",
      province,
      bases: bases().slice(0, 2),
      received: 0,
      inForce: [{ number: "245/QĐ-UBND", date: "2027-01-15" }],
      reason:
        "Thực hiện Công văn số 3105/UBND-KGVX ngày 20/5/2027 của Ủy ban nhân dân tỉnh, Liên hiệp hội rà soát tiến độ các nhiệm vụ.",
      items: [
        {
          title: "Đề án chuyển đổi số tỉnh Hà Giang giai đoạn 2027–2030",
          type: "critique",
          forms: ["council"],
          agency: "Sở Khoa học và Công nghệ",
          quarter: 3,
          estimatedCost: 30_000_000,
          change: "add",
        },
        {
          ...ITEMS[1],
          quarter: 4,
          estimatedCost: 50_000_000,
          change: "change",
          note: "Lùi sang Quý IV; kinh phí từ 60.000.000 đồng",
        },
        { ...ITEMS[4], change: "cut", note: "Chủ đầu tư dừng lập báo cáo nghiên cứu khả thi" },
      ],
      totalAfter: 45_000_000 + 50_000_000 + 12_500_000 + 15_000_000 + 25_000_000 + 30_000_000,
    }),
    planExecutionReport: buildPlanExecutionReportModel({
      org,
      number: 21,
      date: "2027-12-28T08:00:00+07:00",
      signerRole: "chairman",
      recipients: ["UBND tỉnh Hà Giang", "Sở Tài chính", "Liên hiệp các Hội KH&KT Việt Nam"],
      year: 2027,
      bases: bases().slice(0, 2),
      decisions: [
        { number: "245/QĐ-UBND", date: "2027-01-15" },
        { number: "1020/QĐ-UBND", date: "2027-06-20" },
      ],
      items: ITEMS.map((it, i) => ({ itemId: `it-${i}`, status: statusOf[i], quarter: it.quarter })),
      statement,
      evaluation: [
        "Các nhiệm vụ hoàn thành đều được thực hiện đúng hình thức, đúng thời hạn; 78% kiến nghị được cơ quan soạn thảo tiếp thu.",
        "Hai nhiệm vụ chuyển sang năm 2028 do cơ quan soạn thảo chưa hoàn thiện hồ sơ.",
      ],
      proposals: ["Đề nghị Ủy ban nhân dân tỉnh bố trí kinh phí năm 2028 cho các nhiệm vụ chuyển tiếp."],
    }),
    costEstimate: buildCostEstimateModel({
      org,
      date: "2027-03-05T08:00:00+07:00",
      preparedBy: "Đỗ Thị Lan",
      accountant: "Hoàng Thị Mai",
      estimate: ESTIMATE,
      subject: {
        type: "critique",
        title: ITEMS[0].title,
        orderingAgency: "UBND tỉnh Hà Giang",
        forms: ["council", "workshop"],
      },
    }),
    feeSettlement: buildFeeSettlementModel({
      org,
      date: "2027-05-25T08:00:00+07:00",
      preparedBy: "Đỗ Thị Lan",
      accountant: "Hoàng Thị Mai",
      settlement: buildSettlement({ assignmentId: "as-01", payments: PAYMENTS, panel: [THAO, HUNG, CHAU, VAN] }),
      subject: { type: "critique", title: ITEMS[0].title },
      panelDecision: { number: "05/QĐ-LHH", date: "2027-03-12", panelKind: "council" },
    }),
  };
}
