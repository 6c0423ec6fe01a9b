/**
 * Báo cáo kết quả: I. the workflow's facts (legal bases, subject, form and time, panel, opinions
 * received); II–III. the consolidated report's sections; IV. the verdict and the recommendations
 * exactly as numbered for the agency's answer; annexes: the comment matrix and minority views.
 */
import { and, asc, countDistinct, desc, eq, inArray } from "drizzle-orm";
import { experts, opinionVersions, recommendations } from "../db/schema.js";
import { personName } from "../words/personName.js";
import { panelWord } from "./documentWords.js";
import { formatShortDate } from "./format.js";
import type { DocumentModels, FinalReportModel, ReportSection, SubjectInfo } from "./types.js";
import { issuedRef, latestReport, panelMembers, type ReportContent } from "./assignmentData.js";
import { formsLabel, type ModelContext } from "./modelContext.js";

/** The final report, addressed to the agency, the drafting agency, VUSTA and the Union's leaders. */
export async function finalReportModel(c: ModelContext): Promise<DocumentModels["finalReport"]> {
  const { d, profile, subject } = c;
  const content = (await latestReport(c.db, d.a.id))?.content ?? {};
  const decision = await issuedRef(c.db, d.a.id, "panelDecision", profile);
  const start = decision?.date ?? d.a.createdAt.toISOString();
  const end = c.draft ? null : c.at;
  const workshop = d.context.workshop;
  const { overall, specific, conclusions } = sortSections(content);
  const verdict = [verdictOf(content.conclusion, subject, d.agency?.name ?? "cấp có thẩm quyền"), ...conclusions];
  const issuer = `Ban Thường vụ ${profile.shortName}`;
  const members = await panelMembers(c.db, d.a.id);
  return {
    ...c.base,
    ...c.marks,
    recipients: [
      ...c.addressees,
      ...c.drafting.filter((x) => !c.addressees.includes(x)),
      "Liên hiệp các Hội KH&KT Việt Nam (để b/c)",
      c.leaders,
    ],
    asAbove: false,
    subject,
    order: c.order,
    panelDecision: decision
      ? { ...decision, issuer, summary: `về việc thành lập ${panelWord(c.panelKind)} ${c.work}` }
      : { number: "…", date: start, issuer },
    form:
      formsLabel(d.a) + (workshop ? `; hội thảo khoa học ngày ${formatShortDate(new Date(workshop.scheduledAt))}` : ""),
    timeline: end
      ? `từ ngày ${formatShortDate(new Date(start))} đến ngày ${formatShortDate(end)}`
      : `từ ngày ${formatShortDate(new Date(start))}`,
    panelKind: c.panelKind,
    members,
    opinionsReceived: await opinionsReceived(c),
    overall,
    specific,
    verdict: verdict.join(" "),
    recommendations: await numberedRecommendations(c, content),
    ...(await annexRows(c, content)),
  };
}

/** Drafted sections: "general"/"overall" ones are overall remarks (II), "conclusion(s)" join IV, the rest is III. */
function sortSections(content: ReportContent) {
  const overall: ReportSection[] = [];
  const specific: ReportSection[] = [];
  const conclusions: string[] = [];
  for (const s of content.sections ?? []) {
    const paragraphs = (s.paragraphs ?? []).map((p) => p.text).filter((t) => t.trim());
    if (!paragraphs.length) continue;
    const key = (s.key ?? "").toLowerCase();
    // Section I is assembled from the workflow's data; a drafted "general" section adds to it as overall remarks.
    const section = { heading: stripNumbering(s.title ?? ""), paragraphs };
    if (key === "conclusion" || key === "conclusions") conclusions.push(...paragraphs);
    else if (key === "general" || key === "overall" || key.startsWith("overall") || key === "assessment")
      overall.push(section);
    else specific.push(section);
  }
  return { overall, specific, conclusions };
}

function stripNumbering(heading: string): string {
  return heading.replace(/^\s*(?:[IVXLC]+|\d+)[.)]\s*/, "").trim();
}

/** The verdict sentence of section IV, from the report's conclusion (fit, fit after revision, not fit). */
function verdictOf(conclusion: string | undefined, subject: SubjectInfo, agency: string): string {
  const what = subject.title;
  switch (conclusion) {
    case "fit":
      return `${what} đủ điều kiện trình ${agency} xem xét, quyết định.`;
    case "not_fit":
      return (
        `${what} chưa đủ điều kiện trình cấp có thẩm quyền xem xét; đề nghị cơ quan chủ trì soạn thảo ` +
        `nghiên cứu, xây dựng lại theo các kiến nghị dưới đây.`
      );
    default:
      return (
        `${what} đủ điều kiện trình ${agency} xem xét, quyết định sau khi được chỉnh sửa, bổ sung theo các ` +
        `kiến nghị dưới đây.`
      );
  }
}

/** The recommendations exactly as the agency must answer them (latest round), else as drafted. */
async function numberedRecommendations(c: ModelContext, content: ReportContent): Promise<string[]> {
  const rows = await c.db
    .select({ round: recommendations.round, text: recommendations.text })
    .from(recommendations)
    .where(eq(recommendations.assignmentId, c.d.a.id))
    .orderBy(desc(recommendations.round), asc(recommendations.number));
  const round = rows[0]?.round;
  return rows.length
    ? rows.filter((r) => r.round === round).map((r) => r.text)
    : (content.recommendations ?? []).map((r) => r.text);
}

/** How many experts submitted an opinion (counted by the database, not read version by version). */
async function opinionsReceived(c: ModelContext): Promise<number> {
  const [{ n }] = await c.db
    .select({ n: countDistinct(opinionVersions.expertId) })
    .from(opinionVersions)
    .where(and(eq(opinionVersions.assignmentId, c.d.a.id), eq(opinionVersions.status, "submitted")));
  return Number(n);
}

/** Annexes II and III: the comment matrix and the minority views, with the experts named. */
async function annexRows(
  c: ModelContext,
  content: ReportContent,
): Promise<Pick<FinalReportModel, "matrix" | "minorityViews">> {
  // Only the experts the matrix and the minority views name (not the organisation's whole roster).
  const ids = [
    ...new Set(
      [...(content.commentMatrix ?? []), ...(content.minorityViews ?? [])].flatMap((m) =>
        m.expertId ? [m.expertId] : [],
      ),
    ),
  ];
  const rows = ids.length
    ? await c.db
        .select({
          id: experts.id,
          fullName: experts.fullName,
          academicTitle: experts.academicTitle,
          degree: experts.degree,
        })
        .from(experts)
        .where(and(eq(experts.organizationId, c.d.a.organizationId), inArray(experts.id, ids)))
    : [];
  const expertName = (id?: string) => {
    const e = id ? rows.find((x) => x.id === id) : undefined;
    return e ? personName(e) : "";
  };
  return {
    matrix: (content.commentMatrix ?? []).map((m) => ({
      section: m.section,
      opinion: m.opinion,
      proposedChange: m.proposedChange,
      expert: expertName(m.expertId),
    })),
    minorityViews: (content.minorityViews ?? []).map((m) => ({
      expert: expertName(m.expertId) || "Ý kiến khác",
      view: m.text,
    })),
  };
}
