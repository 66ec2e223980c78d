//! The command line: `faxrender convert` and `faxrender inspect`.
//!
//! Exit status (what a fax server script acts on): 0 success, 1 the input was
//! refused (bad or unsupported document, over a limit: retrying will not
//! help), 2 usage, 3 an internal or transient failure. Messages name the file
//! and the fault; no panics or backtraces reach the user.

pub mod convert;
pub mod inspect;

use clap::{Parser, Subcommand};
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
    about = "Documents to fax (TIFF-F) and fax TIFFs checked, fast and deterministic"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Convert documents into one multi-page TIFF-F fax, pages in input order.
    Convert(convert::ConvertArgs),
    /// Check a fax TIFF: per page geometry, coding, damage, and whether
    /// SpanDSP/HylaFAX would send it as it is.
    Inspect(inspect::InspectArgs),
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
