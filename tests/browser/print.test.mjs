// The print booklets (/issues/<n>/print/) on paper: Debian's Chromium prints
// every issue of the sample site to PDF, once as the site is (A4) and once
// from a copy whose site.toml says paper = "A5", and poppler (pdfinfo,
// pdftotext, pdftoppm) and zbar (zbarimg) read the PDFs back as a person
// holding the booklet would: the paper size, the cover, each article
// starting its own page in reading order, no blank page, page numbers,
// the help lines on the last page, a cover QR code that opens the issue.
// On screen: the 打印 button, the line for readers without JavaScript,
// axe-core and the Nu HTML Checker.
//
// Everything is written under target/browser/print/. Run through
// scripts/test, which installs Chromium, poppler-utils and zbar-tools.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { chromiumArgs, repo, bin, chromiumPath, siteToml } from "./harness.mjs";

const require = createRequire(import.meta.url);
const outDir = path.join(repo, "target", "browser", "print");

const baseUrl = siteToml.match(/^base_url\s*=\s*"([^"]+)"/m)[1];
const basePath = new URL(baseUrl).pathname;
const journal = siteToml.match(/^title\s*=\s*"([^"]+)"/m)[1];
const hotlineNumbers = [...siteToml.matchAll(/^number\s*=\s*"([^"]+)"/gm)].map((m) => m[1]);

// Paper sizes in PostScript points, as pdfinfo reports them.
const PAPERS = {
  A4: { width: 595.28, height: 841.89 },
  A5: { width: 419.53, height: 595.28 },
};

/** Text with every kind of white space removed: PDF text breaks lines
 * wherever the layout did, and Chinese has no spaces to keep. */
const squeeze = (s) => s.replace(/\s+/g, "");

/** Copies the sample site (settings and content only) to `dir`, with
 * `[print] paper` set to `paper`. */
function sampleSiteWithPaper(dir, paper) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const part of ["issues", "content", "static"]) {
    if (fs.existsSync(path.join(repo, part))) fs.cpSync(path.join(repo, part), path.join(dir, part), { recursive: true });
  }
  const toml = siteToml.replace(/^paper\s*=\s*"A4"/m, `paper = "${paper}"`);
  assert.notEqual(toml, siteToml, "the sample site.toml says paper = \"A4\"");
  fs.writeFileSync(path.join(dir, "site.toml"), toml);
}

/** Serves the built site `root` under the base path on a free loopback port. */
function serve(root) {
  const server = createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, "http://loopback").pathname);
    let file = null;
    if (rel.startsWith(basePath)) {
      const inside = rel.slice(basePath.length);
      const candidate = path.join(root, inside, inside === "" || inside.endsWith("/") ? "index.html" : "");
      if (candidate.startsWith(root) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) file = candidate;
    }
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    const type = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml" };
    res.writeHead(200, { "content-type": type[path.extname(file)] ?? "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** The issue numbers of a built site, from its folders. */
const issueNumbers = (site) =>
  fs
    .readdirSync(path.join(site, "issues"))
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);

const run = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20 });

/** Each page's size in points, from pdfinfo. */
function pageSizes(pdf) {
  const info = run("pdfinfo", ["-f", "1", "-l", "9999", pdf]);
  return [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => ({
    width: Number(m[1]),
    height: Number(m[2]),
  }));
}

/** Each page's text, from pdftotext in the order Chromium drew it (its
 * layout mode splits a line where Latin digits meet Chinese). */
function pageTexts(pdf) {
  const pages = run("pdftotext", ["-raw", "-enc", "UTF-8", pdf, "-"]).split("\f");
  pages.pop(); // the text ends with a form feed
  return pages;
}

