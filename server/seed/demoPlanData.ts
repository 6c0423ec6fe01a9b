/** The demo's proposals for the annual lists, and the province's scanned decision (a small real PDF). */
import type { Role } from "../runtime/actor.js";

export type DemoProposal = {
  by: Role;
  content: Record<string, unknown>;
  /** Cut by the province's decision. */
  cut?: boolean;
  /** Started as an assignment on the demo's first day. */
  startNow?: boolean;
};

/** A one-page PDF standing in for the scanned decision of UBND tỉnh. */
export const DEMO_DECISION_PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n" +
    "trailer<</Root 1 0 R>>\n%%EOF\n",
);

/**
 * Four proposals: the agency's (started now), the member association's (planned for an earlier
 * quarter, not started: late), and two of the Union's, one of them cut by the province.
 */
export function demoProposals(agencyIds: string[], earlier: number, current: number): DemoProposal[] {
  return [
    {
      by: "agency",
      startNow: true,
      content: {
        title: "Phản biện Đề án phát triển du lịch cộng đồng gắn với bảo tồn văn hóa các dân tộc tỉnh Tuyên Quang",
        type: "critique",
        forms: ["council", "workshop"],
        quarter: current,
        rationale: "Đề án tác động trực tiếp đến sinh kế của đồng bào các dân tộc vùng cao; cần ý kiến độc lập.",
        estimatedCost: 65_000_000,
        draftingAgency: "Sở Văn hóa, Thể thao và Du lịch tỉnh Tuyên Quang",
        subjectKind: "scheme",
      },
    },
    {
      by: "association",
      content: {
        title: "Tư vấn xây dựng vùng trồng dược liệu đạt tiêu chuẩn GACP-WHO tại huyện Hàm Yên",
        type: "consultancy",
        forms: ["expert_group"],
        quarter: earlier,
        rationale: "Hội viên và hợp tác xã cần căn cứ khoa học để được cấp chứng nhận vùng trồng.",
        estimatedCost: 30_000_000,
        subjectKind: "plan",
      },
    },
    {
      by: "secretariat",
      content: {
        title: "Giám định xã hội Dự án đầu tư xây dựng cầu Tình Húc qua sông Lô",
        type: "assessment",
        forms: ["council"],
        quarter: current,
        rationale: "Dự án có giải phóng mặt bằng lớn; Liên hiệp hội chủ động đề xuất theo Quyết định 14/2014/QĐ-TTg.",
        estimatedCost: 80_000_000,
        orderingAgencyId: agencyIds[0],
        draftingAgency: "Sở Xây dựng tỉnh Tuyên Quang",
        subjectKind: "project",
      },
    },
    {
      by: "secretariat",
      cut: true,
      content: {
        title: "Phản biện dự thảo Quy hoạch mạng lưới cơ sở giáo dục mầm non và phổ thông tỉnh Tuyên Quang",
        type: "critique",
        forms: ["written"],
        quarter: current,
        rationale: "Quy hoạch sáp nhập điểm trường ảnh hưởng đến việc đi học của trẻ em vùng sâu.",
        estimatedCost: 25_000_000,
        orderingAgencyId: agencyIds[0],
        draftingAgency: "Sở Giáo dục và Đào tạo tỉnh Tuyên Quang",
        subjectKind: "master_plan",
      },
    },
  ];
}

/** Next year's call: an agency's proposal and the member association's, both still open to editing. */
export function nextYearProposals(): DemoProposal[] {
  return [
    {
      by: "agency",
      content: {
        title: "Phản biện dự thảo Kế hoạch phát triển kinh tế lâm nghiệp bền vững tỉnh Tuyên Quang đến năm 2030",
        type: "critique",
        forms: ["council"],
        quarter: 2,
        rationale: "Kế hoạch liên quan đến đất rừng của nhiều xã vùng cao; cần đánh giá độc lập tác động xã hội.",
        estimatedCost: 55_000_000,
        draftingAgency: "Sở Nông nghiệp và Môi trường tỉnh Tuyên Quang",
        subjectKind: "plan",
      },
    },
    {
      by: "association",
      content: {
        title: "Tư vấn bảo tồn và phát triển nguồn gen cây thuốc quý của đồng bào Dao tỉnh Tuyên Quang",
        type: "consultancy",
        forms: ["expert_group", "written"],
        quarter: 1,
        rationale: "Nhiều bài thuốc và giống cây thuốc đang mai một; hội viên đề nghị có ý kiến chuyên gia.",
        estimatedCost: 28_000_000,
        subjectKind: "programme",
      },
    },
  ];
}
