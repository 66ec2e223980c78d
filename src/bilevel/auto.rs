//! The default mode: threshold where the page is text, halftone where it is
//! a photo, decided per tile by [`classify`](super::classify).
//!
//! Both modes are pointwise with the screen anchored at the page origin, so
//! a photo split over many tiles is one seamless halftone, and text tiles
//! beside it are the same bits `threshold` would give.
//!
//! A photo's edge rarely falls on the tile grid: the text tiles bordering a
//! photo region may hold a sliver of it. In those tiles the choice is made
//! per pixel: pixels inside a solid area of soft tone (no paper and no
//! near-black in the 5x5 box around them) are halftoned, the rest
//! thresholded. Text beside the photo never passes and stays crisp, and the
//! photo is halftoned up to its outermost two pixels instead of ending on
//! the tile grid.

use super::classify::{classify_tiles, tile_rows, RegionKind, SeedCheck, TILE_WIDTH};
use super::halftone::{halftone, halftone_span, Screen};
use super::threshold::{threshold, threshold_span, LightInk};
use super::{build_bands, build_rows, bytes_below, gather_bits};
use crate::bitmap::{BitImage, GrayImage};
use crate::geometry::Resolution;
use std::ops::Range;

/// How the pixels of one tile are rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Render {
    Threshold,
    Halftone,
    /// A text tile next to a photo tile: per pixel.
    Border,
}

/// Thresholds the text regions and halftones the photo regions of a page.
pub fn auto(img: &GrayImage, res: Resolution) -> BitImage {
    // most pages hold no photo at all
    if let Some(text) = threshold_unless_photo(img, res) {
        return text;
    }
    // a tile may seed a photo: classify without checking that again
    let map = classify_tiles(img, res);
    match map.uniform() {
        Some(RegionKind::Text) => return threshold(img, res),
        Some(RegionKind::Photo) => return halftone(img, res),
        None => {}
    }
    let (cols, rows) = map.tiles;
    let render: Vec<Render> = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (c, r)))
        .map(|(c, r)| match map.kind(c, r) {
            RegionKind::Photo => Render::Halftone,
            RegionKind::Text if touches_photo(&map, c, r) => Render::Border,
            RegionKind::Text => Render::Threshold,
        })
        .collect();
    let screen = Screen::for_resolution(res);
    let light = LightInk::new(img, res);
    let tile_bytes = (TILE_WIDTH / 8) as usize;
    let row_bytes = (img.width as usize).div_ceil(8);
    build_rows(img, |y, out| {
        let tile_row = (y / map.tile_size.1) * cols;
        let mut halftoned = Vec::new();
        // one call per run of same-kind tiles
        let mut col = 0;
        while col < cols {
            let kind = render[(tile_row + col) as usize];
            let mut end = col + 1;
            while end < cols && render[(tile_row + end) as usize] == kind {
                end += 1;
            }
            let bytes = col as usize * tile_bytes..(end as usize * tile_bytes).min(row_bytes);
            match kind {
                Render::Threshold => threshold_span(img, &light, y, bytes, out),
                Render::Halftone => halftone_span(img, &screen, y, bytes, out),
                Render::Border => {
                    threshold_span(img, &light, y, bytes.clone(), out);
                    halftoned.resize(out.len(), 0);
                    halftone_span(img, &screen, y, bytes.clone(), &mut halftoned);
                    let soft = soft_area_bits(img, y, bytes.clone());
                    for (b, solid) in bytes.zip(soft) {
                        out[b] = (halftoned[b] & solid) | (out[b] & !solid);
                    }
                }
            }
            col = end;
        }
    })
}

/// `threshold(img, res)`, unless some tile of the page could seed a photo
/// region (then `None`, and the page's tiles are classified).
///
/// [`classify`](super::classify) on its own first checks for possible
/// seeds, in a pass over the whole page, and on a text page (most pages)
/// finds none; `threshold` then reads the page again. Here the check runs
/// inside the thresholding pass, band by band of tile rows, on rows that
/// are in the cache already: real text pages (freeculture.pdf) went from
/// 940-956 to 842-870 µs (fastest of 200). A page with a possible seed pays
/// for the bands thresholded before it was found.
fn threshold_unless_photo(img: &GrayImage, res: Resolution) -> Option<BitImage> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let light = LightInk::new(img, res);
    let stride = BitImage::stride_for(img.width);
    let seed = AtomicBool::new(false);
    let out = build_bands(img, tile_rows(res) as usize, |y0, band| {
        if seed.load(Ordering::Relaxed) {
            return;
        }
        let mut check = SeedCheck::new(img.width);
        for (i, row) in band.chunks_mut(stride).enumerate() {
            let y = y0 + i as u32;
            threshold_span(img, &light, y, 0..row.len(), row);
            check.add_row(img.row(y));
        }
        if check.may_seed() {
            seed.store(true, Ordering::Relaxed);
        }
    });
    (!seed.into_inner()).then_some(out)
}

/// Whether any of the 8 neighbours of tile (`col`, `row`) is a photo.
fn touches_photo(map: &super::RegionMap, col: u32, row: u32) -> bool {
    let (cols, rows) = map.tiles;
    (row.saturating_sub(1)..(row + 2).min(rows)).any(|r| {
        (col.saturating_sub(1)..(col + 2).min(cols)).any(|c| map.kind(c, r) == RegionKind::Photo)
    })
}

