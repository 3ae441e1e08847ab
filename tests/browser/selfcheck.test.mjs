// Self-checks (自测) in a real browser: the sample site's PHQ-9 and GAD-7
// answered into every band, the urgent path, a gap, the reset; proof that
// nothing is sent or stored and the answers stay out of the address, the
// history and the title; axe-core and the Nu HTML Checker with scripts on
// and off; the paper form. Everything is written under
// target/browser/selfcheck/ (own site copy, own port).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { chromiumArgs, repo, bin, chromiumPath, siteToml, basePath } from "./harness.mjs";

const require = createRequire(import.meta.url);
const outDir = path.join(repo, "target", "browser", "selfcheck");
const siteDir = path.join(outDir, "site");
const phone = { width: 360, height: 740 };
// What a questionnaire page may weigh, HTML + CSS + JS, gzipped.
const BUDGET = 20 * 1024;


// The sample instruments with their published bands: [min, max, label].
const PHQ9 = {
  path: "selfcheck/phq-9/",
  items: 9,
  urgentItem: 9,
  bands: [
    [0, 4, "情绪困扰很少"],
    [5, 9, "轻度情绪困扰"],
    [10, 14, "中度情绪困扰"],
    [15, 19, "中重度情绪困扰"],
    [20, 27, "重度情绪困扰"],
  ],
  urgentBands: ["重度情绪困扰"],
};
const GAD7 = {
  path: "selfcheck/gad-7/",
  items: 7,
  bands: [
    [0, 4, "焦虑困扰很少"],
    [5, 9, "轻度焦虑困扰"],
    [10, 14, "中度焦虑困扰"],
    [15, 21, "重度焦虑困扰"],
  ],
  urgentBands: [],
};
const PAGES = [
  { name: "list", path: "selfcheck/" },
  { name: "phq-9", path: PHQ9.path },
  { name: "gad-7", path: GAD7.path },
];

const types = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".xml": "application/xml",
};

/** Serves the built site under the base path on a free loopback port,
 * gzipped as a web server would, logging every request it answers. */
function serve() {
  const log = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://loopback");
    let rel = decodeURIComponent(url.pathname);
    let file = null;
    if (rel.startsWith(basePath)) {
      rel = rel.slice(basePath.length);
      const candidate = path.join(siteDir, rel, rel === "" || rel.endsWith("/") ? "index.html" : "");
      if (candidate.startsWith(siteDir) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) file = candidate;
    }
    const status = file ? 200 : 404;
    file ??= path.join(siteDir, "404.html");
    const body = gzipSync(fs.readFileSync(file));
    log.push({ method: req.method, url: req.url, bytes: body.length });
    res.writeHead(status, {
      "content-type": types[path.extname(file)] ?? "application/octet-stream",
      "content-encoding": "gzip",
      "content-length": body.length,
      "cache-control": "no-store",
    });
    res.end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, log, host: `127.0.0.1:${server.address().port}` })),
  );
}

let http;
let browser;
const figures = [];

before(async () => {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  execFileSync(bin, ["build", "--root", repo, "--output", siteDir], { stdio: "inherit" });
  http = await serve();
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  http?.server.close();
  if (figures.length) {
    fs.writeFileSync(path.join(outDir, "figures.md"), figures.join("\n") + "\n");
    console.log(`\n${figures.join("\n")}\n`);
  }
});

const url = (p) => `http://${http.host}${basePath}${p}`;

function phoneContext({ js = true, scheme = "light", size = null } = {}) {
  return browser
    .newContext({ viewport: phone, deviceScaleFactor: 1, javaScriptEnabled: js, colorScheme: scheme })
    .then(async (context) => {
      if (size) await context.addInitScript((s) => localStorage.setItem("weikan-size", s), size);
      return context;
    });
}

/** Opens `p`; collects script errors and every request the page makes. */
async function open(context, p) {
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url(p), { waitUntil: "load" });
  return { page, problems, requests };
}

/** Opens `p` as it renders without JavaScript, in a context where axe can
 * still run (Chromium runs no timers, so no axe, with scripts off): the
 * page's own scripts are taken out before it reaches the browser. */
async function openWithoutScripts(context, p) {
  const page = await context.newPage();
  await page.route(url(p), async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(/<script\b[^>]*>[^<]*<\/script>\n?/g, "");
    await route.fulfill({ response, body });
  });
  await page.goto(url(p), { waitUntil: "load" });
  assert.equal(await page.locator("script").count(), 0);
  assert.equal(await page.evaluate(() => document.documentElement.className), "");
  return { page };
}

/** Scores for each item giving `total`, the most points first, keeping
 * the urgent item (if any) at `urgent` points. */
