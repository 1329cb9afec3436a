//! `brief serve`: build into memory, serve it, watch the sources, rebuild what changed, and
//! tell open tabs. Never writes to disk, so drafts shown in preview cannot leak into a deploy.

pub mod incremental;
pub mod overlay;
pub mod server;
pub mod watch;

use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Instant;

use crate::build;

/// Prints a line, ignoring a closed stdout: losing the terminal must not stop the server.
macro_rules! say {
    ($($t:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

/// Like `say!`, on stderr.
macro_rules! say_err {
    ($($t:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}
use crate::diagnostic::{self, Diagnostic};
use incremental::{Changes, Session};
use server::{Notice, Shared};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Site root.
    pub root: PathBuf,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Show drafts.
    pub drafts: bool,
    /// Open a browser.
    pub open: bool,
    /// Poll instead of native file events.
    pub poll: bool,
    /// Colour terminal output.
    pub color: bool,
}

/// Runs the server until Ctrl-C. Errors are for things that stop it from starting.
pub fn run(opts: ServeOptions) -> Result<(), Diagnostic> {
    let listener =
        std::net::TcpListener::bind(SocketAddr::new(opts.bind, opts.port)).map_err(|e| {
            let what = if e.kind() == std::io::ErrorKind::AddrInUse {
                "is already in use".to_string()
            } else {
                format!("cannot be used: {e}")
            };
            Diagnostic::error(
                "--port",
                format!("port {} on {} {what}", opts.port, opts.bind),
            )
            .hint("stop the other server, pick another --port, or use --port 0 for any free port")
        })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Diagnostic::error("--port", e.to_string()))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Diagnostic::error("--port", e.to_string()))?;
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "localhost".to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{host}:{}/", addr.port());
    if !opts.bind.is_loopback() {
        say_err!("warning: listening on {}, which other machines can reach; the preview shows drafts. Use --bind 127.0.0.1 to keep it private.", opts.bind);
    }

    let started = Instant::now();
    let (mut session, first) = Session::open(build::Options {
        root: opts.root.clone(),
        drafts: opts.drafts,
        base_url: Some(url.clone()),
    });
    let shared = Shared::new(session.pages().clone(), session.deferred());
    match first {
        Ok(u) => {
            say!(
                "Built {} pages in {} ms",
                u.total,
                started.elapsed().as_millis()
            );
            // All of them would bury the server's address; each file's show when it is saved.
            let n = session.warnings().len();
            if n > 0 {
                let s = if n == 1 { "" } else { "s" };
                say_err!("{n} warning{s}: `brief check` lists them; a file's own are shown here when you save it");
            }
        }
        Err(diags) => {
            say_err!("{}", diagnostic::render_all(&diags, opts.color));
            shared.fail(overlay::overlay_html(&diags));
        }
    }

    let (tx, rx) = mpsc::channel();
    let mut watcher = watch::Watcher::start(&opts.root, opts.poll, tx).map_err(|e| {
        Diagnostic::error(&opts.root, format!("cannot watch the site: {e}")).hint("try --poll")
    })?;

    say!("Serving {} at {url} (Ctrl-C to stop)", opts.root.display());
    let _ = std::io::stdout().flush();
    if opts.open {
        open_browser(&url);
    }

    let rebuild_shared = shared.clone();
    let color = opts.color;
    std::thread::spawn(move || {
        rebuild_loop(&mut session, &mut watcher, rx, &rebuild_shared, color)
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::error("serve", format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| Diagnostic::error("serve", e.to_string()))?;
        let app = server::router(shared);
        tokio::select! {
            r = axum::serve(listener, app) => r.map_err(|e| Diagnostic::error("serve", e.to_string())),
            _ = tokio::signal::ctrl_c() => {
                say!("Stopped.");
                Ok(())
            }
        }
    })?;
    // Open event streams would keep a graceful shutdown waiting; there is nothing to flush.
    runtime.shutdown_background();
    Ok(())
}

/// Waits for file changes, coalesces bursts, rebuilds, and tells the server.
fn rebuild_loop(
    session: &mut Session,
    watcher: &mut watch::Watcher,
    rx: mpsc::Receiver<watch::Message>,
    shared: &Shared,
    color: bool,
) {
    let root = session.root().to_path_buf();
    let root_abs = root.canonicalize().unwrap_or_else(|_| root.clone());
    let mut last_error: Option<String> = None;
    while let Ok(first) = rx.recv() {
        let mut paths = Vec::new();
        let mut rescan = false;
        let mut absorb = |m: watch::Message| match m {
            watch::Message::Paths(p) => paths.extend(p),
            watch::Message::Rescan => rescan = true,
        };
        absorb(first);
        while let Ok(more) = rx.try_recv() {
            absorb(more);
        }
        let rel: Vec<PathBuf> = paths
            .iter()
            .filter_map(|p| relative(p, &root, &root_abs))
            .collect();
        for dir in ["content", "templates", "static"] {
            if rel.iter().any(|p| p == Path::new(dir)) {
                watcher.watch_folder(&root.join(dir));
            }
        }
        if std::env::var_os("BRIEF_DEBUG_WATCH").is_some() {
            say_err!("watch: {rel:?} rescan={rescan}");
        }
        let mut changes = Changes::from_paths(rel);
        changes.rescan = rescan;
        if changes.is_empty() {
            continue;
        }
        let t = Instant::now();
        match session.apply(&changes) {
            Ok(update) => {
                let was_error = shared.has_error();
                if update.written.is_empty() && update.removed.is_empty() && !was_error {
                    continue;
                }
                let notice = if changes.css_only() && !was_error {
                    Notice::Css
                } else {
                    Notice::Reload
                };
                shared.publish(session.pages(), &update, session.deferred(), notice);
                last_error = None;
                say!(
                    "Rebuilt {} page{} in {} ms",
                    update.written.len() + update.removed.len(),
                    if update.written.len() + update.removed.len() == 1 {
                        ""
                    } else {
                        "s"
                    },
                    t.elapsed().as_millis()
                );
                // The saved files' own warnings, so that a mistake shows while it is fresh.
                let saved: Vec<Diagnostic> = (session.warnings().iter())
                    .filter(|d| changes.content.iter().any(|p| d.file.starts_with(p)))
                    .cloned()
                    .collect();
                if !saved.is_empty() {
                    say_err!("{}", diagnostic::render_all(&saved, color));
                }
            }
            Err(diags) => {
                let text = diagnostic::render_all(&diags, color);
                if last_error.as_deref() != Some(text.as_str()) {
                    say_err!("{text}");
                }
                shared.fail(overlay::overlay_html(&diags));
                last_error = Some(text);
            }
        }
        let _ = std::io::stdout().flush();
    }
}

/// An event's path relative to the site root, if it is inside it.
fn relative(p: &Path, root: &Path, root_abs: &Path) -> Option<PathBuf> {
    p.strip_prefix(root_abs)
        .or_else(|_| p.strip_prefix(root))
        .ok()
        .map(Path::to_path_buf)
        .filter(|r| !r.as_os_str().is_empty())
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(e) = cmd {
        say_err!("warning: could not open a browser ({e}); open {url} yourself");
    }
}
