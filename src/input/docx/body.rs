//! The body walker: WordprocessingML paragraphs, runs, fields, breaks,
//! notes, drawings and text boxes turned into flow blocks.
//!
//! Inline pictures, text boxes and page breaks have no place inside a
//! [`Paragraph`] of the flow model, so a Word paragraph is cut where they
//! occur: text before, the block, text after, in document order.

use super::metrics::{empty_line_factor, single_line_factor};
use super::numbering::Numbering;
use super::sections::Rels;
use super::styles::{ParaProps, RunProps, Styles};
use crate::bitmap::GrayImage;
use crate::doc::{
    Block, BorderRoom, Borders, Field, Image, LineSpacing, Padding, Paragraph, Run, RunStyle,
    TabStop, Table, TableCell, TableRow,
};
use crate::input::package::Package;
use crate::input::xml_tree::Element;
use crate::limits::Limits;
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

/// Nesting of block containers (text boxes in tables in text boxes...)
/// followed; deeper content is dropped with a warning.
const MAX_NESTING: usize = 24;
/// EMU (English Metric Units) per point.
const EMU_PER_PT: f32 = 12_700.0;
/// Superscript note marks and super/subscript text are set this much smaller.
const SCRIPT_SCALE: f32 = 0.65;
/// Word's automatic ("HTML") paragraph spacing, in points.
const AUTO_SPACING: f32 = 14.0;

/// A note referenced from the text.
#[derive(Debug, Clone)]
pub struct NoteRef {
    pub number: u32,
    pub id: String,
    pub endnote: bool,
}

/// A piece of a paragraph in document order.
#[derive(Debug)]
enum Item {
    Run(Run),
    /// A line break (`w:br`, `w:cr`): the paragraph continues on a new line.
    Break,
    Block(Block),
}

/// An open complex field (`w:fldChar begin` ... `end`).
#[derive(Debug, Default)]
struct OpenField {
    instr: String,
    in_result: bool,
    kind: Option<Field>,
}

/// Converts one part's content (document, header, footer, notes) to blocks.
pub struct Converter<'a> {
    pub pkg: &'a Package,
    pub styles: &'a Styles,
    pub numbering: Numbering,
    pub limits: &'a Limits,
    /// Relationships of the part being converted.
    pub rels: Rels,
    pub warnings: Vec<String>,
    /// Section starts still to place, in order, after each paragraph that
    /// ends a section.
    pub section_starts: VecDeque<Block>,
    pub notes: Vec<NoteRef>,
    /// While converting a note's text: its number (for `w:footnoteRef`).
    pub note_mark: Option<u32>,
    images: BTreeMap<String, Option<Arc<GrayImage>>>,
    /// Table styles' paragraph and run properties for the cell being read.
    pub(super) table_stack: Vec<(ParaProps, RunProps)>,
    pub(super) depth: usize,
    fields: Vec<OpenField>,
    /// Style id and contextual-spacing flag of the last paragraph emitted.
    last_para: Option<(String, bool)>,
    /// The last paragraph emitted had automatic spacing after.
    last_after_auto: bool,
}

impl<'a> Converter<'a> {
    pub fn new(
        pkg: &'a Package,
        styles: &'a Styles,
        numbering: Numbering,
        limits: &'a Limits,
    ) -> Self {
        Converter {
            pkg,
            styles,
            numbering,
            limits,
            rels: Rels::new(),
            warnings: Vec::new(),
            section_starts: VecDeque::new(),
            notes: Vec::new(),
            note_mark: None,
            images: BTreeMap::new(),
            table_stack: Vec::new(),
            depth: 0,
            fields: Vec::new(),
            last_para: None,
            last_after_auto: false,
        }
    }

    pub fn warn(&mut self, message: String) {
        if !self.warnings.contains(&message) {
            self.warnings.push(message);
        }
    }

