/**
 * Issue 12 §1, §2, §6 through the HTTP API as the real roles: confidential orders as a Union runs
 * them, self-initiated work and its recipients, and the order of things (delivery after issue,
 * minutes on the workshop's day, conflicts declared on acceptance, one activity report per period).
 */
import { expect } from "chai";
import { and, eq } from "drizzle-orm";
import { assignments, documents, invitations } from "../../server/db/schema.js";
import { resolveRecipients } from "../../server/effects/recipients.js";
import { buildViewModel } from "../../server/documents/viewModels.js";
import { numberLabelOf } from "../../server/documents/numberLabel.js";
import type { DocumentModels } from "../../server/documents/types.js";
import { createWorld, type World } from "../support/testApp.js";
import {
  accept,
  invitationOf,
  markIssued,
  placeOrder,
  send,
  submitOpinions,
  toIssuing,
  toPlanning,
  toReview,
} from "../support/flows.js";

const eventOf = (w: World, who: Parameters<World["as"]>[0], id: string, event: Record<string, unknown>) =>
  w.as(who).post(`/api/v1/assignments/${id}/events`, event);

async function historyEvents(w: World, id: string) {
  const h = await w.as("leadership").get(`/api/v1/assignments/${id}/history`);
  expect(h.status).to.equal(200);
  return h.body.data as Array<{ event: string; reason: string | null; payload: Record<string, unknown> }>;
}

