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

use super::{build_rows, gather_bits, pack_below};
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

    /// Sets the bits of pixels `x0..x1` of row `y` that are thin light
    /// ink. `x0` must be a multiple of 8.
    fn rescue(&self, y: u32, x0: usize, x1: usize, out: &mut [u8]) {
        // a pixel touching dark ink (4-neighbours) cannot pass, and most
        // candidates on a text page are such fringes: find the 64-pixel
        // pieces that hold a candidate not touching ink (one vectorized
        // pass), and run the full test on those pieces only
        const PIECE: usize = 64;
        let img = self.img;
        let row = img.row(y);
        let above = (y > 0).then(|| img.row(y - 1));
        let below = (y + 1 < img.height).then(|| img.row(y + 1));
        let w = row.len();
        // a missing neighbour (page edge) counts as clear: the pixel's own
        // value stands in for it, and a candidate's value is clear
        let above = above.unwrap_or(row);
        let below = below.unwrap_or(row);
        let mut run_start = None;
        let mut piece = x0;
        while piece < x1 {
            let end = (piece + PIECE).min(x1);
            let px = &row[piece..end];
            let survivor = px.iter().fold(false, |acc, &v| acc | is_candidate(v)) && {
                let clear = |v: u8| v >= FIXED_LEVEL;
                // interior pixels through zipped slices (vectorized), the
                // page's first and last pixel on their own
                let lo = piece.max(1);
                let hi = end.min(w - 1);
                let interior = lo < hi
                    && row[lo..hi]
                        .iter()
                        .zip(&row[lo - 1..hi - 1])
                        .zip(&row[lo + 1..hi + 1])
                        .zip(above[lo..hi].iter().zip(&below[lo..hi]))
                        .fold(false, |acc, (((&v, &l), &r), (&u, &d))| {
                            acc | (is_candidate(v) & clear(l) & clear(r) & clear(u) & clear(d))
                        });
                let edge = |x: usize| {
                    (piece..end).contains(&x)
                        && is_candidate(row[x])
                        && clear(row[x.saturating_sub(1)])
                        && clear(row[(x + 1).min(w - 1)])
                        && clear(above[x])
                        && clear(below[x])
                };
                interior || edge(0) || edge(w - 1)
            };
            match (survivor, run_start) {
                (true, None) => run_start = Some(piece),
                (false, Some(start)) => {
                    self.rescue_span(y, start, piece, out);
                    run_start = None;
                }
                _ => {}
            }
            piece = end;
        }
        if let Some(start) = run_start {
            self.rescue_span(y, start, x1, out);
        }
    }

    /// The full test on pixels `x0..x1` of row `y` (`x0` a multiple of 8).
    ///
    /// Each pixel needs the maxima and the minimum of the four arms of a
    /// cross around it. Rather than walking each cross (slow where
    /// candidates are many, as in a photo or a gray scan), the whole span is
    /// done at once: each arm is the element-wise max/min of the row (or the
    /// rows above/below) shifted by 1..=reach, straight-line loops over
    /// slices that the compiler vectorizes. The cost is the same whatever
    /// the content, about 50 byte operations per pixel in SIMD lanes.
    fn rescue_span(&self, y: u32, x0: usize, x1: usize, out: &mut [u8]) {
        let img = self.img;
        let row = img.row(y);
        let span = &row[x0..x1];
        let (w, h, y) = (row.len(), img.height as usize, y as usize);
        let n = span.len();
        let mut scratch = vec![0u8; 6 * n];
        let (left, rest) = scratch.split_at_mut(n);
        let (right, rest) = rest.split_at_mut(n);
        let (up, rest) = rest.split_at_mut(n);
        let (down, local_min) = rest.split_at_mut(n);
        let local_min = &mut local_min[..n];
        local_min.copy_from_slice(span);
        // 0 in an arm's max = no pixel there (image border): no paper
        for d in 1..=REACH_X {
            // left arm: pixel x - d exists for x >= d
            let start = d.saturating_sub(x0).min(n);
            let src = &row[x0 + start - d..x1 - d];
            merge(&mut left[start..], &mut local_min[start..], src);
            // right arm: pixel x + d exists for x + d < w
            let end = w.saturating_sub(x0 + d).min(n);
            let src = &row[x0 + d..x0 + d + end];
            merge(&mut right[..end], &mut local_min[..end], src);
        }
        for d in 1..=self.reach_y {
            if y >= d {
                merge(up, local_min, &img.row((y - d) as u32)[x0..x1]);
            }
            if y + d < h {
                merge(down, local_min, &img.row((y + d) as u32)[x0..x1]);
            }
        }
        let mut chunks = span.chunks(8);
        for (k, px) in (&mut chunks).enumerate() {
            let mut ink = [0u8; 8];
            for (i, (&v, slot)) in px.iter().zip(&mut ink).enumerate() {
                let j = k * 8 + i;
                let thin_across = |paper: u8| {
                    let (v, lo, paper) = (u16::from(v), u16::from(local_min[j]), u16::from(paper));
                    paper >= v + u16::from(MIN_CONTRAST) && 2 * v <= lo + paper
                };
                let keep = is_candidate(v)
                    && local_min[j] >= FIXED_LEVEL
                    && (thin_across(left[j].min(right[j])) || thin_across(up[j].min(down[j])));
                *slot = u8::from(keep);
            }
            out[x0 / 8 + k] |= gather_bits(ink);
        }
    }

    /// The same test for one pixel, walking its cross: the reference the
    /// span version is checked against.
    #[cfg(test)]
    fn is_thin_light_ink(&self, x: usize, y: usize, v: u8) -> bool {
        let w = self.img.width as usize;
        let h = self.img.height as usize;
        let data = &self.img.data;
        // scan the four arms of the cross outwards, nearest pixels first:
        // most candidates are fringes of dark text and meet its ink within
        // a pixel or two, which rejects them early
        let mut arm_max = [0u8; 4]; // left, right, up, down; 0 = no pixel
        let mut local_min = v;
        for d in 1..=REACH_X.max(self.reach_y) {
            let arms = [
                (d <= REACH_X && x >= d).then(|| data[y * w + x - d]),
                (d <= REACH_X && x + d < w).then(|| data[y * w + x + d]),
                (d <= self.reach_y && y >= d).then(|| data[(y - d) * w + x]),
                (d <= self.reach_y && y + d < h).then(|| data[(y + d) * w + x]),
            ];
            for (max, p) in arm_max.iter_mut().zip(arms) {
                if let Some(p) = p {
                    if p < FIXED_LEVEL {
                        // dark ink nearby: a fringe, the fixed level decides
                        return false;
                    }
                    local_min = local_min.min(p);
                    *max = (*max).max(p);
                }
            }
        }
        let thin = |paper: u8| {
            paper >= v.saturating_add(MIN_CONTRAST)
                && 2 * u16::from(v) <= u16::from(local_min) + u16::from(paper)
        };
        let [left, right, up, down] = arm_max;
        thin(left.min(right)) || thin(up.min(down))
    }
}

