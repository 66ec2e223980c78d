//! Golden pages of DOCX documents typeset natively: styles and their
//! inheritance (with a footnote), a multi-level list, a table with merged
//! cells, running header/footer with page fields, a picture, and a
//! landscape section after a portrait one. Each is a real send job (fixed
//! clock, default header line) at fine resolution; page counts are asserted
//! beside the pictures.

use super::common;
use faxrender::bitmap::BitImage;
use faxrender::geometry::{Paper, Resolution};
use faxrender::job::{run_send, Document, JobClock, SendJob, SendOptions};

pub struct Case {
    pub name: &'static str,
    fixture: &'static str,
    pages: usize,
}

pub const CASES: &[Case] = &[
    Case {
        name: "docx-styles-fine",
        fixture: "docx/styles.docx",
        pages: 1,
    },
    Case {
        name: "docx-lists-fine",
        fixture: "docx/lists.docx",
        pages: 1,
    },
    Case {
        name: "docx-table-merged-fine",
        fixture: "docx/table-merged.docx",
        pages: 1,
    },
    Case {
        name: "docx-header-footer-fine",
        fixture: "docx/header-footer.docx",
        pages: 3,
    },
    Case {
        name: "docx-image-fine",
        fixture: "docx/image.docx",
        pages: 1,
    },
    Case {
        name: "docx-landscape-fine",
        fixture: "docx/landscape.docx",
        pages: 2,
    },
];

/// The case's fax pages (asserting their count).
pub fn render(case: &Case) -> Vec<BitImage> {
    let job = SendJob {
        documents: vec![Document::new(case.fixture, common::fixture(case.fixture))],
        options: SendOptions {
            resolution: Resolution::Fine,
            paper: Paper::Letter,
            ..SendOptions::default()
        },
        recipient: Some("12125550123".into()),
        clock: JobClock::Fixed(common::FIXED_TIME),
        keep_pages: true,
        ..SendJob::default()
    };
    let pages = run_send(&job).unwrap().pages;
    assert_eq!(pages.len(), case.pages, "{}", case.name);
    pages
}
