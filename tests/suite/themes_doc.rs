//! `docs/themes.md` lists what every template receives. This test builds the
//! sample site with each page template replaced by one that prints the
//! names of every variable and field it is handed (Tera's `__tera_context`
//! walked a few levels deep), and compares them with the doc's two tables,
//! read from the doc itself: a change to a page's context fails here until
//! the doc says the same.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common;

/// The first line of every page the dumping templates write.
const MARK: &str = "WEIKAN-TEMPLATE ";
/// The doc's row that applies to every page template.
const EVERY_PAGE: &str = "every page";
/// How many levels below a variable the dump follows: deeper than any
/// context goes (`articles[].card.audiences[].key` is three).
const DEPTH: usize = 5;

/// What a variable or field holds, as the doc's "value" column says.
#[derive(Debug, Clone)]
struct Value {
    /// The shape named in *italics*, if any.
    shape: Option<String>,
    /// Whether it is a list: the cell starts "list of".
    list: bool,
}

impl Value {
    fn parse(cell: &str) -> Value {
        Value {
            shape: italic(cell),
            list: cell.starts_with("list of "),
        }
    }
}

/// The text of the first `*…*` in `cell` (not `**`).
fn italic(cell: &str) -> Option<String> {
    let start = cell.find('*')?;
    let rest = &cell[start + 1..];
    let end = rest.find('*')?;
    let name = &rest[..end];
    (!name.is_empty()).then(|| name.to_owned())
}

/// The doc's tables: template → variable → value; shape → field → value.
struct Doc {
    templates: BTreeMap<String, BTreeMap<String, Value>>,
    shapes: BTreeMap<String, BTreeMap<String, Value>>,
}

/// The rows of the Markdown table whose header row is `header`, as cells.
fn table(text: &str, header: &str) -> Vec<Vec<String>> {
    let mut lines = text.lines().skip_while(|l| l.trim() != header);
    assert!(
        lines.next().is_some(),
        "docs/themes.md has no table headed `{header}`"
    );
    lines
        .skip(1) // the |---| row
        .take_while(|l| l.starts_with('|'))
        .map(cells)
        .collect()
}

/// The cells of a table row: split at each `|` outside `code`.
fn cells(row: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut in_code = false;
    for c in row.trim().trim_matches('|').chars() {
        match c {
            '`' => in_code = !in_code,
            '|' if !in_code => {
                cells.push(String::new());
                continue;
            }
            _ => {}
        }
        cells.last_mut().expect("one cell at least").push(c);
    }
    cells.iter().map(|c| c.trim().to_owned()).collect()
}

/// A name written as `name` in a cell.
fn code(cell: &str) -> String {
    cell.trim_matches('`').to_owned()
}

fn read_doc() -> Doc {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/themes.md");
    let text = fs::read_to_string(&path).expect("docs/themes.md");
    let mut templates: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
    for row in table(&text, "| template | variable | value |") {
        let vars = templates.entry(code(&row[0])).or_default();
        if !row[1].is_empty() {
            vars.insert(code(&row[1]), Value::parse(&row[2]));
        }
    }
    let mut shapes: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
    for row in table(&text, "| shape | field | value |") {
        shapes
            .entry(row[0].clone())
            .or_default()
            .insert(code(&row[1]), Value::parse(&row[2]));
    }
    for fields in templates.values().chain(shapes.values()) {
        for value in fields.values() {
            if let Some(shape) = &value.shape {
                assert!(shapes.contains_key(shape), "no shape *{shape}* in the doc");
            }
        }
    }
    Doc { templates, shapes }
}

/// A template that prints its name, then every variable it receives and
/// every field below, one path a line: `site.audiences[].key`.
fn dumping_template(name: &str) -> String {
    format!(
        "{MARK}{name}\n{{% for k0, v0 in __tera_context %}}{{{{ k0 }}}}\n{}{{% endfor %}}",
        fields("v0", "k0", 1)
    )
}

/// Template code printing the fields of the value `v` whose path is `p`;
/// a list of plain values (text, numbers) prints `p[]`.
fn fields(v: &str, p: &str, depth: usize) -> String {
    if depth > DEPTH {
        return String::new();
    }
    let (k, w, q, e) = (
        format!("k{depth}"),
        format!("v{depth}"),
        format!("p{depth}"),
        format!("e{depth}"),
    );
    let inner = fields(&w, &q, depth + 1);
    format!(
        "{{% if {v} is map %}}{{% for {k}, {w} in {v} %}}{{% set {q} = {p} ~ \".\" ~ {k} %}}{{{{ {q} }}}}\n{inner}{{% endfor %}}\
         {{% elif {v} is array %}}{{% for {e} in {v} %}}{{% if {e} is map %}}{{% for {k}, {w} in {e} %}}\
         {{% set {q} = {p} ~ \"[].\" ~ {k} %}}{{{{ {q} }}}}\n{inner}{{% endfor %}}{{% else %}}{{{{ {p} }}}}[]\n{{% endif %}}{{% endfor %}}{{% endif %}}"
    )
}

