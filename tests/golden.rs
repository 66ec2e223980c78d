//! Golden pages: of the send path, how pictures become fax pages in each
//! bilevel mode; of the receive path, the aspect-corrected PNG previews of a
//! standard, a fine and a superfine fax page; of the typesetter, cover sheet
//! and header line: text, covers and a table (golden_cases/typeset.rs); of
//! DOCX documents (golden_cases/docx.rs), the HTML reader (golden_cases/html.rs) and
//! the ODT reader (golden_cases/odt.rs).
//! Exact 1-bit comparison; `BLESS=1` to update (see tests/common/golden.rs).
//! Every case of tests/golden/ is listed in this file (the orphan check sees
//! all lists).

mod common;
#[path = "golden_cases/documents.rs"]
mod documents;
#[path = "golden_cases/docx.rs"]
mod docx;
#[path = "golden_cases/html.rs"]
mod html;
#[path = "golden_cases/odt.rs"]
mod odt;
#[path = "golden_cases/typeset.rs"]
mod typeset;

use common::golden;
use faxrender::bilevel::BilevelMode;
use faxrender::bitmap::BitImage;
use faxrender::codec::Compression;
use faxrender::geometry::{Paper, Resolution};
use faxrender::job::{run_receive, run_send, Document, JobClock, ReceiveJob, SendJob, SendOptions};

struct Case {
    name: &'static str,
    fixture: &'static str,
    bilevel: BilevelMode,
    resolution: Resolution,
}

const CASES: &[Case] = &[
    Case {
        name: "photo-auto-fine",
        fixture: "examples/photo.jpg",
        bilevel: BilevelMode::Auto,
        resolution: Resolution::Fine,
    },
    Case {
        name: "photo-halftone-standard",
        fixture: "examples/photo.jpg",
        bilevel: BilevelMode::Halftone,
        resolution: Resolution::Standard,
    },
    Case {
        name: "photo-threshold-fine",
        fixture: "examples/photo.jpg",
        bilevel: BilevelMode::Threshold,
        resolution: Resolution::Fine,
    },
    Case {
        name: "photo-diffuse-fine",
        fixture: "examples/photo.jpg",
        bilevel: BilevelMode::Diffuse,
        resolution: Resolution::Fine,
    },
    Case {
        name: "screenshot-auto-fine",
        fixture: "examples/document-screenshot.png",
        bilevel: BilevelMode::Auto,
        resolution: Resolution::Fine,
    },
    // A small sheet (merged title and total, dates, numbers) and an SVG
    // line drawing with text (standard: the non-square grid).
    Case {
        name: "sheet-merges-fine",
        fixture: "sheets/merges.xlsx",
        bilevel: BilevelMode::Auto,
        resolution: Resolution::Fine,
    },
    Case {
        name: "svg-floor-plan-standard",
        fixture: "svg/floor-plan.svg",
        bilevel: BilevelMode::Auto,
        resolution: Resolution::Standard,
    },
    // PDF through PDFium (scripts/setup-pdfium.sh): text, a CCITT scan, a
    // page with /Rotate 270, a filled AcroForm
    Case {
        name: "pdf-text-fine",
        fixture: "pdf/weasyprint-invoice.pdf",
        bilevel: BilevelMode::Auto,
        resolution: Resolution::Fine,
    },
    Case {
        name: "pdf-scan-standard",
        fixture: "pdf/issue13372-ccitt-scan.pdf",
        bilevel: BilevelMode::Auto,
        resolution: Resolution::Standard,
    },
    Case {
        name: "pdf-rotated-fine",
        fixture: "pdf/issue5747-ccitt-rot270.pdf",
        bilevel: BilevelMode::Auto,
        resolution: Resolution::Fine,
    },
    Case {
        name: "pdf-form-fine",
        fixture: "pdf/issue9972-1-encrypted-form.pdf",
        bilevel: BilevelMode::Auto,
        resolution: Resolution::Fine,
    },
];

fn render(case: &Case) -> Vec<faxrender::bitmap::BitImage> {
    // PDF workers are this build's binary (the test binary is not faxrender)
    std::env::set_var("FAXRENDER_WORKER_EXE", env!("CARGO_BIN_EXE_faxrender"));
    let job = SendJob {
        documents: vec![Document::new(case.fixture, common::fixture(case.fixture))],
        options: SendOptions {
            resolution: case.resolution,
            paper: Paper::Letter,
            bilevel: case.bilevel,
            ..SendOptions::default()
        },
        clock: JobClock::Fixed(common::FIXED_TIME),
        keep_pages: true,
        ..SendJob::default()
    };
    run_send(&job).unwrap().pages
}

