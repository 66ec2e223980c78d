//! numbering.xml: list definitions (abstractNum levels, num instances with
//! level overrides) and the counters that turn a list paragraph into its
//! marker ("1.", "a)", "2.1.3", "•").
//!
//! Counters are kept per abstract list, as Word does: two `numId`s that
//! share an abstractNum continue one sequence, unless a `num` overrides a
//! level's start (then it counts on its own, restarting at first use).

use super::styles::{ParaProps, RunProps, Theme};
use crate::doc::counters::{repeated_letters, roman};
use crate::input::xml_tree::Element;
use std::collections::BTreeMap;

/// One level of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    pub start: i64,
    pub format: String,
    pub text: String,
    pub para: ParaProps,
    pub run: RunProps,
}

impl Default for Level {
    fn default() -> Self {
        Level {
            start: 1,
            format: "decimal".into(),
            text: String::new(),
            para: ParaProps::default(),
            run: RunProps::default(),
        }
    }
}

impl Level {
    fn parse(e: &Element, theme: &Theme) -> Level {
        Level {
            start: e
                .child("start")
                .and_then(|s| s.val())
                .and_then(|v| v.parse().ok())
                .unwrap_or(1)
                .clamp(0, 1_000_000),
            format: e
                .child("numFmt")
                .and_then(|f| f.val())
                .unwrap_or("decimal")
                .to_string(),
            text: e
                .child("lvlText")
                .and_then(|t| t.val())
                .unwrap_or("")
                .to_string(),
            para: e.child("pPr").map(ParaProps::parse).unwrap_or_default(),
            run: e
                .child("rPr")
                .map(|r| RunProps::parse(r, theme))
                .unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Instance {
    abstract_id: String,
    /// Level overrides: a new start and/or a whole new level.
    start_overrides: BTreeMap<u8, i64>,
    level_overrides: BTreeMap<u8, Level>,
}

/// numbering.xml plus the running counters.
#[derive(Debug, Clone, Default)]
pub struct Numbering {
    abstracts: BTreeMap<String, Vec<Level>>,
    instances: BTreeMap<String, Instance>,
    /// Counter sets by key (abstract id, or "num:<id>" for overridden lists).
    counters: BTreeMap<String, [Option<i64>; 9]>,
}

impl Numbering {
    pub fn parse(root: &Element, theme: &Theme) -> Numbering {
        let mut n = Numbering::default();
        for a in root.children_named("abstractNum") {
            let Some(id) = a.attr("abstractNumId") else {
                continue;
            };
            let mut levels = vec![Level::default(); 9];
            for l in a.children_named("lvl") {
                if let Some(i) = l.attr("ilvl").and_then(|v| v.parse::<usize>().ok()) {
                    if i < 9 {
                        levels[i] = Level::parse(l, theme);
                    }
                }
            }
            n.abstracts.insert(id.to_string(), levels);
        }
        for num in root.children_named("num") {
            let Some(id) = num.attr("numId") else {
                continue;
            };
            let mut inst = Instance {
                abstract_id: num
                    .child("abstractNumId")
                    .and_then(|a| a.val())
                    .unwrap_or("")
                    .to_string(),
                ..Instance::default()
            };
            for o in num.children_named("lvlOverride") {
                let Some(i) = o.attr("ilvl").and_then(|v| v.parse::<u8>().ok()) else {
                    continue;
                };
                if i >= 9 {
                    continue;
                }
                if let Some(s) = o
                    .child("startOverride")
                    .and_then(|s| s.val())
                    .and_then(|v| v.parse().ok())
                {
                    inst.start_overrides.insert(i, s);
                }
                if let Some(l) = o.child("lvl") {
                    inst.level_overrides.insert(i, Level::parse(l, theme));
                }
            }
            n.instances.insert(id.to_string(), inst);
        }
        n
    }

    /// The definition of level `ilvl` of list `num_id` (None: no such list,
    /// or numId 0, which switches numbering off).
    pub fn level(&self, num_id: &str, ilvl: u8) -> Option<Level> {
        let inst = self.instances.get(num_id)?;
        if let Some(l) = inst.level_overrides.get(&ilvl) {
            return Some(l.clone());
        }
        let mut level = self
            .abstracts
            .get(&inst.abstract_id)?
            .get(ilvl as usize)?
            .clone();
        if let Some(s) = inst.start_overrides.get(&ilvl) {
            level.start = *s;
        }
        Some(level)
    }

    /// Counts a paragraph of list `num_id` at `ilvl` and returns its marker
    /// (None when the list does not exist).
    pub fn next_marker(&mut self, num_id: &str, ilvl: u8) -> Option<String> {
        let inst = self.instances.get(num_id)?;
        let key = if inst.start_overrides.is_empty() && inst.level_overrides.is_empty() {
            inst.abstract_id.clone()
        } else {
            format!("num:{num_id}")
        };
        let levels: Vec<Level> = (0..9)
            .map(|i| self.level(num_id, i).unwrap_or_default())
            .collect();
        let counters = self.counters.entry(key).or_insert([None; 9]);
        let i = ilvl as usize;
        counters[i] = Some(match counters[i] {
            Some(c) => c + 1,
            None => levels[i].start,
        });
        for deeper in counters.iter_mut().skip(i + 1) {
            *deeper = None;
        }
        let level = &levels[i];
        if level.format == "none" {
            return Some(String::new());
        }
        if level.format == "bullet" {
            return Some(bullet(&level.text));
        }
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%' {
                if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                    chars.next();
                    let n = (d as usize).clamp(1, 9) - 1;
                    let value = counters[n].unwrap_or(levels[n].start);
                    out.push_str(&format_number(value, &levels[n].format));
                    continue;
                }
            }
            out.push(c);
        }
        Some(out)
    }
}

