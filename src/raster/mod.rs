//! From a laid-out [`Frame`] to a gray page on the fax grid (1728 px wide,
//! 204 dpi across, 98/196/391 lpi down), below the header band.
//!
//! The frame's page (in points) is scaled to fit the content area (the page
//! minus `geom.header_rows` at the top) keeping its physical proportions, and
//! centred across. Glyphs come from a per-thread [`glyph_cache`] and are
//! blended as coverage; rectangles snap to whole pixels and never vanish
//! (at least one pixel each way), so thin rules and borders survive the
//! bilevel threshold.

pub mod glyph_cache;

use crate::bitmap::GrayImage;
use crate::geometry::{PageGeometry, X_DPI};
use crate::layout::{Fonts, Frame, GlyphRun, Item};
use glyph_cache::{glyph_mask, GlyphMask, SUBPIXEL_STEPS};

/// Maps points of a frame to pixels of the page.
#[derive(Debug, Clone, Copy)]
pub struct PageTransform {
    /// Pixels per point across and down.
    pub sx: f32,
    pub sy: f32,
    /// Pixel position of the frame's top-left corner.
    pub ox: f32,
    pub oy: f32,
}

impl PageTransform {
    /// The transform that fits a `width` x `height` pt frame into the
    /// content area of `geom`.
    pub fn fit(width: f32, height: f32, geom: &PageGeometry) -> Self {
        let px_per_pt_x = X_DPI as f32 / 72.0;
        let px_per_pt_y = geom.y_dpi() as f32 / 72.0;
        let avail_w = geom.width() as f32;
        let avail_h = geom.content_rows() as f32;
        let scale = (avail_w / (width.max(1.0) * px_per_pt_x))
            .min(avail_h / (height.max(1.0) * px_per_pt_y))
            .min(1.0);
        let sx = px_per_pt_x * scale;
        let sy = px_per_pt_y * scale;
        PageTransform {
            sx,
            sy,
            ox: ((avail_w - width * sx) / 2.0).max(0.0),
            oy: geom.header_rows as f32,
        }
    }
}

/// Renders `frame` onto a white page of `geom` (header band left white).
/// A landscape frame that comes out larger turned is drawn turned a
/// quarter counter-clockwise, as landscape pictures and PDF pages are.
pub fn render_frame(frame: &Frame, geom: &PageGeometry, fonts: &Fonts) -> GrayImage {
    if let Some(turned) = render_turned(frame, geom, fonts) {
        return turned;
    }
    let mut page = GrayImage::new(geom.width(), geom.rows(), 255);
    let t = PageTransform::fit(frame.width, frame.height, geom);
    // Content never reaches into the band (a glyph's ascender near the top
    // margin must not touch the header line).
    draw_frame(&mut page, frame, &t, geom.header_rows, fonts);
    page
}

/// The page with a landscape frame turned onto it, when turning makes the
/// content larger; None otherwise.
fn render_turned(frame: &Frame, geom: &PageGeometry, fonts: &Fonts) -> Option<GrayImage> {
    if frame.width <= frame.height {
        return None;
    }
    let (px_x, px_y) = (X_DPI as f32 / 72.0, geom.y_dpi() as f32 / 72.0);
    let (avail_w, avail_h) = (geom.width() as f32, geom.content_rows() as f32);
    let upright = (avail_w / (frame.width * px_x)).min(avail_h / (frame.height * px_y));
    // Turned: the frame's width runs down the page, its height across.
    let turned = (avail_h / (frame.width * px_y)).min(avail_w / (frame.height * px_x));
    if turned <= upright * 1.0001 {
        return None;
    }
    let scale = turned.min(1.0);
    // Draw upright on a canvas whose x axis is the page's y axis, then
    // turn it: canvas pixels are y_dpi wide and X_DPI tall.
    let canvas_w = geom.content_rows();
    let canvas_h = geom.width();
    let mut canvas = GrayImage::new(canvas_w, canvas_h, 255);
    let t = PageTransform {
        sx: px_y * scale,
        sy: px_x * scale,
        ox: ((canvas_w as f32 - frame.width * px_y * scale) / 2.0).max(0.0),
        oy: ((canvas_h as f32 - frame.height * px_x * scale) / 2.0).max(0.0),
    };
    draw_frame(&mut canvas, frame, &t, 0, fonts);
    let turned = crate::input::fit::rotate_ccw(&canvas);
    let mut page = GrayImage::new(geom.width(), geom.rows(), 255);
    let top = geom.header_rows as usize;
    let w = page.width as usize;
    for (y, row) in turned.data.chunks_exact(turned.width as usize).enumerate() {
        let dst = (top + y) * w;
        if top + y >= page.height as usize {
            break;
        }
        let n = row.len().min(w);
        page.data[dst..dst + n].copy_from_slice(&row[..n]);
    }
    Some(page)
}

/// Draws `frame` onto `page` through `t`, leaving rows above `top` alone.
pub fn draw_frame(page: &mut GrayImage, frame: &Frame, t: &PageTransform, top: u32, fonts: &Fonts) {
    let page = &mut *page;
    let t = *t;
    let top = top as i64;
    for item in &frame.items {
        match item {
            Item::Glyphs(run) => draw_run(page, run, &t, fonts, top),
            Item::Rect { x, y, w, h, gray } => {
                let x0 = (t.ox + x * t.sx).round() as i64;
                let y0 = (t.oy + y * t.sy).round() as i64;
                let x1 = ((t.ox + (x + w) * t.sx).round() as i64).max(x0 + 1);
                let y1 = ((t.oy + (y + h) * t.sy).round() as i64).max(y0 + 1);
                fill_rect(page, x0, y0.max(top), x1, y1, *gray);
            }
            Item::Image { x, y, w, h, pixels } => {
                let x0 = (t.ox + x * t.sx).round() as i64;
                let y0 = (t.oy + y * t.sy).round() as i64;
                let pw = (w * t.sx).round().max(1.0) as i64;
                let ph = (h * t.sy).round().max(1.0) as i64;
                draw_image(page, pixels, x0, y0, pw, ph, top);
            }
        }
    }
}

