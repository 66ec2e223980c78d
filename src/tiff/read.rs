//! Tolerant TIFF reader for fax-like files.
//!
//! Reads classic TIFF in either byte order: the IFD chain (with a cycle
//! check and caps on the number of IFDs and of entries per IFD), the tags a
//! fax page needs, and each page's raw strips. Every offset and count is
//! checked against the file length before use; what is damaged but
//! survivable (a strip running past the end of the file, a chain that points
//! nowhere after some pages) is recorded in `problems`/`warnings` and the
//! rest is kept. Only a file with no readable page at all is an error.
//! Decoding the strips is [`TiffPage::decode`]'s job (see `decode.rs`).

use super::tags::*;
use crate::error::{Error, Result};
use crate::limits::Limits;
use std::collections::{BTreeMap, BTreeSet};

/// At most this many IFDs are read (a fax is at most a few hundred pages;
/// a longer chain is garbage or an attack).
pub const MAX_IFDS: usize = 10_000;
/// An IFD with more entries than this is taken as corrupt (real fax pages
/// have about 20).
pub const MAX_ENTRIES_PER_IFD: u16 = 4_096;

/// A parsed TIFF: its pages (IFDs) and what was odd about the file.
#[derive(Debug, Clone)]
pub struct TiffFile {
    pub pages: Vec<TiffPage>,
    /// File-level problems that did not stop reading (a truncated or cyclic
    /// IFD chain, an out-of-range offset...).
    pub warnings: Vec<String>,
}

/// One page (IFD) with the tags that matter for fax and its raw strips.
#[derive(Debug, Clone)]
pub struct TiffPage {
    /// 0-based index in the file.
    pub index: usize,
    pub width: u32,
    pub rows: u32,
    pub bits_per_sample: u16,
    pub samples_per_pixel: u16,
    /// TIFF Compression tag (1 none, 2 CCITT RLE, 3 G3, 4 G4, 32773 PackBits...).
    pub compression: u16,
    pub t4_options: u32,
    pub t6_options: u32,
    pub fill_order: u16,
    /// 0 min-is-white, 1 min-is-black.
    pub photometric: u16,
    /// XResolution/YResolution in dots per inch (converted from cm), if set.
    /// `None` as well when ResolutionUnit is 1 (no absolute unit).
    pub x_dpi: Option<f64>,
    pub y_dpi: Option<f64>,
    /// ResolutionUnit as found (1 none, 2 inch, 3 cm; 2 when absent).
    pub resolution_unit: u16,
    pub orientation: u16,
    /// Rows per strip, clamped to `rows` (the TIFF default "infinite" and
    /// larger values become `rows`).
    pub rows_per_strip: u32,
    pub new_subfile_type: u32,
    pub page_number: Option<(u16, u16)>,
    /// The page is stored in tiles (TileWidth present): not supported, and
    /// `strips` is empty.
    pub tiled: bool,
    /// Raw strip bytes (clipped to the file where offsets run past its end).
    pub strips: Vec<Vec<u8>>,
    /// Problems with this page's structure (missing strips, bad offsets).
    pub problems: Vec<String>,
    /// What the receiving fax software recorded about the page.
    pub fax: FaxTags,
}

/// Descriptive tags a receiving fax server writes (SpanDSP, HylaFAX):
/// nothing here changes how the page decodes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaxTags {
    /// ImageDescription: SpanDSP and HylaFAX put the sender's TSI (its
    /// identity string) there.
    pub image_description: Option<String>,
    /// DateTime, "YYYY:MM:DD HH:MM:SS" as written (the receive time).
    pub date_time: Option<String>,
    pub software: Option<String>,
    /// BadFaxLines: damaged rows the receiver counted.
    pub bad_fax_lines: Option<u32>,
    /// CleanFaxData: 0 clean, 1 regenerated (repaired), 2 unclean.
    pub clean_fax_data: Option<u16>,
}

