//! One small, bounded XML element tree over quick-xml, for the parts of the
//! office readers: DOCX (WordprocessingML parts, relationships, themes) and
//! ODF (content.xml, styles.xml, a flat .fodt, META-INF/manifest.xml).
//!
//! Both readers walk styles and bodies back and forth (style chains, list
//! definitions, sections, master pages), which a tree makes plain code; the
//! parts are a few MB at most. What differs between the formats is how names
//! read, chosen by [`Naming`]:
//!
//! - [`Naming::Local`] (DOCX, [`parse_local`]): prefixes dropped, `w:p` reads
//!   `p`. The walkers only descend into elements they know, so DrawingML's
//!   `a:p` never meets `w:p`.
//! - [`Naming::OdfPrefixes`] (ODF, [`parse_odf`]): names normalised to the
//!   conventional ODF prefixes whatever prefixes the file binds, so
//!   `<t:p xmlns:t="...text:1.0">` reads `text:p`.
//!
//! Safety rules (untrusted input: never fetch, never exhaust memory or stack):
//!
//! - entities: the five predefined ones and character references are
//!   resolved; any other entity is dropped, never resolved, nothing external
//!   is ever read;
//! - DTDs: a DOCX part with one is refused (OOXML forbids them, so one is an
//!   entity probe or a bomb); ODF drops them;
//! - element nesting is capped at [`MAX_DEPTH`] for both; the element count
//!   at [`MAX_ELEMENTS`] for DOCX, elements and text nodes together at
//!   [`MAX_NODES`] for ODF.
//!
//! The two profiles keep the tolerance each reader always had: a DOCX part
//! cut short is closed silently and keeps its whitespace only in text
//! elements; an ODF part cut short is refused and keeps all its text.

use crate::error::{Error, Result};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, Reader, XmlVersion};
use std::borrow::Cow;

/// Most elements one DOCX part may hold.
pub const MAX_ELEMENTS: usize = 4_000_000;
/// Most elements and text nodes one ODF part may hold.
pub const MAX_NODES: usize = 2_000_000;
/// Deepest element nesting accepted (both formats).
pub const MAX_DEPTH: usize = 256;

/// How element and attribute names read in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// Local names, prefix dropped (`w:p` -> `p`): DOCX.
    Local,
    /// The conventional ODF prefix of the bound namespace (`text:p`); names
    /// outside the known namespaces stay as written: ODF.
    OdfPrefixes,
}

/// Namespace URIs and the prefix ODF conventionally gives them.
const ODF_PREFIXES: &[(&str, &str)] = &[
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

/// An element: name and attribute names as [`Naming`] gives them,
/// attributes in document order, children.
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
    /// The attribute with this name (`"val"`, `"text:style-name"`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `w:val`, the usual carrier of a DOCX property's value.
    pub fn val(&self) -> Option<&str> {
        self.attr("val")
    }

    /// A DOCX on/off property (`<w:b/>`, `<w:b w:val="0"/>`): present and
    /// not switched off.
    pub fn is_on(&self) -> bool {
        !matches!(self.val(), Some("0" | "false" | "off" | "none"))
    }

    /// Child elements, in order.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element with this name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// Child elements with this name.
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

    /// Every descendant element with this name, depth first (recursion
    /// bounded by the tree's own depth cap).
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
}

/// Parses one DOCX (OOXML) part into its root element, with local names.
/// A leading BOM is dropped and bad UTF-8 becomes U+FFFD. Errors do not
/// name the part: the DOCX reader says which part it was reading.
pub fn parse_local(bytes: impl AsRef<[u8]>) -> Result<Element> {
    parse(bytes.as_ref(), Naming::Local, "the XML part")
}

/// Parses one ODF part into its root element, with ODF prefixes. `part`
/// names the part in errors ("content.xml").
pub fn parse_odf(bytes: impl AsRef<[u8]>, part: &str) -> Result<Element> {
    parse(bytes.as_ref(), Naming::OdfPrefixes, part)
}