/// Folds `src` into an arm's running maximum and the running minimum.
#[inline]
fn merge(arm_max: &mut [u8], local_min: &mut [u8], src: &[u8]) {
    for ((m, lo), &p) in arm_max.iter_mut().zip(local_min.iter_mut()).zip(src) {
        *m = (*m).max(p);
        *lo = (*lo).min(p);
    }
}

#[inline]
fn is_candidate(v: u8) -> bool {
    v.wrapping_sub(FIXED_LEVEL) < LIGHT_LIMIT - FIXED_LEVEL
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
    fn span_rescue_matches_per_pixel_reference() {
        // random light content, with some dark ink, at odd sizes
        for res in Resolution::ALL {
            let mut page = GrayImage::new(77, 41, 255);
            let mut rng = Lcg(res.y_dpi() as u64);
            for v in page.data.iter_mut() {
                *v = match rng.next() % 10 {
                    0 => 0,
                    1..=4 => 255,
                    _ => 140 + (rng.next() % 116) as u8,
                };
            }
            let light = LightInk::new(&page, res);
            let out = threshold(&page, res);
            for y in 0..page.height {
                for x in 0..page.width {
                    let v = page.get(x, y);
                    let want = v < FIXED_LEVEL
                        || (is_candidate(v) && light.is_thin_light_ink(x as usize, y as usize, v));
                    assert_eq!(out.get(x, y), want, "{res} ({x}, {y})");
                }
            }
        }
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