describe("issue 12: confidentiality, self-initiated work and the order of things", () => {
  it(
    "shows an agency's confidential order to the clerk and leadership on arrival, to the staff leadership " +
      "names (on the record), and to nobody else",
    async () => {
      const w = await createWorld();
      const a = await placeOrder(w, { confidential: true, title: "Đề án bố trí lực lượng phòng thủ khu vực (mật)" });
      const status = async (who: Parameters<World["as"]>[0]) =>
        (await w.as(who).get(`/api/v1/assignments/${a.id}`)).status;
      expect(await status("clerk"), "the clerk registers it").to.equal(200);
      expect(await status("leadership"), "leadership decides on it").to.equal(200);
      expect(await status("secretariat")).to.equal(404);
      expect(await status("admin")).to.equal(404);
      await send(w, "clerk", a.id, { type: "order.register" });
      expect(
        (await w.as("secretariat").post(`/api/v1/assignments/${a.id}/staff`, { add: [w.userFor("secretariat").id] }))
          .status,
        "only leadership names the staff",
      ).to.equal(404);
      const named = await w
        .as("leadership")
        .post(`/api/v1/assignments/${a.id}/staff`, { add: [w.userFor("secretariat").id], note: "Phân công xử lý" });
      expect(named.status, JSON.stringify(named.body)).to.equal(200);
      expect(named.body.data.staffUserIds).to.include(w.userFor("secretariat").id);
      expect(await status("secretariat")).to.equal(200);
      expect(await status("admin"), "admin stays outside").to.equal(404);
      const bad = await w
        .as("leadership")
        .post(`/api/v1/assignments/${a.id}/staff`, { add: [w.userFor("expert0").id] });
      expect(bad.status).to.equal(400);
      expect(bad.body.error.code).to.equal("staff_user_not_found");
      await send(w, "secretariat", a.id, { type: "order.proposeAccept", note: "Đúng phạm vi." });
      await send(w, "leadership", a.id, { type: "order.accept" });
      await send(w, "secretariat", a.id, { type: "plan.submit", workPlan: "Tổ chuyên gia.", costEstimate: 0 });

      // The register: the clerk sees the letter; the admin only that a confidential item exists.
      const mine = (await w.as("clerk").get("/api/v1/documents")).body.data;
      const letter = mine.find((d: { kind: string }) => d.kind === "acceptanceLetter");
      expect(letter.title).to.contain("phòng thủ");
      expect(letter.register).to.equal("CV-MAT");
      const adminDocs = await w.as("admin").get("/api/v1/documents");
      expect(adminDocs.status).to.equal(200);
      expect(JSON.stringify(adminDocs.body)).to.not.contain("phòng thủ");
      const masked = adminDocs.body.data.find((d: { id: string }) => d.id === letter.id);
      expect(masked.title).to.equal(`Nhiệm vụ mật ${a.code}`);
      expect(masked.verifyCode).to.equal(null);
      expect((await w.as("admin").get(`/api/v1/documents/${letter.id}/pdf`)).status).to.equal(404);

      const removed = await w
        .as("leadership")
        .post(`/api/v1/assignments/${a.id}/staff`, { remove: [w.userFor("secretariat").id], note: "Điều chuyển" });
      expect(removed.status).to.equal(200);
      expect(await status("secretariat")).to.equal(404);
      const staffRows = (await historyEvents(w, a.id)).filter((h) => h.event.startsWith("staff."));
      expect(staffRows.map((h) => [h.event, h.reason])).to.deep.equal([
        ["staff.add", "Phân công xử lý"],
        ["staff.remove", "Điều chuyển"],
      ]);
    },
  );

  it("numbers confidential documents apart and prints their symbol with /M, so no two numbers read alike", async () => {
    const w = await createWorld();
    const open = await placeOrder(w);
    const secret = await placeOrder(w, { confidential: true });
    const named = await w.as("leadership").post(`/api/v1/assignments/${secret.id}/staff`, {
      add: [w.userFor("secretariat").id],
    });
    expect(named.status).to.equal(200);
    for (const a of [open, secret]) {
      await toPlanning(w, a.id);
      await send(w, "secretariat", a.id, { type: "plan.submit", workPlan: "Hội đồng.", costEstimate: 0 });
    }
    const docs = await w.db.select().from(documents).where(eq(documents.organizationId, w.org.id));
    const letters = docs.filter((d) => d.kind === "acceptanceLetter");
    expect(letters.map((d) => [d.register, d.number]).sort()).to.deep.equal([
      ["CV", 1],
      ["CV-MAT", 1],
    ]);
    const labels = await Promise.all(
      letters.map(async (d) => (await buildViewModel(w.db, d, { now: w.clock.now() })).numberLabel),
    );
    expect(new Set(labels).size).to.equal(2);
    expect(labels.find((l) => l?.endsWith("/M"))).to.match(/^01\/LHH-[^/]+\/M$/);
    expect(numberLabelOf("panelDecision", 1, { issuerAbbr: "LHH", unitAbbr: "TVPB" }, true)).to.equal("01/QĐ-LHH/M");
    const secretLetter = letters.find((d) => d.register === "CV-MAT")!;
    const vm = (await buildViewModel(w.db, secretLetter, { now: w.clock.now() })).vm;
    expect(vm.secrecy).to.equal("MẬT");
  });

  it("lists a confidential assignment in the activity report only as 'Nhiệm vụ mật' and its code", async () => {
    const w = await createWorld();
    const secret = await placeOrder(w, { confidential: true, title: "Quy hoạch khu vực phòng thủ (mật)" });
    await placeOrder(w, { title: "Đề án phát triển du lịch cộng đồng" });
    const res = await w.as("leadership").post("/api/v1/activity-reports", { year: 2026, quarter: 1 });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const [row] = await w.db.select().from(documents).where(eq(documents.id, res.body.data.id));
    const vm = (await buildViewModel(w.db, row, { now: w.clock.now() })).vm as DocumentModels["activityReport"];
    expect(JSON.stringify(vm)).to.not.contain("phòng thủ");
    expect(vm.rows.map((r) => r.title)).to.include.members([
      `Nhiệm vụ mật ${secret.code}`,
      "Đề án phát triển du lịch cộng đồng",
    ]);
  });

  it("issues a period's activity report once, even under concurrent requests; a later one is its correction", async () => {
    const w = await createWorld();
    const tries = await Promise.all(
      [1, 1, 1].map((quarter) => w.as("clerk").post("/api/v1/activity-reports", { year: 2026, quarter })),
    );
    expect(tries.map((r) => r.status).sort()).to.deep.equal([201, 409, 409]);
    const refused = tries.find((r) => r.status === 409)!;
    expect(refused.body.error.code).to.equal("activity_report_exists");
    const first = tries.find((r) => r.status === 201)!.body.data;
    const q2 = await w.as("clerk").post("/api/v1/activity-reports", { year: 2026, quarter: 2 });
    expect(q2.status, "another period").to.equal(201);
    const noReport = await w
      .as("clerk")
      .post("/api/v1/activity-reports", { year: 2026, quarter: 3, correctionReason: "Sai số liệu" });
    expect(noReport.status).to.equal(400);
    expect(noReport.body.error.code).to.equal("nothing_to_correct");
    const correction = await w
      .as("leadership")
      .post("/api/v1/activity-reports", { year: 2026, quarter: 1, correctionReason: "Bổ sung số liệu quý I." });
    expect(correction.status, JSON.stringify(correction.body)).to.equal(201);
    expect(correction.body.data.correctsId).to.equal(first.id);
    const reports = (await w.as("clerk").get("/api/v1/documents")).body.data.filter(
      (d: { kind: string }) => d.kind === "activityReport",
    );
    expect(reports).to.have.length(3);
  });

  it("records delivery only after the report and cover letter are issued", async () => {
    const w = await createWorld();
    const a = await placeOrder(w, { forms: ["expert_group", "written"] });
    await toPlanning(w, a.id);
    await toReview(w, a.id, 2);
    await submitOpinions(w, a.id, [0, 1]);
    await send(w, "secretariat", a.id, { type: "review.close" });
    await toIssuing(w, a.id, false);
    await send(w, "clerk", a.id, { type: "report.issue" });
    const early = await eventOf(w, "clerk", a.id, { type: "delivery.recorded", channel: "email" });
    expect(early.status).to.equal(409);
    expect(early.body.error.code).to.equal("rule_violated");
    expect(early.body.error.message).to.match(/ban hành/);
    await markIssued(w, a.id);
    const ok = await eventOf(w, "clerk", a.id, { type: "delivery.recorded", channel: "email" });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
    expect(ok.body.data.state).to.equal("awaitingResponse");
  });

  it("records the workshop's minutes only on or after the workshop's day", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    await toPlanning(w, a.id);
    await toReview(w, a.id, 3);
    await send(w, "secretariat", a.id, {
      type: "workshop.schedule",
      scheduledAt: "2026-03-20T08:00:00+07:00",
      place: "Hội trường Liên hiệp hội",
    });
    const minutes = { type: "workshop.record", minutes: "Hội thảo thống nhất kiến nghị.", attendees: ["TS. Hưng"] };
    const early = await eventOf(w, "secretariat", a.id, minutes);
    expect(early.status).to.equal(409);
    expect(early.body.error.code).to.equal("rule_violated");
    expect(early.body.error.details?.rule ?? "workshopDayReached").to.equal("workshopDayReached");
    w.clock.set("2026-03-20T09:30:00+07:00");
    const ok = await eventOf(w, "secretariat", a.id, minutes);
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
  });

  it(
    "lets an expert accept declaring a conflict; the secretariat waives it with a written reason or replaces " +
      "the expert",
    async () => {
      const w = await createWorld();
      const a = await placeOrder(w, { forms: ["expert_group", "written"] });
      await toPlanning(w, a.id);
      await send(w, "secretariat", a.id, { type: "plan.submit", workPlan: "Tổ chuyên gia.", costEstimate: 0 });
      await send(w, "secretariat", a.id, {
        type: "panel.invite",
        members: [0, 1, 2].map((i) => ({ expertId: w.experts[i].id, role: "member" })),
        alternates: [{ expertId: w.experts[3].id, role: "member" }],
      });
      const declare = async (i: number, note: string) => {
        const inv = await invitationOf(w, a.id, i);
        return w.as(`expert${i}`).post(`/api/v1/invitations/${inv.id}/events`, {
          type: "invitation.accept",
          declaration: { noConflict: false, confidentiality: true, note },
        });
      };
      const silent = await w.as("expert0").post(`/api/v1/invitations/${(await invitationOf(w, a.id, 0)).id}/events`, {
        type: "invitation.accept",
        declaration: { noConflict: false, confidentiality: true },
      });
      expect(silent.status, "a conflict must be described").to.equal(409);
      expect((await declare(0, "Tôi từng góp ý dự thảo lần 1 theo đề nghị của Sở.")).status).to.equal(200);
      expect((await declare(2, "Tôi là thành viên tổ biên tập dự thảo.")).status).to.equal(200);
      await accept(w, a.id, 1);
      const blocked = await eventOf(w, "secretariat", a.id, { type: "panel.submit" });
      expect(blocked.status).to.equal(409);
      expect(blocked.body.error.code).to.equal("rule_violated");
      const inv0 = await invitationOf(w, a.id, 0);
      const inv2 = await invitationOf(w, a.id, 2);
      const noReason = await eventOf(w, "secretariat", a.id, { type: "conflict.waive", invitationId: inv0.id });
      expect(noReason.status).to.equal(400);
      const reason = "Góp ý lần 1 không phải là tham gia soạn thảo; không ảnh hưởng tính độc lập.";
      await send(w, "secretariat", a.id, { type: "conflict.waive", invitationId: inv0.id, reason });
      await send(w, "secretariat", a.id, {
        type: "conflict.replace",
        invitationId: inv2.id,
        reason: "Thành viên tổ biên tập: thay bằng chuyên gia dự bị.",
      });
      const [cancelled] = await w.db.select().from(invitations).where(eq(invitations.id, inv2.id));
      expect(cancelled.state).to.equal("cancelled");
      const [alternate] = await w.db
        .select()
        .from(invitations)
        .where(and(eq(invitations.assignmentId, a.id), eq(invitations.expertId, w.experts[3].id)));
      expect(alternate.state).to.equal("invited");
      const waived = (await historyEvents(w, a.id)).find((h) => h.event === "conflict.waive");
      expect(waived?.reason).to.equal(reason);
      const submitted = await send(w, "secretariat", a.id, { type: "panel.submit" });
      expect(submitted.state).to.equal("panelFormation.proposed");
      await send(w, "leadership", a.id, { type: "panel.approve" });
      const [decision] = await w.db
        .select()
        .from(documents)
        .where(and(eq(documents.assignmentId, a.id), eq(documents.kind, "panelDecision")));
      const vm = (await buildViewModel(w.db, decision, { now: w.clock.now() })).vm as DocumentModels["panelDecision"];
      expect(vm.conflictWaivers).to.have.length(1);
      expect(vm.conflictWaivers![0]).to.contain(reason);
    },
  );

  it(
    "sends self-initiated work's result to the authorities the Union chose, with no acceptance letter, and " +
      "closes it after delivery when no answer is asked",
    async () => {
      const w = await createWorld();
      const created = await w.as("secretariat").post("/api/v1/assignments", {
        type: "critique",
        forms: ["expert_group", "written"],
        subjectKind: "draft_resolution",
        origin: "self_initiated",
        title: "Dự thảo Nghị quyết HĐND tỉnh quy định chính sách thu hút, trọng dụng trí thức",
        draftingAgency: "Sở Nội vụ tỉnh Tuyên Quang",
        recipients: [{ agencyId: w.agency.id }, { name: "Ban Thường vụ Tỉnh ủy Tuyên Quang", email: "tinhuy@test.vn" }],
      });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
      const id = created.body.data.id as string;
      await toPlanning(w, id);
      await toReview(w, id, 2);
      await submitOpinions(w, id, [0, 1]);
      await send(w, "secretariat", id, { type: "review.close" });
      await toIssuing(w, id, false);
      await send(w, "clerk", id, { type: "report.issue" });
      const kinds = (await w.db.select().from(documents).where(eq(documents.assignmentId, id))).map((d) => d.kind);
      expect(kinds).to.include.members(["finalReport", "coverLetter"]);
      expect(kinds).to.not.include.members(["acceptanceLetter"]);
      const [cover] = await w.db
        .select()
        .from(documents)
        .where(and(eq(documents.assignmentId, id), eq(documents.kind, "coverLetter")));
      const vm = (await buildViewModel(w.db, cover, { now: w.clock.now() })).vm as DocumentModels["coverLetter"];
      expect(vm.addressees).to.deep.equal(["Ủy ban nhân dân tỉnh Tuyên Quang", "Ban Thường vụ Tỉnh ủy Tuyên Quang"]);
      expect(JSON.stringify(vm.addressees)).to.not.match(/Liên hiệp/);
      expect(vm.answerRequested).to.equal(false);
      await markIssued(w, id);
      const closed = await send(w, "clerk", id, { type: "delivery.recorded", channel: "email" });
      expect(closed.state).to.equal("closed");
      expect(closed.deadlines).to.have.length(0);
      // The result mail waits for the rendered PDFs (no Chromium here); who it goes to is settled now.
      const [row] = await w.db.select().from(assignments).where(eq(assignments.id, id));
      const to = await resolveRecipients(w.db, row, "recipients", id);
      expect(to.map((r) => r.address)).to.include.members([w.agency.email!, "tinhuy@test.vn"]);
      const asked = await w.as("secretariat").post("/api/v1/assignments", {
        type: "consultancy",
        forms: ["written"],
        subjectKind: "plan",
        origin: "self_initiated",
        title: "Kế hoạch chuyển đổi số",
        recipients: [{ name: "Hội đồng nhân dân tỉnh Tuyên Quang", answerRequested: true }],
      });
      expect(asked.status).to.equal(201);
      const ordered = await w
        .as("secretariat")
        .post("/api/v1/assignments", { ...created.body.data, agencyId: w.agency.id, recipients: [{ name: "X" }] });
      expect(ordered.status).to.equal(400);
    },
  );
});
