import { expect } from "chai";
import { asc, eq } from "drizzle-orm";
import { deadlines, history } from "../../server/db/schema.js";
import { createWorld } from "../support/testApp.js";
import {
  accept,
  invitationOf,
  placeOrder,
  send,
  submitOpinions,
  toClosed,
  toIssuing,
  toPlanning,
  toReview,
} from "../support/flows.js";

describe("assignment lifecycles through the HTTP API", () => {
  it("takes a critique by a council with a workshop from the order to closure", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    expect(a.state).to.equal("ordered");
    expect(a.code).to.match(/^TVPB-2026-\d{3}$/);
    await toPlanning(w, a.id);
    await toReview(w, a.id, 3);
    await send(w, "secretariat", a.id, {
      type: "workshop.schedule",
      scheduledAt: "2026-03-02T14:00:00+07:00",
      place: "Hội trường Liên hiệp hội, số 8 Tân Trào",
    });
    await submitOpinions(w, a.id, [0, 1, 2]);
    const early = await w.as("secretariat").post(`/api/v1/assignments/${a.id}/events`, { type: "review.close" });
    expect(early.status).to.equal(409);
    expect(early.body.error.code).to.equal("rule_violated");
    await send(w, "secretariat", a.id, {
      type: "workshop.record",
      minutes: "Hội thảo thống nhất các kiến nghị chính.",
      attendees: ["PGS.TS. Nguyễn Thị Phương Thảo", "TS. Trần Đức Hưng"],
    });
    const c = await send(w, "secretariat", a.id, { type: "review.close" });
    expect(c.state).to.equal("consolidation");
    const approved = await toIssuing(w, a.id, true);
    expect(approved.state).to.equal("issuing");
    const closed = await toClosed(w, a.id);
    expect(closed.state).to.equal("closed");
    expect(closed.recommendations).to.have.length(2);
    expect(closed.recommendations.map((r: { response: { status: string } }) => r.response.status)).to.deep.equal([
      "accepted",
      "partly",
    ]);
    const events = closed.timeline
      .filter((t: { workflow: string }) => t.workflow === "assignment")
      .map((t: { event: string }) => t.event);
    expect(events[0]).to.equal("order.create");
    expect(events).to.include.members([
      "order.register",
      "panel.approve",
      "workshop.record",
      "report.issue",
      "response.submit",
      "assignment.close",
    ]);
    const kinds = closed.documents.map((d: { kind: string }) => d.kind);
    expect(kinds).to.include.members([
      "acceptanceLetter",
      "panelDecision",
      "meetingInvitation",
      "minutes",
      "finalReport",
      "coverLetter",
    ]);
    const numbered = closed.documents.filter((d: { number: number | null }) => d.number !== null);
    expect(numbered.find((d: { kind: string }) => d.kind === "finalReport").register).to.equal("BC");
  });

  it("runs a consultancy by written opinions from an expert group without a chair's endorsement", async () => {
    const w = await createWorld();
    const a = await placeOrder(w, {
      type: "consultancy",
      forms: ["expert_group", "written"],
      subjectKind: "plan",
      title: "Kế hoạch ứng dụng khoa học công nghệ và chuyển đổi số trong sản xuất nông nghiệp",
    });
    await toPlanning(w, a.id);
    await toReview(w, a.id, 2);
    await submitOpinions(w, a.id, [0, 1]);
    await send(w, "secretariat", a.id, { type: "review.close" });
    await w.as("secretariat").post(`/api/v1/assignments/${a.id}/report`, {
      content: { sections: [], recommendations: [{ text: "Bổ sung chỉ tiêu định lượng." }], conclusion: "fit" },
    });
    const sub = await send(w, "secretariat", a.id, { type: "report.submit" });
    expect(sub.state).to.equal("approval.awaitingLeadership");
    await send(w, "leadership", a.id, { type: "report.approve" });
    const closed = await toClosed(w, a.id);
    expect(closed.state).to.equal("closed");
  });

  it("runs a critique the Union initiates itself, with no ordering agency", async () => {
    const w = await createWorld();
    const res = await w.as("secretariat").post("/api/v1/assignments", {
      type: "critique",
      forms: ["council"],
      subjectKind: "draft_resolution",
      origin: "self_initiated",
      title: "Dự thảo Nghị quyết HĐND tỉnh quy định chính sách thu hút, trọng dụng trí thức",
    });
    expect(res.status).to.equal(201);
    expect(res.body.data.origin).to.equal("self_initiated");
    expect(res.body.data.agencyId).to.equal(null);
    await toPlanning(w, res.body.data.id);
    const r = await toReview(w, res.body.data.id, 3);
    expect(r.state).to.equal("underReview");
  });

  it("declines an order that is out of scope and writes the reply letter", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    await send(w, "clerk", a.id, { type: "order.register" });
    const noReason = await w
      .as("secretariat")
      .post(`/api/v1/assignments/${a.id}/events`, { type: "order.proposeDecline", reasons: "  " });
    expect(noReason.status).to.equal(400);
    await send(w, "secretariat", a.id, {
      type: "order.proposeDecline",
      reasons: "Nội dung thuộc phạm vi thẩm định của cơ quan chuyên môn, không thuộc chức năng TVPB.",
    });
    const d = await send(w, "leadership", a.id, { type: "order.decline" });
    expect(d.state).to.equal("declined");
    expect(d.documents.map((x: { kind: string }) => x.kind)).to.include("declineLetter");
    expect(d.deadlines).to.have.length(0);
    await w.settled();
    const toAgency = w.mailer.sent.filter((m) => m.to.some((t) => t.address === w.agency.email));
    expect(toAgency.map((m) => m.subject).join("\n")).to.match(/Phản hồi đề nghị/);
    const after = await w.as("secretariat").post(`/api/v1/assignments/${a.id}/events`, { type: "order.register" });
    expect(after.status).to.equal(409);
  });

  it("pauses the screening clock while the agency owes documents and resumes it when they arrive", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    await send(w, "clerk", a.id, { type: "order.register" });
    const before = await w.db.select().from(deadlines).where(eq(deadlines.assignmentId, a.id));
    const screening = before.find((d) => d.key === "screening" && d.status === "pending")!;
    const req = await send(w, "secretariat", a.id, {
      type: "documents.request",
      missingDocuments: ["Tờ trình của Sở Nông nghiệp và Môi trường", "Báo cáo đánh giá tác động môi trường"],
    });
    expect(req.state).to.equal("screening.awaitingDocuments");
    expect(req.missingDocuments).to.have.length(2);
    const paused = (await w.db.select().from(deadlines).where(eq(deadlines.id, screening.id)))[0];
    expect(paused.status).to.equal("paused");
    w.clock.advanceDays(10);
    await w.settled();
    expect((await w.db.select().from(deadlines).where(eq(deadlines.id, screening.id)))[0].status).to.equal("paused");
    const up = await w
      .as("agency")
      .upload(`/api/v1/assignments/${a.id}/files`)
      .field("kind", "supplement")
      .attach("file", Buffer.from("%PDF-1.4\n% tờ trình\n"), "To-trinh-bo-sung.pdf");
    expect(up.status, JSON.stringify(up.body)).to.equal(201);
    const back = await send(w, "agency", a.id, { type: "documents.supply", note: "Đã bổ sung tờ trình." });
    expect(back.state).to.equal("screening.reviewing");
    const resumed = (await w.db.select().from(deadlines).where(eq(deadlines.id, screening.id)))[0];
    expect(resumed.status).to.equal("pending");
    expect(resumed.dueAt.getTime() - w.clock.now().getTime()).to.equal(paused.remainingMs);
    expect(back.files[0].fileName).to.equal("To-trinh-bo-sung.pdf");
  });

  it("lets the agency withdraw its order and cancels everything pending", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    await toPlanning(w, a.id);
    const noReason = await w.as("agency").post(`/api/v1/assignments/${a.id}/events`, { type: "assignment.withdraw" });
    expect(noReason.status).to.equal(400);
    const wd = await send(w, "agency", a.id, {
      type: "assignment.withdraw",
      reason: "UBND tỉnh dừng xây dựng đề án để lồng ghép vào quy hoạch chung.",
    });
    expect(wd.state).to.equal("withdrawn");
    expect(wd.deadlines).to.have.length(0);
    const last = wd.timeline.at(-1);
    expect(last.reason).to.match(/dừng xây dựng/);
  });

  it("sends the report back twice with comments and approves the third version", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    await toPlanning(w, a.id);
    await toReview(w, a.id, 3);
    await send(w, "secretariat", a.id, {
      type: "workshop.schedule",
      scheduledAt: "2026-03-02T15:00:00+07:00",
      place: "Hội trường",
    });
    await send(w, "secretariat", a.id, {
      type: "workshop.record",
      minutes: "Biên bản hội thảo.",
      attendees: ["Chủ tịch Hội đồng"],
    });
    await submitOpinions(w, a.id, [0, 1, 2]);
    await send(w, "secretariat", a.id, { type: "review.close" });
    for (const round of [1, 2]) {
      await w.as("secretariat").post(`/api/v1/assignments/${a.id}/report`, {
        content: {
          sections: [],
          recommendations: [{ text: `Kiến nghị bản ${round}` }],
          conclusion: "fit_after_revision",
        },
      });
      await send(w, "secretariat", a.id, { type: "report.submit" });
      await send(w, "expert0", a.id, { type: "report.endorse" });
      const noComment = await w.as("leadership").post(`/api/v1/assignments/${a.id}/events`, { type: "report.return" });
      expect(noComment.status).to.equal(400);
      const back = await send(w, "leadership", a.id, {
        type: "report.return",
        comments: `Lần ${round}: cần làm rõ nguồn vốn thực hiện.`,
      });
      expect(back.state).to.equal("consolidation");
    }
    const final = await toIssuing(w, a.id, true);
    expect(final.state).to.equal("issuing");
    expect(final.returns).to.have.length(2);
    expect(final.reportVersion).to.equal(3);
    const reports = (await w.as("secretariat").get(`/api/v1/assignments/${a.id}/report`)).body.data;
    expect(reports.map((r: { version: number }) => r.version)).to.deep.equal([3, 2, 1]);
  });

  it("replaces an expert who declines with the next ranked alternate", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    await toPlanning(w, a.id);
    await send(w, "secretariat", a.id, { type: "plan.submit", workPlan: "Kế hoạch", costEstimate: 1000000 });
    await send(w, "secretariat", a.id, {
      type: "panel.invite",
      members: [0, 1, 2].map((i) => ({ expertId: w.experts[i].id, role: i === 0 ? "chair" : "member" })),
      alternates: [
        { expertId: w.experts[5].id, role: "member" },
        { expertId: w.experts[6].id, role: "member" },
      ],
    });
    await accept(w, a.id, 0);
    await accept(w, a.id, 1);
    const inv = await invitationOf(w, a.id, 2);
    const dec = await w.as("expert2").post(`/api/v1/invitations/${inv.id}/events`, {
      type: "invitation.decline",
      reason: "Tôi đã tham gia tổ soạn thảo đề án.",
      conflict: true,
    });
    expect(dec.status).to.equal(200);
    const stillShort = await w.as("secretariat").post(`/api/v1/assignments/${a.id}/events`, { type: "panel.submit" });
    expect(stillShort.body.error.code).to.equal("rule_violated");
    const alt = await invitationOf(w, a.id, 5);
    expect(alt.state).to.equal("invited");
    expect(alt.panelRole).to.equal("member");
    await w.settled();
    expect(w.mailer.sent.some((m) => m.to[0].address === w.experts[5].email)).to.equal(true);
    await accept(w, a.id, 5);
    await send(w, "secretariat", a.id, { type: "panel.submit" });
    const ok = await send(w, "leadership", a.id, { type: "panel.approve" });
    expect(ok.state).to.equal("underReview");
    expect(ok.panel.find((p: { expertId: string }) => p.expertId === w.experts[2].id).state).to.equal("declined");
    expect(ok.panel.find((p: { expertId: string }) => p.expertId === w.experts[6].id)).to.equal(undefined);
  });

  it(
    "reminds only the late expert before and after the review deadline, then escalates to the secretariat and " +
      "leadership",
    async () => {
      const w = await createWorld();
      const a = await placeOrder(w);
      await toPlanning(w, a.id);
      await toReview(w, a.id, 3);
      await submitOpinions(w, a.id, [0, 1]);
      await w.settled();
      const to = (addr: string, from: number) => w.mailer.sent.slice(from).filter((m) => m.to[0].address === addr);
      const secretariat = w.userFor("secretariat").email;
      const leadership = w.userFor("leadership").email;
      // Review of 15 working days from Mon 2026-03-02: due Mon 23/03 17:00; 3 WD before is Wed 18/03 08:00.
      let mark = w.mailer.sent.length;
      w.clock.set("2026-03-18T02:00:00Z");
      await w.settled();
      expect(to(w.experts[2].email!, mark), "before-3 reminder to the late expert").to.have.length(1);
      expect(to(w.experts[0].email!, mark), "nothing to an expert who submitted").to.have.length(0);
      mark = w.mailer.sent.length;
      w.clock.set("2026-03-26T02:00:00Z"); // after-2 (25/03) … escalate-secretariat (26/03)
      await w.settled();
      expect(to(w.experts[2].email!, mark).length, "one catch-up reminder, not a flood").to.equal(1);
      expect(
        to(secretariat, mark).some((m) => /quá hạn|Quá hạn|chậm/i.test(m.subject)),
        "escalation to the secretariat",
      ).to.equal(true);
      expect(to(leadership, mark), "leadership not yet").to.have.length(0);
      mark = w.mailer.sent.length;
      w.clock.set("2026-03-30T02:00:00Z"); // escalate-leadership (30/03)
      await w.settled();
      expect(to(leadership, mark).length, "escalation to leadership").to.be.greaterThan(0);
      const hist = await w.db.select().from(history).where(eq(history.assignmentId, a.id)).orderBy(asc(history.id));
      expect(
        hist
          .filter((h) => h.eventType === "deadline.reached" && h.actorName === "Hệ thống")
          .map((h) => (h.payload as { level?: string }).level ?? "due"),
      ).to.deep.equal(["due", "secretariat", "leadership"]);
      const superseded = await w.db.select().from(deadlines).where(eq(deadlines.assignmentId, a.id));
      expect(superseded.filter((d) => d.status === "superseded").map((d) => d.key)).to.include("review#due");
    },
  );
});
