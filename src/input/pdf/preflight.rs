//! A quick look at a PDF's raw bytes before any renderer sees it: images
//! whose declared size is a decompression bomb are refused up front, and a
//! bound on the page count tells how many workers are worth starting.
//!
//! Why a byte scan: a stream's dictionary is never inside an object stream
//! (the PDF spec forbids it), so every image's /Width and /Height, and the
//! page size inside a JBIG2 stream, are readable in the file as it is,
//! without parsing or inflating anything. PDFium would otherwise try to
//! allocate a 100000 x 100000 image (1.2 GB per stream) or, when such a
//! stream is misused as page content, skip it silently.

use crate::error::{Error, Result};

/// How many times an image may exceed the picture limit inside a PDF:
/// renderers downsample while decoding, and a large-format scan (A0 at
/// 300 dpi is 139 MP) is legitimate.
const PDF_IMAGE_FACTOR: u64 = 4;
/// Only the first bytes of a stream dictionary are looked at.
const DICT_WINDOW: usize = 4096;

/// Refuses a PDF holding an image larger than `max_pixels` x
/// [`PDF_IMAGE_FACTOR`] pixels (declared by an image dictionary or inside
/// a JBIG2 stream).
pub fn check_images(bytes: &[u8], max_pixels: u64) -> Result<()> {
    let cap = max_pixels.saturating_mul(PDF_IMAGE_FACTOR);
    for at in memchr::memmem::find_iter(bytes, b"stream") {
        let from = at + 6;
        // "endstream" also contains "stream".
        if at >= 3 && &bytes[at - 3..at] == b"end" {
            continue;
        }
        let dict = stream_dict(bytes, at);
        let declared = match (int_after(dict, b"/Width"), int_after(dict, b"/Height")) {
            (Some(w), Some(h)) => Some((w, h)),
            _ if find(dict, b"/JBIG2Decode").is_some() => jbig2_page_size(data_start(bytes, from)),
            _ => None,
        };
        if let Some((w, h)) = declared {
            if w.saturating_mul(h) > cap {
                return Err(Error::limit(format!(
                    "the PDF holds an image of {w} x {h} pixels, more than the {} megapixel limit for images in a PDF (a decompression bomb?)",
                    cap / 1_000_000
                )));
            }
        }
    }
    Ok(())
}

/// An upper bound on the page count read from the raw bytes, when there is
/// one to read: the largest direct `/Count` in the file. The page tree's
/// root holds the page count there; other page-tree nodes and outline items
/// hold smaller or unrelated counts, which can only raise the bound. `None`
/// when the file has no `/Count` in the open, has object streams (the page
/// tree may be compressed inside one, out of sight) or gives a count as a
/// reference. Used only to start fewer workers for a short document: a
/// wrong guess costs a worker start, never a page.
pub fn page_count_bound(bytes: &[u8]) -> Option<u64> {
    if find(bytes, b"/ObjStm").is_some() {
        return None;
    }
    let mut largest = None;
    for at in memchr::memmem::find_iter(bytes, b"/Count") {
        let rest = &bytes[at + 6..];
        // /Count must not match /CountFoo
        if rest.first().is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let value = rest
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .map(|p| &rest[p..])?;
        if value.first() == Some(&b'-') {
            // a closed outline item's count, not pages
            continue;
        }
        let digits = value.iter().take_while(|c| c.is_ascii_digit()).count();
        let after = value[digits..].iter().find(|c| !c.is_ascii_whitespace());
        if digits == 0 || digits > 9 || after.is_some_and(|c| c.is_ascii_digit()) {
            // not a number, or a reference "12 0 R"
            return None;
        }
        let n: u64 = std::str::from_utf8(&value[..digits]).ok()?.parse().ok()?;
        largest = largest.max(Some(n));
    }
    largest
}

/// The dictionary text before the `stream` keyword at `at`: back to the
/// nearest "obj", at most [`DICT_WINDOW`] bytes.
fn stream_dict(bytes: &[u8], at: usize) -> &[u8] {
    let start = at.saturating_sub(DICT_WINDOW);
    let window = &bytes[start..at];
    match rfind(window, b"obj") {
        Some(p) => &window[p..],
        None => window,
    }
}

/// The stream data after the keyword's end of line.
fn data_start(bytes: &[u8], after_keyword: usize) -> &[u8] {
    let mut i = after_keyword;
    if bytes.get(i) == Some(&b'\r') {
        i += 1;
    }
    if bytes.get(i) == Some(&b'\n') {
        i += 1;
    }
    &bytes[i.min(bytes.len())..]
}

