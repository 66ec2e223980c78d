//! `inspect`: what a fax server wants to know about a TIFF before sending it
//! (like HylaFAX's tiffcheck, with SpanDSP's rules).
//!
//! A page is *sendable* when SpanDSP (Asterisk SendFAX, FreeSWITCH txfax)
//! would send it as it is, at the right resolution, undamaged: 1 bit per
//! pixel, a compression it reads (G3, G4, and also none, CCITT RLE and
//! PackBits, which it re-encodes), a T.30 resolution pair within 3 %, a T.4
//! width for that resolution, no rotation tag (senders ignore it) and data
//! that decodes cleanly. A page is also *strict TIFF-F* when it satisfies
//! what HylaFAX and `validate-fax-tiff.sh` want on top: G3 or G4 only,
//! min-is-white, and one of the classic resolution pairs. Several strips per
//! page are reported (HylaFAX's tiffcheck rewrites such files) but both
//! checkers send them, so they block neither.
//!
//! A file-level fault makes the whole file unsendable, a broken IFD chain
//! included: SpanDSP would send the pages it can reach, but the fax would
//! silently lack the rest (libtiff-based checkers fail such a file too).

use super::fax_rules::{self, XRes};
use super::read::{read_tiff, TiffPage};
use super::tags::*;
use crate::limits::Limits;

/// Inspection of one page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PageInspection {
    /// 1-based page number.
    pub page: usize,
    pub width: u32,
    pub rows: u32,
    pub x_dpi: Option<f64>,
    pub y_dpi: Option<f64>,
    /// "g3", "g3-2d", "g4", "ccitt-rle", "none", "packbits", or "other(N)".
    pub compression: String,
    pub fill_order: u16,
    pub strips: usize,
    /// The data decodes without a bad row and with all rows present.
    pub decodes_cleanly: bool,
    pub bad_rows: u32,
    pub first_bad_row: Option<u32>,
    /// SpanDSP would send this page as it is.
    pub sendable: bool,
    /// Sendable, and strict TIFF Class F as HylaFAX and
    /// validate-fax-tiff.sh want it (G3/G4, min-is-white, classic resolution).
    pub strict_tiff_f: bool,
    /// Why not (empty when sendable).
    pub problems: Vec<String>,
    /// Remarks that do not stop SpanDSP from sending the page (several
    /// strips, a compression that is not TIFF-F...).
    pub warnings: Vec<String>,
}

/// Inspection of a whole file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Inspection {
    pub pages: Vec<PageInspection>,
    /// File-level problems (unreadable header, truncated IFD chain...).
    pub problems: Vec<String>,
    /// Every page sendable and no file-level problem.
    pub sendable: bool,
    /// Every page strict TIFF-F and no file-level problem.
    pub strict_tiff_f: bool,
}

/// Inspects TIFF bytes. Never panics; an unreadable file gives
/// `sendable: false` with the reason in `problems`.
pub fn inspect(bytes: &[u8], limits: &Limits) -> Inspection {
    let file = match read_tiff(bytes, limits) {
        Ok(file) => file,
        Err(e) => {
            return Inspection {
                pages: Vec::new(),
                problems: vec![format!("the file cannot be read as a TIFF: {}", e.message)],
                sendable: false,
                strict_tiff_f: false,
            }
        }
    };
    let mut problems = file.warnings;
    let max_pages = limits.max_pages as usize;
    if file.pages.len() > max_pages {
        problems.push(format!(
            "the file has {} pages, over the limit of {max_pages}; only the first {max_pages} were inspected",
            file.pages.len()
        ));
    }
    let pages: Vec<PageInspection> = file
        .pages
        .iter()
        .take(max_pages)
        .map(|p| inspect_page(p, limits))
        .collect();
    let clean_file = problems.is_empty();
    Inspection {
        sendable: clean_file && pages.iter().all(|p| p.sendable),
        strict_tiff_f: clean_file && pages.iter().all(|p| p.strict_tiff_f),
        pages,
        problems,
    }
}

