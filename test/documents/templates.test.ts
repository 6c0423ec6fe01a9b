import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { createDocumentTemplates } from "../../server/documents/templates.js";
import { DOCUMENT_KINDS, type DocumentKind } from "../../server/documents/types.js";
import { ValidationError } from "../../server/errors.js";
import { documentTemplates, org, samples } from "../support/documents.js";

const builtIn = join(process.cwd(), "templates/documents");

describe("documents/templates", () => {
  let overrideDir: string;
  before(() => {
    overrideDir = mkdtempSync(join(tmpdir(), "tvpb-org-templates-"));
  });
  after(() => rmSync(overrideDir, { recursive: true, force: true }));

  it("has a built-in template for every document kind and renders each to a self-contained page", () => {
    const t = documentTemplates();
    for (const kind of DOCUMENT_KINDS) {
      const html = t.render(kind, samples[kind], { draft: true });
      expect(html).to.match(/^<!doctype html>/i);
      expect(html).to.include('font-family:"TVPB Tinos"');
      expect(html).to.include("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
      expect(html).to.include("DỰ THẢO");
      // Nothing external: no http(s) resources, and no system font named.
      expect(html).to.not.match(/(src|href)="https?:/);
      expect(html).to.not.match(/font-family:\s*(serif|"?Times|"?Liberation|"?DejaVu)/i);
    }
  });

  it("takes every organisational name from the org object", () => {
    const other = {
      ...org,
      parentBody: "LIÊN HIỆP CÁC HỘI KH&KT VIỆT NAM",
      issuerName: "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH TUYÊN QUANG",
      issuerNameLines: ["LIÊN HIỆP CÁC HỘI KHOA HỌC", "VÀ KỸ THUẬT TỈNH TUYÊN QUANG"],
      displayName: "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Tuyên Quang",
      issuerAbbr: "LHHTQ",
      unitAbbr: "PB",
      place: "Tuyên Quang",
      signers: { default: { title: "CHỦ TỊCH", name: "Ma Thị Thúy" } },
    };
    const html = documentTemplates().render("coverLetter", { ...samples.coverLetter, org: other }, { draft: false });
    expect(html).to.include("Số: 37/LHHTQ-PB");
    expect(html).to.include("Tuyên Quang, ngày 10 tháng 02 năm 2026");
    expect(html).to.include("VÀ KỸ THUẬT TỈNH TUYÊN QUANG");
    expect(html).to.include("Ma Thị Thúy");
    expect(html).to.include("Lưu: VT, PB.");
    expect(html).to.not.include("Hà Giang,");
    expect(html).to.not.include("Nguyễn Đức Hưởng");
  });

  it("refuses an unknown kind with unknown_document_kind", () => {
    const t = documentTemplates();
    expect(() => t.render("contract" as DocumentKind, samples.coverLetter as never, { draft: true }))
      .to.throw(ValidationError)
      .with.property("code", "unknown_document_kind");
  });

  it("refuses to issue a document without a number or a date", () => {
    const t = documentTemplates();
    expect(() => t.render("finalReport", { ...samples.finalReport, number: null }, { draft: false }))
      .to.throw(ValidationError)
      .with.property("code", "missing_document_number");
    expect(() => t.render("finalReport", { ...samples.finalReport, date: null }, { draft: false }))
      .to.throw(ValidationError)
      .with.property("code", "missing_document_date");
  });

  it("escapes data from the view model", () => {
    const html = documentTemplates().render(
      "coverLetter",
      { ...samples.coverLetter, addressees: ['UBND <script>alert("x")</script>'] },
      { draft: true },
    );
    expect(html).to.include("UBND &lt;script&gt;");
    expect(html).to.not.include('<script>alert("x")</script>');
  });

  it("lets an organisation's override win over the built-in template and partial, compiled once", () => {
    mkdirSync(join(overrideDir, "partials"), { recursive: true });
    writeFileSync(
      join(overrideDir, "coverLetter.hbs"),
      "{{#> layout}}{{> header}}<p>Mẫu riêng của {{org.shortName}}</p>{{/layout}}",
    );
    writeFileSync(join(overrideDir, "partials", "marks.hbs"), '<div class="marks">DẤU RIÊNG</div>');
    const t = createDocumentTemplates({ dir: builtIn, overrideDir });
    const first = t.render("coverLetter", samples.coverLetter, { draft: true });
    expect(first).to.include("Mẫu riêng của Liên hiệp hội");
    expect(first).to.include("DẤU RIÊNG");
    expect(first).to.not.include('class="to"');
    // Other kinds keep the built-in template but use the overriding partial.
    expect(t.render("finalReport", samples.finalReport, { draft: true })).to.include("DẤU RIÊNG");
    // Compiled at creation: editing the file afterwards changes nothing until a new set is created.
    writeFileSync(join(overrideDir, "coverLetter.hbs"), "{{#> layout}}<p>Đã sửa</p>{{/layout}}");
    expect(t.render("coverLetter", samples.coverLetter, { draft: true })).to.include("Mẫu riêng của");
  });

  it("fails at creation, not at render time, when a template does not compile", () => {
    const broken = mkdtempSync(join(tmpdir(), "tvpb-broken-"));
    try {
      writeFileSync(join(broken, "minutes.hbs"), "{{#if}}");
      expect(() => createDocumentTemplates({ dir: builtIn, overrideDir: broken })).to.throw(/minutes/);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it("with lazy, compiles each template on first use: a broken one fails when rendered, the others render", () => {
    const broken = mkdtempSync(join(tmpdir(), "tvpb-broken-"));
    try {
      writeFileSync(join(broken, "minutes.hbs"), "{{#if}}");
      const t = createDocumentTemplates({ dir: builtIn, overrideDir: broken, lazy: true });
      expect(t.render("coverLetter", samples.coverLetter, { draft: true })).to.include("</html>");
      expect(() => t.render("minutes", samples.minutes, { draft: true })).to.throw(/minutes/);
      // The sources are read at creation: mending the file afterwards changes nothing for this set.
      writeFileSync(join(broken, "minutes.hbs"), "<p>sửa</p>");
      expect(() => t.render("minutes", samples.minutes, { draft: true })).to.throw(/minutes/);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it("prints urgency and secrecy marks when flagged", () => {
    const html = documentTemplates().render(
      "coverLetter",
      { ...samples.coverLetter, urgency: "HỎA TỐC", secrecy: "MẬT" },
      { draft: true },
    );
    expect(html).to.include('<span class="mark secrecy">MẬT</span>');
    expect(html).to.include('<span class="mark urgency">HỎA TỐC</span>');
  });
});
