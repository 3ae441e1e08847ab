//! Rendering: a pure function from the validated [`Site`] and a [`Theme`] to
//! the [`Output`] map. It walks the site's page plan (`crate::plan`); each
//! page kind has its module in `pages`. Pages render in parallel; nothing
//! here touches the output folder.

mod after_edit;
pub mod context;
mod csp;
mod pages;
pub mod theme;

use std::borrow::Cow;

use rayon::prelude::*;
use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{Collect, Content, Output, OutputPath, PutError, Sink};
use crate::paths;
pub use crate::plan::PageKind;
use crate::site::Site;
use crate::words::Words;
pub use after_edit::{pages_after_article_edit, pages_after_reread};
use context::{Cards, SiteContext};
pub use pages::leaves_out;
use pages::{Html, Made};
pub use theme::Theme;

/// An output path and its bytes, or the template's error.
type RenderedFile = (String, Result<Vec<u8>, Diagnostic>);

/// Renders pages of one site with one theme; everything shared by pages
/// (compiled templates, article cards) is computed once here.
pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    tera: Cow<'a, Tera>,
    cards: Cards<'a>,
    /// Every page's Content-Security-Policy, made once.
    csp: String,
}

/// What every template sees besides its page: the site, the page's
/// Content-Security-Policy and the words table. Returns the policy.
fn set_globals(tera: &mut Tera, site: &Site, theme: &Theme) -> String {
    let policy = csp::policy(theme);
    tera.global_context()
        .insert("site", &SiteContext::new(site));
    tera.global_context().insert("csp", &policy);
    tera.global_context().insert("words", &theme.words);
    policy
}

impl<'a> Renderer<'a> {
    /// Compiles the theme for `site`.
    pub fn new(site: &'a Site, theme: &'a Theme) -> Result<Self, Diagnostics> {
        let mut tera = theme.compile()?;
        let csp = set_globals(&mut tera, site, theme);
        Ok(Renderer {
            site,
            theme,
            tera: Cow::Owned(tera),
            cards: Cards::new(site),
            csp,
        })
    }

    /// Renders `site` with templates compiled earlier from `theme` (by
    /// [`Theme::compile`]), so that `serve` compiles them only when a
    /// template changes. What every page sees of the site is set here.
    pub fn with_templates(site: &'a Site, theme: &'a Theme, tera: &'a mut Tera) -> Self {
        let csp = set_globals(tera, site, theme);
        Renderer {
            site,
            theme,
            tera: Cow::Borrowed(tera),
            cards: Cards::new(site),
            csp,
        }
    }

    /// The policy of a page that frames a page of the site's own (the
    /// 公众号 page's preview), and is otherwise as strict as every page.
    fn csp_with_frames(&self) -> String {
        format!("{}; frame-src 'self'", self.csp)
    }

    /// The words readers see that Rust writes.
    fn words(&self) -> &Words {
        &self.theme.words
    }

    /// The files of the page of `kind` at site path `path`: (output path,
    /// bytes or the template's error). Most kinds make one file; the
    /// search index is many files, made as they are taken.
    fn files(&self, kind: PageKind, path: &str) -> Box<dyn Iterator<Item = RenderedFile> + '_> {
        let file = paths::file_of(path);
        match pages::make(self, kind) {
            Ok(Made::Html(page)) => Box::new(std::iter::once((file, self.html(page)))),
            Ok(Made::Bytes(bytes)) => Box::new(std::iter::once((file, Ok(bytes)))),
            Ok(Made::Files(files)) => Box::new(files.map(|(path, bytes)| (path, Ok(bytes)))),
            Err(d) => Box::new(std::iter::once((file, Err(d)))),
        }
    }

    /// Lays a page out with its template.
    fn html(&self, page: Html) -> Result<Vec<u8>, Diagnostic> {
        let Html {
            template,
            mut ctx,
            meta,
        } = page;
        ctx.insert("page", &meta);
        // Into bytes, which is what the output takes: a String would cost a
        // check of every byte of every page that it is UTF-8, which it is.
        let mut html = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, &ctx, &mut html)
            .map(|()| html)
            .map_err(|e| self.theme.diagnostic(&e))
    }

    /// Renders the pages of `kinds` in parallel: (output path, bytes) in
    /// their order.
    pub fn render(&self, kinds: &[PageKind]) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
        let rendered: Vec<RenderedFile> = kinds
            .par_iter()
            .flat_map_iter(|kind| self.files(*kind, &kind.path(self.site)))
            .collect();
        let mut diagnostics = Diagnostics::new();
        let mut files = Vec::with_capacity(rendered.len());
        for (path, result) in rendered {
            match result {
                Ok(bytes) => files.push((path, bytes)),
                Err(d) => diagnostics.push(d),
            }
        }
        if diagnostics.has_errors() {
            Err(diagnostics)
        } else {
            Ok(files)
        }
    }
}

