//! The printable QR sheets: the site's poster (home, each audience, the
//! latest issue, each standing page, the self-checks) and each issue's
//! (the issue, each article, the booklet). Every code encodes an absolute
//! URL and has its title printed under it.

use serde::Serialize;
use tera::Context;

use super::{Html, issue_name, meta};
use crate::diagnostics::Diagnostic;
use crate::paths;
use crate::render::Renderer;
use crate::words::Word;

/// A QR code with what is printed under it.
#[derive(Serialize)]
struct QrCard {
    title: String,
    url: String,
    svg: String,
}

/// `/qr/`: the site's poster sheet.
pub(super) fn site_sheet(env: &Renderer<'_>) -> Result<Html, Diagnostic> {
    let site = env.site;
    let words = env.words();
    let mut targets = vec![(site.config.title.clone(), paths::HOME.to_owned())];
    targets.extend(site.config.audiences.iter().map(|a| {
        let title = words.fill(Word::AudienceTitle, &[("name", &a.name)]);
        (title, paths::audience(a.key.as_str()))
    }));
    targets.extend(site.issues.first().map(|i| {
        let issue = issue_name(env, i);
        let title = words.fill(Word::QrLatestIssue, &[("issue", &issue)]);
        (title, i.path())
    }));
    targets.extend(site.pages.iter().map(|p| (p.title.clone(), p.path.clone())));
    targets.extend(super::selfcheck::qr_target(env));
    let mut ctx = Context::new();
    ctx.insert("codes", &codes(env, &targets)?);
    ctx.insert("back_url", &site.config.base_url.link(paths::HOME));
    let page = meta(
        site,
        "qr",
        words.get(Word::QrSheetTitle),
        words.get(Word::QrSheetDescription),
        Some(paths::QR_SHEET),
        "",
    );
    Ok(Html {
        template: "qr.html",
        ctx,
        meta: page,
    })
}

/// The QR sheet of issue `i`.
pub(super) fn issue_sheet(env: &Renderer<'_>, i: usize) -> Result<Html, Diagnostic> {
    let site = env.site;
    let words = env.words();
    let issue = &site.issues[i];
    let name = issue_name(env, issue);
    let mut targets = vec![(name.clone(), issue.path())];
    targets.extend(
        issue
            .articles
            .iter()
            .map(|a| (a.title.clone(), a.path.clone())),
    );
    targets.push((
        words.fill(Word::PrintTitle, &[("issue", &name)]),
        paths::issue_print(&issue.path()),
    ));
    let mut ctx = Context::new();
    ctx.insert("codes", &codes(env, &targets)?);
    ctx.insert("back_url", &site.config.base_url.link(&issue.path()));
    let path = paths::issue_qr(&issue.path());
    let page = meta(
        site,
        "qr",
        words.fill(Word::IssueQrTitle, &[("issue", &name)]),
        words.get(Word::QrSheetDescription),
        Some(&path),
        "issues",
    );
    Ok(Html {
        template: "qr.html",
        ctx,
        meta: page,
    })
}

/// Codes for `(title, site path)` pairs, encoding absolute URLs.
fn codes(env: &Renderer<'_>, targets: &[(String, String)]) -> Result<Vec<QrCard>, Diagnostic> {
    targets
        .iter()
        .map(|(title, path)| {
            let url = env.site.config.base_url.absolute(path);
            let label = env.words().fill(Word::QrLabel, &[("title", title)]);
            let code = crate::qr::svg(&url, &label).map_err(Diagnostic::error)?;
            Ok(QrCard {
                title: title.clone(),
                url,
                svg: code.svg,
            })
        })
        .collect()
}
