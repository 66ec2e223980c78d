//! The body of an ODF text document (`office:text`) and the content of
//! headers, footers, cells, notes and text boxes, turned into flow blocks:
//! paragraphs and headings with their resolved styles, lists with their
//! labels, page breaks and master-page changes as sections, notes
//! collected for the end of the document. Tables are in `tables`, frames
//! (pictures, text boxes, charts) in `frames`.

use super::lists::{Counters, ListStyle};
use super::pages::{MasterPage, MasterPages};
use super::styles::{Scope, Style, StyleSheet, TextProps};
use super::Warnings;
use crate::doc::case::TextCase;
use crate::doc::{Block, Field, Furniture, LineSpacing, Paragraph, Run, RunStyle, Section};
use crate::input::package::Package;
use crate::input::source::OpenContext;
use crate::input::xml_tree::{Element, Node};
use std::collections::BTreeMap;

/// Deepest nesting of blocks in blocks (lists in cells in tables in text
/// boxes...) we follow; deeper content is dropped with a warning.
pub const MAX_NESTING: usize = 48;
/// Most spaces one `text:s` gives.
const MAX_SPACES: usize = 1000;
/// The face Writer uses when no style names one.
const DEFAULT_FAMILY: &str = "Liberation Serif";
/// A footnote mark and a super/subscript are set this much smaller.
const SCRIPT_SCALE: f32 = 0.58;

/// Converts ODF elements to blocks; one per document.
pub struct BodyReader<'a> {
    pub sheet: &'a StyleSheet,
    pub masters: &'a MasterPages,
    /// The zip package (pictures); `None` for a flat document.
    pub package: Option<&'a Package>,
    pub ctx: &'a OpenContext,
    pub scope: Scope,
    pub warnings: Warnings,
    /// Note bodies, typeset after the body.
    pub notes: Vec<Block>,
    /// The master page in force in the flow.
    pub current_master: Option<String>,
    /// The master page the document starts with (set by its first block).
    pub first_master: Option<String>,
    /// Counters of lists, by `xml:id` (for `text:continue-list`) and of
    /// the last list of each style (for `text:continue-numbering`).
    lists_by_id: BTreeMap<String, Counters>,
    last_list_of_style: BTreeMap<String, Counters>,
}

/// Where blocks are being read: the main flow (page breaks and master
/// pages apply) or a nested container (cell, note, header, text box).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Flow,
    Nested,
}

/// A paragraph's inline content: runs, split where a frame (picture, text
/// box) sits between them.
enum Piece {
    Runs(Vec<Run>),
    Blocks(Vec<Block>),
}

/// State while reading one paragraph's inline content.
struct Inline {
    pieces: Vec<Piece>,
    runs: Vec<Run>,
    /// The last character emitted was collapsible white space (or the
    /// paragraph has not started): following white space is dropped.
    after_space: bool,
}

impl Inline {
    fn new() -> Self {
        Inline {
            pieces: Vec::new(),
            runs: Vec::new(),
            after_space: true,
        }
    }

    fn push(&mut self, text: &str, style: &RunStyle) {
        if text.is_empty() {
            return;
        }
        match self.runs.last_mut() {
            Some(last) if last.field.is_none() && last.style == *style => last.text.push_str(text),
            _ => self.runs.push(Run::new(text, style.clone())),
        }
    }

    fn flush(&mut self) {
        if !self.runs.is_empty() {
            self.pieces
                .push(Piece::Runs(std::mem::take(&mut self.runs)));
        }
    }
}

impl<'a> BodyReader<'a> {
    pub fn new(
        sheet: &'a StyleSheet,
        masters: &'a MasterPages,
        package: Option<&'a Package>,
        ctx: &'a OpenContext,
    ) -> Self {
        BodyReader {
            sheet,
            masters,
            package,
            ctx,
            scope: Scope::Content,
            warnings: Warnings::default(),
            notes: Vec::new(),
            current_master: None,
            first_master: None,
            lists_by_id: BTreeMap::new(),
            last_list_of_style: BTreeMap::new(),
        }
    }

    /// The block-level children of `parent`, appended to `out`.
    pub fn blocks(&mut self, parent: &Element, place: Place, depth: usize, out: &mut Vec<Block>) {
        if depth > MAX_NESTING {
            self.warnings
                .count("content nested too deeply was left out");
            return;
        }
        for e in parent.elements() {
            self.block(e, place, depth, out);
        }
    }

