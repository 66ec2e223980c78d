//! HTML documents through the command line: every fixture converts and
//! passes both fax checkers; no reference is ever fetched (a listener on
//! the loopback port the hostile fixture points at sees no connection);
//! charset detection; local style sheets beside the file, and none above
//! it; deep nesting without a stack overflow.

mod common;

use common::{assert_checkers_accept, faxrender, fixture_path, stderr};
use faxrender::input::{self, sniff::Format, OpenContext, Resources};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

/// Converts `input` with the CLI; returns the TIFF bytes and stderr.
fn convert(input: &Path) -> (Vec<u8>, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.tif");
    let o = faxrender(&[
        "convert",
        &input.display().to_string(),
        "-o",
        &out.display().to_string(),
    ]);
    assert!(o.status.success(), "{}: {}", input.display(), stderr(&o));
    (std::fs::read(&out).unwrap(), stderr(&o))
}

fn context() -> OpenContext {
    OpenContext {
        limits: Default::default(),
        geometry: faxrender::geometry::PageGeometry::new(
            faxrender::geometry::Resolution::Fine,
            faxrender::geometry::Paper::Letter,
        ),
        fonts: faxrender::layout::Fonts::committed(),
        resources: Arc::new(Resources::default()),
    }
}

#[test]
fn every_fixture_converts_and_passes_both_checkers() {
    for name in [
        "headings.html",
        "list.html",
        "table-spans.html",
        "image-datauri.html",
        "email-billing.html",
        "windows-1252-no-charset.html",
        "sheet-beside/page.html",
    ] {
        let (tiff, _) = convert(Path::new(&fixture_path(&format!("html/{name}"))));
        assert_checkers_accept(&tiff, name);
    }
}

#[test]
fn no_reference_is_fetched_and_each_is_reported() {
    // The fixture points at loopback port 9 (v4 and v6); the copy used here
    // points at ports we listen on, so the test needs no privileges.
    let v4 = TcpListener::bind("127.0.0.1:0").unwrap();
    let v6 = TcpListener::bind("[::1]:0").ok();
    let html = std::fs::read_to_string(fixture_path("html/remote-and-local-refs.html")).unwrap();
    assert!(html.contains("127.0.0.1:9/") && html.contains("[::1]:9/"));
    let mut html = html.replace(
        "127.0.0.1:9/",
        &format!("127.0.0.1:{}/", v4.local_addr().unwrap().port()),
    );
    if let Some(v6) = &v6 {
        html = html.replace(
            "[::1]:9/",
            &format!("[::1]:{}/", v6.local_addr().unwrap().port()),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("refs.html");
    std::fs::write(&page, &html).unwrap();

    let (tiff, err) = convert(&page);
    assert_checkers_accept(&tiff, "remote-and-local-refs.html");

    v4.set_nonblocking(true).unwrap();
    assert!(
        v4.accept().is_err(),
        "a connection was attempted to 127.0.0.1"
    );
    if let Some(v6) = v6 {
        v6.set_nonblocking(true).unwrap();
        assert!(v6.accept().is_err(), "a connection was attempted to [::1]");
    }
    assert!(err.contains("external reference(s) not fetched"), "{err}");
    for named in ["/latest/meta-data/iam/", "/x.css", "file:///etc/passwd"] {
        assert!(err.contains(named), "warning does not name {named}: {err}");
    }
    // The body is still rendered: the page has ink.
    assert!(tiff.len() > 1000);
}

#[test]
fn undeclared_windows_1252_is_detected() {
    let bytes = common::fixture("html/windows-1252-no-charset.html");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture must not be UTF-8"
    );
    let (text, encoding) = input::html::charset::decode(&bytes);
    assert_eq!(encoding, "windows-1252");
    assert!(!text.contains('\u{fffd}'));
    let opened = input::open(bytes.into(), &context()).unwrap();
    assert_eq!(opened.format, Format::Html);
    assert_eq!(opened.pages.len(), 1);
}

/// A fixture built into a flow document, its folder as the base.
fn built(path: &str) -> (faxrender::doc::Document, Vec<String>) {
    let p = Path::new(&fixture_path(path)).to_path_buf();
    let ctx = OpenContext {
        resources: Arc::new(Resources {
            base_dir: p.parent().map(Path::to_path_buf),
            ..Resources::default()
        }),
        ..context()
    };
    let text = std::fs::read_to_string(&p).unwrap();
    input::html::build_document(&text, &ctx)
}

#[test]
fn a_style_sheet_beside_the_file_applies_and_one_above_is_refused() {
    let (doc, warnings) = built("html/sheet-beside/page.html");
    let heading = doc
        .blocks
        .iter()
        .find_map(|b| match b {
            faxrender::doc::Block::Heading { paragraph, .. } => Some(paragraph.clone()),
            _ => None,
        })
        .expect("a heading");
    assert_eq!(
        heading.runs[0].style.size, 60.0,
        "style.css beside the page applies"
    );
    let note = doc
        .blocks
        .iter()
        .find_map(|b| match b {
            faxrender::doc::Block::Paragraph(p) if !p.text().is_empty() => Some(p.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(note.text(), "STYLED FROM THE FILE BESIDE THIS PAGE.");
    assert!(note.runs[0].style.bold);
    assert_ne!(
        note.runs[0].style.size, 80.0,
        "../escape.css must not be read"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("outside the document's folder") && w.contains("../escape.css")),
        "{warnings:?}"
    );
    // Through the CLI too: the same refusal is reported.
    let (_, err) = convert(Path::new(&fixture_path("html/sheet-beside/page.html")));
    assert!(err.contains("../escape.css"), "{err}");
}

#[test]
fn deep_nesting_finishes_without_a_stack_overflow() {
    let depth = 100_000;
    let mut html = String::with_capacity(depth * 12 + 100);
    html.push_str("<!DOCTYPE html><html><body>");
    for _ in 0..depth {
        html.push_str("<div>");
    }
    html.push_str("deep text");
    for _ in 0..depth {
        html.push_str("</div>");
    }
    html.push_str("</body></html>");
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("deep.html");
    std::fs::write(&page, &html).unwrap();
    let (tiff, err) = convert(&page);
    assert_checkers_accept(&tiff, "deep.html");
    assert!(err.contains("flattened"), "{err}");
}

#[test]
fn job_files_are_found_by_name_and_style_sheets_are_not_pages() {
    use faxrender::job::{run_send, Document, SendJob};
    let html = br#"<html><head><link rel="stylesheet" href="look.css"></head>
        <body><p class="x">styled</p><img src="dot.png"></body></html>"#;
    let png = {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, 4, 4);
        enc.set_color(png::ColorType::Grayscale);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[0u8; 16]).unwrap();
        drop(w);
        out
    };
    let job = SendJob {
        documents: vec![
            Document::new("page.html", html.to_vec()),
            Document::new("look.css", b".x { font-size: 30pt }".to_vec()),
            Document::resource("dot.png", png),
        ],
        ..SendJob::default()
    };
    let out = run_send(&job).unwrap();
    assert_eq!(out.report.documents.len(), 1, "only the HTML is a document");
    let warnings: Vec<&String> = out
        .report
        .documents
        .iter()
        .flat_map(|d| &d.warnings)
        .collect();
    assert!(
        warnings.iter().all(|w| !w.contains("not found")),
        "{warnings:?}"
    );
}