function answersFor(q, total, urgent = 0) {
  const scores = new Array(q.items).fill(0);
  // Totals the other items cannot reach take points from the urgent item.
  if (q.urgentItem) urgent = Math.max(urgent, total - 3 * (q.items - 1));
  let left = total - urgent;
  for (let i = 0; i < q.items; i++) {
    if (i + 1 === q.urgentItem) continue;
    scores[i] = Math.min(3, left);
    left -= scores[i];
  }
  if (q.urgentItem) scores[q.urgentItem - 1] = urgent;
  assert.equal(left, 0, `cannot reach ${total}`);
  return scores;
}

/** Taps the option of each item whose points are given (null: leave it). */
async function answer(page, scores) {
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] === null) continue;
    await page.locator(`#sc-item-${i + 1} input[value="${scores[i]}"]`).check();
  }
}

const submit = (page) => page.getByRole("button", { name: "看结果" }).click();
const result = (page) => page.locator("#sc-result");

/** What the reader could leave behind: storage of every kind. */
const leftovers = async (page) => ({
  cookies: (await page.context().cookies()).length,
  ...(await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    indexedDB: (await indexedDB.databases()).length,
    caches: self.caches ? (await caches.keys()).length : 0,
  }))),
});

test("each sample questionnaire scores into every band with its label, advice and hotlines", async () => {
  const context = await phoneContext();
  for (const q of [PHQ9, GAD7]) {
    const { page, problems } = await open(context, q.path);
    for (const [min, max, label] of q.bands) {
      for (const total of new Set([min, Math.floor((min + max) / 2), max])) {
        await page.getByRole("button", { name: "重新填写" }).click();
        await answer(page, answersFor(q, total));
        await submit(page);
        const box = result(page);
        assert.equal(await box.locator(".sc-total strong").textContent(), String(total));
        assert.match(await box.locator(".sc-result-band").textContent(), new RegExp(`^${label}（${min}–${max}分）$`));
        const advice = await page.locator(`.sc-band[data-min="${min}"] .sc-advice`).textContent();
        assert.equal(await box.locator(".sc-advice").textContent(), advice);
        const tels = await box.locator("a[href^='tel:']").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
        assert.ok(tels.includes("tel:12356"), `${q.path} ${total}: hotlines ${tels}`);
        const urgent = q.urgentBands.includes(label);
        assert.equal(await box.locator(".sc-urgent").count(), urgent ? 1 : 0, `${label} urgent block`);
        if (q === PHQ9 && total === 12) {
          await box.scrollIntoViewIfNeeded();
          await page.screenshot({ path: path.join(outDir, "result-middle-band.png") });
        }
      }
    }
    assert.deepEqual(problems, []);
    await page.close();
  }
  await context.close();
});

test("an answer above 0 on item 9 leads with the urgent help, hotlines first, whatever the total", async () => {
  const context = await phoneContext();
  const { page } = await open(context, PHQ9.path);
  await answer(page, answersFor(PHQ9, 1, 1));
  await submit(page);
  const box = result(page);
  assert.equal(await box.locator(".sc-total strong").textContent(), "1");
  assert.match(await box.locator(".sc-result-band").textContent(), /^情绪困扰很少/);
  // The urgent block comes before anything else, and within it the
  // hotlines come first after its heading.
  const order = await box.evaluate((r) => [...r.children].map((c) => c.className));
  assert.equal(order[0], "sc-urgent", order.join(" "));
  const inside = await box.locator(".sc-urgent").evaluate((s) => [...s.children].map((c) => c.tagName + "." + c.className));
  assert.deepEqual(inside.slice(0, 2), ["H2.", "UL.sc-hotlines"]);
  const tels = await box.locator(".sc-urgent a[href^='tel:']").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.ok(tels.length >= 1 && tels.every((t) => /^tel:\+?\d+$/.test(t)), tels.join(" "));
  assert.match(await box.locator(".sc-urgent").textContent(), /你值得马上得到帮助/);
  // The focus moved to the result, which is in view.
  assert.equal(await page.evaluate(() => document.activeElement.id), "sc-result");
  await page.screenshot({ path: path.join(outDir, "result-urgent.png") });
  await context.close();
});

test("an unanswered item is named and focused; 重新填写 clears the form and the result", async () => {
  const context = await phoneContext();
  const { page } = await open(context, PHQ9.path);
  const scores = answersFor(PHQ9, 6);
  scores[2] = null;
  scores[6] = null;
  await answer(page, scores);
  await submit(page);
  assert.equal(await result(page).textContent(), "还有第3题、第7题没有回答。选好后再点“看结果”。");
  assert.equal(await result(page).locator(".sc-total").count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement.name), "i3");
  assert.equal(await page.locator(".sc-missing").count(), 2);
  await page.locator("#sc-item-3 input[value='0']").check();
  await page.locator("#sc-item-7 input[value='0']").check();
  await submit(page);
  assert.equal(await result(page).locator(".sc-total strong").textContent(), "6");
  assert.equal(await page.locator(".sc-missing").count(), 0);
  await page.getByRole("button", { name: "重新填写" }).click();
  assert.equal(await page.locator(".sc-form input:checked").count(), 0);
  assert.equal(await result(page).textContent(), "");
  await context.close();
});

