//! The send job: documents in, one TIFF-F out.
//!
//! Stages: check the input size; open every document (sniff + headers, in
//! parallel) so the page count is known; refuse an over-limit fax before any
//! rendering; then render, make bilevel and encode every page in parallel
//! (rayon; each page is independent); assemble the TIFF in page order and
//! check its size.

use crate::bilevel::to_bilevel;
use crate::bitmap::BitImage;
use crate::codec::{encode, Compression, EncodeOptions};
use crate::error::{Error, Result};
use crate::input::{self, PageSource, RenderedPage};
use crate::job::clock::JobClock;
use crate::job::options::SendOptions;
use crate::job::report::{DocumentReport, SendReport};
use crate::tiff::{write_tiff_f, EncodedPage, WriteMeta};
use rayon::prelude::*;
use std::sync::Arc;
use std::time::Instant;

/// One document of a job: a name for messages and its bytes.
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub bytes: Arc<[u8]>,
}

impl Document {
    pub fn new(name: impl Into<String>, bytes: impl Into<Arc<[u8]>>) -> Self {
        Document {
            name: name.into(),
            bytes: bytes.into(),
        }
    }
}

/// A send job: documents in order, options, and the clock for the TIFF's
/// DateTime.
#[derive(Debug, Clone, Default)]
pub struct SendJob {
    pub documents: Vec<Document>,
    pub options: SendOptions,
    pub clock: JobClock,
    /// Keep the bilevel pages in the output (for PNG previews).
    pub keep_pages: bool,
}

/// The result of a send job.
#[derive(Debug, Clone)]
pub struct SendOutput {
    /// The TIFF-F file.
    pub tiff: Vec<u8>,
    /// The pages as sent, when `keep_pages` was set.
    pub pages: Vec<BitImage>,
    pub report: SendReport,
}

/// The software tag of every TIFF we write.
pub fn software_tag() -> String {
    format!("faxrender {}", env!("CARGO_PKG_VERSION"))
}

/// Runs a send job.
pub fn run_send(job: &SendJob) -> Result<SendOutput> {
    let started = Instant::now();
    let opts = &job.options;
    let limits = &opts.limits;
    if job.documents.is_empty() {
        return Err(Error::invalid_option("the job has no document to send"));
    }
    let input_bytes: u64 = job.documents.iter().map(|d| d.bytes.len() as u64).sum();
    limits.check_input_bytes(input_bytes)?;

    // Open: cheap, and tells the page count before any rendering.
    let geom = opts.geometry();
    let ctx = input::OpenContext {
        limits: *limits,
        geometry: geom,
        fonts: crate::layout::Fonts::committed(),
    };
    let opened: Vec<input::OpenedDocument> = job
        .documents
        .par_iter()
        .map(|d| input::open(d.bytes.clone(), &ctx).map_err(|e| e.with_context(&d.name)))
        .collect::<Result<_>>()?;
    let total_pages: u64 = opened.iter().map(|o| o.pages.len() as u64).sum();
    limits.check_pages(total_pages)?;

    // Render, bilevel and encode each page independently.
    let coding = opts.compression.coding(opts.resolution);
    let encode_opts = EncodeOptions {
        coding,
        // TIFF-F readers expect byte-aligned EOLs for G3 (T4Options bit 2).
        eol_fill: opts.compression != Compression::G4,
        end_marker: false,
    };
    // (document, page index, pages in the document, page)
    let work: Vec<(&Document, usize, usize, &dyn PageSource)> = job
        .documents
        .iter()
        .zip(&opened)
        .flat_map(|(d, o)| {
            let n = o.pages.len();
            o.pages
                .iter()
                .enumerate()
                .map(move |(i, p)| (d, i, n, p.as_ref()))
        })
        .collect();
    let rendered: Vec<(EncodedPage, Option<BitImage>)> = work
        .par_iter()
        .map(|&(doc, index, doc_pages, source)| {
            let context = || {
                if doc_pages > 1 {
                    format!("{}, page {}", doc.name, index + 1)
                } else {
                    doc.name.clone()
                }
            };
            let bits = match source
                .render(&geom, limits)
                .map_err(|e| e.with_context(context()))?
            {
                RenderedPage::Gray(gray) => to_bilevel(&gray, opts.bilevel, opts.resolution),
                RenderedPage::Bits(bits) => bits,
            };
            let data = encode(&bits, &encode_opts);
            let page = EncodedPage {
                width: bits.width,
                rows: bits.height,
                x_dpi: geom.x_dpi(),
                y_dpi: geom.y_dpi(),
                compression: opts.compression,
                eol_fill: encode_opts.eol_fill,
                data,
            };
            Ok((page, job.keep_pages.then_some(bits)))
        })
        .collect::<Result<_>>()?;

    let (encoded, kept): (Vec<EncodedPage>, Vec<Option<BitImage>>) = rendered.into_iter().unzip();
    let meta = WriteMeta {
        software: software_tag(),
        datetime: job.clock.now().tiff(),
    };
    let tiff = write_tiff_f(&encoded, &meta);
    limits.check_output_bytes(tiff.len() as u64)?;

    let documents = job
        .documents
        .iter()
        .zip(&opened)
        .map(|(d, o)| DocumentReport {
            name: d.name.clone(),
            format: o.format.name().to_string(),
            bytes: d.bytes.len() as u64,
            pages: o.pages.len() as u32,
            warnings: o.warnings.clone(),
        })
        .collect();
    let report = SendReport {
        pages: encoded.len() as u32,
        tiff_bytes: tiff.len() as u64,
        options: *opts,
        documents,
        elapsed_ms: started.elapsed().as_millis() as u64,
    };
    Ok(SendOutput {
        tiff,
        pages: kept.into_iter().flatten().collect(),
        report,
    })
}
