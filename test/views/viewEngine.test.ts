/**
 * The one view engine: the UI's pages, the link pages and the verify pages come out of the same
 * Handlebars set-up, each inside its own layout, with the same helpers and HTML-escaping.
 */
import { expect } from "chai";
import { renderView } from "../../server/views/viewEngine.js";
import { linkPages } from "../../server/views/linkPages.js";
import { formatDate } from "../../server/views/viewHelpers.js";

const layoutModel = (locale: "vi" | "en") => ({
  title: "T",
  locale,
  otherLocale: locale === "vi" ? "en" : "vi",
  here: "/login",
  csrf: "",
  user: null,
  nav: [],
  notice: null,
});

describe("the one view engine", () => {
  it("renders a UI page inside the main layout, in the model's locale", () => {
    const vi = renderView("pages", "login", { ...layoutModel("vi"), next: "/", demo: [] });
    const en = renderView("pages", "login", { ...layoutModel("en"), next: "/", demo: [] });
    expect(vi).to.contain('<html lang="vi">').and.to.contain("Đăng nhập");
    expect(en).to.contain('<html lang="en">').and.to.contain("Sign in");
  });

  it("renders a link page inside the link layout with the Union's name when the page does not know it", () => {
    const html = linkPages.render("message", {
      title: "Liên kết đã hết hạn",
      heading: "Liên kết đã hết hạn",
      headingEn: "Link expired",
      text: "<b>x</b>",
      textEn: "y",
    });
    expect(html).to.contain("<title>Liên kết đã hết hạn · Liên hiệp các Hội Khoa học và Kỹ thuật</title>");
    expect(html).to.contain("&lt;b&gt;x&lt;/b&gt;");
    expect(html).to.not.contain('<link rel="stylesheet" href="/static/app.css">');
  });

  it("renders a verify page inside the verify layout", () => {
    const html = renderView("verify", "upload", { title: "Xác thực văn bản", maxMb: 25 });
    expect(html).to.contain("<title>Xác thực văn bản — Xác thực văn bản</title>");
    expect(html).to.contain("tối đa 25 MB");
  });

  it("refuses a template that does not exist in the set", () => {
    expect(() => renderView("links", "login", {})).to.throw(/No template "login" in templates\/links/);
  });

  it("writes dates as dd/mm/yyyy in Vietnam time", () => {
    expect(formatDate("2026-03-01T18:30:00Z")).to.equal("02/03/2026");
    expect(formatDate("2026-03-01T18:30:00Z", true)).to.equal("02/03/2026 01:30");
    expect(formatDate("2026-03-02")).to.equal("02/03/2026");
    // The day turns at 17:00 UTC (midnight in Hanoi), the year too; a Date is read the same way.
    expect(formatDate(new Date("2026-12-31T16:59:00Z"), true)).to.equal("31/12/2026 23:59");
    expect(formatDate(new Date("2026-12-31T17:00:00Z"), true)).to.equal("01/01/2027 00:00");
    expect(formatDate("2024-02-28T17:05:00Z", true)).to.equal("29/02/2024 00:05");
    expect(formatDate("not a date")).to.equal("not a date");
    expect(formatDate(null)).to.equal("");
  });
});
