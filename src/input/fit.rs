//! Fitting a picture onto a fax page: keep its aspect (fax pixels are not
//! square), rotate a landscape picture to portrait when that makes it
//! larger, centre it, never enlarge more than 2x.

use crate::bitmap::GrayImage;
use crate::geometry::PageGeometry;

/// Physical size of a source picture's pixels, dots per inch. `None` when
/// the file does not say (then the picture is simply fitted to the page).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SourceDpi {
    pub x: f64,
    pub y: f64,
}

/// Places `img` on a white page of `geom`, scaled and centred.
pub fn fit_to_page(img: &GrayImage, dpi: Option<SourceDpi>, geom: &PageGeometry) -> GrayImage {
    let _ = (img, dpi, geom);
    unimplemented!("input helper")
}
