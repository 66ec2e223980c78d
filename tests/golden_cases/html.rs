//! Golden pages of the HTML reader: headings and paragraphs styled by a
//! `<style>` block, nested lists, a table with spans and borders, an
//! e-mail's table layout (inlined CSS, nested 100 % tables, a 600 px
//! container) and an image from a data URI. Each is a real send job with
//! no header line, at fine resolution on Letter paper.

use super::common;
use faxrender::bitmap::BitImage;
use faxrender::geometry::{Paper, Resolution};
use faxrender::job::{run_send, Document, JobClock, SendJob, SendOptions};

pub struct Case {
    pub name: &'static str,
    fixture: &'static str,
    /// Pages the case must produce.
    pages: usize,
}

pub const CASES: &[Case] = &[
    Case {
        name: "html-headings-css",
        fixture: "html/headings.html",
        pages: 1,
    },
    Case {
        name: "html-lists",
        fixture: "html/list.html",
        pages: 1,
    },
    Case {
        name: "html-table-spans",
        fixture: "html/table-spans.html",
        pages: 1,
    },
    Case {
        name: "html-email-layout",
        fixture: "html/email-billing.html",
        pages: 1,
    },
    Case {
        name: "html-image-datauri",
        fixture: "html/image-datauri.html",
        pages: 1,
    },
];

/// Renders a case through the send job; asserts its page count.
pub fn render(case: &Case) -> Vec<BitImage> {
    let job = SendJob {
        documents: vec![Document::new(case.fixture, common::fixture(case.fixture))],
        options: SendOptions {
            resolution: Resolution::Fine,
            paper: Paper::Letter,
            ..SendOptions::default()
        },
        clock: JobClock::Fixed(common::FIXED_TIME),
        keep_pages: true,
        ..SendJob::default()
    };
    let pages = run_send(&job).unwrap().pages;
    assert_eq!(pages.len(), case.pages, "{}: pages", case.name);
    pages
}
