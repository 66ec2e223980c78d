//! The header line every sent page carries (47 CFR 68.318(d): date and time,
//! sender, sending number): a template filled per page and drawn into the
//! band the renderers left white at the top of the page.
//!
//! The text is set in Liberation Mono Bold (fixed width: page numbers do not
//! shift the line; bold: strokes survive 98 lpi) and drawn straight to bits
//! with a threshold, no gray page needed.

mod template;

pub use template::{HeaderFields, HeaderTemplate};

use crate::bitmap::BitImage;
use crate::bitmap::GrayImage;
use crate::doc::{Block, Document, PageSetup, Paragraph, RunStyle};
use crate::geometry::{Resolution, X_DPI};
use crate::layout::{layout, Fonts, Item};
use crate::raster::{draw_frame, PageTransform};

/// Height of the band: about 4.5 mm, what fax machines use for their own
/// header line (HylaFAX overwrites the top ~4 mm).
const BAND_MM_X100: u32 = 450;
/// Header text size in points (cap height ~2 mm: legible at 98 lpi).
const HEADER_SIZE: f32 = 9.0;
/// Left margin of the text, about 3 mm.
const LEFT_MARGIN_PX: u32 = 24;
/// Right margin kept free.
const RIGHT_MARGIN_PX: u32 = 24;
/// Gray below which a pixel of the rendered header becomes black.
const INK_THRESHOLD: u8 = 160;

/// Rows reserved at the top of every page for the header at `res`.
pub fn band_rows(res: Resolution) -> u32 {
    // mm * lpi / 25.4, rounded.
    (BAND_MM_X100 * res.y_dpi() + 1270) / 2540
}

/// Draws `text` into the header band of `page` (which must be white there),
/// cut with an ellipsis when too long for the width. Returns whether it was
/// cut.
pub fn draw_header(page: &mut BitImage, text: &str, res: Resolution, fonts: &Fonts) -> bool {
    let band = band_rows(res).min(page.height);
    if band == 0 || text.is_empty() {
        return false;
    }
    let max_width =
        page.width.saturating_sub(LEFT_MARGIN_PX + RIGHT_MARGIN_PX) as f32 * 72.0 / X_DPI as f32;
    let (line, cut) = fit_text(text, max_width, fonts);
    let band_pt = band as f32 * 72.0 / res.y_dpi() as f32;
    let doc = Document {
        page: PageSetup {
            width: page.width as f32 * 72.0 / X_DPI as f32,
            height: band_pt,
            margin_top: 0.0,
            margin_bottom: 0.0,
            margin_left: LEFT_MARGIN_PX as f32 * 72.0 / X_DPI as f32,
            margin_right: 0.0,
        },
        blocks: vec![Block::Paragraph(Paragraph {
            line_spacing: crate::doc::LineSpacing::Exact(band_pt),
            ..Paragraph::plain(line, header_style())
        })],
        furniture: Default::default(),
    };
    let Ok(laid) = layout(&doc, fonts, 1) else {
        return cut;
    };
    let Some(frame) = laid.frames.first() else {
        return cut;
    };
    let gray = render_strip(frame, res, page.width, band, fonts);
    for y in 0..band {
        let src = gray.row(y);
        for (x, &v) in src.iter().enumerate().take(page.width as usize) {
            if v < INK_THRESHOLD {
                page.set(x as u32, y, true);
            }
        }
    }
    cut
}

fn header_style() -> RunStyle {
    RunStyle::mono(HEADER_SIZE).bold()
}

/// Renders a one-band frame 1:1 into a gray strip `band` rows tall.
fn render_strip(
    frame: &crate::layout::Frame,
    res: Resolution,
    width: u32,
    band: u32,
    fonts: &Fonts,
) -> GrayImage {
    let mut strip = GrayImage::new(width, band, 255);
    let t = PageTransform {
        sx: X_DPI as f32 / 72.0,
        sy: res.y_dpi() as f32 / 72.0,
        ox: 0.0,
        oy: 0.0,
    };
    draw_frame(&mut strip, frame, &t, 0, fonts);
    strip
}

