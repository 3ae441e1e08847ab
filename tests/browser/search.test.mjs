// Offline search (/search/) in a real browser: Debian's Chromium driven by
// playwright-core. A copy of the sample site, plus one article with Latin
// and full-width text, is built with the weikan binary into
// target/browser/search/ and served from loopback on its own port. Every
// query of a set is run through the page and its results are compared with
// a plain scan of the text of the built article pages.
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
import { chromium } from "playwright-core";
import { chromiumArgs, repo, bin, chromiumPath } from "./harness.mjs";
import { fold } from "./search-fold.mjs";

const require = createRequire(import.meta.url);
const outDir = path.join(repo, "target", "browser", "search");
const srcDir = path.join(outDir, "src");
const siteDir = path.join(outDir, "site");
const phone = { width: 360, height: 740 };

// One article beside the sample's with what the sample lacks: Latin in
// mixed case and full-width letters and digits.
const LATIN_ARTICLE = `+++
title = "用 WHO-5 量表看看最近的心情"
audiences = ["workers"]
+++

WHO-5 Well-Being Index 是世界卫生组织的一份五题小问卷，满分２５分。

它只是一个参考，不是诊断。Sleep 不好、心情低落持续两周以上，请拨打 １２３５６ 或去医院心理科看看。
`;

// Queries: one character, pairs, runs across what a dictionary calls a
// word boundary, traditional characters, Latin in any case and width,
// several parts, punctuation, and ones that find nothing.
const QUERIES = [
  "睡",
  "眠",
  "失眠",
  "睡不着",
  "上睡",
  "呼吸",
  "慢慢呼气",
  "孩子",
  "热线",
  "12356",
  "１２３５６",
  "who-5",
  "Ｗｈｏ",
  "sleep",
  "SLEEP",
  "well-being index",
  "25",
  "睡 呼吸",
  "孩子 手机",
  "不是你的錯",
  "這是",
  "求助。",
  "：",
  "两周以上",
  "量子力学",
  "睡 量子",
  "ｚｚｚ",
];

const partsOf = (query) => fold(query).split(/[\s\u0085]+/).filter(Boolean);

const types = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

/** Serves the site under `prefix`, gzipped, logging each request's URL and
 * headers as the host would see them. */
function serve(root, prefix) {
  const seen = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      seen.push({ url: req.url, method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString() });
      const rel = decodeURIComponent(new URL(req.url, "http://loopback").pathname);
      let file = null;
      if (rel.startsWith(prefix)) {
        const sub = rel.slice(prefix.length);
        const candidate = path.join(root, sub, sub === "" || sub.endsWith("/") ? "index.html" : "");
        if (candidate.startsWith(root) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) file = candidate;
      }
      const status = file ? 200 : 404;
      file ??= path.join(root, "404.html");
      const body = gzipSync(fs.readFileSync(file));
      res.writeHead(status, {
        "content-type": types[path.extname(file)] ?? "application/octet-stream",
        "content-encoding": "gzip",
        "content-length": body.length,
      });
      res.end(body);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, seen, host: `127.0.0.1:${server.address().port}` })),
  );
}

let http;
let browser;
let basePath;
let articles; // what a scan of the built article pages finds
const report = [];

before(async () => {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(srcDir, { recursive: true });
  for (const item of ["site.toml", "issues", "content"]) {
    fs.cpSync(path.join(repo, item), path.join(srcDir, item), { recursive: true });
  }
  fs.writeFileSync(path.join(srcDir, "issues", "2026-10-help", "09-who5.md"), LATIN_ARTICLE);
  execFileSync(bin, ["build", "--root", srcDir, "--output", siteDir], { stdio: "inherit" });
  const toml = fs.readFileSync(path.join(srcDir, "site.toml"), "utf8");
  basePath = new URL(toml.match(/^base_url\s*=\s*"([^"]+)"/m)[1]).pathname;
  http = await serve(siteDir, basePath);
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  articles = await scanArticles();
});

