// Media for phones in a real browser (Debian's Chromium via playwright-core):
// the sample site's lesson article with its audio lesson and video, and its
// photo replaced by a 3000 × 2000 phone photo (made by examples/media.rs,
// which `cargo test --all-targets` builds; the sample keeps a smaller one to
// stay light in git). Proves that no media byte is fetched before play, what a
// 360 px phone at DPR 2 downloads for the photo, that captions load, and
// the read-aloud (朗读) control with a stubbed speechSynthesis.
// Everything is written under target/browser/media/.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { chromiumArgs as sharedArgs, repo, bin, chromiumPath, siteToml, basePath } from "./harness.mjs";

const require = createRequire(import.meta.url);
const outDir = path.join(repo, "target", "browser", "media");
const srcDir = path.join(outDir, "src");
const siteDir = path.join(outDir, "site");
const photoTool = process.env.WEIKAN_MEDIA_EXAMPLE ?? path.join(repo, "target", "debug", "examples", "media");
const shotDir = path.join(outDir, "screenshots");
const chromiumArgs = [
  ...sharedArgs,
  // play() from the test stands for the reader's tap on the button.
  "--autoplay-policy=no-user-gesture-required",
];

const ARTICLE = "issues/1/relax-lesson/";
// What the photo may cost a 360 px phone at DPR 2.
const PHOTO_BUDGET = 200 * 1024;

const types = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".jpg": "image/jpeg",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".mp3": "audio/mpeg",
  ".mp4": "video/mp4",
  ".vtt": "text/vtt; charset=utf-8",
};

/** Serves `root` under `prefix` on a free loopback port, logging each
 * request's path and bytes. Media answer range requests as hosts do. */
function serve(root, prefix) {
  const sent = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://loopback");
    let rel = decodeURIComponent(url.pathname);
    let file = null;
    if (rel.startsWith(prefix)) {
      rel = rel.slice(prefix.length);
      const candidate = path.join(root, rel, rel === "" || rel.endsWith("/") ? "index.html" : "");
      if (candidate.startsWith(root) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) file = candidate;
    }
    if (!file) {
      sent.push({ path: url.pathname, bytes: 0 });
      res.writeHead(404).end();
      return;
    }
    let body = fs.readFileSync(file);
    const headers = { "content-type": types[path.extname(file)] ?? "application/octet-stream", "accept-ranges": "bytes", "cache-control": "no-store" };
    let status = 200;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
      headers["content-range"] = `bytes ${start}-${end}/${body.length}`;
      body = body.subarray(start, end + 1);
      status = 206;
    }
    headers["content-length"] = body.length;
    sent.push({ path: url.pathname, bytes: body.length });
    res.writeHead(status, headers);
    res.end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, sent, host: `127.0.0.1:${server.address().port}` })),
  );
}

let http;
let browser;

before(async () => {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(shotDir, { recursive: true });
  for (const part of ["site.toml", "issues", "content"]) {
    fs.cpSync(path.join(repo, part), path.join(srcDir, part), { recursive: true });
  }
  execFileSync(photoTool, ["photo", path.join(srcDir, "issues/001-sleep/garden.jpg"), "3000", "2000", "85"], { stdio: "inherit" });
  execFileSync(bin, ["build", "--root", srcDir, "--output", siteDir], { stdio: "inherit" });
  http = await serve(siteDir, basePath);
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  http?.server.close();
});

const url = (p) => `http://${http.host}${basePath}${p}`;

/** The phone of the issue: 360 px wide at DPR 2. */
const phone = (options = {}) =>
  browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, ...options });

/** Opens the lesson article; returns the page and the requests it made. */
async function openArticle(context) {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
  page.on("request", (r) => {
    if (new URL(r.url()).host !== http.host) problems.push(`request off loopback: ${r.url()}`);
  });
  const from = http.sent.length;
  await page.goto(url(ARTICLE), { waitUntil: "load" });
  return { page, problems, served: () => http.sent.slice(from) };
}

const isMedia = (p) => /\.(mp3|m4a|ogg|mp4|webm)$/.test(p);

