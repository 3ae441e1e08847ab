//! The index read back the way `search.js` reads it, checked against a
//! plain scan of the folded text.

use std::collections::{BTreeMap, HashMap};

use super::encoding;
use super::fold::{fold_str, terms};
use super::index::{self, Doc, RANGE};

fn doc(title: &str, text: &str) -> Doc {
    Doc {
        title: title.to_owned(),
        url: String::new(),
        issue: 1,
        date: String::new(),
        iso: String::new(),
        audiences: Vec::new(),
        text: text.to_owned(),
    }
}

fn read_varint(bytes: &[u8], at: &mut usize) -> usize {
    let (mut n, mut shift) = (0, 0);
    loop {
        let b = bytes[*at];
        *at += 1;
        n |= usize::from(b & 0x7F) << shift;
        if b < 0x80 {
            return n;
        }
        shift += 7;
    }
}

/// A triple's posting: article → (positions, how many in the title).
fn positional(p: &[u8]) -> HashMap<usize, (Vec<usize>, usize)> {
    let mut at = 0;
    let n = read_varint(p, &mut at);
    let column = |at: &mut usize| -> Vec<usize> { (0..n).map(|_| read_varint(p, at)).collect() };
    let mut doc = 0;
    let docs: Vec<usize> = column(&mut at)
        .into_iter()
        .map(|delta| {
            doc += delta;
            doc
        })
        .collect();
    let titles = column(&mut at);
    let rests = column(&mut at);
    let count: usize = titles.iter().chain(&rests).sum();
    let high: Vec<usize> = (0..count).map(|_| read_varint(p, &mut at)).collect();
    let mut positions = high
        .iter()
        .zip(&p[at..])
        .map(|(h, l)| h << 8 | usize::from(*l));
    assert_eq!(p.len() - at, count, "one low byte per position");
    docs.into_iter()
        .zip(titles.into_iter().zip(rests))
        .map(|(doc, (title, rest))| {
            (
                doc,
                (positions.by_ref().take(title + rest).collect(), title),
            )
        })
        .collect()
}

/// The built files, by path, and the manifest.
struct Read {
    files: HashMap<String, Vec<u8>>,
    manifest: serde_json::Value,
}

impl Read {
    fn new(built: Vec<(String, Vec<u8>)>) -> Read {
        let manifest = serde_json::from_slice(&built[0].1).unwrap();
        Read {
            files: built.into_iter().collect(),
            manifest,
        }
    }

    /// The posting of `gram` in range `r`, from the file its hash names.
    fn posting(&self, r: usize, gram: &str) -> Option<Vec<u8>> {
        let buckets = self.manifest["b"][r].as_u64().unwrap() as usize;
        let b = encoding::bucket(gram, buckets);
        let names = self.manifest["p"][r].as_str().unwrap();
        let hash = &names[b * 6..b * 6 + 6];
        let shard = self.files.get(&format!("search/p/{r}-{b}-{hash}.bin"))?;
        let mut at = 0;
        while at < shard.len() {
            let len = read_varint(shard, &mut at);
            let key = std::str::from_utf8(&shard[at..at + len]).unwrap();
            at += len;
            let word = read_varint(shard, &mut at);
            let len = word >> 1;
            if key == gram {
                let value = &shard[at..at + len];
                if word & 1 == 0 {
                    return Some(value.to_vec());
                }
                // A long posting: a file of its own, named by its hash.
                let hash = std::str::from_utf8(value).unwrap();
                let own = &self.files[&format!("search/p/{r}-{b}-{hash}.bin")];
                return Some(own.clone());
            }
            at += len;
        }
        None
    }

    /// Per shared line of range `r`, the articles holding it.
    fn shared(&self, r: usize) -> Vec<Vec<usize>> {
        let hash = &self.manifest["s"].as_str().unwrap()[r * 6..r * 6 + 6];
        let Some(file) = self.files.get(&format!("search/s/{r}-{hash}.bin")) else {
            assert_eq!(hash, "~~~~~~");
            return Vec::new();
        };
        let mut at = 0;
        let lines = read_varint(file, &mut at);
        (0..lines)
            .map(|_| {
                let n = read_varint(file, &mut at);
                let mut article = 0;
                (0..n)
                    .map(|_| {
                        article += read_varint(file, &mut at);
                        article
                    })
                    .collect()
            })
            .collect()
    }