after(async () => {
  await browser?.close();
  http?.server.close();
  if (report.length) {
    const table = [
      "| query | expected | found | recall | precision |",
      "|---|---|---|---|---|",
      ...report.map((r) => `| ${r.query} | ${r.expected} | ${r.found} | ${r.recall} | ${r.precision} |`),
    ].join("\n");
    fs.writeFileSync(path.join(outDir, "queries.md"), table + "\n");
    console.log(`\nSearch on the sample site against a scan of its pages:\n${table}\n`);
  }
});

const url = (p) => `http://${http.host}${basePath}${p}`;
const phoneContext = (options = {}) =>
  browser.newContext({ viewport: phone, deviceScaleFactor: 1, ...options });

/** Title, summary, body text, date and link of every built article page,
 * read from the page in the browser as a reader would see it. */
async function scanArticles() {
  const issuesDir = path.join(siteDir, "issues");
  const paths = [];
  for (const n of fs.readdirSync(issuesDir).filter((n) => /^\d+$/.test(n))) {
    for (const e of fs.readdirSync(path.join(issuesDir, n), { withFileTypes: true })) {
      if (e.isDirectory() && !["qr", "print"].includes(e.name)) paths.push(`issues/${n}/${e.name}/`);
    }
  }
  const context = await phoneContext();
  const page = await context.newPage();
  const found = [];
  for (const p of paths) {
    await page.goto(url(p));
    const a = await page.evaluate(() => ({
      title: document.querySelector(".article h1").firstChild.textContent.trim(),
      summary: document.querySelector('meta[name="description"]')?.content ?? "",
      body: document.querySelector(".article .body").innerText,
      date: document.querySelector(".article time").getAttribute("datetime"),
    }));
    found.push({ ...a, url: basePath + p });
  }
  await context.close();
  assert.ok(found.length >= 20, `scanned ${found.length} articles`);
  return found;
}

/** The articles holding every part of `query`: a plain scan. */
function scan(query) {
  const parts = partsOf(query);
  return articles.filter((a) => {
    const fields = [a.title, a.summary, a.body].map(fold);
    return parts.length && parts.every((t) => fields.some((f) => f.includes(t)));
  });
}

/** Every result of `query` on the page (showing more until all are
 * shown), with the count line. */
async function results(page, query, { typed = false } = {}) {
  if (typed) {
    await page.fill("#search-q", query);
  } else {
    await page.evaluate((q) => (location.hash = "q=" + encodeURIComponent(q)), query);
  }
  // Done when the fragment and the box hold this query and the count line
  // (cleared when a search starts) is back.
  await page.waitForFunction((want) => {
    const s = document.querySelector("#search-status").textContent;
    return (
      location.hash === "#q=" + encodeURIComponent(want) &&
      document.querySelector("#search-q").value === want &&
      (s.startsWith("找到") || s.startsWith("没有找到"))
    );
  }, query);
  while (await page.locator("#search-more").isVisible()) {
    const before = await page.locator("#search-results > li").count();
    await page.click("#search-more");
    await page.waitForFunction((n) => document.querySelectorAll("#search-results > li").length > n, before);
  }
  return page.evaluate(() => ({
    status: document.querySelector("#search-status").textContent,
    hits: [...document.querySelectorAll("#search-results > li")].map((li) => ({
      url: li.querySelector("h2 a").getAttribute("href"),
      title: li.querySelector("h2 a").textContent,
      meta: li.querySelector(".meta").textContent,
      date: li.querySelector("time").getAttribute("datetime"),
      snippet: li.querySelector(".summary").textContent,
      marks: [...li.querySelectorAll("mark")].map((m) => m.textContent),
      audiences: li.querySelector(".audiences").textContent,
    })),
    none: !document.querySelector("#search-none").hidden,
  }));
}

