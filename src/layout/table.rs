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
    let last_row = table.rows.len().saturating_sub(1);
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
            let reaches_last_row = ri + cell.rowspan.max(1) as usize > last_row;
            let room = content_room(cell, table, reaches_last_row);
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
            let room = table.cell_padding.clamped(MAX_PADDING);
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
/// else the table's), plus the borders that take room by the table's
/// [`BorderRoom`].
fn content_room(cell: &TableCell, table: &Table, reaches_last_row: bool) -> Padding {
    let pad = cell
        .padding
        .unwrap_or(table.cell_padding)
        .clamped(MAX_PADDING);
    let b = cell.borders;
    let taken = match table.border_room {
        BorderRoom::Overlay => Padding::default(),
        BorderRoom::Inside => Padding {
            top: b.top,
            right: b.right,
            bottom: b.bottom,
            left: b.left,
        },
        BorderRoom::Collapsed => Padding {
            top: b.top,
            bottom: if reaches_last_row { b.bottom } else { 0.0 },
            ..Padding::default()
        },
    }
    .clamped(MAX_PADDING);
    Padding {
        top: pad.top + taken.top,
        right: pad.right + taken.right,
        bottom: pad.bottom + taken.bottom,
        left: pad.left + taken.left,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{RunStyle, TableRow};
    use crate::layout::fonts::{Fonts, MissingGlyphs};

    /// One single-line row of `table`'s first cell: its height and the top
    /// and left of its first line.
    fn set_one_row(table: &Table) -> (f32, f32, f32) {
        let fonts = Fonts::committed();
        let mut missing = MissingGlyphs::default();
        fonts.with_font_system(|fs| {
            let mut setter = Setter::new(fs, &fonts, &mut missing);
            let set = set_table(&mut setter, table, 400.0);
            let row = &set.rows[0];
            let (top, line) = &row.lines[0];
            let left = line
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Glyphs(run) => run.glyphs.first().map(|g| g.x),
                    _ => None,
                })
                .fold(f32::MAX, f32::min);
            (row.height, *top, left)
        })
    }

    fn one_cell_table(padding: Padding, cell: Option<Padding>, room: BorderRoom) -> Table {
        let mut c = TableCell::text("Row", RunStyle::serif(12.0));
        c.borders = Borders::all(1.0);
        c.padding = cell;
        Table {
            columns: vec![200.0],
            rows: vec![TableRow {
                cells: vec![c],
                ..TableRow::default()
            }],
            header_rows: 0,
            cell_padding: padding,
            border_room: room,
        }
    }

    #[test]
    fn row_height_adds_top_and_bottom_padding() {
        let bare = one_cell_table(Padding::uniform(0.0), None, BorderRoom::Overlay);
        let (line, _, _) = set_one_row(&bare);
        let padded = Padding {
            top: 3.0,
            right: 0.0,
            bottom: 5.0,
            left: 7.0,
        };
        let (height, top, left) = set_one_row(&one_cell_table(padded, None, BorderRoom::Overlay));
        assert!((height - (line + 8.0)).abs() < 0.01, "{height} vs {line}");
        assert!((top - 3.0).abs() < 0.01);
        assert!((7.0..9.0).contains(&left), "text starts at {left}");
    }

    #[test]
    fn cell_padding_overrides_the_tables() {
        let cell = Padding {
            top: 10.0,
            ..Padding::uniform(0.0)
        };
        let (line, _, _) = set_one_row(&one_cell_table(
            Padding::uniform(0.0),
            None,
            BorderRoom::Overlay,
        ));
        let (height, top, _) = set_one_row(&one_cell_table(
            Padding::uniform(4.0),
            Some(cell),
            BorderRoom::Overlay,
        ));
        assert!((height - (line + 10.0)).abs() < 0.01);
        assert!((top - 10.0).abs() < 0.01);
    }

    #[test]
    fn borders_inside_the_cell_add_to_the_row() {
        let pad = Padding::uniform(2.0);
        let (over, top_over, left_over) =
            set_one_row(&one_cell_table(pad, None, BorderRoom::Overlay));
        let (inside, top_inside, left_inside) =
            set_one_row(&one_cell_table(pad, None, BorderRoom::Inside));
        // 1 pt borders on each side.
        assert!((inside - over - 2.0).abs() < 0.01, "{inside} vs {over}");
        assert!((top_inside - top_over - 1.0).abs() < 0.01);
        assert!((left_inside - left_over - 1.0).abs() < 0.01);
    }

    #[test]
    fn collapsed_borders_take_room_once_between_rows() {
        let mut table = one_cell_table(Padding::uniform(0.0), None, BorderRoom::Collapsed);
        let row = table.rows[0].clone();
        table.rows.push(row);
        let fonts = Fonts::committed();
        let mut missing = MissingGlyphs::default();
        let heights: Vec<f32> = fonts.with_font_system(|fs| {
            let mut setter = Setter::new(fs, &fonts, &mut missing);
            let set = set_table(&mut setter, &table, 400.0);
            set.rows.iter().map(|r| r.height).collect()
        });
        let (line, _, _) = set_one_row(&one_cell_table(
            Padding::uniform(0.0),
            None,
            BorderRoom::Overlay,
        ));
        // the first row: its top border; the last: top and bottom
        assert!((heights[0] - line - 1.0).abs() < 0.01, "{heights:?} {line}");
        assert!((heights[1] - line - 2.0).abs() < 0.01, "{heights:?} {line}");
    }

    #[test]
    fn hostile_padding_is_bounded() {
        let huge = Padding {
            top: f32::INFINITY,
            right: f32::NAN,
            bottom: 1e9,
            left: -5.0,
        };
        let (height, top, _) = set_one_row(&one_cell_table(huge, None, BorderRoom::Inside));
        assert!(height.is_finite() && height < 2.0 * MAX_PADDING + 50.0);
        assert!(top <= MAX_PADDING + 1.0);
    }
}