/// A receive-path case: a fax TIFF, from a fixture or sent by our own
/// send path, whose page previews are compared.
struct ReceiveCase {
    name: &'static str,
    tiff: fn() -> Vec<u8>,
}

const RECEIVE_CASES: &[ReceiveCase] = &[
    ReceiveCase {
        // 204x98: every row doubled in the preview
        name: "receive-standard",
        tiff: || {
            let job = SendJob {
                documents: vec![Document::new(
                    "screenshot.png",
                    common::fixture("examples/document-screenshot.png"),
                )],
                options: SendOptions {
                    resolution: Resolution::Standard,
                    compression: Compression::G3,
                    ..SendOptions::default()
                },
                clock: JobClock::Fixed(common::FIXED_TIME),
                keep_pages: false,
                ..SendJob::default()
            };
            run_send(&job).unwrap().tiff
        },
    },
    ReceiveCase {
        // 204x196, 2048 wide (B4): the preview is the page
        name: "receive-fine",
        tiff: || common::fixture("tiff/spandsp_itu2-B4-2048-g4.tif"),
    },
    ReceiveCase {
        // 204x391: every other row in the preview
        name: "receive-superfine",
        tiff: || common::fixture("tiff/spandsp_itu1-superfine-g4.tif"),
    },
];

/// A 1-bit preview PNG (0 = black) as a bitmap (1 = black).
fn preview_bitmap(png_bytes: &[u8]) -> BitImage {
    let mut r = png::Decoder::new(std::io::Cursor::new(png_bytes))
        .read_info()
        .unwrap();
    let mut buf = vec![0; r.output_buffer_size().unwrap()];
    let info = r.next_frame(&mut buf).unwrap();
    assert_eq!(info.bit_depth, png::BitDepth::One, "previews are 1-bit");
    let packed: Vec<u8> = buf[..info.line_size * info.height as usize]
        .iter()
        .map(|b| !b)
        .collect();
    let mut img = BitImage::from_packed(info.width, info.height, &packed);
    img.clear_padding();
    img
}

fn receive_previews(case: &ReceiveCase) -> Vec<BitImage> {
    let out = run_receive(&ReceiveJob {
        name: case.name.into(),
        tiff: (case.tiff)().into(),
        clock: JobClock::Fixed(common::FIXED_TIME),
        png_pages: true,
        ..ReceiveJob::default()
    })
    .unwrap();
    out.previews
        .iter()
        .map(|p| preview_bitmap(p.png.as_ref().unwrap()))
        .collect()
}

fn all_case_names() -> Vec<&'static str> {
    CASES
        .iter()
        .map(|c| c.name)
        .chain(RECEIVE_CASES.iter().map(|c| c.name))
        .chain(typeset::CASES.iter().map(|c| c.name))
        .chain(docx::CASES.iter().map(|c| c.name))
        .chain(html::CASES.iter().map(|c| c.name))
        .chain(odt::CASES.iter().map(|c| c.name))
        .collect()
}

#[test]
fn golden_pages() {
    for case in CASES {
        golden::check(case.name, &render(case), case.resolution.y_dpi());
    }
    golden::assert_no_orphans(&all_case_names());
}

#[test]
fn golden_receive_previews() {
    for case in RECEIVE_CASES {
        // previews are aspect corrected already: no stretch in diffs
        golden::check(case.name, &receive_previews(case), 196);
    }
    golden::assert_no_orphans(&all_case_names());
}

#[test]
fn golden_typeset_cover_header() {
    for case in typeset::CASES {
        golden::check(case.name, &typeset::render(case), case.resolution());
    }
    golden::assert_no_orphans(&all_case_names());
}

#[test]
fn golden_docx() {
    for case in docx::CASES {
        golden::check(case.name, &documents::render(case), case.resolution.y_dpi());
    }
    golden::assert_no_orphans(&all_case_names());
}

#[test]
fn golden_html() {
    for case in html::CASES {
        golden::check(case.name, &documents::render(case), case.resolution.y_dpi());
    }
    golden::assert_no_orphans(&all_case_names());
}

#[test]
fn golden_odt() {
    for case in odt::CASES {
        golden::check(case.name, &documents::render(case), case.resolution.y_dpi());
    }
    golden::assert_no_orphans(&all_case_names());
}
