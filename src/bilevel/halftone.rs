//! Clustered-dot ordered dither: the photo mode.
//!
//! The screen is a 45-degree round-dot (Euclidean) screen. One cell is 8
//! pixels wide (1 mm at 204 dpi) and as many rows as make it physically
//! square: 4 at standard (98 lpi), 8 at fine, 16 at superfine. A cell holds
//! two dots, one at its corners and one at its centre, so the dots sit on a
//! 45-degree lattice with a pitch of 0.7 mm (about 36 lines per inch, what
//! a 200 dpi fax printer can still render as distinct dots; finer screens
//! only turn into noise after the fax printer's dot gain). Black dots grow
//! round from the dot centres up to 50 %, join as a checkerboard, then the
//! white holes shrink round: large connected runs that repeat row to row,
//! which G4 codes in a few bits per change (about 4x smaller than error
//! diffusion). Cells of 8x8 give 65 gray levels.
//!
//! A tone curve lightens the midtones (50 % gray prints 42 % black) because
//! fax printers spread every dot; 0 and 255 map to themselves, so paper stays
//! blank and solid black stays solid.
//!
//! Because the cell is 8 pixels wide, one output byte is exactly one cell
//! row: halftoning costs the same as thresholding (one compare per pixel
//! against a per-row threshold pattern).

use super::{build_rows, pack_below};
use crate::bitmap::{BitImage, GrayImage};
use crate::geometry::Resolution;

/// Cell width in pixels (one output byte).
const CELL_WIDTH: u32 = 8;

/// A halftone screen: the per-pixel thresholds of one cell. A pixel at
/// (x, y) is black when its gray is below `row(y)[x % 8]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screen {
    rows: Vec<[u8; 8]>,
}

impl Screen {
    /// The screen for a resolution: cells of 8 x 4/8/16 rows.
    pub fn for_resolution(res: Resolution) -> Screen {
        let rows = match res {
            Resolution::Standard => 4,
            Resolution::Fine => 8,
            Resolution::Superfine => 16,
        };
        Screen::with_cell_rows(rows)
    }

    /// A 45-degree round-dot screen with cells of 8 pixels by `rows` rows
    /// (`rows` >= 2 and even, so the centre dot falls between rows as the
    /// corner dot does).
    fn with_cell_rows(rows: u32) -> Screen {
        assert!(rows >= 2 && rows.is_multiple_of(2));
        let order = dot_order(CELL_WIDTH, rows);
        let n = order.len() as u32;
        // rank[i] = when pixel i of the cell turns black as the tone darkens
        let mut rank = vec![0u32; order.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r as u32;
        }
        // the pixel of rank r is black when the (tone-curved) darkness d
        // covers more than r + 1/2 of the cell's n pixels:
        // d * 2n > (2r + 1) * 255. Turn that into a gray threshold once.
        let threshold_for = |r: u32| -> u8 {
            (0..=255u32)
                .filter(|&g| tone_curve(255 - g as u8) as u32 * 2 * n > (2 * r + 1) * 255)
                .count() as u8
        };
        let cells = (0..rows)
            .map(|y| {
                let mut t = [0u8; 8];
                for (x, slot) in t.iter_mut().enumerate() {
                    *slot = threshold_for(rank[(y * CELL_WIDTH) as usize + x]);
                }
                t
            })
            .collect();
        Screen { rows: cells }
    }

    /// Cell size in pixels: (width, rows).
    pub fn cell_size(&self) -> (u32, u32) {
        (CELL_WIDTH, self.rows.len() as u32)
    }

    /// The thresholds for image row `y`.
    #[inline]
    pub fn row(&self, y: u32) -> &[u8; 8] {
        &self.rows[y as usize % self.rows.len()]
    }

    /// The share of black pixels (in 1/1000) this screen gives a flat gray.
    pub fn coverage_permille(&self, gray: u8) -> u32 {
        let black: u32 = self
            .rows
            .iter()
            .map(|r| r.iter().filter(|&&t| gray < t).count() as u32)
            .sum();
        black * 1000 / (self.rows.len() as u32 * CELL_WIDTH)
    }
}

