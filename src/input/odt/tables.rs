//! ODF tables: column widths from column styles (repeated columns
//! expanded), header rows, cells with spans (covered cells skipped), cell
//! borders and background, cell content read as blocks.

use super::body::{BodyReader, Place};
use crate::doc::{BorderRoom, Borders, Padding, Table, TableCell, TableRow};
use crate::input::xml_tree::Element;

/// Most columns and rows one table may expand to (repeat counts are
/// untrusted: a spreadsheet-like table may say 1048576).
const MAX_COLUMNS: usize = 512;
const MAX_ROWS: usize = 20_000;
/// Most cells one table may expand to (repeated rows are copies).
const MAX_CELLS: usize = 200_000;
/// Cell padding where a cell's style sets none (Writer's default for new
/// tables, 0.1 cm).
const DEFAULT_PADDING: f32 = 2.8;
/// Largest padding taken from a document.
const MAX_PADDING: f32 = 144.0;

impl BodyReader<'_> {
    /// A `table:table` as a table; `None` when it has no cells.
    pub fn table(&mut self, e: &Element, depth: usize) -> Option<Table> {
        let mut widths: Vec<Option<f32>> = Vec::new();
        let mut rels: Vec<Option<f32>> = Vec::new();
        let mut rows = Vec::new();
        let mut header_rows = 0;
        self.table_parts(
            e,
            &mut widths,
            &mut rels,
            &mut rows,
            &mut header_rows,
            false,
            depth,
        );
        if rows.is_empty() {
            return None;
        }
        let used = rows
            .iter()
            .map(|r: &TableRow| {
                r.cells
                    .iter()
                    .map(|c| c.colspan.max(1) as usize)
                    .sum::<usize>()
            })
            .max()
            .unwrap_or(0)
            .clamp(1, MAX_COLUMNS);
        let ncols = used.max(widths.len().min(MAX_COLUMNS));
        let style = self
            .sheet
            .resolve(self.scope, "table", e.attr("table:style-name"));
        let table_width = style.table_width.filter(|w| *w > 0.0);
        let columns = column_widths(&widths, &rels, ncols, table_width);
        Some(Table {
            columns,
            rows,
            header_rows: header_rows.min(MAX_ROWS),
            cell_padding: Padding::uniform(DEFAULT_PADDING),
            // ODF's box model: padding inside the borders, both adding to
            // the cell's height; collapsing borders between rows count once.
            border_room: if style.table_collapsing == Some(true) {
                BorderRoom::Collapsed
            } else {
                BorderRoom::Inside
            },
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn table_parts(
        &mut self,
        e: &Element,
        widths: &mut Vec<Option<f32>>,
        rels: &mut Vec<Option<f32>>,
        rows: &mut Vec<TableRow>,
        header_rows: &mut usize,
        in_header: bool,
        depth: usize,
    ) {
        for part in e.elements() {
            match part.name.as_str() {
                "table:table-column" => {
                    let repeat = repeat_count(part.attr("table:number-columns-repeated"));
                    let style = self.sheet.resolve(
                        self.scope,
                        "table-column",
                        part.attr("table:style-name"),
                    );
                    for _ in 0..repeat {
                        if widths.len() >= MAX_COLUMNS {
                            break;
                        }
                        widths.push(style.column_width.filter(|w| *w > 0.0));
                        rels.push(style.rel_column_width.filter(|w| *w > 0.0));
                    }
                }
                "table:table-columns"
                | "table:table-header-columns"
                | "table:table-column-group" => {
                    self.table_parts(part, widths, rels, rows, header_rows, in_header, depth)
                }
                "table:table-header-rows" => {
                    self.table_parts(part, widths, rels, rows, header_rows, true, depth)
                }
                "table:table-rows" | "table:table-row-group" => {
                    self.table_parts(part, widths, rels, rows, header_rows, in_header, depth)
                }
                "table:table-row" => {
                    let repeat = repeat_count(part.attr("table:number-rows-repeated"));
                    let row = self.row(part, depth);
                    for _ in 0..repeat {
                        let cells = rows.iter().map(|r: &TableRow| r.cells.len()).sum::<usize>();
                        if rows.len() >= MAX_ROWS || cells + row.cells.len() > MAX_CELLS {
                            self.warnings
                                .count("table rows past the limit were left out");
                            break;
                        }
                        // header rows only count while they lead the table
                        if in_header && *header_rows == rows.len() {
                            *header_rows += 1;
                        }
                        rows.push(row.clone());
                    }
                }
                _ => {}
            }
        }
    }

    fn row(&mut self, e: &Element, depth: usize) -> TableRow {
        let mut cells = Vec::new();
        let mut columns = 0usize;
        for c in e.elements() {
            if c.name != "table:table-cell" {
                // covered cells are the area of a span: the spanning cell
                // draws them
                continue;
            }
            let colspan = span(c.attr("table:number-columns-spanned"));
            let rowspan = span(c.attr("table:number-rows-spanned"));
            let style = self
                .sheet
                .resolve(self.scope, "table-cell", c.attr("table:style-name"));
            let b = style.cell.borders;
            let borders = Borders {
                top: b[0].unwrap_or(0.0),
                bottom: b[1].unwrap_or(0.0),
                left: b[2].unwrap_or(0.0),
                right: b[3].unwrap_or(0.0),
            };
            let mut blocks = Vec::new();
            self.blocks(c, Place::Nested, depth + 1, &mut blocks);
            let cell = TableCell {
                blocks,
                colspan,
                rowspan,
                borders,
                shade: style.cell.shade.unwrap_or(255),
                padding: cell_padding(style.cell.padding),
            };
            let repeat = repeat_count(c.attr("table:number-columns-repeated"));
            for _ in 0..repeat {
                if columns >= MAX_COLUMNS {
                    break;
                }
                columns += colspan as usize;
                cells.push(cell.clone());
            }
        }
        TableRow {
            cells,
            cant_split: false,
            min_height: 0.0,
        }
    }
}

/// A cell's own padding from its style's `fo:padding-*`, sides it does not
/// set at the table's default; `None` when it sets none.
fn cell_padding(sides: [Option<f32>; 4]) -> Option<Padding> {
    if sides.iter().all(Option::is_none) {
        return None;
    }
    let [top, bottom, left, right] = sides.map(|s| s.unwrap_or(DEFAULT_PADDING));
    Some(
        Padding {
            top,
            right,
            bottom,
            left,
        }
        .clamped(MAX_PADDING),
    )
}

fn repeat_count(v: Option<&str>) -> usize {
    v.and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_ROWS)
}

fn span(v: Option<&str>) -> u16 {
    v.and_then(|v| v.parse::<u16>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_COLUMNS as u16)
}

/// Column widths in points: the declared absolute widths; else relative
/// widths shared out over the table width; columns without either share
/// what is left (or 1 inch each when nothing is known; the typesetter
/// scales a table wider than the page down).
fn column_widths(
    widths: &[Option<f32>],
    rels: &[Option<f32>],
    ncols: usize,
    table_width: Option<f32>,
) -> Vec<f32> {
    let get = |v: &[Option<f32>], i: usize| v.get(i).copied().flatten();
    let all_absolute = (0..ncols).all(|i| get(widths, i).is_some());
    if all_absolute {
        return (0..ncols).map(|i| get(widths, i).unwrap_or(72.0)).collect();
    }
    let total = table_width.unwrap_or(72.0 * ncols as f32);
    let rel_sum: f32 = (0..ncols).filter_map(|i| get(rels, i)).sum();
    if (0..ncols).all(|i| get(rels, i).is_some()) && rel_sum > 0.0 {
        return (0..ncols)
            .map(|i| total * get(rels, i).unwrap_or(0.0) / rel_sum)
            .collect();
    }
    let known: f32 = (0..ncols).filter_map(|i| get(widths, i)).sum();
    let unknown = (0..ncols).filter(|i| get(widths, *i).is_none()).count();
    let share = ((total - known) / unknown.max(1) as f32).max(18.0);
    (0..ncols)
        .map(|i| get(widths, i).unwrap_or(share))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_from_absolute_relative_and_nothing() {
        assert_eq!(
            column_widths(&[Some(100.0), Some(50.0)], &[], 2, None),
            vec![100.0, 50.0]
        );
        assert_eq!(
            column_widths(&[None, None], &[Some(1.0), Some(3.0)], 2, Some(400.0)),
            vec![100.0, 300.0]
        );
        assert_eq!(
            column_widths(&[Some(100.0)], &[], 3, Some(300.0)),
            vec![100.0, 100.0, 100.0]
        );
        assert_eq!(column_widths(&[], &[], 2, None), vec![72.0, 72.0]);
    }
}
