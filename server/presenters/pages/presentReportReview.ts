/**
 * "See before you sign": the report a person is about to approve, endorse or issue — where to read
 * it (inline HTML of the document template, the draft PDF, the Word file) and, after leadership
 * returned it, what changed since the returned version, as readable lines (added, removed, same).
 */
import type { Translate } from "./pageTypes.js";

type Sourced = { text?: string };
type ReportContent = {
  sections?: Array<{ title?: string; paragraphs?: Sourced[] }>;
  recommendations?: Sourced[];
  commentMatrix?: Array<{ section?: string; opinion?: string; proposedChange?: string }>;
  conclusion?: string;
};
type VersionRow = { version: number; content: unknown } | null;
type Review = {
  current: VersionRow;
  returned: { comments: string; reportVersion: number; row: VersionRow } | null;
};

/** One line of the comparison: what it says and whether it was added, removed or kept. */
export type DiffLine = { text: string; change: "added" | "removed" | "same" };

/** The report's content as the lines a reader compares: headings, paragraphs, recommendations, matrix, conclusion. */
export function reportLines(content: unknown, t: Translate): string[] {
  const c = (content ?? {}) as ReportContent;
  const lines: string[] = [];
  for (const s of c.sections ?? []) {
    const paragraphs = (s.paragraphs ?? []).map((p) => p.text?.trim()).filter((x): x is string => !!x);
    if (paragraphs.length) lines.push(s.title ?? "", ...paragraphs);
  }
  const recs = (c.recommendations ?? []).map((r) => r.text?.trim()).filter((x): x is string => !!x);
  if (recs.length) lines.push(t("report.recommendations"), ...recs.map((r, i) => `${i + 1}. ${r}`));
  for (const m of c.commentMatrix ?? [])
    if (m.opinion?.trim()) lines.push(`${m.section ?? ""} | ${m.opinion} | ${m.proposedChange ?? ""}`);
  if (c.conclusion) lines.push(`${t("report.conclusion")}: ${t(`reportConclusion.${c.conclusion}`)}`);
  return lines;
}

/** A line diff (longest common subsequence): removed lines of `before`, added lines of `after`, kept ones. */
export function diffLines(before: string[], after: string[]): DiffLine[] {
  const n = before.length;
  const m = after.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = before[i] === after[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push({ text: before[i++], change: "same" });
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) out.push({ text: after[j++], change: "added" });
    else out.push({ text: before[i++], change: "removed" });
  }
  return out;
}

/** The review card's model; null when there is no saved report yet. */
export function presentReportReview(
  input: { assignmentId: string; review: Review; mayPreviewPdf: boolean },
  t: Translate,
) {
  const { review, assignmentId: id } = input;
  if (!review.current) return null;
  const returned = review.returned;
  const changes =
    returned?.row && returned.reportVersion !== review.current.version
      ? diffLines(reportLines(returned.row.content, t), reportLines(review.current.content, t))
      : null;
  return {
    version: review.current.version,
    previewUrl: `/assignments/${id}/report/preview`,
    pdfUrl: input.mayPreviewPdf ? `/api/v1/assignments/${id}/drafts/finalReport` : null,
    docxUrl: `/api/v1/assignments/${id}/report.docx`,
    returned: returned ? { comments: returned.comments, version: returned.reportVersion } : null,
    changes,
    unchanged: !!changes && changes.every((l) => l.change === "same"),
  };
}
