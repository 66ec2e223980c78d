//! Golden pages of the typesetter, the cover sheet and the header line:
//! every case but the table is a real send job (fixed clock, default header
//! template, recipient 12125550123, caller ID 6465550199); the table is a
//! `doc::Document` typeset and rendered the way the send path renders a
//! flow page, then stamped with the same header line.
//!
//! Beside the pictures, the properties that can be stated are asserted:
//! page counts, ink in the header band, and a white strip between the band
//! and the content (the top margin), so nothing but the header is above
//! the content.

use super::common;
use faxrender::bilevel::{to_bilevel, BilevelMode};
use faxrender::bitmap::BitImage;
use faxrender::doc::{Block, Borders, Document as FlowDocument, Paragraph, RunStyle};
use faxrender::doc::{BorderRoom, Padding, Table, TableCell, TableRow};
use faxrender::geometry::{Paper, Resolution};
use faxrender::input::{sniff::Format, text, OpenContext, RenderedPage};
use faxrender::job::header::JobHeader;
use faxrender::job::{
    run_send, CallerId, Cover, CoverText, Document, JobClock, Recipient, SendJob, SendOptions,
    SendOutput, UtcOffset,
};
use faxrender::layout::Fonts;
use faxrender::limits::Limits;
use faxrender::stamp::{band_rows, HeaderTemplate};

const RECIPIENT: &str = "12125550123";
const CALLER_ID: &str = "6465550199";
const SENDER: &str = "Example Clinic";
/// The top margin of text documents and of the table below, in points.
const TOP_MARGIN_PT: u32 = 36;

