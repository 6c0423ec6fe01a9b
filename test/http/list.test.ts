import { expect } from "chai";
import { createWorld } from "../support/testApp.js";
import { placeOrder, send } from "../support/flows.js";

describe("listing assignments", () => {
  it("filters by state, type, agency, overdue and text without diacritics, with the next due date per row", async () => {
    const w = await createWorld();
    const a = await placeOrder(w, { title: "Đề án phát triển cây dược liệu tỉnh Tuyên Quang" });
    const b = await placeOrder(w, { type: "consultancy", forms: ["written"], subjectKind: "ke_hoach", title: "Kế hoạch chuyển đổi số nông nghiệp" });
    const c = await w.as("secretariat").post("/api/v1/assignments", { type: "critique", forms: ["council"], subjectKind: "du_thao_nghi_quyet", title: "Dự thảo Nghị quyết về chính sách thu hút trí thức", origin: "self_initiated" });
    await send(w, "clerk", a.id, { type: "order.register" }); // screening: 5 WD, due 09/03/2026 17:00
    const list = async (qs: string) => (await w.as("secretariat").get(`/api/v1/assignments?${qs}`)).body;
    expect((await list("")).meta.total).to.equal(3);
    expect((await list("state=screening")).data.map((x: { id: string }) => x.id)).to.deep.equal([a.id]);
    expect((await list("state=ordered")).data.map((x: { id: string }) => x.id).sort()).to.deep.equal([b.id, c.body.data.id].sort());
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
