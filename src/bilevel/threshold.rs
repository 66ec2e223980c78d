//! Threshold for text and line art: a fixed level, plus a rescue rule for
//! light ink.
//!
//! The fixed level is [`FIXED_LEVEL`] (160, i.e. a pixel at least 37 %
//! covered by ink turns black) rather than the midpoint 128: fax printers and
//! the 204 dpi grid thin strokes out, and an anti-aliased stem of a small
//! font whose pixels straddle the grid only reaches 40-60 % coverage in its
//! middle pixels; at 128 such stems break into dots, at 160 they stay whole
//! while the faint outer fringe (< 37 %) stays white, so letters do not
//! fill in.
//!
//! Light-gray ink (text in #aaa..#ddd, light rules) never reaches 160 and
//! would vanish. The rescue rule keeps it: a pixel lighter than the fixed
//! level but darker than [`LIGHT_LIMIT`] turns black when it lies on a *thin*
//! light feature: within a short reach (about 0.75 mm) there is clearly
//! brighter paper on *both* sides, horizontally or vertically, the pixel is in
//! the darker half between the local ink and that paper, and no dark ink is
//! near (then it is the fringe of dark text, which the fixed level already
//! handles and which must not get bolder). A light-gray fill (table shading,
//! a gray box) has paper on one side only at its edges and none inside, so it
//! stays white instead of growing a black frame.

use super::{build_rows, pack_below};
use crate::bitmap::{BitImage, GrayImage};
use crate::geometry::Resolution;

/// Pixels darker than this are black.
pub const FIXED_LEVEL: u8 = 160;
/// Pixels this light or lighter are never black (paper texture, JPEG noise).
const LIGHT_LIMIT: u8 = 232;
/// How much brighter than the pixel the paper on both sides must be.
const MIN_CONTRAST: u8 = 32;
/// Horizontal reach of the thin-feature test in pixels (6 px = 0.75 mm at
/// 204 dpi: light strokes up to about that width are kept).
const REACH_X: usize = 6;

/// Thresholds a text or line-art page (see the module doc).
pub fn threshold(img: &GrayImage, res: Resolution) -> BitImage {
    let light = LightInk::new(img, res);
    build_rows(img, |y, out| {
        threshold_span(img, &light, y, 0..out.len(), out);
    })
}

/// Thresholds output bytes `bytes` of row `y` into `out[bytes]`
/// (used by `auto` for the text tiles of a row).
pub(super) fn threshold_span(
    img: &GrayImage,
    light: &LightInk<'_>,
    y: u32,
    bytes: std::ops::Range<usize>,
    out: &mut [u8],
) {
    let row = img.row(y);
    let x0 = (bytes.start * 8).min(row.len());
    let x1 = (bytes.end * 8).min(row.len());
    pack_below(&row[x0..x1], &[FIXED_LEVEL; 8], &mut out[bytes.clone()]);
    light.rescue(y, x0, x1, out);
}

/// The thin-light-feature test of the module doc, bound to one image.
pub(super) struct LightInk<'a> {
    img: &'a GrayImage,
    reach_y: usize,
}

impl<'a> LightInk<'a> {
    pub(super) fn new(img: &'a GrayImage, res: Resolution) -> Self {
        // the same physical reach vertically: rows are 2x taller at
        // standard, 2x shorter at superfine
        let reach_y = (REACH_X * res.y_dpi() as usize + 102) / 204;
        LightInk {
            img,
            reach_y: reach_y.max(1),
        }
    }

    /// Sets the bits of pixels `x0..x1` of row `y` that are thin light ink.
    fn rescue(&self, y: u32, x0: usize, x1: usize, out: &mut [u8]) {
        let row = self.img.row(y);
        // candidates are rare on a text page (fringes of dark text, light
        // ink): skip 32-pixel blocks without any, with a branch-free scan
        // the compiler vectorizes
        let mut start = x0;
        while start < x1 {
            let end = (start + 32).min(x1);
            let block = &row[start..end];
            let any = block.iter().fold(false, |acc, &v| acc | is_candidate(v));
            if any {
                for (i, &v) in block.iter().enumerate() {
                    let x = start + i;
                    if is_candidate(v) && self.is_thin_light_ink(x, y as usize, v) {
                        out[x / 8] |= 0x80 >> (x % 8);
                    }
                }
            }
            start = end;
        }
    }

