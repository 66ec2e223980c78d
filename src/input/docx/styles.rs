//! Run and paragraph properties, and styles.xml with its inheritance:
//! docDefaults, then the `basedOn` chain of a style (root first), then
//! direct formatting. Every property is an `Option` so a later layer only
//! overrides what it sets.

use crate::doc::{Align, LineSpacing, Padding, TabAlign, TabStop};
use crate::input::xml_tree::Element;
use std::collections::BTreeMap;

/// Longest `basedOn` chain followed (cycles and hostile chains stop here).
const MAX_CHAIN: usize = 32;

/// Twentieths of a point to points.
pub fn twips(v: &str) -> Option<f32> {
    v.trim()
        .parse::<f32>()
        .ok()
        .filter(|x| x.is_finite())
        .map(|x| x / 20.0)
}

/// Character formatting.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunProps {
    pub font: Option<String>,
    /// Points.
    pub size: Option<f32>,
    pub bold: Option<bool>,
    pub italic: Option<bool>,
    pub underline: Option<bool>,
    pub strike: Option<bool>,
    pub caps: Option<bool>,
    /// Ink level (0 = black).
    pub gray: Option<u8>,
    pub hidden: Option<bool>,
    /// Superscript or subscript (set smaller).
    pub script: Option<bool>,
}

impl RunProps {
    /// Sets what `top` sets.
    pub fn overlay(&mut self, top: &RunProps) {
        macro_rules! take {
            ($($f:ident),*) => { $( if top.$f.is_some() { self.$f = top.$f.clone(); } )* };
        }
        take!(font, size, bold, italic, underline, strike, caps, gray, hidden, script);
    }

    pub fn parse(rpr: &Element, theme: &Theme) -> RunProps {
        let mut p = RunProps::default();
        for e in rpr.elements() {
            match e.name.as_str() {
                "rFonts" => {
                    p.font = e
                        .attr("ascii")
                        .or_else(|| e.attr("hAnsi"))
                        .map(str::to_string)
                        .or_else(|| {
                            e.attr("asciiTheme")
                                .or_else(|| e.attr("hAnsiTheme"))
                                .and_then(|t| theme.font(t))
                        })
                }
                "sz" => {
                    p.size = e
                        .val()
                        .and_then(|v| v.parse::<f32>().ok())
                        .filter(|v| v.is_finite() && *v > 0.0)
                        .map(|v| (v / 2.0).clamp(1.0, 400.0))
                }
                "b" => p.bold = Some(e.is_on()),
                "i" => p.italic = Some(e.is_on()),
                "u" => p.underline = Some(e.is_on()),
                "strike" | "dstrike" => p.strike = Some(e.is_on()),
                "caps" | "smallCaps" => p.caps = Some(e.is_on()),
                "vanish" => p.hidden = Some(e.is_on()),
                "color" => p.gray = e.val().map(gray_of_color),
                "vertAlign" => {
                    p.script = Some(matches!(e.val(), Some("superscript" | "subscript")))
                }
                _ => {}
            }
        }
        p
    }
}

/// A hex colour ("1F3864", "auto") as an ink level: its luma, kept dark
/// enough that coloured text survives the bilevel conversion.
pub fn gray_of_color(v: &str) -> u8 {
    match rgb(v) {
        Some((r, g, b)) => {
            let luma = (299 * r as u32 + 587 * g as u32 + 114 * b as u32) / 1000;
            luma.min(140) as u8
        }
        None => 0,
    }
}

/// A shading fill as a background gray (255 = none).
pub fn shade_of_fill(v: &str) -> u8 {
    match rgb(v) {
        Some((r, g, b)) => ((299 * r as u32 + 587 * g as u32 + 114 * b as u32) / 1000) as u8,
        None => 255,
    }
}

fn rgb(v: &str) -> Option<(u8, u8, u8)> {
    if v.len() != 6 || !v.is_ascii() {
        return None;
    }
    let n = u32::from_str_radix(v, 16).ok()?;
    Some(((n >> 16) as u8, (n >> 8) as u8, n as u8))
}

