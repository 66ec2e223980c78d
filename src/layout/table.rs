//! Setting a table: column widths scaled to the available width, cells
//! set as small flows at their width, row heights from the tallest cell,
//! spans, borders and shading. Pagination (repeated header rows, rows moved
//! or split) is in [`super::paginate`].

use super::frame::Item;
use super::paragraph::{Line, SetBlock, Setter};
use crate::doc::{BorderRoom, Borders, Padding, Table, TableCell};

/// A table set at its width.
#[derive(Debug, Clone)]
pub(crate) struct SetTable {
    pub header_rows: usize,
    pub rows: Vec<SetRow>,
}

/// One row: its content as lines at offsets from the row top, and the
/// frames (borders, shading) of the cells that start in it.
#[derive(Debug, Clone)]
pub(crate) struct SetRow {
    pub height: f32,
    pub lines: Vec<(f32, Line)>,
    pub cells: Vec<CellFrame>,
}

/// Where a cell's borders and shading go within its row (x from the table's
/// left edge); `extra_height` is what spanned rows below add.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CellFrame {
    pub x: f32,
    pub w: f32,
    pub extra_height: f32,
    pub borders: Borders,
    pub shade: u8,
}

impl CellFrame {
    /// Shading and border rectangles for a cell part `height` tall, at
    /// (dx, dy).
    pub fn items(&self, dx: f32, dy: f32, height: f32) -> Vec<Item> {
        let (x, w, b) = (self.x + dx, self.w, self.borders);
        let mut items = Vec::new();
        let rect = |x: f32, y: f32, w: f32, h: f32, gray: u8| Item::Rect { x, y, w, h, gray };
        if self.shade < 255 {
            items.push(rect(x, dy, w, height, self.shade));
        }
        if b.top > 0.0 {
            items.push(rect(x, dy, w, b.top, 0));
        }
        if b.bottom > 0.0 {
            items.push(rect(x, dy + height - b.bottom, w, b.bottom, 0));
        }
        if b.left > 0.0 {
            items.push(rect(x, dy, b.left, height, 0));
        }
        if b.right > 0.0 {
            items.push(rect(x + w - b.right, dy, b.right, height, 0));
        }
        items
    }
}

/// Nesting depth of tables in cells we lay out; deeper content is dropped
/// (hostile documents nest without end).
const MAX_NESTING: usize = 8;

pub(crate) fn set_table(setter: &mut Setter<'_>, table: &Table, width: f32) -> SetTable {
    set_table_nested(setter, table, width, 0)
}

fn set_table_nested(setter: &mut Setter<'_>, table: &Table, width: f32, depth: usize) -> SetTable {
    let columns = column_widths(table, width);
    let col_x: Vec<f32> = columns
        .iter()
        .scan(0.0, |x, w| {
            let start = *x;
            *x += w;
            Some(start)
        })
        .collect();
    let ncols = columns.len();
    let inside = table.border_room == BorderRoom::Inside;
    // Grid slots still taken by a rowspan from a row above: rows left.
    let mut taken = vec![0u16; ncols];
    let mut rows: Vec<SetRow> = Vec::with_capacity(table.rows.len());
    // (row index, frame index, rows spanned, content height) of spanning cells.
    let mut spans = Vec::new();
    for (ri, row) in table.rows.iter().enumerate() {
        let mut col = 0;
        let mut set = SetRow {
            height: 0.0,
            lines: Vec::new(),
            cells: Vec::new(),
        };
        for cell in &row.cells {
            while col < ncols && taken[col] > 0 {
                col += 1;
            }
            if col >= ncols {
                break;
            }
            let span = (cell.colspan.max(1) as usize).min(ncols - col);
            let x = col_x[col];
            let w: f32 = columns[col..col + span].iter().sum();
            let room = content_room(cell, table.cell_padding, inside);
            let inner = (w - room.left - room.right).max(1.0);
            let mut y = room.top;
            for block in &cell.blocks {
                let (lines, height) = flow_block(setter, block, inner, depth);
                for (line_y, line) in lines {
                    let moved = Line {
                        height: line.height,
                        items: line
                            .items
                            .iter()
                            .map(|i| i.translated(x + room.left, 0.0))
                            .collect(),
                    };
                    set.lines.push((y + line_y, moved));
                }
                y += height;
            }
            let content = y + room.bottom;
            let rowspan = cell.rowspan.max(1);
            if rowspan > 1 {
                for t in &mut taken[col..col + span] {
                    *t = rowspan;
                }
                spans.push((ri, set.cells.len(), rowspan as usize, content));
            } else {
                set.height = set.height.max(content);
            }
            set.cells.push(CellFrame {
                x,
                w,
                extra_height: 0.0,
                borders: cell.borders,
                shade: cell.shade,
            });
            col += span;
        }
        for t in &mut taken {
            // The rows this row used up (cells just placed count this row).
            *t = t.saturating_sub(1);
        }
        if set.height == 0.0 {
            // A row of spanning cells only: a sliver, so it still shows.
            let room = content_room_of(table.cell_padding, Borders::default(), false);
            set.height = room.top + room.bottom + 1.0;
        }
        // Bounded by a page's worth so a hostile value cannot stretch a row.
        set.height = set.height.max(row.min_height.clamp(0.0, 2000.0));
        rows.push(set);
    }
    for (ri, frame, span, content) in spans {
        let last = (ri + span).min(rows.len()) - 1;
        let total: f32 = rows[ri..=last].iter().map(|r| r.height).sum();
        if content > total {
            rows[last].height += content - total;
        }
        let total: f32 = rows[ri..=last].iter().map(|r| r.height).sum();
        rows[ri].cells[frame].extra_height = total - rows[ri].height;
    }
    SetTable {
        header_rows: table.header_rows.min(rows.len()),
        rows,
    }
}

