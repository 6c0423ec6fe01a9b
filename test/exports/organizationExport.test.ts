import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync } from "fflate";
import type request from "supertest";
import { blobs, documents, opinionAttachments } from "../../server/db/schema.js";
import { sha256Hex } from "../../server/documents/verification.js";
import { createWorld, type World } from "../support/testApp.js";
import { placeOrder } from "../support/flows.js";

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on("data", (c: Buffer) => chunks.push(c));
  res.on("end", () => cb(null, Buffer.concat(chunks)));
};

async function issuedDocument(w: World, assignmentId: string, text: string) {
  const bytes = Buffer.from(`%PDF-1.7\n% ${text}\n%%EOF\n`);
  const sha256 = sha256Hex(bytes);
  await w.db.insert(blobs).values({ sha256, size: bytes.length, bytes }).onConflictDoNothing();
  const [doc] = await w.db
    .insert(documents)
    .values({
      organizationId: w.org.id,
      assignmentId,
      kind: "finalReport",
      title: "Báo cáo kết quả",
      status: "issued",
      register: "BC",
      year: 2026,
      number: 1,
      numberLabel: "01/BC-LHH",
      sha256,
      issuedAt: w.clock.now(),
    })
    .returning();
  return { doc, bytes };
}

describe("admin export of the whole organisation", function () {
  this.timeout(120_000);
  let w: World;
  let other: World;

  before(async () => {
    w = await createWorld();
    other = await createWorld();
  });

  it("streams a zip with the organisation's rows as JSON and its PDFs, and nothing of another organisation", async () => {
    const mine = await placeOrder(w, { title: "Đề án của tỉnh này" });
    const theirs = await placeOrder(other, { title: "Đề án của tỉnh khác" });
    const { doc, bytes } = await issuedDocument(w, mine.id, "bao cao cua tinh nay");
    await issuedDocument(other, theirs.id, "bao cao cua tinh khac");
    // A file attached to an opinion (a table whose file column is a foreign key to the stored files).
    const attached = Buffer.from("%PDF-1.7\n% tai lieu kem y kien\n%%EOF\n");
    const attachedSha = sha256Hex(attached);
    await w.db.insert(blobs).values({ sha256: attachedSha, size: attached.length, bytes: attached });
    await w.db.insert(opinionAttachments).values({
      organizationId: w.org.id,
      assignmentId: mine.id,
      expertId: w.experts[0].id,
      fileName: "so-lieu.pdf",
      contentType: "application/pdf",
      size: attached.length,
      sha256: attachedSha,
    });
    const r = await w.as("admin").get("/api/v1/export").buffer(true).parse(binary);
    expect(r.status).to.equal(200);
    expect(r.headers["content-type"]).to.equal("application/zip");
    const zip = r.body as Buffer;
    const dir = w.tmpDir();
    writeFileSync(join(dir, "export.zip"), zip);
    expect(execFileSync("python3", ["-m", "zipfile", "-t", join(dir, "export.zip")]).toString()).to.not.match(/bad/i);
    const files = unzipSync(new Uint8Array(zip));
    const read = (name: string) =>
      JSON.parse(Buffer.from(files[name]).toString("utf8")) as Array<Record<string, unknown>>;
    const org = JSON.parse(Buffer.from(files["organization.json"]).toString("utf8")) as { id: string };
    expect(org.id).to.equal(w.org.id);
    const assignments = read("tables/assignments.json");
    expect(assignments.map((a) => a.id)).to.deep.equal([mine.id]);
    expect(assignments[0].title).to.equal("Đề án của tỉnh này");
    expect(read("tables/users.json").length).to.equal(w.users.length);
    expect(Object.keys(read("tables/users.json")[0])).to.not.include("password_hash");
    expect(Object.keys(read("tables/api_tokens.json")[0])).to.not.include("token_hash");
    expect(files["tables/sessions.json"]).to.equal(undefined);
    const pdf = Buffer.from(files[`documents/${doc.id}.pdf`]);
    expect(sha256Hex(pdf)).to.equal(sha256Hex(bytes));
    expect(read("tables/opinion_attachments.json").map((a) => a.file_name)).to.deep.equal(["so-lieu.pdf"]);
    expect(Buffer.from(files[`files/${attachedSha}`] ?? []).equals(attached), "the opinion's file").to.equal(true);
    const manifest = JSON.parse(Buffer.from(files["manifest.json"]).toString("utf8")) as {
      files: Array<{ path: string; sha256: string }>;
    };
    expect(manifest.files.find((f) => f.path === `documents/${doc.id}.pdf`)?.sha256).to.equal(doc.sha256);
    const everything = Buffer.concat(Object.values(files).map((f) => Buffer.from(f))).toString("utf8");
    expect(everything).to.not.include("Đề án của tỉnh khác");
    expect(everything).to.not.include(other.org.id);
  });

  it("is for the admin only", async () => {
    expect((await w.as("secretariat").get("/api/v1/export")).status).to.equal(403);
  });
});