    /// Articles of range `r` holding `term`, each with whether it is in the
    /// title: what the browser computes. A shared line found stands for
    /// the articles holding it.
    fn term(&self, r: usize, term: &[char]) -> BTreeMap<usize, bool> {
        let docs = self.manifest["docs"].as_u64().unwrap() as usize;
        let own = (docs - r * RANGE).min(RANGE);
        let shared = self.shared(r);
        let mut found = BTreeMap::new();
        for (doc, in_title) in self.postings_of(r, term) {
            if doc < own {
                *found.entry(doc).or_insert(false) |= in_title;
            } else {
                for &holder in &shared[doc - own] {
                    found.entry(holder).or_insert(false);
                }
            }
        }
        found
    }

    /// What the postings of range `r` say of `term`: articles (and shared
    /// lines, numbered after them) holding it.
    fn postings_of(&self, r: usize, term: &[char]) -> BTreeMap<usize, bool> {
        let mut found = BTreeMap::new();
        if term.len() <= 2 {
            let gram: String = term.iter().collect();
            let Some(p) = self.posting(r, &gram) else {
                return found;
            };
            let (mut at, mut doc) = (0, 0);
            while at < p.len() {
                let v = read_varint(&p, &mut at);
                doc += v >> 1;
                found.insert(doc, v & 1 == 1);
            }
            return found;
        }
        let mut offsets: Vec<usize> = (0..=term.len() - 3).step_by(3).collect();
        if offsets.last() != Some(&(term.len() - 3)) {
            offsets.push(term.len() - 3);
        }
        // Per offset: article → (positions, how many in the title).
        let mut lists = Vec::new();
        for &o in &offsets {
            let gram: String = term[o..o + 3].iter().collect();
            let Some(p) = self.posting(r, &gram) else {
                return found;
            };
            lists.push(positional(&p));
        }
        for (doc, (anchors, in_title)) in &lists[0] {
            for (k, start) in anchors.iter().enumerate() {
                let all = offsets.iter().zip(&lists).all(|(o, list)| {
                    list.get(doc)
                        .is_some_and(|(ps, _)| ps.binary_search(&(start + o)).is_ok())
                });
                if all {
                    let seen = found.entry(*doc).or_insert(false);
                    *seen |= k < *in_title;
                }
            }
        }
        found
    }

    /// Article numbers holding every part of `query`, each with how many
    /// parts are in its title.
    fn search(&self, query: &str) -> BTreeMap<usize, usize> {
        let terms = terms(query);
        let mut all = BTreeMap::new();
        if terms.is_empty() {
            return all;
        }
        for r in 0..self.manifest["p"].as_array().unwrap().len() {
            let mut here: Option<BTreeMap<usize, usize>> = None;
            for t in &terms {
                let chars: Vec<char> = t.chars().collect();
                let found = self.term(r, &chars);
                here = Some(match here {
                    None => found
                        .into_iter()
                        .map(|(d, t)| (d, usize::from(t)))
                        .collect(),
                    Some(before) => before
                        .into_iter()
                        .filter_map(|(d, n)| found.get(&d).map(|t| (d, n + usize::from(*t))))
                        .collect(),
                });
            }
            all.extend(here.unwrap().into_iter().map(|(d, n)| (r * RANGE + d, n)));
        }
        all
    }
}

/// What a plain scan finds: articles whose folded title or text holds every
/// part, with how many parts are in the title.
fn scan(docs: &[Doc], query: &str) -> BTreeMap<usize, usize> {
    let terms = terms(query);
    if terms.is_empty() {
        return BTreeMap::new();
    }
    docs.iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let (title, text) = (fold_str(&d.title), fold_str(&d.text));
            terms
                .iter()
                .all(|t| title.contains(t.as_str()) || text.contains(t.as_str()))
                .then(|| {
                    (
                        i,
                        terms.iter().filter(|t| title.contains(t.as_str())).count(),
                    )
                })
        })
        .collect()
}

fn index(docs: &[Doc]) -> Read {
    Read::new(index::build(docs, "search/"))
}

fn sample() -> Vec<Doc> {
    vec![
        doc(
            "睡不着怎么办",
            "晚上睡不着，就起来坐一会儿。\n白天出去走一走。",
        ),
        doc(
            "担心时间",
            "给自己定一个十五分钟的担心时间。不着急，慢慢来。睡前",
        ),
        doc(
            "Sleep Diary 睡眠日记",
            "用 WHO 的方法记录，拨打１２３５６。",
        ),
        doc("睡不著的時候", "晚上睡不著，先別急著看時間。"),
        doc("全角", "ＡＢＣ　ｄｅｆ 和 Ｗｉ-Ｆｉ"),
    ]
}

