import { expect } from "chai";
import { createWorld } from "../support/testApp.js";
import { placeOrder, send } from "../support/flows.js";

type Listed = { data: Array<{ id: string; title: string }>; meta: Record<string, unknown> };

describe("sorting and paging the assignment lists (issue 14 §6, issue 15)", () => {
  it("sorts by title in Vietnamese order, by step, received and due date, and pages both ways by cursor", async () => {
    const w = await createWorld();
    const titles = ["Kế hoạch số hóa", "Ảnh hưởng của đập", "Bản đồ quy hoạch", "Đề án giống lúa", "Dự án hồ chứa"];
    const made = [];
    for (const title of titles) {
      made.push(await placeOrder(w, { title }));
      w.clock.advance(60_000);
    }
    await send(w, "clerk", made[1].id, { type: "order.register" }); // screening, with a due date
    const list = async (qs: string) => (await w.as("secretariat").get(`/api/v1/assignments?${qs}`)).body as Listed;
    const byTitle = await list("sort=title");
    expect(byTitle.data.map((x) => x.title)).to.deep.equal([
      "Ảnh hưởng của đập",
      "Bản đồ quy hoạch",
      "Đề án giống lúa",
      "Dự án hồ chứa",
      "Kế hoạch số hóa",
    ]); // und-x-icu: Ả with A (not after Z, as bytes would), Đ with D
    expect(byTitle.meta).to.include({ sort: "title", dir: "asc" });
    expect((await list("sort=title&dir=desc")).data[0].title).to.equal("Kế hoạch số hóa");
    expect((await list("sort=due")).data[0].id).to.equal(made[1].id);
    expect((await list("sort=step&dir=desc")).data[0].id).to.equal(made[1].id);
    expect((await list("sort=received")).data.map((x) => x.id)).to.have.members(made.map((m) => m.id));

    // Two at a time: forward to the end, then back to the start, by cursor.
    const p1 = await list("sort=title&limit=2");
    expect(p1.meta.prevCursor).to.equal(null);
    const p2 = await list(`sort=title&limit=2&after=${String(p1.meta.nextCursor)}`);
    expect(p2.data.map((x) => x.title)).to.deep.equal(["Đề án giống lúa", "Dự án hồ chứa"]);
    const p3 = await list(`sort=title&limit=2&after=${String(p2.meta.nextCursor)}`);
    expect(p3.data.map((x) => x.title)).to.deep.equal(["Kế hoạch số hóa"]);
    expect(p3.meta.nextCursor).to.equal(null);
    const back = await list(`sort=title&limit=2&before=${String(p3.meta.prevCursor)}`);
    expect(back.data.map((x) => x.title)).to.deep.equal(["Đề án giống lúa", "Dự án hồ chứa"]);
    const first = await list(`sort=title&limit=2&before=${String(back.meta.prevCursor)}`);
    expect(first.data.map((x) => x.title)).to.deep.equal(["Ảnh hưởng của đập", "Bản đồ quy hoạch"]);
    expect(first.meta.prevCursor).to.equal(null);

    // A cursor that is not ours, and a page by number too deep, are clear refusals.
    const bad = await w.as("secretariat").get("/api/v1/assignments?after=bm90LWEtY3Vyc29y");
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal("invalid_cursor");
    const deep = await w.as("secretariat").get("/api/v1/assignments?page=500&limit=20");
    expect(deep.status).to.equal(400);
    expect(deep.body.error.code).to.equal("page_too_deep");

    // The list page: sortable headers and next / previous links that carry the cursor.
    const html = (await w.as("secretariat").get("/assignments?sort=title&dir=desc")).text;
    expect(html).to.contain('aria-sort="descending"').and.to.contain('href="?sort&#x3D;title"');
    expect(html.indexOf("Kế hoạch số hóa")).to.be.lessThan(html.indexOf("Ảnh hưởng của đập"));
  });

  it("pages the assignment page's timeline: the most recent rows, and an 'older' link to the rest", async () => {
    const w = await createWorld();
    const a = await placeOrder(w, { title: "Đề án có lịch sử dài" });
    await send(w, "clerk", a.id, { type: "order.register" });
    // 45 more rows of the kind the engine writes within a stage (the screening deadline heard of), as it
    // writes them: under the assignment's own workflow id, at its next versions, in time order, and the
    // assignment's version moved past them. (Rows under another workflow id with the assignment's id made
    // a history the engine never writes, and the stage figures kept from it differed from the national
    // view's recompute: test/db/stageDurations.test.ts.)
    await w.database.query(
      `with h as (
        insert into history (organization_id, assignment_id, workflow, workflow_id, version, actor_name, event_type,
          payload, from_state, to_state, created_at)
        select organization_id, id, 'assignment', id, version + g, 'Hệ thống', 'deadline.reached',
          '{"key":"screening"}'::jsonb, state, state, updated_at + g * interval '1 second'
        from assignments, generate_series(1, 45) g where id = $1 order by g
        returning version)
      update assignments set version = (select max(version) from h) where id = $1`,
      [a.id],
    );
    const page = (await w.as("secretariat").get(`/assignments/${a.id}`)).text;
    const older = /href="\?older&#x3D;(\d+)#tl-h"/.exec(page); // Handlebars writes = as &#x3D;
    expect(older, "an older link").to.not.equal(null);
    expect((page.match(/<li><strong>/g) ?? []).length).to.be.at.most(30);
    const rest = (await w.as("secretariat").get(`/assignments/${a.id}?older=${older![1]}`)).text;
    expect(rest)
      .to.contain('href="?#tl-h"')
      .and.to.not.match(/href="\?older/);
    // The API's detail still carries the whole history.
    const detail = await w.as("secretariat").get(`/api/v1/assignments/${a.id}`);
    expect(detail.body.data.timeline).to.have.length(47);
  });
});
