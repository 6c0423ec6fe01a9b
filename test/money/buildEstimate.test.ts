import { expect } from "chai";
import fc from "fast-check";
import { buildEstimate, type EstimateInput } from "../../server/money/buildEstimate.js";
import { demoRates } from "../../server/money/demoRates.js";
import { rateInForce, rateTableProblems } from "../../server/money/rateInForce.js";
import type { Rate } from "../../server/money/types.js";

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return "no error";
};

/** A council of 7 with a field workshop: the reservoir assessment of the domain's examples. */
const council: EstimateInput = {
  on: "2026-03-01",
  rates: demoRates(),
  panel: { chair: 1, secretary: 1, reviewer: 2, member: 3 },
  forms: ["council", "workshop"],
  workshop: { papers: 2, participants: 40 },
  travel: 7,
  printing: 10,
};

const linesOf = (e: ReturnType<typeof buildEstimate>) =>
  e.lines.map((l) => [l.item, l.role, l.quantity, l.unitAmount, l.amount]);

describe("money: rates in force", () => {
  it("takes the row that took effect last, so a new resolution needs no edit of the old rows", () => {
    const rates = demoRates();
    expect(rateInForce(rates, "expert_opinion", "chair", "2025-12-31").amount).to.equal(2_000_000);
    expect(rateInForce(rates, "expert_opinion", "chair", "2026-01-01").amount).to.equal(2_400_000);
    expect(rateInForce(rates, "expert_opinion", "secretary", "2026-06-01").amount).to.equal(1_500_000);
    expect(rateInForce(rates, "meeting_attendance", null, "2026-06-01").legalBasis).to.match(/09\/2025\/NQ-HĐND/);
  });

  it("says which rate is missing, before the first one or after one ended", () => {
    const rates = demoRates();
    expect(code(() => rateInForce(rates, "printing", null, "2023-07-31"))).to.equal("rate_missing");
    const ended: Rate[] = rates.map((r) => (r.item === "travel" ? { ...r, effectiveTo: "2025-12-31" } : r));
    expect(rateInForce(ended, "travel", null, "2025-12-31").amount).to.equal(300_000);
    expect(code(() => rateInForce(ended, "travel", null, "2026-01-01"))).to.equal("rate_missing");
    expect(code(() => rateInForce(rates, "travel", null, "2026-02-30"))).to.equal("invalid_date");
  });

  it("refuses to choose between two rows that took effect the same day", () => {
    const rates = [...demoRates(), { ...demoRates()[4], id: "dup", amount: 600_000 }];
    expect(code(() => rateInForce(rates, "chairing", null, "2026-03-01"))).to.equal("rate_ambiguous");
    expect(rateTableProblems(rates)).to.deep.equal([{ id: "dup", code: "same_start" }]);
  });

  it("finds the faults of a rates table as it is entered", () => {
    expect(rateTableProblems(demoRates())).to.deep.equal([]);
    const base = demoRates()[4];
    const bad: Rate[] = [
      { ...base, id: "a", amount: 1.5 },
      { ...base, id: "b", effectiveFrom: "2026-13-01" },
      { ...base, id: "c", effectiveFrom: "2026-05-01", effectiveTo: "2026-04-30" },
      { ...base, id: "d", effectiveFrom: "2027-01-01", legalBasis: " " },
      { ...base, id: "e", effectiveFrom: "2028-01-01", role: "chair" },
    ];
    expect(rateTableProblems(bad).map((p) => `${p.id}:${p.code}`)).to.deep.equal([
      "a:invalid_amount",
      "b:invalid_date",
      "c:ends_before_start",
      "d:missing_text",
      "e:role_mismatch",
    ]);
  });
});