    /// Converts the block content of `container` (body, cell, header, text
    /// box). `top_level`: the document body, where paragraphs end sections.
    pub fn blocks(&mut self, container: &Element, out: &mut Vec<Block>, top_level: bool) {
        if self.depth >= MAX_NESTING {
            self.warn("content nested too deeply was left out".into());
            return;
        }
        self.depth += 1;
        for e in container.elements() {
            match e.name.as_str() {
                "p" => self.paragraph(e, out, top_level),
                "tbl" => {
                    self.table(e, out);
                    self.last_para = None;
                }
                "sdt" => {
                    if let Some(content) = e.child("sdtContent") {
                        self.blocks(content, out, top_level);
                    }
                }
                "customXml" | "ins" | "moveTo" | "smartTag" => self.blocks(e, out, top_level),
                "AlternateContent" => {
                    if let Some(choice) = e.child("Choice").or_else(|| e.child("Fallback")) {
                        self.blocks(choice, out, top_level);
                    }
                }
                _ => {}
            }
        }
        self.depth -= 1;
    }

    /// The run style for fully resolved run properties.
    pub fn run_style(&self, props: &RunProps) -> RunStyle {
        let mut size = props.size.unwrap_or(10.0);
        if props.script == Some(true) {
            size *= SCRIPT_SCALE;
        }
        RunStyle {
            family: props
                .font
                .clone()
                .unwrap_or_else(|| "Times New Roman".into()),
            size,
            bold: props.bold.unwrap_or(false),
            italic: props.italic.unwrap_or(false),
            underline: props.underline.unwrap_or(false),
            strike: props.strike.unwrap_or(false),
            gray: props.gray.unwrap_or(0),
        }
    }

    fn paragraph(&mut self, p: &Element, out: &mut Vec<Block>, top_level: bool) {
        let ppr_el = p.child("pPr");
        let direct = ppr_el.map(ParaProps::parse).unwrap_or_default();
        let style_id = ppr_el
            .and_then(|e| e.child("pStyle"))
            .and_then(|s| s.val())
            .map(str::to_string)
            .or_else(|| self.styles.default_paragraph_style.clone())
            .unwrap_or_default();
        let (style_para, style_run) = self.styles.paragraph_style(&style_id);
        let mut para = self.styles.default_para.clone();
        let mut run = self.styles.default_run.clone();
        if let Some((tp, tr)) = self.table_stack.last() {
            para.overlay(tp);
            run.overlay(tr);
        }
        para.overlay(&style_para);
        run.overlay(&style_run);
        let mut numbered = para.clone();
        numbered.overlay(&direct);
        let mut marker = None;
        if let Some((num_id, ilvl)) = numbered.num.clone() {
            if let Some(level) = self.numbering.level(&num_id, ilvl) {
                para.overlay(&level.para);
                if let Some(m) = self.numbering.next_marker(&num_id, ilvl) {
                    let mut marker_run = run.clone();
                    marker_run.overlay(&level.run);
                    marker = Some((m, ilvl, marker_run));
                }
            }
        }
        para.overlay(&direct);

        // The paragraph mark's run properties size an empty paragraph.
        let mut mark = run.clone();
        if let Some(rpr) = ppr_el.and_then(|e| e.child("rPr")) {
            mark.overlay(&RunProps::parse(rpr, &super::styles::Theme::default()));
        }

        let mut items = Vec::new();
        self.inline(p, &run, &mut items);

        if para.page_break_before == Some(true) && top_level {
            out.push(Block::PageBreak);
        }
        let heading = para
            .outline
            .or_else(|| self.styles.heading_level(&style_id).map(|l| l - 1))
            .filter(|l| *l < 6);
        let contextual = para.contextual_spacing == Some(true);
        let before_auto = para.before_auto == Some(true);
        let after_auto = para.after_auto == Some(true);
        let mut template = Paragraph {
            runs: Vec::new(),
            align: para.align.unwrap_or_default(),
            indent_left: para.indent_left.unwrap_or(0.0),
            indent_right: para.indent_right.unwrap_or(0.0),
            indent_first: para.indent_first.unwrap_or(0.0),
            space_before: if before_auto {
                AUTO_SPACING
            } else {
                para.space_before.unwrap_or(0.0)
            },
            space_after: if after_auto {
                AUTO_SPACING
            } else {
                para.space_after.unwrap_or(0.0)
            },
            line_spacing: para.line.unwrap_or(LineSpacing::Multiple(1.0)),
            // Word measures stops from the text column, the typesetter from
            // the paragraph's indent
            tab_stops: para
                .tabs
                .iter()
                .flatten()
                .filter_map(|t| t.stop)
                .map(|t| TabStop {
                    position: t.position - para.indent_left.unwrap_or(0.0),
                    ..t
                })
                .collect(),
            keep_with_next: para.keep_next == Some(true),
            keep_together: para.keep_lines == Some(true),
        };
        if before_auto && self.last_after_auto {
            // Automatic spacing collapses like HTML margins.
            template.space_before = 0.0;
        }
        if contextual {
            if let Some((prev_style, true)) = &self.last_para {
                if *prev_style == style_id {
                    template.space_before = 0.0;
                    if let Some(prev) = out.last_mut().and_then(paragraph_of) {
                        prev.space_after = 0.0;
                    }
                }
            }
        }
        if marker.is_some() {
            // The marker hangs in the first line's indent; the text starts
            // at the left indent as Word's tab after the number puts it.
            template.indent_first = template.indent_first.max(0.0);
        }

        // Cut the paragraph at blocks and line breaks.
        let mut segments: Vec<(Vec<Run>, bool)> = Vec::new(); // (runs, ends with a break)
        let mut current = Vec::new();
        let mut emitted_any = false;
        let mut pieces: Vec<Block> = Vec::new();
        let mut first_segment = true;
        for item in items {
            match item {
                Item::Run(r) => current.push(r),
                Item::Break => segments.push((std::mem::take(&mut current), true)),
                Item::Block(b) => {
                    if !current.is_empty() || !segments.is_empty() {
                        segments.push((std::mem::take(&mut current), false));
                    }
                    for (runs, broke) in segments.drain(..) {
                        pieces.push(self.segment(
                            &template,
                            runs,
                            &mut marker,
                            heading,
                            first_segment,
                            broke,
                            &mark,
                        ));
                        first_segment = false;
                    }
                    pieces.push(b);
                    emitted_any = true;
                }
            }
        }
        if !current.is_empty() || !segments.is_empty() || !emitted_any {
            segments.push((current, false));
        } else if template.space_after >= 1.0 {
            // The paragraph ends with a picture or text box: keep its
            // spacing after as an empty line of that height.
            pieces.push(Block::Paragraph(Paragraph {
                runs: vec![Run::new("", self.run_style(&mark))],
                line_spacing: LineSpacing::Exact(template.space_after),
                ..Paragraph::default()
            }));
        }
        for (runs, broke) in segments {
            pieces.push(self.segment(
                &template,
                runs,
                &mut marker,
                heading,
                first_segment,
                broke,
                &mark,
            ));
            first_segment = false;
        }
        out.extend(pieces);
        self.last_para = Some((style_id, contextual));
        self.last_after_auto = after_auto;

        if top_level && ppr_el.and_then(|e| e.child("sectPr")).is_some() {
            if let Some(section) = self.section_starts.pop_front() {
                out.push(section);
            }
        }
    }

