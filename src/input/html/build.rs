//! From the styled DOM to flow blocks: block boxes become paragraphs with
//! indents and collapsed margins, inline content becomes runs, list items
//! get their markers, boxes with a border or a background become one-cell
//! tables, `<img>` becomes an image block, `<hr>` a rule, `<br>` a line
//! break (a new paragraph with no spacing).
//!
//! The walk recurses once per element level, capped at [`MAX_DEPTH`];
//! deeper content is flattened into its parent's text (with a warning).

use super::cascade::Cascade;
use super::resources::{self, Fetched};
use super::style::{Display, Len, LineHeight, Style, WhiteSpace};
use crate::doc::counters::{alphabetic, roman};
use crate::doc::{
    Align, Block, BorderRoom, Borders, Image, LineSpacing, Padding, Paragraph, Run, RunStyle,
    Table, TableCell, TableRow,
};
use crate::input::source::Resources;
use crate::limits::Limits;
use ego_tree::NodeRef;
use scraper::{ElementRef, Node};
use std::sync::Arc;

/// Element nesting deeper than this is flattened to text.
pub const MAX_DEPTH: usize = 256;
/// At most this many elements are styled; the rest are flattened.
const MAX_ELEMENTS: usize = 200_000;
/// At most this many images are decoded.
const MAX_IMAGES: usize = 200;

/// Soft problems met while building, reported as warnings.
#[derive(Debug, Default)]
pub struct Report {
    /// References not followed (network, file:, other schemes).
    pub remote: Vec<String>,
    /// Relative paths leaving the document's folder.
    pub outside: Vec<String>,
    /// References that were not found.
    pub missing: Vec<String>,
    pub bad_images: usize,
    pub flattened: bool,
    pub capped_cells: bool,
    pub capped_elements: bool,
}

/// The layout context of a box's content.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    pub indent_left: f32,
    pub indent_right: f32,
    /// The containing block's content width, in points.
    pub width: f32,
    pub list_level: u8,
    pub depth: usize,
    /// Tables this content is nested in (the typesetter draws 8 levels).
    pub tables: usize,
}

/// How the inline content of the current block is formatted.
#[derive(Debug, Clone)]
struct ParaFormat {
    align: Align,
    indent_left: f32,
    indent_right: f32,
    line_spacing: LineSpacing,
    heading: Option<u8>,
}

/// A container being filled: its blocks so far and the open paragraph.
pub struct Flow {
    pub blocks: Vec<Block>,
    runs: Vec<Run>,
    format: ParaFormat,
    /// Collapsed vertical margin waiting for the next block.
    pending_space: f32,
    /// A list marker waiting for the item's first paragraph.
    marker: Option<(String, u8)>,
    /// The text so far ends with a (collapsible) space.
    ends_with_space: bool,
}

impl Flow {
    pub fn new(ctx: &Ctx, style: &Style) -> Self {
        Flow {
            blocks: Vec::new(),
            runs: Vec::new(),
            format: ParaFormat {
                align: style.align,
                indent_left: ctx.indent_left,
                indent_right: ctx.indent_right,
                line_spacing: line_spacing(style),
                heading: None,
            },
            pending_space: 0.0,
            marker: None,
            ends_with_space: true,
        }
    }

    /// Closes the open paragraph at the end of a container.
    pub fn flush_end(&mut self) {
        self.flush(false);
    }

    /// Adds space (padding: it does not collapse) before the next block.
    pub fn add_space(&mut self, space: f32) {
        self.pending_space += space.max(0.0);
    }

    /// Space at the end of a container (after its last block).
    pub fn end_space(&mut self, space: f32) {
        let space = space.max(0.0) + self.pending_space;
        if space >= 0.5 && !self.blocks.is_empty() {
            self.pending_space = 0.0;
            self.blocks.push(spacer(space));
        }
    }

    /// Adds vertical space before the next block (margins collapse: the
    /// larger wins).
    fn collapse_margin(&mut self, space: f32) {
        self.pending_space = self.pending_space.max(space);
    }