/// Parses one XML part into its root element, naming as `naming` says and
/// with that format's safety profile (see the module doc). `part` names the
/// part in the errors of formats whose messages name it (ODF).
pub fn parse(bytes: &[u8], naming: Naming, part: &str) -> Result<Element> {
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
    match naming {
        Naming::Local => build(LocalNames(Reader::from_str(&text)), naming, part),
        Naming::OdfPrefixes => {
            let mut reader = NsReader::from_str(&text);
            reader.config_mut().trim_text(false);
            build(OdfNames(reader), naming, part)
        }
    }
}

/// A quick-xml reader that names elements and attributes one way. Generic
/// rather than dynamic so each naming keeps its reader's own speed (DOCX
/// never pays for namespace resolution).
trait NamedEvents<'i> {
    fn next_event(&mut self) -> quick_xml::Result<Event<'i>>;
    fn element(&self, start: &BytesStart<'_>) -> std::result::Result<Element, quick_xml::Error>;
}

/// DOCX: local names; an unreadable attribute is skipped.
struct LocalNames<'i>(Reader<&'i [u8]>);

impl<'i> NamedEvents<'i> for LocalNames<'i> {
    fn next_event(&mut self) -> quick_xml::Result<Event<'i>> {
        self.0.read_event()
    }

    fn element(&self, start: &BytesStart<'_>) -> std::result::Result<Element, quick_xml::Error> {
        let name = start.local_name().as_ref().to_string();
        let attrs = start
            .attributes()
            .with_checks(false)
            .flatten()
            .map(|a| {
                let key = a.key.local_name().as_ref().to_string();
                (key, attribute_value(&a))
            })
            .collect();
        Ok(Element {
            name,
            attrs,
            children: Vec::new(),
        })
    }
}

/// ODF: conventional prefixes; namespace declarations are not kept as
/// attributes; an unreadable attribute makes the part not well-formed.
struct OdfNames<'i>(NsReader<&'i [u8]>);

impl<'i> NamedEvents<'i> for OdfNames<'i> {
    fn next_event(&mut self) -> quick_xml::Result<Event<'i>> {
        self.0.read_event()
    }

    fn element(&self, start: &BytesStart<'_>) -> std::result::Result<Element, quick_xml::Error> {
        let resolver = self.0.resolver();
        let (ns, local) = resolver.resolve_element(start.name());
        let name = odf_name(ns, local.as_ref(), start.name().as_ref());
        let mut attrs = Vec::new();
        for attr in start.attributes().with_checks(false) {
            let attr = attr.map_err(quick_xml::Error::from)?;
            if attr.key.as_ref().starts_with("xmlns") {
                continue;
            }
            let (ns, local) = resolver.resolve_attribute(attr.key);
            let key = odf_name(ns, local.as_ref(), attr.key.as_ref());
            attrs.push((key, attribute_value(&attr)));
        }
        Ok(Element {
            name,
            attrs,
            children: Vec::new(),
        })
    }
}

fn odf_name(ns: ResolveResult, local: &str, raw: &str) -> String {
    if let ResolveResult::Bound(ns) = ns {
        if let Some((_, prefix)) = ODF_PREFIXES.iter().find(|(uri, _)| *uri == ns.0) {
            return format!("{prefix}:{local}");
        }
    }
    raw.to_owned()
}

/// An attribute's value, normalised; unknown entities make unescaping fail,
/// and then the raw value is kept (nothing is ever resolved from outside).
fn attribute_value(attr: &quick_xml::events::attributes::Attribute<'_>) -> String {
    match attr.normalized_value(XmlVersion::Implicit1_0) {
        Ok(v) => v.into_owned(),
        Err(_) => attr.value.to_string(),
    }
}

