/**
 * Wording a văn thư would sign: every document kind, built by the real builders from an assignment
 * driven through the HTTP API, rendered to HTML (no Chromium) for every assignment type × subject
 * kind × form × origin, and read for duplicated words, a subject kind repeated in its own phrase,
 * state codes, empty headings, lower-case list starts and double spaces.
 */
import { expect } from "chai";
import { eq } from "drizzle-orm";
import { assignments, experts } from "../../server/db/schema.js";
import { DOCUMENT_KINDS, type DocumentKind } from "../../server/documents/types.js";

const PLAN_KINDS: DocumentKind[] = ["planSubmission", "planExecutionReport", "costEstimate", "feeSettlement"];
import { subjectKindInText } from "../../server/documents/documentWords.js";
import { remarksOf } from "../../server/documents/workshopDocumentsModel.js";
import { SUBJECT_KINDS } from "../../workflows/assignment/types.js";
import { createWorld, type World } from "../support/testApp.js";
import { documentTemplates, samples } from "../support/documents.js";
import { placeOrder, send, submitOpinions, toIssuing, toPlanning, toReview } from "../support/flows.js";

const TYPES = ["consultancy", "critique", "assessment"] as const;
/** Every form appears, alone and combined. */
const FORMS = [["council", "workshop"], ["expert_group", "written"], ["written"]];
const ORIGINS = ["ordered", "self_initiated", "annual_list"] as const;
/** Titles as agencies write them; "other" in the wording the issue found. */
const TITLES: Record<string, string> = {
  scheme: "Đề án phát triển cây dược liệu tỉnh Tuyên Quang giai đoạn 2026–2030",
  project: "Dự án đầu tư xây dựng cầu Tình Húc",
  master_plan: "Quy hoạch chung đô thị Na Hang đến năm 2045",
  plan: "Kế hoạch chuyển đổi số nông nghiệp năm 2026",
  programme: "Chương trình mục tiêu phát triển du lịch cộng đồng",
  draft_resolution: "Dự thảo Nghị quyết về chính sách hỗ trợ hợp tác xã",
  draft_document: "Dự thảo Quyết định ban hành quy chế quản lý cụm công nghiệp",
  other: "Đề nghị tư vấn về phương án sắp xếp các đơn vị sự nghiệp công lập",
};

/** The text a reader sees: tags out, entities decoded, whitespace as the browser collapses it. */
function textOf(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, " ")
    .replace(/<title>([\s\S]*?)<\/title>/g, " $1. ")
    .replace(/<img[^>]*>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, " ");
}

/** Every string of a view model (for double spaces, which HTML would hide). */
function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsOf(v, out);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) if (!/image|dataurl/i.test(k)) stringsOf(v, out);
  return out;
}

/** What is wrong with one rendered document, as readable findings. */
export function wordingProblems(html: string, vm: unknown, subjectKind: string): string[] {
  const problems: string[] = [];
  const text = textOf(html);
  const dup = /(?<![\p{L}\d])(\p{L}{2,})\s+\1(?![\p{L}\d])/giu.exec(text);
  if (dup) problems.push(`duplicated word "${dup[0]}"`);
  const kindWord = subjectKindInText(subjectKind);
  if (kindWord && new RegExp(`${kindWord}[\\s,]+${kindWord}`, "iu").test(text))
    problems.push(`subject kind "${kindWord}" repeated`);
  if (/đề nghị (tư vấn|phản biện|giám định)[^.]{0,40}đề nghị \1/iu.test(text)) problems.push("request repeated");
  const code = /(?<![\p{L}\d/.@-])[a-z]+[A-Z][A-Za-z]*(?![\p{L}\d/.@])/u.exec(text);
  if (code) problems.push(`state or code "${code[0]}"`);
  // A heading followed by one of its own level or higher (or the end) has nothing under it.
  const empty =
    /<h2[^>]*>([^<]*)<\/h2>\s*(?=<h[12][^>]*>|<table class="sign-row"|<section|<\/body>)/.exec(html) ??
    /<h3[^>]*>([^<]*)<\/h3>\s*(?=<h[123][^>]*>|<table class="sign-row"|<section|<\/body>)/.exec(html);
  if (empty) problems.push(`empty heading "${empty[1].trim()}"`);
  const lower = /<(li|p)[^>]*>\s*(?:-|\d+\.)\s+(\p{Ll}[^<]{0,30})/u.exec(html);
  if (lower) problems.push(`list item in lower case "${lower[2]}"`);
  const spaced = stringsOf(vm).find((s) => /\S {2,}\S/.test(s) || /^ | $/.test(s));
  if (spaced !== undefined) problems.push(`double or stray space in "${spaced.slice(0, 60)}"`);
  if (/ [,.;:]/.test(text.replace(/\.{3}|…|\s\.\/\./g, ""))) problems.push(`space before punctuation`);
  return problems;
}

