//! Setting blocks into lines at a given width: shaping (bidi, per-script
//! font fallback) and line breaking by cosmic-text, then our own line
//! heights, indents, list markers, underlines and missing-glyph counting.

use super::fonts::{resolve_family, Fonts, MissingGlyphs};
use super::frame::{GlyphRun, Item, PlacedGlyph};
use super::table::{set_table, SetTable};
use super::tabs::LeaderFill;
use crate::doc::{Align, Block, LineSpacing, Paragraph, RunStyle};
use cosmic_text::{
    Align as CtAlign, Attrs, AttrsList, BufferLine, Family, FontSystem, LayoutLine, LineEnding,
    Metrics, Shaping, Style, Weight, Wrap,
};

/// Where the baseline sits in a line of exact height: the ascent share of
/// a typical Latin font (Liberation: 0.905 / (0.905 + 0.212)).
const EXACT_BASELINE: f32 = 0.81;
/// Tab width in spaces while cosmic-text breaks lines (tabs.rs then moves
/// the text to the real stops).
const TAB_WIDTH: u16 = 8;
/// Leader characters on one line at most (a page is ~600 pt wide).
const MAX_LEADER_GLYPHS: usize = 1000;

/// One line of a set block: its height and what it draws, relative to the
/// line's top-left corner (x = 0 at the block's left edge).
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub height: f32,
    pub items: Vec<Item>,
}

/// A block set at its width, ready to paginate.
#[derive(Debug, Clone)]
pub(crate) enum SetBlock {
    Lines {
        lines: Vec<Line>,
        space_before: f32,
        space_after: f32,
        keep_with_next: bool,
        /// Rules and images: never split.
        atomic: bool,
        /// Moved whole to the next page when it fits on a page.
        keep_together: bool,
    },
    Table(SetTable),
    PageBreak,
}

/// Sets blocks into lines, holding the shaping context for a document.
pub(crate) struct Setter<'a> {
    fs: &'a mut FontSystem,
    fonts: &'a Fonts,
    missing: &'a mut MissingGlyphs,
}

impl<'a> Setter<'a> {
    pub fn new(fs: &'a mut FontSystem, fonts: &'a Fonts, missing: &'a mut MissingGlyphs) -> Self {
        Setter { fs, fonts, missing }
    }

    pub fn set_block(&mut self, block: &Block, width: f32) -> SetBlock {
        match block {
            Block::Paragraph(p) => self.set_paragraph_block(p, width, None, p.keep_with_next),
            Block::Heading { paragraph, .. } => {
                self.set_paragraph_block(paragraph, width, None, true)
            }
            Block::ListItem {
                marker,
                level,
                paragraph,
            } => {
                let mut p = paragraph.clone();
                if p.indent_left == 0.0 {
                    p.indent_left = 18.0 * (*level as f32 + 1.0);
                }
                self.set_paragraph_block(&p, width, Some(marker), p.keep_with_next)
            }
            Block::Rule {
                thickness,
                gray,
                space_before,
                space_after,
            } => SetBlock::Lines {
                lines: vec![Line {
                    height: thickness.max(0.1),
                    items: vec![Item::Rect {
                        x: 0.0,
                        y: 0.0,
                        w: width,
                        h: thickness.max(0.1),
                        gray: *gray,
                    }],
                }],
                space_before: *space_before,
                space_after: *space_after,
                keep_with_next: false,
                atomic: true,
                keep_together: true,
            },
            Block::Image(img) => {
                let scale = if img.width > width {
                    width / img.width
                } else {
                    1.0
                };
                let (w, h) = (img.width * scale, img.height * scale);
                SetBlock::Lines {
                    lines: vec![Line {
                        height: h,
                        items: vec![Item::Image {
                            x: 0.0,
                            y: 0.0,
                            w,
                            h,
                            pixels: img.pixels.clone(),
                        }],
                    }],
                    space_before: 0.0,
                    space_after: 0.0,
                    keep_with_next: false,
                    atomic: true,
                    keep_together: true,
                }
            }
            Block::Table(t) => SetBlock::Table(set_table(self, t, width)),
            Block::PageBreak | Block::Section(_) => SetBlock::PageBreak,
        }
    }

    fn set_paragraph_block(
        &mut self,
        p: &Paragraph,
        width: f32,
        marker: Option<&str>,
        keep_with_next: bool,
    ) -> SetBlock {
        SetBlock::Lines {
            lines: self.set_paragraph(p, width, marker),
            space_before: p.space_before,
            space_after: p.space_after,
            keep_with_next,
            atomic: false,
            keep_together: p.keep_together,
        }
    }

