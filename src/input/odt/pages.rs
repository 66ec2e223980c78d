//! Page layouts and master pages: `style:page-layout` (size, orientation,
//! margins, header/footer heights) and `style:master-page` (its layout and
//! the header/footer content), turned into [`PageSetup`] plus the elements
//! the body reader makes furniture from.

use super::units::length_pt;
use crate::doc::PageSetup;
use crate::input::xml_tree::Element;
use std::collections::BTreeMap;

/// Writer's default header/footer height and spacing when the layout
/// gives none (0.5 cm + 0.25 cm).
const DEFAULT_HEADER_HEIGHT: f32 = 14.2;
const DEFAULT_HEADER_SPACING: f32 = 7.1;

/// A page layout: the page and the room its header and footer take.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLayout {
    pub page: PageSetup,
    /// Height + spacing of the header (added to the body's top margin when
    /// the master page has a header).
    pub header_room: f32,
    pub footer_room: f32,
}

impl Default for PageLayout {
    fn default() -> Self {
        PageLayout {
            page: PageSetup::a4(),
            header_room: DEFAULT_HEADER_HEIGHT + DEFAULT_HEADER_SPACING,
            footer_room: DEFAULT_HEADER_HEIGHT + DEFAULT_HEADER_SPACING,
        }
    }
}

/// A master page: its name, layout and header/footer elements.
#[derive(Debug, Clone, Default)]
pub struct MasterPage {
    pub name: String,
    pub layout: PageLayout,
    pub header: Option<Element>,
    pub header_left: Option<Element>,
    pub header_first: Option<Element>,
    pub footer: Option<Element>,
    pub footer_left: Option<Element>,
    pub footer_first: Option<Element>,
}

impl MasterPage {
    /// The body's page: the layout's margins grown by the header and
    /// footer rooms when there is a header / footer.
    pub fn body_page(&self) -> PageSetup {
        let mut page = self.layout.page;
        if self.header.is_some() || self.header_first.is_some() {
            page.margin_top += self.layout.header_room;
        }
        if self.footer.is_some() || self.footer_first.is_some() {
            page.margin_bottom += self.layout.footer_room;
        }
        page
    }
}

/// The master pages of a document, in document order (the first is the
/// default when a document names none).
#[derive(Debug, Clone, Default)]
pub struct MasterPages {
    pub pages: Vec<MasterPage>,
}

impl MasterPages {
    /// Reads page layouts (automatic styles) and master pages under `root`
    /// (styles.xml's `office:document-styles` or a flat document).
    pub fn read(root: &Element) -> MasterPages {
        let mut layouts = BTreeMap::new();
        for section in root.elements() {
            if section.name == "office:automatic-styles" || section.name == "office:styles" {
                for e in section.elements() {
                    if e.name == "style:page-layout" {
                        if let Some(name) = e.attr("style:name") {
                            layouts.insert(name.to_owned(), read_layout(e));
                        }
                    }
                }
            }
        }
        let mut pages = Vec::new();
        if let Some(masters) = root.child("office:master-styles") {
            for m in masters.elements().filter(|e| e.name == "style:master-page") {
                let layout = m
                    .attr("style:page-layout-name")
                    .and_then(|n| layouts.get(n))
                    .cloned()
                    .unwrap_or_default();
                let part = |name: &str| {
                    m.child(name)
                        .filter(|e| e.attr("style:display") != Some("false"))
                        .cloned()
                };
                pages.push(MasterPage {
                    name: m.attr("style:name").unwrap_or("").to_owned(),
                    layout,
                    header: part("style:header"),
                    header_left: part("style:header-left"),
                    header_first: part("style:header-first"),
                    footer: part("style:footer"),
                    footer_left: part("style:footer-left"),
                    footer_first: part("style:footer-first"),
                });
            }
        }
        MasterPages { pages }
    }

    /// The master page `name`, else "Standard", else the first, else a
    /// plain A4 page.
    pub fn get(&self, name: &str) -> MasterPage {
        self.pages
            .iter()
            .find(|m| m.name == name)
            .or_else(|| self.pages.iter().find(|m| m.name == "Standard"))
            .or_else(|| self.pages.first())
            .cloned()
            .unwrap_or_default()
    }
}

fn read_layout(e: &Element) -> PageLayout {
    let mut layout = PageLayout::default();
    if let Some(p) = e.child("style:page-layout-properties") {
        let len = |n: &str| p.attr(n).and_then(length_pt);
        let page = &mut layout.page;
        if let Some(w) = len("fo:page-width").filter(|w| *w >= 36.0) {
            page.width = w.min(14_400.0);
        }
        if let Some(h) = len("fo:page-height").filter(|h| *h >= 36.0) {
            page.height = h.min(14_400.0);
        }
        let landscape = p.attr("style:print-orientation") == Some("landscape");
        if landscape && page.width < page.height {
            std::mem::swap(&mut page.width, &mut page.height);
        }
        let all = len("fo:margin");
        let margin = |n: &str, default: f32| len(n).or(all).unwrap_or(default).clamp(0.0, 2000.0);
        page.margin_top = margin("fo:margin-top", page.margin_top);
        page.margin_bottom = margin("fo:margin-bottom", page.margin_bottom);
        page.margin_left = margin("fo:margin-left", page.margin_left);
        page.margin_right = margin("fo:margin-right", page.margin_right);
        // keep some content area whatever the margins say
        if page.margin_left + page.margin_right > page.width - 36.0 {
            page.margin_left = 18.0;
            page.margin_right = 18.0;
        }
        if page.margin_top + page.margin_bottom > page.height - 36.0 {
            page.margin_top = 18.0;
            page.margin_bottom = 18.0;
        }
    }
    layout.header_room = room(e.child("style:header-style"));
    layout.footer_room = room(e.child("style:footer-style"));
    layout
}

/// Height (min-height or height) plus spacing of a header/footer style.
fn room(style: Option<&Element>) -> f32 {
    let Some(p) = style.and_then(|s| s.child("style:header-footer-properties")) else {
        return DEFAULT_HEADER_HEIGHT + DEFAULT_HEADER_SPACING;
    };
    let len = |n: &str| p.attr(n).and_then(length_pt);
    let height = len("fo:min-height")
        .or(len("svg:height"))
        .unwrap_or(DEFAULT_HEADER_HEIGHT);
    let spacing = len("fo:margin-bottom")
        .or(len("fo:margin-top"))
        .unwrap_or(DEFAULT_HEADER_SPACING);
    (height + spacing).clamp(0.0, 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::xml_tree::parse_odf as parse;

    #[test]
    fn landscape_layout_with_header() {
        let xml = br#"<office:document-styles
 xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0">
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="8.5in" fo:page-height="11in" style:print-orientation="landscape" fo:margin="0.5in" fo:margin-top="1in"/>
   <style:header-style><style:header-footer-properties fo:min-height="0.5in" fo:margin-bottom="0.25in"/></style:header-style>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Wide" style:page-layout-name="pm1"><style:header><text:p>Head</text:p></style:header></style:master-page>
 </office:master-styles>
</office:document-styles>"#;
        let masters = MasterPages::read(&parse(xml, "styles.xml").unwrap());
        let wide = masters.get("Wide");
        assert_eq!(
            (wide.layout.page.width, wide.layout.page.height),
            (792.0, 612.0)
        );
        assert_eq!(wide.layout.page.margin_left, 36.0);
        assert_eq!(wide.body_page().margin_top, 72.0 + 54.0);
        assert!(wide.header.is_some() && wide.footer.is_none());
        // an unknown name falls back to the first master page
        assert_eq!(masters.get("Nope").name, "Wide");
    }
}
