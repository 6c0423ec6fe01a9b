import { expect } from "chai";
import fc from "fast-check";
import { formatDong, parseDong, sumDong, timesDong, toDong, toNonNegativeDong } from "../../server/money/dong.js";

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return "no error";
};

describe("money: whole đồng", () => {
  it("formats figures the Vietnamese way, with dots between thousands", () => {
    expect(formatDong(0)).to.equal("0 đồng");
    expect(formatDong(999)).to.equal("999 đồng");
    expect(formatDong(1000)).to.equal("1.000 đồng");
    expect(formatDong(1_234_567)).to.equal("1.234.567 đồng");
    expect(formatDong(27_550_000, "")).to.equal("27.550.000");
    expect(formatDong(-1_500_000)).to.equal("-1.500.000 đồng");
    expect(formatDong(Number.MAX_SAFE_INTEGER)).to.equal("9.007.199.254.740.991 đồng");
  });

  it("refuses fractions, NaN, infinities, strings and unsafe numbers with invalid_amount", () => {
    for (const bad of [0.5, 1e-9, Number.NaN, Infinity, -Infinity, "100", null, 2 ** 53, -(2 ** 53)]) {
      expect(
        code(() => toDong(bad)),
        String(bad),
      ).to.equal("invalid_amount");
    }
    expect(code(() => formatDong(12.5))).to.equal("invalid_amount");
    expect(code(() => toNonNegativeDong(-1))).to.equal("invalid_amount");
    expect(toDong(-0)).to.equal(0);
    expect(Object.is(toDong(-0), 0)).to.equal(true);
  });

  it("adds exactly and refuses a total beyond the safe integers", () => {
    expect(sumDong([])).to.equal(0);
    expect(sumDong([3_000_000, 1_500_000, 250_000, -50_000])).to.equal(4_700_000);
    expect(code(() => sumDong([Number.MAX_SAFE_INTEGER, 1]))).to.equal("invalid_amount");
    expect(code(() => sumDong([1, 0.1]))).to.equal("invalid_amount");
  });

  it("multiplies a unit amount by a whole quantity and refuses fractions of persons", () => {
    expect(timesDong(500_000, 7)).to.equal(3_500_000);
    expect(timesDong(500_000, 0)).to.equal(0);
    expect(code(() => timesDong(500_000, 1.5))).to.equal("invalid_quantity");
    expect(code(() => timesDong(500_000, -1))).to.equal("invalid_quantity");
    expect(code(() => timesDong(Number.MAX_SAFE_INTEGER, 2))).to.equal("invalid_amount");
  });

  it("reads amounts as people type them, and refuses decimals", () => {
    expect(parseDong("1.234.567")).to.equal(1_234_567);
    expect(parseDong("1 234 567 đồng")).to.equal(1_234_567);
    expect(parseDong("1234567")).to.equal(1_234_567);
    expect(parseDong(" 45.000.000đ ")).to.equal(45_000_000);
    expect(parseDong("-50.000")).to.equal(-50_000);
    expect(parseDong("0")).to.equal(0);
    for (const bad of ["1,5", "1.5", "12.34", "1.2345.678", "", "abc", "1e6", "--5", "9007199254740993"]) {
      expect(
        code(() => parseDong(bad)),
        bad,
      ).to.equal("invalid_amount");
    }
  });

  it("reads back what it formats, for any safe amount (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(parseDong(formatDong(n))).to.equal(n === 0 ? 0 : n);
        expect(formatDong(n, "")).to.match(/^-?\d{1,3}(\.\d{3})*$/);
      }),
      { numRuns: 2000 },
    );
  });

  it("sums the same whatever the order, as integers do (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e12, max: 1e12 }), { maxLength: 50 }), (xs) => {
        const reversed = [...xs].reverse();
        expect(sumDong(xs)).to.equal(sumDong(reversed));
        expect(sumDong(xs)).to.equal(Number(xs.reduce((s, x) => s + BigInt(x), 0n)));
      }),
    );
  });
});
