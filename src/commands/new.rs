//! `weikan new issue` and `weikan new article`: start the next issue or
//! article with front matter that already builds.

use std::fs;
use std::path::{Path, PathBuf};

use super::CommandError;
use crate::config::{ConfigOverrides, SiteConfig};
use crate::content::load::{self, ISSUE_FILE, ISSUES_DIR, IssueSource};
use crate::diagnostics::Diagnostics;
use crate::names::{AudienceKey, IssueNumber};

/// What `weikan new issue` was asked to do.
#[derive(Debug, Clone)]
pub struct NewIssue {
    /// The site folder.
    pub root: PathBuf,
    /// The issue's theme; a placeholder when not given.
    pub title: Option<String>,
    /// Its number; the next free one when not given.
    pub number: Option<u32>,
}

/// What `weikan new article` was asked to do.
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// The site folder.
    pub root: PathBuf,
    /// The number of the issue it belongs to.
    pub issue: u32,
    /// Its title.
    pub title: String,
    /// Audience keys from `site.toml`.
    pub audiences: Vec<String>,
}

/// Creates `issues/<NNN>/issue.md` for the next issue, dated today in the
/// site's offset, and returns its path relative to the site folder.
pub fn new_issue(args: &NewIssue) -> Result<PathBuf, CommandError> {
    let (config, issues) = read_site(&args.root)?;
    let taken: Vec<u32> = issues
        .iter()
        .map(|i| i.issue.head.number.value.get())
        .collect();
    let number = match args.number {
        Some(n) => {
            let n = IssueNumber::new(i64::from(n))
                .map_err(|e| CommandError::Usage(format!("--number: {e}")))?;
            if taken.contains(&n.get()) {
                return Err(CommandError::Usage(format!(
                    "issue {n} already exists; leave out --number to take the next free one"
                )));
            }
            n.get()
        }
        None => taken.iter().max().map_or(1, |n| n + 1),
    };
    let dir = Path::new(ISSUES_DIR).join(format!("{number:03}"));
    if args.root.join(&dir).exists() {
        return Err(CommandError::Usage(format!(
            "{} already exists; choose another --number",
            dir.display()
        )));
    }
    let today = config.timezone.to_datetime(jiff::Timestamp::now()).date();
    let title = args.title.as_deref().unwrap_or("新一期");
    let text = format!(
        "+++\nnumber = {number}\ntitle = {}\ndate = {today}\n+++\n\n在这里写卷首语：这一期想和读者聊什么，为什么。\n",
        toml_string(title)
    );
    let path = dir.join(ISSUE_FILE);
    write_new(&args.root, &path, &text)?;
    Ok(path)
}

/// Creates the next numbered article of an issue and returns its path
/// relative to the site folder.
pub fn new_article(args: &NewArticle) -> Result<PathBuf, CommandError> {
    let (config, issues) = read_site(&args.root)?;
    let Some(issue) = issues
        .iter()
        .find(|i| i.issue.head.number.value.get() == args.issue)
    else {
        let mut numbers: Vec<String> = issues
            .iter()
            .map(|i| i.issue.head.number.value.to_string())
            .collect();
        numbers.sort();
        let known = if numbers.is_empty() {
            "there are no issues yet; `weikan new issue` starts one".to_owned()
        } else {
            format!("the issues are {}", numbers.join(", "))
        };
        return Err(CommandError::Usage(format!(
            "there is no issue {}; {known}",
            args.issue
        )));
    };
    let mut audiences = Vec::new();
    for key in &args.audiences {
        match AudienceKey::parse(key)
            .ok()
            .filter(|k| config.audience(k).is_some())
        {
            Some(k) => audiences.push(k),
            None => {
                let valid: Vec<&str> = config.audiences.iter().map(|a| a.key.as_str()).collect();
                return Err(CommandError::Usage(format!(
                    "unknown audience `{key}`; the audiences in site.toml are {}",
                    valid.join(", ")
                )));
            }
        }
    }
    if args.title.trim().is_empty() {
        return Err(CommandError::Usage("--title is empty".into()));
    }
    // Numbering follows the files already there, so the new one comes last.
    let next = fs::read_dir(args.root.join(&issue.dir))
        .map_err(|e| CommandError::Usage(format!("cannot read {}: {e}", issue.dir.display())))?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
            (name.ends_with(".md") && name != ISSUE_FILE)
                .then(|| digits.parse::<u32>().unwrap_or(0))
        })
        .max()
        .map_or(1, |n| n + 1);
    let path = issue
        .dir
        .join(format!("{next:02}-{}.md", file_name_part(&args.title)));
    let keys: Vec<String> = audiences.iter().map(|k| toml_string(k.as_str())).collect();
    let text = format!(
        "+++\ntitle = {}\naudiences = [{}]\n+++\n\n在这里写正文。最后别忘了写上什么时候该找专业帮助，并链接[求助热线](/content/hotlines.md)。\n",
        toml_string(args.title.trim()),
        keys.join(", ")
    );
    write_new(&args.root, &path, &text)?;
    Ok(path)
}

/// Reads settings and issues; refuses a site that cannot be read at all.
fn read_site(root: &Path) -> Result<(SiteConfig, Vec<IssueSource>), CommandError> {
    super::require_folder(root)?;
    let config =
        SiteConfig::load(root, &ConfigOverrides::default()).map_err(CommandError::Content)?;
    // Problems in other files are for `build` and `check` to report.
    let mut ignored = Diagnostics::new();
    let sources = load::load(root, &config, &mut ignored);
    Ok((config, sources.issues))
}

pub(super) fn write_new(root: &Path, rel: &Path, text: &str) -> Result<(), CommandError> {
    let full = root.join(rel);
    if full.exists() {
        return Err(CommandError::Usage(format!(
            "{} already exists",
            rel.display()
        )));
    }
    let io =
        |e: std::io::Error| CommandError::Usage(format!("cannot write {}: {e}", rel.display()));
    if let Some(parent) = full.parent() {
        fs::create_dir_all(parent).map_err(io)?;
    }
    fs::write(&full, text).map_err(io)
}

/// A TOML string literal, escaped as TOML needs.
pub(super) fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// The file-name part after `NN-`: a URL name when the title is Latin text
/// (so the article's URL uses it), else the title itself made safe for file
/// systems, which gives the article its position as URL under the slug rules.
pub(super) fn file_name_part(title: &str) -> String {
    let latin = title.is_ascii();
    let mut name = String::new();
    for c in title.trim().chars() {
        let keep = if latin {
            c.is_ascii_alphanumeric()
        } else {
            !c.is_control() && !"/\\:*?\"<>|#%".contains(c) && !c.is_whitespace()
        };
        if keep {
            name.extend(if latin {
                c.to_lowercase().collect::<Vec<_>>()
            } else {
                vec![c]
            });
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    let name: String = name.chars().take(40).collect();
    if name.is_empty() {
        "article".to_owned()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_from_titles() {
        assert_eq!(file_name_part("Sleep Well, Tonight!"), "sleep-well-tonight");
        assert_eq!(
            file_name_part("睡个好觉：三个小办法"),
            "睡个好觉：三个小办法"
        );
        assert_eq!(file_name_part("在家 学习/作息"), "在家-学习-作息");
        assert_eq!(file_name_part("???"), "article");
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string("a \"b\""), "'a \"b\"'");
    }
}
