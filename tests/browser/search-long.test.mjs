// Offline search on a bigger site, where the index splits long postings
// into files of their own and indexes the closing paragraph every article
// shares once: examples/corpus writes 800 articles (built by
// `cargo test`, as scripts/test runs it first), weikan builds them into
// target/browser/search-long/, and long queries, which the page answers
// with triples at their distances, are run in Chromium and compared with a
// plain scan of every article's stored title and text.
//
// Run through scripts/test, which installs what is missing first.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { repo, bin, chromiumPath, chromiumArgs } from "./harness.mjs";
import { fold } from "./search-fold.mjs";

const outDir = path.join(repo, "target", "browser", "search-long");
const srcDir = path.join(outDir, "src");
const siteDir = path.join(outDir, "site");
const corpus = path.join(repo, "target", "debug", "examples", "corpus");

// Long runs of the corpus's sentences (one whole sentence with its
// punctuation), a run across two sentences, several parts, and a long run
// that occurs nowhere though each of its triples does.
const QUERIES = [
  "如果情绪低落或失眠持续两周以上，请找专业人员聊一聊。",
  "如果情绪低落或失眠持续两周以上",
  "睡前一小时把手机放远一点",
  "慢慢呼吸几次 十五分钟",
  "照顾年迈的父母，也别忘了照顾好自己",
  "如果情绪低落或失眠持续两周以下",
];


let server;
let browser;
let origin;
let docs; // every article's stored title, text and link
let manifest;

before(async () => {
  assert.ok(fs.existsSync(corpus), `${corpus} is missing: run cargo test --all-targets first`);
  fs.rmSync(outDir, { recursive: true, force: true });
  execFileSync(corpus, [srcDir, "80", "10"], { stdio: "ignore" });
  server = createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const file = path.join(siteDir, rel, rel.endsWith("/") ? "index.html" : "");
    if (!file.startsWith(siteDir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": file.endsWith(".html") ? "text/html; charset=utf-8" : file.endsWith(".js") ? "text/javascript" : "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  execFileSync(bin, ["build", "--root", srcDir, "--output", siteDir, "--base-url", origin + "/"], { stdio: "inherit" });
  const search = path.join(siteDir, "search");
  manifest = JSON.parse(fs.readFileSync(path.join(search, "index.json"), "utf8"));
  docs = [];
  for (let k = 0; k * manifest.block < manifest.docs; k++) {
    const hash = manifest.d.substr(k * 6, 6);
    docs.push(...JSON.parse(fs.readFileSync(path.join(search, "d", `${k}-${hash}.json`), "utf8")));
  }
  assert.equal(docs.length, 800);
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** Links of the articles whose folded title or text holds every part. */
const scan = (query) => {
  const parts = fold(query).split(/\s+/).filter(Boolean);
  return docs.filter((d) => parts.every((p) => fold(d.t).includes(p) || fold(d.x).includes(p))).map((d) => d.u);
};

test("long queries find exactly what a scan finds, through postings in files of their own and shared lines", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const fetched = [];
  page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  for (const query of QUERIES) {
    await page.goto(`${origin}/search/#q=${encodeURIComponent(query)}`);
    await page.reload();
    await page.waitForFunction(() => /^(找到|没有找到)/.test(document.getElementById("search-status").textContent));
    while (await page.locator("#search-more").isVisible()) {
      const shown = await page.locator("#search-results > li").count();
      await page.click("#search-more");
      await page.waitForFunction((n) => document.querySelectorAll("#search-results > li").length > n, shown);
    }
    const found = await page.$$eval("#search-results > li h2 a", (links) => links.map((a) => a.getAttribute("href")));
    const expected = scan(query);
    assert.deepEqual([...found].sort(), [...expected].sort(), query);
    const status = await page.textContent("#search-status");
    assert.equal(status, expected.length ? `找到 ${expected.length} 篇` : status, query);
    if (!expected.length) assert.ok(status.startsWith("没有找到"), `${query}: ${status}`);
  }
  // Postings fetched by name from a shard, not from the manifest.
  const listed = new Set();
  manifest.p.forEach((names, r) => {
    for (let b = 0; b * 6 < names.length; b++) listed.add(`/search/p/${r}-${b}-${names.substr(b * 6, 6)}.bin`);
  });
  const own = fetched.filter((p) => p.startsWith("/search/p/") && !listed.has(p));
  assert.ok(own.length > 0, "no posting file of its own was fetched");
  // The closing paragraph every article shares, from its range's list.
  assert.ok(
    fetched.some((p) => p === `/search/s/0-${manifest.s.substr(0, 6)}.bin`),
    "no list of shared lines was fetched",
  );
  assert.deepEqual(errors, []);
  await context.close();
});
