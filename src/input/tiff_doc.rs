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
use crate::bitmap::BitImage;
use crate::error::{Error, Result};
use crate::geometry::{PageGeometry, Resolution, FAX_WIDTH};
use crate::limits::Limits;
use crate::tiff::{read_tiff, TiffPage};
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
        if img.width == FAX_WIDTH && same_resolution {
            if let Some(page) = place_below_header(&img, geom) {
                return Ok(RenderedPage::Bits(page));
            }
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

/// Puts a fax page on the grid unchanged, keeping the header band white:
/// shifted down by the band when it fits, as it is when its own top rows
/// are already white there. `None` when neither works (the page is then
/// rescaled like a picture, rather than have content drawn over).
fn place_below_header(img: &BitImage, geom: &PageGeometry) -> Option<BitImage> {
    let (band, rows) = (geom.header_rows, geom.rows());
    if img.height + band <= rows {
        let mut out = BitImage::new(img.width, rows);
        let start = band as usize * out.stride;
        out.data[start..start + img.data.len()].copy_from_slice(&img.data);
        return Some(out);
    }
    let band_is_white = (0..band.min(img.height)).all(|y| img.row(y).iter().all(|&b| b == 0));
    (img.height <= rows && band_is_white).then(|| pad_to_rows(img.clone(), rows))
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
        let gray = super::tiff_raster::decode_page_gray(&self.bytes, self.index, limits)?;
        Ok(RenderedPage::Gray(fit::fit_to_page(&gray, self.dpi, geom)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{Paper, Resolution};
    use ::tiff::encoder::{colortype, TiffEncoder};

    /// A two-page TIFF: a white gray page with a black square, then a dark
    /// RGB page.
    fn two_page_tiff() -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut enc = TiffEncoder::new(&mut out).unwrap();
        let mut gray = vec![255u8; 100 * 80];
        for y in 20..40 {
            gray[y * 100 + 20..y * 100 + 40].fill(0);
        }
        enc.write_image::<colortype::Gray8>(100, 80, &gray).unwrap();
        let rgb = vec![30u8; 60 * 90 * 3];
        enc.write_image::<colortype::RGB8>(60, 90, &rgb).unwrap();
        out.into_inner()
    }

    fn dark_pixels(page: &RenderedPage) -> usize {
        match page {
            RenderedPage::Gray(g) => g.data.iter().filter(|&&v| v < 128).count(),
            RenderedPage::Bits(_) => panic!("a picture page is not passed through"),
        }
    }

    #[test]
    fn every_page_of_a_multi_page_picture_tiff_renders() {
        let bytes: Arc<[u8]> = two_page_tiff().into();
        let limits = Limits::default();
        let pages = open(bytes, &limits).unwrap();
        assert_eq!(pages.len(), 2);
        let geom = PageGeometry::new(Resolution::Fine, Paper::Letter);
        let first = pages[0].render(&geom, &limits).unwrap();
        let second = pages[1].render(&geom, &limits).unwrap();
        // page 1: a small black square (a quarter of the fitted 2x picture is
        // the square's 1/20); page 2: a dark picture filling its area
        let (d1, d2) = (dark_pixels(&first), dark_pixels(&second));
        assert!(d1 > 0 && d2 > 4 * d1, "{d1} {d2}");
    }

    #[test]
    fn a_damaged_directory_chain_is_refused() {
        let mut bytes = two_page_tiff();
        // cut the file inside the second page's data: its directory is lost
        bytes.truncate(100 * 80 + 200);
        let err = open(bytes.into(), &Limits::default()).err().unwrap();
        assert!(err.to_string().contains("damaged"), "{err}");
    }
}