#[test]
fn a_query_across_what_a_dictionary_calls_a_word_boundary_is_found() {
    let docs = sample();
    let read = index(&docs);
    // 晚上|睡不着: a segmenter splits between 上 and 睡.
    assert_eq!(read.search("上睡不着"), BTreeMap::from([(0, 0)]));
    assert_eq!(read.search("上睡不"), BTreeMap::from([(0, 0), (3, 0)]));
    assert_eq!(read.search("，就起"), BTreeMap::from([(0, 0)]));
}

#[test]
fn one_character_is_enough() {
    let read = index(&sample());
    assert_eq!(read.search("着"), BTreeMap::from([(0, 1), (1, 0)]));
    assert_eq!(read.search("鬼"), BTreeMap::new());
}

#[test]
fn grams_that_occur_apart_are_not_a_match() {
    // Article 1 has 不着 and 睡前 but never 睡不着.
    let read = index(&sample());
    assert_eq!(read.search("睡不着"), BTreeMap::from([(0, 1)]));
    assert_eq!(read.search("不着急"), BTreeMap::from([(1, 0)]));
    // Text on two lines is not one run of text.
    assert_eq!(read.search("儿。白"), BTreeMap::new());
}

#[test]
fn latin_ignores_case_and_width() {
    let read = index(&sample());
    assert_eq!(read.search("sLeEp"), BTreeMap::from([(2, 1)]));
    assert_eq!(read.search("ｗｈｏ"), BTreeMap::from([(2, 0)]));
    assert_eq!(read.search("12356"), BTreeMap::from([(2, 0)]));
    assert_eq!(read.search("abc DEF wi-fi"), BTreeMap::from([(4, 0)]));
}

#[test]
fn traditional_text_is_found_as_written() {
    let read = index(&sample());
    assert_eq!(read.search("睡不著"), BTreeMap::from([(3, 1)]));
    assert_eq!(read.search("別急著"), BTreeMap::from([(3, 0)]));
}

#[test]
fn every_part_of_a_query_must_occur() {
    let read = index(&sample());
    assert_eq!(read.search("睡不着 白天"), BTreeMap::from([(0, 1)]));
    assert_eq!(read.search("睡不着 十五分钟"), BTreeMap::new());
    assert_eq!(read.search("   "), BTreeMap::new());
}

/// Random articles from a few characters, so that grams repeat and meet
/// in every way, over more than one range; random queries must find
/// exactly what a scan finds.
#[test]
fn the_index_finds_exactly_what_a_scan_finds() {
    // 𠀀 and 😀 lie past the Basic Multilingual Plane.
    let alphabet: Vec<char> = "睡不着觉心理AbＢ1１ ，\n𠀀😀".chars().collect();
    let mut rng = fastrand::Rng::with_seed(13);
    let text = |rng: &mut fastrand::Rng, n: usize| -> String {
        (0..n)
            .map(|_| alphabet[rng.usize(..alphabet.len())])
            .collect()
    };
    let docs: Vec<Doc> = (0..RANGE + 300)
        .map(|_| {
            let (t, x) = (rng.usize(1..6), rng.usize(0..30));
            doc(text(&mut rng, t).trim(), &text(&mut rng, x))
        })
        .collect();
    let read = index(&docs);
    for _ in 0..300 {
        let len = rng.usize(1..10);
        let query = text(&mut rng, len).replace('\n', " ");
        assert_eq!(read.search(&query), scan(&docs, &query), "query {query:?}");
    }
}

