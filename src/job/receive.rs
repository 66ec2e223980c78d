//! The receive job: an inbound fax TIFF in, a lossless PDF out (plus
//! optional PNG previews and a report). An inbound fax is never lost.
//!
//! Stages: check the input size; read the IFD chain (a broken chain keeps
//! the pages before the damage); refuse an over-limit page count before any
//! decoding; decode every page with our codec (in parallel) so nothing is
//! trusted unread; then per page either pass the fax's own bytes through to
//! the PDF (one clean strip of G3/G4, min-is-white) or code the decoded,
//! repaired rows again as G4 (lossless). Pages that cannot be read at all
//! are reported as lost; only when no page can be read is it an error.
//! The input bytes are only read, never changed.

use crate::bitmap::BitImage;
use crate::codec::{self, Coding, Decoded, EncodeOptions};
use crate::error::{Error, Result};
use crate::export::pdf::{write_pdf, CcittCoding, PdfDate, PdfInfo, PdfPage};
use crate::export::png::page_png;
use crate::export::thumbnail::{thumbnail_png, MAX_THUMB_WIDTH};
use crate::job::clock::JobClock;
use crate::job::report::{LostPage, PageOutput, ReceiveReport, ReceivedPageReport};
use crate::job::send::software_tag;
use crate::limits::Limits;
use crate::tiff::{read_tiff, TiffPage};
use rayon::prelude::*;
use std::sync::Arc;
use std::time::Instant;

/// TIFF Compression values this module tells apart.
const COMPRESSION_G3: u16 = 3;
const COMPRESSION_G4: u16 = 4;

/// A receive job: the fax TIFF, limits, the clock for the PDF's
/// CreationDate, and which previews to make.
#[derive(Debug, Clone, Default)]
pub struct ReceiveJob {
    /// A name for messages (the file name): errors carry it as context.
    pub name: String,
    pub tiff: Arc<[u8]>,
    pub limits: Limits,
    pub clock: JobClock,
    /// Make a full-size, aspect-corrected 1-bit PNG of every page.
    pub png_pages: bool,
    /// Also make a gray thumbnail this many pixels wide of every page.
    pub thumb_width: Option<u32>,
    /// Keep the decoded pages (as in the PDF) in the output.
    pub keep_pages: bool,
}

/// Previews of one PDF page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePreview {
    /// 1-based page number in the PDF.
    pub pdf_page: u32,
    /// Full size, aspect corrected, 1-bit (when `png_pages`).
    pub png: Option<Vec<u8>>,
    /// Gray thumbnail (when `thumb_width`).
    pub thumbnail: Option<Vec<u8>>,
}

/// The result of a receive job.
#[derive(Debug, Clone)]
pub struct ReceiveOutput {
    pub pdf: Vec<u8>,
    /// One entry per PDF page when previews were asked for, else empty.
    pub previews: Vec<PagePreview>,
    /// The decoded pages, repaired, exactly as the PDF shows them (when
    /// `keep_pages`).
    pub pages: Vec<BitImage>,
    pub report: ReceiveReport,
}

/// A page that was read: what goes into the PDF and the report.
struct ReceivedPage {
    pdf: PdfPage,
    image: BitImage,
    report: ReceivedPageReport,
}

/// Runs a receive job.
///
/// Errors: `LimitExceeded` over the byte or page limit; `BadInput` or
/// `Unsupported` when not one page can be read (the message gives each
/// page's reason); `InvalidOption` for a thumbnail width out of range.
pub fn run_receive(job: &ReceiveJob) -> Result<ReceiveOutput> {
    receive(job).map_err(|e| {
        if job.name.is_empty() {
            e
        } else {
            e.with_context(&job.name)
        }
    })
}