/// Builds one page's inspection.
fn inspect_page(page: &TiffPage, limits: &Limits) -> PageInspection {
    let mut problems = page.problems.clone();
    let mut warnings = Vec::new();
    let mut strict = true;

    check_format(page, &mut problems, &mut warnings, &mut strict);
    if page.orientation != 1 {
        problems.push(format!(
            "the Orientation tag is {} (not top-left): fax senders ignore it, so the page would go out rotated or mirrored",
            page.orientation
        ));
    }
    check_geometry(page, &mut problems, &mut strict);
    if page.strips.len() > 1 {
        warnings.push(format!(
            "the page is stored in {} strips; HylaFAX's tiffcheck prefers one strip per page and would rewrite the file (SpanDSP sends it as is)",
            page.strips.len()
        ));
    }

    let (decodes_cleanly, bad_rows, first_bad_row) = check_data(page, limits, &mut problems);
    let sendable = problems.is_empty();
    PageInspection {
        page: page.index + 1,
        width: page.width,
        rows: page.rows,
        x_dpi: page.x_dpi,
        y_dpi: page.y_dpi,
        compression: compression_name(page.compression, page.t4_options),
        fill_order: page.fill_order,
        strips: page.strips.len(),
        decodes_cleanly,
        bad_rows,
        first_bad_row,
        sendable,
        strict_tiff_f: sendable && strict,
        problems,
        warnings,
    }
}

/// Bit depth, compression and photometric interpretation.
fn check_format(
    page: &TiffPage,
    problems: &mut Vec<String>,
    warnings: &mut Vec<String>,
    strict: &mut bool,
) {
    if page.bits_per_sample != 1 {
        problems.push(format!(
            "the page has {} bits per sample; a fax page must be 1 bit (black and white)",
            page.bits_per_sample
        ));
    }
    if page.samples_per_pixel != 1 {
        problems.push(format!(
            "the page has {} samples per pixel; a fax page has one",
            page.samples_per_pixel
        ));
    }
    match page.compression {
        COMPRESSION_G3 | COMPRESSION_G4 => {}
        COMPRESSION_NONE | COMPRESSION_CCITT_RLE | COMPRESSION_PACKBITS => {
            *strict = false;
            warnings.push(format!(
                "compression {} is not TIFF-F (G3 or G4): SpanDSP re-encodes it when sending, but HylaFAX and strict TIFF-F checkers refuse it",
                compression_label(page.compression)
            ));
        }
        other => problems.push(format!(
            "the page uses compression {}; fax pages use G3 or G4, and faxrender cannot decode this one to check it",
            compression_label(other)
        )),
    }
    match page.photometric {
        0 => {}
        1 => {
            *strict = false;
            warnings.push(
                "the page is min-is-black (Photometric 1): SpanDSP inverts it when sending, but TIFF-F wants min-is-white"
                    .to_string(),
            );
        }
        other => problems.push(format!(
            "the Photometric tag is {other}, not a black-and-white interpretation (0 or 1)"
        )),
    }
}

/// Resolution pair and width.
fn check_geometry(page: &TiffPage, problems: &mut Vec<String>, strict: &mut bool) {
    let (x_dpi, y_dpi) = match (page.x_dpi, page.y_dpi) {
        (Some(x), Some(y)) => (x, y),
        _ if page.resolution_unit == 1 => {
            problems.push(
                "the resolution has no unit (ResolutionUnit 1), so the page has no fax resolution; SpanDSP would announce 204x98 whatever the image is"
                    .to_string(),
            );
            return;
        }
        _ => {
            problems.push(
                "the page has no usable XResolution/YResolution; SpanDSP would announce 204x98 whatever the image is"
                    .to_string(),
            );
            return;
        }
    };
    let x = fax_rules::x_resolution(x_dpi);
    let y = fax_rules::y_resolution(y_dpi);
    if x.is_none() {
        problems.push(format!(
            "the horizontal resolution {x_dpi:.1} dpi is not a fax resolution (204, 300, 408, 600 or 1200 dpi, within 3 %)"
        ));
    }
    if y.is_none() {
        problems.push(format!(
            "the vertical resolution {y_dpi:.1} dpi is not a fax resolution (98, 196, 300, 391, 600, 800 or 1200 lines per inch, within 3 %)"
        ));
    }
    if let (Some(x), Some(y)) = (x, y) {
        if !fax_rules::pair_sendable(x, y) {
            problems.push(format!(
                "the resolution {x_dpi:.0}x{y_dpi:.0} dpi is not a resolution pair T.30 can announce"
            ));
        } else if !fax_rules::pair_tiff_f(x, y) {
            *strict = false;
        }
    }
    check_width(page.width, x_dpi, x, problems);
}

