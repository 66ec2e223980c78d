//! The default mode: threshold where the page is text, halftone where it is
//! a photo, decided per tile by [`classify`](super::classify).
//!
//! Both modes are pointwise with the screen anchored at the page origin, so
//! a photo split over many tiles is one seamless halftone, and text tiles
//! beside it are the same bits `threshold` would give.

use super::build_rows;
use super::classify::{classify, RegionKind, TILE_WIDTH};
use super::halftone::{halftone, halftone_span, Screen};
use super::threshold::{threshold, threshold_span, LightInk};
use crate::bitmap::{BitImage, GrayImage};
use crate::geometry::Resolution;

/// Thresholds the text regions and halftones the photo regions of a page.
pub fn auto(img: &GrayImage, res: Resolution) -> BitImage {
    let map = classify(img, res);
    match map.uniform() {
        Some(RegionKind::Text) => return threshold(img, res),
        Some(RegionKind::Photo) => return halftone(img, res),
        None => {}
    }
    let screen = Screen::for_resolution(res);
    let light = LightInk::new(img, res);
    let tile_bytes = (TILE_WIDTH / 8) as usize;
    let row_bytes = (img.width as usize).div_ceil(8);
    build_rows(img, |y, out| {
        let tile_row = y / map.tile_size.1;
        // one call per run of same-kind tiles
        let mut col = 0;
        while col < map.tiles.0 {
            let kind = map.kind(col, tile_row);
            let mut end = col + 1;
            while end < map.tiles.0 && map.kind(end, tile_row) == kind {
                end += 1;
            }
            let bytes = col as usize * tile_bytes..(end as usize * tile_bytes).min(row_bytes);
            match kind {
                RegionKind::Text => threshold_span(img, &light, y, bytes, out),
                RegionKind::Photo => halftone_span(img, &screen, y, bytes, out),
            }
            col = end;
        }
    })
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
    fn mixed_page_has_both_per_region() {
        let res = Resolution::Fine;
        let mut page = text_page(res, 1728, 2156);
        fill_rect(&mut page, 512, 640, 1280, 1280, 255);
        let photo = photo_page(res, 768, 640);
        page.blit(&photo, 512, 640);
        let out = auto(&page, res);
        let thresholded = threshold(&page, res);
        let halftoned = halftone(&page, res);
        let map = classify(&page, res);
        for y in 0..page.height {
            for x in 0..page.width {
                let want = match map.kind_at(x, y) {
                    RegionKind::Text => thresholded.get(x, y),
                    RegionKind::Photo => halftoned.get(x, y),
                };
                assert_eq!(out.get(x, y), want, "({x}, {y})");
            }
        }
        // the picture's middle is halftoned, the text far from it is not
        assert_eq!(map.kind_at(896, 960), RegionKind::Photo);
        assert_eq!(map.kind_at(200, 300), RegionKind::Text);
    }
}
