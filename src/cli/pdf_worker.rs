//! `faxrender pdf-worker` (hidden): one PDF worker process, started by the
//! PDF pool with pipes on stdin and stdout. Not for people.

use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct PdfWorkerArgs {
    /// The PDFium library to load.
    #[arg(long)]
    pub pdfium: PathBuf,
}

/// Serves requests until stdin closes; returns the exit status.
pub fn run(args: PdfWorkerArgs) -> i32 {
    faxrender::input::pdf::run_worker(&args.pdfium)
}
