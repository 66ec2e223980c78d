//! Fitting a picture onto a fax page: keep its aspect (fax pixels are not
//! square), rotate a landscape picture to portrait when that makes it
//! larger, centre it, never enlarge more than 2x.
//!
//! Choices:
//! - **Size reference.** A source pixel's *width* maps to one page pixel
//!   (1/204 inch) at scale 1; its height follows the source's pixel aspect
//!   (`dpi.x / dpi.y`, square when the file does not say). The declared dpi
//!   is used only for that aspect, not for an absolute size: files declare
//!   72 or 96 dpi whatever they hold, and on a fax a picture is best as
//!   large as the page allows. So the 2x cap is relative to the picture's
//!   own pixels at 204 dpi (a 300x200 logo ends at most 600 px wide).
//! - **Margin.** [`MARGIN_MM`] = 3 mm on each side (24 px across, 12/23/46
//!   rows at 98/196/391 lpi), within the area below an optional top band
//!   reserved for the header line.
//! - **Rotation.** A landscape picture (physically wider than tall) is
//!   turned 90 degrees counter-clockwise (its top to the page's left edge,
//!   as printers do) only when that makes it strictly larger.
//! - **Resampling.** `fast_image_resize` convolution with Catmull-Rom,
//!   straight to the anisotropic target size in one call (separable passes
//!   with integer coefficients: the same bytes with or without SIMD).
//!   Catmull-Rom rings less than Lanczos3 around text edges, which matters
//!   once the page is made bilevel.

use crate::bitmap::GrayImage;
use crate::geometry::PageGeometry;
use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

/// Physical size of a source picture's pixels, dots per inch. `None` when
/// the file does not say (then the picture is simply fitted to the page).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SourceDpi {
    pub x: f64,
    pub y: f64,
}

/// White margin on each side of the picture, millimetres.
pub const MARGIN_MM: f64 = 3.0;
/// The most a picture is enlarged (relative to its pixels at 204 dpi).
pub const MAX_ENLARGEMENT: f64 = 2.0;

/// Where and how large the picture goes on the page, in page pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    /// Turned 90 degrees counter-clockwise.
    pub rotated: bool,
}

/// Places `img` on a white page of `geom`, scaled and centred.
pub fn fit_to_page(img: &GrayImage, dpi: Option<SourceDpi>, geom: &PageGeometry) -> GrayImage {
    fit_to_page_below(img, dpi, geom, geom.header_rows)
}

/// Like [`fit_to_page`], leaving the top `top_band_rows` rows free (for the
/// header line): the picture is fitted and centred in the rest.
pub fn fit_to_page_below(
    img: &GrayImage,
    dpi: Option<SourceDpi>,
    geom: &PageGeometry,
    top_band_rows: u32,
) -> GrayImage {
    let mut page = GrayImage::new(geom.width(), geom.rows(), 255);
    if img.width == 0 || img.height == 0 {
        return page;
    }
    let p = plan_fit(img.width, img.height, dpi, geom, top_band_rows);
    let picture = if p.rotated {
        // resize to the pre-rotation shape, then turn the (smaller) result
        rotate_ccw(&resize(img, p.height, p.width))
    } else {
        resize(img, p.width, p.height)
    };
    page.blit(&picture, p.x as i64, p.y as i64);
    page
}

/// Computes the placement of a `src_width` x `src_height` picture (see the
/// module doc for the rules). Pure arithmetic, no pixels.
pub fn plan_fit(
    src_width: u32,
    src_height: u32,
    dpi: Option<SourceDpi>,
    geom: &PageGeometry,
    top_band_rows: u32,
) -> Placement {
    let (x_dpi, y_dpi) = (geom.x_dpi() as f64, geom.y_dpi() as f64);
    let margin_x = (MARGIN_MM / 25.4 * x_dpi).round() as u32;
    let margin_y = (MARGIN_MM / 25.4 * y_dpi).round() as u32;
    let area_w = geom.width().saturating_sub(2 * margin_x).max(1);
    let area_h = geom
        .rows()
        .saturating_sub(top_band_rows)
        .saturating_sub(2 * margin_y)
        .max(1);

    // natural size in inches: source pixel width = 1/204 inch
    let pixel_aspect = dpi
        .filter(|d| d.x > 0.0 && d.y > 0.0 && d.x.is_finite() && d.y.is_finite())
        .map_or(1.0, |d| d.x / d.y);
    let natural_w = src_width as f64 / x_dpi;
    let natural_h = src_height as f64 * pixel_aspect / x_dpi;

    let scale_for = |w_in: f64, h_in: f64| {
        let fit = (area_w as f64 / (w_in * x_dpi)).min(area_h as f64 / (h_in * y_dpi));
        fit.min(MAX_ENLARGEMENT)
    };
    let upright = scale_for(natural_w, natural_h);
    let turned = scale_for(natural_h, natural_w);
    // "strictly larger", with a tolerance so float noise never decides
    let rotated = natural_w > natural_h && turned > upright * (1.0 + 1e-9);
    let (w_in, h_in, scale) = if rotated {
        (natural_h, natural_w, turned)
    } else {
        (natural_w, natural_h, upright)
    };
    let width = ((w_in * scale * x_dpi).round() as u32).clamp(1, area_w);
    let height = ((h_in * scale * y_dpi).round() as u32).clamp(1, area_h);
    Placement {
        x: margin_x + (area_w - width) / 2,
        y: top_band_rows + margin_y + (area_h - height) / 2,
        width,
        height,
        rotated,
    }
}

