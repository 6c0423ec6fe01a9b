import { expect } from "chai";
import request from "supertest";
import { and, eq } from "drizzle-orm";
import { assignments, dossierFiles, invitations } from "../../server/db/schema.js";
import { createWorld, opinionBody, orderBody, reportBody, type World } from "../support/testApp.js";
import { accept, invitationOf, markIssued, placeOrder, send, submitOpinions, toPlanning } from "../support/flows.js";
import { addUser } from "../support/seedWorld.js";

type Who = Parameters<World["as"]>[0];
/** Everyone the tables below try: the ordering agency, another agency, staff, an invited and an uninvited expert. */
const EVERYONE: Who[] = ["agency", "otheragency", "secretariat", "leadership", "clerk", "admin", "expert0", "expert9"];

type Row = { event: Record<string, unknown>; allowed: Who[]; expertInvited: boolean };

/**
 * Tries `row.event` as every role: roles that cannot see the assignment get 404, roles that see it
 * but may not send the event get 403 `forbidden` (and nothing changes), then the allowed roles in
 * turn: the first succeeds, the rest get 409 because the state has moved on.
 */
async function tryEveryRole(w: World, id: string, row: Row) {
  const type = String(row.event.type);
  const versionOf = async () =>
    (await w.db.select({ v: assignments.version }).from(assignments).where(eq(assignments.id, id)))[0].v;
  const before = await versionOf();
  for (const who of EVERYONE.filter((x) => !row.allowed.includes(x))) {
    const res = await w.as(who).post(`/api/v1/assignments/${id}/events`, row.event);
    const hidden = who === "otheragency" || who === "expert9" || (who === "expert0" && !row.expertInvited);
    if (hidden) {
      expect(res.status, `${type} as ${who}: ${JSON.stringify(res.body)}`).to.equal(404);
      expect(res.body.error.code).to.equal("assignment_not_found");
    } else {
      expect(res.status, `${type} as ${who}: ${JSON.stringify(res.body)}`).to.equal(403);
      expect(res.body.error.code).to.equal("forbidden");
    }
  }
  expect(await versionOf(), `${type}: refused attempts change nothing`).to.equal(before);
  let result: Record<string, unknown> | undefined;
  for (const [i, who] of row.allowed.entries()) {
    const res = await w.as(who).post(`/api/v1/assignments/${id}/events`, row.event);
    if (i === 0) {
      expect(res.status, `${type} as ${who}: ${JSON.stringify(res.body)}`).to.equal(200);
      result = res.body.data;
    } else {
      expect(res.status, `${type} as ${who} after the state moved on: ${JSON.stringify(res.body)}`).to.equal(409);
      expect(res.body.error.code).to.equal("event_not_allowed");
    }
  }
  return result!;
}

