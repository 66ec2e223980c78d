//! Office documents and SVG through the `faxrender` command, end to end:
//! legacy Word through the sandboxed LibreOffice pool (and the text-only
//! reader, Word 97 and Word 6/95, when LibreOffice is missing), SVG through
//! resvg; every TIFF passes both fax checkers, and nothing is left behind
//! or fetched.

mod common;

use common::{faxrender, faxrender_env, fixture_path, stderr};

use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Converts `input` with `--json`; returns the report and the TIFF.
fn convert(input: &str, env: &[(&str, &str)]) -> (serde_json::Value, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fax.tif");
    let o = faxrender_env(
        &["convert", input, "-o", out.to_str().unwrap(), "--json"],
        env,
    );
    assert!(o.status.success(), "{input}: {}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON report");
    (report, std::fs::read(&out).unwrap())
}

/// Folders the LibreOffice pool of a process with this pid would use.
fn pool_folders(pid: u32) -> usize {
    let prefix = format!("faxrender-lo-{pid}-");
    std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .count()
}

/// Command lines of the running processes that `matches` picks.
fn processes(matches: impl Fn(&str) -> bool) -> Vec<String> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| matches(c))
        .collect()
}

#[test]
fn a_word_97_document_goes_through_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fax.tif");
    let child = Command::new(env!("CARGO_BIN_EXE_faxrender"))
        .args(["convert", &fixture_path("office/simple-table.doc"), "-o"])
        .arg(&out)
        .arg("--json")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["pages"], 1);
    assert_eq!(report["documents"][0]["format"], "legacy Office (DOC/XLS)");
    assert_eq!(
        report["warnings"].as_array().map(Vec::len),
        Some(0),
        "{report}"
    );
    common::assert_checkers_accept(&std::fs::read(&out).unwrap(), "simple-table.doc");
    assert_eq!(
        pool_folders(pid),
        0,
        "the LibreOffice folder was left behind"
    );
    // The sandbox binds the pool's folder (its command line names it);
    // LibreOffice runs inside the sandbox's PID namespace and dies with it.
    let folder = format!("faxrender-lo-{pid}-");
    let stray = processes(|c| c.contains(&folder));
    assert!(
        stray.is_empty(),
        "LibreOffice processes left behind: {stray:?}"
    );
    let soffice = processes(|c| c.contains("soffice") && c.contains("file:///lo/profile"));
    assert!(
        soffice.is_empty(),
        "sandboxed soffice still running: {soffice:?}"
    );
}

#[test]
fn without_libreoffice_a_word_document_is_sent_as_text_with_a_warning() {
    let (report, tiff) = convert(
        &fixture_path("office/simple-table.doc"),
        &[("FAXRENDER_SOFFICE", "/nonexistent/program/soffice")],
    );
    assert_eq!(report["pages"], 1);
    let warnings = report["warnings"].to_string();
    assert!(warnings.contains("without its formatting"), "{warnings}");
    common::assert_checkers_accept(&tiff, "simple-table.doc as text");
}

#[test]
fn without_libreoffice_a_word_95_document_is_sent_as_text_with_a_warning() {
    let (report, tiff) = convert(
        &fixture_path("doc/word95.doc"),
        &[("FAXRENDER_SOFFICE", "/nonexistent/program/soffice")],
    );
    assert_eq!(report["pages"], 1);
    assert_eq!(report["documents"][0]["format"], "legacy Office (DOC/XLS)");
    let warnings = report["warnings"].to_string();
    assert!(warnings.contains("without its formatting"), "{warnings}");
    common::assert_checkers_accept(&tiff, "word95.doc as text");
}

#[test]
fn a_password_protected_word_document_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fax.tif");
    let started = Instant::now();
    let o = faxrender(&[
        "convert",
        &fixture_path("office/password-protected.doc"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("password-protected"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("password-protected.doc"),
        "names the file: {}",
        stderr(&o)
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(!Path::new(&out).exists());
}

#[test]
fn an_svg_is_drawn_and_its_network_reference_is_not_fetched() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let svg = String::from_utf8(common::fixture("svg/floor-plan.svg"))
        .unwrap()
        .replace("127.0.0.1:9", &format!("127.0.0.1:{port}"));
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("plan.svg");
    std::fs::write(&input, svg).unwrap();
    let (report, tiff) = convert(input.to_str().unwrap(), &[]);
    assert_eq!(report["pages"], 1);
    assert_eq!(report["documents"][0]["format"], "SVG");
    let warnings = report["warnings"].to_string();
    assert!(warnings.contains("not fetched"), "{warnings}");
    common::assert_checkers_accept(&tiff, "floor-plan.svg");
    assert!(
        listener.accept().is_err(),
        "the SVG's reference was fetched"
    );
}
