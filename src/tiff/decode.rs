//! Decoding a bilevel TIFF page to a [`BitImage`]: strip by strip, each
//! strip coded independently (TIFF 6.0 §3: a strip restarts the coding),
//! then stitched; FillOrder 2 and Photometric min-is-black honoured so the
//! result is always MSB-first with 1 = black.

use super::packbits;
use super::read::TiffPage;
use super::tags::*;
use crate::bitmap::BitImage;
use crate::codec::{self, Coding, DecodeOptions, Decoded};
use crate::error::{Error, Result, ResultExt};
use crate::limits::Limits;

impl TiffPage {
    /// 1-bit, one sample, compression none/2/3/4/PackBits.
    pub fn is_bilevel(&self) -> bool {
        self.bits_per_sample == 1 && self.samples_per_pixel == 1 && decodable(self.compression)
    }

    /// Decodes a bilevel page to a bitmap (1 = black whatever the
    /// Photometric), strips stitched, fill order honoured.
    ///
    /// Errors: `Unsupported` for a page that is not bilevel, tiled or in a
    /// compression we do not decode; `LimitExceeded`/`BadInput` from the
    /// size check (done before anything is allocated); `BadInput` for a
    /// page with no data at all. Damaged data is not an error: the result
    /// says which rows were bad and whether rows are missing.
    pub fn decode(&self, limits: &Limits) -> Result<Decoded> {
        let page = self.index + 1;
        self.check_decodable().context(|| format!("page {page}"))?;
        limits
            .check_image(self.width, self.rows, 1)
            .context(|| format!("page {page}"))?;
        if self.strips.iter().all(Vec::is_empty) {
            return Err(
                Error::bad_input("the page has no image data").with_context(format!("page {page}"))
            );
        }
        Ok(self.decode_strips())
    }

    fn check_decodable(&self) -> Result<()> {
        if self.bits_per_sample != 1 || self.samples_per_pixel != 1 {
            return Err(Error::unsupported(format!(
                "the page has {} bits per sample and {} samples per pixel; only bilevel (1-bit) pages can be decoded",
                self.bits_per_sample, self.samples_per_pixel
            )));
        }
        if !decodable(self.compression) {
            return Err(Error::unsupported(format!(
                "the page uses compression {}, which faxrender does not decode (it reads none, CCITT RLE, G3, G4 and PackBits)",
                compression_label(self.compression)
            )));
        }
        if self.tiled {
            return Err(Error::unsupported(
                "the page is tiled; only pages in strips can be decoded",
            ));
        }
        Ok(())
    }

    fn decode_strips(&self) -> Decoded {
        // A single strip holds the whole page whatever RowsPerStrip says
        // (some writers get the tag wrong; libtiff reads such files too).
        let rows_per_strip = if self.strips.len() == 1 {
            self.rows
        } else {
            self.rows_per_strip.clamp(1, self.rows)
        };
        let mut image = BitImage::new(self.width, self.rows);
        let mut result = Stitched::default();
        for (i, strip) in self.strips.iter().enumerate() {
            let start = i as u64 * rows_per_strip as u64;
            if start >= self.rows as u64 {
                break; // extra strips past the last row are ignored
            }
            let start = start as u32;
            let rows = rows_per_strip.min(self.rows - start);
            let part = self.decode_strip(strip, rows);
            copy_rows(&part.image, &mut image, start);
            result.add(i, start, rows, &part);
        }
        let strips_rows = self.strips.len() as u64 * rows_per_strip as u64;
        if strips_rows < self.rows as u64 {
            result.truncated = true;
            result.error.get_or_insert_with(|| {
                format!(
                    "the page has {} strip(s) of {rows_per_strip} rows for {} rows",
                    self.strips.len(),
                    self.rows
                )
            });
        }
        result.finish(image, self.photometric == 1)
    }

