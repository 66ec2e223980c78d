//! TIFF-F writer: one IFD and one strip per page, tags as DESIGN §3.
//!
//! The file is laid out page by page: the page's coded strip, then its IFD,
//! then the IFD's out-of-line values (resolutions, Software, DateTime).
//! Every IFD and every out-of-line value starts on a word (2-byte) boundary
//! as TIFF 6.0 requires, and each IFD's next-IFD pointer is patched once the
//! following page is written, so the chain runs in page order.
//!
//! We write the bytes ourselves rather than through the `tiff` crate's
//! `DirectoryEncoder`: the format needed here is small and fixed, and owning
//! the layout keeps the output byte-for-byte stable across dependency
//! upgrades (golden files store a SHA-256 of whole TIFFs), with no encoder
//! state machine to drive for data we have already coded.

use super::tags::*;
use crate::codec::Compression;

/// One page already coded by [`crate::codec::encode`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedPage {
    pub width: u32,
    pub rows: u32,
    pub x_dpi: u32,
    pub y_dpi: u32,
    pub compression: Compression,
    /// G3 data was written with EOL fill (T4Options bit 2).
    pub eol_fill: bool,
    pub data: Vec<u8>,
}

/// File-wide tag values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteMeta {
    /// Software tag, e.g. "faxrender 0.1.0".
    pub software: String,
    /// DateTime tag, "YYYY:MM:DD HH:MM:SS", from the job clock.
    pub datetime: String,
}

/// T4Options bit 0: the data uses 2-D (MR) coding.
const T4_2D: u32 = 1;
/// T4Options bit 2: fill bits before each EOL so that EOLs end on a byte.
const T4_EOL_FILL: u32 = 4;
/// NewSubfileType bit 1: a single page of a multi-page image.
const SUBFILE_PAGE: u32 = 2;

/// Writes a multi-page TIFF-F file (little-endian, pages in order).
pub fn write_tiff_f(pages: &[EncodedPage], meta: &WriteMeta) -> Vec<u8> {
    let total_data: usize = pages.iter().map(|p| p.data.len() + 400).sum();
    let mut out = Vec::with_capacity(8 + total_data);
    out.extend_from_slice(b"II*\0");
    // Offset of the first IFD, patched below (0 = no pages).
    out.extend_from_slice(&0u32.to_le_bytes());
    let mut next_pointer_at = 4usize;

    let total = clamp_u16(pages.len());
    for (index, page) in pages.iter().enumerate() {
        align_word(&mut out);
        let strip_offset = out.len();
        out.extend_from_slice(&page.data);

        align_word(&mut out);
        let ifd_offset = out.len();
        patch_u32(&mut out, next_pointer_at, ifd_offset);
        let entries = page_entries(page, clamp_u16(index), total, strip_offset, meta);
        next_pointer_at = write_ifd(&mut out, &entries);
    }
    out
}

/// PageNumber and similar SHORT fields: files beyond 65535 pages are far
/// past any limit, but saturate rather than wrap.
fn clamp_u16(n: usize) -> u16 {
    n.min(u16::MAX as usize) as u16
}

/// The value of one IFD entry.
enum Value {
    Short(Vec<u16>),
    Long(u32),
    Rational(u32, u32),
    Ascii(Vec<u8>),
}

impl Value {
    fn field_type(&self) -> u16 {
        match self {
            Value::Short(_) => TYPE_SHORT,
            Value::Long(_) => TYPE_LONG,
            Value::Rational(..) => TYPE_RATIONAL,
            Value::Ascii(_) => TYPE_ASCII,
        }
    }

