/**
 * The consolidation editor's form as a report draft (SaveReportSchema checks it): sections with
 * their paragraphs, recommendations, the comment matrix and the conclusion. A paragraph or a
 * recommendation keeps the opinion ids it quotes; empty rows are dropped.
 */
import { REPORT_SECTIONS } from "../../../presenters/pages/presentReportEditor.js";
import type { Translate } from "../../../presenters/pages/pageTypes.js";
import { str } from "./fields.js";
import { recordsOf } from "./formLists.js";

const UUID = /^[0-9a-f-]{36}$/i;
const ids = (s: unknown) =>
  str(s)
    .split(/[\s,]+/)
    .filter((x) => UUID.test(x));
const sourced = (x: Record<string, unknown>) => {
  const sources = ids(x.sources);
  return { text: str(x.text).trim(), ...(sources.length ? { sources } : {}) };
};

function sectionsOf(v: unknown, t: Translate) {
  return recordsOf(v).map((s, si) => ({
    key: str(s.key) || REPORT_SECTIONS[si] || `s${si}`,
    title: str(s.title).trim() || t(`report.section.${REPORT_SECTIONS[si]}`),
    paragraphs: recordsOf(s.paragraphs)
      .filter((p) => str(p.text).trim())
      .map(sourced),
  }));
}

function matrixOf(v: unknown) {
  return recordsOf(v)
    .filter((x) => str(x.opinion).trim() || str(x.proposedChange).trim())
    .map((x) => ({
      section: str(x.section).trim(),
      opinion: str(x.opinion).trim(),
      proposedChange: str(x.proposedChange).trim(),
      ...(/^[0-9a-f-]{36}$/.test(str(x.expertId)) ? { expertId: str(x.expertId) } : {}),
    }));
}

/** The draft's body: `content`, and the note when one was written. */
export function readReportForm(b: Record<string, unknown>, t: Translate) {
  const content = {
    sections: sectionsOf(b.sections, t),
    recommendations: recordsOf(b.recommendations)
      .filter((x) => str(x.text).trim())
      .map(sourced),
    commentMatrix: matrixOf(b.matrix),
    conclusion: str(b.conclusion),
  };
  const note = str(b.note).trim();
  return { content, ...(note ? { note } : {}) };
}