/// The text as it fits in `max_width` points: whole, or cut at a character
/// boundary with "…" appended. Returns whether it was cut.
fn fit_text(text: &str, max_width: f32, fonts: &Fonts) -> (String, bool) {
    if text_width(text, fonts) <= max_width {
        return (text.to_string(), false);
    }
    // Binary search on the number of characters kept.
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…";
        if text_width(&candidate, fonts) <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let kept: String = chars[..lo].iter().collect();
    (kept.trim_end().to_string() + "…", true)
}

/// Width of `text` set on one line in the header style, in points.
fn text_width(text: &str, fonts: &Fonts) -> f32 {
    let doc = Document {
        page: PageSetup {
            width: 100_000.0,
            height: 1000.0,
            ..PageSetup::default().with_margins(0.0)
        },
        blocks: vec![Block::Paragraph(Paragraph::plain(text, header_style()))],
        furniture: Default::default(),
    };
    let Ok(laid) = layout(&doc, fonts, 1) else {
        return f32::MAX;
    };
    let mut right: f32 = 0.0;
    for frame in &laid.frames {
        for item in &frame.items {
            if let Item::Glyphs(run) = item {
                for g in &run.glyphs {
                    // The mono advance is 0.6 em.
                    right = right.max(g.x + run.size * 0.6);
                }
            }
        }
    }
    right
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::FAX_WIDTH;

    #[test]
    fn band_is_about_four_and_a_half_mm() {
        assert_eq!(band_rows(Resolution::Standard), 17);
        assert_eq!(band_rows(Resolution::Fine), 35);
        assert_eq!(band_rows(Resolution::Superfine), 69);
    }

    #[test]
    fn header_is_drawn_inside_the_band_only() {
        let fonts = Fonts::committed();
        for res in Resolution::ALL {
            let mut page = BitImage::new(FAX_WIDTH, 200);
            let cut = draw_header(
                &mut page,
                "2026-11-29 15:40  FROM: 5551234567  PAGE 1/3",
                res,
                &fonts,
            );
            assert!(!cut);
            let band = band_rows(res);
            let ink_in_band: u64 = (0..band)
                .map(|y| (0..FAX_WIDTH).filter(|&x| page.get(x, y)).count() as u64)
                .sum();
            assert!(ink_in_band > 200, "{res}: {ink_in_band}");
            assert_eq!(page.count_black(), ink_in_band, "{res}: ink below the band");
            // Left margin stays white.
            assert!((0..band).all(|y| (0..LEFT_MARGIN_PX - 4).all(|x| !page.get(x, y))));
        }
    }

    #[test]
    fn long_header_is_cut_with_an_ellipsis() {
        let fonts = Fonts::committed();
        let long = "X".repeat(400);
        let (line, cut) = fit_text(&long, 600.0, &fonts);
        assert!(cut);
        assert!(line.ends_with('…'));
        assert!(text_width(&line, &fonts) <= 600.0);
        let mut page = BitImage::new(FAX_WIDTH, 100);
        assert!(draw_header(&mut page, &long, Resolution::Fine, &fonts));
        // Nothing drawn in the right margin.
        assert!((0..band_rows(Resolution::Fine))
            .all(|y| (FAX_WIDTH - 8..FAX_WIDTH).all(|x| !page.get(x, y))));
    }

    #[test]
    fn drawing_is_deterministic() {
        let fonts = Fonts::committed();
        let draw = || {
            let mut page = BitImage::new(FAX_WIDTH, 80);
            draw_header(
                &mut page,
                "2026-11-29 PAGE 2/9",
                Resolution::Standard,
                &fonts,
            );
            page.to_packed()
        };
        assert_eq!(draw(), draw());
    }
}
