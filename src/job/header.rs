//! The header line of a send job: the values every page shares (date and
//! time read once from the job clock, sender, caller ID, recipient) and the
//! per-page stamp into the band the renderers left free.

use crate::bitmap::BitImage;
use crate::geometry::Resolution;
use crate::job::caller_id::CallerId;
use crate::job::clock::DateTime;
use crate::job::numbers::Recipient;
use crate::layout::Fonts;
use crate::stamp::{draw_header, HeaderFields, HeaderTemplate};

/// What one job's header lines are made of; only the page number changes.
#[derive(Debug, Clone)]
pub struct JobHeader {
    pub template: HeaderTemplate,
    /// Everything but `page` (set per page) and `pages` (the total).
    pub fields: HeaderFields,
}

impl JobHeader {
    pub fn new(
        template: HeaderTemplate,
        local: &DateTime,
        sender: Option<&str>,
        caller_id: &CallerId,
        recipient: &Recipient,
        pages: u32,
    ) -> JobHeader {
        JobHeader {
            template,
            fields: HeaderFields {
                date: local.header_date(),
                time: local.header_time(),
                sender: sender.map(str::to_string),
                caller_id: caller_id.digits().to_string(),
                to: recipient.digits().to_string(),
                page: 0,
                pages,
            },
        }
    }

    /// The header text of page `page` (1-based).
    pub fn text(&self, page: u32) -> String {
        self.template.render(&HeaderFields {
            page,
            ..self.fields.clone()
        })
    }

    /// Stamps page `page` (1-based): clears the band, then draws the line.
    /// Returns whether the text had to be cut with an ellipsis.
    ///
    /// The band is cleared first because the header must stay legible
    /// whatever a renderer or the bilevel stage left there (renderers are
    /// asked to leave it white; this makes it a guarantee).
    pub fn stamp(
        &self,
        page_image: &mut BitImage,
        page: u32,
        band_rows: u32,
        res: Resolution,
        fonts: &Fonts,
    ) -> bool {
        for y in 0..band_rows.min(page_image.height) {
            page_image.row_mut(y).fill(0);
        }
        draw_header(page_image, &self.text(page), res, fonts)
    }
}

/// A person's name as it may appear in the header and on the cover: control
/// characters (new lines, tabs, escapes) become spaces, runs of spaces
/// collapse, and the ends are trimmed. `None` when nothing is left.
pub fn clean_name(name: Option<&str>) -> Option<String> {
    let cleaned = name?
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!cleaned.is_empty()).then_some(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_control_characters_and_extra_spaces() {
        assert_eq!(clean_name(None), None);
        assert_eq!(clean_name(Some("  ")), None);
        assert_eq!(clean_name(Some("\n\t")), None);
        assert_eq!(
            clean_name(Some(" Acme\nCorp\t\u{1b}[31m Billing ")),
            Some("Acme Corp [31m Billing".to_string())
        );
        assert_eq!(clean_name(Some("Zoë Ωmega")), Some("Zoë Ωmega".to_string()));
    }
}
