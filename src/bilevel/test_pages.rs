//! Synthetic gray pages for the bilevel tests and benchmark: a photo-like
//! page (smooth gradients, soft shapes, grain, on white paper with margins)
//! and a text-like page (lines of anti-aliased letter strokes). Integer math
//! only, so every run sees the same pixels.
//!
//! Also compiled into benches/bilevel.rs through `#[path]`; it therefore
//! names only `crate::bitmap` and `crate::geometry`, which the bench maps
//! onto the library.

#![allow(dead_code)]

use crate::bitmap::GrayImage;
use crate::geometry::Resolution;

/// A small deterministic pseudo-random generator (64-bit LCG).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
}

/// Fills `x0..x1` x `y0..y1` (clipped) with `value`.
pub fn fill_rect(img: &mut GrayImage, x0: u32, y0: u32, x1: u32, y1: u32, value: u8) {
    for y in y0.min(img.height)..y1.min(img.height) {
        let row = img.row_mut(y);
        let (a, b) = (x0 as usize, (x1 as usize).min(row.len()));
        if a < b {
            row[a..b].fill(value);
        }
    }
}

/// Darkens the pixels a rectangle given in 1/16 pixel units covers, by
/// their coverage (anti-aliased drawing of black ink on the page).
pub fn ink_rect_aa(img: &mut GrayImage, x0: i64, y0: i64, x1: i64, y1: i64) {
    let px0 = (x0.max(0) / 16) as u32;
    let py0 = (y0.max(0) / 16) as u32;
    let px1 = ((x1 + 15) / 16).clamp(0, img.width as i64) as u32;
    let py1 = ((y1 + 15) / 16).clamp(0, img.height as i64) as u32;
    for py in py0..py1 {
        let cy = (y1.min(py as i64 * 16 + 16) - y0.max(py as i64 * 16)).max(0);
        for px in px0..px1 {
            let cx = (x1.min(px as i64 * 16 + 16) - x0.max(px as i64 * 16)).max(0);
            let cover = (cx * cy) as u32; // 0..=256
            let v = img.get(px, py) as u32;
            let ink = v * cover / 256;
            img.set(px, py, (v - ink) as u8);
        }
    }
}

/// Where [`photo_page`] puts its picture: (x0, y0, x1, y1), exclusive ends.
pub fn photo_rect(width: u32, height: u32) -> (u32, u32, u32, u32) {
    let (mx, my) = (width / 12, height / 10);
    (mx, my, width - mx, height - 2 * my)
}

/// A photo-like page: white paper with margins and, inside, a picture of
/// smooth gradients, soft-edged blobs and grain.
pub fn photo_page(res: Resolution, width: u32, height: u32) -> GrayImage {
    let mut img = GrayImage::new(width, height, 255);
    paint_photo(&mut img, res, photo_rect(width, height));
    img
}

/// A page that is all picture, edge to edge: the worst case for size.
pub fn photo_bleed_page(res: Resolution, width: u32, height: u32) -> GrayImage {
    let mut img = GrayImage::new(width, height, 255);
    paint_photo(&mut img, res, (0, 0, width, height));
    img
}

/// Paints the photo-like picture into `rect` (x0, y0, x1, y1).
fn paint_photo(img: &mut GrayImage, res: Resolution, rect: (u32, u32, u32, u32)) {
    let (mx, my, x1, y1) = rect;
    let (w, h) = (x1 - mx, y1 - my);
    let mut rng = Lcg(0x5eed);
    // blobs: centre (in picture fractions of 1/1000), radius (1/1000 of the
    // width, physical units), tone added
    let blobs: [(i64, i64, i64, i64); 6] = [
        (250, 300, 180, -90),
        (700, 250, 220, 70),
        (500, 700, 260, -60),
        (150, 800, 120, 80),
        (850, 750, 150, -110),
        (450, 450, 90, 100),
    ];
    let y_scale = 204 * 1000 / res.y_dpi() as i64; // physical row height, 1/1000 px
    for y in 0..h {
        let row = img.row_mut(my + y);
        let fy = y as i64 * 1000 / h.max(1) as i64;
        let phys_y = y as i64 * y_scale / 1000;
        for x in 0..w {
            let fx = x as i64 * 1000 / w.max(1) as i64;
            // diagonal gradient from light to dark
            let mut v = 220 - (fx + fy) * 160 / 2000;
            for &(bx, by, r, tone) in &blobs {
                let dx = x as i64 - bx * w as i64 / 1000;
                let dy = phys_y - by * h as i64 * y_scale / 1000 / 1000;
                let r = r * w as i64 / 1000;
                let d2 = dx * dx + dy * dy;
                if d2 < r * r {
                    // smooth bump: tone * (1 - d²/r²)²
                    let t = 1000 - d2 * 1000 / (r * r).max(1);
                    v += tone * t * t / 1_000_000;
                }
            }
            v += (rng.next() % 25) as i64 - 12;
            row[(mx + x) as usize] = v.clamp(0, 255) as u8;
        }
    }
}

/// A text-like page: lines of "words" made of anti-aliased stems, bowls
/// and bars of letter size (~11 pt at `res`), black on white.
pub fn text_page(res: Resolution, width: u32, height: u32) -> GrayImage {
    let mut img = GrayImage::new(width, height, 255);
    let mut rng = Lcg(0x7e47);
    // 11 pt: x-height ~ 0.055 in, line pitch ~ 0.18 in; units of 1/16 px
    let x_height = (55 * res.y_dpi() as i64 * 16 / 1000).max(32);
    let pitch = 18 * res.y_dpi() as i64 * 16 / 100;
    let stem = 40; // 2.5 px
    let bar = (stem * res.y_dpi() as i64 / 204).max(12);
    let margin = width as i64 * 16 / 10;
    let mut base = 200 * 16 * res.y_dpi() as i64 / 196 + x_height;
    while base + 16 * 16 < height as i64 * 16 * 9 / 10 {
        // fractional start, so edges fall anywhere on the pixel grid
        let mut x = margin + (rng.next() % 16) as i64;
        while x < width as i64 * 16 - margin {
            let letters = 2 + rng.next() % 7;
            for _ in 0..letters {
                let adv = 80 + (rng.next() % 60) as i64;
                let tall = rng.next().is_multiple_of(3);
                let top = base - if tall { x_height * 3 / 2 } else { x_height };
                ink_rect_aa(&mut img, x, top, x + stem, base);
                match rng.next() % 3 {
                    0 => ink_rect_aa(
                        &mut img,
                        x + adv - 24 - stem,
                        base - x_height,
                        x + adv - 24,
                        base,
                    ),
                    1 => ink_rect_aa(
                        &mut img,
                        x,
                        base - x_height,
                        x + adv - 24,
                        base - x_height + bar,
                    ),
                    _ => ink_rect_aa(&mut img, x, base - bar, x + adv - 24, base),
                }
                x += adv;
            }
            x += 70 + (rng.next() % 30) as i64;
        }
        base += pitch;
    }
    img
}
