//! Shadings at the bottom of a page drawn at about 50 dpi and scaled up.
//!
//! PDFium evaluates a shading's function for every device pixel it covers
//! (for a function-based shading, a sampled function and a CMYK-to-gray
//! conversion per pixel): a Letter page of them took 0.37 s of CPU at fine
//! resolution, where Ghostscript, which subdivides the shading into
//! patches, took 0.15 s. A shading is smooth by nature, and a fax page
//! halftones it into clustered dots eight pixels apart (about 25 lines per
//! inch), which cannot show detail finer than that: sampled at a quarter of
//! the resolution each way (two samples a cell) and interpolated, it looks
//! the same on the fax (the edge of its clip path softens by a pixel or
//! two) for a sixteenth of the evaluations. Measured on the corpus's page
//! of function shadings: 0.75 s for the document before, 0.14 s after.
//! (Half the resolution was 0.3 s and looked no better once halftoned.)
//!
//! Only shadings that lie under everything else are drawn this way: the
//! page's leading objects, as long as they are shadings. They are drawn
//! alone (every other object switched off) into a small bitmap, scaled up
//! into the page buffer, switched off for the page's own render (which then
//! draws the rest over them, as it would over the shading it drew itself),
//! and switched on again ([`draw_leading_shadings`]).

use super::worker::band_matrix;
use crate::geometry::{PageGeometry, Resolution};
use crate::input::fit::Placement;
use pdfium_render::prelude::*;
use std::ops::Range;

/// Draws the page's leading shadings (its objects from the bottom of the
/// z-order that are shadings, up to the first that is not) small and
/// scaled up into `data`, the band's white gray buffer, and switches them
/// off until the returned guard is dropped: the page's own render then
/// draws everything else over them. `None`: the page starts with no
/// shading, and `data` is untouched.
pub(super) fn draw_leading_shadings<'a>(
    page: &'a PdfPage<'a>,
    p: &Placement,
    page_size: (f64, f64),
    geom: &PageGeometry,
    band: Range<u32>,
    data: &mut [u8],
) -> Result<Option<Hidden<'a>>, PdfiumError> {
    let (shadings, rest): (Vec<_>, Vec<_>) = {
        let mut objects = page.objects().iter().peekable();
        let shadings = std::iter::from_fn(|| {
            objects.next_if(|obj| obj.object_type() == PdfPageObjectType::Shading)
        })
        .collect();
        (shadings, objects.collect())
    };
    if shadings.is_empty() {
        return Ok(None);
    }
    {
        // the shadings alone: what lies over them is drawn sharp later
        let _rest = Hidden::new(rest);
        draw(page, p, page_size, geom, band, data)?;
    }
    Ok(Some(Hidden::new(shadings)))
}

/// Switches objects off for rendering while it lives, and on again when
/// dropped (whatever happens in between: the document stays loaded for
/// its next page or band).
pub(super) struct Hidden<'a>(Vec<PdfPageObject<'a>>);

impl<'a> Hidden<'a> {
    fn new(mut objects: Vec<PdfPageObject<'a>>) -> Self {
        for obj in &mut objects {
            // an object PDFium would not switch off is drawn twice, which
            // looks the same: nothing to report
            let _ = obj.set_inactive();
        }
        Hidden(objects)
    }
}

impl Drop for Hidden<'_> {
    fn drop(&mut self) {
        for obj in &mut self.0 {
            let _ = obj.set_active();
        }
    }
}

/// How much smaller the backdrop is than the page, across and down: about
/// 50 dpi each way (the fax's 204 dpi across; 98, 196 or 391 down).
fn reduction(resolution: Resolution) -> (u32, u32) {
    match resolution {
        Resolution::Standard => (4, 2),
        Resolution::Fine => (4, 4),
        Resolution::Superfine => (4, 8),
    }
}

/// Draws the page's active objects (the leading shadings alone) at the
/// reduced resolution and scales them up into `data`, the band's white
/// gray buffer, `geom.width()` pixels a row.
fn draw(
    page: &PdfPage<'_>,
    p: &Placement,
    (w_pt, h_pt): (f64, f64),
    geom: &PageGeometry,
    band: Range<u32>,
    data: &mut [u8],
) -> Result<(), PdfiumError> {
    let (sx, sy) = reduction(geom.resolution);
    let width = geom.width();
    // The small bitmap is on the page's grid (small row j covers page rows
    // j * sy ..), with a row to spare above and below the band, so that a
    // band interpolates exactly as the whole page does across its cut.
    let page_small_h = geom.rows().div_ceil(sy);
    let first = (band.start / sy).saturating_sub(1);
    let end = (band.end.div_ceil(sy) + 1).min(page_small_h);
    let (small_w, small_h) = (width.div_ceil(sx), end - first);
    let mut small = vec![255u8; small_w as usize * small_h as usize];
    {
        let mut bitmap = PdfBitmap::from_bytes(
            small_w as _,
            small_h as _,
            PdfBitmapFormat::Gray,
            &mut small,
        )?;
        let full = band_matrix(p, w_pt, h_pt, first * sy);
        let (fx, fy) = (1.0 / sx as f32, 1.0 / sy as f32);
        let matrix = PdfMatrix::new(
            full.a() * fx,
            full.b() * fy,
            full.c() * fx,
            full.d() * fy,
            full.e() * fx,
            full.f() * fy,
        );
        let config = PdfRenderConfig::new()
            .set_format(PdfBitmapFormat::Gray)
            .set_reverse_byte_order(false)
            .clear_before_rendering(false)
            .render_annotations(false)
            .render_form_data(false)
            .use_print_quality(true)
            .set_fixed_size(small_w as _, small_h as _)
            .reset_matrix(matrix)?
            .clip(0, 0, small_w as _, small_h as _);
        page.render_into_bitmap_with_config(&mut bitmap, &config)?;
    }
    let small = Small {
        pixels: &small,
        width: small_w,
        first_row: first,
        page_rows: page_small_h,
    };
    scale_up(&small, (sx, sy), data, width, band);
    Ok(())
}

