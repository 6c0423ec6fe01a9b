/**
 * `renderSamples.ts --from-engine` (alias `--from-demo`): drives one realistic critique through
 * the real engine (HTTP API, machine, effect worker, document service, Chromium) on an in-memory
 * database, then writes the issued final report and cover letter exactly as stored (signed with a
 * throwaway certificate) to docs/samples/ as PDF and 70 dpi PNG pages.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { documents } from "../server/db/schema.js";
import { createWorld, type World } from "../test/support/testApp.js";
import { placeOrder, send, submitOpinions, toPlanning, toReview } from "../test/support/flows.js";
import { samples, sealImage, selfSignedP12, signerImage } from "../test/support/documents.js";
import { closeTestDatabase } from "../test/support/db.js";
import type { OrgSettings } from "../server/settings.js";

export async function renderFromEngine(out: string): Promise<void> {
  const w = await createWorld({ documents: true, start: "2026-03-02T01:00:00Z", settings: sampleSettings() });
  const a = await placeOrder(w);
  await reviewToConsolidation(w, a.id);
  await issueFinalReport(w, a.id);
  await writeIssued(w, a.id, out);
  await writeDraft(w, a.id, out);
  await closeTestDatabase();
}

/** The Tuyên Quang Union's letterhead, signers, seal and a throwaway signing certificate. */
function sampleSettings(): Partial<OrgSettings> & Record<string, unknown> {
  return {
    displayName: "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Tuyên Quang",
    address: "Số 8 đường Tân Trào, phường Minh Xuân, tỉnh Tuyên Quang",
    phone: "0207 3822 468",
    email: "lienhiephoi@tuyenquang.gov.vn",
    provincialRegulation:
      "Quyết định số 25/2022/QĐ-UBND ngày 15/8/2022 của UBND tỉnh Tuyên Quang ban hành Quy chế phối hợp tổ " +
      "chức hoạt động tư vấn, phản biện và giám định xã hội",
    signers: [
      {
        key: "vice",
        name: "Hoàng Thị Thu Hường",
        title: "PHÓ CHỦ TỊCH",
        authority: "KT.",
        authorityTitle: "CHỦ TỊCH",
      },
      {
        key: "chairman",
        name: "Nguyễn Văn Thắng",
        title: "CHỦ TỊCH",
        authority: "TM.",
        authorityTitle: "BAN THƯỜNG VỤ",
      },
    ],
    sealImage,
    signerImages: { vice: signerImage, chairman: signerImage },
    signing: {
      p12Base64: selfSignedP12("samples", "Lien hiep cac Hoi KH&KT tinh Tuyen Quang").toString("base64"),
      passphrase: "samples",
    },
  };
}

/** Planning, a panel of five, the workshop and five opinions, up to the review's close. */
async function reviewToConsolidation(w: World, assignmentId: string) {
  await toPlanning(w, assignmentId);
  w.clock.advanceDays(3);
  await toReview(w, assignmentId, 5);
  await send(w, "secretariat", assignmentId, {
    type: "workshop.schedule",
    scheduledAt: "2026-03-19T08:00:00+07:00",
    place: "Hội trường Liên hiệp hội, số 8 đường Tân Trào, phường Minh Xuân",
  });
  w.clock.advanceDays(14); // 19/03: the workshop's day, when its minutes may be recorded
  await submitOpinions(w, assignmentId, [0, 1, 2, 3, 4]);
  await send(w, "secretariat", assignmentId, {
    type: "workshop.record",
    minutes: "Hội thảo thống nhất các kiến nghị chính.",
    attendees: w.experts.slice(0, 5).map((e) => `TS. ${e.fullName}`),
  });
  await send(w, "secretariat", assignmentId, { type: "review.close" });
  w.clock.advanceDays(4);
}

/** The consolidated report, taken through submission, endorsement, approval and issue. */
async function issueFinalReport(w: World, assignmentId: string) {
  const r = await w.as("secretariat").post(`/api/v1/assignments/${assignmentId}/report`, reportBody(w));
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  await send(w, "secretariat", assignmentId, { type: "report.submit" });
  await send(w, "expert0", assignmentId, { type: "report.endorse" });
  await send(w, "leadership", assignmentId, { type: "report.approve" });
  w.clock.advanceDays(1);
  await send(w, "clerk", assignmentId, { type: "report.issue" });
  await w.settled();
}

/** The report's sections, recommendations, comment matrix and minority views from the samples. */
function reportBody(w: World) {
  const fr = samples.finalReport;
  const section = (key: string, s: { heading: string; paragraphs: string[] }) => ({
    key,
    title: s.heading,
    paragraphs: s.paragraphs.map((text) => ({ text: text.replaceAll("Hà Giang", "Tuyên Quang") })),
  });
  return {
    content: {
      sections: [
        ...fr.overall.map((s) => section("overall", s)),
        ...fr.specific.map((s, i) => section(`specific${i}`, s)),
      ],
      recommendations: fr.recommendations.map((text) => ({ text })),
      commentMatrix: fr.matrix.slice(0, 7).map((m, i) => ({
        section: m.section,
        opinion: m.opinion,
        proposedChange: m.proposedChange,
        expertId: w.experts[i % 5].id,
      })),
      minorityViews: fr.minorityViews.map((m) => ({ expertId: w.experts[3].id, text: m.view })),
      conclusion: "fit_after_revision",
    },
    note: "Bản tổng hợp trình lãnh đạo",
  };
}

/** The issued final report and cover letter, as PDF and PNG pages. */
async function writeIssued(w: World, assignmentId: string, out: string) {
  for (const kind of ["finalReport", "coverLetter"]) {
    const [doc] = await w.db
      .select()
      .from(documents)
      .where(and(eq(documents.assignmentId, assignmentId), eq(documents.kind, kind)));
    if (doc?.status !== "issued") throw new Error(`${kind} was not issued (${doc?.status})`);
    const res = await w.as("secretariat").get(`/api/v1/documents/${doc.id}/pdf`);
    writeFileSync(join(out, `${kind}.pdf`), res.body as Buffer);
    execFileSync("pdftoppm", ["-png", "-r", "70", join(out, `${kind}.pdf`), join(out, kind)]);
    console.log(`${kind}.pdf ${doc.numberLabel} (${(res.body as Buffer).length} bytes, sha256 ${doc.sha256})`);
  }
}

/** A draft as leaders see it before issuing: DỰ THẢO watermark, no number (first page only). */
async function writeDraft(w: World, assignmentId: string, out: string) {
  const draft = await w.documents.renderDraft("finalReport", { organizationId: w.org.id, assignmentId });
  writeFileSync(join(out, "finalReport-draft.pdf"), draft);
  execFileSync("pdftoppm", [
    "-png",
    "-r",
    "70",
    "-f",
    "1",
    "-l",
    "1",
    join(out, "finalReport-draft.pdf"),
    join(out, "finalReport-draft"),
  ]);
}