    /// One block-level element, appended to `out`.
    fn block(&mut self, e: &Element, place: Place, depth: usize, out: &mut Vec<Block>) {
        {
            match e.name.as_str() {
                "text:p" | "text:h" => self.paragraph(e, None, place, depth, out),
                "text:list" => self.list(e, 1, None, None, place, depth, out),
                "table:table" => {
                    let style = self
                        .sheet
                        .resolve(self.scope, "table", e.attr("table:style-name"));
                    if place == Place::Flow {
                        self.flow_breaks(&style, style.table_break_before == Some(true), out);
                    }
                    if let Some(t) = self.table(e, depth + 1) {
                        out.push(Block::Table(t));
                    }
                }
                "text:section" | "office:text" | "text:index-body" => {
                    self.blocks(e, place, depth + 1, out)
                }
                "text:table-of-content"
                | "text:alphabetical-index"
                | "text:illustration-index"
                | "text:table-index"
                | "text:object-index"
                | "text:user-index"
                | "text:bibliography" => {
                    if let Some(body) = e.child("text:index-body") {
                        self.blocks(body, place, depth + 1, out);
                    }
                }
                "draw:frame" | "draw:a" => {
                    let blocks = self.frame_or_link(e, depth + 1);
                    out.extend(blocks);
                }
                name if is_shape(name) => self.warnings.count("drawing shapes are not drawn"),
                // tracked changes (deleted text), forms, declarations,
                // soft page breaks (we paginate ourselves): nothing to show
                _ => {}
            }
        }
    }

    /// Page breaks and master-page changes a block's style asks for, in
    /// the main flow.
    fn flow_breaks(&mut self, style: &Style, break_before: bool, out: &mut Vec<Block>) {
        if let Some(master) = &style.master_page {
            if self.first_master.is_none() && out.is_empty() {
                self.first_master = Some(master.clone());
                self.current_master = Some(master.clone());
                return;
            }
            if self.current_master.as_deref() != Some(master) {
                self.current_master = Some(master.clone());
                let page = self.masters.get(master);
                let furniture = self.furniture(&page);
                out.push(Block::Section(Box::new(Section {
                    page: page.body_page(),
                    furniture,
                    restart_page_number: style.para.page_number,
                })));
                return;
            }
        }
        if self.first_master.is_none() {
            // the document starts on the default master page
            self.first_master = Some(String::new());
        }
        if break_before && !out.is_empty() {
            out.push(Block::PageBreak);
        }
    }

    /// Running headers and footers of a master page (their styles are
    /// styles.xml's automatic ones).
    pub fn furniture(&mut self, master: &MasterPage) -> Furniture {
        let saved = self.scope;
        self.scope = Scope::Styles;
        let part = |e: &Option<Element>, me: &mut Self| {
            e.as_ref().map(|e| {
                let mut blocks = Vec::new();
                me.blocks(e, Place::Nested, 1, &mut blocks);
                blocks
            })
        };
        let header = part(&master.header, self);
        let footer = part(&master.footer, self);
        let first_header = part(&master.header_first, self);
        let first_footer = part(&master.footer_first, self);
        let even_header = part(&master.header_left, self);
        let even_footer = part(&master.footer_left, self);
        self.scope = saved;
        Furniture {
            header: header.unwrap_or_default(),
            footer: footer.unwrap_or_default(),
            // a first-page header given alone keeps the others blank
            first_header,
            first_footer,
            even_header,
            even_footer,
            header_distance: master.layout.page.margin_top,
            footer_distance: master.layout.page.margin_bottom,
        }
    }

