//! An article's page: its body, authors and issue, and the previous and
//! next article of the same issue.

use tera::Context;

use super::{Html, cover, meta};
use crate::content::Issue;
use crate::plan::ArticleRef;
use crate::render::Renderer;
use crate::render::context::{ArticleCard, issue_card};

/// The page of the article `r` points at.
pub(super) fn page(env: &Renderer<'_>, r: ArticleRef) -> Html {
    let site = env.site;
    let (issue, article) = site.article(r);
    let mut ctx = Context::new();
    ctx.insert("article", env.cards.get(r));
    ctx.insert("html", &article.html);
    ctx.insert("authors", &article.authors);
    ctx.insert("issue", &issue_card(site, issue));
    ctx.insert("prev", &neighbour(env, issue, r, -1));
    ctx.insert("next", &neighbour(env, issue, r, 1));
    let mut page = meta(
        site,
        "article",
        &article.title,
        &article.summary,
        Some(&article.path),
        "issues",
    );
    page.image = article.image.clone().or_else(|| cover(site, issue));
    Html {
        template: "article.html",
        ctx,
        meta: page,
    }
}

/// The previous (`step = -1`) or next article of the same issue.
fn neighbour<'c, 'a>(
    env: &'c Renderer<'a>,
    issue: &Issue,
    r: ArticleRef,
    step: isize,
) -> Option<&'c ArticleCard<'a>> {
    let index = r.article.checked_add_signed(step)?;
    (index < issue.articles.len()).then(|| {
        env.cards.get(ArticleRef {
            issue: r.issue,
            article: index,
        })
    })
}
