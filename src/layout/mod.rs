//! Our typesetter: fonts, shaping, line breaking, tables and pagination,
//! from a [`crate::doc::Document`] to positioned page frames.
//!
//! Two phases: every block is first set into lines at its width
//! ([`paragraph`], [`table`]); [`paginate`] then stacks them on pages with
//! widow/orphan control, keep-with-next and repeated table headers. The
//! result, a list of [`Frame`]s in points, is cheap to compute (no pixels),
//! so a document's page count is known before anything is rasterized.

pub mod fonts;
pub mod frame;
mod paginate;
mod paragraph;
mod table;

pub use fonts::{Fonts, MissingGlyphs};
pub use frame::{Frame, GlyphRun, Item, PlacedGlyph};

use crate::doc::Document;
use crate::error::{Error, Result};

/// A laid-out document.
#[derive(Debug, Clone)]
pub struct Layout {
    pub frames: Vec<Frame>,
    /// Characters no font could show (reported as a warning).
    pub missing: MissingGlyphs,
}

impl Layout {
    /// The warnings to report beside the pages.
    pub fn warnings(&self) -> Vec<String> {
        self.missing.warning().into_iter().collect()
    }
}

/// Lays `doc` out into pages. `max_pages` bounds the work on hostile input:
/// layout stops with a limit error naming the count once it is passed.
pub fn layout(doc: &Document, fonts: &Fonts, max_pages: usize) -> Result<Layout> {
    let mut missing = MissingGlyphs::default();
    let content_width = doc.page.content_width();
    let blocks = fonts.with_font_system(|fs| {
        let mut setter = paragraph::Setter::new(fs, fonts, &mut missing);
        doc.blocks
            .iter()
            .map(|b| setter.set_block(b, content_width))
            .collect::<Vec<_>>()
    });
    let frames = paginate::paginate(&blocks, &doc.page, max_pages)?;
    Ok(Layout { frames, missing })
}

