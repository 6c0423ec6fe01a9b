/** Vietnamese labels for states, types, forms and roles (the UI's words; see the glossary). */
export const STATE_LABELS: Record<string, string> = {
  ordered: "Đã đặt hàng",
  "screening.reviewing": "Đang xem xét hồ sơ",
  "screening.awaitingDocuments": "Chờ bổ sung hồ sơ",
  "screening.proposedAccept": "Đề xuất tiếp nhận – chờ lãnh đạo",
  "screening.proposedDecline": "Đề xuất từ chối – chờ lãnh đạo",
  planning: "Lập kế hoạch",
  "panelFormation.forming": "Thành lập Hội đồng/Tổ chuyên gia",
  "panelFormation.proposed": "Chờ lãnh đạo phê duyệt thành phần",
  underReview: "Đang phản biện",
  consolidation: "Tổng hợp ý kiến",
  "approval.awaitingChair": "Chờ Chủ tịch Hội đồng xác nhận",
  "approval.awaitingLeadership": "Chờ lãnh đạo phê duyệt báo cáo",
  issuing: "Ban hành",
  sent: "Đã gửi kết quả",
  awaitingResponse: "Chờ cơ quan phản hồi",
  responded: "Đã phản hồi",
  closed: "Đã kết thúc",
  declined: "Từ chối",
  withdrawn: "Đã rút",
  onHold: "Tạm dừng",
};

/** Who the assignment waits on in each state. */
export const WAITING_ON: Record<string, string> = {
  ordered: "clerk",
  "screening.reviewing": "secretariat",
  "screening.awaitingDocuments": "agency",
  "screening.proposedAccept": "leadership",
  "screening.proposedDecline": "leadership",
  planning: "secretariat",
  "panelFormation.forming": "secretariat",
  "panelFormation.proposed": "leadership",
  underReview: "expert",
  consolidation: "secretariat",
  "approval.awaitingChair": "expert",
  "approval.awaitingLeadership": "leadership",
  issuing: "clerk",
  sent: "clerk",
  awaitingResponse: "agency",
  responded: "secretariat",
  onHold: "secretariat",
};

export const TYPE_LABELS: Record<string, string> = {
  consultancy: "Tư vấn",
  critique: "Phản biện",
  assessment: "Giám định",
};
export const FORM_LABELS: Record<string, string> = {
  council: "Hội đồng",
  expert_group: "Tổ chuyên gia",
  workshop: "Hội thảo",
  written: "Lấy ý kiến bằng văn bản",
};
export const ROLE_LABELS: Record<string, string> = {
  agency: "Cơ quan đặt hàng",
  secretariat: "Ban Tư vấn phản biện",
  expert: "Chuyên gia",
  leadership: "Lãnh đạo Liên hiệp hội",
  clerk: "Văn thư",
  admin: "Quản trị",
};
export const PANEL_ROLE_LABELS: Record<string, string> = {
  chair: "Chủ tịch Hội đồng",
  secretary: "Thư ký khoa học",
  member: "Thành viên",
};
