//! Section properties (`w:sectPr`): page size, orientation, margins, header
//! and footer distances and references, first-page and numbering options;
//! plus the package relationships that point at parts.

use super::styles::twips;
use crate::doc::PageSetup;
use crate::input::xml_tree::Element;
use std::collections::BTreeMap;

/// Where a header or footer applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Which {
    Default,
    First,
    Even,
}

/// One section's properties.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionProps {
    pub page: PageSetup,
    pub header_distance: f32,
    pub footer_distance: f32,
    /// Relationship ids of header/footer parts (`true` = header).
    pub refs: BTreeMap<(bool, Which), String>,
    pub title_page: bool,
    pub restart_page_number: Option<u32>,
}

impl Default for SectionProps {
    fn default() -> Self {
        SectionProps {
            page: PageSetup::letter(),
            header_distance: 36.0,
            footer_distance: 36.0,
            refs: BTreeMap::new(),
            title_page: false,
            restart_page_number: None,
        }
    }
}

impl SectionProps {
    pub fn parse(e: &Element) -> SectionProps {
        let mut s = SectionProps::default();
        if let Some(sz) = e.child("pgSz") {
            let w = sz.attr("w").and_then(twips).filter(|v| *v >= 36.0);
            let h = sz.attr("h").and_then(twips).filter(|v| *v >= 36.0);
            let (mut w, mut h) = (
                w.unwrap_or(612.0).min(2000.0),
                h.unwrap_or(792.0).min(2000.0),
            );
            let landscape = sz.attr("orient") == Some("landscape");
            if landscape != (w > h) && w != h {
                std::mem::swap(&mut w, &mut h);
            }
            s.page.width = w;
            s.page.height = h;
        }
        if let Some(m) = e.child("pgMar") {
            let get = |k: &str, d: f32| m.attr(k).and_then(twips).map(f32::abs).unwrap_or(d);
            s.page.margin_top = get("top", 72.0);
            s.page.margin_bottom = get("bottom", 72.0);
            s.page.margin_left = get("left", 72.0).max(get("gutter", 0.0) + get("left", 72.0));
            s.page.margin_right = get("right", 72.0);
            s.header_distance = get("header", 36.0);
            s.footer_distance = get("footer", 36.0);
        }
        // Margins that leave no room would make layout degenerate.
        let p = &mut s.page;
        if p.margin_left + p.margin_right > p.width - 36.0 {
            p.margin_left = 36.0_f32.min(p.width / 4.0);
            p.margin_right = p.margin_left;
        }
        if p.margin_top + p.margin_bottom > p.height - 36.0 {
            p.margin_top = 36.0_f32.min(p.height / 4.0);
            p.margin_bottom = p.margin_top;
        }
        for r in e.elements() {
            let header = match r.name.as_str() {
                "headerReference" => true,
                "footerReference" => false,
                _ => continue,
            };
            let which = match r.attr("type") {
                Some("first") => Which::First,
                Some("even") => Which::Even,
                _ => Which::Default,
            };
            if let Some(id) = r.attr("id") {
                s.refs.insert((header, which), id.to_string());
            }
        }
        s.title_page = e.child("titlePg").is_some_and(Element::is_on);
        s.restart_page_number = e
            .child("pgNumType")
            .and_then(|p| p.attr("start"))
            .and_then(|v| v.parse().ok());
        s
    }

    /// Fills references this section does not give from the one before
    /// (Word inherits headers and footers section to section).
    pub fn inherit_refs(&mut self, previous: &SectionProps) {
        for (k, v) in &previous.refs {
            self.refs.entry(*k).or_insert_with(|| v.clone());
        }
    }
}

/// A relationship: target part path (resolved) or external address.
#[derive(Debug, Clone, PartialEq)]
pub struct Rel {
    pub target: String,
    pub external: bool,
}

/// The relationships of one part, by id.
pub type Rels = BTreeMap<String, Rel>;

/// Reads a `.rels` part; targets are resolved against `base_dir` (the
/// folder of the part the rels belong to, "word").
pub fn parse_rels(root: &Element, base_dir: &str) -> Rels {
    let mut rels = Rels::new();
    for r in root.children_named("Relationship") {
        let (Some(id), Some(target)) = (r.attr("Id"), r.attr("Target")) else {
            continue;
        };
        let external = r.attr("TargetMode") == Some("External");
        let target = if external {
            target.to_string()
        } else {
            resolve_path(base_dir, target)
        };
        rels.insert(id.to_string(), Rel { target, external });
    }
    rels
}

/// The rels part of a part ("word/header1.xml" -> "word/_rels/header1.xml.rels").
pub fn rels_path(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// The folder of a part path.
pub fn dir_of(part: &str) -> &str {
    part.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// Joins a relative target to a folder, resolving "." and "..".
pub fn resolve_path(base_dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        base_dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::xml_tree::parse_local as parse;

    #[test]
    fn landscape_section_with_references() {
        let e = parse(
            r#"<w:sectPr xmlns:w="w" xmlns:r="r"><w:headerReference w:type="first" r:id="rId7"/>
            <w:pgSz w:w="15840" w:h="12240" w:orient="landscape"/>
            <w:pgMar w:top="1440" w:right="1080" w:bottom="-1440" w:left="1080" w:header="720" w:footer="360" w:gutter="0"/>
            <w:titlePg/></w:sectPr>"#,
        )
        .unwrap();
        let s = SectionProps::parse(&e);
        assert_eq!((s.page.width, s.page.height), (792.0, 612.0));
        assert_eq!(s.page.margin_bottom, 72.0);
        assert_eq!(s.page.margin_left, 54.0);
        assert_eq!(s.footer_distance, 18.0);
        assert!(s.title_page);
        assert_eq!(s.refs[&(true, Which::First)], "rId7");
    }

    #[test]
    fn paths_resolve() {
        assert_eq!(resolve_path("word", "media/a.png"), "word/media/a.png");
        assert_eq!(
            resolve_path("word", "../customXml/x.xml"),
            "customXml/x.xml"
        );
        assert_eq!(
            resolve_path("word", "/word/media/b.png"),
            "word/media/b.png"
        );
        assert_eq!(
            rels_path("word/document.xml"),
            "word/_rels/document.xml.rels"
        );
    }
}