    /// One piece of a paragraph as a block.
    #[allow(clippy::too_many_arguments)]
    fn segment(
        &self,
        template: &Paragraph,
        runs: Vec<Run>,
        marker: &mut Option<(String, u8, RunProps)>,
        heading: Option<u8>,
        first: bool,
        ends_with_break: bool,
        mark: &RunProps,
    ) -> Block {
        let mut p = template.clone();
        if !first {
            p.space_before = 0.0;
            p.indent_first = 0.0;
        }
        if ends_with_break {
            p.space_after = 0.0;
        }
        let empty = runs.iter().all(|r| r.text.is_empty());
        p.runs = runs;
        if p.runs.is_empty() {
            p.runs.push(Run::new("", self.run_style(mark)));
        }
        let family = p.runs[0].style.family.clone();
        if let LineSpacing::Multiple(m) = p.line_spacing {
            let factor = if empty {
                empty_line_factor(&family)
            } else {
                single_line_factor(&family)
            };
            p.line_spacing = LineSpacing::Multiple(m * factor);
        }
        if let Some((text, level, props)) = marker.take() {
            if !text.is_empty() {
                let style = self.run_style(&props);
                // The marker's style comes from the first run (layout sets
                // the marker in it): give an empty paragraph the marker's.
                if empty {
                    p.runs[0].style = style;
                }
                return Block::ListItem {
                    marker: text,
                    level,
                    paragraph: p,
                };
            }
        }
        match heading {
            Some(level) => Block::Heading {
                level: level + 1,
                paragraph: p,
            },
            None => Block::Paragraph(p),
        }
    }

