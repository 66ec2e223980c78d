//! The composed cover sheet: the portal user's text typeset as a proper fax
//! cover page (a large "FAX" title, To, From, Date, Pages, Subject, message).
//! A long message continues on further pages.
//!
//! The "Pages" line counts the whole fax, cover included, so the cover is
//! laid out twice: once to learn how many pages it takes itself, once with
//! the total filled in.

use super::sniff::Format;
use super::source::{OpenContext, OpenedDocument};
use super::text::{page_setup_for, typeset};
use crate::doc::{
    Block, BorderRoom, Borders, Document, Padding, Paragraph, Run, RunStyle, Table, TableCell,
    TableRow,
};
use crate::error::Result;
use crate::layout;

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

/// Margins of the cover sheet, in points (0.75 inch).
const MARGIN: f32 = 54.0;
const TITLE_SIZE: f32 = 44.0;
const FIELD_SIZE: f32 = 13.0;
const BODY_SIZE: f32 = 12.0;
/// Width of the label column ("Subject:").
const LABEL_WIDTH: f32 = 96.0;

/// Lays out the cover sheet; `pages_after` is the number of pages the rest
/// of the fax has, so the "Pages" line shows the whole fax, cover included.
pub fn compose(sheet: &CoverSheet, pages_after: u32, ctx: &OpenContext) -> Result<OpenedDocument> {
    // The cover's own page count does not depend on the digits of the
    // total (one short line), so a first pass with a placeholder gives it.
    let draft = cover_document(sheet, "0000", ctx);
    let cover_pages = layout::layout(&draft, &ctx.fonts, ctx.limits.max_pages.max(1) as usize)?
        .frames
        .len() as u32;
    let total = cover_pages.saturating_add(pages_after);
    let doc = cover_document(sheet, &total.to_string(), ctx);
    let mut opened = typeset(&doc, Format::Text, ctx)?;
    opened.format = Format::Text;
    Ok(opened)
}

/// The cover sheet as a flow document.
pub fn cover_document(sheet: &CoverSheet, pages: &str, ctx: &OpenContext) -> Document {
    let mut doc = Document::new(page_setup_for(&ctx.geometry, MARGIN, MARGIN));
    let width = doc.page.content_width();
    doc.blocks.push(Block::Heading {
        level: 1,
        paragraph: Paragraph {
            space_after: 2.0,
            ..Paragraph::plain("FAX", RunStyle::sans(TITLE_SIZE).bold())
        },
    });
    doc.blocks.push(Block::Rule {
        thickness: 3.0,
        gray: 0,
        space_before: 0.0,
        space_after: 14.0,
    });

    let mut rows = Vec::new();
    let join = |name: &Option<String>, number: &str| match name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() && !number.is_empty() => format!("{n}\n{number}"),
        Some(n) if !n.is_empty() => n.to_string(),
        _ => number.to_string(),
    };
    rows.push(field_row("To:", &join(&sheet.to_name, &sheet.to_number)));
    rows.push(field_row(
        "From:",
        &join(&sheet.from_name, &sheet.caller_id),
    ));
    rows.push(field_row("Date:", &sheet.date));
    rows.push(field_row(
        "Pages:",
        &format!("{pages} (including this cover)"),
    ));
    if let Some(subject) = sheet.subject.as_deref().filter(|s| !s.trim().is_empty()) {
        rows.push(field_row("Subject:", subject.trim()));
    }
    doc.blocks.push(Block::Table(Table {
        columns: vec![LABEL_WIDTH, width - LABEL_WIDTH],
        rows,
        header_rows: 0,
        cell_padding: Padding::uniform(3.0),
        border_room: BorderRoom::Overlay,
    }));
    doc.blocks.push(Block::Rule {
        thickness: 0.75,
        gray: 0,
        space_before: 12.0,
        space_after: 16.0,
    });

    let body = sheet.message.replace("\r\n", "\n");
    for line in body.trim_end().split('\n') {
        doc.blocks.push(Block::Paragraph(Paragraph {
            space_after: 3.0,
            ..Paragraph::plain(line.trim_end(), RunStyle::serif(BODY_SIZE))
        }));
    }
    doc
}

fn field_row(label: &str, value: &str) -> TableRow {
    let label_cell = TableCell {
        borders: Borders::default(),
        ..TableCell::text(label, RunStyle::sans(FIELD_SIZE).bold())
    };
    let value_cell = TableCell {
        blocks: value
            .split('\n')
            .map(|line| {
                Block::Paragraph(Paragraph {
                    runs: vec![Run::new(line, RunStyle::sans(FIELD_SIZE))],
                    ..Paragraph::default()
                })
            })
            .collect(),
        borders: Borders::default(),
        ..TableCell::text("", RunStyle::sans(FIELD_SIZE))
    };
    TableRow {
        cells: vec![label_cell, value_cell],
        cant_split: true,
        min_height: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{PageGeometry, Paper, Resolution};

    fn ctx() -> OpenContext {
        OpenContext::new(PageGeometry::new(Resolution::Fine, Paper::Letter).with_header_rows(35))
    }

    fn sheet(message: &str) -> CoverSheet {
        CoverSheet {
            to_name: Some("Dr. Jane Roe".into()),
            to_number: "+1 212 555 0100".into(),
            from_name: Some("ACME Widgets".into()),
            caller_id: "(555) 123-4567".into(),
            date: "2026-11-29 15:40".into(),
            subject: Some("Signed contract".into()),
            message: message.into(),
        }
    }

    fn text_of(doc: &Document) -> String {
        let mut out = String::new();
        for b in &doc.blocks {
            match b {
                Block::Paragraph(p) | Block::Heading { paragraph: p, .. } => out += &p.text(),
                Block::Table(t) => {
                    for r in &t.rows {
                        for c in &r.cells {
                            for b in &c.blocks {
                                if let Block::Paragraph(p) = b {
                                    out += &p.text();
                                    out.push('|');
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
            out.push('\n');
        }
        out
    }

    #[test]
    fn short_cover_is_one_page_and_counts_itself() {
        let c = ctx();
        let doc = compose(&sheet("Please sign page 3."), 4, &c).unwrap();
        assert_eq!(doc.pages.len(), 1);
        assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
        let text = text_of(&cover_document(&sheet("x"), "5", &c));
        assert!(text.contains("Pages:|5 (including this cover)|"), "{text}");
        assert!(text.contains("To:|Dr. Jane Roe|+1 212 555 0100|"), "{text}");
    }

    #[test]
    fn long_message_continues_and_total_includes_every_cover_page() {
        let c = ctx();
        let long = "A long paragraph of the message that wraps. ".repeat(400);
        let doc = compose(&sheet(&long), 2, &c).unwrap();
        assert!(doc.pages.len() >= 2, "{}", doc.pages.len());
        let draft =
            layout::layout(&cover_document(&sheet(&long), "0000", &c), &c.fonts, 100).unwrap();
        assert_eq!(draft.frames.len(), doc.pages.len());
    }

    #[test]
    fn absent_names_and_subject_leave_no_empty_lines() {
        let mut s = sheet("");
        s.to_name = None;
        s.from_name = Some("  ".into());
        s.subject = None;
        let text = text_of(&cover_document(&s, "1", &ctx()));
        assert!(text.contains("To:|+1 212 555 0100|"), "{text}");
        assert!(text.contains("From:|(555) 123-4567|"), "{text}");
        assert!(!text.contains("Subject"), "{text}");
    }
}
