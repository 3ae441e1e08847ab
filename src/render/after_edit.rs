//! What `serve` renders again after an article's body or front matter was
//! edited in place: the pages that show the article, judged from the plan's
//! page kinds and the site-wide lists before and after.

use crate::plan::{ArticleRef, PageKind};
use crate::site::{Lists, Site};

/// The files to render again after article `r` was edited in place
/// (same URL, same place in its issue; [`Site::with_article_edited`]), given
/// the lists as they were `before`: the article and its neighbours, its
/// issue, the issue's QR sheet and booklet, the sitemap, the home page when
/// the issue is the latest or an audience's count changed, and in each list
/// the article is or was in, the page showing it (every page of the list
/// when it moved) and the feed when it is among the feed's items. `None`
/// when everything must be rendered again.
pub fn jobs_after_article_edit(before: &Lists, new: &Site, r: ArticleRef) -> Option<Vec<PageKind>> {
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