test("answering and submitting send nothing, store nothing, and leave address, history and title alone", async () => {
  const context = await phoneContext();
  const { page, requests, problems } = await open(context, PHQ9.path);
  const before = {
    href: await page.evaluate(() => location.href),
    history: await page.evaluate(() => history.length),
    title: await page.title(),
  };
  const loaded = requests.length;
  const served = http.log.length;
  // A gap, a full answer with the urgent item, a reset, another answer.
  await answer(page, [1, 2, null, 0, 0, 0, 0, 0, 0]);
  await submit(page);
  await answer(page, answersFor(PHQ9, 14, 2));
  await submit(page);
  await page.getByRole("button", { name: "重新填写" }).click();
  await answer(page, answersFor(PHQ9, 22));
  await page.locator("#sc-item-1 input[value='3']").press("Enter");
  await submit(page);
  await page.waitForTimeout(300);
  assert.deepEqual(requests.slice(loaded), [], "requests after the page loaded");
  assert.equal(http.log.length, served, "the server heard nothing more");
  assert.deepEqual(await leftovers(page), { cookies: 0, local: 0, session: 0, indexedDB: 0, caches: 0 });
  assert.deepEqual(
    {
      href: await page.evaluate(() => location.href),
      history: await page.evaluate(() => history.length),
      title: await page.title(),
    },
    before,
  );
  assert.ok(!before.href.includes("?") && !before.href.includes("#"));
  assert.deepEqual(problems, []);
  figures.push(`requests while answering and submitting PHQ-9: ${requests.length - loaded}`);
  await context.close();
});

test("without JavaScript: points and the band table show, and submitting goes nowhere", async () => {
  const context = await phoneContext({ js: false });
  const { page, requests } = await open(context, PHQ9.path);
  const points = page.locator("#sc-item-1 .sc-points");
  assert.equal(await points.count(), 4);
  for (let i = 0; i < 4; i++) {
    assert.ok(await points.nth(i).isVisible(), "points shown");
    assert.equal(await points.nth(i).textContent(), `${i}分`);
  }
  assert.ok(await page.locator(".sc-bands").isVisible());
  assert.equal(await page.locator(".sc-bands tbody tr").count(), 5);
  assert.match(await page.locator(".sc-urgent-note").textContent(), /第9题/);
  // The submit button needs the script, so it is not offered; the form
  // itself submits nowhere (method=dialog outside a dialog) even if asked.
  assert.equal(await page.locator(".sc-actions").isVisible(), false);
  const href = page.url();
  const loaded = requests.length;
  await answer(page, answersFor(PHQ9, 10));
  await page.locator("form.sc-form").evaluate((f) => f.requestSubmit());
  await page.waitForTimeout(300);
  assert.equal(page.url(), href);
  assert.deepEqual(requests.slice(loaded), []);
  await page.screenshot({ path: path.join(outDir, "questionnaire-no-js.png"), fullPage: true });
  await context.close();
});

