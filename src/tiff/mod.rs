//! TIFF: the TIFF-F writer for outgoing faxes and a tolerant reader for any
//! fax-like TIFF (incoming faxes, TIFF documents to send, `inspect`).
//!
//! - `write`: [`write_tiff_f`], one IFD and one strip per page, tags as
//!   DESIGN §3, deterministic bytes.
//! - `read`: [`read_tiff`], IFD chain and raw strips, both byte orders,
//!   every offset checked; `decode`: [`TiffPage::decode`] to a bitmap.
//! - `inspect`: whether a file can be sent as it is (SpanDSP's and
//!   TIFF-F's rules) and why not.

mod decode;
mod fax_rules;
pub mod inspect;
mod packbits;
pub mod read;
mod tags;
pub mod write;

pub use inspect::{inspect, Inspection, PageInspection};
pub use read::{read_tiff, FaxTags, TiffFile, TiffPage};
pub use write::{write_tiff_f, EncodedPage, WriteMeta};
