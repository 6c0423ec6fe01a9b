/** The dashboard's bar charts: labels on their own line, never cut at the left edge (issue 14). */
import { expect } from "chai";
import { barChart } from "../../server/presenters/pages/charts.js";

describe("dashboard bar charts", () => {
  it("writes each whole label left-aligned above its bar, so no font can push it out of the chart", () => {
    const label = "Thành lập Hội đồng/Tổ chuyên gia";
    const svg = barChart({
      title: "Số ngày",
      bars: [
        { label, value: 3 },
        { label: "Đã đặt hàng", value: 1 },
      ],
      empty: "—",
    });
    const texts = [...svg.matchAll(/<text x="([\d.]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => [m[1], m[2]]);
    expect(texts).to.deep.include(["0", label]);
    expect(texts).to.deep.include(["0", "Đã đặt hàng"]);
    expect(svg).to.not.contain('text-anchor="end"');
    const widths = [...svg.matchAll(/<rect x="0" y="[\d.]+" width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths[0]).to.be.greaterThan(widths[1]);
  });

  it("shortens only a very long label, keeping the whole one in the tooltip", () => {
    const long = "Nhiệm vụ ".repeat(10).trim();
    const svg = barChart({ title: "T", bars: [{ label: long, value: 1 }], empty: "—" });
    expect(svg).to.contain(`<title>${long}: 1</title>`);
    expect(svg).to.match(/>Nhiệm vụ[^<]{40,}…<\/text>/);
  });
});
