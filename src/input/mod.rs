//! Input documents: format sniffing and one reader per format.
//!
//! - [`sniff`]: what a file is, by content only;
//! - [`image`]: raster images decoded to upright gray (with [`dpi`] for the
//!   resolution a file declares and `jpeg_info` to vet JPEGs first);
//! - [`fit`]: a picture placed on a fax page;
//! - [`source`]: a document opened into pages that render themselves;
//! - [`tiff_doc`]: TIFF documents (fax pages passed through, others fitted);
//! - [`pdf`]: PDF documents (PDFium in worker processes, hayro fallback);
//! - [`odt`]: OpenDocument text (.odt, .ott, flat .fodt) on our typesetter.

pub mod cover;
pub mod docx;
pub mod dpi;
pub mod fit;
mod gray;
pub mod html;
pub mod image;
mod jpeg_arith;
mod jpeg_info;
pub mod odt;
pub mod office;
pub mod package;
pub mod pdf;
pub mod sheet;
pub mod sheet_grid;
pub mod sheet_ods;
pub mod sniff;
pub mod source;
pub mod svg;
pub mod text;
pub mod tiff_doc;
mod tiff_raster;
mod xml_tree;
mod zip_sniff;

pub use dpi::image_dpi;
pub use fit::{fit_to_page, fit_to_page_below, plan_fit, Placement, SourceDpi};
pub use image::{decode_image, decode_image_with_dpi, DecodedImage};
pub use sniff::{sniff, Format};
pub use source::{open, OpenContext, OpenedDocument, PageSource, RenderedPage, Resources};
