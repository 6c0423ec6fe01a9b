/**
 * One assignment from order to closure entirely through the web UI, in headless Chromium against
 * the real app (demo organisation seeded into a temporary data directory), signing in as each role
 * in turn. Fails on any console error, failed request, HTTP error or unexpected dialog (a "leave the
 * page?" prompt only where typed text has not been sent); checks every page it visits, at 1280 px and
 * for the key pages and an expert's and leadership's path also at 390 px, with axe-core (no serious or
 * critical violations) and for codes, keys or UUIDs in the text, and nothing scrolls sideways on a
 * phone. Saves screenshots in Vietnamese at desktop and phone widths: into a temporary folder by
 * default, so that `npm test` leaves a clean checkout, and into docs/screenshots/ only when asked
 * (`npm run screenshots` sets TVPB_SCREENSHOTS=docs).
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { startTvpb, type Tvpb } from "../../server/server.js";
import { CODE_PATTERN } from "../support/pageText.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Where screenshots go: docs/screenshots/ when asked (`npm run screenshots`), else a temporary folder. */
const SHOTS =
  process.env.TVPB_SCREENSHOTS === "docs"
    ? path.join(root, "docs", "screenshots")
    : fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-screenshots-"));
const AXE = path.join(root, "node_modules", "axe-core", "axe.min.js");
const PASSWORD = "tvpb-demo-2026";

