import { expect } from "chai";
import request from "supertest";
import { eq } from "drizzle-orm";
import { strToU8, zipSync } from "fflate";
import { users, experts } from "../../server/db/schema.js";
import { hashPassword } from "../../server/auth/passwords.js";
import { createWorld, type World } from "../support/testApp.js";

/** A minimal but real .xlsx workbook (inline strings) with the given rows on its first sheet. */
function xlsx(rows: string[][]): Buffer {
  const col = (i: number) => String.fromCharCode(65 + i);
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const sheet =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ` +
    `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows
      .map(
        (r, i) =>
          `<row r="${i + 1}">` +
          r.map((v, j) => `<c r="${col(j)}${i + 1}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`).join("") +
          "</row>",
      )
      .join("")}</sheetData></worksheet>`;
  return Buffer.from(
    zipSync({
      "[Content_Types].xml": strToU8(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types ` +
          `xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ` +
          `ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ` +
          `ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ` +
          `ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override
            PartName="/xl/worksheets/sheet1.xml"
              ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
      ),
      "_rels/.rels": strToU8(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships ` +
          `xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" ` +
          `Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" ` +
          `Target="xl/workbook.xml"/></Relationships>`,
      ),
      "xl/workbook.xml": strToU8(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ` +
          `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
          `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet ` +
          `name="Chuyên gia" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ),
      "xl/_rels/workbook.xml.rels": strToU8(
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships ` +
          `xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" ` +
          `Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" ` +
          `Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
      "xl/worksheets/sheet1.xml": strToU8(sheet),
    }),
  );
}

describe("expert registry import (CSV and Excel) through the admin pages", () => {
  const PASSWORD = "mat-khau-thu-nghiem-2026";
  async function signIn(w: World) {
    await w.db
      .update(users)
      .set({ passwordHash: await hashPassword(PASSWORD) })
      .where(eq(users.id, w.userFor("admin").id));
    const agent = request.agent(w.app);
    await agent
      .post("/login")
      .type("form")
      .send({ email: w.userFor("admin").email, password: PASSWORD, next: "/" });
    const page = await agent.get("/admin/experts");
    return { agent, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] };
  }

  it("previews an .xlsx workbook with per-row errors, then imports only the valid rows", async () => {
    const w = await createWorld();
    const { agent, csrf } = await signIn(w);
    const book = xlsx([
      ["fullName", "academicTitle", "degree", "fields", "workplace", "email", "phone"],
      [
        "Hà Thị Thu Trang",
        "PGS.",
        "TS.",
        "Dược liệu|Hóa dược",
        "Trường Đại học Dược Hà Nội",
        "trang@example.vn",
        "0912000111",
      ],
      ["Nguyễn Văn Khải", "", "ThS.", "Thủy lợi", "Sở Nông nghiệp và Môi trường", "khong-phai-email", ""],
      ["", "", "TS.", "Xã hội học", "", "", ""],
    ]);
    const preview = await agent
      .post("/admin/experts/import")
      .field("_csrf", csrf)
      .attach("file", book, "Danh-sach-chuyen-gia.xlsx");
    expect(preview.status, preview.text.slice(0, 300)).to.equal(200);
    expect(preview.text).to.contain("Hà Thị Thu Trang");
    expect(preview.text).to.contain("email");
    const csv =
      /name="csv" value="([^"]*)"/.exec(preview.text)?.[1] ??
      /<textarea[^>]*name="csv"[^>]*>([\s\S]*?)<\/textarea>/.exec(preview.text)?.[1];
    expect(csv, "the preview carries the rows to the confirmation").to.be.a("string");
    const decoded = csv!
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&amp;/g, "&")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&#x3D;/g, "=")
      .replace(/&#x60;/g, "`");
    const done = await agent.post("/admin/experts/import/confirm").type("form").send({ _csrf: csrf, csv: decoded });
    expect(done.status).to.equal(303);
    // A long operation: the progress page follows the import until the worker has finished it.
    const progressUrl = done.headers.location as string;
    expect(progressUrl).to.match(/^\/admin\/experts\/import\/\d+$/);
    const running = await agent.get(progressUrl);
    expect(running.status).to.equal(200);
    expect(running.headers.refresh).to.equal("1");
    expect(running.text).to.contain("<progress");
    await w.settled();
    const finished = await agent.get(progressUrl);
    expect(finished.headers.refresh).to.equal(undefined);
    expect(finished.text).to.contain("1/1");
    expect(finished.text).to.contain("đã thêm 1 chuyên gia");
    const names = (await w.db.select().from(experts).where(eq(experts.organizationId, w.org.id))).map(
      (e) => e.fullName,
    );
    expect(names).to.include("Hà Thị Thu Trang");
    expect(names).not.to.include("Nguyễn Văn Khải");
  });

  it("refuses a damaged workbook with a clear message and imports nothing", async () => {
    const w = await createWorld();
    const { agent, csrf } = await signIn(w);
    const before = (await w.db.select().from(experts).where(eq(experts.organizationId, w.org.id))).length;
    const res = await agent
      .post("/admin/experts/import")
      .field("_csrf", csrf)
      .attach("file", Buffer.from("PK\u0003\u0004 not really a zip"), "hong.xlsx");
    expect(res.status).to.equal(400);
    expect(res.text).to.contain("Không đọc được tệp Excel");
    expect((await w.db.select().from(experts).where(eq(experts.organizationId, w.org.id))).length).to.equal(before);
  });
});

describe("the expert import as an effect", () => {
  it("records its progress and, when retried after a crash, does not create the same expert twice", async () => {
    const { createImportExperts } = await import("../../server/effects/importExperts.js");
    const { startExpertImport } = await import("../../server/commands/startExpertImport.js");
    const { findImportProgress } = await import("../../server/queries/findImportProgress.js");
    const { effects } = await import("../../server/db/schema.js");
    const { actorFromUser } = await import("../../server/http/auth.js");
    const w = await createWorld();
    const actor = actorFromUser(w.userFor("admin"));
    const rows = Array.from({ length: 25 }, (_, i) => ({
      fullName: `Chuyên gia nhập thử số ${i + 1}`,
      degree: "TS.",
      fields: ["Lâm nghiệp"],
      email: `nhap${i}@example.vn`,
    }));
    const id = await startExpertImport({ db: w.db, clock: w.clock }, { actor, rows });
    const [row] = await w.db.select().from(effects).where(eq(effects.id, id));
    const run = createImportExperts({ db: w.db });
    await run(row);
    await run(row); // the same effect delivered again (at least once): nothing is duplicated
    const mine = (await w.db.select().from(experts).where(eq(experts.organizationId, w.org.id))).filter((e) =>
      e.fullName.startsWith("Chuyên gia nhập thử"),
    );
    expect(mine).to.have.length(25);
    const progress = await findImportProgress(w.db, actor, String(id));
    expect(progress).to.include({ total: 25, done: 25 });
    const stranger = { ...actor, organizationId: "another-organisation" };
    expect(await findImportProgress(w.db, stranger, String(id))).to.equal(null);
  });
});
