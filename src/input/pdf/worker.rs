//! The worker-process side: one PDFium, one document at a time, requests on
//! stdin, replies on stdout (see [`super::protocol`]).
//!
//! PDFium is not thread-safe and a hostile file can crash or exhaust it, so
//! it runs only here, in a child process the parent can kill and replace.
//! The worker keeps the last document loaded: the parent sends a document's
//! bytes once per worker and then asks for pages by index.

use super::backdrop;
use super::protocol::*;
use crate::bilevel::to_bilevel;
use crate::bitmap::GrayImage;
use crate::geometry::PageGeometry;
use pdfium_render::prelude::*;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::Path;

/// Runs the worker loop until stdin closes. Returns the process exit status.
pub fn serve(library: &Path) -> i32 {
    keep_freed_memory();
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut input = BufReader::new(stdin.lock());
    let mut output = BufWriter::new(stdout.lock());
    let pdfium = Pdfium::bind_to_library(library).map(Pdfium::new);
    let hello = write_hello(&mut output, pdfium.as_ref().err());
    let Ok(pdfium) = pdfium else {
        return 1;
    };
    if hello.is_err() {
        return 1;
    }
    // One rayon thread, this one: the pool runs a worker per core, so the
    // bilevel step's rayon loops would only add threads per worker that
    // compete with the other workers and cost a hand-off and a wake-up per
    // loop. With the current thread as the global pool's only thread, rayon
    // runs them inline. (Fails only if a pool exists already: then as is.)
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .use_current_thread()
        .build_global();
    let served = serve_requests(&pdfium, &mut input, &mut output);
    match served {
        Ok(()) => 0,
        // the parent went away or sent garbage: nothing left to do
        Err(_) => 1,
    }
}

/// Tells glibc's allocator to keep memory the worker frees for its next
/// page instead of giving it back to the kernel. PDFium allocates its
/// large buffers (a page-sized BGRA backdrop for transparency: 15 MB at
/// fine resolution) afresh for every page, and by default glibc maps each
/// one and unmaps it on free, so every page paid thousands of page faults
/// and the kernel's zeroing of them (measured on a 10-page PDF with
/// transparency: 29 000 page faults, 17 000 with this; CPU -9 %). Memory
/// stays at the worker's high-water mark, which the address-space limit
/// bounds; [`release_freed_memory`] hands it back between documents.
fn keep_freed_memory() {
    // SAFETY: mallopt only changes allocator parameters; it is called
    // before this process allocates from another thread.
    unsafe {
        // 32 MB is the largest threshold glibc accepts on 64-bit
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, i32::MAX);
    }
}

/// Gives the memory kept by [`keep_freed_memory`] back to the kernel: a
/// long-lived worker (the HTTP service) should not hold a large
/// document's pages while it waits for the next one.
fn release_freed_memory() {
    // SAFETY: malloc_trim only returns free heap memory to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn write_hello(out: &mut impl Write, bind_error: Option<&PdfiumError>) -> io::Result<()> {
    out.write_all(HELLO_MAGIC)?;
    write_u32(out, PROTOCOL_VERSION)?;
    write_str(out, env!("CARGO_PKG_VERSION"))?;
    match bind_error {
        None => write_u8(out, STATUS_OK)?,
        Some(e) => {
            write_u8(out, STATUS_ERR)?;
            write_str(out, &format!("{e:?}"))?;
        }
    }
    out.flush()
}