/// Builds the tree from the events, enforcing `naming`'s safety profile.
fn build<'i>(mut events: impl NamedEvents<'i>, naming: Naming, part: &str) -> Result<Element> {
    let docx = naming == Naming::Local;
    let malformed = |e: &dyn std::fmt::Display| match naming {
        Naming::Local => Error::bad_input(format!("not well-formed XML: {e}")),
        Naming::OdfPrefixes => {
            Error::bad_input(format!("{part} is not well-formed XML (damaged?): {e}"))
        }
    };
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut count = Counter {
        naming,
        part,
        seen: 0,
    };
    loop {
        let event = events.next_event().map_err(|e| malformed(&e))?;
        match event {
            Event::Start(start) => {
                count.element(stack.len())?;
                let e = events.element(&start).map_err(|e| malformed(&e))?;
                stack.push(e);
            }
            Event::Empty(start) => {
                count.element(0)?;
                let e = events.element(&start).map_err(|e| malformed(&e))?;
                push_child(&mut stack, Node::Element(e));
            }
            Event::End(_) if stack.len() > 1 => {
                let e = stack.pop().unwrap_or_default();
                push_child(&mut stack, Node::Element(e));
            }
            // DOCX ignores a stray end tag; ODF refuses it
            Event::End(_) if !docx => return Err(malformed(&"unbalanced end tag")),
            Event::Text(t) => {
                count.text()?;
                push_text(&mut stack, &t.xml10_content(), naming);
            }
            Event::CData(t) => {
                count.text()?;
                let content = match naming {
                    Naming::Local => t.xml10_content(),
                    Naming::OdfPrefixes => Cow::Borrowed(&*t),
                };
                push_text(&mut stack, &content, naming);
            }
            Event::GeneralRef(r) => {
                // Any other entity (declared in a DTD, possibly external) is
                // dropped: never resolved, never fetched.
                if let Some(c) = resolve_entity(&r) {
                    push_text(&mut stack, c.encode_utf8(&mut [0; 4]), naming);
                }
            }
            // OOXML parts never carry a DTD (ECMA-376 part 2 forbids it, Word
            // refuses such files): one is an entity probe or a bomb. ODF ones
            // are dropped with the rest below.
            Event::DocType(_) if docx => {
                return Err(Error::bad_input(
                    "the XML declares a DTD with entities, which Office documents never do (refused: an external-entity probe?)",
                ))
            }
            Event::Eof => break,
            // declarations, comments, PIs (and ODF's DTDs) carry nothing we use
            _ => {}
        }
    }
    if stack.len() > 1 && !docx {
        return Err(malformed(&"the part ends inside an element (truncated?)"));
    }
    // A truncated DOCX part leaves elements open: close them (tolerant).
    while stack.len() > 1 {
        let e = stack.pop().unwrap_or_default();
        push_child(&mut stack, Node::Element(e));
    }
    let top = stack.pop().unwrap_or_default();
    let root = top.children.into_iter().find_map(|n| match n {
        Node::Element(e) => Some(e),
        Node::Text(_) => None,
    });
    root.ok_or_else(|| match naming {
        Naming::Local => Error::bad_input("the XML part has no root element"),
        Naming::OdfPrefixes => malformed(&"no root element"),
    })
}

/// The size caps: DOCX counts elements (up to [`MAX_ELEMENTS`]), ODF
/// elements and text nodes (up to [`MAX_NODES`]); both cap the depth.
struct Counter<'a> {
    naming: Naming,
    part: &'a str,
    seen: usize,
}

impl Counter<'_> {
    /// One more element, opened at `depth` (the open elements around it,
    /// the document node included; 0 for an empty element).
    fn element(&mut self, depth: usize) -> Result<()> {
        match self.naming {
            Naming::Local => {
                self.seen += 1;
                if self.seen > MAX_ELEMENTS || depth > MAX_DEPTH {
                    return Err(Error::limit(format!(
                        "the XML part is too complex (over {MAX_ELEMENTS} elements or {MAX_DEPTH} levels deep)"
                    )));
                }
                Ok(())
            }
            Naming::OdfPrefixes => {
                if depth > MAX_DEPTH {
                    return Err(Error::limit(format!(
                        "{} nests elements deeper than {MAX_DEPTH} levels",
                        self.part
                    )));
                }
                self.node()
            }
        }
    }

    /// One more text or CDATA node: counted by ODF only.
    fn text(&mut self) -> Result<()> {
        match self.naming {
            Naming::Local => Ok(()),
            Naming::OdfPrefixes => self.node(),
        }
    }

    fn node(&mut self) -> Result<()> {
        self.seen += 1;
        if self.seen > MAX_NODES {
            return Err(Error::limit(format!(
                "{} has more than {MAX_NODES} XML nodes",
                self.part
            )));
        }
        Ok(())
    }
}

