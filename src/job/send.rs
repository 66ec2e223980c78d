//! The send job: documents in, one TIFF-F out, with a cover and a header
//! line on every page.
//!
//! Stages, cheapest first so that a job that will be refused is refused
//! before anything expensive runs:
//! 1. check the recipient number, caller ID and input size;
//! 2. open the cover file and every document in parallel (sniffing,
//!    headers, and the layout of flow documents): the page count is known;
//! 3. refuse an over-limit fax; compose the cover sheet (it shows the total
//!    page count, so it is laid out last) and check the limit again;
//! 4. per page, in parallel (rayon): render, make bilevel, stamp the header,
//!    encode; pages are independent, so the bytes do not depend on the
//!    thread count;
//! 5. assemble the TIFF in page order and check its size.
use crate::bitmap::BitImage;
use crate::codec::{encode, Compression, EncodeOptions};
use crate::error::{Error, Result};
use crate::input::cover::{compose, CoverSheet};
use crate::input::{self, PageSource};
use crate::job::caller_id::CallerId;
use crate::job::clock::{JobClock, UtcOffset};
use crate::job::estimate::estimate;
use crate::job::header::{clean_name, JobHeader};
use crate::job::numbers::Recipient;
use crate::job::options::SendOptions;
use crate::job::report::{DocumentReport, DocumentRole, SendReport, StageTimings};
use crate::stamp::{band_rows, HeaderTemplate};
use crate::tiff::{write_tiff_f, EncodedPage, WriteMeta};
use rayon::prelude::*;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One document of a job: a name for messages and its bytes.
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub bytes: Arc<[u8]>,
    /// The folder of a local file: an HTML document may read style sheets
    /// and images below it (never above). `None` for uploaded documents.
    pub base_dir: Option<std::path::PathBuf>,
    /// A file other documents refer to (an HTML document's image), not a
    /// page itself. See [`SendJob`] for how documents refer to each other.
    pub resource_only: bool,
}

impl Document {
    pub fn new(name: impl Into<String>, bytes: impl Into<Arc<[u8]>>) -> Self {
        Document {
            name: name.into(),
            bytes: bytes.into(),
            base_dir: None,
            resource_only: false,
        }
    }

    /// A file HTML documents of the job may refer to by name, never a page.
    pub fn resource(name: impl Into<String>, bytes: impl Into<Arc<[u8]>>) -> Self {
        Document {
            resource_only: true,
            ..Document::new(name, bytes)
        }
    }

    /// The same document, allowed to refer to files in `dir`.
    pub fn with_base_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.base_dir = Some(dir.into());
        self
    }

    /// A style sheet or resource sent along with an HTML document: never a
    /// page.
    fn is_resource(&self) -> bool {
        self.resource_only || self.name.to_ascii_lowercase().ends_with(".css")
    }

    /// The name other documents refer to it by (its last path component).
    fn file_name(&self) -> &str {
        self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name)
    }
}

/// The portal's cover choice.
#[derive(Debug, Clone, Default)]
pub enum Cover {
    /// No cover page.
    #[default]
    None,
    /// A cover sheet typeset from the user's text.
    Compose(CoverText),
    /// Any accepted document; its pages go first.
    File(Document),
}

/// What the user typed for a composed cover sheet. The recipient number,
/// caller ID, date and page count come from the job.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoverText {
    pub to_name: Option<String>,
    /// The sender's name on the sheet; the job's `sender` when `None`.
    pub from_name: Option<String>,
    pub subject: Option<String>,
    /// The message body (may be empty; a long one continues on more pages).
    pub message: String,
}