describe("wording of every document kind in every combination", function () {
  this.timeout(600_000);
  let w: World;
  let full: string;
  let declined: string;

  before(async () => {
    w = await createWorld();
    await w.db.update(experts).set({ academicTitle: "PGS." }).where(eq(experts.id, w.experts[0].id));
    const a = await placeOrder(w, { forms: ["council", "workshop"] });
    full = a.id;
    await toPlanning(w, a.id);
    await toReview(w, a.id, 3);
    await send(w, "secretariat", a.id, {
      type: "workshop.schedule",
      scheduledAt: "2026-03-20T08:00:00+07:00",
      place: "Hội trường Liên hiệp hội",
    });
    await submitOpinions(w, a.id, [0, 1, 2]);
    w.clock.set("2026-03-20T04:00:00Z"); // the minutes are recorded on the workshop's day
    await send(w, "secretariat", a.id, {
      type: "workshop.record",
      minutes:
        "PGS.TS. Nguyễn Thị Phương Thảo: khai mạc, nêu mục đích hội thảo.\n" +
        "Đại diện cơ quan soạn thảo: trình bày tóm tắt nội dung.\n" +
        "TS. Trần Đức Hưng: đề nghị rà soát số liệu hiện trạng.\n" +
        "Kết luận: hội thảo thống nhất các kiến nghị chính.",
      attendees: ["PGS.TS. Nguyễn Thị Phương Thảo", "TS. Trần Đức Hưng", "TS. Lê Minh Châu"],
    });
    await send(w, "secretariat", a.id, { type: "review.close" });
    await toIssuing(w, a.id, true);
    await send(w, "clerk", a.id, { type: "report.issue" });
    const b = await placeOrder(w);
    declined = b.id;
    await send(w, "clerk", b.id, { type: "order.register" });
    await send(w, "secretariat", b.id, {
      type: "order.proposeDecline",
      reasons: "nội dung không thuộc phạm vi hoạt động của Liên hiệp hội; hồ sơ chưa có tờ trình",
    });
    await send(w, "leadership", b.id, { type: "order.decline" });
  });

  it("records each speaker's remarks separately in the minutes, and the conclusion as such", () => {
    const { proceedings, conclusions } = remarksOf(
      "TS. A: Khai mạc.\nÔng B, Sở Tài chính: đề nghị bổ sung nguồn vốn.\nthêm ý.\nKết luận: thống nhất.",
    );
    expect(proceedings).to.deep.equal([
      { speaker: "TS. A", content: "Khai mạc." },
      { speaker: "Ông B, Sở Tài chính", content: "Đề nghị bổ sung nguồn vốn. Thêm ý." },
    ]);
    expect(conclusions).to.deep.equal(["Thống nhất"]);
  });

  it("finds the faults the checks are for (the checks can fail)", () => {
    const bad = (html: string, vm: unknown = {}) => wordingProblems(html, vm, "scheme");
    expect(bad("<p>về việc đề nghị tư vấn Đề nghị, đề nghị tư vấn đối với</p>")).to.not.deep.equal([]);
    expect(bad("<p>Trạng thái underReview</p>")).to.not.deep.equal([]);
    expect(bad("<h2>III. Ý KIẾN CỤ THỂ</h2><h2>IV. KẾT LUẬN</h2>")).to.not.deep.equal([]);
    expect(bad("<ul><li>- hồ sơ chưa có tờ trình</li></ul>")).to.not.deep.equal([]);
    expect(bad("<p>Ký</p>", { name: "Nguyễn  Văn A" })).to.not.deep.equal([]);
    expect(bad("<p>đối với Đề án Đề án phát triển</p>")).to.not.deep.equal([]);
    expect(bad("<p>Kính gửi: PGS.TS. Nguyễn Hữu Nghĩa</p>")).to.deep.equal([]);
  });

  it("prints no duplicated word, repeated kind, code, empty heading, lower-case item or double space", async () => {
    const templates = documentTemplates();
    const found: string[] = [];
    // The year's plan and its money are not drawn from one assignment's type and subject: their
    // wording is checked on their samples below.
    const notOfOneAssignment = ["activityReport", "declineLetter", ...PLAN_KINDS];
    const kinds = DOCUMENT_KINDS.filter((k) => !notOfOneAssignment.includes(k));
    for (const type of TYPES)
      for (const subjectKind of SUBJECT_KINDS)
        for (const forms of FORMS)
          for (const origin of ORIGINS) {
            const set = { type, subjectKind, forms, origin, title: TITLES[subjectKind] };
            await w.db.update(assignments).set(set).where(eq(assignments.id, full));
            await w.db.update(assignments).set(set).where(eq(assignments.id, declined));
            const jobs: Array<[DocumentKind, string]> = [
              ...kinds.map((k): [DocumentKind, string] => [k, full]),
              ["declineLetter", declined],
            ];
            // The kinds side by side (their reads overlap on PostgreSQL); findings kept in kind order.
            const problems = await Promise.all(
              jobs.map(async ([kind, assignmentId]) => {
                const { vm } = await w.documents.draftViewModel(kind, { organizationId: w.org.id, assignmentId });
                const html = templates.render(kind, vm as never, { draft: true });
                return wordingProblems(html, vm, subjectKind).map(
                  (p) => `${kind} ${type}/${subjectKind}/${forms.join("+")}/${origin}: ${p}`,
                );
              }),
            );
            found.push(...problems.flat());
          }
    for (const kind of PLAN_KINDS) {
      const vm = samples[kind];
      for (const p of wordingProblems(templates.render(kind, vm as never, { draft: true }), vm, "other"))
        found.push(`${kind} (sample): ${p}`);
    }
    const { vm } = await w.documents.draftViewModel("activityReport", { organizationId: w.org.id, assignmentId: null });
    for (const p of wordingProblems(templates.render("activityReport", vm as never, { draft: true }), vm, "other"))
      found.push(`activityReport: ${p}`);
    expect([...new Set(found)].slice(0, 40)).to.deep.equal([]);
  });

  it("addresses the expert's invitation letter with the academic title and degree", async () => {
    const { vm } = await w.documents.draftViewModel("expertInvitation", {
      organizationId: w.org.id,
      assignmentId: full,
      viewModel: { expertId: w.experts[0].id },
    } as never);
    const text = textOf(documentTemplates().render("expertInvitation", vm as never, { draft: true }));
    expect(text).to.include("Kính gửi: PGS.TS. Nguyễn Thị Phương Thảo");
  });
});