    /// Decodes one strip of `rows` rows.
    fn decode_strip(&self, strip: &[u8], rows: u32) -> Decoded {
        let lsb_first = self.fill_order == 2;
        let coding = match self.compression {
            COMPRESSION_CCITT_RLE => Coding::MhRle,
            COMPRESSION_G3 if self.t4_options & 1 != 0 => Coding::Mr {
                // The decoder follows each row's tag bit; K only matters
                // for encoding, so take T.4's value for the resolution.
                k: if self.y_dpi.is_some_and(|y| y < 150.0) {
                    2
                } else {
                    4
                },
            },
            COMPRESSION_G3 => Coding::Mh,
            COMPRESSION_G4 => Coding::Mmr,
            _ => return self.decode_raw_strip(strip, rows, lsb_first),
        };
        codec::decode(
            strip,
            &DecodeOptions {
                coding,
                width: self.width,
                rows: Some(rows),
                lsb_first,
                max_rows: rows,
            },
        )
    }

    /// Uncompressed or PackBits strips: packed rows after unpacking.
    fn decode_raw_strip(&self, strip: &[u8], rows: u32, lsb_first: bool) -> Decoded {
        let row_bytes = (self.width as usize).div_ceil(8);
        let needed = row_bytes * rows as usize;
        // libtiff reverses the bits of the raw strip before decompressing.
        let reversed: Vec<u8>;
        let raw = if lsb_first {
            reversed = strip.iter().map(|b| b.reverse_bits()).collect();
            &reversed[..]
        } else {
            strip
        };
        let (packed, damaged) = if self.compression == COMPRESSION_PACKBITS {
            packbits::unpack(raw, needed)
        } else {
            (raw[..raw.len().min(needed)].to_vec(), false)
        };
        let obtained = (packed.len() / row_bytes.max(1)) as u32;
        let truncated = obtained < rows;
        let error = if truncated {
            Some(format!(
                "the strip holds {obtained} of its {rows} rows ({} of {needed} bytes)",
                packed.len()
            ))
        } else if damaged {
            Some("the PackBits data ends in the middle of a run".to_string())
        } else {
            None
        };
        Decoded {
            image: BitImage::from_packed(self.width, obtained, &packed),
            bad_rows: 0,
            first_bad_row: None,
            truncated,
            error,
        }
    }
}

fn decodable(compression: u16) -> bool {
    matches!(
        compression,
        COMPRESSION_NONE
            | COMPRESSION_CCITT_RLE
            | COMPRESSION_G3
            | COMPRESSION_G4
            | COMPRESSION_PACKBITS
    )
}

/// Copies the rows of `part` into `image` from row `start` (same width).
fn copy_rows(part: &BitImage, image: &mut BitImage, start: u32) {
    let rows = part.height.min(image.height.saturating_sub(start));
    let stride = image.stride.min(part.stride);
    for y in 0..rows {
        image.row_mut(start + y)[..stride].copy_from_slice(&part.row(y)[..stride]);
    }
}

/// What the strips of a page add up to.
#[derive(Default)]
struct Stitched {
    bad_rows: u32,
    first_bad_row: Option<u32>,
    truncated: bool,
    error: Option<String>,
    /// One past the last row obtained.
    end: u32,
    /// Rows missing inside the page (a short strip followed by good ones).
    gaps: Vec<(u32, u32)>,
}

impl Stitched {
    fn add(&mut self, strip: usize, start: u32, rows: u32, part: &Decoded) {
        let obtained = part.image.height.min(rows);
        self.bad_rows += part.bad_rows;
        if let Some(r) = part.first_bad_row {
            self.note_bad(start + r);
        }
        if part.truncated || obtained < rows {
            self.truncated = true;
            self.gaps.push((start + obtained, start + rows));
        }
        if obtained > 0 {
            self.end = self.end.max(start + obtained);
        }
        if let Some(e) = &part.error {
            self.error
                .get_or_insert_with(|| format!("strip {strip}: {e}"));
        }
    }

    fn note_bad(&mut self, row: u32) {
        self.first_bad_row = Some(self.first_bad_row.map_or(row, |r| r.min(row)));
    }