    /// The lines of a paragraph set in `width` points.
    pub fn set_paragraph(&mut self, p: &Paragraph, width: f32, marker: Option<&str>) -> Vec<Line> {
        let base_style = p.runs.first().map(|r| r.style.clone()).unwrap_or_default();
        let text: String = p.runs.iter().map(|r| r.text.as_str()).collect();
        let inner = (width - p.indent_left - p.indent_right).max(1.0);
        let first_width = (inner - p.indent_first).clamp(1.0, inner.max(1.0) * 4.0);

        let mut lines = Vec::new();
        if text.is_empty() {
            let height = line_height(
                &p.line_spacing,
                base_style.size * 0.905,
                base_style.size * 0.212,
            );
            lines.push(Line {
                height,
                items: Vec::new(),
            });
        } else {
            let mut buffer = self.buffer_line(p, &text);
            let mut rest = None;
            if p.indent_first != 0.0 {
                // The first line has its own width: find where it breaks,
                // then set the rest at the full width.
                let laid = self.layout(&mut buffer, &base_style, first_width, p.align);
                if laid.len() > 1 {
                    let end = laid[0].glyphs.iter().map(|g| g.end).max().unwrap_or(0);
                    // the spaces the line broke at belong to neither line
                    // (else the second line starts one space in)
                    let end = end
                        + text
                            .get(end..)
                            .map_or(0, |rest| rest.len() - rest.trim_start_matches(' ').len());
                    if end > 0 && end < text.len() {
                        rest = Some(buffer.split_off(end));
                    }
                }
            }
            let first_laid = self
                .layout(
                    &mut buffer,
                    &base_style,
                    if p.indent_first != 0.0 {
                        first_width
                    } else {
                        inner
                    },
                    p.align,
                )
                .to_vec();
            let first_text = buffer.text().to_string();
            self.collect_lines(
                p,
                &first_laid,
                &first_text,
                0,
                &mut lines,
                first_width,
                true,
            );
            if let Some(mut rest) = rest {
                let laid = self.layout(&mut rest, &base_style, inner, p.align).to_vec();
                let rest_text = rest.text().to_string();
                let offset = first_text.len();
                self.collect_lines(p, &laid, &rest_text, offset, &mut lines, inner, false);
            }
        }
        if let (Some(marker), Some(first)) = (marker, lines.first_mut()) {
            self.add_marker(marker, &base_style, p, first);
        }
        lines
    }

    fn buffer_line(&self, p: &Paragraph, text: &str) -> BufferLine {
        let base = p.runs.first().map(|r| r.style.clone()).unwrap_or_default();
        let mut attrs_list = AttrsList::new(&attrs_for(&base, 0));
        let mut start = 0;
        for (index, run) in p.runs.iter().enumerate() {
            let end = start + run.text.len();
            if end > start {
                attrs_list.add_span(start..end, &attrs_for(&run.style, index));
            }
            start = end;
        }
        BufferLine::new(text, LineEnding::None, attrs_list, Shaping::Advanced)
    }

