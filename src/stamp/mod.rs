//! The header line every sent page carries (47 CFR 68.318(d): date and time,
//! sender, sending number): a template filled per page and drawn into the
//! band the renderers left white at the top of the page.
//!
//! (Being built: issue 3. The signatures here are the contract.)

use crate::bitmap::BitImage;
use crate::error::Result;
use crate::geometry::Resolution;
use crate::layout::Fonts;

/// The values a header template can use.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeaderFields {
    /// Date as it should read, e.g. `2026-11-29`.
    pub date: String,
    /// Time as it should read, e.g. `15:40`.
    pub time: String,
    /// The sender's name, when given.
    pub sender: Option<String>,
    /// The caller ID used (digits).
    pub caller_id: String,
    /// The recipient number (digits).
    pub to: String,
    /// 1-based page number and the total, cover included.
    pub page: u32,
    pub pages: u32,
}

/// A header template such as
/// `{date} {time} {sender} FROM: {caller_id} TO: {to} PAGE {page}/{pages}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderTemplate {
    _source: String,
}

impl HeaderTemplate {
    /// The default template; satisfies 47 CFR 68.318(d).
    pub const DEFAULT: &'static str =
        "{date} {time}  {sender}  FROM: {caller_id}  TO: {to}  PAGE {page}/{pages}";

    /// Parses a template; an unknown `{placeholder}` or an unclosed brace is
    /// an invalid-option error naming it.
    pub fn parse(template: &str) -> Result<Self> {
        let _ = template;
        unimplemented!("issue 3: stamp")
    }

    /// The header text for one page (an absent sender leaves no gap).
    pub fn render(&self, fields: &HeaderFields) -> String {
        let _ = fields;
        unimplemented!("issue 3: stamp")
    }
}

impl Default for HeaderTemplate {
    fn default() -> Self {
        HeaderTemplate::parse(Self::DEFAULT).expect("the default template parses")
    }
}

/// Rows reserved at the top of every page for the header at `res`.
pub fn band_rows(res: Resolution) -> u32 {
    let _ = res;
    unimplemented!("issue 3: stamp")
}

/// Draws `text` into the header band of `page` (which must be white there),
/// cut with an ellipsis when too long for the width. Returns whether it was
/// cut.
pub fn draw_header(page: &mut BitImage, text: &str, res: Resolution, fonts: &Fonts) -> bool {
    let _ = (page, text, res, fonts);
    unimplemented!("issue 3: stamp")
}
