/**
 * Isolation between Unions on one installation (issue 11 §3): two Unions with the same agency
 * names, the same expert e-mail and the same assignment titles. From each side, every kind of
 * resource of the other is invisible (lists, search) and unusable (detail, files, documents and
 * their PDFs, history, events, mail log, register, users, experts, tokens, settings): 404 for what
 * is addressed by id, never a row of the other in a list. No Chromium: issued documents are
 * checked through their rows.
 */
import { expect } from "chai";
import { eq } from "drizzle-orm";
import request from "supertest";
import { apiTokens, documents, experts, users } from "../../server/db/schema.js";
import { hashPassword } from "../../server/auth/passwords.js";
import { createWorld, orderBody, type World } from "../support/testApp.js";
import { placeOrder, send } from "../support/flows.js";

const SHARED_EMAIL = "chuyengia.chung@isolation.test";
const SHARED_PASSWORD = "Chung-mat-khau#2026";

type Side = {
  w: World;
  assignmentId: string;
  declinedId: string;
  fileId: string;
  documentId: string;
  expertId: string;
  adminId: string;
  tokenId: string;
};

/** One Union's side: an order with a file, a declined order with its numbered letter, the shared expert. */
async function side(): Promise<Side> {
  const w = await createWorld();
  const a = await placeOrder(w);
  const up = await w
    .as("agency")
    .upload(`/api/v1/assignments/${a.id}/files`)
    .field("kind", "request_letter")
    .attach("file", Buffer.from("%PDF-1.4\n% công văn\n"), "Cong-van.pdf");
  expect(up.status, JSON.stringify(up.body)).to.equal(201);
  const d = await placeOrder(w, { title: orderBody().title });
  await send(w, "clerk", d.id, { type: "order.register" });
  await send(w, "secretariat", d.id, { type: "order.proposeDecline", reasons: "Ngoài phạm vi hoạt động." });
  await send(w, "leadership", d.id, { type: "order.decline" });
  await w.settled();
  const [doc] = await w.db.select().from(documents).where(eq(documents.assignmentId, d.id));
  const expert = w.experts[0];
  await w.db.update(experts).set({ email: SHARED_EMAIL }).where(eq(experts.id, expert.id));
  const hash = await hashPassword(SHARED_PASSWORD);
  await w.db
    .update(users)
    .set({ email: SHARED_EMAIL, passwordHash: hash })
    .where(eq(users.id, w.userFor("expert0").id));
  const [token] = await w.db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.userId, w.userFor("admin").id));
  return {
    w,
    assignmentId: a.id,
    declinedId: d.id,
    fileId: up.body.data.id,
    documentId: doc.id,
    expertId: expert.id,
    adminId: w.userFor("admin").id,
    tokenId: token.id,
  };
}

/** Every address of `other`'s resources, as `me`'s people call them. */
function addresses(o: Side) {
  const a = `/api/v1/assignments/${o.assignmentId}`;
  return {
    get: [
      a,
      `${a}/history`,
      `${a}/files/${o.fileId}`,
      `${a}/report`,
      `${a}/mail`,
      `${a}/report.docx`,
      `${a}/drafts/finalReport`,
      `/api/v1/assignments/${o.declinedId}`,
      `/api/v1/documents/${o.documentId}/pdf`,
      `/assignments/${o.assignmentId}`,
    ],
    post: [
      [`${a}/events`, { type: "order.register" }],
      [`${a}/files`, {}],
      [`/api/v1/documents/${o.documentId}/corrections`, { reason: "Sửa lỗi chính tả." }],
      [`${a}/opinion/submit`, {}],
    ] as Array<[string, object]>,
    patch: [
      [`/api/v1/users/${o.adminId}`, { fullName: "Đổi tên" }],
      [`/api/v1/experts/${o.expertId}`, { fullName: "Đổi tên" }],
    ] as Array<[string, object]>,
    delete: [`/api/v1/tokens/${o.tokenId}`],
  };
}

const ROLES = ["agency", "secretariat", "leadership", "clerk", "admin", "expert0"] as const;

/** What `me`'s people see of `other`: nothing addressed by id, nothing in a list. */
async function checkCannotReach(me: Side, other: Side) {
  const urls = addresses(other);
  for (const role of ROLES) {
    const as = me.w.as(role);
    for (const url of urls.get) expect((await as.get(url)).status, `${role} GET ${url}`).to.be.oneOf([403, 404]);
    for (const [url, body] of urls.post)
      expect((await as.post(url, body)).status, `${role} POST ${url}`).to.be.oneOf([400, 403, 404]);
    for (const [url, body] of urls.patch)
      expect((await as.patch(url, body)).status, `${role} PATCH ${url}`).to.be.oneOf([403, 404]);
    for (const url of urls.delete)
      expect((await as.delete(url)).status, `${role} DELETE ${url}`).to.be.oneOf([403, 404]);
  }
  await checkLists(me, other);
}

