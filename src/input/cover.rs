//! The composed cover sheet: the portal user's text typeset as a proper fax
//! cover page (a large "FAX" title, To, From, Date, Pages, Subject, message).
//! A long message continues on further pages.
//!
//! (Being built: issue 3. The signatures here are the contract.)

use super::source::{OpenContext, OpenedDocument};
use crate::error::Result;

/// What the portal's Send Fax dialog gives for a composed cover.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CoverSheet {
    pub to_name: Option<String>,
    /// The recipient number as it should be shown.
    pub to_number: String,
    pub from_name: Option<String>,
    /// The caller ID used, as it should be shown.
    pub caller_id: String,
    /// Date (and time) as it should read.
    pub date: String,
    pub subject: Option<String>,
    /// The message body, wrapped; may be empty.
    pub message: String,
}

/// Lays out the cover sheet; `pages_after` is the number of pages the rest
/// of the fax has, so the "Pages" line shows the whole fax, cover included.
pub fn compose(sheet: &CoverSheet, pages_after: u32, ctx: &OpenContext) -> Result<OpenedDocument> {
    let _ = (sheet, pages_after, ctx);
    unimplemented!("issue 3: cover sheet")
}