/// The reduced-resolution drawing: rows `first_row ..` of a grid of
/// `page_rows` rows over the whole page.
struct Small<'a> {
    pixels: &'a [u8],
    width: u32,
    first_row: u32,
    page_rows: u32,
}

/// Where output pixel `i` (of a line `scale` times longer than `n_small`)
/// samples the small line: the two neighbours and the weight of the
/// second, in units of 1 / (2 * scale). Centres line up: output pixel i's
/// centre `i + 1/2` is small coordinate `(i + 1/2) / scale`.
fn taps(i: u32, scale: u32, n_small: u32) -> (usize, usize, u32) {
    let q = (2 * i + 1) as i64 - scale as i64;
    let span = 2 * scale as i64;
    let i0 = q.div_euclid(span);
    let frac = q.rem_euclid(span) as u32;
    let last = n_small as i64 - 1;
    (
        i0.clamp(0, last) as usize,
        (i0 + 1).clamp(0, last) as usize,
        frac,
    )
}

/// Bilinear scale-up of `small` into `out`, page rows `band` (integer
/// weights, so the same bits on every machine). Rows of white stay as they
/// are: `out` is white.
fn scale_up(small: &Small<'_>, (sx, sy): (u32, u32), out: &mut [u8], width: u32, band: Range<u32>) {
    let columns: Vec<(usize, usize, u32)> = (0..width).map(|x| taps(x, sx, small.width)).collect();
    let w = small.width as usize;
    let small_row = |j: usize| {
        let j = j - small.first_row as usize;
        &small.pixels[j * w..(j + 1) * w]
    };
    let white = |row: &[u8]| row.iter().all(|&v| v == 255);
    let mut blended = vec![0u16; w];
    let (span_x, span_y) = (2 * sx, 2 * sy);
    let total = span_x * span_y;
    for (y, out_row) in band.zip(out.chunks_exact_mut(width as usize)) {
        let (j0, j1, fy) = taps(y, sy, small.page_rows);
        let (r0, r1) = (small_row(j0), small_row(j1));
        if white(r0) && white(r1) {
            continue;
        }
        for ((b, &a), &c) in blended.iter_mut().zip(r0).zip(r1) {
            *b = (a as u32 * (span_y - fy) + c as u32 * fy) as u16;
        }
        for (o, &(i0, i1, fx)) in out_row.iter_mut().zip(&columns) {
            let v = blended[i0] as u32 * (span_x - fx) + blended[i1] as u32 * fx;
            *o = ((v + total / 2) / total) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taps_centre_the_samples() {
        // twice as long: pixel 2i sits a quarter left of small i's centre
        assert_eq!(taps(0, 2, 10), (0, 0, 3));
        assert_eq!(taps(2, 2, 10), (0, 1, 3));
        assert_eq!(taps(3, 2, 10), (1, 2, 1));
        // the last pixel leans on the last sample only
        assert_eq!(taps(19, 2, 10), (9, 9, 1));
        // same length: every pixel is its own sample
        for i in 0..5 {
            assert_eq!(taps(i, 1, 5), (i as usize, (i as usize + 1).min(4), 0));
        }
    }

    fn whole(pixels: &[u8], width: u32) -> Small<'_> {
        Small {
            pixels,
            width,
            first_row: 0,
            page_rows: pixels.len() as u32 / width,
        }
    }

    #[test]
    fn scale_up_keeps_flat_areas_and_ramps_between() {
        // a 4x2 small image: white left half, black right half
        let small = [255, 255, 0, 0, 255, 255, 0, 0];
        let mut out = vec![255u8; 8 * 4];
        scale_up(&whole(&small, 4), (2, 2), &mut out, 8, 0..4);
        for row in out.chunks(8) {
            assert_eq!(row[..3], [255, 255, 255]);
            assert_eq!(row[5..], [0, 0, 0]);
            // the edge: a quarter and three quarters of the way across
            assert_eq!(row[3], 191);
            assert_eq!(row[4], 64);
        }
    }

    #[test]
    fn a_band_scales_up_like_the_whole_page() {
        // 3 x 6 small rows (a vertical ramp), scaled 1 x 2 into 12 rows
        let small: Vec<u8> = (0..6u8).flat_map(|j| [j * 40; 3]).collect();
        let mut page = vec![255u8; 3 * 12];
        scale_up(&whole(&small, 3), (1, 2), &mut page, 3, 0..12);
        // rows 5..9 from small rows 1..5 (a row to spare each side)
        let part = Small {
            pixels: &small[3..15],
            width: 3,
            first_row: 1,
            page_rows: 6,
        };
        let mut band = vec![255u8; 3 * 4];
        scale_up(&part, (1, 2), &mut band, 3, 5..9);
        assert_eq!(band, page[15..27]);
        // and the ramp is a ramp: each row at least as light as the last
        assert!(page
            .chunks(3)
            .zip(page.chunks(3).skip(1))
            .all(|(a, b)| b[0] >= a[0]));
    }

    #[test]
    fn scale_up_skips_white_rows() {
        let small = [255u8; 6];
        let mut out = vec![7u8; 6 * 2];
        scale_up(&whole(&small, 6), (1, 2), &mut out, 6, 0..2);
        // untouched: the caller's buffer is white already
        assert!(out.iter().all(|&v| v == 7));
    }
}