/// Why files could not be put in a [`Sink`].
#[derive(Debug)]
pub enum RenderError {
    /// Problems of the site or theme: template errors, a path taken twice.
    Content(Diagnostics),
    /// Writing failed.
    Io(std::io::Error),
}

/// Renders every page, feed and sheet, and adds the copied files: the
/// whole [`Output`], in memory.
pub fn render(site: &Site, theme: &Theme) -> Result<Output, Diagnostics> {
    render_all(&Renderer::new(site, theme)?)
}

/// Renders the whole [`Output`] in memory with `renderer`.
pub fn render_all(renderer: &Renderer<'_>) -> Result<Output, Diagnostics> {
    let sink = Collect::default();
    match render_with(renderer, &sink) {
        Ok(()) => Ok(sink.into_output()),
        Err(RenderError::Content(problems)) => Err(problems),
        // Memory does not fail to write; were it to, it is one more problem.
        Err(RenderError::Io(e)) => {
            Err(Diagnostic::error(format!("a page could not be kept: {e}")).into())
        }
    }
}

/// Renders every page of the site's plan into `sink` as each is done, in
/// parallel, and adds the copied files. Nothing waits for the whole site,
/// so memory does not grow with the output.
pub fn render_to(site: &Site, theme: &Theme, sink: &dyn Sink) -> Result<(), RenderError> {
    let renderer = Renderer::new(site, theme).map_err(RenderError::Content)?;
    render_with(&renderer, sink)
}

/// [`render_to`] with a renderer made beforehand.
pub fn render_with(renderer: &Renderer<'_>, sink: &dyn Sink) -> Result<(), RenderError> {
    let (site, theme) = (renderer.site, renderer.theme);
    let mut diagnostics = Diagnostics::new();
    // Copied files first: a page never has the name of a copied file, and
    // the site's own files must be in before the theme's are checked.
    for file in &site.files {
        let owner = crate::content::load::site_path(&file.source);
        let content = Content::Copy(site.root.join(&file.source));
        put(sink, &file.path, content, owner, &mut diagnostics)?;
    }
    // The site's own files win over the theme's of the same name.
    for (path, file) in &theme.statics {
        if sink.contains(path) || leaves_out(site, path) {
            continue;
        }
        let (content, owner) = match file {
            theme::ThemeFile::Embedded(bytes) => (
                Content::Bytes(bytes.to_vec()),
                format!("the built-in theme's {path}"),
            ),
            theme::ThemeFile::Disk(abs, rel) => (
                Content::Copy(abs.clone()),
                crate::content::load::site_path(rel),
            ),
        };
        put(sink, path, content, owner, &mut diagnostics)?;
    }
    let plan = site.plan();
    let problems: Vec<Result<Diagnostic, std::io::Error>> = plan
        .entries()
        .par_iter()
        .flat_map_iter(|entry| renderer.files(entry.kind, &entry.path))
        .filter_map(|(path, bytes)| {
            let bytes = match bytes {
                Ok(bytes) => bytes,
                Err(d) => return Some(Ok(d)),
            };
            let mut found = Diagnostics::new();
            let owner = format!("the page /{path}");
            match put(sink, &path, Content::Bytes(bytes), owner, &mut found) {
                Err(RenderError::Io(e)) => Some(Err(e)),
                _ => found.into_iter().next().map(Ok),
            }
        })
        .collect();
    for problem in problems {
        diagnostics.push(problem.map_err(RenderError::Io)?);
    }
    if diagnostics.has_errors() {
        Err(RenderError::Content(diagnostics))
    } else {
        Ok(())
    }
}

/// Puts one file, reporting a path claimed twice or one that is unsafe;
/// only a failed write stops the build at once.
fn put(
    sink: &dyn Sink,
    path: &str,
    content: Content,
    owner: String,
    diagnostics: &mut Diagnostics,
) -> Result<(), RenderError> {
    let problem = match OutputPath::new(path) {
        Ok(p) => match sink.put(p, content, owner.clone()) {
            Ok(()) => return Ok(()),
            Err(PutError::Io(e)) => return Err(RenderError::Io(e)),
            Err(PutError::Taken(other)) => Diagnostic::file_error(
                &owner,
                format!("/{path} would be written twice: also by {other}"),
            )
            .with_help("rename one of the two files"),
        },
        Err(e) => Diagnostic::file_error(&owner, e),
    };
    diagnostics.push(problem);
    Ok(())
}