fn receive(job: &ReceiveJob) -> Result<ReceiveOutput> {
    let started = Instant::now();
    let limits = &job.limits;
    if let Some(w) = job.thumb_width {
        if w == 0 || w > MAX_THUMB_WIDTH {
            return Err(Error::invalid_option(format!(
                "thumbnail width {w} is out of range (1 to {MAX_THUMB_WIDTH})"
            )));
        }
    }
    limits.check_input_bytes(job.tiff.len() as u64)?;
    let file = read_tiff(&job.tiff, limits)?;
    limits.check_pages(file.pages.len() as u64)?;
    check_decoded_total(&file.pages, limits)?;
    let keep_images = job.keep_pages || job.png_pages || job.thumb_width.is_some();

    let results: Vec<std::result::Result<ReceivedPage, Error>> = file
        .pages
        .par_iter()
        .map(|page| receive_page(page, limits, keep_images))
        .collect();

    let mut warnings = file.warnings.clone();
    let mut received = Vec::new();
    let mut lost = Vec::new();
    let mut first_error: Option<Error> = None;
    for (page, result) in file.pages.iter().zip(results) {
        match result {
            Ok(mut r) => {
                r.report.pdf_page = received.len() as u32 + 1;
                warnings.extend(page_warnings(&r.report));
                received.push(r);
            }
            Err(e) => {
                // the page number is in the message already
                let reason = e.message.clone();
                warnings.push(format!("page {} was lost: {reason}", page.index + 1));
                lost.push(LostPage {
                    page: page.index as u32 + 1,
                    reason,
                });
                first_error.get_or_insert(e);
            }
        }
    }
    if received.is_empty() {
        let why: Vec<String> = lost
            .iter()
            .map(|l| format!("page {}: {}", l.page, l.reason))
            .collect();
        let kind = first_error.map_or(crate::error::ErrorKind::BadInput, |e| e.kind);
        return Err(Error::new(
            kind,
            format!("no page of the fax could be read ({})", why.join("; ")),
        ));
    }

    let first = &file.pages[0].fax;
    let tsi = file
        .pages
        .iter()
        .find_map(|p| p.fax.image_description.clone());
    let received_at = first.date_time.clone();
    let now = job.clock.now();
    let info = PdfInfo {
        producer: software_tag(),
        creator: first.software.clone(),
        creation_date: PdfDate {
            year: now.year.clamp(0, 9999) as u16,
            month: now.month as u8,
            day: now.day as u8,
            hour: now.hour as u8,
            minute: now.minute as u8,
            second: now.second as u8,
        },
        tsi: tsi.clone(),
        received: received_at.clone(),
    };
    let pdf_pages: Vec<PdfPage> = received.iter().map(|r| r.pdf.clone()).collect();
    let pdf = write_pdf(&pdf_pages, &info);

    let previews = if job.png_pages || job.thumb_width.is_some() {
        received
            .par_iter()
            .map(|r| preview(r, job))
            .collect::<Result<Vec<_>>>()?
    } else {
        Vec::new()
    };

    let pages_detail: Vec<ReceivedPageReport> = received.iter().map(|r| r.report.clone()).collect();
    let report = ReceiveReport {
        pages: pages_detail.len() as u32,
        pages_in_file: file.pages.len() as u32,
        bad_rows: pages_detail.iter().map(|p| p.bad_rows as u64).sum(),
        rows_missing: pages_detail
            .iter()
            .map(|p| p.rows_expected.saturating_sub(p.rows) as u64)
            .sum(),
        pages_detail,
        lost_pages: lost,
        warnings,
        tsi,
        received_at,
        tiff_bytes: job.tiff.len() as u64,
        pdf_bytes: pdf.len() as u64,
        elapsed_ms: started.elapsed().as_millis() as u64,
    };
    let pages = if job.keep_pages {
        received.into_iter().map(|r| r.image).collect()
    } else {
        Vec::new()
    };
    Ok(ReceiveOutput {
        pdf,
        previews,
        pages,
        report,
    })
}

/// Decodes one page and decides how it goes into the PDF.
/// Every decoded page is held until the PDF is written: the pages together
/// (1 bit per pixel, from the headers, before decoding) must fit in
/// `max_decoded_bytes`. 100 superfine A4 pages are ~100 MB.
fn check_decoded_total(pages: &[TiffPage], limits: &Limits) -> Result<()> {
    let total: u64 = pages
        .iter()
        .map(|p| BitImage::stride_for(p.width.min(codec::MAX_DECODE_WIDTH)) as u64 * p.rows as u64)
        .sum();
    if total > limits.max_decoded_bytes {
        return Err(Error::limit(format!(
            "the fax's {} pages would take {} MB decoded, over the limit of {} MB",
            pages.len(),
            total / (1024 * 1024),
            limits.max_decoded_bytes / (1024 * 1024)
        )));
    }
    Ok(())
}

