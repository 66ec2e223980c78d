//! The send job behind the golden pages of the typeset document formats
//! (golden_cases/docx.rs, odt.rs, html.rs): one fixture per case through the
//! real send job on Letter paper with the fixed clock and the default header
//! line, its page count asserted beside the pictures.

use super::common;
use faxrender::bitmap::BitImage;
use faxrender::geometry::{Paper, Resolution};
use faxrender::job::{run_send, Document, JobClock, SendJob, SendOptions};

/// One golden case: a fixture document and what it must give.
pub struct DocCase {
    pub name: &'static str,
    pub fixture: &'static str,
    pub resolution: Resolution,
    /// Pages the case must produce.
    pub pages: usize,
    /// The recipient number printed in the header line, if any.
    pub recipient: Option<&'static str>,
}

impl DocCase {
    /// A case at fine resolution with no recipient number.
    pub const fn fine(name: &'static str, fixture: &'static str, pages: usize) -> Self {
        DocCase {
            name,
            fixture,
            resolution: Resolution::Fine,
            pages,
            recipient: None,
        }
    }

    /// The same case at another resolution.
    pub const fn at(self, resolution: Resolution) -> Self {
        DocCase { resolution, ..self }
    }

    /// The same case with a recipient number in its header line.
    pub const fn to(self, recipient: &'static str) -> Self {
        DocCase {
            recipient: Some(recipient),
            ..self
        }
    }
}

/// The case's fax pages (bilevel, header band stamped).
pub fn render(case: &DocCase) -> Vec<BitImage> {
    let job = SendJob {
        documents: vec![Document::new(case.fixture, common::fixture(case.fixture))],
        options: SendOptions {
            resolution: case.resolution,
            paper: Paper::Letter,
            ..SendOptions::default()
        },
        recipient: case.recipient.map(Into::into),
        clock: JobClock::Fixed(common::FIXED_TIME),
        keep_pages: true,
        ..SendJob::default()
    };
    let pages = run_send(&job).unwrap().pages;
    assert_eq!(pages.len(), case.pages, "{}: page count", case.name);
    pages
}