/// Parses the IFD chain, with caps on sizes and a cycle check.
///
/// Errors: `BadInput` when the bytes are not a TIFF or no IFD can be read,
/// `Unsupported` for BigTIFF, `LimitExceeded` when the strips together
/// exceed `limits.max_decoded_bytes` (IFDs sharing one huge strip).
pub fn read_tiff(bytes: &[u8], limits: &Limits) -> Result<TiffFile> {
    let file = FileBytes::open(bytes)?;
    let first = file
        .u32(4)
        .ok_or_else(|| Error::bad_input("the TIFF header is truncated"))?;

    let mut pages = Vec::new();
    let mut warnings = Vec::new();
    let mut visited = BTreeSet::new();
    let mut copied: u64 = 0;
    let mut offset = first as u64;
    while offset != 0 {
        if pages.len() >= MAX_IFDS {
            warnings.push(format!(
                "the file has more than {MAX_IFDS} image directories; only the first {MAX_IFDS} were read"
            ));
            break;
        }
        if !visited.insert(offset) {
            warnings.push(format!(
                "the chain of image directories loops back to offset {offset} after page {}; reading stopped there",
                pages.len()
            ));
            break;
        }
        let ifd = match file.ifd(offset) {
            Ok(ifd) => ifd,
            Err(why) if pages.is_empty() => {
                return Err(Error::bad_input(format!(
                    "the TIFF has no readable image directory: {why}"
                )))
            }
            Err(why) => {
                warnings.push(format!(
                    "the chain of image directories is broken after page {}: {why}; the {} page(s) before it were kept",
                    pages.len(),
                    pages.len()
                ));
                break;
            }
        };
        let page = file.page(pages.len(), &ifd.entries);
        copied += page.strips.iter().map(|s| s.len() as u64).sum::<u64>();
        if copied > limits.max_decoded_bytes {
            return Err(Error::limit(format!(
                "the TIFF's strips add up to more than {} bytes (the limit for one decoder)",
                limits.max_decoded_bytes
            )));
        }
        pages.push(page);
        offset = match ifd.next {
            Some(next) => next as u64,
            None => {
                warnings.push(format!(
                    "the file ends inside the directory of page {}: its next-directory pointer is missing; the {} page(s) read were kept",
                    pages.len(),
                    pages.len()
                ));
                break;
            }
        };
    }
    Ok(TiffFile { pages, warnings })
}

/// One IFD entry: its type and count, and where its value bytes start
/// (inline in the entry or at the offset it holds).
#[derive(Debug, Clone, Copy)]
struct Entry {
    field_type: u16,
    count: u32,
    value_at: u64,
}

/// An IFD: its entries by tag (first occurrence wins) and the next-IFD
/// pointer, `None` when the file ends before it.
struct Ifd {
    entries: BTreeMap<u16, Entry>,
    next: Option<u32>,
}

/// The file with its byte order; every read is bounds-checked.
struct FileBytes<'a> {
    bytes: &'a [u8],
    little_endian: bool,
}