/// Paragraph formatting.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParaProps {
    pub align: Option<Align>,
    pub indent_left: Option<f32>,
    pub indent_right: Option<f32>,
    /// First-line offset (negative = hanging).
    pub indent_first: Option<f32>,
    pub space_before: Option<f32>,
    pub space_after: Option<f32>,
    /// HTML-style automatic spacing (14 pt, collapsing between paragraphs
    /// that both have it) instead of `space_before`/`space_after`.
    pub before_auto: Option<bool>,
    pub after_auto: Option<bool>,
    /// Word's line rule: Multiple in lines (1.0 = single), or points.
    pub line: Option<LineSpacing>,
    pub keep_next: Option<bool>,
    pub keep_lines: Option<bool>,
    pub page_break_before: Option<bool>,
    pub contextual_spacing: Option<bool>,
    /// Tab stops (position from the text column's left edge) and cleared
    /// positions: a paragraph's own list adds to and clears its style's.
    pub tabs: Option<Vec<TabDef>>,
    /// (numId, ilvl) of a list.
    pub num: Option<(String, u8)>,
    /// 0-based outline level (headings).
    pub outline: Option<u8>,
}

impl ParaProps {
    pub fn overlay(&mut self, top: &ParaProps) {
        macro_rules! take {
            ($($f:ident),*) => { $( if top.$f.is_some() { self.$f = top.$f.clone(); } )* };
        }
        take!(
            align,
            indent_left,
            indent_right,
            indent_first,
            space_before,
            space_after,
            before_auto,
            after_auto,
            line,
            keep_next,
            keep_lines,
            page_break_before,
            contextual_spacing,
            outline
        );
        if let Some(top_tabs) = &top.tabs {
            let mut merged = self.tabs.take().unwrap_or_default();
            for t in top_tabs {
                merged.retain(|m| (m.pos - t.pos).abs() > 0.5);
                merged.push(*t);
            }
            merged.sort_by(|a, b| a.pos.total_cmp(&b.pos));
            self.tabs = Some(merged);
        }
        if let Some((id, lvl)) = &top.num {
            // A numPr that sets only the level keeps the inherited list.
            let id = if id.is_empty() {
                self.num.as_ref().map(|n| n.0.clone()).unwrap_or_default()
            } else {
                id.clone()
            };
            self.num = Some((id, *lvl));
        }
    }

    pub fn parse(ppr: &Element) -> ParaProps {
        let mut p = ParaProps::default();
        for e in ppr.elements() {
            match e.name.as_str() {
                "jc" => {
                    p.align = e.val().map(|v| match v {
                        "center" => Align::Center,
                        "right" | "end" => Align::End,
                        "both" | "distribute" | "thaiDistribute" => Align::Justify,
                        _ => Align::Start,
                    })
                }
                "ind" => {
                    if let Some(v) = e.attr("left").or_else(|| e.attr("start")).and_then(twips) {
                        p.indent_left = Some(v);
                    }
                    if let Some(v) = e.attr("right").or_else(|| e.attr("end")).and_then(twips) {
                        p.indent_right = Some(v);
                    }
                    if let Some(v) = e.attr("hanging").and_then(twips) {
                        p.indent_first = Some(-v);
                    } else if let Some(v) = e.attr("firstLine").and_then(twips) {
                        p.indent_first = Some(v);
                    }
                }
                "spacing" => {
                    let on = |v: &str| v == "1" || v == "true" || v == "on";
                    p.before_auto = e.attr("beforeAutospacing").map(on);
                    p.after_auto = e.attr("afterAutospacing").map(on);
                    if let Some(v) = e.attr("before").and_then(twips) {
                        p.space_before = Some(v.max(0.0));
                    }
                    if let Some(v) = e.attr("after").and_then(twips) {
                        p.space_after = Some(v.max(0.0));
                    }
                    if let Some(line) = e.attr("line").and_then(|v| v.parse::<f32>().ok()) {
                        if line.is_finite() && line > 0.0 {
                            p.line = Some(match e.attr("lineRule") {
                                Some("exact") => LineSpacing::Exact(line / 20.0),
                                Some("atLeast") => LineSpacing::AtLeast(line / 20.0),
                                _ => LineSpacing::Multiple(line / 240.0),
                            });
                        }
                    }
                }
                "keepNext" => p.keep_next = Some(e.is_on()),
                "keepLines" => p.keep_lines = Some(e.is_on()),
                "pageBreakBefore" => p.page_break_before = Some(e.is_on()),
                "contextualSpacing" => p.contextual_spacing = Some(e.is_on()),
                "outlineLvl" => {
                    p.outline = e
                        .val()
                        .and_then(|v| v.parse::<u8>().ok())
                        .filter(|l| *l < 9)
                }
                "tabs" => {
                    let mut stops: Vec<TabDef> = e
                        .children_named("tab")
                        .filter_map(tab_def)
                        .take(MAX_TAB_STOPS)
                        .collect();
                    stops.sort_by(|a, b| a.pos.total_cmp(&b.pos));
                    p.tabs = Some(stops);
                }
                "numPr" => {
                    let id = e
                        .child("numId")
                        .and_then(|n| n.val())
                        .unwrap_or("")
                        .to_string();
                    let lvl = e
                        .child("ilvl")
                        .and_then(|n| n.val())
                        .and_then(|v| v.parse::<u8>().ok())
                        .unwrap_or(0)
                        .min(8);
                    p.num = Some((id, lvl));
                }
                _ => {}
            }
        }
        p
    }
}

