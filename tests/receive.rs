//! The receive path end to end: fax TIFF → PDF checked with poppler
//! (`pdfimages`): page count, every embedded image equal to our decoded
//! page pixel for pixel, its resolution equal to the TIFF's; damaged and
//! unreadable faxes; the `faxrender receive` command.

mod common;

use common::faxrender;

use faxrender::bitmap::BitImage;
use faxrender::codec::Compression;
use faxrender::geometry::{Paper, Resolution};
use faxrender::job::{
    run_receive, run_send, Document, JobClock, PageOutput, ReceiveJob, ReceiveOutput, SendJob,
    SendOptions,
};
use faxrender::limits::Limits;
use faxrender::ErrorKind;
use std::path::Path;
use std::process::Command;

fn receive(tiff: &[u8]) -> ReceiveOutput {
    run_receive(&ReceiveJob {
        name: "fax.tif".into(),
        tiff: tiff.into(),
        clock: JobClock::Fixed(common::FIXED_TIME),
        keep_pages: true,
        ..ReceiveJob::default()
    })
    .unwrap()
}

/// An image `pdfimages -png` wrote, as a bitmap (dark = black).
fn read_png(path: &Path) -> BitImage {
    let mut dec = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    dec.set_transformations(png::Transformations::EXPAND);
    let mut r = dec.read_info().unwrap();
    let mut buf = vec![0; r.output_buffer_size().unwrap()];
    let info = r.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale, "{path:?}");
    assert_eq!(info.bit_depth, png::BitDepth::Eight, "{path:?}");
    let mut img = BitImage::new(info.width, info.height);
    for y in 0..info.height {
        let row = &buf[y as usize * info.line_size..][..info.width as usize];
        for (x, &v) in row.iter().enumerate() {
            if v < 128 {
                img.set(x as u32, y, true);
            }
        }
    }
    img
}

/// One line of `pdfimages -list`: (page, width, height, x ppi, y ppi).
fn list(pdf: &Path) -> Vec<(u32, u32, u32, u32, u32)> {
    let out = Command::new("pdfimages")
        .arg("-list")
        .arg(pdf)
        .output()
        .expect("pdfimages (poppler-utils) must be installed: run scripts/setup-tests.sh");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let n = |i: usize| f[i].parse::<u32>().unwrap();
            (n(0), n(3), n(4), n(12), n(13))
        })
        .collect()
}

/// Writes the PDF, extracts its images with poppler and checks them
/// against our decoded pages and the TIFF's resolution.
fn assert_poppler_agrees(what: &str, out: &ReceiveOutput) {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("fax.pdf");
    std::fs::write(&pdf, &out.pdf).unwrap();
    let status = Command::new("pdfimages")
        .arg("-png")
        .arg(&pdf)
        .arg(dir.path().join("img"))
        .status()
        .expect("pdfimages (poppler-utils) must be installed");
    assert!(status.success(), "{what}: pdfimages failed");
    let listed = list(&pdf);
    assert_eq!(listed.len(), out.pages.len(), "{what}: one image per page");
    for (i, (page, detail)) in out.pages.iter().zip(&out.report.pages_detail).enumerate() {
        let extracted = read_png(&dir.path().join(format!("img-{i:03}.png")));
        assert!(
            extracted == *page,
            "{what}, page {}: poppler's image differs from our decoded page ({:?})",
            i + 1,
            detail.output
        );
        let (pdf_page, w, h, xppi, yppi) = listed[i];
        assert_eq!(pdf_page, i as u32 + 1, "{what}");
        assert_eq!((w, h), (page.width, page.height), "{what}");
        assert_eq!(
            (xppi, yppi),
            (detail.x_dpi.round() as u32, detail.y_dpi.round() as u32),
            "{what}, page {}: physical size",
            i + 1
        );
    }
}

fn tiff_page_count(tiff: &[u8]) -> usize {
    faxrender::tiff::read_tiff(tiff, &Limits::default())
        .unwrap()
        .pages
        .len()
}

#[test]
fn fixture_tiffs_give_the_same_pages_in_the_pdf() {
    for name in [
        "commons-imaging_1pagefax-mh-rle.tif",
        "libtiff_B4-g3-1d-lsb-64rows.tif",
        "libtiff_B4-g3-2d-fill.tif",
        "libtiff_B4-g4-300rows.tif",
        "libtiff_B4-g4-bigendian.tif",
        "libtiff_B4-packbits-100rows.tif",
        "pillow_g4-multi-400dpi.tiff",
        "pillow_g4_orientation_6.tif",
        "spandsp_itu1-superfine-g4.tif",
        "spandsp_itu2-B4-2048-g4.tif",
        "tesseract_phototest-uncompressed-200dpi.tif",
        "tiff_itu4-width1730-g4.tif",
    ] {
        let tiff = common::fixture(&format!("tiff/{name}"));
        let out = receive(&tiff);
        assert_eq!(out.report.pages as usize, tiff_page_count(&tiff), "{name}");
        assert_eq!(out.report.bad_rows, 0, "{name}");
        assert!(out.report.lost_pages.is_empty(), "{name}");
        assert_poppler_agrees(name, &out);
    }
    // Single-strip CCITT passes through; many strips, PackBits and
    // uncompressed are coded again.
    let output = |name: &str| receive(&common::fixture(&format!("tiff/{name}"))).report;
    for (name, expected) in [
        ("spandsp_itu2-B4-2048-g4.tif", PageOutput::PassedThrough),
        ("libtiff_B4-g3-2d-fill.tif", PageOutput::PassedThrough),
        ("libtiff_B4-g3-1d-lsb-64rows.tif", PageOutput::ReEncoded),
        ("libtiff_B4-packbits-100rows.tif", PageOutput::ReEncoded),
        (
            "tesseract_phototest-uncompressed-200dpi.tif",
            PageOutput::ReEncoded,
        ),
    ] {
        assert_eq!(output(name).pages_detail[0].output, expected, "{name}");
    }
}

