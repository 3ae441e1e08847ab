// The default theme in a real browser: Debian's Chromium driven by
// playwright-core, with axe-core for accessibility and the Nu HTML Checker
// (vnu) for validity. The sample site is built with the weikan binary and
// served from loopback, gzipped as a web server would; every figure and
// screenshot is written under target/browser/.
//
// Run through scripts/test, which installs what is missing first.

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
const outDir = path.join(repo, "target", "browser");
const siteDir = path.join(outDir, "site");
const shotDir = path.join(outDir, "screenshots");

// The phone the issue names: 360 × 740 CSS pixels.
const phone = { width: 360, height: 740 };
// What an article page may weigh in total, HTML + CSS + JS, gzipped.
const ARTICLE_BUDGET = 20 * 1024;

const language = siteToml.match(/^language\s*=\s*"([^"]+)"/m)[1];

/** One page of each type, at its path under the base path. */
function pageTypes() {
  const firstArticle = fs
    .readdirSync(path.join(siteDir, "issues", "1"), { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== "qr" && e.name !== "print")
    .map((e) => e.name)
    .sort()[0];
  const firstAudience = siteToml.match(/^key\s*=\s*"([^"]+)"/m)[1];
  return [
    { name: "home", path: "" },
    { name: "issues", path: "issues/" },
    { name: "issue", path: "issues/1/" },
    { name: "article", path: `issues/1/${firstArticle}/` },
    { name: "audience", path: `for/${firstAudience}/` },
    { name: "page", path: "hotlines/" },
    { name: "qr-sheet", path: "issues/1/qr/" },
    { name: "qr-poster", path: "qr/" },
    { name: "404", path: "no-such-page/", status: 404 },
  ];
}

const types = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".xml": "application/rss+xml",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
};

/** Serves `root` under `prefix` on loopback, gzipping every response (as
 * nginx or Caddy would, at zlib's default level) and logging what it sent. */
function serve(root, prefix) {
  const sent = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://loopback");
    let rel = decodeURIComponent(url.pathname);
    let file = null;
    if (rel.startsWith(prefix)) {
      rel = rel.slice(prefix.length);
      const candidate = path.join(root, rel, rel === "" || rel.endsWith("/") ? "index.html" : "");
      if (candidate.startsWith(root) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
        file = candidate;
      }
    }
    const status = file ? 200 : 404;
    file ??= path.join(root, "404.html");
    const body = fs.readFileSync(file);
    const gzip = /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
    const payload = gzip ? gzipSync(body) : body;
    sent.push({ path: url.pathname, bytes: payload.length, raw: body.length });
    res.writeHead(status, {
      "content-type": types[path.extname(file)] ?? "application/octet-stream",
      "content-length": payload.length,
      "cache-control": "no-store",
      ...(gzip ? { "content-encoding": "gzip" } : {}),
    });
    res.end(payload);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      resolve({ server, sent, host: `127.0.0.1:${server.address().port}` });
    }),
  );
}

let http;
let browser;
const weights = [];

before(async () => {
  // Only this file's own outputs: other browser tests keep theirs in
  // their own folders under target/browser/.
  for (const own of [siteDir, shotDir]) fs.rmSync(own, { recursive: true, force: true });
  fs.mkdirSync(shotDir, { recursive: true });
  execFileSync(bin, ["build", "--root", repo, "--output", siteDir], { stdio: "inherit" });
  http = await serve(siteDir, basePath);
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  http?.server.close();
  if (weights.length) {
    const rows = weights.map(
      (w) => `| ${w.name} | ${w.requests} | ${w.raw.toLocaleString("en")} | ${w.bytes.toLocaleString("en")} |`,
    );
    const table = [
      "| page type | requests | raw bytes | gzip bytes |",
      "|---|---|---|---|",
      ...rows,
    ].join("\n");
    fs.writeFileSync(path.join(outDir, "weights.md"), table + "\n");
    console.log(`\nPage weights at first visit (HTML + CSS + JS):\n${table}\n`);
  }
});

const url = (p) => `http://${http.host}${basePath}${p}`;

/** A phone-sized browser context; `js: false` turns scripts off. */
function phoneContext({ js = true, scheme = "light" } = {}) {
  return browser.newContext({
    viewport: phone,
    deviceScaleFactor: 1,
    javaScriptEnabled: js,
    colorScheme: scheme,
  });
}

