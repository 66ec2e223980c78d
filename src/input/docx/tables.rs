//! Tables: the grid (`w:tblGrid`), cells spanning columns (`gridSpan`) and
//! rows (`vMerge`), borders from the table style, `tblBorders` and
//! `tcBorders`, cell margins from the table style, `tblCellMar` and `tcMar`,
//! cell shading, and repeated header rows (`tblHeader`).

use super::body::Converter;
use super::styles::{shade_of_fill, twips, BorderSet, CellMargins, TableProps, WORD_CELL_MARGINS};
use crate::doc::{Block, BorderRoom, Borders, Table, TableCell, TableRow};
use crate::input::xml_tree::Element;

/// Most columns and rows of one table (hostile grids are cut here).
const MAX_COLUMNS: usize = 64;
const MAX_ROWS: usize = 20_000;
/// Largest cell margin taken from a document (Word allows 22").
const MAX_MARGIN: f32 = 144.0;

impl Converter<'_> {
    pub(super) fn table(&mut self, tbl: &Element, out: &mut Vec<Block>) {
        let tbl_pr = tbl.child("tblPr");
        let style_id = tbl_pr
            .and_then(|p| p.child("tblStyle"))
            .and_then(|s| s.val())
            .map(str::to_string)
            .or_else(|| self.styles.default_table_style.clone());
        let (mut props, para, run) = match &style_id {
            Some(id) => self.styles.table_style(id),
            None => Default::default(),
        };
        if let Some(p) = tbl_pr {
            props.overlay(&TableProps::parse(p));
        }

        let mut columns: Vec<f32> = tbl
            .child("tblGrid")
            .map(|g| {
                g.children_named("gridCol")
                    .filter_map(|c| c.attr("w").and_then(twips))
                    .map(|w| w.max(0.0))
                    .take(MAX_COLUMNS)
                    .collect()
            })
            .unwrap_or_default();
        let rows_el: Vec<&Element> = rows_of(tbl).into_iter().take(MAX_ROWS).collect();
        let needed = rows_el
            .iter()
            .map(|r| row_width_in_columns(r))
            .max()
            .unwrap_or(1)
            .clamp(1, MAX_COLUMNS);
        if columns.len() < needed || columns.iter().all(|w| *w < 1.0) {
            let w = columns.iter().copied().fold(0.0, f32::max).max(72.0);
            columns.resize(needed, w);
            for c in &mut columns {
                if *c < 1.0 {
                    *c = w;
                }
            }
        }
        let ncols = columns.len();
        let table_padding = props
            .cell_margins
            .over(WORD_CELL_MARGINS)
            .clamped(MAX_MARGIN);

        self.table_stack.push((para, run));
        let mut rows: Vec<TableRow> = Vec::new();
        // The cell a vertical merge continues, per grid column: (row, cell).
        let mut merge_owner: Vec<Option<(usize, usize)>> = vec![None; ncols];
        let mut header_rows = 0;
        let mut header_run = true;
        for tr in &rows_el {
            let tr_pr = tr.child("trPr");
            let is_header = tr_pr
                .and_then(|p| p.child("tblHeader"))
                .is_some_and(Element::is_on);
            if is_header && header_run {
                header_rows += 1;
            } else {
                header_run = false;
            }
            let ri = rows.len();
            let mut row = TableRow {
                cells: Vec::new(),
                cant_split: tr_pr
                    .and_then(|p| p.child("cantSplit"))
                    .is_some_and(Element::is_on),
                min_height: 0.0,
            };
            let mut col = grid_skip(tr_pr, "gridBefore");
            if col > 0 {
                row.cells.push(blank_cell(col.min(ncols)));
            }
            for tc in cells_of(tr) {
                if col >= ncols {
                    break;
                }
                let tc_pr = tc.child("tcPr");
                let span = tc_pr
                    .and_then(|p| p.child("gridSpan"))
                    .and_then(|s| s.val())
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, ncols - col);
                let merge = tc_pr.and_then(|p| p.child("vMerge"));
                let continues = merge.is_some_and(|m| m.val().is_none_or(|v| v == "continue"));
                if continues {
                    if let Some((r, c)) = merge_owner[col] {
                        if let Some(owner) = rows.get_mut(r).and_then(|row| row.cells.get_mut(c)) {
                            owner.rowspan = owner.rowspan.saturating_add(1);
                            col += span;
                            continue;
                        }
                    }
                }
                let mut blocks = Vec::new();
                self.blocks(tc, &mut blocks, false);
                let borders = cell_borders(
                    &props.borders,
                    tc_pr,
                    ri == 0,
                    col == 0,
                    col + span >= ncols,
                );
                let shade = tc_pr
                    .and_then(|p| p.child("shd"))
                    .and_then(|s| s.attr("fill"))
                    .map(shade_of_fill)
                    .or(props.shade)
                    .unwrap_or(255);
                let padding = tc_pr.and_then(|p| p.child("tcMar")).map(|m| {
                    CellMargins::parse(m)
                        .over(table_padding)
                        .clamped(MAX_MARGIN)
                });
                let owner = (ri, row.cells.len());
                for slot in &mut merge_owner[col..col + span] {
                    *slot = merge.is_some().then_some(owner);
                }
                row.cells.push(TableCell {
                    blocks,
                    colspan: span as u16,
                    rowspan: 1,
                    borders,
                    shade,
                    padding,
                });
                col += span;
            }
            rows.push(row);
        }
        self.table_stack.pop();
        // The last row's cells (and cells merged down to it) take the
        // table's bottom border.
        fix_bottom_borders(&mut rows, &props.borders);
        if rows.is_empty() {
            return;
        }
        out.push(Block::Table(Table {
            columns,
            rows,
            header_rows,
            cell_padding: table_padding,
            // Word and LibreOffice put the margins inside the borders, and
            // the border between two rows counts once; with cell spacing
            // every cell is a box of its own.
            border_room: if props.cell_spacing.unwrap_or(0.0) > 0.0 {
                BorderRoom::Inside
            } else {
                BorderRoom::Collapsed
            },
        }));
    }
}

