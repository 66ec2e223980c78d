//! ODF list styles (`text:list-style`: numbered, bulleted and picture
//! levels with their indents) and list numbering: counters per list,
//! continued by `text:continue-numbering` or `text:continue-list`.

use super::units::length_pt;
use crate::doc::counters::{repeated_letters, roman};
use crate::input::xml_tree::Element;
use std::collections::BTreeMap;

/// ODF allows 10 list levels.
pub const MAX_LEVEL: usize = 10;

/// How one level's label is made.
#[derive(Debug, Clone, PartialEq)]
pub enum Label {
    Number {
        /// "1", "a", "A", "i", "I" or "" (no number).
        format: String,
        prefix: String,
        suffix: String,
        /// How many levels the label shows ("1.2.3" = 3).
        display_levels: usize,
        start: u32,
    },
    Bullet(String),
}

/// One level of a list style.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub label: Label,
    /// Left indent of the text, in points.
    pub indent_left: f32,
    /// First-line offset (negative: the label hangs left).
    pub indent_first: f32,
}

impl Default for Level {
    fn default() -> Self {
        Level {
            label: Label::Bullet("•".into()),
            indent_left: 0.0,
            indent_first: 0.0,
        }
    }
}

/// A `text:list-style`: levels 1..=10.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListStyle {
    levels: BTreeMap<usize, Level>,
}

impl ListStyle {
    pub fn read(e: &Element) -> ListStyle {
        let mut levels = BTreeMap::new();
        for l in e.elements() {
            let Some(level) = l
                .attr("text:level")
                .and_then(|v| v.parse::<usize>().ok())
                .filter(|n| (1..=MAX_LEVEL).contains(n))
            else {
                continue;
            };
            let label = match l.name.as_str() {
                "text:list-level-style-number" => Label::Number {
                    format: l.attr("style:num-format").unwrap_or("1").to_owned(),
                    prefix: l.attr("style:num-prefix").unwrap_or("").to_owned(),
                    suffix: l.attr("style:num-suffix").unwrap_or("").to_owned(),
                    display_levels: l
                        .attr("text:display-levels")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1usize)
                        .clamp(1, MAX_LEVEL),
                    start: l
                        .attr("text:start-value")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1u32)
                        .min(1_000_000),
                },
                "text:list-level-style-bullet" => {
                    let c = l.attr("text:bullet-char").unwrap_or("•");
                    Label::Bullet(printable_bullet(c))
                }
                // a picture bullet: drawn as a plain bullet
                "text:list-level-style-image" => Label::Bullet("•".into()),
                _ => continue,
            };
            let (indent_left, indent_first) = indents(l, level);
            levels.insert(
                level,
                Level {
                    label,
                    indent_left,
                    indent_first,
                },
            );
        }
        ListStyle { levels }
    }

    /// Level `level` (1-based); a missing level is a bullet indented like
    /// Writer's defaults.
    pub fn level(&self, level: usize) -> Level {
        self.levels.get(&level).cloned().unwrap_or_else(|| {
            let (indent_left, indent_first) = default_indents(level);
            Level {
                indent_left,
                indent_first,
                ..Level::default()
            }
        })
    }
}

/// Bullets from symbol fonts (private-use code points) show as a plain
/// bullet; our fonts have no Wingdings/OpenSymbol.
fn printable_bullet(c: &str) -> String {
    let c = c.trim();
    match c.chars().next() {
        None => "•".into(),
        Some(ch) if ('\u{E000}'..='\u{F8FF}').contains(&ch) => "•".into(),
        Some(_) => c.to_owned(),
    }
}

fn default_indents(level: usize) -> (f32, f32) {
    // Writer: 0.25 in per level, labels hanging 0.25 in
    (18.0 * level as f32, -18.0)
}

/// The text indent and first-line offset a level's properties give, in
/// either of ODF's two positioning modes.
fn indents(l: &Element, level: usize) -> (f32, f32) {
    let Some(props) = l.child("style:list-level-properties") else {
        return default_indents(level);
    };
    if props.attr("text:list-level-position-and-space-mode") == Some("label-alignment") {
        if let Some(a) = props.child("style:list-level-label-alignment") {
            let left = a.attr("fo:margin-left").and_then(length_pt).unwrap_or(0.0);
            let first = a.attr("fo:text-indent").and_then(length_pt).unwrap_or(0.0);
            return (left.clamp(0.0, 2000.0), first.clamp(-2000.0, 2000.0));
        }
        return default_indents(level);
    }
    let before = props
        .attr("text:space-before")
        .and_then(length_pt)
        .unwrap_or(0.0);
    let label = props
        .attr("text:min-label-width")
        .and_then(length_pt)
        .unwrap_or(0.0);
    (
        (before + label).clamp(0.0, 2000.0),
        -label.clamp(0.0, 2000.0),
    )
}