fn check_width(width: u32, x_dpi: f64, x: Option<XRes>, problems: &mut Vec<String>) {
    match x {
        Some(x) if !fax_rules::widths(x).contains(&width) => {
            let [a4, b4, a3] = fax_rules::widths(x);
            problems.push(format!(
                "the page is {width} pixels wide, not a T.4 width at {x_dpi:.0} dpi ({a4}, {b4} or {a3}); SpanDSP refuses it"
            ));
        }
        Some(_) => {}
        None if ![1728, 2048, 2432].contains(&width) => {
            problems.push(format!(
                "the page is {width} pixels wide, not a fax width (1728, 2048 or 2432 at 204 dpi)"
            ));
        }
        None => {}
    }
}

/// Decodes the page when it is bilevel; returns (clean, bad rows, first bad
/// row) and adds a problem for damaged or undecodable data.
fn check_data(
    page: &TiffPage,
    limits: &Limits,
    problems: &mut Vec<String>,
) -> (bool, u32, Option<u32>) {
    if !page.is_bilevel() || page.tiled {
        return (false, 0, None);
    }
    let decoded = match page.decode(limits) {
        Ok(d) => d,
        Err(e) => {
            problems.push(format!("the page cannot be decoded: {}", e.message));
            return (false, 0, None);
        }
    };
    if decoded.bad_rows > 0 {
        let first = decoded.first_bad_row.unwrap_or(0);
        problems.push(format!(
            "{} of {} rows do not decode (the first is row {first}){}; the receiver would get a damaged page",
            decoded.bad_rows,
            page.rows,
            detail(&decoded.error)
        ));
    } else if decoded.truncated {
        problems.push(format!(
            "only {} of {} rows decode{}: the page data is damaged or cut short",
            decoded.image.height,
            page.rows,
            detail(&decoded.error)
        ));
    } else if let Some(e) = &decoded.error {
        problems.push(format!("the page data is damaged: {e}"));
    }
    (decoded.is_clean(), decoded.bad_rows, decoded.first_bad_row)
}