/// Border widths of a table or cell (None = not set here).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BorderSet {
    pub top: Option<f32>,
    pub bottom: Option<f32>,
    pub left: Option<f32>,
    pub right: Option<f32>,
    pub inside_h: Option<f32>,
    pub inside_v: Option<f32>,
}

impl BorderSet {
    pub fn overlay(&mut self, top: &BorderSet) {
        macro_rules! take {
            ($($f:ident),*) => { $( if top.$f.is_some() { self.$f = top.$f; } )* };
        }
        take!(top, bottom, left, right, inside_h, inside_v);
    }

    pub fn parse(e: &Element) -> BorderSet {
        let mut b = BorderSet::default();
        for side in e.elements() {
            let width = Some(border_width(side));
            match side.name.as_str() {
                "top" => b.top = width,
                "bottom" => b.bottom = width,
                "left" | "start" => b.left = width,
                "right" | "end" => b.right = width,
                "insideH" => b.inside_h = width,
                "insideV" => b.inside_v = width,
                _ => {}
            }
        }
        b
    }
}

/// A border element's width in points (0 = none); `sz` is in eighths.
fn border_width(e: &Element) -> f32 {
    if matches!(e.val(), None | Some("nil" | "none")) {
        return 0.0;
    }
    let eighths = e
        .attr("sz")
        .and_then(|v| v.parse::<f32>().ok())
        .unwrap_or(4.0);
    (eighths / 8.0).clamp(0.25, 6.0)
}

/// Table formatting from a table style or `tblPr`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableProps {
    pub borders: BorderSet,
    /// Cell margins (`tblCellMar`), per side.
    pub cell_margins: CellMargins,
    /// Space between cells (`tblCellSpacing`), in points.
    pub cell_spacing: Option<f32>,
    /// Cell background gray.
    pub shade: Option<u8>,
}

impl TableProps {
    pub fn overlay(&mut self, top: &TableProps) {
        self.borders.overlay(&top.borders);
        self.cell_margins.overlay(&top.cell_margins);
        if top.cell_spacing.is_some() {
            self.cell_spacing = top.cell_spacing;
        }
        if top.shade.is_some() {
            self.shade = top.shade;
        }
    }

    pub fn parse(tbl_pr: &Element) -> TableProps {
        let mut t = TableProps::default();
        if let Some(b) = tbl_pr.child("tblBorders") {
            t.borders = BorderSet::parse(b);
        }
        if let Some(m) = tbl_pr.child("tblCellMar") {
            t.cell_margins = CellMargins::parse(m);
        }
        if let Some(c) = tbl_pr.child("tblCellSpacing") {
            t.cell_spacing = match c.attr("type") {
                Some("nil") => Some(0.0),
                _ => c.attr("w").and_then(twips).map(|w| w.max(0.0)),
            };
        }
        if let Some(s) = tbl_pr.child("shd") {
            t.shade = s.attr("fill").map(shade_of_fill);
        }
        t
    }
}

/// Cell margins in points per side, as `tblCellMar` (a table's or table
/// style's) and `tcMar` (a cell's) give them; `None`: inherited.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CellMargins {
    pub top: Option<f32>,
    pub right: Option<f32>,
    pub bottom: Option<f32>,
    pub left: Option<f32>,
}

/// Word's cell margins when nothing sets them: 0.08" left and right,
/// nothing above and below.
pub const WORD_CELL_MARGINS: Padding = Padding {
    top: 0.0,
    right: 5.4,
    bottom: 0.0,
    left: 5.4,
};

impl CellMargins {
    /// `w:tblCellMar` or `w:tcMar`: `top`, `bottom`, `left`/`start`,
    /// `right`/`end`, each `w:w` in twips (`w:type="nil"` is zero; a
    /// percentage has no fixed size and is left to the defaults).
    pub fn parse(e: &Element) -> CellMargins {
        let side = |names: [&str; 2]| {
            let s = names.iter().find_map(|n| e.child(n))?;
            match s.attr("type") {
                Some("nil") => Some(0.0),
                Some("dxa") | None => s.attr("w").and_then(twips).map(|w| w.max(0.0)),
                _ => None,
            }
        };
        CellMargins {
            top: side(["top", "top"]),
            right: side(["right", "end"]),
            bottom: side(["bottom", "bottom"]),
            left: side(["left", "start"]),
        }
    }

