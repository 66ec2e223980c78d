//! A small, bounded XML tree for ODF parts (content.xml, styles.xml, a flat
//! .fodt, META-INF/manifest.xml).
//!
//! ODF readers walk styles and bodies back and forth (a paragraph's style
//! chain, list styles, master pages), which a tree makes simple; the parts
//! are a few MB at most. Names are normalised to the conventional ODF
//! prefixes (`text:p`, `style:style`, `fo:margin-left`) whatever prefixes
//! the file binds, so a document using `<t:p xmlns:t="...text:1.0">` reads
//! the same. Entities: the five predefined ones and character references
//! are resolved; anything else (and any DTD) is dropped, never fetched.

use crate::error::{Error, Result};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// Elements nested deeper than this are refused (hostile input).
pub const MAX_DEPTH: usize = 256;
/// Most elements and text nodes one part may hold.
pub const MAX_NODES: usize = 2_000_000;

/// Namespace URIs and the prefix ODF conventionally gives them.
const PREFIXES: &[(&str, &str)] = &[
    ("urn:oasis:names:tc:opendocument:xmlns:office:1.0", "office"),
    ("urn:oasis:names:tc:opendocument:xmlns:style:1.0", "style"),
    ("urn:oasis:names:tc:opendocument:xmlns:text:1.0", "text"),
    ("urn:oasis:names:tc:opendocument:xmlns:table:1.0", "table"),
    ("urn:oasis:names:tc:opendocument:xmlns:drawing:1.0", "draw"),
    (
        "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
        "fo",
    ),
    (
        "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
        "svg",
    ),
    ("urn:oasis:names:tc:opendocument:xmlns:form:1.0", "form"),
    (
        "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
        "manifest",
    ),
    (
        "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
        "number",
    ),
    (
        "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
        "presentation",
    ),
    ("http://www.w3.org/1999/xlink", "xlink"),
    ("http://www.w3.org/XML/1998/namespace", "xml"),
];

/// A node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    Text(String),
}

/// An element: normalised qualified name, attributes in document order,
/// children.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

impl Element {
    /// The value of attribute `name` (normalised, e.g. `"text:style-name"`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// Every descendant element named `name`, depth first (bounded by the
    /// tree's own depth cap).
    pub fn descendants<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        for e in self.elements() {
            if e.name == name {
                out.push(e);
            }
            e.descendants(name, out);
        }
    }

    /// All text below this element, concatenated.
    pub fn text(&self) -> String {
        let mut s = String::new();
        collect_text(self, &mut s);
        s
    }
}

fn collect_text(e: &Element, out: &mut String) {
    for n in &e.children {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Element(c) => collect_text(c, out),
        }
    }
}

