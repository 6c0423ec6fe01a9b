/**
 * The consolidation editor's form as a report draft (SaveReportSchema checks it). The form has one
 * repeated field per part of the report — `overall[i]` (II) and `specific[i]` (III) sections with
 * their `paragraphs[j]`, the `conclusions[j]` paragraphs (IV), `recommendations[i]`, `matrix[i]`
 * (annex II) — and the draft keeps them as `sections` in that order. Numbers are never typed: a
 * title loses a leading "IV." or "2." (the document numbers its parts and sections itself). A
 * paragraph or recommendation keeps the passages it quotes (`citations`: opinion id and the
 * opinion's part, "I", "II.2", "III"); empty rows are dropped, a section without a title or a
 * paragraph too. No conclusion is chosen for the secretariat: an empty choice stays absent.
 */
import type { Translate } from "../../../presenters/pages/pageTypes.js";
import { OPINION_PART } from "../../schemas.js";
import { str } from "./fields.js";
import { recordsOf } from "./formLists.js";

/** The repeated fields of the form (for the row buttons). */
export const REPORT_LISTS = ["overall", "specific", "conclusions", "recommendations", "matrix"] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const words = (s: unknown) => str(s).split(/[\s,;]+/);
const ids = (s: unknown) => words(s).filter((x) => UUID.test(x));

/** `id@part id@part` → the citations, unknown parts and ids dropped, each once. */
export function readCitations(s: unknown): Array<{ opinionId: string; part: string }> {
  const seen = new Set<string>();
  return words(s)
    .map((w) => w.split("@"))
    .filter(([id, part]) => UUID.test(id ?? "") && OPINION_PART.test(part ?? ""))
    .filter(([id, part]) => !seen.has(`${id}@${part}`) && !!seen.add(`${id}@${part}`))
    .map(([opinionId, part]) => ({ opinionId, part }));
}

/** A title without the number someone typed in front of it ("IV. Kết luận" → "Kết luận"). */
export const unnumbered = (title: string) => title.replace(/^\s*(?:[IVXLC]+|\d+)(?:\.\d+)*[.)]\s*/, "").trim();

function sourced(x: Record<string, unknown>) {
  const sources = ids(x.sources);
  const citations = readCitations(x.citations);
  return {
    text: str(x.text).trim(),
    ...(sources.length ? { sources } : {}),
    ...(citations.length ? { citations } : {}),
  };
}

/** Whether to keep blank rows (to show the form again as it was, not to save it). */
type Keep = { keepBlank?: boolean };

const paragraphsOf = (v: unknown, o: Keep) =>
  recordsOf(v)
    .map(sourced)
    .filter((p) => o.keepBlank || p.text);

function sectionsOf(key: "overall" | "specific", v: unknown, t: Translate, o: Keep) {
  return recordsOf(v)
    .map((s) => ({ key, title: unnumbered(str(s.title)), paragraphs: paragraphsOf(s.paragraphs, o) }))
    .filter((s) => o.keepBlank || s.title || s.paragraphs.length)
    .map((s) => ({ ...s, title: s.title || (o.keepBlank ? "" : t(`report.part.${key}`)) }));
}

function matrixOf(v: unknown, o: Keep) {
  return recordsOf(v)
    .filter((x) => o.keepBlank || str(x.opinion).trim() || str(x.proposedChange).trim())
    .map((x) => ({
      section: str(x.section).trim(),
      opinion: str(x.opinion).trim(),
      proposedChange: str(x.proposedChange).trim(),
      ...(UUID.test(str(x.expertId)) ? { expertId: str(x.expertId) } : {}),
    }));
}

/**
 * The draft's body: `content`, and the note when one was written. With `keepBlank` the rows are
 * kept as posted, blank ones too (the form shown again after a row button), not fit to save.
 */
export function readReportForm(b: Record<string, unknown>, t: Translate, o: Keep = {}) {
  const conclusions = paragraphsOf(b.conclusions, o);
  const conclusionSection = { key: "conclusions", title: t("report.part.conclusions"), paragraphs: conclusions };
  const content = {
    sections: [
      ...sectionsOf("overall", b.overall, t, o),
      ...sectionsOf("specific", b.specific, t, o),
      ...(conclusions.length ? [conclusionSection] : []),
    ],
    recommendations: recordsOf(b.recommendations)
      .map(sourced)
      .filter((x) => o.keepBlank || x.text),
    commentMatrix: matrixOf(b.matrix, o),
    ...(str(b.conclusion) ? { conclusion: str(b.conclusion) } : {}),
  };
  const note = str(b.note).trim();
  return { content, ...(note ? { note } : {}) };
}