/// The page size of an embedded JBIG2 stream (T.88 without the file
/// header): its first segment is the page information (type 48).
fn jbig2_page_size(data: &[u8]) -> Option<(u64, u64)> {
    let flags = *data.get(4)?;
    if flags & 0x3F != 48 {
        return None;
    }
    let referred = *data.get(5)? >> 5;
    if referred > 4 {
        return None;
    }
    let segment_number = u32::from_be_bytes(data.get(0..4)?.try_into().ok()?);
    let ref_size = match segment_number {
        0..=256 => 1,
        257..=65536 => 2,
        _ => 4,
    };
    let page_size = if flags & 0x40 != 0 { 4 } else { 1 };
    let header = 6 + referred as usize * ref_size + page_size + 4;
    let body = data.get(header..header + 8)?;
    let w = u32::from_be_bytes(body[0..4].try_into().ok()?) as u64;
    let h = u32::from_be_bytes(body[4..8].try_into().ok()?) as u64;
    // 0xFFFFFFFF height means "striped, unknown yet": not a declaration.
    (h != 0xFFFF_FFFF).then_some((w, h))
}

/// The non-negative integer right after `key` (a direct value only: an
/// indirect reference "12 0 R" is not followed).
fn int_after(dict: &[u8], key: &[u8]) -> Option<u64> {
    let mut from = 0;
    while let Some(p) = find(&dict[from..], key) {
        let end = from + p + key.len();
        from = end;
        // /Width must not match /WidthFoo.
        if dict.get(end).is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let rest = &dict[end..];
        let digits_at = rest.iter().position(|c| !c.is_ascii_whitespace())?;
        let digits: Vec<u8> = rest[digits_at..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .copied()
            .collect();
        let tail = &rest[digits_at + digits.len()..];
        // "12 0 R" is a reference, not a size.
        let trimmed = tail.iter().skip_while(|c| c.is_ascii_whitespace());
        if trimmed.clone().next().is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        return std::str::from_utf8(&digits).ok()?.parse().ok();
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::rfind(hay, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_count_bound_reads_the_page_tree_when_it_is_in_the_open() {
        let read = |f: &str| {
            std::fs::read(format!("{}/fixtures/{f}", env!("CARGO_MANIFEST_DIR"))).unwrap()
        };
        // one page, two, three; /Type /Pages written plainly
        assert_eq!(
            page_count_bound(&read("pdf/issue13372-ccitt-scan.pdf")),
            Some(1)
        );
        assert_eq!(page_count_bound(&read("pdf/rotation.pdf")), Some(2));
        assert_eq!(page_count_bound(&read("pdf/line_art_scans.pdf")), Some(3));
        // object streams may hide the page tree
        assert_eq!(page_count_bound(&read("pdf/weasyprint-invoice.pdf")), None);
        // an outline's counts only raise the bound; a closed one is negative
        let pdf = b"<< /Type /Pages /Count 2 >> << /Type /Outlines /Count 5 >> << /Count -7 >>";
        assert_eq!(page_count_bound(pdf), Some(5));
        // a reference or nothing to read: unknown
        assert_eq!(page_count_bound(b"<< /Type /Pages /Count 4 0 R >>"), None);
        assert_eq!(page_count_bound(b"<< /Type /Pages /Kids [] >>"), None);
        assert_eq!(page_count_bound(b"<< /Count"), None);
        assert_eq!(page_count_bound(b"<< /CountX 9 /Count 1 >>"), Some(1));
    }

    const LIMIT: u64 = 64_000_000;

    #[test]
    fn ordinary_images_pass() {
        let pdf = b"5 0 obj\n<< /Type /XObject /Subtype /Image /Width 2550 /Height 3300 /BitsPerComponent 8 /Length 3 >>\nstream\nabc\nendstream\nendobj";
        check_images(pdf, LIMIT).unwrap();
        // An indirect width is not followed (and not misread as 12).
        let pdf = b"5 0 obj\n<< /Width 12 0 R /Height 99999999 >>\nstream\nabc\nendstream";
        check_images(pdf, LIMIT).unwrap();
    }

    #[test]
    fn a_giant_image_dictionary_is_refused() {
        let pdf = b"5 0 obj\n<< /Subtype /Image /Width 100000 /Height 100000 >>\nstream\n";
        let err = check_images(pdf, LIMIT).unwrap_err();
        assert!(err.to_string().contains("100000 x 100000"), "{err}");
    }

    #[test]
    fn a_giant_jbig2_page_is_refused() {
        let mut pdf = b"6 0 obj\n<< /Length 40 /Filter /JBIG2Decode >>\nstream\n".to_vec();
        // segment 0, type 48, no referred segments, page 1, length 19,
        // then width and height 100000.
        pdf.extend_from_slice(&[0, 0, 0, 0, 0x30, 0, 1, 0, 0, 0, 0x13]);
        pdf.extend_from_slice(&100_000u32.to_be_bytes());
        pdf.extend_from_slice(&100_000u32.to_be_bytes());
        pdf.extend_from_slice(b"\nendstream");
        let err = check_images(&pdf, LIMIT).unwrap_err();
        assert!(err.to_string().contains("decompression bomb"), "{err}");
    }
}
