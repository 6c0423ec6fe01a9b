import { expect } from "chai";
import request from "supertest";
import { eq } from "drizzle-orm";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { organizations, users } from "../../server/db/schema.js";
import { hashPassword } from "../../server/auth/passwords.js";
import { createApp } from "../../server/app.js";
import { createDocumentService } from "../../server/documents/service.js";
import { createWorld, silentLogger, type World } from "../support/testApp.js";
import { randomBytes } from "node:crypto";
import { createKeyVault } from "../../server/signing/keyVault.js";
import { selfSignedP12 } from "../support/documents.js";

// 1×1 transparent PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

describe("document templates, seal and signature images (admin pages)", () => {
  const PASSWORD = "mat-khau-thu-nghiem-2026";
  async function setup() {
    const w = await createWorld({
      settings: {
        signers: [
          {
            key: "chairman",
            name: "Nguyễn Văn Thắng",
            title: "CHỦ TỊCH",
            authority: "TM.",
            authorityTitle: "BAN THƯỜNG VỤ",
          },
        ],
      },
    });
    const overrideDir = fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-tpl-"));
    const documents = createDocumentService({
      db: w.db,
      renderer: null,
      publicUrl: "http://tvpb.test",
      clock: w.clock,
      overrideDir,
      signingVault: createKeyVault(randomBytes(32)),
    });
    const app = createApp({
      db: w.db,
      database: w.database,
      clock: w.clock,
      logger: silentLogger,
      publicUrl: "http://tvpb.test",
      documents,
    });
    await w.db
      .update(users)
      .set({ passwordHash: await hashPassword(PASSWORD) })
      .where(eq(users.id, w.userFor("admin").id));
    const agent = request.agent(app);
    await agent
      .post("/login")
      .type("form")
      .send({ email: w.userFor("admin").email, password: PASSWORD, next: "/" });
    const page = await agent.get("/admin/documents");
    expect(page.status).to.equal(200);
    return { w, agent, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1], overrideDir, documents };
  }
  const settingsOf = async (w: World) =>
    (await w.db.select().from(organizations).where(eq(organizations.id, w.org.id)))[0].settings as Record<
      string,
      unknown
    >;

  it("stores the seal and a signer's signature as PNG images in the settings, and refuses anything else", async () => {
    const { w, agent, csrf } = await setup();
    const seal = await agent
      .post("/admin/documents/images")
      .field("_csrf", csrf)
      .field("target", "seal")
      .attach("image", PNG, "con-dau.png");
    expect(seal.status).to.equal(303);
    const sig = await agent
      .post("/admin/documents/images")
      .field("_csrf", csrf)
      .field("target", "chairman")
      .attach("image", PNG, "chu-ky.png");
    expect(sig.status).to.equal(303);
    const s = await settingsOf(w);
    expect(s.sealImage).to.equal(`data:image/png;base64,${PNG.toString("base64")}`);
    expect((s.signerImages as Record<string, string>).chairman).to.match(/^data:image\/png;base64,/);
    const jpeg = await agent
      .post("/admin/documents/images")
      .field("_csrf", csrf)
      .field("target", "seal")
      .attach("image", Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), "anh.png");
    expect(jpeg.status).to.equal(415);
    const noCsrf = await agent
      .post("/admin/documents/images")
      .set("Accept", "application/json")
      .field("target", "seal")
      .attach("image", PNG, "con-dau.png");
    expect(noCsrf.status).to.equal(403);
    await agent.post("/admin/documents/images/remove").type("form").send({ _csrf: csrf, target: "seal" });
    expect((await settingsOf(w)).sealImage).to.equal(undefined);
  });

  it("saves an organisation's own template only after it compiles, and goes back to the built-in one", async () => {
    const { agent, csrf, overrideDir, w, documents } = await setup();
    const broken = await agent
      .post("/admin/documents/templates/coverLetter")
      .type("form")
      .send({ _csrf: csrf, source: "{{#if org}}unclosed" });
    expect(broken.status).to.equal(400);
    expect((await documents.templateSources(w.org)).find((t) => t.kind === "coverLetter")!.override).to.equal(null);
    const builtIn = (await documents.templateSources(w.org)).find((t) => t.kind === "coverLetter")!.builtIn;
    const own = builtIn.replace("Kính gửi", "Kính gửi") + "\n{{!-- mẫu riêng của Liên hiệp hội --}}";
    const ok = await agent
      .post("/admin/documents/templates/coverLetter")
      .type("form")
      .send({ _csrf: csrf, source: own });
    expect(ok.status).to.equal(303);
    // Kept in the database (every process reads it), not in this process's folder.
    expect(fs.existsSync(path.join(overrideDir, w.org.slug, "documents", "coverLetter.hbs"))).to.equal(false);
    expect((await documents.templateSources(w.org)).find((t) => t.kind === "coverLetter")!.override).to.equal(own);
    const reset = await agent
      .post("/admin/documents/templates/coverLetter")
      .type("form")
      .send({ _csrf: csrf, reset: "1" });
    expect(reset.status).to.equal(303);
    expect((await documents.templateSources(w.org)).find((t) => t.kind === "coverLetter")!.override).to.equal(null);
    const unknown = await agent
      .post("/admin/documents/templates/passport")
      .type("form")
      .send({ _csrf: csrf, source: "x" });
    expect(unknown.status).to.equal(400);
  });

  it("takes the signing key on the page, shows only its certificate, and offers the organisation's export", async () => {
    const { agent, csrf } = await setup();
    const p12 = selfSignedP12("Khoa-Trang-2026", "Lien hiep hoi (trang quan tri)");
    const wrong = await agent
      .post("/admin/documents/signing-key")
      .field("_csrf", csrf)
      .field("passphrase", "sai")
      .attach("file", p12, "lhh.p12");
    expect(wrong.status).to.equal(400);
    expect(wrong.text).to.include("Mật khẩu của tệp chứng thư số không đúng.");
    const ok = await agent
      .post("/admin/documents/signing-key")
      .field("_csrf", csrf)
      .field("passphrase", "Khoa-Trang-2026")
      .attach("file", p12, "lhh.p12");
    expect(ok.status).to.equal(303);
    const page = await agent.get("/admin/documents");
    expect(page.text).to.include("Lien hiep hoi (trang quan tri)");
    expect(page.text).to.include("01/01/2025 – 01/01/2030");
    expect(page.text).to.not.include("Khoa-Trang-2026");
    expect(page.text).to.not.include(p12.toString("base64").slice(0, 40));
    const removed = await agent.post("/admin/documents/signing-key/remove").type("form").send({ _csrf: csrf });
    expect(removed.status).to.equal(303);
    expect((await agent.get("/admin/documents")).text).to.include("đã gỡ");
    const zip = await agent.get("/admin/export");
    expect(zip.status).to.equal(200);
    expect(zip.headers["content-type"]).to.equal("application/zip");
  });
});
