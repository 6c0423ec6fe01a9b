import { expect } from "chai";
import { buildSettlement } from "../../server/money/buildSettlement.js";
import { checkPayment } from "../../server/money/checkPayment.js";
import { expertStatement } from "../../server/money/expertStatement.js";
import type { Payment } from "../../server/money/types.js";
import { yearStatement } from "../../server/money/yearStatement.js";

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return "no error";
};

const THAO = {
  expertId: "cg-thao",
  name: "PGS.TS. Nguyễn Thị Phương Thảo",
  role: "Chủ tịch Hội đồng",
  workplace: "Trường Đại học Tân Trào",
};
const HUNG = {
  expertId: "cg-hung",
  name: "TS. Trần Đức Hưng",
  role: "Ủy viên thư ký khoa học",
  workplace: "Hội Lâm nghiệp tỉnh",
};
const CHAU = { expertId: "cg-chau", name: "ThS. Lê Minh Châu", role: "Ủy viên", workplace: "Sở Khoa học và Công nghệ" };

let n = 0;
function pay(p: Partial<Payment> & { to: { expertId: string | null; name: string }; amount: number }): Payment {
  n += 1;
  const { to, ...rest } = p;
  return {
    id: `pay-${n}`,
    assignmentId: "as-01",
    planItemId: null,
    payee: { kind: to.expertId ? "expert" : "organization", expertId: to.expertId, name: to.name },
    item: "expert_opinion",
    description: "Bài nhận xét, phản biện",
    taxWithheld: 0,
    paidOn: "2027-05-20",
    voucherNumber: "PC-2027-015",
    reversesId: null,
    ...rest,
  };
}

const p1 = pay({ to: THAO, amount: 2_400_000, taxWithheld: 240_000 });
const p2 = pay({ to: THAO, amount: 500_000, item: "chairing", description: "Chủ trì cuộc họp Hội đồng" });
const p3 = pay({ to: HUNG, amount: 1_500_000 });
const p4 = pay({ to: HUNG, amount: 300_000, item: "secretary", description: "Thư ký cuộc họp Hội đồng" });
const p5 = pay({ to: CHAU, amount: 1_200_000 });
const p6 = pay({ to: CHAU, amount: 250_000, item: "meeting_attendance", description: "Tham dự họp Hội đồng" });
const p7 = pay({ to: CHAU, amount: 1_200_000, voucherNumber: "PC-2027-016" });
const p8 = pay({
  to: CHAU,
  amount: -1_200_000,
  voucherNumber: "PC-2027-019",
  reversesId: p7.id,
  description: "Đảo chi trùng",
});
const p9 = pay({
  to: { expertId: "cg-binh", name: "TS. Hoàng Văn Bình" },
  amount: 1_500_000,
  item: "workshop_paper",
  description: "Báo cáo tham luận tại hội thảo",
});
const p10 = pay({
  to: { expertId: null, name: "Công ty TNHH In Tuyên Quang" },
  amount: 500_000,
  item: "printing",
  description: "In hồ sơ",
});
const payments = [p1, p2, p3, p4, p5, p6, p7, p8, p9, p10];

describe("money: the settlement of an assignment (bảng kê chi thù lao chuyên gia)", () => {
  it("puts one line per expert in panel order, reversals netted, with gross, tax and net (hand-checked)", () => {
    const s = buildSettlement({ assignmentId: "as-01", payments, panel: [THAO, HUNG, CHAU] });
    expect(s.rows.map((r) => [r.no, r.name, r.gross, r.tax, r.net])).to.deep.equal([
      [1, "PGS.TS. Nguyễn Thị Phương Thảo", 2_900_000, 240_000, 2_660_000],
      [2, "TS. Trần Đức Hưng", 1_800_000, 0, 1_800_000],
      [3, "ThS. Lê Minh Châu", 1_450_000, 0, 1_450_000],
      [4, "TS. Hoàng Văn Bình", 1_500_000, 0, 1_500_000],
    ]);
    expect(s.rows[2].items).to.deep.equal([
      { description: "Bài nhận xét, phản biện", amount: 1_200_000 },
      { description: "Tham dự họp Hội đồng", amount: 250_000 },
    ]);
    expect(s.rows[0]).to.include({ role: "Chủ tịch Hội đồng", workplace: "Trường Đại học Tân Trào" });
    expect(s.rows[3]).to.include({ role: null, workplace: null });
    expect(s.totals).to.deep.equal({ gross: 7_650_000, tax: 240_000, net: 7_410_000 });
    expect(s.vouchers).to.deep.equal(["PC-2027-015", "PC-2027-016", "PC-2027-019"]);
  });

  it("leaves out an expert whose only payment was reversed, and payments to firms", () => {
    const q1 = pay({ to: HUNG, amount: 1_500_000 });
    const q2 = pay({ to: HUNG, amount: -1_500_000, reversesId: q1.id });
    const s = buildSettlement({ assignmentId: "as-01", payments: [q1, q2, p10], panel: [HUNG] });
    expect(s.rows).to.deep.equal([]);
    expect(s.totals).to.deep.equal({ gross: 0, tax: 0, net: 0 });
  });

  it("refuses payments of another assignment", () => {
    const other = pay({ to: HUNG, amount: 1_000_000, assignmentId: "as-02" });
    expect(code(() => buildSettlement({ assignmentId: "as-01", payments: [p1, other], panel: [] }))).to.equal(
      "payment_other_assignment",
    );
  });
});

