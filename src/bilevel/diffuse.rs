//! Error diffusion: Floyd–Steinberg, serpentine, integer math.
//!
//! The finest tone rendering, but the scattered single pixels compress badly
//! under G4 (a photo page ~3-4x larger than with the halftone) and fax
//! printers smear them; offered for users who want it. Errors are carried in
//! 1/16 gray units and split 7/3/5/1 exactly (the remainder goes to the 7/16
//! share), so no tone is lost to rounding and the result is bit-exact on
//! every platform.
//!
//! Pure white (255) and pure black (0) pixels are output as is and absorb the
//! error that reaches them: paper next to a photo stays free of stray dots,
//! and errors never travel across blank areas.

use crate::bitmap::{BitImage, GrayImage};

/// Floyd–Steinberg dithers a page (serpentine scan).
pub fn diffuse(img: &GrayImage) -> BitImage {
    assert_eq!(
        img.data.len(),
        img.width as usize * img.height as usize,
        "GrayImage data does not match its size"
    );
    let w = img.width as usize;
    let mut out = BitImage::new(img.width, img.height);
    if w == 0 {
        return out;
    }
    // error buffers with one guard cell at each end, so the kernel never
    // needs a bounds branch; errors in 1/16 gray
    let mut this_row = vec![0i32; w + 2];
    let mut next_row = vec![0i32; w + 2];
    for y in 0..img.height {
        let src = img.row(y);
        let dst = out.row_mut(y);
        if y % 2 == 0 {
            diffuse_row::<true>(src, dst, &this_row, &mut next_row);
        } else {
            diffuse_row::<false>(src, dst, &this_row, &mut next_row);
        }
        std::mem::swap(&mut this_row, &mut next_row);
        next_row.fill(0);
        // errors pushed into the guard cells fall off the page
        this_row[0] = 0;
        this_row[w + 1] = 0;
    }
    out
}

/// Dithers one row in one direction (a const parameter, so each direction
/// compiles to its own loop). `this_row` holds the errors reaching this
/// row from the previous one, `next_row` collects those for the next;
/// index x + 1 is pixel x. The 7/16 share for the next pixel stays in a
/// register (`carry`), which keeps the loop's dependency chain short.
#[inline]
fn diffuse_row<const LEFT_TO_RIGHT: bool>(
    src: &[u8],
    dst: &mut [u8],
    this_row: &[i32],
    next_row: &mut [i32],
) {
    let w = src.len();
    let groups = w.div_ceil(8);
    let mut carry = 0i32;
    for k in 0..groups {
        let group = if LEFT_TO_RIGHT { k } else { groups - 1 - k };
        let xs = group * 8..(group * 8 + 8).min(w);
        let pixels = &src[xs.clone()];
        let blank = match <[u8; 8]>::try_from(pixels) {
            Ok(eight) => u64::from_ne_bytes(eight) == u64::MAX,
            Err(_) => pixels.iter().all(|&g| g == 255),
        };
        if blank {
            // blank paper (most of a text page): nothing to draw, and the
            // error reaching it is absorbed
            carry = 0;
            continue;
        }
        for i in 0..xs.len() {
            let x = if LEFT_TO_RIGHT {
                xs.start + i
            } else {
                xs.end - 1 - i
            };
            let g = src[x];
            if g == 255 || g == 0 {
                // paper and solid ink: output as is, absorb the error
                dst[x / 8] |= u8::from(g == 0) << (7 - x % 8);
                carry = 0;
                continue;
            }
            let e = x + 1;
            let value = i32::from(g) * 16 + this_row[e] + carry;
            let black = value < 128 * 16;
            dst[x / 8] |= u8::from(black) << (7 - x % 8);
            let err = value - i32::from(!black) * (255 * 16);
            // 7 ahead, 3 below-behind, 5 below, 1 below-ahead (sixteenths;
            // the shifts floor, the 7/16 share takes the remainder)
            let e3 = (err * 3) >> 4;
            let e5 = (err * 5) >> 4;
            let e1 = err >> 4;
            carry = err - e3 - e5 - e1;
            let (ahead, behind) = if LEFT_TO_RIGHT {
                (e + 1, e - 1)
            } else {
                (e - 1, e + 1)
            };
            next_row[behind] += e3;
            next_row[e] += e5;
            next_row[ahead] += e1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_gray_darkness_matches_level() {
        for gray in [1u8, 16, 64, 100, 128, 160, 200, 240, 254] {
            let out = diffuse(&GrayImage::new(200, 100, gray));
            let got = out.count_black() * 1000 / 20_000;
            let want = (255 - gray as u64) * 1000 / 255;
            assert!(got.abs_diff(want) <= 20, "gray {gray}: {got} vs {want}");
        }
    }

    #[test]
    fn paper_beside_a_dark_area_stays_clean() {
        // a mid-gray block on white: no dots leak out of the block
        let mut page = GrayImage::new(100, 60, 255);
        for y in 10..50 {
            page.row_mut(y)[20..60].fill(90);
        }
        let out = diffuse(&page);
        for y in 0..60 {
            for x in 0..100 {
                if !(20..60).contains(&x) || !(10..50).contains(&y) {
                    assert!(!out.get(x, y), "dot at ({x}, {y})");
                }
            }
        }
        assert!(out.count_black() > 40 * 40 / 2);
    }

    #[test]
    fn scan_is_serpentine() {
        // the pattern 140, 170 after paper: scanned left to right, the 140
        // stays white and pushes its error onto the 170, which turns black;
        // scanned right to left, it is the other way round. Rows 0 (even)
        // and 3 (odd) carry it; white rows between absorb all errors.
        let mut page = GrayImage::new(24, 4, 255);
        for y in [0, 3] {
            page.set(10, y, 140);
            page.set(11, y, 170);
        }
        let out = diffuse(&page);
        assert!(!out.get(10, 0) && out.get(11, 0), "row 0 left to right");
        assert!(out.get(10, 3) && !out.get(11, 3), "row 3 right to left");
        assert_eq!(out.count_black(), 2);
    }
}
