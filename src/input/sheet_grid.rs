//! Spreadsheets (xlsx, xlsm, xlsb, xls, ods) read with calamine into plain
//! grids of cell text: every non-empty sheet in order, its used range only,
//! values formatted as a reader expects them on paper (dates as dates, not
//! Excel serials), merged regions, and a column width estimate. Laying the
//! grids out as paginated tables is the typesetter's job.

use super::zip_sniff::declared_uncompressed_total;
use crate::error::{Error, Result};
use crate::limits::Limits;
use calamine::{open_workbook_auto_from_rs, Data, Reader, Sheets};
use std::io::Cursor;

/// The most cells read from one workbook: far beyond 100 fax pages of
/// table (~60 rows x 10 columns a page), small enough to stay cheap.
pub const MAX_CELLS: u64 = 1_000_000;

/// A workbook as grids.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    pub sheets: Vec<SheetGrid>,
    /// Sheets left out (all empty, chart sheets...), by name.
    pub skipped: Vec<String>,
}

/// One sheet's used range.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetGrid {
    pub name: String,
    /// Row-major; every row has `columns` cells.
    pub rows: Vec<Vec<Cell>>,
    pub columns: usize,
    /// Merged regions, relative to the used range.
    pub merges: Vec<Merge>,
    /// Widest text of each column, in characters (for column widths).
    pub column_chars: Vec<u32>,
    /// Sheet row and column of the used range's top-left cell (0-based),
    /// for captions such as "A1:F40".
    pub origin: (u32, u32),
}

/// A cell as text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    pub text: String,
    /// Numbers and dates are right-aligned on paper.
    pub numeric: bool,
}

/// A merged region: top-left cell and its extent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    pub row: usize,
    pub col: usize,
    pub rows: usize,
    pub cols: usize,
}

/// Reads every sheet of a workbook.
pub fn read_workbook(bytes: &[u8], limits: &Limits) -> Result<Workbook> {
    if let Some(total) = declared_uncompressed_total(bytes) {
        if total > limits.max_decoded_bytes {
            return Err(Error::limit(format!(
                "the spreadsheet unpacks to {} MB, over the {} MB limit for decoded data",
                total >> 20,
                limits.max_decoded_bytes >> 20
            )));
        }
    }
    let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| spreadsheet_error("cannot be read", &e.to_string()))?;
    let names = book.sheet_names();
    let mut out = Workbook {
        sheets: Vec::new(),
        skipped: Vec::new(),
    };
    let mut cells_read = 0u64;
    for name in names {
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            // chart sheets and macro sheets have no cells
            Err(_) => {
                out.skipped.push(name);
                continue;
            }
        };
        let Some((top, left)) = range.start() else {
            out.skipped.push(name);
            continue;
        };
        let (height, width) = range.get_size();
        cells_read += height as u64 * width as u64;
        if cells_read > MAX_CELLS {
            return Err(Error::limit(format!(
                "the spreadsheet has more than {MAX_CELLS} cells in its used ranges (sheet '{name}')"
            )));
        }
        let rows: Vec<Vec<Cell>> = range
            .rows()
            .map(|r| r.iter().map(format_cell).collect())
            .collect();
        let merges = merged_regions(&mut book, &name, top, left, height, width);
        let grid = trim_empty_edges(SheetGrid {
            name: name.clone(),
            column_chars: Vec::new(),
            columns: width,
            rows,
            merges,
            origin: (top, left),
        });
        match grid {
            Some(g) => out.sheets.push(g),
            // cells with formatting but no text
            None => out.skipped.push(name),
        }
    }
    Ok(out)
}

fn spreadsheet_error(what: &str, detail: &str) -> Error {
    let detail = detail.lines().next().unwrap_or("");
    let detail: String = detail.chars().take(160).collect();
    if detail.to_ascii_lowercase().contains("password") || detail.contains("Encrypt") {
        return Error::bad_input(
            "the spreadsheet is password-protected; remove the password and send it again",
        );
    }
    Error::bad_input(format!("the spreadsheet {what} ({detail})"))
}

