//! Opening a document: from its bytes to a list of pages that can render
//! themselves onto the fax grid.
//!
//! Opening is cheap (format sniffing and headers only), so the job knows the
//! page count of every document before anything expensive runs and can refuse
//! an over-limit fax early. Rendering happens page by page, in parallel.

use super::sniff::{sniff, Format};
use super::{fit, image, tiff_doc};
use crate::bilevel::{to_bilevel, BilevelMode};
use crate::bitmap::{BitImage, GrayImage};
use crate::error::{Error, Result};
use crate::geometry::PageGeometry;
use crate::layout::Fonts;
use crate::limits::Limits;
use std::sync::Arc;

/// What opening a document may need besides its bytes: the limits, the page
/// grid (flow documents are laid out at open time, so their page count is
/// known before rendering) and the fonts.
#[derive(Debug, Clone)]
pub struct OpenContext {
    pub limits: Limits,
    /// The page the document will be rendered on, header band included.
    pub geometry: PageGeometry,
    pub fonts: Arc<Fonts>,
    /// Files the document may refer to by relative path (HTML stylesheets
    /// and images): see [`Resources`].
    pub resources: Arc<Resources>,
}

impl OpenContext {
    /// Opening for a page of `geometry` under the default limits, with the
    /// committed fonts and no files beside the document.
    pub fn new(geometry: PageGeometry) -> Self {
        OpenContext {
            limits: Limits::default(),
            geometry,
            fonts: Fonts::committed(),
            resources: Default::default(),
        }
    }
}

/// Files a document may refer to by relative path: the folder of a local
/// file (never above it) and files supplied in the same job, by name.
/// Nothing else is ever read, and nothing is fetched from the network.
#[derive(Debug, Clone, Default)]
pub struct Resources {
    /// The folder of the document when it is a local file (the CLI).
    pub base_dir: Option<std::path::PathBuf>,
    /// Files supplied with the job, by the name they were sent under.
    pub files: std::collections::BTreeMap<String, Arc<[u8]>>,
}

/// A page rendered onto the fax grid, before or after bilevel conversion.
pub enum RenderedPage {
    /// A full gray page (geom.width() x geom.rows()), to be made bilevel.
    Gray(GrayImage),
    /// A page that is already bilevel and on the grid (a fax page passed
    /// through as it is).
    Bits(BitImage),
}

/// One page of an input document.
pub trait PageSource: Send + Sync {
    /// Renders the page at `geom`. Errors name the fault; the caller adds the
    /// file name and page number.
    fn render(&self, geom: &PageGeometry, limits: &Limits) -> Result<RenderedPage>;

    /// Renders the page and makes it bilevel in `mode`. A source that can
    /// convert where the pixels are overrides this (the PDF workers, which
    /// then send an eighth of the bytes back); the bits are the same.
    fn render_bilevel(
        &self,
        geom: &PageGeometry,
        limits: &Limits,
        mode: BilevelMode,
    ) -> Result<BitImage> {
        Ok(match self.render(geom, limits)? {
            RenderedPage::Gray(gray) => to_bilevel(&gray, mode, geom.resolution),
            RenderedPage::Bits(bits) => bits,
        })
    }
}

/// An opened document: its format and its pages.
pub struct OpenedDocument {
    pub format: Format,
    pub pages: Vec<Box<dyn PageSource>>,
    /// Soft problems found while opening.
    pub warnings: Vec<String>,
}

/// A single-image document (JPEG, PNG, GIF, BMP, WebP): decoded at render time.
struct ImagePage {
    bytes: Arc<[u8]>,
}

impl PageSource for ImagePage {
    fn render(&self, geom: &PageGeometry, limits: &Limits) -> Result<RenderedPage> {
        let decoded = image::decode_image_with_dpi(&self.bytes, limits)?;
        Ok(RenderedPage::Gray(fit::fit_to_page(
            &decoded.image,
            decoded.dpi,
            geom,
        )))
    }
}

/// Opens a document, sniffing its format from the content.
pub fn open(bytes: Arc<[u8]>, ctx: &OpenContext) -> Result<OpenedDocument> {
    let limits = &ctx.limits;
    if bytes.is_empty() {
        return Err(Error::bad_input("the file is empty (0 bytes)"));
    }
    let format = sniff(&bytes).ok_or_else(|| {
        Error::unsupported(
            "the file's format is not recognised (supported here: PDF, Word (DOCX and 97-2003), JPEG, PNG, GIF, BMP, WebP, TIFF, SVG, HTML, plain text, OpenDocument text, Excel and OpenDocument spreadsheets)",
        )
    })?;
    match format {
        Format::Jpeg | Format::Png | Format::Gif | Format::Bmp | Format::Webp => {
            Ok(OpenedDocument {
                format,
                pages: vec![Box::new(ImagePage { bytes })],
                warnings: Vec::new(),
            })
        }
        Format::Tiff => {
            let pages = tiff_doc::open(bytes, limits)?;
            Ok(OpenedDocument {
                format,
                pages,
                warnings: Vec::new(),
            })
        }
        Format::Text => super::text::open(&bytes, ctx),
        Format::Html => super::html::open(&bytes, ctx),
        Format::Pdf => super::pdf::open(bytes, ctx),
        Format::Ole => super::office::open(&bytes, ctx),
        Format::Odt => super::odt::open(&bytes, ctx),
        Format::Svg => super::svg::open(&bytes, ctx),
        Format::Docx => super::docx::open(&bytes, ctx),
        Format::Xlsx | Format::Ods => {
            let mut opened = super::sheet::open(&bytes, ctx)?;
            opened.format = format;
            Ok(opened)
        }
    }
}