test("no media byte is fetched before the reader presses play", async () => {
  const context = await phone();
  const { page, problems, served } = await openArticle(context);
  // Scroll past every player, as a reader would, and let the page settle.
  for (let y = 0; y < 6000; y += 500) {
    await page.mouse.wheel(0, 500);
    await page.waitForTimeout(100);
  }
  await page.waitForLoadState("networkidle");
  assert.deepEqual(served().map((s) => s.path).filter(isMedia), [], "media fetched before play");
  assert.equal(await page.locator("audio[preload=none]").count(), 1);
  assert.equal(await page.locator("video[preload=none][playsinline]").count(), 1);

  const audioRequest = page.waitForRequest((r) => r.url().endsWith("/relax.mp3"));
  await page.evaluate(() => document.querySelector("audio").play().catch(() => {}));
  await audioRequest;
  // Only what was played: the video still waits.
  assert.deepEqual([...new Set(served().map((s) => s.path).filter(isMedia))], [`${basePath}issues/1/relax.mp3`]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a 360 px phone at DPR 2 downloads one size of the 3000 × 2000 photo, within budget", async () => {
  const context = await phone();
  const { page, served } = await openArticle(context);
  const img = page.locator("img[src$='garden.jpg']");
  // Chromium fetches a lazy image once it is within about 1,250 px of the
  // screen, which this photo is on the compact phone layout; the attributes
  // are what the page controls.
  assert.deepEqual(await img.evaluate((i) => [i.loading, i.decoding]), ["lazy", "async"]);
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => {
    const i = document.querySelector("img[src$='garden.jpg']");
    return i.complete && i.naturalWidth > 0;
  });
  const photo = served().filter((s) => s.path.includes("garden"));
  const current = await img.evaluate((i) => ({ src: i.currentSrc, natural: i.naturalWidth, shown: i.getBoundingClientRect().width }));
  const bytes = photo.reduce((n, s) => n + s.bytes, 0);
  const source = fs.statSync(path.join(srcDir, "issues/001-sleep/garden.jpg")).size;
  console.log(`photo: ${bytes} bytes (${current.src.split("/").pop()}) shown at ${Math.round(current.shown)} CSS px (source ${source} bytes)`);
  assert.equal(photo.length, 1, `one size only: ${JSON.stringify(photo)}`);
  // naturalWidth counts CSS px: 960 px of image at the density it was picked for.
  assert.ok(current.src.endsWith("/issues/1/garden.jpg"), `picked ${current.src}`);
  assert.ok(current.shown >= 300, "the photo fills the column");
  assert.ok(bytes <= PHOTO_BUDGET, `${bytes} bytes is over ${PHOTO_BUDGET}`);
  fs.writeFileSync(path.join(outDir, "photo-bytes.txt"), `${bytes} bytes downloaded (960 px of 3000 × 2000); source ${source} bytes\n`);
  await context.close();
});

test("captions load with the video and show its words", async () => {
  const context = await phone();
  const { page } = await openArticle(context);
  await page.locator("video").scrollIntoViewIfNeeded();
  await page.evaluate(() => document.querySelector("video").play().catch(() => {}));
  const cues = await page.waitForFunction(() => {
    const track = document.querySelector("video track");
    return track.readyState === 2 && track.track.cues.length > 0 && [...track.track.cues].map((c) => c.text);
  });
  const texts = await cues.jsonValue();
  assert.equal(texts.length, 3);
  assert.match(texts[0], /吸气/);
  // The audio's captions are the transcript's sentences.
  const audioTrack = await page.evaluate(() => {
    const track = document.querySelector("audio track");
    return { src: track.getAttribute("src"), kind: track.kind, lang: track.srclang };
  });
  assert.deepEqual(audioTrack, { src: `${basePath}issues/1/relax.vtt`, kind: "captions", lang: "zh-CN" });
  await context.close();
});

/** Runs in the page before its scripts: a speechSynthesis offering
 * `voiceList` that records what it is asked to do. */
function speechStub(voiceList) {
  {
    const log = { spoken: [], calls: [] };
    const synth = {
      speaking: false,
      paused: false,
      getVoices: () => voiceList,
      speak(u) {
        log.spoken.push(u.text);
        log.calls.push("speak");
        log.lang = u.lang;
        log.voice = u.voice.name;
      },
      pause() { log.calls.push("pause"); },
      resume() { log.calls.push("resume"); },
      cancel() { log.calls.push("cancel"); },
      addEventListener() {},
    };
    Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
    // The real utterance only takes voices the browser made.
    window.SpeechSynthesisUtterance = class {
      constructor(text) {
        this.text = text;
      }
    };
    window.__speech = log;
  }
}

