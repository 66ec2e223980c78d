//! ODF styles: named styles with `style:parent-style-name` chains, one
//! `style:default-style` per family, automatic styles (content.xml's for
//! the body, styles.xml's for headers and footers), font-face declarations,
//! and the text / paragraph / cell / column / table properties we use.
//!
//! A style is kept as sparse properties (every field optional); resolving
//! a name walks default style -> chain root -> ... -> the style itself,
//! later values winning, font-size percentages taken of the value above.

use super::lists::ListStyle;
use super::units::{border_width, color_gray, length_pt, percent};
use crate::doc::case::TextCase;
use crate::doc::{Align, LineSpacing, TabAlign, TabStop};
use crate::input::xml_tree::Element;
use std::collections::BTreeMap;

/// Longest parent chain followed (cycles and hostile files).
const MAX_CHAIN: usize = 32;

/// Where a style name is looked up: automatic styles of content.xml (the
/// body) or of styles.xml (master pages' headers and footers); named
/// styles are shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Content = 0,
    Styles = 1,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FontSize {
    Pt(f32),
    /// A fraction of the inherited size.
    Relative(f32),
}

/// A font as a style names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FontName {
    /// `style:font-name`: a declared font face.
    Face(String),
    /// `fo:font-family`: a family name as such.
    Family(String),
}

/// Character properties (`style:text-properties`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextProps {
    pub family: Option<FontName>,
    pub size: Option<FontSize>,
    pub bold: Option<bool>,
    pub italic: Option<bool>,
    pub underline: Option<bool>,
    pub strike: Option<bool>,
    pub gray: Option<u8>,
    pub transform: Option<TextCase>,
    /// `style:text-position` "super"/"sub": set smaller.
    pub script: Option<bool>,
    /// `text:display="none"`: hidden text.
    pub hidden: Option<bool>,
}

/// Paragraph properties (`style:paragraph-properties`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParaProps {
    pub align: Option<Align>,
    pub margin_left: Option<f32>,
    pub margin_right: Option<f32>,
    pub margin_top: Option<f32>,
    pub margin_bottom: Option<f32>,
    pub text_indent: Option<f32>,
    pub line: Option<LineSpacing>,
    pub keep_with_next: Option<bool>,
    pub keep_together: Option<bool>,
    pub break_before: Option<bool>,
    pub break_after: Option<bool>,
    /// `style:page-number`: numbering restarts at this page.
    pub page_number: Option<u32>,
    /// Stops measured from the paragraph's left margin (Writer's default,
    /// "tab stop positions relative to indent").
    pub tab_stops: Option<Vec<TabStop>>,
}

/// Table cell properties (`style:table-cell-properties`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellProps {
    /// Top, bottom, left, right.
    pub borders: [Option<f32>; 4],
    pub shade: Option<u8>,
    /// `fo:padding-*` (or `fo:padding`): top, bottom, left, right.
    pub padding: [Option<f32>; 4],
}

/// One style's own (unresolved) properties.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Style {
    pub parent: Option<String>,
    pub text: TextProps,
    pub para: ParaProps,
    pub cell: CellProps,
    pub column_width: Option<f32>,
    /// `style:rel-column-width` ("1234*").
    pub rel_column_width: Option<f32>,
    pub table_width: Option<f32>,
    pub table_break_before: Option<bool>,
    /// `table:border-model="collapsing"`: borders between rows shared.
    pub table_collapsing: Option<bool>,
    pub list_style: Option<String>,
    /// Non-empty `style:master-page-name`.
    pub master_page: Option<String>,
}

type Styles = BTreeMap<(String, String), Style>;

/// Every style of a document.
#[derive(Debug, Clone, Default)]
pub struct StyleSheet {
    /// Face name -> (family, generic family: "roman", "swiss", ...).
    font_faces: BTreeMap<String, (String, Option<String>)>,
    defaults: BTreeMap<String, Style>,
    common: Styles,
    automatic: [Styles; 2],
    common_lists: BTreeMap<String, ListStyle>,
    automatic_lists: [BTreeMap<String, ListStyle>; 2],
}

