/**
 * The secretariat's consolidation editor: the report's sections (each paragraph may quote the
 * opinions it comes from), the numbered recommendations, the comment matrix (section | opinion |
 * proposed change, with the expert who said it), the conclusion, and beside them the latest
 * submitted opinion of each expert. A first draft starts with the matrix filled from the opinions.
 */
import type { findLatestReportDraft } from "../../queries/findLatestReportDraft.js";
import type { FailedForm, Translate } from "./pageTypes.js";

/** The report's sections, in order. */
export const REPORT_SECTIONS = ["general", "overall", "specific", "conclusions"];

type Sourced = { text: string; sources?: string[] };
type Matrix = { section: string; opinion: string; proposedChange: string; expertId?: string };
type ReportContent = {
  sections: Array<{ key: string; title: string; paragraphs: Sourced[] }>;
  recommendations: Sourced[];
  commentMatrix?: Matrix[];
  conclusion: string;
};
type OpinionContent = {
  general?: string;
  specific?: Array<{ section: string; comment: string; suggestion: string }>;
  conclusion?: string;
  recommendations?: string;
};
type Opinion = { id: string; expertId: string; version: number; status: string; content: unknown };
// The assignment detail (assignmentDetail), read loosely.
type Detail = {
  can: Array<{ type: string }>;
  panel: Array<{ expertId: string; name: string }>;
  opinions: Opinion[];
  returns: unknown;
};

const CONCLUSIONS = ["fit", "fit_after_revision", "not_fit"];

/** What a first draft starts with: empty sections, and the opinions' specific comments as the matrix. */
function firstDraft(opinions: Opinion[], t: Translate): ReportContent {
  return {
    sections: REPORT_SECTIONS.map((k) => ({ key: k, title: t(`report.section.${k}`), paragraphs: [{ text: "" }] })),
    recommendations: [],
    commentMatrix: opinions.flatMap((o) =>
      ((o.content as OpinionContent).specific ?? []).map((s) => ({
        section: s.section,
        opinion: s.comment,
        proposedChange: s.suggestion,
        expertId: o.expertId,
      })),
    ),
    conclusion: "fit_after_revision",
  };
}

/** Every section with one empty paragraph more to write in; sources named by their expert. */
function sectionsOf(content: ReportContent, opinions: Opinion[], names: Map<string, string>, t: Translate) {
  const sourceName = (id: string) =>
    names.get(opinions.find((o) => o.id === id)?.expertId ?? "") ?? t("opinion.expert");
  return REPORT_SECTIONS.map((k, si) => {
    const s = content.sections.find((x) => x.key === k) ?? { key: k, title: t(`report.section.${k}`), paragraphs: [] };
    return {
      key: k,
      si,
      title: s.title || t(`report.section.${k}`),
      paragraphs: [...s.paragraphs, { text: "" }].map((p: Sourced, pi) => ({
        pi,
        text: p.text,
        sources: (p.sources ?? []).join(","),
        sourceNames: (p.sources ?? []).map(sourceName),
      })),
    };
  });
}

function opinionsOf(opinions: Opinion[], names: Map<string, string>, t: Translate) {
  return opinions.map((o) => {
    const c = o.content as OpinionContent;
    return {
      id: o.id,
      expertId: o.expertId,
      name: names.get(o.expertId),
      version: o.version,
      general: c.general,
      specific: c.specific ?? [],
      recommendations: c.recommendations,
      conclusion: c.conclusion ? t(`conclusion.${c.conclusion}`) : "",
    };
  });
}

function listsOf(content: ReportContent, names: Map<string, string>) {
  const blankRow = { section: "", opinion: "", proposedChange: "" };
  return {
    recommendations: [...content.recommendations, { text: "" }, { text: "" }].map((x: Sourced, i) => ({
      i,
      text: x.text,
      sources: (x.sources ?? []).join(","),
    })),
    matrix: [...(content.commentMatrix ?? []), blankRow].map((m: Matrix, i) => ({
      i,
      ...m,
      expertName: m.expertId ? names.get(m.expertId) : "",
    })),
  };
}

/** The page model; `failed` is a refused save with what was typed. */
export function presentReportEditor(
  input: {
    assignment: { id: string; title: string; code: string; state: string };
    detail: Detail;
    latest: Awaited<ReturnType<typeof findLatestReportDraft>>;
    failed?: FailedForm;
  },
  t: Translate,
) {
  const { assignment: a, detail, latest } = input;
  const names = new Map(detail.panel.map((p) => [p.expertId, p.name]));
  const submitted = detail.opinions.filter((o) => o.status === "submitted");
  const opinions = [...new Map(submitted.map((o) => [o.expertId, o])).values()];
  const content = (input.failed?.values ?? latest?.content ?? firstDraft(opinions, t)) as ReportContent;
  return {
    a: { id: a.id, title: a.title, code: a.code, state: a.state },
    error: input.failed?.error,
    version: latest?.version ?? 0,
    savedAt: latest ? latest.createdAt.toISOString() : null,
    canSave: a.state === "consolidation",
    canSubmit: detail.can.some((c) => c.type === "report.submit"),
    sections: sectionsOf(content, opinions, names, t),
    ...listsOf(content, names),
    conclusions: CONCLUSIONS.map((c) => ({
      value: c,
      label: t(`reportConclusion.${c}`),
      selected: c === content.conclusion,
    })),
    opinions: opinionsOf(opinions, names, t),
    returns: detail.returns,
  };
}
