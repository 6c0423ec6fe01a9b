/**
 * The view models of the pages behind e-mail links (templates/links): the invitation answer form,
 * the sign-in form, and the bilingual message page (thanks, or why a link did not work).
 */
import type { AppError } from "../errors.js";
import { formatShortDate } from "../documents/format.js";
import { LINK_MESSAGES } from "../mail/linkPages.js";
import { label, translate } from "../words/catalogue.js";
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
    dossier: dossierOf(view),
    next: accept ? bothWords("link.invitation.next", { days: reviewDays ?? "—" }) : null,
  };
}

const bothWords = (key: string, vars: Record<string, unknown> = {}) => ({
  vi: translate("vi", key, vars),
  en: translate("en", key, vars),
});

/** The dossier before answering: its files by name (read-only), or only how many when it is confidential. */
function dossierOf(view: InvitationLinkView) {
  const secret = !!view.assignment?.confidential;
  const visible = view.files.filter((f) => !f.confidential);
  return {
    files: secret
      ? []
      : visible.map((f) => ({
          fileName: f.fileName,
          kind: bothWords(`fileKind.${f.kind}`),
          size: `${Math.max(1, Math.round(f.size / 1024))} KB`,
        })),
    summary:
      secret || visible.length < view.files.length
        ? bothWords("link.invitation.dossierSummary", { n: view.files.length })
        : null,
    none: view.files.length === 0 ? bothWords("link.invitation.noFiles") : null,
  };
}

/** A used invitation link: why it does not work again, and the offer to mail a sign-in link instead. */
export function presentLinkUsed(err: AppError, form: { token: string; nonce: string }) {
  const both = (key: string) => ({ vi: translate("vi", key), en: translate("en", key) });
  return {
    ...presentLinkError(err),
    signin: { ...form, offer: both("link.signinOffer.text"), button: both("link.signinOffer.button") },
  };
}

/** A sign-in link was mailed after a used invitation link was opened again. */
export function presentSigninMailed(email: string): LinkMessage {
  const both = (key: string): [string, string] => [translate("vi", key, { email }), translate("en", key, { email })];
  return message("ok", both("link.signinMailed.heading"), both("link.signinMailed.text"));
}

/** The thanks after a decline (an acceptance signs the expert in and goes to the assignment). */
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
    ["Ông/Bà đã được đăng nhập.", "You are signed in."],
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
