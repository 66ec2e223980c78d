//! Golden pages of the send path: how pictures become fax pages in each
//! bilevel mode. Exact 1-bit comparison; `BLESS=1` to update (see
//! tests/common/golden.rs).

mod common;

use common::golden;
use faxrender::bilevel::BilevelMode;
use faxrender::geometry::{Paper, Resolution};
use faxrender::job::{run_send, Document, JobClock, SendJob, SendOptions};

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
];

fn render(case: &Case) -> Vec<faxrender::bitmap::BitImage> {
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
    };
    run_send(&job).unwrap().pages
}

#[test]
fn golden_pages() {
    for case in CASES {
        golden::check(case.name, &render(case), case.resolution.y_dpi());
    }
    golden::assert_no_orphans(&CASES.iter().map(|c| c.name).collect::<Vec<_>>());
}
