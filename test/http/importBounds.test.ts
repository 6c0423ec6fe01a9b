/**
 * Bounded imports: an .xlsx zip bomb (612 KB that unpacks to 600 MB) is refused in under a second
 * without the memory it would take, through the function and through the admin page (413
 * `import_too_large`); an import with more rows than the limit is refused before it is queued.
 */
import { expect } from "chai";
import zlib from "node:zlib";
import request from "supertest";
import { eq } from "drizzle-orm";
import { experts, users } from "../../server/db/schema.js";
import { hashPassword } from "../../server/auth/passwords.js";
import { EXPERT_IMPORT_LIMITS, xlsxToCsv } from "../../server/commands/expertWorkbook.js";
import { createWorld, type World } from "../support/testApp.js";

/** A zip whose one entry, xl/worksheets/sheet1.xml, is `mib` MiB of zeros deflated (about 1 KB per MiB). */
async function zipBomb(mib: number): Promise<Buffer> {
  const deflate = zlib.createDeflateRaw({ level: 9, memLevel: 9 });
  const parts: Buffer[] = [];
  deflate.on("data", (c: Buffer) => parts.push(c));
  const zeros = Buffer.alloc(1 << 20);
  let crc = 0;
  for (let i = 0; i < mib; i++) {
    crc = zlib.crc32(zeros, crc);
    if (!deflate.write(zeros)) await new Promise((r) => deflate.once("drain", r));
  }
  await new Promise<void>((resolve) => deflate.end(resolve));
  const data = Buffer.concat(parts);
  const name = Buffer.from("xl/worksheets/sheet1.xml");
  const size = mib * (1 << 20);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc >>> 0, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc >>> 0, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(local.length + name.length + data.length, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

async function signIn(w: World) {
  const password = "mat-khau-thu-nghiem-2026";
  await w.db
    .update(users)
    .set({ passwordHash: await hashPassword(password) })
    .where(eq(users.id, w.userFor("admin").id));
  const agent = request.agent(w.app);
  await agent
    .post("/login")
    .type("form")
    .send({ email: w.userFor("admin").email, password, next: "/" });
  const page = await agent.get("/admin/experts");
  return { agent, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] };
}

describe("bounded expert imports", function () {
  this.timeout(120_000);
  let bomb: Buffer;
  before(async () => {
    bomb = await zipBomb(600);
  });

  it("refuses a 612 KB workbook that unpacks to 600 MB in under a second, without the memory", async () => {
    expect(bomb.length).to.be.below(EXPERT_IMPORT_LIMITS.fileBytes);
    global.gc?.();
    const before = process.memoryUsage();
    const started = performance.now();
    const refused = await xlsxToCsv(bomb).then(
      () => null,
      (err: { status?: number; code?: string }) => err,
    );
    const ms = performance.now() - started;
    const after = process.memoryUsage();
    expect(refused?.status).to.equal(413);
    expect(refused?.code).to.equal("import_too_large");
    expect(ms, "refused in under a second").to.be.below(1000);
    const grew = (after.rss - before.rss + after.arrayBuffers - before.arrayBuffers) / 2 ** 20;
    expect(grew, "MiB more memory after refusing").to.be.below(100);
  });

  it("answers the admin page's upload 413 import_too_large and imports nothing", async () => {
    const w = await createWorld();
    const { agent, csrf } = await signIn(w);
    const count = async () => (await w.db.select().from(experts).where(eq(experts.organizationId, w.org.id))).length;
    const before = await count();
    const res = await agent
      .post("/admin/experts/import")
      .set("Accept", "application/json")
      .field("_csrf", csrf)
      .attach("file", bomb, "Danh-sach.xlsx");
    expect(res.status, res.text.slice(0, 300)).to.equal(413);
    expect(res.body.error.code).to.equal("import_too_large");
    expect(await count()).to.equal(before);
  });

  it("refuses to queue an import of more rows than the limit", async () => {
    const w = await createWorld();
    const { agent, csrf } = await signIn(w);
    const rows = Array.from({ length: EXPERT_IMPORT_LIMITS.rows + 1 }, (_, i) => `Chuyên gia số ${i + 1}`);
    const csv = ["fullName", ...rows].join("\n");
    const res = await agent
      .post("/admin/experts/import/confirm")
      .set("Accept", "application/json")
      .type("form")
      .send({ _csrf: csrf, csv });
    expect(res.status, res.text.slice(0, 300)).to.equal(413);
    expect(res.body.error.code).to.equal("import_too_large");
  });
});
