//! The print booklet of an issue, `/issues/<n>/print/`: a cover (journal,
//! number, title, date, the editor's note, a QR code of the issue's
//! address), every article in reading order, and the help lines on the last
//! page, laid out for `[print] paper` by the theme's `print.css`. It is
//! made from what the issue page already has; only the articles' HTML is
//! adjusted so that many articles can share one page (see `fit_article`).

use lol_html::{RewriteStrSettings, element, rewrite_str};
use serde::Serialize;
use tera::Context;

use super::{Html, cover, issue_name, meta};
use crate::content::Issue;
use crate::diagnostics::Diagnostic;
use crate::paths;
use crate::render::Renderer;
use crate::render::context::{ArticleCard, issue_card};
use crate::words::Word;

/// An article as the booklet prints it.
#[derive(Serialize)]
struct BookletArticle<'c, 'a> {
    /// Its card: title, audiences, date.
    card: &'c ArticleCard<'a>,
    /// The `id` of its `<article>`, unique on the page.
    anchor: String,
    /// Who wrote it.
    authors: &'a [String],
    /// Its body, fitted to the booklet.
    html: String,
}

/// The cover's QR code and the address printed under it.
#[derive(Serialize)]
struct CoverCode {
    url: String,
    svg: String,
}

/// The booklet of issue `i`.
pub(super) fn booklet(env: &Renderer<'_>, i: usize) -> Result<Html, Diagnostic> {
    let site = env.site;
    let issue = &site.issues[i];
    let name = issue_name(env, issue);
    let issue_url = site.config.base_url.absolute(&issue.path());
    let label = env.words().fill(Word::QrLabel, &[("title", &name)]);
    let code = crate::qr::svg(&issue_url, &label).map_err(Diagnostic::error)?;
    let articles = articles(issue, env.cards.issue(i))?;
    let note = fit_article(&issue.note_html, "n-", false).map_err(|e| booklet_error(issue, &e))?;
    let mut ctx = Context::new();
    ctx.insert("issue", &issue_card(site, issue));
    ctx.insert("note_html", &note);
    ctx.insert("articles", &articles);
    ctx.insert(
        "cover_code",
        &CoverCode {
            url: issue_url,
            svg: code.svg,
        },
    );
    ctx.insert("paper", site.config.paper.name());
    let path = paths::issue_print(&issue.path());
    let title = env.words().fill(Word::PrintTitle, &[("issue", &name)]);
    let mut page = meta(site, "print", title, &issue.summary, Some(&path), "issues");
    page.image = cover(site, issue);
    Ok(Html {
        template: "print.html",
        ctx,
        meta: page,
    })
}

/// The issue's articles as the booklet prints them, with their `cards`.
fn articles<'c, 'a>(
    issue: &'a Issue,
    cards: &'c [ArticleCard<'a>],
) -> Result<Vec<BookletArticle<'c, 'a>>, Diagnostic> {
    issue
        .articles
        .iter()
        .zip(cards)
        .enumerate()
        .map(|(n, (article, card))| {
            let position = n + 1;
            Ok(BookletArticle {
                card,
                anchor: format!("article-{position}"),
                authors: &article.authors,
                html: fit_article(&article.html, &format!("a{position}-"), true)
                    .map_err(|e| booklet_error(issue, &e))?,
            })
        })
        .collect()
}

fn booklet_error(issue: &Issue, e: &lol_html::errors::RewritingError) -> Diagnostic {
    Diagnostic::error(format!(
        "the print booklet of issue {} could not be made: {e}",
        issue.number
    ))
}

/// Makes one body fit a page shared with others: every `id` gets `prefix`
/// (two articles may both have a heading 「什么时候求助」, and footnotes
/// are numbered per article) and links to them follow; images load at
/// once, since a booklet is printed whole; with `demote`, headings move one
/// level down, under the article's own `<h2>`.
fn fit_article(
    html: &str,
    prefix: &str,
    demote: bool,
) -> Result<String, lol_html::errors::RewritingError> {
    let mut settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("[id]", |el| {
            if let Some(id) = el.get_attribute("id") {
                el.set_attribute("id", &format!("{prefix}{id}"))?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("a[href^='#']", |el| {
            if let Some(target) = el
                .get_attribute("href")
                .and_then(|h| h.get(1..).map(str::to_owned))
                && !target.is_empty()
            {
                el.set_attribute("href", &format!("#{prefix}{target}"))?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("img[loading]", |el| {
            el.remove_attribute("loading");
            Ok(())
        }));
    if demote {
        settings = settings.append_element_content_handler(element!("h2, h3, h4, h5", |el| {
            let level = el.tag_name().as_bytes()[1] - b'0';
            el.set_tag_name(&format!("h{}", level + 1))?;
            Ok(())
        }));
    }
    rewrite_str(html, settings)
}

#[cfg(test)]
mod tests {
    use super::fit_article;

    #[test]
    fn ids_and_their_links_are_prefixed_and_headings_demoted() {
        let html = "<h2 id=\"求助\">求助</h2><p>见<a href=\"#求助\">上文</a><sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup>、<a href=\"/x/#y\">别处</a>、<a href=\"#\">顶部</a></p><h6>小</h6><img src=\"a.png\" alt=\"图\" loading=\"lazy\"><div class=\"footnote-definition\" id=\"1\"><p>注</p></div>";
        assert_eq!(
            fit_article(html, "a2-", true).unwrap(),
            "<h3 id=\"a2-求助\">求助</h3><p>见<a href=\"#a2-求助\">上文</a><sup class=\"footnote-reference\"><a href=\"#a2-1\">1</a></sup>、<a href=\"/x/#y\">别处</a>、<a href=\"#\">顶部</a></p><h6>小</h6><img src=\"a.png\" alt=\"图\"><div class=\"footnote-definition\" id=\"a2-1\"><p>注</p></div>"
        );
        assert_eq!(
            fit_article("<h2 id=\"x\">x</h2>", "n-", false).unwrap(),
            "<h2 id=\"n-x\">x</h2>"
        );
    }
}