    /// A `text:p` or `text:h`, with a list label when it starts a list item.
    fn paragraph(
        &mut self,
        e: &Element,
        list: Option<(&str, u8, &ListIndent)>,
        place: Place,
        depth: usize,
        out: &mut Vec<Block>,
    ) {
        let style = self
            .sheet
            .resolve(self.scope, "paragraph", e.attr("text:style-name"));
        if place == Place::Flow {
            self.flow_breaks(&style, style.para.break_before == Some(true), out);
        }
        let mut inline = Inline::new();
        self.inline(e, &style.text, &mut inline, depth + 1);
        inline.flush();
        let mut format = self.paragraph_format(&style);
        if let Some((_, _, indent)) = list {
            // the list's indents replace the paragraph's (as in Writer);
            // the label hangs left of the text, which starts at the indent
            format.indent_left = indent.left;
            format.indent_first = indent.first.max(0.0);
        }
        let heading_level = (e.name == "text:h").then(|| {
            e.attr("text:outline-level")
                .and_then(|v| v.parse::<u8>().ok())
                .unwrap_or(1)
                .clamp(1, 10)
        });
        let empty_style = self.run_style(&style.text);
        let mut first = true;
        let pieces = if inline.pieces.is_empty() {
            vec![Piece::Runs(vec![Run::new("", empty_style)])]
        } else {
            inline.pieces
        };
        let count = pieces.len();
        for (i, piece) in pieces.into_iter().enumerate() {
            match piece {
                Piece::Blocks(blocks) => out.extend(blocks),
                Piece::Runs(runs) => {
                    let mut p = Paragraph {
                        runs: trim_runs(runs),
                        ..format.clone()
                    };
                    if i + 1 < count {
                        p.space_after = 0.0;
                    }
                    if !first {
                        p.space_before = 0.0;
                        p.indent_first = 0.0;
                    }
                    let block = match (first, list, heading_level) {
                        (true, Some((marker, level, _)), _) if !marker.is_empty() => {
                            Block::ListItem {
                                marker: marker.to_owned(),
                                level,
                                paragraph: p,
                            }
                        }
                        (_, _, Some(level)) => Block::Heading {
                            level,
                            paragraph: p,
                        },
                        _ => Block::Paragraph(p),
                    };
                    out.push(block);
                    first = false;
                }
            }
        }
        if place == Place::Flow && style.para.break_after == Some(true) {
            out.push(Block::PageBreak);
        }
    }

    fn paragraph_format(&self, style: &Style) -> Paragraph {
        let p = &style.para;
        Paragraph {
            runs: Vec::new(),
            align: p.align.unwrap_or_default(),
            indent_left: p.margin_left.unwrap_or(0.0).clamp(-500.0, 2000.0),
            indent_right: p.margin_right.unwrap_or(0.0).clamp(-500.0, 2000.0),
            indent_first: p.text_indent.unwrap_or(0.0).clamp(-2000.0, 2000.0),
            space_before: p.margin_top.unwrap_or(0.0).clamp(0.0, 1000.0),
            space_after: p.margin_bottom.unwrap_or(0.0).clamp(0.0, 1000.0),
            line_spacing: p.line.unwrap_or(LineSpacing::Multiple(1.0)),
            tab_stops: p.tab_stops.clone().unwrap_or_default(),
            keep_with_next: p.keep_with_next.unwrap_or(false),
            keep_together: p.keep_together.unwrap_or(false),
        }
    }

    /// The run style of resolved text properties.
    pub fn run_style(&self, t: &TextProps) -> RunStyle {
        let family = match &t.family {
            None => DEFAULT_FAMILY,
            Some(f) => {
                let named = self.sheet.family_of(f);
                match self.sheet.generic_of(f) {
                    // DejaVu Serif/Mono are far wider than our serif and
                    // mono: DejaVu Sans keeps the document's line breaks
                    // (and page count) closer
                    _ if named.starts_with("DejaVu") && !self.ctx.fonts.has_family(named) => {
                        "DejaVu Sans"
                    }
                    // a family we lack falls back to its generic kind
                    // (a serif stays a serif), not to the sans chain
                    Some(generic) if !self.ctx.fonts.has_family(named) => generic,
                    _ => named,
                }
            }
        };
        let mut size = t.size_pt();
        if t.script == Some(true) {
            size *= SCRIPT_SCALE;
        }
        if t.transform == Some(TextCase::SmallCaps) {
            size *= 0.8;
        }
        RunStyle {
            family: family.to_owned(),
            size,
            bold: t.bold.unwrap_or(false),
            italic: t.italic.unwrap_or(false),
            underline: t.underline.unwrap_or(false),
            strike: t.strike.unwrap_or(false),
            gray: t.gray.unwrap_or(0),
        }
    }