/// Halftones a photo page with the screen for `res`.
pub fn halftone(img: &GrayImage, res: Resolution) -> BitImage {
    let screen = Screen::for_resolution(res);
    build_rows(img, |y, out| {
        halftone_span(img, &screen, y, 0..out.len(), out);
    })
}

/// Halftones output bytes `bytes` of row `y` into `out[bytes]`
/// (used by `auto` for the photo tiles of a row).
pub(super) fn halftone_span(
    img: &GrayImage,
    screen: &Screen,
    y: u32,
    bytes: std::ops::Range<usize>,
    out: &mut [u8],
) {
    let row = img.row(y);
    let x0 = (bytes.start * 8).min(row.len());
    let x1 = (bytes.end * 8).min(row.len());
    // x0 is a multiple of 8, so x % 8 of each pixel matches the cell column
    pack_below(&row[x0..x1], screen.row(y), &mut out[bytes]);
}

/// Printed darkness for a wanted darkness (0 = white, 255 = black): a
/// blend of linear (70 %) and square (30 %), which prints 50 % as 42 % to
/// make up for fax printers' dot gain. Integer math, exact at 0 and 255.
pub(super) fn tone_curve(darkness: u8) -> u8 {
    let d = darkness as u32;
    ((d * 255 * 7 + d * d * 3) / (255 * 10)) as u8
}

