/**
 * A real report editor (issue 14 §5), without JavaScript: sections, paragraphs, recommendations and
 * matrix rows are added, moved and removed by the form's buttons (name=action) on the server; the
 * numbers come from the order, never from what was typed (one "IV." only); "Trích dẫn" quotes one
 * passage of an opinion with its source; no conclusion is chosen in advance, and the report is not
 * submitted without one.
 */
import { expect } from "chai";
import { and, desc, eq } from "drizzle-orm";
import { opinionVersions, reportVersions } from "../../../server/db/schema.js";
import { createWorld, type World } from "../../support/testApp.js";
import { placeOrder, send, submitOpinions, toPlanning, toReview } from "../../support/flows.js";
import { allowPageSignIn, pageAgent } from "../../support/pageAgent.js";

type Content = {
  sections: Array<{ key: string; title: string; paragraphs: Array<{ text: string; citations?: unknown[] }> }>;
  recommendations: Array<{ text: string }>;
  commentMatrix: Array<{ opinion: string }>;
  conclusion?: string;
};

describe("the report editor without JavaScript", () => {
  let w: World;
  let id = "";
  let secretariat: Awaited<ReturnType<typeof pageAgent>>;
  before(async () => {
    w = await createWorld();
    await allowPageSignIn(w);
    id = (await placeOrder(w, { forms: ["council"] })).id;
    await toPlanning(w, id);
    await toReview(w, id, 3);
    await submitOpinions(w, id, [0, 1, 2]);
    await send(w, "secretariat", id, { type: "review.close" });
    secretariat = await pageAgent(w, "secretariat");
  });

  const latest = async () => {
    const [row] = await w.db
      .select()
      .from(reportVersions)
      .where(eq(reportVersions.assignmentId, id))
      .orderBy(desc(reportVersions.version))
      .limit(1);
    return row.content as Content;
  };
  const post = (fields: Record<string, string>) =>
    secretariat.agent
      .post(`/assignments/${id}/report`)
      .type("form")
      .send({ _csrf: secretariat.csrf, ...fields });
  const draft = {
    "overall[0][title]": "Sự cần thiết",
    "overall[0][paragraphs][0][text]": "Đề án là cần thiết.",
    "specific[0][title]": "IV. Mục tiêu",
    "specific[0][paragraphs][0][text]": "Mục tiêu chưa lượng hoá.",
    "specific[1][title]": "2. Giải pháp",
    "specific[1][paragraphs][0][text]": "Giải pháp còn chung chung.",
    "recommendations[0][text]": "Kiến nghị thứ nhất.",
    "recommendations[1][text]": "Kiến nghị thứ hai.",
    "matrix[0][section]": "Mục II",
    "matrix[0][opinion]": "Ý kiến A.",
    "matrix[1][section]": "Mục III",
    "matrix[1][opinion]": "Ý kiến B.",
  };

  it("starts with the usual sections numbered once each and no conclusion chosen", async () => {
    const page = await secretariat.agent.get(`/assignments/${id}/report`).expect(200);
    expect(page.text).to.contain(">II. Đánh giá chung</h2>");
    expect(page.text).to.contain(">III. Ý kiến cụ thể</h2>");
    expect(page.text.match(/<h2[^>]*>IV\. /g)).to.have.length(1);
    expect(page.text).to.contain('value="Nhiệm vụ và giải pháp"');
    const select = /<select id="conclusion"[^>]*>([\s\S]*?)<\/select>/.exec(page.text)![1];
    expect(select).to.match(/^<option value="">/);
    expect(select).to.not.contain("selected");
    expect(page.text).to.match(/ý kiến của [^<,]+, mục II\.1/);
    expect(page.text).to.contain('name="action" value="add:specific"');
  });

  it("moves a section up, stores the titles without typed numbers and numbers them again", async () => {
    const res = await post({ ...draft, action: "up:specific[1]" });
    expect(res.status, res.text).to.equal(200);
    const c = await latest();
    expect(c.sections.map((s) => [s.key, s.title])).to.deep.equal([
      ["overall", "Sự cần thiết"],
      ["specific", "Giải pháp"],
      ["specific", "Mục tiêu"],
    ]);
    expect(c.conclusion).to.equal(undefined);
    expect(res.text).to.match(
      /<input id="f-specific-0-title" name="specific\[0\]\[title\]" type="text" value="Giải pháp">/,
    );
    expect(res.text).to.contain("Mục <span data-numeral>III</span>.<span data-num>2</span>");
    const preview = await secretariat.agent.get(`/assignments/${id}/report/preview`).expect(200);
    const html = preview.text;
    expect(html.match(/II\. ĐÁNH GIÁ CHUNG/g)).to.have.length(1);
    expect(html.match(/III\. Ý KIẾN CỤ THỂ/g)).to.have.length(1);
    expect(html.match(/IV\. KẾT LUẬN VÀ KIẾN NGHỊ/g)).to.have.length(1);
    expect(html.indexOf("1. Giải pháp")).to.be.greaterThan(0).and.lessThan(html.indexOf("2. Mục tiêu"));
    expect(html).to.not.contain("IV. Mục tiêu");
  });

  it("adds a blank paragraph and a section to fill in, removes a matrix row and moves a recommendation down", async () => {
    const added = await post({ ...draft, action: "add:specific[0][paragraphs]" });
    expect(added.status).to.equal(200);
    expect(added.text).to.contain('name="specific[0][paragraphs][1][text]"');
    const section = await post({ ...draft, action: "add:overall" });
    expect(section.text).to.contain('name="overall[1][title]" type="text" value=""');
    const removed = await post({ ...draft, action: "remove:matrix[0]" });
    expect(removed.status).to.equal(200);
    expect((await latest()).commentMatrix.map((m) => m.opinion)).to.deep.equal(["Ý kiến B."]);
    await post({ ...draft, action: "down:recommendations[0]" }).expect(200);
    expect((await latest()).recommendations.map((r) => r.text)).to.deep.equal([
      "Kiến nghị thứ hai.",
      "Kiến nghị thứ nhất.",
    ]);
  });

  it("ignores a row button that names no list of the form", async () => {
    const res = await post({ ...draft, action: "remove:_csrf[0]" });
    expect(res.status).to.be.within(200, 303);
    expect((await latest()).recommendations).to.have.length(2);
  });

  it("quotes one passage of an opinion with its source, not the whole opinion", async () => {
    const [op] = await w.db
      .select()
      .from(opinionVersions)
      .where(and(eq(opinionVersions.assignmentId, id), eq(opinionVersions.expertId, w.experts[1].id)));
    const res = await post({ ...draft, citeInto: "specific[1][paragraphs]", action: `cite:${op.id}:II.1` });
    expect(res.status, res.text).to.equal(200);
    const para = (await latest()).sections[2].paragraphs[1];
    expect(para.text).to.match(/^“Số liệu diện tích trồng dược liệu năm 2025 .* Đề xuất sửa đổi: Rà soát/);
    expect(para.text).to.match(/\(ý kiến của [^,]+, mục II\.1\)$/);
    expect(para.text).to.not.contain("Đề án có tính cấp thiết");
    expect(para.citations).to.deep.equal([{ opinionId: op.id, part: "II.1" }]);
    expect(res.text).to.match(/Trích từ: ý kiến của [^,<]+, mục II\.1/);
  });

  it("does not submit the report to leadership before a conclusion is chosen", async () => {
    const refused = await w.as("secretariat").post(`/api/v1/assignments/${id}/events`, { type: "report.submit" });
    expect(refused.status).to.equal(400);
    expect(refused.body.error.code).to.equal("report_conclusion_required");
    await post({ ...draft, conclusion: "fit_after_revision", action: "save" }).expect(303);
    expect((await latest()).conclusion).to.equal("fit_after_revision");
    await send(w, "secretariat", id, { type: "report.submit" });
  });
});

