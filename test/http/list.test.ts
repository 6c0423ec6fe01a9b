import { expect } from "chai";
import { createWorld } from "../support/testApp.js";
import { placeOrder, send } from "../support/flows.js";
import { COUNT_CAP } from "../../server/http/pages/queries.js";

describe("listing assignments", () => {
  it("filters by state, type, agency, overdue and text without diacritics, with the next due date per row", async () => {
    const w = await createWorld();
    const a = await placeOrder(w, { title: "Đề án phát triển cây dược liệu tỉnh Tuyên Quang" });
    const b = await placeOrder(w, {
      type: "consultancy",
      forms: ["written"],
      subjectKind: "plan",
      title: "Kế hoạch chuyển đổi số nông nghiệp",
    });
    const c = await w.as("secretariat").post("/api/v1/assignments", {
      type: "critique",
      forms: ["council"],
      subjectKind: "draft_resolution",
      title: "Dự thảo Nghị quyết về chính sách thu hút trí thức",
      origin: "self_initiated",
    });
    await send(w, "clerk", a.id, { type: "order.register" }); // screening: 5 WD, due 09/03/2026 17:00
    const list = async (qs: string) => (await w.as("secretariat").get(`/api/v1/assignments?${qs}`)).body;
    expect((await list("")).meta.total).to.equal(3);
    expect((await list("state=screening")).data.map((x: { id: string }) => x.id)).to.deep.equal([a.id]);
    expect((await list("state=ordered")).data.map((x: { id: string }) => x.id).sort()).to.deep.equal(
      [b.id, c.body.data.id].sort(),
    );
    expect((await list("type=consultancy")).data.map((x: { id: string }) => x.id)).to.deep.equal([b.id]);
    expect((await list(`agencyId=${w.agency.id}`)).meta.total).to.equal(2);
    expect((await list("q=DUOC LIEU")).data.map((x: { id: string }) => x.id)).to.deep.equal([a.id]);
    expect((await list("q=chinh sach thu hut")).data.map((x: { id: string }) => x.id)).to.deep.equal([c.body.data.id]);
    const row = (await list("state=screening")).data[0];
    expect(row.nextDueAt).to.equal("2026-03-09T10:00:00.000Z");
    expect(row.overdue).to.equal(false);
    expect((await list("overdue=true")).meta.total).to.equal(0);
    w.clock.set("2026-03-10T02:00:00Z");
    const overdue = await list("overdue=true");
    expect(overdue.data.map((x: { id: string }) => x.id)).to.deep.equal([a.id]);
    expect(overdue.data[0].overdue).to.equal(true);
    expect((await list("limit=1&page=2")).data).to.have.length(1);
  });

  it("counts matches up to 1,000 past the page and says when there are more; pages stay newest first", async () => {
    const w = await createWorld();
    const a = await placeOrder(w, { title: "Đề án mẫu để nhân bản" });
    // COUNT_CAP + 30 more rows like `a`, each one second older than the one before.
    await w.database.query(
      `insert into assignments (id, organization_id, code, type, forms, subject_kind, title, origin, state,
        machine_version, snapshot, version, search_text, created_by, created_at, updated_at)
      select gen_random_uuid()::text, organization_id, code || '-' || i, type, forms, subject_kind,
        title || ' ' || i, origin, state, machine_version, snapshot, version, search_text || ' ban-sao-' || i,
        created_by, created_at, updated_at - i * interval '1 second'
      from assignments, generate_series(1, $2::int) i where id = $1`,
      [a.id, COUNT_CAP + 30],
    );
    const list = async (qs: string) => (await w.as("secretariat").get(`/api/v1/assignments?${qs}`)).body;
    const first = await list("state=ordered&limit=10");
    expect(first.meta).to.include({ total: COUNT_CAP, totalCapped: true });
    expect(first.data[0].id).to.equal(a.id);
    expect(first.data.map((x: { title: string }) => x.title).slice(1, 3)).to.deep.equal([
      "Đề án mẫu để nhân bản 1",
      "Đề án mẫu để nhân bản 2",
    ]);
    expect((await list("state=ordered&limit=10&page=100")).meta).to.include({
      total: COUNT_CAP + 31,
      totalCapped: false,
    });
    const last = await list("state=ordered&limit=10&page=104");
    expect(last.meta).to.include({ total: COUNT_CAP + 31, totalCapped: false });
    expect(last.data.map((x: { title: string }) => x.title)).to.deep.equal([`Đề án mẫu để nhân bản ${COUNT_CAP + 30}`]);
    expect((await list("q=BẢN-SAO-1000&limit=10")).meta).to.include({ total: 1, totalCapped: false });
    expect((await list("q=mau de nhan ban&limit=10")).meta).to.include({ total: COUNT_CAP, totalCapped: true });
    expect((await list("state=screening&limit=10")).meta).to.include({ total: 0, totalCapped: false });
    const html = await w.as("secretariat").get("/assignments?state=ordered");
    expect(html.text).to.contain("Hơn 1.000 nhiệm vụ").and.to.contain("Trang 1/hơn 40");
  });

  it("shows an agency member only its own agency's orders, and nothing of another organisation", async () => {
    const w = await createWorld();
    const other = await createWorld();
    await placeOrder(w);
    await placeOrder(other);
    const mine = (await w.as("agency").get("/api/v1/assignments")).body;
    expect(mine.meta.total).to.equal(1);
    expect((await w.as("otheragency").get("/api/v1/assignments")).body.meta.total).to.equal(0);
  });
});
