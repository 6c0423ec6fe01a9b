/**
 * Screenshots of the annual plan's pages (issue 16) into docs/screenshots/ (21-… to 26-…), at
 * desktop and phone widths, in Vietnamese: a test world (PGlite in memory) is taken through a year
 * by the HTTP API and each page is opened in headless Chromium as the role that uses it, checked
 * with axe-core (no serious or critical violation) and for codes, keys or UUIDs in its text.
 *   npx tsx scripts/planScreenshots.ts [outDir]
 */
import fs from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import puppeteer, { type Page } from "puppeteer-core";
import { createWorld, type World } from "../test/support/testApp.js";
import { associationUser, planEvent, propose, recordDecision } from "../test/support/planFlows.js";
import { givePasswords, PAGE_PASSWORD, emailOf } from "../test/support/pageSession.js";
import { CODE_PATTERN } from "../test/support/pageText.js";
import { closeTestDatabase } from "../test/support/db.js";

const OUT = path.resolve(process.argv[2] ?? "docs/screenshots");
const AXE = path.resolve("node_modules/axe-core/axe.min.js");
const problems: string[] = [];

/** Signs in through the form (signing out first). */
async function signIn(page: Page, base: string, email: string) {
  await page.deleteCookie(...(await page.cookies()));
  await page.goto(`${base}/login`, { waitUntil: "load" });
  await page.type("#email", email);
  await page.type("#password", PAGE_PASSWORD);
  await Promise.all([
    page.waitForNavigation({ waitUntil: "load" }),
    page.click("form[action='/login'] button[type=submit]"),
  ]);
}

/** Opens `url`, checks it, and saves `name`-desktop.png and `name`-phone.png. */
async function shot(page: Page, base: string, url: string, name: string, open?: string) {
  for (const [w, h, mobile] of [
    [1280, 800, false],
    [390, 844, true],
  ] as const) {
    await page.setViewport({ width: w, height: h, isMobile: mobile, hasTouch: mobile });
    await page.goto(`${base}${url}`, { waitUntil: "load" });
    if (open) await page.evaluate((sel) => document.querySelector(sel)?.setAttribute("open", ""), open);
    if (!mobile) await check(page, name);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({
      path: path.join(OUT, `${name}-${mobile ? "phone" : "desktop"}.png`),
      clip: { x: 0, y: 0, width: w, height: Math.min(height, mobile ? 2400 : 1800) },
      captureBeyondViewport: true,
    });
  }
}

/** axe-core and the codes check on the current page. */
async function check(page: Page, name: string) {
  const text = await page.evaluate(() => document.body.innerText);
  for (const m of text.matchAll(new RegExp(CODE_PATTERN.source, "g"))) problems.push(`${name}: code ${m[0]}`);
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (o: unknown) => Promise<{ violations: Array<{ id: string; impact: string }> }> };
      }
    ).axe;
    return axe.run({ resultTypes: ["violations"] });
  });
  for (const v of result.violations.filter((x) => x.impact === "serious" || x.impact === "critical"))
    problems.push(`${name}: ${v.id} (${v.impact})`);
}

/** Four proposals of 2027, closed and ranked: the list being compiled. */
async function compiledList(w: World, planId: string, assoc: Awaited<ReturnType<typeof associationUser>>["client"]) {
  const a1 = await propose(w.as("agency"), planId);
  const a2 = await propose(assoc, planId, {
    title: "Tư vấn chính sách thu hút trí thức trẻ về công tác tại tỉnh",
    type: "consultancy",
    forms: ["expert_group"],
    quarter: 1,
    estimatedCost: 30_000_000,
  });
  const u1 = await propose(w.as("secretariat"), planId, {
    title: "Giám định xã hội dự án hồ chứa nước Khuổi Nhùng",
    type: "assessment",
    forms: ["council", "workshop"],
    quarter: 3,
    estimatedCost: 80_000_000,
    orderingAgencyId: w.agency.id,
  });
  await planEvent(w.as("secretariat"), planId, { type: "proposals.close" });
  await planEvent(w.as("secretariat"), planId, { type: "items.rank", order: [a1, u1, a2] });
  return { a1, a2, u1 };
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const w = await createWorld({ start: "2026-09-01T02:00:00Z" });
  const assoc = await associationUser(w);
  await givePasswords(w);
  const server = w.app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const page = await browser.newPage();
  await page.setBypassCSP(true);
  page.on("response", (r) => void (r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`)));
  try {
    const plan = (await w.as("secretariat").post("/api/v1/annual-plans", { year: 2027, proposalsDueOn: "2026-10-31" }))
      .body.data;
    const ids = await compiledList(w, plan.id, assoc.client);
    await signIn(page, base, w.userFor("secretariat").email);
    await shot(page, base, "/plans", "21-plans");
    await shot(page, base, `/plans/${plan.id}`, "22-plan-compiling", "#ev-rank");
    await planEvent(w.as("secretariat"), plan.id, { type: "submission.propose" });
    await planEvent(w.as("leadership"), plan.id, { type: "submission.approve" });
    await planEvent(w.as("clerk"), plan.id, { type: "submission.issue" });
    await signIn(page, base, w.userFor("clerk").email);
    await shot(page, base, `/plans/${plan.id}`, "23-plan-decision");
    await recordDecision(w.as("clerk"), plan.id, { number: "2345/QĐ-UBND", date: "2026-12-20", cut: [ids.a2] });
    await w.as("secretariat").post(`/api/v1/annual-plans/${plan.id}/items/${ids.a1}/start`, {});
    await planEvent(w.as("secretariat"), plan.id, {
      type: "amendment.open",
      reason: "UBND tỉnh giao bổ sung nhiệm vụ giữa năm.",
    });
    await signIn(page, base, w.userFor("secretariat").email);
    await shot(page, base, `/plans/${plan.id}`, "24-plan-in-execution");
    await shot(page, base, `/plans/${plan.id}/items/${ids.u1}`, "25-plan-item");
    await shot(page, base, `/plans/${plan.id}/report`, "27-plan-report");
    const next = (await w.as("secretariat").post("/api/v1/annual-plans", { year: 2028, proposalsDueOn: "2027-10-31" }))
      .body.data;
    await propose(assoc.client, next.id, { title: "Phản biện Đề án bảo tồn và phát triển cây chè Shan tuyết" });
    await signIn(page, base, await emailOf(w, assoc.client.userId));
    await shot(page, base, `/plans/${next.id}`, "26-plan-my-proposals");
  } finally {
    await browser.close();
    server.close();
    await closeTestDatabase();
  }
  if (problems.length) throw new Error(problems.join("\n"));
  console.log(`screenshots in ${OUT}`);
}

await main();
