//! Watching the site's folders (never single files, so editors' atomic saves are seen) and
//! turning file-system events into paths worth rebuilding for.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_full::notify::{self, RecursiveMode};
use notify_debouncer_full::{
    new_debouncer_opt, DebounceEventResult, Debouncer, NoCache, RecommendedCache,
};

/// What the watcher reports.
#[derive(Debug)]
pub enum Message {
    /// These paths (absolute) changed: created, written, removed or renamed.
    Paths(Vec<PathBuf>),
    /// Events were lost; everything must be looked at again.
    Rescan,
}

/// How old an event must be before it is handed on: the debouncer keeps each event this long
/// (checking every [`TICK`]), merging repeats of it on the same path, so this is added to every
/// rebuild's latency. An editor's save (write a temporary file and rename it over, or truncate
/// and write) lands within a millisecond; a burst that arrives in pieces, or a save caught
/// half-way, is simply rebuilt again when its next events are handed on.
const QUIET: Duration = Duration::from_millis(5);

/// How often the debouncer's thread wakes to hand events on (it does so even when idle, so a
/// shorter tick would cost wake-ups; this one adds at most 5 ms to a rebuild's latency).
const TICK: Duration = Duration::from_millis(5);

/// The running watcher; dropping it stops watching.
pub enum Watcher {
    /// The platform's native events.
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    /// Polling, for file systems without events.
    Poll(Debouncer<notify::PollWatcher, NoCache>),
}

impl Watcher {
    /// Starts watching `root`: the root folder itself (for `site.yaml` and new top folders)
    /// and `content/`, `templates/`, `static/` recursively.
    pub fn start(root: &Path, poll: bool, tx: Sender<Message>) -> notify::Result<Watcher> {
        let handler = move |res: DebounceEventResult| {
            let msg = match res {
                Ok(events) => {
                    if events.iter().any(|e| e.need_rescan()) {
                        Message::Rescan
                    } else {
                        let paths: Vec<PathBuf> = events
                            .into_iter()
                            .filter(|e| is_change(&e.event.kind))
                            .flat_map(|e| e.event.paths)
                            .filter(|p| !is_litter(p))
                            .collect();
                        if paths.is_empty() {
                            return;
                        }
                        Message::Paths(paths)
                    }
                }
                Err(_) => Message::Rescan,
            };
            let _ = tx.send(msg);
        };
        let mut w = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(250));
            Watcher::Poll(new_debouncer_opt(
                QUIET,
                Some(TICK),
                handler,
                NoCache,
                config,
            )?)
        } else {
            Watcher::Native(new_debouncer_opt(
                QUIET,
                Some(TICK),
                handler,
                RecommendedCache::new(),
                notify::Config::default(),
            )?)
        };
        w.watch(root, RecursiveMode::NonRecursive)?;
        for dir in ["content", "templates", "static"] {
            w.watch_folder(&root.join(dir));
        }
        Ok(w)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Watcher::Native(d) => d.watch(path, mode),
            Watcher::Poll(d) => d.watch(path, mode),
        }
    }

    /// Watches a site folder recursively if it exists (called again when one is created).
    pub fn watch_folder(&mut self, dir: &Path) {
        if dir.is_dir() {
            let _ = self.watch(dir, RecursiveMode::Recursive);
        }
    }
}

/// Reading a file is not changing it: our own rebuild opens every file it loads, and
/// touching times or permissions changes nothing we render.
fn is_change(kind: &notify::EventKind) -> bool {
    use notify::event::ModifyKind;
    use notify::EventKind;
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_))
    )
}

/// Swap, backup and lock files that editors write next to the real ones.
pub fn is_litter(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return true;
    };
    name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name == "4913"
        || name == ".DS_Store"
}

#[cfg(test)]
mod tests {
    use super::is_litter;
    use std::path::Path;

    #[test]
    fn editor_litter_is_ignored() {
        for l in ["a/.a.md.swp", "a/a.md~", "a/.#a.md", "a/4913", "a/#a.md#"] {
            assert!(is_litter(Path::new(l)), "{l}");
        }
        assert!(!is_litter(Path::new("content/a.md")));
    }
}
