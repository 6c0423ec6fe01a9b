import { expect } from "chai";
import { and, eq } from "drizzle-orm";
import { documents } from "../../server/db/schema.js";
import { buildViewModel } from "../../server/documents/viewModels.js";
import type { DocumentModels } from "../../server/documents/types.js";
import { createWorld } from "../support/testApp.js";
import { placeOrder, send, submitOpinions, toPlanning, toReview } from "../support/flows.js";

const signers = [
  {
    key: "vice",
    name: "Hoàng Thị Thu Hường",
    title: "PHÓ CHỦ TỊCH",
    authority: "KT." as const,
    authorityTitle: "CHỦ TỊCH",
  },
  {
    key: "chairman",
    name: "Nguyễn Văn Thắng",
    title: "CHỦ TỊCH",
    authority: "TM." as const,
    authorityTitle: "BAN THƯỜNG VỤ",
  },
];

describe("documents/viewModels", () => {
  it("builds the request for more documents from the event that issued it, numbered in the letters register", async () => {
    const w = await createWorld({ settings: { signers } });
    const a = await placeOrder(w, { urgency: "urgent" });
    await send(w, "clerk", a.id, { type: "order.register" });
    await send(w, "secretariat", a.id, {
      type: "documents.request",
      missingDocuments: ["Tờ trình của Sở Nông nghiệp và Môi trường", "Báo cáo đánh giá tác động môi trường"],
    });
    const [doc] = await w.db
      .select()
      .from(documents)
      .where(and(eq(documents.assignmentId, a.id), eq(documents.kind, "requestDocuments")));
    const built = await buildViewModel(w.db, doc, { now: w.clock.now() });
    const vm = built.vm as DocumentModels["requestDocuments"];
    expect(built.numberLabel).to.equal("01/LHH-TVPB");
    expect(vm.missingDocuments).to.deep.equal([
      "Tờ trình của Sở Nông nghiệp và Môi trường",
      "Báo cáo đánh giá tác động môi trường",
    ]);
    expect(vm.addressees).to.deep.equal(["Ủy ban nhân dân tỉnh Tuyên Quang"]);
    expect(vm.order).to.include({ number: "1234/UBND-KGVX", issuer: "Ủy ban nhân dân tỉnh Tuyên Quang" });
    expect(vm.urgency).to.equal("KHẨN");
    expect(vm.signerRole).to.equal("default");
    expect(vm.org.signers.default).to.deep.equal({
      authority: { prefix: "KT.", of: "CHỦ TỊCH" },
      title: "PHÓ CHỦ TỊCH",
      name: "Hoàng Thị Thu Hường",
    });
    expect(vm.org.issuerNameLines).to.deep.equal(["LIÊN HIỆP CÁC HỘI KHOA HỌC", "VÀ KỸ THUẬT TỈNH TUYÊN QUANG"]);
  });

  it("lists the decline reasons one per line", async () => {
    const w = await createWorld({ settings: { signers } });
    const a = await placeOrder(w);
    await send(w, "clerk", a.id, { type: "order.register" });
    await send(w, "secretariat", a.id, {
      type: "order.proposeDecline",
      reasons: "Không thuộc phạm vi giám định xã hội.\nKhông đủ chuyên gia trong thời hạn đề nghị.",
    });
    await send(w, "leadership", a.id, { type: "order.decline" });
    const [doc] = await w.db
      .select()
      .from(documents)
      .where(and(eq(documents.assignmentId, a.id), eq(documents.kind, "declineLetter")));
    const vm = (await buildViewModel(w.db, doc, { now: w.clock.now() })).vm as DocumentModels["declineLetter"];
    expect(vm.reasons).to.deep.equal([
      "Không thuộc phạm vi giám định xã hội",
      "Không đủ chuyên gia trong thời hạn đề nghị",
    ]);
  });

  it("builds the panel decision (signed TM. BAN THƯỜNG VỤ), an expert opinion and the quarterly activity report", async () => {
    const w = await createWorld({ settings: { signers } });
    const a = await placeOrder(w);
    await toPlanning(w, a.id);
    await toReview(w, a.id, 3);
    await submitOpinions(w, a.id, [1]);
    const [doc] = await w.db
      .select()
      .from(documents)
      .where(and(eq(documents.assignmentId, a.id), eq(documents.kind, "panelDecision")));
    const decision = await buildViewModel(w.db, doc, { now: w.clock.now() });
    const d = decision.vm as DocumentModels["panelDecision"];
    expect(decision.numberLabel).to.equal("01/QĐ-LHH");
    expect(d.signerRole).to.equal("chairman");
    expect(d.members.map((m) => [m.name, m.role])).to.deep.equal([
      ["TS. Nguyễn Thị Phương Thảo", "chair"],
      ["TS. Trần Đức Hưng", "member"],
      ["TS. Lê Minh Châu", "member"],
    ]);
    expect(d.bases[0]).to.match(/14\/2014\/QĐ-TTg/);
    const opinion = (
      await w.documents.draftViewModel("expertOpinion", { organizationId: w.org.id, assignmentId: a.id })
    ).vm as DocumentModels["expertOpinion"];
    expect(opinion.expert.name).to.equal("TS. Trần Đức Hưng");
    expect(opinion.conclusion).to.equal("agreeWithRevisions");
    expect(opinion.specificComments[0].section).to.equal("Mục II. Thực trạng");
    const report = (
      await w.documents.draftViewModel("activityReport", { organizationId: w.org.id, assignmentId: null })
    ).vm as DocumentModels["activityReport"];
    expect(report.periodLabel).to.equal("quý I năm 2026");
    expect(report.rows).to.have.length(1);
    expect(report.rows[0]).to.include({ type: "critique", orderingAgency: "Ủy ban nhân dân tỉnh Tuyên Quang" });
  });
});
