/**
 * The installation operator's pages (issue 11 §2, §4): sign-in, the Unions (create with the first
 * administrator, rename, suspend, re-activate; refusals beside their fields), and the national
 * view. Through HTTP as the operator, and as a Union's people (refused). Words, never codes.
 */
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import request from "supertest";
import { createOperator } from "../../../server/commands/createOperator.js";
import { createWorld } from "../../support/testApp.js";
import { placeOrder } from "../../support/flows.js";
import { codesIn, visibleText } from "../../support/pageText.js";

const PASSWORD = "Van-hanh#2026-an-toan";
type World = Awaited<ReturnType<typeof createWorld>>;

/** Signs the operator in through the page; the agent and the CSRF token of its pages. */
async function operatorPageAgent(w: World) {
  const email = `vanhanh-${randomUUID().slice(0, 8)}@tvpb.test`;
  await createOperator(w.db, { input: { email, fullName: "Người vận hành", password: PASSWORD } });
  const agent = request.agent(w.app);
  const wrong = await agent.post("/operator/login").type("form").send({ email, password: "sai-mat-khau" });
  expect(wrong.status).to.equal(401);
  expect(wrong.text).to.include('role="alert"');
  const res = await agent.post("/operator/login").type("form").send({ email, password: PASSWORD });
  expect(res.status).to.equal(303);
  expect(res.headers.location).to.equal("/operator");
  const page = await agent.get("/operator");
  expect(page.status).to.equal(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  expect(csrf, "CSRF token in the page").to.be.a("string");
  const form = (url: string, body: object = {}) =>
    agent
      .post(url)
      .type("form")
      .send({ _csrf: csrf, ...body });
  return { agent, csrf: csrf!, form };
}

describe("the operator's pages", function () {
  this.timeout(600_000);

  it("lists the Unions, creates one with its administrator, renames, suspends and re-activates it", async () => {
    const w = await createWorld();
    const op = await operatorPageAgent(w);
    const tag = randomUUID().slice(0, 6);
    const union = {
      name: `Liên hiệp các Hội KH&KT tỉnh Hà Giang ${tag}`,
      shortName: "LHH",
      place: "Hà Giang",
      province: "Hà Giang",
      slug: `ha-giang-${tag}`,
      adminName: "Vàng Seo Quản",
      adminEmail: `quantri-${tag}@hagiang.vn`,
    };
    const listed = await op.agent.get("/operator");
    expect(listed.text).to.include(w.org.name.replace(/&/g, "&amp;"));
    expect(codesIn(visibleText(listed.text))).to.deep.equal([]);

    const weak = await op.form("/operator/unions", { ...union, adminPassword: "yeu" });
    expect(weak.status).to.equal(400);
    expect(weak.text, "the refusal stands beside the password").to.match(/id="adminPassword-err"/);
    expect(weak.text, "what was typed stays").to.include(`value="${union.adminEmail}"`);
    const noName = await op.form("/operator/unions", { ...union, name: "", adminPassword: PASSWORD });
    expect(noName.status).to.equal(400);
    expect(noName.text).to.match(/id="name-err"/);

    const made = await op.form("/operator/unions", { ...union, adminPassword: PASSWORD });
    expect(made.status).to.equal(303);
    expect(made.headers.location).to.equal("/operator?done=union.created");
    const again = await op.form("/operator/unions", { ...union, adminPassword: PASSWORD });
    expect(again.status).to.equal(409);
    expect(again.text, "the taken address stands beside its field").to.match(/id="slug-err"/);

    const after = await op.agent.get("/operator?done=union.created");
    const text = visibleText(after.text);
    expect(text).to.include(union.name);
    expect(codesIn(text)).to.deep.equal([]);
    const html = after.text.replace(/&amp;/g, "&");
    const before = html.slice(0, html.indexOf(`value="${union.name}"`));
    const id = [...before.matchAll(/\/operator\/unions\/([0-9a-f-]{36})\/rename"/g)].pop()?.[1];
    expect(id, "the new Union's rename form").to.be.a("string");

    const admin = () => request(w.app).post("/api/v1/auth/login").send({ email: union.adminEmail, password: PASSWORD });
    expect((await admin()).status, "its administrator signs in").to.equal(200);

    expect((await op.form(`/operator/unions/${id}/rename`, { name: "" })).status).to.equal(400);
    const renamed = await op.form(`/operator/unions/${id}/rename`, { name: `${union.name} (mới)` });
    expect(renamed.headers.location).to.equal("/operator?done=union.renamed");
    expect((await op.agent.get("/operator")).text).to.include(`${union.name} (mới)`.replace(/&/g, "&amp;"));

    expect((await op.form(`/operator/unions/${id}/suspend`)).status).to.equal(303);
    expect((await admin()).status, "a suspended Union signs nobody in").to.equal(403);
    const en = await op.agent.get("/operator").set("Cookie", "tvpb_lang=en");
    expect(visibleText(en.text)).to.include("Suspended").and.include("Re-activate");
    expect((await op.form(`/operator/unions/${id}/reactivate`)).status).to.equal(303);
    expect((await admin()).status).to.equal(200);
    expect((await op.form(`/operator/unions/${randomUUID()}/suspend`)).status).to.equal(404);
    expect((await op.form(`/operator/unions/not-an-id/suspend`)).status).to.equal(404);
    expect((await op.agent.post("/operator/unions").type("form").send(union)).status, "CSRF").to.equal(403);
  });

  it("shows the national view as aggregates in words, without titles or personal data", async () => {
    const w = await createWorld();
    const secret = `Đề án mật ${randomUUID().slice(0, 6)}`;
    await placeOrder(w, { title: secret, confidential: true });
    const op = await operatorPageAgent(w);
    for (const lang of ["vi", "en"]) {
      const page = await op.agent.get("/operator/national").set("Cookie", `tvpb_lang=${lang}`);
      expect(page.status).to.equal(200);
      const text = visibleText(page.text);
      expect(text).to.include(w.org.name);
      expect(text).to.not.include(secret);
      expect(text).to.not.include("@");
      expect(codesIn(text), lang).to.deep.equal([]);
      expect(text).to.include(lang === "vi" ? "Phản biện" : "Critique");
    }
  });

  it("opens none of a Union's pages for the operator, and none of its own for a Union's people", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    const op = await operatorPageAgent(w);
    for (const url of [`/assignments/${a.id}`, "/assignments", "/registers", "/admin/settings"]) {
      const r = await op.agent.get(url);
      expect(r.status, url).to.equal(303);
      expect(r.headers.location, url).to.match(/^\/login/);
    }
    for (const url of ["/operator", "/operator/national"]) {
      const r = await w.as("admin").get(url);
      expect(r.status, url).to.equal(403);
      expect(r.text, url).to.not.include(w.org.name);
    }
    const posted = await w.as("admin").post("/operator/unions/" + w.org.id + "/suspend");
    expect(posted.status).to.equal(403);
    expect((await request(w.app).get("/operator")).headers.location).to.equal("/operator/login");
    const out = await op.form("/operator/logout");
    expect(out.status).to.equal(303);
    expect((await op.agent.get("/operator")).headers.location).to.equal("/operator/login");
  });
});
