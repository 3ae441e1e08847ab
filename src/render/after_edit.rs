//! What `serve` renders again after an article's body or front matter was
//! edited in place: the pages that show the article, judged from the plan's
//! page kinds and the site-wide lists before and after. One place knows
//! what each kind of page shows of an article, a standing page, a
//! questionnaire or an issue, so serve keeps nothing of its own to mirror
//! it.

use crate::content::{Article, Issue, Page};
use crate::plan::{ArticleRef, PageKind};
use crate::selfcheck::Questionnaire;
use crate::site::{Lists, Site, SourceEdit};

/// The pages to render again once `edit` (a file read again, not yet put
/// in place) is put in `site`; `None` when other pages show what changed,
/// and the site must be loaded again.
///
/// A standing page shows in every page's menu and on the QR poster (its
/// title, URL, menu order, draft mark); a questionnaire on the list, the
/// audience sections and the QR poster (its title, URL, summary, number of
/// items, audiences); an issue on its articles' pages, cards, the archive,
/// home, feeds, sitemap and QR sheets (its number, title, date, summary,
/// cover, draft mark). Its editor's note only on the issue's page and in
/// its booklet: the home page shows the latest issue's card, not its note.
/// The home page's intro only on the home page.
pub fn pages_after_reread(site: &Site, edit: &SourceEdit) -> Option<Vec<PageKind>> {
    match edit {
        SourceEdit::Page(at, new) => {
            same_menu_entry(&site.pages[*at], new).then(|| vec![PageKind::Standing(*at)])
        }
        SourceEdit::Questionnaire(at, new) => same_selfcheck_card(&site.questionnaires[*at], new)
            .then(|| vec![PageKind::Selfcheck(*at)]),
        SourceEdit::Intro(_) => Some(vec![PageKind::Home]),
        SourceEdit::Issue(at, new) => same_issue_card(&site.issues[*at], new)
            .then(|| vec![PageKind::Issue(*at), PageKind::Print(*at)]),
    }
}

fn same_menu_entry(old: &Page, new: &Page) -> bool {
    old.title == new.title
        && old.path == new.path
        && old.weight == new.weight
        && old.draft == new.draft
}

fn same_selfcheck_card(old: &Questionnaire, new: &Questionnaire) -> bool {
    old.title == new.title
        && old.path == new.path
        && old.summary == new.summary
        && old.audiences == new.audiences
        && old.items.len() == new.items.len()
}

fn same_issue_card(old: &Issue, new: &Issue) -> bool {
    old.number == new.number
        && old.title == new.title
        && old.date == new.date
        && old.summary == new.summary
        && old.cover == new.cover
        && old.draft == new.draft
}

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
    kinds.extend(wechat_pages(site, at));
    kinds.extend(
        (0..site.by_audience.len())
            .filter(|&i| carries(&site.by_audience[i]))
            .map(|i| PageKind::Feed(Some(i))),
    );
    kinds
}

/// An article's 公众号 page and 正文, and `/wechat/`, which shows its title
/// and length, when the site has them. (Its cover crops and the 正文 that
/// link it change only with its cover, first image or `wechat_url`, which
/// load the site again.)
fn wechat_pages(site: &Site, at: ArticleRef) -> Vec<PageKind> {
    if site.config.wechat.is_none() {
        return Vec::new();
    }
    vec![
        PageKind::Wechat(at),
        PageKind::WechatFragment(at),
        PageKind::WechatList,
    ]
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
    jobs.extend(wechat_pages(new, r));
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
