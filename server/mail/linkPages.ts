/**
 * The texts of the link flows' message page (answer an invitation, sign in with a link), in both
 * languages; the pages themselves are rendered by the one view engine (server/views/linkPages.ts).
 */

/** The message page's texts for an error code, in both languages. */
export const LINK_MESSAGES: Record<string, { heading: [string, string]; text: [string, string] }> = {
  link_used: {
    heading: ["Liên kết đã được sử dụng", "Link already used"],
    text: [
      "Liên kết này đã được dùng một lần và không thể dùng lại. Nếu cần, xin liên hệ Ban Tư vấn phản biện.",
      "This link has already been used and cannot be used again. Please contact the secretariat if you need help.",
    ],
  },
  link_expired: {
    heading: ["Liên kết đã hết hạn", "Link expired"],
    text: [
      "Liên kết đã hết hạn. Xin liên hệ Ban Tư vấn phản biện để được gửi lại.",
      "This link has expired. Please contact the secretariat for a new one.",
    ],
  },
  link_tampered: {
    heading: ["Liên kết không hợp lệ", "Invalid link"],
    text: [
      "Liên kết không hợp lệ hoặc đã bị sửa đổi. Hãy mở lại liên kết đầy đủ trong thư.",
      "The link is invalid or was altered. Open the full link from the e-mail again.",
    ],
  },
  link_wrong_person: {
    heading: ["Liên kết không dành cho bạn", "This link is not yours"],
    text: [
      "Liên kết này được gửi cho một người khác hoặc thư mời đã thay đổi.",
      "This link was sent to someone else, or the invitation has changed.",
    ],
  },
  csrf_failed: {
    heading: ["Biểu mẫu không còn hiệu lực", "Form no longer valid"],
    text: [
      "Hãy mở lại liên kết trong thư rồi gửi lại biểu mẫu.",
      "Open the link from the e-mail again and resubmit the form.",
    ],
  },
  invitation_not_found: {
    heading: ["Không tìm thấy thư mời", "Invitation not found"],
    text: ["Thư mời này không còn tồn tại.", "This invitation no longer exists."],
  },
  invitation_closed: {
    heading: ["Thư mời đã được trả lời hoặc đã đóng", "Invitation already answered or closed"],
    text: [
      "Thư mời này đã được trả lời, đã hết hạn hoặc đã bị hủy.",
      "This invitation has already been answered, has expired or was cancelled.",
    ],
  },
  validation_failed: {
    heading: ["Thiếu thông tin", "Something is missing"],
    text: [
      "Xin đánh dấu đủ các cam kết (khi nhận lời) hoặc ghi lý do (khi từ chối), rồi gửi lại.",
      "Tick both declarations (to accept) or give a reason (to decline), then send again.",
    ],
  },
};
