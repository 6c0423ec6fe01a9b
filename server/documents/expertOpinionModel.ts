/** Bản nhận xét: an expert's submitted opinion as the form they sign. */
import { and, desc, eq } from "drizzle-orm";
import { experts, invitations, opinionVersions } from "../db/schema.js";
import { ValidationError } from "../errors.js";
import { personName } from "../words/personName.js";
import { panelWord } from "./documentWords.js";
import type { DocumentModels, OpinionConclusion, PanelRole } from "./types.js";
import { lines } from "./assignmentData.js";
import type { ModelContext } from "./modelContext.js";

/** The opinion's content as the expert saved it. */
type OpinionContent = {
  general?: string;
  specific?: Array<{ section: string; comment: string; suggestion: string }>;
  conclusion?: string;
  recommendations?: string;
};

/**
 * The latest opinion of the expert the document names (else the latest of any expert).
 * @throws ValidationError `document_data_missing` when there is no opinion.
 */
export async function expertOpinionModel(c: ModelContext): Promise<DocumentModels["expertOpinion"]> {
  const { d } = c;
  const [op] = await c.db
    .select({ o: opinionVersions, e: experts })
    .from(opinionVersions)
    .innerJoin(experts, eq(experts.id, opinionVersions.expertId))
    .where(
      and(
        eq(opinionVersions.assignmentId, d.a.id),
        ...(c.meta.expertId ? [eq(opinionVersions.expertId, c.meta.expertId)] : []),
        ...(c.meta.opinionVersion ? [eq(opinionVersions.version, c.meta.opinionVersion)] : []),
      ),
    )
    .orderBy(desc(opinionVersions.submittedAt), desc(opinionVersions.version))
    .limit(1);
  if (!op) throw new ValidationError("document_data_missing", "Chưa có ý kiến của chuyên gia.");
  const [seat] = await c.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.assignmentId, d.a.id), eq(invitations.expertId, op.e.id)))
    .limit(1);
  const content = op.o.content as OpinionContent;
  return {
    ...c.base,
    ...c.marks,
    number: null,
    date: (op.o.submittedAt ?? op.o.createdAt).toISOString(),
    subject: c.subject,
    panelName: `${panelWord(c.panelKind)} ${c.work}`.toLocaleUpperCase("vi"),
    panelKind: c.panelKind,
    expert: {
      name: personName(op.e),
      // "PGS.TS." as the name prints it, without the name.
      degree: personName({ ...op.e, fullName: "" }).trim(),
      field: op.e.fields.join(", "),
      workplace: op.e.workplace ?? "",
      role: (seat?.panelRole ?? "member") as PanelRole,
    },
    ...opinionBody(content),
    signature: undefined,
  };
}

/** Sections I–III of the form: general comments, the comment table, the conclusion and recommendations. */
function opinionBody(c: OpinionContent) {
  const conclusion: OpinionConclusion =
    c.conclusion === "agree" ? "agree" : c.conclusion === "disagree" ? "disagree" : "agreeWithRevisions";
  return {
    generalComments: (c.general ?? "")
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter(Boolean),
    specificComments: c.specific ?? [],
    conclusion,
    recommendations: lines(c.recommendations),
  };
}
