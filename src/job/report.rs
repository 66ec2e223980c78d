//! What a job reports beside its output: for a send job, per document the
//! format and pages, soft problems (warnings), the figures of the fax
//! (pages, bytes, caller ID, estimated call time) and the time per stage;
//! for a receive job, per page what was read and repaired.

use crate::job::caller_id::CallerId;
use crate::job::clock::UtcOffset;
use crate::job::estimate::TransmissionEstimate;
use crate::job::numbers::Recipient;
use crate::job::options::SendOptions;

/// Which part of the fax a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentRole {
    /// A composed cover sheet or a cover file: its pages go first.
    Cover,
    /// One of the documents to send.
    Document,
}

/// One input document in the report. Holds no document text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DocumentReport {
    /// The name the document was given (file name; "cover sheet" for a
    /// composed cover).
    pub name: String,
    pub role: DocumentRole,
    /// Detected format.
    pub format: String,
    /// Input bytes (0 for a composed cover).
    pub bytes: u64,
    /// Pages this document contributed.
    pub pages: u32,
    /// Its first page's number in the fax (1-based).
    pub first_page: u32,
    pub warnings: Vec<String>,
}

/// Time spent per stage, milliseconds. `render_ms` and `encode_ms` add up
/// the per-page times over all threads (CPU time, not wall time: pages run
/// in parallel); `pages_wall_ms` is the wall time of the parallel page stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct StageTimings {
    /// Sniffing, headers and the layout of flow documents.
    pub open_ms: u64,
    /// Laying out the composed cover sheet.
    pub cover_ms: u64,
    /// Rendering, bilevel conversion and the header stamp, summed over pages.
    pub render_ms: u64,
    /// T.4/T.6 coding, summed over pages.
    pub encode_ms: u64,
    pub pages_wall_ms: u64,
    /// Assembling the TIFF (and writing it, when the caller adds that).
    pub write_ms: u64,
    pub total_ms: u64,
}

/// The report of a send job (the `JobReport`): what was sent, how big, how
/// long it will take, and everything a person should know. The recipient is
/// in here (the report goes to the user); logs never carry it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SendReport {
    /// Pages in the fax, cover included.
    pub pages: u32,
    /// Size of the TIFF produced.
    #[serde(rename = "bytes")]
    pub tiff_bytes: u64,
    /// Resolution, paper, compression, bilevel mode and limits.
    pub options: SendOptions,
    /// Cover first, then the documents in order.
    pub documents: Vec<DocumentReport>,
    /// The caller ID used (in the header), `0000000000` when none.
    pub caller_id: CallerId,
    /// The recipient's dial string, when the job has one.
    pub recipient: Option<Recipient>,
    /// The sender's name as shown in the header, when given.
    pub sender: Option<String>,
    /// The header line of the first page, when pages carry one.
    pub header: Option<String>,
    /// The UTC offset the header's date and time are shown in.
    pub utc_offset: UtcOffset,
    /// Estimated call duration at 9600, 14400 and 33600 bit/s (see
    /// [`crate::job::estimate`]).
    pub transmission: Vec<TransmissionEstimate>,
    /// Every warning: the documents' (prefixed with their name) and the
    /// job's own (a header cut to fit).
    pub warnings: Vec<String>,
    pub timing: StageTimings,
    /// Milliseconds spent, for logs and metrics (= `timing.total_ms`).
    pub elapsed_ms: u64,
}

/// The send job's report under the name the job API uses.
pub type JobReport = SendReport;

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