    fn layout<'b>(
        &mut self,
        buffer: &'b mut BufferLine,
        base: &RunStyle,
        width: f32,
        align: Align,
    ) -> &'b [LayoutLine] {
        buffer.set_align(match align {
            Align::Start => None,
            Align::Center => Some(CtAlign::Center),
            Align::End => Some(CtAlign::End),
            Align::Justify => Some(CtAlign::Justified),
        });
        buffer.layout(
            self.fs,
            base.size,
            Some(width),
            Wrap::WordOrGlyph,
            None,
            TAB_WIDTH,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn collect_lines(
        &mut self,
        p: &Paragraph,
        laid: &[LayoutLine],
        text: &str,
        run_offset: usize,
        out: &mut Vec<Line>,
        width: f32,
        first_is_first: bool,
    ) {
        let _ = run_offset;
        // tabs move text to the paragraph's stops where the line is set from
        // the left (see tabs.rs)
        let tabs = matches!(p.align, Align::Start | Align::Justify) && text.contains('\t');
        let hanging = p.indent_first < 0.0;
        for (i, line) in laid.iter().enumerate() {
            let is_first = first_is_first && i == 0;
            let x0 = p.indent_left + if is_first { p.indent_first } else { 0.0 };
            let shift = if is_first { p.indent_first } else { 0.0 };
            let stops_apply = !p.tab_stops.is_empty() || (is_first && hanging);
            let tabbed = (tabs && stops_apply)
                .then(|| super::tabs::apply(line, text, &p.tab_stops, shift, width))
                .flatten();
            let (line, leaders) = match &tabbed {
                Some((line, leaders)) => (line, leaders.as_slice()),
                None => (line, &[][..]),
            };
            let (ascent, descent) = if line.glyphs.is_empty() {
                let size = p.runs.first().map(|r| r.style.size).unwrap_or(11.0);
                (size * 0.905, size * 0.212)
            } else {
                (line.max_ascent, line.max_descent)
            };
            let height = line_height(&p.line_spacing, ascent, descent);
            let baseline = match p.line_spacing {
                // From the exact height alone (not the line's fonts), so a
                // fallback font's taller metrics do not shift the baseline.
                LineSpacing::Exact(h) => h * EXACT_BASELINE,
                _ => ascent,
            };
            let mut items = Vec::new();
            self.line_items(p, line, text, x0, baseline, &mut items);
            for fill in leaders {
                self.leader_items(p, fill, x0, baseline, &mut items);
            }
            out.push(Line { height, items });
        }
    }

    /// Groups a line's glyphs into runs of one font, size and ink, adds
    /// underline and strike rules, and counts glyphs no font has.
    fn line_items(
        &mut self,
        p: &Paragraph,
        line: &LayoutLine,
        text: &str,
        x0: f32,
        baseline: f32,
        items: &mut Vec<Item>,
    ) {
        let mut current: Option<GlyphRun> = None;
        // (run index, x start, x end) of underlined/struck stretches.
        let mut decorations: Vec<(usize, f32, f32)> = Vec::new();
        for g in &line.glyphs {
            let style = p
                .runs
                .get(g.metadata)
                .map(|r| &r.style)
                .or(p.runs.first().map(|r| &r.style));
            let gray = style.map(|s| s.gray).unwrap_or(0);
            if g.glyph_id == 0 {
                for c in text.get(g.start..g.end).unwrap_or("").chars() {
                    if !c.is_whitespace() && !c.is_control() {
                        self.missing.add(c);
                    }
                }
            }
            let placed = PlacedGlyph {
                id: g.glyph_id,
                x: x0 + g.x + g.font_size * g.x_offset,
                y: baseline + g.y - g.font_size * g.y_offset,
            };
            match &mut current {
                Some(run)
                    if run.font == g.font_id && run.size == g.font_size && run.gray == gray =>
                {
                    run.glyphs.push(placed)
                }
                _ => {
                    if let Some(run) = current.take() {
                        items.push(Item::Glyphs(run));
                    }
                    current = Some(GlyphRun {
                        font: g.font_id,
                        size: g.font_size,
                        gray,
                        glyphs: vec![placed],
                    });
                }
            }
            if style.is_some_and(|s| s.underline || s.strike) {
                let (a, b) = (x0 + g.x, x0 + g.x + g.w);
                match decorations.last_mut() {
                    Some(d) if d.0 == g.metadata && (d.2 - a).abs() < 0.5 => d.2 = b,
                    Some(d) if d.0 == g.metadata && (d.1 - b).abs() < 0.5 => d.1 = a,
                    _ => decorations.push((g.metadata, a, b)),
                }
            }
        }
        if let Some(run) = current {
            items.push(Item::Glyphs(run));
        }
        for (run, a, b) in decorations {
            let Some(style) = p.runs.get(run).map(|r| &r.style) else {
                continue;
            };
            let thickness = (style.size * 0.06).max(0.5);
            if style.underline {
                items.push(Item::Rect {
                    x: a.min(b),
                    y: baseline + style.size * 0.12,
                    w: (b - a).abs(),
                    h: thickness,
                    gray: style.gray,
                });
            }
            if style.strike {
                items.push(Item::Rect {
                    x: a.min(b),
                    y: baseline - style.size * 0.28,
                    w: (b - a).abs(),
                    h: thickness,
                    gray: style.gray,
                });
            }
        }
        let _ = self.fonts;
    }

    /// Draws a tab leader: a rule for `_`, else the leader character
    /// repeated on a grid of its own width (so the dots of a table of
    /// contents line up from line to line).
    fn leader_items(
        &mut self,
        p: &Paragraph,
        fill: &LeaderFill,
        x0: f32,
        baseline: f32,
        items: &mut Vec<Item>,
    ) {
        let Some(style) = p.runs.get(fill.run).or(p.runs.first()).map(|r| &r.style) else {
            return;
        };
        if fill.leader == '_' {
            items.push(Item::Rect {
                x: x0 + fill.from,
                y: baseline + style.size * 0.12,
                w: fill.to - fill.from,
                h: (style.size * 0.06).max(0.5),
                gray: style.gray,
            });
            return;
        }
        let text = fill.leader.to_string();
        let lp = Paragraph::plain(text.as_str(), style.clone());
        let mut buffer = self.buffer_line(&lp, &text);
        let laid = self.layout(&mut buffer, style, 1000.0, Align::Start);
        let Some(g) = laid.first().and_then(|l| l.glyphs.first()) else {
            return;
        };
        // a little air around each character, as word processors leave
        let step = (g.w * 1.5).max(style.size * 0.25);
        let (font, size, id) = (g.font_id, g.font_size, g.glyph_id);
        // whole steps strictly inside the gap, on the grid from the indent
        let mut x = ((fill.from + x0) / step).ceil() * step - x0;
        let mut glyphs = Vec::new();
        while x + step <= fill.to - step * 0.25 && glyphs.len() < MAX_LEADER_GLYPHS {
            glyphs.push(PlacedGlyph {
                id,
                x: x0 + x,
                y: baseline,
            });
            x += step;
        }
        if !glyphs.is_empty() {
            items.push(Item::Glyphs(GlyphRun {
                font,
                size,
                gray: style.gray,
                glyphs,
            }));
        }
    }

    fn add_marker(&mut self, marker: &str, style: &RunStyle, p: &Paragraph, first: &mut Line) {
        let mp = Paragraph::plain(marker, style.clone());
        let mut buffer = self.buffer_line(&mp, marker);
        let laid = self
            .layout(&mut buffer, style, 1000.0, Align::Start)
            .to_vec();
        let Some(line) = laid.first() else { return };
        let baseline = first
            .items
            .iter()
            .find_map(|i| match i {
                Item::Glyphs(run) => run.glyphs.first().map(|g| g.y),
                _ => None,
            })
            .unwrap_or(line.max_ascent);
        let x = (p.indent_left + p.indent_first - line.w - style.size * 0.5).max(0.0);
        let mut items = Vec::new();
        self.line_items(&mp, line, marker, x, baseline, &mut items);
        first.items.extend(items);
    }
}

