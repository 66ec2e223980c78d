//! T.4 / T.6 fax coding on packed rows: MH (G3 1-D), MR (G3 2-D), MMR (G4).
//!
//! Encoders and decoders work on [`BitImage`] rows (MSB-first, 1 = black) and
//! find colour changes a 64-bit word at a time rather than pixel by pixel.
//! The 2-D coders test runs of vertical codes (most codes on text) four at
//! a time with SSE2 on x86-64, and one at a time elsewhere.
//! Decoders are tolerant of what real files contain (EOLs with or without
//! fill, either fill order, RTC/EOFB present or not) and *detect* corrupt data:
//! they report the first bad row instead of returning garbage.
//!
//! Damage: G3 (MH, MR) replaces a bad row by a copy of the last good row,
//! counts it in [`Decoded::bad_rows`] and resynchronises at the next EOL
//! (MR also replaces the 2-D rows up to the next 1-D row); G4 and
//! `MhRle` cannot resynchronise, so they stop at the first bad row, keep
//! the rows before it and set `truncated`. Multi-strip pages decode strip
//! by strip and are stitched with [`Decoded::append`].
//!
//! Files: `tables` (ITU code tables and decode lookup tables), `bitio`
//! (64-bit bit reader/writer), `runs` (rows <-> changing elements),
//! `encode`, `decode`.

mod bitio;
mod decode;
mod encode;
#[cfg(test)]
pub(crate) mod oracle;
mod runs;
mod tables;
#[cfg(test)]
mod tests;

use crate::bitmap::BitImage;
use crate::error::{Error, Result};
use crate::geometry::Resolution;
use std::str::FromStr;

/// The compression a user chooses for an outgoing fax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub enum Compression {
    /// T.4 Modified Huffman, G3 1-D (TIFF Compression 3, T4Options bit0 = 0).
    #[serde(rename = "g3")]
    G3,
    /// T.4 Modified READ, G3 2-D (TIFF Compression 3, T4Options bit0 = 1).
    #[serde(rename = "g3-2d")]
    G3_2D,
    /// T.6 Modified Modified READ, G4 (TIFF Compression 4).
    #[default]
    #[serde(rename = "g4")]
    G4,
}

impl Compression {
    pub const ALL: [Compression; 3] = [Compression::G3, Compression::G3_2D, Compression::G4];

    pub fn name(self) -> &'static str {
        match self {
            Compression::G3 => "g3",
            Compression::G3_2D => "g3-2d",
            Compression::G4 => "g4",
        }
    }

    /// The coding scheme for this compression at a resolution (MR's K
    /// depends on the resolution).
    pub fn coding(self, res: Resolution) -> Coding {
        match self {
            Compression::G3 => Coding::Mh,
            Compression::G3_2D => Coding::Mr { k: res.mr_k() },
            Compression::G4 => Coding::Mmr,
        }
    }
}

impl std::fmt::Display for Compression {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Compression {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "g3" | "g3-1d" | "mh" => Ok(Compression::G3),
            "g3-2d" | "mr" => Ok(Compression::G3_2D),
            "g4" | "mmr" => Ok(Compression::G4),
            _ => Err(Error::invalid_option(format!(
                "unknown compression '{s}' (expected g3, g3-2d or g4)"
            ))),
        }
    }
}

/// A coding scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Coding {
    /// T.4 MH: every row 1-D, each preceded by EOL.
    Mh,
    /// T.4 MR: each EOL is followed by a tag bit (1 = next row 1-D, 0 = 2-D);
    /// at most k-1 2-D rows follow a 1-D row.
    Mr { k: u32 },
    /// T.6 MMR: all rows 2-D against the previous row, no EOLs.
    Mmr,
    /// TIFF Compression 2 ("CCITT RLE"): MH codes without EOLs, every row
    /// starting on a byte boundary. Decode only.
    MhRle,
}

/// Options for [`encode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodeOptions {
    pub coding: Coding,
    /// G3 only: pad with 0 bits before each EOL so that every EOL ends on a
    /// byte boundary (TIFF T4Options bit 2).
    pub eol_fill: bool,
    /// Append RTC (6 EOLs, G3) or EOFB (2 EOLs, G4) after the last row.
    pub end_marker: bool,
}

/// Encodes a whole image. Never fails for a valid `BitImage`.
///
/// G3 output has an EOL before every row (the first too), as TIFF Class F
/// and libtiff write it. `Coding::MhRle` is accepted too (each row MH-coded
/// and byte-aligned, no EOLs). An image of width 0 has no codable rows and
/// yields only the end marker, if asked for.
pub fn encode(img: &BitImage, opts: &EncodeOptions) -> Vec<u8> {
    encode::encode_image(img, opts)
}