    /// Closes the open paragraph. `force` keeps an empty one (a `<br>`
    /// on an empty line).
    fn flush(&mut self, force: bool) {
        while let Some(last) = self.runs.last_mut() {
            let trimmed = last.text.trim_end_matches(' ').len();
            last.text.truncate(trimmed);
            if last.text.is_empty() {
                self.runs.pop();
            } else {
                break;
            }
        }
        if self.runs.is_empty() && !force && self.marker.is_none() {
            self.ends_with_space = true;
            return;
        }
        let f = &self.format;
        let paragraph = Paragraph {
            runs: std::mem::take(&mut self.runs),
            align: f.align,
            indent_left: f.indent_left.max(0.0),
            indent_right: f.indent_right.max(0.0),
            space_before: self.pending_space,
            line_spacing: f.line_spacing,
            keep_with_next: f.heading.is_some(),
            ..Paragraph::default()
        };
        self.pending_space = 0.0;
        self.ends_with_space = true;
        let block = match (self.marker.take(), f.heading) {
            (Some((marker, level)), _) => Block::ListItem {
                marker,
                level,
                paragraph,
            },
            (None, Some(level)) => Block::Heading { level, paragraph },
            (None, None) => Block::Paragraph(paragraph),
        };
        self.blocks.push(block);
    }

    /// Adds a block (a table, image or rule) after closing the paragraph.
    fn push_block(&mut self, block: Block) {
        self.flush(false);
        let block = match block {
            Block::Rule {
                thickness,
                gray,
                space_before,
                space_after,
            } => Block::Rule {
                thickness,
                gray,
                space_before: space_before.max(self.pending_space),
                space_after,
            },
            other => {
                if self.pending_space > 0.0 {
                    self.blocks.push(spacer(self.pending_space));
                }
                other
            }
        };
        self.pending_space = 0.0;
        self.blocks.push(block);
    }

    /// Appends text in a style, collapsing white space as the style says.
    fn text(&mut self, text: &str, style: &Style) {
        let run_style = run_style(style);
        match style.white_space {
            WhiteSpace::Pre => {
                for (i, line) in text.split('\n').enumerate() {
                    if i > 0 {
                        self.flush(true);
                    }
                    let line = expand_tabs(line.trim_end_matches('\r'));
                    self.append(style.transform.apply(&line), &run_style);
                }
                self.ends_with_space = false;
            }
            WhiteSpace::PreLine => {
                for (i, line) in text.split('\n').enumerate() {
                    if i > 0 {
                        self.flush(true);
                    }
                    self.collapsed(line, style, &run_style);
                }
            }
            WhiteSpace::Normal | WhiteSpace::Nowrap => self.collapsed(text, style, &run_style),
        }
    }

    fn collapsed(&mut self, text: &str, style: &Style, run_style: &RunStyle) {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if c.is_whitespace() && c != '\u{a0}' {
                if !self.ends_with_space {
                    out.push(' ');
                    self.ends_with_space = true;
                }
            } else {
                out.push(c);
                self.ends_with_space = false;
            }
        }
        if !out.is_empty() {
            let out = style.transform.apply(&out);
            self.append(out, run_style);
        }
    }

    fn append(&mut self, text: String, style: &RunStyle) {
        if text.is_empty() {
            return;
        }
        match self.runs.last_mut() {
            Some(last) if last.style == *style => last.text.push_str(&text),
            _ => self.runs.push(Run::new(text, style.clone())),
        }
    }
}

/// An empty paragraph exactly `height` points tall.
fn spacer(height: f32) -> Block {
    Block::Paragraph(Paragraph {
        line_spacing: LineSpacing::Exact(height),
        runs: vec![Run::new("", RunStyle::serif(1.0))],
        ..Paragraph::default()
    })
}

fn expand_tabs(line: &str) -> String {
    let mut out = String::new();
    let mut col = 0;
    for c in line.chars() {
        if c == '\t' {
            let n = 8 - col % 8;
            out.extend(std::iter::repeat_n(' ', n));
            col += n;
        } else {
            out.push(c);
            col += 1;
        }
    }
    out
}

pub fn run_style(style: &Style) -> RunStyle {
    RunStyle {
        family: style.family.clone(),
        size: style.size,
        bold: style.bold,
        italic: style.italic,
        underline: style.underline,
        strike: style.strike,
        gray: style.gray,
    }
}

