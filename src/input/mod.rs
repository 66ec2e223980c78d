//! Input documents: format sniffing and one reader per format.

pub mod fit;
pub mod image;
pub mod sniff;
pub mod source;
pub mod tiff_doc;

pub use sniff::{sniff, Format};
pub use source::{open, OpenedDocument, PageSource, RenderedPage};
