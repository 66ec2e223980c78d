//! TIFF documents on the send path.
//!
//! A bilevel (fax-coded) page is decoded with our codec; when it already has
//! the outgoing page's width and resolution it is passed through bit for bit
//! (no resampling blur on a fax that is being re-sent), otherwise it is
//! fitted like a picture. Gray and colour pages (scans, screenshots) are
//! decoded with the `tiff` crate and fitted like any picture. Corrupt fax data
//! is an error: we do not send a page with damaged rows on someone's behalf.

use super::fit::{self, SourceDpi};
use super::source::{PageSource, RenderedPage};
use crate::bitmap::{BitImage, GrayImage};
use crate::error::{Error, Result};
use crate::geometry::{PageGeometry, Resolution, FAX_WIDTH};
use crate::limits::Limits;
use crate::tiff::{read_tiff, TiffPage};
use std::io::Cursor;
use std::sync::Arc;

struct BilevelTiffPage {
    page: TiffPage,
}

struct PictureTiffPage {
    bytes: Arc<[u8]>,
    index: usize,
    dpi: Option<SourceDpi>,
}

/// Parses the IFD chain and returns one page source per page.
pub fn open(bytes: Arc<[u8]>, limits: &Limits) -> Result<Vec<Box<dyn PageSource>>> {
    let file = read_tiff(&bytes, limits)?;
    if file.pages.is_empty() {
        return Err(Error::bad_input("the TIFF file has no readable page"));
    }
    // A damaged directory chain means pages were lost: sending the rest on the
    // user's behalf would silently drop part of what they sent.
    if let Some(w) = file.warnings.first() {
        return Err(Error::bad_input(format!("the TIFF file is damaged: {w}")));
    }
    let mut pages: Vec<Box<dyn PageSource>> = Vec::with_capacity(file.pages.len());
    for page in file.pages {
        if page.is_bilevel() {
            pages.push(Box::new(BilevelTiffPage { page }));
        } else {
            let dpi = match (page.x_dpi, page.y_dpi) {
                (Some(x), Some(y)) if x > 0.0 && y > 0.0 => Some(SourceDpi { x, y }),
                _ => None,
            };
            pages.push(Box::new(PictureTiffPage {
                bytes: bytes.clone(),
                index: page.index,
                dpi,
            }));
        }
    }
    Ok(pages)
}

impl PageSource for BilevelTiffPage {
    fn render(&self, geom: &PageGeometry, limits: &Limits) -> Result<RenderedPage> {
        let p = &self.page;
        let decoded = p.decode(limits)?;
        if !decoded.is_clean() {
            let what = decoded
                .error
                .clone()
                .unwrap_or_else(|| "the data ends early".to_string());
            return Err(Error::bad_input(format!(
                "the fax data is damaged from row {} of {} ({what})",
                decoded.first_bad_row.unwrap_or(decoded.image.height),
                p.rows
            )));
        }
        let img = decoded.image;
        let same_resolution = p
            .y_dpi
            .and_then(Resolution::from_y_dpi)
            .is_some_and(|r| r == geom.resolution)
            && p.x_dpi.is_some_and(|x| (x - 204.0).abs() <= 204.0 * 0.05);
        if img.width == FAX_WIDTH && same_resolution && img.height <= geom.rows() {
            return Ok(RenderedPage::Bits(pad_to_rows(img, geom.rows())));
        }
        let dpi = match (p.x_dpi, p.y_dpi) {
            (Some(x), Some(y)) if x > 0.0 && y > 0.0 => Some(SourceDpi { x, y }),
            _ => None,
        };
        Ok(RenderedPage::Gray(fit::fit_to_page(
            &img.to_gray(),
            dpi,
            geom,
        )))
    }
}

/// Extends a page with white rows to the full page length.
fn pad_to_rows(img: BitImage, rows: u32) -> BitImage {
    if img.height >= rows {
        return img;
    }
    let mut out = BitImage::new(img.width, rows);
    out.data[..img.data.len()].copy_from_slice(&img.data);
    out
}