describe("money: the year against the plan and one expert's year", () => {
  const items = [
    {
      itemId: "it-01",
      title: "Đề án phát triển cây dược liệu",
      status: "done",
      approvedBudget: 45_000_000,
      assignmentId: "as-01",
    },
    {
      itemId: "it-02",
      title: "Quy hoạch chung đô thị Na Hang",
      status: "changed",
      approvedBudget: 50_000_000,
      assignmentId: null,
    },
  ];

  it("compares approved, estimated and spent per item, with work outside the list apart (hand-checked)", () => {
    const lastYear = pay({ to: THAO, amount: 900_000, paidOn: "2026-12-30" });
    const byItem = pay({ to: HUNG, amount: 700_000, assignmentId: null, planItemId: "it-02", paidOn: "2027-02-01" });
    const selfInitiated = pay({ to: HUNG, amount: 1_000_000, assignmentId: "as-09", paidOn: "2027-09-09" });
    const s = yearStatement({
      year: 2027,
      items,
      estimates: { "as-01": 28_150_000 },
      payments: [...payments, lastYear, byItem, selfInitiated],
    });
    expect(s.rows).to.deep.equal([
      {
        itemId: "it-01",
        title: items[0].title,
        status: "done",
        approved: 45_000_000,
        estimated: 28_150_000,
        spent: 8_150_000,
        remaining: 36_850_000,
      },
      {
        itemId: "it-02",
        title: items[1].title,
        status: "changed",
        approved: 50_000_000,
        estimated: null,
        spent: 700_000,
        remaining: 49_300_000,
      },
      {
        itemId: null,
        title: "Nhiệm vụ ngoài danh mục",
        status: null,
        approved: 0,
        estimated: null,
        spent: 1_000_000,
        remaining: -1_000_000,
      },
    ]);
    expect(s.totals).to.deep.equal({
      approved: 95_000_000,
      estimated: 28_150_000,
      spent: 9_850_000,
      remaining: 85_150_000,
    });
  });

  it("lists one expert's payments of the year in date order, reversals marked", () => {
    const early = pay({
      to: CHAU,
      amount: 600_000,
      paidOn: "2027-03-02",
      assignmentId: "as-02",
      voucherNumber: "PC-2027-004",
    });
    const s = expertStatement({
      year: 2027,
      expertId: "cg-chau",
      name: CHAU.name,
      payments: [...payments, early, pay({ to: CHAU, amount: 100_000, paidOn: "2028-01-02" })],
      assignments: { "as-01": "PB-2027-001 Đề án phát triển cây dược liệu", "as-02": "TV-2027-003" },
    });
    expect(s.lines.map((l) => [l.paidOn, l.voucherNumber, l.assignment, l.gross, l.reversal])).to.deep.equal([
      ["2027-03-02", "PC-2027-004", "TV-2027-003", 600_000, false],
      ["2027-05-20", "PC-2027-015", "PB-2027-001 Đề án phát triển cây dược liệu", 1_200_000, false],
      ["2027-05-20", "PC-2027-015", "PB-2027-001 Đề án phát triển cây dược liệu", 250_000, false],
      ["2027-05-20", "PC-2027-016", "PB-2027-001 Đề án phát triển cây dược liệu", 1_200_000, false],
      ["2027-05-20", "PC-2027-019", "PB-2027-001 Đề án phát triển cây dược liệu", -1_200_000, true],
    ]);
    expect(s.totals).to.deep.equal({ gross: 2_050_000, tax: 0, net: 2_050_000 });
  });
});

describe("money: a payment before it is recorded", () => {
  it("accepts an ordinary payment and a reversal of a recorded one", () => {
    expect(() => checkPayment(p1, [])).to.not.throw();
    expect(() => checkPayment(p8, [p7])).to.not.throw();
    expect(() => checkPayment(p10, [])).to.not.throw();
  });

  it("refuses what would corrupt the books", () => {
    const cases: Array<[Partial<Payment>, Payment[], string]> = [
      [{ amount: 0 }, [], "invalid_amount"],
      [{ amount: 1_000_000.5 }, [], "invalid_amount"],
      [{ taxWithheld: 2_500_000 }, [], "invalid_amount"],
      [{ taxWithheld: -1 }, [], "invalid_amount"],
      [{ paidOn: "2027-02-29" }, [], "invalid_date"],
      [{ voucherNumber: " " }, [], "voucher_required"],
      [{ payee: { kind: "expert", expertId: null, name: "Ai đó" } }, [], "payee_required"],
      [{ item: "lunch" as never }, [], "invalid_item"],
      [{ amount: -100_000, taxWithheld: 0 }, [], "reversal_unknown"],
      [{ amount: -100_000, taxWithheld: 0, reversesId: "pay-404" }, [p1], "reversal_unknown"],
      [{ amount: -100_000, taxWithheld: 0, reversesId: p3.id }, [p3], "reversal_unknown"],
      [{ amount: -2_500_000, taxWithheld: 0, reversesId: p1.id }, [p1], "reversal_unknown"],
      [{ amount: -1_200_000, taxWithheld: 0, reversesId: p7.id, payee: CHAU_PAYEE() }, [p7, p8], "reversal_unknown"],
      [{ amount: 100_000, taxWithheld: 0, reversesId: p1.id }, [p1], "reversal_unknown"],
    ];
    for (const [change, recorded, expected] of cases) {
      expect(
        code(() => checkPayment({ ...p1, ...change }, recorded)),
        JSON.stringify(change),
      ).to.equal(expected);
    }
  });
});

function CHAU_PAYEE(): Payment["payee"] {
  return { kind: "expert", expertId: CHAU.expertId, name: CHAU.name };
}
