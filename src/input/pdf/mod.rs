//! PDF documents: PDFium in a pool of worker processes, `hayro` as the
//! fallback.
//!
//! - [`library`]: finding `libpdfium.so`;
//! - [`protocol`]: the pipe format between parent and worker;
//! - [`worker`]: the worker process (`faxrender pdf-worker`, hidden);
//! - [`pool`]: the parent side (spawn, affinity, time limits, restart);
//! - `hayro`: the pure-Rust fallback.
//!
//! Opening asks a worker for the page count (checked against the page limit
//! before anything is rendered) and the form kind; each page then renders
//! on whichever worker is free, so the job's parallel page loop spreads a
//! document over all workers; the heavy pages of a one- or two-page
//! document are cut into bands that render on two workers at once. Every
//! page is rendered by PDFium alone, and how a page is cut depends only on
//! the document, so the output does not depend on the number of workers.
//!
//! Settings come from [`configure`] (the CLI's `--pdfium`), else from the
//! environment: `FAXRENDER_PDFIUM` (library), `FAXRENDER_WORKER_EXE`
//! (the `faxrender` binary to run as a worker), `FAXRENDER_PDF_WORKERS`,
//! `FAXRENDER_PDF_PAGE_TIMEOUT` / `FAXRENDER_PDF_DOC_TIMEOUT` (seconds),
//! `FAXRENDER_PDF_WORKER_MEMORY` (bytes).

mod backdrop;
mod hayro;
pub mod library;
pub mod pool;
mod preflight;
pub mod protocol;
pub mod worker;

use super::fit::{plan_fit, Placement};
use super::sniff::Format;
use super::source::{OpenContext, OpenedDocument, PageSource, RenderedPage};
use crate::bilevel::BilevelMode;
use crate::bitmap::{BitImage, GrayImage};
use crate::error::{Error, Result};
use crate::geometry::PageGeometry;
use crate::limits::Limits;
use pool::{DocRef, Pool, PoolConfig, PoolError};
use protocol::{Failure, FormKind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Environment variable: the `faxrender` binary the pool runs as a worker.
pub const ENV_WORKER_EXE: &str = "FAXRENDER_WORKER_EXE";

/// How PDFs are rendered. [`PdfSettings::from_env`] is the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfSettings {
    /// `libpdfium.so` (or its folder); `None`: look it up (see [`library`]).
    pub pdfium: Option<PathBuf>,
    /// The `faxrender` binary run as a worker; `None`: this executable if it
    /// is `faxrender`, else a `faxrender` beside it or one folder up (how
    /// `cargo test` lays out test binaries).
    pub worker_exe: Option<PathBuf>,
    /// Worker processes (default: the number of cores).
    pub workers: usize,
    /// Most time one page may take.
    pub page_timeout: Duration,
    /// Most worker time one document may take, all its pages together.
    pub document_timeout: Duration,
    /// Address-space limit of each worker, bytes.
    pub worker_memory: u64,
    /// Render PDFs whose cross-reference table had to be rebuilt (with a
    /// warning) instead of refusing them.
    pub accept_repaired: bool,
}

impl Default for PdfSettings {
    fn default() -> Self {
        PdfSettings {
            pdfium: None,
            worker_exe: None,
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            page_timeout: Duration::from_secs(8),
            document_timeout: Duration::from_secs(120),
            worker_memory: 1 << 30,
            accept_repaired: false,
        }
    }
}

impl PdfSettings {
    /// The defaults, overridden by the `FAXRENDER_*` environment variables.
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let num = |name: &str| var(name).and_then(|v| v.trim().parse::<f64>().ok());
        let d = PdfSettings::default();
        let secs = |name: &str, default: Duration| {
            num(name)
                .filter(|s| *s > 0.0 && s.is_finite())
                .map_or(default, Duration::from_secs_f64)
        };
        PdfSettings {
            pdfium: var(library::ENV_PDFIUM).map(PathBuf::from),
            worker_exe: var(ENV_WORKER_EXE).map(PathBuf::from),
            workers: num("FAXRENDER_PDF_WORKERS").map_or(d.workers, |n| (n as usize).clamp(1, 64)),
            page_timeout: secs("FAXRENDER_PDF_PAGE_TIMEOUT", d.page_timeout),
            document_timeout: secs("FAXRENDER_PDF_DOC_TIMEOUT", d.document_timeout),
            worker_memory: num("FAXRENDER_PDF_WORKER_MEMORY").map_or(d.worker_memory, |n| n as u64),
            accept_repaired: var("FAXRENDER_PDF_ACCEPT_REPAIRED").is_some_and(|v| v != "0"),
        }
    }
}

