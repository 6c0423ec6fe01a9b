/** The expert import's preview (each row checked, before anything is created) and its progress page. */
import { personName } from "../../words/personName.js";

type Preview = {
  missing: string | null;
  rows: Array<{ line: number; input: { fullName: string; academicTitle: string | null; degree: string | null } }>;
  ok: number;
  bad: number;
};

/** The preview page's model; `csv` goes back in the confirmation form. */
export function presentImportPreview(preview: Preview, csv: string) {
  return {
    ...preview,
    rows: preview.rows.map((r) => ({ ...r, displayName: personName(r.input) })),
    csv,
  };
}

/** The progress page's model: done out of total, and whether it is finished (then the page stops refreshing). */
export function presentImportProgress(progress: { status: string; total: number; done: number }) {
  return {
    ...progress,
    finished: progress.status === "done" || progress.status === "failed",
    percent: progress.total ? Math.round((100 * progress.done) / progress.total) : 100,
  };
}