/// Decodes one page and decides how it goes into the PDF. The decoded
/// image is dropped after coding unless `keep_image` (previews, tests).
fn receive_page(page: &TiffPage, limits: &Limits, keep_image: bool) -> Result<ReceivedPage> {
    let number = page.index as u32 + 1;
    let decoded = page.decode(limits)?;
    if decoded.image.height == 0 {
        return Err(Error::bad_input(format!(
            "not one row could be decoded{}",
            decoded
                .error
                .as_deref()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default()
        )));
    }
    let mut problems = page.problems.clone();
    let (x_dpi, y_dpi) = resolution(page, &mut problems);
    if page.orientation != 1 {
        problems.push(format!(
            "Orientation {} is not applied: the page is shown as stored",
            page.orientation
        ));
    }
    if let Some(e) = &decoded.error {
        problems.push(e.clone());
    }
    let (coding, data, output) = match pass_through(page, &decoded) {
        Some((coding, data)) => (coding, data, PageOutput::PassedThrough),
        None => (
            CcittCoding::Mmr,
            codec::encode(
                &decoded.image,
                &EncodeOptions {
                    coding: Coding::Mmr,
                    eol_fill: false,
                    end_marker: true,
                },
            ),
            PageOutput::ReEncoded,
        ),
    };
    let (width, rows) = (decoded.image.width, decoded.image.height);
    let image = if keep_image {
        decoded.image
    } else {
        BitImage::new(width, 0)
    };
    let report = ReceivedPageReport {
        page: number,
        pdf_page: 0, // numbered once the lost pages are known
        width,
        rows,
        rows_expected: page.rows,
        x_dpi,
        y_dpi,
        compression: compression_name(page),
        fill_order: page.fill_order,
        strips: page.strips.len() as u32,
        bad_rows: decoded.bad_rows,
        first_bad_row: decoded.first_bad_row,
        truncated: decoded.truncated,
        output,
        problems,
    };
    let pdf = PdfPage {
        width,
        rows,
        x_dpi,
        y_dpi,
        coding,
        // EOL fill needs no flag (see PdfPage::encoded_byte_align)
        encoded_byte_align: false,
        data,
    };
    Ok(ReceivedPage { pdf, image, report })
}

/// The page's own coded bytes, when a PDF reader can draw them exactly as
/// we decoded them: one strip of G3/G4 that decoded cleanly to every row,
/// min-is-white, no uncompressed mode. FillOrder 2 data is bit-reversed
/// (PDF has no fill order); EOL fill stays as it is.
fn pass_through(page: &TiffPage, decoded: &Decoded) -> Option<(CcittCoding, Vec<u8>)> {
    let clean = decoded.is_clean() && decoded.image.height == page.rows;
    if !clean || page.strips.len() != 1 || page.photometric != 0 {
        return None;
    }
    let coding = match page.compression {
        // T4Options bit 1 / T6Options bit 1: uncompressed mode, which
        // PDF readers handle unevenly.
        COMPRESSION_G3 if page.t4_options & 2 != 0 => return None,
        COMPRESSION_G4 if page.t6_options & 2 != 0 => return None,
        COMPRESSION_G3 if page.t4_options & 1 != 0 => CcittCoding::Mr,
        COMPRESSION_G3 => CcittCoding::Mh,
        COMPRESSION_G4 => CcittCoding::Mmr,
        _ => return None,
    };
    let mut data = page.strips[0].clone();
    if page.fill_order == 2 {
        codec::reverse_bits_in_place(&mut data);
    }
    Some((coding, data))
}

/// Sane dpi from the tags, or a fax default with a note: a page must have
/// a physical size in the PDF.
fn resolution(page: &TiffPage, problems: &mut Vec<String>) -> (f64, f64) {
    let sane = |v: Option<f64>| v.filter(|d| (10.0..=10_000.0).contains(d));
    let (x, y) = (sane(page.x_dpi), sane(page.y_dpi));
    if let (Some(x), Some(y)) = (x, y) {
        return (x, y);
    }
    // Fax widths mean 204 dpi across; a fax page's rows tell fine from
    // standard (a Letter/A4 page is ~1100 rows at 98 lpi).
    let fax_width = matches!(page.width, 1728 | 2048 | 2432);
    let x = x.unwrap_or(if fax_width { 204.0 } else { 200.0 });
    let y = y.unwrap_or(if fax_width {
        if page.rows < 1600 {
            98.0
        } else {
            196.0
        }
    } else {
        x
    });
    problems.push(format!(
        "the page has no usable resolution; {x:.0}x{y:.0} dpi assumed"
    ));
    (x, y)
}

