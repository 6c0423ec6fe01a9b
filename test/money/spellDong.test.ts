import { expect } from "chai";
import fc from "fast-check";
import { spellDong, spellNumber } from "../../server/money/spellDong.js";

/**
 * An independent reader of Vietnamese number words (the inverse of spellNumber), strict enough to
 * refuse spellings the conventions forbid ("hai mươi một", "mười năm", a leading "không trăm").
 */
const DIGIT: Record<string, number> = {
  một: 1,
  hai: 2,
  ba: 3,
  bốn: 4,
  năm: 5,
  sáu: 6,
  bảy: 7,
  tám: 8,
  chín: 9,
};

function readGroup(words: string[], full: boolean): number {
  let i = 0;
  let value = 0;
  const fail = () => new Error(`cannot read "${words.join(" ")}"`);
  if (words[1] === "trăm") {
    const h = words[0] === "không" ? 0 : DIGIT[words[0]];
    if (h === undefined || (h === 0 && !full)) throw fail();
    value = h * 100;
    i = 2;
  } else if (full) throw fail();
  const rest = words.slice(i);
  if (rest.length === 0) return value;
  if (rest[0] === "linh") {
    if (i === 0 || rest.length !== 2 || !DIGIT[rest[1]]) throw fail();
    return value + DIGIT[rest[1]];
  }
  if (rest[0] === "mười") {
    if (rest.length === 1) return value + 10;
    const u = rest[1] === "lăm" ? 5 : rest[1] === "năm" || rest[1] === "mốt" ? undefined : DIGIT[rest[1]];
    if (u === undefined || rest.length !== 2) throw fail();
    return value + 10 + u;
  }
  if (rest[1] === "mươi") {
    const t = DIGIT[rest[0]];
    if (!t || t < 2) throw fail();
    if (rest.length === 2) return value + t * 10;
    const unitWords: Record<string, number> = {
      mốt: 1,
      hai: 2,
      ba: 3,
      bốn: 4,
      tư: 4,
      lăm: 5,
      sáu: 6,
      bảy: 7,
      tám: 8,
      chín: 9,
    };
    const u = unitWords[rest[2]];
    if (u === undefined || rest.length !== 3) throw fail();
    return value + t * 10 + u;
  }
  if (rest.length === 1 && i === 0 && DIGIT[rest[0]]) return DIGIT[rest[0]];
  throw fail();
}

function readBelowBillion(words: string[], full: boolean): bigint {
  let total = 0n;
  let rest = words;
  let seen = full;
  for (const [scale, factor] of [
    ["triệu", 1_000_000n],
    ["nghìn", 1000n],
  ] as const) {
    const at = rest.indexOf(scale);
    if (at >= 0) {
      total += BigInt(readGroup(rest.slice(0, at), seen)) * factor;
      rest = rest.slice(at + 1);
      seen = true;
    }
  }
  if (rest.length > 0) total += BigInt(readGroup(rest, seen));
  return total;
}

function readWords(words: string[], full = false): bigint {
  const at = words.lastIndexOf("tỷ");
  if (at < 0) return readBelowBillion(words, full);
  const billions = readWords(words.slice(0, at), full);
  if (billions === 0n) throw new Error("zero billions");
  return billions * 1_000_000_000n + readBelowBillion(words.slice(at + 1), true);
}

function readNumber(text: string): bigint {
  if (text === "không") return 0n;
  return readWords(text.split(" "));
}