fn line_height(spacing: &LineSpacing, ascent: f32, descent: f32) -> f32 {
    let natural = ascent + descent;
    match *spacing {
        LineSpacing::Multiple(m) => natural * m.clamp(0.5, 5.0),
        LineSpacing::Exact(h) => h.max(1.0),
        LineSpacing::AtLeast(h) => natural.max(h),
    }
}

fn attrs_for(style: &RunStyle, run_index: usize) -> Attrs<'_> {
    let family = resolve_family(&style.family);
    let size = style.size.clamp(1.0, 500.0);
    Attrs::new()
        .family(Family::Name(family))
        .weight(if style.bold {
            Weight::BOLD
        } else {
            Weight::NORMAL
        })
        .style(if style.italic {
            Style::Italic
        } else {
            Style::Normal
        })
        .metrics(Metrics::new(size, size * 1.2))
        .metadata(run_index)
}

#[cfg(test)]
mod tests {
    use crate::doc::{Block, Document, PageSetup, Paragraph, RunStyle};
    use crate::layout::{layout, Fonts, Item};

    /// Glyphs per line of a one-paragraph page.
    fn glyphs_per_line(p: Paragraph) -> Vec<usize> {
        let mut doc = Document::new(PageSetup::letter());
        doc.blocks.push(Block::Paragraph(p));
        let laid = layout(&doc, &Fonts::committed(), 10).unwrap();
        let mut lines: Vec<(f32, usize)> = Vec::new();
        for item in &laid.frames[0].items {
            if let Item::Glyphs(run) = item {
                for g in &run.glyphs {
                    match lines.iter_mut().find(|(y, _)| (y - g.y).abs() < 0.01) {
                        Some((_, n)) => *n += 1,
                        None => lines.push((g.y, 1)),
                    }
                }
            }
        }
        lines.sort_by(|a, b| a.0.total_cmp(&b.0));
        lines.into_iter().map(|(_, n)| n).collect()
    }

    #[test]
    fn a_first_line_indent_does_not_push_a_space_onto_the_second_line() {
        // first lines of 468 and 428 pt: 48 and 44 m's (9.2 pt each) fit,
        // the next word does not
        for (indent_first, fit) in [(-20.0, 48), (20.0, 44)] {
            let p = Paragraph {
                indent_left: 20.0,
                indent_first,
                ..Paragraph::plain(format!("{} mmmmm", "m".repeat(fit)), RunStyle::sans(11.0))
            };
            // the second line holds "mmmmm" alone, no space before it (the
            // first keeps the space it broke at, which draws nothing)
            let lines = glyphs_per_line(p);
            assert_eq!(lines.len(), 2, "indent {indent_first}: {lines:?}");
            assert!(lines[0] >= fit, "indent {indent_first}: {lines:?}");
            assert_eq!(lines[1], 5, "indent {indent_first}: {lines:?}");
        }
    }
}