    /// Walks a paragraph's inline content.
    fn inline(&mut self, e: &Element, base: &RunProps, items: &mut Vec<Item>) {
        for c in e.elements() {
            match c.name.as_str() {
                "r" => self.run(c, base, items),
                "hyperlink" | "ins" | "moveTo" | "smartTag" | "customXml" | "bdo" | "dir" => {
                    self.inline(c, base, items)
                }
                "sdt" => {
                    if let Some(content) = c.child("sdtContent") {
                        self.inline(content, base, items);
                    }
                }
                "fldSimple" => {
                    let kind = field_kind(c.attr("instr").unwrap_or(""));
                    match kind {
                        Some(kind) => {
                            let mut props = base.clone();
                            if let Some(rpr) = c.find("rPr") {
                                props.overlay(&RunProps::parse(rpr, &Default::default()));
                            }
                            items.push(Item::Run(Run::field(kind, self.run_style(&props))));
                        }
                        None => self.inline(c, base, items),
                    }
                }
                "AlternateContent" => {
                    if let Some(choice) = c.child("Choice").or_else(|| c.child("Fallback")) {
                        self.inline(choice, base, items);
                    }
                }
                _ => {}
            }
        }
    }

    fn run(&mut self, r: &Element, base: &RunProps, items: &mut Vec<Item>) {
        let mut props = base.clone();
        if let Some(rpr) = r.child("rPr") {
            if let Some(id) = rpr.child("rStyle").and_then(|s| s.val()) {
                props.overlay(&self.styles.character_style(id));
            }
            props.overlay(&RunProps::parse(rpr, &Default::default()));
        }
        let hidden = props.hidden == Some(true);
        let caps = props.caps == Some(true);
        let style = self.run_style(&props);
        for c in r.elements() {
            match c.name.as_str() {
                "fldChar" => self.field_char(c, &style, items),
                "instrText" => {
                    if let Some(f) = self.fields.last_mut() {
                        if !f.in_result && f.instr.len() < 4096 {
                            f.instr.push_str(&c.text());
                        }
                    }
                }
                _ if hidden || self.suppressed() => {}
                "t" => {
                    let text = c.text();
                    let text = if caps { text.to_uppercase() } else { text };
                    push_text(items, &text, &style);
                }
                "tab" | "ptab" => push_text(items, "\t", &style),
                "br" => match c.attr("type") {
                    Some("page") => items.push(Item::Block(Block::PageBreak)),
                    _ => items.push(Item::Break),
                },
                "cr" => items.push(Item::Break),
                "noBreakHyphen" => push_text(items, "-", &style),
                "sym" => {
                    if let Some(ch) = c
                        .attr("char")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(char::from_u32)
                    {
                        let ch = symbol_char(ch);
                        push_text(items, ch.encode_utf8(&mut [0; 4]), &style);
                    }
                }
                "footnoteReference" | "endnoteReference" => {
                    let number = self.notes.len() as u32 + 1;
                    self.notes.push(NoteRef {
                        number,
                        id: c.attr("id").unwrap_or("").to_string(),
                        endnote: c.name == "endnoteReference",
                    });
                    // Superscript digits: the flow model has no raised baseline.
                    items.push(Item::Run(Run::new(superscript(number), style.clone())));
                }
                "footnoteRef" | "endnoteRef" => {
                    if let Some(n) = self.note_mark {
                        push_text(items, &format!("{n} "), &style);
                    }
                }
                "drawing" => self.drawing(c, items),
                "pict" | "object" => self.pict(c, items),
                "AlternateContent" => {
                    if let Some(choice) = c.child("Choice").or_else(|| c.child("Fallback")) {
                        let wrapper = Element {
                            name: "r".into(),
                            attrs: Vec::new(),
                            children: choice.children.clone(),
                        };
                        let mut inner = base.clone();
                        inner.overlay(&props);
                        self.run(&wrapper, &inner, items);
                    }
                }
                _ => {}
            }
        }
    }

    /// Inside a field's instruction, or the shown result of a field we
    /// fill in ourselves: text there is not shown.
    fn suppressed(&self) -> bool {
        self.fields.iter().any(|f| !f.in_result || f.kind.is_some())
    }

