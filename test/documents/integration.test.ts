import { expect } from "chai";
import request from "supertest";
import { and, asc, eq } from "drizzle-orm";
import { documents, experts, history } from "../../server/db/schema.js";
import type { DocumentModels } from "../../server/documents/types.js";
import { sha256Hex } from "../../server/documents/verification.js";
import { opinionWriterOf } from "../../server/policies/documentPolicy.js";
import { createWorld, type World } from "../support/testApp.js";
import { placeOrder, send, submitOpinions, toPlanning, toReview } from "../support/flows.js";
import {
  pdfFonts,
  pdfInfo,
  pdfSig,
  pdfText,
  sealImage,
  selfSignedP12,
  signerImage,
  squash,
} from "../support/documents.js";

const P12_PASS = "Lhh-TuyenQuang-2026";

/** A consolidated report as the secretariat drafts it (sections II–III, numbered recommendations, annexes). */
function richReport(w: World) {
  return {
    content: {
      sections: [
        {
          key: "overall",
          title: "II. Đánh giá chung",
          paragraphs: [
            {
              text:
                "Hội đồng thống nhất đánh giá việc xây dựng Đề án là cần thiết, phù hợp với chủ trương phát " +
                "triển kinh tế dưới tán rừng của tỉnh.",
            },
          ],
        },
        {
          key: "objectives",
          title: "1. Về mục tiêu",
          paragraphs: [
            {
              text: "Chỉ tiêu diện tích đến năm 2030 chưa có cơ sở tính toán; đề nghị xây dựng lộ trình theo từng năm.",
            },
          ],
        },
        {
          key: "solutions",
          title: "2. Về giải pháp",
          paragraphs: [
            { text: "Giải pháp liên kết chuỗi giá trị dược liệu còn chung chung, chưa gắn với hợp tác xã." },
          ],
        },
      ],
      recommendations: [
        { text: "Điều chỉnh chỉ tiêu diện tích năm 2030 và xây dựng lộ trình theo từng năm, từng huyện." },
        { text: "Rà soát, thống nhất số liệu hiện trạng theo Niên giám thống kê năm 2025." },
        { text: "Bổ sung cơ chế liên kết chuỗi giá trị dược liệu với hợp tác xã và doanh nghiệp." },
      ],
      commentMatrix: [
        {
          section: "Mục II – Thực trạng",
          opinion: "Số liệu diện tích chưa thống nhất.",
          proposedChange: "Thống nhất với Cục Thống kê tỉnh.",
          expertId: w.experts[1].id,
        },
      ],
      minorityViews: [
        { expertId: w.experts[2].id, text: "Giữ chỉ tiêu 8.000 ha vì đã có doanh nghiệp cam kết bao tiêu." },
      ],
      conclusion: "fit_after_revision",
    },
    note: "Bản tổng hợp trình lãnh đạo",
  };
}

async function issuedOf(w: World, assignmentId: string, kind: string) {
  const rows = await w.db
    .select()
    .from(documents)
    .where(and(eq(documents.assignmentId, assignmentId), eq(documents.kind, kind)))
    .orderBy(asc(documents.createdAt));
  return rows;
}