/** Opens `p` and watches for console errors and requests off loopback. */
async function open(context, p) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    // The 404 page is served with status 404, which Chromium reports.
    const expected = p.status === 404 && m.text().includes("404");
    if (m.type() === "error" && !expected) problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.protocol !== "data:" && u.host !== http.host) problems.push(`request off loopback: ${r.url()}`);
  });
  const from = http.sent.length;
  const response = await page.goto(url(p.path), { waitUntil: "load" });
  assert.equal(response.status(), p.status ?? 200, `status of ${p.path}`);
  return { page, problems, served: () => http.sent.slice(from) };
}

const overflow = (page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Links and buttons outside running prose smaller than 44 × 44 px. */
const smallTargets = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("a[href], button")]
      .filter((el) => !el.closest(".body, .intro, .note, .skip") && el.getClientRects().length > 0)
      .map((el) => {
        const r = el.getBoundingClientRect();
        return { text: el.textContent.trim().slice(0, 24), width: Math.round(r.width), height: Math.round(r.height) };
      })
      .filter((t) => t.width < 44 || t.height < 44),
  );

test("every page type at 360 × 740: no overflow, no errors, loopback only, 44 px targets", async () => {
  const context = await phoneContext();
  for (const p of pageTypes()) {
    const { page, problems, served } = await open(context, p);
    assert.deepEqual(problems, [], `${p.name}: ${p.path}`);
    assert.equal(await overflow(page), 0, `${p.name} scrolls sideways`);
    assert.deepEqual(await smallTargets(page), [], `${p.name}: tap targets under 44 px`);
    const log = served();
    weights.push({
      name: p.name,
      requests: log.length,
      bytes: log.reduce((n, s) => n + s.bytes, 0),
      raw: log.reduce((n, s) => n + s.raw, 0),
    });
    await page.screenshot({ path: path.join(shotDir, `${p.name}.png`), fullPage: true });
    await page.close();
  }
  await context.close();
  const article = weights.find((w) => w.name === "article");
  assert.ok(article.bytes < ARTICLE_BUDGET, `article page transfers ${article.bytes} B`);
});

test("every article page of the sample site is under the 20 KB budget", () => {
  const gz = (f) => gzipSync(fs.readFileSync(path.join(siteDir, f))).length;
  const assets = gz("weikan.css") + gz("weikan.js");
  const articles = fs
    .readdirSync(path.join(siteDir, "issues"), { recursive: true })
    .filter((f) => /^\d+\/(?!qr\/|print\/)[^/]+\/index\.html$/.test(f.split(path.sep).join("/")));
  assert.ok(articles.length >= 20, `found ${articles.length} article pages`);
  const heaviest = Math.max(...articles.map((f) => gz(path.join("issues", f)) + assets));
  console.log(`heaviest of ${articles.length} article pages: ${heaviest} B gzip with CSS and JS`);
  assert.ok(heaviest < ARTICLE_BUDGET, `heaviest article page is ${heaviest} B`);
});

test("axe-core finds no serious or critical violation, light or dark", async () => {
  const axe = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const report = {};
  for (const scheme of ["light", "dark"]) {
    const context = await phoneContext({ scheme });
    for (const p of pageTypes()) {
      const { page } = await open(context, p);
      // Through the DevTools protocol, which the pages' policy does not govern.
      await page.evaluate(axe);
      const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      report[`${p.name} (${scheme})`] = violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => n.target.join(" ")),
      }));
      await page.close();
    }
    await context.close();
  }
  fs.writeFileSync(path.join(outDir, "axe.json"), JSON.stringify(report, null, 2));
  const serious = Object.entries(report).flatMap(([where, vs]) =>
    vs.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => ({ where, ...v })),
  );
  assert.deepEqual(serious, []);
});

test("the type-size control enlarges the text and keeps the choice across pages", async () => {
  const context = await phoneContext();
  const [home, , , article] = pageTypes();
  const { page } = await open(context, article);
  const bodySize = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector(":is(.body, .intro) p")).fontSize));
  const pressed = () => page.locator('.textsize button[aria-pressed="true"]').textContent();
  // The control sits in the header's menu, which opens first.
  const choose = async (name) => {
    await page.locator(".menu summary").click();
    await page.getByRole("button", { name, exact: true }).click();
  };

  const standard = await bodySize();
  assert.ok(standard >= 18, `body text is ${standard}px`);
  assert.equal(await pressed(), "标准");

  await choose("大");
  assert.equal(await page.getAttribute("html", "data-size"), "l");
  const large = await bodySize();
  assert.ok(large >= standard * 1.2, `大 gives ${large}px against ${standard}px`);

  // Another page opens at the chosen size, applied before first paint:
  // nothing on it moves once it has loaded.
  await page.goto(url(home.path));
  assert.equal(await page.getAttribute("html", "data-size"), "l");
  assert.equal(await pressed(), "大");
  assert.equal(await bodySize(), large);
  const shift = await page.evaluate(
    () =>
      new Promise((resolve) => {
        let total = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) total += e.value;
        }).observe({ type: "layout-shift", buffered: true });
        setTimeout(() => resolve(total), 200);
      }),
  );
  assert.ok(shift < 0.01, `layout shift ${shift} after loading at 大`);

  await choose("特大");
  const extra = await bodySize();
  assert.ok(extra >= large * 1.15, `特大 gives ${extra}px`);
  for (const p of pageTypes()) {
    await page.goto(url(p.path));
    assert.equal(await page.getAttribute("html", "data-size"), "xl", p.name);
    assert.equal(await overflow(page), 0, `${p.name} scrolls sideways at 特大`);
  }
  await page.goto(url(article.path));
  await page.screenshot({ path: path.join(shotDir, "article-xl.png"), fullPage: false });

  await choose("标准");
  assert.equal(await page.getAttribute("html", "data-size"), null);
  assert.equal(await page.evaluate(() => localStorage.getItem("weikan-size")), null);
  await page.reload();
  assert.equal(await bodySize(), standard);
  await context.close();
});

