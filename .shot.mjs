import puppeteer from "puppeteer-core";
const [,, email, ...paths] = process.argv;
const b = await puppeteer.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const p = await b.newPage();
await p.setViewport({ width: 1280, height: 900 });
await p.goto("http://127.0.0.1:3999/login");
await p.type("input[name=email]", email);
await p.type("input[name=password]", "tvpb-demo-2026");
await Promise.all([p.waitForNavigation(), p.click("form button[type=submit]")]);
let i = 0;
for (const path of paths) {
  await p.goto("http://127.0.0.1:3999" + path, { waitUntil: "load" });
  await p.screenshot({ path: `/tmp/shots/s${i++}.png`, fullPage: true });
  console.log(path, await p.title());
  const links = await p.$$eval("a", (as) => as.map((a) => a.getAttribute("href")).filter((h) => h && /plans\/|money/.test(h)));
  console.log([...new Set(links)].slice(0, 12).join(" "));
}
await b.close();
