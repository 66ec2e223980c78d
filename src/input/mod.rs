//! Input documents: format sniffing and one reader per format.

pub mod fit;
pub mod image;
pub mod sniff;

pub use sniff::{sniff, Format};