fn draw_run(page: &mut GrayImage, run: &GlyphRun, t: &PageTransform, fonts: &Fonts, top: i64) {
    let px = run.size * t.sx;
    let stretch = t.sy / t.sx;
    if !(0.5..=2000.0).contains(&px) {
        return;
    }
    let ink = 255 - run.gray as u32;
    for g in &run.glyphs {
        let x = t.ox + g.x * t.sx;
        let y = (t.oy + g.y * t.sy).round() as i64;
        let whole = x.floor();
        let subpixel = (((x - whole) * SUBPIXEL_STEPS as f32) as u32).min(SUBPIXEL_STEPS - 1);
        if let Some(mask) = glyph_mask(fonts, run.font, g.id, px, stretch, subpixel) {
            blend_mask(page, &mask, whole as i64, y, ink, top);
        }
    }
}

/// Darkens the page by the mask's coverage times `ink` (0..=255).
fn blend_mask(
    page: &mut GrayImage,
    mask: &GlyphMask,
    pen_x: i64,
    baseline: i64,
    ink: u32,
    top: i64,
) {
    let x0 = pen_x + mask.left as i64;
    let y0 = baseline - mask.top as i64;
    let (w, h) = (page.width as i64, page.height as i64);
    for my in 0..mask.height as i64 {
        let y = y0 + my;
        if y < top || y >= h {
            continue;
        }
        let src = &mask.coverage[(my * mask.width as i64) as usize..][..mask.width as usize];
        let row = page.row_mut(y as u32);
        for (mx, &c) in src.iter().enumerate() {
            let x = x0 + mx as i64;
            if c == 0 || x < 0 || x >= w {
                continue;
            }
            let a = c as u32 * ink / 255;
            let d = &mut row[x as usize];
            *d = (*d as u32 * (255 - a) / 255) as u8;
        }
    }
}

fn fill_rect(page: &mut GrayImage, x0: i64, y0: i64, x1: i64, y1: i64, gray: u8) {
    let (w, h) = (page.width as i64, page.height as i64);
    let (x0, x1) = (x0.clamp(0, w), x1.clamp(0, w));
    for y in y0.clamp(0, h)..y1.clamp(0, h) {
        for p in &mut page.row_mut(y as u32)[x0 as usize..x1 as usize] {
            *p = (*p).min(gray);
        }
    }
}

/// Nearest-neighbour scaling of an image into a pixel rectangle (pictures
/// in flow documents are small; the bilevel stage does the real work).
fn draw_image(page: &mut GrayImage, img: &GrayImage, x0: i64, y0: i64, pw: i64, ph: i64, top: i64) {
    if img.width == 0 || img.height == 0 {
        return;
    }
    let (w, h) = (page.width as i64, page.height as i64);
    for dy in 0..ph {
        let y = y0 + dy;
        if y < top.max(0) || y >= h {
            continue;
        }
        let sy = ((dy * img.height as i64) / ph) as u32;
        for dx in 0..pw {
            let x = x0 + dx;
            if x < 0 || x >= w {
                continue;
            }
            let sx = ((dx * img.width as i64) / pw) as u32;
            let v = img.get(sx, sy);
            let d = &mut page.row_mut(y as u32)[x as usize];
            *d = (*d).min(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{Paper, Resolution};

    fn frame(width: f32, height: f32) -> Frame {
        // A black square in the frame's top-left corner.
        Frame {
            width,
            height,
            items: vec![Item::Rect {
                x: 0.0,
                y: 0.0,
                w: 72.0,
                h: 72.0,
                gray: 0,
            }],
        }
    }

    fn ink_box(img: &GrayImage) -> (u32, u32, u32, u32) {
        let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
        for y in 0..img.height {
            for x in 0..img.width {
                if img.data[(y * img.width + x) as usize] < 128 {
                    (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
                }
            }
        }
        (x0, y0, x1, y1)
    }

    #[test]
    fn portrait_frames_stay_upright_below_the_band() {
        let geom = PageGeometry::new(Resolution::Fine, Paper::Letter).with_header_rows(35);
        let page = render_frame(&frame(612.0, 792.0), &geom, &Fonts::committed());
        let (x0, y0, x1, y1) = ink_box(&page);
        assert!(x0 < 20 && y0 == 35, "{x0} {y0}");
        // One inch square at (about) 204 x 196 dpi.
        assert!((185..=206).contains(&(x1 - x0 + 1)), "{x1}");
        assert!((175..=198).contains(&(y1 - y0 + 1)), "{y1}");
    }

    #[test]
    fn landscape_frames_turn_counter_clockwise() {
        let geom = PageGeometry::new(Resolution::Fine, Paper::Letter).with_header_rows(35);
        let page = render_frame(&frame(792.0, 612.0), &geom, &Fonts::committed());
        assert_eq!((page.width, page.height), (geom.width(), geom.rows()));
        let (x0, y0, x1, y1) = ink_box(&page);
        // The top-left corner lands at the bottom-left; the square's inch
        // now runs 204 px across and ~196 rows down (scaled to fit).
        assert!(x0 < 20, "{x0}");
        assert!(y1 > geom.rows() - 60, "{y1}");
        let (w, h) = (x1 - x0 + 1, y1 - y0 + 1);
        assert!(
            (150..=206).contains(&w) && (140..=198).contains(&h),
            "{w}x{h}"
        );
        assert!(y0 > 35);
    }
}