fn line_spacing(style: &Style) -> LineSpacing {
    match style.line_height {
        LineHeight::Normal => LineSpacing::Multiple(1.0),
        // CSS multiples are of the font size, the doc's of the natural
        // line height (about 1.15 em for our fonts): at least that much.
        LineHeight::Multiple(m) => LineSpacing::AtLeast(m * style.size),
        LineHeight::Points(p) => LineSpacing::AtLeast(p),
    }
}

/// Walks the styled DOM into blocks.
pub struct Builder<'a> {
    pub cascade: Cascade,
    pub resources: &'a Resources,
    pub limits: &'a Limits,
    pub report: Report,
    elements: usize,
    images: usize,
}

impl<'a> Builder<'a> {
    pub fn new(cascade: Cascade, resources: &'a Resources, limits: &'a Limits) -> Self {
        Builder {
            cascade,
            resources,
            limits,
            report: Report::default(),
            elements: 0,
            images: 0,
        }
    }

    /// The children of `node` into `flow`.
    pub fn children(&mut self, node: NodeRef<'_, Node>, parent: &Style, ctx: Ctx, flow: &mut Flow) {
        for child in node.children() {
            match child.value() {
                Node::Text(t) => flow.text(t, parent),
                Node::Element(_) => {
                    if let Some(el) = ElementRef::wrap(child) {
                        self.element(el, parent, ctx, flow);
                    }
                }
                _ => {}
            }
        }
    }

    /// Styles an element (counted against the element cap).
    pub fn style(&mut self, el: ElementRef<'_>, parent: &Style) -> Option<Style> {
        self.elements += 1;
        if self.elements > MAX_ELEMENTS {
            self.report.capped_elements = true;
            return None;
        }
        Some(self.cascade.style(el, parent))
    }

    fn element(&mut self, el: ElementRef<'_>, parent: &Style, ctx: Ctx, flow: &mut Flow) {
        if ctx.depth >= MAX_DEPTH {
            self.report.flattened = true;
            flatten(el, parent, flow);
            return;
        }
        let tag = el.value().name();
        if matches!(tag, "script" | "style" | "head" | "title" | "template") {
            return;
        }
        let Some(style) = self.style(el, parent) else {
            flatten(el, parent, flow);
            return;
        };
        if tag == "iframe" || tag == "object" || tag == "embed" {
            if let Some(src) = el.value().attr("src").or_else(|| el.value().attr("data")) {
                self.note_reference(src);
            }
        }
        if style.display == Display::None {
            return;
        }
        let inner = Ctx {
            depth: ctx.depth + 1,
            ..ctx
        };
        let is_centered = |s: &Style| {
            el.value()
                .attr("align")
                .is_some_and(|a| a.eq_ignore_ascii_case("center"))
                || (s.margin[1] == Len::Auto && s.margin[3] == Len::Auto)
        };
        match tag {
            "br" => return flow.flush(true),
            "img" => return self.image(el, &style, ctx, flow),
            "hr" => {
                let thickness = style.border.iter().copied().fold(0.0, f32::max).max(0.75);
                if style.border_gray >= 224 && style.border.iter().any(|w| *w > 0.0) {
                    return; // an invisible rule
                }
                flow.push_block(Block::Rule {
                    thickness: thickness.min(6.0),
                    gray: style.border_gray.min(160),
                    space_before: style.margin[0].resolve(ctx.width).max(0.0),
                    space_after: 0.0,
                });
                flow.collapse_margin(style.margin[2].resolve(ctx.width).max(0.0));
                return;
            }
            _ => {}
        }
        match style.display {
            Display::None => {}
            Display::Inline | Display::InlineBlock => self.children(*el, &style, inner, flow),
            Display::Table => {
                if style.break_before {
                    flow.push_block(Block::PageBreak);
                }
                flow.collapse_margin(style.margin[0].resolve(ctx.width).max(0.0));
                let table = super::table::build(self, el, &style, inner);
                if let Some(table) = table {
                    let table = if is_centered(&style) && ctx.tables < 4 {
                        super::table::centered(table, ctx.width)
                    } else {
                        table
                    };
                    flow.push_block(Block::Table(table));
                }
                flow.collapse_margin(style.margin[2].resolve(ctx.width).max(0.0));
                if style.break_after {
                    flow.push_block(Block::PageBreak);
                }
            }
            _ => self.block(el, &style, inner, flow),
        }
    }

