//! DOCX (WordprocessingML) documents typeset natively on our typesetter.
//!
//! The package is read once under caps ([`Package`]); the XML parts are
//! parsed with quick-xml into a capped tree ([`xml_tree`], local names) —
//! docx-rs was considered, but it does not resolve style inheritance and
//! hides page size, margins and table properties, all of which page
//! fidelity needs.
//!
//! - [`styles`]: docDefaults, style `basedOn` chains, theme fonts;
//! - [`numbering`]: list levels and counters -> markers;
//! - [`body`]: paragraphs, runs, fields, notes, pictures, text boxes;
//! - [`tables`]: grids, spans, borders, shading, header rows;
//! - [`sections`]: page setup, headers/footers, relationships;
//! - [`metrics`]: Word's single line height per font.

mod body;
mod metrics;
mod numbering;
mod sections;
mod styles;
mod tables;

use self::body::Converter;
use self::numbering::Numbering;
use self::sections::{dir_of, parse_rels, rels_path, Rels, SectionProps, Which};
use self::styles::{Styles, Theme};
use super::package::Package;
use super::sniff::Format;
use super::source::{OpenContext, OpenedDocument};
use crate::doc::{Block, Document, Furniture, Paragraph, Run, RunStyle, Section};
use crate::error::{Error, Result};
use crate::input::xml_tree::{self, Element};
use std::collections::BTreeMap;

/// Opens a DOCX document and lays it out.
pub fn open(bytes: &[u8], ctx: &OpenContext) -> Result<OpenedDocument> {
    let pkg = Package::open(bytes)?;
    let doc_part = main_part(&pkg);
    let doc_bytes = pkg.get(&doc_part).ok_or_else(|| {
        Error::bad_input(format!(
            "the DOCX has no {doc_part}: not a Word document or damaged"
        ))
    })?;
    let root = xml_tree::parse_local(doc_bytes)
        .map_err(|e| Error::bad_input(format!("the DOCX's {doc_part} cannot be read: {e}")))?;
    let body = root
        .child("body")
        .ok_or_else(|| Error::bad_input(format!("the DOCX's {doc_part} has no body")))?;

    let mut warnings = Vec::new();
    let mut optional = |name: &str| -> Option<Element> {
        match xml_tree::parse_local(pkg.get(name)?) {
            Ok(e) => Some(e),
            Err(e) => {
                warnings.push(format!("{name} was ignored: {e}"));
                None
            }
        }
    };
    let word = dir_of(&doc_part).to_string();
    let theme = optional(&format!("{word}/theme/theme1.xml"))
        .map(|t| Theme::parse(&t))
        .unwrap_or_default();
    let styles = optional(&format!("{word}/styles.xml"))
        .map(|s| Styles::parse(&s, &theme))
        .unwrap_or_else(|| Styles {
            default_run: styles::RunProps {
                font: theme.minor.clone(),
                size: Some(10.0),
                ..Default::default()
            },
            ..Default::default()
        });
    let numbering = optional(&format!("{word}/numbering.xml"))
        .map(|n| Numbering::parse(&n, &theme))
        .unwrap_or_default();
    let even_and_odd = optional(&format!("{word}/settings.xml"))
        .and_then(|s| s.child("evenAndOddHeaders").map(Element::is_on))
        .unwrap_or(false);
    let footnotes = optional(&format!("{word}/footnotes.xml"));
    let endnotes = optional(&format!("{word}/endnotes.xml"));
    let doc_rels = rels_of(&pkg, &doc_part);

    let sections = collect_sections(body);
    let mut conv = Converter::new(&pkg, &styles, numbering, &ctx.limits);
    conv.warnings = warnings;

    // Headers and footers per section (references inherited forward).
    let mut cache: BTreeMap<String, Vec<Block>> = BTreeMap::new();
    let mut furnitures = Vec::new();
    for props in &sections {
        furnitures.push(furniture(
            &mut conv,
            props,
            even_and_odd,
            &doc_rels,
            &mut cache,
        ));
    }
    conv.section_starts = sections
        .iter()
        .zip(&furnitures)
        .skip(1)
        .map(|(props, furniture)| {
            Block::Section(Box::new(Section {
                page: props.page,
                furniture: furniture.clone(),
                restart_page_number: props.restart_page_number,
            }))
        })
        .collect();

    conv.rels = doc_rels;
    let mut blocks = Vec::new();
    conv.blocks(body, &mut blocks, true);
    // Sections whose ending paragraph was not found still start (rare).
    blocks.extend(conv.section_starts.drain(..));
    add_notes(
        &mut conv,
        &pkg,
        &word,
        footnotes.as_ref(),
        endnotes.as_ref(),
        &mut blocks,
    );

    let first = sections.first().cloned().unwrap_or_default();
    let doc = Document {
        page: first.page,
        blocks,
        furniture: furnitures.into_iter().next().unwrap_or_default(),
    };
    let warnings = std::mem::take(&mut conv.warnings);
    let mut opened = super::text::typeset(&doc, Format::Docx, ctx)?;
    opened.warnings.splice(0..0, warnings);
    Ok(opened)
}

/// The main document part: from the package relationships, else the usual name.
fn main_part(pkg: &Package) -> String {
    pkg.get("_rels/.rels")
        .and_then(|b| xml_tree::parse_local(b).ok())
        .and_then(|root| {
            root.children_named("Relationship")
                .find(|r| {
                    r.attr("Type")
                        .is_some_and(|t| t.ends_with("/officeDocument"))
                })
                .and_then(|r| r.attr("Target"))
                .map(|t| sections::resolve_path("", t))
        })
        .filter(|p| pkg.get(p).is_some())
        .unwrap_or_else(|| "word/document.xml".to_string())
}