/// The counters of one list (shared by every `text:list` that continues it).
#[derive(Debug, Clone, Default)]
pub struct Counters {
    values: [u32; MAX_LEVEL],
    /// Whether each level has counted since it was last reset.
    started: [bool; MAX_LEVEL],
}

impl Counters {
    /// Counts an item at `level` (1-based) and returns its label.
    /// `restart` is the item's own `text:start-value`.
    pub fn next(&mut self, style: &ListStyle, level: usize, restart: Option<u32>) -> String {
        let level = level.clamp(1, MAX_LEVEL);
        let i = level - 1;
        let lvl = style.level(level);
        let start = match &lvl.label {
            Label::Number { start, .. } => *start,
            _ => 1,
        };
        self.values[i] = match restart {
            Some(v) => v,
            None if self.started[i] => self.values[i].saturating_add(1),
            None => start,
        };
        self.started[i] = true;
        for deeper in level..MAX_LEVEL {
            self.started[deeper] = false;
        }
        // levels above that never counted show their start value
        for above in 0..i {
            if !self.started[above] {
                self.values[above] = match style.level(above + 1).label {
                    Label::Number { start, .. } => start,
                    _ => 1,
                };
            }
        }
        self.label(style, level)
    }

    fn label(&self, style: &ListStyle, level: usize) -> String {
        match style.level(level).label {
            Label::Bullet(b) => b,
            Label::Number {
                format,
                prefix,
                suffix,
                display_levels,
                ..
            } => {
                let first = level + 1 - display_levels.min(level);
                let mut parts = Vec::new();
                for l in first..level {
                    // each level shows its number in its own format
                    if let Label::Number { format, .. } = style.level(l).label {
                        parts.push(format_number(self.values[l - 1], &format));
                    }
                }
                parts.push(format_number(self.values[level - 1], &format));
                let number = parts.join(".");
                if number.is_empty() && prefix.is_empty() && suffix.is_empty() {
                    return String::new();
                }
                format!("{prefix}{number}{suffix}")
            }
        }
    }
}

/// A number in an ODF `style:num-format`: "1", "a", "A", "i", "I"; an
/// empty format shows no number.
pub fn format_number(n: u32, format: &str) -> String {
    match format {
        "" => String::new(),
        "a" => repeated_letters(n.into(), b'a'),
        "A" => repeated_letters(n.into(), b'A'),
        "i" => roman(n.into()).to_lowercase(),
        "I" => roman(n.into()),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::xml_tree::parse_odf as parse;

    #[test]
    fn number_formats() {
        assert_eq!(format_number(4, "1"), "4");
        assert_eq!(format_number(3, "a"), "c");
        assert_eq!(format_number(28, "A"), "BB");
        assert_eq!(format_number(14, "i"), "xiv");
        assert_eq!(format_number(1994, "I"), "MCMXCIV");
        assert_eq!(format_number(7, ""), "");
    }

    #[test]
    fn nested_counters_with_display_levels() {
        let xml = br#"<text:list-style xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0">
 <text:list-level-style-number text:level="1" style:num-format="I" style:num-suffix="."/>
 <text:list-level-style-number text:level="2" style:num-format="a" style:num-suffix=")" text:display-levels="2" text:start-value="3">
  <style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
   <style:list-level-label-alignment fo:margin-left="1in" fo:text-indent="-0.25in"/>
  </style:list-level-properties>
 </text:list-level-style-number>
 <text:list-level-style-bullet text:level="3" text:bullet-char="&#xF0B7;"/>
</text:list-style>"#;
        let style = ListStyle::read(&parse(xml, "t").unwrap());
        assert_eq!(style.level(2).indent_left, 72.0);
        assert_eq!(style.level(2).indent_first, -18.0);
        let mut c = Counters::default();
        assert_eq!(c.next(&style, 1, None), "I.");
        assert_eq!(c.next(&style, 2, None), "I.c)");
        assert_eq!(c.next(&style, 2, None), "I.d)");
        assert_eq!(c.next(&style, 3, None), "•");
        assert_eq!(c.next(&style, 1, None), "II.");
        assert_eq!(c.next(&style, 2, None), "II.c)");
        assert_eq!(c.next(&style, 1, Some(10)), "X.");
    }
}