/// Rows of a table, including those wrapped in content controls.
fn rows_of(tbl: &Element) -> Vec<&Element> {
    let mut out = Vec::new();
    for e in tbl.elements() {
        match e.name.as_str() {
            "tr" => out.push(e),
            "sdt" | "customXml" => {
                if let Some(c) = e.child("sdtContent").or(Some(e)) {
                    out.extend(c.children_named("tr"));
                }
            }
            _ => {}
        }
    }
    out
}

fn cells_of(tr: &Element) -> Vec<&Element> {
    let mut out = Vec::new();
    for e in tr.elements() {
        match e.name.as_str() {
            "tc" => out.push(e),
            "sdt" | "customXml" => {
                if let Some(c) = e.child("sdtContent").or(Some(e)) {
                    out.extend(c.children_named("tc"));
                }
            }
            _ => {}
        }
    }
    out
}

fn grid_skip(tr_pr: Option<&Element>, name: &str) -> usize {
    tr_pr
        .and_then(|p| p.child(name))
        .and_then(|g| g.val())
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_COLUMNS)
}

/// Grid columns a row covers (for tables whose grid is missing or short).
fn row_width_in_columns(tr: &Element) -> usize {
    let tr_pr = tr.child("trPr");
    let spans: usize = cells_of(tr)
        .iter()
        .map(|tc| {
            tc.child("tcPr")
                .and_then(|p| p.child("gridSpan"))
                .and_then(|s| s.val())
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, MAX_COLUMNS)
        })
        .sum();
    spans + grid_skip(tr_pr, "gridBefore") + grid_skip(tr_pr, "gridAfter")
}

fn blank_cell(span: usize) -> TableCell {
    TableCell {
        blocks: Vec::new(),
        colspan: span.max(1) as u16,
        rowspan: 1,
        borders: Borders::default(),
        shade: 255,
        padding: None,
    }
}

/// A cell's borders: the table's outer or inside borders by position,
/// overridden by the cell's own `tcBorders`.
fn cell_borders(
    table: &BorderSet,
    tc_pr: Option<&Element>,
    first_row: bool,
    first_col: bool,
    last_col: bool,
) -> Borders {
    let mut set = BorderSet {
        top: if first_row { table.top } else { table.inside_h },
        bottom: table.inside_h,
        left: if first_col {
            table.left
        } else {
            table.inside_v
        },
        right: if last_col {
            table.right
        } else {
            table.inside_v
        },
        ..BorderSet::default()
    };
    if let Some(b) = tc_pr.and_then(|p| p.child("tcBorders")) {
        set.overlay(&BorderSet::parse(b));
    }
    Borders {
        top: set.top.unwrap_or(0.0),
        bottom: set.bottom.unwrap_or(0.0),
        left: set.left.unwrap_or(0.0),
        right: set.right.unwrap_or(0.0),
    }
}

fn fix_bottom_borders(rows: &mut [TableRow], table: &BorderSet) {
    let n = rows.len();
    let inside = table.inside_h.unwrap_or(0.0);
    let bottom = table.bottom.unwrap_or(0.0);
    for (ri, row) in rows.iter_mut().enumerate() {
        for cell in &mut row.cells {
            if ri + cell.rowspan.max(1) as usize >= n && cell.borders.bottom == inside {
                cell.borders.bottom = bottom;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outer_and_inside_borders_by_position() {
        let t = BorderSet {
            top: Some(1.0),
            bottom: Some(1.0),
            left: Some(1.0),
            right: Some(1.0),
            inside_h: Some(0.5),
            inside_v: Some(0.25),
        };
        let b = cell_borders(&t, None, true, false, true);
        assert_eq!((b.top, b.bottom, b.left, b.right), (1.0, 0.5, 0.25, 1.0));
    }
}