fn serve_requests(pdfium: &Pdfium, input: &mut impl Read, out: &mut impl Write) -> io::Result<()> {
    // the loaded document and its id; replaced on the next load
    let mut current: Option<(u64, PdfDocument<'_>)> = None;
    // one page buffer for the worker's life: a fresh 3.7 MB buffer per page
    // cost ~900 page faults and a second clear every time (measured: the
    // kernel's share of a 352-page book fell by half)
    let mut page_buffer: Vec<u8> = Vec::new();
    loop {
        let tag = match read_u8(input) {
            Ok(t) => t,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(()),
            Err(e) => return Err(e),
        };
        match tag {
            REQ_LOAD => {
                let id = read_u64(input)?;
                let len = read_u64(input)?;
                if len > MAX_DOCUMENT_BYTES {
                    return Err(invalid("document larger than the protocol allows"));
                }
                let bytes = read_bytes(input, len)?;
                current = None; // free the previous document first
                release_freed_memory();
                let xref_valid = has_valid_xref(pdfium, &bytes);
                match pdfium.load_pdf_from_byte_vec(bytes, None) {
                    Ok(doc) => {
                        let pages = doc.pages().len() as u32;
                        let form = match doc.form().map(|f| f.form_type()) {
                            Some(PdfFormType::Acrobat) => FormKind::AcroForm,
                            Some(PdfFormType::XfaFull) => FormKind::XfaFull,
                            Some(PdfFormType::XfaForeground) => FormKind::XfaForeground,
                            _ => FormKind::None,
                        };
                        // bands render without form fields (see render_page)
                        let heavy = pages <= BANDED_MAX_PAGES
                            && form == FormKind::None
                            && doc.pages().iter().any(|page| page_is_heavy(&page));
                        current = Some((id, doc));
                        write_u8(out, STATUS_OK)?;
                        write_u32(out, pages)?;
                        write_u8(out, form as u8)?;
                        write_u8(out, xref_valid as u8)?;
                        write_u8(out, heavy as u8)?;
                    }
                    Err(e) => write_failure(out, classify_load_error(&e), &describe(&e))?,
                }
            }
            REQ_RENDER | REQ_RENDER_BITS | REQ_RENDER_BAND => {
                let id = read_u64(input)?;
                let index = read_u32(input)?;
                let wire = WireGeometry {
                    resolution: read_u8(input)?,
                    paper: read_u8(input)?,
                    header_rows: read_u32(input)?,
                };
                let limits = WireLimits {
                    max_image_pixels: read_u64(input)?,
                    max_decoded_bytes: read_u64(input)?,
                };
                let mode = if tag == REQ_RENDER_BITS {
                    Some(
                        mode_from_code(read_u8(input)?)
                            .ok_or_else(|| invalid("bad bilevel mode"))?,
                    )
                } else {
                    None
                };
                let Some(geom) = wire.to_geometry() else {
                    return Err(invalid("bad page geometry"));
                };
                let band = if tag == REQ_RENDER_BAND {
                    let top = read_u32(input)?;
                    let rows = read_u32(input)?;
                    if rows == 0 || top.checked_add(rows).is_none_or(|end| end > geom.rows()) {
                        return Err(invalid("band outside the page"));
                    }
                    top..top + rows
                } else {
                    0..geom.rows()
                };
                let result = match &current {
                    Some((loaded, doc)) if *loaded == id => {
                        render_page(doc, index, &geom, band.clone(), &limits, &mut page_buffer)
                    }
                    _ => Err((Failure::Other, "the document is not loaded".to_string())),
                };
                match result {
                    Ok(()) => {
                        write_u8(out, STATUS_OK)?;
                        write_u32(out, geom.width())?;
                        write_u32(out, band.len() as u32)?;
                        match mode {
                            // bilevel here: the same function the parent
                            // would run, on the pixels where they are
                            Some(mode) => {
                                let data = std::mem::take(&mut page_buffer);
                                let gray = GrayImage::from_raw(geom.width(), geom.rows(), data);
                                out.write_all(&to_bilevel(&gray, mode, geom.resolution).data)?;
                                page_buffer = gray.data;
                            }
                            None => out.write_all(&page_buffer)?,
                        }
                    }
                    Err((failure, msg)) => write_failure(out, failure, &msg)?,
                }
            }
            _ => return Err(invalid("unknown request")),
        }
        out.flush()?;
    }
}

/// Whether the document's cross-reference table parsed as it is (false: PDFium
/// rebuilt it, the file is damaged). A second, raw load: pdfium-render does
/// not expose its document handle.
fn has_valid_xref(pdfium: &Pdfium, bytes: &[u8]) -> bool {
    let b = pdfium.bindings();
    // SAFETY: the handle is used only while `bytes` lives and closed here.
    unsafe {
        let doc = b.FPDF_LoadMemDocument64(bytes, None);
        if doc.is_null() {
            return true; // the real load reports the error
        }
        let valid = b.is_true(b.FPDF_DocumentHasValidCrossReferenceTable(doc));
        b.FPDF_CloseDocument(doc);
        valid
    }
}

/// An image on the page (declared size, nothing decoded).
#[derive(Debug, Clone, Copy)]
struct ImageSize {
    width: u64,
    height: u64,
    bits_per_pixel: u64,
}

impl ImageSize {
    fn pixels(&self) -> u64 {
        self.width.saturating_mul(self.height)
    }
    fn decoded_bytes(&self) -> u64 {
        self.pixels()
            .saturating_mul(self.bits_per_pixel.max(1))
            .div_ceil(8)
    }
}

/// The page's images as declared (nothing decoded), from one walk over its
/// objects and one level of form XObjects: what the bomb check and the
/// choice of image sampling need.
#[derive(Debug, Default)]
struct PageImages {
    /// The image that takes the most bytes decoded.
    largest: Option<ImageSize>,
    /// Every image is 1-bit and none sits inside a form (whose bounds
    /// would be in the form's space, not the page's).
    all_bilevel_on_page: bool,
    /// The most source pixels any image spends on a square point of the
    /// page it covers (images of under a square point left out).
    densest: f64,
}

impl PageImages {
    fn survey(page: &PdfPage<'_>) -> Self {
        let mut images = PageImages {
            all_bilevel_on_page: true,
            ..PageImages::default()
        };
        for obj in page.objects().iter() {
            images.consider(&obj, true);
            if let Some(form) = obj.as_x_object_form_object() {
                for inner in form.iter() {
                    images.consider(&inner, false);
                }
            }
        }
        images
    }

    fn consider(&mut self, obj: &PdfPageObject<'_>, on_page: bool) {
        let Some(img) = obj.as_image_object() else {
            return;
        };
        let (Ok(w), Ok(h)) = (img.width(), img.height()) else {
            self.all_bilevel_on_page = false;
            return;
        };
        let size = ImageSize {
            width: w.max(0) as u64,
            height: h.max(0) as u64,
            bits_per_pixel: img.bits_per_pixel().unwrap_or(8) as u64,
        };
        if self
            .largest
            .is_none_or(|l| size.decoded_bytes() > l.decoded_bytes())
        {
            self.largest = Some(size);
        }
        self.all_bilevel_on_page &= on_page && size.bits_per_pixel == 1;
        match (obj.width(), obj.height()) {
            (Ok(bw), Ok(bh)) => {
                let area = f64::from(bw.value) * f64::from(bh.value);
                if area >= 1.0 {
                    self.densest = self.densest.max(size.pixels() as f64 / area);
                }
            }
            // where it lies is unknown: keep averaging
            _ => self.all_bilevel_on_page = false,
        }
    }

    /// Whether PDFium should draw the page's images by point sampling
    /// instead of averaging: when every image on the page is 1-bit (line
    /// art, text scans, stipple drawings) and one of them is a scan of far
    /// higher resolution than the fax (see [`POINT_SAMPLE_MIN_DOWNSCALE`]),
    /// the page placed as `p` (`w_pt` x `h_pt` points).
    ///
    /// Why: PDFium averages a 1-bit image down by testing every source bit
    /// against a weight table, and on such a scan that is most of the
    /// page's cost. Two pages of `freeculture.pdf` hold 9000x12000 stencils
    /// (2400 dpi): 115-180 ms each averaged, 21-33 ms point-sampled.
    /// Ghostscript point-samples every image. At 3x or more, strokes and
    /// rules of a fax pixel's width or more are sampled whole; only
    /// hairlines thinner than a fax pixel may lose pieces, where averaging
    /// would have kept them gray. Pages with a gray or colour image keep
    /// averaging (a point-sampled photo or halftone screen shows moiré), as
    /// do 300 dpi text scans (about 1.4x: a 1-pixel stroke would break up).
    fn point_sample(&self, p: &crate::input::fit::Placement, w_pt: f64, h_pt: f64) -> bool {
        // fax pixels per square point of the page (the same whether the
        // page is turned or not)
        let fax_per_pt2 = (p.width as f64 * p.height as f64) / (w_pt * h_pt);
        self.largest.is_some()
            && self.all_bilevel_on_page
            && self.densest >= fax_per_pt2 * POINT_SAMPLE_MIN_DOWNSCALE
    }
}

/// How many times more pixels a 1-bit image must have than the fax pixels
/// it covers (9: 3x across and down, a scan of about 600 dpi or more) for
/// [`PageImages::point_sample`].
const POINT_SAMPLE_MIN_DOWNSCALE: f64 = 9.0;

/// Whether PDFium is likely to spend long on the page and a band would
/// cost about its share of it: a page with a shading, whose function PDFium
/// evaluates for every pixel it covers (0.75 s for a page of them; those
/// under everything else are drawn small, see `backdrop`, which makes
/// them cheaper but still worth two workers: 0.14 s banded, 0.16 s not). A
/// heavy page of a short document is cut into bands rendered on several
/// workers at once. Other costly pages are not cut, as measured: a large
/// image is decoded whole again by each band's worker (a one-page CCITT
/// scan went from 0.10 s to 0.19 s), and each band parses and walks every
/// object of the page (a page of 20 000 paths went from 0.32 s to 0.4 s).
fn page_is_heavy(page: &PdfPage<'_>) -> bool {
    let shading = |obj: &PdfPageObject<'_>| obj.object_type() == PdfPageObjectType::Shading;
    page.objects().iter().any(|obj| {
        shading(&obj)
            || obj
                .as_x_object_form_object()
                .is_some_and(|form| form.iter().any(|inner| shading(&inner)))
    })
}

/// PDFium's device matrix for the rows from `top` of the placed page `p`
/// (the page is `w_pt` x `h_pt` points after its /Rotate): PDFium maps the
/// page to `w_pt` x `h_pt` pixels, y down, and this matrix takes that to
/// the band's pixels, turning the page counter-clockwise when the
/// placement says so.
pub(super) fn band_matrix(
    p: &crate::input::fit::Placement,
    w_pt: f64,
    h_pt: f64,
    top: u32,
) -> PdfMatrix {
    let (x, y) = (p.x as f32, p.y as f32 - top as f32);
    if p.rotated {
        // (x, y) -> (sx * y, sy * (w - x)): the page's top to the left edge
        let (sx, sy) = (
            (p.width as f64 / h_pt) as f32,
            (p.height as f64 / w_pt) as f32,
        );
        PdfMatrix::new(0.0, -sy, sx, 0.0, x, sy * w_pt as f32 + y)
    } else {
        let (sx, sy) = (
            (p.width as f64 / w_pt) as f32,
            (p.height as f64 / h_pt) as f32,
        );
        PdfMatrix::new(sx, 0.0, 0.0, sy, x, y)
    }
}

/// Refuses a decompression bomb by an image's declared size. PDF images
/// are often 1-bit scans at high resolution (a 9258x12259 page scan is
/// 14 MB), so the limit is on decoded bytes, with a pixel cap far above the
/// one for standalone pictures.
fn check_images(images: &PageImages, limits: &WireLimits) -> Result<(), (Failure, String)> {
    let Some(img) = images.largest else {
        return Ok(());
    };
    let pixel_cap = limits
        .max_image_pixels
        .saturating_mul(PDF_IMAGE_PIXEL_FACTOR);
    if img.decoded_bytes() > limits.max_decoded_bytes || img.pixels() > pixel_cap {
        return Err((
            Failure::Limit,
            format!(
                "the page holds a {}x{}-pixel image ({:.1} megapixels, {:.0} MB decoded), over the limit for images in a PDF ({:.0} megapixels, {:.0} MB)",
                img.width,
                img.height,
                img.pixels() as f64 / 1e6,
                img.decoded_bytes() as f64 / (1024.0 * 1024.0),
                pixel_cap as f64 / 1e6,
                limits.max_decoded_bytes as f64 / (1024.0 * 1024.0),
            ),
        ));
    }
    Ok(())
}

fn write_failure(out: &mut impl Write, failure: Failure, msg: &str) -> io::Result<()> {
    write_u8(out, STATUS_ERR)?;
    write_u8(out, failure as u8)?;
    write_str(out, msg)
}

fn classify_load_error(e: &PdfiumError) -> Failure {
    match e {
        PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::PasswordError) => {
            Failure::Password
        }
        PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::FormatError)
        | PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::FileError) => {
            Failure::Format
        }
        _ => Failure::Other,
    }
}