/// What a case sends (or typesets).
enum Input {
    /// A composed cover followed by one text document.
    ComposedCover(&'static str),
    /// A cover file (any accepted document) followed by one text document.
    CoverFile(&'static str, &'static str),
    /// One text document.
    Text(&'static str),
    /// The table built with the doc API.
    Table,
}

pub struct Case {
    pub name: &'static str,
    input: Input,
    resolution: Resolution,
    paper: Paper,
    /// Pages the case must produce.
    pages: usize,
}

pub const CASES: &[Case] = &[
    Case {
        name: "cover-compose-standard",
        input: Input::ComposedCover("text/short-note.txt"),
        resolution: Resolution::Standard,
        paper: Paper::Letter,
        pages: 2,
    },
    Case {
        name: "cover-compose-fine",
        input: Input::ComposedCover("text/short-note.txt"),
        resolution: Resolution::Fine,
        paper: Paper::Letter,
        pages: 2,
    },
    Case {
        name: "cover-compose-superfine",
        input: Input::ComposedCover("text/short-note.txt"),
        resolution: Resolution::Superfine,
        paper: Paper::Letter,
        pages: 2,
    },
    Case {
        name: "cover-file-fine",
        input: Input::CoverFile("examples/document-screenshot.png", "text/short-note.txt"),
        resolution: Resolution::Fine,
        paper: Paper::Letter,
        pages: 2,
    },
    Case {
        name: "header-letter-standard",
        input: Input::Text("text/short-note.txt"),
        resolution: Resolution::Standard,
        paper: Paper::Letter,
        pages: 1,
    },
    Case {
        name: "header-a4-standard",
        input: Input::Text("text/short-note.txt"),
        resolution: Resolution::Standard,
        paper: Paper::A4,
        pages: 1,
    },
    Case {
        name: "header-legal-standard",
        input: Input::Text("text/short-note.txt"),
        resolution: Resolution::Standard,
        paper: Paper::Legal,
        pages: 1,
    },
    Case {
        name: "text-mixed-scripts-fine",
        input: Input::Text("text/mixed-scripts.txt"),
        resolution: Resolution::Fine,
        paper: Paper::Letter,
        pages: 1,
    },
    Case {
        name: "table-fine",
        input: Input::Table,
        resolution: Resolution::Fine,
        paper: Paper::Letter,
        pages: 2,
    },
];

fn send(case: &Case, cover: Cover, document: &str) -> SendOutput {
    let job = SendJob {
        documents: vec![Document::new(document, common::fixture(document))],
        cover,
        recipient: Some(RECIPIENT.into()),
        caller_id: Some(CALLER_ID.into()),
        sender: Some(SENDER.into()),
        header: Some(HeaderTemplate::default()),
        options: SendOptions {
            resolution: case.resolution,
            paper: case.paper,
            ..SendOptions::default()
        },
        clock: JobClock::Fixed(common::FIXED_TIME),
        utc_offset: UtcOffset::default(),
        keep_pages: true,
    };
    let out = run_send(&job).unwrap_or_else(|e| panic!("{}: {e}", case.name));
    assert_eq!(out.report.pages as usize, out.pages.len(), "{}", case.name);
    let header = out.report.header.as_deref().unwrap_or_default();
    assert!(
        header.contains(RECIPIENT) || header.contains(CALLER_ID),
        "{}: header line {header:?} names neither number",
        case.name
    );
    out
}

fn cover_text() -> CoverText {
    CoverText {
        to_name: Some("Dr. Alice Martin".into()),
        from_name: None,
        subject: Some("Lab results for J. Doe".into()),
        message: "Dear Dr. Martin,\n\nPlease find the latest lab results attached.\n\
                  Call us if anything is unclear.\n\nBest regards,\nThe front desk"
            .into(),
    }
}

/// The table: a repeated header row, a title cell spanning every column,
/// a total row spanning the first two columns, thin borders, enough rows
/// to continue on a second page.
fn table_document(ctx: &OpenContext) -> FlowDocument {
    let style = RunStyle::sans(10.0);
    let bold = RunStyle::sans(10.0).bold();
    let spanning = |text: &str, span: u16| TableCell {
        colspan: span,
        ..TableCell::text(text, bold.clone())
    };
    let mut rows = vec![
        TableRow {
            cells: vec![spanning(
                "Lab results, November 2026 (header row, repeated)",
                4,
            )],
            cant_split: true,
            min_height: 0.0,
        },
        TableRow {
            cells: ["Date", "Test", "Result", "Unit"]
                .iter()
                .map(|h| TableCell {
                    shade: 220,
                    borders: Borders::all(1.5),
                    ..TableCell::text(*h, bold.clone())
                })
                .collect(),
            cant_split: true,
            min_height: 0.0,
        },
    ];
    let tests = ["Hemoglobin", "Glucose", "Sodium", "Potassium", "Creatinine"];
    let units = ["g/dL", "mg/dL", "mmol/L", "mmol/L", "mg/dL"];
    for i in 0..60u32 {
        let k = (i % 5) as usize;
        rows.push(TableRow {
            cells: vec![
                TableCell::text(format!("2026-11-{:02}", 1 + i % 28), style.clone()),
                TableCell::text(tests[k], style.clone()),
                TableCell::text(format!("{}.{}", 3 + i * 7 % 90, i % 10), style.clone()),
                TableCell::text(units[k], style.clone()),
            ],
            cant_split: false,
            min_height: 0.0,
        });
    }
    rows.push(TableRow {
        cells: vec![
            spanning("Total (spans two columns)", 2),
            TableCell::text("60 results", bold.clone()),
            TableCell::text("", style.clone()),
        ],
        cant_split: true,
        min_height: 0.0,
    });
    let mut doc = FlowDocument::new(text::page_setup_for(
        &ctx.geometry,
        54.0,
        TOP_MARGIN_PT as f32,
    ));
    doc.blocks = vec![
        Block::Paragraph(Paragraph::plain(
            "A table typeset by faxrender",
            RunStyle::serif(14.0).bold(),
        )),
        Block::Table(Table {
            columns: vec![110.0, 170.0, 110.0, 110.0],
            rows,
            header_rows: 2,
            cell_padding: Padding::uniform(3.0),
            border_room: BorderRoom::Overlay,
        }),
    ];
    doc
}

/// The table pages, made like the send path makes a flow page: rendered
/// below the band, bilevel (auto), stamped with the job's header line.
fn table_pages(case: &Case) -> Vec<BitImage> {
    let res = case.resolution;
    let band = band_rows(res);
    let fonts = Fonts::committed();
    let ctx = OpenContext {
        limits: Limits::default(),
        geometry: SendOptions {
            resolution: res,
            paper: case.paper,
            ..SendOptions::default()
        }
        .geometry()
        .with_header_rows(band),
        fonts: fonts.clone(),
        resources: Default::default(),
    };
    let opened = text::typeset(&table_document(&ctx), Format::Text, &ctx).unwrap();
    assert!(opened.warnings.is_empty(), "table: {:?}", opened.warnings);
    let utc = UtcOffset::default();
    let header = JobHeader::new(
        HeaderTemplate::default(),
        &utc.local(common::FIXED_TIME),
        Some(SENDER),
        &CallerId::parse(Some(CALLER_ID)).unwrap(),
        &Recipient::parse(RECIPIENT).unwrap(),
        opened.pages.len() as u32,
    );
    opened
        .pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let mut bits = match page.render(&ctx.geometry, &ctx.limits).unwrap() {
                RenderedPage::Gray(gray) => to_bilevel(&gray, BilevelMode::Auto, res),
                RenderedPage::Bits(bits) => bits,
            };
            assert!(!header.stamp(&mut bits, i as u32 + 1, band, res, &fonts));
            bits
        })
        .collect()
}

