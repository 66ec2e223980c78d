//! `faxrender send` end to end, as the portal's fax server calls it: a text
//! document, a photo and a composed cover become a TIFF both fax checkers
//! accept, every page carries the header line in its band (and nothing else
//! is drawn there), the report agrees with the file, and bad numbers or
//! over-limit jobs are refused with exit 1 and a clear message, fast.

mod common;

use common::{faxrender, faxrender_env, fixture_path, stderr};

use faxrender::bitmap::BitImage;
use faxrender::geometry::Resolution;
use faxrender::job::{run_send, Document, JobClock, SendJob, SendOptions};
use faxrender::limits::Limits;
use faxrender::stamp::{band_rows, HeaderTemplate};
use faxrender::tiff::read_tiff;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A plain-text letter of a few paragraphs, written into `dir`.
fn letter_txt(dir: &Path) -> PathBuf {
    let path = dir.join("letter.txt");
    let para = "Please find attached the signed agreement and the photo of the \
                delivered goods. Call us if anything is missing.\n\n";
    std::fs::write(
        &path,
        format!("Dear customer,\n\n{}Regards,\nAcme\n", para.repeat(6)),
    )
    .unwrap();
    path
}

/// The decoded pages of a TIFF.
fn pages_of(tiff: &[u8]) -> Vec<BitImage> {
    let file = read_tiff(tiff, &Limits::default()).unwrap();
    file.pages
        .iter()
        .map(|p| {
            let d = p.decode(&Limits::default()).unwrap();
            assert!(d.is_clean());
            d.image
        })
        .collect()
}

fn rows_have_ink(page: &BitImage, rows: std::ops::Range<u32>) -> bool {
    rows.into_iter()
        .any(|y| page.row(y).iter().any(|&b| b != 0))
}

/// Common arguments of the end-to-end job: txt + jpg + composed cover.
fn send_args<'a>(txt: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "send",
        txt,
        "-o",
        out,
        "--to",
        "+1 (212) 555-0123",
        "--caller-id",
        "646-555-0199",
        "--sender",
        "Acme Billing",
        "--cover-text",
        "Two documents follow: our letter and a photo of the delivery.",
        "--to-name",
        "Jane Roe",
        "--subject",
        "Delivery 4711",
        "--utc-offset",
        "-05:00",
        "--time",
        "1795953600",
        "--resolution",
        "standard",
    ]
}

#[test]
fn txt_jpg_and_composed_cover_make_a_sendable_fax_with_a_header_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let txt = letter_txt(dir.path());
    let out = dir.path().join("fax.tif");
    let report = dir.path().join("report.json");
    let jpg = fixture_path("examples/photo.jpg");
    let (txt_s, out_s, report_s) = (
        txt.to_str().unwrap(),
        out.to_str().unwrap(),
        report.to_str().unwrap(),
    );
    let mut args = send_args(txt_s, out_s);
    args.insert(2, &jpg);
    args.extend(["--report", report_s]);
    let o = faxrender(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("555"),
        "the recipient number is not printed: {}",
        stderr(&o)
    );

    let tiff = std::fs::read(&out).unwrap();
    common::assert_checkers_accept(&tiff, "send output");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let pages = pages_of(&tiff);
    assert_eq!(json["pages"], pages.len() as u64, "{json}");
    assert_eq!(json["bytes"], tiff.len() as u64);
    assert_eq!(json["caller_id"], "6465550199");
    assert_eq!(json["recipient"], "12125550123");
    let docs = json["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 3, "cover, txt, jpg: {json}");
    assert_eq!(docs[0]["role"], "cover");
    let per_doc: u64 = docs.iter().map(|d| d["pages"].as_u64().unwrap()).sum();
    assert_eq!(per_doc, pages.len() as u64);
    assert!(json["warnings"].is_array());
    assert_eq!(json["transmission"].as_array().unwrap().len(), 3);
    let header = json["header"].as_str().unwrap();
    assert!(
        header.contains("2026-11-29") && header.contains("07:00"),
        "{header}"
    );
    assert!(header.contains("6465550199") && header.contains(&format!("1/{}", pages.len())));

    let band = band_rows(Resolution::Standard);
    for (i, page) in pages.iter().enumerate() {
        assert_eq!(page.width, 1728);
        assert_eq!(page.height, 1078, "the page never grows");
        assert!(rows_have_ink(page, 0..band), "page {} has no header", i + 1);
    }
}