describe("who may do what through the HTTP API", () => {
  it(
    "lets only the allowed roles send each key event of an assignment's life and refuses every other role with " +
      "403",
    async () => {
      const w = await createWorld();
      // Main line: an expert group with written opinions (no chair endorsement needed).
      const a = await placeOrder(w, { forms: ["expert_group", "written"] });
      await tryEveryRole(w, a.id, {
        event: { type: "order.register" },
        allowed: ["clerk", "secretariat"],
        expertInvited: false,
      });
      await tryEveryRole(w, a.id, {
        event: { type: "documents.request", missingDocuments: ["Tờ trình"] },
        allowed: ["secretariat"],
        expertInvited: false,
      });
      await send(w, "agency", a.id, { type: "documents.supply", note: "Đã bổ sung." });
      await tryEveryRole(w, a.id, {
        event: { type: "order.proposeAccept", note: "Đúng phạm vi." },
        allowed: ["secretariat"],
        expertInvited: false,
      });
      await tryEveryRole(w, a.id, { event: { type: "order.accept" }, allowed: ["leadership"], expertInvited: false });
      await tryEveryRole(w, a.id, {
        event: { type: "plan.submit", workPlan: "Lấy ý kiến bằng văn bản.", costEstimate: 1000000 },
        allowed: ["secretariat"],
        expertInvited: false,
      });
      await tryEveryRole(w, a.id, {
        event: {
          type: "panel.invite",
          members: [0, 1].map((i) => ({ expertId: w.experts[i].id, role: i === 0 ? "chair" : "member" })),
        },
        allowed: ["secretariat"],
        expertInvited: false,
      });
      await accept(w, a.id, 0);
      await accept(w, a.id, 1);
      await send(w, "secretariat", a.id, { type: "panel.submit" });
      await tryEveryRole(w, a.id, { event: { type: "panel.approve" }, allowed: ["leadership"], expertInvited: true });
      await submitOpinions(w, a.id, [0, 1]);
      await send(w, "secretariat", a.id, { type: "review.close" });
      expect((await w.as("secretariat").post(`/api/v1/assignments/${a.id}/report`, reportBody(2))).status).to.equal(
        201,
      );
      await tryEveryRole(w, a.id, { event: { type: "report.submit" }, allowed: ["secretariat"], expertInvited: true });
      const back = await tryEveryRole(w, a.id, {
        event: { type: "report.return", comments: "Làm rõ nguồn vốn." },
        allowed: ["leadership"],
        expertInvited: true,
      });
      expect(back.state).to.equal("consolidation");
      expect((await w.as("secretariat").post(`/api/v1/assignments/${a.id}/report`, reportBody(2))).status).to.equal(
        201,
      );
      await send(w, "secretariat", a.id, { type: "report.submit" });
      await tryEveryRole(w, a.id, { event: { type: "report.approve" }, allowed: ["leadership"], expertInvited: true });
      await tryEveryRole(w, a.id, {
        event: { type: "report.issue" },
        allowed: ["clerk", "leadership"],
        expertInvited: true,
      });
      await markIssued(w, a.id);
      await send(w, "clerk", a.id, { type: "delivery.recorded", channel: "email" });
      const detail = (await w.as("agency").get(`/api/v1/assignments/${a.id}`)).body.data;
      const answers = detail.recommendations.map((r: { id: string }) => ({
        recommendationId: r.id,
        status: "accepted",
      }));
      await tryEveryRole(w, a.id, {
        event: { type: "response.submit", answers },
        allowed: ["agency"],
        expertInvited: true,
      });
      const closed = await tryEveryRole(w, a.id, {
        event: { type: "assignment.close", note: "Lưu hồ sơ." },
        allowed: ["secretariat"],
        expertInvited: true,
      });
      expect(closed.state).to.equal("closed");

      // Decline: a second order proposed for decline.
      const b = await placeOrder(w);
      await send(w, "clerk", b.id, { type: "order.register" });
      await send(w, "secretariat", b.id, { type: "order.proposeDecline", reasons: "Không thuộc phạm vi TVPB." });
      const declined = await tryEveryRole(w, b.id, {
        event: { type: "order.decline" },
        allowed: ["leadership"],
        expertInvited: false,
      });
      expect(declined.state).to.equal("declined");

      // Withdrawal: the agency withdraws; the secretariat then finds it already withdrawn.
      const c = await placeOrder(w);
      const withdrawn = await tryEveryRole(w, c.id, {
        event: { type: "assignment.withdraw", reason: "Dừng xây dựng đề án." },
        allowed: ["agency", "secretariat"],
        expertInvited: false,
      });
      expect(withdrawn.state).to.equal("withdrawn");
    },
  );

  it("shows an agency member only its own agency's orders", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    const own = await w
      .as("otheragency")
      .post("/api/v1/assignments", { ...orderBody(), title: "Đề án của Sở Xây dựng" });
    expect(own.status).to.equal(201);
    const get = await w.as("otheragency").get(`/api/v1/assignments/${a.id}`);
    expect(get.status).to.equal(404);
    expect(get.body.error.code).to.equal("assignment_not_found");
    const ev = await w.as("otheragency").post(`/api/v1/assignments/${a.id}/events`, {
      type: "assignment.withdraw",
      reason: "Thử rút đơn của cơ quan khác.",
    });
    expect(ev.status).to.equal(404);
    expect(ev.body.error.code).to.equal("assignment_not_found");
    const hist = await w.as("otheragency").get(`/api/v1/assignments/${a.id}/history`);
    expect(hist.status).to.equal(404);
    const list = (await w.as("otheragency").get("/api/v1/assignments")).body.data.map((x: { id: string }) => x.id);
    expect(list).to.include(own.body.data.id);
    expect(list).to.not.include(a.id);
    const mine = (await w.as("agency").get("/api/v1/assignments")).body.data.map((x: { id: string }) => x.id);
    expect(mine).to.include(a.id);
    expect(mine).to.not.include(own.body.data.id);
  });

  it("shows an expert only the assignments they are invited to and never another expert's draft opinion", async () => {
    const w = await createWorld();
    const a = await placeOrder(w, { forms: ["expert_group", "written"] });
    expect((await w.as("expert0").get(`/api/v1/assignments/${a.id}`)).status, "before any invitation").to.equal(404);
    await toPlanning(w, a.id);
    await send(w, "secretariat", a.id, { type: "plan.submit", workPlan: "Lấy ý kiến.", costEstimate: 0 });
    await send(w, "secretariat", a.id, {
      type: "panel.invite",
      members: [0, 1].map((i) => ({ expertId: w.experts[i].id, role: "member" })),
    });
    await accept(w, a.id, 0);
    await accept(w, a.id, 1);
    await send(w, "secretariat", a.id, { type: "panel.submit" });
    await send(w, "leadership", a.id, { type: "panel.approve" });
    const outsider = await w.as("expert9").get(`/api/v1/assignments/${a.id}`);
    expect(outsider.status).to.equal(404);
    expect(outsider.body.error.code).to.equal("assignment_not_found");
    expect(
      (await w.as("expert9").get("/api/v1/assignments")).body.data.map((x: { id: string }) => x.id),
    ).to.not.include(a.id);
    expect((await w.as("expert0").get("/api/v1/assignments")).body.data.map((x: { id: string }) => x.id)).to.include(
      a.id,
    );
    expect((await w.as("expert0").put(`/api/v1/assignments/${a.id}/opinion`, opinionBody(0))).status).to.equal(200);
    const other = (await w.as("expert1").get(`/api/v1/assignments/${a.id}`)).body.data;
    expect(other.opinions.filter((o: { expertId: string }) => o.expertId === w.experts[0].id)).to.have.length(0);
    const staff = (await w.as("secretariat").get(`/api/v1/assignments/${a.id}`)).body.data;
    expect(
      staff.opinions.filter((o: { status: string }) => o.status === "draft"),
      "staff see no drafts either",
    ).to.have.length(0);
    const self = (await w.as("expert0").get(`/api/v1/assignments/${a.id}`)).body.data;
    expect(self.opinions.map((o: { expertId: string; status: string }) => [o.expertId, o.status])).to.deep.equal([
      [w.experts[0].id, "draft"],
    ]);
    const notMine = await w.as("expert9").put(`/api/v1/assignments/${a.id}/opinion`, opinionBody(9));
    expect(notMine.status).to.equal(404);
  });

  it(
    "hides a confidential assignment from staff who are not on its staff and shows it to its creator, its " +
      "staff, the clerk and leadership",
    async () => {
      const w = await createWorld();
      const res = await w.as("secretariat").post("/api/v1/assignments", {
        type: "critique",
        forms: ["council"],
        subjectKind: "draft_resolution",
        origin: "self_initiated",
        confidential: true,
        title: "Dự thảo Nghị quyết (mật)",
        staffUserIds: [w.userFor("leadership").id],
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const id = res.body.data.id;
      const secretariat2 = await addUser(w.db, w.org.id, { roles: ["secretariat"] });
      const s2 = (r: request.Test) => r.set("Authorization", `Bearer ${secretariat2.token}`);
      for (const r of [
        s2(request(w.app).get(`/api/v1/assignments/${id}`)),
        w.as("admin").get(`/api/v1/assignments/${id}`),
      ]) {
        const got = await r;
        expect(got.status).to.equal(404);
        expect(got.body.error.code).to.equal("assignment_not_found");
      }
      const ev = await s2(request(w.app).post(`/api/v1/assignments/${id}/events`)).send({ type: "order.register" });
      expect(ev.status).to.equal(404);
      const list = (await s2(request(w.app).get("/api/v1/assignments"))).body.data.map((x: { id: string }) => x.id);
      expect(list).to.not.include(id);
      expect((await w.as("secretariat").get(`/api/v1/assignments/${id}`)).status, "the creator").to.equal(200);
      expect((await w.as("leadership").get(`/api/v1/assignments/${id}`)).status, "named staff").to.equal(200);
      expect((await w.as("clerk").get(`/api/v1/assignments/${id}`)).status, "the clerk registers it").to.equal(200);
    },
  );

  it("never shows one organisation anything of another's", async () => {
    const w = await createWorld();
    const other = await createWorld();
    const a = await placeOrder(w, { forms: ["expert_group", "written"] });
    const up = await w
      .as("agency")
      .upload(`/api/v1/assignments/${a.id}/files`)
      .field("kind", "draft")
      .attach("file", Buffer.from("%PDF-1.4\n%du thao\n"), "Du-thao.pdf");
    expect(up.status, JSON.stringify(up.body)).to.equal(201);
    await toPlanning(w, a.id);
    await send(w, "secretariat", a.id, { type: "plan.submit", workPlan: "Lấy ý kiến.", costEstimate: 0 });
    await send(w, "secretariat", a.id, {
      type: "panel.invite",
      members: [0, 1].map((i) => ({ expertId: w.experts[i].id, role: "member" })),
    });
    const inv = await invitationOf(w, a.id, 0);
    const [file] = await w.db.select().from(dossierFiles).where(eq(dossierFiles.assignmentId, a.id));

    const base = `/api/v1/assignments/${a.id}`;
    const probes: Array<[Who, (x: World) => request.Test]> = [
      ["secretariat", (x) => x.as("secretariat").get(base)],
      [
        "secretariat",
        (x) => x.as("secretariat").post(`${base}/events`, { type: "plan.submit", workPlan: "x", costEstimate: 0 }),
      ],
      ["secretariat", (x) => x.as("secretariat").get(`${base}/history`)],
      ["secretariat", (x) => x.as("secretariat").get(`${base}/files/${file.id}`)],
      ["secretariat", (x) => x.as("secretariat").get(`${base}/report`)],
      [
        "secretariat",
        (x) =>
          x.as("secretariat").post(`${base}/opinions/${w.experts[0].id}/versions`, {
            content: opinionBody(0),
            reason: "Sửa thay chuyên gia.",
          }),
      ],
      [
        "secretariat",
        (x) =>
          x
            .as("secretariat")
            .post(`/api/v1/invitations/${inv.id}/events`, { type: "invitation.decline", reason: "Không." }),
      ],
      [
        "expert0",
        (x) =>
          x.as("expert0").post(`/api/v1/invitations/${inv.id}/events`, {
            type: "invitation.accept",
            declaration: { noConflict: true, confidentiality: true },
          }),
      ],
      ["admin", (x) => x.as("admin").patch(`/api/v1/experts/${w.experts[0].id}`, { fullName: "Đổi tên" })],
      ["secretariat", (x) => x.as("secretariat").patch(`/api/v1/experts/${w.experts[0].id}`, { fullName: "Đổi tên" })],
      ["agency", (x) => x.as("agency").get(base)],
      ["admin", (x) => x.as("admin").get(base)],
    ];
    for (const [who, probe] of probes) {
      const res = await probe(other);
      expect(res.status, `${who}: ${probe.toString()} → ${JSON.stringify(res.body)}`).to.equal(404);
      expect(res.body.error.code).to.match(/_not_found$/);
    }
    const [stillInvited] = await w.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.id, inv.id)));
    expect(stillInvited.state).to.equal("invited");

    const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);
    const lists = {
      assignments: ids((await other.as("secretariat").get("/api/v1/assignments?limit=100")).body.data),
      experts: ids((await other.as("secretariat").get("/api/v1/experts")).body.data),
      users: ids((await other.as("admin").get("/api/v1/users")).body.data),
      agencies: ids((await other.as("admin").get("/api/v1/agencies")).body.data),
    };
    expect(lists.assignments).to.not.include(a.id);
    expect(lists.experts).to.have.length(other.experts.length);
    expect(lists.experts.filter((x) => w.experts.some((e) => e.id === x))).to.have.length(0);
    expect(lists.users.filter((x) => w.users.some((u) => u.id === x))).to.have.length(0);
    expect(lists.users).to.have.length(other.users.length);
    expect(lists.agencies).to.have.members([other.agency.id, other.otherAgency.id]);
  });

  it("refuses requests without credentials or with a revoked token with 401", async () => {
    const w = await createWorld();
    for (const r of [
      request(w.app).get("/api/v1/assignments"),
      request(w.app).post("/api/v1/assignments").send({}),
      request(w.app).get("/api/v1/me"),
      request(w.app).get("/api/v1/assignments").set("Authorization", "Bearer tvpb_nonsense"),
    ]) {
      const res = await r;
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal("unauthenticated");
    }
    const created = await w.as("clerk").post("/api/v1/tokens", { name: "tích hợp" });
    expect(created.status).to.equal(201);
    const token = created.body.data.token as string;
    expect((await request(w.app).get("/api/v1/me").set("Authorization", `Bearer ${token}`)).status).to.equal(200);
    expect((await w.as("clerk").delete(`/api/v1/tokens/${created.body.data.id}`)).status).to.equal(204);
    const revoked = await request(w.app).get("/api/v1/me").set("Authorization", `Bearer ${token}`);
    expect(revoked.status).to.equal(401);
    expect(revoked.body.error.code).to.equal("unauthenticated");
  });

  it("keeps user administration to administrators", async () => {
    const w = await createWorld();
    const newUser = { email: "nguoimoi@test.vn", fullName: "Người mới", roles: ["clerk"] };
    for (const who of ["agency", "secretariat", "leadership", "clerk", "expert0"] as Who[]) {
      const list = await w.as(who).get("/api/v1/users");
      expect(list.status, `GET /users as ${who}`).to.equal(403);
      expect(list.body.error.code).to.equal("forbidden");
      const create = await w.as(who).post("/api/v1/users", newUser);
      expect(create.status, `POST /users as ${who}`).to.equal(403);
      expect(create.body.error.code).to.equal("forbidden");
    }
    expect((await w.as("admin").get("/api/v1/users")).status).to.equal(200);
    expect((await w.as("admin").post("/api/v1/users", newUser)).status).to.equal(201);
  });
});