describe("the opinion form's specific comments without JavaScript", () => {
  let w: World;
  let id = "";
  before(async () => {
    w = await createWorld();
    await allowPageSignIn(w);
    id = (await placeOrder(w, { forms: ["council"] })).id;
    await toPlanning(w, id);
    await toReview(w, id, 3);
  });

  it("adds, moves and removes comment rows and keeps the draft as changed", async () => {
    const { agent, csrf } = await pageAgent(w, "expert0");
    const page = await agent.get(`/assignments/${id}/opinion`).expect(200);
    expect(page.text).to.contain('name="specific[0][comment]"');
    expect(page.text).to.not.contain('name="specific[1][comment]"');
    const form = {
      _csrf: csrf,
      general: "Nhận xét chung.",
      conclusion: "",
      recommendations: "",
      "specific[0][section]": "Mục I",
      "specific[0][comment]": "Thứ nhất.",
      "specific[1][section]": "Mục II",
      "specific[1][comment]": "Thứ hai.",
    };
    const post = (action: string) =>
      agent
        .post(`/assignments/${id}/opinion`)
        .type("form")
        .send({ ...form, action });
    const added = await post("add:specific");
    expect(added.status, added.text).to.equal(200);
    expect(added.text).to.contain('name="specific[2][comment]"');
    const moved = await post("up:specific[1]");
    expect(moved.status).to.equal(200);
    expect(moved.text.indexOf("Thứ hai.")).to.be.lessThan(moved.text.indexOf("Thứ nhất."));
    const [draft] = await w.db
      .select()
      .from(opinionVersions)
      .where(and(eq(opinionVersions.assignmentId, id), eq(opinionVersions.expertId, w.experts[0].id)));
    const specific = (draft.content as { specific: Array<{ comment: string }> }).specific;
    expect(specific.map((s) => s.comment)).to.deep.equal(["Thứ hai.", "Thứ nhất."]);
    const removed = await post("remove:specific[0]");
    expect(removed.text).to.not.contain(">Thứ nhất.<");
    expect(removed.text).to.contain('Đưa ý kiến lên<span class="sr-only">');
  });
});
