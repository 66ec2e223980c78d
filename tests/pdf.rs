//! PDF input through real PDFium worker processes (`scripts/setup-pdfium.sh`
//! fetches the library; `scripts/setup-tests.sh` runs it): page counts,
//! refusals, a worker that dies or hangs, and the hayro fallback.

mod common;

use faxrender::bitmap::GrayImage;
use faxrender::geometry::{PageGeometry, Paper, Resolution};
use faxrender::input::pdf::pool::{DocRef, Pool, PoolConfig, PoolError};
use faxrender::input::pdf::protocol::WireLimits;
use faxrender::input::pdf::{library, PdfSettings};
use faxrender::job::{run_send, Document, JobClock, SendJob, SendOptions};
use faxrender::limits::Limits;
use faxrender::ErrorKind;
use std::process::Command;
use std::time::Duration;

const WORKER: &str = env!("CARGO_BIN_EXE_faxrender");

/// The PDFium library, or a clear failure telling how to get it.
fn pdfium() -> std::path::PathBuf {
    match library::locate(None) {
        library::Located::Found(p) => p,
        library::Located::Missing(looked) => panic!(
            "PDFium is not installed (looked at {looked:?}): run scripts/setup-pdfium.sh (or scripts/setup-tests.sh)"
        ),
    }
}

/// Points the process-wide PDF pool at this build's binary and checks
/// PDFium is there, so a missing library fails with the fix, not a fallback.
fn setup() {
    pdfium();
    // all tests set the same value; the pool reads it once
    std::env::set_var("FAXRENDER_WORKER_EXE", WORKER);
}

fn send(fixture: &str, limits: Limits) -> faxrender::Result<faxrender::job::SendOutput> {
    setup();
    let job = SendJob {
        documents: vec![Document::new(fixture, common::fixture(fixture))],
        options: SendOptions {
            limits,
            ..SendOptions::default()
        },
        clock: JobClock::Fixed(common::FIXED_TIME),
        keep_pages: true,
        ..SendJob::default()
    };
    run_send(&job)
}

/// Fine Letter pages with a header band, default limits, a 10 s timeout.
fn fine_page_with_header() -> (PageGeometry, WireLimits, Duration) {
    (
        PageGeometry::new(Resolution::Fine, Paper::Letter).with_header_rows(40),
        WireLimits::from_limits(&Limits::default()),
        Duration::from_secs(10),
    )
}

/// The first `pages` pages of a fixture in gray, from one worker, as
/// fine Letter pages with a header band (`id`: the document's id in the pool).
fn render_in_gray(fixture: &str, id: u64, pages: u32) -> Vec<GrayImage> {
    let (geom, limits, t) = fine_page_with_header();
    let pool = own_pool(1);
    let bytes = common::fixture(fixture);
    let doc = DocRef { id, bytes: &bytes };
    pool.load(doc, t).unwrap();
    (0..pages)
        .map(|i| pool.render(doc, i, &geom, &limits, t).unwrap())
        .collect()
}

fn own_pool(workers: usize) -> Pool {
    Pool::new(PoolConfig {
        library: pdfium(),
        worker_exe: WORKER.into(),
        workers,
        memory_limit: PdfSettings::default().worker_memory,
    })
}

#[test]
fn page_counts_and_warnings() {
    for (fixture, pages) in [
        ("pdf/weasyprint-invoice.pdf", 1),
        ("pdf/rotation.pdf", 2),
        ("pdf/issue9972-1-encrypted-form.pdf", 1),
    ] {
        let out = send(fixture, Limits::default()).unwrap();
        assert_eq!(out.report.pages, pages, "{fixture}");
        let warnings: Vec<_> = out
            .report
            .documents
            .iter()
            .flat_map(|d| &d.warnings)
            .collect();
        assert!(warnings.is_empty(), "{fixture}: {warnings:?}");
        for page in &out.pages {
            assert_eq!((page.width, page.height), (1728, 2156));
            assert!(page.count_black() > 100, "{fixture}: a page came out blank");
        }
    }
}

#[test]
fn page_limit_is_checked_before_rendering() {
    let limits = Limits {
        max_pages: 1,
        ..Limits::default()
    };
    let e = send("pdf/rotation.pdf", limits).err().unwrap();
    assert_eq!(e.kind, ErrorKind::LimitExceeded);
    assert!(e.to_string().contains("2 pages"), "{e}");
}

#[test]
fn password_protected_is_refused_clearly() {
    let e = send("pdf/needs-password.pdf", Limits::default())
        .err()
        .unwrap();
    assert!(e.to_string().contains("password-protected"), "{e}");
    assert_eq!(e.kind, ErrorKind::Unsupported);
}

