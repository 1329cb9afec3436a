//! The `brief` command line: parse arguments, call the library, map results to exit codes.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use brief::build::{self, Options};
use brief::diagnostic::{self, Diagnostic};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "brief",
    version,
    about = "Turn a folder of Markdown briefings into a timeline website"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render the site into the output folder (default: ROOT/public).
    Build {
        /// The site root, holding site.yaml and content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Include briefings marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Override base_url from site.yaml.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Preview the site while you edit: build into memory, serve, rebuild on every change.
    Serve {
        /// The site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 4000)]
        port: u16,
        /// Include briefings marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of using file-system events.
        #[arg(long)]
        poll: bool,
    },
    /// Validate everything a build reads; write nothing.
    Check {
        /// The site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

fn report(diags: &[Diagnostic]) {
    eprintln!("{}", diagnostic::render_all(diags, color()));
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            base_url,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let opts = Options {
                root,
                drafts,
                base_url,
            };
            match build::build(&opts, &output) {
                Ok(r) => {
                    for w in &r.warnings {
                        eprintln!("{}\n", w.render(color()));
                    }
                    println!(
                        "Built {} briefings, {} themes, {} actors: {} files written to {} in {} ms",
                        r.briefings,
                        r.themes,
                        r.actors,
                        r.pages,
                        output.display(),
                        r.timings.total.as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    report(&diags);
                    eprintln!("build failed; {} left as it was", output.display());
                    ExitCode::from(1)
                }
            }
        }
        Command::Serve {
            root,
            bind,
            port,
            drafts,
            open,
            poll,
        } => {
            let opts = brief::serve::ServeOptions {
                root,
                bind,
                port,
                drafts,
                open,
                poll,
                color: color(),
            };
            match brief::serve::run(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(d) => {
                    report(&[d]);
                    ExitCode::from(1)
                }
            }
        }
        Command::Check {
            root,
            format,
            strict,
            drafts,
        } => {
            let opts = Options {
                root: root.clone(),
                drafts,
                base_url: None,
            };
            let diags = brief::check::check(&opts);
            let failed = diags.iter().any(|d| d.is_error() || strict);
            match format {
                Format::Json => {
                    let arr: Vec<_> = diags.iter().map(Diagnostic::to_json).collect();
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&arr).unwrap_or_else(|_| "[]".into())
                    );
                }
                Format::Human => {
                    if diags.is_empty() {
                        println!("No problems found.");
                    } else {
                        report(&diags);
                    }
                }
            }
            if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}