static SETTINGS: OnceLock<PdfSettings> = OnceLock::new();
/// The pool, or why there is none (PDFium unavailable).
static POOL: OnceLock<std::result::Result<Pool, String>> = OnceLock::new();

/// Sets the PDF settings for this process. Must be called before the first
/// PDF is opened; afterwards it returns the settings back as the error.
pub fn configure(settings: PdfSettings) -> std::result::Result<(), PdfSettings> {
    SETTINGS.set(settings)
}

fn settings() -> &'static PdfSettings {
    SETTINGS.get_or_init(PdfSettings::from_env)
}

fn global_pool() -> std::result::Result<&'static Pool, &'static str> {
    POOL.get_or_init(|| build_pool(settings()))
        .as_ref()
        .map_err(String::as_str)
}

fn build_pool(s: &PdfSettings) -> std::result::Result<Pool, String> {
    let library = match library::locate(s.pdfium.as_deref()) {
        library::Located::Found(path) => path,
        library::Located::Missing(looked) => {
            let places: Vec<String> = looked.iter().map(|p| p.display().to_string()).collect();
            return Err(format!(
                "PDFium (libpdfium.so) was not found (looked at {}; run scripts/setup-pdfium.sh or set FAXRENDER_PDFIUM)",
                places.join(", ")
            ));
        }
    };
    let worker_exe = match &s.worker_exe {
        Some(exe) => exe.clone(),
        None => default_worker_exe().ok_or_else(|| {
            "the faxrender executable to run PDF workers was not found (set FAXRENDER_WORKER_EXE)"
                .to_string()
        })?,
    };
    Ok(Pool::new(PoolConfig {
        library,
        worker_exe,
        workers: s.workers.max(1),
        memory_limit: s.worker_memory,
    }))
}

/// This executable if it is `faxrender`; else `faxrender` beside it or one
/// folder up (integration tests run from `target/<profile>/deps/`).
fn default_worker_exe() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let name = format!("faxrender{}", std::env::consts::EXE_SUFFIX);
    if exe.file_name().is_some_and(|n| n == name.as_str()) {
        return Some(exe);
    }
    let dir = exe.parent()?;
    [dir.join(&name), dir.parent()?.join(&name)]
        .into_iter()
        .find(|p| p.is_file())
}

/// The "password-protected" refusal (PDFium and hayro say the same).
pub(crate) fn password_error() -> Error {
    Error::unsupported(
        "the PDF is password-protected (encrypted with a password that is not empty); \
         remove the password and send it again",
    )
}

/// The refusal for a file that is not a readable PDF.
pub(crate) fn damaged_error() -> Error {
    Error::bad_input("the PDF is damaged or truncated and cannot be read")
}

/// Where a page of `w_pt` x `h_pt` points goes on the fax page: its
/// physical size is its size at 204 dpi, fitted like a picture.
pub(crate) fn fit_placement(w_pt: f64, h_pt: f64, geom: &PageGeometry) -> Result<Placement> {
    if !(w_pt.is_finite() && h_pt.is_finite() && w_pt >= 1.0 && h_pt >= 1.0) {
        return Err(Error::bad_input(format!(
            "the page has no usable size ({w_pt} x {h_pt} points)"
        )));
    }
    let at_204 = |pt: f64| ((pt * geom.x_dpi() as f64 / 72.0).round() as u32).clamp(1, 1 << 24);
    Ok(plan_fit(
        at_204(w_pt),
        at_204(h_pt),
        None,
        geom,
        geom.header_rows,
    ))
}