/// A send job: documents in order, the cover, who sends to whom, the header
/// template, options, and the clock and UTC offset for the header's date
/// and time and the TIFF's DateTime.
///
/// `recipient` and `caller_id` are taken as typed and checked first thing
/// (see [`Recipient::parse`], [`CallerId::parse`]). With `header: None` the
/// pages carry no header line and no band is reserved (what `convert`
/// does); a fax to send always has one.
///
/// Files referring to files: an HTML document may use any other file of the
/// job by its name (the last component of [`Document::name`]) as a style
/// sheet or image; a document named `*.css` or made with
/// [`Document::resource`] is such a file only, never pages. A local file
/// ([`Document::base_dir`]) may also use files below its own folder.
#[derive(Debug, Clone, Default)]
pub struct SendJob {
    pub documents: Vec<Document>,
    pub cover: Cover,
    /// The number to fax to; needed for a header line or a composed cover.
    pub recipient: Option<String>,
    /// The DID chosen by the user; `None` or blank gives `0000000000`.
    pub caller_id: Option<String>,
    /// The sender's name for the header line (and the cover's From).
    pub sender: Option<String>,
    /// The header line's template; `None`: no header line.
    pub header: Option<HeaderTemplate>,
    pub options: SendOptions,
    pub clock: JobClock,
    /// The offset the header's date and time (and the TIFF's DateTime)
    /// are shown in.
    pub utc_offset: UtcOffset,
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

/// Every file of the job by the name documents refer to it by.
fn job_files(job: &SendJob) -> std::collections::BTreeMap<String, Arc<[u8]>> {
    job.documents
        .iter()
        .map(|d| (d.file_name().to_string(), d.bytes.clone()))
        .collect()
}

/// Runs a send job.
///
/// Errors: `InvalidOption` for a bad recipient number, caller ID or an
/// empty job; `LimitExceeded` over the page or byte limit (before any page
/// is rendered when the count is known); `BadInput`/`Unsupported` for a
/// document that cannot be read (the error names it).
pub fn run_send(job: &SendJob) -> Result<SendOutput> {
    let started = Instant::now();
    let opts = &job.options;
    let limits = &opts.limits;

    // 1. Everything that can be checked without reading a document.
    let recipient = job.recipient.as_deref().map(Recipient::parse).transpose()?;
    let caller_id = CallerId::parse(job.caller_id.as_deref())?;
    let sender = clean_name(job.sender.as_deref());
    let needs_recipient = job.header.is_some() || matches!(job.cover, Cover::Compose(_));
    if needs_recipient && recipient.is_none() {
        return Err(Error::invalid_option(
            "a recipient number is needed for the header line and the cover sheet",
        ));
    }
    if job.documents.is_empty() && matches!(job.cover, Cover::None) {
        return Err(Error::invalid_option("the job has no document to send"));
    }
    let cover_file = match &job.cover {
        Cover::File(d) => Some(d),
        _ => None,
    };
    // The cover file first: its pages lead the fax.
    let inputs: Vec<(&Document, DocumentRole)> = cover_file
        .map(|d| (d, DocumentRole::Cover))
        .into_iter()
        .chain(
            job.documents
                .iter()
                .filter(|d| !d.is_resource())
                .map(|d| (d, DocumentRole::Document)),
        )
        .collect();
    if inputs.is_empty() && !matches!(job.cover, Cover::Compose(_)) {
        return Err(Error::invalid_option(
            "the job has only style sheets, no document to send",
        ));
    }
    let input_bytes: u64 = inputs.iter().map(|(d, _)| d.bytes.len() as u64).sum();
    limits.check_input_bytes(input_bytes)?;

    // One instant for the whole job: every page shows the same time.
    let unix_now = job.clock.unix_seconds();
    let local_now = job.utc_offset.local(unix_now);
    let res = opts.resolution;
    let header_rows = if job.header.is_some() {
        band_rows(res)
    } else {
        0
    };
    let geom = opts.geometry().with_header_rows(header_rows);
    let fonts = crate::layout::Fonts::committed();
    let ctx = input::OpenContext {
        limits: *limits,
        geometry: geom,
        fonts: fonts.clone(),
        resources: Default::default(),
    };

    // 2. Open: cheap, and tells the page count before any rendering.
    let t_open = Instant::now();
    let files = job_files(job);
    let opened: Vec<input::OpenedDocument> = inputs
        .par_iter()
        .map(|(d, _)| {
            let ctx = input::OpenContext {
                resources: Arc::new(input::Resources {
                    base_dir: d.base_dir.clone(),
                    files: files.clone(),
                }),
                ..ctx.clone()
            };
            input::open(d.bytes.clone(), &ctx).map_err(|e| e.with_context(&d.name))
        })
        .collect::<Result<_>>()?;
    let open_ms = ms(t_open.elapsed());
    let opened_pages: u64 = opened.iter().map(|o| o.pages.len() as u64).sum();
    limits.check_pages(opened_pages)?;

    // 3. The composed cover knows the total only now; it goes first.
    let t_cover = Instant::now();
    let mut parts: Vec<Part> = Vec::with_capacity(inputs.len() + 1);
    if let (Cover::Compose(text), Some(to)) = (&job.cover, &recipient) {
        let sheet = CoverSheet {
            to_name: clean_name(text.to_name.as_deref()),
            to_number: to.display(),
            from_name: clean_name(text.from_name.as_deref()).or_else(|| sender.clone()),
            caller_id: caller_id.digits().to_string(),
            date: format!(
                "{} {} (UTC{})",
                local_now.header_date(),
                local_now.header_time(),
                job.utc_offset
            ),
            subject: clean_name(text.subject.as_deref()),
            message: text.message.clone(),
        };
        let pages_after = u32::try_from(opened_pages).unwrap_or(u32::MAX);
        let doc = compose(&sheet, pages_after, &ctx).map_err(|e| e.with_context("cover sheet"))?;
        parts.push(Part {
            name: "cover sheet".to_string(),
            role: DocumentRole::Cover,
            format: "cover sheet".to_string(),
            bytes: 0,
            doc,
        });
    }
    let cover_ms = ms(t_cover.elapsed());
    for ((d, role), doc) in inputs.iter().zip(opened) {
        parts.push(Part {
            name: d.name.clone(),
            role: *role,
            format: doc.format.name().to_string(),
            bytes: d.bytes.len() as u64,
            doc,
        });
    }
    let total_pages: u64 = parts.iter().map(|p| p.doc.pages.len() as u64).sum();
    limits.check_pages(total_pages)?;
    let total_pages = total_pages as u32; // ≤ max_pages (u32)

    let header = match (&job.header, &recipient) {
        (Some(template), Some(to)) => Some(JobHeader::new(
            template.clone(),
            &local_now,
            sender.as_deref(),
            &caller_id,
            to,
            total_pages,
        )),
        _ => None,
    };

    // 4. Render, bilevel, stamp and encode each page independently.
    let coding = opts.compression.coding(res);
    let encode_opts = EncodeOptions {
        coding,
        // TIFF-F readers expect byte-aligned EOLs for G3 (T4Options bit 2).
        eol_fill: opts.compression != Compression::G4,
        end_marker: false,
    };
    let work: Vec<PageWork> = parts
        .iter()
        .flat_map(|part| {
            let n = part.doc.pages.len();
            part.doc
                .pages
                .iter()
                .enumerate()
                .map(move |(index, source)| PageWork {
                    part,
                    index,
                    doc_pages: n,
                    source: source.as_ref(),
                })
        })
        .collect();
    let t_pages = Instant::now();
    let done: Vec<PageDone> = work
        .par_iter()
        .enumerate()
        .map(|(i, w)| {
            let t_render = Instant::now();
            let mut bits = w
                .source
                .render_bilevel(&geom, limits, opts.bilevel)
                .map_err(|e| e.with_context(w.context()))?;
            let cut = header
                .as_ref()
                .is_some_and(|h| h.stamp(&mut bits, i as u32 + 1, header_rows, res, &fonts));
            let render = t_render.elapsed();
            let t_encode = Instant::now();
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
            Ok(PageDone {
                page,
                bits: job.keep_pages.then_some(bits),
                header_cut: cut,
                render,
                encode: t_encode.elapsed(),
            })
        })
        .collect::<Result<_>>()?;
    let pages_wall_ms = ms(t_pages.elapsed());

    // 5. The TIFF, in page order.
    let t_write = Instant::now();
    let meta = WriteMeta {
        software: software_tag(),
        datetime: local_now.tiff(),
    };
    let page_data_bytes: Vec<u64> = done.iter().map(|d| d.page.data.len() as u64).collect();
    let header_cut_pages: Vec<u32> = (1..)
        .zip(&done)
        .filter(|(_, d)| d.header_cut)
        .map(|(n, _)| n)
        .collect();
    let render_ms = ms(done.iter().map(|d| d.render).sum());
    let encode_ms = ms(done.iter().map(|d| d.encode).sum());
    let (encoded, kept): (Vec<EncodedPage>, Vec<Option<BitImage>>) =
        done.into_iter().map(|d| (d.page, d.bits)).unzip();
    let tiff = write_tiff_f(&encoded, &meta);
    let write_ms = ms(t_write.elapsed());
    limits.check_output_bytes(tiff.len() as u64)?;

    let report = report(ReportInput {
        job,
        parts: &parts,
        page_data_bytes: &page_data_bytes,
        header_cut_pages: &header_cut_pages,
        tiff_bytes: tiff.len() as u64,
        caller_id,
        recipient,
        sender,
        header: header.as_ref().map(|h| h.text(1)),
        timing: StageTimings {
            open_ms,
            cover_ms,
            render_ms,
            encode_ms,
            pages_wall_ms,
            write_ms,
            total_ms: ms(started.elapsed()),
        },
    });
    Ok(SendOutput {
        tiff,
        pages: kept.into_iter().flatten().collect(),
        report,
    })
}

/// One part of the fax, opened: the cover or a document.
struct Part {
    name: String,
    role: DocumentRole,
    format: String,
    bytes: u64,
    doc: input::OpenedDocument,
}

/// One page to make.
struct PageWork<'a> {
    part: &'a Part,
    /// 0-based in its document.
    index: usize,
    doc_pages: usize,
    source: &'a dyn PageSource,
}