/// Resamples `img` to exactly `width` x `height` (anisotropic allowed).
fn resize(img: &GrayImage, width: u32, height: u32) -> GrayImage {
    if (img.width, img.height) == (width, height) {
        return img.clone();
    }
    let src = ImageRef::new(img.width, img.height, &img.data, PixelType::U8)
        .expect("GrayImage data matches its size");
    let mut dst = Image::new(width, height, PixelType::U8);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .expect("U8 to U8 resize of non-empty images cannot fail");
    GrayImage::from_raw(width, height, dst.into_vec())
}

/// Turns `img` 90 degrees counter-clockwise: its top row becomes the left
/// column, read bottom to top. Works in square tiles so that both the reads
/// and the writes stay in cache (3x faster than row by row on a page).
pub(crate) fn rotate_ccw(img: &GrayImage) -> GrayImage {
    const TILE: usize = 64;
    let (w, h) = (img.width as usize, img.height as usize);
    let mut out = vec![0u8; w * h];
    // out is h wide and w tall; source (x, y) goes to (y, w - 1 - x)
    for y0 in (0..h).step_by(TILE) {
        for x0 in (0..w).step_by(TILE) {
            for y in y0..(y0 + TILE).min(h) {
                let row = &img.data[y * w..(y + 1) * w];
                for x in x0..(x0 + TILE).min(w) {
                    out[(w - 1 - x) * h + y] = row[x];
                }
            }
        }
    }
    GrayImage::from_raw(img.height, img.width, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{Paper, Resolution};

    fn geom(res: Resolution, paper: Paper) -> PageGeometry {
        PageGeometry::new(res, paper)
    }

    /// Physical aspect (width / height) of a placement on `g`.
    fn physical_aspect(p: &Placement, g: &PageGeometry) -> f64 {
        (p.width as f64 / g.x_dpi() as f64) / (p.height as f64 / g.y_dpi() as f64)
    }

    #[test]
    fn keeps_physical_aspect_at_every_resolution() {
        for res in Resolution::ALL {
            for paper in Paper::ALL {
                let g = geom(res, paper);
                for (w, h) in [(2048u32, 1536u32), (1000, 3000), (3000, 1000), (800, 800)] {
                    let p = plan_fit(w, h, None, &g, 0);
                    let want = if p.rotated {
                        h as f64 / w as f64
                    } else {
                        w as f64 / h as f64
                    };
                    let got = physical_aspect(&p, &g);
                    assert!(
                        (got / want - 1.0).abs() < 0.01,
                        "{res} {paper} {w}x{h}: {got} vs {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn non_square_source_pixels_keep_their_aspect() {
        // a 204x98 fax-like scan: 1000x500 pixels is physically 4.9 x 5.1 in
        let dpi = Some(SourceDpi { x: 204.0, y: 98.0 });
        let g = geom(Resolution::Fine, Paper::A4);
        let p = plan_fit(1000, 500, dpi, &g, 0);
        let want = (1000.0 / 204.0) / (500.0 / 98.0);
        assert!(!p.rotated);
        assert!((physical_aspect(&p, &g) / want - 1.0).abs() < 0.01);
    }

    #[test]
    fn centred_with_margins() {
        let g = geom(Resolution::Fine, Paper::Letter);
        let p = plan_fit(1000, 3000, None, &g, 0);
        // tall picture: limited by height, margins 23 rows top and bottom
        assert_eq!(p.y, 23);
        assert_eq!(p.height, 2156 - 46);
        let right = 1728 - (p.x + p.width);
        assert!(p.x.abs_diff(right) <= 1, "left {} right {right}", p.x);
        // wide page-width picture: 24 px side margins
        let p = plan_fit(3000, 1000, None, &g, 0);
        assert!(p.x >= 24 && 1728 - (p.x + p.width) >= 24);
    }

    #[test]
    fn enlarges_at_most_twice() {
        let g = geom(Resolution::Fine, Paper::Letter);
        let p = plan_fit(100, 50, None, &g, 0);
        assert_eq!(p.width, 200);
        assert_eq!(p.height, 96); // 50 rows * 2 * 196/204 = 96.1
        assert!(!p.rotated, "no rotation when the cap decides the size");
        let g = geom(Resolution::Standard, Paper::Letter);
        let p = plan_fit(100, 100, None, &g, 0);
        assert_eq!((p.width, p.height), (200, 96)); // 98 lpi: half the rows
    }

    #[test]
    fn rotates_landscape_only_when_larger() {
        let g = geom(Resolution::Fine, Paper::Letter);
        // a wide panorama-ish photo: larger when turned
        let p = plan_fit(4000, 2000, None, &g, 0);
        assert!(p.rotated);
        let upright_width = plan_fit(2000, 4000, None, &g, 0).width;
        assert!(p.height > upright_width);
        // a very wide strip (10:1) is larger turned as well (11 in vs 8.2 in)
        assert!(plan_fit(10000, 1000, None, &g, 0).rotated);
        // a portrait picture never rotates
        assert!(!plan_fit(2000, 4000, None, &g, 0).rotated);
    }

    #[test]
    fn top_band_is_left_free() {
        let g = geom(Resolution::Fine, Paper::A4);
        let p = plan_fit(1000, 3000, None, &g, 80);
        assert!(p.y >= 80 + 23);
        assert!(p.y + p.height <= 2292 - 23);
    }

    #[test]
    fn renders_page_with_picture_in_place() {
        let g = geom(Resolution::Standard, Paper::Letter);
        let black = GrayImage::new(400, 300, 0);
        let page = fit_to_page(&black, None, &g);
        assert_eq!((page.width, page.height), (1728, 1078));
        let p = plan_fit(400, 300, None, &g, 0);
        // inside: black; outside: white; corners of the page white
        let (cx, cy) = (p.x + p.width / 2, p.y + p.height / 2);
        assert_eq!(page.get(cx, cy), 0);
        assert_eq!(page.get(0, 0), 255);
        assert_eq!(page.get(p.x - 1, cy), 255);
        assert_eq!(page.get(p.x + p.width, cy), 255);
        let ink = page.data.iter().filter(|&&v| v < 128).count() as u64;
        assert!(ink.abs_diff(p.width as u64 * p.height as u64) < (p.width + p.height) as u64);
    }

    #[test]
    fn tiled_rotation_matches_the_definition() {
        let (w, h) = (131u32, 70u32);
        let mut img = GrayImage::new(w, h, 0);
        for (i, v) in img.data.iter_mut().enumerate() {
            *v = (i % 253) as u8;
        }
        let r = rotate_ccw(&img);
        for y in 0..h {
            for x in 0..w {
                assert_eq!(r.get(y, w - 1 - x), img.get(x, y));
            }
        }
    }

    #[test]
    fn rotation_turns_counter_clockwise() {
        // 3x2 image: a dark pixel at the top-left must end bottom-left
        let mut img = GrayImage::new(3, 2, 255);
        img.set(0, 0, 0);
        let r = rotate_ccw(&img);
        assert_eq!((r.width, r.height), (2, 3));
        assert_eq!(r.get(0, 2), 0);
        assert_eq!(r.data.iter().filter(|&&v| v == 0).count(), 1);
    }

    #[test]
    fn rotated_page_has_top_on_the_left() {
        // landscape picture, top half black, bottom half white
        let (w, h) = (3000u32, 1500u32);
        let mut img = GrayImage::new(w, h, 255);
        for y in 0..h / 2 {
            img.row_mut(y).fill(0);
        }
        let g = geom(Resolution::Fine, Paper::Letter);
        let p = plan_fit(w, h, None, &g, 0);
        assert!(p.rotated);
        let page = fit_to_page(&img, None, &g);
        let mid_y = p.y + p.height / 2;
        assert_eq!(
            page.get(p.x + p.width / 4, mid_y),
            0,
            "left half is the picture's top"
        );
        assert_eq!(page.get(p.x + 3 * p.width / 4, mid_y), 255);
    }

    #[test]
    fn resize_is_the_same_without_simd() {
        let mut img = GrayImage::new(257, 190, 0);
        for (i, v) in img.data.iter_mut().enumerate() {
            *v = (i * 7 % 251) as u8;
        }
        let fast = resize(&img, 101, 333);
        let src = ImageRef::new(257, 190, &img.data, PixelType::U8).unwrap();
        let mut dst = Image::new(101, 333, PixelType::U8);
        let mut resizer = Resizer::new();
        unsafe { resizer.set_cpu_extensions(fast_image_resize::CpuExtensions::None) };
        let options =
            ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
        resizer.resize(&src, &mut dst, &options).unwrap();
        assert_eq!(fast.data, dst.into_vec());
    }

    #[test]
    fn photo_fit_is_fast() {
        let mut img = GrayImage::new(2048, 1536, 0);
        for (i, v) in img.data.iter_mut().enumerate() {
            *v = (i % 256) as u8;
        }
        let g = geom(Resolution::Fine, Paper::Letter);
        let start = std::time::Instant::now();
        let page = fit_to_page(&img, None, &g);
        let elapsed = start.elapsed();
        assert_eq!((page.width, page.height), (1728, 2156));
        // generous bound for debug/CI machines; measured figure in the report
        assert!(elapsed.as_millis() < 2000, "{elapsed:?}");
    }
}