impl<'a> FileBytes<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self> {
        if bytes.len() < 8 {
            return Err(Error::bad_input(format!(
                "the file is too short to be a TIFF ({} bytes)",
                bytes.len()
            )));
        }
        let little_endian = match &bytes[..2] {
            b"II" => true,
            b"MM" => false,
            _ => {
                return Err(Error::bad_input(
                    "not a TIFF file: it does not start with the byte-order mark II or MM",
                ))
            }
        };
        let file = FileBytes {
            bytes,
            little_endian,
        };
        match file.u16(2) {
            Some(42) => Ok(file),
            Some(43) => Err(Error::unsupported(
                "BigTIFF files are not supported (only classic TIFF, as fax software writes)",
            )),
            Some(other) => Err(Error::bad_input(format!(
                "not a TIFF file: the version number after the byte-order mark is {other}, not 42"
            ))),
            None => Err(Error::bad_input("the TIFF header is truncated")),
        }
    }

    fn len(&self) -> u64 {
        self.bytes.len() as u64
    }

    fn slice(&self, at: u64, len: u64) -> Option<&'a [u8]> {
        let end = at.checked_add(len)?;
        if end > self.len() {
            return None;
        }
        Some(&self.bytes[at as usize..end as usize])
    }

    fn u16(&self, at: u64) -> Option<u16> {
        let b: [u8; 2] = self.slice(at, 2)?.try_into().ok()?;
        Some(if self.little_endian {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    }

    fn u32(&self, at: u64) -> Option<u32> {
        let b: [u8; 4] = self.slice(at, 4)?.try_into().ok()?;
        Some(if self.little_endian {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    fn u64(&self, at: u64) -> Option<u64> {
        let b: [u8; 8] = self.slice(at, 8)?.try_into().ok()?;
        Some(if self.little_endian {
            u64::from_le_bytes(b)
        } else {
            u64::from_be_bytes(b)
        })
    }

    /// Reads the IFD at `offset`; the error says why it cannot be read.
    fn ifd(&self, offset: u64) -> std::result::Result<Ifd, String> {
        let count = self.u16(offset).ok_or_else(|| {
            format!(
                "the directory offset {offset} lies past the end of the file ({} bytes)",
                self.len()
            )
        })?;
        if count == 0 {
            return Err(format!("the directory at offset {offset} has no entries"));
        }
        if count > MAX_ENTRIES_PER_IFD {
            return Err(format!(
                "the directory at offset {offset} claims {count} entries (more than {MAX_ENTRIES_PER_IFD}: corrupt)"
            ));
        }
        let entries_at = offset + 2;
        let next_at = entries_at + 12 * count as u64;
        if next_at > self.len() {
            return Err(format!(
                "the directory at offset {offset} ({count} entries) runs past the end of the file ({} bytes)",
                self.len()
            ));
        }
        let mut entries = BTreeMap::new();
        for i in 0..count as u64 {
            let at = entries_at + 12 * i;
            let (Some(tag), Some(field_type), Some(n)) =
                (self.u16(at), self.u16(at + 2), self.u32(at + 4))
            else {
                continue;
            };
            let Some(size) = type_size(field_type) else {
                continue; // unknown type: TIFF says skip the entry
            };
            let value_at = if size * n as u64 <= 4 {
                at + 8
            } else {
                self.u32(at + 8).unwrap_or(u32::MAX) as u64
            };
            entries.entry(tag).or_insert(Entry {
                field_type,
                count: n,
                value_at,
            });
        }
        Ok(Ifd {
            entries,
            next: self.u32(next_at),
        })
    }

    /// The integer values of an entry (BYTE/SHORT/LONG and their signed
    /// forms, read as unsigned). `Err` when the values lie outside the file
    /// or the type is not an integer.
    fn values(&self, e: &Entry) -> std::result::Result<Vec<u64>, String> {
        let size = type_size(e.field_type).unwrap_or(0);
        if !matches!(e.field_type, 1 | 3 | 4 | 6 | 8 | 9 | 13) {
            return Err(format!("has field type {} (not an integer)", e.field_type));
        }
        // The whole array must lie inside the file: this also bounds the
        // allocation by the file size.
        if self.slice(e.value_at, size * e.count as u64).is_none() {
            return Err(format!(
                "has {} values at offset {}, past the end of the file ({} bytes)",
                e.count,
                e.value_at,
                self.len()
            ));
        }
        Ok((0..e.count as u64)
            .filter_map(|i| {
                let at = e.value_at + i * size;
                match size {
                    1 => self.slice(at, 1).map(|b| b[0] as u64),
                    2 => self.u16(at).map(u64::from),
                    _ => self.u32(at).map(u64::from),
                }
            })
            .collect())
    }

    /// The first value of an integer entry.
    fn first(&self, e: &Entry) -> Option<u64> {
        let size = type_size(e.field_type)?;
        if e.count == 0 || !matches!(e.field_type, 1 | 3 | 4 | 6 | 8 | 9 | 13) {
            return None;
        }
        match size {
            1 => self.slice(e.value_at, 1).map(|b| b[0] as u64),
            2 => self.u16(e.value_at).map(u64::from),
            _ => self.u32(e.value_at).map(u64::from),
        }
    }

    /// A resolution value: RATIONAL as TIFF wants, but also the integer and
    /// floating types some writers use. `None` for 0/0, negative or absurd.
    fn real(&self, e: &Entry) -> Option<f64> {
        if e.count == 0 {
            return None;
        }
        let v = match e.field_type {
            5 => {
                let (n, d) = (self.u32(e.value_at)?, self.u32(e.value_at + 4)?);
                (d != 0).then(|| n as f64 / d as f64)?
            }
            10 => {
                let (n, d) = (
                    self.u32(e.value_at)? as i32,
                    self.u32(e.value_at + 4)? as i32,
                );
                (d != 0).then(|| n as f64 / d as f64)?
            }
            11 => f32::from_bits(self.u32(e.value_at)?) as f64,
            12 => f64::from_bits(self.u64(e.value_at)?),
            _ => self.first(e)? as f64,
        };
        (v.is_finite() && v > 0.0).then_some(v)
    }

    /// Builds a page from an IFD's entries.
    fn page(&self, index: usize, tags: &BTreeMap<u16, Entry>) -> TiffPage {
        let mut problems = Vec::new();
        let get = |tag: u16| tags.get(&tag).and_then(|e| self.first(e));
        let short =
            |tag: u16, default: u16| get(tag).map_or(default, |v| v.min(u16::MAX as u64) as u16);

        let width = get(IMAGE_WIDTH).unwrap_or(0).min(u32::MAX as u64) as u32;
        let rows = get(IMAGE_LENGTH).unwrap_or(0).min(u32::MAX as u64) as u32;
        if width == 0 {
            problems.push("the ImageWidth tag is missing or 0".to_string());
        }
        if rows == 0 {
            problems.push("the ImageLength tag is missing or 0".to_string());
        }
        let rows_per_strip = match get(ROWS_PER_STRIP) {
            Some(0) => {
                problems.push("RowsPerStrip is 0; the page is read as one strip".to_string());
                rows
            }
            Some(v) => v.min(rows as u64) as u32,
            None => rows,
        };
        let resolution_unit = short(RESOLUTION_UNIT, 2);
        let to_dpi = |tag: u16| {
            let v = tags.get(&tag).and_then(|e| self.real(e))?;
            match resolution_unit {
                2 => Some(v),
                3 => Some(v * 2.54),
                _ => None,
            }
        };
        let page_number = tags.get(&PAGE_NUMBER).and_then(|e| {
            let v = self.values(e).ok()?;
            (v.len() >= 2).then(|| (v[0].min(65535) as u16, v[1].min(65535) as u16))
        });
        let tiled = tags.contains_key(&TILE_WIDTH);
        let strips = if tiled {
            problems
                .push("the page is stored in tiles, which fax software does not use".to_string());
            Vec::new()
        } else {
            self.strips(tags, rows, rows_per_strip, &mut problems)
        };

        TiffPage {
            index,
            width,
            rows,
            bits_per_sample: short(BITS_PER_SAMPLE, 1),
            samples_per_pixel: short(SAMPLES_PER_PIXEL, 1),
            compression: short(COMPRESSION, COMPRESSION_NONE),
            t4_options: get(T4_OPTIONS).unwrap_or(0) as u32,
            t6_options: get(T6_OPTIONS).unwrap_or(0) as u32,
            fill_order: short(FILL_ORDER, 1),
            // Absent Photometric: fax readers assume min-is-white.
            photometric: short(PHOTOMETRIC, 0),
            x_dpi: to_dpi(X_RESOLUTION),
            y_dpi: to_dpi(Y_RESOLUTION),
            resolution_unit,
            orientation: short(ORIENTATION, 1),
            rows_per_strip,
            new_subfile_type: get(NEW_SUBFILE_TYPE).unwrap_or(0) as u32,
            page_number,
            tiled,
            strips,
            problems,
            fax: FaxTags {
                image_description: self.ascii(tags, IMAGE_DESCRIPTION),
                date_time: self.ascii(tags, DATE_TIME),
                software: self.ascii(tags, SOFTWARE),
                bad_fax_lines: get(BAD_FAX_LINES).map(|v| v.min(u32::MAX as u64) as u32),
                clean_fax_data: get(CLEAN_FAX_DATA).map(|v| v.min(u16::MAX as u64) as u16),
            },
        }
    }

    /// An ASCII tag as text: up to the first NUL, at most 1 KB (a longer
    /// description is cut), invalid UTF-8 replaced, blank = absent.
    fn ascii(&self, tags: &BTreeMap<u16, Entry>, tag: u16) -> Option<String> {
        let e = tags.get(&tag).filter(|e| e.field_type == TYPE_ASCII)?;
        let len = (e.count as u64).min(1024);
        let raw = self.slice(e.value_at, len)?;
        let raw = raw.split(|&b| b == 0).next().unwrap_or_default();
        let text = String::from_utf8_lossy(raw).trim().to_string();
        (!text.is_empty()).then_some(text)
    }

    /// Copies the page's strips, clipping any that run past the file end.
    fn strips(
        &self,
        tags: &BTreeMap<u16, Entry>,
        rows: u32,
        rows_per_strip: u32,
        problems: &mut Vec<String>,
    ) -> Vec<Vec<u8>> {
        let offsets = match tags.get(&STRIP_OFFSETS).map(|e| self.values(e)) {
            Some(Ok(v)) => v,
            Some(Err(why)) => {
                problems.push(format!("StripOffsets {why}; the page has no readable data"));
                return Vec::new();
            }
            None => {
                problems.push("the StripOffsets tag is missing; the page has no data".to_string());
                return Vec::new();
            }
        };
        let counts = match tags.get(&STRIP_BYTE_COUNTS).map(|e| self.values(e)) {
            Some(Ok(v)) => Some(v),
            Some(Err(why)) => {
                problems.push(format!("StripByteCounts {why}"));
                None
            }
            None => {
                problems.push("the StripByteCounts tag is missing".to_string());
                None
            }
        };
        let counts = match counts {
            Some(c) => {
                if c.len() != offsets.len() {
                    problems.push(format!(
                        "there are {} strip offsets but {} strip byte counts",
                        offsets.len(),
                        c.len()
                    ));
                }
                c
            }
            // Without counts, a single strip is taken to run to the end of
            // the file (the decoder stops at the page's last row).
            None if offsets.len() == 1 => vec![self.len().saturating_sub(offsets[0])],
            None => return Vec::new(),
        };
        let expected = if rows_per_strip == 0 {
            1
        } else {
            rows.div_ceil(rows_per_strip) as usize
        };
        if offsets.len() == 1 && expected > 1 {
            problems.push(format!(
                "RowsPerStrip is {rows_per_strip} but the page's {rows} rows are in a single strip; it is read as one strip"
            ));
        } else if offsets.len() < expected {
            problems.push(format!(
                "the page needs {expected} strips of {rows_per_strip} rows but has {}",
                offsets.len()
            ));
        }

        let mut strips = Vec::with_capacity(offsets.len().min(counts.len()));
        for (i, (&offset, &count)) in offsets.iter().zip(&counts).enumerate() {
            let start = offset.min(self.len());
            let end = offset.saturating_add(count).min(self.len());
            if end - start < count {
                problems.push(format!(
                    "strip {i} ({count} bytes at offset {offset}) runs past the end of the file ({} bytes); {} bytes were kept",
                    self.len(),
                    end - start
                ));
            }
            strips.push(self.bytes[start as usize..end as usize].to_vec());
        }
        strips
    }
}

#[cfg(test)]
mod tests {
    use super::super::write::tests::{meta, sample_pages};
    use super::super::write::write_tiff_f;
    use super::*;
    use crate::error::ErrorKind;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/fixtures/tiff/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn read(bytes: &[u8]) -> Result<TiffFile> {
        read_tiff(bytes, &Limits::default())
    }

    #[test]
    fn writer_output_reads_back_with_every_tag() {
        let pages = sample_pages();
        let bytes = write_tiff_f(&pages, &meta());
        let file = read(&bytes).unwrap();
        assert!(file.warnings.is_empty(), "{:?}", file.warnings);
        assert_eq!(file.pages.len(), 2);
        for (i, (p, src)) in file.pages.iter().zip(&pages).enumerate() {
            assert_eq!(p.index, i);
            assert_eq!((p.width, p.rows), (src.width, src.rows));
            assert_eq!((p.bits_per_sample, p.samples_per_pixel), (1, 1));
            assert_eq!((p.photometric, p.fill_order, p.orientation), (0, 1, 1));
            assert_eq!(p.x_dpi, Some(src.x_dpi as f64));
            assert_eq!(p.y_dpi, Some(src.y_dpi as f64));
            assert_eq!(p.resolution_unit, 2);
            assert_eq!(p.rows_per_strip, src.rows);
            assert_eq!(p.new_subfile_type, 2);
            assert_eq!(p.page_number, Some((i as u16, 2)));
            assert_eq!(p.strips, vec![src.data.clone()]);
            assert!(p.problems.is_empty(), "{:?}", p.problems);
            assert!(p.is_bilevel());
        }
        assert_eq!(
            (file.pages[0].compression, file.pages[0].t6_options),
            (4, 0)
        );
        // G3 2-D with EOL fill: bits 0 and 2
        assert_eq!(
            (file.pages[1].compression, file.pages[1].t4_options),
            (3, 5)
        );
    }

    #[test]
    fn both_byte_orders_give_the_same_page() {
        let little = read(&fixture("spandsp_itu2-B4-2048-g4.tif")).unwrap();
        let big_bytes = fixture("libtiff_B4-g4-bigendian.tif");
        assert_eq!(&big_bytes[..2], b"MM");
        let big = read(&big_bytes).unwrap();
        for file in [&little, &big] {
            assert_eq!(file.pages.len(), 1);
            let p = &file.pages[0];
            assert_eq!((p.width, p.rows, p.compression), (2048, 2376, 4));
            assert_eq!(
                (p.x_dpi.map(f64::round), p.y_dpi.map(f64::round)),
                (Some(204.0), Some(196.0))
            );
            assert_eq!(p.strips.len(), 1);
            assert!(p.problems.is_empty(), "{:?}", p.problems);
        }
        assert_eq!(little.pages[0].strips, big.pages[0].strips);
    }

    #[test]
    fn many_strips_per_page() {
        let file = read(&fixture("libtiff_B4-g3-1d-lsb-64rows.tif")).unwrap();
        let p = &file.pages[0];
        assert_eq!(
            (p.rows_per_strip, p.strips.len(), p.fill_order),
            (64, 38, 2)
        );
        assert_eq!((p.compression, p.t4_options & 1), (3, 0));
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let file = read(&fixture("libtiff_B4-g3-2d-fill.tif")).unwrap();
        assert_eq!(file.pages[0].t4_options, 5);
    }

    #[test]
    fn orientation_and_multi_page_fixtures() {
        let file = read(&fixture("pillow_g4_orientation_6.tif")).unwrap();
        let p = &file.pages[0];
        assert_eq!(
            (p.width, p.rows, p.orientation, p.compression),
            (88, 590, 6, 4)
        );
        assert_eq!(p.x_dpi, Some(96.0));

        let file = read(&fixture("pillow_g4-multi-400dpi.tiff")).unwrap();
        assert_eq!(file.pages.len(), 3);
        assert!(file
            .pages
            .iter()
            .all(|p| p.width == 3307 && p.compression == 4));
    }

    #[test]
    fn ccitt_rle_and_uncompressed_fixtures() {
        let file = read(&fixture("commons-imaging_1pagefax-mh-rle.tif")).unwrap();
        let p = &file.pages[0];
        assert_eq!((p.width, p.rows, p.compression), (1728, 1146, 2));
        assert!(p.is_bilevel());

        let file = read(&fixture("tesseract_phototest-uncompressed-200dpi.tif")).unwrap();
        let p = &file.pages[0];
        assert_eq!((p.width, p.rows, p.compression), (640, 480, 1));
        assert_eq!(p.x_dpi, Some(200.0));
        let data: usize = p.strips.iter().map(Vec::len).sum();
        assert_eq!(data, 80 * 480);
    }

    #[test]
    fn hostile_fixture_is_a_page_with_problems_not_a_panic() {
        let file = read(&fixture("tiff_pillow_libtiff_segfault.tif")).unwrap();
        let p = &file.pages[0];
        assert_eq!(p.width, 65535);
        assert!(!p.is_bilevel());
        assert!(!p.problems.is_empty());
        assert!(p.decode(&Limits::default()).is_err());
    }

    #[test]
    fn garbage_and_bigtiff_are_clear_errors() {
        let e = read(b"%PDF-1.4 hello").unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadInput);
        assert!(e.message.contains("not a TIFF"), "{e}");
        let e = read(b"II").unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadInput);
        let e = read(b"II+\0\x08\0\0\0\0\0\0\0\0\0\0\0").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Unsupported);
        assert!(e.message.contains("BigTIFF"));
        let e = read(b"II*\0\xff\0\0\0").unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadInput);
        assert!(e.message.contains("no readable image directory"), "{e}");
    }

    #[test]
    fn truncated_chain_keeps_pages_and_warns() {
        let bytes = write_tiff_f(&sample_pages(), &meta());
        // Point page 2's IFD past the end of the file.
        let mut broken = bytes.clone();
        let first = u32::from_le_bytes(broken[4..8].try_into().unwrap()) as usize;
        let next_at = first + 2 + 12 * 18;
        broken[next_at..next_at + 4].copy_from_slice(&1_000_000u32.to_le_bytes());
        let file = read(&broken).unwrap();
        assert_eq!(file.pages.len(), 1);
        assert_eq!(file.warnings.len(), 1);
        assert!(
            file.warnings[0].contains("broken after page 1"),
            "{:?}",
            file.warnings
        );

        // A cycle: page 2's IFD points back at page 1's.
        let mut cyclic = bytes.clone();
        let second = u32::from_le_bytes(bytes[next_at..next_at + 4].try_into().unwrap()) as usize;
        let next2 = second + 2 + 12 * 18;
        cyclic[next2..next2 + 4].copy_from_slice(&(first as u32).to_le_bytes());
        let file = read(&cyclic).unwrap();
        assert_eq!(file.pages.len(), 2);
        assert!(
            file.warnings[0].contains("loops back"),
            "{:?}",
            file.warnings
        );
    }

    #[test]
    fn strip_past_eof_is_clipped_and_reported() {
        let pages = sample_pages();
        let bytes = write_tiff_f(&pages[..1], &meta());
        // Claim a strip far longer than the file.
        let mut grown = bytes.clone();
        let first = u32::from_le_bytes(grown[4..8].try_into().unwrap()) as usize;
        let count_entry = (0..18)
            .map(|i| first + 2 + 12 * i)
            .find(|&e| u16::from_le_bytes([grown[e], grown[e + 1]]) == STRIP_BYTE_COUNTS)
            .unwrap();
        grown[count_entry + 8..count_entry + 12].copy_from_slice(&10_000_000u32.to_le_bytes());
        let file = read(&grown).unwrap();
        let p = &file.pages[0];
        assert_eq!(p.strips[0].len(), bytes.len() - 8);
        assert!(
            p.problems[0].contains("runs past the end of the file"),
            "{:?}",
            p.problems
        );
    }

    #[test]
    fn too_many_strip_bytes_is_a_limit() {
        let bytes = write_tiff_f(&sample_pages(), &meta());
        let limits = Limits {
            max_decoded_bytes: 10,
            ..Limits::default()
        };
        let e = read_tiff(&bytes, &limits).unwrap_err();
        assert_eq!(e.kind, ErrorKind::LimitExceeded);
    }

    #[test]
    fn resolution_in_centimetres_becomes_dpi() {
        let mut bytes = write_tiff_f(&sample_pages()[..1], &meta());
        let first = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
        let unit_entry = (0..18)
            .map(|i| first + 2 + 12 * i)
            .find(|&e| u16::from_le_bytes([bytes[e], bytes[e + 1]]) == RESOLUTION_UNIT)
            .unwrap();
        bytes[unit_entry + 8] = 3;
        let p = &read(&bytes).unwrap().pages[0];
        assert_eq!(p.resolution_unit, 3);
        assert!((p.x_dpi.unwrap() - 204.0 * 2.54).abs() < 1e-9);
    }
}