impl StyleSheet {
    /// Reads `office:font-face-decls`, `office:styles` and
    /// `office:automatic-styles` under `root` (an `office:document-styles`,
    /// `office:document-content` or flat `office:document`).
    pub fn add_part(&mut self, root: &Element, scope: Scope) {
        for section in root.elements() {
            match section.name.as_str() {
                "office:font-face-decls" => {
                    for face in section.elements() {
                        if let (Some(name), Some(family)) =
                            (face.attr("style:name"), face.attr("svg:font-family"))
                        {
                            let family = family.trim().trim_matches(|c| c == '\'' || c == '"');
                            let generic = face.attr("style:font-family-generic").map(str::to_owned);
                            self.font_faces
                                .insert(name.into(), (family.into(), generic));
                        }
                    }
                }
                "office:styles" => self.add_styles(section, None),
                "office:automatic-styles" => self.add_styles(section, Some(scope)),
                _ => {}
            }
        }
    }

    fn add_styles(&mut self, section: &Element, automatic: Option<Scope>) {
        for e in section.elements() {
            match e.name.as_str() {
                "style:style" => {
                    let (Some(name), Some(family)) = (e.attr("style:name"), e.attr("style:family"))
                    else {
                        continue;
                    };
                    let style = read_style(e);
                    let key = (family.to_owned(), name.to_owned());
                    match automatic {
                        Some(scope) => self.automatic[scope as usize].insert(key, style),
                        None => self.common.insert(key, style),
                    };
                }
                "style:default-style" => {
                    if let Some(family) = e.attr("style:family") {
                        self.defaults.insert(family.into(), read_style(e));
                    }
                }
                "text:list-style" => {
                    if let Some(name) = e.attr("style:name") {
                        let list = ListStyle::read(e);
                        match automatic {
                            Some(scope) => {
                                self.automatic_lists[scope as usize].insert(name.into(), list)
                            }
                            None => self.common_lists.insert(name.into(), list),
                        };
                    }
                }
                _ => {}
            }
        }
    }

    fn lookup(&self, scope: Scope, family: &str, name: &str, leaf: bool) -> Option<&Style> {
        let key = (family.to_owned(), name.to_owned());
        let auto = self.automatic[scope as usize].get(&key);
        // automatic styles are never parents: a parent name is a named style
        if leaf {
            auto.or_else(|| self.common.get(&key))
        } else {
            self.common.get(&key).or(auto)
        }
    }

    /// The chain of `name` in `family`, root first (without the default).
    fn chain(&self, scope: Scope, family: &str, name: &str) -> Vec<&Style> {
        let mut chain = Vec::new();
        let mut current = self.lookup(scope, family, name, true);
        while let Some(style) = current {
            chain.push(style);
            if chain.len() >= MAX_CHAIN {
                break;
            }
            current = style
                .parent
                .as_deref()
                .and_then(|p| self.lookup(scope, family, p, false));
        }
        chain.reverse();
        chain
    }

    /// The fully resolved style `name` of `family` (the family's default
    /// style when `name` is None or unknown).
    pub fn resolve(&self, scope: Scope, family: &str, name: Option<&str>) -> Style {
        let mut out = self.defaults.get(family).cloned().unwrap_or_default();
        out.parent = None;
        out.master_page = None;
        if let Some(name) = name {
            for s in self.chain(scope, family, name) {
                out.merge(s);
            }
            // the master page and page-number apply where named, not inherited
            if let Some(own) = self.lookup(scope, family, name, true) {
                out.master_page = own.master_page.clone();
                out.para.page_number = own.para.page_number;
            }
        }
        out
    }

    /// Text properties of a text (span) style on top of `base`.
    pub fn span(&self, scope: Scope, name: &str, base: &TextProps) -> TextProps {
        let mut out = base.clone();
        for s in self.chain(scope, "text", name) {
            out.merge(&s.text);
        }
        out
    }

    /// The family name of a font reference (a face's declared family,
    /// or the face name itself when it is not declared).
    pub fn family_of<'a>(&'a self, font: &'a FontName) -> &'a str {
        match font {
            FontName::Face(face) => self.font_faces.get(face).map_or(face.as_str(), |f| &f.0),
            FontName::Family(family) => family,
        }
    }

