//! Bilevel conversion of a full Letter page at fine resolution
//! (1728 x 2156): every mode on a photo-like and a text-like page, plus the
//! `auto` classification alone.
//!
//! Run: `cargo bench --bench bilevel -- --warm-up-time 1 --measurement-time 3`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use faxrender::bilevel::{classify, to_bilevel, BilevelMode};
use faxrender::geometry::{Paper, Resolution};

// The synthetic pages are shared with the unit tests; that file names
// `crate::bitmap` and `crate::geometry`, which these shims provide here.
mod bitmap {
    pub use faxrender::bitmap::*;
}
mod geometry {
    pub use faxrender::geometry::*;
}
#[path = "../src/bilevel/test_pages.rs"]
mod test_pages;

fn bench_modes(c: &mut Criterion) {
    let res = Resolution::Fine;
    let rows = Paper::Letter.rows(res);
    let pages = [
        ("photo", test_pages::photo_page(res, 1728, rows)),
        ("text", test_pages::text_page(res, 1728, rows)),
    ];
    let mut group = c.benchmark_group("bilevel");
    for (name, page) in &pages {
        for mode in BilevelMode::ALL {
            group.bench_function(format!("{name}/{mode}"), |b| {
                b.iter(|| to_bilevel(black_box(page), mode, res))
            });
        }
        group.bench_function(format!("{name}/classify"), |b| {
            b.iter(|| classify(black_box(page), res))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_modes);
criterion_main!(benches);