/// Copies the sample site (this repository's own) into `to`.
fn copy_sample_site(to: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::copy(root.join("site.toml"), to.join("site.toml")).unwrap();
    for dir in ["issues", "content"] {
        copy_dir(&root.join(dir), &to.join(dir));
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir`.
fn files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, found);
        } else {
            found.push(path);
        }
    }
}

/// Builds the sample site with dumping templates: template → every path
/// it printed on any of its pages.
fn dumped(templates: &[&String]) -> BTreeMap<String, BTreeSet<String>> {
    let site = tempfile::tempdir().unwrap();
    copy_sample_site(site.path());
    for name in templates {
        let path = site.path().join("templates").join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, dumping_template(name)).unwrap();
    }
    let out = site.path().join("public");
    let run = Command::new(env!("CARGO_BIN_EXE_weikan"))
        .arg("build")
        .arg("--root")
        .arg(site.path())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "the build failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut written = Vec::new();
    files(&out, &mut written);
    let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in written {
        let bytes = fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let mut lines = text.lines();
        let Some(name) = lines.next().and_then(|l| l.strip_prefix(MARK)) else {
            // Every page comes from a template; other files (feeds, the
            // search index, copied files, 公众号 正文 fragments) need not.
            let rel = file
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            assert!(
                !common::is_page(&rel),
                "{} was not written by a template the doc lists: add its template to docs/themes.md",
                file.display()
            );
            continue;
        };
        seen.entry(name.to_owned())
            .or_default()
            .extend(lines.filter(|l| !l.is_empty()).map(str::to_owned));
    }
    seen
}

/// Where `path` (`articles[].card.title`) leads in the doc for template
/// `template`: the (shape, field) pairs it passes through, or why it is
/// not documented.
fn resolve(doc: &Doc, template: &str, path: &str) -> Result<Vec<(String, String)>, String> {
    let mut parts = path.split('.');
    let var = parts.next().unwrap_or_default();
    let (var, mut in_list) = match var.strip_suffix("[]") {
        Some(v) => (v, true),
        None => (var, false),
    };
    let mut value = doc.templates[template]
        .get(var)
        .or_else(|| doc.templates.get(EVERY_PAGE).and_then(|v| v.get(var)))
        .ok_or_else(|| format!("`{var}` is not listed for {template}"))?
        .clone();
    let mut passed = Vec::new();
    for part in parts {
        if in_list != value.list {
            let says = if value.list { "a list" } else { "not a list" };
            return Err(format!("`{path}`: the doc says {says} before `{part}`"));
        }
        let (field, list) = match part.strip_suffix("[]") {
            Some(f) => (f, true),
            None => (part, false),
        };
        let shape = value
            .shape
            .clone()
            .ok_or_else(|| format!("`{path}`: the doc names no shape holding `{field}`"))?;
        value = doc.shapes[&shape]
            .get(field)
            .ok_or_else(|| format!("`{path}`: *{shape}* has no field `{field}` in the doc"))?
            .clone();
        passed.push((shape, field.to_owned()));
        in_list = list;
    }
    if path.ends_with("[]") && (!value.list || value.shape.is_some()) {
        return Err(format!(
            "`{path}` is a list of plain values, not what the doc says"
        ));
    }
    Ok(passed)
}

#[test]
fn the_template_variables_in_the_doc_are_what_templates_receive() {
    let doc = read_doc();
    let templates: Vec<&String> = doc.templates.keys().filter(|t| *t != EVERY_PAGE).collect();
    assert!(templates.len() >= 10, "the doc lists too few templates");
    let seen = dumped(&templates);
    let mut problems = Vec::new();
    let mut fields_seen: BTreeSet<(String, String)> = BTreeSet::new();
    for template in &templates {
        let Some(paths) = seen.get(*template) else {
            problems.push(format!(
                "{template}: no page of the sample site used it, so it cannot be checked"
            ));
            continue;
        };
        for path in paths {
            match resolve(&doc, template, path) {
                Ok(passed) => fields_seen.extend(passed),
                Err(why) => problems.push(format!("{template}: {why}")),
            }
        }
        let top: BTreeSet<&str> = paths
            .iter()
            .filter(|p| !p.contains('.'))
            .map(String::as_str)
            .collect();
        let listed = doc.templates[*template]
            .keys()
            .chain(doc.templates[EVERY_PAGE].keys());
        for var in listed {
            if !top.contains(var.as_str()) {
                problems.push(format!(
                    "{template}: the doc lists `{var}`, which it does not receive"
                ));
            }
        }
    }
    // A field that is none on every page cannot be seen; each must be seen
    // on some page of the sample site, which has one of every kind.
    for (shape, fields) in &doc.shapes {
        for field in fields.keys() {
            if !fields_seen.contains(&(shape.clone(), field.clone())) {
                problems.push(format!(
                    "*{shape}* `{field}` is in the doc but no template received it"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "docs/themes.md and the template contexts differ:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_doc_parser_reads_shapes_and_lists() {
    let v = Value::parse("list of *article card*, newest first");
    assert_eq!(v.shape.as_deref(), Some("article card"));
    assert!(v.list);
    let v = Value::parse("*issue card* of the newest issue, or none");
    assert_eq!(v.shape.as_deref(), Some("issue card"));
    assert!(!v.list);
    assert!(Value::parse("list of text").list);
    assert!(Value::parse("link to it").shape.is_none());
}