/// Merged regions of a sheet (xlsx and xls record them; calamine does not
/// report them for ods), clipped to the used range.
fn merged_regions(
    book: &mut Sheets<Cursor<&[u8]>>,
    name: &str,
    top: u32,
    left: u32,
    height: usize,
    width: usize,
) -> Vec<Merge> {
    let dims = match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).ok(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).ok(),
        _ => None,
    };
    let mut merges: Vec<Merge> =
        dims.unwrap_or_default()
            .into_iter()
            .filter_map(|d| {
                let (r0, c0) = (
                    d.start.0.checked_sub(top)? as usize,
                    d.start.1.checked_sub(left)? as usize,
                );
                let r1 = (d.end.0.checked_sub(top)? as usize).min(height.checked_sub(1)?);
                let c1 = (d.end.1.checked_sub(left)? as usize).min(width.checked_sub(1)?);
                (r0 < height && c0 < width && r1 >= r0 && c1 >= c0 && (r1 > r0 || c1 > c0))
                    .then_some(Merge {
                        row: r0,
                        col: c0,
                        rows: r1 - r0 + 1,
                        cols: c1 - c0 + 1,
                    })
            })
            .collect();
    merges.sort_by_key(|m| (m.row, m.col));
    merges
}

/// Drops empty trailing rows and columns (calamine's range can extend over
/// cells that only carry formatting) and computes column widths; `None`
/// for a sheet with no text at all.
fn trim_empty_edges(mut g: SheetGrid) -> Option<SheetGrid> {
    let used_rows = g
        .rows
        .iter()
        .rposition(|r| r.iter().any(|c| !c.text.is_empty()))?
        + 1;
    g.rows.truncate(used_rows);
    let used_cols = (0..g.columns)
        .rev()
        .find(|&c| g.rows.iter().any(|r| !r[c].text.is_empty()))?
        + 1;
    for row in &mut g.rows {
        row.truncate(used_cols);
    }
    g.columns = used_cols;
    g.merges.retain(|m| m.row < used_rows && m.col < used_cols);
    for m in &mut g.merges {
        m.rows = m.rows.min(used_rows - m.row);
        m.cols = m.cols.min(used_cols - m.col);
    }
    g.column_chars = (0..used_cols)
        .map(|c| {
            g.rows
                .iter()
                .map(|r| r[c].text.chars().count() as u32)
                .max()
                .unwrap_or(0)
        })
        .collect();
    Some(g)
}

/// A cell's value as it should read on paper.
pub fn format_cell(value: &Data) -> Cell {
    let numeric = |text: String| Cell {
        text,
        numeric: true,
    };
    match value {
        Data::Empty => Cell::default(),
        Data::String(s) => Cell {
            text: s.clone(),
            numeric: false,
        },
        Data::Int(i) => numeric(i.to_string()),
        Data::Float(f) => numeric(format_number(*f)),
        Data::Bool(b) => numeric(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Data::DateTime(dt) if dt.is_duration() => numeric(format_duration(dt.as_f64())),
        Data::DateTime(dt) => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            let serial = dt.as_f64();
            let has_time = serial.fract().abs() > 1e-9;
            let text = if serial.abs() < 1.0 && has_time {
                format!("{h:02}:{mi:02}{}", seconds(s))
            } else if has_time {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}{}", seconds(s))
            } else {
                format!("{y:04}-{mo:02}-{d:02}")
            };
            numeric(text)
        }
        Data::DateTimeIso(s) => numeric(s.replacen('T', " ", 1)),
        Data::DurationIso(s) => numeric(s.clone()),
        Data::Error(e) => Cell {
            text: e.to_string(),
            numeric: false,
        },
    }
}

fn seconds(s: u8) -> String {
    if s == 0 {
        String::new()
    } else {
        format!(":{s:02}")
    }
}

/// A number with at most 10 significant digits and no float noise
/// (0.1 + 0.2 reads 0.3), integers without a decimal point.
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return "#NUM!".to_string();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let rounded: f64 = format!("{v:.9e}").parse().unwrap_or(v);
    if rounded.abs() >= 1e15 || (rounded != 0.0 && rounded.abs() < 1e-6) {
        return format!("{rounded:e}").replace('e', "E");
    }
    format!("{rounded}")
}