    pub fn overlay(&mut self, top: &CellMargins) {
        for (mine, theirs) in [
            (&mut self.top, top.top),
            (&mut self.right, top.right),
            (&mut self.bottom, top.bottom),
            (&mut self.left, top.left),
        ] {
            if theirs.is_some() {
                *mine = theirs;
            }
        }
    }

    /// The padding these margins give, sides not set taken from `base`.
    pub fn over(&self, base: Padding) -> Padding {
        Padding {
            top: self.top.unwrap_or(base.top),
            right: self.right.unwrap_or(base.right),
            bottom: self.bottom.unwrap_or(base.bottom),
            left: self.left.unwrap_or(base.left),
        }
    }
}

/// One style of styles.xml.
#[derive(Debug, Clone, Default)]
pub struct Style {
    pub name: String,
    pub based_on: Option<String>,
    pub para: ParaProps,
    pub run: RunProps,
    pub table: TableProps,
}

/// The theme's fonts (theme1.xml): major for headings, minor for body.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub major: Option<String>,
    pub minor: Option<String>,
}

impl Theme {
    pub fn parse(root: &Element) -> Theme {
        let latin = |name: &str| {
            root.find(name)
                .and_then(|f| f.child("latin"))
                .and_then(|l| l.attr("typeface"))
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Theme {
            major: latin("majorFont"),
            minor: latin("minorFont"),
        }
    }

    /// A theme font reference (`minorHAnsi`, `majorAscii`, ...).
    pub fn font(&self, reference: &str) -> Option<String> {
        if reference.starts_with("major") {
            self.major.clone()
        } else {
            self.minor.clone()
        }
    }
}

/// styles.xml resolved on demand.
#[derive(Debug, Clone, Default)]
pub struct Styles {
    pub default_run: RunProps,
    pub default_para: ParaProps,
    pub styles: BTreeMap<String, Style>,
    pub default_paragraph_style: Option<String>,
    pub default_table_style: Option<String>,
}

impl Styles {
    pub fn parse(root: &Element, theme: &Theme) -> Styles {
        let mut s = Styles {
            default_run: RunProps {
                font: theme.minor.clone(),
                size: Some(10.0),
                ..RunProps::default()
            },
            ..Styles::default()
        };
        if let Some(defaults) = root.child("docDefaults") {
            if let Some(rpr) = defaults.child("rPrDefault").and_then(|d| d.child("rPr")) {
                s.default_run.overlay(&RunProps::parse(rpr, theme));
            }
            if let Some(ppr) = defaults.child("pPrDefault").and_then(|d| d.child("pPr")) {
                s.default_para = ParaProps::parse(ppr);
            }
        }
        for e in root.children_named("style") {
            let Some(id) = e.attr("styleId") else {
                continue;
            };
            let kind = e.attr("type").unwrap_or("paragraph").to_string();
            let is_default = e.attr("default").is_some_and(|v| v == "1" || v == "true");
            if is_default && kind == "paragraph" {
                s.default_paragraph_style = Some(id.to_string());
            }
            if is_default && kind == "table" {
                s.default_table_style = Some(id.to_string());
            }
            let style = Style {
                name: e
                    .child("name")
                    .and_then(|n| n.val())
                    .unwrap_or(id)
                    .to_string(),
                based_on: e.child("basedOn").and_then(|b| b.val()).map(str::to_string),
                para: e.child("pPr").map(ParaProps::parse).unwrap_or_default(),
                run: e
                    .child("rPr")
                    .map(|r| RunProps::parse(r, theme))
                    .unwrap_or_default(),
                table: e.child("tblPr").map(TableProps::parse).unwrap_or_default(),
            };
            s.styles.insert(id.to_string(), style);
        }
        s
    }

    /// The styles from `id` up its `basedOn` chain, root first.
    fn chain(&self, id: &str) -> Vec<&Style> {
        let mut out = Vec::new();
        let mut next = Some(id);
        while let Some(id) = next {
            if out.len() >= MAX_CHAIN {
                break;
            }
            let Some(style) = self.styles.get(id) else {
                break;
            };
            out.push(style);
            next = style.based_on.as_deref();
        }
        out.reverse();
        out
    }

