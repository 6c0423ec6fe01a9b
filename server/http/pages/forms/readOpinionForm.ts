/** The opinion form as the opinion's content (OpinionContentSchema checks it); empty comments are dropped. */
import { isAutosave, str } from "./fields.js";
import { recordsOf } from "./formLists.js";

/**
 * The content, and whether the expert asked to submit it (else it is saved as a draft). With
 * `keepBlank` blank comments stay (the form shown again after a row button), not fit to save.
 */
export function readOpinionForm(b: Record<string, unknown>, o: { keepBlank?: boolean } = {}) {
  const content = {
    general: str(b.general),
    conclusion: str(b.conclusion) || undefined,
    recommendations: str(b.recommendations),
    specific: recordsOf(b.specific)
      .map((x) => ({
        section: str(x.section).trim(),
        comment: str(x.comment).trim(),
        suggestion: str(x.suggestion).trim(),
      }))
      .filter((x) => o.keepBlank || x.section || x.comment || x.suggestion),
  };
  return { content, submit: str(b.action) === "submit", confirmed: str(b.confirm) === "yes", autosave: isAutosave(b) };
}