/// The order in which the pixels of a `w` x `h` cell turn black, as cell
/// indices (y * w + x). Coordinates are scaled so the cell is physically
/// square: a pixel centre is at ((2x+1)·h, (2y+1)·w) in a cell of side
/// p = 2wh. Black dots are centred on the corners and the centre, white
/// holes on the edge midpoints. Pixels nearer a black centre come first,
/// by distance (a round dot grows); then the rest, farthest from a white
/// centre first (a round hole shrinks). Ties go alternately to the two
/// dots so they grow together.
fn dot_order(w: u32, h: u32) -> Vec<usize> {
    let p = 2 * (w * h) as i64;
    let half = p / 2;
    let black = [(0, 0), (p, 0), (0, p), (p, p), (half, half)];
    let white = [(half, 0), (0, half), (p, half), (half, p)];
    let dist2 = |x: i64, y: i64, c: &(i64, i64)| (x - c.0).pow(2) + (y - c.1).pow(2);
    let mut keyed: Vec<(u8, i64, u8, usize)> = (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .map(|(x, y)| {
            let (cx, cy) = ((2 * x + 1) as i64 * h as i64, (2 * y + 1) as i64 * w as i64);
            let db = black.iter().map(|c| dist2(cx, cy, c)).min().unwrap();
            let dw = white.iter().map(|c| dist2(cx, cy, c)).min().unwrap();
            // which of the two dots the pixel belongs to: centre or corner
            let dot = u8::from(dist2(cx, cy, &black[4]) == db);
            let idx = (y * w + x) as usize;
            if db <= dw {
                (0, db, dot, idx)
            } else {
                (1, -dw, dot, idx)
            }
        })
        .collect();
    keyed.sort_unstable();
    // within one distance class, interleave the two dots' pixels
    let mut order = Vec::with_capacity(keyed.len());
    let mut i = 0;
    while i < keyed.len() {
        let class = (keyed[i].0, keyed[i].1);
        let j = keyed[i..]
            .iter()
            .position(|k| (k.0, k.1) != class)
            .map_or(keyed.len(), |n| i + n);
        let (a, b): (Vec<&(u8, i64, u8, usize)>, Vec<_>) =
            keyed[i..j].iter().partition(|k| k.2 == 0);
        let mut a = a.into_iter();
        let mut b = b.into_iter();
        loop {
            match (a.next(), b.next()) {
                (None, None) => break,
                (x, y) => order.extend(x.into_iter().chain(y).map(|k| k.3)),
            }
        }
        i = j;
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_rows_follow_resolution() {
        assert_eq!(
            Screen::for_resolution(Resolution::Standard).cell_size(),
            (8, 4)
        );
        assert_eq!(Screen::for_resolution(Resolution::Fine).cell_size(), (8, 8));
        assert_eq!(
            Screen::for_resolution(Resolution::Superfine).cell_size(),
            (8, 16)
        );
        // and a page halftoned at each resolution repeats with that period
        for res in Resolution::ALL {
            let (_, rows) = Screen::for_resolution(res).cell_size();
            let out = halftone(&GrayImage::new(64, 64, 128), res);
            for y in 0..64 - rows {
                assert_eq!(out.row(y), out.row(y + rows), "{res} row {y}");
            }
            assert_ne!(out.row(0), out.row(rows / 2), "{res}: dots not offset");
        }
    }

    #[test]
    fn every_cell_pixel_gets_a_distinct_rank() {
        for rows in [4, 8, 16] {
            let mut order = dot_order(8, rows);
            order.sort_unstable();
            assert_eq!(order, (0..8 * rows as usize).collect::<Vec<_>>());
        }
    }

    #[test]
    fn dots_grow_from_corner_and_centre() {
        let order = dot_order(8, 8);
        // the first two pixels are one at a corner dot, one at the centre
        let first: Vec<(usize, usize)> = order[..2].iter().map(|i| (i % 8, i / 8)).collect();
        assert!(first
            .iter()
            .any(|&(x, y)| (x == 0 || x == 7) && (y == 0 || y == 7)));
        assert!(first
            .iter()
            .any(|&(x, y)| (3..=4).contains(&x) && (3..=4).contains(&y)));
        // the last pixels are at a white hole (edge midpoint)
        let (x, y) = (order[63] % 8, order[63] / 8);
        assert!(
            ((3..=4).contains(&x) && (y == 0 || y == 7))
                || ((3..=4).contains(&y) && (x == 0 || x == 7))
        );
    }

    #[test]
    fn flat_gray_darkness_matches_tone() {
        for res in Resolution::ALL {
            let screen = Screen::for_resolution(res);
            for gray in (0..=255u32).step_by(15) {
                let gray = gray as u8;
                let page = GrayImage::new(256, 64, gray);
                let out = halftone(&page, res);
                let got = out.count_black() * 1000 / (256 * 64);
                // exact to the screen's level step against the tone curve
                let want = tone_curve(255 - gray) as u64 * 1000 / 255;
                let step = 1000 / (8 * screen.cell_size().1 as u64);
                assert!(
                    got.abs_diff(want) <= step,
                    "{res} gray {gray}: {got} vs {want}"
                );
                // and within 10 % of the plain gray level
                let plain = (255 - gray as u64) * 1000 / 255;
                assert!(
                    got.abs_diff(plain) <= 100,
                    "{res} gray {gray}: {got} vs {plain}"
                );
                assert_eq!(got as u32, screen.coverage_permille(gray));
            }
        }
    }

    #[test]
    fn tone_curve_keeps_ends_and_lightens_midtones() {
        assert_eq!(tone_curve(0), 0);
        assert_eq!(tone_curve(255), 255);
        assert!((105..=110).contains(&tone_curve(128)));
        let mut prev = 0;
        for d in 0..=255u8 {
            assert!(tone_curve(d) >= prev);
            prev = tone_curve(d);
        }
    }

    #[test]
    fn paper_has_no_dots_and_light_tones_do() {
        let screen = Screen::for_resolution(Resolution::Fine);
        assert_eq!(screen.coverage_permille(255), 0);
        assert!(screen.coverage_permille(250) > 0, "near-white detail lost");
        assert_eq!(screen.coverage_permille(0), 1000);
        assert!(screen.coverage_permille(3) < 1000, "near-black detail lost");
    }
}
