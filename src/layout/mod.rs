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
