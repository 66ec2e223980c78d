//! A small, capped element tree over quick-xml for the parts of a DOCX.
//!
//! WordprocessingML is read by walking elements in document order with
//! look-ups of children and attributes; a tree makes that plain code. Names
//! are local (the `w:`/`r:`/`wp:` prefix dropped): the walkers only descend
//! into elements they know, so DrawingML's `a:p` never meets `w:p`.
//!
//! Safety: a part with a DTD is refused (OOXML forbids them), and entity
//! references other than the five predefined ones and character references
//! are dropped (an external entity is never resolved, never read); element count and nesting depth
//! are capped so a hostile part cannot exhaust memory or the stack.

use crate::error::{Error, Result};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// Most elements one part may hold.
pub const MAX_ELEMENTS: usize = 4_000_000;
/// Deepest element nesting accepted.
pub const MAX_DEPTH: usize = 256;

/// An element: local name, attributes (local names), children.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

/// A child: an element or a piece of text.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    /// The attribute with this local name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `w:val`, the usual carrier of a property's value.
    pub fn val(&self) -> Option<&str> {
        self.attr("val")
    }

    /// The first child element with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// Child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// Child elements with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.elements().filter(move |e| e.name == name)
    }

    /// The first descendant (depth first, self excluded) with this name.
    pub fn find(&self, name: &str) -> Option<&Element> {
        for e in self.elements() {
            if e.name == name {
                return Some(e);
            }
            if let Some(found) = e.find(name) {
                return Some(found);
            }
        }
        None
    }

    /// All text below this element, concatenated.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }

    /// An on/off property (`<w:b/>`, `<w:b w:val="0"/>`): present and not
    /// switched off.
    pub fn is_on(&self) -> bool {
        !matches!(self.val(), Some("0" | "false" | "off" | "none"))
    }
}

/// Parses one XML part into its root element.
pub fn parse(text: &str) -> Result<Element> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut count = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| Error::bad_input(format!("not well-formed XML: {e}")))?;
        match event {
            Event::Start(start) => {
                count += 1;
                if count > MAX_ELEMENTS || stack.len() > MAX_DEPTH {
                    return Err(too_complex());
                }
                stack.push(element_of(&start));
            }
            Event::Empty(start) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(too_complex());
                }
                let e = element_of(&start);
                push_child(&mut stack, Node::Element(e));
            }
            Event::End(_) if stack.len() > 1 => {
                let e = stack.pop().unwrap_or_default();
                push_child(&mut stack, Node::Element(e));
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(t) => push_text(&mut stack, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let name: &str = &r;
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => predefined_entity(name),
                    Err(_) => None,
                };
                // Any other entity (declared in a DTD, possibly external) is
                // dropped: never resolved, never fetched.
                if let Some(c) = resolved {
                    push_text(&mut stack, c.encode_utf8(&mut [0; 4]));
                }
            }
            // OOXML parts never carry a DTD (ECMA-376 part 2 forbids it, Word
            // refuses such files): one is an entity probe or a bomb.
            Event::DocType(_) => {
                return Err(Error::bad_input(
                    "the XML declares a DTD with entities, which Office documents never do (refused: an external-entity probe?)",
                ))
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // A truncated part leaves elements open: close them (tolerant).
    while stack.len() > 1 {
        let e = stack.pop().unwrap_or_default();
        push_child(&mut stack, Node::Element(e));
    }
    let mut root = stack.pop().unwrap_or_default();
    let first = root.children.drain(..).find_map(|n| match n {
        Node::Element(e) => Some(e),
        Node::Text(_) => None,
    });
    first.ok_or_else(|| Error::bad_input("the XML part has no root element"))
}

fn too_complex() -> Error {
    Error::limit(format!(
        "the XML part is too complex (over {MAX_ELEMENTS} elements or {MAX_DEPTH} levels deep)"
    ))
}

fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

fn element_of(start: &BytesStart<'_>) -> Element {
    let name = start.local_name().as_ref().to_string();
    let attrs = start
        .attributes()
        .with_checks(false)
        .flatten()
        .map(|a| {
            let key = a.key.local_name().as_ref().to_string();
            let value = match a.normalized_value(XmlVersion::Implicit1_0) {
                Ok(v) => v.into_owned(),
                Err(_) => a.value.to_string(),
            };
            (key, value)
        })
        .collect();
    Element {
        name,
        attrs,
        children: Vec::new(),
    }
}

fn push_child(stack: &mut [Element], node: Node) {
    if let Some(parent) = stack.last_mut() {
        parent.children.push(node);
    }
}

fn push_text(stack: &mut [Element], text: &str) {
    let Some(parent) = stack.last_mut() else {
        return;
    };
    // Whitespace between elements only matters inside text elements.
    if text.trim().is_empty() && !matches!(parent.name.as_str(), "t" | "instrText") {
        return;
    }
    if let Some(Node::Text(last)) = parent.children.last_mut() {
        last.push_str(text);
    } else {
        parent.children.push(Node::Text(text.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_attributes_and_text() {
        let root = parse(
            r#"<?xml version="1.0"?><w:document xmlns:w="x"><w:p><w:r><w:t xml:space="preserve"> a &amp; b&#x41;</w:t></w:r><w:b w:val="0"/></w:p></w:document>"#,
        )
        .unwrap();
        assert_eq!(root.name, "document");
        let p = root.child("p").unwrap();
        assert_eq!(p.text(), " a & bA");
        assert!(!p.child("b").unwrap().is_on());
        assert_eq!(p.find("t").unwrap().attr("space"), Some("preserve"));
    }

    #[test]
    fn dtds_are_refused_and_unknown_entities_dropped() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><d><t>x&xxe;y</t></d>"#;
        assert!(parse(xml).unwrap_err().to_string().contains("DTD"));
        let root = parse("<d><t>x&xxe;y</t></d>").unwrap();
        assert_eq!(root.text(), "xy");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let xml = "<a>".repeat(MAX_DEPTH + 5);
        assert!(parse(&xml).is_err());
    }

    #[test]
    fn truncated_part_is_closed_tolerantly() {
        let root = parse("<d><p><t>hello</t>").unwrap();
        assert_eq!(root.text(), "hello");
    }
}