/// Parses a whole XML part into its root element. `what` names the part
/// in errors ("content.xml").
pub fn parse(bytes: &[u8], what: &str) -> Result<Element> {
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
    let mut reader = NsReader::from_str(&text);
    reader.config_mut().trim_text(false);
    let bad = |e: &dyn std::fmt::Display| {
        Error::bad_input(format!("{what} is not well-formed XML (damaged?): {e}"))
    };
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut nodes = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| bad(&e))?;
        match event {
            Event::Start(start) => {
                if stack.len() > MAX_DEPTH {
                    return Err(Error::limit(format!(
                        "{what} nests elements deeper than {MAX_DEPTH} levels"
                    )));
                }
                count(&mut nodes, what)?;
                stack.push(element_of(&reader, &start).map_err(|e| bad(&e))?);
            }
            Event::Empty(start) => {
                count(&mut nodes, what)?;
                let e = element_of(&reader, &start).map_err(|e| bad(&e))?;
                push(&mut stack, Node::Element(e));
            }
            Event::End(_) => {
                if stack.len() < 2 {
                    return Err(bad(&"unbalanced end tag"));
                }
                let done = stack.pop().expect("checked above");
                push(&mut stack, Node::Element(done));
            }
            Event::Text(t) => {
                count(&mut nodes, what)?;
                push_text(&mut stack, &t.xml10_content());
            }
            Event::CData(t) => {
                count(&mut nodes, what)?;
                push_text(&mut stack, t.as_ref());
            }
            Event::GeneralRef(r) => {
                if let Some(c) = entity(&r) {
                    push_text(&mut stack, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            // declarations, comments, PIs and DTDs carry nothing we use
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err(bad(&"the part ends inside an element (truncated?)"));
    }
    let top = stack.pop().expect("one left");
    top.children
        .into_iter()
        .find_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
        .ok_or_else(|| bad(&"no root element"))
}

fn count(nodes: &mut usize, what: &str) -> Result<()> {
    *nodes += 1;
    if *nodes > MAX_NODES {
        return Err(Error::limit(format!(
            "{what} has more than {MAX_NODES} XML nodes"
        )));
    }
    Ok(())
}

fn push(stack: &mut [Element], node: Node) {
    if let Some(parent) = stack.last_mut() {
        parent.children.push(node);
    }
}

/// Appends text, merging with a preceding text node (entities split text
/// into several events).
fn push_text(stack: &mut [Element], text: &str) {
    if let Some(parent) = stack.last_mut() {
        if let Some(Node::Text(prev)) = parent.children.last_mut() {
            prev.push_str(text);
        } else {
            parent.children.push(Node::Text(text.to_owned()));
        }
    }
}

/// A character reference or predefined entity; other entities are dropped.
fn entity(r: &quick_xml::events::BytesRef) -> Option<char> {
    if r.is_char_ref() {
        return r.resolve_char_ref().ok().flatten();
    }
    match r.xml10_content().as_ref() {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => None,
    }
}

fn normalised(ns: ResolveResult, local: &str, raw: &str) -> String {
    if let ResolveResult::Bound(ns) = ns {
        if let Some((_, prefix)) = PREFIXES.iter().find(|(uri, _)| *uri == ns.0) {
            return format!("{prefix}:{local}");
        }
    }
    raw.to_owned()
}

fn element_of(
    reader: &NsReader<&[u8]>,
    start: &BytesStart,
) -> std::result::Result<Element, quick_xml::Error> {
    let (ns, local) = reader.resolver().resolve_element(start.name());
    let name = normalised(ns, local.as_ref(), start.name().as_ref());
    let mut attrs = Vec::new();
    for attr in start.attributes().with_checks(false) {
        let attr = attr.map_err(quick_xml::Error::from)?;
        if attr.key.as_ref().starts_with("xmlns") {
            continue;
        }
        let (ns, local) = reader.resolver().resolve_attribute(attr.key);
        let key = normalised(ns, local.as_ref(), attr.key.as_ref());
        // unknown entities make unescaping fail: keep the raw value then
        let value = match attr.normalized_value(quick_xml::XmlVersion::default()) {
            Ok(v) => v.into_owned(),
            Err(_) => attr.value.clone().into_owned(),
        };
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_prefixes_and_resolves_entities() {
        let xml = br#"<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>
<o:document xmlns:o="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:t="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
  <t:p t:style-name="A&amp;B">x &lt; y &#65;&ext;z</t:p><t:s/>
</o:document>"#;
        let root = parse(xml, "content.xml").unwrap();
        assert_eq!(root.name, "office:document");
        let p = root.child("text:p").unwrap();
        assert_eq!(p.attr("text:style-name"), Some("A&B"));
        assert_eq!(p.text(), "x < y Az");
        assert!(root.child("text:s").is_some());
    }

    #[test]
    fn refuses_truncated_and_deep_input() {
        assert!(parse(b"<a><b>text", "content.xml").is_err());
        let deep = "<a>".repeat(MAX_DEPTH + 5);
        let err = parse(deep.as_bytes(), "content.xml").unwrap_err();
        assert!(err.to_string().contains("deeper"), "{err}");
    }
}
