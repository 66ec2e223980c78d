//! Computed style: the properties we lay out with, their initial values,
//! inheritance, and how one declaration's value is read (lengths in px, pt,
//! em, rem, %, cm, mm, in; colours as gray levels). All lengths are kept in
//! points (1 CSS px = 0.75 pt).

use super::css::Declaration;
use crate::doc::case::TextCase;
use crate::doc::Align;
use crate::layout::fonts::Fonts;

/// How an element takes part in layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    Block,
    Inline,
    InlineBlock,
    ListItem,
    Table,
    TableRowGroup,
    TableHeaderGroup,
    TableRow,
    TableCell,
    TableCaption,
    None,
}

/// A length that may be relative to the containing block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Len {
    Pt(f32),
    Percent(f32),
    Auto,
}

impl Len {
    /// In points against a containing width (auto = 0).
    pub fn resolve(self, container: f32) -> f32 {
        match self {
            Len::Pt(v) => v,
            Len::Percent(p) => container * p / 100.0,
            Len::Auto => 0.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhiteSpace {
    Normal,
    Pre,
    Nowrap,
    PreLine,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LineHeight {
    Normal,
    Multiple(f32),
    Points(f32),
}

/// The computed style of one element.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    // Inherited.
    pub family: String,
    pub size: f32,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
    pub strike: bool,
    pub gray: u8,
    pub line_height: LineHeight,
    pub align: Align,
    pub transform: TextCase,
    pub white_space: WhiteSpace,
    pub list_style: String,
    pub border_spacing: f32,
    /// The nearest drawn background behind this element (255 = paper).
    pub backdrop: u8,
    // Not inherited.
    pub display: Display,
    /// top, right, bottom, left
    pub margin: [Len; 4],
    pub padding: [f32; 4],
    pub border: [f32; 4],
    pub border_gray: u8,
    /// Background gray (255 = none).
    pub background: u8,
    pub width: Len,
    pub max_width: Len,
    pub height: Len,
    pub break_before: bool,
    pub break_after: bool,
    pub avoid_break_inside: bool,
    pub table_fixed: bool,
}

impl Style {
    /// The root's style: a 16 px serif, black on white.
    pub fn root() -> Self {
        Style {
            family: "serif".into(),
            size: 12.0,
            bold: false,
            italic: false,
            underline: false,
            strike: false,
            gray: 0,
            line_height: LineHeight::Normal,
            align: Align::Start,
            transform: TextCase::None,
            white_space: WhiteSpace::Normal,
            list_style: "disc".into(),
            border_spacing: 1.5,
            backdrop: 255,
            display: Display::Inline,
            margin: [Len::Pt(0.0); 4],
            padding: [0.0; 4],
            border: [0.0; 4],
            border_gray: 0,
            background: 255,
            width: Len::Auto,
            max_width: Len::Auto,
            height: Len::Auto,
            break_before: false,
            break_after: false,
            avoid_break_inside: false,
            table_fixed: false,
        }
    }

    /// A child's starting style: inherited properties copied, the others
    /// at their initial values.
    pub fn inherit(&self) -> Self {
        let initial = Style::root();
        Style {
            family: self.family.clone(),
            size: self.size,
            bold: self.bold,
            italic: self.italic,
            underline: self.underline,
            strike: self.strike,
            gray: self.gray,
            line_height: self.line_height,
            align: self.align,
            transform: self.transform,
            white_space: self.white_space,
            list_style: self.list_style.clone(),
            border_spacing: self.border_spacing,
            backdrop: self.backdrop,
            ..initial
        }
    }

    /// Applies one declaration; false when the property (or its value) is
    /// not one we support. `parent_size` resolves `em` in font-size.
    /// `fonts` tells which of a `font-family` list's families we have.
    pub fn apply(&mut self, d: &Declaration, parent_size: f32, fonts: &Fonts) -> bool {
        let v = d.value.trim();
        let lower = v.to_ascii_lowercase();
        let lv = lower.as_str();
        let em = self.size;
        match d.name.as_str() {
            "display" => {
                self.display = match lv {
                    "block" | "flex" | "grid" | "flow-root" | "-webkit-box" => Display::Block,
                    "inline" | "contents" => Display::Inline,
                    "inline-block" | "inline-flex" | "inline-table" | "inline-grid" => {
                        Display::InlineBlock
                    }
                    "list-item" => Display::ListItem,
                    "table" => Display::Table,
                    "table-row-group" | "table-footer-group" => Display::TableRowGroup,
                    "table-header-group" => Display::TableHeaderGroup,
                    "table-row" => Display::TableRow,
                    "table-cell" => Display::TableCell,
                    "table-caption" => Display::TableCaption,
                    "none" => Display::None,
                    _ => return false,
                }
            }
            "font-family" => match pick_family(v, fonts) {
                Some(name) => self.family = name,
                None => return false,
            },
            "font-size" => {
                let size = match lv {
                    "xx-small" => 7.0,
                    "x-small" => 7.5,
                    "small" => 10.0,
                    "medium" => 12.0,
                    "large" => 13.5,
                    "x-large" => 18.0,
                    "xx-large" => 24.0,
                    "smaller" => parent_size * 0.83,
                    "larger" => parent_size * 1.2,
                    _ => match length(lv, parent_size) {
                        Some(Len::Pt(p)) => p,
                        Some(Len::Percent(p)) => parent_size * p / 100.0,
                        _ => return false,
                    },
                };
                self.size = size.clamp(1.0, 400.0);
            }
            "font-weight" => {
                self.bold = match lv {
                    "bold" | "bolder" => true,
                    "normal" | "lighter" => false,
                    n => match n.parse::<u32>() {
                        Ok(w) => w >= 600,
                        Err(_) => return false,
                    },
                }
            }
            "font-style" => self.italic = lv == "italic" || lv == "oblique",
            "font" => return self.apply_font_shorthand(v, parent_size, fonts),
            "line-height" => {
                self.line_height = if lv == "normal" {
                    LineHeight::Normal
                } else if let Ok(m) = lv.parse::<f32>() {
                    LineHeight::Multiple(m.clamp(0.5, 5.0))
                } else {
                    match length(lv, em) {
                        Some(Len::Pt(p)) => LineHeight::Points(p.clamp(1.0, 500.0)),
                        Some(Len::Percent(p)) => LineHeight::Multiple((p / 100.0).clamp(0.5, 5.0)),
                        _ => return false,
                    }
                }
            }
            "text-align" => {
                self.align = match lv {
                    "left" | "start" | "-webkit-left" => Align::Start,
                    "center" | "-webkit-center" => Align::Center,
                    "right" | "end" | "-webkit-right" => Align::End,
                    "justify" => Align::Justify,
                    _ => return false,
                }
            }
            "text-decoration" | "text-decoration-line" => {
                self.underline = lv.contains("underline");
                self.strike = lv.contains("line-through");
            }
            "text-transform" => {
                self.transform = match lv {
                    "uppercase" => TextCase::Upper,
                    "lowercase" => TextCase::Lower,
                    "capitalize" => TextCase::Capitalize,
                    _ => TextCase::None,
                }
            }
            "white-space" => {
                self.white_space = match lv {
                    "pre" | "pre-wrap" | "break-spaces" => WhiteSpace::Pre,
                    "nowrap" => WhiteSpace::Nowrap,
                    "pre-line" => WhiteSpace::PreLine,
                    _ => WhiteSpace::Normal,
                }
            }
            "color" => match gray(lv) {
                Some(g) => self.gray = g,
                None => return false,
            },
            "background-color" | "background" | "bgcolor" => {
                // Only the colour of a background shorthand is used.
                let found = lv.split_whitespace().find_map(gray).or_else(|| gray(lv));
                match found {
                    Some(g) => self.background = g,
                    None if lv.contains("url(") => {}
                    None if lv == "none" || lv == "transparent" => self.background = 255,
                    None => return false,
                }
            }
            "margin" => match box_sides(lv, em) {
                Some(s) => self.margin = s,
                None => return false,
            },
            "margin-top" | "margin-right" | "margin-bottom" | "margin-left" => {
                match length(lv, em) {
                    Some(l) => self.margin[side(&d.name)] = l,
                    None => return false,
                }
            }
            "padding" => match box_sides(lv, em) {
                Some(s) => self.padding = s.map(|l| l.resolve(0.0).max(0.0)),
                None => return false,
            },
            "padding-top" | "padding-right" | "padding-bottom" | "padding-left" => {
                match length(lv, em) {
                    Some(l) => self.padding[side(&d.name)] = l.resolve(0.0).max(0.0),
                    None => return false,
                }
            }
            "border" | "border-top" | "border-right" | "border-bottom" | "border-left" => {
                let (w, g) = border_value(lv, em);
                if let Some(g) = g {
                    self.border_gray = g;
                }
                if d.name == "border" {
                    self.border = [w; 4];
                } else {
                    self.border[side(&d.name)] = w;
                }
            }
            "border-top-width"
            | "border-right-width"
            | "border-bottom-width"
            | "border-left-width" => {
                let side_name = d.name.trim_end_matches("-width");
                match length(lv, em) {
                    Some(l) => self.border[side(side_name)] = l.resolve(0.0).clamp(0.0, 20.0),
                    None => return false,
                }
            }
            "border-top-style"
            | "border-right-style"
            | "border-bottom-style"
            | "border-left-style" => {
                let side_name = d.name.trim_end_matches("-style");
                if lv == "none" || lv == "hidden" {
                    self.border[side(side_name)] = 0.0;
                } else if self.border[side(side_name)] == 0.0 {
                    self.border[side(side_name)] = 0.75;
                }
            }
            "border-top-color"
            | "border-right-color"
            | "border-bottom-color"
            | "border-left-color" => {
                if let Some(g) = gray(lv) {
                    self.border_gray = g;
                }
            }
            "border-width" => match box_sides(lv, em) {
                Some(s) => self.border = s.map(|l| l.resolve(0.0).max(0.0)),
                None => return false,
            },
            "border-style" => {
                if lv == "none" || lv == "hidden" {
                    self.border = [0.0; 4];
                }
            }
            "border-color" => {
                if let Some(g) = lv.split_whitespace().find_map(gray) {
                    self.border_gray = g;
                }
            }
            "border-collapse" => {}
            "border-spacing" => match length(lv.split_whitespace().next().unwrap_or(""), em) {
                Some(l) => self.border_spacing = l.resolve(0.0),
                None => return false,
            },
            "width" => match length(lv, em) {
                Some(l) => self.width = l,
                None => return false,
            },
            "max-width" => match length(lv, em) {
                Some(l) => self.max_width = l,
                None if lv == "none" => self.max_width = Len::Auto,
                None => return false,
            },
            "height" | "min-height" => match length(lv, em) {
                Some(l) => self.height = l,
                None => return false,
            },
            "list-style-type" | "list-style" => {
                let kind = lv
                    .split_whitespace()
                    .find(|w| !w.contains("url(") && *w != "inside" && *w != "outside");
                if let Some(k) = kind {
                    self.list_style = k.to_string();
                }
            }
            "page-break-before" | "break-before" => {
                self.break_before = matches!(lv, "always" | "page" | "left" | "right")
            }
            "page-break-after" | "break-after" => {
                self.break_after = matches!(lv, "always" | "page" | "left" | "right")
            }
            "page-break-inside" | "break-inside" => {
                self.avoid_break_inside = lv.starts_with("avoid")
            }
            "table-layout" => self.table_fixed = lv == "fixed",
            "vertical-align" => {} // cells are top-aligned (the doc model has no vertical alignment)
            _ => return false,
        }
        true
    }

    /// Border widths as drawn: the doc model draws borders black, so a
    /// border too light to survive on a fax (lighter than #e0e0e0) is left
    /// out.
    pub fn drawn_border(&self) -> [f32; 4] {
        if self.border_gray >= 224 {
            [0.0; 4]
        } else {
            self.border
        }
    }

    /// Background as drawn: near-white backgrounds are paper, others a
    /// light tint (a third of their darkness) so text on them stays
    /// readable once halftoned.
    pub fn drawn_background(&self) -> u8 {
        if self.background >= 240 {
            255
        } else {
            255 - (255 - self.background) / 3
        }
    }

    /// Settles what depends on the whole style: the backdrop, and text
    /// lighter than its background (white on a coloured button), which a
    /// fax prints black on the tint instead.
    pub fn finish(&mut self) {
        if self.drawn_background() < 255 {
            self.backdrop = self.background;
        }
        if self.gray > 160 && self.gray > self.backdrop {
            self.gray = 0;
        }
    }

    fn apply_font_shorthand(&mut self, v: &str, parent_size: f32, fonts: &Fonts) -> bool {
        // [style] [weight] size[/line-height] family
        let mut words = v.split_whitespace().peekable();
        let mut ok = false;
        while let Some(w) = words.next() {
            match w.to_ascii_lowercase().as_str() {
                "italic" | "oblique" => self.italic = true,
                "bold" | "bolder" | "600" | "700" | "800" | "900" => self.bold = true,
                "normal" | "400" => {}
                _ => {
                    let (size, lh) = w.split_once('/').unwrap_or((w, ""));
                    if let Some(Len::Pt(p)) = length(size, parent_size) {
                        self.size = p.clamp(1.0, 400.0);
                        if let Ok(m) = lh.parse::<f32>() {
                            self.line_height = LineHeight::Multiple(m.clamp(0.5, 5.0));
                        }
                        let family: Vec<&str> = words.by_ref().collect();
                        if let Some(name) = pick_family(&family.join(" "), fonts) {
                            self.family = name;
                        }
                        ok = true;
                        break;
                    }
                }
            }
        }
        ok
    }
}

/// The first family of a CSS list we have a font for (or a metric
/// substitute for), else the list's first name (the typesetter's fallback
/// covers it). Fonts from the operator's extra folders count too.
fn pick_family(list: &str, fonts: &Fonts) -> Option<String> {
    let names: Vec<&str> = list
        .split(',')
        .map(|n| super::css::unquote(n.trim()))
        .filter(|n| !n.is_empty() && !n.starts_with("var("))
        .collect();
    names
        .iter()
        .find(|n| fonts.has_family(n))
        .or_else(|| names.first())
        .map(|n| n.to_string())
}

fn side(name: &str) -> usize {
    if name.ends_with("top") {
        0
    } else if name.ends_with("right") {
        1
    } else if name.ends_with("bottom") {
        2
    } else {
        3
    }
}

/// A border shorthand: its width (0 when style is none) and gray.
fn border_value(v: &str, em: f32) -> (f32, Option<u8>) {
    let mut width = 0.75; // medium is 3px in CSS; a fax wants thin lines
    let mut style_seen = false;
    let mut none = v == "0" || v.is_empty();
    let mut g = None;
    for w in v.split_whitespace() {
        match w {
            "none" | "hidden" => none = true,
            "solid" | "dashed" | "dotted" | "double" | "groove" | "ridge" | "inset" | "outset" => {
                style_seen = true
            }
            "thin" => width = 0.75,
            "medium" => width = 1.5,
            "thick" => width = 2.25,
            _ => {
                if let Some(Len::Pt(p)) = length(w, em) {
                    width = p;
                } else if let Some(gr) = gray(w) {
                    g = Some(gr);
                }
            }
        }
    }
    if none || !style_seen {
        (0.0, g)
    } else {
        (width.clamp(0.0, 20.0), g)
    }
}

/// 1 to 4 lengths as top, right, bottom, left.
fn box_sides(v: &str, em: f32) -> Option<[Len; 4]> {
    let parts: Vec<Len> = v
        .split_whitespace()
        .map(|w| length(w, em))
        .collect::<Option<_>>()?;
    Some(match parts.as_slice() {
        [a] => [*a; 4],
        [a, b] => [*a, *b, *a, *b],
        [a, b, c] => [*a, *b, *c, *b],
        [a, b, c, d] => [*a, *b, *c, *d],
        _ => return None,
    })
}

/// A CSS length in points (`em` is the font size in points).
pub fn length(v: &str, em: f32) -> Option<Len> {
    let v = v.trim();
    if v == "auto" {
        return Some(Len::Auto);
    }
    let split = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(v.len());
    let (num, unit) = v.split_at(split);
    let n: f32 = num.parse().ok()?;
    if !n.is_finite() {
        return None;
    }
    let pt = match unit {
        "" | "px" => n * 0.75,
        "pt" => n,
        "em" => n * em,
        "rem" => n * 12.0,
        "ex" | "ch" => n * em * 0.5,
        "%" => return Some(Len::Percent(n.clamp(-1000.0, 1000.0))),
        "cm" => n * 72.0 / 2.54,
        "mm" => n * 72.0 / 25.4,
        "q" => n * 72.0 / 101.6,
        "in" => n * 72.0,
        "pc" => n * 12.0,
        "vw" | "vh" => n * 6.0,
        _ => return None,
    };
    Some(Len::Pt(pt.clamp(-10_000.0, 10_000.0)))
}

/// A CSS colour as a gray level (luma, BT.601; alpha 0 = none).
pub fn gray(v: &str) -> Option<u8> {
    let v = v.trim().to_ascii_lowercase();
    let (r, g, b) = if let Some(hex) = v.strip_prefix('#') {
        let digits: Vec<u32> = hex.chars().map(|c| c.to_digit(16)).collect::<Option<_>>()?;
        match digits.len() {
            3 | 4 => (digits[0] * 17, digits[1] * 17, digits[2] * 17),
            6 | 8 => (
                digits[0] * 16 + digits[1],
                digits[2] * 16 + digits[3],
                digits[4] * 16 + digits[5],
            ),
            _ => return None,
        }
    } else if let Some(args) = v.strip_prefix("rgb(").or_else(|| v.strip_prefix("rgba(")) {
        let nums: Vec<f32> = args
            .trim_end_matches(')')
            .split(|c: char| c == ',' || c == '/' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(|s| match s.strip_suffix('%') {
                Some(p) => p.parse::<f32>().map(|p| p * 2.55),
                None => s.parse::<f32>(),
            })
            .collect::<std::result::Result<_, _>>()
            .ok()?;
        if nums.len() < 3 {
            return None;
        }
        if nums.len() >= 4 && nums[3] == 0.0 {
            return Some(255);
        }
        let c = |x: f32| x.clamp(0.0, 255.0) as u32;
        (c(nums[0]), c(nums[1]), c(nums[2]))
    } else {
        match v.as_str() {
            "black" => (0, 0, 0),
            "white" => (255, 255, 255),
            "transparent" => (255, 255, 255),
            "gray" | "grey" => (128, 128, 128),
            "silver" => (192, 192, 192),
            "lightgray" | "lightgrey" => (211, 211, 211),
            "darkgray" | "darkgrey" => (169, 169, 169),
            "dimgray" | "dimgrey" => (105, 105, 105),
            "whitesmoke" => (245, 245, 245),
            "gainsboro" => (220, 220, 220),
            "red" => (255, 0, 0),
            "green" => (0, 128, 0),
            "blue" => (0, 0, 255),
            "navy" => (0, 0, 128),
            "yellow" => (255, 255, 0),
            "orange" => (255, 165, 0),
            "purple" => (128, 0, 128),
            "maroon" => (128, 0, 0),
            "teal" => (0, 128, 128),
            "olive" => (128, 128, 0),
            "lime" => (0, 255, 0),
            "aqua" | "cyan" => (0, 255, 255),
            "fuchsia" | "magenta" => (255, 0, 255),
            _ => return None,
        }
    };
    Some(((r * 77 + g * 150 + b * 29 + 128) >> 8).min(255) as u8)
}

/// Declarations that come from presentational HTML attributes (`bgcolor`,
/// `width`, `align`, `border`...), applied below every style sheet rule.
pub fn presentational(tag: &str, attr: &dyn Fn(&str) -> Option<String>) -> Vec<Declaration> {
    let mut out = Vec::new();
    let mut push = |name: &str, value: String| {
        out.push(Declaration {
            name: name.into(),
            value,
            important: false,
        })
    };
    if let Some(c) = attr("bgcolor") {
        push("background-color", c);
    }
    if let Some(w) = attr("width") {
        if tag != "img" {
            let w = w.trim().to_string();
            let w = if w.chars().all(|c| c.is_ascii_digit() || c == '.') {
                format!("{w}px")
            } else {
                w
            };
            push("width", w);
        }
    }
    if let Some(a) = attr("align") {
        if matches!(
            tag,
            "td" | "th" | "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "tr"
        ) {
            push("text-align", a);
        }
    }
    if tag == "font" {
        if let Some(c) = attr("color") {
            push("color", c);
        }
        if let Some(f) = attr("face") {
            push("font-family", f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(name: &str, value: &str) -> Declaration {
        Declaration {
            name: name.into(),
            value: value.into(),
            important: false,
        }
    }

    #[test]
    fn font_family_picks_the_first_family_we_have() {
        let fonts = Fonts::committed();
        let mut s = Style::root();
        assert!(s.apply(
            &decl("font-family", "'Foo Grotesk', Calibri, sans-serif"),
            12.0,
            &fonts
        ));
        assert_eq!(s.family, "Calibri");
        assert!(s.apply(
            &decl("font-family", "Unknown One, Unknown Two"),
            12.0,
            &fonts
        ));
        assert_eq!(s.family, "Unknown One");
        assert!(s.apply(&decl("font", "bold 10pt 'Nope', monospace"), 12.0, &fonts));
        assert_eq!(s.family, "monospace");
    }

    #[test]
    fn lengths_in_points() {
        assert_eq!(length("16px", 12.0), Some(Len::Pt(12.0)));
        assert_eq!(length("2em", 10.0), Some(Len::Pt(20.0)));
        assert_eq!(length("1in", 10.0), Some(Len::Pt(72.0)));
        assert_eq!(length("50%", 10.0), Some(Len::Percent(50.0)));
        assert_eq!(length("bogus", 10.0), None);
    }

    #[test]
    fn colours_to_gray() {
        assert_eq!(gray("#000"), Some(0));
        assert_eq!(gray("#ffffff"), Some(255));
        assert_eq!(gray("rgb(255, 0, 0)"), Some(77));
        assert_eq!(gray("grey"), Some(128));
        assert_eq!(gray("rgba(0,0,0,0)"), Some(255));
        assert_eq!(gray("nonsense"), None);
    }

    #[test]
    fn font_size_em_is_relative_to_the_parent() {
        let mut s = Style::root();
        assert!(s.apply(&decl("font-size", "2em"), 12.0, &Fonts::committed()));
        assert_eq!(s.size, 24.0);
        assert!(s.apply(&decl("font-size", "150%"), 10.0, &Fonts::committed()));
        assert_eq!(s.size, 15.0);
    }

    #[test]
    fn shorthands() {
        let mut s = Style::root();
        assert!(s.apply(&decl("margin", "1px 2px"), 12.0, &Fonts::committed()));
        assert_eq!(
            s.margin,
            [Len::Pt(0.75), Len::Pt(1.5), Len::Pt(0.75), Len::Pt(1.5)]
        );
        assert!(s.apply(&decl("border", "2px solid #999"), 12.0, &Fonts::committed()));
        assert_eq!(s.border, [1.5; 4]);
        assert!(s.apply(&decl("border-bottom", "none"), 12.0, &Fonts::committed()));
        assert_eq!(s.border[2], 0.0);
        assert!(s.apply(
            &decl("font", "italic bold 10pt/1.5 Arial, sans-serif"),
            12.0,
            &Fonts::committed()
        ));
        assert!(s.bold && s.italic && s.size == 10.0 && s.family == "Arial");
        assert!(!s.apply(&decl("float", "left"), 12.0, &Fonts::committed()));
    }

    #[test]
    fn inheritance_keeps_text_properties_only() {
        let mut s = Style::root();
        s.bold = true;
        s.padding = [3.0; 4];
        let child = s.inherit();
        assert!(child.bold);
        assert_eq!(child.padding, [0.0; 4]);
    }
}