static NEXT_DOC_ID: AtomicU64 = AtomicU64::new(1);

/// One opened PDF, shared by its pages.
struct PdfDoc {
    id: u64,
    bytes: Arc<[u8]>,
    /// PDFium rebuilt the cross-reference table: a blank page is then a
    /// symptom of damage, not content.
    damaged: bool,
    /// Worker time spent on this document so far, milliseconds.
    spent_ms: AtomicU64,
    /// How many bands each page is cut into, each rendered by another
    /// worker (1: whole pages). See [`bands_per_page`].
    bands: u32,
}

/// How many bands a heavy page is cut into.
const BANDS: u32 = 2;

/// How many bands each page of a document is cut into, each rendered by
/// another worker. A document with fewer pages than workers leaves workers
/// idle (a one-page fax waits on one worker while the other sleeps), so the
/// pages of a short document are shared when the worker found one of them
/// heavy (see [`pool::DocInfo::heavy_pages`]). A band is rendered with
/// PDFium's clip set to it, so it costs about its share of the page, plus
/// one more parse of the page.
///
/// The count depends on the document alone, not on the number of workers:
/// a page's bits must not depend on the machine it is rendered on (golden
/// pages, regression tests). With one worker the bands take turns.
fn bands_per_page(info: &pool::DocInfo) -> u32 {
    if info.heavy_pages {
        BANDS
    } else {
        1
    }
}

impl PdfDoc {
    fn doc_ref(&self) -> DocRef<'_> {
        DocRef {
            id: self.id,
            bytes: &self.bytes,
        }
    }

    /// The time the next request may take: the page limit, or what is left
    /// of the document's limit.
    fn next_timeout(&self, s: &PdfSettings) -> Result<Duration> {
        let spent = Duration::from_millis(self.spent_ms.load(Ordering::Relaxed));
        let left = s.document_timeout.saturating_sub(spent);
        if left.is_zero() {
            return Err(Error::limit(format!(
                "rendering the PDF took longer than the limit of {} s",
                s.document_timeout.as_secs_f64()
            )));
        }
        Ok(left.min(s.page_timeout))
    }

    fn charge(&self, since: Instant) {
        self.spent_ms
            .fetch_add(since.elapsed().as_millis() as u64, Ordering::Relaxed);
    }
}

/// A page rendered by PDFium in a worker.
struct PdfiumPage {
    doc: Arc<PdfDoc>,
    index: u32,
}

impl PdfiumPage {
    /// Runs one request on the pool under the document's time limit and
    /// charges the time to the document.
    fn on_pool<T>(
        &self,
        request: impl FnOnce(&Pool, Duration) -> std::result::Result<T, PoolError>,
    ) -> Result<T> {
        let pool = global_pool().map_err(Error::internal)?;
        let timeout = self.doc.next_timeout(settings())?;
        let started = Instant::now();
        let result = request(pool, timeout);
        self.doc.charge(started);
        result.map_err(|e| pool_error_to_error(e, timeout))
    }

    /// Renders the page in [`PdfDoc::bands`] bands on as many workers at
    /// once and stitches them together.
    fn render_in_bands(&self, geom: &PageGeometry, limits: &Limits) -> Result<GrayImage> {
        let wire = protocol::WireLimits::from_limits(limits);
        let (rows, n) = (geom.rows(), self.doc.bands);
        let band = |i: u32| {
            let rows = rows * i / n..rows * (i + 1) / n;
            self.on_pool(|pool, timeout| {
                pool.render_band(self.doc.doc_ref(), self.index, geom, &wire, rows, timeout)
            })
        };
        // the first band on this thread, the others on threads of their
        // own: each blocks on its worker's pipe, not on the CPU
        let bands: Vec<Result<GrayImage>> = std::thread::scope(|scope| {
            let others: Vec<_> = (1..n).map(|i| scope.spawn(move || band(i))).collect();
            std::iter::once(band(0))
                .chain(others.into_iter().map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(Error::internal("a band thread panicked")))
                }))
                .collect()
        });
        let mut data = Vec::with_capacity(geom.width() as usize * rows as usize);
        for band in bands {
            data.extend_from_slice(&band?.data);
        }
        Ok(GrayImage::from_raw(geom.width(), rows, data))
    }

    /// Refuses a page of a damaged document that comes out blank.
    fn refuse_blank_if_damaged(&self, blank: bool) -> Result<()> {
        if self.doc.damaged && blank {
            return Err(Error::bad_input(
                "the PDF is damaged (its cross-reference table is broken) and this page comes out blank",
            ));
        }
        Ok(())
    }
}

