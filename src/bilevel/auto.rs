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

use super::build_rows;
use super::classify::{classify, RegionKind, TILE_WIDTH};
use super::halftone::{halftone, halftone_span, Screen};
use super::threshold::{threshold, threshold_span, LightInk};
use crate::bitmap::{BitImage, GrayImage};
use crate::geometry::Resolution;

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
    let map = classify(img, res);
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
                    for b in bytes {
                        let solid = soft_area_bits(img, y, b);
                        out[b] = (halftoned[b] & solid) | (out[b] & !solid);
                    }
                }
            }
            col = end;
        }
    })
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

/// Bit mask of the pixels of output byte `byte` of row `y` that lie inside
/// a solid soft-tone area: the 5x5 box around the pixel is all in
/// [`SOFT_TONE`] (pixels off the page are not). Anti-aliased text never
/// passes: every 5x5 box on a stroke holds paper or the stroke's dark core,
/// even where letters touch or a bar crosses a stem's fringe. A photo's
/// near-black or paper-white pixels fail too, but those come out the same
/// thresholded.
fn soft_area_bits(img: &GrayImage, y: u32, byte: usize) -> u8 {
    const REACH: usize = 2;
    let (w, h, y) = (img.width as isize, img.height as isize, y as isize);
    let x0 = (byte * 8) as isize - REACH as isize;
    // rows y-2..=y+2 ANDed: bit 11 - k is pixel x0 + k, k in 0..12
    let mut rows = 0xFFFu32;
    for yy in y - REACH as isize..=y + REACH as isize {
        let mut bits = 0u32;
        if (0..h).contains(&yy) {
            let row = img.row(yy as u32);
            for k in 0..12 {
                let x = x0 + k;
                let soft = (0..w).contains(&x) && SOFT_TONE.contains(&row[x as usize]);
                bits |= u32::from(soft) << (11 - k);
            }
        }
        rows &= bits;
    }
    // then across: each pixel needs the two on either side
    let solid = rows & (rows >> 1) & (rows >> 2) & (rows << 1) & (rows << 2);
    // pixels k = 2..10 (the byte's 8) sit at bits 9..2
    (solid >> REACH) as u8
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