test("every query finds exactly what a scan of the built pages finds", async () => {
  const context = await phoneContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // A Content-Security-Policy refusal shows as a console error.
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(url("search/"));
  for (const [k, query] of QUERIES.entries()) {
    const got = await results(page, query, { typed: k % 2 === 0 });
    const expected = new Set(scan(query).map((a) => a.url));
    const found = new Set(got.hits.map((h) => h.url));
    const right = [...found].filter((u) => expected.has(u)).length;
    const recall = expected.size ? right / expected.size : 1;
    const precision = found.size ? right / found.size : 1;
    report.push({ query, expected: expected.size, found: found.size, recall, precision });
    assert.equal(found.size, got.hits.length, `${query}: a result listed twice`);
    assert.deepEqual([...found].sort(), [...expected].sort(), `results of ${query}`);
    if (expected.size) assert.equal(got.status, `找到 ${expected.size} 篇`, query);
    else assert.ok(got.none && got.status.startsWith("没有找到"), `${query}: ${got.status}`);
  }
  assert.ok(report.filter((r) => r.expected > 0).length >= 18, "most queries find something");
  assert.deepEqual(errors, []);
  await context.close();
});

test("results: title matches first, then newest; title, issue, date, audiences and a marked snippet", async () => {
  const context = await phoneContext();
  const page = await context.newPage();
  await page.goto(url("search/#q=" + encodeURIComponent("睡")));
  const got = await results(page, "睡");
  const inTitle = got.hits.map((h) => fold(h.title).includes("睡"));
  assert.ok(inTitle.includes(true) && inTitle.includes(false), "both kinds of match in the set");
  assert.equal(inTitle.indexOf(false), inTitle.lastIndexOf(true) + 1, "title matches come first");
  for (const group of [true, false]) {
    const dates = got.hits.filter((_, i) => inTitle[i] === group).map((h) => h.date);
    assert.deepEqual(dates, [...dates].sort().reverse(), "newest first within each group");
  }
  for (const h of got.hits) {
    const scanned = articles.find((a) => a.url === h.url);
    assert.equal(h.title, scanned.title);
    assert.equal(h.date, scanned.date);
    assert.match(h.meta, /^\d{4}年\d{1,2}月\d{1,2}日 · 第\d+期$/);
    assert.match(h.audiences, /写给/);
    assert.ok(h.marks.length > 0 && h.marks.every((m) => fold(m) === "睡"), `${h.title}: ${h.marks}`);
    if (!fold(h.title).includes("睡") || fold(h.snippet).includes("睡")) {
      assert.ok(fold(h.snippet).includes("睡"), `${h.title}: snippet ${h.snippet}`);
    }
  }
  // A result is a real link to the article.
  await page.click("#search-results > li:first-child h2 a");
  await page.waitForURL(url(got.hits[0].url.slice(basePath.length)));
  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll("#search-results > li").length > 0);
  await context.close();
});

test("the query is in no request: URL, headers or body", async () => {
  const context = await phoneContext();
  const page = await context.newPage();
  const requests = [];
  page.on("request", async (r) => {
    requests.push({ url: r.url(), headers: await r.allHeaders(), body: r.postData() ?? "" });
  });
  const from = http.seen.length;
  const queries = ["睡不着", "Sleep 呼吸", "WHO-5"];
  await page.goto(url("search/#q=" + encodeURIComponent(queries[0])));
  await results(page, queries[0]);
  await results(page, queries[1], { typed: true });
  await results(page, queries[2], { typed: true });
  assert.ok(page.url().endsWith("#q=" + encodeURIComponent(queries[2])), page.url());
  await page.waitForTimeout(300);
  const atHost = http.seen.slice(from);
  assert.ok(requests.length >= 4 && atHost.length >= 4, `${requests.length} requests seen`);
  const needles = queries.flatMap((q) => partsOf(q).concat(q.split(" ")));
  const forms = needles.flatMap((n) => [n, encodeURIComponent(n), encodeURI(n), n.toLowerCase()]);
  for (const r of [...requests, ...atHost]) {
    const text = JSON.stringify(r);
    for (const f of forms) assert.ok(!text.includes(f), `a request carries ${f}: ${text}`);
    assert.ok(new URL(r.url, url("")).host === http.host, `off-site request: ${r.url}`);
  }
  await context.close();
});

