/** Steps of an annual plan's year through the HTTP API, and the extra people it needs. */
import { expect } from "chai";
import request from "supertest";
import { apiTokens, memberAssociations, users } from "../../server/db/schema.js";
import { newSecret } from "../../server/auth/passwords.js";
import type { World } from "./testApp.js";

type Client = ReturnType<World["as"]>;

/** A client acting as a new user of the world's organisation with these roles (and links). */
export async function personFor(
  w: World,
  roles: string[],
  more: { memberAssociationId?: string; expertId?: string; fullName?: string } = {},
): Promise<Client & { userId: string }> {
  const tag = Math.random().toString(36).slice(2, 8);
  const [u] = await w.db
    .insert(users)
    .values({
      organizationId: w.org.id,
      email: `${roles[0]}-${tag}@test.vn`,
      fullName: more.fullName ?? `Người dùng ${roles[0]} ${tag}`,
      roles,
      memberAssociationId: more.memberAssociationId ?? null,
      expertId: more.expertId ?? null,
    })
    .returning();
  const { token, hash } = newSecret("tvpb_");
  await w.db.insert(apiTokens).values({ organizationId: w.org.id, userId: u.id, name: "test", tokenHash: hash });
  const auth = (r: request.Test) => r.set("Authorization", `Bearer ${token}`);
  return {
    userId: u.id,
    get: (url: string) => auth(request(w.app).get(url)),
    post: (url: string, body?: object) => auth(request(w.app).post(url)).send(body ?? {}),
    put: (url: string, body?: object) => auth(request(w.app).put(url)).send(body ?? {}),
    patch: (url: string, body?: object) => auth(request(w.app).patch(url)).send(body ?? {}),
    delete: (url: string) => auth(request(w.app).delete(url)),
    upload: (url: string) => auth(request(w.app).post(url)),
    uploadPut: (url: string) => auth(request(w.app).put(url)),
  };
}

/** A member association of the world and a user who speaks for it. */
export async function associationUser(w: World, name = "Hội Dược liệu tỉnh Tuyên Quang") {
  const [assoc] = await w.db.insert(memberAssociations).values({ organizationId: w.org.id, name }).returning();
  return { assoc, client: await personFor(w, ["association"], { memberAssociationId: assoc.id }) };
}

/** A proposal's content, realistic. */
export function proposalContent(over: Record<string, unknown> = {}) {
  return {
    title: "Phản biện Đề án phát triển cây dược liệu tỉnh Tuyên Quang giai đoạn 2027–2030",
    type: "critique",
    forms: ["council"],
    quarter: 2,
    rationale: "Đề án có tác động lớn đến sinh kế của đồng bào vùng cao; cần ý kiến độc lập của các nhà khoa học.",
    estimatedCost: 45_000_000,
    draftingAgency: "Sở Nông nghiệp và Môi trường tỉnh Tuyên Quang",
    subjectKind: "scheme",
    ...over,
  };
}

/** Sends a plan event and expects 200; returns the plan. */
export async function planEvent(client: Client, planId: string, event: Record<string, unknown>) {
  const res = await client.post(`/api/v1/annual-plans/${planId}/events`, event);
  expect(res.status, `${String(event.type)}: ${JSON.stringify(res.body)}`).to.equal(200);
  return res.body.data;
}

/** Posts a proposal and expects 201; returns the new item's id. */
export async function propose(client: Client, planId: string, over: Record<string, unknown> = {}) {
  const res = await client.post(`/api/v1/annual-plans/${planId}/proposals`, { content: proposalContent(over) });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.data.itemId as string;
}

/** A small real PDF, as the province's scanned decision. */
export const DECISION_PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

/** Records the province's decision (multipart) and expects 201; returns the plan. */
export async function recordDecision(client: Client, planId: string, decision: Record<string, unknown>) {
  const res = await client
    .upload(`/api/v1/annual-plans/${planId}/decisions`)
    .field("decision", JSON.stringify(decision))
    .attach("file", DECISION_PDF, { filename: "QĐ phê duyệt danh mục.pdf", contentType: "application/pdf" });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.data;
}