fn detail(error: &Option<String>) -> String {
    error
        .as_ref()
        .map(|e| format!(" ({e})"))
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::codec::Compression;
    use crate::tiff::write::{tests::meta, write_tiff_f, EncodedPage};

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/fixtures/tiff/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Sets an inline SHORT/LONG tag value in every IFD of a file we wrote.
    pub(crate) fn set_tag(bytes: &mut [u8], tag: u16, value: u32) {
        let u32_at = |b: &[u8], o: usize| u32::from_le_bytes(b[o..o + 4].try_into().unwrap());
        let mut ifd = u32_at(bytes, 4) as usize;
        while ifd != 0 {
            let n = u16::from_le_bytes([bytes[ifd], bytes[ifd + 1]]) as usize;
            for e in (0..n).map(|i| ifd + 2 + 12 * i) {
                if u16::from_le_bytes([bytes[e], bytes[e + 1]]) == tag {
                    let ty = u16::from_le_bytes([bytes[e + 2], bytes[e + 3]]);
                    if ty == TYPE_SHORT {
                        bytes[e + 8..e + 10].copy_from_slice(&(value as u16).to_le_bytes());
                    } else {
                        bytes[e + 8..e + 12].copy_from_slice(&value.to_le_bytes());
                    }
                }
            }
            ifd = u32_at(bytes, ifd + 2 + 12 * n) as usize;
        }
    }

    /// An uncompressed page (written as G4, then retagged): a frame.
    pub(crate) fn uncompressed(width: u32, rows: u32, y_dpi: u32) -> Vec<u8> {
        let row_bytes = width.div_ceil(8) as usize;
        let mut data = vec![0u8; row_bytes * rows as usize];
        for (y, row) in data.chunks_mut(row_bytes).enumerate() {
            row[0] = 0x80;
            if y == 0 {
                row.fill(0xFF);
            }
        }
        let page = EncodedPage {
            width,
            rows,
            x_dpi: 204,
            y_dpi,
            compression: Compression::G4,
            eol_fill: false,
            data,
        };
        let mut bytes = write_tiff_f(&[page.clone(), page], &meta());
        set_tag(&mut bytes, COMPRESSION, 1);
        bytes
    }

    #[test]
    fn uncompressed_fax_page_is_sendable_but_not_strict() {
        let ins = inspect(&uncompressed(1728, 30, 196), &Limits::default());
        assert!(ins.sendable, "{ins:#?}");
        assert!(!ins.strict_tiff_f);
        assert_eq!(ins.pages.len(), 2);
        let p = &ins.pages[0];
        assert_eq!((p.page, p.width, p.rows, p.strips), (1, 1728, 30, 1));
        assert_eq!(p.compression, "none");
        assert!(p.decodes_cleanly && p.problems.is_empty());
        assert!(p.warnings[0].contains("not TIFF-F"), "{:?}", p.warnings);
    }

    #[test]
    fn wrong_width_resolution_and_photometric_are_explained() {
        let ins = inspect(&uncompressed(1730, 10, 196), &Limits::default());
        assert!(!ins.sendable);
        assert!(
            ins.pages[0].problems[0].contains("1730 pixels wide"),
            "{:?}",
            ins.pages[0].problems
        );

        let ins = inspect(&uncompressed(1728, 10, 150), &Limits::default());
        assert!(!ins.sendable);
        assert!(ins.pages[0].problems[0].contains("vertical resolution 150.0 dpi"));

        let mut bytes = uncompressed(1728, 10, 98);
        set_tag(&mut bytes, PHOTOMETRIC, 1);
        let ins = inspect(&bytes, &Limits::default());
        assert!(ins.sendable, "{ins:#?}");
        assert!(ins.pages[0]
            .warnings
            .iter()
            .any(|w| w.contains("min-is-black")));

        set_tag(&mut bytes, RESOLUTION_UNIT, 1);
        let ins = inspect(&bytes, &Limits::default());
        assert!(
            ins.pages[0].problems[0].contains("no unit"),
            "{:?}",
            ins.pages[0].problems
        );
    }

    #[test]
    fn fixtures_that_are_not_fax_pages() {
        let ins = inspect(
            &fixture("tesseract_phototest-uncompressed-200dpi.tif"),
            &Limits::default(),
        );
        assert!(!ins.sendable);
        let p = &ins.pages[0];
        assert!(p.decodes_cleanly, "{p:#?}");
        assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
        assert!(p.problems[0].contains("640 pixels wide"));

        let ins = inspect(
            &fixture("tiff_pillow_libtiff_segfault.tif"),
            &Limits::default(),
        );
        assert!(!ins.sendable);
        let p = &ins.pages[0];
        assert!(!p.decodes_cleanly);
        for needle in [
            "8 bits per sample",
            "samples per pixel",
            "Deflate",
            "XResolution",
        ] {
            assert!(
                p.problems.iter().any(|m| m.contains(needle)),
                "{needle}: {:?}",
                p.problems
            );
        }
    }

    #[test]
    fn unreadable_and_over_limit_files() {
        let ins = inspect(b"GIF89a\x01\x00\x01\x00", &Limits::default());
        assert!(!ins.sendable && ins.pages.is_empty());
        assert!(ins.problems[0].contains("not a TIFF"), "{:?}", ins.problems);

        let limits = Limits {
            max_pages: 1,
            ..Limits::default()
        };
        let ins = inspect(&uncompressed(1728, 10, 98), &limits);
        assert_eq!(ins.pages.len(), 1);
        assert!(!ins.sendable);
        assert!(
            ins.problems[0].contains("over the limit of 1"),
            "{:?}",
            ins.problems
        );
    }

    /// Feeds truncations and byte flips of a valid file: never a panic.
    pub(crate) fn survives_damage(valid: &[u8]) {
        let limits = Limits::default();
        for len in (0..valid.len()).step_by((valid.len() / 300).max(1)) {
            let _ = inspect(&valid[..len], &limits);
        }
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..400 {
            let mut damaged = valid.to_vec();
            for _ in 0..4 {
                // xorshift: deterministic pseudo-random positions and bits
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let at = (state % damaged.len() as u64) as usize;
                damaged[at] ^= 1 << (state >> 60 & 7);
            }
            let _ = inspect(&damaged, &limits);
        }
    }

    #[test]
    fn fixtures_sendable_as_the_checkers_say() {
        // (file, sendable (SpanDSP checker), strict TIFF-F (validate-fax-tiff.sh))
        let cases = [
            ("spandsp_itu2-B4-2048-g4.tif", true, true),
            ("libtiff_B4-g4-bigendian.tif", true, true),
            ("libtiff_B4-g4-300rows.tif", true, true),
            ("libtiff_B4-g3-2d-fill.tif", true, true),
            ("libtiff_B4-g3-1d-lsb-64rows.tif", true, true),
            ("libtiff_B4-packbits-100rows.tif", true, false),
            ("commons-imaging_1pagefax-mh-rle.tif", true, false),
            ("pillow_g4-multi-400dpi.tiff", false, false),
            ("pillow_g4_orientation_6.tif", false, false),
            ("tesseract_phototest-uncompressed-200dpi.tif", false, false),
            ("tiff_itu4-width1730-g4.tif", false, false),
            ("tiff_pillow_libtiff_segfault.tif", false, false),
        ];
        for (name, sendable, strict) in cases {
            let ins = inspect(&fixture(name), &Limits::default());
            assert_eq!(
                (ins.sendable, ins.strict_tiff_f),
                (sendable, strict),
                "{name}: {ins:#?}"
            );
            for p in &ins.pages {
                assert_eq!(p.sendable, p.problems.is_empty(), "{name}");
            }
        }
        let ins = inspect(
            &fixture("libtiff_B4-g3-1d-lsb-64rows.tif"),
            &Limits::default(),
        );
        let p = &ins.pages[0];
        assert_eq!(
            (p.compression.as_str(), p.fill_order, p.strips),
            ("g3", 2, 38)
        );
        assert!(p.warnings[0].contains("38 strips"), "{:?}", p.warnings);
        let ins = inspect(&fixture("tiff_itu4-width1730-g4.tif"), &Limits::default());
        assert!(ins.pages[0].decodes_cleanly);
        assert!(ins.pages[0].problems[0].contains("1730 pixels wide"));
    }

    #[test]
    fn damaged_data_makes_a_page_unsendable() {
        let mut bytes = fixture("spandsp_itu2-B4-2048-g4.tif");
        let len = bytes.len();
        // Flip bits in the middle of the G4 strip (the IFD is at the end).
        for b in &mut bytes[len / 2..len / 2 + 8] {
            *b ^= 0x5A;
        }
        let ins = inspect(&bytes, &Limits::default());
        let p = &ins.pages[0];
        assert!(!ins.sendable && !p.decodes_cleanly, "{p:#?}");
        assert!(
            p.problems.iter().any(|m| m.contains("rows")),
            "{:?}",
            p.problems
        );
    }

    #[test]
    fn damaged_fax_files_never_panic() {
        survives_damage(&fixture("spandsp_itu2-B4-2048-g4.tif"));
        survives_damage(&fixture("libtiff_B4-g3-2d-fill.tif"));
        survives_damage(&fixture("commons-imaging_1pagefax-mh-rle.tif"));
    }

    #[test]
    fn damaged_uncompressed_files_never_panic() {
        survives_damage(&uncompressed(1728, 12, 196));
        survives_damage(&fixture("tesseract_phototest-uncompressed-200dpi.tif"));
    }
}