/// Options for [`decode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeOptions {
    pub coding: Coding,
    /// Pixels per row.
    pub width: u32,
    /// Rows expected (the TIFF ImageLength or RowsPerStrip); `None` decodes
    /// until the data ends.
    pub rows: Option<u32>,
    /// FillOrder 2: the least significant bit of each byte comes first.
    pub lsb_first: bool,
    /// Hard cap on rows decoded (a memory limit for `rows: None`).
    pub max_rows: u32,
}

/// What [`decode`] returns: the image read so far and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The rows read (damaged ones repaired), `width` wide. Height is the
    /// number of rows obtained, which may be less than expected.
    pub image: BitImage,
    /// Rows that could not be decoded and were replaced by the previous good
    /// row (G3 resynchronises at the next EOL; G4 cannot).
    pub bad_rows: u32,
    /// The first row (0-based) that was bad, if any.
    pub first_bad_row: Option<u32>,
    /// Fewer rows were obtained than `rows` asked for.
    pub truncated: bool,
    /// A description of the first fault, if any.
    pub error: Option<String>,
}

impl Decoded {
    /// No bad rows, not truncated, no fault.
    pub fn is_clean(&self) -> bool {
        self.bad_rows == 0 && !self.truncated && self.error.is_none()
    }

    /// An image with no rows yet, to [`append`](Self::append) strips to.
    pub fn empty(width: u32) -> Self {
        Decoded {
            image: BitImage::new(width, 0),
            bad_rows: 0,
            first_bad_row: None,
            truncated: false,
            error: None,
        }
    }

    /// Appends the rows of `next` (the following strip of the same page)
    /// below these rows, merging the damage report: bad rows add up, the
    /// first bad row and first error are kept (with `next`'s row numbers
    /// shifted down), and either strip being truncated makes the page
    /// truncated. Rows of a different width are clipped or padded with
    /// white to this width.
    pub fn append(&mut self, next: &Decoded) {
        let offset = self.image.height;
        if self.first_bad_row.is_none() {
            self.first_bad_row = next.first_bad_row.map(|r| r.saturating_add(offset));
        }
        if self.error.is_none() {
            self.error = next
                .error
                .as_ref()
                .map(|e| format!("rows from {offset}: {e}"));
        }
        self.bad_rows = self.bad_rows.saturating_add(next.bad_rows);
        self.truncated |= next.truncated;

        let img = &mut self.image;
        if next.image.width == img.width {
            img.data.extend_from_slice(&next.image.data);
        } else {
            let copy = img.stride.min(next.image.stride);
            for y in 0..next.image.height {
                let start = img.data.len();
                img.data.resize(start + img.stride, 0);
                img.data[start..start + copy].copy_from_slice(&next.image.row(y)[..copy]);
            }
        }
        let first_new = img.height;
        img.height += next.image.height;
        if next.image.width > img.width {
            // clear what lies past our width in the rows just added
            let mut tail = BitImage {
                width: img.width,
                height: next.image.height,
                stride: img.stride,
                data: img.data.split_off(first_new as usize * img.stride),
            };
            tail.clear_padding();
            img.data.append(&mut tail.data);
        }
    }
}

/// Widest row [`decode`] accepts (far beyond any fax or scanner page).
pub const MAX_DECODE_WIDTH: u32 = 1 << 20;

/// Decodes fax data. Never panics, whatever the bytes.
///
/// See the module documentation of the decoders for how damage is handled;
/// in short, G3 repairs and resynchronises, G4 and `MhRle` stop at the first
/// bad row (and set `truncated`). At most `min(rows, max_rows)` rows are
/// decoded; memory grows with the rows actually decoded.
pub fn decode(data: &[u8], opts: &DecodeOptions) -> Decoded {
    if opts.width == 0 || opts.width > MAX_DECODE_WIDTH {
        let mut d = Decoded::empty(0);
        d.image.width = opts.width.min(MAX_DECODE_WIDTH);
        d.image.stride = BitImage::stride_for(d.image.width);
        d.truncated = opts.rows.is_some_and(|n| n > 0);
        d.error = Some(format!("unsupported row width {}", opts.width));
        return d;
    }
    let reversed;
    let data = if opts.lsb_first {
        reversed = {
            let mut copy = data.to_vec();
            reverse_bits_in_place(&mut copy);
            copy
        };
        &reversed[..]
    } else {
        data
    };
    match opts.coding {
        Coding::Mh => decode::decode_g3(data, opts, false),
        Coding::Mr { .. } => decode::decode_g3(data, opts, true),
        Coding::Mmr => decode::decode_g4(data, opts),
        Coding::MhRle => decode::decode_mh_rle(data, opts),
    }
}

/// Reverses the bit order of every byte: FillOrder 2 (LSB first) data to
/// FillOrder 1 (MSB first), or back.
pub fn reverse_bits_in_place(data: &mut [u8]) {
    for b in data {
        *b = tables::REVERSED[*b as usize];
    }
}