describe("money: an assignment's estimate (dự toán)", () => {
  it("prices a council of 7 with a workshop, line by line, from the rates in force (hand-checked)", () => {
    const e = buildEstimate(council);
    expect(linesOf(e)).to.deep.equal([
      ["expert_opinion", "chair", 1, 2_400_000, 2_400_000],
      ["expert_opinion", "secretary", 1, 1_500_000, 1_500_000],
      ["expert_opinion", "reviewer", 2, 1_500_000, 3_000_000],
      ["expert_opinion", "member", 3, 1_200_000, 3_600_000],
      ["chairing", null, 1, 500_000, 500_000],
      ["secretary", null, 1, 300_000, 300_000],
      ["meeting_attendance", null, 5, 250_000, 1_250_000],
      ["report_drafting", null, 1, 3_000_000, 3_000_000],
      ["workshop_chairing", null, 1, 1_000_000, 1_000_000],
      ["workshop_paper", null, 2, 1_500_000, 3_000_000],
      ["workshop_attendance", null, 40, 150_000, 6_000_000],
      ["travel", null, 7, 300_000, 2_100_000],
      ["printing", null, 10, 50_000, 500_000],
    ]);
    expect(e.subtotal).to.equal(28_150_000);
    expect(e.total).to.equal(28_150_000);
    expect(e.lines[0]).to.include({ label: "Bài nhận xét, phản biện của Chủ tịch Hội đồng, Tổ trưởng", unit: "bài" });
    expect(e.legalBases.map((b) => b.slice(0, 29))).to.deep.equal([
      "Nghị quyết số 09/2025/NQ-HĐND",
      "Nghị quyết số 14/2023/NQ-HĐND",
    ]);
  });

  it("uses the rates of the day it is made for", () => {
    expect(buildEstimate({ ...council, on: "2025-06-01" }).total).to.equal(26_900_000);
  });

  it("prices an expert group of 3 giving written opinions only, without meetings", () => {
    const e = buildEstimate({
      on: "2026-03-01",
      rates: demoRates(),
      panel: { chair: 1, member: 2 },
      forms: ["written"],
    });
    expect(linesOf(e)).to.deep.equal([
      ["expert_opinion", "chair", 1, 2_400_000, 2_400_000],
      ["expert_opinion", "member", 2, 1_200_000, 2_400_000],
      ["report_drafting", null, 1, 3_000_000, 3_000_000],
    ]);
    expect(e.total).to.equal(7_800_000);
  });

  it("counts sessions: two council meetings, two workshop sessions of the panel", () => {
    const e = buildEstimate({
      on: "2026-03-01",
      rates: demoRates(),
      panel: { chair: 1, secretary: 1, member: 3 },
      forms: ["council", "workshop"],
      meetings: 2,
      workshop: { sessions: 2 },
    });
    const qty = Object.fromEntries(e.lines.filter((l) => l.role === null).map((l) => [l.item, l.quantity]));
    expect(qty).to.deep.equal({
      chairing: 2,
      secretary: 2,
      meeting_attendance: 6,
      report_drafting: 1,
      workshop_chairing: 2,
      workshop_attendance: 10,
    });
  });

  it("applies adjustments with their reasons and compares the total with the approved budget", () => {
    const adjustments = [
      { label: "Giảm chi in ấn", amount: -500_000, reason: "Gửi hồ sơ điện tử cho thành viên Hội đồng" },
      { label: "Thuê xe khảo sát", amount: 1_850_000, reason: "Khảo sát thực địa lòng hồ, 2 ngày" },
    ];
    const e = buildEstimate({ ...council, adjustments, budget: 29_000_000 });
    expect(e.subtotal).to.equal(28_150_000);
    expect(e.total).to.equal(29_500_000);
    expect(e).to.include({ budget: 29_000_000, overBudget: true });
    expect(buildEstimate({ ...council, budget: 30_000_000 }).overBudget).to.equal(false);
    expect(buildEstimate(council)).to.include({ budget: null, overBudget: false });
  });

  it("refuses adjustments without reasons, fractional amounts and totals below zero", () => {
    const adj = (a: object) => code(() => buildEstimate({ ...council, adjustments: [a as never] }));
    expect(adj({ label: "Giảm", amount: -100_000, reason: " " })).to.equal("adjustment_reason_required");
    expect(adj({ label: "", amount: -100_000, reason: "Vì" })).to.equal("adjustment_reason_required");
    expect(adj({ label: "Giảm", amount: -100_000.5, reason: "Vì" })).to.equal("invalid_amount");
    expect(adj({ label: "Giảm", amount: 0, reason: "Vì" })).to.equal("invalid_amount");
    expect(adj({ label: "Giảm", amount: -30_000_000, reason: "Vì" })).to.equal("estimate_negative");
  });

  it("refuses bad work: no forms, unknown forms, an empty panel, fractional or negative counts, a missing rate", () => {
    const bad = (w: Partial<EstimateInput>) => code(() => buildEstimate({ ...council, ...w }));
    expect(bad({ forms: [] })).to.equal("invalid_forms");
    expect(bad({ forms: ["seminar" as never] })).to.equal("invalid_forms");
    expect(bad({ panel: {} })).to.equal("empty_panel");
    expect(bad({ panel: { member: 1.5 } })).to.equal("invalid_quantity");
    expect(bad({ meetings: -1 })).to.equal("invalid_quantity");
    expect(bad({ travel: 1e9 })).to.equal("invalid_quantity");
    expect(bad({ on: "2023-01-01" })).to.equal("rate_missing");
    expect(bad({ rates: demoRates().filter((r) => r.item !== "workshop_paper") })).to.equal("rate_missing");
  });

  it("adds up exactly: the total is the sum of its lines and adjustments, each line quantity × rate (property)", () => {
    const count = fc.integer({ min: 0, max: 30 });
    fc.assert(
      fc.property(
        fc.record({ chair: count, secretary: count, reviewer: count, member: count }),
        fc.subarray(["council", "expert_group", "workshop", "written"] as const, { minLength: 1 }),
        fc.integer({ min: 0, max: 5 }),
        fc.array(
          fc.integer({ min: -200_000, max: 5_000_000 }).filter((x) => x !== 0),
          { maxLength: 3 },
        ),
        (panel, forms, travel, amounts) => {
          const size = panel.chair + panel.secretary + panel.reviewer + panel.member;
          const needsPanel = forms.some((f) => f !== "workshop");
          fc.pre(size > 0 || !needsPanel);
          const adjustments = amounts.map((amount, i) => ({
            label: `Điều chỉnh ${i + 1}`,
            amount,
            reason: "Theo thực tế",
          }));
          const e = buildEstimate({
            on: "2026-03-01",
            rates: demoRates(),
            panel,
            forms: [...forms],
            travel,
            adjustments,
          });
          for (const l of e.lines) {
            expect(l.amount).to.equal(l.quantity * l.unitAmount);
            expect(Number.isSafeInteger(l.amount) && l.quantity > 0).to.equal(true);
          }
          const lineSum = e.lines.reduce((s, l) => s + l.amount, 0);
          expect(e.subtotal).to.equal(lineSum);
          expect(e.total).to.equal(lineSum + amounts.reduce((s, a) => s + a, 0));
          const opinions = e.lines.filter((l) => l.item === "expert_opinion").reduce((s, l) => s + l.quantity, 0);
          expect(opinions).to.equal(needsPanel ? size : 0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