fn compression_name(page: &TiffPage) -> String {
    match page.compression {
        1 => "none".into(),
        2 => "ccitt-rle".into(),
        COMPRESSION_G3 if page.t4_options & 1 != 0 => "g3-2d".into(),
        COMPRESSION_G3 => "g3".into(),
        COMPRESSION_G4 => "g4".into(),
        32773 => "packbits".into(),
        other => format!("unknown ({other})"),
    }
}

/// Report lines a person should see for a damaged page.
fn page_warnings(p: &ReceivedPageReport) -> Vec<String> {
    let mut out = Vec::new();
    if p.bad_rows > 0 {
        out.push(format!(
            "page {}: {} damaged row{} repaired (first at row {})",
            p.page,
            p.bad_rows,
            if p.bad_rows == 1 { "" } else { "s" },
            p.first_bad_row.unwrap_or(0)
        ));
    }
    if p.truncated {
        out.push(format!(
            "page {}: truncated, {} of {} rows could be read",
            p.page, p.rows, p.rows_expected
        ));
    }
    out
}

fn preview(r: &ReceivedPage, job: &ReceiveJob) -> Result<PagePreview> {
    let (x, y) = (r.report.x_dpi, r.report.y_dpi);
    Ok(PagePreview {
        pdf_page: r.report.pdf_page,
        png: job
            .png_pages
            .then(|| page_png(&r.image, x, y))
            .transpose()?,
        thumbnail: job
            .thumb_width
            .map(|w| thumbnail_png(&r.image, x, y, w))
            .transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::Compression;
    use crate::error::ErrorKind;
    use crate::tiff::{write_tiff_f, EncodedPage, WriteMeta};

    /// A page with a few black bars, 1728 wide.
    fn bars(rows: u32) -> BitImage {
        let mut img = BitImage::new(1728, rows);
        for y in 0..rows {
            for x in 0..1728 {
                if (x / 50 + y / 30) % 3 == 0 {
                    img.set(x, y, true);
                }
            }
        }
        img
    }

    fn tiff(pages: &[(BitImage, Compression, u32)]) -> Vec<u8> {
        let encoded: Vec<EncodedPage> = pages
            .iter()
            .map(|(img, c, y_dpi)| {
                let eol_fill = *c != Compression::G4;
                let k = if *y_dpi < 150 { 2 } else { 4 };
                let coding = match c {
                    Compression::G3 => Coding::Mh,
                    Compression::G3_2D => Coding::Mr { k },
                    Compression::G4 => Coding::Mmr,
                };
                EncodedPage {
                    width: img.width,
                    rows: img.height,
                    x_dpi: 204,
                    y_dpi: *y_dpi,
                    compression: *c,
                    eol_fill,
                    data: codec::encode(
                        img,
                        &EncodeOptions {
                            coding,
                            eol_fill,
                            end_marker: false,
                        },
                    ),
                }
            })
            .collect();
        write_tiff_f(
            &encoded,
            &WriteMeta {
                software: "test".into(),
                datetime: "2026:11:29 12:00:00".into(),
            },
        )
    }

    fn job(bytes: Vec<u8>) -> ReceiveJob {
        ReceiveJob {
            name: "fax.tif".into(),
            tiff: bytes.into(),
            clock: JobClock::Fixed(1_795_953_600),
            keep_pages: true,
            ..ReceiveJob::default()
        }
    }

    #[test]
    fn clean_pages_pass_through_byte_for_byte() {
        let pages = [
            (bars(200), Compression::G4, 196),
            (bars(100), Compression::G3_2D, 98),
            (bars(300), Compression::G3, 391),
        ];
        let bytes = tiff(&pages);
        let out = run_receive(&job(bytes.clone())).unwrap();
        assert_eq!(out.report.pages, 3);
        assert_eq!(out.report.bad_rows, 0);
        assert!(out.report.warnings.is_empty(), "{:?}", out.report.warnings);
        let file = read_tiff(&bytes, &Limits::default()).unwrap();
        for (i, d) in out.report.pages_detail.iter().enumerate() {
            assert_eq!(d.output, PageOutput::PassedThrough, "page {}", i + 1);
            assert_eq!(out.pages[i], pages[i].0);
            // the strip is in the PDF as it is
            let strip = &file.pages[i].strips[0];
            assert!(out.pdf.windows(strip.len()).any(|w| w == &strip[..]));
        }
        assert_eq!(
            out.report
                .pages_detail
                .iter()
                .map(|d| d.compression.as_str())
                .collect::<Vec<_>>(),
            ["g4", "g3-2d", "g3"]
        );
        assert_eq!(out.report.pages_detail[2].y_dpi, 391.0);
        // deterministic with a fixed clock
        assert_eq!(out.pdf, run_receive(&job(bytes)).unwrap().pdf);
    }

    #[test]
    fn damaged_g3_rows_are_repaired_and_the_page_re_encoded() {
        let img = bars(120);
        let mut bytes = tiff(&[(img.clone(), Compression::G3, 98)]);
        let strip_at = 8; // the writer puts the strip right after the header
        for b in &mut bytes[strip_at + 400..strip_at + 420] {
            *b = 0xFF; // not a valid code
        }
        let out = run_receive(&job(bytes)).unwrap();
        let d = &out.report.pages_detail[0];
        assert!(d.bad_rows > 0, "{d:?}");
        assert_eq!(d.output, PageOutput::ReEncoded);
        // G3 resynchronises at the next EOL: at most the rows whose EOLs
        // were overwritten are missing at the end
        assert!(d.rows >= 115 && d.rows_expected == 120, "{d:?}");
        assert!(
            out.report.warnings[0].contains("damaged row"),
            "{:?}",
            out.report.warnings
        );
    }

    #[test]
    fn nothing_readable_is_an_error_and_limits_are_refused() {
        let e = run_receive(&job(b"II*\0\xff\0\0\0".to_vec())).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadInput);
        assert!(e.to_string().starts_with("fax.tif: "), "{e}");

        let bytes = tiff(&[
            (bars(40), Compression::G4, 196),
            (bars(40), Compression::G4, 196),
        ]);
        let mut j = job(bytes.clone());
        j.limits.max_pages = 1;
        assert_eq!(run_receive(&j).unwrap_err().kind, ErrorKind::LimitExceeded);
        let mut j = job(bytes.clone());
        j.limits.max_bytes = 100;
        assert_eq!(run_receive(&j).unwrap_err().kind, ErrorKind::LimitExceeded);
        // two pages of 216 x 40 bytes decoded
        let mut j = job(bytes);
        j.limits.max_decoded_bytes = 216 * 40 * 2 - 1;
        let e = run_receive(&j).unwrap_err();
        assert_eq!(e.kind, ErrorKind::LimitExceeded);
        assert!(e.to_string().contains("decoded"), "{e}");
    }

    #[test]
    fn previews_and_thumbnails() {
        let mut j = job(tiff(&[(bars(100), Compression::G4, 98)]));
        j.png_pages = true;
        j.thumb_width = Some(100);
        let out = run_receive(&j).unwrap();
        assert_eq!(out.previews.len(), 1);
        assert!(out.previews[0]
            .png
            .as_ref()
            .unwrap()
            .starts_with(b"\x89PNG"));
        assert!(out.previews[0].thumbnail.is_some());
        j.thumb_width = Some(0);
        assert_eq!(run_receive(&j).unwrap_err().kind, ErrorKind::InvalidOption);
    }

    #[test]
    fn missing_resolution_is_assumed_and_noted() {
        let mut page = read_tiff(
            &tiff(&[(bars(40), Compression::G4, 98)]),
            &Limits::default(),
        )
        .unwrap()
        .pages
        .remove(0);
        page.x_dpi = None;
        page.y_dpi = None;
        let mut problems = Vec::new();
        assert_eq!(resolution(&page, &mut problems), (204.0, 98.0));
        assert!(problems[0].contains("assumed"));
    }
}