/** What zbarimg reads from page `n` of `pdf`, rendered at 150 dpi. */
function qrCodesOnPage(pdf, n) {
  const prefix = pdf.replace(/\.pdf$/, `-page${n}`);
  run("pdftoppm", ["-f", String(n), "-l", String(n), "-r", "150", "-png", "-singlefile", pdf, prefix]);
  const scan = spawnSync("zbarimg", ["--raw", "-q", "-Sdisable", "-Sqrcode.enable", `${prefix}.png`], { encoding: "utf8" });
  assert.equal(scan.error, undefined, `could not start zbarimg: ${scan.error}`);
  return scan.stdout.split("\n").filter(Boolean);
}

const sites = {};
let browser;
const counts = [];

before(async () => {
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const paper of Object.keys(PAPERS)) {
    const root = paper === "A4" ? repo : path.join(outDir, "a5-source");
    if (paper !== "A4") sampleSiteWithPaper(root, paper);
    const output = path.join(outDir, paper.toLowerCase(), "site");
    execFileSync(bin, ["build", "--root", root, "--output", output], { stdio: "inherit" });
    const server = await serve(output);
    sites[paper] = { output, server, url: (p) => `http://127.0.0.1:${server.address().port}${basePath}${p}` };
  }
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  for (const s of Object.values(sites)) s.server.close();
  if (counts.length) {
    const rows = counts.map((c) => `| ${c.issue} | ${c.paper} | ${c.pages} | ${path.relative(repo, c.pdf)} |`);
    const table = ["| issue | paper | pages | PDF |", "|---|---|---|---|", ...rows].join("\n");
    fs.writeFileSync(path.join(outDir, "pages.md"), table + "\n");
    console.log(`\nPrint booklets:\n${table}\n`);
  }
});

/** Opens a page, failing on console errors and requests off loopback. */
async function open(context, address) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  page.on("request", (r) => new URL(r.url()).hostname !== "127.0.0.1" && problems.push(`request off loopback: ${r.url()}`));
  const response = await page.goto(address, { waitUntil: "load" });
  assert.equal(response.status(), 200, address);
  return { page, problems };
}

/** The issue page's own list of its articles, in reading order. */
async function articleTitles(context, site, n) {
  const { page } = await open(context, site.url(`issues/${n}/`));
  const titles = await page.locator(".cards .card-title").allTextContents();
  await page.close();
  return titles.map((t) => t.replace(/草稿$/, "").trim());
}