    fn field_char(&mut self, c: &Element, style: &RunStyle, items: &mut Vec<Item>) {
        match c.attr("fldCharType") {
            Some("begin") if self.fields.len() < 16 => self.fields.push(OpenField::default()),
            Some("separate") => {
                let outer_hidden = self.fields.len() > 1
                    && self.fields[..self.fields.len() - 1]
                        .iter()
                        .any(|f| !f.in_result || f.kind.is_some());
                if let Some(f) = self.fields.last_mut() {
                    f.in_result = true;
                    f.kind = field_kind(&f.instr);
                    if let (Some(kind), false) = (f.kind, outer_hidden) {
                        items.push(Item::Run(Run::field(kind, style.clone())));
                    }
                }
            }
            Some("end") => {
                if let Some(f) = self.fields.pop() {
                    if !f.in_result && !self.suppressed() {
                        if let Some(kind) = field_kind(&f.instr) {
                            items.push(Item::Run(Run::field(kind, style.clone())));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// DrawingML: pictures (inline or anchored, placed in the flow) and
    /// the text of text boxes.
    fn drawing(&mut self, d: &Element, items: &mut Vec<Item>) {
        for holder in d.elements() {
            let extent = holder.child("extent").and_then(emu_size);
            let pictures = count_named(holder, "pic", 0);
            if let Some(height) = reserved_height(holder, pictures) {
                // A wide floating text box: Word and Writer keep its whole
                // frame clear of the text, so it takes its height in the
                // flow even when its own text is shorter.
                let mut inner = Vec::new();
                self.graphic(holder, None, &mut inner, 0);
                let blocks: Vec<Block> = inner
                    .into_iter()
                    .filter_map(|i| match i {
                        Item::Block(b) => Some(b),
                        _ => None,
                    })
                    .collect();
                items.push(Item::Block(Block::Table(Table {
                    columns: vec![extent.map_or(0.0, |e| e.0)],
                    rows: vec![TableRow {
                        cells: vec![TableCell {
                            blocks,
                            colspan: 1,
                            rowspan: 1,
                            borders: Borders::default(),
                            shade: 255,
                            padding: None,
                        }],
                        cant_split: true,
                        min_height: height,
                    }],
                    header_rows: 0,
                    cell_padding: Padding::uniform(0.0),
                    border_room: BorderRoom::Overlay,
                })));
                continue;
            }
            self.graphic(holder, if pictures <= 1 { extent } else { None }, items, 0);
        }
    }

    fn graphic(
        &mut self,
        e: &Element,
        extent: Option<(f32, f32)>,
        items: &mut Vec<Item>,
        depth: usize,
    ) {
        if depth > 32 {
            return;
        }
        for c in e.elements() {
            match c.name.as_str() {
                "pic" => {
                    let size = extent.or_else(|| {
                        c.find("xfrm")
                            .and_then(|x| x.child("ext"))
                            .and_then(emu_size)
                    });
                    if let Some(id) = c
                        .find("blip")
                        .and_then(|b| b.attr("embed").or(b.attr("link")))
                    {
                        if let Some(block) = self.image(id, size) {
                            items.push(Item::Block(block));
                        }
                    }
                }
                "txbxContent" => self.text_box(c, items),
                "AlternateContent" => {
                    if let Some(choice) = c.child("Choice").or_else(|| c.child("Fallback")) {
                        self.graphic(choice, extent, items, depth + 1);
                    }
                }
                _ => self.graphic(c, extent, items, depth + 1),
            }
        }
    }

    /// VML pictures and text boxes (`w:pict`, `w:object`).
    fn pict(&mut self, e: &Element, items: &mut Vec<Item>) {
        for c in e.elements() {
            match c.name.as_str() {
                "imagedata" => {
                    if let Some(id) = c.attr("id") {
                        let size = css_size(e.attr("style").unwrap_or(""));
                        if let Some(block) = self.image(id, size) {
                            items.push(Item::Block(block));
                        }
                    }
                }
                "txbxContent" => self.text_box(c, items),
                _ => {
                    if self.depth < MAX_NESTING {
                        self.depth += 1;
                        self.pict(c, items);
                        self.depth -= 1;
                    }
                }
            }
        }
    }

    fn text_box(&mut self, content: &Element, items: &mut Vec<Item>) {
        let mut blocks = Vec::new();
        let saved = self.last_para.take();
        self.blocks(content, &mut blocks, false);
        self.last_para = saved;
        items.extend(blocks.into_iter().map(Item::Block));
    }

    /// A picture by relationship id, `size` in points (None: from pixels).
    fn image(&mut self, rel_id: &str, size: Option<(f32, f32)>) -> Option<Block> {
        let Some(rel) = self.rels.get(rel_id).cloned() else {
            self.warn(format!(
                "a picture refers to a missing relationship ({rel_id}); left out"
            ));
            return None;
        };
        if rel.external {
            self.warn(format!(
                "an external picture ({}) was not fetched (no network access while rendering)",
                rel.target
            ));
            return None;
        }
        if !self.images.contains_key(&rel.target) {
            let decoded = match self.pkg.get(&rel.target) {
                None => {
                    self.warn(format!(
                        "the picture {} is missing from the package; left out",
                        rel.target
                    ));
                    None
                }
                Some(bytes) => match crate::input::image::decode_image(bytes, self.limits) {
                    Ok(img) => Some(Arc::new(img)),
                    Err(e) => {
                        self.warn(format!(
                            "the picture {} could not be shown: {e}",
                            rel.target
                        ));
                        None
                    }
                },
            };
            self.images.insert(rel.target.clone(), decoded);
        }
        let pixels = self.images.get(&rel.target)?.clone()?;
        let (width, height) = match size {
            Some((w, h)) if w >= 1.0 && h >= 1.0 => (w, h),
            // 96 dpi, Word's assumption for pictures without a size.
            _ => (pixels.width as f32 * 0.75, pixels.height as f32 * 0.75),
        };
        Some(Block::Image(Image {
            pixels,
            width: width.min(2000.0),
            height: height.min(2000.0),
        }))
    }
}

fn paragraph_of(block: &mut Block) -> Option<&mut Paragraph> {
    match block {
        Block::Paragraph(p) => Some(p),
        Block::Heading { paragraph, .. } | Block::ListItem { paragraph, .. } => Some(paragraph),
        _ => None,
    }
}

/// A note number in superscript digits (¹²³...).
fn superscript(n: u32) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    n.to_string()
        .chars()
        .map(|c| DIGITS[c.to_digit(10).unwrap_or(0) as usize])
        .collect()
}

/// Appends text, merging with the previous run when the style is the same.
fn push_text(items: &mut Vec<Item>, text: &str, style: &RunStyle) {
    if text.is_empty() {
        return;
    }
    if let Some(Item::Run(last)) = items.last_mut() {
        if last.field.is_none() && last.style == *style {
            last.text.push_str(text);
            return;
        }
    }
    items.push(Item::Run(Run::new(text, style.clone())));
}

/// The field a Word field instruction fills in per page.
fn field_kind(instr: &str) -> Option<Field> {
    let name = instr.split_whitespace().next()?.to_ascii_uppercase();
    match name.as_str() {
        "PAGE" => Some(Field::PageNumber),
        "NUMPAGES" | "SECTIONPAGES" => Some(Field::PageCount),
        _ => None,
    }
}

/// Symbol-font characters (private use area) the committed fonts can show.
fn symbol_char(c: char) -> char {
    match c as u32 {
        0xF0B7 => '•',
        0xF0FC => '✓',
        0xF0FB | 0xF0FD => '✗',
        0xF0A8 | 0xF06F => '☐',
        0xF0FE => '☑',
        0xF0E0 => '→',
        0xF020 => ' ',
        0xF021..=0xF07E => char::from_u32(c as u32 - 0xF000).unwrap_or(c),
        _ => c,
    }
}

/// Text boxes at least this wide (points) leave no room for text beside
/// them in practice (a page's text column is 430-500 pt).
const WIDE_TEXT_BOX: f32 = 360.0;

/// The height a floating text box (`wp:anchor` with square or top-and-bottom
/// wrapping, no pictures) takes in the flow: its frame plus its offset below
/// the paragraph; None for inline drawings, pictures, narrow boxes (text
/// flows beside those) and boxes in front of or behind the text.
fn reserved_height(holder: &Element, pictures: usize) -> Option<f32> {
    if holder.name != "anchor" || pictures > 0 || count_named(holder, "txbxContent", 0) == 0 {
        return None;
    }
    if holder.child("wrapSquare").is_none() && holder.child("wrapTopAndBottom").is_none() {
        return None;
    }
    let (w, h) = holder.child("extent").and_then(emu_size)?;
    if w < WIDE_TEXT_BOX {
        return None;
    }
    let below = holder
        .child("positionV")
        .filter(|p| p.attr("relativeFrom") == Some("paragraph"))
        .and_then(|p| p.child("posOffset"))
        .and_then(|o| o.text().trim().parse::<f32>().ok())
        .map_or(0.0, |emu| (emu / 12700.0).clamp(0.0, 720.0));
    Some((h + below).min(720.0))
}

fn emu_size(e: &Element) -> Option<(f32, f32)> {
    let cx: f32 = e.attr("cx")?.parse().ok()?;
    let cy: f32 = e.attr("cy")?.parse().ok()?;
    (cx.is_finite() && cy.is_finite() && cx > 0.0 && cy > 0.0)
        .then(|| (cx / EMU_PER_PT, cy / EMU_PER_PT))
}

fn count_named(e: &Element, name: &str, depth: usize) -> usize {
    if depth > 32 {
        return 0;
    }
    e.elements()
        .map(|c| usize::from(c.name == name) + count_named(c, name, depth + 1))
        .sum()
}

/// `width:120pt;height:1.5in` in a VML style, as points.
fn css_size(style: &str) -> Option<(f32, f32)> {
    let mut w = None;
    let mut h = None;
    for decl in style.split(';') {
        let Some((k, v)) = decl.split_once(':') else {
            continue;
        };
        let v = css_length(v.trim());
        match k.trim() {
            "width" => w = v,
            "height" => h = v,
            _ => {}
        }
    }
    Some((w?, h?))
}

fn css_length(v: &str) -> Option<f32> {
    let split = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .unwrap_or(v.len());
    let n: f32 = v[..split].parse().ok()?;
    let pt = match &v[split..] {
        "pt" | "" => n,
        "in" => n * 72.0,
        "cm" => n * 72.0 / 2.54,
        "mm" => n * 72.0 / 25.4,
        "px" => n * 0.75,
        _ => return None,
    };
    (pt.is_finite() && pt > 0.0).then_some(pt)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor(wrap: &str, cx: u64, inner: &str) -> Element {
        let xml = format!(
            r#"<wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><wp:positionV relativeFrom="paragraph"><wp:posOffset>199390</wp:posOffset></wp:positionV><wp:extent cx="{cx}" cy="4777740"/>{wrap}<w:x>{inner}</w:x></wp:anchor>"#
        );
        crate::input::xml_tree::parse_local(&xml).unwrap()
    }

    #[test]
    fn wide_floating_text_boxes_keep_their_height_in_the_flow() {
        let text = "<w:txbxContent><w:p/></w:txbxContent>";
        // 475 x 376 pt box, 15.7 pt below its paragraph (the corpus title page).
        let h = reserved_height(&anchor("<wp:wrapSquare/>", 6038215, text), 0).unwrap();
        assert!((h - (376.2 + 15.7)).abs() < 0.5, "{h}");
        assert!(reserved_height(&anchor("<wp:wrapTopAndBottom/>", 6038215, text), 0).is_some());
        // In front of the text, narrow (text flows beside), or a picture: no.
        assert!(reserved_height(&anchor("<wp:wrapNone/>", 6038215, text), 0).is_none());
        assert!(reserved_height(&anchor("<wp:wrapSquare/>", 1_000_000, text), 0).is_none());
        assert!(reserved_height(&anchor("<wp:wrapSquare/>", 6038215, text), 1).is_none());
        assert!(reserved_height(&anchor("<wp:wrapSquare/>", 6038215, "<w:p/>"), 0).is_none());
    }

    #[test]
    fn field_instructions() {
        assert_eq!(
            field_kind(" PAGE  \\* MERGEFORMAT "),
            Some(Field::PageNumber)
        );
        assert_eq!(field_kind("NUMPAGES"), Some(Field::PageCount));
        assert_eq!(field_kind("TOC \\o"), None);
    }

    #[test]
    fn note_marks_are_superscript() {
        assert_eq!(superscript(12), "¹²");
    }

    #[test]
    fn vml_sizes() {
        assert_eq!(
            css_size("position:absolute;width:72pt;height:1in"),
            Some((72.0, 72.0))
        );
        assert_eq!(css_size("width:10px"), None);
    }

    #[test]
    fn symbols_map_to_visible_characters() {
        assert_eq!(symbol_char('\u{F0B7}'), '•');
        assert_eq!(symbol_char('\u{F041}'), 'A');
    }
}