fn rels_of(pkg: &Package, part: &str) -> Rels {
    pkg.get(&rels_path(part))
        .and_then(|b| xml_tree::parse_local(b).ok())
        .map(|r| parse_rels(&r, dir_of(part)))
        .unwrap_or_default()
}

/// Section properties in order: each paragraph-level `sectPr` ends a
/// section; the body's own `sectPr` is the last one.
fn collect_sections(body: &Element) -> Vec<SectionProps> {
    fn walk(e: &Element, out: &mut Vec<SectionProps>, depth: usize) {
        if depth > 8 {
            return;
        }
        for c in e.elements() {
            match c.name.as_str() {
                "p" => {
                    if let Some(s) = c.child("pPr").and_then(|p| p.child("sectPr")) {
                        out.push(SectionProps::parse(s));
                    }
                }
                "sdt" => {
                    if let Some(content) = c.child("sdtContent") {
                        walk(content, out, depth + 1);
                    }
                }
                "customXml" | "ins" | "moveTo" | "smartTag" => walk(c, out, depth + 1),
                "AlternateContent" => {
                    if let Some(choice) = c.child("Choice").or_else(|| c.child("Fallback")) {
                        walk(choice, out, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(body, &mut out, 0);
    out.push(
        body.child("sectPr")
            .map(SectionProps::parse)
            .unwrap_or_default(),
    );
    for i in 1..out.len() {
        let previous = out[i - 1].clone();
        out[i].inherit_refs(&previous);
    }
    out
}

/// A section's running headers and footers.
fn furniture(
    conv: &mut Converter<'_>,
    props: &SectionProps,
    even_and_odd: bool,
    doc_rels: &Rels,
    cache: &mut BTreeMap<String, Vec<Block>>,
) -> Furniture {
    let mut part = |header: bool, which: Which| -> Option<Vec<Block>> {
        let id = props.refs.get(&(header, which))?;
        let rel = doc_rels.get(id)?;
        if let Some(blocks) = cache.get(&rel.target) {
            return Some(blocks.clone());
        }
        let root = match xml_tree::parse_local(conv.pkg.get(&rel.target)?) {
            Ok(r) => r,
            Err(e) => {
                conv.warn(format!("{} was ignored: {e}", rel.target));
                return None;
            }
        };
        let saved = std::mem::replace(&mut conv.rels, rels_of(conv.pkg, &rel.target));
        let mut blocks = Vec::new();
        conv.blocks(&root, &mut blocks, false);
        conv.rels = saved;
        cache.insert(rel.target.clone(), blocks.clone());
        Some(blocks)
    };
    let header = part(true, Which::Default).unwrap_or_default();
    let footer = part(false, Which::Default).unwrap_or_default();
    let (first_header, first_footer) = if props.title_page {
        (
            Some(part(true, Which::First).unwrap_or_default()),
            Some(part(false, Which::First).unwrap_or_default()),
        )
    } else {
        (None, None)
    };
    let (even_header, even_footer) = if even_and_odd {
        (
            Some(part(true, Which::Even).unwrap_or_default()),
            Some(part(false, Which::Even).unwrap_or_default()),
        )
    } else {
        (None, None)
    };
    Furniture {
        header,
        footer,
        first_header,
        first_footer,
        even_header,
        even_footer,
        header_distance: props.header_distance,
        footer_distance: props.footer_distance,
    }
}

/// Footnotes and endnotes referenced in the text, numbered in order of
/// reference, set at the end of the document under a short rule.
fn add_notes(
    conv: &mut Converter<'_>,
    pkg: &Package,
    word: &str,
    footnotes: Option<&Element>,
    endnotes: Option<&Element>,
    blocks: &mut Vec<Block>,
) {
    let notes = std::mem::take(&mut conv.notes);
    if notes.is_empty() {
        return;
    }
    blocks.push(Block::Rule {
        thickness: 0.5,
        gray: 0,
        space_before: 12.0,
        space_after: 6.0,
    });
    let foot_rels = rels_of(pkg, &format!("{word}/footnotes.xml"));
    let end_rels = rels_of(pkg, &format!("{word}/endnotes.xml"));
    for note in notes {
        let (part, rels, tag) = if note.endnote {
            (endnotes, &end_rels, "endnote")
        } else {
            (footnotes, &foot_rels, "footnote")
        };
        let body = part.and_then(|p| {
            p.children_named(tag)
                .find(|n| n.attr("id") == Some(note.id.as_str()))
        });
        let mut note_blocks = Vec::new();
        if let Some(body) = body {
            conv.rels = rels.clone();
            conv.note_mark = Some(note.number);
            conv.blocks(body, &mut note_blocks, false);
            conv.note_mark = None;
        }
        if note_blocks.is_empty() {
            note_blocks.push(Block::Paragraph(Paragraph::plain(
                format!("{} ", note.number),
                RunStyle::new("Times New Roman", 9.0),
            )));
        }
        // Notes whose text has no footnoteRef still show their number.
        let has_mark = note_blocks.iter().any(|b| match b {
            Block::Paragraph(p) => p.text().starts_with(&format!("{} ", note.number)),
            _ => false,
        });
        if !has_mark {
            if let Some(Block::Paragraph(p)) = note_blocks.first_mut() {
                let style = p.runs.first().map(|r| r.style.clone()).unwrap_or_default();
                p.runs
                    .insert(0, Run::new(format!("{} ", note.number), style));
            }
        }
        blocks.extend(note_blocks);
    }
}

#[cfg(test)]
mod tests;
