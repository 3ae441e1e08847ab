// What every browser test shares: where the repository and the weikan
// binary are, Debian's Chromium and the flags it runs with here, and the
// sample site's base path.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root. */
export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The weikan binary under test. */
export const bin = process.env.WEIKAN_BIN ?? path.join(repo, "target", "debug", "weikan");
/** Debian's Chromium (no browser download from npm). */
export const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
/** Chromium as root, offline: without these it tries to reach the network. */
export const chromiumArgs = Object.freeze([
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
]);
/** The sample site's settings, as text. */
export const siteToml = fs.readFileSync(path.join(repo, "site.toml"), "utf8");
/** The path of the sample site's base_url, e.g. `/weikan/`. */
export const basePath = new URL(siteToml.match(/^base_url\s*=\s*"([^"]+)"/m)[1]).pathname;
