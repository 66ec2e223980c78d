//! OpenDocument text (.odt, .ott templates, flat .fodt) on our typesetter.
//!
//! A zip package is inflated under caps by [`Package`] (bombs, encrypted
//! entries), ODF encryption is found in `META-INF/manifest.xml`, and the
//! parts are parsed into bounded trees ([`xml_tree`], ODF prefixes).
//! Styles ([`styles`], [`lists`]) and master pages ([`pages`]) are
//! resolved, the body ([`body`], [`tables`], [`frames`]) becomes a
//! [`Document`], and [`typeset`] lays it out. Notes are set after the body
//! under a rule.

mod body;
mod frames;
mod lists;
mod pages;
mod styles;
mod tables;
mod units;

use crate::doc::{Block, Document};
use crate::error::{Error, Result};
use crate::input::package::Package;
use crate::input::sniff::Format;
use crate::input::source::{OpenContext, OpenedDocument};
use crate::input::text::typeset;
use crate::input::xml_tree::{self, Element};
use body::{BodyReader, Place};
use pages::MasterPages;
use std::collections::BTreeMap;
use styles::{Scope, StyleSheet};

/// Opens an ODF text document: a zip package (.odt, .ott) or a flat XML
/// document (.fodt).
pub fn open(bytes: &[u8], ctx: &OpenContext) -> Result<OpenedDocument> {
    let (doc, warnings) = read(bytes, ctx)?;
    let mut opened = typeset(&doc, Format::Odt, ctx)?;
    opened.warnings.splice(0..0, warnings);
    Ok(opened)
}

/// Reads the document model and the reader's warnings.
pub fn read(bytes: &[u8], ctx: &OpenContext) -> Result<(Document, Vec<String>)> {
    let parts = Parts::load(bytes)?;
    let mut sheet = StyleSheet::default();
    if let Some(styles) = &parts.styles {
        sheet.add_part(styles, Scope::Styles);
    }
    sheet.add_part(&parts.content, Scope::Content);
    let masters = MasterPages::read(parts.styles.as_ref().unwrap_or(&parts.content));
    let text = parts
        .content
        .child("office:body")
        .and_then(|b| b.child("office:text"))
        .ok_or_else(|| {
            let other = parts
                .content
                .child("office:body")
                .and_then(|b| b.elements().next())
                .map(|e| e.name.clone())
                .unwrap_or_default();
            Error::unsupported(format!(
                "the OpenDocument file has no text body{}: not a text document",
                if other.is_empty() {
                    String::new()
                } else {
                    format!(" (it holds {other})")
                }
            ))
        })?;
    let mut reader = BodyReader::new(&sheet, &masters, parts.package.as_ref(), ctx);
    let mut blocks = Vec::new();
    reader.blocks(text, Place::Flow, 0, &mut blocks);
    let forms = count_form_controls(text);
    if forms > 0 {
        reader.warnings.add(format!(
            "{forms} form control(s) were left out (forms are not rendered)"
        ));
    }
    let first = masters.get(reader.first_master.as_deref().unwrap_or(""));
    let furniture = reader.furniture(&first);
    let notes = std::mem::take(&mut reader.notes);
    if !notes.is_empty() {
        blocks.push(Block::Rule {
            thickness: 0.5,
            gray: 0,
            space_before: 12.0,
            space_after: 6.0,
        });
        blocks.extend(notes);
    }
    let doc = Document {
        page: first.body_page(),
        blocks,
        furniture,
    };
    Ok((doc, reader.warnings.into_messages()))
}

/// The parsed parts of a document.
struct Parts {
    content: Element,
    /// styles.xml (`None` for a flat document: its one root holds all).
    styles: Option<Element>,
    package: Option<Package>,
}

impl Parts {
    fn load(bytes: &[u8]) -> Result<Parts> {
        if bytes.starts_with(b"PK") {
            return Self::load_package(bytes);
        }
        let root = xml_tree::parse_odf(bytes, "the flat ODF document")?;
        if root.name != "office:document" {
            return Err(Error::bad_input(format!(
                "the XML file is not a flat OpenDocument (root element {})",
                root.name
            )));
        }
        Ok(Parts {
            content: root,
            styles: None,
            package: None,
        })
    }

    fn load_package(bytes: &[u8]) -> Result<Parts> {
        let package = Package::open(bytes)?;
        if let Some(manifest) = package.get("META-INF/manifest.xml") {
            if is_encrypted(manifest) {
                return Err(Error::unsupported(
                    "the ODF document is password-protected (encrypted); save it without a password and send it again",
                ));
            }
        }
        let content = package.get("content.xml").ok_or_else(|| {
            Error::bad_input("the ODT has no content.xml: not an OpenDocument text or damaged")
        })?;
        let content = xml_tree::parse_odf(content, "content.xml")?;
        let styles = match package.get("styles.xml") {
            Some(s) => Some(xml_tree::parse_odf(s, "styles.xml")?),
            None => None,
        };
        Ok(Parts {
            content,
            styles,
            package: Some(package),
        })
    }
}

/// Whether the manifest declares encrypted entries (ODF's own encryption:
/// the zip entries are not zip-encrypted, so only the manifest tells).
fn is_encrypted(manifest: &[u8]) -> bool {
    match xml_tree::parse_odf(manifest, "META-INF/manifest.xml") {
        Ok(root) => {
            let mut found = Vec::new();
            root.descendants("manifest:encryption-data", &mut found);
            !found.is_empty()
        }
        // a damaged manifest: look for the element by name
        Err(_) => manifest
            .windows(b"encryption-data".len())
            .any(|w| w == b"encryption-data"),
    }
}

/// Form controls in `office:forms` (any `form:*` element but the
/// containers and their properties).
fn count_form_controls(text: &Element) -> usize {
    let Some(forms) = text.child("office:forms") else {
        return 0;
    };
    fn walk(e: &Element, n: &mut usize) {
        for c in e.elements() {
            let container = matches!(
                c.name.as_str(),
                "form:form"
                    | "form:properties"
                    | "form:property"
                    | "form:list-property"
                    | "form:list-value"
                    | "form:option"
                    | "form:item"
                    | "form:connection-resource"
                    | "office:event-listeners"
            );
            if c.name.starts_with("form:") && !container {
                *n += 1;
            }
            walk(c, n);
        }
    }
    let mut n = 0;
    walk(forms, &mut n);
    n
}

/// Soft problems, counted by kind so a document with 300 missing pictures
/// gives one line.
#[derive(Debug, Default)]
pub struct Warnings {
    counts: BTreeMap<&'static str, usize>,
    messages: Vec<String>,
}

impl Warnings {
    pub fn count(&mut self, what: &'static str) {
        *self.counts.entry(what).or_default() += 1;
    }

    pub fn add(&mut self, message: String) {
        self.messages.push(message);
    }

    pub fn into_messages(self) -> Vec<String> {
        let mut out = self.messages;
        for (what, n) in self.counts {
            out.push(format!("ODT: {what} ({n})"));
        }
        out
    }
}

#[cfg(test)]
mod tests;