impl PageSource for PdfiumPage {
    fn render(&self, geom: &PageGeometry, limits: &Limits) -> Result<RenderedPage> {
        if self.doc.bands > 1 {
            let page = self.render_in_bands(geom, limits)?;
            self.refuse_blank_if_damaged(page.data.iter().all(|&v| v == 255))?;
            return Ok(RenderedPage::Gray(page));
        }
        let limits = protocol::WireLimits::from_limits(limits);
        let page = self.on_pool(|pool, timeout| {
            pool.render(self.doc.doc_ref(), self.index, geom, &limits, timeout)
        })?;
        self.refuse_blank_if_damaged(page.data.iter().all(|&v| v == 255))?;
        Ok(RenderedPage::Gray(page))
    }

    fn render_bilevel(
        &self,
        geom: &PageGeometry,
        limits: &Limits,
        mode: BilevelMode,
    ) -> Result<BitImage> {
        if self.doc.bands > 1 {
            // bilevel here, on the whole page: `auto` judges the page as one
            let page = self.render_in_bands(geom, limits)?;
            self.refuse_blank_if_damaged(page.data.iter().all(|&v| v == 255))?;
            return Ok(crate::bilevel::to_bilevel(&page, mode, geom.resolution));
        }
        let limits = protocol::WireLimits::from_limits(limits);
        let bits = self.on_pool(|pool, timeout| {
            pool.render_bits(self.doc.doc_ref(), self.index, geom, &limits, mode, timeout)
        })?;
        self.refuse_blank_if_damaged(bits.data.iter().all(|&b| b == 0))?;
        Ok(bits)
    }
}

/// A page rendered in-process by hayro.
struct HayroPage {
    bytes: Arc<[u8]>,
    index: u32,
}

impl PageSource for HayroPage {
    fn render(&self, geom: &PageGeometry, _limits: &Limits) -> Result<RenderedPage> {
        hayro::render_page(&self.bytes, self.index, geom).map(RenderedPage::Gray)
    }
}

fn pool_error_to_error(e: PoolError, timeout: Duration) -> Error {
    match e {
        PoolError::Refused(Failure::Password, _) => password_error(),
        PoolError::Refused(Failure::Format, _) => damaged_error(),
        PoolError::Refused(Failure::Limit, msg) => Error::limit(msg),
        PoolError::Refused(_, msg) => Error::bad_input(format!("PDFium cannot render it ({msg})")),
        PoolError::Crashed(how) => Error::bad_input(format!(
            "the PDF renderer stopped on this document ({how}): the PDF is damaged or needs more memory than allowed"
        )),
        PoolError::TimedOut => Error::limit(format!(
            "rendering took longer than the limit of {} s",
            timeout.as_secs_f64()
        )),
        PoolError::Unavailable(why) => Error::internal(why),
    }
}