test("read aloud: shown with a Chinese voice, reachable by keyboard, speaks the article, pauses and stops", async () => {
  const context = await phone();
  await context.addInitScript(speechStub, [
    { name: "English", lang: "en-US", localService: true },
    { name: "Cloud Chinese", lang: "zh-CN", localService: false },
    { name: "Phone Cantonese", lang: "zh-HK", localService: true },
  ]);
  const { page, problems, served } = await openArticle(context);
  const button = page.locator(".readaloud-play");
  await button.waitFor({ state: "visible" });
  const box = await button.boundingBox();
  assert.ok(box.height >= 44 && box.width >= 44, `button is ${box.width} × ${box.height}`);
  assert.equal(await button.textContent(), "朗读全文");

  // Tab to it from the top of the page, then press Enter.
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.classList.contains("readaloud-play"));
  }
  assert.ok(reached, "the read-aloud button is not reachable with Tab");
  const before = http.sent.length;
  await page.keyboard.press("Enter");
  const log = await page.evaluate(() => window.__speech);
  assert.equal(log.voice, "Phone Cantonese", "only a voice on the phone is used, not one in the cloud");
  assert.equal(log.lang, "zh-HK");
  assert.equal(log.spoken[0], "一分钟放松微课：听一听，跟着圆圈呼吸");
  assert.ok(log.spoken.some((t) => t.startsWith("睡前心里静不下来")), "the first paragraph is read");
  assert.ok(log.spoken.some((t) => t.includes("找人聊一聊")), "the transcript is read");
  assert.ok(log.spoken.some((t) => t.startsWith("如果紧张、心慌或失眠")), "the last paragraph is read");
  assert.ok(!log.spoken.some((t) => t.includes("下载（")), "players' captions are not read");
  assert.equal(await button.textContent(), "暂停");

  await button.click();
  assert.equal(await button.textContent(), "继续朗读");
  await button.click();
  assert.equal(await button.textContent(), "暂停");
  await page.locator(".readaloud-stop").click();
  assert.equal(await button.textContent(), "朗读全文");
  assert.ok(await page.locator(".readaloud-stop").isHidden());
  const calls = (await page.evaluate(() => window.__speech.calls)).filter((c) => c !== "speak");
  assert.deepEqual(calls, ["cancel", "pause", "resume", "cancel"]);
  assert.equal(http.sent.length, before, "reading aloud made a request");
  assert.deepEqual(problems, []);
  await page.screenshot({ path: path.join(shotDir, "read-aloud.png") });
  await context.close();
});

test("read aloud is hidden without a Chinese voice on the phone", async () => {
  for (const voices of [[{ name: "English", lang: "en-US", localService: true }], [{ name: "Cloud", lang: "zh-CN", localService: false }], []]) {
    const context = await phone();
    await context.addInitScript(speechStub, voices);
    const { page } = await openArticle(context);
    await page.waitForTimeout(100);
    assert.ok(await page.locator(".readaloud").isHidden(), `shown with ${JSON.stringify(voices)}`);
    await context.close();
  }
  // And without any speech support, and with JavaScript off.
  for (const options of [{ javaScriptEnabled: false }, {}]) {
    const context = await phone(options);
    await context.addInitScript(() => {
      Object.defineProperty(window, "speechSynthesis", { value: undefined, configurable: true });
    });
    const { page } = await openArticle(context);
    assert.ok(await page.locator(".readaloud").isHidden());
    await context.close();
  }
});

test("axe-core: players, photo, read-aloud controls and /lessons/ have no serious violation", async () => {
  const axe = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const context = await phone();
  await context.addInitScript(speechStub, [{ name: "Phone", lang: "zh-CN", localService: true }]);
  for (const p of [ARTICLE, "lessons/"]) {
    const page = await context.newPage();
    await page.goto(url(p), { waitUntil: "load" });
    await page.evaluate(axe);
    const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`), [], p);
  }
  await context.close();
});

test("screenshots: the lesson article with its photo, audio and video at 360 px", async () => {
  const context = await phone();
  const { page } = await openArticle(context);
  for (const img of await page.locator("img[loading=lazy]").all()) await img.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => [...document.images].every((i) => i.complete));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(shotDir, "lesson-article.png"), fullPage: true });
  for (const [name, selector] of [["audio", "figure.media-audio"], ["video", "figure.media-video"], ["photo", "img[src$='garden.jpg']"]]) {
    await page.locator(selector).screenshot({ path: path.join(shotDir, `lesson-${name}.png`) });
  }
  const lessons = await context.newPage();
  await lessons.goto(url("lessons/"));
  await lessons.screenshot({ path: path.join(shotDir, "lessons.png"), fullPage: true });
  await context.close();
});
