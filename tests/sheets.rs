//! Spreadsheets end to end: `faxrender convert` of a workbook with merged
//! cells (xlsx, and the same workbook as Excel 97-2003 .xls, read without
//! LibreOffice; the same as ods, merges read from content.xml) writes a
//! TIFF both fax checkers accept, as does an ods of pictures alone; an
//! empty workbook and a row-repeat bomb are clear, quick failures.

mod common;

use common::{faxrender, fixture_path};

#[test]
fn a_workbook_with_merges_converts_to_a_sendable_fax() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fax.tif");
    let o = faxrender(&[
        "convert",
        &fixture_path("sheets/merges.xlsx"),
        "-o",
        out.to_str().unwrap(),
        "--time",
        &common::FIXED_TIME.to_string(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("1 page"), "{err}");
    let tiff = std::fs::read(&out).unwrap();
    common::assert_checkers_accept(&tiff, "merges.xlsx");
}

#[test]
fn an_excel_97_workbook_is_read_without_libreoffice() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fax.tif");
    let o = common::faxrender_env(
        &[
            "convert",
            &fixture_path("sheets/merges.xls"),
            "-o",
            out.to_str().unwrap(),
            "--json",
        ],
        &[("FAXRENDER_SOFFICE", "/nonexistent/program/soffice")],
    );
    assert!(o.status.success(), "{}", common::stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["pages"], 1, "{report}");
    assert_eq!(report["documents"][0]["format"], "legacy Office (DOC/XLS)");
    let warnings = report["warnings"].to_string();
    assert!(!warnings.contains("LibreOffice"), "{warnings}");
    assert!(
        warnings.contains("Empty"),
        "the empty sheet is named: {warnings}"
    );
    let tiff = std::fs::read(&out).unwrap();
    common::assert_checkers_accept(&tiff, "merges.xls");
}

/// Converts a sheets fixture; returns the JSON report and the TIFF.
fn convert(name: &str) -> (serde_json::Value, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fax.tif");
    let o = faxrender(&[
        "convert",
        &fixture_path(&format!("sheets/{name}")),
        "-o",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{name}: {}", common::stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    (report, std::fs::read(&out).unwrap())
}

#[test]
fn an_ods_workbook_with_merges_converts_to_a_sendable_fax() {
    let (report, tiff) = convert("merges.ods");
    assert_eq!(report["pages"], 1, "{report}");
    common::assert_checkers_accept(&tiff, "merges.ods");
}

#[test]
fn a_picture_only_ods_prints_its_pictures() {
    let (report, tiff) = convert("picture-only.ods");
    assert_eq!(report["pages"], 2, "{report}");
    common::assert_checkers_accept(&tiff, "picture-only.ods");
}

#[test]
fn an_ods_repeating_a_row_a_billion_times_fails_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fax.tif");
    let started = std::time::Instant::now();
    let o = faxrender(&[
        "convert",
        &fixture_path("sheets/repeat-bomb.ods"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    assert!(!out.exists());
}

#[test]
fn an_empty_workbook_fails_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fax.tif");
    let o = faxrender(&[
        "convert",
        &fixture_path("sheets/empty.xlsx"),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no cells with content"), "{err}");
    assert!(!out.exists());
}
