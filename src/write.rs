//! Stage four: pages to disk, atomically. A build writes a fresh folder next to the output
//! and swaps it in only when everything succeeded, so a failed build loses nothing.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// The kind of every error about writing the output, so a full disk reports once, not per file.
pub const WRITE_ERROR: &str = "cannot write output";

/// An error writing `rel` in the output.
pub fn write_error(rel: impl AsRef<Path>, what: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(rel.as_ref(), format!("{what}: {e}")).kind(WRITE_ERROR)
}

/// The file that marks a folder as brief's output, so we never replace anything else.
pub const MARKER: &str = ".brief-output";

/// Refuses outputs that would destroy sources: the site root, anything containing it, or the
/// `content/`, `templates/` or `static/` folders (or anything inside them).
pub fn check_output(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let out = absolute(output);
    let refuse = |why: &str| {
        Err(Diagnostic::error(
            output,
            format!("refusing to build into {}: {why}", output.display()),
        )
        .hint("choose an output folder of its own, such as public/"))
    };
    if out == root {
        return refuse("it is the site root");
    }
    if root.starts_with(&out) {
        return refuse("it contains the site root");
    }
    for dir in ["content", "templates", "static"] {
        let d = root.join(dir);
        if out == d || d.starts_with(&out) {
            return refuse(&format!("it is or contains the site's {dir}/ folder"));
        }
        if out.starts_with(&d) {
            return refuse(&format!("it is inside the site's {dir}/ folder"));
        }
    }
    if out.is_file() {
        return refuse("it is a file");
    }
    if out.is_dir()
        && !out.join(MARKER).exists()
        && std::fs::read_dir(&out).is_ok_and(|mut d| d.next().is_some())
    {
        return refuse(
            "it is a non-empty folder that brief did not write; empty it or remove it first",
        );
    }
    Ok(())
}

/// Makes a path absolute and resolves `.` and `..` without touching the disk for missing parts.
pub fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    // Canonicalise the longest existing prefix so symlinks compare equal.
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    let mut clean = PathBuf::new();
    for c in out.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

/// A fresh folder beside the output that becomes the output on [`Staging::commit`].
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates the staging folder next to `target`.
    pub fn new(target: &Path) -> Result<Staging, Diagnostic> {
        let target = absolute(target);
        let parent = target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        std::fs::create_dir_all(&parent).map_err(|e| {
            Diagnostic::error(&parent, format!("cannot create {}: {e}", parent.display()))
        })?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let dir = parent.join(format!(".{name}.tmp-{}-{stamp}", std::process::id()));
        std::fs::create_dir(&dir).map_err(|e| {
            Diagnostic::error(&dir, format!("cannot create {}: {e}", dir.display()))
        })?;
        std::fs::write(dir.join(MARKER), b"")
            .map_err(|e| Diagnostic::error(&dir, format!("cannot write: {e}")))?;
        Ok(Staging {
            dir,
            target,
            committed: false,
        })
    }

    /// Writes one file (path relative to the output root), creating folders as needed.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let mut f = self.create(rel)?;
        f.write_all(bytes)
            .and_then(|()| f.flush())
            .map_err(|e| write_error(rel, "cannot write", e))
    }

    /// Creates one file (path relative to the output root) and its folders, for writing.
    /// The caller flushes it.
    pub fn create(&self, rel: &str) -> Result<BufWriter<File>, Diagnostic> {
        let path = self.dir.join(safe_relative(rel).ok_or_else(|| {
            Diagnostic::error(rel, "refusing to write outside the output folder")
        })?);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| write_error(rel, "cannot create folder", e))?;
        }
        let f = File::create(&path).map_err(|e| write_error(rel, "cannot write", e))?;
        Ok(BufWriter::with_capacity(32 * 1024, f))
    }

    /// Swaps the staged folder in place of the output; the old output is removed afterwards.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let err = |e: std::io::Error| {
            Diagnostic::error(
                &self.target,
                format!("cannot replace {}: {e}", self.target.display()),
            )
        };
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old).map_err(err)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(err(e));
        }
        self.committed = true;
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// A relative output path with no way out of the folder (`..`, absolute, drive prefixes).
pub fn safe_relative(rel: &str) -> Option<PathBuf> {
    let p = Path::new(rel);
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_relative_rejects_escapes() {
        assert!(safe_relative("a/b.html").is_some());
        assert!(safe_relative("../x").is_none());
        assert!(safe_relative("/etc/passwd").is_none());
        assert!(safe_relative("").is_none());
    }
}
