//! TIFF-F writer: one IFD and one strip per page, tags as DESIGN §3.

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

/// Writes a multi-page TIFF-F file (little-endian, pages in order).
pub fn write_tiff_f(pages: &[EncodedPage], meta: &WriteMeta) -> Vec<u8> {
    let _ = (pages, meta);
    unimplemented!("tiff helper")
}