    /// A block box.
    fn block(&mut self, el: ElementRef<'_>, style: &Style, ctx: Ctx, flow: &mut Flow) {
        let tag = el.value().name();
        flow.flush(false);
        if style.break_before {
            flow.push_block(Block::PageBreak);
        }
        let m = style.margin.map(|l| l.resolve(ctx.width));
        let (pad, border) = (style.padding, style.drawn_border());
        // The box's width: `width`/`max-width` narrow it; auto side margins
        // centre it.
        let avail = (ctx.width - m[1] - m[3]).max(1.0);
        let mut content = avail - pad[1] - pad[3] - border[1] - border[3];
        if let Len::Pt(_) | Len::Percent(_) = style.width {
            content = content.min(style.width.resolve(ctx.width));
        }
        if let Len::Pt(_) | Len::Percent(_) = style.max_width {
            content = content.min(style.max_width.resolve(ctx.width));
        }
        content = content.max(12.0);
        let extra = (avail - pad[1] - pad[3] - border[1] - border[3] - content).max(0.0);
        let (extra_left, extra_right) = match (style.margin[3], style.margin[1]) {
            (Len::Auto, Len::Auto) => (extra / 2.0, extra / 2.0),
            (Len::Auto, _) => (extra, 0.0),
            _ => (0.0, extra),
        };
        let boxed = border.iter().any(|b| *b > 0.0) || style.drawn_background() < 255;
        let level = if tag == "ul" || tag == "ol" || tag == "menu" || tag == "dir" {
            ctx.list_level.saturating_add(1)
        } else {
            ctx.list_level
        };
        if boxed {
            // A box with a border or background: a one-cell table.
            let inner_ctx = Ctx {
                indent_left: 0.0,
                indent_right: 0.0,
                width: content,
                list_level: level,
                depth: ctx.depth,
                tables: ctx.tables,
            };
            let mut inner = Flow::new(&inner_ctx, style);
            self.list_marker(el, style, &mut inner, level);
            inner.format.heading = heading_level(tag);
            self.children(*el, style, inner_ctx, &mut inner);
            inner.flush(false);
            let mut blocks = inner.blocks;
            if blocks.is_empty() {
                blocks.push(Block::Paragraph(Paragraph::plain("", run_style(style))));
            }
            flow.collapse_margin(m[0].max(0.0));
            let w = content + pad[1] + pad[3] + border[1] + border[3];
            flow.push_block(Block::Table(Table {
                columns: vec![w],
                rows: vec![TableRow {
                    cells: vec![TableCell {
                        blocks,
                        colspan: 1,
                        rowspan: 1,
                        borders: Borders {
                            top: border[0],
                            right: border[1],
                            bottom: border[2],
                            left: border[3],
                        },
                        shade: style.drawn_background(),
                        padding: None,
                    }],
                    cant_split: style.avoid_break_inside,
                    min_height: 0.0,
                }],
                header_rows: 0,
                cell_padding: Padding::uniform((pad.iter().sum::<f32>() / 4.0).min(content / 4.0)),
                border_room: BorderRoom::Overlay,
            }));
            flow.collapse_margin(m[2].max(0.0));
        } else {
            let inner_ctx = Ctx {
                indent_left: ctx.indent_left + m[3].max(0.0) + pad[3] + border[3] + extra_left,
                indent_right: ctx.indent_right + m[1].max(0.0) + pad[1] + border[1] + extra_right,
                width: content,
                list_level: level,
                depth: ctx.depth,
                tables: ctx.tables,
            };
            flow.collapse_margin(m[0].max(0.0));
            if pad[0] + border[0] > 0.0 {
                flow.pending_space += pad[0] + border[0];
            }
            let saved = flow.format.clone();
            flow.format = ParaFormat {
                align: style.align,
                indent_left: inner_ctx.indent_left,
                indent_right: inner_ctx.indent_right,
                line_spacing: line_spacing(style),
                heading: heading_level(tag),
            };
            self.list_marker(el, style, flow, level);
            self.children(*el, style, inner_ctx, flow);
            flow.flush(false);
            flow.format = saved;
            if pad[2] + border[2] > 0.0 {
                flow.pending_space += pad[2] + border[2];
            }
            flow.collapse_margin(m[2].max(0.0));
        }
        if style.break_after {
            flow.push_block(Block::PageBreak);
        }
    }