    /// Inline content of `e` in text properties `props`.
    fn inline(&mut self, e: &Element, props: &TextProps, state: &mut Inline, depth: usize) {
        if depth > MAX_NESTING {
            self.warnings
                .count("content nested too deeply was left out");
            return;
        }
        let style = self.run_style(props);
        let hidden = props.hidden == Some(true);
        for node in &e.children {
            let child = match node {
                Node::Text(t) => {
                    if !hidden {
                        let text = collapse(t, &mut state.after_space);
                        state.push(&props.transform.unwrap_or_default().apply(&text), &style);
                    }
                    continue;
                }
                Node::Element(c) => c,
            };
            match child.name.as_str() {
                "text:span" => {
                    let span = match child.attr("text:style-name") {
                        Some(name) => self.sheet.span(self.scope, name, props),
                        None => props.clone(),
                    };
                    self.inline(child, &span, state, depth + 1);
                }
                "text:s" => {
                    let n = child
                        .attr("text:c")
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, MAX_SPACES);
                    state.push(&" ".repeat(n), &style);
                    state.after_space = false;
                }
                "text:tab" => {
                    state.push("\t", &style);
                    state.after_space = true;
                }
                "text:line-break" => {
                    // the typesetter has no line break inside a paragraph:
                    // the lines become pieces set without space between
                    if state.runs.is_empty() {
                        state.runs.push(Run::new("", style.clone()));
                    }
                    state.flush();
                    state.after_space = true;
                }
                "text:page-number" | "text:page-count" => {
                    let field = if child.name == "text:page-number" {
                        Field::PageNumber
                    } else {
                        Field::PageCount
                    };
                    let mut run = Run::field(field, style.clone());
                    let shown = child.text();
                    if !shown.trim().is_empty() {
                        run.text = shown.trim().to_owned();
                    }
                    state.runs.push(run);
                    state.after_space = false;
                }
                "text:note" => self.note(child, props, state, depth),
                "draw:frame" | "draw:a" => {
                    let blocks = self.frame_or_link(child, depth + 1);
                    if !blocks.is_empty() {
                        state.flush();
                        state.pieces.push(Piece::Blocks(blocks));
                        state.after_space = true;
                    }
                }
                "office:annotation"
                | "office:annotation-end"
                | "text:ruby-text"
                | "text:note-body"
                | "text:tracked-changes"
                | "text:deletion"
                | "svg:title"
                | "svg:desc"
                | "draw:control" => {}
                name if is_shape(name) => self.warnings.count("drawing shapes are not drawn"),
                // links, fields (their shown value), bookmarks, meta...
                _ => self.inline(child, props, state, depth + 1),
            }
        }
    }

    /// A footnote or endnote: its mark in the text, its body collected.
    fn note(&mut self, e: &Element, props: &TextProps, state: &mut Inline, depth: usize) {
        let citation = e
            .child("text:note-citation")
            .map(|c| c.attr("text:label").map_or_else(|| c.text(), str::to_owned))
            .unwrap_or_default();
        let citation = citation.trim().to_owned();
        let mut mark = props.clone();
        mark.script = Some(true);
        let mark_style = self.run_style(&mark);
        state.push(&citation, &mark_style);
        state.after_space = false;
        let Some(body) = e.child("text:note-body") else {
            return;
        };
        let mut blocks = Vec::new();
        self.blocks(body, Place::Nested, depth + 1, &mut blocks);
        // the mark starts the note's first paragraph
        if let Some(p) = blocks.iter_mut().find_map(|b| match b {
            Block::Paragraph(p) | Block::Heading { paragraph: p, .. } => Some(p),
            Block::ListItem { paragraph: p, .. } => Some(p),
            _ => None,
        }) {
            let style = p
                .runs
                .first()
                .map(|r| r.style.clone())
                .unwrap_or_else(|| mark_style.clone());
            p.runs.insert(0, Run::new(format!("{citation} "), style));
        }
        self.notes.extend(blocks);
    }

    /// A `text:list` at `level` (1-based): its items, numbered.
    #[allow(clippy::too_many_arguments)]
    fn list(
        &mut self,
        e: &Element,
        level: usize,
        inherited_style: Option<&str>,
        counters: Option<&mut Counters>,
        place: Place,
        depth: usize,
        out: &mut Vec<Block>,
    ) {
        if depth > MAX_NESTING {
            self.warnings
                .count("content nested too deeply was left out");
            return;
        }
        let style_name = e
            .attr("text:style-name")
            .or(inherited_style)
            .map(str::to_owned)
            .or_else(|| self.list_style_of_first_paragraph(e));
        let found: Option<&ListStyle> = style_name
            .as_deref()
            .and_then(|n| self.sheet.list_style(self.scope, n));
        let list_style = found.cloned().unwrap_or_default();
        let mut own = None;
        let counters = match counters {
            Some(c) => c,
            None => {
                let start = if let Some(id) = e.attr("text:continue-list") {
                    self.lists_by_id.get(id).cloned()
                } else if e.attr("text:continue-numbering") == Some("true") {
                    style_name
                        .as_ref()
                        .and_then(|n| self.last_list_of_style.get(n).cloned())
                } else {
                    None
                };
                own.insert(start.unwrap_or_default())
            }
        };
        let level = level.min(super::lists::MAX_LEVEL);
        for item in e.elements() {
            let is_item = item.name == "text:list-item";
            if !is_item && item.name != "text:list-header" {
                continue;
            }
            let lvl = list_style.level(level);
            let indent = ListIndent {
                left: lvl.indent_left,
                first: lvl.indent_first,
            };
            let restart = item
                .attr("text:start-value")
                .and_then(|v| v.parse::<u32>().ok());
            // the item's first paragraph carries the label
            let mut labelled = false;
            for child in item.elements() {
                match child.name.as_str() {
                    "text:p" | "text:h" => {
                        let label = if is_item && !labelled {
                            counters.next(&list_style, level, restart)
                        } else {
                            String::new()
                        };
                        labelled = true;
                        let ind = if label.is_empty() {
                            ListIndent {
                                left: indent.left,
                                first: 0.0,
                            }
                        } else {
                            indent
                        };
                        self.paragraph(
                            child,
                            Some((&label, level as u8, &ind)),
                            place,
                            depth + 1,
                            out,
                        );
                    }
                    "text:list" => {
                        let inherited = style_name.clone();
                        self.list(
                            child,
                            level + 1,
                            inherited.as_deref(),
                            Some(counters),
                            place,
                            depth + 1,
                            out,
                        );
                        labelled = true;
                    }
                    _ => self.block(child, place, depth + 1, out),
                }
            }
        }
        if let Some(own) = own {
            if let Some(id) = e.attr("xml:id") {
                self.lists_by_id.insert(id.to_owned(), own.clone());
            }
            if let Some(name) = style_name {
                self.last_list_of_style.insert(name, own);
            }
        }
    }

    /// A list without a style takes the list style of its first
    /// paragraph's style (Writer's "List Bullet"-like paragraph styles).
    fn list_style_of_first_paragraph(&self, list: &Element) -> Option<String> {
        let item = list.elements().find(|e| e.name == "text:list-item")?;
        let p = item
            .elements()
            .find(|e| e.name == "text:p" || e.name == "text:h")?;
        self.sheet
            .resolve(self.scope, "paragraph", p.attr("text:style-name"))
            .list_style
    }

    /// A `draw:a` (a linked frame) or `draw:frame`.
    fn frame_or_link(&mut self, e: &Element, depth: usize) -> Vec<Block> {
        if depth > MAX_NESTING {
            self.warnings
                .count("content nested too deeply was left out");
            return Vec::new();
        }
        if e.name == "draw:a" {
            let mut out = Vec::new();
            for f in e.elements().filter(|c| c.name == "draw:frame") {
                out.extend(self.frame(f, depth + 1));
            }
            return out;
        }
        self.frame(e, depth)
    }
}

