/**
 * The view models of the pages behind e-mail links (templates/links): the invitation answer form,
 * the sign-in form, and the bilingual message page (thanks, or why a link did not work).
 */
import type { AppError } from "../errors.js";
import { formatShortDate } from "../documents/format.js";
import { LINK_MESSAGES } from "../mail/linkPages.js";
import { label } from "../words/catalogue.js";
import type { InvitationLinkView } from "../queries/loadInvitationLink.js";

/** The message page: a heading and a text, each in Vietnamese and English. */
export type LinkMessage = {
  title: string;
  heading: string;
  headingEn: string;
  text: string;
  textEn: string;
  kind: "ok" | "error";
  code?: string;
};

function message(kind: "ok" | "error", heading: [string, string], text: [string, string], code?: string) {
  return { title: heading[0], heading: heading[0], headingEn: heading[1], text: text[0], textEn: text[1], kind, code };
}

/** The invitation page: the assignment, the role, the reply date and the accept or decline form. */
export function presentInvitationPage(view: InvitationLinkView, form: { token: string; nonce: string }) {
  const { claim, invitation: inv, expert, assignment: a, organization: org, agency } = view;
  const accept = claim.purpose === "invitation.accept";
  const ctx = (a?.snapshot as { context?: { plan?: { reviewDays?: number } | null } } | undefined)?.context ?? {};
  const reviewDays = ctx.plan?.reviewDays;
  return {
    title: accept ? "Nhận lời tham gia" : "Từ chối lời mời",
    orgName: org?.name,
    accept,
    ...form,
    expertName: [expert.academicTitle, expert.fullName].filter(Boolean).join(" "),
    assignment: {
      code: a?.code,
      title: a?.title,
      summary: a?.summary ?? a?.title,
      agencyName: agency?.name ?? a?.draftingAgency ?? org?.name,
    },
    role: label("panelRole", inv.panelRole),
    respondBy: inv.dueAt ? formatShortDate(inv.dueAt) : "—",
    reviewDue: reviewDays
      ? `${reviewDays} ngày làm việc kể từ ngày nhận hồ sơ · ${reviewDays} working days from receiving the dossier`
      : undefined,
    confidential: a?.confidential,
  };
}

/** The thanks after an answer: a sign-in link is on its way (accepted), or the answer is recorded. */
export function presentInvitationAnswered(outcome: { accepted: boolean; email: string | null }): LinkMessage {
  if (!outcome.accepted)
    return message(
      "ok",
      ["Đã ghi nhận việc từ chối", "Your answer has been recorded"],
      [
        "Cảm ơn Ông/Bà đã trả lời. Ban Tư vấn phản biện sẽ mời chuyên gia khác.",
        "Thank you for letting us know. The secretariat will invite another expert.",
      ],
    );
  return message(
    "ok",
    ["Cảm ơn Ông/Bà đã nhận lời", "Thank you for accepting"],
    [
      `Chúng tôi đã gửi liên kết đăng nhập tới ${outcome.email}. Mở liên kết đó để xem hồ sơ và gửi ý ` +
        `kiến phản biện.`,
      `We have sent a sign-in link to ${outcome.email}. Open it to read the dossier and submit your opinion.`,
    ],
  );
}

/** Why a link did not work, from the error's code (the error's own message for codes without a page text). */
export function presentLinkError(err: AppError): LinkMessage {
  const m = LINK_MESSAGES[err.code] ?? {
    heading: ["Không thực hiện được", "Could not complete"] as [string, string],
    text: [err.message, err.message] as [string, string],
  };
  return message("error", m.heading, m.text, err.code);
}