    /// Sets the marker of a list item (its number counts the preceding
    /// `<li>` siblings, from the list's `start`).
    fn list_marker(&mut self, el: ElementRef<'_>, style: &Style, flow: &mut Flow, level: u8) {
        if style.display != Display::ListItem {
            return;
        }
        let mut number: i64 = 1;
        let mut reversed = false;
        let mut count = 0i64;
        if let Some(list) = el.parent().and_then(ElementRef::wrap) {
            let v = list.value();
            reversed = v.attr("reversed").is_some();
            count = list
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|c| c.value().name() == "li")
                .count() as i64;
            number = v
                .attr("start")
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(if reversed { count } else { 1 });
        }
        let before = el
            .prev_siblings()
            .filter_map(ElementRef::wrap)
            .filter(|c| c.value().name() == "li")
            .count() as i64;
        let mut n = if reversed {
            number - before
        } else {
            number + before
        };
        if let Some(v) = el.value().attr("value").and_then(|s| s.trim().parse().ok()) {
            n = v;
        }
        let _ = count;
        let marker = marker_text(&style.list_style, n);
        if !marker.is_empty() {
            flow.marker = Some((marker, level.saturating_sub(1)));
        }
    }

    /// An `<img>`: decoded from a data URI, a job file or the document's
    /// folder; sized by its attributes or CSS (else 96 px per inch).
    fn image(&mut self, el: ElementRef<'_>, style: &Style, ctx: Ctx, flow: &mut Flow) {
        let src = el.value().attr("src").unwrap_or("");
        let alt = el.value().attr("alt").unwrap_or("");
        let bytes = match self.fetch(src) {
            Some(bytes) => bytes,
            None => {
                if !alt.trim().is_empty() {
                    flow.text(&format!("[{}]", alt.trim()), style);
                }
                return;
            }
        };
        self.images += 1;
        if self.images > MAX_IMAGES {
            return;
        }
        let decoded = decode_picture(&bytes, self.limits);
        let Some((pixels, natural_w, natural_h)) = decoded else {
            self.report.bad_images += 1;
            if !alt.trim().is_empty() {
                flow.text(&format!("[{}]", alt.trim()), style);
            }
            return;
        };
        let attr_len = |name: &str| {
            el.value()
                .attr(name)
                .and_then(|v| super::style::length(v, style.size))
                .map(|l| l.resolve(ctx.width))
                .filter(|v| *v > 0.0)
        };
        let css = |l: Len| match l {
            Len::Auto => None,
            other => Some(other.resolve(ctx.width)).filter(|v| *v > 0.0),
        };
        let mut w = css(style.width).or_else(|| attr_len("width"));
        let h = css(style.height).or_else(|| attr_len("height"));
        if let Some(max) = css(style.max_width) {
            w = Some(w.unwrap_or(natural_w).min(max));
        }
        let (w, h) = match (w, h) {
            (Some(w), Some(h)) if style.max_width == Len::Auto => (w, h),
            (Some(w), _) => (w, w * natural_h / natural_w.max(0.01)),
            (None, Some(h)) => (h * natural_w / natural_h.max(0.01), h),
            (None, None) => (natural_w, natural_h),
        };
        flow.push_block(Block::Image(Image {
            pixels: Arc::new(pixels),
            width: w.clamp(1.0, 5000.0),
            height: h.clamp(1.0, 5000.0),
        }));
    }

    /// Fetches a reference for an image or stylesheet, noting what was
    /// refused.
    pub fn fetch(&mut self, reference: &str) -> Option<Arc<[u8]>> {
        match resources::fetch(reference, self.resources) {
            Fetched::Bytes(b) => Some(b),
            other => {
                self.note(reference, other);
                None
            }
        }
    }

    /// Notes a reference that is never followed (iframes, objects).
    pub fn note_reference(&mut self, reference: &str) {
        match resources::fetch(reference, self.resources) {
            Fetched::Bytes(_) => {}
            other => self.note(reference, other),
        }
    }

    fn note(&mut self, reference: &str, what: Fetched) {
        let shown: String = reference.chars().take(80).collect();
        let list = match what {
            Fetched::Remote => &mut self.report.remote,
            Fetched::Outside => &mut self.report.outside,
            _ => &mut self.report.missing,
        };
        if list.len() < 1000 {
            list.push(shown);
        }
    }
}

