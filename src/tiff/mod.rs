//! TIFF: the TIFF-F writer for outgoing faxes and a tolerant reader for any
//! fax-like TIFF (incoming faxes, TIFF documents to send, `inspect`).

pub mod inspect;
pub mod read;
pub mod write;

pub use read::{read_tiff, TiffFile, TiffPage};
pub use write::{write_tiff_f, EncodedPage, WriteMeta};