/// Tones that count as photo in a border tile: neither paper nor the
/// near-black core of a text stroke.
const SOFT_TONE: std::ops::RangeInclusive<u8> = 24..=249;

/// For each output byte in `bytes` of row `y`, the bit mask of its pixels
/// that lie inside a solid soft-tone area: the 5x5 box around the pixel is
/// all in [`SOFT_TONE`] (pixels off the page are not). Anti-aliased text
/// never passes: every 5x5 box on a stroke holds paper or the stroke's dark
/// core, even where letters touch or a bar crosses a stem's fringe. A
/// photo's near-black or paper-white pixels fail too, but those come out
/// the same thresholded.
fn soft_area_bits(img: &GrayImage, y: u32, bytes: Range<usize>) -> Vec<u8> {
    const REACH: u32 = 2;
    // one byte of margin each side for the 2-pixel reach across
    let (first, n) = (bytes.start as isize - 1, bytes.len() + 2);
    // soft in all five rows y-2..=y+2 (a row off the page is not soft)
    let mut column = vec![0u8; n];
    if y >= REACH && y + REACH < img.height {
        column.fill(0xFF);
        for yy in y - REACH..=y + REACH {
            let row = img.row(yy);
            for (i, c) in column.iter_mut().enumerate() {
                *c &= soft_bits(row, first + i as isize);
            }
        }
    }
    // then across: each pixel needs the two on either side
    column
        .windows(3)
        .map(|w| {
            let bits = u32::from(w[0]) << 16 | u32::from(w[1]) << 8 | u32::from(w[2]);
            let solid = bits & (bits << 1) & (bits << 2) & (bits >> 1) & (bits >> 2);
            (solid >> 8) as u8
        })
        .collect()
}

/// The pixels of output byte `byte` of `row` that are in [`SOFT_TONE`]
/// (0 for a byte off the row and pixels past its end).
fn soft_bits(row: &[u8], byte: isize) -> u8 {
    let Ok(start) = usize::try_from(byte * 8) else {
        return 0;
    };
    let px = match row.get(start..) {
        Some(px) if !px.is_empty() => px,
        _ => return 0,
    };
    let mut eight = [0u8; 8];
    let len = px.len().min(8);
    eight[..len].copy_from_slice(&px[..len]);
    let p = u64::from_le_bytes(eight);
    let splat = |v: u8| u64::from(v) * 0x0101_0101_0101_0101;
    let soft =
        bytes_below(p, splat(*SOFT_TONE.end() + 1)) & !bytes_below(p, splat(*SOFT_TONE.start()));
    // pixels past the end of the row were padded with 0: not soft
    gather_bits(soft.to_le_bytes()) & (0xFFu8 << (8 - len))
}

#[cfg(test)]
mod tests {
    use super::super::test_pages::*;
    use super::*;

    #[test]
    fn text_content_is_thresholded() {
        let res = Resolution::Fine;
        let page = text_page(res, 1728, 2156);
        assert_eq!(auto(&page, res), threshold(&page, res));
    }

    #[test]
    fn photo_content_is_halftoned() {
        for res in Resolution::ALL {
            let (w, h) = (1728, 2156 * res.y_dpi() / 196);
            let page = photo_page(res, w, h);
            assert_eq!(auto(&page, res), halftone(&page, res), "{res}");
        }
    }

    #[test]
    fn smooth_gradient_is_halftoned() {
        // a plain horizontal gradient, no margins, no noise
        let res = Resolution::Fine;
        let mut page = GrayImage::new(512, 256, 255);
        for y in 0..256 {
            for (x, v) in page.row_mut(y).iter_mut().enumerate() {
                *v = (x / 2) as u8;
            }
        }
        assert_eq!(auto(&page, res), halftone(&page, res));
    }

    #[test]
    fn mixed_page_has_both_per_region_without_seams() {
        let res = Resolution::Fine;
        let mut page = text_page(res, 1728, 2156);
        // off the tile grid, so the photo's border cuts through tiles
        let (x0, y0, pw, ph) = (500u32, 610u32, 803u32, 701u32);
        fill_rect(&mut page, x0 - 40, y0 - 40, x0 + pw + 40, y0 + ph + 40, 255);
        page.blit(&photo_bleed_page(res, pw, ph), x0 as i64, y0 as i64);
        let out = auto(&page, res);
        let thresholded = threshold(&page, res);
        let halftoned = halftone(&page, res);
        for y in 0..page.height {
            for x in 0..page.width {
                let inner =
                    (x0 + 2..x0 + pw - 2).contains(&x) && (y0 + 2..y0 + ph - 2).contains(&y);
                // a tile holding a sliver of photo is a photo tile: text
                // sharing a tile with the photo's edge may be halftoned
                let near =
                    (x0 - 64..x0 + pw + 64).contains(&x) && (y0 - 64..y0 + ph + 64).contains(&y);
                if inner {
                    // the whole photo but its outermost two pixels: halftoned
                    assert_eq!(out.get(x, y), halftoned.get(x, y), "({x}, {y})");
                } else if !near {
                    // all the text around it, exactly as `threshold` gives it
                    assert_eq!(out.get(x, y), thresholded.get(x, y), "({x}, {y})");
                }
            }
        }
    }
}