describe("documents issued through the engine", function () {
  // Three more letters (the experts' invitations) are rendered than before; the machine is shared.
  this.timeout(400_000);
  let w: World;
  let assignmentId: string;

  before(async () => {
    const p12 = selfSignedP12(P12_PASS, "Lien hiep cac Hoi KH&KT tinh Tuyen Quang");
    w = await createWorld({
      documents: true,
      settings: {
        signers: [
          {
            key: "vice",
            name: "Hoàng Thị Thu Hường",
            title: "PHÓ CHỦ TỊCH",
            authority: "KT.",
            authorityTitle: "CHỦ TỊCH",
          },
          {
            key: "chairman",
            name: "Nguyễn Văn Thắng",
            title: "CHỦ TỊCH",
            authority: "TM.",
            authorityTitle: "BAN THƯỜNG VỤ",
          },
        ],
        provincialRegulation:
          "Quyết định số 25/2022/QĐ-UBND ngày 15/8/2022 của UBND tỉnh Tuyên Quang ban hành Quy chế phối hợp tổ " +
          "chức hoạt động tư vấn, phản biện và giám định xã hội",
        sealImage,
        signerImages: { chairman: signerImage, vice: signerImage },
      },
    });
    await w.db.update(experts).set({ academicTitle: "PGS." }).where(eq(experts.id, w.experts[0].id));
    // The organisation's key goes in the way an admin puts it: uploaded through the API, sealed at rest.
    const key = await w
      .as("admin")
      .uploadPut("/api/v1/signing-key")
      .field("passphrase", P12_PASS)
      .attach("file", p12, "lhh.p12");
    expect(key.status, JSON.stringify(key.body)).to.equal(201);
    const a = await placeOrder(w);
    assignmentId = a.id;
    await toPlanning(w, a.id);
    await toReview(w, a.id, 3);
    await send(w, "secretariat", a.id, {
      type: "workshop.schedule",
      scheduledAt: "2026-03-02T15:00:00+07:00",
      place: "Hội trường Liên hiệp hội, số 8 đường Tân Trào, phường Minh Xuân",
    });
    await submitOpinions(w, a.id, [0, 1, 2]);
    await send(w, "secretariat", a.id, {
      type: "workshop.record",
      minutes: "Sở Nông nghiệp và Môi trường trình bày tóm tắt Đề án.\nHội thảo thống nhất các kiến nghị chính.",
      attendees: ["TS. Nguyễn Thị Phương Thảo", "TS. Trần Đức Hưng", "TS. Lê Minh Châu"],
    });
    await send(w, "secretariat", a.id, { type: "review.close" });
    const r = await w.as("secretariat").post(`/api/v1/assignments/${a.id}/report`, richReport(w));
    expect(r.status, JSON.stringify(r.body)).to.equal(201);
    await send(w, "secretariat", a.id, { type: "report.submit" });
    await send(w, "expert0", a.id, { type: "report.endorse" });
    await send(w, "leadership", a.id, { type: "report.approve" });
    const sent = await send(w, "clerk", a.id, { type: "report.issue" });
    expect(sent.state).to.equal("sent");
    await w.settled();
  });
  after(async () => {
    if (process.env.DOC_DUMP) {
      const fs = await import("node:fs");
      for (const d of await w.db.select().from(documents).where(eq(documents.assignmentId, assignmentId))) {
        fs.writeFileSync(
          `${process.env.DOC_DUMP}/${d.kind}-${d.number}.pdf`,
          (await w.as("secretariat").get(`/api/v1/documents/${d.id}/pdf`)).body as Buffer,
        );
      }
      fs.writeFileSync(
        `${process.env.DOC_DUMP}/draft.pdf`,
        await w.documents.renderDraft("finalReport", { organizationId: w.org.id, assignmentId }),
      );
    }
  });

  it("issues every document of the assignment with its number, stored bytes and a verification code", async () => {
    const rows = await w.db.select().from(documents).where(eq(documents.assignmentId, assignmentId));
    expect(rows.map((d) => d.kind)).to.include.members([
      "acceptanceLetter",
      "panelDecision",
      "meetingInvitation",
      "minutes",
      "finalReport",
      "coverLetter",
    ]);
    for (const d of rows) {
      expect(d.status, d.kind).to.equal("issued");
      expect(d.sha256, d.kind).to.match(/^[0-9a-f]{64}$/);
      expect(d.verifyCode, d.kind).to.match(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{2}$/);
      expect((d.viewModel as { frozen?: boolean }).frozen, d.kind).to.equal(true);
    }
    const label = (k: string) => rows.find((d) => d.kind === k)!.numberLabel;
    expect(label("finalReport")).to.equal("01/BC-LHH");
    expect(label("panelDecision")).to.equal("01/QĐ-LHH");
    expect(label("meetingInvitation")).to.equal("01/GM-LHH");
    expect(label("minutes")).to.equal("01/BB-LHH");
    // Letters share the CV register: acceptance first, the three experts' invitation letters, the cover letter.
    expect(label("acceptanceLetter")).to.equal("01/LHH-TVPB");
    expect(
      rows
        .filter((d) => d.kind === "expertInvitation")
        .map((d) => d.numberLabel)
        .sort(),
    ).to.deep.equal(["02/LHH-TVPB", "03/LHH-TVPB", "04/LHH-TVPB"]);
    expect(label("coverLetter")).to.equal("05/LHH-TVPB");
  });

  it(
    "prints the final report from the approved draft: number line, legal bases, panel list, numbered " +
      "recommendations, annexes",
    async () => {
      const [doc] = await issuedOf(w, assignmentId, "finalReport");
      const pdf = (await w.as("secretariat").get(`/api/v1/documents/${doc.id}/pdf`)).body as Buffer;
      const text = await pdfText(pdf);
      const flat = squash(await pdfText(pdf, { mode: "raw" }));
      expect(text).to.match(/Số: 01\/BC-LHH/);
      expect(flat).to.include("Tuyên Quang, ngày 02 tháng 03 năm 2026");
      expect(flat).to.include("BÁO CÁO");
      expect(flat).to.include("Văn bản số 1234/UBND-KGVX ngày 20/02/2026 của Ủy ban nhân dân tỉnh Tuyên Quang");
      expect(flat).to.include("14/2014/QĐ-TTg");
      expect(flat).to.include("Quyết định số 25/2022/QĐ-UBND");
      expect(flat).to.include("Quyết định số 01/QĐ-LHH");
      expect(flat).to.include("Sở Nông nghiệp và Môi trường tỉnh Tuyên Quang");
      for (const name of ["TS. Nguyễn Thị Phương Thảo", "TS. Trần Đức Hưng", "TS. Lê Minh Châu"])
        expect(flat).to.include(name);
      expect(flat).to.include("Hội đồng thống nhất đánh giá việc xây dựng Đề án là cần thiết");
      expect(flat).to.include("Về mục tiêu");
      expect(flat).to.match(/1\. Điều chỉnh chỉ tiêu diện tích năm 2030/);
      expect(flat).to.match(/2\. Rà soát, thống nhất số liệu hiện trạng/);
      expect(flat).to.match(/3\. Bổ sung cơ chế liên kết chuỗi giá trị/);
      expect(flat).to.include("Thống nhất với Cục Thống kê tỉnh");
      expect(flat).to.include("Giữ chỉ tiêu 8.000 ha");
      expect(flat).to.include("TM. BAN THƯỜNG VỤ");
      expect(flat).to.include("Nguyễn Văn Thắng");
      expect(flat).to.include(doc.verifyCode!);
      const info = await pdfInfo(pdf);
      expect(info["Page size"]).to.include("(A4)");
      expect(info.Title).to.match(/^Báo cáo/);
      const fonts = await pdfFonts(pdf);
      expect(fonts.length).to.be.greaterThan(0);
      for (const f of fonts) {
        expect(f.name, f.name).to.match(/Tinos/);
        expect(f.embedded, f.name).to.equal(true);
      }
    },
  );

  it("prints the cover letter quoting the order and the report it sends", async () => {
    const [doc] = await issuedOf(w, assignmentId, "coverLetter");
    const pdf = (await w.as("secretariat").get(`/api/v1/documents/${doc.id}/pdf`)).body as Buffer;
    const flat = squash(await pdfText(pdf));
    expect(flat).to.include("Số: 05/LHH-TVPB");
    expect(flat).to.include("V/v gửi kết quả phản biện");
    expect(flat).to.include("Kính gửi: Ủy ban nhân dân tỉnh Tuyên Quang");
    expect(flat).to.include("Văn bản số 1234/UBND-KGVX ngày 20/02/2026");
    expect(flat).to.include("Báo cáo số 01/BC-LHH ngày 02/03/2026");
    expect(flat).to.include("03 kiến nghị");
    expect(flat).to.include("KT. CHỦ TỊCH");
    expect(flat).to.include("Nơi nhận");
  });

  it("prints the panel decision with members and roles, and the minutes from the workshop record", async () => {
    const [decision] = await issuedOf(w, assignmentId, "panelDecision");
    const d = squash(
      await pdfText((await w.as("clerk").get(`/api/v1/documents/${decision.id}/pdf`)).body as Buffer, { mode: "raw" }),
    );
    expect(d).to.include("QUYẾT ĐỊNH");
    expect(d).to.match(/Chủ tịch Hội\s?đồng/);
    expect(d).to.include("TS. Nguyễn Thị Phương Thảo");
    const [minutes] = await issuedOf(w, assignmentId, "minutes");
    const m = squash(
      await pdfText((await w.as("clerk").get(`/api/v1/documents/${minutes.id}/pdf`)).body as Buffer, { mode: "raw" }),
    );
    expect(m).to.include("BIÊN BẢN");
    expect(m).to.include("Hội thảo thống nhất các kiến nghị chính");
    expect(m).to.include("Hội trường Liên hiệp hội, số 8 đường Tân Trào");
  });

  it("sends every issued letter as a PDF attachment with the mail that announces it", async () => {
    const rows = await w.db.select().from(documents).where(eq(documents.assignmentId, assignmentId));
    const shaOf = (kind: string) => rows.filter((d) => d.kind === kind).map((d) => d.sha256);
    const attached = (m: (typeof w.mailer.sent)[number]) =>
      (m.attachments ?? []).map((x) => sha256Hex(x.content as Buffer));
    const agency = w.mailer.sent.filter((m) => m.to[0].address === w.agency.email);
    const accepted = agency.filter((m) => attached(m).includes(shaOf("acceptanceLetter")[0]!));
    expect(accepted, "the acceptance letter travels with its mail").to.have.length(1);
    expect(accepted[0].attachments![0].filename).to.match(/^Cong-van-tiep-nhan-1-2026\.pdf$/);
    const result = agency.find((m) => attached(m).includes(shaOf("coverLetter")[0]!));
    expect(result && attached(result)).to.include.members([shaOf("finalReport")[0], shaOf("coverLetter")[0]]);
    const letters = rows.filter((d) => d.kind === "expertInvitation");
    for (let i = 0; i < 3; i++) {
      const mine = w.mailer.sent.filter((m) => m.to[0].address === w.experts[i].email).flatMap(attached);
      const own = letters.find(
        (d) => (d.viewModel as { source?: { expertId?: string } }).source?.expertId === w.experts[i].id,
      );
      expect(own, `expert ${i}'s invitation letter`).to.exist;
      expect(mine, `expert ${i} gets their own invitation letter`).to.include(own!.sha256);
      for (const other of letters.filter((d) => d !== own)) expect(mine).to.not.include(other.sha256);
      expect(mine, `expert ${i} gets the panel decision`).to.include(shaOf("panelDecision")[0]);
      expect(mine, `expert ${i} gets the meeting invitation`).to.include(shaOf("meetingInvitation")[0]);
    }
  });

  it("previews the expert's invitation letter and opinion (bản nhận xét) with title, workplace, signature line", async () => {
    const pdfOf = async (kind: string) => {
      const res = await w
        .as("secretariat")
        .get(`/api/v1/assignments/${assignmentId}/drafts/${kind}.pdf?expertId=${w.experts[0].id}`)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on("data", (c: Buffer) => chunks.push(c)).on("end", () => cb(null, Buffer.concat(chunks)));
        });
      expect(res.status, kind).to.equal(200);
      return squash(await pdfText(res.body as Buffer, { mode: "raw" }));
    };
    const letter = await pdfOf("expertInvitation");
    expect(letter).to.include("Kính gửi: PGS.TS. Nguyễn Thị Phương Thảo, Trường Đại học Tân Trào");
    expect(letter).to.include("kính mời PGS.TS. Nguyễn Thị Phương Thảo tham gia Hội đồng phản biện");
    const opinion = await pdfOf("expertOpinion");
    expect(opinion).to.include("BẢN NHẬN XÉT PHẢN BIỆN");
    expect(opinion).to.include("PGS.TS. Nguyễn Thị Phương Thảo");
    expect(opinion).to.include("Học hàm, học vị: PGS.TS.");
    expect(opinion).to.include("Cơ quan công tác: Trường Đại học Tân Trào");
    expect(opinion).to.include("NGƯỜI NHẬN XÉT");
    const bad = await w
      .as("secretariat")
      .get(`/api/v1/assignments/${assignmentId}/drafts/expertOpinion.pdf?expertId=not-a-uuid`);
    expect(bad.status).to.equal(400);
  });

  it(
    "issues each submitted opinion as the expert's signed bản nhận xét (unnumbered, Decree 30 layout), " +
      "downloadable by staff and by the expert who wrote it only",
    async () => {
      const rows = await issuedOf(w, assignmentId, "expertOpinion");
      expect(rows, "one per submitted opinion").to.have.length(3);
      for (const d of rows) {
        expect(d.status).to.equal("issued");
        expect(d.number, "a form takes no number").to.equal(null);
        expect(d.register).to.equal(null);
      }
      const own = rows.find((d) => opinionWriterOf(d) === w.experts[0].id)!;
      expect(rows.map(opinionWriterOf).sort()).to.deep.equal(
        w.experts
          .slice(0, 3)
          .map((e) => e.id)
          .sort(),
      );
      expect(own, "expert 0's opinion").to.exist;
      const res = await w.as("expert0").get(`/api/v1/documents/${own.id}/pdf`);
      expect(res.status).to.equal(200);
      const pdf = res.body as Buffer;
      const flat = squash(await pdfText(pdf, { mode: "raw" }));
      expect(flat).to.include("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
      expect(flat).to.include("Độc lập - Tự do - Hạnh phúc");
      expect(flat).to.include("Tuyên Quang, ngày 02 tháng 03 năm 2026");
      expect(flat).to.include("BẢN NHẬN XÉT PHẢN BIỆN");
      expect(flat).to.include("PGS.TS. Nguyễn Thị Phương Thảo");
      expect(flat).to.include("Học hàm, học vị: PGS.TS.");
      expect(flat).to.include("Cơ quan công tác: Trường Đại học Tân Trào");
      expect(flat).to.include("Đề án có tính cấp thiết; ý kiến của chuyên gia số 1.");
      expect(flat).to.include("NGƯỜI NHẬN XÉT");
      expect(flat).to.not.match(/Số: \d/);
      expect(flat).to.include(own.verifyCode!);
      const info = await pdfInfo(pdf);
      expect(info["Page size"]).to.include("(A4)");
      for (const f of await pdfFonts(pdf)) {
        expect(f.name, f.name).to.match(/Tinos/);
        expect(f.embedded, f.name).to.equal(true);
      }
      // Seen as the opinion is: staff and its writer; not another panel member, not the agency.
      expect((await w.as("secretariat").get(`/api/v1/documents/${own.id}/pdf`)).status).to.equal(200);
      expect((await w.as("expert1").get(`/api/v1/documents/${own.id}/pdf`)).status).to.equal(404);
      expect((await w.as("agency").get(`/api/v1/documents/${own.id}/pdf`)).status).to.equal(404);
      const agencyView = (await w.as("agency").get(`/api/v1/assignments/${assignmentId}`)).body.data;
      expect((agencyView.documents as Array<{ kind: string }>).map((d) => d.kind)).to.not.include("expertOpinion");
    },
  );

  it("freezes the final report's view model with the panel decision, the opinions counted and the annexes' experts named", async () => {
    const [doc] = await issuedOf(w, assignmentId, "finalReport");
    const { vm } = doc.viewModel as { vm: DocumentModels["finalReport"] };
    expect(vm.panelDecision.number).to.equal("01/QĐ-LHH");
    expect(vm.opinionsReceived, "three experts submitted").to.equal(3);
    expect(vm.members.map((m) => m.name)).to.include.members(["TS. Trần Đức Hưng", "TS. Lê Minh Châu"]);
    expect(vm.matrix).to.deep.equal([
      {
        section: "Mục II – Thực trạng",
        opinion: "Số liệu diện tích chưa thống nhất.",
        proposedChange: "Thống nhất với Cục Thống kê tỉnh.",
        expert: "TS. Trần Đức Hưng",
      },
    ]);
    expect(vm.minorityViews).to.deep.equal([
      { expert: "TS. Lê Minh Châu", view: "Giữ chỉ tiêu 8.000 ha vì đã có doanh nghiệp cam kết bao tiêu." },
    ]);
    expect(vm.recommendations).to.have.length(3);
  });

  it("returns the stored bytes of an issued document, identical every time, with their SHA-256", async () => {
    const [doc] = await issuedOf(w, assignmentId, "finalReport");
    const one = await w.as("agency").get(`/api/v1/documents/${doc.id}/pdf`);
    const two = await w.as("secretariat").get(`/api/v1/documents/${doc.id}/pdf`);
    expect(one.status).to.equal(200);
    expect(one.headers["content-type"]).to.equal("application/pdf");
    expect(Buffer.compare(one.body, two.body)).to.equal(0);
    expect(one.headers["x-content-sha256"]).to.equal(doc.sha256);
    expect(sha256Hex(one.body)).to.equal(doc.sha256);
    // Rendering again is a no-op: the issued bytes never change.
    await w.documents.renderIssued(doc.id);
    const [again] = await w.db.select().from(documents).where(eq(documents.id, doc.id));
    expect(again.sha256).to.equal(doc.sha256);
  });

  it("signs issued PDFs with the organisation's PKCS#12 certificate so that pdfsig validates them", async () => {
    const [doc] = await issuedOf(w, assignmentId, "finalReport");
    const pdf = (await w.as("secretariat").get(`/api/v1/documents/${doc.id}/pdf`)).body as Buffer;
    const report = await pdfSig(pdf);
    expect(report).to.match(/Signature Validation: Signature is Valid\./);
    expect(report).to.match(/Total document signed/);
    expect(report).to.include("Lien hiep cac Hoi KH&KT tinh Tuyen Quang");
  });

  it("shows an issued document at /verify/:code, in HTML and JSON, without signing in", async () => {
    const [doc] = await issuedOf(w, assignmentId, "finalReport");
    const html = await request(w.app)
      .get(`/verify/${doc.verifyCode!.toLowerCase().replace(/-/g, "")}`)
      .set("Accept", "text/html");
    expect(html.status).to.equal(200);
    expect(html.text).to.include("01/BC-LHH");
    expect(html.text).to.include("02/03/2026");
    expect(html.text).to.include(doc.sha256!);
    expect(html.text).to.include("Đề án phát triển cây dược liệu");
    const json = await request(w.app).get(`/verify/${doc.verifyCode}`).set("Accept", "application/json");
    expect(json.status).to.equal(200);
    expect(json.body.data.document).to.include({
      number: "01/BC-LHH",
      date: "02/03/2026",
      sha256: doc.sha256,
      signed: true,
    });
    expect(json.body.data.document.issuer).to.match(/Liên hiệp các Hội KH&KT tỉnh Thử nghiệm/);
    const missing = await request(w.app).get("/verify/2222-2222-22").set("Accept", "application/json");
    expect(missing.status).to.equal(404);
    expect(missing.body.error.code).to.equal("document_not_found");
    expect((await request(w.app).get("/verify")).text).to.include('enctype="multipart/form-data"');
  });

  it("prints as its verification line exactly the content code /verify shows, named as a code, not SHA-256", async () => {
    const [doc] = await issuedOf(w, assignmentId, "coverLetter");
    const bytes = (await w.as("secretariat").get(`/api/v1/documents/${doc.id}/pdf`)).body as Buffer;
    const text = await pdfText(bytes);
    const printed = /Mã nội dung:\s*([0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})/.exec(text);
    expect(printed, text.slice(-600)).to.not.equal(null);
    expect(text).to.not.match(/SHA-256/);
    const json = await request(w.app).get(`/verify/${doc.verifyCode}`).set("Accept", "application/json");
    expect(json.body.data.document.contentCode).to.equal(printed![1]);
    expect(json.body.data.document.sha256).to.equal(doc.sha256);
    const html = await request(w.app).get(`/verify/${doc.verifyCode}`).set("Accept", "text/html");
    expect(html.text).to.include(printed![1]);
    expect(html.text).to.include("SHA-256 của tệp PDF");
  });

  it("accepts exactly the issued bytes at POST /verify and rejects a one-byte change", async () => {
    const [doc] = await issuedOf(w, assignmentId, "coverLetter");
    const bytes = (await w.as("secretariat").get(`/api/v1/documents/${doc.id}/pdf`)).body as Buffer;
    const ok = await request(w.app)
      .post("/verify")
      .set("Accept", "application/json")
      .attach("file", bytes, { filename: "cv.pdf", contentType: "application/pdf" });
    expect(ok.status).to.equal(200);
    expect(ok.body.data.match).to.equal(true);
    expect(ok.body.data.document.number).to.equal("05/LHH-TVPB");
    const changed = Buffer.from(bytes);
    changed[Math.floor(changed.length / 2)] ^= 0x01;
    const bad = await request(w.app)
      .post("/verify")
      .set("Accept", "application/json")
      .attach("file", changed, { filename: "cv.pdf", contentType: "application/pdf" });
    expect(bad.status).to.equal(200);
    expect(bad.body.data.match).to.equal(false);
    const page = await request(w.app)
      .post("/verify")
      .set("Accept", "text/html")
      .attach("file", changed, { filename: "cv.pdf", contentType: "application/pdf" });
    expect(page.text).to.include("KHÔNG trùng khớp");
  });

  it("issues a correction as a new numbered document that references the original; both stay on record", async () => {
    const [original] = await issuedOf(w, assignmentId, "finalReport");
    const refused = await w
      .as("secretariat")
      .post(`/api/v1/documents/${original.id}/corrections`, { reason: "Sai tên cơ quan chủ trì soạn thảo." });
    expect(refused.status).to.equal(403);
    const res = await w
      .as("leadership")
      .post(`/api/v1/documents/${original.id}/corrections`, { reason: "Sai tên cơ quan chủ trì soạn thảo." });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.data).to.include({ correctsId: original.id, number: 2, register: "BC", status: "issuing" });
    await w.settled();
    const rows = await issuedOf(w, assignmentId, "finalReport");
    expect(rows).to.have.length(2);
    const fix = rows.find((d) => d.id === res.body.data.id)!;
    expect(fix).to.include({ status: "issued", numberLabel: "02/BC-LHH", correctsId: original.id });
    expect(rows.find((d) => d.id === original.id)!.sha256).to.equal(original.sha256);
    const text = squash(
      await pdfText((await w.as("secretariat").get(`/api/v1/documents/${fix.id}/pdf`)).body as Buffer, { mode: "raw" }),
    );
    expect(text).to.include("Số: 02/BC-LHH");
    expect(text.replace(/\s+/g, "")).to.include("thaythếvănbảnsố01/BC-LHH");
    const page = await request(w.app).get(`/verify/${original.verifyCode}`).set("Accept", "application/json");
    expect(page.body.data.document.correctedBy.number).to.equal("02/BC-LHH");
    const [h] = await w.db
      .select()
      .from(history)
      .where(and(eq(history.assignmentId, assignmentId), eq(history.eventType, "document.correct")));
    expect(h.reason).to.equal("Sai tên cơ quan chủ trì soạn thảo.");
    expect(h).to.include({ workflow: "document", workflowId: fix.id, version: 1 });
    expect(h.payload).to.deep.equal({ documentId: fix.id, correctsId: original.id, kind: "finalReport" });
  });

  it("renders a draft with the DỰ THẢO watermark and no number, without storing it", async () => {
    const pdf = await w.documents.renderDraft("finalReport", { organizationId: w.org.id, assignmentId });
    const text = await pdfText(pdf);
    expect((await pdfText(pdf, { first: 1, last: 1, mode: "raw" })).replace(/\s+/g, "")).to.include("DỰTHẢO");
    expect(text).to.match(/Số:\s+\/BC-LHH/);
    expect(text).to.not.match(/Số: 0\d\/BC-LHH/);
  });

  it("previews any document of the assignment as a draft over HTTP, for staff only", async () => {
    const res = await w
      .as("secretariat")
      .get(`/api/v1/assignments/${assignmentId}/drafts/coverLetter.pdf`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on("data", (c: Buffer) => chunks.push(c)).on("end", () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).to.equal(200);
    expect(res.headers["content-type"]).to.equal("application/pdf");
    expect((await pdfText(res.body as Buffer, { first: 1, last: 1, mode: "raw" })).replace(/\s+/g, "")).to.include(
      "DỰTHẢO",
    );
    expect((await w.as("agency").get(`/api/v1/assignments/${assignmentId}/drafts/coverLetter.pdf`)).status).to.equal(
      403,
    );
    const bad = await w.as("secretariat").get(`/api/v1/assignments/${assignmentId}/drafts/passport.pdf`);
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal("unknown_document_kind");
  });

  it("issues the quarterly activity report with a number of the BC register and the period's figures", async () => {
    expect((await w.as("secretariat").post("/api/v1/activity-reports", { year: 2026, quarter: 1 })).status).to.equal(
      403,
    );
    const res = await w.as("leadership").post("/api/v1/activity-reports", { year: 2026, quarter: 1 });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.data.register).to.equal("BC");
    await w.settled();
    const pdf = await w
      .as("clerk")
      .get(`/api/v1/documents/${res.body.data.id}/pdf`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on("data", (c: Buffer) => chunks.push(c)).on("end", () => cb(null, Buffer.concat(chunks)));
      });
    expect(pdf.status).to.equal(200);
    const text = await pdfText(pdf.body as Buffer);
    expect(text).to.match(/Số: \d\d\/BC-LHH/);
    expect(text).to.include("quý I năm 2026");
    const list = (await w.as("clerk").get("/api/v1/documents")).body.data.map((d: { kind: string }) => d.kind);
    expect(list).to.include("activityReport");
  });

  it("exports the report draft to Word for staff and panel experts only", async () => {
    const res = await w
      .as("leadership")
      .get(`/api/v1/assignments/${assignmentId}/report.docx`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on("data", (c: Buffer) => chunks.push(c));
        r.on("end", () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).to.equal(200);
    expect(res.headers["content-type"]).to.include("wordprocessingml");
    expect((res.body as Buffer).subarray(0, 2).toString()).to.equal("PK");
    expect((await w.as("expert0").get(`/api/v1/assignments/${assignmentId}/report.docx`)).status).to.equal(200);
    expect((await w.as("agency").get(`/api/v1/assignments/${assignmentId}/report.docx`)).status).to.equal(403);
  });

  it("hides documents across organisations (404)", async () => {
    const other = await createWorld();
    const [doc] = await issuedOf(w, assignmentId, "finalReport");
    const res = await other.as("leadership").get(`/api/v1/documents/${doc.id}/pdf`);
    expect(res.status).to.equal(404);
    expect(res.body.error.code).to.equal("document_not_found");
    expect(
      (
        await other
          .as("leadership")
          .post(`/api/v1/documents/${doc.id}/corrections`, { reason: "Thử sửa văn bản của tổ chức khác." })
      ).status,
    ).to.equal(404);
  });
});
