/** Vietnamese explanations of the machines' rules, for 409 rule_violated answers. */
const MESSAGES: Record<string, string> = {
  hasMissingDocuments: "Cần liệt kê ít nhất một tài liệu còn thiếu.",
  hasReasons: "Cần nêu lý do.",
  hasComments: "Cần ghi ý kiến khi trả lại.",
  planValid: "Kế hoạch cần có nội dung công việc và dự toán kinh phí hợp lệ.",
  invitesValid: "Danh sách mời không hợp lệ: trống, trùng chuyên gia, hoặc chuyên gia đã được mời.",
  isOpenSeat: "Thư mời này không còn chờ trả lời.",
  panelComplete:
    "Hội đồng/Tổ chuyên gia chưa đủ: chưa đủ số thành viên nhận lời, còn thành viên có xung đột lợi ích, hoặc " +
    "chưa có chủ tịch hội đồng.",
  isPanelMember: "Chuyên gia này không thuộc Hội đồng/Tổ chuyên gia.",
  hasPendingExtension: "Không có đề nghị gia hạn nào đang chờ xử lý của chuyên gia này.",
  canRequestExtension:
    "Không thể đề nghị gia hạn: không phải thành viên, đã nộp ý kiến, đã có đề nghị đang chờ, hoặc số ngày " +
    "không hợp lệ (1–60).",
  workshopPlanned: "Chưa lên lịch hội thảo.",
  enoughOpinions: "Chưa đủ số ý kiến phản biện tối thiểu (hoặc chưa có biên bản hội thảo).",
  hasReportDraft: "Chưa có dự thảo báo cáo tổng hợp.",
  hasRecommendations: "Báo cáo cần có ít nhất một kiến nghị được đánh số.",
  isResponseDeadline: "Hạn này không thuộc bước chờ phản hồi.",
  answersKnown:
    "Mỗi trả lời phải chỉ đúng một kiến nghị, có trạng thái hợp lệ và giải trình khi không tiếp thu toàn bộ.",
  responseComplete: "Cần trả lời tất cả các kiến nghị (giải trình khi không tiếp thu toàn bộ).",
  declarationComplete: "Cần cam kết không có xung đột lợi ích và giữ bí mật thông tin.",
  hasReason: "Cần nêu lý do từ chối.",
};

/** The message for a failed guard, or a generic one. */
export function guardMessage(guard: string | undefined): string {
  return (guard && MESSAGES[guard]) || "Thao tác không thỏa điều kiện của bước hiện tại.";
}