impl PageWork<'_> {
    /// Error context: the document, and the page when it has several.
    fn context(&self) -> String {
        if self.doc_pages > 1 {
            format!("{}, page {}", self.part.name, self.index + 1)
        } else {
            self.part.name.clone()
        }
    }
}

/// One page made.
struct PageDone {
    page: EncodedPage,
    bits: Option<BitImage>,
    header_cut: bool,
    render: Duration,
    encode: Duration,
}

struct ReportInput<'a> {
    job: &'a SendJob,
    parts: &'a [Part],
    /// Coded bytes of each page, in order.
    page_data_bytes: &'a [u64],
    /// 1-based numbers of the pages whose header was cut.
    header_cut_pages: &'a [u32],
    tiff_bytes: u64,
    caller_id: CallerId,
    recipient: Option<Recipient>,
    sender: Option<String>,
    header: Option<String>,
    timing: StageTimings,
}

fn report(r: ReportInput<'_>) -> SendReport {
    let mut first_page = 1;
    let documents: Vec<DocumentReport> = r
        .parts
        .iter()
        .map(|p| {
            let pages = p.doc.pages.len() as u32;
            let d = DocumentReport {
                name: p.name.clone(),
                role: p.role,
                format: p.format.clone(),
                bytes: p.bytes,
                pages,
                first_page,
                warnings: p.doc.warnings.clone(),
            };
            first_page += pages;
            d
        })
        .collect();
    let mut warnings: Vec<String> = documents
        .iter()
        .flat_map(|d| d.warnings.iter().map(move |w| format!("{}: {w}", d.name)))
        .collect();
    let cut: Vec<String> = r.header_cut_pages.iter().map(u32::to_string).collect();
    if !cut.is_empty() {
        warnings.push(format!(
            "the header line is too long for the page width and was cut with an ellipsis \
             (page{} {}): shorten the sender name or the template",
            if cut.len() == 1 { "" } else { "s" },
            cut.join(", ")
        ));
    }
    SendReport {
        pages: r.page_data_bytes.len() as u32,
        tiff_bytes: r.tiff_bytes,
        options: r.job.options,
        documents,
        caller_id: r.caller_id,
        recipient: r.recipient,
        sender: r.sender,
        header: r.header,
        utc_offset: r.job.utc_offset,
        transmission: estimate(r.page_data_bytes),
        warnings,
        timing: r.timing,
        elapsed_ms: r.timing.total_ms,
    }
}

