//! Finding `libpdfium.so`.
//!
//! There is no Debian package; `scripts/setup-pdfium.sh` extracts the library
//! from the pinned `pypdfium2` wheel into `.pdfium/` in the project. At run
//! time the first existing candidate wins, in this order:
//! 1. the explicit setting (`--pdfium`, [`super::PdfSettings::pdfium`]) or the
//!    `FAXRENDER_PDFIUM` environment variable (a file, or a folder holding
//!    `libpdfium.so`);
//! 2. next to the executable (how a release is shipped, and the Dockerfile);
//! 3. the project folder's `.pdfium/` (known at build time: `cargo run` and
//!    `cargo test` in a checkout work after the setup script);
//! 4. the system library folders.
//!
//! An explicit setting that does not exist is *not* skipped: the user asked
//! for that file, so its absence is reported (and PDF falls back to hayro).

use std::path::{Path, PathBuf};

/// The library's file name on this platform.
pub const LIBRARY_NAME: &str = "libpdfium.so";
/// Environment variable naming the library (or its folder).
pub const ENV_PDFIUM: &str = "FAXRENDER_PDFIUM";

const SYSTEM_DIRS: &[&str] = &[
    "/usr/local/lib",
    "/usr/lib",
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/usr/local/lib/faxrender",
];

/// Where the library was looked for and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    Found(PathBuf),
    /// Not found; the places looked at, for the message.
    Missing(Vec<PathBuf>),
}

/// Finds the library (see the module doc for the order).
pub fn locate(explicit: Option<&Path>) -> Located {
    let explicit = explicit.map(Path::to_path_buf).or_else(|| {
        std::env::var_os(ENV_PDFIUM)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    if let Some(path) = explicit {
        let file = as_library_file(&path);
        return if file.is_file() {
            Located::Found(file)
        } else {
            Located::Missing(vec![file])
        };
    }
    let candidates = default_candidates();
    match candidates.iter().find(|c| c.is_file()) {
        Some(found) => Located::Found(found.clone()),
        None => Located::Missing(candidates),
    }
}

/// A folder means the library inside it.
fn as_library_file(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join(LIBRARY_NAME)
    } else {
        path.to_path_buf()
    }
}

fn default_candidates() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        out.push(dir.join(LIBRARY_NAME));
    }
    out.push(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(".pdfium")
            .join(LIBRARY_NAME),
    );
    out.extend(SYSTEM_DIRS.iter().map(|d| Path::new(d).join(LIBRARY_NAME)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_missing_file_is_reported_not_skipped() {
        let missing = Path::new("/nonexistent/faxrender/libpdfium.so");
        assert_eq!(
            locate(Some(missing)),
            Located::Missing(vec![missing.to_path_buf()])
        );
    }

    #[test]
    fn a_folder_means_the_library_inside() {
        let dir = std::env::temp_dir();
        assert_eq!(as_library_file(&dir), dir.join(LIBRARY_NAME));
    }

    #[test]
    fn project_folder_is_a_candidate_after_the_executable() {
        let c = default_candidates();
        let project = Path::new(env!("CARGO_MANIFEST_DIR")).join(".pdfium/libpdfium.so");
        let pos = c.iter().position(|p| *p == project).unwrap();
        assert_eq!(pos, 1);
        assert!(c.last().unwrap().starts_with("/usr"));
    }
}
