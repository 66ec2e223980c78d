//! Golden pages of the ODT reader: the hand-made fixtures of fixtures/odt/
//! (scripts/make-odt-fixtures.py) sent through the real send job: styles
//! and inheritance, a multi-level list, a table with merged cells, running
//! header and footer with page numbers, a picture, a landscape section.

use super::common;
use faxrender::bilevel::BilevelMode;
use faxrender::bitmap::BitImage;
use faxrender::geometry::{Paper, Resolution};
use faxrender::job::{run_send, Document, JobClock, SendJob, SendOptions};

pub struct Case {
    pub name: &'static str,
    fixture: &'static str,
    pub resolution: Resolution,
    /// Pages the case must produce.
    pages: usize,
}

pub const CASES: &[Case] = &[
    Case {
        name: "odt-styles-fine",
        fixture: "odt/styles.odt",
        resolution: Resolution::Fine,
        pages: 1,
    },
    Case {
        name: "odt-lists-fine",
        fixture: "odt/lists.odt",
        resolution: Resolution::Fine,
        pages: 1,
    },
    Case {
        name: "odt-table-standard",
        fixture: "odt/table.odt",
        resolution: Resolution::Standard,
        pages: 1,
    },
    Case {
        name: "odt-header-footer-fine",
        fixture: "odt/header-footer.odt",
        resolution: Resolution::Fine,
        pages: 3,
    },
    Case {
        name: "odt-image-fine",
        fixture: "odt/image.odt",
        resolution: Resolution::Fine,
        pages: 1,
    },
    Case {
        name: "odt-landscape-fine",
        fixture: "odt/landscape.odt",
        resolution: Resolution::Fine,
        pages: 2,
    },
];

/// The case's fax pages (bilevel, header band stamped, fixed clock).
pub fn render(case: &Case) -> Vec<BitImage> {
    let job = SendJob {
        documents: vec![Document::new(case.fixture, common::fixture(case.fixture))],
        options: SendOptions {
            resolution: case.resolution,
            paper: Paper::Letter,
            bilevel: BilevelMode::Auto,
            ..SendOptions::default()
        },
        clock: JobClock::Fixed(common::FIXED_TIME),
        keep_pages: true,
        ..SendJob::default()
    };
    let pages = run_send(&job).unwrap().pages;
    assert_eq!(pages.len(), case.pages, "{}: page count", case.name);
    pages
}
