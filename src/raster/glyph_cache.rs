//! Glyph coverage masks on the anisotropic fax grid, rendered once by swash
//! (outline scaled to the x pixel size, then stretched vertically by
//! y dpi / x dpi) and kept per thread, keyed by everything that changes the
//! pixels: font set, face, glyph, size, vertical stretch and the quantised
//! subpixel x offset.

use crate::layout::Fonts;
use cosmic_text::fontdb::ID;
use std::collections::HashMap;
use std::sync::Arc;
use swash::scale::{Render, ScaleContext, Source};
use swash::zeno::{Format, Transform, Vector};

/// Subpixel x positions per pixel (a glyph starts at one of 4 phases).
pub const SUBPIXEL_STEPS: u32 = 4;
/// Entries kept per thread before the cache starts over (bounded memory:
/// a big CJK document at several sizes cannot grow it without end).
const MAX_ENTRIES: usize = 8192;

/// A rendered glyph: 8-bit coverage, placed relative to the pen position
/// (left = x offset of column 0, top = rows above the baseline of row 0).
#[derive(Debug)]
pub struct GlyphMask {
    pub left: i32,
    pub top: i32,
    pub width: u32,
    pub height: u32,
    pub coverage: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    fonts: u64,
    font: ID,
    glyph: u16,
    /// x pixels per em and the y stretch, as f32 bits (exact, no rounding
    /// surprises: the same page always asks for the same values).
    px: u32,
    stretch: u32,
    subpixel: u32,
}

struct Cache {
    context: ScaleContext,
    masks: HashMap<Key, Arc<GlyphMask>>,
}

thread_local! {
    static CACHE: std::cell::RefCell<Cache> = std::cell::RefCell::new(Cache {
        context: ScaleContext::new(),
        masks: HashMap::new(),
    });
}

/// The mask of `glyph` of face `font` at `px` pixels per em horizontally,
/// stretched by `stretch` vertically, at subpixel phase `subpixel`
/// (0..SUBPIXEL_STEPS). `None` for a glyph with no outline (a space).
pub fn glyph_mask(
    fonts: &Fonts,
    font: ID,
    glyph: u16,
    px: f32,
    stretch: f32,
    subpixel: u32,
) -> Option<Arc<GlyphMask>> {
    let key = Key {
        fonts: fonts.serial(),
        font,
        glyph,
        px: px.to_bits(),
        stretch: stretch.to_bits(),
        subpixel,
    };
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(mask) = cache.masks.get(&key) {
            return Some(mask.clone());
        }
        let face = fonts.face(font)?;
        let mut scaler = cache
            .context
            .builder(face.as_swash())
            .size(px)
            .hint(false)
            .build();
        let image = Render::new(&[Source::Outline])
            .format(Format::Alpha)
            .offset(Vector::new(subpixel as f32 / SUBPIXEL_STEPS as f32, 0.0))
            .transform(Some(Transform::scale(1.0, stretch)))
            .render(&mut scaler, glyph)?;
        let p = image.placement;
        if p.width == 0 || p.height == 0 {
            return None;
        }
        let mask = Arc::new(GlyphMask {
            left: p.left,
            top: p.top,
            width: p.width,
            height: p.height,
            coverage: image.data,
        });
        if cache.masks.len() >= MAX_ENTRIES {
            cache.masks.clear();
        }
        cache.masks.insert(key, mask.clone());
        Some(mask)
    })
}