/// A bullet character as the committed fonts can show it: Symbol and
/// Wingdings bullets live in the private use area.
fn bullet(text: &str) -> String {
    let c = text.chars().next().unwrap_or('•');
    match c as u32 {
        0xF0B7 | 0xF0B0 | 0xF09F => "•".into(),
        0xF0A7 | 0xF06E | 0xF0A8 => "▪".into(),
        0xF0D8 | 0xF0E8 => "➢".into(),
        0xF0FC => "✓".into(),
        0xF076 => "❖".into(),
        0xF06F | 0xF0A1 => "○".into(),
        0xF02D | 0xF0BE => "–".into(),
        0xE000..=0xF8FF => "•".into(),
        _ => c.to_string(),
    }
}

/// A counter value in a numFmt.
pub fn format_number(n: i64, format: &str) -> String {
    match format {
        "lowerLetter" => repeated_letters(n, b'a'),
        "upperLetter" => repeated_letters(n, b'A'),
        "lowerRoman" => roman(n).to_ascii_lowercase(),
        "upperRoman" => roman(n),
        "decimalZero" if (0..10).contains(&n) => format!("0{n}"),
        "ordinal" => format!("{n}."),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::xml_tree::parse_local as parse;

    const NUMBERING: &str = r#"<w:numbering xmlns:w="w">
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1.%2)"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%3"/></w:lvl>
      </w:abstractNum>
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="&#xF0B7;"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
    </w:numbering>"#;

    #[test]
    fn multi_level_markers_count_and_restart() {
        let mut n = Numbering::parse(&parse(NUMBERING).unwrap(), &Theme::default());
        assert_eq!(n.next_marker("1", 0).unwrap(), "1.");
        assert_eq!(n.next_marker("1", 1).unwrap(), "1.a)");
        assert_eq!(n.next_marker("1", 1).unwrap(), "1.b)");
        assert_eq!(n.next_marker("1", 2).unwrap(), "I");
        assert_eq!(n.next_marker("1", 0).unwrap(), "2.");
        assert_eq!(n.next_marker("1", 1).unwrap(), "2.a)");
        assert_eq!(n.next_marker("2", 0).unwrap(), "•");
        assert_eq!(n.next_marker("3", 0).unwrap(), "5.");
        assert_eq!(n.next_marker("9", 0), None);
    }

    #[test]
    fn number_formats() {
        assert_eq!(format_number(4, "lowerRoman"), "iv");
        assert_eq!(format_number(1999, "upperRoman"), "MCMXCIX");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
        assert_eq!(format_number(3, "upperLetter"), "C");
    }
}
