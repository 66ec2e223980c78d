//! Spreadsheets (xlsx, xlsm, xlsb, xls, ods) as paginated tables on our
//! typesetter: every non-empty sheet in order, a bold caption with its
//! name, thin grid lines, numbers right-aligned, merged cells as spans and
//! the first row repeated at the top of every page a table continues on.
//! A sheet's pictures (ods) follow its table, each fitted to a page.
//!
//! A sheet too wide for the page at a readable size is cut into column
//! slices and printed like Excel's "over, then down" order: a band of rows
//! for columns A–F, the same rows for G–L, then the next band. Each
//! band/slice is its own table starting on a new page, captioned with the
//! columns and rows it shows. (The layout has no landscape pages, so
//! slicing is the only way to keep wide sheets readable.)
//!
//! Reading the cells is [`super::sheet_grid`]'s job; this module only
//! turns grids into a [`Document`].

use super::sheet_grid::{read_workbook, SheetGrid};
use super::sniff::Format;
use super::source::{OpenContext, OpenedDocument};
use super::text::{page_setup_for, typeset};
use crate::doc::{
    Align, Block, BorderRoom, Borders, Document, Image, Padding, PageSetup, Paragraph, RunStyle,
    Table, TableCell, TableRow,
};
use crate::error::{Error, Result};
use crate::geometry::PageGeometry;

/// Cell text size in points (Liberation Sans through "sans-serif").
pub const CELL_SIZE: f32 = 8.0;
/// The smallest size a sheet is shrunk to before it is sliced instead.
const MIN_FIT_SIZE: f32 = 7.0;
/// Caption size in points.
const CAPTION_SIZE: f32 = 10.0;
/// Advance budgeted per character, in ems: Liberation Sans digits are
/// 0.556 em, capitals wider; a column sized to its widest text must not
/// wrap it.
const CHAR_EM: f32 = 0.6;
/// Column widths are clamped to this many characters.
const MIN_COLUMN_CHARS: u32 = 4;
const MAX_COLUMN_CHARS: u32 = 40;
/// Padding inside every cell and the grid line width, in points.
const CELL_PADDING: f32 = 2.0;
const GRID_LINE: f32 = 0.5;
/// Line height of Liberation Sans as a multiple of its size.
const LINE_EM: f32 = 1.15;
/// Page margins in points (half an inch).
const MARGIN: f32 = 36.0;
/// Share of the page a band of rows is planned to fill: row heights are
/// estimated, and a band that overflows would leave a nearly empty page.
const BAND_FILL: f32 = 0.85;

/// Opens a spreadsheet.
pub fn open(bytes: &[u8], ctx: &OpenContext) -> Result<OpenedDocument> {
    let book = read_workbook(bytes, &ctx.limits)?;
    if book.sheets.is_empty() {
        if book.empty_merges > 0 {
            // LibreOffice prints such a workbook as one blank page
            return Err(Error::bad_input(format!(
                "the spreadsheet has no cells with content: only {} merged cell regions, all empty, which print as a blank page",
                book.empty_merges
            )));
        }
        return Err(Error::bad_input(
            "the spreadsheet has no cells with content (charts are not rendered)",
        ));
    }
    let setup = page_setup_for(&ctx.geometry, MARGIN, MARGIN);
    check_page_estimate(&book.sheets, &setup, ctx.limits.max_pages as usize)?;
    let doc = workbook_document(&book.sheets, &ctx.geometry);
    let mut opened = typeset(&doc, Format::Xlsx, ctx)?;
    let mut warnings = book.warnings;
    if !book.skipped.is_empty() {
        warnings.insert(
            0,
            format!(
                "sheets with no cells to show were left out (charts are not rendered): {}",
                book.skipped.join(", ")
            ),
        );
    }
    if book
        .sheets
        .iter()
        .any(|s| !s.pictures.is_empty() && !s.rows.is_empty())
    {
        warnings.push(
            "pictures on sheets with cells are shown below the sheet's table, not over its cells"
                .to_string(),
        );
    }
    opened.warnings.splice(0..0, warnings);
    Ok(opened)
}

