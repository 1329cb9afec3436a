//! The `brief` command line: parse arguments, call the library, map results to exit codes.

// Many threads allocate and free many short-lived strings and template values. jemalloc, set
// up as below, measured as fast as mimalloc (which brief used before) with 15% less peak memory
// at 10k briefings: mimalloc filled its huge pages sparsely, ~35 MiB (bench/README.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read when it first allocates (Linux only: elsewhere jemalloc would
/// warn that it cannot honour them):
/// - `thp:always`: transparent huge pages. Template values are pointer-heavy; without them a
///   build took 12–17% more CPU time and a serve rebuild ~2.7 times as long (TLB misses).
/// - `percpu_arena:percpu`: one arena per CPU rather than four per CPU, so that a thread mostly
///   frees into the arena it allocated from (serve rebuilds: 43 ms instead of 60–77 ms at 10k).
/// - `dirty_decay_ms:-1,muzzy_decay_ms:-1`: keep freed memory for reuse. The dev server frees
///   and reallocates a model's worth of memory on every edit; handed back to the system, each
///   reuse cost page faults and the zeroing of fresh pages.
// SAFETY: the symbol is the one tikv-jemalloc-sys's jemalloc reads its options from, as a
// `const char *`: `&[u8; N]` is a plain pointer to these NUL-terminated bytes, which live for
// the whole program, and nothing else defines the symbol.
#[cfg(target_os = "linux")]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: &[u8; 67] =
    b"thp:always,percpu_arena:percpu,dirty_decay_ms:-1,muzzy_decay_ms:-1\0";

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use brief::build::{self, Options};
use brief::diagnostic::{self, Diagnostic};
use brief::load::front_matter::Status;
use brief::scaffold;
use clap::builder::PossibleValuesParser;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

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
        /// Print errors only.
        #[arg(short, long, conflicts_with = "verbose")]
        quiet: bool,
        /// Also print how long each stage took.
        #[arg(short, long)]
        verbose: bool,
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
    /// Write a new briefing, front matter filled in, and print its path.
    New {
        /// The headline.
        #[arg(value_parser = scaffold::check_name)]
        title: String,
        /// The theme, by title or slug.
        #[arg(long, value_parser = scaffold::check_name)]
        topic: String,
        /// An actor, by name or alias; repeat for several.
        #[arg(long = "actor", value_name = "ACTOR", value_parser = scaffold::check_name)]
        actors: Vec<String>,
        /// When it happened: YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 date-time [default: today]
        #[arg(long, value_parser = scaffold::check_date)]
        date: Option<String>,
        /// How firm it is [default: confirmed]
        #[arg(long, value_parser = PossibleValuesParser::new(Status::NAMES))]
        status: Option<String>,
        /// The site root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Print no warnings, only errors and the path.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Create a new site that builds at once: site.yaml and two example briefings.
    Init {
        /// The folder for the site; made if missing.
        dir: PathBuf,
        /// Add the missing files to a folder that is not empty (existing files are kept).
        #[arg(long)]
        force: bool,
        /// Also copy out the built-in templates and static files, to change them.
        #[arg(long)]
        eject_templates: bool,
        /// Print errors only.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), of brief or of one of its commands.
    Man {
        /// A command, for its own page.
        command: Option<String>,
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

/// A progress bar only for a person watching: at a terminal that takes escape codes.
fn show_progress() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

/// How long a build runs before its progress bar appears; `BRIEF_PROGRESS_DELAY_MS` sets
/// it, for tests.
fn progress_delay() -> std::time::Duration {
    std::env::var("BRIEF_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(std::time::Duration::from_millis)
        .unwrap_or(brief::progress::DEFAULT_DELAY)
}

/// `path` as the user would type it from where they are.
fn shown(root: &std::path::Path, rel: &std::path::Path) -> String {
    let p = if root == std::path::Path::new(".") {
        rel.to_path_buf()
    } else {
        root.join(rel)
    };
    p.display().to_string()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            base_url,
            quiet,
            verbose,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let opts = Options {
                root,
                drafts,
                base_url,
            };
            let result = if !quiet && show_progress() {
                let bar = brief::progress::TerminalProgress::start(progress_delay());
                let r = build::build_with(&opts, &output, &bar);
                bar.finish();
                r
            } else {
                build::build(&opts, &output)
            };
            match result {
                Ok(r) => {
                    if quiet {
                        return ExitCode::SUCCESS;
                    }
                    if !r.warnings.is_empty() {
                        report(&r.warnings);
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
                    if verbose {
                        let t = &r.timings;
                        println!(
                            "  load {} ms, model {} ms, render and write {} ms{}",
                            t.load.as_millis(),
                            t.model.as_millis(),
                            t.render.as_millis(),
                            peak_memory()
                                .map(|mib| format!("; peak memory {mib} MiB"))
                                .unwrap_or_default()
                        );
                    }
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
                    println!("{}", diagnostic::to_json_array(&diags));
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
        Command::New {
            title,
            topic,
            actors,
            date,
            status,
            root,
            quiet,
        } => {
            let opts = scaffold::NewOptions {
                root: root.clone(),
                title,
                topic,
                actors,
                date,
                status,
            };
            match scaffold::new_briefing(&opts) {
                Ok(r) => {
                    if !quiet {
                        for w in &r.warnings {
                            eprintln!("{}\n", w.render(color()));
                        }
                    }
                    println!("{}", shown(&root, &r.path));
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    report(&diags);
                    ExitCode::from(1)
                }
            }
        }
        Command::Init {
            dir,
            force,
            eject_templates,
            quiet,
        } => {
            let opts = scaffold::InitOptions {
                dir: dir.clone(),
                force,
                eject_templates,
            };
            match scaffold::init(&opts) {
                Ok(r) => {
                    if !quiet {
                        if r.created.is_empty() {
                            println!(
                                "Nothing to add to {}: every file exists already.",
                                dir.display()
                            );
                        } else {
                            println!("Created a site in {}:", dir.display());
                        }
                        for f in &r.created {
                            println!("  {}", f.display());
                        }
                        for f in &r.kept {
                            println!("  {} (kept: it exists already)", f.display());
                        }
                        println!(
                            "\nNext:\n  cd {}\n  brief serve                 # preview, rebuilt as you edit\n  brief new \"A headline\" --topic \"City water policy\"\n  brief build                 # the site, into public/",
                            dir.display()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    report(&[d]);
                    ExitCode::from(1)
                }
            }
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "brief", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man { command } => {
            let mut cli = Cli::command();
            cli.build();
            let page = match &command {
                None => cli,
                Some(name) => match cli.find_subcommand(name) {
                    Some(sub) => sub.clone().display_name(format!("brief-{name}")),
                    None => {
                        let _ = Cli::command()
                            .error(
                                clap::error::ErrorKind::InvalidValue,
                                format!("no command `{name}`"),
                            )
                            .print();
                        return ExitCode::from(2);
                    }
                },
            };
            let mut out = std::io::stdout().lock();
            let man = clap_mangen::Man::new(page)
                .source(concat!("brief ", env!("CARGO_PKG_VERSION")))
                .manual("brief manual");
            match man.render(&mut out) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write the manual page: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

/// The process's peak resident memory in MiB, where the system tells it (Linux's `VmHWM`).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}
