// Offline search on /search/. The query stays on the phone: it lives in the
// address's fragment (#q=…), which browsers never send, and the only
// requests are for index files of this site, named by build-time hashes.
//
// The index (written by weikan's src/search/): a manifest, then per range
// of articles (numbered oldest first) its files, one per hash bucket of grams:
// each character and pair of characters lists the articles holding it;
// each run of three lists them with its positions. A query part of up to
// three characters is one gram; a longer one is found exactly by triples at
// offsets 0, 3, 6 … and the last triple, which must sit at those distances.
// A triple in many articles has a file of its own, named in its bucket's.
// A line many articles of a range hold word for word is indexed once.
// Articles' titles and text come in blocks, only for the results shown.
//
// A browser too old for this script keeps the page's no-script text.
(() => {
  "use strict";
  const form = document.getElementById("search-form");
  if (!form || !window.fetch || !window.TextDecoder || !window.Map || !history.replaceState) return;
  const input = document.getElementById("search-q");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const none = document.getElementById("search-none");
  const indexUrl = new URL(form.getAttribute("data-index"), location.href);
  const SHOWN = 10; // results per "显示更多"
  const WAIT = 250; // ms of quiet typing before searching
  const HASH = 6; // characters of a content hash in a file name
  const NO_FILE = "~~~~~~";
  const decoder = new TextDecoder();

  // The same folding as src/search/fold.rs: full-width ASCII forms to
  // half-width, Latin capitals to small letters, the ideographic space to
  // a space; one UTF-16 unit for one, so positions stay put.
  const fold = (text) => {
    let out = "";
    for (let i = 0; i < text.length; i++) {
      let n = text.charCodeAt(i);
      if (n >= 0xff01 && n <= 0xff5e) n -= 0xfee0;
      else if (n === 0x3000) n = 0x20;
      if (n >= 65 && n <= 90) n += 32;
      out += String.fromCharCode(n);
    }
    return out;
  };

  // The parts that must all occur, as src/search/fold.rs's `terms`.
  const termsOf = (query) => {
    const parts = [...new Set(fold(query).split(/[\s\u0085]+/).filter(Boolean))];
    return parts.filter((t) => !parts.some((o) => o !== t && o.includes(t)));
  };

  // --- Fetching, each file once per page view.
  const files = new Map();
  const get = (url, read) => {
    const key = url.href;
    if (!files.has(key)) {
      files.set(
        key,
        fetch(url, { credentials: "same-origin" }).then((r) => {
          if (!r.ok) throw new Error(r.status + " " + url.pathname);
          return read(r);
        }),
      );
      files.get(key).catch(() => files.delete(key));
    }
    return files.get(key);
  };
  // The manifest's name is fixed, so it is checked with the host each time
  // the page is opened; every other file's name changes with its content.
  let manifest = null;
  const loadManifest = () => {
    manifest =
      manifest ||
      fetch(indexUrl, { cache: "no-cache", credentials: "same-origin" }).then((r) => {
        if (!r.ok) throw new Error(r.status + " " + indexUrl.pathname);
        return r.json();
      });
    manifest.catch(() => (manifest = null));
    return manifest;
  };

  // FNV-1a over the gram's code points, as src/search/grams.rs's `bucket`.
  const bucket = (gram, buckets) => {
    let h = 0x811c9dc5;
    for (const c of gram) h = Math.imul(h ^ c.codePointAt(0), 0x01000193) >>> 0;
    return h % buckets;
  };

  // A shard: gram → its posting bytes, or the hash naming the file that
  // holds a long one.
  const readShard = async (r) => {
    const bytes = new Uint8Array(await r.arrayBuffer());
    const grams = new Map();
    const at = { i: 0 };
    while (at.i < bytes.length) {
      const keyLen = varint(bytes, at);
      const key = decoder.decode(bytes.subarray(at.i, at.i + keyLen));
      at.i += keyLen;
      const word = varint(bytes, at);
      const len = Math.floor(word / 2);
      const value = bytes.subarray(at.i, at.i + len);
      grams.set(key, word % 2 ? { file: decoder.decode(value) } : { bytes: value });
      at.i += len;
    }
    return grams;
  };
  const readBytes = async (r) => new Uint8Array(await r.arrayBuffer());
  const varint = (bytes, at) => {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = bytes[at.i++];
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 128;
    }
  };
  const shardUrl = (m, range, b) => {
    const hash = m.p[range].substr(b * HASH, HASH);
    return hash === NO_FILE ? null : new URL(`p/${range}-${b}-${hash}.bin`, indexUrl);
  };
  const posting = async (m, range, gram) => {
    const b = bucket(gram, m.b[range]);
    const url = shardUrl(m, range, b);
    if (!url) return null;
    const found = (await get(url, readShard)).get(gram);
    if (!found || found.bytes) return found ? found.bytes : null;
    return get(new URL(`p/${range}-${b}-${found.file}.bin`, indexUrl), readBytes);
  };

  // The grams a part needs, with their offsets in it: itself, up to three
  // characters; else triples at offsets 0, 3, 6 … and the last triple.
  const gramsOf = (term) => {
    const chars = [...term];
    if (chars.length <= 3) return [{ gram: term, offset: 0 }];
    const offsets = [];
    for (let o = 0; o <= chars.length - 3; o += 3) offsets.push(o);
    if (offsets[offsets.length - 1] !== chars.length - 3) offsets.push(chars.length - 3);
    return offsets.map((o) => ({ gram: chars.slice(o, o + 3).join(""), offset: o }));
  };

  // A triple's posting: local number → {positions, anchors, title}, the
  // first `title` anchors being in the title. Its columns: how many
  // articles, then per article the distance from the previous one, the
  // positions in the title, the others; then per position its high part,
  // then per position its low byte (src/search/index.rs).
  const positional = (b) => {
    const at = { i: 0 };
    const n = varint(b, at);
    const column = () => Array.from({ length: n }, () => varint(b, at));
    const deltas = column();
    const titles = column();
    const rests = column();
    let count = 0;
    for (let k = 0; k < n; k++) count += titles[k] + rests[k];
    const high = Array.from({ length: count }, () => varint(b, at));
    const docs = new Map();
    let doc = 0;
    let next = 0;
    for (let k = 0; k < n; k++) {
      doc += deltas[k];
      const anchors = [];
      for (let j = titles[k] + rests[k]; j > 0; j--, next++) anchors.push(high[next] * 256 + b[at.i + next]);
      docs.set(doc, { positions: new Set(anchors), anchors, title: titles[k] });
    }
    return docs;
  };

  // Per shared line of a range (a line many of its articles hold word for
  // word, indexed once as if it were an article after the range's own),
  // the articles holding it.
  const sharedOf = (m, range) => {
    const hash = m.s.substr(range * HASH, HASH);
    return get(new URL(`s/${range}-${hash}.bin`, indexUrl), async (r) => {
      const b = new Uint8Array(await r.arrayBuffer());
      const at = { i: 0 };
      return Array.from({ length: varint(b, at) }, () => {
        let doc = 0;
        return Array.from({ length: varint(b, at) }, () => (doc += varint(b, at)));
      });
    });
  };

  // Articles of one range holding a part: local number → in the title?
  // A shared line found stands for the articles holding it.
  const findTerm = async (m, range, term) => {
    const raw = await postingsOf(m, range, term);
    const own = Math.min(m.range, m.docs - range * m.range);
    const shared = [...raw.keys()].some((doc) => doc >= own) ? await sharedOf(m, range) : [];
    const found = new Map();
    for (const [doc, inTitle] of raw) {
      if (doc < own) found.set(doc, found.get(doc) || inTitle);
      else for (const d of shared[doc - own]) if (!found.has(d)) found.set(d, false);
    }
    return found;
  };

  // What the postings of one range say of a part: local numbers (shared
  // lines numbered after the articles) → in the title?
  const postingsOf = async (m, range, term) => {
    const grams = gramsOf(term);
    const bytes = await Promise.all(grams.map((g) => posting(m, range, g.gram)));
    const found = new Map();
    if (bytes.some((b) => !b)) return found;
    if ([...term].length <= 2) {
      // A character or a pair: articles only.
      const at = { i: 0 };
      let doc = 0;
      while (at.i < bytes[0].length) {
        const v = varint(bytes[0], at);
        doc += Math.floor(v / 2);
        found.set(doc, v % 2 === 1);
      }
      return found;
    }
    // Anchors of the first triple at which every triple sits at its offset.
    const lists = bytes.map(positional);
    for (const [doc, first] of lists[0]) {
      if (!lists.every((l) => l.has(doc))) continue;
      first.anchors.forEach((start, k) => {
        const ok = grams.every((g, j) => lists[j].get(doc).positions.has(start + g.offset));
        if (ok) found.set(doc, found.get(doc) || k < first.title);
      });
    }
    return found;
  };

  // Every article holding every part: [{id, inTitle}], title matches
  // first (by how many parts are in the title), then newest first.
  const find = async (terms) => {
    const m = await loadManifest();
    const ranges = m.p.map((_, r) => r);
    const perRange = await Promise.all(
      ranges.map(async (r) => {
        const each = await Promise.all(terms.map((t) => findTerm(m, r, t)));
        const out = [];
        for (const [doc, inTitle] of each[0]) {
          let score = inTitle ? 1 : 0;
          let all = true;
          for (let k = 1; k < each.length && all; k++) {
            if (!each[k].has(doc)) all = false;
            else if (each[k].get(doc)) score++;
          }
          if (all) out.push({ id: r * m.range + doc, score });
        }
        return out;
      }),
    );
    return { m, hits: perRange.flat().sort((a, b) => b.score - a.score || b.id - a.id) };
  };

  // --- Showing results.
  const el = (tag, className, text) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  // Appends `text` to `parent` with each occurrence of a part in <mark>.
  const marked = (parent, text, terms) => {
    const folded = fold(text);
    let plain = 0;
    let i = 0;
    while (i < text.length) {
      let len = 0;
      for (const t of terms) if (t.length > len && folded.startsWith(t, i)) len = t.length;
      if (!len) {
        i++;
        continue;
      }
      if (i > plain) parent.append(text.slice(plain, i));
      parent.append(el("mark", "", text.slice(i, i + len)));
      i += len;
      plain = i;
    }
    if (plain < text.length) parent.append(text.slice(plain));
  };
  // About 90 characters of `text` around the first match.
  const snippet = (text, terms) => {
    const flat = text.replace(/\s+/g, " ");
    const folded = fold(flat);
    let first = -1;
    for (const t of terms) {
      const at = folded.indexOf(t);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    }
    let start = Math.max(0, first - 24);
    let end = Math.min(flat.length, start + 90);
    // Never cut a character written as two UTF-16 units.
    if (start > 0 && /[\udc00-\udfff]/.test(flat[start])) start--;
    if (end < flat.length && /[\udc00-\udfff]/.test(flat[end])) end++;
    return (start > 0 ? "…" : "") + flat.slice(start, end) + (end < flat.length ? "…" : "");
  };
  const blockOf = (m, id) => {
    const k = Math.floor(id / m.block);
    const hash = m.d.substr(k * HASH, HASH);
    return get(new URL(`d/${k}-${hash}.json`, indexUrl), (r) => r.json());
  };
  const card = (doc, terms) => {
    const li = el("li", "card");
    const h = el("h2", "card-title");
    const a = el("a");
    a.href = doc.u;
    marked(a, doc.t, terms);
    h.append(a);
    const meta = el("p", "meta");
    const time = el("time", "", doc.d);
    time.dateTime = doc.i;
    meta.append(time, ` · 第${doc.n}期`);
    const text = el("p", "summary");
    marked(text, snippet(doc.x, terms), terms);
    const who = el("p", "audiences");
    if (doc.a.length) for (const name of doc.a) who.append(el("span", "tag", `写给${name}`), " ");
    else who.append(el("span", "tag tag-all", "写给所有人"));
    li.append(h, meta, text, who);
    return li;
  };

  let current = null; // the search on screen: {terms, m, hits, shown}
  let serial = 0;
  const showMore = async (state) => {
    const ids = state.hits.slice(state.shown, state.shown + SHOWN).map((h) => h.id);
    const blocks = await Promise.all(ids.map((id) => blockOf(state.m, id)));
    if (state !== current) return;
    const items = ids.map((id, k) => card(blocks[k][id % state.m.block], state.terms));
    list.append(...items);
    state.shown += ids.length;
    more.hidden = state.shown >= state.hits.length;
  };
  const search = async (query) => {
    const mine = ++serial;
    const terms = termsOf(query);
    list.replaceChildren();
    status.textContent = "";
    more.hidden = true;
    none.hidden = true;
    current = null;
    if (!terms.length) return;
    try {
      const { m, hits } = await find(terms);
      if (mine !== serial) return;
      current = { terms, m, hits, shown: 0 };
      if (!hits.length) {
        status.textContent = `没有找到含有“${query.trim()}”的文章`;
        none.hidden = false;
        return;
      }
      await showMore(current);
      if (mine === serial) status.textContent = `找到 ${hits.length} 篇`;
    } catch (e) {
      if (mine === serial) status.textContent = "搜索暂时用不了：没能读到索引文件，请稍后再试。";
    }
  };

  // --- The query in the fragment only.
  const fromHash = () => {
    const m = /^#q=(.*)$/.exec(location.hash);
    if (!m) return "";
    try {
      return decodeURIComponent(m[1]);
    } catch (e) {
      return "";
    }
  };
  const toHash = (query) => {
    const url = query.trim() ? `#q=${encodeURIComponent(query)}` : location.pathname + location.search;
    history.replaceState(null, "", url);
  };

  let timer = 0;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      toHash(input.value);
      search(input.value);
    }, WAIT);
  };
  // While a Chinese input method composes, the box holds pinyin, not the
  // query: wait for the characters.
  input.addEventListener("input", (event) => event.isComposing || later());
  input.addEventListener("compositionend", later);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    toHash(input.value);
    search(input.value);
  });
  more.addEventListener("click", () => current && showMore(current));
  window.addEventListener("hashchange", () => {
    input.value = fromHash();
    search(input.value);
  });

  document.getElementById("search-nojs").hidden = true;
  form.hidden = false;
  input.value = fromHash();
  if (input.value) search(input.value);
  else input.focus();
})();