test("without JavaScript every page reads fully and the control stays out of the way", async () => {
  const context = await phoneContext({ js: false });
  for (const p of pageTypes()) {
    const { page, problems } = await open(context, p);
    assert.deepEqual(problems, [], p.name);
    assert.equal(await page.locator(".textsize").isVisible(), false, `${p.name}: control shown without JS`);
    assert.equal(await overflow(page), 0, p.name);
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(size >= 18, `${p.name}: body text ${size}px`);
    await page.close();
  }
  await context.close();
});

test("the hotline bar is in view on an article before scrolling, with tel: links", async () => {
  const article = pageTypes()[3];
  for (const size of [null, "l", "xl"]) {
    const context = await phoneContext();
    if (size) await context.addInitScript((s) => localStorage.setItem("weikan-size", s), size);
    const { page } = await open(context, article);
    const bar = await page.locator(".hotlines").boundingBox();
    assert.ok(bar.y >= 0 && bar.y + bar.height <= phone.height, `hotline bar at ${bar.y}–${bar.y + bar.height}px`);
    const tels = await page.locator(".hotlines a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.ok(tels.length > 0 && tels.every((h) => /^tel:\+?[0-9]+$/.test(h)), tels.join(" "));
    // The article's title and its first lines are on the first screen too.
    const h1 = await page.locator("h1").boundingBox();
    const limit = size ? phone.height / 2 : 250;
    assert.ok(h1.y <= limit, `${size ?? "standard"}: the title starts ${h1.y}px down`);
    const first = await page.locator(".body p").first().boundingBox();
    assert.ok(first.y < phone.height, `${size ?? "standard"}: the text starts ${first.y}px down`);
    await page.screenshot({ path: path.join(shotDir, `article-first-screen${size ? "-" + size : ""}.png`) });
    await context.close();
  }
});

test("the header's 求助 button and menu work with and without JavaScript", async () => {
  for (const js of [true, false]) {
    const context = await phoneContext({ js });
    const { page } = await open(context, pageTypes()[3]);
    const nav = page.locator(".site-nav");
    assert.equal(await nav.isVisible(), false, "the menu starts closed");
    const summary = page.locator(".menu summary");
    assert.ok((await summary.boundingBox()).height >= 44);
    await summary.click();
    assert.ok(await nav.isVisible(), "the menu opens");
    const links = await nav.locator("a").evaluateAll((as) => as.map((a) => a.getBoundingClientRect().height));
    assert.ok(links.length > 0 && links.every((h) => h >= 44), `menu links ${links.join(", ")}px`);
    assert.equal(await page.locator(".textsize").isVisible(), js, "the type-size control is in the menu when it can work");
    await summary.click();
    const help = page.locator(".help-button");
    const box = await help.boundingBox();
    assert.ok(box.height >= 44 && box.width >= 44 && box.y + box.height <= 100, `求助 at ${JSON.stringify(box)}`);
    await help.click();
    await page.waitForURL(url("hotlines/"));
    await context.close();
  }
});

test("QR sheet captions are at least 14 px on screen and in print", async () => {
  const context = await phoneContext();
  const { page } = await open(context, pageTypes()[6]);
  for (const media of ["screen", "print"]) {
    await page.emulateMedia({ media });
    const sizes = await page.locator(".qr-url, .qr-title").evaluateAll((ps) => ps.map((p) => parseFloat(getComputedStyle(p).fontSize)));
    assert.ok(sizes.length > 0 && Math.min(...sizes) >= 14, `${media}: captions at ${Math.min(...sizes)}px`);
  }
  await context.close();
});

test("the home page has a clear 需要帮助 entry to the hotlines page", async () => {
  const context = await phoneContext();
  const { page } = await open(context, pageTypes()[0]);
  const help = page.locator(".need-help a");
  assert.match(await help.textContent(), /需要帮助/);
  const box = await help.boundingBox();
  assert.ok(box.y + box.height <= phone.height, `need-help ends at ${box.y + box.height}px`);
  await help.click();
  await page.waitForURL(url("hotlines/"));
  await context.close();
});

test("an article in dark mode keeps its colours readable", async () => {
  const context = await phoneContext({ scheme: "dark" });
  const { page } = await open(context, pageTypes()[3]);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(bg, "rgb(255, 253, 248)", "dark scheme not applied");
  await page.screenshot({ path: path.join(shotDir, "article-dark.png"), fullPage: true });
  await context.close();
});

test("an article prints as a clean handout and a QR sheet fills A4", async () => {
  const context = await phoneContext();
  const types = pageTypes();
  const { page } = await open(context, types[3]);
  await page.emulateMedia({ media: "print" });
  for (const hidden of [".site-nav", ".textsize", ".breadcrumbs", ".neighbours"]) {
    assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} prints`);
  }
  assert.ok(await page.locator(".hotlines").isVisible(), "the help lines are on the handout");
  assert.match(await page.locator("p.print-only").textContent(), /本页网址：https?:\/\//);
  const ink = await page.evaluate(() => getComputedStyle(document.querySelector(".body p")).color);
  assert.equal(ink, "rgb(0, 0, 0)");
  await page.pdf({ path: path.join(outDir, "article.pdf"), preferCSSPageSize: true });

  const sheet = (await open(context, types[6])).page;
  await sheet.emulateMedia({ media: "print" });
  assert.equal(await sheet.locator(".masthead").isVisible(), false);
  const columns = await sheet.evaluate(
    () => getComputedStyle(document.querySelector(".qr-sheet")).gridTemplateColumns.split(" ").length,
  );
  assert.equal(columns, 3);
  const codes = await sheet.locator(".qr-card svg").count();
  const pdf = await sheet.pdf({ path: path.join(outDir, "qr-sheet.pdf"), preferCSSPageSize: true });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.equal(pages, Math.ceil(codes / 9), `${codes} codes on ${pages} A4 pages`);
  await context.close();
});

test("the pages' Content-Security-Policy runs the theme's script and no other", async () => {
  const context = await phoneContext();
  await context.addInitScript(() => localStorage.setItem("weikan-size", "xl"));
  const page = await context.newPage();
  const violations = [];
  page.on("console", (m) => m.type() === "error" && violations.push(m.text()));
  await page.goto(url(pageTypes()[3].path));
  // The theme's inline script is allowed by its hash: the saved size applied.
  assert.equal(await page.getAttribute("html", "data-size"), "xl");
  assert.deepEqual(violations, []);
  // A script that gets into a page any other way does not run.
  const ran = await page.evaluate(() => {
    const s = document.createElement("script");
    s.textContent = "window.injected = true";
    document.head.append(s);
    return window.injected === true;
  });
  assert.equal(ran, false);
  assert.ok(violations.some((v) => v.includes("Content Security Policy")), violations.join("\n"));
  await context.close();
});

test("the Nu HTML Checker finds no errors in any page or the stylesheet", () => {
  const vnu = require.resolve("vnu-jar/build/dist/vnu.jar");
  // Every page and stylesheet. A 公众号 正文 (`wechat/<n>/<slug>/article.html`)
  // is a fragment made to be pasted, not a document; tests/suite/wechat.rs
  // checks it against its own rules.
  const isFragment = (f) => /^wechat\/.+\/article\.html$/.test(f.split(path.sep).join("/"));
  const files = fs
    .readdirSync(siteDir, { recursive: true })
    .filter((f) => /\.(html|css)$/.test(f) && !isFragment(f))
    .map((f) => path.join(siteDir, f));
  const run = spawnSync(
    "java",
    ["-jar", vnu, "--errors-only", "--also-check-css", "--format", "json", ...files],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  assert.equal(run.error, undefined, `could not start java: ${run.error}`);
  const { messages } = JSON.parse(run.stderr || run.stdout);
  const errors = messages.filter((m) => m.type === "error" || m.subType === "fatal");
  assert.deepEqual(
    errors.map((m) => `${path.relative(siteDir, fileURLToPath(m.url))}:${m.lastLine}: ${m.message}`),
    [],
  );
  assert.ok(files.length > 40, `checked ${files.length} files`);
});