impl PageSource for PictureTiffPage {
    fn render(&self, geom: &PageGeometry, limits: &Limits) -> Result<RenderedPage> {
        if self.index == 0 {
            // The image reader handles the first page best (palette, 2/4-bit
            // gray, orientation); it cannot seek to later pages.
            let decoded = super::image::decode_image_with_dpi(&self.bytes, limits)?;
            return Ok(RenderedPage::Gray(fit::fit_to_page(
                &decoded.image,
                decoded.dpi,
                geom,
            )));
        }
        let gray = decode_picture_page(&self.bytes, self.index, limits)?;
        Ok(RenderedPage::Gray(fit::fit_to_page(&gray, self.dpi, geom)))
    }
}

fn tiff_err(e: ::tiff::TiffError) -> Error {
    match e {
        ::tiff::TiffError::LimitsExceeded => {
            Error::limit("the TIFF page is larger than the decoding limit")
        }
        ::tiff::TiffError::UnsupportedError(u) => Error::unsupported(format!(
            "this TIFF page uses a feature we cannot read ({u})"
        )),
        other => Error::bad_input(format!("the TIFF page cannot be decoded ({other})")),
    }
}

/// Decodes a gray or colour page with the `tiff` crate, to 8-bit gray.
fn decode_picture_page(bytes: &[u8], index: usize, limits: &Limits) -> Result<GrayImage> {
    use ::tiff::decoder::{Decoder, DecodingResult};
    use ::tiff::ColorType;
    let mut tl = ::tiff::decoder::Limits::default();
    tl.decoding_buffer_size = limits.max_decoded_bytes as usize;
    tl.intermediate_buffer_size = limits.max_decoded_bytes as usize;
    let mut dec = Decoder::new(Cursor::new(bytes))
        .map_err(tiff_err)?
        .with_limits(tl);
    dec.seek_to_image(index).map_err(tiff_err)?;
    let (w, h) = dec.dimensions().map_err(tiff_err)?;
    let color = dec.colortype().map_err(tiff_err)?;
    let (channels, depth) = match color {
        ColorType::Gray(d) => (1usize, d),
        ColorType::GrayA(d) => (2, d),
        ColorType::RGB(d) => (3, d),
        ColorType::RGBA(d) => (4, d),
        ColorType::CMYK(d) => (4, d),
        other => {
            return Err(Error::unsupported(format!(
                "TIFF pages with colour type {other:?} are not supported"
            )))
        }
    };
    limits.check_image(w, h, channels as u64 * depth.div_ceil(8) as u64)?;
    let samples: Vec<u16> = match dec.read_image().map_err(tiff_err)? {
        DecodingResult::U8(v) if depth == 8 => v.into_iter().map(|s| s as u16 * 257).collect(),
        DecodingResult::U16(v) => v,
        _ => {
            return Err(Error::unsupported(format!(
                "TIFF pages with {depth}-bit samples are not supported"
            )))
        }
    };
    let n = w as usize * h as usize;
    if samples.len() < n * channels {
        return Err(Error::bad_input(
            "the TIFF page has fewer pixels than it declares",
        ));
    }
    // The tiff crate returns gray as min-is-black (it inverts WhiteIsZero).
    let mut out = Vec::with_capacity(n);
    for px in samples.chunks_exact(channels).take(n) {
        let v8 = |s: u16| (s >> 8) as u32;
        let luma = match color {
            ColorType::Gray(_) | ColorType::GrayA(_) => v8(px[0]),
            ColorType::CMYK(_) => {
                let k = 255 - v8(px[3]);
                let r = (255 - v8(px[0])) * k / 255;
                let g = (255 - v8(px[1])) * k / 255;
                let b = (255 - v8(px[2])) * k / 255;
                (77 * r + 150 * g + 29 * b + 128) >> 8
            }
            _ => (77 * v8(px[0]) + 150 * v8(px[1]) + 29 * v8(px[2]) + 128) >> 8,
        };
        // Composite alpha on white paper.
        let luma = match color {
            ColorType::GrayA(_) => blend_on_white(luma, v8(px[1])),
            ColorType::RGBA(_) => blend_on_white(luma, v8(px[3])),
            _ => luma,
        };
        out.push(luma as u8);
    }
    Ok(GrayImage::from_raw(w, h, out))
}

fn blend_on_white(v: u32, alpha: u32) -> u32 {
    (v * alpha + 255 * (255 - alpha) + 127) / 255
}
