//! A laid-out page: positioned glyph runs, filled rectangles and images, in
//! points from the top-left corner of the document's page.

use crate::bitmap::GrayImage;
use cosmic_text::fontdb::ID;
use std::sync::Arc;

/// One page of laid-out content.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Page size in points (the document's page setup).
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Glyphs(GlyphRun),
    /// A filled rectangle (rules, borders, underlines, cell shading).
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        gray: u8,
    },
    Image {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        pixels: Arc<GrayImage>,
    },
}

/// Glyphs of one font, size and ink.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    /// A face of the [`super::Fonts`] the page was laid out with.
    pub font: ID,
    /// Size in points.
    pub size: f32,
    /// 0 = black.
    pub gray: u8,
    pub glyphs: Vec<PlacedGlyph>,
}

/// A glyph with its pen position (x, baseline y) in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedGlyph {
    pub id: u16,
    pub x: f32,
    pub y: f32,
}

impl Item {
    /// The same item moved by (dx, dy).
    pub fn translated(&self, dx: f32, dy: f32) -> Item {
        match self {
            Item::Glyphs(run) => Item::Glyphs(GlyphRun {
                glyphs: run
                    .glyphs
                    .iter()
                    .map(|g| PlacedGlyph {
                        id: g.id,
                        x: g.x + dx,
                        y: g.y + dy,
                    })
                    .collect(),
                ..run.clone()
            }),
            Item::Rect { x, y, w, h, gray } => Item::Rect {
                x: x + dx,
                y: y + dy,
                w: *w,
                h: *h,
                gray: *gray,
            },
            Item::Image { x, y, w, h, pixels } => Item::Image {
                x: x + dx,
                y: y + dy,
                w: *w,
                h: *h,
                pixels: pixels.clone(),
            },
        }
    }

    /// Top edge, for splitting a block's content across pages.
    pub fn top(&self) -> f32 {
        match self {
            Item::Glyphs(run) => run.glyphs.iter().map(|g| g.y).fold(f32::MAX, f32::min) - run.size,
            Item::Rect { y, .. } | Item::Image { y, .. } => *y,
        }
    }
}