/// Long queries, and triples so common that their postings are files of
/// their own: every article of two ranges holds a long sentence (some
/// twice, some changed in one place, so that the triples of a query meet
/// at the wrong distances too); every query must find exactly what a scan
/// finds.
#[test]
fn long_queries_and_common_triples_find_exactly_what_a_scan_finds() {
    let sentence: Vec<char> = "如果情绪低落或失眠持续两周以上请拨打热线".chars().collect();
    let mut rng = fastrand::Rng::with_seed(7);
    let docs: Vec<Doc> = (0..RANGE + 500)
        .map(|i| {
            let mut s = sentence.clone();
            if i % 3 == 0 {
                let at = rng.usize(..s.len());
                s[at] = '睡';
            }
            let s: String = s.into_iter().collect();
            let text = match i % 4 {
                0 => format!("{s}。心理{s}"),
                1 => format!("先说别的。{s}"),
                2 => format!("{}。{s}", &s[..s.len() / 2]),
                _ => s.clone(),
            };
            doc(if i % 7 == 0 { &s } else { "标题" }, &text)
        })
        .collect();
    let built = index::build(&docs, "search/");
    let read = Read::new(built);
    let shards: usize = read.manifest["p"]
        .as_array()
        .unwrap()
        .iter()
        .map(|names| names.as_str().unwrap().matches(|c| c != '~').count() / 6)
        .sum();
    let p_files = read
        .files
        .keys()
        .filter(|n| n.starts_with("search/p/"))
        .count();
    assert!(p_files > shards, "some triples are files of their own");
    let whole: String = sentence.iter().collect();
    for query in [
        whole.as_str(),
        "如果情绪低落或失眠持续两周",
        "绪低落或失眠持续两周以上请",
        "睡不着 如果情绪低落",
    ] {
        assert_eq!(read.search(query), scan(&docs, query), "query {query:?}");
    }
    for _ in 0..100 {
        let (start, len) = (rng.usize(..sentence.len() - 4), rng.usize(4..16));
        let mut query: Vec<char> = sentence[start..(start + len).min(sentence.len())].to_vec();
        if rng.bool() {
            let at = rng.usize(..query.len());
            query[at] = '睡';
        }
        let query: String = query.into_iter().collect();
        assert_eq!(read.search(&query), scan(&docs, &query), "query {query:?}");
    }
}

/// A closing paragraph every article ends with is indexed once: queries in
/// it, across its edges and in articles where the same words are part of
/// a longer line find exactly what a scan finds.
#[test]
fn lines_many_articles_share_find_exactly_what_a_scan_finds() {
    let footer = "如果情绪低落或失眠持续两周以上，请拨打求助热线。";
    let mut rng = fastrand::Rng::with_seed(11);
    let docs: Vec<Doc> = (0..RANGE + 200)
        .map(|i| {
            let body = ["睡前放下手机。", "慢慢呼吸几次。", "持续两周以上"][rng.usize(..3)];
            let text = match i % 5 {
                0 => format!("{body}\n{footer}"),
                1 => format!("{body}{footer}"),
                2 => format!("{footer}\n{body}\n{footer}"),
                3 => body.to_owned(),
                _ => format!("{body}\n{footer}\n再见"),
            };
            doc(if i % 9 == 0 { footer } else { "标题" }, &text)
        })
        .collect();
    let read = Read::new(index::build(&docs, "search/"));
    assert!(read.files.keys().any(|n| n.starts_with("search/s/")));
    for query in [
        footer,
        "持续两周以上",
        "两周以上，请拨打",
        "热线。",
        "。如果",
        "以上如果",
        "手机。如果情绪",
        "热线。再见",
        "求助 手机",
        "呼吸 热线",
        "情",
        "如果情绪低落或失眠持续两周以上，请拨打求助热线。再",
    ] {
        assert_eq!(read.search(query), scan(&docs, query), "query {query:?}");
    }
}

/// The blocks of stored text are JSON that gives back each article's
/// fields exactly, whatever characters they hold: every control
/// character, quotes and backslashes, at every place in an eight-byte
/// word and across two.
#[test]
fn stored_text_is_json_that_gives_back_every_field() {
    let tricky: String = (0u8..0x20)
        .map(char::from)
        .chain("\"\\\u{7F}/睡不着😀é".chars())
        .collect();
    let docs: Vec<Doc> = (0..24)
        .map(|k| Doc {
            title: format!("{}标题\"{k}\\", "x".repeat(k % 9)),
            url: format!("/issues/{k}/a\"b/"),
            issue: k as u32 * 1000,
            date: "2026年1月15日".to_owned(),
            iso: "2026-01-15".to_owned(),
            audiences: (0..k % 3).map(|a| format!("长者\n{a}")).collect(),
            text: format!("{}{tricky}\n{}", "睡".repeat(k), "ab".repeat(k)),
        })
        .collect();
    let built = index::build(&docs, "search/");
    let mut read = Vec::new();
    for (path, bytes) in &built {
        if path.starts_with("search/d/") {
            let block: serde_json::Value = serde_json::from_slice(bytes).expect("valid JSON");
            read.extend(block.as_array().expect("an array").iter().cloned());
        }
    }
    assert_eq!(read.len(), docs.len());
    for (doc, value) in docs.iter().zip(&read) {
        let expected = serde_json::json!({
            "t": doc.title, "u": doc.url, "n": doc.issue, "d": doc.date,
            "i": doc.iso, "a": doc.audiences, "x": doc.text,
        });
        assert_eq!(value, &expected);
    }
}
