/** The plan's and the accountant's forms read into the commands' inputs: amounts, ranking, decision, estimate. */
import { expect } from "chai";
import { readAmount, readDecision, readPlanEvent, readRank } from "../../../server/http/pages/forms/readPlanForms.js";
import { readEstimateForm, readPaymentForm } from "../../../server/http/pages/forms/readMoneyForms.js";

const A = "11111111-1111-4111-8111-111111111111";
const B = "22222222-2222-4222-8222-222222222222";

describe("plan and money forms", () => {
  it("reads whole đồng typed the Vietnamese way and leaves anything else as typed", () => {
    expect(readAmount("45.000.000")).to.equal(45_000_000);
    expect(readAmount("45 000 000 đ")).to.equal(45_000_000);
    expect(readAmount("1500000")).to.equal(1_500_000);
    expect(readAmount("30.000,5")).to.equal("30.000,5");
    expect(readAmount("4.50")).to.equal("4.50");
  });

  it("orders the ranking by the positions typed, an empty position last", () => {
    expect(readRank({ [`pos_${A}`]: "2", [`pos_${B}`]: "1", _csrf: "x" })).to.deep.equal({
      type: "items.rank",
      order: [B, A],
    });
    expect(readRank({ [`pos_${A}`]: "", [`pos_${B}`]: "3" }).order).to.deep.equal([B, A]);
  });

  it("reads the decision: cut and changed items, approved as sent left out", () => {
    const d = readDecision({
      number: " 2345/QĐ-UBND ",
      date: "2026-12-20",
      [`outcome_${A}`]: "cut",
      [`outcome_${B}`]: "changed",
      [`cost_${B}`]: "60.000.000",
      [`quarter_${B}`]: "4",
    });
    expect(d).to.deep.equal({
      number: "2345/QĐ-UBND",
      date: "2026-12-20",
      issuer: undefined,
      cut: [A],
      changed: [{ itemId: B, estimatedCost: 60_000_000, quarter: 4 }],
    });
  });

  it("reads an item event with its item, and an edit's content without the empty fields", () => {
    expect(readPlanEvent("item.reject", { reason: " Trùng nội dung. ", note: "" }, A)).to.deep.equal({
      type: "item.reject",
      reason: "Trùng nội dung.",
      itemId: A,
    });
    const e = readPlanEvent(
      "item.edit",
      { type: "item.edit", taskType: "", estimatedCost: "35.000.000", reason: "x" },
      A,
    );
    expect(e.content).to.deep.equal({ estimatedCost: 35_000_000 });
    expect(readPlanEvent("items.merge", { intoItemId: B, reason: "Trùng." }, A)).to.deep.equal({
      type: "items.merge",
      reason: "Trùng.",
      intoItemId: B,
      itemIds: [A],
    });
  });

  it("reads a payment to an expert and an estimate with one adjustment", () => {
    const p = readPaymentForm({
      payeeKind: "expert",
      expertId: A,
      amount: "1.500.000",
      taxWithheld: "",
      paidOn: "2026-09-10",
    });
    expect(p.payee).to.deep.equal({ kind: "expert", expertId: A });
    expect(p.amount).to.equal(1_500_000);
    expect(p).not.to.have.property("taxWithheld");
    const est = readEstimateForm({
      forms: "council",
      chair: "1",
      reviewer: "2",
      meetings: "1",
      adjLabel0: "Hội trường",
      adjAmount0: "2.000.000",
      adjReason0: "Thuê ngoài.",
    });
    expect(est).to.deep.equal({
      panel: { chair: 1, reviewer: 2 },
      forms: ["council"],
      meetings: 1,
      adjustments: [{ label: "Hội trường", amount: 2_000_000, reason: "Thuê ngoài." }],
    });
  });
});