/// Refuses a workbook that cannot fit the page limit even with every row
/// one line high, before building a document for it.
fn check_page_estimate(sheets: &[SheetGrid], setup: &PageSetup, max_pages: usize) -> Result<()> {
    let rows_per_page = (content_height(setup) / min_row_height(MIN_FIT_SIZE)).max(1.0) as usize;
    let rows: usize = sheets.iter().map(|s| s.rows.len()).sum();
    // a picture takes at least a row; at most a page each
    let pictures: usize = sheets.iter().map(|s| s.pictures.len()).sum();
    let lower_bound = rows.div_ceil(rows_per_page) + pictures / rows_per_page;
    if lower_bound > max_pages {
        return Err(Error::limit(format!(
            "the spreadsheet has {rows} rows: at least {lower_bound} pages, over the limit of {max_pages}"
        )));
    }
    Ok(())
}

/// The document for a workbook's sheets, on the content area of `geom`.
pub fn workbook_document(sheets: &[SheetGrid], geom: &PageGeometry) -> Document {
    let mut doc = Document::new(page_setup_for(geom, MARGIN, MARGIN));
    for sheet in sheets {
        add_sheet(&mut doc, sheet);
    }
    doc
}

/// How a sheet is set: its font size, column widths at that size, and the
/// column slices (ranges of columns) that each fit the page width.
struct SheetPlan {
    size: f32,
    widths: Vec<f32>,
    slices: Vec<(usize, usize)>,
}

fn plan_sheet(sheet: &SheetGrid, available: f32) -> SheetPlan {
    let chars = column_chars(sheet);
    let widths_at = |size: f32| -> Vec<f32> {
        chars
            .iter()
            .map(|&chars| column_width(chars, size))
            .collect()
    };
    for size in [CELL_SIZE, MIN_FIT_SIZE] {
        let widths = widths_at(size);
        if widths.iter().sum::<f32>() <= available {
            let slices = vec![(0, widths.len())];
            return SheetPlan {
                size,
                widths,
                slices,
            };
        }
    }
    let widths = widths_at(CELL_SIZE);
    let mut slices = Vec::new();
    let (mut start, mut used) = (0, 0.0);
    for (c, w) in widths.iter().enumerate() {
        if c > start && used + w > available {
            slices.push((start, c));
            start = c;
            used = 0.0;
        }
        used += w;
    }
    slices.push((start, widths.len()));
    SheetPlan {
        size: CELL_SIZE,
        widths,
        slices,
    }
}

