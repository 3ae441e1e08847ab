//! The `weikan` command line. Exit codes: 0 ok, 1 content errors, 2 usage errors.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use weikan::commands::build::{self, BuildArgs};
use weikan::commands::new::{self, NewArticle, NewIssue};
use weikan::commands::new_selfcheck;
use weikan::commands::{CommandError, check, init};
use weikan::diagnostics::Diagnostics;
use weikan::serve::{self, ServeArgs};

/// weikan (微刊): builds a community self-help micro-journal into a static website.
#[derive(Parser)]
#[command(name = "weikan", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The site folder option every command on a site shares.
#[derive(Args)]
struct Root {
    /// The site folder (holding site.toml).
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced in one step on success).
    Build {
        #[command(flatten)]
        root: Root,
        /// Where to write the site [default: public/ in the site folder]
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Publish under this address instead of site.toml's base_url.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include issues, articles and pages marked draft = true.
        #[arg(long)]
        drafts: bool,
    },
    /// Preview the site while you write: serve it, rebuild on every save, reload open pages.
    Serve {
        #[command(flatten)]
        root: Root,
        /// The address to listen on; other machines can reach anything but 127.0.0.1 or ::1.
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
        bind: std::net::IpAddr,
        /// The port; 0 picks a free one.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include issues, articles and pages marked draft = true.
        #[arg(long)]
        drafts: bool,
        /// Look for changes twice a second instead of waiting for file events (for network folders).
        #[arg(long)]
        poll: bool,
    },
    /// Build in memory and report problems and warnings; write nothing.
    Check {
        #[command(flatten)]
        root: Root,
    },
    /// Start a new issue, article or self-check questionnaire.
    #[command(subcommand)]
    New(NewCommand),
    /// Write a small working site into a new folder.
    Init {
        /// The folder to create.
        dir: PathBuf,
        /// Write into a folder that is not empty (starter files of the same name are replaced).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum NewCommand {
    /// Create the next issue folder with its issue.md, dated today.
    Issue {
        #[command(flatten)]
        root: Root,
        /// The issue's theme.
        #[arg(long, value_name = "T")]
        title: Option<String>,
        /// Its number [default: the next free one].
        #[arg(long, value_name = "N")]
        number: Option<u32>,
    },
    /// Create the next numbered article of an issue.
    Article {
        #[command(flatten)]
        root: Root,
        /// The number of the issue it belongs to.
        #[arg(long, value_name = "N")]
        issue: u32,
        /// The article's title.
        #[arg(long, value_name = "T")]
        title: String,
        /// An audience key from site.toml; repeat for several.
        #[arg(long = "audience", value_name = "KEY")]
        audiences: Vec<String>,
    },
    /// Create a starter self-check questionnaire in content/selfcheck/.
    Selfcheck {
        #[command(flatten)]
        root: Root,
        /// The questionnaire's title.
        #[arg(long, value_name = "T")]
        title: String,
    },
}

fn main() -> ExitCode {
    let command = Cli::parse().command;
    let failure = command.failure();
    exit_code(run(command), failure)
}

impl Command {
    /// How the last line begins when this command fails.
    fn failure(&self) -> &'static str {
        match self {
            Command::Build { .. } => "build failed",
            Command::Check { .. } => "check failed",
            Command::Serve { .. } => "serve failed",
            Command::New(_) | Command::Init { .. } => "failed",
        }
    }
}

/// Runs `command`, printing what it did to standard output.
fn run(command: Command) -> Result<(), CommandError> {
    match command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => run_build(&BuildArgs {
            root: root.root,
            output,
            base_url,
            drafts,
        }),
        Command::Check { root } => run_check(&root.root),
        Command::New(command) => run_new(command),
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            poll,
        } => serve::run(&ServeArgs {
            root: root.root,
            bind,
            port,
            drafts,
            poll,
        }),
        Command::Init { dir, force } => init::run(&dir, force).map(|files| {
            for f in &files {
                println!("created {}", dir.join(f).display());
            }
            println!("a new site is ready: cd {} && weikan build", dir.display());
        }),
    }
}

/// `weikan build`: the warnings, then one line saying what was written.
fn run_build(args: &BuildArgs) -> Result<(), CommandError> {
    build::run(args).map(|report| {
        print_diagnostics(&report.warnings);
        println!(
            "built {}, {}: {} in {} ({} ms)",
            count(report.issues, "issue"),
            count(report.articles, "article"),
            count(report.files, "file"),
            report.output_dir.display(),
            report.elapsed.as_millis()
        );
    })
}

/// `weikan check`: the warnings, then one line saying it passed.
fn run_check(root: &std::path::Path) -> Result<(), CommandError> {
    check::run(root).map(|checked| {
        print_diagnostics(&checked.warnings);
        println!("{}", checked.planned());
        for line in checked.wechat_lines() {
            println!("{line}");
        }
        println!(
            "check passed: no errors, {}; nothing was written",
            count(checked.warnings.iter().count(), "warning")
        );
    })
}

/// `weikan new …`: creates the file and names it.
fn run_new(command: NewCommand) -> Result<(), CommandError> {
    let created = match command {
        NewCommand::Issue {
            root,
            title,
            number,
        } => new::new_issue(&NewIssue {
            root: root.root,
            title,
            number,
        }),
        NewCommand::Article {
            root,
            issue,
            title,
            audiences,
        } => new::new_article(&NewArticle {
            root: root.root,
            issue,
            title,
            audiences,
        }),
        NewCommand::Selfcheck { root, title } => new_selfcheck::run(&root.root, &title),
    };
    created.map(|path| println!("created {}", path.display()))
}

/// The exit code of `result` (0, 1 for content errors, 2 for usage
/// errors), printing the errors and a last line starting with `failure`.
fn exit_code(result: Result<(), CommandError>, failure: &str) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CommandError::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(CommandError::Content(diagnostics)) => {
            let errors = diagnostics.error_count();
            print_diagnostics(&diagnostics);
            eprintln!(
                "{failure}: {}; the output folder was not changed",
                count(errors, "error")
            );
            ExitCode::from(1)
        }
    }
}

/// `1 issue`, `5 issues`.
fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Prints every diagnostic to standard error, sorted by file and line.
fn print_diagnostics(diagnostics: &Diagnostics) {
    let mut out = std::io::stderr().lock();
    for d in diagnostics.clone().sorted() {
        let _ = writeln!(out, "{d}");
    }
}