fn ms(d: Duration) -> u64 {
    d.as_millis() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::limits::Limits;

    /// A small gray PNG with a pattern that depends on `seed`.
    fn png(seed: u32) -> Arc<[u8]> {
        let (w, h) = (120u32, 90u32);
        let img = ::image::GrayImage::from_fn(w, h, |x, y| {
            ::image::Luma([if (x / 7 + y / 5 + seed).is_multiple_of(3) {
                0
            } else {
                255
            }])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, ::image::ImageFormat::Png).unwrap();
        out.into_inner().into()
    }

    /// A PNG whose header is fine but whose data is cut: it opens, and
    /// fails only when rendered.
    fn png_that_fails_to_render() -> Arc<[u8]> {
        let full = png(9);
        full[..60].to_vec().into()
    }

    fn docs(n: u32) -> Vec<Document> {
        (0..n)
            .map(|i| Document::new(format!("p{i}.png"), png(i)))
            .collect()
    }

    fn job(documents: Vec<Document>) -> SendJob {
        SendJob {
            documents,
            options: SendOptions {
                resolution: crate::geometry::Resolution::Standard,
                ..SendOptions::default()
            },
            clock: JobClock::Fixed(1_795_953_600),
            keep_pages: true,
            ..SendJob::default()
        }
    }

    #[test]
    fn output_does_not_depend_on_the_thread_count() {
        let j = job(docs(5));
        let run_in = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| run_send(&j).unwrap().tiff)
        };
        let one = run_in(1);
        let four = run_in(4);
        assert!(one == four, "1 and 4 threads give different bytes");
        assert!(one.len() > 1000);
    }

    #[test]
    fn bad_numbers_are_refused_before_any_document_is_opened() {
        let garbage = vec![Document::new("junk.bin", vec![0u8; 10])];
        let mut j = job(garbage);
        j.recipient = Some("212-555-0123".into());
        let e = run_send(&j).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidOption);
        assert!(e.message.contains("add the leading 1"), "{e}");
        j.recipient = Some("1 212 555 0123".into());
        j.caller_id = Some("555-0123".into());
        let e = run_send(&j).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidOption);
        assert!(e.message.contains("caller ID"), "{e}");
    }

    #[test]
    fn a_composed_cover_needs_a_recipient_and_a_job_needs_content() {
        let mut j = job(docs(1));
        j.cover = Cover::Compose(CoverText::default());
        let e = run_send(&j).unwrap_err();
        assert!(e.message.contains("recipient number is needed"), "{e}");
        let e = run_send(&job(Vec::new())).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidOption);
    }

    #[test]
    fn the_page_limit_is_checked_before_any_page_is_rendered() {
        let mut documents = docs(2);
        documents.push(Document::new("cut.png", png_that_fails_to_render()));
        let mut j = job(documents.clone());
        j.options.limits = Limits {
            max_pages: 2,
            ..Limits::default()
        };
        let started = Instant::now();
        let e = run_send(&j).unwrap_err();
        assert_eq!(e.kind, ErrorKind::LimitExceeded, "{e}");
        assert!(
            e.message.contains("3 pages") && e.message.contains("limit of 2"),
            "{e}"
        );
        assert!(started.elapsed() < Duration::from_millis(200));
        // Within the limit, the cut PNG is what fails, and is named.
        j.options.limits = Limits::default();
        let e = run_send(&j).unwrap_err();
        assert_eq!(e.context.as_deref(), Some("cut.png"), "{e}");
    }

    #[test]
    fn the_byte_limit_counts_the_cover_file_too() {
        let mut j = job(docs(1));
        let one = j.documents[0].bytes.len() as u64;
        j.cover = Cover::File(Document::new("cover.png", png(7)));
        j.options.limits.max_bytes = one + 10;
        let e = run_send(&j).unwrap_err();
        assert_eq!(e.kind, ErrorKind::LimitExceeded, "{e}");
    }

    #[test]
    fn cover_file_pages_go_first_and_the_report_numbers_them() {
        let mut j = job(docs(2));
        j.cover = Cover::File(Document::new("cover.png", png(7)));
        let out = run_send(&j).unwrap();
        let r = &out.report;
        assert_eq!(r.pages, 3);
        let roles: Vec<_> = r.documents.iter().map(|d| (d.role, d.first_page)).collect();
        assert_eq!(
            roles,
            vec![
                (DocumentRole::Cover, 1),
                (DocumentRole::Document, 2),
                (DocumentRole::Document, 3)
            ]
        );
        let alone = run_send(&job(vec![Document::new("cover.png", png(7))])).unwrap();
        assert!(out.pages[0] == alone.pages[0], "the cover is page 1");
    }

    #[test]
    fn the_report_has_the_caller_id_estimates_and_stage_times() {
        let mut j = job(docs(2));
        j.recipient = Some("+44 20 7946 0000".into());
        let out = run_send(&j).unwrap();
        let r = &out.report;
        assert_eq!(r.caller_id.digits(), "0000000000");
        assert_eq!(r.recipient.as_ref().unwrap().digits(), "011442079460000");
        assert_eq!(r.tiff_bytes, out.tiff.len() as u64);
        let rates: Vec<u32> = r.transmission.iter().map(|t| t.bit_rate).collect();
        assert_eq!(rates, vec![9_600, 14_400, 33_600]);
        assert!(r.transmission[0].ms > r.transmission[2].ms);
        assert!(r.timing.total_ms >= r.timing.pages_wall_ms);
        assert_eq!(r.header, None, "no header template, no header line");
        let json: serde_json::Value = serde_json::to_value(r).unwrap();
        for key in [
            "pages",
            "bytes",
            "caller_id",
            "documents",
            "warnings",
            "timing",
        ] {
            assert!(json.get(key).is_some(), "{key} missing from {json}");
        }
        assert_eq!(json["documents"][1]["pages"], 1);
        assert_eq!(json["options"]["resolution"], "standard");
        assert_eq!(json["caller_id"], "0000000000");
    }
}
