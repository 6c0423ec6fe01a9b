/**
 * The expert's opinion form (the structure DOMAIN.md gives an opinion: general remarks, specific
 * comments by section, a conclusion and recommendations), their past versions and the dossier.
 */
import type { loadOpinionForm } from "../../queries/loadOpinionForm.js";
import { personName } from "../../words/personName.js";
import type { FailedForm, Translate } from "./pageTypes.js";

type Form = Awaited<ReturnType<typeof loadOpinionForm>>;
type Seat = NonNullable<Form["seat"]>;
type Content = {
  general: string;
  specific: Array<Record<string, string>>;
  conclusion: string;
  recommendations: string;
};
// The assignment detail (assignmentDetail), read loosely.
type Detail = { files: unknown[]; can: Array<{ type: string }>; deadlines?: Array<{ key: string; dueAt: string }> };

/** A file attached to an opinion, as listed. */
export type Attachment = { id: string; fileName: string; size: number; uploadedAt: Date };

/** The attachments as links to download them. */
export const attachmentLinks = (assignmentId: string, files: Attachment[]) =>
  files.map((f) => ({
    name: f.fileName,
    size: f.size,
    at: f.uploadedAt.toISOString(),
    url: `/assignments/${assignmentId}/opinion-files/${f.id}`,
  }));

const CONCLUSIONS = ["agree", "agree_with_revisions", "disagree"];
const EMPTY: Content = { general: "", specific: [], conclusion: "", recommendations: "" };
const blankComment = () => ({ section: "", comment: "", suggestion: "" });

/** The specific comments as numbered rows (`specific[i]`), one blank to write in when there are none. */
function commentRows(specific: Array<Record<string, string>> | undefined) {
  const rows = specific?.length ? specific : [blankComment()];
  return rows.map((c, i) => ({ ...c, prefix: `specific[${i}]`, idb: `sp-${i}`, num: i + 1 }));
}

/** The page model; `failed` is a refused save with what was typed. */
export function presentOpinionForm(
  input: {
    assignment: { id: string; title: string; code: string; state: string };
    seat: Seat;
    versions: Form["versions"];
    detail: Detail;
    failed?: Partial<FailedForm>;
    /** The files attached to this opinion (listOpinionAttachments, the expert's own). */
    attachments?: Attachment[];
  },
  t: Translate,
) {
  const { assignment: a, seat, versions } = input;
  const latest = versions[0];
  const content = (input.failed?.values ?? latest?.content ?? EMPTY) as Content;
  return {
    a: { id: a.id, title: a.title, code: a.code, state: a.state },
    expert: { ...seat.expert, displayName: personName(seat.expert) },
    role: t(`panelRole.${seat.invitation.panelRole}`),
    declaration: seat.invitation.declaration,
    content,
    specific: commentRows(content.specific),
    // A blank comment for the page's script to copy (public/rows.js).
    blankComment: { ...blankComment(), prefix: "__LIST__[0]", idb: "__ID__", num: 1 },
    // Nothing is chosen for the expert: the first option is an empty "choose" until they pick one.
    conclusions: CONCLUSIONS.map((c) => ({
      value: c,
      label: t(`conclusion.${c}`),
      selected: c === content.conclusion,
    })),
    savedAt: latest?.status === "draft" ? latest.createdAt.toISOString() : null,
    canEdit: a.state === "underReview",
    canSave: a.state === "underReview",
    hasDraft: latest?.status === "draft",
    files: input.detail.files,
    versions: versions.map((v) => ({
      ...v,
      statusLabel: t(`opinionStatus.${v.status}`),
      at: (v.submittedAt ?? v.createdAt).toISOString(),
    })),
    error: input.failed?.error,
    attachments: attachmentLinks(a.id, input.attachments ?? []),
    canExtend: input.detail.can.some((c) => c.type === "extension.request"),
    // The same deadline the assignment page shows the expert: their own, else the panel's.
    dueAt: (
      input.detail.deadlines?.find((d) => d.key === `review:${seat.invitation.expertId}`) ??
      input.detail.deadlines?.find((d) => d.key === "review")
    )?.dueAt,
  };
}