    fn count(&self) -> u32 {
        match self {
            Value::Short(v) => v.len() as u32,
            Value::Long(_) | Value::Rational(..) => 1,
            Value::Ascii(s) => s.len() as u32,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        match self {
            Value::Short(v) => v.iter().flat_map(|s| s.to_le_bytes()).collect(),
            Value::Long(v) => v.to_le_bytes().to_vec(),
            Value::Rational(n, d) => [n.to_le_bytes(), d.to_le_bytes()].concat(),
            Value::Ascii(s) => s.clone(),
        }
    }
}

/// NUL-terminated ASCII; a NUL inside the text would end it early for every
/// reader, so it is dropped.
fn ascii(text: &str) -> Value {
    let mut bytes: Vec<u8> = text.bytes().filter(|&b| b != 0).collect();
    bytes.push(0);
    Value::Ascii(bytes)
}

/// The entries of one page's IFD, in ascending tag order.
fn page_entries(
    page: &EncodedPage,
    index: u16,
    total: u16,
    strip_offset: usize,
    meta: &WriteMeta,
) -> Vec<(u16, Value)> {
    let short = |v: u16| Value::Short(vec![v]);
    let (compression, options_tag, options) = match page.compression {
        Compression::G3 | Compression::G3_2D => {
            let mut options = 0;
            if page.compression == Compression::G3_2D {
                options |= T4_2D;
            }
            if page.eol_fill {
                options |= T4_EOL_FILL;
            }
            (COMPRESSION_G3, T4_OPTIONS, options)
        }
        Compression::G4 => (COMPRESSION_G4, T6_OPTIONS, 0),
    };
    vec![
        (NEW_SUBFILE_TYPE, Value::Long(SUBFILE_PAGE)),
        (IMAGE_WIDTH, Value::Long(page.width)),
        (IMAGE_LENGTH, Value::Long(page.rows)),
        (BITS_PER_SAMPLE, short(1)),
        (COMPRESSION, short(compression)),
        (PHOTOMETRIC, short(0)),
        (FILL_ORDER, short(1)),
        (STRIP_OFFSETS, Value::Long(strip_offset as u32)),
        (SAMPLES_PER_PIXEL, short(1)),
        (ROWS_PER_STRIP, Value::Long(page.rows)),
        (STRIP_BYTE_COUNTS, Value::Long(page.data.len() as u32)),
        (X_RESOLUTION, Value::Rational(page.x_dpi, 1)),
        (Y_RESOLUTION, Value::Rational(page.y_dpi, 1)),
        (options_tag, Value::Long(options)),
        (RESOLUTION_UNIT, short(2)),
        (PAGE_NUMBER, Value::Short(vec![index, total])),
        (SOFTWARE, ascii(&meta.software)),
        (DATE_TIME, ascii(&meta.datetime)),
    ]
}

/// Writes an IFD at the end of `out` (which must be word-aligned), then its
/// out-of-line values. Returns the position of its next-IFD pointer (0).
fn write_ifd(out: &mut Vec<u8>, entries: &[(u16, Value)]) -> usize {
    debug_assert!(entries.windows(2).all(|w| w[0].0 < w[1].0));
    let start = out.len();
    let next_pointer_at = start + 2 + 12 * entries.len();
    // Out-of-line values follow the IFD and its 4-byte next pointer.
    let mut extra_at = next_pointer_at + 4;
    let mut extra: Vec<u8> = Vec::new();

    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, value) in entries {
        let bytes = value.bytes();
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&value.field_type().to_le_bytes());
        out.extend_from_slice(&value.count().to_le_bytes());
        if bytes.len() <= 4 {
            let mut inline = [0u8; 4];
            inline[..bytes.len()].copy_from_slice(&bytes);
            out.extend_from_slice(&inline);
        } else {
            out.extend_from_slice(&(extra_at as u32).to_le_bytes());
            extra.extend_from_slice(&bytes);
            if extra.len() % 2 == 1 {
                extra.push(0);
            }
            extra_at = next_pointer_at + 4 + extra.len();
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&extra);
    next_pointer_at
}

fn align_word(out: &mut Vec<u8>) {
    if out.len() % 2 == 1 {
        out.push(0);
    }
}

fn patch_u32(out: &mut [u8], at: usize, value: usize) {
    out[at..at + 4].copy_from_slice(&(value as u32).to_le_bytes());
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Codes a page with the `fax` crate's G4 encoder (a test oracle, so the
    /// writer can be tested with real data independently of our codec).
    pub(crate) fn g4_page(width: u32, rows: u32, black: impl Fn(u32, u32) -> bool) -> Vec<u8> {
        let mut enc = fax::encoder::Encoder::new(fax::VecWriter::new());
        for y in 0..rows {
            let pels = (0..width).map(|x| {
                if black(x, y) {
                    fax::Color::Black
                } else {
                    fax::Color::White
                }
            });
            enc.encode_line(pels, width).unwrap();
        }
        enc.finish().unwrap().finish()
    }

    /// A test pattern: a frame and a diagonal bar.
    pub(crate) fn pattern(x: u32, y: u32) -> bool {
        x < 3 || y < 2 || (x / 4 == y / 2 && x < 600)
    }

    pub(crate) fn meta() -> WriteMeta {
        WriteMeta {
            software: "faxrender test".into(),
            datetime: "2024:01:02 03:04:05".into(),
        }
    }

    pub(crate) fn sample_pages() -> Vec<EncodedPage> {
        vec![
            EncodedPage {
                width: 1728,
                rows: 40,
                x_dpi: 204,
                y_dpi: 196,
                compression: Compression::G4,
                eol_fill: false,
                data: g4_page(1728, 40, pattern),
            },
            EncodedPage {
                width: 1728,
                rows: 20,
                x_dpi: 204,
                y_dpi: 98,
                compression: Compression::G3_2D,
                eol_fill: true,
                // Opaque to the writer: any bytes, odd length to test alignment.
                data: vec![0x00, 0x01, 0x55],
            },
        ]
    }

    #[test]
    fn layout_is_aligned_sorted_and_chained() {
        let bytes = write_tiff_f(&sample_pages(), &meta());
        assert_eq!(&bytes[..4], b"II*\0");
        let u16_at = |o: usize| u16::from_le_bytes([bytes[o], bytes[o + 1]]);
        let u32_at = |o: usize| u32::from_le_bytes(bytes[o..o + 4].try_into().unwrap());
        let mut ifd = u32_at(4) as usize;
        let mut seen = 0;
        while ifd != 0 {
            assert_eq!(ifd % 2, 0, "IFD offset must be word-aligned");
            let n = u16_at(ifd) as usize;
            assert_eq!(n, 18);
            let tags: Vec<u16> = (0..n).map(|i| u16_at(ifd + 2 + 12 * i)).collect();
            assert!(
                tags.windows(2).all(|w| w[0] < w[1]),
                "tags sorted: {tags:?}"
            );
            for (i, tag) in tags.iter().enumerate() {
                let e = ifd + 2 + 12 * i;
                let (ty, count) = (u16_at(e + 2), u32_at(e + 4));
                let size = type_size(ty).unwrap() * count as u64;
                if size > 4 {
                    let off = u32_at(e + 8) as usize;
                    assert_eq!(off % 2, 0, "value offset of tag {tag} aligned");
                    assert!(off + size as usize <= bytes.len());
                }
            }
            ifd = u32_at(ifd + 2 + 12 * n) as usize;
            seen += 1;
        }
        assert_eq!(seen, 2);
    }

    #[test]
    fn output_is_deterministic_and_empty_input_is_a_bare_header() {
        let a = write_tiff_f(&sample_pages(), &meta());
        let b = write_tiff_f(&sample_pages(), &meta());
        assert_eq!(a, b);
        assert_eq!(write_tiff_f(&[], &meta()), b"II*\0\0\0\0\0".to_vec());
    }

    #[test]
    fn ascii_drops_nul_and_terminates() {
        match ascii("a\0b") {
            Value::Ascii(v) => assert_eq!(v, b"ab\0"),
            _ => unreachable!(),
        }
    }
}

