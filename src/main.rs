//! The `weikan` command line. Exit codes: 0 ok, 1 content errors, 2 usage errors.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use weikan::commands::build::{self, BuildArgs, BuildError};
use weikan::diagnostics::Diagnostics;

/// weikan (微刊): builds a community self-help micro-journal into a static website.
#[derive(Parser)]
#[command(name = "weikan", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced in one step on success).
    Build {
        /// The site folder (holding site.toml).
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Where to write the site [default: public/ in the site folder]
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Publish under this address instead of site.toml's base_url.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include issues and articles marked draft = true.
        #[arg(long)]
        drafts: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => {
            let args = BuildArgs {
                root,
                output,
                base_url,
                drafts,
            };
            match build::run(&args) {
                Ok(report) => {
                    print_diagnostics(&report.warnings);
                    println!(
                        "built {}, {}: {} in {} ({} ms)",
                        count(report.issues, "issue"),
                        count(report.articles, "article"),
                        count(report.files, "file"),
                        report.output_dir.display(),
                        report.elapsed.as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(BuildError::Usage(message)) => {
                    eprintln!("error: {message}");
                    ExitCode::from(2)
                }
                Err(BuildError::Content(diagnostics)) => {
                    let errors = diagnostics.error_count();
                    print_diagnostics(&diagnostics);
                    eprintln!(
                        "build failed: {errors} error{}; the output folder was not changed",
                        if errors == 1 { "" } else { "s" }
                    );
                    ExitCode::from(1)
                }
            }
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
