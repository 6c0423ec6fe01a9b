/** Steps of an assignment's life through the HTTP API, shared by the lifecycle tests. */
import { expect } from "chai";
import { and, eq } from "drizzle-orm";
import { documents, invitations } from "../../server/db/schema.js";
import { opinionBody, orderBody, reportBody, type World } from "./testApp.js";

type Who = Parameters<World["as"]>[0];

/** Sends an event and expects success; returns the assignment. */
export async function send(w: World, who: Who, id: string, event: Record<string, unknown>) {
  const res = await w.as(who).post(`/api/v1/assignments/${id}/events`, event).set("Prefer", "return=representation");
  if (res.status !== 200) throw new Error(`${String(event.type)} as ${who}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

/** The agency places an order; returns the assignment. */
export async function placeOrder(w: World, over: Record<string, unknown> = {}, who: Who = "agency") {
  const res = await w.as(who).post("/api/v1/assignments", orderBody(over));
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.data;
}

/** ordered → planning (registered, proposed, accepted). */
export async function toPlanning(w: World, id: string) {
  await send(w, "clerk", id, { type: "order.register" });
  await send(w, "secretariat", id, { type: "order.proposeAccept", note: "Đúng phạm vi, hồ sơ đầy đủ." });
  return send(w, "leadership", id, { type: "order.accept" });
}

export async function invitationOf(w: World, id: string, expertIndex: number) {
  const [inv] = await w.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.assignmentId, id), eq(invitations.expertId, w.experts[expertIndex].id)));
  return inv;
}

export async function accept(w: World, id: string, expertIndex: number) {
  const inv = await invitationOf(w, id, expertIndex);
  const res = await w.as(`expert${expertIndex}`).post(`/api/v1/invitations/${inv.id}/events`, {
    type: "invitation.accept",
    declaration: { noConflict: true, confidentiality: true },
  });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
}

/** planning → underReview with experts 0..n-1 (0 is chair). */
export async function toReview(w: World, id: string, n = 3) {
  await send(w, "secretariat", id, {
    type: "plan.submit",
    workPlan: "Họp Hội đồng và hội thảo thực địa; 15 ngày nhận xét.",
    costEstimate: 45000000,
    reviewDays: 15,
  });
  await send(w, "secretariat", id, {
    type: "panel.invite",
    members: Array.from({ length: n }, (_, i) => ({ expertId: w.experts[i].id, role: i === 0 ? "chair" : "member" })),
  });
  for (let i = 0; i < n; i++) await accept(w, id, i);
  await send(w, "secretariat", id, { type: "panel.submit" });
  return send(w, "leadership", id, { type: "panel.approve" });
}

export async function submitOpinions(w: World, id: string, experts: number[]) {
  for (const i of experts) {
    const d = await w.as(`expert${i}`).put(`/api/v1/assignments/${id}/opinion`, opinionBody(i));
    expect(d.status, JSON.stringify(d.body)).to.equal(200);
    const s = await w.as(`expert${i}`).post(`/api/v1/assignments/${id}/opinion/submit`);
    expect(s.status, JSON.stringify(s.body)).to.equal(200);
  }
}

/** consolidation → issuing (draft saved, submitted, endorsed by the chair when a council, approved). */
export async function toIssuing(w: World, id: string, council = true) {
  const r = await w.as("secretariat").post(`/api/v1/assignments/${id}/report`, reportBody(2));
  expect(r.status, JSON.stringify(r.body)).to.equal(201);
  await send(w, "secretariat", id, { type: "report.submit" });
  if (council) await send(w, "expert0", id, { type: "report.endorse" });
  return send(w, "leadership", id, { type: "report.approve" });
}

/**
 * Stands in for the renderer in tests without Chromium: the assignment's documents still being
 * issued become issued (no PDF), so that the delivery that needs them can be recorded.
 */
export async function markIssued(w: World, id: string) {
  await w.db
    .update(documents)
    .set({ status: "issued" })
    .where(and(eq(documents.assignmentId, id), eq(documents.status, "issuing")));
}

/** issuing → closed: issued, delivered, every recommendation answered, closed. */
export async function toClosed(w: World, id: string) {
  const sent = await send(w, "clerk", id, { type: "report.issue" });
  expect(sent.state).to.equal("sent");
  await markIssued(w, id);
  await send(w, "clerk", id, { type: "delivery.recorded", channel: "email" });
  const a = (await w.as("agency").get(`/api/v1/assignments/${id}`)).body.data;
  const answers = a.recommendations.map((r: { id: string }, i: number) =>
    i === 0
      ? { recommendationId: r.id, status: "accepted" }
      : { recommendationId: r.id, status: "partly", explanation: "Tiếp thu một phần do hạn chế nguồn lực ngân sách." },
  );
  const responded = await send(w, "agency", id, { type: "response.submit", answers });
  expect(responded.state).to.equal("responded");
  return send(w, "secretariat", id, { type: "assignment.close", note: "Đã thanh quyết toán, lưu hồ sơ." });
}