/// Our own faxes at every resolution and coding come through untouched.
#[test]
fn sent_faxes_at_every_resolution_and_coding() {
    for resolution in [
        Resolution::Standard,
        Resolution::Fine,
        Resolution::Superfine,
    ] {
        for compression in Compression::ALL {
            let job = SendJob {
                documents: vec![Document::new(
                    "screenshot.png",
                    common::fixture("examples/document-screenshot.png"),
                )],
                options: SendOptions {
                    resolution,
                    compression,
                    paper: Paper::A4,
                    ..SendOptions::default()
                },
                clock: JobClock::Fixed(common::FIXED_TIME),
                keep_pages: true,
                ..SendJob::default()
            };
            let sent = run_send(&job).unwrap();
            let what = format!("{resolution:?} {compression}");
            let out = receive(&sent.tiff);
            assert_eq!(out.pages, sent.pages, "{what}");
            let d = &out.report.pages_detail[0];
            assert_eq!(d.output, PageOutput::PassedThrough, "{what}");
            assert_eq!(d.y_dpi, resolution.y_dpi() as f64, "{what}");
            assert_poppler_agrees(&what, &out);
        }
    }
}

#[test]
fn truncated_file_keeps_the_pages_before_the_damage() {
    let tiff = common::fixture("bad/tiff_itutests-g4-truncated.tif");
    let out = receive(&tiff);
    assert_eq!(out.report.pages, 3);
    assert!(
        out.report
            .warnings
            .iter()
            .any(|w| w.contains("broken after page 3")),
        "{:?}",
        out.report.warnings
    );
    assert_poppler_agrees("truncated", &out);
}

/// Overwrites `len` bytes with `byte`, 1/`part` of the way into the first
/// page's first strip (found by its bytes, so the TIFF's structure stays intact).
fn damage_first_strip(tiff: &mut [u8], part: usize, len: usize, byte: u8) {
    let file = faxrender::tiff::read_tiff(tiff, &Limits::default()).unwrap();
    let strip = file.pages[0].strips[0].clone();
    let at = tiff
        .windows(strip.len())
        .position(|w| w == &strip[..])
        .unwrap();
    let from = at + strip.len() / part;
    tiff[from..from + len].fill(byte);
}

#[test]
fn corrupt_g4_page_keeps_the_rows_read_and_says_so() {
    let mut tiff = common::fixture("tiff/spandsp_itu2-B4-2048-g4.tif");
    // overwrite the middle of the strip with codes that are not valid
    damage_first_strip(&mut tiff, 2, 64, 0x00);
    let out = receive(&tiff);
    let d = &out.report.pages_detail[0];
    assert!(d.truncated && d.rows < 2376 && d.rows > 100, "{d:?}");
    assert_eq!(d.output, PageOutput::ReEncoded);
    assert_eq!(out.report.rows_missing, 2376 - d.rows as u64);
    assert!(
        out.report.warnings[0].contains("page 1: truncated"),
        "{:?}",
        out.report.warnings
    );
    assert!(!d.problems.is_empty());
    assert_poppler_agrees("corrupt G4", &out);
}

#[test]
fn damaged_g3_rows_are_repeated_and_counted() {
    let mut tiff = common::fixture("tiff/libtiff_B4-g3-2d-fill.tif");
    damage_first_strip(&mut tiff, 3, 8, 0xFF);
    let out = receive(&tiff);
    let d = &out.report.pages_detail[0];
    assert!(d.bad_rows > 0 && d.first_bad_row.is_some(), "{d:?}");
    assert!(out.report.bad_rows > 0);
    assert!(out.report.warnings[0].contains("damaged row"));
    assert_poppler_agrees("damaged G3", &out);
}

#[test]
fn unreadable_and_over_limit_are_errors() {
    let bad = common::fixture("bad/tiff_pillow_libtiff_segfault.tif");
    let e = run_receive(&ReceiveJob {
        tiff: bad.into(),
        ..ReceiveJob::default()
    })
    .unwrap_err();
    assert!(
        e.to_string().contains("no page of the fax could be read"),
        "{e}"
    );
    assert!(e.to_string().contains("bilevel"), "{e}");

    let multi = common::fixture("tiff/pillow_g4-multi-400dpi.tiff");
    let e = run_receive(&ReceiveJob {
        tiff: multi.into(),
        limits: Limits {
            max_pages: 2,
            ..Limits::default()
        },
        ..ReceiveJob::default()
    })
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::LimitExceeded);
    assert!(e.to_string().contains("3 pages"), "{e}");
}