describe("money: amounts in Vietnamese words", () => {
  const cases: Array<[number, string]> = [
    [0, "Không đồng"],
    [1, "Một đồng"],
    [5, "Năm đồng"],
    [10, "Mười đồng"],
    [11, "Mười một đồng"],
    [14, "Mười bốn đồng"],
    [15, "Mười lăm đồng"],
    [20, "Hai mươi đồng"],
    [21, "Hai mươi mốt đồng"],
    [24, "Hai mươi bốn đồng"],
    [25, "Hai mươi lăm đồng"],
    [55, "Năm mươi lăm đồng"],
    [91, "Chín mươi mốt đồng"],
    [100, "Một trăm đồng"],
    [101, "Một trăm linh một đồng"],
    [104, "Một trăm linh bốn đồng"],
    [105, "Một trăm linh năm đồng"],
    [110, "Một trăm mười đồng"],
    [111, "Một trăm mười một đồng"],
    [115, "Một trăm mười lăm đồng"],
    [121, "Một trăm hai mươi mốt đồng"],
    [1000, "Một nghìn đồng"],
    [1001, "Một nghìn không trăm linh một đồng"],
    [1010, "Một nghìn không trăm mười đồng"],
    [1015, "Một nghìn không trăm mười lăm đồng"],
    [1100, "Một nghìn một trăm đồng"],
    [10_000, "Mười nghìn đồng"],
    [15_000, "Mười lăm nghìn đồng"],
    [21_000, "Hai mươi mốt nghìn đồng"],
    [100_000, "Một trăm nghìn đồng"],
    [105_000, "Một trăm linh năm nghìn đồng"],
    [500_000, "Năm trăm nghìn đồng"],
    [1_000_000, "Một triệu đồng"],
    [1_000_500, "Một triệu năm trăm đồng"],
    [1_005_000, "Một triệu không trăm linh năm nghìn đồng"],
    [1_050_000, "Một triệu không trăm năm mươi nghìn đồng"],
    [1_234_567, "Một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy đồng"],
    [2_005_000, "Hai triệu không trăm linh năm nghìn đồng"],
    [15_000_000, "Mười lăm triệu đồng"],
    [27_550_000, "Hai mươi bảy triệu năm trăm năm mươi nghìn đồng"],
    [45_000_000, "Bốn mươi lăm triệu đồng"],
    [1_000_000_000, "Một tỷ đồng"],
    [1_000_000_005, "Một tỷ không trăm linh năm đồng"],
    [1_000_001_000, "Một tỷ không trăm linh một nghìn đồng"],
    [2_500_000_000, "Hai tỷ năm trăm triệu đồng"],
    [5_200_000_000_000, "Năm nghìn hai trăm tỷ đồng"],
    [
      Number.MAX_SAFE_INTEGER,
      "Chín triệu không trăm linh bảy nghìn một trăm chín mươi chín tỷ " +
        "hai trăm năm mươi bốn triệu bảy trăm bốn mươi nghìn chín trăm chín mươi mốt đồng",
    ],
  ];
  for (const [amount, words] of cases) {
    it(`spells ${amount.toLocaleString("vi-VN")} as "${words}"`, () => {
      expect(spellDong(amount)).to.equal(words);
    });
  }

  it("spells a thousand million thousand million as một tỷ tỷ, with bigint beyond the safe integers", () => {
    expect(spellDong(10n ** 18n)).to.equal("Một tỷ tỷ đồng");
    expect(spellNumber(10n ** 18n + 5n)).to.equal("một tỷ tỷ không trăm linh năm");
    // The count of tỷ is itself spelled: (10⁹ + 1) tỷ.
    expect(spellNumber(10n ** 18n + 10n ** 9n)).to.equal("một tỷ không trăm linh một tỷ");
    expect(spellNumber(2n * 10n ** 18n + 5n)).to.equal("hai tỷ tỷ không trăm linh năm");
  });

  it("follows the southern and house choices when asked: lẻ, tư from twenty on, ngàn, tỉ", () => {
    expect(spellDong(105, { zeroTens: "lẻ" })).to.equal("Một trăm lẻ năm đồng");
    expect(spellDong(24, { four: "tư" })).to.equal("Hai mươi tư đồng");
    expect(spellDong(14, { four: "tư" })).to.equal("Mười bốn đồng");
    expect(spellDong(104, { four: "tư" })).to.equal("Một trăm linh bốn đồng");
    expect(spellDong(1000, { thousand: "ngàn" })).to.equal("Một ngàn đồng");
    expect(spellDong(3_000_000_000, { billion: "tỉ" })).to.equal("Ba tỉ đồng");
    expect(spellDong(1_000, { unit: "" })).to.equal("Một nghìn");
  });

  it("refuses negative, fractional and unsafe amounts with invalid_amount", () => {
    for (const bad of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => spellDong(bad), String(bad))
        .to.throw()
        .with.property("code", "invalid_amount");
    }
    expect(() => spellNumber(-5n))
      .to.throw()
      .with.property("code", "invalid_amount");
  });

  it("reads back to the same number for any safe amount (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(readNumber(spellNumber(n))).to.equal(BigInt(n));
      }),
      { numRuns: 3000 },
    );
  });

  it("reads back to the same number for huge bigints and for amounts full of zeros (property)", () => {
    const zeroHeavy = fc
      .array(fc.constantFrom(0, 0, 0, 1, 4, 5, 9), { minLength: 1, maxLength: 24 })
      .map((ds) => BigInt(ds.join("")));
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 30n }), zeroHeavy), (n) => {
        expect(readNumber(spellNumber(n))).to.equal(n);
      }),
      { numRuns: 3000 },
    );
  });

  it("never writes a forbidden spelling (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const text = spellNumber(n);
        expect(text).to.not.match(/mươi một|mươi năm|mười năm|mười mốt|linh (mốt|lăm|mười)|không mươi|  /);
        expect(text).to.not.match(/^không/);
        // "không" only ever says a zero hundreds digit.
        expect(text.replace(/không trăm/g, "")).to.not.include("không");
        expect(text).to.equal(text.trim());
        expect(spellDong(n).charAt(0)).to.equal(text.charAt(0).toLocaleUpperCase("vi"));
      }),
      { numRuns: 3000 },
    );
  });
});