impl Case {
    /// Lines per inch, for the stretch of diff images.
    pub fn resolution(&self) -> u32 {
        self.resolution.y_dpi()
    }
}

pub fn render(case: &Case) -> Vec<BitImage> {
    let pages = match case.input {
        Input::ComposedCover(doc) => {
            let out = send(case, Cover::Compose(cover_text()), doc);
            assert_eq!(
                out.report.documents.len(),
                2,
                "{}: cover + document",
                case.name
            );
            out.pages
        }
        Input::CoverFile(cover, doc) => {
            let cover = Document::new(cover, common::fixture(cover));
            send(case, Cover::File(cover), doc).pages
        }
        Input::Text(doc) => {
            let out = send(case, Cover::None, doc);
            assert!(
                out.report.warnings.is_empty(),
                "{}: {:?} (a committed font should cover every character)",
                case.name,
                out.report.warnings
            );
            out.pages
        }
        Input::Table => table_pages(case),
    };
    assert_eq!(pages.len(), case.pages, "{}: page count", case.name);
    for (i, page) in pages.iter().enumerate() {
        assert_header_alone_on_top(case, i, page);
    }
    pages
}

fn ink_in_rows(page: &BitImage, rows: std::ops::Range<u32>) -> bool {
    rows.into_iter()
        .any(|y| page.row(y).iter().any(|&b| b != 0))
}

/// The band carries ink (the header line); below it, the top margin of a
/// typeset page is white: nothing but the header sits above the content.
/// (A cover file is a picture fitted to the content area: only the band is
/// checked there.)
fn assert_header_alone_on_top(case: &Case, index: usize, page: &BitImage) {
    let res = case.resolution;
    let band = band_rows(res);
    assert_eq!(page.width, 1728, "{}", case.name);
    assert_eq!(page.height, case.paper.rows(res), "{}", case.name);
    assert!(
        ink_in_rows(page, 0..band),
        "{} page {}: no header line in the band",
        case.name,
        index + 1
    );
    let picture_cover = matches!(case.input, Input::CoverFile(..)) && index == 0;
    if !picture_cover {
        // Leave a row for rounding and for ascenders reaching into it.
        let margin_rows = TOP_MARGIN_PT * res.y_dpi() / 72 - 2;
        assert!(
            !ink_in_rows(page, band..band + margin_rows),
            "{} page {}: ink between the header band and the content",
            case.name,
            index + 1
        );
    }
}
