//! Tab stops: moves the text after each tab of a set line to the paragraph's
//! next tab stop (left, centre, right or decimal aligned) and says where
//! leaders (dots, dashes, rules) fill the gap.
//!
//! cosmic-text expands a tab to a fixed width while it breaks lines; this
//! pass runs on each broken line afterwards. Lines with tabs in real
//! documents are short (a table of contents, "Name:<tab>value", a right-
//! aligned date), so breaking them with the fixed width and then moving the
//! pieces gives the same lines Word and Writer set. Right-to-left lines and
//! centred or right-aligned paragraphs keep cosmic-text's fixed-width tabs.

use crate::doc::{TabAlign, TabStop};
use cosmic_text::LayoutLine;

/// Where tabs go when no stop of the paragraph is further right: every
/// 36 pt from the left indent (Word's and Writer's default grid).
pub(crate) const DEFAULT_GRID: f32 = 36.0;

/// A leader to draw between `from` and `to` (line coordinates), in the
/// style of run `run` of the paragraph.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LeaderFill {
    pub run: usize,
    pub leader: char,
    pub from: f32,
    pub to: f32,
}

/// Repositions the glyphs of `line` after each tab. `text` is the text the
/// glyph offsets point into; `stops` are the paragraph's stops measured from
/// the left indent, `shift` is where the line starts relative to that indent
/// (the first-line indent on a paragraph's first line, else 0), and
/// `width` is the line's width. Tab glyphs themselves are removed. Returns
/// `None` when the line has no tab or is right-to-left (left as it is).
/// Paragraphs without stops (plain text files: 8-column tabs) do not come
/// here, except for the first line of a hanging indent.
pub(crate) fn apply(
    line: &LayoutLine,
    text: &str,
    stops: &[TabStop],
    shift: f32,
    width: f32,
) -> Option<(LayoutLine, Vec<LeaderFill>)> {
    let is_tab = |g: &cosmic_text::LayoutGlyph| text.get(g.start..g.end) == Some("\t");
    if !line.glyphs.iter().any(is_tab) || line.glyphs.iter().any(|g| g.level.is_rtl()) {
        return None;
    }
    let mut out = line.clone();
    out.glyphs.clear();
    let mut leaders = Vec::new();
    // the pieces between tabs, in order; piece 0 stays where it is
    let mut pieces: Vec<Vec<cosmic_text::LayoutGlyph>> = vec![Vec::new()];
    let mut tab_runs = Vec::new();
    for g in &line.glyphs {
        if is_tab(g) {
            pieces.push(Vec::new());
            tab_runs.push((g.metadata, g.x));
        } else {
            pieces
                .last_mut()
                .expect("one piece at least")
                .push(g.clone());
        }
    }
    let mut pieces = pieces.into_iter();
    let first = pieces.next().unwrap_or_default();
    // the pen: where the text so far ends (a tab at the very start of the
    // line starts from the line's start)
    let mut pen = first.iter().map(|g| g.x + g.w).fold(0.0f32, f32::max);
    out.glyphs.extend(first);
    for (piece, (run, tab_x)) in pieces.zip(tab_runs) {
        pen = pen.max(tab_x);
        let stop = next_stop(stops, pen, shift);
        let start = piece.first().map_or(pen, |g| g.x);
        let end = piece.iter().map(|g| g.x + g.w).fold(start, f32::max);
        let natural = end - start;
        let anchor = match stop.align {
            TabAlign::Left => 0.0,
            TabAlign::Center => natural / 2.0,
            TabAlign::Right => natural,
            TabAlign::Decimal => piece
                .iter()
                .find(|g| text.get(g.start..g.end) == Some("."))
                .map_or(natural, |g| g.x - start),
        };
        // never back over the text before the tab. A stop past the line's
        // end pulls the piece back onto the line; a piece that only runs a
        // little long because the line was broken with narrower tabs is
        // left where its stop puts it
        let mut new_start = (stop.position - anchor).max(pen);
        if stop.position > width && new_start + natural > width {
            new_start = (width - natural).max(pen);
        }
        if let Some(leader) = stop.leader {
            if new_start - pen > 1.0 {
                leaders.push(LeaderFill {
                    run,
                    leader,
                    from: pen,
                    to: new_start,
                });
            }
        }
        let dx = new_start - start;
        out.glyphs.extend(piece.into_iter().map(|mut g| {
            g.x += dx;
            g
        }));
        pen = new_start + natural;
    }
    out.w = out.glyphs.iter().map(|g| g.x + g.w).fold(0.0, f32::max);
    Some((out, leaders))
}