/// Widest text of each column, leaving out text merged across several
/// columns (a title over A:E should not widen column A).
fn column_chars(sheet: &SheetGrid) -> Vec<u32> {
    if sheet.merges.iter().all(|m| m.cols < 2) {
        return sheet.column_chars.clone();
    }
    let wide_anchors: std::collections::BTreeSet<(usize, usize)> = sheet
        .merges
        .iter()
        .filter(|m| m.cols > 1)
        .map(|m| (m.row, m.col))
        .collect();
    let wide_anchor = |r: usize, c: usize| wide_anchors.contains(&(r, c));
    (0..sheet.columns)
        .map(|c| {
            (0..sheet.rows.len())
                .filter(|&r| !wide_anchor(r, c))
                .map(|r| sheet.rows[r][c].text.chars().count() as u32)
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// A column's width in points for its widest text, clamped.
fn column_width(chars: u32, size: f32) -> f32 {
    let chars = chars.clamp(MIN_COLUMN_CHARS, MAX_COLUMN_CHARS) as f32;
    chars * CHAR_EM * size + 2.0 * CELL_PADDING + GRID_LINE
}

fn add_sheet(doc: &mut Document, sheet: &SheetGrid) {
    if !sheet.rows.is_empty() {
        add_sheet_table(doc, sheet);
    } else {
        doc.blocks.push(caption(&sheet.name));
    }
    add_pictures(doc, sheet);
}

/// A sheet's pictures after its table, each scaled down to fit a page
/// under a caption.
fn add_pictures(doc: &mut Document, sheet: &SheetGrid) {
    let width = doc.page.content_width();
    let height = (content_height(&doc.page) - caption_height()).max(1.0);
    for picture in &sheet.pictures {
        let scale = (width / picture.width)
            .min(height / picture.height)
            .min(1.0);
        doc.blocks.push(Block::Image(Image {
            pixels: picture.pixels.clone(),
            width: (picture.width * scale).max(1.0),
            height: (picture.height * scale).max(1.0),
        }));
    }
}

fn add_sheet_table(doc: &mut Document, sheet: &SheetGrid) {
    let available = doc.page.content_width();
    let plan = plan_sheet(sheet, available);
    let all_rows: Vec<usize> = (0..sheet.rows.len()).collect();
    if plan.slices.len() == 1 {
        doc.blocks.push(caption(&sheet.name));
        doc.blocks.push(Block::Table(sheet_table(
            sheet,
            &all_rows,
            (0, sheet.columns),
            &plan,
        )));
        return;
    }
    let budget = (content_height(&doc.page) * BAND_FILL - caption_height()).max(1.0);
    for band in row_bands(sheet, &plan, budget) {
        for &slice in &plan.slices {
            if !doc.blocks.is_empty() {
                doc.blocks.push(Block::PageBreak);
            }
            let first = band[0];
            let last = *band.last().unwrap_or(&first);
            let label = format!(
                "{} — columns {}–{}, rows {}–{}",
                sheet.name,
                column_name(sheet.origin.1 as usize + slice.0),
                column_name(sheet.origin.1 as usize + slice.1 - 1),
                sheet.origin.0 as usize + first + 1,
                sheet.origin.0 as usize + last + 1,
            );
            doc.blocks.push(caption(&label));
            let mut rows = band.clone();
            if first > 0 {
                rows.insert(0, 0); // the sheet's first row heads every band
            }
            doc.blocks
                .push(Block::Table(sheet_table(sheet, &rows, slice, &plan)));
        }
    }
}

/// Bands of consecutive rows (sheet row indices), each estimated to fill at
/// most `budget` points in every column slice, counting the repeated first
/// row.
fn row_bands(sheet: &SheetGrid, plan: &SheetPlan, budget: f32) -> Vec<Vec<usize>> {
    let height = |r: usize| -> f32 {
        plan.slices
            .iter()
            .map(|&s| estimated_row_height(sheet, r, s, plan))
            .fold(0.0, f32::max)
    };
    let header = height(0);
    let mut bands: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut used = 0.0;
    for r in 0..sheet.rows.len() {
        let h = height(r);
        if !current.is_empty() && used + h > budget {
            bands.push(std::mem::take(&mut current));
            used = header;
        }
        current.push(r);
        used += h;
    }
    if !current.is_empty() {
        bands.push(current);
    }
    bands
}

/// A row's height estimate within a slice: the most lines any cell wraps
/// to at its column's width.
fn estimated_row_height(
    sheet: &SheetGrid,
    r: usize,
    slice: (usize, usize),
    plan: &SheetPlan,
) -> f32 {
    let char_w = CHAR_EM * plan.size;
    let lines = (slice.0..slice.1)
        .map(|c| {
            let inner = (plan.widths[c] - 2.0 * CELL_PADDING - GRID_LINE).max(char_w);
            let chars = sheet.rows[r][c].text.chars().count() as f32;
            (chars * char_w / inner).ceil().max(1.0)
        })
        .fold(1.0, f32::max);
    lines * LINE_EM * plan.size + 2.0 * CELL_PADDING + GRID_LINE
}

fn min_row_height(size: f32) -> f32 {
    LINE_EM * size + 2.0 * CELL_PADDING + GRID_LINE
}

fn caption_height() -> f32 {
    LINE_EM * CAPTION_SIZE + 8.0
}

fn content_height(setup: &PageSetup) -> f32 {
    (setup.height - setup.margin_top - setup.margin_bottom).max(1.0)
}

/// The sheet name (or slice label) in bold above its table.
fn caption(text: &str) -> Block {
    Block::Paragraph(Paragraph {
        space_before: 6.0,
        space_after: 2.0,
        keep_with_next: true,
        ..Paragraph::plain(text, RunStyle::sans(CAPTION_SIZE).bold())
    })
}

/// A table of the given sheet rows (ascending; the first may be a repeated
/// heading row not adjacent to the next) and columns `cols.0..cols.1`.
/// Merged regions are clipped to what the table shows; a region whose
/// top-left cell lies outside keeps its place empty.
fn sheet_table(sheet: &SheetGrid, rows: &[usize], cols: (usize, usize), plan: &SheetPlan) -> Table {
    let owner = merge_owners(sheet);
    let merge_at = |r: usize, c: usize| owner[r * sheet.columns + c];
    let mut table = Table {
        columns: plan.widths[cols.0..cols.1].to_vec(),
        rows: Vec::with_capacity(rows.len()),
        header_rows: usize::from(rows.len() > 1),
        cell_padding: Padding::uniform(CELL_PADDING),
        border_room: BorderRoom::Overlay,
    };
    for (i, &r) in rows.iter().enumerate() {
        let mut cells = Vec::new();
        for c in cols.0..cols.1 {
            let Some(m) = merge_at(r, c).map(|k| sheet.merges[k as usize]) else {
                cells.push(grid_cell(sheet, r, c, plan.size, 1, 1));
                continue;
            };
            let in_merge = |row: usize| (m.row..m.row + m.rows).contains(&row);
            let starts_here = (i == 0 || !in_merge(rows[i - 1]) || rows[i - 1] + 1 != r)
                && c == m.col.max(cols.0);
            if !starts_here {
                continue; // covered by a span set above or to the left
            }
            let rowspan = rows[i..]
                .iter()
                .enumerate()
                .take_while(|&(k, &row)| in_merge(row) && (k == 0 || rows[i + k - 1] + 1 == row))
                .count();
            let colspan = (m.col + m.cols).min(cols.1) - c;
            let mut cell = if (m.row, m.col) == (r, c) || (i == 0 && m.col == c) {
                grid_cell(sheet, m.row, m.col, plan.size, colspan, rowspan)
            } else {
                grid_cell_text("", false, plan.size, colspan, rowspan)
            };
            cell.rowspan = rowspan.clamp(1, u16::MAX as usize) as u16;
            cells.push(cell);
        }
        table.rows.push(TableRow {
            cells,
            cant_split: true,
            min_height: 0.0,
        });
    }
    table
}

/// For every grid slot, the index of the merged region covering it.
fn merge_owners(sheet: &SheetGrid) -> Vec<Option<u32>> {
    let mut owner = vec![None; sheet.rows.len() * sheet.columns];
    for (k, m) in sheet.merges.iter().enumerate() {
        for r in m.row..(m.row + m.rows).min(sheet.rows.len()) {
            for c in m.col..(m.col + m.cols).min(sheet.columns) {
                owner[r * sheet.columns + c] = Some(k as u32);
            }
        }
    }
    owner
}

fn grid_cell(
    sheet: &SheetGrid,
    r: usize,
    c: usize,
    size: f32,
    colspan: usize,
    rowspan: usize,
) -> TableCell {
    let cell = &sheet.rows[r][c];
    grid_cell_text(&cell.text, cell.numeric, size, colspan, rowspan)
}

fn grid_cell_text(
    text: &str,
    numeric: bool,
    size: f32,
    colspan: usize,
    rowspan: usize,
) -> TableCell {
    let paragraph = Paragraph {
        align: if numeric { Align::End } else { Align::Start },
        ..Paragraph::plain(text, RunStyle::sans(size))
    };
    TableCell {
        blocks: vec![Block::Paragraph(paragraph)],
        colspan: colspan.clamp(1, u16::MAX as usize) as u16,
        rowspan: rowspan.clamp(1, u16::MAX as usize) as u16,
        borders: Borders::all(GRID_LINE),
        shade: 255,
        padding: None,
    }
}

/// Spreadsheet column letters for a 0-based column: A, B, …, Z, AA, AB, …
pub fn column_name(mut col: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{Paper, Resolution};
    use crate::input::sheet_grid::{Cell, Merge};
    use crate::limits::Limits;

    fn geom() -> PageGeometry {
        PageGeometry::new(Resolution::Fine, Paper::Letter).with_header_rows(35)
    }

    fn ctx() -> OpenContext {
        OpenContext::new(geom())
    }

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/fixtures/sheets/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    /// A grid of `rows` x `cols` cells "r,c" (the first row "Head c").
    fn grid(rows: usize, cols: usize, text_len: usize) -> SheetGrid {
        let rows: Vec<Vec<Cell>> = (0..rows)
            .map(|r| {
                (0..cols)
                    .map(|c| Cell {
                        text: if r == 0 {
                            format!("Head {c}")
                        } else {
                            format!("{r}")
                                .repeat(text_len.max(1))
                                .chars()
                                .take(text_len)
                                .collect()
                        },
                        numeric: r > 0,
                    })
                    .collect()
            })
            .collect();
        let column_chars = (0..cols)
            .map(|c| {
                rows.iter()
                    .map(|r| r[c].text.chars().count() as u32)
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        SheetGrid {
            name: "Wide".into(),
            rows,
            columns: cols,
            merges: Vec::new(),
            column_chars,
            origin: (0, 0),
            pictures: Vec::new(),
        }
    }

    fn tables(doc: &Document) -> Vec<&Table> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    fn captions(doc: &Document) -> Vec<String> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p.text()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn column_names_follow_the_spreadsheet_convention() {
        let names: Vec<String> = [0, 5, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_name)
            .collect();
        assert_eq!(names, ["A", "F", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn merges_xlsx_is_one_captioned_table_with_spans() {
        let book = read_workbook(&fixture("merges.xlsx"), &Limits::default()).unwrap();
        let doc = workbook_document(&book.sheets, &geom());
        let caps = captions(&doc);
        assert!(caps.iter().any(|c| c == "Invoice"), "{caps:?}");
        let invoice = tables(&doc)[0];
        assert!(invoice
            .rows
            .iter()
            .any(|r| r.cells.iter().any(|c| c.colspan > 1)));
        // every row covers the table's width exactly once
        let ncols = invoice.columns.len();
        let mut taken = vec![0u16; ncols];
        for row in &invoice.rows {
            let mut col = 0;
            for cell in &row.cells {
                while taken[col] > 0 {
                    col += 1;
                }
                for t in &mut taken[col..col + cell.colspan as usize] {
                    *t = cell.rowspan;
                }
                col += cell.colspan as usize;
            }
            while col < ncols && taken[col] > 0 {
                col += 1;
            }
            assert_eq!(col, ncols);
            taken.iter_mut().for_each(|t| *t = t.saturating_sub(1));
        }
        let opened = open(&fixture("merges.xlsx"), &ctx()).unwrap();
        assert_eq!(opened.pages.len(), 1);
        assert!(
            opened.warnings.iter().any(|w| w.contains("Empty")),
            "{:?}",
            opened.warnings
        );
    }

    #[test]
    fn sample_workbooks_open() {
        for name in ["sample.xlsx", "sample.ods"] {
            let opened = open(&fixture(name), &ctx()).unwrap();
            assert!(
                (1..=5).contains(&opened.pages.len()),
                "{name}: {}",
                opened.pages.len()
            );
        }
    }

    #[test]
    fn numbers_are_right_aligned_with_grid_lines() {
        let doc = workbook_document(&[grid(3, 2, 3)], &geom());
        let table = tables(&doc)[0];
        assert_eq!(table.header_rows, 1);
        let Block::Paragraph(p) = &table.rows[1].cells[0].blocks[0] else {
            panic!("paragraph expected")
        };
        assert_eq!(p.align, Align::End);
        assert_eq!(table.rows[1].cells[0].borders, Borders::all(GRID_LINE));
    }

    #[test]
    fn a_sheet_that_fits_is_one_table() {
        let doc = workbook_document(&[grid(10, 8, 6)], &geom());
        assert_eq!(tables(&doc).len(), 1);
        let width: f32 = tables(&doc)[0].columns.iter().sum();
        assert!(width <= doc.page.content_width());
    }

    #[test]
    fn a_wide_sheet_is_sliced_over_then_down() {
        // 30 columns of 12 characters: ~3 slices; 200 rows: several bands.
        let sheet = grid(200, 30, 12);
        let doc = workbook_document(std::slice::from_ref(&sheet), &geom());
        let tabs = tables(&doc);
        assert!(tabs.len() >= 6, "{}", tabs.len());
        for t in &tabs {
            assert!(t.columns.iter().sum::<f32>() <= doc.page.content_width());
        }
        let caps = captions(&doc);
        assert!(caps[0].starts_with("Wide — columns A–"), "{}", caps[0]);
        assert!(caps[0].ends_with("rows 1–") || caps[0].contains("rows 1–"));
        assert!(caps[1].contains("rows 1–"), "over before down: {caps:?}");
        // every band after the first repeats the heading row
        let Block::Paragraph(p) = &tabs.last().unwrap().rows[0].cells[0].blocks[0] else {
            panic!()
        };
        assert!(p.text().starts_with("Head"));
        // each band/slice fits one page
        let opened = typeset(&doc, Format::Xlsx, &ctx()).unwrap();
        assert_eq!(opened.pages.len(), tabs.len());
    }

    #[test]
    fn merges_are_clipped_to_slices() {
        let mut sheet = grid(5, 30, 12);
        sheet.merges.push(Merge {
            row: 1,
            col: 0,
            rows: 2,
            cols: 30,
        });
        let doc = workbook_document(&[sheet], &geom());
        for t in tables(&doc) {
            let spans: u16 = t.rows[1].cells.iter().map(|c| c.colspan).sum();
            assert_eq!(spans as usize, t.columns.len());
            assert_eq!(t.rows[1].cells[0].rowspan, 2);
            assert!(t.rows[2].cells.is_empty());
        }
    }

    /// A one-sheet xlsx whose sheet XML is `sheet`.
    fn xlsx_with_sheet(sheet: &str) -> Vec<u8> {
        let parts = [
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
            ),
            (
                "xl/workbook.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Merged" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
            ),
            ("xl/worksheets/sheet1.xml", sheet),
        ];
        let parts: Vec<(&str, &[u8])> = parts.iter().map(|(n, d)| (*n, d.as_bytes())).collect();
        crate::input::package::zip_of(&parts)
    }

    #[test]
    fn a_workbook_of_empty_merged_cells_is_refused_saying_why() {
        let merges: String = (0..50)
            .map(|i| format!(r#"<mergeCell ref="A{0}:C{0}"/>"#, i * 2 + 1))
            .collect();
        let sheet = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" s="1"/></row></sheetData><mergeCells count="50">{merges}</mergeCells></worksheet>"#
        );
        let err = open(&xlsx_with_sheet(&sheet), &ctx()).err().unwrap();
        assert!(err.to_string().contains("50 merged cell regions"), "{err}");
        assert!(err.to_string().contains("blank page"), "{err}");
    }

    #[test]
    fn a_picture_only_ods_prints_a_page_per_picture() {
        let opened = open(&fixture("picture-only.ods"), &ctx()).unwrap();
        assert_eq!(opened.pages.len(), 2);
        let book = read_workbook(&fixture("picture-only.ods"), &Limits::default()).unwrap();
        let doc = workbook_document(&book.sheets, &geom());
        let images: Vec<&Image> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Image(i) => Some(i),
                _ => None,
            })
            .collect();
        assert_eq!(images.len(), 2);
        for i in images {
            assert!(i.width <= doc.page.content_width());
            assert!(i.height <= content_height(&doc.page));
        }
        assert!(captions(&doc).iter().any(|c| c == "工作表1"));
    }

    #[test]
    fn an_empty_workbook_is_refused() {
        let err = open(&fixture("empty.xlsx"), &ctx()).err().unwrap();
        assert!(err.to_string().contains("no cells with content"), "{err}");
    }
}
