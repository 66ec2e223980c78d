//! Golden pages: compare rendered 1-bit pages with committed references
//! under `tests/golden/<case>/pNNN.png` (native fax grid, 1-bit PNG).
//!
//! `BLESS=1 cargo test` writes missing or failing references and prints what
//! it wrote (refused when `CI=true`). On a mismatch a three-panel
//! `target/golden/<case>/pNNN.diff.png` is written: expected | difference |
//! actual, ink added in red, ink lost in blue, standard-resolution pages
//! stretched 2x vertically so text reads right.

use faxrender::bitmap::BitImage;
use std::path::PathBuf;

pub fn golden_dir() -> PathBuf {
    super::root().join("tests").join("golden")
}

fn blessing() -> bool {
    let bless = std::env::var("BLESS").is_ok_and(|v| v == "1");
    if bless && std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("BLESS=1 is refused when CI=true: bless references on a developer machine");
    }
    bless
}

fn write_png_1bit(page: &BitImage) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, page.width, page.height);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::One);
    enc.set_compression(png::Compression::High);
    let mut w = enc.write_header().unwrap();
    let data: Vec<u8> = page.to_packed().iter().map(|b| !b).collect();
    w.write_image_data(&data).unwrap();
    w.finish().unwrap();
    out
}

fn read_png_1bit(bytes: &[u8]) -> BitImage {
    let mut r = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut buf = vec![0; r.output_buffer_size().unwrap()];
    let info = r.next_frame(&mut buf).unwrap();
    assert_eq!(
        info.bit_depth,
        png::BitDepth::One,
        "references are 1-bit PNGs"
    );
    let packed: Vec<u8> = buf[..info.line_size * info.height as usize]
        .iter()
        .map(|b| !b)
        .collect();
    BitImage::from_packed(info.width, info.height, &packed)
}

/// Three panels side by side, RGB: expected | difference | actual.
fn diff_png(expected: &BitImage, actual: &BitImage, stretch: u32) -> Vec<u8> {
    let w = expected.width.max(actual.width);
    let h = expected.height.max(actual.height);
    let gap = 16;
    let total_w = 3 * w + 2 * gap;
    let px = |img: &BitImage, x: u32, y: u32| x < img.width && y < img.height && img.get(x, y);
    let mut rgb = vec![200u8; (total_w * h * stretch * 3) as usize];
    for y in 0..h {
        for s in 0..stretch {
            let row = (y * stretch + s) as usize * total_w as usize * 3;
            for x in 0..w {
                let e = px(expected, x, y);
                let a = px(actual, x, y);
                let put = |rgb: &mut Vec<u8>, panel: u32, c: [u8; 3]| {
                    let i = row + ((panel * (w + gap) + x) * 3) as usize;
                    rgb[i..i + 3].copy_from_slice(&c);
                };
                let bw = |b: bool| if b { [0, 0, 0] } else { [255, 255, 255] };
                put(&mut rgb, 0, bw(e));
                put(&mut rgb, 2, bw(a));
                let d = match (e, a) {
                    (false, true) => [230, 0, 0],    // ink added
                    (true, false) => [0, 0, 230],    // ink lost
                    (true, true) => [190, 190, 190], // unchanged ink, faint
                    (false, false) => [255, 255, 255],
                };
                put(&mut rgb, 1, d);
            }
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, total_w, h * stretch);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut wr = enc.write_header().unwrap();
    wr.write_image_data(&rgb).unwrap();
    wr.finish().unwrap();
    out
}

/// Compares `pages` with the references of `case`. `y_dpi` decides the
/// vertical stretch of diff images. Panics with a summary on mismatch.
pub fn check(case: &str, pages: &[BitImage], y_dpi: u32) {
    let bless = blessing();
    let dir = golden_dir().join(case);
    let stretch = if y_dpi < 150 { 2 } else { 1 };
    let mut failures = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        let name = format!("p{:03}.png", i + 1);
        let reference = dir.join(&name);
        let matches = match std::fs::read(&reference) {
            Ok(bytes) => {
                let expected = read_png_1bit(&bytes);
                if expected == *page {
                    true
                } else {
                    if !bless {
                        let out = super::root().join("target/golden").join(case);
                        std::fs::create_dir_all(&out).unwrap();
                        let diff = out.join(format!("p{:03}.diff.png", i + 1));
                        std::fs::write(&diff, diff_png(&expected, page, stretch)).unwrap();
                        failures.push(format!("{case}/{name} differs: see {}", diff.display()));
                    }
                    false
                }
            }
            Err(_) => {
                if !bless {
                    failures.push(format!(
                        "{case}/{name} has no reference: run BLESS=1 cargo test --test golden"
                    ));
                }
                false
            }
        };
        if !matches && bless {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&reference, write_png_1bit(page)).unwrap();
            eprintln!("blessed {}", reference.display());
        }
    }
    // A reference page beyond the pages rendered is a failure too.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            let n = e.file_name().into_string().unwrap_or_default();
            let idx: Option<usize> = n
                .strip_prefix('p')
                .and_then(|s| s.strip_suffix(".png"))
                .and_then(|s| s.parse().ok());
            if idx.is_some_and(|k| k > pages.len()) {
                if bless {
                    std::fs::remove_file(e.path()).unwrap();
                    eprintln!("removed stale {}", e.path().display());
                } else {
                    failures.push(format!("{case}/{n}: reference page not rendered any more"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "golden pages differ:\n{}",
        failures.join("\n")
    );
}

/// Fails when `tests/golden` holds a case that no test checks.
pub fn assert_no_orphans(cases: &[&str]) {
    let Ok(entries) = std::fs::read_dir(golden_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().into_string().unwrap_or_default();
        assert!(
            cases.contains(&name.as_str()),
            "tests/golden/{name} has no test case: remove it or add the case"
        );
    }
}