for (const [paper, size] of Object.entries(PAPERS)) {
  test(`every issue prints as a ${paper} booklet: cover, one article a page, help lines last`, async () => {
    const site = sites[paper];
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const numbers = issueNumbers(site.output);
    assert.ok(numbers.length >= 5, `found issues ${numbers}`);
    for (const n of numbers) {
      const titles = await articleTitles(context, site, n);
      assert.ok(titles.length > 0, `issue ${n} lists its articles`);
      const { page, problems } = await open(context, site.url(`issues/${n}/print/`));
      const cover = {
        title: await page.locator(".booklet-cover h1").textContent(),
        date: await page.locator(".cover-date").textContent(),
        note: await page.locator(".booklet-cover .note p").first().textContent(),
      };
      const headings = new Set((await page.locator(".booklet :is(h2, h3, h4, h5, h6)").allTextContents()).map(squeeze));
      const pdf = path.join(outDir, paper.toLowerCase(), `issue-${n}.pdf`);
      await page.pdf({ path: pdf, preferCSSPageSize: true });
      assert.deepEqual(problems, [], `issue ${n}`);
      await page.close();

      const where = `${paper} issue ${n}`;
      const sizes = pageSizes(pdf);
      const texts = pageTexts(pdf);
      assert.equal(sizes.length, texts.length, where);
      counts.push({ issue: n, paper, pages: sizes.length, pdf });
      for (const [i, s] of sizes.entries()) {
        assert.ok(
          Math.abs(s.width - size.width) < 1 && Math.abs(s.height - size.height) < 1,
          `${where} page ${i + 1} is ${s.width} x ${s.height} pt`,
        );
      }

      // No blank page: each has text besides its page number, and each page
      // after the cover is numbered "k / total" in its footer, drawn
      // before or after the page's own text.
      const total = texts.length;
      const bodies = texts.map((t, i) => {
        const page = squeeze(t);
        const number = `${i + 1}/${total}`;
        if (i === 0) {
          assert.ok(!page.startsWith(number) && !page.endsWith(number), `${where}: the cover carries a number`);
          return page;
        }
        if (page.startsWith(number)) return page.slice(number.length);
        assert.ok(page.endsWith(number), `${where} page ${i + 1} lacks "${number}":\n${t}`);
        return page.slice(0, -number.length);
      });
      for (const [i, b] of bodies.entries()) assert.ok(b.length > 0, `${where} page ${i + 1} is blank`);

      // No heading is left alone at the foot of a page (as its last line,
      // or its last two when it wraps).
      for (const [i, t] of texts.entries()) {
        const lines = t.split("\n").map(squeeze).filter((l) => l && l !== `${i + 1}/${total}`);
        for (const k of [1, 2]) {
          const tail = lines.slice(-k).join("");
          assert.ok(!headings.has(tail), `${where}: page ${i + 1} ends with the heading "${tail}"`);
        }
      }

      // The cover.
      for (const part of [journal, `第${n}期`, cover.title, cover.date, cover.note, `${baseUrl}issues/${n}/`]) {
        assert.ok(bodies[0].includes(squeeze(part)), `${where}: "${part}" not on the cover:\n${texts[0]}`);
      }
      assert.deepEqual(qrCodesOnPage(pdf, 1), [`${baseUrl}issues/${n}/`], `${where}: the cover's QR code`);

      // Each article opens its own page, with its title first, in order.
      const starts = titles.map((title) => bodies.findIndex((b) => b.startsWith(squeeze(title))));
      assert.ok(starts.every((p) => p > 0), `${where}: an article does not start a page: ${titles} at ${starts}`);
      assert.deepEqual([...starts].sort((a, b) => a - b), starts, `${where}: articles out of order`);
      assert.equal(new Set(starts).size, starts.length, `${where}: two articles share a page`);

      // The help lines, large, on the last page and nowhere else.
      const last = bodies[total - 1];
      assert.ok(last.startsWith("需要帮助，请拨打"), `${where}: last page:\n${texts[total - 1]}`);
      for (const number of hotlineNumbers) {
        assert.ok(last.includes(squeeze(number)), `${where}: ${number} not on the last page`);
      }
      assert.ok(
        bodies.slice(0, -1).every((b) => !b.includes("需要帮助，请拨打")),
        `${where}: the hotline section is not only on the last page`,
      );
    }
    await context.close();
  });
}

test("in print: body at least 12 pt, no navigation, links as their text, headings kept with what follows", async () => {
  for (const [paper, site] of Object.entries(sites)) {
    const context = await browser.newContext();
    await context.addInitScript(() => localStorage.setItem("weikan-size", "xl"));
    // Issue 1 has an image and links in its articles.
    const { page } = await open(context, site.url("issues/1/print/"));
    await page.emulateMedia({ media: "print" });
    for (const hidden of [".site-nav", ".textsize", ".masthead", ".hotlines", ".print-toolbar", ".site-footer"]) {
      assert.equal(await page.locator(hidden).first().isVisible(), false, `${paper}: ${hidden} prints`);
    }
    const style = await page.evaluate(() => {
      const css = (sel, prop, pseudo) => getComputedStyle(document.querySelector(sel), pseudo)[prop];
      const link = document.querySelector(".booklet .body a[href]");
      return {
        body: parseFloat(css(".booklet .body p", "fontSize")),
        number: parseFloat(css(".help-number", "fontSize")),
        linkAfter: getComputedStyle(link, "::after").content,
        linkColor: getComputedStyle(link).color,
        heading: css(".booklet-article h2", "breakAfter"),
        subheading: css(".booklet .body h3", "breakAfter"),
        image: css(".booklet .body img", "breakInside"),
        article: css(".booklet-article", "breakBefore"),
      };
    });
    // 12 pt is 16 CSS px; the reader's 特大 on screen does not change paper.
    assert.ok(style.body >= 16, `${paper}: body ${style.body}px`);
    const points = paper === "A4" ? 14 : 12;
    assert.ok(Math.abs(style.body - (points * 4) / 3) < 0.01, `${paper}: body ${style.body}px, not ${points} pt`);
    assert.ok(style.number >= style.body * 2, `${paper}: help numbers at ${style.number}px`);
    assert.ok(style.linkAfter === "none" || style.linkAfter === "normal", `${paper}: a link prints ${style.linkAfter}`);
    assert.equal(style.linkColor, "rgb(0, 0, 0)");
    assert.equal(style.heading, "avoid");
    assert.equal(style.subheading, "avoid");
    assert.equal(style.image, "avoid");
    assert.equal(style.article, "page");
    await context.close();
  }
});