    /// The generic family ("serif", "sans-serif", "monospace") a declared
    /// face falls back to when its own family is not installed.
    pub fn generic_of(&self, font: &FontName) -> Option<&'static str> {
        let FontName::Face(face) = font else {
            return None;
        };
        match self.font_faces.get(face)?.1.as_deref()? {
            "roman" => Some("serif"),
            "swiss" => Some("sans-serif"),
            "modern" => Some("monospace"),
            _ => None,
        }
    }

    pub fn list_style(&self, scope: Scope, name: &str) -> Option<&ListStyle> {
        self.automatic_lists[scope as usize]
            .get(name)
            .or_else(|| self.common_lists.get(name))
    }
}

impl Style {
    fn merge(&mut self, child: &Style) {
        self.text.merge(&child.text);
        self.para.merge(&child.para);
        let c = &child.cell;
        for i in 0..4 {
            over(&mut self.cell.borders[i], c.borders[i]);
        }
        over(&mut self.cell.shade, c.shade);
        for i in 0..4 {
            over(&mut self.cell.padding[i], c.padding[i]);
        }
        over(&mut self.column_width, child.column_width);
        over(&mut self.rel_column_width, child.rel_column_width);
        over(&mut self.table_width, child.table_width);
        over(&mut self.table_break_before, child.table_break_before);
        over(&mut self.table_collapsing, child.table_collapsing);
        if child.list_style.is_some() {
            self.list_style = child.list_style.clone();
        }
        if child.master_page.is_some() {
            self.master_page = child.master_page.clone();
        }
    }
}

fn over<T: Copy>(into: &mut Option<T>, from: Option<T>) {
    if from.is_some() {
        *into = from;
    }
}

impl TextProps {
    pub fn merge(&mut self, c: &TextProps) {
        if c.family.is_some() {
            self.family = c.family.clone();
        }
        self.size = match (self.size, c.size) {
            (Some(FontSize::Pt(base)), Some(FontSize::Relative(f))) => Some(FontSize::Pt(base * f)),
            (None, Some(FontSize::Relative(f))) => Some(FontSize::Pt(12.0 * f)),
            (_, Some(s)) => Some(s),
            (s, None) => s,
        };
        over(&mut self.bold, c.bold);
        over(&mut self.italic, c.italic);
        over(&mut self.underline, c.underline);
        over(&mut self.strike, c.strike);
        over(&mut self.gray, c.gray);
        over(&mut self.transform, c.transform);
        over(&mut self.script, c.script);
        over(&mut self.hidden, c.hidden);
    }

    /// The size in points (LibreOffice's 12 pt when nothing says).
    pub fn size_pt(&self) -> f32 {
        match self.size {
            Some(FontSize::Pt(s)) => s.clamp(1.0, 400.0),
            Some(FontSize::Relative(f)) => (12.0 * f).clamp(1.0, 400.0),
            None => 12.0,
        }
    }
}

impl ParaProps {
    fn merge(&mut self, c: &ParaProps) {
        over(&mut self.align, c.align);
        over(&mut self.margin_left, c.margin_left);
        over(&mut self.margin_right, c.margin_right);
        over(&mut self.margin_top, c.margin_top);
        over(&mut self.margin_bottom, c.margin_bottom);
        over(&mut self.text_indent, c.text_indent);
        over(&mut self.line, c.line);
        over(&mut self.keep_with_next, c.keep_with_next);
        over(&mut self.keep_together, c.keep_together);
        over(&mut self.break_before, c.break_before);
        over(&mut self.break_after, c.break_after);
        over(&mut self.page_number, c.page_number);
        if c.tab_stops.is_some() {
            self.tab_stops = c.tab_stops.clone();
        }
    }
}

fn read_style(e: &Element) -> Style {
    let mut s = Style {
        parent: e.attr("style:parent-style-name").map(str::to_owned),
        list_style: e
            .attr("style:list-style-name")
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
        master_page: e
            .attr("style:master-page-name")
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
        ..Style::default()
    };
    for p in e.elements() {
        match p.name.as_str() {
            "style:text-properties" => s.text = read_text_props(p),
            "style:paragraph-properties" => s.para = read_para_props(p),
            "style:table-cell-properties" => s.cell = read_cell_props(p),
            "style:table-column-properties" => {
                s.column_width = p.attr("style:column-width").and_then(length_pt);
                s.rel_column_width = p
                    .attr("style:rel-column-width")
                    .and_then(|v| v.trim().trim_end_matches('*').parse().ok());
            }
            "style:table-properties" => {
                s.table_width = p.attr("style:width").and_then(length_pt);
                s.table_break_before = p.attr("fo:break-before").map(|v| v == "page");
                s.table_collapsing = p.attr("table:border-model").map(|v| v == "collapsing");
            }
            _ => {}
        }
    }
    s
}

