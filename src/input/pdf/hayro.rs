//! The fallback renderer: `hayro`, pure Rust, in-process.
//!
//! Used when PDFium is not available (library missing, worker cannot start)
//! or cannot open a file that hayro can. It renders the same placement as
//! the PDFium path (fitted, turned counter-clockwise when larger) straight
//! at the anisotropic fax scale through one affine transform. A panic inside
//! hayro is caught and becomes an error for that page.

use super::fit_placement;
use crate::bitmap::GrayImage;
use crate::error::{Error, Result};
use crate::geometry::PageGeometry;
use hayro::hayro_interpret::util::TransformExt;
use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::{LoadPdfError, Pdf};
use hayro::kurbo::Affine;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::vello_cpu::{Pixmap, RasterizerSettings, RenderContext, Resources, TargetInit};
use hayro::{RenderCache, RenderSettings};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

/// The document's bytes shared with hayro without a copy.
struct Shared(Arc<[u8]>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

fn parse(bytes: &Arc<[u8]>) -> Result<Pdf> {
    let parsed = catch_unwind(AssertUnwindSafe(|| {
        Pdf::new(Arc::new(Shared(bytes.clone())))
    }));
    match parsed {
        Ok(Ok(pdf)) => Ok(pdf),
        Ok(Err(LoadPdfError::Decryption(_))) => Err(super::password_error()),
        Ok(Err(LoadPdfError::Invalid)) | Err(_) => Err(super::damaged_error()),
    }
}

/// Opens the document with hayro: its page count.
pub fn page_count(bytes: &Arc<[u8]>) -> Result<u32> {
    let pdf = parse(bytes)?;
    Ok(pdf.pages().len() as u32)
}

/// Renders page `index` onto a full page of `geom`.
pub fn render_page(bytes: &Arc<[u8]>, index: u32, geom: &PageGeometry) -> Result<GrayImage> {
    let pdf = parse(bytes)?;
    let rendered = catch_unwind(AssertUnwindSafe(|| render_parsed(&pdf, index, geom)));
    rendered.unwrap_or_else(|_| {
        Err(Error::bad_input(
            "the fallback PDF renderer (hayro) failed on this page",
        ))
    })
}

fn render_parsed(pdf: &Pdf, index: u32, geom: &PageGeometry) -> Result<GrayImage> {
    let page = pdf
        .pages()
        .get(index as usize)
        .ok_or_else(|| Error::bad_input(format!("the PDF has no page {}", index + 1)))?;
    let (w_pt, h_pt) = page.render_dimensions();
    let (w_pt, h_pt) = (w_pt as f64, h_pt as f64);
    let p = fit_placement(w_pt, h_pt, geom)?;
    let (px, py, pw, ph) = (p.x as f64, p.y as f64, p.width as f64, p.height as f64);
    // page space (points, y down, crop box and /Rotate applied) to fax pixels
    let place = if p.rotated {
        // counter-clockwise: the page's top edge to the left, its left edge down
        Affine::new([0.0, -ph / w_pt, pw / h_pt, 0.0, px, py + ph])
    } else {
        Affine::new([pw / w_pt, 0.0, 0.0, ph / h_pt, px, py])
    };
    let transform = place * page.initial_transform(true).to_kurbo();

    let (width, rows) = (geom.width(), geom.rows());
    let mut ctx = RenderContext::new(width as u16, rows as u16);
    let cache = RenderCache::new();
    hayro::render_into(
        page,
        &cache,
        &InterpreterSettings::default(),
        &RenderSettings::default(),
        &mut ctx,
        transform,
    );
    ctx.flush();
    let mut pixmap = Pixmap::new(width as u16, rows as u16);
    ctx.render_with(
        &mut pixmap,
        &mut Resources::default(),
        RasterizerSettings {
            target_init: TargetInit::Clear(WHITE),
            ..Default::default()
        },
    );
    let mut gray = GrayImage::new(width, rows, 255);
    let rgba = pixmap.data_as_u8_slice();
    let inside_x = p.x..p.x + p.width;
    for y in p.y..p.y + p.height {
        // only the placement: hayro does not clip to the crop box when the
        // box fits the target, and nothing may reach the margins or the band
        let row = gray.row_mut(y);
        for x in inside_x.clone() {
            let i = (y as usize * width as usize + x as usize) * 4;
            let (r, g, b) = (rgba[i] as u32, rgba[i + 1] as u32, rgba[i + 2] as u32);
            // opaque on a white background; integer luma (BT.601)
            row[x as usize] = ((r * 77 + g * 150 + b * 29 + 128) >> 8) as u8;
        }
    }
    Ok(gray)
}