pub(crate) fn too_many_pages(max_pages: usize) -> Error {
    Error::limit(format!(
        "the document lays out to more than {max_pages} pages"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::*;

    fn fonts() -> std::sync::Arc<Fonts> {
        Fonts::committed()
    }

    fn glyph_xs(frame: &Frame) -> Vec<(f32, f32)> {
        let mut out = Vec::new();
        for item in &frame.items {
            if let Item::Glyphs(run) = item {
                out.extend(run.glyphs.iter().map(|g| (g.y, g.x)));
            }
        }
        out
    }

    #[test]
    fn paragraph_wraps_within_the_content_width() {
        let mut doc = Document::new(PageSetup::letter());
        doc.blocks.push(Block::Paragraph(Paragraph::plain(
            "lorem ipsum ".repeat(60),
            RunStyle::serif(11.0),
        )));
        let laid = layout(&doc, &fonts(), 10).unwrap();
        assert_eq!(laid.frames.len(), 1);
        let glyphs = glyph_xs(&laid.frames[0]);
        let mut lines: Vec<f32> = glyphs.iter().map(|g| g.0).collect();
        lines.dedup();
        assert!(lines.len() >= 8, "{}", lines.len());
        assert!(glyphs.iter().all(|g| g.1 >= 72.0 - 0.01 && g.1 <= 540.0));
    }

    #[test]
    fn page_breaks_keep_with_next_and_widows() {
        let mut doc = Document::new(PageSetup::letter());
        doc.blocks.push(Block::Paragraph(Paragraph::plain(
            "one",
            RunStyle::serif(11.0),
        )));
        doc.blocks.push(Block::PageBreak);
        doc.blocks.push(Block::Paragraph(Paragraph::plain(
            "two",
            RunStyle::serif(11.0),
        )));
        assert_eq!(layout(&doc, &fonts(), 10).unwrap().frames.len(), 2);

        // 3-line paragraph where only 2 fit: moved whole rather than leaving
        // a widow or an orphan.
        let mut doc = Document::new(PageSetup::letter());
        let line = |t: &str| {
            Block::Paragraph(Paragraph {
                line_spacing: LineSpacing::Exact(20.0),
                ..Paragraph::plain(t, RunStyle::serif(11.0))
            })
        };
        for _ in 0..30 {
            doc.blocks.push(line("filler")); // 600 of 648 pt
        }
        doc.blocks.push(Block::Paragraph(Paragraph {
            line_spacing: LineSpacing::Exact(20.0),
            // Narrow enough that each word is a line.
            indent_right: 430.0,
            ..Paragraph::plain("aaaa bbbb cccc", RunStyle::serif(11.0))
        }));
        let laid = layout(&doc, &fonts(), 10).unwrap();
        assert_eq!(laid.frames.len(), 2);
        assert_eq!(glyph_xs(&laid.frames[1]).len(), 12);
        // A heading at the bottom goes with its paragraph.
        let mut doc = Document::new(PageSetup::letter());
        for _ in 0..31 {
            doc.blocks.push(line("filler"));
        }
        doc.blocks.push(Block::Heading {
            level: 2,
            paragraph: Paragraph::plain("Heading", RunStyle::sans(14.0).bold()),
        });
        doc.blocks.push(line("body"));
        let laid = layout(&doc, &fonts(), 10).unwrap();
        assert_eq!(laid.frames.len(), 2);
        assert_eq!(
            glyph_xs(&laid.frames[1]).len(),
            "Heading".len() + "body".len()
        );
    }

    #[test]
    fn hebrew_runs_right_to_left() {
        let mut doc = Document::new(PageSetup::letter());
        doc.blocks.push(Block::Paragraph(Paragraph::plain(
            "שלום",
            RunStyle::sans(12.0),
        )));
        let laid = layout(&doc, &fonts(), 10).unwrap();
        assert!(laid.missing.count() == 0);
        let Item::Glyphs(run) = &laid.frames[0].items[0] else {
            panic!()
        };
        // Glyphs come in logical order, each left of the one before: the
        // first letter is the rightmost.
        let xs: Vec<f32> = run.glyphs.iter().map(|g| g.x).collect();
        assert!(xs.windows(2).all(|w| w[0] > w[1]), "{xs:?}");
        // Right-to-left paragraphs start at the right margin.
        assert!(xs[0] > 400.0, "{xs:?}");
    }

    #[test]
    fn arabic_falls_back_to_an_arabic_font() {
        let mut doc = Document::new(PageSetup::letter());
        doc.blocks.push(Block::Paragraph(Paragraph::plain(
            "مرحبا",
            RunStyle::new("Arial", 12.0),
        )));
        let laid = layout(&doc, &fonts(), 10).unwrap();
        assert_eq!(laid.missing.count(), 0);
        let Item::Glyphs(run) = &laid.frames[0].items[0] else {
            panic!()
        };
        let family = fonts().database().face(run.font).unwrap().families[0]
            .0
            .clone();
        assert!(family.contains("Arabic"), "{family}");
    }

    #[test]
    fn table_header_repeats_on_every_page() {
        let mut doc = Document::new(PageSetup::letter());
        let row = |a: &str| TableRow {
            cells: vec![
                TableCell::text(a, RunStyle::sans(10.0)),
                TableCell::text("x", RunStyle::sans(10.0)),
            ],
            cant_split: false,
        };
        let mut rows = vec![row("HEAD")];
        rows.extend((0..120).map(|i| row(&format!("r{i}"))));
        doc.blocks.push(Block::Table(Table {
            columns: vec![300.0, 300.0],
            rows,
            header_rows: 1,
            cell_padding: 2.0,
        }));
        let laid = layout(&doc, &fonts(), 20).unwrap();
        assert!(laid.frames.len() >= 2);
        for frame in &laid.frames {
            let ys: Vec<(f32, f32)> = glyph_xs(frame);
            let top = ys.iter().map(|g| g.0).fold(f32::MAX, f32::min);
            // "HEAD" is the top line of every page: 4 glyphs there.
            assert_eq!(ys.iter().filter(|g| g.0 == top).count(), 4 + 1);
        }
    }

    #[test]
    fn too_many_pages_is_a_limit_error() {
        let mut doc = Document::new(PageSetup::letter());
        for _ in 0..5 {
            doc.blocks.push(Block::PageBreak);
        }
        let e = layout(&doc, &fonts(), 3).unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::LimitExceeded);
    }

    #[test]
    fn layout_is_deterministic() {
        let mut doc = Document::new(PageSetup::a4());
        doc.blocks.push(Block::Paragraph(Paragraph::plain(
            "Mixed Ελληνικά Русский עברית العربية",
            RunStyle::serif(12.0),
        )));
        let a = layout(&doc, &fonts(), 10).unwrap();
        let b = layout(&doc, &fonts(), 10).unwrap();
        assert_eq!(a.frames, b.frames);
        assert_eq!(a.missing.count(), 0);
    }
}