/// `style:text-properties`; font names are resolved against the face
/// declarations when the run style is built (see `font_family`).
pub fn read_text_props(p: &Element) -> TextProps {
    let size = p.attr("fo:font-size").and_then(|v| {
        percent(v)
            .map(FontSize::Relative)
            .or_else(|| length_pt(v).filter(|s| *s > 0.0).map(FontSize::Pt))
    });
    let transform = match (p.attr("fo:text-transform"), p.attr("fo:font-variant")) {
        (_, Some("small-caps")) => Some(TextCase::SmallCaps),
        (Some("uppercase"), _) => Some(TextCase::Upper),
        (Some("lowercase"), _) => Some(TextCase::Lower),
        (Some("capitalize"), _) => Some(TextCase::Capitalize),
        (Some("none"), _) | (_, Some("normal")) => Some(TextCase::None),
        _ => None,
    };
    // Writer prefers the declared face when both are given
    let family = p
        .attr("style:font-name")
        .map(|f| FontName::Face(f.to_owned()))
        .or_else(|| {
            p.attr("fo:font-family")
                .map(|f| FontName::Family(f.trim_matches(|c| c == '\'' || c == '"').to_owned()))
        });
    TextProps {
        family,
        size,
        bold: p
            .attr("fo:font-weight")
            .map(|w| w == "bold" || w == "bolder" || w.parse::<u32>().is_ok_and(|n| n >= 600)),
        italic: p
            .attr("fo:font-style")
            .map(|v| v == "italic" || v == "oblique"),
        underline: p.attr("style:text-underline-style").map(|v| v != "none"),
        strike: p.attr("style:text-line-through-style").map(|v| v != "none"),
        gray: p.attr("fo:color").and_then(color_gray),
        transform,
        script: p.attr("style:text-position").map(|v| {
            let v = v.trim();
            !(v.starts_with('0') || v == "normal")
        }),
        hidden: p.attr("text:display").map(|v| v == "none"),
    }
}

fn read_para_props(p: &Element) -> ParaProps {
    let align = p.attr("fo:text-align").map(|a| match a {
        "center" => Align::Center,
        "end" | "right" => Align::End,
        "justify" => Align::Justify,
        _ => Align::Start,
    });
    let line = if let Some(v) = p.attr("fo:line-height") {
        percent(v)
            .map(|f| LineSpacing::Multiple(f.clamp(0.5, 10.0)))
            .or_else(|| length_pt(v).map(|l| LineSpacing::Exact(l.clamp(1.0, 1000.0))))
    } else {
        p.attr("style:line-height-at-least")
            .and_then(length_pt)
            .map(|l| LineSpacing::AtLeast(l.clamp(0.0, 1000.0)))
    };
    let tab_stops = p.child("style:tab-stops").map(|stops| {
        let mut stops: Vec<TabStop> = stops.elements().filter_map(tab_stop).take(64).collect();
        stops.sort_by(|a, b| a.position.total_cmp(&b.position));
        stops
    });
    let margin = |name: &str| p.attr(name).and_then(length_pt);
    ParaProps {
        align,
        margin_left: margin("fo:margin-left"),
        margin_right: margin("fo:margin-right"),
        margin_top: margin("fo:margin-top"),
        margin_bottom: margin("fo:margin-bottom"),
        text_indent: margin("fo:text-indent"),
        line,
        keep_with_next: p.attr("fo:keep-with-next").map(|v| v == "always"),
        keep_together: p.attr("fo:keep-together").map(|v| v == "always"),
        break_before: p.attr("fo:break-before").map(|v| v == "page"),
        break_after: p.attr("fo:break-after").map(|v| v == "page"),
        page_number: p
            .attr("style:page-number")
            .and_then(|v| v.parse().ok())
            .filter(|n| *n > 0),
        tab_stops,
    }
}