    fn finish(mut self, mut image: BitImage, invert: bool) -> Decoded {
        // Missing rows above the last row obtained are holes in the page:
        // they stay white and count as bad rows.
        for (from, to) in std::mem::take(&mut self.gaps) {
            let to = to.min(self.end);
            if from < to {
                self.bad_rows += to - from;
                self.note_bad(from);
            }
        }
        image.height = self.end;
        image.data.truncate(image.stride * self.end as usize);
        if invert {
            // Photometric min-is-black: 0 = black in the file.
            image.data.iter_mut().for_each(|b| *b = !*b);
            image.clear_padding();
        }
        Decoded {
            image,
            bad_rows: self.bad_rows,
            first_bad_row: self.first_bad_row,
            truncated: self.truncated,
            error: self.error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    /// A page with the given raw strips, 16 x `rows`, 1-bit.
    fn page(compression: u16, rows: u32, rows_per_strip: u32, strips: Vec<Vec<u8>>) -> TiffPage {
        TiffPage {
            index: 0,
            width: 16,
            rows,
            bits_per_sample: 1,
            samples_per_pixel: 1,
            compression,
            t4_options: 0,
            t6_options: 0,
            fill_order: 1,
            photometric: 0,
            x_dpi: Some(204.0),
            y_dpi: Some(196.0),
            resolution_unit: 2,
            orientation: 1,
            rows_per_strip,
            new_subfile_type: 0,
            page_number: None,
            tiled: false,
            strips,
            problems: vec![],
            fax: Default::default(),
        }
    }

    #[test]
    fn uncompressed_strips_are_stitched() {
        let p = page(
            1,
            3,
            2,
            vec![vec![0x80, 0x01, 0xFF, 0x00], vec![0x00, 0x0F]],
        );
        let d = p.decode(&Limits::default()).unwrap();
        assert!(d.is_clean(), "{d:?}");
        assert_eq!(
            d.image.to_packed(),
            vec![0x80, 0x01, 0xFF, 0x00, 0x00, 0x0F]
        );
    }

    #[test]
    fn fill_order_2_and_min_is_black() {
        let mut p = page(1, 1, 1, vec![vec![0x01, 0x80]]);
        p.fill_order = 2;
        let d = p.decode(&Limits::default()).unwrap();
        assert_eq!(d.image.to_packed(), vec![0x80, 0x01]);
        p.photometric = 1;
        let d = p.decode(&Limits::default()).unwrap();
        assert_eq!(d.image.to_packed(), vec![0x7F, 0xFE]);
        // padding past the width stays white after inversion
        assert!(d.image.row(0)[2..].iter().all(|&b| b == 0));
    }

    #[test]
    fn packbits_page() {
        // row 0: 2 x 0xFF (run), row 1: literal 0x12 0x34
        let p = page(
            COMPRESSION_PACKBITS,
            2,
            2,
            vec![vec![0xFF, 0xFF, 0x01, 0x12, 0x34]],
        );
        let d = p.decode(&Limits::default()).unwrap();
        assert!(d.is_clean(), "{d:?}");
        assert_eq!(d.image.to_packed(), vec![0xFF, 0xFF, 0x12, 0x34]);
    }

    #[test]
    fn short_strips_leave_holes_and_truncation() {
        // strip 0 has 1 of 2 rows, strip 1 is complete: row 1 is a hole.
        let p = page(1, 4, 2, vec![vec![0xAA, 0xAA], vec![1, 2, 3, 4]]);
        let d = p.decode(&Limits::default()).unwrap();
        assert_eq!(d.image.height, 4);
        assert_eq!(
            (d.bad_rows, d.first_bad_row, d.truncated),
            (1, Some(1), true)
        );
        assert!(
            d.error.as_deref().unwrap().starts_with("strip 0:"),
            "{:?}",
            d.error
        );

        // The last strip is short: the image is shorter, no hole.
        let p = page(1, 4, 2, vec![vec![1, 2, 3, 4], vec![5, 6]]);
        let d = p.decode(&Limits::default()).unwrap();
        assert_eq!((d.image.height, d.bad_rows, d.truncated), (3, 0, true));

        // A missing strip.
        let p = page(1, 6, 2, vec![vec![1, 2, 3, 4], vec![5, 6, 7, 8]]);
        let d = p.decode(&Limits::default()).unwrap();
        assert_eq!((d.image.height, d.bad_rows, d.truncated), (4, 0, true));
        assert!(d.error.unwrap().contains("2 strip(s) of 2 rows for 6 rows"));
    }

    fn fixture_page(name: &str) -> TiffPage {
        let path = format!("{}/fixtures/tiff/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        crate::tiff::read_tiff(&bytes, &Limits::default())
            .unwrap()
            .pages
            .remove(0)
    }

    /// Decodes a fixture and checks it against libtiff's black pixel count
    /// (fixtures/tiff/README.md).
    fn assert_decodes(name: &str, width: u32, rows: u32, black: u64) -> Decoded {
        let d = fixture_page(name).decode(&Limits::default()).unwrap();
        assert!(d.is_clean(), "{name}: {d:?}");
        assert_eq!((d.image.width, d.image.height), (width, rows), "{name}");
        assert_eq!(d.image.count_black(), black, "{name}");
        d
    }

    #[test]
    fn raw_fixtures_match_libtiff() {
        assert_decodes("libtiff_B4-packbits-100rows.tif", 2048, 2376, 184_240);
        assert_eq!(
            fixture_page("libtiff_B4-packbits-100rows.tif").strips.len(),
            24
        );
        assert_decodes(
            "tesseract_phototest-uncompressed-200dpi.tif",
            640,
            480,
            29_060,
        );
    }

    #[test]
    fn ccitt_fixtures_match_libtiff() {
        // The same B4 page in five codings, orders and strip layouts.
        let reference = assert_decodes("spandsp_itu2-B4-2048-g4.tif", 2048, 2376, 184_240);
        for name in [
            "libtiff_B4-g4-bigendian.tif",
            "libtiff_B4-g4-300rows.tif",
            "libtiff_B4-g3-2d-fill.tif",
            "libtiff_B4-g3-1d-lsb-64rows.tif",
            "libtiff_B4-packbits-100rows.tif",
        ] {
            let d = assert_decodes(name, 2048, 2376, 184_240);
            assert!(
                d.image == reference.image,
                "{name} differs from the G4 original"
            );
        }
        assert_decodes("tiff_itu4-width1730-g4.tif", 1730, 2376, 509_635);
        assert_decodes("pillow_g4_orientation_6.tif", 88, 590, 5_768);
        assert_decodes("commons-imaging_1pagefax-mh-rle.tif", 1728, 1146, 0);
    }

    #[test]
    fn writer_round_trip_decodes_to_the_pattern() {
        use crate::tiff::write::tests::{meta, pattern, sample_pages};
        let bytes = crate::tiff::write_tiff_f(&sample_pages()[..1], &meta());
        let page = crate::tiff::read_tiff(&bytes, &Limits::default())
            .unwrap()
            .pages
            .remove(0);
        let d = page.decode(&Limits::default()).unwrap();
        assert!(d.is_clean(), "{d:?}");
        for y in 0..page.rows {
            for x in 0..page.width {
                assert_eq!(d.image.get(x, y), pattern(x, y), "pixel {x},{y}");
            }
        }
    }

    #[test]
    fn damaged_g4_strip_is_reported_not_hidden() {
        let mut page = fixture_page("spandsp_itu2-B4-2048-g4.tif");
        let strip = &mut page.strips[0];
        strip.truncate(strip.len() / 2);
        let d = page.decode(&Limits::default()).unwrap();
        assert!(!d.is_clean());
        assert!(d.truncated || d.bad_rows > 0, "{d:?}");
    }

    #[test]
    fn refusals_before_allocating() {
        let mut p = page(5, 2, 2, vec![vec![0; 4]]);
        assert!(!p.is_bilevel());
        assert_eq!(
            p.decode(&Limits::default()).unwrap_err().kind,
            ErrorKind::Unsupported
        );
        p.compression = 1;
        p.bits_per_sample = 8;
        assert_eq!(
            p.decode(&Limits::default()).unwrap_err().kind,
            ErrorKind::Unsupported
        );
        p.bits_per_sample = 1;
        p.width = 30_000;
        p.rows = 30_000;
        let e = p.decode(&Limits::default()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::LimitExceeded);
        assert!(e.to_string().starts_with("page 1: "), "{e}");
        p.width = 16;
        p.rows = 2;
        p.strips = vec![];
        assert_eq!(
            p.decode(&Limits::default()).unwrap_err().kind,
            ErrorKind::BadInput
        );
    }
}
