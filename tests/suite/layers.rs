//! The code's shape, read from `src/` itself: the crate's modules import
//! only down the layers (no import cycle between any two module files, and
//! at most [`MAX_UPWARD`] imports from a layer to one above it), and no
//! function is longer than [`MAX_FUNCTION_LINES`]. A change that breaks the
//! shape fails here, naming the import or the function.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crate's top-level modules from the bottom layer up. A module may
/// import from its own layer and below.
const LAYERS: &[&[&str]] = &[
    &["diagnostics", "source", "names", "html", "paths", "words"],
    &["urls", "config", "output", "plan"],
    &["content"],
    &["media"],
    &["markdown"],
    &["selfcheck", "places", "wechat"],
    &["site"],
    &["qr", "search", "feed", "render"],
    &["serve", "commands"],
    &["crate"],
];

/// How many imports may point up a layer before the shape is in question.
const MAX_UPWARD: usize = 2;

/// The longest a function in `src/` may be, in lines from `fn` to its `}`.
const MAX_FUNCTION_LINES: usize = 100;

/// A module, as the path of names from the crate root (`["render", "pages"]`).
type Module = Vec<String>;

#[test]
fn no_module_imports_form_a_cycle() {
    let graph = Graph::read(&src());
    let cycles = graph.cycles();
    assert!(
        cycles.is_empty(),
        "import cycles between modules:\n{}",
        cycles
            .iter()
            .map(|c| graph.describe_cycle(c))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn imports_point_down_the_layers() {
    let graph = Graph::read(&src());
    let mut upward = Vec::new();
    for (from, tos) in &graph.edges {
        let from_layer = layer(&from[0..from.len().min(1)]);
        for to in tos {
            let to_layer = layer(&to[0..to.len().min(1)]);
            if to_layer > from_layer {
                upward.push(format!("{} -> {}", name(from), name(to)));
            }
        }
    }
    assert!(
        upward.len() <= MAX_UPWARD,
        "{} imports run up a layer (at most {MAX_UPWARD}):\n{}",
        upward.len(),
        upward.join("\n")
    );
}

#[test]
fn no_function_is_longer_than_the_limit() {
    let mut files = Vec::new();
    collect(&src(), &mut files);
    let mut long = Vec::new();
    for file in files {
        let code = code_only(&std::fs::read_to_string(&file).unwrap());
        for (name, line, lines) in functions(&code) {
            if lines > MAX_FUNCTION_LINES {
                long.push(format!(
                    "{}:{line} fn {name}: {lines} lines",
                    file.display()
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions longer than {MAX_FUNCTION_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn the_function_reader_counts_from_fn_to_its_brace() {
    let code = code_only(
        "fn a() {\n    let s = \"}\";\n}\n\nfn b(x: u8) -> u8 { x }\ntrait T { fn c(&self); }\n",
    );
    assert_eq!(
        functions(&code),
        [("a".to_owned(), 1, 3), ("b".to_owned(), 5, 1)]
    );
}

#[test]
fn the_reader_finds_imports_of_every_form() {
    let text = "use crate::a::{b, c::{d, e as f}, self};\nfn x() { crate::g::h(); super::i::j(); }\n#[cfg(test)]\nmod tests { use crate::z; }\n";
    let found = imports(text, &module(&["m", "n"]));
    let expected: BTreeSet<Module> = [
        &["a", "b"][..],
        &["a", "c", "d"],
        &["a", "c", "e"],
        &["a"],
        &["g", "h"],
        &["m", "i", "j"],
    ]
    .iter()
    .map(|p| module(p))
    .collect();
    assert_eq!(found, expected);
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn module(parts: &[&str]) -> Module {
    parts.iter().map(|p| p.to_string()).collect()
}

fn name(m: &Module) -> String {
    if m.is_empty() {
        "crate".to_owned()
    } else {
        m.join("::")
    }
}

/// The layer of a top-level module; an unplaced one fails the test, so a
/// new module is placed on purpose.
fn layer(top: &[String]) -> usize {
    let key = top.first().map_or("crate", String::as_str);
    LAYERS
        .iter()
        .position(|l| l.contains(&key))
        .unwrap_or_else(|| {
            panic!("the module `{key}` has no layer in tests/suite/layers.rs; add it to LAYERS")
        })
}

/// Which module file imports which.
struct Graph {
    edges: BTreeMap<Module, BTreeSet<Module>>,
}

impl Graph {
    fn read(src: &Path) -> Graph {
        let mut files = Vec::new();
        collect(src, &mut files);
        let modules: BTreeMap<Module, PathBuf> = files
            .into_iter()
            .map(|path| (module_of(src, &path), path))
            .collect();
        let resolve = |path: &Module| -> Option<Module> {
            (0..=path.len())
                .rev()
                .map(|k| path[..k].to_vec())
                .find(|m| modules.contains_key(m))
        };
        let mut edges = BTreeMap::new();
        for (m, path) in &modules {
            let text = std::fs::read_to_string(path).unwrap();
            let targets: BTreeSet<Module> = imports(&text, m)
                .iter()
                .filter_map(&resolve)
                // A module's own children and ancestors are its own tree.
                .filter(|t| t != m && !t.starts_with(m) && !m.starts_with(t))
                .collect();
            edges.insert(m.clone(), targets);
        }
        Graph { edges }
    }

    /// The strongly connected groups of more than one module (Tarjan).
    fn cycles(&self) -> Vec<Vec<Module>> {
        struct State<'g> {
            graph: &'g Graph,
            index: BTreeMap<&'g Module, usize>,
            low: BTreeMap<&'g Module, usize>,
            stack: Vec<&'g Module>,
            next: usize,
            found: Vec<Vec<Module>>,
        }
        fn visit<'g>(s: &mut State<'g>, v: &'g Module) {
            s.index.insert(v, s.next);
            s.low.insert(v, s.next);
            s.next += 1;
            s.stack.push(v);
            for w in &s.graph.edges[v] {
                let Some(w) = s.graph.edges.get_key_value(w).map(|(k, _)| k) else {
                    continue;
                };
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let low = s.low[v].min(s.low[w]);
                    s.low.insert(v, low);
                } else if s.stack.contains(&w) {
                    let low = s.low[v].min(s.index[w]);
                    s.low.insert(v, low);
                }
            }
            if s.low[v] == s.index[v] {
                let mut group = Vec::new();
                while let Some(w) = s.stack.pop() {
                    group.push(w.clone());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    s.found.push(group);
                }
            }
        }
        let mut s = State {
            graph: self,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            next: 0,
            found: Vec::new(),
        };
        for v in self.edges.keys() {
            if !s.index.contains_key(v) {
                visit(&mut s, v);
            }
        }
        s.found
    }

    fn describe_cycle(&self, group: &[Module]) -> String {
        let mut lines = vec![format!(
            "  {}",
            group.iter().map(name).collect::<Vec<_>>().join(", ")
        )];
        for a in group {
            for b in &self.edges[a] {
                if group.contains(b) {
                    lines.push(format!("    {} -> {}", name(a), name(b)));
                }
            }
        }
        lines.join("\n")
    }
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// `src/render/pages/home.rs` → `render::pages::home`; `mod.rs`, `lib.rs`
/// and `main.rs` name their folder.
fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Module = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// Every `crate::` and `super::` path in `text` outside comments and
/// `#[cfg(test)]` modules, as module paths from the crate root.
fn imports(text: &str, me: &Module) -> BTreeSet<Module> {
    let code = without_tests(&code_only(text));
    let tokens = tokenize(&code);
    let mut found = BTreeSet::new();
    let mut i = 0;
    while i < tokens.len() {
        let start = match tokens[i].as_str() {
            "crate" => Some(Vec::new()),
            "super" => Some(me[..me.len().saturating_sub(1)].to_vec()),
            _ => None,
        };
        let preceded_by_path = i > 0 && tokens[i - 1] == "::";
        match start {
            Some(prefix) if !preceded_by_path && tokens.get(i + 1).is_some_and(|t| t == "::") => {
                i = tree(&tokens, i + 2, prefix, &mut found);
            }
            _ => i += 1,
        }
    }
    found
}

/// Reads a use tree at `tokens[i]` below `prefix`; returns the index after it.
fn tree(
    tokens: &[String],
    mut i: usize,
    mut prefix: Module,
    found: &mut BTreeSet<Module>,
) -> usize {
    loop {
        match tokens.get(i).map(String::as_str) {
            Some("{") => {
                i += 1;
                while tokens.get(i).is_some_and(|t| t != "}") {
                    i = tree(tokens, i, prefix.clone(), found);
                    if tokens.get(i).is_some_and(|t| t == ",") {
                        i += 1;
                    }
                }
                return i + 1;
            }
            Some("self") | Some("*") => {
                found.insert(prefix);
                return i + 1;
            }
            Some(t) if is_ident(t) => {
                prefix.push(t.to_owned());
                if tokens.get(i + 1).is_some_and(|t| t == "::") {
                    i += 2;
                } else {
                    found.insert(prefix);
                    // `as name` is not part of the path.
                    if tokens.get(i + 1).is_some_and(|t| t == "as") {
                        return i + 3;
                    }
                    return i + 1;
                }
            }
            _ => {
                if !prefix.is_empty() {
                    found.insert(prefix);
                }
                return i;
            }
        }
    }
}

/// Every function with a body in `code` (from [`code_only`]): its name,
/// first line, and length in lines.
fn functions(code: &str) -> Vec<(String, usize, usize)> {
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(pos) = code[at..].find("fn ") {
        let start = at + pos;
        at = start + 3;
        if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
            continue;
        }
        let name: String = code[at..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // A declaration without a body ends at `;` before any `{`.
        let (Some(open), semi) = (code[at..].find('{'), code[at..].find(';')) else {
            break;
        };
        if name.is_empty() || semi.is_some_and(|s| s < open) {
            continue;
        }
        let mut depth = 0;
        let mut end = code.len();
        for (i, c) in code[at + open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = at + open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let line = code[..start].matches('\n').count() + 1;
        let lines = code[start..end].matches('\n').count() + 1;
        found.push((name, line, lines));
    }
    found
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && t.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// Identifiers, `::`, and single punctuation; string and char literals
/// become one opaque token.
fn tokenize(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            tokens.push("::".to_owned());
            i += 2;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            tokens.push("\"\"".to_owned());
            i += 1;
        } else if !c.is_whitespace() {
            tokens.push(c.to_string());
            i += 1;
        } else {
            i += 1;
        }
    }
    tokens
}

/// The code alone: comments dropped, and every string, raw string and char
/// literal made an empty `""`, so neither braces nor paths inside text count.
fn code_only(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        if c[i] == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if c[i] == '/' && next == Some('*') {
            i += 2;
            while i + 1 < c.len() && !(c[i] == '*' && c[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c[i] == '"' {
            i = string_end(&c, i + 1, 0);
            out.push_str("\"\"");
        } else if c[i] == 'r' && raw_string_start(&c, i).is_some() && !ident_before(&c, i) {
            let (hashes, quote) = raw_string_start(&c, i).unwrap_or_default();
            i = string_end(&c, quote + 1, hashes);
            out.push_str("\"\"");
        } else if c[i] == '\'' && (next == Some('\\') || c.get(i + 2) == Some(&'\'')) {
            // A char literal ('x', '\n', '\u{..}'); a lifetime has no closing quote.
            i += 2;
            while i < c.len() && c[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// After `r`, `#`s then `"`: (how many `#`, where the quote is).
fn raw_string_start(c: &[char], r: usize) -> Option<(usize, usize)> {
    let hashes = c[r + 1..].iter().take_while(|&&x| x == '#').count();
    (c.get(r + 1 + hashes) == Some(&'"')).then_some((hashes, r + 1 + hashes))
}

fn ident_before(c: &[char], i: usize) -> bool {
    i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_')
}

/// The index after the string that starts at `i` (after its opening quote)
/// and closes with `"` and `hashes` `#`s; escapes count only in plain strings.
fn string_end(c: &[char], mut i: usize, hashes: usize) -> usize {
    while i < c.len() {
        if hashes == 0 && c[i] == '\\' {
            i += 2;
            continue;
        }
        if c[i] == '"'
            && c[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&x| x == '#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    i
}

/// The text without `#[cfg(test)]` items (a test may reach anywhere).
fn without_tests(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        // Skip to the item's end: its braces' match, or a `;` before any `{`.
        let (Some(open), semi) = (after.find('{'), after.find(';')) else {
            rest = "";
            break;
        };
        if semi.is_some_and(|s| s < open) {
            rest = &after[semi.unwrap() + 1..];
            continue;
        }
        let mut depth = 0;
        let mut end = after.len();
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}