/// The indents of a list level for its paragraphs.
#[derive(Debug, Clone, Copy)]
pub struct ListIndent {
    pub left: f32,
    pub first: f32,
}

/// Drawing shapes (not frames): their text is not laid out.
fn is_shape(name: &str) -> bool {
    matches!(
        name,
        "draw:custom-shape"
            | "draw:rect"
            | "draw:ellipse"
            | "draw:circle"
            | "draw:line"
            | "draw:polyline"
            | "draw:polygon"
            | "draw:path"
            | "draw:g"
            | "draw:connector"
            | "draw:measure"
            | "draw:regular-polygon"
    )
}

/// ODF white space: runs of space, tab, CR, LF become one space; a space
/// right after another collapsible space (or at the paragraph start) goes.
fn collapse(text: &str, after_space: &mut bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !*after_space {
                out.push(' ');
                *after_space = true;
            }
        } else {
            out.push(c);
            *after_space = false;
        }
    }
    out
}

/// Drops the trailing space a paragraph may end with (ODF trims it).
fn trim_runs(mut runs: Vec<Run>) -> Vec<Run> {
    while let Some(last) = runs.last_mut() {
        if last.field.is_some() {
            break;
        }
        let trimmed = last.text.trim_end_matches(' ').len();
        last.text.truncate(trimmed);
        if last.text.is_empty() && runs.len() > 1 {
            runs.pop();
        } else {
            break;
        }
    }
    runs
}