/// Opens a PDF: page count first (checked against the page limit), pages
/// that render on the worker pool; hayro when PDFium is unavailable or
/// cannot read a file that hayro can.
pub fn open(bytes: Arc<[u8]>, ctx: &OpenContext) -> Result<OpenedDocument> {
    preflight::check_images(&bytes, ctx.limits.max_image_pixels)?;
    let pool = match global_pool() {
        Ok(pool) => pool,
        Err(why) => return open_with_hayro(bytes, ctx, why),
    };
    let s = settings();
    let id = NEXT_DOC_ID.fetch_add(1, Ordering::Relaxed);
    let spent_ms = AtomicU64::new(0);
    let timeout = s.page_timeout.min(s.document_timeout);
    // the other workers come up while this one reads the page count, but
    // not for a file whose bytes show it has fewer pages than workers (a
    // one-page fax from the CLI would start a worker it never uses: about
    // 4 ms of a 15-18 ms conversion)
    let wanted =
        preflight::page_count_bound(&bytes).map_or(s.workers, |n| (n as usize).clamp(1, s.workers));
    pool.prestart(wanted);
    let started = Instant::now();
    let loaded = pool.load(DocRef { id, bytes: &bytes }, timeout);
    spent_ms.fetch_add(started.elapsed().as_millis() as u64, Ordering::Relaxed);
    let info = match loaded {
        Ok(info) => info,
        Err(PoolError::Unavailable(why)) => return open_with_hayro(bytes, ctx, &why),
        Err(PoolError::Refused(Failure::Format | Failure::Other, msg)) => {
            // PDFium gave up; hayro reads some files it does not
            return match hayro::page_count(&bytes) {
                Ok(n) if n > 0 => {
                    open_with_hayro(bytes, ctx, &format!("PDFium cannot read this file ({msg})"))
                }
                _ => Err(damaged_error()),
            };
        }
        Err(e) => return Err(pool_error_to_error(e, timeout)),
    };
    if info.pages == 0 {
        return Err(Error::bad_input("the PDF has no pages"));
    }
    ctx.limits.check_pages(info.pages as u64)?;
    let mut warnings = Vec::new();
    if !info.xref_valid {
        // A rebuilt cross-reference table can silently lose pages or
        // objects: for medical and legal records a refusal is safer than
        // a fax with something missing, unless the operator opts in.
        if !settings().accept_repaired {
            return Err(Error::bad_input(
                "the PDF is damaged (its cross-reference table is broken; a repaired copy could miss pages): save or print it to PDF again and resend (operators: FAXRENDER_PDF_ACCEPT_REPAIRED=1 renders repaired PDFs with a warning)",
            ));
        }
        warnings.push(
            "the PDF is damaged (its cross-reference table had to be rebuilt): check the pages"
                .to_string(),
        );
    }
    let doc = Arc::new(PdfDoc {
        id,
        bytes,
        damaged: !info.xref_valid,
        spent_ms,
        bands: bands_per_page(&info),
    });
    if info.form == FormKind::XfaFull {
        warnings.push(
            "the PDF is a dynamic XFA form: its dynamic content is not rendered, only the static pages it carries"
                .to_string(),
        );
    }
    let pages = (0..info.pages)
        .map(|index| {
            Box::new(PdfiumPage {
                doc: doc.clone(),
                index,
            }) as Box<dyn PageSource>
        })
        .collect();
    Ok(OpenedDocument {
        format: Format::Pdf,
        pages,
        warnings,
    })
}

fn open_with_hayro(bytes: Arc<[u8]>, ctx: &OpenContext, why: &str) -> Result<OpenedDocument> {
    let count = hayro::page_count(&bytes)?;
    if count == 0 {
        return Err(Error::bad_input("the PDF has no pages"));
    }
    ctx.limits.check_pages(count as u64)?;
    let pages = (0..count)
        .map(|index| {
            Box::new(HayroPage {
                bytes: bytes.clone(),
                index,
            }) as Box<dyn PageSource>
        })
        .collect();
    Ok(OpenedDocument {
        format: Format::Pdf,
        pages,
        warnings: vec![format!(
            "rendered with the fallback PDF renderer (hayro), output may differ: {why}"
        )],
    })
}

/// Whether PDFium is available (the pool could be set up; a worker may
/// still fail to start). For reports and tests.
pub fn pdfium_library() -> Option<&'static Path> {
    global_pool().ok().map(|p| p.config().library.as_path())
}

/// Runs the worker loop (the hidden `faxrender pdf-worker` subcommand).
pub fn run_worker(library: &Path) -> i32 {
    worker::serve(library)
}