fn describe(e: &PdfiumError) -> String {
    format!("{e:?}")
}

/// Renders rows `band` of page `index` on a full white fax page: fitted
/// like a picture (see [`plan_fit`]: the page's physical size is its size
/// at 204 dpi), turned counter-clockwise when that makes it larger,
/// rendered by PDFium straight into `data` (resized to the band, white) at
/// the anisotropic fax scale. A band is drawn through PDFium's matrix path
/// with the clip on the band, so it costs about its share of the page.
fn render_page(
    doc: &PdfDocument<'_>,
    index: u32,
    geom: &PageGeometry,
    band: std::ops::Range<u32>,
    limits: &WireLimits,
    data: &mut Vec<u8>,
) -> Result<(), (Failure, String)> {
    let pages = doc.pages();
    if index >= pages.len() as u32 {
        return Err((Failure::Page, format!("the PDF has no page {}", index + 1)));
    }
    let page = pages
        .get(index as PdfPageIndex)
        .map_err(|e| (Failure::Page, describe(&e)))?;
    // a decompression bomb: refused by its declared size, before decoding
    let images = PageImages::survey(&page);
    check_images(&images, limits)?;
    // PDFium's page size is the crop box with /Rotate applied, in points
    let (w_pt, h_pt) = (page.width().value as f64, page.height().value as f64);
    let p = super::fit_placement(w_pt, h_pt, geom).map_err(|e| (Failure::Page, e.message))?;

    let smooth_images = !images.point_sample(&p, w_pt, h_pt);

    let (width, rows) = (geom.width(), band.len() as u32);
    data.clear();
    data.resize(width as usize * rows as usize, 255);
    // shadings under everything else: drawn first at a lower resolution,
    // then hidden while PDFium draws the rest over them
    let _hidden =
        backdrop::draw_leading_shadings(&page, &p, (w_pt, h_pt), geom, band.clone(), data)
            .map_err(|e| (Failure::Page, describe(&e)))?;
    {
        let mut bitmap = PdfBitmap::from_bytes(width as _, rows as _, PdfBitmapFormat::Gray, data)
            .map_err(|e| (Failure::Other, describe(&e)))?;
        let config = PdfRenderConfig::new()
            .set_format(PdfBitmapFormat::Gray)
            // without this PDFium traps (SIGTRAP) on a gray bitmap
            .set_reverse_byte_order(false)
            // the whole buffer is white already (PDFium would clear the
            // page's rectangle a second time)
            .clear_before_rendering(false)
            .render_annotations(true)
            .use_print_quality(true)
            .set_image_smoothing(smooth_images);
        let config = if band.len() as u32 == geom.rows() {
            let rotation = if p.rotated {
                // counter-clockwise: the page's top goes to the left edge
                PdfPageRenderRotation::Degrees270
            } else {
                PdfPageRenderRotation::None
            };
            config
                .set_fixed_size(p.width as _, p.height as _)
                .set_origin(p.x as _, p.y as _)
                .rotate(rotation, false)
                .render_form_data(true)
        } else {
            // A band: PDFium clips its work to the band only on the matrix
            // path (the origin path clips to the whole page, so a band cost
            // as much as the page), and the matrix path draws no form
            // fields: bands are asked for only for documents without forms.
            // Same pixels as the origin path on the corpus, but for float
            // rounding in shadings (a few pixels off by one or two levels;
            // tests/pdf.rs `bands_stitch_to_the_whole_page`).
            config
                .set_fixed_size(width as _, rows as _)
                .render_form_data(false)
                .reset_matrix(band_matrix(&p, w_pt, h_pt, band.start))
                .map_err(|e| (Failure::Other, describe(&e)))?
                .clip(0, 0, width as _, rows as _)
        };
        page.render_into_bitmap_with_config(&mut bitmap, &config)
            .map_err(|e| (Failure::Page, describe(&e)))?;
    }
    Ok(())
}