describe("web UI in a real browser", function () {
  this.timeout(600_000);
  let tvpb: Tvpb;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let id = "";
  const problems: string[] = [];
  const a11y: string[] = [];
  const codes: string[] = [];
  /** Pages already checked with axe, by width, person and path (ids replaced). */
  const audited = new Set<string>();
  let who = "";
  /** Set while the test means to leave a page with typed text not yet sent: the prompt is expected. */
  let leaveAsked: ((type: string) => void) | null = null;
  /** While a reload that did not end is given up and the page opened anew (width()). */
  let reopening = false;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-browser-"));
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
        chromiumSource: "auto",
        chromiumCacheDir: path.join(dataDir, "chromium"),
        renderTimeoutMs: 30_000,
        logLevel: "error",
        workerPollMs: 100,
      },
      logger: pino({ level: "silent" }),
    });
    browser = await puppeteer.launch({
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
    });
    page = await browser.newPage();
    // A loaded machine renders the draft PDFs beside the editors slowly: wait on navigations longer
    // (a page that holds a draft PDF has taken more than 90 s to load on a shared 2-core machine).
    page.setDefaultNavigationTimeout(180_000);
    page.setDefaultTimeout(180_000);
    await page.setViewport({ width: 1280, height: 800 });
    await page.setBypassCSP(true); // only so axe-core can be injected; the app's own CSP is checked over HTTP
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()} at ${page.url()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${String(e)}`));
    page.on("requestfailed", (r) => {
      // Leaving a page aborts its draft-PDF preview (an iframe, still loading) and Chromium's own PDF
      // viewer extension: not failures of TVPB.
      const aborted = r.failure()?.errorText === "net::ERR_ABORTED";
      if (aborted && (/\/drafts\/[A-Za-z]+$/.test(r.url()) || r.url().startsWith("chrome-extension:"))) return;
      if (aborted && reopening) return;
      problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    // A dialog nobody expected (above all "leave the page?" when nothing typed is at risk) fails the test.
    page.on("dialog", (d) => {
      if (leaveAsked) {
        leaveAsked(d.type());
        leaveAsked = null;
        void d.dismiss().catch(() => {});
        return;
      }
      problems.push(`unexpected ${d.type()} dialog at ${page.url()}`);
      void d.accept().catch(() => {});
    });
    fs.mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await tvpb?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(function () {
    // Accessibility findings and codes on pages fail the test that met them.
    problems.push(...a11y.splice(0), ...codes.splice(0).map((c) => `code, key or UUID on a page: ${c}`));
    if (problems.length) {
      const p = problems.splice(0);
      throw new Error(`Problems during "${this.currentTest?.title}":\n${p.join("\n")}`);
    }
  });

  const url = (p: string) => `${tvpb.url}${p}`;
  async function go(p: string) {
    await page.goto(url(p), { waitUntil: "load" });
    await audit();
  }
  /** Types after what a field already holds, as a person clicking at its end would (focus puts the caret first). */
  async function typeAtEnd(selector: string, text: string) {
    await page.$eval(selector, (el) => {
      const box = el as HTMLTextAreaElement;
      box.focus();
      box.setSelectionRange(box.value.length, box.value.length);
    });
    await page.keyboard.type(text);
  }
  async function submit(selector: string) {
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click(selector)]);
    await audit();
  }
  /**
   * From here on the page is a phone (390 px) or a desktop (1280 px), reloaded so that it starts at
   * that width. Waits for the document, not for the draft PDF beside an editor: under load that
   * frame has kept a reload from finishing for minutes, and once (a full run, 2026-12-02) a reload of
   * the report editor never ended while the same page opened at once: a reload that takes over a
   * minute is given up and the page opened anew.
   */
  async function width(phone: boolean) {
    await page.setViewport(phone ? { width: 390, height: 844 } : { width: 1280, height: 800 });
    try {
      await page.reload({ waitUntil: "domcontentloaded", timeout: 60_000 });
    } catch (err) {
      if ((err as Error).name !== "TimeoutError") throw err;
      reopening = true; // the abandoned reload's requests end aborted: not failures of TVPB
      try {
        await page.goto(page.url(), { waitUntil: "domcontentloaded" });
      } finally {
        reopening = false;
      }
    }
  }
  async function signIn(email: string) {
    who = email;
    if (await page.$("form[action='/logout'] button")) await submit("form[action='/logout'] button");
    await go("/login");
    await page.type("#email", email);
    await page.type("#password", PASSWORD);
    await submit("form[action='/login'] button[type=submit]");
    expect(new URL(page.url()).pathname).to.equal("/");
  }
  /** Opens the action form of `type` on the assignment page, fills it and sends it. */
  async function act(type: string, fields: Record<string, string> = {}, check: string[] = []) {
    await go(`/assignments/${id}`);
    const sel = `details[id="ev-${type}"]`;
    expect(await page.$(sel), `action ${type} offered`).to.not.equal(null);
    await page.click(`${sel} > summary`);
    for (const [name, value] of Object.entries(fields)) {
      const f = `[id="f-${type}-${name}"]`;
      const tag = await page.$eval(f, (el) => el.tagName);
      if (tag === "SELECT") await page.select(f, value);
      else await page.type(f, value);
    }
    for (const c of check) await page.click(`${sel} input[value="${c}"]`);
    if (await page.$(`[id="f-${type}-confirm"]`)) await page.click(`[id="f-${type}-confirm"]`);
    await submit(`${sel} button[type=submit]`);
    expect(page.url(), `after ${type}`).to.contain(`done=${encodeURIComponent(type)}`);
  }
  /** Waits until the page says its draft saved itself. */
  async function autosaved() {
    await page.waitForFunction(
      () => /Đã tự động lưu/.test(document.querySelector("[data-save-status]")?.textContent ?? ""),
      { timeout: 60_000 },
    );
  }
  /** Waits (polling the API as the signed-in user, up to 90 s) until the documents of these kinds are issued. */
  async function waitForIssued(kinds: string[]) {
    for (let i = 0; i < 450; i++) {
      const docs = await page.evaluate(async (u: string) => {
        const r = await fetch(u, { headers: { accept: "application/json" } });
        return ((await r.json()).data?.documents ?? []) as Array<{ kind: string; status: string }>;
      }, `/api/v1/assignments/${id}`);
      if (kinds.every((k) => docs.some((d) => d.kind === k && d.status === "issued"))) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`documents ${kinds.join(", ")} were not issued in time`);
  }
  /**
   * axe-core on the current page and no code, key or UUID in its text (once per width, person and
   * path, so a page seen again in the same role is not checked twice); on a phone, nothing scrolls
   * sideways. `name` forces a check under that name.
   */
  async function audit(name?: string) {
    const phone = page.viewport()!.width < 500;
    const where = new URL(page.url()).pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ":id");
    const key = `${phone ? 390 : 1280} ${who} ${where}`;
    if (audited.has(key)) return;
    audited.add(key);
    const label = name ? `${name} (${phone ? "390" : "1280"} px)` : key;
    const text = await page.evaluate(() => document.body.innerText);
    for (const m of text.matchAll(new RegExp(CODE_PATTERN.source, "g"))) codes.push(`${label}: ${m[0]}`);
    if (phone) {
      const sideways = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      if (sideways > 0) a11y.push(`${label}: scrolls sideways by ${sideways} px`);
    }
    await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run: (
              o: unknown,
            ) => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }>;
          };
        }
      ).axe;
      return axe.run({ resultTypes: ["violations"] });
    });
    for (const v of result.violations.filter((x) => x.impact === "serious" || x.impact === "critical")) {
      a11y.push(
        `${label}: ${v.id} (${v.impact}) ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(" "))
          .join(", ")}`,
      );
    }
  }
  /** Checks the current page at desktop and phone widths and takes its screenshots at both. */
  async function check(name: string) {
    await audit(name);
    await shoot(name);
  }
  async function shoot(name: string) {
    const clip = async (file: string) => {
      const h = await page.evaluate(() => document.documentElement.scrollHeight);
      const vp = page.viewport()!;
      await page.screenshot({
        path: path.join(SHOTS, file),
        clip: { x: 0, y: 0, width: vp.width, height: Math.min(h, vp.width < 500 ? 2400 : 1800) },
        captureBeyondViewport: true,
      });
    };
    await clip(`${name}-desktop.png`);
    await width(true);
    await audit(name);
    await clip(`${name}-phone.png`);
    await width(false);
  }

  it("the agency signs in and places an order with its dossier", async () => {
    await go("/login");
    await check("01-sign-in");
    await signIn("coquan@demo.tvpb.vn");
    await go("/assignments/new");
    await check("02-new-order");
    await page.type(
      "#title",
      "Kế hoạch phát triển du lịch cộng đồng vùng đồng bào dân tộc thiểu số giai đoạn 2026–2030",
    );
    await page.select("#type", "consultancy");
    await page.select("#subjectKind", "plan");
    await page.click("input[name=forms][value=council]");
    await page.click("input[name=forms][value=expert_group]");
    await page.click("input[name=forms][value=written]");
    await page.type("#draftingAgency", "Sở Văn hóa, Thể thao và Du lịch tỉnh Tuyên Quang");
    await page.type("#orderNumber", "2210/UBND-KGVX");
    const pdf = path.join(dataDir, "Tờ trình kế hoạch.pdf");
    fs.writeFileSync(pdf, "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
    const input = await page.$("#file-request_letter");
    await (input as unknown as { uploadFile: (p: string) => Promise<void> }).uploadFile(pdf);
    await submit("form[action='/assignments/new'] button[type=submit]");
    const m = /\/assignments\/([0-9a-f-]{36})/.exec(page.url());
    expect(m, page.url()).to.not.equal(null);
    id = m![1];
    expect(await page.content()).to.contain("Tờ trình kế hoạch.pdf");
    await check("03-assignment-ordered");
  });

  it("the clerk registers it; the secretariat screens with the checklist; leadership accepts", async () => {
    await signIn("vanthu@demo.tvpb.vn");
    await go("/registers");
    await check("04-registers");
    await act("order.register");
    await signIn("banthuky@demo.tvpb.vn");
    await go("/");
    await check("05-dashboard-secretariat");
    await go("/assignments?q=du lich cong dong");
    expect(await page.content()).to.contain(id);
    await check("06-assignments");
    await go("/queue");
    await act("order.proposeAccept", { note: "Đúng lĩnh vực, hồ sơ đầy đủ." }, [
      "scope",
      "dossier",
      "capacity",
      "budget",
      "conflicts",
    ]);
    await signIn("lanhdao@demo.tvpb.vn");
    await go("/approvals");
    expect(await page.content()).to.contain(id);
    await check("07-approvals");
    await act("order.accept");
  });

  it("the secretariat plans and builds the panel; the experts accept; leadership approves it", async () => {
    await signIn("banthuky@demo.tvpb.vn");
    await act("plan.submit", {
      workPlan: "Lấy ý kiến bằng văn bản của Tổ chuyên gia 3 người trong 15 ngày.",
      costEstimate: "15000000",
      reviewDays: "15",
    });
    await go(`/assignments/${id}/panel?q=nguyen thi phuong`);
    expect(await page.content()).to.contain("Nguyễn Thị Phương Thảo");
    await go(`/assignments/${id}/panel`);
    await check("08-panel-builder");
    const pick = async (name: string, role: string, rank?: string) => {
      const eid = await page.$$eval(
        "tbody tr",
        (rows, n) => {
          const row = rows.find((r) => r.textContent?.includes(n as string));
          return row?.querySelector("select")?.id.slice(5) ?? "";
        },
        name,
      );
      expect(eid, name).to.not.equal("");
      await page.select(`[id="pick-${eid}"]`, role);
      if (rank) await page.type(`[id="rank-${eid}"]`, rank);
    };
    await pick("Nguyễn Thị Phương Thảo", "chair");
    await pick("Trần Đức Hưng", "member");
    await pick("Lê Minh Châu", "member");
    await pick("Bùi Thị Hằng", "alternate", "1");
    await submit("form[action$='/panel'] button[type=submit]");
    expect(page.url()).to.contain("done=panel.invite");
    for (const e of ["chuyengia", "chuyengia2", "chuyengia3"]) {
      await signIn(`${e}@demo.tvpb.vn`);
      // The third expert answers on a phone, as from the e-mail link.
      if (e === "chuyengia3") await width(true);
      await go("/invitations");
      if (e === "chuyengia") await check("09-invitations");
      const idx = await page.$$eval("main section", (ss) =>
        ss.findIndex((s) => !!s.textContent?.includes("du lịch cộng đồng") && !!s.querySelector("input[value=accept]")),
      );
      expect(idx).to.be.greaterThan(-1);
      const sec = (await page.$$("main section"))[idx];
      // Confidentiality is required; "no conflict of interest" is ticked (or a conflict described).
      const ticks = "input[type=checkbox][required], input[name=noConflict]";
      for (const b of await sec.$$(`form:has(input[value=accept]) :is(${ticks})`)) await b.click();
      const btn = await sec.$("form:has(input[value=accept]) button[type=submit]");
      await Promise.all([page.waitForNavigation({ waitUntil: "load" }), btn!.click()]);
      expect(page.url()).to.contain("done=invitation.accept");
      await audit();
      await width(false);
    }
    await signIn("banthuky@demo.tvpb.vn");
    await go(`/assignments/${id}/panel`);
    if (!(await page.$("form input[value='panel.submit'] ~ button")))
      fs.writeFileSync("/tmp/panel-debug.html", await page.content());
    await submit("form input[value='panel.submit'] ~ button");
    await signIn("lanhdao@demo.tvpb.vn");
    await act("panel.approve");
  });

  it("each expert writes and submits an opinion; the secretariat tracks them and closes the review", async () => {
    for (const [i, e] of ["chuyengia", "chuyengia2", "chuyengia3"].entries()) {
      await signIn(`${e}@demo.tvpb.vn`);
      // The third expert writes, sees the draft autosaved and submits on a phone.
      if (i === 2) await width(true);
      await go(`/assignments/${id}/opinion`);
      await page.type("#general", "Kế hoạch cần thiết, phù hợp chủ trương phát triển du lịch bền vững của tỉnh.");
      await page.type("[id='sp-0-section']", "Mục II. Nhiệm vụ và giải pháp");
      await page.type("[id='sp-0-comment']", "Chưa rõ cơ chế chia sẻ lợi ích với cộng đồng.");
      await page.type("[id='sp-0-suggestion']", "Bổ sung cơ chế chia sẻ lợi ích.");
      await page.type("#recommendations", "Bổ sung chỉ tiêu theo năm.");
      await page.select("#conclusion", "agree_with_revisions");
      if (i !== 1) await autosaved();
      if (i === 0) {
        // Never lose work: the draft saves itself and survives a reload.
        await page.reload({ waitUntil: "load" });
        expect(await page.$eval("#general", (el) => (el as HTMLTextAreaElement).value)).to.contain(
          "Kế hoạch cần thiết",
        );
        // Leaving while the latest text is being saved asks nothing (the unexpected-dialog check
        // fails the test if it does), and the save still arrives.
        await page.evaluate(() => {
          const w = window as unknown as { fetch: typeof fetch; saveSent?: boolean };
          const send = w.fetch.bind(w);
          w.fetch = (input, init) => {
            w.saveSent = true;
            // The answer takes long: the save stays in flight while the person leaves.
            return send(input, init).then((r) => new Promise((ok) => setTimeout(() => ok(r), 60_000)));
          };
        });
        await typeAtEnd("#recommendations", " Có lộ trình.");
        await page.waitForFunction(() => (window as unknown as { saveSent?: boolean }).saveSent === true);
        await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("header a[href='/']")]);
        expect(new URL(page.url()).pathname).to.equal("/");
        await go(`/assignments/${id}/opinion`);
        expect(await page.$eval("#recommendations", (el) => (el as HTMLTextAreaElement).value)).to.contain(
          "Có lộ trình.",
        );
        // Leaving with typed text not yet sent asks first; staying keeps the page and the text.
        await typeAtEnd("#recommendations", " Theo từng năm.");
        const asked = new Promise<string>((ok, fail) => {
          const timer = setTimeout(() => fail(new Error("no warning before leaving with unsaved changes")), 15_000);
          leaveAsked = (type) => {
            clearTimeout(timer);
            ok(type);
          };
        });
        await page.evaluate(() => {
          location.href = "/";
        });
        expect(await asked).to.equal("beforeunload");
        expect(new URL(page.url()).pathname).to.contain("/opinion");
      }
      await submit(".actions button[name=action][value=save]");
      if (i === 0) await check("10-opinion-form");
      await page.click("#opinion-confirm");
      await submit("button[name=action][value=submit]");
      expect(page.url()).to.contain("done=opinion.submit");
      await width(false);
      if (i === 1) {
        await signIn("banthuky@demo.tvpb.vn");
        await go(`/assignments/${id}`);
        await submit("form input[value='reminder.send'] ~ button");
        expect(page.url()).to.contain("done=reminder.send");
        await check("11-assignment-review-tracker");
      }
    }
    await signIn("banthuky@demo.tvpb.vn");
    await act("review.close");
  });

  it(
    "the secretariat consolidates, quoting an opinion with its source; leadership approves; the clerk issues " +
      "and records delivery",
    async () => {
      await go(`/assignments/${id}/report`);
      // A citation goes into the paragraph last focused, with its source (opinion and part).
      await page.click("[id='f-overall-0-paragraphs-0-text']");
      await page.click("button[data-cite]");
      const cited = await page.$eval("[id='f-overall-0-paragraphs-0-cit']", (el) => (el as HTMLInputElement).value);
      expect(cited).to.match(/^[0-9a-f-]{36}@\S+$/);
      await page.type("[id='f-recommendations-0-text']", "Bổ sung cơ chế chia sẻ lợi ích với cộng đồng.");
      await page.click("button[data-row-add=recommendation]");
      const recs = await page.$$("[data-list=recommendations] textarea");
      expect(recs.length, "a second recommendation row").to.equal(2);
      await recs[1].type("Bổ sung chỉ tiêu định lượng theo từng năm.");
      const firstConclusion = await page.$eval(
        "#conclusion option:not([value=''])",
        (o) => (o as HTMLOptionElement).value,
      );
      await page.select("#conclusion", firstConclusion);
      await submit("#report-form .actions button[value=save]");
      expect(page.url()).to.contain("done=report.drafted");
      await check("12-consolidation-editor");
      await submit("form input[value='report.submit'] ~ button");
      // Leadership reads the report inline and approves it on a phone.
      await signIn("lanhdao@demo.tvpb.vn");
      await width(true);
      await go(`/assignments/${id}`);
      expect(await page.$("main iframe.doc-preview"), "the report shown inline").to.not.equal(null);
      await act("report.approve");
      await width(false);
      await signIn("vanthu@demo.tvpb.vn");
      await act("report.issue");
      await waitForIssued(["finalReport", "coverLetter"]);
      await act("delivery.recorded", { channel: "email" });
    },
  );

  it("the agency answers each recommendation and the secretariat closes the assignment", async () => {
    await signIn("coquan@demo.tvpb.vn");
    await go(`/assignments/${id}`);
    await check("13-agency-response");
    const selects = await page.$$eval("select[name$='[status]']", (els) => els.map((e) => e.id));
    expect(selects.length).to.equal(2);
    for (const s of selects) {
      await page.select(`[id="${s}"]`, "partly");
      await page.type(`[id="ex-${s.slice(3)}"]`, "Tiếp thu một phần do hạn chế ngân sách.");
    }
    await page.click("#resp-confirm");
    await submit("button[value='response.submit']");
    expect(page.url()).to.contain("done=response.submit");
    await signIn("banthuky@demo.tvpb.vn");
    await act("assignment.close");
    expect(await page.$eval("#where-h + dl strong", (el) => el.textContent)).to.equal("Đã kết thúc");
    await check("14-assignment-closed");
    // Printed, the page keeps its content and drops the header, menus, buttons and forms.
    await page.emulateMediaType("print");
    let printed: { shown: string[]; forms: number; main: boolean };
    try {
      printed = await page.evaluate(
        (sels: string[]) => ({
          shown: sels.filter((sel) =>
            Array.from(document.querySelectorAll(sel)).some((el) => el.getClientRects().length > 0),
          ),
          forms: document.querySelectorAll("main form").length,
          main: (document.querySelector("main h1")?.getClientRects().length ?? 0) > 0,
        }),
        ["header.top", "nav", "footer", "main form", "main button", "main .actions"],
      );
    } finally {
      await page.emulateMediaType();
    }
    expect(printed.forms, "the page has forms to hide").to.be.greaterThan(0);
    expect(printed.shown, "shown in print").to.deep.equal([]);
    expect(printed.main, "the content prints").to.equal(true);
    await go("/");
    await shoot("15-dashboard-charts");
  });

  it("administration pages pass the accessibility check", async () => {
    await signIn("quantri@demo.tvpb.vn");
    for (const [p, n] of [
      ["/admin/users", "16-admin-users"],
      ["/admin/experts", "17-admin-experts"],
      ["/admin/associations", "18-admin-associations"],
      ["/admin/settings", "19-admin-settings"],
      ["/admin/documents?kind=finalReport", "20-admin-document-templates"],
    ]) {
      await go(p);
      await check(n);
    }
  });
});
