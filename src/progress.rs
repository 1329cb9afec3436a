//! The progress bar `brief build` shows at a terminal.
//!
//! A fast build should print nothing extra, so the bar is drawn only once the build has run
//! for a while; until then it counts in silence.

use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::build::Progress;

/// How long a build runs before the bar appears.
pub const DEFAULT_DELAY: Duration = Duration::from_secs(1);

/// A progress bar on stderr that shows itself after a delay.
pub struct TerminalProgress {
    bar: ProgressBar,
    done: Option<mpsc::Sender<()>>,
    waiter: Option<JoinHandle<()>>,
}

impl TerminalProgress {
    /// Starts counting; the bar is drawn on stderr if the build is still running after `delay`.
    pub fn start(delay: Duration) -> TerminalProgress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(spinner_style());
        let (done, wait) = mpsc::channel::<()>();
        let shown = bar.clone();
        let waiter = std::thread::spawn(move || {
            if wait.recv_timeout(delay) == Err(mpsc::RecvTimeoutError::Timeout) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        TerminalProgress {
            bar,
            done: Some(done),
            waiter: Some(waiter),
        }
    }

    /// Erases the bar (if it was drawn), so that the summary line starts on a clean line.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        if let Some(done) = self.done.take() {
            let _ = done.send(());
        }
        if let Some(w) = self.waiter.take() {
            let _ = w.join();
        }
        self.bar.finish_and_clear();
    }
}

impl Drop for TerminalProgress {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Progress for TerminalProgress {
    fn stage(&self, name: &'static str, total: u64) {
        self.bar.set_message(name);
        self.bar.set_position(0);
        if total == 0 {
            self.bar.set_style(spinner_style());
            self.bar.unset_length();
        } else {
            self.bar.set_style(bar_style());
            self.bar.set_length(total);
        }
    }

    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg:<10} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{msg:<10} [{bar:30}] {pos}/{len} {elapsed}")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_without_drawing_before_the_delay() {
        let p = TerminalProgress::start(Duration::from_secs(60));
        p.stage("Rendering", 10);
        p.advance(3);
        assert_eq!(p.bar.position(), 3);
        assert!(p.bar.is_hidden());
        p.finish();
    }
}