/// Largest padding one side of a cell may have (hostile documents say
/// anything; a page is about 800 pt tall).
const MAX_PADDING: f32 = 200.0;

/// The room between a cell's edges and its content: its padding (its own,
/// else the table's), plus its borders when they sit inside the cell.
fn content_room(cell: &TableCell, table_padding: Padding, inside: bool) -> Padding {
    content_room_of(cell.padding.unwrap_or(table_padding), cell.borders, inside)
}

fn content_room_of(padding: Padding, borders: Borders, inside: bool) -> Padding {
    let pad = padding.clamped(MAX_PADDING);
    if !inside {
        return pad;
    }
    // Border widths are bounded by the readers (a few points).
    let b = |v: f32| {
        if v.is_nan() {
            0.0
        } else {
            v.clamp(0.0, MAX_PADDING)
        }
    };
    Padding {
        top: pad.top + b(borders.top),
        right: pad.right + b(borders.right),
        bottom: pad.bottom + b(borders.bottom),
        left: pad.left + b(borders.left),
    }
}

/// Column widths: as given, scaled down to `width` when wider (or shared
/// equally when none are given).
fn column_widths(table: &Table, width: f32) -> Vec<f32> {
    let ncols = table
        .columns
        .len()
        .max(table.rows.iter().map(|r| r.cells.len()).max().unwrap_or(1))
        .max(1);
    let mut cols: Vec<f32> = (0..ncols)
        .map(|i| table.columns.get(i).copied().unwrap_or(0.0).max(0.0))
        .collect();
    let given: f32 = cols.iter().sum();
    let unset = cols.iter().filter(|w| **w == 0.0).count();
    if unset > 0 {
        let share = ((width - given).max(width * 0.1)) / unset as f32;
        for w in cols.iter_mut().filter(|w| **w == 0.0) {
            *w = share;
        }
    }
    let total: f32 = cols.iter().sum();
    if total > width {
        for w in &mut cols {
            *w *= width / total;
        }
    }
    cols
}

/// A cell block as lines at offsets from the block's top, and its height
/// (spacing included).
fn flow_block(
    setter: &mut Setter<'_>,
    block: &crate::doc::Block,
    width: f32,
    depth: usize,
) -> (Vec<(f32, Line)>, f32) {
    let set = match block {
        crate::doc::Block::Table(t) if depth < MAX_NESTING => {
            SetBlock::Table(set_table_nested(setter, t, width, depth + 1))
        }
        crate::doc::Block::Table(_)
        | crate::doc::Block::PageBreak
        | crate::doc::Block::Section(_) => return (Vec::new(), 0.0),
        other => setter.set_block(other, width),
    };
    let mut out = Vec::new();
    let mut y = 0.0;
    match set {
        SetBlock::Lines {
            lines,
            space_before,
            space_after,
            ..
        } => {
            y += space_before;
            for line in lines {
                let h = line.height;
                out.push((y, line));
                y += h;
            }
            y += space_after;
        }
        SetBlock::Table(t) => {
            for row in t.rows {
                let mut items: Vec<Item> = Vec::new();
                for frame in &row.cells {
                    items.extend(frame.items(0.0, 0.0, row.height + frame.extra_height));
                }
                out.push((y, Line { height: 0.0, items }));
                for (ly, line) in row.lines {
                    out.push((y + ly, line));
                }
                y += row.height;
            }
        }
        SetBlock::PageBreak => {}
    }
    (out, y)
}
