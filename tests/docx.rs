//! DOCX end to end: `faxrender convert` of the small Word fixtures writes
//! TIFFs both fax checkers accept with the expected page counts; damaged,
//! bomb and incomplete packages fail with exit 1 and a clear message.

mod common;

use common::{faxrender, fixture_path};
use std::io::Write;
use std::time::{Duration, Instant};

/// Converts `path` and returns (exit code, stderr, TIFF bytes if written).
fn convert(path: &str) -> (Option<i32>, String, Option<Vec<u8>>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fax.tif");
    let o = faxrender(&[
        "convert",
        path,
        "-o",
        out.to_str().unwrap(),
        "--time",
        &common::FIXED_TIME.to_string(),
    ]);
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        std::fs::read(&out).ok(),
    )
}

#[test]
fn fixtures_convert_to_sendable_faxes_with_their_page_counts() {
    for (name, pages) in [
        ("styles.docx", 1),
        ("lists.docx", 1),
        ("table-merged.docx", 1),
        ("header-footer.docx", 3),
        ("image.docx", 1),
        ("landscape.docx", 2),
    ] {
        let (code, err, tiff) = convert(&fixture_path(&format!("docx/{name}")));
        assert_eq!(code, Some(0), "{name}: {err}");
        let expected = format!("{pages} page{}", if pages == 1 { "" } else { "s" });
        assert!(
            err.contains(&expected),
            "{name}: expected {expected}: {err}"
        );
        common::assert_checkers_accept(&tiff.unwrap(), name);
    }
}

fn write_temp(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
    }
    out.into_inner()
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

#[test]
fn a_truncated_docx_fails_clearly_and_fast() {
    let dir = tempfile::tempdir().unwrap();
    let whole = common::fixture("docx/styles.docx");
    let path = write_temp(&dir, "cut.docx", &whole[..whole.len() / 2]);
    let started = Instant::now();
    let (code, err, tiff) = convert(&path);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("truncated or damaged"), "{err}");
    assert!(tiff.is_none());
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_zip_bomb_docx_is_refused_fast() {
    // 24 MB of one byte deflates to ~24 KB: over the package's ratio cap.
    let document = vec![b' '; 24 << 20];
    let bomb = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", &document),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = write_temp(&dir, "bomb.docx", &bomb);
    let started = Instant::now();
    let (code, err, _) = convert(&path);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("zip bomb"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_docx_with_a_damaged_or_missing_document_part_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    // The main part is there but is not XML with a body.
    let package = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        (
            "word/document.xml",
            b"<w:document xmlns:w=\"w\"><w:p/></w:document>",
        ),
    ]);
    let (code, err, _) = convert(&write_temp(&dir, "nobody.docx", &package));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("has no body"), "{err}");
    // Without word/document.xml the zip is no Word document at all.
    let package = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/styles.xml", b"<w:styles/>"),
    ]);
    let (code, err, _) = convert(&write_temp(&dir, "nodoc.docx", &package));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("not recognised"), "{err}");
}

#[test]
fn a_docx_declaring_external_entities_is_refused_without_reading_them() {
    let document = br#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"#;
    let package = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", document),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let path = write_temp(&dir, "xxe.docx", &package);
    let (code, err, _) = convert(&path);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("DTD"), "{err}");
}
