//! Shared helpers for integration tests: fixtures, the two fax TIFF checkers
//! and libtiff.
#![allow(dead_code)]

pub mod golden;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture's path, as the command line takes it.
pub fn fixture_path(rel: &str) -> String {
    root().join("fixtures").join(rel).display().to_string()
}

/// Runs this build's `faxrender` binary.
pub fn faxrender(args: &[&str]) -> Output {
    faxrender_env(args, &[])
}

/// Runs this build's `faxrender` binary with extra environment variables.
pub fn faxrender_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_faxrender"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("run faxrender")
}

/// A command's standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn fixture(rel: &str) -> Vec<u8> {
    let p = root().join("fixtures").join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("fixture {}: {e}", p.display()))
}

/// A fixed job time: 2026-11-29 12:00:00 UTC.
pub const FIXED_TIME: i64 = 1_795_953_600;

fn shared_tools() -> PathBuf {
    std::env::var_os("FAXRENDER_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("..").join("shared"))
        .join("tools")
}

fn require(p: &Path) -> &Path {
    assert!(
        p.exists(),
        "{} is missing: run scripts/setup-tests.sh first",
        p.display()
    );
    p
}

/// Result of one checker run.
pub struct Verdict {
    pub ok: bool,
    pub output: String,
}

/// Runs both fax checkers (libtiff rules and SpanDSP) on a TIFF file.
pub fn check_both(tiff: &Path) -> (Verdict, Verdict) {
    let validate = shared_tools().join("validate-fax-tiff.sh");
    let out = Command::new("bash")
        .arg(require(&validate))
        .arg(tiff)
        .output()
        .expect("run validate-fax-tiff.sh");
    let v1 = Verdict {
        ok: out.status.success(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    };
    let spandsp = root().join("target/checkers/spandsp-t4tx-check");
    let out = Command::new(require(&spandsp))
        .arg(tiff)
        .output()
        .expect("run spandsp-t4tx-check");
    let v2 = Verdict {
        ok: out.status.success(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    };
    (v1, v2)
}

/// Asserts that both checkers accept the TIFF bytes.
pub fn assert_checkers_accept(tiff: &[u8], what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fax.tif");
    std::fs::write(&path, tiff).unwrap();
    let (v1, v2) = check_both(&path);
    assert!(
        v1.ok,
        "{what}: validate-fax-tiff.sh refused:\n{}",
        v1.output
    );
    assert!(v2.ok, "{what}: SpanDSP checker refused:\n{}", v2.output);
}

/// libtiff's own decoding: `tiffcp -c none` of the file, returned as bytes.
pub fn tiffcp_uncompressed(tiff: &[u8]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in.tif");
    let dst = dir.path().join("out.tif");
    std::fs::write(&src, tiff).unwrap();
    let out = Command::new("tiffcp")
        .args(["-c", "none"])
        .arg(&src)
        .arg(&dst)
        .output()
        .expect("tiffcp (libtiff-tools) must be installed: run scripts/setup-tests.sh");
    assert!(
        out.status.success(),
        "tiffcp failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read(dst).unwrap()
}
