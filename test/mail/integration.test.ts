/**
 * Mail end to end: an assignment driven through the HTTP API, the real effect worker, the real
 * templates and data builder, and the in-memory mailer. Asserts what each party actually reads.
 */
import { expect } from "chai";
import { and, desc, eq, like } from "drizzle-orm";
import { deadlines, effects, mailMessages } from "../../server/db/schema.js";
import { EffectError } from "../../server/errors.js";
import { formatShortDate } from "../../server/documents/format.js";
import { verifyActionToken } from "../../server/mail/links.js";
import { TEST_LINK_SECRET } from "../support/testApp.js";
import { reportMailFailure } from "../../server/effects/sendMail.js";
import type { OutgoingMail } from "../../server/adapters/mailer.js";
import { createWorld, type World } from "../support/testApp.js";
import { invitationOf, placeOrder, send, toReview } from "../support/flows.js";

const to = (m: OutgoingMail) => m.to.map((t) => t.address.toLowerCase());
const mailsTo = (w: World, address: string | null | undefined) =>
  w.mailer.sent.filter((m) => to(m).includes(String(address).toLowerCase()));

async function dueOf(w: World, assignmentId: string, key: string) {
  const [d] = await w.db
    .select()
    .from(deadlines)
    .where(and(eq(deadlines.assignmentId, assignmentId), eq(deadlines.key, key)))
    .orderBy(desc(deadlines.createdAt))
    .limit(1);
  expect(d, `deadline ${key}`).to.exist;
  return formatShortDate(d.dueAt);
}

function expectClean(m: OutgoingMail) {
  for (const [part, s] of [
    ["subject", m.subject],
    ["html", m.html],
    ["text", m.text],
  ] as const) {
    expect(s, `${m.subject} ${part}`).to.not.contain("{{");
    expect(s, `${m.subject} ${part}`).to.not.contain("undefined");
    expect(s, `${m.subject} ${part}`).to.not.contain("[object Object]");
  }
  expect(m.text, m.subject).to.not.match(/^(Kính gửi|Dear)\s*[,:]?\s*$/m);
  expect(m.html, m.subject).to.not.match(/(Kính gửi|Dear)\s*,/);
}

