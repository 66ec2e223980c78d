//! Running headers and footers: set in the page margins of every page of a
//! section, with page-number and page-count fields filled in per page.
//!
//! Like Word and Writer, a header taller than the room between its
//! distance from the edge and the top margin pushes the body down (and a
//! tall footer pushes the body's end up): [`body_page`] gives the page setup
//! the body is paginated with. Headers are set again for every page,
//! because a page number can change a line's width.

use super::frame::Item;
use super::paginate::stack;
use super::paragraph::Setter;
use crate::doc::{Block, Field, Furniture, PageSetup, TableCell};

/// What the fields read on one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageFields {
    pub number: u32,
    pub count: u32,
}

/// Which variant a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PagePosition {
    /// First page of its section.
    pub first_in_section: bool,
    /// Even page number.
    pub even: bool,
}

/// A fixed gap between a header and the body it pushes down (and a footer
/// and the body above it), in points: what Word leaves.
const GAP: f32 = 0.0;
/// Placeholder fields while measuring: as wide as a two-digit number.
const MEASURE: PageFields = PageFields {
    number: 88,
    count: 88,
};

/// The header blocks a page shows.
fn header_for(f: &Furniture, pos: PagePosition) -> &[Block] {
    if pos.first_in_section {
        if let Some(first) = &f.first_header {
            return first;
        }
    }
    if pos.even {
        if let Some(even) = &f.even_header {
            return even;
        }
    }
    &f.header
}

fn footer_for(f: &Furniture, pos: PagePosition) -> &[Block] {
    if pos.first_in_section {
        if let Some(first) = &f.first_footer {
            return first;
        }
    }
    if pos.even {
        if let Some(even) = &f.even_footer {
            return even;
        }
    }
    &f.footer
}

/// Whether the section has any header or footer to draw.
pub(crate) fn is_empty(f: &Furniture) -> bool {
    let none = |v: &Option<Vec<Block>>| v.as_ref().is_none_or(|b| b.is_empty());
    f.header.is_empty()
        && f.footer.is_empty()
        && none(&f.first_header)
        && none(&f.first_footer)
        && none(&f.even_header)
        && none(&f.even_footer)
}

/// The page setup the body is paginated with: margins grown where the
/// tallest header or footer variant needs more room than they leave.
pub(crate) fn body_page(setter: &mut Setter<'_>, page: &PageSetup, f: &Furniture) -> PageSetup {
    if is_empty(f) {
        return *page;
    }
    let width = page.content_width();
    let mut tallest = |variants: [Option<&Vec<Block>>; 3]| -> f32 {
        variants
            .into_iter()
            .flatten()
            .map(|blocks| set_height(setter, blocks, width))
            .fold(0.0, f32::max)
    };
    let header = tallest([
        Some(&f.header),
        f.first_header.as_ref(),
        f.even_header.as_ref(),
    ]);
    let footer = tallest([
        Some(&f.footer),
        f.first_footer.as_ref(),
        f.even_footer.as_ref(),
    ]);
    let mut body = *page;
    if header > 0.0 {
        body.margin_top = body.margin_top.max(f.header_distance + header + GAP);
    }
    if footer > 0.0 {
        body.margin_bottom = body.margin_bottom.max(f.footer_distance + footer + GAP);
    }
    // Never squeeze the body below a quarter of the page.
    let min_body = page.height / 4.0;
    if body.height - body.margin_top - body.margin_bottom < min_body {
        return *page;
    }
    body
}

fn set_height(setter: &mut Setter<'_>, blocks: &[Block], width: f32) -> f32 {
    let blocks = with_fields(blocks, MEASURE);
    let set: Vec<_> = blocks.iter().map(|b| setter.set_block(b, width)).collect();
    stack(&set, width).1
}

/// The header and footer items of one page, in page coordinates.
pub(crate) fn page_items(
    setter: &mut Setter<'_>,
    page: &PageSetup,
    f: &Furniture,
    pos: PagePosition,
    fields: PageFields,
) -> Vec<Item> {
    let width = page.content_width();
    let mut out = Vec::new();
    let header = header_for(f, pos);
    if !header.is_empty() {
        let blocks = with_fields(header, fields);
        let set: Vec<_> = blocks.iter().map(|b| setter.set_block(b, width)).collect();
        let (items, _) = stack(&set, width);
        out.extend(
            items
                .iter()
                .map(|i| i.translated(page.margin_left, f.header_distance)),
        );
    }
    let footer = footer_for(f, pos);
    if !footer.is_empty() {
        let blocks = with_fields(footer, fields);
        let set: Vec<_> = blocks.iter().map(|b| setter.set_block(b, width)).collect();
        let (items, height) = stack(&set, width);
        let top = (page.height - f.footer_distance - height).max(0.0);
        out.extend(items.iter().map(|i| i.translated(page.margin_left, top)));
    }
    out
}

/// A copy of `blocks` with every field run's text set to its value.
pub(crate) fn with_fields(blocks: &[Block], fields: PageFields) -> Vec<Block> {
    blocks
        .iter()
        .map(|b| block_with_fields(b, fields))
        .collect()
}

fn block_with_fields(block: &Block, fields: PageFields) -> Block {
    let mut block = block.clone();
    fill_block(&mut block, fields, 0);
    block
}

/// Tables nest; this bounds the walk on hostile input.
const MAX_DEPTH: usize = 32;

fn fill_block(block: &mut Block, fields: PageFields, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let paragraph = match block {
        Block::Paragraph(p) => p,
        Block::Heading { paragraph, .. } | Block::ListItem { paragraph, .. } => paragraph,
        Block::Table(t) => {
            for cell in t.rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
                fill_cell(cell, fields, depth + 1);
            }
            return;
        }
        _ => return,
    };
    for run in &mut paragraph.runs {
        match run.field {
            Some(Field::PageNumber) => run.text = fields.number.to_string(),
            Some(Field::PageCount) => run.text = fields.count.to_string(),
            None => {}
        }
    }
}

fn fill_cell(cell: &mut TableCell, fields: PageFields, depth: usize) {
    for block in &mut cell.blocks {
        fill_block(block, fields, depth);
    }
}