/// Reads `<style:tab-stop style:position="6in" style:type="right"
/// style:leader-style="dotted" style:leader-text="."/>`.
fn tab_stop(t: &Element) -> Option<TabStop> {
    let position = t.attr("style:position").and_then(length_pt)?;
    let align = match t.attr("style:type").unwrap_or("left") {
        "center" => TabAlign::Center,
        "right" => TabAlign::Right,
        "char" => TabAlign::Decimal,
        _ => TabAlign::Left,
    };
    let style = t.attr("style:leader-style").unwrap_or("none");
    let text = t
        .attr("style:leader-text")
        .and_then(|s| s.chars().next())
        .filter(|c| !c.is_whitespace());
    let leader = match (style, text) {
        (_, Some(c)) => Some(c),
        ("none", None) => None,
        ("solid", None) => Some('_'),
        ("dash" | "long-dash" | "dot-dash", None) => Some('-'),
        (_, None) => Some('.'),
    };
    Some(TabStop {
        position,
        align,
        leader,
    })
}

fn read_cell_props(p: &Element) -> CellProps {
    let all = p.attr("fo:border").map(border_width);
    let side = |name: &str| p.attr(name).map(border_width).or(all);
    let all_pad = p.attr("fo:padding").and_then(length_pt);
    let pad = |name: &str| p.attr(name).and_then(length_pt).or(all_pad);
    CellProps {
        borders: [
            side("fo:border-top"),
            side("fo:border-bottom"),
            side("fo:border-left"),
            side("fo:border-right"),
        ],
        shade: p.attr("fo:background-color").and_then(color_gray),
        padding: [
            pad("fo:padding-top"),
            pad("fo:padding-bottom"),
            pad("fo:padding-left"),
            pad("fo:padding-right"),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::xml_tree::parse_odf as parse;

    const STYLES: &str = r##"<office:document-styles
 xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0">
 <office:font-face-decls><style:font-face style:name="Arial1" svg:font-family="'Arial'"/></office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph"><style:text-properties fo:font-size="10pt" style:font-name="Arial1"/></style:default-style>
  <style:style style:name="Standard" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.125in"/></style:style>
  <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-size="150%" fo:font-weight="bold" fo:color="#808080"/><style:paragraph-properties fo:keep-with-next="always" fo:line-height="115%"/></style:style>
  <style:style style:name="Loop" style:family="paragraph" style:parent-style-name="Loop"/>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="P1" style:family="paragraph" style:parent-style-name="Heading" style:master-page-name="Landscape"><style:paragraph-properties fo:text-align="center"/></style:style>
 </office:automatic-styles>
</office:document-styles>"##;

    #[test]
    fn inheritance_defaults_and_percentages() {
        let mut sheet = StyleSheet::default();
        sheet.add_part(
            &parse(STYLES.as_bytes(), "styles.xml").unwrap(),
            Scope::Content,
        );
        let p1 = sheet.resolve(Scope::Content, "paragraph", Some("P1"));
        assert_eq!(p1.text.size_pt(), 15.0);
        assert_eq!(p1.text.bold, Some(true));
        assert_eq!(p1.text.gray, Some(128));
        assert_eq!(sheet.family_of(p1.text.family.as_ref().unwrap()), "Arial");
        assert_eq!(p1.para.align, Some(Align::Center));
        assert_eq!(p1.para.margin_bottom, Some(9.0));
        assert_eq!(p1.para.keep_with_next, Some(true));
        assert_eq!(p1.para.line, Some(LineSpacing::Multiple(1.15)));
        assert_eq!(p1.master_page.as_deref(), Some("Landscape"));
        // a parent's master page is not inherited
        let h = sheet.resolve(Scope::Content, "paragraph", Some("Heading"));
        assert_eq!(h.master_page, None);
        // automatic styles of content.xml are not seen from styles.xml's scope
        let p1s = sheet.resolve(Scope::Styles, "paragraph", Some("P1"));
        assert_eq!(p1s.text.size_pt(), 10.0);
        // a style that is its own parent ends
        let l = sheet.resolve(Scope::Content, "paragraph", Some("Loop"));
        assert_eq!(l.text.size_pt(), 10.0);
    }
}