test("tap targets are at least 44 px and nothing overflows, at 标准 and 特大", async () => {
  for (const size of [null, "xl"]) {
    const context = await phoneContext({ size });
    const { page } = await open(context, PHQ9.path);
    const small = await page.evaluate(() =>
      [...document.querySelectorAll(".sc-option, .sc-actions button")]
        .map((el) => {
          const r = el.getBoundingClientRect();
          return { text: el.textContent.trim(), width: Math.round(r.width), height: Math.round(r.height) };
        })
        .filter((t) => t.width < 44 || t.height < 44),
    );
    assert.deepEqual(small, [], `targets under 44 px at ${size ?? "标准"}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `scrolls sideways at ${size ?? "标准"}`);
    await page.locator("#sc-item-1").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(outDir, size ? "questionnaire-xl.png" : "questionnaire.png") });
    await answer(page, answersFor(PHQ9, 3, 1));
    await submit(page);
    const overflowAfter = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflowAfter, 0, "the result fits");
    await context.close();
  }
});

test("axe-core finds no violation, scripts on and off, light and dark, with a result shown", async () => {
  const axe = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const report = {};
  const check = async (page, where) => {
    await page.evaluate(axe);
    const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    report[where] = violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  };
  for (const [js, scheme] of [[true, "light"], [true, "dark"], [false, "light"]]) {
    const context = await phoneContext({ scheme });
    for (const p of PAGES) {
      const { page } = js ? await open(context, p.path) : await openWithoutScripts(context, p.path);
      await check(page, `${p.name} (js ${js ? "on" : "off"}, ${scheme})`);
      if (js && p.name === "phq-9") {
        await answer(page, answersFor(PHQ9, 12, 1));
        await submit(page);
        await check(page, `${p.name} urgent result (${scheme})`);
        await page.getByRole("button", { name: "重新填写" }).click();
        await answer(page, [0, 1, null, 0, 0, 0, 0, 0, 0]);
        await submit(page);
        await check(page, `${p.name} gap (${scheme})`);
      }
      await page.close();
    }
    await context.close();
  }
  fs.writeFileSync(path.join(outDir, "axe.json"), JSON.stringify(report, null, 2));
  const all = Object.entries(report).flatMap(([where, vs]) => vs.map((v) => ({ where, ...v })));
  assert.deepEqual(all, []);
  figures.push(`axe-core: ${Object.keys(report).length} page states, 0 violations`);
});

test("the Nu HTML Checker finds no error in the pages as served and as shown with a result", async () => {
  // The page as the script leaves it after an urgent result, saved as a file.
  const context = await phoneContext();
  const { page } = await open(context, PHQ9.path);
  await answer(page, answersFor(PHQ9, 21, 1));
  await submit(page);
  const shown = await page.evaluate(() => "<!DOCTYPE html>\n" + document.documentElement.outerHTML);
  await context.close();
  const scripted = path.join(outDir, "vnu", "phq-9-result.html");
  fs.mkdirSync(path.dirname(scripted), { recursive: true });
  fs.writeFileSync(scripted, shown);
  const files = [
    ...PAGES.map((p) => path.join(siteDir, p.path, "index.html")),
    path.join(siteDir, "selfcheck.css"),
    scripted,
  ];
  const vnu = require.resolve("vnu-jar/build/dist/vnu.jar");
  const run = spawnSync("java", ["-jar", vnu, "--errors-only", "--also-check-css", "--format", "json", ...files], {
    encoding: "utf8",
  });
  assert.equal(run.error, undefined, `could not start java: ${run.error}`);
  const { messages } = JSON.parse(run.stderr || run.stdout);
  const errors = messages.filter((m) => m.type === "error" || m.subType === "fatal");
  assert.deepEqual(
    errors.map((m) => `${path.relative(outDir, fileURLToPath(m.url))}:${m.lastLine}: ${m.message}`),
    [],
  );
  figures.push(`vnu: ${files.length} files, 0 errors`);
});

test("printed, a questionnaire is a clean paper form with its scoring key", async () => {
  const context = await phoneContext();
  const { page } = await open(context, PHQ9.path);
  await page.emulateMedia({ media: "print" });
  for (const hidden of [".site-nav", ".textsize", ".breadcrumbs", ".sc-actions", "#sc-result"]) {
    assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} prints`);
  }
  assert.ok(await page.locator("#sc-item-1 .sc-points").first().isVisible(), "points print");
  assert.ok(await page.locator(".sc-bands").isVisible(), "the key prints");
  assert.ok(await page.locator(".hotlines").isVisible(), "the hotlines print");
  const ink = await page.evaluate(() => getComputedStyle(document.querySelector(".sc-item legend")).color);
  assert.equal(ink, "rgb(0, 0, 0)");
  await page.screenshot({ path: path.join(outDir, "print.png"), fullPage: true });
  const pdf = await page.pdf({ path: path.join(outDir, "phq-9.pdf"), preferCSSPageSize: true });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.ok(pages >= 1 && pages <= 3, `${pages} A4 pages`);
  figures.push(`PHQ-9 printed: ${pages} A4 pages (phq-9.pdf)`);
  await context.close();
});

test("a questionnaire page weighs under 20 KB (HTML + CSS + JS, gzip) at first visit", async () => {
  for (const q of [PHQ9, GAD7]) {
    const context = await phoneContext();
    const from = http.log.length;
    const { page } = await open(context, q.path);
    await page.waitForLoadState("networkidle");
    const sent = http.log.slice(from);
    const bytes = sent.reduce((n, s) => n + s.bytes, 0);
    const kinds = sent.map((s) => {
      const p = new URL(s.url, "http://x").pathname;
      return p.endsWith("/") ? "index.html" : path.basename(p);
    });
    assert.deepEqual(kinds.sort(), ["index.html", "selfcheck.css", "selfcheck.js", "weikan.css", "weikan.js"]);
    figures.push(`/${q.path}: ${sent.length} requests, ${bytes} B gzip (HTML+CSS+JS), budget ${BUDGET} B`);
    assert.ok(bytes < BUDGET, `${q.path} transfers ${bytes} B`);
    await context.close();
  }
});
