/**
 * The secretariat's consolidation editor: the report's parts as DOMAIN.md gives them — II. overall
 * assessment and III. specific opinions, each a list of titled sections of paragraphs, IV. the
 * conclusion paragraphs, the numbered recommendations and the verdict — and annex II, the comment
 * matrix. Every list can grow, shrink and change order; numbers are given here, never typed. Beside
 * it: the draft PDF and the latest submitted opinion of each expert, cut into the passages a
 * paragraph may quote ("ý kiến của PGS.TS. …, mục II.2"). A first draft starts with the usual
 * sections and the matrix filled from the opinions, and no conclusion chosen.
 */
import type { findLatestReportDraft } from "../../queries/findLatestReportDraft.js";
import type { FailedForm, Translate } from "./pageTypes.js";
import { attachmentLinks, type Attachment } from "./presentOpinionForm.js";

type Citation = { opinionId: string; part: string };
type Sourced = { text: string; sources?: string[]; citations?: Citation[] };
type Section = { key: string; title: string; paragraphs: Sourced[] };
type Matrix = { section: string; opinion: string; proposedChange: string; expertId?: string };
type ReportContent = {
  sections: Section[];
  recommendations: Sourced[];
  commentMatrix?: Matrix[];
  conclusion?: string;
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
/** The parts of the report made of titled sections, with their numerals in the document. */
const PARTS = [
  { key: "overall", numeral: "II" },
  { key: "specific", numeral: "III" },
] as const;
/** The sections a first draft offers (DOMAIN.md, "Final report structure"). */
const OUTLINE = {
  overall: ["necessity", "legal", "plans"],
  specific: ["objectives", "situation", "solutions", "resources", "impact", "implementation", "drafting"],
};

/** The part a saved section belongs to (as the document sorts them): overall, specific or conclusions. */
export function partOf(key: string): "overall" | "specific" | "conclusions" {
  const k = key.toLowerCase();
  if (k === "conclusion" || k === "conclusions") return "conclusions";
  if (k === "general" || k === "overall" || k.startsWith("overall") || k === "assessment") return "overall";
  return "specific";
}

/** What a first draft starts with: the usual sections, empty, and the opinions' comments as the matrix. */
function firstDraft(opinions: Opinion[], t: Translate): ReportContent {
  const outline = (key: "overall" | "specific") =>
    OUTLINE[key].map((k) => ({ key, title: t(`report.outline.${k}`), paragraphs: [] }));
  return {
    sections: [...outline("overall"), ...outline("specific")],
    recommendations: [],
    commentMatrix: opinions.flatMap((o) =>
      ((o.content as OpinionContent).specific ?? []).map((s) => ({
        section: s.section,
        opinion: s.comment,
        proposedChange: s.suggestion,
        expertId: o.expertId,
      })),
    ),
  };
}

/** "ý kiến của PGS.TS. …, mục II.2" for each passage a row quotes (whole opinions: without the part). */
type Namer = (opinionId: string) => string;

/** A field name as an element id: `overall[1][paragraphs][0]` → `f-overall-1-paragraphs-0`. */
const idOf = (prefix: string) => `f-${prefix.replace(/\]\[|\[|\]/g, "-").replace(/-$/, "")}`;

function sourcedRows(list: string, rows: Sourced[], cite: Namer, t: Translate) {
  const padded = rows.length ? rows : [{ text: "" }];
  return padded.map((p, j) => ({
    prefix: `${list}[${j}]`,
    idb: idOf(`${list}[${j}]`),
    num: j + 1,
    text: p.text,
    sources: (p.sources ?? []).join(","),
    citations: (p.citations ?? []).map((c) => `${c.opinionId}@${c.part}`).join(" "),
    citedAs: [
      ...(p.citations ?? []).map((c) => t("report.citedAs", { source: cite(c.opinionId), part: c.part })),
      ...(p.sources ?? []).map((id) => cite(id)),
    ],
  }));
}

/** Parts II and III: their sections in order, each with its paragraphs (one blank to write in when none). */
function partsOf(content: ReportContent, cite: Namer, t: Translate) {
  return PARTS.map(({ key, numeral }) => ({
    key,
    numeral,
    title: t(`report.part.${key}`),
    sections: content.sections
      .filter((s) => partOf(s.key) === key)
      .map((s, i) => ({
        prefix: `${key}[${i}]`,
        idb: idOf(`${key}[${i}]`),
        numeral,
        num: i + 1,
        title: s.title,
        paragraphs: sourcedRows(`${key}[${i}][paragraphs]`, s.paragraphs, cite, t),
      })),
  }));
}

function matrixOf(content: ReportContent, names: Map<string, string>) {
  const rows = content.commentMatrix?.length
    ? content.commentMatrix
    : [{ section: "", opinion: "", proposedChange: "" }];
  return rows.map((m, i) => ({
    prefix: `matrix[${i}]`,
    idb: idOf(`matrix[${i}]`),
    num: i + 1,
    ...m,
    expertName: m.expertId ? names.get(m.expertId) : "",
  }));
}

/** The passages of an opinion a paragraph may quote: I (general), II.n (each specific comment), III. */
function passagesOf(c: OpinionContent, t: Translate) {
  const suggestion = (s: string) => (s ? ` ${t("opinion.suggestion")}: ${s}` : "");
  return [
    { part: "I", heading: `I. ${t("opinion.general")}`, text: c.general ?? "" },
    ...(c.specific ?? []).map((s, i) => ({
      part: `II.${i + 1}`,
      heading: `II.${i + 1}. ${s.section}`,
      text: `${s.comment}${suggestion(s.suggestion)}`.trim(),
    })),
    { part: "III", heading: `III. ${t("opinion.recommendations")}`, text: c.recommendations ?? "" },
  ].filter((p) => p.text.trim());
}

/**
 * The passage `part` of the opinion `opinionId` as a paragraph quoting it — “…” (ý kiến của …, mục …) —
 * and its citation; null when the actor cannot see that opinion or it has no such part.
 */
export function citePassage(detail: Detail, opinionId: string, part: string, t: Translate) {
  const o = detail.opinions.find((x) => x.id === opinionId && x.status === "submitted");
  const passage = o && passagesOf(o.content as OpinionContent, t).find((p) => p.part === part);
  if (!o || !passage) return null;
  const name = detail.panel.find((p) => p.expertId === o.expertId)?.name ?? t("opinion.expert");
  const source = t("report.citedAs", { source: t("report.opinionOf", { name }), part });
  return { text: `“${passage.text}” (${source})`, citations: `${o.id}@${part}` };
}

function opinionsOf(
  opinions: Opinion[],
  names: Map<string, string>,
  files: { assignmentId: string; list: Array<Attachment & { expertId: string }> },
  t: Translate,
) {
  return opinions.map((o) => {
    const c = o.content as OpinionContent;
    const name = names.get(o.expertId) ?? t("opinion.expert");
    const of = t("report.opinionOf", { name });
    return {
      id: o.id,
      name,
      version: o.version,
      conclusion: c.conclusion ? t(`conclusion.${c.conclusion}`) : "",
      passages: passagesOf(c, t).map((p) => ({ ...p, source: t("report.citedAs", { source: of, part: p.part }) })),
      attachments: attachmentLinks(
        files.assignmentId,
        files.list.filter((f) => f.expertId === o.expertId),
      ),
    };
  });
}

/** Where a quoted passage may go when JavaScript is off: each section's paragraphs, IV, the recommendations. */
function citeTargetsOf(parts: ReturnType<typeof partsOf>, t: Translate) {
  return [
    ...parts.flatMap((p) =>
      p.sections.map((s) => ({ value: `${s.prefix}[paragraphs]`, label: `${p.numeral}.${s.num}. ${s.title}` })),
    ),
    { value: "conclusions", label: `IV. ${t("report.part.conclusions")}` },
    { value: "recommendations", label: `IV. ${t("report.recommendations")}` },
  ];
}

/** Blank rows for the page's script to copy (`__LIST__` becomes the list, `__ID__` a fresh id). */
const blanks = (t: Translate) => ({
  section: {
    prefix: "__LIST__[0]",
    idb: "__ID__",
    numeral: "__NUMERAL__",
    num: 1,
    title: "",
    paragraphs: sourcedRows("__LIST__[0][paragraphs]", [], () => "", t).map((p) => ({ ...p, idb: "__ID__-p" })),
  },
  paragraph: sourcedRows("__LIST__", [], () => "", t).map((p) => ({ ...p, idb: "__ID__" }))[0],
  matrix: { prefix: "__LIST__[0]", idb: "__ID__", num: 1, section: "", opinion: "", proposedChange: "" },
});

/** The page model; `failed` is what was typed (a refused save, or a row button's result) with its message. */
export function presentReportEditor(
  input: {
    assignment: { id: string; title: string; code: string; state: string };
    detail: Detail;
    latest: Awaited<ReturnType<typeof findLatestReportDraft>>;
    failed?: Partial<FailedForm>;
    /** The files attached to the opinions (listOpinionAttachments). */
    attachments?: Array<Attachment & { expertId: string }>;
    mayPreviewPdf: boolean;
  },
  t: Translate,
) {
  const { assignment: a, detail, latest } = input;
  const names = new Map(detail.panel.map((p) => [p.expertId, p.name]));
  const submitted = detail.opinions.filter((o) => o.status === "submitted");
  const opinions = [...new Map(submitted.map((o) => [o.expertId, o])).values()];
  const content = (input.failed?.values ?? latest?.content ?? firstDraft(opinions, t)) as ReportContent;
  const cite: Namer = (id) => {
    const o = detail.opinions.find((x) => x.id === id);
    return t("report.opinionOf", { name: (o && names.get(o.expertId)) ?? t("opinion.expert") });
  };
  const parts = partsOf(content, cite, t);
  const conclusions = content.sections.filter((s) => partOf(s.key) === "conclusions").flatMap((s) => s.paragraphs);
  return {
    a: { id: a.id, title: a.title, code: a.code, state: a.state },
    error: input.failed?.error,
    version: latest?.version ?? 0,
    savedAt: latest ? latest.createdAt.toISOString() : null,
    canSave: a.state === "consolidation",
    canSubmit: detail.can.some((c) => c.type === "report.submit"),
    parts,
    conclusionParagraphs: sourcedRows("conclusions", conclusions, cite, t),
    recommendations: sourcedRows("recommendations", content.recommendations, cite, t),
    matrix: matrixOf(content, names),
    conclusions: CONCLUSIONS.map((c) => ({
      value: c,
      label: t(`reportConclusion.${c}`),
      selected: c === content.conclusion,
    })),
    opinions: opinionsOf(opinions, names, { assignmentId: a.id, list: input.attachments ?? [] }, t),
    citeTargets: citeTargetsOf(parts, t),
    pdfUrl: input.mayPreviewPdf && latest ? `/api/v1/assignments/${a.id}/drafts/finalReport` : null,
    blank: blanks(t),
    returns: detail.returns,
  };
}
