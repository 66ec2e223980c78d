//! The command line: `faxrender convert`, `faxrender inspect`,
//! `faxrender receive` and `faxrender serve`.
//!
//! Exit status (what a fax server script acts on): 0 success, 1 the input was
//! refused (bad or unsupported document, over a limit: retrying will not
//! help), 2 usage, 3 an internal or transient failure. Messages name the file
//! and the fault; no panics or backtraces reach the user.

pub mod convert;
pub mod inspect;
pub mod pdf_worker;
pub mod receive;
pub mod send;
#[cfg(feature = "service")]
pub mod serve;

use clap::{Args, Parser, Subcommand};
use faxrender::limits::Limits;
use faxrender::{Error, ErrorKind};

/// Exit statuses.
pub const EXIT_OK: i32 = 0;
pub const EXIT_REFUSED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_INTERNAL: i32 = 3;

#[derive(Parser, Debug)]
#[command(
    name = "faxrender",
    version,
    about = "Documents to fax (TIFF-F), fax TIFFs checked, inbound faxes to PDF: fast and deterministic"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// The PDFium library (libpdfium.so or its folder) for PDF documents;
    /// default: FAXRENDER_PDFIUM, next to the executable, the project's
    /// .pdfium/, the system library folders.
    #[arg(long, global = true)]
    pub pdfium: Option<std::path::PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Convert documents into one multi-page TIFF-F fax, pages in input order.
    Convert(convert::ConvertArgs),
    /// Make a fax ready to dial: documents, a cover, a header line on every
    /// page, the recipient number and caller ID checked, and a JSON report.
    Send(send::SendArgs),
    /// Check a fax TIFF: per page geometry, coding, damage, and whether
    /// SpanDSP/HylaFAX would send it as it is.
    Inspect(inspect::InspectArgs),
    /// Turn an inbound fax TIFF into a PDF (lossless), with optional PNG
    /// previews and a JSON report; damaged pages are repaired and reported.
    Receive(receive::ReceiveArgs),
    /// A PDF rendering worker process (started by faxrender itself).
    #[command(hide = true)]
    PdfWorker(pdf_worker::PdfWorkerArgs),
    /// Run the HTTP service (send, preview, receive, inspect, metrics).
    #[cfg(feature = "service")]
    Serve(serve::ServeArgs),
}

/// The fax limits a command accepts (pages and bytes; the rest stay at
/// their defaults).
#[derive(Args, Debug)]
pub struct LimitArgs {
    /// Maximum pages of the fax.
    #[arg(long, default_value_t = Limits::default().max_pages)]
    pub max_pages: u32,
    /// Maximum bytes of the fax (input documents, and the TIFF written).
    #[arg(long, default_value_t = Limits::default().max_bytes)]
    pub max_bytes: u64,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            max_pages: self.max_pages,
            max_bytes: self.max_bytes,
            ..Limits::default()
        }
    }
}

/// The exit status for an error.
pub fn exit_code(e: &Error) -> i32 {
    match e.kind {
        ErrorKind::BadInput | ErrorKind::Unsupported | ErrorKind::LimitExceeded => EXIT_REFUSED,
        ErrorKind::InvalidOption => EXIT_USAGE,
        _ => EXIT_INTERNAL,
    }
}

/// Reads an input file, mapping "not found" to a usage error and other
/// failures to a (retryable) I/O error.
pub fn read_input(path: &std::path::Path, max_bytes: u64) -> Result<Vec<u8>, Error> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| io_error(e, &name))?;
    if meta.is_dir() {
        return Err(Error::invalid_option("is a directory, not a document").with_context(name));
    }
    // Refuse an over-limit file before reading it into memory.
    if meta.len() > max_bytes {
        return Err(Error::limit(format!(
            "the file is {} bytes, over the limit of {max_bytes} bytes",
            meta.len()
        ))
        .with_context(name));
    }
    std::fs::read(path).map_err(|e| io_error(e, &name))
}

fn io_error(e: std::io::Error, name: &str) -> Error {
    match e.kind() {
        std::io::ErrorKind::NotFound => Error::invalid_option("no such file"),
        std::io::ErrorKind::PermissionDenied => Error::invalid_option("permission denied"),
        _ => Error::io(format!("cannot read the file ({e})")),
    }
    .with_context(name)
}

/// Writes through a temporary file beside the target and renames it, so a
/// fax server never picks up a half-written TIFF or PDF and no partial file is
/// left behind on failure.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<(), Error> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let file_name = path
        .file_name()
        .ok_or_else(|| Error::invalid_option("the output path has no file name"))?;
    let tmp = dir.join(format!(
        ".{}.{}.part",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let result = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(match e.kind() {
            std::io::ErrorKind::NotFound => {
                Error::invalid_option("the output folder does not exist")
            }
            std::io::ErrorKind::PermissionDenied => {
                Error::invalid_option("permission denied writing the output")
            }
            _ => Error::io(format!("cannot write the output ({e})")),
        });
    }
    Ok(())
}

/// Creates a folder for output files (and its parents).
pub fn create_dir(dir: &std::path::Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::io(format!("cannot create the folder ({e})")).with_context(dir.display().to_string())
    })
}

/// Writes one output file (a preview): no temporary, it is not what a fax
/// server picks up.
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), Error> {
    std::fs::write(path, bytes).map_err(|e| {
        Error::io(format!("cannot write ({e})")).with_context(path.display().to_string())
    })
}
