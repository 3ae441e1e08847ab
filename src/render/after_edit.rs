//! What `serve` renders again after an article's body or front matter was
//! edited in place: the pages that show the article, judged from the plan's
//! page kinds and the site-wide lists before and after. One place knows
//! what each kind of page shows of an article, so serve keeps nothing of
//! its own to mirror it.

use crate::content::Article;
use crate::plan::{ArticleRef, PageKind};
use crate::site::{Lists, Site};

/// The pages to render again after article `at` was edited in place, given
/// the article as it was and the lists `before` the edit; `None` when
/// everything must be rendered again. When nothing that cards and lists
/// show changed, only the pages that carry the article's text are.
pub fn pages_after_article_edit(
    before: &Lists,
    previous: &Article,
    site: &Site,
    at: ArticleRef,
) -> Option<Vec<PageKind>> {
    if same_card(previous, site.article(at).1) {
        Some(after_body_edit(site, at))
    } else {
        jobs_after_article_edit(before, site, at)
    }
}

/// Whether every list and neighbour shows the article as before: all that
/// changed is its text, seen only on its own page, in its issue's booklet,
/// in the feeds and in the search index.
fn same_card(old: &Article, new: &Article) -> bool {
    old.title == new.title
        && old.path == new.path
        && old.summary == new.summary
        && old.date == new.date
        && old.audiences == new.audiences
        && old.authors == new.authors
        && old.draft == new.draft
        && old.weight == new.weight
        && old.reading_minutes == new.reading_minutes
        && old.media == new.media
}

/// The pages that show an article's text: its own page, its issue's
/// booklet, the feeds that carry it (each holds its list's newest
/// `[feeds] limit` articles, text included) and the search index.
fn after_body_edit(site: &Site, at: ArticleRef) -> Vec<PageKind> {
    let limit = site.config.feed_limit.get();
    let carries = |list: &[ArticleRef]| list.iter().take(limit).any(|r| *r == at);
    let mut kinds = vec![
        PageKind::Article(at),
        PageKind::Print(at.issue),
        PageKind::SearchIndex,
    ];
    if carries(&site.newest) {
        kinds.push(PageKind::Feed(None));
    }
    kinds.extend(
        (0..site.by_audience.len())
            .filter(|&i| carries(&site.by_audience[i]))
            .map(|i| PageKind::Feed(Some(i))),
    );
    kinds
}

/// The files to render again after article `r` was edited in place
/// (same URL, same place in its issue; [`Site::with_article_edited`]), given
/// the lists as they were `before`: the article and its neighbours, its
/// issue, the issue's QR sheet and booklet, the sitemap, the home page when
/// the issue is the latest or an audience's count changed, and in each list
/// the article is or was in, the page showing it (every page of the list
/// when it moved) and the feed when it is among the feed's items. `None`
/// when everything must be rendered again.
fn jobs_after_article_edit(before: &Lists, new: &Site, r: ArticleRef) -> Option<Vec<PageKind>> {
    let per_page = new.config.per_page.get();
    let limit = new.config.feed_limit.get();
    let place = |list: &[ArticleRef]| list.iter().position(|x| *x == r);
    let mut jobs = vec![
        PageKind::Issue(r.issue),
        PageKind::QrIssue(r.issue),
        PageKind::Print(r.issue),
        PageKind::Sitemap,
        PageKind::Lessons,
        PageKind::SearchIndex,
    ];
    // The home page shows the latest issue's articles and each audience's
    // article count.
    let moved_audience = (0..new.by_audience.len())
        .any(|i| place(&before.by_audience[i]).is_some() != place(&new.by_audience[i]).is_some());
    // It also links to /lessons/ when there are any.
    let lessons_changed = before.lessons.is_empty() != new.lessons.is_empty();
    if r.issue == 0 || moved_audience || lessons_changed {
        jobs.push(PageKind::Home);
    }
    let len = new.issues[r.issue].articles.len();
    let neighbours = [
        r.article.checked_sub(1),
        Some(r.article),
        Some(r.article + 1),
    ];
    jobs.extend(
        neighbours
            .into_iter()
            .flatten()
            .filter(|&a| a < len)
            .map(|a| {
                PageKind::Article(ArticleRef {
                    issue: r.issue,
                    article: a,
                })
            }),
    );
    let (was, is) = (place(&before.newest), place(&new.newest));
    if was.is_some_and(|p| p < limit) || is.is_some_and(|p| p < limit) {
        jobs.push(PageKind::Feed(None));
    }
    for i in 0..new.by_audience.len() {
        let (was, is) = (place(&before.by_audience[i]), place(&new.by_audience[i]));
        if was.is_none() && is.is_none() {
            continue;
        }
        let pages_before = before.by_audience[i].len().div_ceil(per_page).max(1);
        if pages_before != new.audience_pages(i) {
            return None;
        }
        match (was, is) {
            // Only this article's sort key can have changed, so when its
            // place is the same, every other article kept its place too.
            (Some(p), Some(q)) if p == q => jobs.push(PageKind::Audience {
                audience: i,
                page: p / per_page + 1,
            }),
            _ => jobs.extend(
                (1..=new.audience_pages(i)).map(|page| PageKind::Audience { audience: i, page }),
            ),
        }
        if was.is_some_and(|p| p < limit) || is.is_some_and(|p| p < limit) {
            jobs.push(PageKind::Feed(Some(i)));
        }
    }
    Some(jobs)
}