#[test]
fn cli_writes_pdf_report_and_previews_and_leaves_the_input_alone() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.tif");
    let tiff = common::fixture("bad/tiff_itutests-g4-truncated.tif");
    std::fs::write(&input, &tiff).unwrap();
    let pdf = dir.path().join("fax.pdf");
    let report = dir.path().join("report.json");
    let pngs = dir.path().join("pages");
    let time = common::FIXED_TIME.to_string();
    let args = [
        "receive",
        input.to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
        "--png-dir",
        pngs.to_str().unwrap(),
        "--thumb-width",
        "200",
        "--report",
        report.to_str().unwrap(),
        "--time",
        &time,
    ];
    let o = faxrender(&args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("3 pages of 3"), "{err}");
    assert!(
        err.contains("warning: the chain of image directories"),
        "{err}"
    );
    assert_eq!(std::fs::read(&input).unwrap(), tiff, "input untouched");

    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(json["pages"], 3);
    assert_eq!(json["bad_rows"], 0);
    assert_eq!(json["pages_detail"].as_array().unwrap().len(), 3);
    assert_eq!(json["pages_detail"][0]["output"], "passed_through");
    assert_eq!(json["pages_detail"][0]["compression"], "g4");
    assert!(!json["warnings"].as_array().unwrap().is_empty());

    for n in 1..=3 {
        let full = png::Decoder::new(std::io::BufReader::new(
            std::fs::File::open(pngs.join(format!("page-{n:03}.png"))).unwrap(),
        ))
        .read_info()
        .unwrap();
        assert_eq!(full.info().width, 1728);
        let thumb = png::Decoder::new(std::io::BufReader::new(
            std::fs::File::open(pngs.join(format!("page-{n:03}-thumb.png"))).unwrap(),
        ))
        .read_info()
        .unwrap();
        assert_eq!(thumb.info().width, 200);
    }
    // same input and time, same PDF bytes
    let first = std::fs::read(&pdf).unwrap();
    assert!(faxrender(&args).status.success());
    assert_eq!(std::fs::read(&pdf).unwrap(), first);
}

#[test]
fn cli_exit_1_when_nothing_can_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("fax.pdf");
    let bad = common::root().join("fixtures/bad/tiff_pillow_libtiff_segfault.tif");
    let o = faxrender(&[
        "receive",
        bad.to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("tiff_pillow_libtiff_segfault.tif"), "{err}");
    assert!(err.contains("no page of the fax could be read"), "{err}");
    assert!(!pdf.exists(), "no PDF for an unreadable fax");

    let not_tiff = common::root().join("fixtures/examples/photo.jpg");
    let o = faxrender(&[
        "receive",
        not_tiff.to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));

    let multi = common::root().join("fixtures/tiff/pillow_g4-multi-400dpi.tiff");
    let o = faxrender(&[
        "receive",
        multi.to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
        "--max-pages",
        "2",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("over the limit"));
    // nothing left behind
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Ghostscript reads EOL-filled G3 differently from poppler when
/// `/EncodedByteAlign` is set; with the data passed through as we write it,
/// its rendering at the page's own resolution is our decoded page exactly.
#[test]
fn ghostscript_draws_passed_through_g3_pages_exactly() {
    for (resolution, compression) in [
        (Resolution::Fine, Compression::G3),
        (Resolution::Fine, Compression::G3_2D),
        (Resolution::Standard, Compression::G3_2D),
    ] {
        let job = SendJob {
            documents: vec![Document::new(
                "screenshot.png",
                common::fixture("examples/document-screenshot.png"),
            )],
            options: SendOptions {
                resolution,
                compression,
                ..SendOptions::default()
            },
            clock: JobClock::Fixed(common::FIXED_TIME),
            keep_pages: false,
            ..SendJob::default()
        };
        let out = receive(&run_send(&job).unwrap().tiff);
        let what = format!("{resolution:?} {compression}");
        assert_eq!(
            out.report.pages_detail[0].output,
            PageOutput::PassedThrough,
            "{what}"
        );
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("fax.pdf");
        let png = dir.path().join("page.png");
        std::fs::write(&pdf, &out.pdf).unwrap();
        let status = Command::new("gs")
            .args(["-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pnggray"])
            .arg(format!("-r204x{}", resolution.y_dpi()))
            .arg(format!("-sOutputFile={}", png.display()))
            .arg(&pdf)
            .status()
            .expect("Ghostscript (gs) must be installed: run scripts/setup-tests.sh");
        assert!(status.success(), "{what}: gs failed");
        let drawn = read_png(&png);
        assert!(
            drawn == out.pages[0],
            "{what}: Ghostscript draws the page differently"
        );
    }
}