#[test]
fn truncated_and_garbage_are_refused_not_blank() {
    setup();
    let whole = common::fixture("pdf/weasyprint-invoice.pdf");
    let mut garbage = b"%PDF-1.7\n".to_vec();
    garbage.extend((0..5000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
    for (name, bytes) in [
        ("truncated.pdf", whole[..whole.len() / 3].to_vec()),
        ("garbage.pdf", garbage),
    ] {
        let job = SendJob {
            documents: vec![Document::new(name, bytes)],
            options: SendOptions::default(),
            clock: JobClock::Fixed(common::FIXED_TIME),
            keep_pages: false,
            ..SendJob::default()
        };
        let e = run_send(&job)
            .err()
            .unwrap_or_else(|| panic!("{name} was accepted"));
        assert_eq!(e.kind, ErrorKind::BadInput, "{name}: {e}");
        assert!(e.to_string().contains(name), "{e}");
    }
}

/// pdf.js test files: a page whose content streams are 100000 x 100000
/// JBIG2 bombs, and a PDF whose cross-reference table is broken.
#[test]
fn bombs_and_broken_structure_are_refused_by_the_cli() {
    setup();
    let bomb = common::faxrender(&[
        "convert",
        &common::fixture_path("bad/pdf_jbig2-bomb-giant.pdf"),
        "-o",
        "/dev/null",
    ]);
    assert_eq!(bomb.status.code(), Some(1));
    let msg = common::stderr(&bomb);
    assert!(
        msg.contains("100000 x 100000") && msg.contains("bomb"),
        "{msg}"
    );

    let broken = common::fixture_path("bad/pdf_broken-xref.pdf");
    let refused = common::faxrender(&["convert", &broken, "-o", "/dev/null"]);
    assert_eq!(refused.status.code(), Some(1));
    let msg = common::stderr(&refused);
    assert!(
        msg.contains("damaged") && msg.contains("cross-reference"),
        "{msg}"
    );
    // An operator may accept repaired PDFs: rendered, with a warning.
    let out = std::env::temp_dir().join(format!("faxrender-repaired-{}.tif", std::process::id()));
    let accepted = common::faxrender_env(
        &["convert", &broken, "-o", out.to_str().unwrap()],
        &[("FAXRENDER_PDF_ACCEPT_REPAIRED", "1")],
    );
    let msg = common::stderr(&accepted);
    assert_eq!(accepted.status.code(), Some(0), "{msg}");
    assert!(msg.contains("rebuilt"), "{msg}");
    common::assert_checkers_accept(&std::fs::read(&out).unwrap(), "repaired PDF");
    std::fs::remove_file(&out).unwrap();
}

#[test]
fn output_is_the_same_with_one_or_two_workers() {
    let bytes = common::fixture("pdf/rotation.pdf");
    let geom = PageGeometry::new(Resolution::Fine, Paper::A4).with_header_rows(40);
    let limits = WireLimits::from_limits(&Limits::default());
    let render_all = |pool: &Pool| -> Vec<Vec<u8>> {
        let doc = DocRef {
            id: 7,
            bytes: &bytes,
        };
        let info = pool.load(doc, Duration::from_secs(10)).unwrap();
        (0..info.pages)
            .map(|i| {
                pool.render(doc, i, &geom, &limits, Duration::from_secs(10))
                    .unwrap()
                    .data
            })
            .collect()
    };
    let one = render_all(&own_pool(1));
    let two = own_pool(2);
    let parallel: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2u32)
            .map(|i| {
                let (two, bytes) = (&two, &bytes);
                s.spawn(move || {
                    let doc = DocRef { id: 7, bytes };
                    two.load(doc, Duration::from_secs(10)).unwrap();
                    two.render(doc, i, &geom, &limits, Duration::from_secs(10))
                        .unwrap()
                        .data
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(one, parallel);
    // the header band stays white
    for page in &one {
        assert!(page[..1728 * 40].iter().all(|&v| v == 255));
    }
}

#[test]
fn short_documents_with_a_heavy_page_are_flagged_for_bands() {
    let pool = own_pool(1);
    let t = Duration::from_secs(10);
    let heavy = |fixture: &str, id: u64| {
        let bytes = common::fixture(fixture);
        pool.load(DocRef { id, bytes: &bytes }, t)
            .unwrap()
            .heavy_pages
    };
    // a page of function shadings, which PDFium evaluates per pixel
    assert!(heavy("pdf/function_based_shading_cmyk.pdf", 1));
    // two pages of text and rules
    assert!(!heavy("pdf/rotation.pdf", 2));
}

#[test]
fn a_banded_document_gives_the_same_fax_with_one_or_two_workers() {
    pdfium();
    let dir = tempfile::tempdir().unwrap();
    let mut faxes = Vec::new();
    for workers in ["1", "2"] {
        let out = dir.path().join(format!("w{workers}.tif"));
        let o = common::faxrender_env(
            &[
                "convert",
                &common::fixture_path("pdf/function_based_shading_cmyk.pdf"),
                "-o",
                out.to_str().unwrap(),
                "--time",
                "0",
            ],
            &[("FAXRENDER_PDF_WORKERS", workers)],
        );
        assert!(o.status.success(), "{}", common::stderr(&o));
        let tiff = std::fs::read(&out).unwrap();
        common::assert_checkers_accept(&tiff, "banded shading pages");
        faxes.push(tiff);
    }
    assert!(faxes[0] == faxes[1], "the bands depend on the worker count");
}

#[test]
fn bands_stitch_to_the_whole_page() {
    // PDFium clips a band render to its rows; the pixels are the ones a
    // whole-page render gives, upright and turned pages alike (page 2 of
    // rotation.pdf and of the shading file are landscape, turned to fit)
    let (geom, limits, t) = fine_page_with_header();
    let pool = own_pool(2);
    for (id, fixture) in [
        (9, "pdf/rotation.pdf"),
        (10, "pdf/function_based_shading_cmyk.pdf"),
    ] {
        let bytes = common::fixture(fixture);
        let doc = DocRef { id, bytes: &bytes };
        pool.load(doc, t).unwrap();
        for page in 0..2 {
            let whole = pool.render(doc, page, &geom, &limits, t).unwrap();
            let cut = 1000;
            let top = pool
                .render_band(doc, page, &geom, &limits, 0..cut, t)
                .unwrap();
            let bottom = pool
                .render_band(doc, page, &geom, &limits, cut..geom.rows(), t)
                .unwrap();
            assert_eq!((top.width, top.height), (1728, cut));
            assert_eq!(bottom.height, geom.rows() - cut);
            let inked = |rows: &[u8]| rows.iter().filter(|&&v| v < 128).count();
            assert!(inked(&whole.data) > 1000, "{fixture} page {page} has ink");
            if fixture.contains("shading") {
                // the shadings cross the cut
                assert!(inked(&top.data) > 1000 && inked(&bottom.data) > 1000);
            }
            let stitched = [top.data, bottom.data].concat();
            let diffs: Vec<u8> = stitched
                .iter()
                .zip(&whole.data)
                .map(|(a, b)| a.abs_diff(*b))
                .filter(|&d| d > 0)
                .collect();
            // a band's matrix and PDFium's own page matrix agree up to float
            // rounding, so a shading's function is evaluated at very nearly
            // the same points: measured 1 and 474 pixels (of 3.7 million)
            // off by one or two gray levels
            assert!(
                diffs.len() < 2000 && diffs.iter().all(|&d| d <= 2),
                "{fixture} page {page}: {} pixels differ, at most by {:?}",
                diffs.len(),
                diffs.iter().max()
            );
        }
    }
    // a band off the page is refused before it reaches a worker
    let bytes = common::fixture("pdf/rotation.pdf");
    let doc = DocRef {
        id: 9,
        bytes: &bytes,
    };
    let off = pool.render_band(doc, 0, &geom, &limits, 2000..2200, t);
    assert!(
        matches!(off, Err(PoolError::Refused(..))),
        "{:?}",
        off.err()
    );
}

#[test]
fn shadings_under_the_rest_are_drawn_small_and_the_rest_over_them() {
    // Page 1: an axial shading (white to black along a short diagonal,
    // extended both ways, clipped to a box), then a black rectangle and a
    // line of text over it (scripts/make-pdf-fixtures.py). Page 2:
    // the same rectangle, then the same shading over it. Only page 1's
    // shading lies under everything else, so only it is drawn at the
    // reduced resolution (backdrop.rs); page 2's is drawn as PDFium draws
    // it, at full resolution, which makes it the yardstick.
    let [under, over]: [GrayImage; 2] = render_in_gray("pdf/shading_under_text.pdf", 11, 2)
        .try_into()
        .unwrap();
    let w = under.width as usize;
    let row = |img: &[u8], y: usize| img[y * w..(y + 1) * w].to_vec();
    // the shading's box, from page 2: rows and columns that are not white
    let inked_rows: Vec<usize> = (0..under.height as usize)
        .filter(|&y| row(&over.data, y).iter().any(|&v| v < 250))
        .collect();
    let (top, bottom) = (inked_rows[0], *inked_rows.last().unwrap());
    assert!(bottom - top > 700, "the shading box is {top}..{bottom}");
    // the rectangle: rows of page 1 with a long run of pure black
    let longest_black = |r: &[u8]| r.split(|&v| v != 0).map(|run| run.len()).max().unwrap_or(0);
    let rect_rows: Vec<usize> = (top..bottom)
        .filter(|&y| longest_black(&row(&under.data, y)) > 250)
        .collect();
    assert!(
        rect_rows.len() > 100,
        "the rectangle is drawn over the shading"
    );
    // ... and it is hidden under page 2's shading
    assert!(rect_rows
        .iter()
        .all(|&y| longest_black(&row(&over.data, y)) < 50));
    // Away from the rectangle, the text and the box's edges, the small
    // drawing scaled up matches PDFium's full-resolution shading.
    let text_top = rect_rows.last().unwrap() + 40;
    let mut worst = 0u8;
    for y in (top + 4..rect_rows[0] - 4).chain(text_top..text_top + 20) {
        let (a, b) = (row(&under.data, y), row(&over.data, y));
        let inside: Vec<usize> = (0..w).filter(|&x| b[x] < 250).collect();
        let (left, right) = (inside[0], *inside.last().unwrap());
        for x in left + 4..right - 4 {
            worst = worst.max(a[x].abs_diff(b[x]));
        }
    }
    assert!(
        worst <= 3,
        "backdrop and full render differ by {worst} levels"
    );
    // Only the shading is drawn small: beside the rectangle, where the
    // shading is white, page 1 is white too (a small, scaled-up copy of the
    // rectangle under the sharp one would leave a gray fringe there).
    let rect_row = row(&under.data, rect_rows[0] + 2);
    let rect_cols: Vec<usize> = (0..w).filter(|&x| rect_row[x] == 0).collect();
    let beside = (rect_rows[0] - 6..rect_rows[0] - 2)
        .chain(rect_rows.last().unwrap() + 3..rect_rows.last().unwrap() + 7);
    let mut fringe = 0u8;
    for y in beside {
        let (a, b) = (row(&under.data, y), row(&over.data, y));
        for &x in rect_cols.iter().filter(|&&x| b[x] >= 250) {
            fringe = fringe.max(a[x].abs_diff(b[x]));
        }
    }
    assert!(
        fringe <= 3,
        "a fringe of {fringe} levels beside the rectangle"
    );
}

#[test]
fn only_line_art_far_above_fax_resolution_is_point_sampled() {
    // Three pages of 1-bit stencils in alternating one-pixel black and
    // white columns (scripts/make-pdf-fixtures.py): averaged down to the
    // fax grid they are a uniform mid-gray, point-sampled every fax pixel
    // is pure black or white. Page 1: a 2400 dpi stencil alone (12x the
    // fax resolution: point-sampled, which is several times faster).
    // Page 2: the same beside a gray image (averaged: a photo must not
    // alias). Page 3: a 300 dpi stencil (averaged: 1.5x, where sampling
    // would break up one-pixel strokes).
    let pages = render_in_gray("pdf/line_art_scans.pdf", 12, 3);
    let w = pages[0].width as usize;
    // the stencils' rows: where page 1 is not white (the same place on
    // every page; page 2's gray image lies far below)
    let rows: Vec<usize> = (0..pages[0].height as usize)
        .filter(|&y| pages[0].data[y * w..(y + 1) * w].iter().any(|&v| v < 250))
        .collect();
    assert!(rows.len() > 300, "stencil rows: {}", rows.len());
    let (top, bottom) = (rows[0], *rows.last().unwrap());
    // share of the inked pixels in those rows that are mid-gray, in %
    let mid_gray = |data: &[u8]| {
        let inked = data[top * w..=bottom * w + w - 1]
            .iter()
            .filter(|&&v| v < 250);
        let (mut all, mut mid) = (0usize, 0usize);
        for &v in inked {
            all += 1;
            mid += usize::from((40..=215).contains(&v));
        }
        assert!(all > 30_000, "{all} inked pixels");
        mid * 100 / all
    };
    let shares: Vec<usize> = pages.iter().map(|p| mid_gray(&p.data)).collect();
    assert!(shares[0] <= 1, "page 1 is averaged: {shares:?}");
    assert!(shares[1] >= 50, "page 2 is point-sampled: {shares:?}");
    assert!(shares[2] >= 50, "page 3 is point-sampled: {shares:?}");
}

#[test]
fn a_hung_worker_is_killed_and_replaced() {
    let pool = own_pool(1);
    let bytes = common::fixture("pdf/issue13372-ccitt-scan.pdf");
    let doc = DocRef {
        id: 1,
        bytes: &bytes,
    };
    let geom = PageGeometry::new(Resolution::Superfine, Paper::Legal);
    let limits = WireLimits::from_limits(&Limits::default());
    pool.load(doc, Duration::from_secs(10)).unwrap();
    let started = std::time::Instant::now();
    let e = pool
        .render(doc, 0, &geom, &limits, Duration::from_millis(1))
        .unwrap_err();
    assert_eq!(e, PoolError::TimedOut);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(pool.worker_pids().len(), 0, "the timed-out worker is gone");
    // the next request gets a fresh worker (which loads the document again)
    let page = pool
        .render(doc, 0, &geom, &limits, Duration::from_secs(20))
        .unwrap();
    assert_eq!((page.width, page.height), (1728, 5474));
}

#[test]
fn prestarted_workers_come_up_and_serve() {
    // prestart starts the workers without waiting for them; they are
    // greeted when first used, and never more than the pool size
    let pool = own_pool(2);
    pool.prestart(5);
    assert_eq!(pool.worker_pids().len(), 2);
    pool.prestart(2);
    assert_eq!(pool.worker_pids().len(), 2, "no more than asked for");
    let bytes = common::fixture("pdf/rotation.pdf");
    let doc = DocRef {
        id: 1,
        bytes: &bytes,
    };
    let geom = PageGeometry::new(Resolution::Fine, Paper::Letter);
    let limits = WireLimits::from_limits(&Limits::default());
    assert_eq!(pool.load(doc, Duration::from_secs(10)).unwrap().pages, 2);
    // both pages at once: both prestarted workers answer
    let t = Duration::from_secs(10);
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| pool.render(doc, 0, &geom, &limits, t));
        let b = s.spawn(|| pool.render(doc, 1, &geom, &limits, t));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(a.unwrap().height, geom.rows());
    assert_eq!(b.unwrap().height, geom.rows());
    assert_eq!(pool.worker_pids().len(), 2);

    // a worker that cannot start: prestart remembers it, requests fail
    // with "unavailable" at once and nothing is left running
    let broken = Pool::new(PoolConfig {
        library: pdfium(),
        worker_exe: "/nonexistent/faxrender".into(),
        workers: 2,
        memory_limit: 0,
    });
    broken.prestart(2);
    assert_eq!(broken.worker_pids().len(), 0);
    assert!(matches!(
        broken.load(doc, t),
        Err(PoolError::Unavailable(ref m)) if m.contains("/nonexistent/faxrender")
    ));
}

#[test]
fn a_killed_worker_fails_the_request_not_the_caller() {
    let pool = own_pool(1);
    let bytes = common::fixture("pdf/weasyprint-invoice.pdf");
    let doc = DocRef {
        id: 1,
        bytes: &bytes,
    };
    let geom = PageGeometry::new(Resolution::Fine, Paper::Letter);
    let limits = WireLimits::from_limits(&Limits::default());
    pool.load(doc, Duration::from_secs(10)).unwrap();
    let pids = pool.worker_pids();
    assert_eq!(pids.len(), 1);
    let status = Command::new("kill")
        .arg("-9")
        .arg(pids[0].to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let e = pool
        .render(doc, 0, &geom, &limits, Duration::from_secs(10))
        .unwrap_err();
    assert!(
        matches!(e, PoolError::Crashed(ref how) if how.contains("signal 9")),
        "{e:?}"
    );
    // restarted on the next request
    let page = pool
        .render(doc, 0, &geom, &limits, Duration::from_secs(10))
        .unwrap();
    assert!(page.data.iter().any(|&v| v < 128));
}

#[test]
fn without_pdfium_hayro_renders_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.tif");
    let run = Command::new(WORKER)
        .args(["convert", "--json", "-o"])
        .arg(&out)
        .arg(common::root().join("fixtures/pdf/rotation.pdf"))
        .env("FAXRENDER_PDFIUM", dir.path().join("missing/libpdfium.so"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        stdout.contains("hayro") && stdout.contains("libpdfium.so"),
        "{stdout}"
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["pages"], 2);
}

#[test]
fn the_worker_subcommand_is_hidden() {
    let help = Command::new(WORKER).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("convert") && !text.contains("pdf-worker"),
        "{text}"
    );
}
