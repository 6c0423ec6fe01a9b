/**
 * Phone first (issue 14 §7): at 390 px the assignment page starts with the step, whom it waits on,
 * the deadline and the reader's actions; the statechart folds into a vertical list of steps; nothing
 * scrolls sideways and nothing moves after the first paint. In headless Chromium against the real
 * app with the demo seeded. Screenshots go to a temporary folder (never docs/screenshots).
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { startTvpb, type Tvpb } from "../../server/server.js";

const SHOTS = fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-phone-"));

describe("assignment page on a phone (390 px)", function () {
  this.timeout(240_000);
  let tvpb: Tvpb;
  let browser: Browser;
  let page: Page;
  let dataDir: string;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-phone-data-"));
    tvpb = await startTvpb({
      config: {
        env: "development",
        host: "127.0.0.1",
        port: 0,
        publicUrl: "http://127.0.0.1",
        dataDir,
        databaseUrl: undefined,
        sessionSecret: "browser-test-secret-0123456789abcdef0123",
        seedDemo: true,
        smtpUrl: undefined,
        mailFrom: undefined,
        chromiumPath: "/usr/bin/chromium",
        chromiumSource: "none",
        chromiumCacheDir: path.join(dataDir, "chromium"),
        renderTimeoutMs: 30_000,
        logLevel: "error",
        workerPollMs: 100,
      },
      logger: pino({ level: "silent" }),
    } as Parameters<typeof startTvpb>[0]);
    browser = await puppeteer.launch({
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"],
    });
    page = await browser.newPage();
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
    // Layout shifts from the first paint on, read after the page has loaded.
    await page.evaluateOnNewDocument(() => {
      (window as unknown as { cls: number }).cls = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>)
          if (!e.hadRecentInput) (window as unknown as { cls: number }).cls += e.value;
      }).observe({ type: "layout-shift", buffered: true });
    });
  });

  after(async () => {
    await browser?.close();
    await tvpb?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function signIn(email: string) {
    await page.deleteCookie(...(await page.cookies()));
    await page.goto(`${tvpb.url}/login`, { waitUntil: "load" });
    await page.type("#email", email);
    await page.type("#password", "tvpb-demo-2026");
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("form[action='/login'] button")]);
  }

  /** The ids of the cards of <main> in document order, and whether anything scrolls sideways. */
  async function layout() {
    return page.evaluate(() => ({
      cards: Array.from(document.querySelectorAll("main section.card")).map(
        (s) => s.id || s.getAttribute("aria-labelledby"),
      ),
      sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      chartShown: getComputedStyle(document.querySelector("#steps .chart-scroll")!).display !== "none",
      stepsShown: getComputedStyle(document.querySelector("#steps .steps")!).display !== "none",
      current: document.querySelector("#steps [aria-current=step]")?.textContent ?? null,
      navShown: document.querySelector(".menu-toggle > nav")!.checkVisibility(),
      cls: (window as unknown as { cls: number }).cls,
    }));
  }

  async function assignmentIds() {
    await page.goto(`${tvpb.url}/assignments`, { waitUntil: "load" });
    const hrefs = await page.$$eval("main table a[href^='/assignments/']", (as) =>
      as.map((a) => a.getAttribute("href")),
    );
    return [...new Set(hrefs)].filter((h): h is string => !!h && /^\/assignments\/[0-9a-f-]{36}$/.test(h));
  }

  for (const [who, email] of [
    ["secretariat", "banthuky@demo.tvpb.vn"],
    ["expert", "chuyengia@demo.tvpb.vn"],
    ["leadership", "lanhdao@demo.tvpb.vn"],
  ] as const) {
    it(`starts with the step and the actions, folds the statechart, no sideways scroll (${who})`, async () => {
      await signIn(email);
      const hrefs = await assignmentIds();
      expect(hrefs.length, "assignments listed").to.be.greaterThan(0);
      for (const href of hrefs) {
        await page.goto(`${tvpb.url}${href}`, { waitUntil: "networkidle0" });
        const l = await layout();
        const where = `${who} ${href}`;
        expect(l.sideways, `no sideways scroll: ${where}`).to.be.at.most(0);
        expect(l.cards[0], `the step first: ${where}`).to.equal("where");
        const rest = l.cards.slice(1).filter((c) => c !== "next" && c !== "actions");
        const firstOther = l.cards.indexOf(rest[0]);
        for (const c of ["next", "actions"])
          if (l.cards.includes(c))
            expect(l.cards.indexOf(c), `${c} before the rest: ${where}`).to.be.lessThan(firstOther);
        expect(l.chartShown, `statechart folded: ${where}`).to.equal(false);
        expect(l.stepsShown, `steps listed: ${where}`).to.equal(true);
        expect(l.current, `the current step marked: ${where}`).to.be.a("string");
        expect(l.navShown, `menu folded: ${where}`).to.equal(false);
        expect(l.cls, `no layout shift: ${where}`).to.be.below(0.05);
      }
      await page.screenshot({ path: path.join(SHOTS, `phone-${who}.png`), fullPage: false });
    });
  }

  it("shows the statechart, not the list, on a desktop", async () => {
    await page.setViewport({ width: 1280, height: 800 });
    const [href] = await assignmentIds();
    await page.goto(`${tvpb.url}${href}`, { waitUntil: "load" });
    const l = await layout();
    expect(l.chartShown).to.equal(true);
    expect(l.stepsShown).to.equal(false);
    expect(l.navShown).to.equal(true);
    console.log(`      screenshots: ${SHOTS}`);
  });
});
