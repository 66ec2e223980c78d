//! What a send job reports beside its output: per document the format and
//! pages, soft problems (warnings), and the figures of the fax.

use crate::job::options::SendOptions;

/// One input document in the report. Holds no document text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DocumentReport {
    /// The name the document was given (file name).
    pub name: String,
    /// Detected format.
    pub format: String,
    pub bytes: u64,
    /// Pages this document contributed.
    pub pages: u32,
    pub warnings: Vec<String>,
}

/// The report of a send job.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SendReport {
    pub pages: u32,
    /// Size of the TIFF produced.
    pub tiff_bytes: u64,
    pub options: SendOptions,
    pub documents: Vec<DocumentReport>,
    /// Milliseconds spent, for logs and metrics.
    pub elapsed_ms: u64,
}

/// How a received page went into the PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PageOutput {
    /// The fax's own coded bytes, embedded as they are (bit order fixed).
    PassedThrough,
    /// Decoded and coded again (G4, lossless): several strips, damage,
    /// a coding PDF has no filter for, or min-is-black.
    ReEncoded,
}

/// One page of a received fax that made it into the PDF.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReceivedPageReport {
    /// 1-based page number in the TIFF.
    pub page: u32,
    /// 1-based page number in the PDF.
    pub pdf_page: u32,
    pub width: u32,
    /// Rows in the PDF (what could be read).
    pub rows: u32,
    /// Rows the TIFF announced (ImageLength).
    pub rows_expected: u32,
    pub x_dpi: f64,
    pub y_dpi: f64,
    /// "g3", "g3-2d", "g4", "ccitt-rle", "none", "packbits"...
    pub compression: String,
    pub fill_order: u16,
    pub strips: u32,
    /// Damaged rows, repaired by repeating the previous good row (or left
    /// white where a strip was missing).
    pub bad_rows: u32,
    pub first_bad_row: Option<u32>,
    /// Rows at the end of the page could not be read.
    pub truncated: bool,
    pub output: PageOutput,
    /// What was wrong or odd with this page (empty for a clean page).
    pub problems: Vec<String>,
}

/// A page of the TIFF that could not be put in the PDF.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LostPage {
    /// 1-based page number in the TIFF.
    pub page: u32,
    pub reason: String,
}

/// The report of a receive job. Holds no image content; the TSI is the
/// sender's fax identity as the fax carried it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReceiveReport {
    /// Pages in the PDF.
    pub pages: u32,
    /// Pages (image directories) found in the TIFF.
    pub pages_in_file: u32,
    /// Damaged rows over all pages.
    pub bad_rows: u64,
    /// Rows announced by the TIFF but not read (truncated pages), over all
    /// pages in the PDF.
    pub rows_missing: u64,
    pub pages_detail: Vec<ReceivedPageReport>,
    pub lost_pages: Vec<LostPage>,
    /// Everything a person should know: damage repaired, rows or pages
    /// lost, file-level problems.
    pub warnings: Vec<String>,
    /// The sender's identity (TSI) from the TIFF, when present.
    pub tsi: Option<String>,
    /// The receive time the TIFF records (DateTime), when present.
    pub received_at: Option<String>,
    pub tiff_bytes: u64,
    pub pdf_bytes: u64,
    /// Milliseconds spent, for logs and metrics.
    pub elapsed_ms: u64,
}