    fn is_thin_light_ink(&self, x: usize, y: usize, v: u8) -> bool {
        let w = self.img.width as usize;
        let h = self.img.height as usize;
        let data = &self.img.data;
        let row = &data[y * w..(y + 1) * w];
        let left = &row[x.saturating_sub(REACH_X)..x];
        let right = &row[x + 1..(x + 1 + REACH_X).min(w)];
        let up = (y.saturating_sub(self.reach_y)..y).map(|yy| data[yy * w + x]);
        let down = (y + 1..(y + 1 + self.reach_y).min(h)).map(|yy| data[yy * w + x]);

        let (min_l, max_l) = min_max(left.iter().copied());
        let (min_r, max_r) = min_max(right.iter().copied());
        let (min_u, max_u) = min_max(up);
        let (min_d, max_d) = min_max(down);
        let local_min = v.min(min_l).min(min_r).min(min_u).min(min_d);
        if local_min < FIXED_LEVEL {
            // dark ink nearby: this is a fringe, the fixed level decides
            return false;
        }
        let thin = |paper: u8| {
            paper >= v.saturating_add(MIN_CONTRAST)
                && 2 * u16::from(v) <= u16::from(local_min) + u16::from(paper)
        };
        thin(max_l.min(max_r)) || thin(max_u.min(max_d))
    }
}

#[inline]
fn is_candidate(v: u8) -> bool {
    v.wrapping_sub(FIXED_LEVEL) < LIGHT_LIMIT - FIXED_LEVEL
}

/// Minimum and maximum of the values (255 and 0 when there are none, so an
/// image border counts as neither ink nor paper).
fn min_max(values: impl Iterator<Item = u8>) -> (u8, u8) {
    values.fold((255, 0), |(lo, hi), v| (lo.min(v), hi.max(v)))
}

#[cfg(test)]
mod tests {
    use super::super::test_pages::*;
    use super::*;

    fn black_in(img: &BitImage, x0: u32, x1: u32, y0: u32, y1: u32) -> u64 {
        let mut n = 0;
        for y in y0..y1 {
            for x in x0..x1 {
                n += u64::from(img.get(x, y));
            }
        }
        n
    }

    #[test]
    fn fixed_level_splits_at_160() {
        let mut page = GrayImage::new(16, 1, 255);
        for (x, v) in [(0, 0), (1, 159), (2, 160), (3, 200)] {
            page.set(x, 0, v);
        }
        let out = threshold(&page, Resolution::Fine);
        // pixel 3 is an isolated light dot, but it touches dark ink (x 0..1)
        assert!(out.get(0, 0) && out.get(1, 0));
        assert!(!out.get(2, 0) && !out.get(3, 0));
    }

    #[test]
    fn light_gray_strokes_survive() {
        for res in Resolution::ALL {
            // 3-px light-gray vertical and horizontal strokes on white
            let mut page = GrayImage::new(200, 120, 255);
            fill_rect(&mut page, 50, 10, 53, 100, 200);
            fill_rect(&mut page, 80, 50, 180, 52, 200);
            let out = threshold(&page, res);
            assert_eq!(black_in(&out, 50, 53, 10, 100), 3 * 90, "{res}");
            assert_eq!(black_in(&out, 80, 180, 50, 52), 2 * 100, "{res}");
            assert_eq!(out.count_black(), 3 * 90 + 2 * 100, "{res}");
        }
    }

    #[test]
    fn light_gray_fill_stays_white() {
        // a table shading or gray box: neither interior nor edges turn black
        let mut page = GrayImage::new(200, 120, 255);
        fill_rect(&mut page, 40, 30, 160, 90, 190);
        let out = threshold(&page, Resolution::Fine);
        assert_eq!(out.count_black(), 0);
    }

    #[test]
    fn dark_text_fringe_is_not_boldened() {
        // a black stem with a 200-gray anti-aliased fringe on each side:
        // only the stem is black
        let mut page = GrayImage::new(64, 40, 255);
        fill_rect(&mut page, 20, 5, 23, 35, 0);
        fill_rect(&mut page, 19, 5, 20, 35, 200);
        fill_rect(&mut page, 23, 5, 24, 35, 200);
        let out = threshold(&page, Resolution::Fine);
        assert_eq!(out.count_black(), 3 * 30);
        assert_eq!(black_in(&out, 20, 23, 5, 35), 3 * 30);
    }

    #[test]
    fn paper_noise_stays_white() {
        let mut page = GrayImage::new(128, 64, 255);
        let mut rng = Lcg(7);
        for v in page.data.iter_mut() {
            *v = 232 + (rng.next() % 24) as u8;
        }
        assert_eq!(threshold(&page, Resolution::Fine).count_black(), 0);
    }
}