/// The same job with and without header text: the pages differ only in the
/// band (the header never covers content, and nothing else is drawn there).
/// Pictures only, so that only the header stamp is exercised.
#[test]
fn the_header_band_holds_the_only_difference_and_content_stays_below_it() {
    for resolution in Resolution::ALL {
        let job = |template: &str| SendJob {
            documents: vec![
                Document::new("photo.jpg", common::fixture("examples/photo.jpg")),
                Document::new(
                    "screenshot.png",
                    common::fixture("examples/document-screenshot.png"),
                ),
            ],
            recipient: Some("1 212 555 0123".into()),
            sender: Some("Acme".into()),
            header: Some(HeaderTemplate::parse(template).unwrap()),
            options: SendOptions {
                resolution,
                ..SendOptions::default()
            },
            clock: JobClock::Fixed(common::FIXED_TIME),
            keep_pages: true,
            ..SendJob::default()
        };
        let with = run_send(&job(HeaderTemplate::DEFAULT)).unwrap();
        let blank = run_send(&job(" ")).unwrap();
        let band = band_rows(resolution);
        assert!(band > 0);
        assert_eq!(with.pages.len(), 2);
        assert_eq!(blank.pages.len(), 2);
        for (i, (a, b)) in with.pages.iter().zip(&blank.pages).enumerate() {
            let what = format!("{resolution} page {}", i + 1);
            assert!(rows_have_ink(a, 0..band), "{what}: no header");
            assert!(!rows_have_ink(b, 0..band), "{what}: ink in an empty band");
            for y in band..a.height {
                assert!(a.row(y) == b.row(y), "{what}: row {y} differs");
            }
        }
        assert!(
            with.report.warnings.is_empty(),
            "{:?}",
            with.report.warnings
        );
        common::assert_checkers_accept(&with.tiff, &format!("{resolution} with header"));
    }
}

#[test]
fn output_bytes_do_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let jpg = fixture_path("examples/photo.jpg");
    let png = fixture_path("examples/document-screenshot.png");
    let mut outputs = Vec::new();
    for threads in ["1", "4"] {
        let out = dir.path().join(format!("fax-{threads}.tif"));
        let o = faxrender_env(
            &[
                "send",
                &jpg,
                &png,
                &jpg,
                "-o",
                out.to_str().unwrap(),
                "--to",
                "12125550123",
                "--time",
                "1795953600",
            ],
            &[("RAYON_NUM_THREADS", threads)],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        outputs.push(std::fs::read(&out).unwrap());
    }
    assert!(outputs[0] == outputs[1], "1 and 4 threads differ");
}

/// Runs `send` expecting exit 1 within a second; returns stderr.
fn refused_fast(args: &[&str]) -> String {
    let started = Instant::now();
    let o = faxrender(args);
    let took = started.elapsed();
    assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
    assert!(took < Duration::from_secs(1), "{args:?} took {took:?}");
    stderr(&o)
}

#[test]
fn bad_numbers_exit_1_saying_which_form_is_expected() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fax.tif");
    let jpg = fixture_path("examples/photo.jpg");
    let out_s = out.to_str().unwrap();
    for bad in [
        "212-555-0123",
        "1 911 555 0123",
        "555-0123",
        "+0 44 1234567",
        "call me",
    ] {
        let msg = refused_fast(&["send", &jpg, "-o", out_s, "--to", bad]);
        assert!(msg.contains("recipient number"), "{bad}: {msg}");
        assert!(msg.contains("expected 1 + a 10-digit"), "{bad}: {msg}");
    }
    let msg = refused_fast(&[
        "send",
        &jpg,
        "-o",
        out_s,
        "--to",
        "12125550123",
        "--caller-id",
        "12345",
    ]);
    assert!(
        msg.contains("caller ID") && msg.contains("expected 10 digits"),
        "{msg}"
    );
    assert!(!out.exists(), "nothing is written for a refused job");
}

#[test]
fn an_input_over_20_mb_exits_1_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.jpg");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(25 * 1024 * 1024).unwrap(); // sparse: no 25 MB write
    let out = dir.path().join("fax.tif");
    let msg = refused_fast(&[
        "send",
        big.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--to",
        "12125550123",
    ]);
    assert!(msg.contains("big.jpg") && msg.contains("limit"), "{msg}");
    assert!(!out.exists());
}

#[test]
fn a_300_page_text_document_exits_1_before_rendering() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("long.txt");
    // A form feed is a page break: 300 pages.
    let body: String = (1..=300).map(|n| format!("page {n}\n\u{c}")).collect();
    std::fs::write(&txt, body.trim_end_matches('\u{c}')).unwrap();
    let out = dir.path().join("fax.tif");
    let msg = refused_fast(&[
        "send",
        txt.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--to",
        "12125550123",
    ]);
    assert!(
        msg.contains("300 pages") && msg.contains("limit of 100 pages"),
        "{msg}"
    );
    assert!(!out.exists());
}

#[test]
fn cover_text_and_cover_file_together_is_a_usage_error() {
    let jpg = fixture_path("examples/photo.jpg");
    let o = faxrender(&[
        "send",
        &jpg,
        "-o",
        "x.tif",
        "--to",
        "12125550123",
        "--cover-text",
        "hi",
        "--cover-file",
        &jpg,
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = faxrender(&[
        "send",
        &jpg,
        "-o",
        "x.tif",
        "--to",
        "12125550123",
        "--utc-offset",
        "5",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("UTC offset"), "{}", stderr(&o));
}