/// The first stop right of `pen` (line coordinates; the stops are measured
/// from the indent, the line starts `shift` right of it), else the next
/// point of the default grid. A hanging first line (negative `shift`) also
/// stops at the indent itself, as in Word and Writer ("1.<tab>Text").
fn next_stop(stops: &[TabStop], pen: f32, shift: f32) -> TabStop {
    const EPSILON: f32 = 0.01;
    let hanging = (shift < 0.0).then(|| TabStop::left(0.0));
    stops
        .iter()
        .chain(hanging.as_ref())
        .map(|s| TabStop {
            position: s.position - shift,
            ..*s
        })
        .filter(|s| s.position > pen + EPSILON)
        .min_by(|a, b| a.position.total_cmp(&b.position))
        .unwrap_or_else(|| {
            let from_indent = pen + shift;
            let grid = ((from_indent + EPSILON) / DEFAULT_GRID).floor() + 1.0;
            TabStop::left(grid * DEFAULT_GRID - shift)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Block, Document, PageSetup, Paragraph, RunStyle};
    use crate::layout::frame::Item;
    use crate::layout::{layout, Fonts};

    /// (y, x) of every glyph pen position of a one-page layout, by line.
    fn glyph_lines(p: Paragraph) -> Vec<Vec<f32>> {
        let mut doc = Document::new(PageSetup::letter());
        doc.blocks.push(Block::Paragraph(p));
        let laid = layout(&doc, &Fonts::committed(), 10).unwrap();
        let mut lines: Vec<(f32, Vec<f32>)> = Vec::new();
        for item in &laid.frames[0].items {
            if let Item::Glyphs(run) = item {
                for g in &run.glyphs {
                    match lines.iter_mut().find(|(y, _)| (y - g.y).abs() < 0.01) {
                        Some((_, xs)) => xs.push(g.x),
                        None => lines.push((g.y, vec![g.x])),
                    }
                }
            }
        }
        lines.sort_by(|a, b| a.0.total_cmp(&b.0));
        lines
            .into_iter()
            .map(|(_, mut xs)| {
                xs.sort_by(f32::total_cmp);
                xs
            })
            .collect()
    }

    fn para(text: &str, stops: Vec<TabStop>) -> Paragraph {
        Paragraph {
            tab_stops: stops,
            ..Paragraph::plain(text, RunStyle::sans(11.0))
        }
    }

    #[test]
    fn left_stop_starts_the_text_at_the_stop() {
        let lines = glyph_lines(para("Name:\tJohn", vec![TabStop::left(100.0)]));
        assert_eq!(lines.len(), 1);
        // "Name:" from the margin (72 pt), "John" from 72 + 100
        assert!((lines[0][0] - 72.0).abs() < 0.01, "{:?}", lines[0]);
        assert!(
            lines[0].iter().any(|&x| (x - 172.0).abs() < 0.01),
            "{:?}",
            lines[0]
        );
        assert!(
            lines[0]
                .iter()
                .all(|&x| !(110.0..172.0 - 0.01).contains(&x)),
            "{lines:?}"
        );
    }

    #[test]
    fn right_stop_with_dot_leader_ends_the_text_at_the_stop() {
        let stop = TabStop {
            position: 400.0,
            align: TabAlign::Right,
            leader: Some('.'),
        };
        let lines = glyph_lines(para("Introduction\t12", vec![stop]));
        assert_eq!(lines.len(), 1);
        let xs = &lines[0];
        // dots fill the gap: many glyphs between the title and the number
        let between = xs.iter().filter(|&&x| x > 140.0 && x < 450.0).count();
        assert!(between > 40, "{between} leader glyphs");
        // "12" ends at the stop: its last glyph starts one digit before it
        let last = *xs.last().unwrap();
        assert!(last < 472.0 && last > 472.0 - 11.0, "{last}");
    }

    #[test]
    fn a_hanging_first_line_tabs_to_the_indent() {
        let p = Paragraph {
            indent_left: 36.0,
            indent_first: -36.0,
            ..para(
                &format!("(a)\t{}", "words in a long paragraph ".repeat(8)),
                vec![],
            )
        };
        let lines = glyph_lines(p);
        assert!(lines.len() >= 2);
        assert!((lines[0][0] - 72.0).abs() < 0.01, "{:?}", lines[0]);
        // the text after the tab and the second line start at the indent
        let after_tab = lines[0].iter().copied().find(|&x| x > 90.0).unwrap();
        assert!((after_tab - 108.0).abs() < 0.01, "{after_tab} {lines:?}");
        assert!((lines[1][0] - 108.0).abs() < 0.01, "{:?}", lines[1]);
    }

    #[test]
    fn decimal_stop_lines_up_the_points() {
        let stop = TabStop {
            position: 300.0,
            align: TabAlign::Decimal,
            leader: None,
        };
        let short = glyph_lines(para("\t1.5", vec![stop]));
        let long = glyph_lines(para("\t1045.25", vec![stop]));
        // the point is the second glyph of "1.5" and the fifth of "1045.25"
        assert!(
            (short[0][1] - long[0][4]).abs() < 0.01,
            "{short:?} {long:?}"
        );
        assert!((short[0][1] - 372.0).abs() < 0.01, "{short:?}");
    }

    fn stop(position: f32, align: TabAlign, leader: Option<char>) -> TabStop {
        TabStop {
            position,
            align,
            leader,
        }
    }

    #[test]
    fn next_stop_takes_the_first_stop_right_of_the_pen() {
        let stops = [
            stop(100.0, TabAlign::Left, None),
            stop(50.0, TabAlign::Right, Some('.')),
        ];
        assert_eq!(next_stop(&stops, 10.0, 0.0).position, 50.0);
        assert_eq!(next_stop(&stops, 50.0, 0.0).position, 100.0);
        // past the last stop: the 36 pt grid from the indent
        assert_eq!(next_stop(&stops, 100.0, 0.0).position, 108.0);
        assert_eq!(next_stop(&[], 0.0, 0.0).position, 36.0);
        // a first line indented 20 pt: stops and grid measured from the indent
        assert_eq!(next_stop(&stops, 10.0, 20.0).position, 30.0);
        assert_eq!(next_stop(&[], 0.0, 20.0).position, 16.0);
        // a hanging first line stops at the indent first
        assert_eq!(next_stop(&[], 5.0, -18.0).position, 18.0);
        assert_eq!(next_stop(&[], 18.0, -18.0).position, 54.0);
    }
}