/// A duration in days as [h]:mm:ss.
fn format_duration(days: f64) -> String {
    let total = (days * 86_400.0).round() as i64;
    let sign = if total < 0 { "-" } else { "" };
    let t = total.abs();
    format!("{sign}{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    #[test]
    fn numbers_read_like_a_spreadsheet_shows_them() {
        assert_eq!(format_number(42.0), "42");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(-1234.5), "-1234.5");
        assert_eq!(format_number(1.0 / 3.0), "0.3333333333");
        assert_eq!(format_number(6.02e23), "6.02E23");
        assert_eq!(format_number(f64::NAN), "#NUM!");
    }

    #[test]
    fn excel_serials_become_dates_and_times() {
        let date = Data::DateTime(ExcelDateTime::new(
            45943.0,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(format_cell(&date).text, "2025-10-13");
        let both = Data::DateTime(ExcelDateTime::new(
            45943.5,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(format_cell(&both).text, "2025-10-13 12:00");
        let time = Data::DateTime(ExcelDateTime::new(0.75, ExcelDateTimeType::DateTime, false));
        assert_eq!(format_cell(&time).text, "18:00");
        let span = Data::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false));
        assert_eq!(format_cell(&span).text, "36:00:00");
        assert!(format_cell(&both).numeric);
    }

    #[test]
    fn a_workbook_gives_its_sheets_used_ranges_and_merges() {
        let bytes = include_bytes!("../../fixtures/sheets/merges.xlsx");
        let book = read_workbook(bytes, &Limits::default()).unwrap();
        let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Invoice", "Notes"]);
        assert_eq!(book.skipped, ["Empty"]);
        let sheet = &book.sheets[0];
        // used range B2:E8
        assert_eq!(sheet.origin, (1, 1));
        assert_eq!((sheet.rows.len(), sheet.columns), (7, 4));
        assert!(sheet.rows.iter().all(|r| r.len() == sheet.columns));
        assert_eq!(sheet.rows[0][0].text, "Quarterly order summary");
        let item = &sheet.rows[3];
        let texts: Vec<&str> = item.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["Toner cartridge", "2026-03-14", "4", "79.9"]);
        assert_eq!(sheet.rows[5][1].text, "2026-04-01 09:30");
        assert_eq!(sheet.rows[6][3].text, "579.6");
        assert!(item[2].numeric && !item[0].numeric);
        let merges: Vec<(usize, usize, usize, usize)> = sheet
            .merges
            .iter()
            .map(|m| (m.row, m.col, m.rows, m.cols))
            .collect();
        assert_eq!(merges, [(0, 0, 1, 4), (6, 0, 1, 3)]);
        assert_eq!(sheet.column_chars, [23, 16, 3, 5]);
    }

    #[test]
    fn an_xls_workbook_reads_like_its_xlsx() {
        let xls = read_workbook(
            include_bytes!("../../fixtures/sheets/merges.xls"),
            &Limits::default(),
        )
        .unwrap();
        let xlsx = read_workbook(
            include_bytes!("../../fixtures/sheets/merges.xlsx"),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(xls.sheets.len(), xlsx.sheets.len());
        for (a, b) in xls.sheets.iter().zip(&xlsx.sheets) {
            assert_eq!(a.name, b.name);
            assert_eq!(a.rows, b.rows);
            assert_eq!(a.merges, b.merges);
        }
    }

    #[test]
    fn ods_and_xlsx_of_the_same_sheet_read_alike() {
        let ods = read_workbook(
            include_bytes!("../../fixtures/sheets/sample.ods"),
            &Limits::default(),
        )
        .unwrap();
        let xlsx = read_workbook(
            include_bytes!("../../fixtures/sheets/sample.xlsx"),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(ods.sheets.len(), xlsx.sheets.len());
        assert_eq!(ods.sheets[0].rows[0], xlsx.sheets[0].rows[0]);
    }

    #[test]
    fn garbage_and_bombs_are_refused() {
        let err = read_workbook(b"PK\x03\x04 not really a zip", &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("spreadsheet"), "{err}");
        let limits = Limits {
            max_decoded_bytes: 1000,
            ..Limits::default()
        };
        let err = read_workbook(include_bytes!("../../fixtures/sheets/sample.xlsx"), &limits)
            .unwrap_err();
        assert!(err.to_string().contains("unpacks to"), "{err}");
    }
}
