//! Tolerant TIFF reader for fax-like files.

use crate::codec::Decoded;
use crate::error::Result;
use crate::limits::Limits;

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
    pub x_dpi: Option<f64>,
    pub y_dpi: Option<f64>,
    pub orientation: u16,
    pub rows_per_strip: u32,
    pub new_subfile_type: u32,
    pub page_number: Option<(u16, u16)>,
    /// Raw strip bytes (clipped to the file where offsets run past its end).
    pub strips: Vec<Vec<u8>>,
    /// Problems with this page's structure (missing strips, bad offsets).
    pub problems: Vec<String>,
}

/// Parses the IFD chain, with caps on sizes and a cycle check.
pub fn read_tiff(bytes: &[u8], limits: &Limits) -> Result<TiffFile> {
    let _ = (bytes, limits);
    unimplemented!("tiff helper")
}

impl TiffPage {
    /// 1-bit, one sample, compression none/2/3/4/PackBits.
    pub fn is_bilevel(&self) -> bool {
        unimplemented!("tiff helper")
    }

    /// Decodes a bilevel page to a bitmap (1 = black whatever the
    /// Photometric), strips stitched, fill order honoured.
    pub fn decode(&self, limits: &Limits) -> Result<Decoded> {
        let _ = limits;
        unimplemented!("tiff helper")
    }
}