fn heading_level(tag: &str) -> Option<u8> {
    match tag {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Decodes a raster image or an SVG into gray pixels, with its natural
/// size in points (96 pixels per inch).
fn decode_picture(bytes: &[u8], limits: &Limits) -> Option<(crate::bitmap::GrayImage, f32, f32)> {
    if let Ok(img) = crate::input::image::decode_image(bytes, limits) {
        let (w, h) = (img.width as f32 * 0.75, img.height as f32 * 0.75);
        return Some((img, w, h));
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    if head.contains("<svg") {
        return super::svg_image(bytes);
    }
    None
}

/// Text of a subtree too deep (or beyond the element cap) to style: added
/// in the parent's style, without recursion.
fn flatten(el: ElementRef<'_>, parent: &Style, flow: &mut Flow) {
    for node in el.descendants() {
        if let Node::Text(t) = node.value() {
            flow.text(t, parent);
        }
    }
}

/// A list marker for item number `n` in a `list-style-type`.
pub fn marker_text(kind: &str, n: i64) -> String {
    match kind {
        "none" => String::new(),
        "disc" => "•".into(),
        "circle" => "◦".into(),
        "square" => "▪".into(),
        "decimal" => format!("{n}."),
        "decimal-leading-zero" => format!("{n:02}."),
        "lower-alpha" | "lower-latin" => format!("{}.", alphabetic(n).to_lowercase()),
        "upper-alpha" | "upper-latin" => format!("{}.", alphabetic(n)),
        "lower-roman" => format!("{}.", roman(n).to_lowercase()),
        "upper-roman" => format!("{}.", roman(n)),
        "lower-greek" if (1..=24).contains(&n) => {
            format!(
                "{}.",
                char::from_u32(0x3b1 + n as u32 - 1 + u32::from(n > 17)).unwrap_or('?')
            )
        }
        _ => "•".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The context of the document's top level, `width` points wide.
    fn top_level(width: f32) -> Ctx {
        Ctx {
            indent_left: 0.0,
            indent_right: 0.0,
            width,
            list_level: 0,
            depth: 0,
            tables: 0,
        }
    }

    #[test]
    fn markers() {
        assert_eq!(marker_text("decimal", 3), "3.");
        assert_eq!(marker_text("lower-alpha", 28), "ab.");
        assert_eq!(marker_text("upper-roman", 1994), "MCMXCIV.");
        assert_eq!(marker_text("disc", 1), "•");
        assert_eq!(marker_text("none", 1), "");
    }

    #[test]
    fn white_space_collapses_across_runs() {
        let ctx = top_level(400.0);
        let style = Style::root();
        let mut flow = Flow::new(&ctx, &style);
        flow.text("  Hello \n  ", &style);
        let mut bold = style.clone();
        bold.bold = true;
        flow.text(" world  ", &bold);
        flow.flush(false);
        let Block::Paragraph(p) = &flow.blocks[0] else {
            panic!()
        };
        assert_eq!(p.text(), "Hello world");
        assert_eq!(p.runs.len(), 2);
    }

    #[test]
    fn pre_keeps_lines() {
        let ctx = top_level(400.0);
        let mut style = Style::root();
        style.white_space = WhiteSpace::Pre;
        let mut flow = Flow::new(&ctx, &style);
        flow.text("a\tb\n\n  c", &style);
        flow.flush(false);
        let texts: Vec<String> = flow
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => p.text(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(texts, ["a       b", "", "  c"]);
    }
}