async function checkLists(me: Side, other: Side) {
  const foreign = [other.assignmentId, other.declinedId, other.fileId, other.documentId, other.expertId, other.adminId];
  foreign.push(other.w.org.id, other.w.org.name, other.tokenId, other.w.agency.id);
  const lists = [
    ["secretariat", "/api/v1/assignments"],
    ["secretariat", `/api/v1/assignments?q=${encodeURIComponent("dược liệu")}`],
    ["clerk", "/api/v1/documents"],
    ["admin", "/api/v1/users"],
    ["admin", "/api/v1/experts"],
    ["secretariat", `/api/v1/experts?q=${encodeURIComponent(other.w.experts[0].fullName)}`],
    ["admin", "/api/v1/agencies"],
    ["admin", "/api/v1/member-associations"],
    ["admin", "/api/v1/settings"],
    ["admin", "/api/v1/tokens"],
    ["expert0", "/api/v1/invitations"],
    ["secretariat", "/assignments"],
    ["clerk", "/registers"],
    ["admin", "/admin/users"],
    ["admin", "/admin/experts"],
    ["admin", "/admin/settings"],
    ["admin", "/admin/documents"],
    ["secretariat", "/"],
  ] as const;
  for (const [role, url] of lists) {
    const res = await me.w.as(role).get(url);
    expect(res.status, `${role} GET ${url}`).to.equal(200);
    const text = res.text;
    for (const id of foreign) expect(text, `${role} GET ${url} shows ${id}`).to.not.include(id);
  }
  const mine = await me.w.as("secretariat").get("/api/v1/assignments");
  expect(mine.body.data.map((x: { id: string }) => x.id)).to.include(me.assignmentId);
}

describe("isolation between two Unions with the same names, e-mails and titles", function () {
  this.timeout(600_000);
  let a: Side;
  let b: Side;
  before(async () => {
    a = await side();
    b = await side();
    expect(a.w.agency.name).to.equal(b.w.agency.name);
  });

  it("the Union A's people reach nothing of the Union B, by id or in any list", async () => {
    await checkCannotReach(a, b);
  });

  it("the Union B's people reach nothing of the Union A, by id or in any list", async () => {
    await checkCannotReach(b, a);
  });

  it("an issued document's bytes and number stay with its own Union", async () => {
    const [docA] = await a.w.db.select().from(documents).where(eq(documents.id, a.documentId));
    const [docB] = await b.w.db.select().from(documents).where(eq(documents.id, b.documentId));
    expect(docA.organizationId).to.equal(a.w.org.id);
    expect(docB.organizationId).to.equal(b.w.org.id);
    expect((await a.w.as("clerk").get(`/api/v1/documents/${b.documentId}/pdf`)).status).to.equal(404);
  });

  it("a person in both Unions chooses one at sign-in; the session belongs to that Union only", async () => {
    const app = a.w.app;
    const both = await request(app).post("/api/v1/auth/login").send({ email: SHARED_EMAIL, password: SHARED_PASSWORD });
    expect(both.status).to.equal(409);
    expect(both.body.error.code).to.equal("organization_required");
    const slugs = both.body.error.details.organizations.map((o: { slug: string }) => o.slug);
    expect(slugs).to.include.members([a.w.org.slug, b.w.org.slug]);
    const agent = request.agent(app);
    const inB = await agent
      .post("/api/v1/auth/login")
      .send({ email: SHARED_EMAIL, password: SHARED_PASSWORD, organization: b.w.org.slug });
    expect(inB.status).to.equal(200);
    expect((await agent.get("/api/v1/me")).body.data.id).to.equal(b.w.userFor("expert0").id);
    expect((await agent.get(`/api/v1/assignments/${a.assignmentId}`)).status).to.equal(404);
    const page = await request(app)
      .post("/login")
      .type("form")
      .send({ email: SHARED_EMAIL, password: SHARED_PASSWORD });
    expect(page.status).to.equal(409);
    expect(page.text).to.include('name="organization"');
    expect(page.text).to.include(a.w.org.name.replace(/&/g, "&amp;"));
  });
});
