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
