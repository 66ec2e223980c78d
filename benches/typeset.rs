//! Layout + raster of a full text page (the send path's cost for a flow
//! page), and layout alone of a 300-page text document (what deciding the
//! page count costs).

use criterion::{criterion_group, criterion_main, Criterion};
use faxrender::geometry::{PageGeometry, Paper, Resolution};
use faxrender::input::{text, OpenContext};
use faxrender::layout::Fonts;
use faxrender::limits::Limits;

fn full_page_text() -> String {
    let line = "The quick brown fox jumps over the lazy dog; 0123456789 (fax page)";
    (0..60).map(|i| format!("{i:03} {line}\n")).collect()
}

fn bench(c: &mut Criterion) {
    let geom = PageGeometry::new(Resolution::Fine, Paper::Letter).with_header_rows(35);
    let ctx = OpenContext {
        limits: Limits::default(),
        geometry: geom,
        fonts: Fonts::committed(),
        resources: Default::default(),
    };
    let page = full_page_text();
    c.bench_function("text page layout+raster (fine)", |b| {
        b.iter(|| {
            let doc = text::open(page.as_bytes(), &ctx).unwrap();
            assert_eq!(doc.pages.len(), 1);
            doc.pages[0].render(&geom, &ctx.limits).unwrap()
        })
    });
    // 62 lines fit a page: 18 600 lines make 300 pages.
    let big = page.repeat(310);
    let mut group = c.benchmark_group("layout");
    group.sample_size(10);
    group.bench_function("300-page text layout", |b| {
        b.iter(|| {
            let doc = text::open(big.as_bytes(), &ctx).unwrap();
            assert!(doc.pages.len() >= 300);
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