/// A character reference or one of the five predefined entities; `None`
/// for anything else.
fn resolve_entity(r: &BytesRef<'_>) -> Option<char> {
    if r.is_char_ref() {
        return r.resolve_char_ref().ok().flatten();
    }
    Some(match &**r {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

fn push_child(stack: &mut [Element], node: Node) {
    if let Some(parent) = stack.last_mut() {
        parent.children.push(node);
    }
}

/// Appends text, merging with a preceding text node (entities split text
/// into several events).
fn push_text(stack: &mut [Element], text: &str, naming: Naming) {
    let Some(parent) = stack.last_mut() else {
        return;
    };
    // DOCX: whitespace between elements only matters inside text elements.
    if naming == Naming::Local
        && text.trim().is_empty()
        && !matches!(parent.name.as_str(), "t" | "instrText")
    {
        return;
    }
    if let Some(Node::Text(last)) = parent.children.last_mut() {
        last.push_str(text);
    } else {
        parent.children.push(Node::Text(text.to_owned()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // DOCX (local names)

    #[test]
    fn parses_names_attributes_and_text() {
        let root = parse_local(
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
        assert!(parse_local(xml).unwrap_err().to_string().contains("DTD"));
        let root = parse_local("<d><t>x&xxe;y</t></d>").unwrap();
        assert_eq!(root.text(), "xy");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let xml = "<a>".repeat(MAX_DEPTH + 5);
        assert!(parse_local(&xml).is_err());
    }

    #[test]
    fn truncated_part_is_closed_tolerantly() {
        let root = parse_local("<d><p><t>hello</t>").unwrap();
        assert_eq!(root.text(), "hello");
    }

    // ODF (conventional prefixes)

    #[test]
    fn normalises_prefixes_and_resolves_entities() {
        let xml = br#"<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>
<o:document xmlns:o="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:t="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
  <t:p t:style-name="A&amp;B">x &lt; y &#65;&ext;z</t:p><t:s/>
</o:document>"#;
        let root = parse_odf(xml, "content.xml").unwrap();
        assert_eq!(root.name, "office:document");
        let p = root.child("text:p").unwrap();
        assert_eq!(p.attr("text:style-name"), Some("A&B"));
        assert_eq!(p.text(), "x < y Az");
        assert!(root.child("text:s").is_some());
    }

    #[test]
    fn refuses_truncated_and_deep_input() {
        assert!(parse_odf(b"<a><b>text", "content.xml").is_err());
        let deep = "<a>".repeat(MAX_DEPTH + 5);
        let err = parse_odf(deep.as_bytes(), "content.xml").unwrap_err();
        assert!(err.to_string().contains("deeper"), "{err}");
    }

    // Both namings on one input

    #[test]
    fn the_two_namings_read_one_input_their_own_way() {
        let xml = br#"<t:p xmlns:t="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:w="x" t:style-name="S" w:val="1"> <t:span>a</t:span> <w:b/></t:p>"#;
        let local = parse(xml, Naming::Local, "x.xml").unwrap();
        let odf = parse(xml, Naming::OdfPrefixes, "x.xml").unwrap();

        assert_eq!(local.name, "p");
        assert_eq!(local.attr("style-name"), Some("S"));
        assert_eq!(local.val(), Some("1"));
        let local_children: Vec<&str> = local.elements().map(|e| e.name.as_str()).collect();
        assert_eq!(local_children, ["span", "b"]);
        // DOCX drops whitespace between elements
        assert_eq!(local.children.len(), 2);

        assert_eq!(odf.name, "text:p");
        assert_eq!(odf.attr("text:style-name"), Some("S"));
        // an unknown namespace keeps the prefix the file wrote
        assert_eq!(odf.attr("w:val"), Some("1"));
        let odf_children: Vec<&str> = odf.elements().map(|e| e.name.as_str()).collect();
        assert_eq!(odf_children, ["text:span", "w:b"]);
        // ODF keeps all text, whitespace included, and no xmlns attributes
        assert_eq!(odf.text(), " a ");
        assert_eq!(odf.attrs.len(), 2);
    }
}