test("nothing found: says so and links the archive and hotlines", async () => {
  const context = await phoneContext();
  const page = await context.newPage();
  await page.goto(url("search/#q=" + encodeURIComponent("量子力学")));
  const got = await results(page, "量子力学");
  assert.equal(got.hits.length, 0);
  assert.ok(got.none);
  assert.match(got.status, /^没有找到/);
  const links = await page.locator("#search-none a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.ok(links.includes(basePath + "issues/"), links.join(" "));
  assert.ok(links.includes(basePath + "hotlines/"), links.join(" "));
  assert.ok(links.some((l) => l.startsWith("tel:")), links.join(" "));
  await context.close();
});

test("without JavaScript: the page says search needs it and links archive and audiences", async () => {
  const context = await phoneContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url("search/#q=" + encodeURIComponent("睡")));
  assert.ok(await page.locator("#search-nojs").isVisible());
  assert.match(await page.locator("#search-nojs").textContent(), /JavaScript/);
  assert.equal(await page.locator("#search-form").isVisible(), false);
  const links = await page.locator("#search-nojs a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  const toml = fs.readFileSync(path.join(srcDir, "site.toml"), "utf8");
  const keys = [...toml.matchAll(/^key\s*=\s*"([^"]+)"/gm)].map((m) => m[1]);
  assert.ok(keys.length >= 4);
  assert.deepEqual(links, [basePath + "issues/", ...keys.map((k) => `${basePath}for/${k}/`)]);
  // Every page's header links to search, scripts or not.
  for (const p of ["", "issues/", "issues/1/", "hotlines/", "for/elders/", "no-such-page/"]) {
    await page.goto(url(p));
    const href = await page.locator(".masthead a.search-link").getAttribute("href");
    assert.equal(href, basePath + "search/", p);
  }
  await context.close();
});

test("at 特大 and 360 px: nothing scrolls sideways, controls are large", async () => {
  const context = await phoneContext();
  await context.addInitScript(() => localStorage.setItem("weikan-size", "xl"));
  const page = await context.newPage();
  await page.goto(url("search/#q=" + encodeURIComponent("睡不着")));
  await results(page, "睡不着");
  assert.equal(await page.getAttribute("html", "data-size"), "xl");
  const sideways = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  assert.equal(sideways, 0);
  const input = await page.locator("#search-q").boundingBox();
  assert.ok(input.height >= 44 && input.width >= 280, JSON.stringify(input));
  assert.equal(await page.locator("#search-q").getAttribute("type"), "search");
  const label = await page.locator('label[for="search-q"]').textContent();
  assert.ok(label.trim().length > 0);
  await page.screenshot({ path: path.join(outDir, "search-xl-360.png"), fullPage: false });
  await page.screenshot({ path: path.join(outDir, "search-xl-360-full.png"), fullPage: true });
  await context.close();
});

test("a title holding the match reads and wraps as one line of text, at 360 px in every type size", async () => {
  const query = "父母";
  const title = "照顾年迈的父母，也别忘了照顾自己";
  for (const size of ["", "xl"]) {
    const context = await phoneContext();
    if (size) await context.addInitScript((s) => localStorage.setItem("weikan-size", s), size);
    const page = await context.newPage();
    await page.goto(url("search/#q=" + encodeURIComponent(query)));
    await results(page, query);
    const layout = await page.evaluate((want) => {
      const link = [...document.querySelectorAll("#search-results h2 a")].find((a) => a.textContent === want);
      if (!link) return null;
      const box = link.getBoundingClientRect();
      const style = getComputedStyle(link);
      // One rect per piece of text per line, as the text itself lies.
      const pieces = [];
      const walker = document.createTreeWalker(link, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) {
          if (r.width > 0) pieces.push({ text: node.textContent, top: r.top, left: r.left, right: r.right });
        }
      }
      return {
        left: box.left + parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth),
        height: box.height,
        marks: [...link.querySelectorAll("mark")].map((m) => m.textContent),
        pieces,
      };
    }, title);
    assert.ok(layout, `${size || "default"}: no result titled ${title}`);
    assert.deepEqual(layout.marks, [query], `${size || "default"}: the match is marked`);
    const where = `${size || "default"} size: ${JSON.stringify(layout.pieces)}`;
    // Line boxes, by their top: text on one line shares it.
    const tops = [...new Set(layout.pieces.map((p) => Math.round(p.top)))].sort((a, b) => a - b);
    const lines = tops.map((top) => layout.pieces.filter((p) => Math.abs(p.top - top) < 2));
    // Each line starts at the link's left edge, as wrapped text does (a flex
    // column's second line starts inside its column).
    for (const line of lines) {
      const start = Math.min(...line.map((p) => p.left));
      assert.ok(Math.abs(start - layout.left) < 2, `a line starts at ${start}, not ${layout.left}: ${where}`);
    }
    // The mark follows the text before it on the same line, with no gap.
    const markAt = layout.pieces.findIndex((p) => p.text === query);
    const [before, mark] = [layout.pieces[markAt - 1], layout.pieces[markAt]];
    assert.ok(before && Math.abs(before.top - mark.top) < 2, `the mark is not on the line of the text before it: ${where}`);
    assert.ok(mark.left - before.right < 4, `a gap before the mark: ${where}`);
    // The text after it goes on from the mark's end, or from the next line's start.
    const end = layout.pieces.findLast((p) => p.text === query);
    const after = layout.pieces[layout.pieces.lastIndexOf(end) + 1];
    const goesOn = after && Math.abs(after.top - end.top) < 2 && after.left - end.right < 4;
    const wraps = after && after.top > end.top + 2 && Math.abs(after.left - layout.left) < 2;
    assert.ok(goesOn || wraps, `the text after the mark does not follow it: ${where}`);
    // The tap area stays large.
    assert.ok(layout.height >= 44, `the link is ${layout.height} px high`);
    await page.screenshot({ path: path.join(outDir, `search-title-${size || "default"}-360.png`) });
    await context.close();
  }
});