test("on screen: a 打印 button that prints, and without JavaScript a line saying how", async () => {
  const site = sites.A4;
  const phone = { viewport: { width: 360, height: 740 } };
  const context = await browser.newContext(phone);
  await context.addInitScript(() => {
    window.__printed = 0;
    window.print = () => window.__printed++;
  });
  const issue = (await open(context, site.url("issues/5/"))).page;
  await issue.getByRole("link", { name: "打印本期", exact: true }).click();
  await issue.waitForURL(site.url("issues/5/print/"));
  const button = issue.getByRole("button", { name: "打印" });
  assert.ok(await button.isVisible());
  const box = await button.boundingBox();
  assert.ok(box.width >= 44 && box.height >= 44, `button ${box.width} x ${box.height}`);
  assert.equal(await issue.locator(".print-nojs").isVisible(), false);
  await button.click();
  assert.equal(await issue.evaluate(() => window.__printed), 1);
  assert.equal(
    await issue.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
    0,
    "the booklet scrolls sideways at 360 px",
  );
  await issue.screenshot({ path: path.join(outDir, "screen-a4-issue-5.png"), fullPage: true });
  await context.close();

  const noJs = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const { page } = await open(noJs, site.url("issues/5/print/"));
  assert.equal(await page.locator(".print-button").isVisible(), false);
  assert.match(await page.locator(".print-nojs").textContent(), /浏览器.*打印/);
  assert.ok(await page.locator(".print-nojs").isVisible());
  await noJs.close();
});

test("axe-core finds no serious or critical violation on a booklet, light or dark", async () => {
  const axe = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const found = [];
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: scheme });
    const { page } = await open(context, sites.A4.url("issues/1/print/"));
    await page.evaluate(axe);
    const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    found.push(
      ...violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${scheme}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    );
    await context.close();
  }
  assert.deepEqual(found, []);
});

test("the Nu HTML Checker finds no errors in the booklets or print.css", () => {
  const vnu = require.resolve("vnu-jar/build/dist/vnu.jar");
  const files = Object.values(sites).flatMap((s) => [
    ...issueNumbers(s.output).map((n) => path.join(s.output, "issues", String(n), "print", "index.html")),
    path.join(s.output, "print.css"),
  ]);
  const check = spawnSync("java", ["-jar", vnu, "--errors-only", "--also-check-css", "--format", "json", ...files], {
    encoding: "utf8",
  });
  assert.equal(check.error, undefined, `could not start java: ${check.error}`);
  const { messages } = JSON.parse(check.stderr || check.stdout);
  const errors = messages.filter((m) => m.type === "error" || m.subType === "fatal");
  assert.deepEqual(
    errors.map((m) => `${path.relative(outDir, fileURLToPath(m.url))}:${m.lastLine}: ${m.message}`),
    [],
  );
});
