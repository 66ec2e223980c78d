//! HTML tables into doc tables: rows from `<thead>`/`<tbody>`/`<tfoot>`
//! (header rows repeat on every page), cells with colspan/rowspan, and
//! column widths from CSS 2.1's automatic layout (each column between its
//! cells' min-content and max-content widths, estimated from the text) or
//! the fixed layout (first row's widths, the rest shared equally).

use super::build::{Builder, Ctx, Flow};
use super::style::{Display, Len, Style};
use crate::doc::{Block, BorderRoom, Borders, Padding, Table, TableCell, TableRow};
use scraper::ElementRef;

/// At most this many cells per table; the rest are dropped (warned).
const MAX_CELLS: usize = 20_000;
/// At most this many columns.
const MAX_COLUMNS: usize = 1000;

struct CellIn {
    cell: TableCell,
    width: Len,
}

struct RowIn {
    cells: Vec<CellIn>,
    cant_split: bool,
}

/// Builds a table element; None when it has no cells.
pub fn build(b: &mut Builder<'_>, table: ElementRef<'_>, style: &Style, ctx: Ctx) -> Option<Table> {
    // The table's width, when given.
    let avail = ctx.width.max(12.0);
    let given = match style.width {
        Len::Auto => None,
        l => Some(l.resolve(avail).clamp(12.0, avail.max(12.0) * 4.0)),
    };
    let max_width = match style.max_width {
        Len::Auto => None,
        l => Some(l.resolve(avail)),
    };
    let border_attr: f32 = table
        .value()
        .attr("border")
        .map(|v| v.trim().parse::<f32>().unwrap_or(1.0))
        .unwrap_or(0.0);
    let padding_attr = table
        .value()
        .attr("cellpadding")
        .and_then(|v| v.trim().parse::<f32>().ok());

    // Rows, in order: header group, body, footer.
    let mut header: Vec<(ElementRef, Style)> = Vec::new();
    let mut body: Vec<(ElementRef, Style)> = Vec::new();
    let mut footer: Vec<(ElementRef, Style)> = Vec::new();
    let mut captions = Vec::new();
    for child in table.children().filter_map(ElementRef::wrap) {
        let Some(cs) = b.style(child, style) else {
            break;
        };
        match (child.value().name(), cs.display) {
            (_, Display::None) => {}
            ("caption", _) | (_, Display::TableCaption) => captions.push((child, cs)),
            (_, Display::TableRow) => body.push((child, cs)),
            (tag, Display::TableHeaderGroup | Display::TableRowGroup) => {
                let target = match (tag, cs.display) {
                    (_, Display::TableHeaderGroup) if body.is_empty() => &mut header,
                    ("tfoot", _) => &mut footer,
                    _ => &mut body,
                };
                for row in child.children().filter_map(ElementRef::wrap) {
                    if let Some(rs) = b.style(row, &cs) {
                        if rs.display == Display::TableRow {
                            let rs = with_background(rs, &cs);
                            target.push((row, rs));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let header_rows = header.len();
    let rows_in: Vec<(ElementRef, Style)> = header.into_iter().chain(body).chain(footer).collect();
    if rows_in.is_empty() {
        return None;
    }
    // A first guess at the column count, for the width cells are built at.
    let guess_cols = rows_in
        .iter()
        .map(|(r, _)| {
            r.children()
                .filter_map(ElementRef::wrap)
                .map(|c| span_attr(c, "colspan", 1) as usize)
                .sum::<usize>()
        })
        .max()
        .unwrap_or(1)
        .clamp(1, MAX_COLUMNS);
    let table_w = given.unwrap_or(avail).min(max_width.unwrap_or(f32::MAX));
    let _ = guess_cols;

    let mut cells_total = 0usize;
    let mut rows: Vec<RowIn> = Vec::new();
    let mut padding: Option<f32> = padding_attr.map(|p| p * 0.75);
    for (row, rs) in &rows_in {
        let row_style = with_background(rs.clone(), style);
        let mut cells = Vec::new();
        let widths = estimate_cell_widths(b, *row, &row_style, table_w);
        for (cell, cell_ctx_width) in row.children().filter_map(ElementRef::wrap).zip(widths) {
            if cells_total >= MAX_CELLS {
                b.report.capped_cells = true;
                break;
            }
            let Some(cs) = b.style(cell, &row_style) else {
                break;
            };
            if cs.display == Display::None {
                continue;
            }
            cells_total += 1;
            if padding.is_none() {
                padding = Some(cs.padding.iter().sum::<f32>() / 4.0);
            }
            // The doc table has one padding for every cell: a cell's own
            // extra padding becomes indents and space around its content.
            let table_pad = padding.unwrap_or(0.0);
            let extra = cs.padding.map(|p| (p - table_pad).max(0.0));
            let inner_ctx = Ctx {
                indent_left: extra[3],
                indent_right: extra[1],
                width: (cell_ctx_width - extra[1] - extra[3]).max(12.0),
                list_level: 0,
                depth: ctx.depth + 1,
                tables: ctx.tables + 1,
            };
            let mut flow = Flow::new(&inner_ctx, &cs);
            flow.add_space(extra[0]);
            b.children(*cell, &cs, inner_ctx, &mut flow);
            flow.flush_end();
            flow.end_space(extra[2]);
            let drawn = cs.drawn_border();
            let mut borders = Borders {
                top: drawn[0],
                right: drawn[1],
                bottom: drawn[2],
                left: drawn[3],
            };
            if border_attr > 0.0 && borders == Borders::default() {
                borders = Borders::all(0.75);
            }
            let shade = if cs.background < 255 {
                cs.drawn_background()
            } else {
                row_style.drawn_background()
            };
            cells.push(CellIn {
                cell: TableCell {
                    blocks: flow.blocks,
                    colspan: span_attr(cell, "colspan", 1).min(MAX_COLUMNS as u16),
                    rowspan: span_attr(cell, "rowspan", 1),
                    borders,
                    shade,
                    padding: None,
                },
                width: cs.width,
            });
        }
        rows.push(RowIn {
            cells,
            cant_split: rs.avoid_break_inside,
        });
    }
    let pad = padding.unwrap_or(0.75).clamp(0.0, 40.0);
    let columns = column_widths(&rows, pad, table_w, given.is_some(), style.table_fixed);
    add_table_border(&mut rows, style, columns.len());
    let mut out_rows: Vec<TableRow> = Vec::new();
    for (i, (caption, cs)) in captions.into_iter().enumerate() {
        let inner_ctx = Ctx {
            indent_left: 0.0,
            indent_right: 0.0,
            width: table_w,
            list_level: 0,
            depth: ctx.depth + 1,
            tables: ctx.tables + 1,
        };
        let mut flow = Flow::new(&inner_ctx, &cs);
        b.children(*caption, &cs, inner_ctx, &mut flow);
        flow.flush_end();
        if i == 0 && !flow.blocks.is_empty() {
            out_rows.push(TableRow {
                cells: vec![TableCell {
                    blocks: flow.blocks,
                    colspan: columns.len().min(u16::MAX as usize) as u16,
                    rowspan: 1,
                    borders: Borders::default(),
                    shade: 255,
                    padding: None,
                }],
                cant_split: true,
                min_height: 0.0,
            });
        }
    }
    let caption_rows = out_rows.len();
    out_rows.extend(rows.into_iter().map(|r| TableRow {
        cells: r.cells.into_iter().map(|c| c.cell).collect(),
        cant_split: r.cant_split,
        min_height: 0.0,
    }));
    Some(Table {
        columns,
        rows: out_rows,
        header_rows: if header_rows > 0 {
            header_rows + caption_rows
        } else {
            0
        },
        cell_padding: Padding::uniform(pad),
        border_room: BorderRoom::Overlay,
    })
}

/// The width each cell of a row is built at (before the columns are
/// known): its own width when set, else a share of what the row's set
/// widths leave. Cells hold percentages and nested tables sized from it.
fn estimate_cell_widths(
    b: &mut Builder<'_>,
    row: ElementRef<'_>,
    row_style: &Style,
    table_w: f32,
) -> Vec<f32> {
    let mut set: Vec<Option<f32>> = Vec::new();
    for cell in row
        .children()
        .filter_map(ElementRef::wrap)
        .take(MAX_COLUMNS)
    {
        let width = b.cascade.peek_width(cell, row_style);
        set.push(match width {
            Len::Auto => None,
            l => Some(l.resolve(table_w).clamp(12.0, table_w.max(12.0))),
        });
    }
    let taken: f32 = set.iter().flatten().sum();
    let unset = set.iter().filter(|w| w.is_none()).count().max(1);
    let share = ((table_w - taken) / unset as f32)
        .max(table_w / (set.len().max(1) as f32) / 2.0)
        .max(12.0);
    set.into_iter().map(|w| w.unwrap_or(share)).collect()
}

/// A table narrower than `width` centred: set in the middle column of a
/// borderless three-column table (the doc model has no table alignment).
pub fn centered(table: Table, width: f32) -> Table {
    let w: f32 = table.columns.iter().sum::<f32>();
    let side = (width - w) / 2.0;
    if side < 1.0 {
        return table;
    }
    let empty = || TableCell {
        blocks: Vec::new(),
        colspan: 1,
        rowspan: 1,
        borders: Borders::default(),
        shade: 255,
        padding: None,
    };
    Table {
        columns: vec![side, w, side],
        rows: vec![TableRow {
            cells: vec![
                empty(),
                TableCell {
                    blocks: vec![Block::Table(table)],
                    ..empty()
                },
                empty(),
            ],
            cant_split: false,
            min_height: 0.0,
        }],
        header_rows: 0,
        cell_padding: Padding::uniform(0.0),
        border_room: BorderRoom::Overlay,
    }
}

fn with_background(mut child: Style, parent: &Style) -> Style {
    if child.background == 255 {
        child.background = parent.background;
    }
    child
}

fn span_attr(cell: ElementRef<'_>, name: &str, default: u16) -> u16 {
    cell.value()
        .attr(name)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .map(|v| v.clamp(1, 65_534) as u16)
        .unwrap_or(default)
}

/// The grid column each cell starts in (rowspans from above taken into
/// account), and the column count.
fn place(rows: &[RowIn]) -> (Vec<Vec<usize>>, usize) {
    let mut taken: Vec<u16> = Vec::new();
    let mut starts = Vec::with_capacity(rows.len());
    let mut ncols = 0;
    for row in rows {
        let mut col = 0;
        let mut row_starts = Vec::with_capacity(row.cells.len());
        for cell in &row.cells {
            while col < taken.len() && taken[col] > 0 {
                col += 1;
            }
            let span = cell.cell.colspan.max(1) as usize;
            let end = (col + span).min(MAX_COLUMNS);
            if taken.len() < end {
                taken.resize(end, 0);
            }
            for t in &mut taken[col..end] {
                *t = (*t).max(cell.cell.rowspan.max(1));
            }
            row_starts.push(col);
            col = end;
            ncols = ncols.max(end);
        }
        for t in &mut taken {
            *t = t.saturating_sub(1);
        }
        starts.push(row_starts);
    }
    (starts, ncols.max(1))
}

/// Column widths in points.
fn column_widths(
    rows: &[RowIn],
    pad: f32,
    table_w: f32,
    fixed_width: bool,
    fixed_layout: bool,
) -> Vec<f32> {
    let (starts, ncols) = place(rows);
    let mut min = vec![0.0f32; ncols];
    let mut max = vec![0.0f32; ncols];
    let mut set: Vec<Option<f32>> = vec![None; ncols];
    let mut spanning = Vec::new();
    for (ri, row) in rows.iter().enumerate() {
        for (ci, cell) in row.cells.iter().enumerate() {
            let col = starts[ri][ci];
            let span = (cell.cell.colspan.max(1) as usize).min(ncols - col);
            let (mut lo, mut hi) = measure_blocks(&cell.cell.blocks, 0);
            let extra = 2.0 * pad + cell.cell.borders.left + cell.cell.borders.right;
            lo += extra;
            hi += extra;
            let width = match cell.width {
                Len::Auto => None,
                l => Some(
                    l.resolve(table_w)
                        + if matches!(l, Len::Pt(_)) {
                            2.0 * pad
                        } else {
                            0.0
                        },
                ),
            };
            if span == 1 {
                if let Some(w) = width {
                    set[col] = Some(set[col].map_or(w, |s: f32| s.max(w)));
                }
                min[col] = min[col].max(lo);
                max[col] = max[col].max(hi);
            } else {
                spanning.push((col, span, lo, hi));
            }
        }
        if fixed_layout && ri == 0 {
            break;
        }
    }
    for (c, w) in set.iter().enumerate() {
        if let Some(w) = w {
            max[c] = w.max(min[c]);
            if fixed_layout {
                min[c] = *w;
            }
        }
    }
    for (col, span, lo, hi) in spanning {
        let have_lo: f32 = min[col..col + span].iter().sum();
        let have_hi: f32 = max[col..col + span].iter().sum();
        if lo > have_lo {
            let add = (lo - have_lo) / span as f32;
            min[col..col + span].iter_mut().for_each(|m| *m += add);
        }
        if hi > have_hi {
            let add = (hi - have_hi) / span as f32;
            max[col..col + span].iter_mut().for_each(|m| *m += add);
        }
    }
    for c in 0..ncols {
        max[c] = max[c].max(min[c]).max(2.0 * pad + 1.0);
    }
    if fixed_layout {
        let given: f32 = set.iter().flatten().sum();
        let unset = set.iter().filter(|s| s.is_none()).count();
        let share = if unset > 0 {
            ((table_w - given) / unset as f32).max(2.0 * pad + 1.0)
        } else {
            0.0
        };
        return set.iter().map(|s| s.unwrap_or(share)).collect();
    }
    let sum_min: f32 = min.iter().sum();
    let sum_max: f32 = max.iter().sum();
    let target = if fixed_width {
        table_w
    } else {
        table_w.min(sum_max)
    };
    if sum_max <= target {
        // Everything fits: grow columns in proportion to their content
        // (columns with a set width keep it when others can grow).
        let grow: f32 = max
            .iter()
            .zip(&set)
            .filter(|(_, s)| s.is_none())
            .map(|(m, _)| m)
            .sum();
        let extra = target - sum_max;
        if grow > 0.0 {
            max.iter()
                .zip(&set)
                .map(|(m, s)| {
                    if s.is_none() {
                        m + extra * m / grow
                    } else {
                        *m
                    }
                })
                .collect()
        } else {
            max.iter()
                .map(|m| m + extra * m / sum_max.max(0.01))
                .collect()
        }
    } else if sum_min >= target {
        min
    } else {
        let t = (target - sum_min) / (sum_max - sum_min).max(0.01);
        min.iter()
            .zip(&max)
            .map(|(lo, hi)| lo + (hi - lo) * t)
            .collect()
    }
}

/// The table's own border drawn on the outer edges of its edge cells.
fn add_table_border(rows: &mut [RowIn], style: &Style, ncols: usize) {
    let b = style.drawn_border();
    if b.iter().all(|w| *w == 0.0) {
        return;
    }
    let (starts, _) = place(rows);
    let last = rows.len().saturating_sub(1);
    for (ri, row) in rows.iter_mut().enumerate() {
        for (ci, cell) in row.cells.iter_mut().enumerate() {
            let col = starts[ri][ci];
            let span = cell.cell.colspan.max(1) as usize;
            let bd = &mut cell.cell.borders;
            if ri == 0 {
                bd.top = bd.top.max(b[0]);
            }
            if ri + cell.cell.rowspan.max(1) as usize > last {
                bd.bottom = bd.bottom.max(b[2]);
            }
            if col == 0 {
                bd.left = bd.left.max(b[3]);
            }
            if col + span >= ncols {
                bd.right = bd.right.max(b[1]);
            }
        }
    }
}

/// Estimated (min-content, max-content) width of blocks, in points: the
/// longest word, and the longest line unbroken.
pub fn measure_blocks(blocks: &[Block], depth: usize) -> (f32, f32) {
    let mut lo = 0.0f32;
    let mut hi = 0.0f32;
    for block in blocks {
        let (l, h) = match block {
            Block::Paragraph(p) | Block::Heading { paragraph: p, .. } => measure_paragraph(p),
            Block::ListItem { paragraph: p, .. } => {
                let (l, h) = measure_paragraph(p);
                let indent = if p.indent_left == 0.0 { 18.0 } else { 0.0 };
                (l + indent, h + indent)
            }
            Block::Table(t) if depth < 16 => {
                let w: f32 = t.columns.iter().sum();
                (w, w)
            }
            Block::Image(i) => (i.width, i.width),
            _ => (0.0, 0.0),
        };
        lo = lo.max(l);
        hi = hi.max(h);
    }
    (lo, hi)
}

fn measure_paragraph(p: &crate::doc::Paragraph) -> (f32, f32) {
    let indents = p.indent_left + p.indent_right;
    let mut longest_word = 0.0f32;
    let mut word = 0.0f32;
    let mut line = 0.0f32;
    for run in &p.runs {
        let s = &run.style;
        let factor = if crate::layout::fonts::resolve_family(&s.family)
            == crate::layout::fonts::family::MONO
        {
            0.6
        } else if s.bold {
            0.55
        } else {
            0.5
        };
        for c in run.text.chars() {
            let w = s.size
                * match c {
                    ' ' => 0.28,
                    'i' | 'l' | 'j' | 't' | 'f' | 'r' | '.' | ',' | ':' | ';' | '\'' | '|'
                    | '!' => factor * 0.6,
                    'm' | 'w' | 'M' | 'W' | '@' => factor * 1.6,
                    c if c.is_uppercase() => factor * 1.3,
                    _ => factor,
                };
            line += w;
            if c == ' ' {
                word = 0.0;
            } else {
                word += w;
                longest_word = longest_word.max(word);
            }
        }
    }
    (longest_word + indents, line + indents + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Paragraph, RunStyle};

    fn cell(text: &str, colspan: u16) -> CellIn {
        CellIn {
            cell: TableCell {
                blocks: vec![Block::Paragraph(Paragraph::plain(
                    text,
                    RunStyle::sans(10.0),
                ))],
                colspan,
                rowspan: 1,
                borders: Borders::default(),
                shade: 255,
                padding: None,
            },
            width: Len::Auto,
        }
    }

    fn row(cells: Vec<CellIn>) -> RowIn {
        RowIn {
            cells,
            cant_split: false,
        }
    }

    #[test]
    fn auto_layout_gives_long_text_more_room() {
        let rows = vec![row(vec![
            cell("Qty", 1),
            cell(
                "A long description of the item that was sold to the customer",
                1,
            ),
        ])];
        let cols = column_widths(&rows, 2.0, 400.0, true, false);
        assert_eq!(cols.len(), 2);
        assert!((cols.iter().sum::<f32>() - 400.0).abs() < 0.5);
        assert!(cols[1] > cols[0] * 4.0, "{cols:?}");
    }

    #[test]
    fn auto_width_tables_shrink_to_content() {
        let rows = vec![row(vec![cell("a", 1), cell("b", 1)])];
        let cols = column_widths(&rows, 2.0, 400.0, false, false);
        assert!(cols.iter().sum::<f32>() < 40.0, "{cols:?}");
    }

    #[test]
    fn spans_and_rowspans_are_placed() {
        let mut tall = cell("x", 1);
        tall.cell.rowspan = 2;
        let rows = vec![
            row(vec![tall, cell("a", 2)]),
            row(vec![cell("b", 1), cell("c", 1)]),
        ];
        let (starts, ncols) = place(&rows);
        assert_eq!(ncols, 3);
        assert_eq!(starts, vec![vec![0, 1], vec![1, 2]]);
    }

    #[test]
    fn min_content_is_the_longest_word() {
        let p = Paragraph::plain("aa aaaa", RunStyle::sans(10.0));
        let (lo, hi) = measure_paragraph(&p);
        assert!((lo - 20.0).abs() < 0.01 && hi > lo);
    }
}