test("axe-core finds no serious or critical violation on /search/, with and without results", async () => {
  const axe = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  for (const colorScheme of ["light", "dark"]) {
    const context = await phoneContext({ colorScheme });
    const page = await context.newPage();
    for (const query of ["睡不着", "量子力学", ""]) {
      await page.goto(url("search/" + (query ? "#q=" + encodeURIComponent(query) : "")));
      if (query) await results(page, query);
      await page.evaluate(axe);
      const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      const bad = violations
        .filter((v) => ["serious", "critical"].includes(v.impact))
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`);
      assert.deepEqual(bad, [], `${colorScheme} ${query}`);
    }
    await context.close();
  }
});

test("the Nu HTML Checker finds no errors in /search/ and its stylesheet", () => {
  const vnu = require.resolve("vnu-jar/build/dist/vnu.jar");
  const files = [path.join(siteDir, "search", "index.html"), path.join(siteDir, "search.css")];
  const run = spawnSync("java", ["-jar", vnu, "--errors-only", "--also-check-css", "--format", "json", ...files], {
    encoding: "utf8",
  });
  assert.equal(run.error, undefined, `could not start java: ${run.error}`);
  const { messages } = JSON.parse(run.stderr || run.stdout);
  assert.deepEqual(
    messages.filter((m) => m.type === "error" || m.subType === "fatal").map((m) => `${m.lastLine}: ${m.message}`),
    [],
  );
});