    /// Paragraph and run properties a paragraph style gives (inherited).
    pub fn paragraph_style(&self, id: &str) -> (ParaProps, RunProps) {
        let mut para = ParaProps::default();
        let mut run = RunProps::default();
        for style in self.chain(id) {
            para.overlay(&style.para);
            run.overlay(&style.run);
        }
        (para, run)
    }

    /// Run properties a character style gives (inherited).
    pub fn character_style(&self, id: &str) -> RunProps {
        let mut run = RunProps::default();
        for style in self.chain(id) {
            run.overlay(&style.run);
        }
        run
    }

    /// Table, paragraph and run properties a table style gives (inherited).
    pub fn table_style(&self, id: &str) -> (TableProps, ParaProps, RunProps) {
        let mut table = TableProps::default();
        let mut para = ParaProps::default();
        let mut run = RunProps::default();
        for style in self.chain(id) {
            table.overlay(&style.table);
            para.overlay(&style.para);
            run.overlay(&style.run);
        }
        (table, para, run)
    }

    /// The heading level of a paragraph style by its name ("heading 2"),
    /// for styles without an outline level.
    pub fn heading_level(&self, id: &str) -> Option<u8> {
        let name = self.styles.get(id)?.name.to_ascii_lowercase();
        let rest = name.strip_prefix("heading ")?;
        rest.trim()
            .parse::<u8>()
            .ok()
            .filter(|l| (1..=9).contains(l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::xml_tree::parse_local as parse;

    const STYLES: &str = r#"<w:styles xmlns:w="w">
      <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi"/><w:sz w:val="22"/></w:rPr></w:rPrDefault>
        <w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
      <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
      <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
        <w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
      <w:style w:type="paragraph" w:styleId="Sub"><w:basedOn w:val="Heading1"/><w:rPr><w:b w:val="0"/><w:i/></w:rPr></w:style>
      <w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>
    </w:styles>"#;

    #[test]
    fn inheritance_follows_based_on_root_first() {
        let theme = Theme {
            major: Some("Calibri Light".into()),
            minor: Some("Calibri".into()),
        };
        let s = Styles::parse(&parse(STYLES).unwrap(), &theme);
        assert_eq!(s.default_run.font.as_deref(), Some("Calibri"));
        assert_eq!(s.default_run.size, Some(11.0));
        assert_eq!(s.default_paragraph_style.as_deref(), Some("Normal"));
        let (para, run) = s.paragraph_style("Sub");
        assert_eq!(run.bold, Some(false));
        assert_eq!(run.italic, Some(true));
        assert_eq!(run.size, Some(16.0));
        assert_eq!(para.keep_next, Some(true));
        assert_eq!(para.outline, Some(0));
        assert_eq!(s.heading_level("Heading1"), Some(1));
        // A cycle stops instead of looping.
        let _ = s.paragraph_style("Loop");
    }

    #[test]
    fn colors_become_dark_grays() {
        assert_eq!(gray_of_color("auto"), 0);
        assert_eq!(gray_of_color("000000"), 0);
        assert_eq!(gray_of_color("FFFF00"), 140);
        assert_eq!(shade_of_fill("auto"), 255);
        assert_eq!(shade_of_fill("D9D9D9"), 217);
    }
}

/// Tab stops read from one `w:tabs` at most (Word allows 64).
const MAX_TAB_STOPS: usize = 64;

/// One `w:tab` of a style or paragraph: a stop, or a cleared position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TabDef {
    /// Points from the text column's left edge.
    pub pos: f32,
    /// `None`: the inherited stop at `pos` is cleared.
    pub stop: Option<TabStop>,
}

/// Reads `<w:tab w:val="right" w:leader="dot" w:pos="9350"/>`. A bar tab
/// (a vertical line, not a stop) is left out.
fn tab_def(t: &Element) -> Option<TabDef> {
    let pos = t.attr("pos").and_then(twips)?;
    let align = match t.val().unwrap_or("left") {
        "clear" => return Some(TabDef { pos, stop: None }),
        "bar" => return None,
        "center" => TabAlign::Center,
        "right" | "end" => TabAlign::Right,
        "decimal" => TabAlign::Decimal,
        _ => TabAlign::Left,
    };
    let leader = match t.attr("leader").unwrap_or("none") {
        "dot" => Some('.'),
        "middleDot" => Some('\u{b7}'),
        "hyphen" => Some('-'),
        "underscore" | "heavy" => Some('_'),
        _ => None,
    };
    Some(TabDef {
        pos,
        stop: Some(TabStop {
            position: pos,
            align,
            leader,
        }),
    })
}