#[cfg(test)]
mod libtiff_tests {
    //! libtiff (`tiffinfo`, `tiffdump`, from libtiff-tools) must accept what
    //! we write and see the tags we meant.
    use super::tests::{g4_page, meta, pattern};
    use super::*;
    use std::process::Command;

    fn run(tool: &str, args: &[&str]) -> (String, String, bool) {
        let out = Command::new(tool)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{tool} (libtiff-tools) must be installed: {e}"));
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            out.status.success(),
        )
    }

    #[test]
    fn tiffinfo_and_tiffdump_accept_our_file() {
        let pages: Vec<EncodedPage> = [(196, 30), (98, 15), (391, 60)]
            .into_iter()
            .map(|(y_dpi, rows)| EncodedPage {
                width: 1728,
                rows,
                x_dpi: 204,
                y_dpi,
                compression: Compression::G4,
                eol_fill: false,
                data: g4_page(1728, rows, pattern),
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.tif");
        std::fs::write(&path, write_tiff_f(&pages, &meta())).unwrap();
        let path = path.to_str().unwrap();

        // -D decodes every strip: any libtiff error or warning fails.
        let (info, err, ok) = run("tiffinfo", &["-D", path]);
        assert!(ok && err.is_empty(), "tiffinfo: {err}");
        assert_eq!(info.matches("TIFF Directory at offset").count(), 3);
        for expected in [
            "Subfile Type: multi-page document (2 = 0x2)",
            "Image Width: 1728 Image Length: 30",
            "Resolution: 204, 196 pixels/inch",
            "Resolution: 204, 391 pixels/inch",
            "Bits/Sample: 1",
            "Compression Scheme: CCITT Group 4",
            "Photometric Interpretation: min-is-white",
            "FillOrder: msb-to-lsb",
            "Samples/Pixel: 1",
            "Rows/Strip: 30",
            "Page Number: 0-3",
            "Page Number: 2-3",
            "Software: faxrender test",
            "DateTime: 2024:01:02 03:04:05",
        ] {
            assert!(
                info.contains(expected),
                "tiffinfo lacks {expected:?}:\n{info}"
            );
        }

        let (dump, err, ok) = run("tiffdump", &[path]);
        assert!(ok && err.is_empty(), "tiffdump: {err}");
        assert!(dump.contains("<little-endian>"), "{dump}");
        for expected in [
            "SubFileType (254) LONG (4) 1<2>",
            "ImageWidth (256) LONG (4) 1<1728>",
            "Compression (259) SHORT (3) 1<4>",
            "Group4Options (293) LONG (4) 1<0>",
            "ResolutionUnit (296) SHORT (3) 1<2>",
            "PageNumber (297) SHORT (3) 2<1 3>",
        ] {
            assert!(
                dump.contains(expected),
                "tiffdump lacks {expected:?}:\n{dump}"
            );
        }
    }

    #[test]
    fn libtiff_reads_g3_options() {
        let pages = [Compression::G3, Compression::G3_2D].map(|compression| EncodedPage {
            width: 1728,
            rows: 1,
            x_dpi: 204,
            y_dpi: 98,
            compression,
            eol_fill: true,
            data: vec![0; 4],
        });
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g3.tif");
        std::fs::write(&path, write_tiff_f(&pages, &meta())).unwrap();
        let (dump, err, ok) = run("tiffdump", &[path.to_str().unwrap()]);
        assert!(ok && err.is_empty(), "tiffdump: {err}");
        assert!(dump.contains("Group3Options (292) LONG (4) 1<4>"), "{dump}");
        assert!(dump.contains("Group3Options (292) LONG (4) 1<5>"), "{dump}");
    }
}