describe("mail, end to end", () => {
  let w: World;
  let id: string;
  const agencyUser = () => w.userFor("agency").email;
  const secretariat = () => w.userFor("secretariat").email;

  before(async () => {
    w = await createWorld();
    id = (await placeOrder(w)).id;
  });

  it("acknowledges the order to the agency with the screening due date", async () => {
    await send(w, "clerk", id, { type: "order.register" });
    await w.settled();
    const [m] = mailsTo(w, agencyUser());
    expect(m, "acknowledgement").to.exist;
    expect(m.text).to.contain(await dueOf(w, id, "screening"));
    expect(m.text).to.contain("Ủy ban nhân dân tỉnh Tuyên Quang");
    expect(m.text).to.contain("phản biện");
    expect(m.headers?.["X-TVPB-Assignment"]).to.be.a("string");
  });

  it("lists the missing documents by name in the documents request", async () => {
    const missing = ["Tờ trình đề nghị phê duyệt Đề án", "Dự toán kinh phí thực hiện Đề án"];
    await send(w, "secretariat", id, { type: "documents.request", missingDocuments: missing });
    await w.settled();
    const m = mailsTo(w, w.agency.email).find((x) => missing.every((d) => x.text.includes(d)));
    expect(m, "documents.requested to the agency's address").to.exist;
    expect(m!.html).to.contain(missing[0]);
    expect(m!.text).to.match(/\d{2}\/LHH-TVPB/); // the letter's number
  });

  it("sends each invited expert an invitation whose accept and decline links verify for that invitation", async () => {
    await send(w, "agency", id, { type: "documents.supply", note: "Đã bổ sung." });
    await send(w, "secretariat", id, { type: "order.proposeAccept", note: "Đúng phạm vi." });
    await send(w, "leadership", id, { type: "order.accept" });
    await toReview(w, id, 3);
    await w.settled();
    for (let i = 0; i < 3; i++) {
      const inv = await invitationOf(w, id, i);
      const m = mailsTo(w, w.experts[i].email).find((x) => x.text.includes("/invitations/respond?token="));
      expect(m, `invitation to expert ${i}`).to.exist;
      const tokens = [...m!.text.matchAll(/\/invitations\/respond\?token=([A-Za-z0-9_.-]+)/g)].map((x) => x[1]);
      expect(tokens).to.have.length(2);
      const accept = verifyActionToken(tokens[0], {
        secret: TEST_LINK_SECRET,
        now: w.clock.now(),
        purpose: "invitation.accept",
      });
      const decline = verifyActionToken(tokens[1], {
        secret: TEST_LINK_SECRET,
        now: w.clock.now(),
        purpose: "invitation.decline",
      });
      for (const p of [accept, decline]) {
        expect(p.subjectId).to.equal(inv.id);
        expect(p.email).to.equal(w.experts[i].email!.toLowerCase());
        expect(p.expiresAt.getTime()).to.be.greaterThan(inv.dueAt!.getTime());
      }
      expect(m!.text).to.contain(formatShortDate(inv.dueAt!)); // respond by
      expect(m!.text).to.contain(i === 0 ? "Chủ tịch Hội đồng" : "Thành viên");
    }
  });

  it("tells the panel the decision is issued, with the opinion due date", async () => {
    const due = await dueOf(w, id, "review");
    for (let i = 0; i < 3; i++) {
      const m = mailsTo(w, w.experts[i].email).find((x) => x.subject.includes("Quyết định thành lập"));
      expect(m, `panel.approved to expert ${i}`).to.exist;
      expect(m!.text).to.contain(due);
      expect(m!.text).to.match(/Quyết định số \d{2}\/QĐ-LHH ngày \d{2}\/\d{2}\/\d{4}/);
      expect(m!.text).to.contain(`http://tvpb.test/assignments/${id}`);
    }
  });

  it("tells the secretariat of an extension request and the expert of the new due date", async () => {
    const before = w.mailer.sent.length;
    await send(w, "expert1", id, {
      type: "extension.request",
      days: 7,
      reason: "Cần khảo sát bổ sung vùng trồng tại xã Lũng Cú.",
    });
    await w.settled();
    const req = w.mailer.sent.slice(before).find((m) => to(m).includes(secretariat().toLowerCase()));
    expect(req, "extension.requested").to.exist;
    expect(req!.text).to.contain("Cần khảo sát bổ sung vùng trồng tại xã Lũng Cú.");
    expect(req!.text).to.contain("7 ngày");
    await send(w, "secretariat", id, { type: "extension.grant", expertId: w.experts[1].id });
    await w.settled();
    const newDue = await dueOf(w, id, `review:${w.experts[1].id}`);
    const m = mailsTo(w, w.experts[1].email).find((x) => x.subject.startsWith("Đồng ý gia hạn"));
    expect(m, "extension.decided").to.exist;
    expect(m!.subject).to.contain(newDue);
    expect(m!.text).to.contain(await dueOf(w, id, "review"));
  });

  it("carries the reasons in the decline mail", async () => {
    const b = (await placeOrder(w, { title: "Quy hoạch chung đô thị Na Hang đến năm 2045" })).id;
    await send(w, "clerk", b, { type: "order.register" });
    await send(w, "secretariat", b, {
      type: "order.proposeDecline",
      reasons:
        "Nội dung không thuộc phạm vi phản biện xã hội của Liên hiệp hội.\nThời hạn đề nghị không đủ để thành " +
        "lập Hội đồng.",
    });
    await send(w, "leadership", b, { type: "order.decline" });
    await w.settled();
    const m = mailsTo(w, agencyUser()).find(
      (x) => x.text.includes("Quy hoạch chung đô thị Na Hang") && x.text.includes("Nội dung không thuộc phạm vi"),
    );
    expect(m, "order.declined").to.exist;
    expect(m!.text).to.contain("Thời hạn đề nghị không đủ để thành lập Hội đồng.");
  });

  it("renders no subject or body with blanks, placeholders or 'undefined'", () => {
    expect(w.mailer.sent.length).to.be.greaterThan(10);
    for (const m of w.mailer.sent) expectClean(m);
  });

  it("marks a permanently refused mail failed and queues delivery.failed to the secretariat", async () => {
    const agencyAddress = w.agency.email!.toLowerCase();
    w.mailer.failNext = (m) =>
      to(m).includes(agencyAddress)
        ? new EffectError("Mail rejected: 550 5.1.1 Mailbox does not exist", true, "mail_rejected")
        : undefined;
    const c = (await placeOrder(w, { title: "Dự án hồ chứa nước Khuổi Nhừ" })).id;
    await send(w, "clerk", c, { type: "order.register" });
    await w.settled();
    w.mailer.failNext = undefined;
    const [failedEffect] = await w.db
      .select()
      .from(effects)
      .where(and(eq(effects.assignmentId, c), eq(effects.status, "failed")));
    expect(failedEffect, "the mail effect failed permanently (no retry)").to.exist;
    expect(failedEffect.attempts).to.equal(1);
    const [row] = await w.db
      .select()
      .from(mailMessages)
      .where(like(mailMessages.idempotencyKey, `${failedEffect.idempotencyKey}:${agencyAddress}`));
    expect(row.status).to.equal("failed");
    expect(row.error).to.contain("550");
    // The test world's worker has no onFailed; server.ts wires reportMailFailure there.
    await reportMailFailure({ db: w.db, clock: w.clock }, failedEffect, new Error(failedEffect.lastError ?? ""));
    // A second report is idempotent.
    await reportMailFailure({ db: w.db, clock: w.clock }, failedEffect, new Error(failedEffect.lastError ?? ""));
    const queued = await w.db
      .select()
      .from(effects)
      .where(eq(effects.idempotencyKey, `${failedEffect.idempotencyKey}:failed`));
    expect(queued).to.have.length(1);
    await w.settled();
    const m = mailsTo(w, secretariat()).filter((x) => x.subject.includes("Không gửi được thư"));
    expect(m).to.have.length(1);
    expect(m[0].text).to.contain(agencyAddress);
    expect(m[0].text).to.contain("550 5.1.1");
    expectClean(m[0]);
  });

  it("fails an unknown template permanently instead of retrying", async () => {
    const { queueEffect } = await import("../../server/runtime/queueEffect.js");
    await w.db.transaction((tx) =>
      queueEffect(tx, {
        organizationId: w.org.id,
        assignmentId: id,
        kind: "mail",
        payload: { template: "no.such.template", to: "secretariat", workflow: "assignment", workflowId: id },
        idempotencyKey: `test-unknown-${id}`,
        runAfter: w.clock.now(),
      }),
    );
    await w.settled();
    const [e] = await w.db
      .select()
      .from(effects)
      .where(eq(effects.idempotencyKey, `test-unknown-${id}`));
    expect(e.status).to.equal("failed");
    expect(e.attempts).to.equal(1);
    expect(e.lastError).to.contain("no.such.template");
  });
});
