// 公众号 pages in a real browser (Debian's Chromium via playwright-core),
// with clipboard permission granted: 复制正文 leaves exactly the 正文
// fragment on the clipboard as text/html (through the async Clipboard API,
// and through the copy event where that API is missing), every copy button
// copies its field and says so in the live region, the preview shows the
// 正文 at phone width, and axe-core finds nothing on the page. Screenshots go
// to target/browser/wechat/screenshots/.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { chromiumArgs, repo, bin, chromiumPath, basePath } from "./harness.mjs";

const require = createRequire(import.meta.url);
const outDir = path.join(repo, "target", "browser", "wechat");
const siteDir = path.join(outDir, "site");
const shotDir = path.join(outDir, "screenshots");
const PAGE = "wechat/1/relax-lesson/";

const types = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".jpg": "image/jpeg",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** Serves `root` under `prefix` on a free loopback port. */
function serve(root, prefix) {
  const server = createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://loopback").pathname);
    if (!rel.startsWith(prefix)) return res.writeHead(404).end();
    rel = rel.slice(prefix.length);
    const file = path.join(root, rel, rel === "" || rel.endsWith("/") ? "index.html" : "");
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, host: `127.0.0.1:${server.address().port}` })));
}

let http;
let browser;

before(async () => {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(shotDir, { recursive: true });
  execFileSync(bin, ["build", "--root", repo, "--output", siteDir], { stdio: "inherit" });
  http = await serve(siteDir, basePath);
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  http?.server.close();
});

const url = (p) => `http://${http.host}${basePath}${p}`;
const fragment = () => fs.readFileSync(path.join(siteDir, PAGE, "article.html"), "utf8");

/** An editor's desktop browser that lets the page use the clipboard. */
async function editor(init) {
  const context = await browser.newContext({
    viewport: { width: 1024, height: 900 },
    permissions: ["clipboard-read", "clipboard-write"],
  });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  // Two kinds of console error are expected: Chromium parses text/html put
  // on the clipboard in the page's own context, whose policy reports the
  // 正文's inline styles (which it keeps: the copy tests compare them), and
  // the preview asks for the 正文's images at the published address, which
  // does not resolve here.
  const expected = /Applying inline style violates|ERR_NAME_NOT_RESOLVED/;
  page.on("console", (m) => m.type() === "error" && !expected.test(m.text()) && problems.push(`console: ${m.text()}`));
  await page.goto(url(PAGE), { waitUntil: "load" });
  return { context, page, problems };
}

/** What the clipboard holds now, read as the page sees it. */
const clipboard = (page) =>
  page.evaluate(async () => {
    const [item] = await navigator.clipboard.read({ unsanitized: ["text/html"] });
    const read = async (type) => (item.types.includes(type) ? (await item.getType(type)).text() : null);
    return { html: await read("text/html"), text: await read("text/plain") };
  });

/** The HTML a browser put on the clipboard, without the document or
 * charset wrapper it may add around what the page wrote. */
const unwrap = (html) =>
  html
    .replace(/^<meta charset=['"]utf-8['"]>/, "")
    .replace(/^<html><head><\/head><body>/, "")
    .replace(/<\/body><\/html>$/, "");

/** Presses the button named `name` and waits for the live region to say `said`. */
async function press(page, name, said) {
  await page.getByRole("button", { name, exact: true }).click();
  await page.waitForFunction((s) => document.querySelector(".wechat-status").textContent === s, said);
}

test("复制正文 leaves exactly the 正文 on the clipboard as text/html, with its text as plain text", async () => {
  const { context, page, problems } = await editor();
  await press(page, "复制正文", "已复制正文");
  const { html, text } = await clipboard(page);
  // Chromium stores text/html written through the async API as a whole
  // document; the 正文 is its body, byte for byte.
  assert.equal(unwrap(html), fragment());
  assert.ok(text.startsWith("睡前心里静不下来"), text.slice(0, 40));
  assert.ok(!text.includes("<"), "plain text has no markup");
  assert.equal(await page.locator(".wechat-status").getAttribute("aria-live"), "polite");
  assert.deepEqual(problems, []);
  await context.close();
});

test("without the async Clipboard API the copy event carries the same 正文", async () => {
  const { context, page, problems } = await editor(() => {
    delete window.ClipboardItem;
  });
  await press(page, "复制正文", "已复制正文");
  const { html } = await clipboard(page);
  // The copy event's HTML is written as given; Chromium may wrap it in a
  // <meta charset> when it reads it back.
  assert.equal(unwrap(html), fragment());
  assert.deepEqual(problems, []);
  await context.close();
});

test("every field's button copies that field", async () => {
  const { context, page, problems } = await editor();
  for (const [id, field] of [["wechat-title", "标题"], ["wechat-author", "作者"], ["wechat-digest", "摘要"], ["wechat-url", "原文链接"]]) {
    await press(page, `复制${field}`, `已复制${field}`);
    const shown = await page.locator(`#${id}`).textContent();
    assert.ok(shown.length > 0, id);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown, id);
  }
  assert.equal(await page.locator("#wechat-url").textContent(), "https://example.org/weikan/issues/1/relax-lesson/");
  // The article names its authors; they, not `[wechat] author`, are the 作者.
  assert.equal(await page.locator("#wechat-author").textContent(), "社区心理服务中心");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the preview shows the 正文 at phone width, with its styles and pictures", async () => {
  const { context, page } = await editor();
  const frame = page.frameLocator("iframe.wechat-preview");
  const box = await page.locator("iframe.wechat-preview").boundingBox();
  assert.equal(Math.round(box.width), 375);
  const size = await frame.locator("p").first().evaluate((p) => getComputedStyle(p).fontSize);
  assert.equal(size, "16px");
  await page.locator("iframe.wechat-preview").scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shotDir, "wechat-page.png"), fullPage: true });
  await context.close();
});

test("axe-core finds nothing on a 公众号 page or on /wechat/", async () => {
  const axe = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const { context, page } = await editor();
  for (const p of [PAGE, "wechat/"]) {
    await page.goto(url(p), { waitUntil: "load" });
    await page.evaluate(axe);
    const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    assert.deepEqual(violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target).join(" ")}`), [], p);
  }
  await context.close();
});
