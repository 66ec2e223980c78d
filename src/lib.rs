//! faxrender: documents to fax (TIFF-F) and inbound fax to PDF.
//!
//! ```text
//! SEND   bytes ─sniff─► input::<format> ─► page (gray, fax grid) ─► bilevel ─► codec ─► tiff::write ─► TIFF-F
//! RECEIVE TIFF ─tiff::read─► pages ─► codec::decode ─► export (PDF, PNG)
//! ```
//!
//! The [`job`] module is the one interface the CLI and the service call.

pub mod bilevel;
pub mod bitmap;
pub mod codec;
pub mod doc;
pub mod error;
pub mod export;
pub mod geometry;
pub mod input;
pub mod job;
pub mod layout;
pub mod limits;
pub mod raster;
#[cfg(feature = "service")]
pub mod service;
pub mod stamp;
pub mod tiff;

pub use error::{Error, ErrorKind, Result};
