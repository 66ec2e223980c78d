//! Spreadsheets (xlsx, xlsm, xlsb, xls, ods) read with calamine into plain
//! grids of cell text: every non-empty sheet in order, its used range only,
//! values formatted as a reader expects them on paper (dates as dates, not
//! Excel serials), merged regions, and a column width estimate; for ods,
//! the merges and pictures calamine does not report come from
//! [`super::sheet_ods`]. Laying the grids out as paginated tables is the
//! typesetter's job.

use super::image::decode_image;
use super::package::Package;
use super::sheet_ods::{scan_content, OdsSheet};
use super::zip_sniff::declared_uncompressed_total;
use crate::doc::Image;
use crate::error::{Error, Result};
use crate::limits::Limits;
use calamine::{open_workbook_auto_from_rs, Data, Reader, Sheets};
use std::io::Cursor;
use std::sync::Arc;

/// The most cells read from one workbook: far beyond 100 fax pages of
/// table (~60 rows x 10 columns a page), small enough to stay cheap.
pub const MAX_CELLS: u64 = 1_000_000;
/// Most pixels of decoded pictures kept from one workbook (a few full
/// fax pages' worth at fine resolution).
const MAX_PICTURE_PIXELS: u64 = 64 * 1024 * 1024;
/// The largest size a picture frame is taken at, in points.
const MAX_PICTURE_PT: f32 = 14_400.0;

/// A workbook as grids.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Workbook {
    pub sheets: Vec<SheetGrid>,
    /// Sheets left out (all empty, chart sheets...), by name.
    pub skipped: Vec<String>,
    /// Merged regions on the sheets left out: a sheet of empty merged
    /// cells is blank on paper, and the refusal should say why.
    pub empty_merges: usize,
    /// Pictures that could not be shown, and why.
    pub warnings: Vec<String>,
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
    /// Pictures on the sheet (ods draw frames), shown after its table; a
    /// sheet of pictures alone has no rows.
    pub pictures: Vec<Image>,
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
    // calamine reports neither merges nor pictures for ods: read them from
    // content.xml ourselves
    let ods = match book {
        Sheets::Ods(_) => Some(read_ods_extras(bytes)?),
        _ => None,
    };
    let names = book.sheet_names();
    let mut out = Workbook::default();
    let mut cells_read = 0u64;
    let mut pixels_budget = MAX_PICTURE_PIXELS;
    for (index, name) in names.into_iter().enumerate() {
        let extras = ods.as_ref().and_then(|(sheets, _)| {
            sheets
                .get(index)
                .filter(|s| s.name == name)
                .or_else(|| sheets.iter().find(|s| s.name == name))
        });
        let merge_dims: Vec<CellSpan> = match (&mut book, extras) {
            (Sheets::Xlsx(x), _) => x
                .merge_cells_by_sheet_name(&name)
                .map(|d| d.iter().map(|d| (d.start, d.end)).collect())
                .unwrap_or_default(),
            (Sheets::Xls(x), _) => x
                .merge_cells_by_sheet_name(&name)
                .map(|d| d.iter().map(|d| (d.start, d.end)).collect())
                .unwrap_or_default(),
            (_, Some(sheet)) => sheet
                .merges
                .iter()
                .map(|m| {
                    let end = (
                        m.row.saturating_add(m.rows - 1),
                        m.col.saturating_add(m.cols - 1),
                    );
                    ((m.row, m.col), end)
                })
                .collect(),
            _ => Vec::new(),
        };
        let pictures = match (extras, &ods) {
            (Some(sheet), Some((_, package))) if !sheet.pictures.is_empty() => sheet_pictures(
                sheet,
                package,
                limits,
                &mut pixels_budget,
                &mut out.warnings,
            ),
            _ => Vec::new(),
        };
        // chart sheets and macro sheets have no cells
        let range = book.worksheet_range(&name).ok();
        let grid = match range.as_ref().and_then(|r| Some((r, r.start()?))) {
            Some((range, (top, left))) => {
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
                let merges = clip_merges(&merge_dims, top, left, height, width);
                trim_empty_edges(SheetGrid {
                    name: name.clone(),
                    column_chars: Vec::new(),
                    columns: width,
                    rows,
                    merges,
                    origin: (top, left),
                    pictures: Vec::new(),
                })
            }
            None => None,
        };
        match grid {
            Some(mut g) => {
                g.pictures = pictures;
                out.sheets.push(g);
            }
            // a sheet of pictures only: no table, the pictures alone
            None if !pictures.is_empty() => out.sheets.push(SheetGrid {
                name,
                rows: Vec::new(),
                columns: 0,
                merges: Vec::new(),
                column_chars: Vec::new(),
                origin: (0, 0),
                pictures,
            }),
            // cells with formatting but no text
            None => {
                out.empty_merges += merge_dims.len();
                out.skipped.push(name);
            }
        }
    }
    Ok(out)
}

/// The ods package's sheets as [`super::sheet_ods`] reads them, and the
/// package (for the pictures).
type OdsExtras = (Vec<OdsSheet>, Package);

fn read_ods_extras(bytes: &[u8]) -> Result<OdsExtras> {
    let package = Package::open(bytes)?;
    let content = package
        .get("content.xml")
        .ok_or_else(|| Error::bad_input("the spreadsheet has no content.xml"))?;
    Ok((scan_content(content)?, package))
}

/// Decodes a sheet's pictures under the workbook's pixel budget; pictures
/// that cannot be shown are left out with a warning.
fn sheet_pictures(
    sheet: &OdsSheet,
    package: &Package,
    limits: &Limits,
    budget: &mut u64,
    warnings: &mut Vec<String>,
) -> Vec<Image> {
    let mut out = Vec::new();
    for picture in &sheet.pictures {
        let Some(bytes) = package_path(&picture.href).and_then(|p| package.get(&p)) else {
            warnings.push(format!(
                "a picture on sheet '{}' is not in the file ({}) and was left out",
                sheet.name, picture.href
            ));
            continue;
        };
        let pixels = match decode_image(bytes, limits) {
            Ok(p) => p,
            Err(e) => {
                warnings.push(format!(
                    "a picture on sheet '{}' was left out: {e}",
                    sheet.name
                ));
                continue;
            }
        };
        let count = pixels.width as u64 * pixels.height as u64;
        if count > *budget {
            warnings.push(format!(
                "a picture on sheet '{}' was left out: the workbook's pictures are too large in all",
                sheet.name
            ));
            continue;
        }
        *budget -= count;
        // without a frame size: the pixels at 96 dpi
        let natural = (pixels.width as f32 * 0.75, pixels.height as f32 * 0.75);
        let (width, height) = match (picture.width, picture.height) {
            (Some(w), Some(h)) => (w, h),
            (Some(w), None) => (w, w * natural.1 / natural.0.max(1.0)),
            (None, Some(h)) => (h * natural.0 / natural.1.max(1.0), h),
            (None, None) => natural,
        };
        out.push(Image {
            pixels: Arc::new(pixels),
            width: width.clamp(1.0, MAX_PICTURE_PT),
            height: height.clamp(1.0, MAX_PICTURE_PT),
        });
    }
    out
}

/// The package entry a picture link names; `None` for links outside the
/// package (a URL, an absolute path, `../`), which are never followed.
fn package_path(href: &str) -> Option<String> {
    let href = href.trim();
    if href.contains(':') || href.starts_with('/') || href.starts_with('\\') {
        return None;
    }
    let path = href.trim_start_matches("./");
    (!path.is_empty() && !path.split('/').any(|seg| seg == "..")).then(|| path.to_owned())
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

/// A merged region as its top-left and bottom-right sheet cells
/// (row, column), inclusive.
type CellSpan = ((u32, u32), (u32, u32));

/// Merged regions clipped to a used range, relative to it.
fn clip_merges(dims: &[CellSpan], top: u32, left: u32, height: usize, width: usize) -> Vec<Merge> {
    let mut merges: Vec<Merge> =
        dims.iter()
            .filter_map(|&(start, end)| {
                let (r0, c0) = (
                    start.0.checked_sub(top)? as usize,
                    start.1.checked_sub(left)? as usize,
                );
                let r1 = (end.0.checked_sub(top)? as usize).min(height.checked_sub(1)?);
                let c1 = (end.1.checked_sub(left)? as usize).min(width.checked_sub(1)?);
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

    /// A workbook of fixtures/sheets/ read with the default limits.
    fn book(name: &str) -> Workbook {
        let path = format!("{}/fixtures/sheets/{name}", env!("CARGO_MANIFEST_DIR"));
        read_workbook(&std::fs::read(&path).unwrap(), &Limits::default()).unwrap()
    }

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
        let book = book("merges.xlsx");
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
        let xls = book("merges.xls");
        let xlsx = book("merges.xlsx");
        assert_eq!(xls.sheets.len(), xlsx.sheets.len());
        for (a, b) in xls.sheets.iter().zip(&xlsx.sheets) {
            assert_eq!(a.name, b.name);
            assert_eq!(a.rows, b.rows);
            assert_eq!(a.merges, b.merges);
        }
    }

    #[test]
    fn ods_merges_are_read_from_content_xml() {
        let ods = book("merges.ods");
        let xlsx = book("merges.xlsx");
        assert_eq!(ods.sheets[0].name, "Invoice");
        assert_eq!(ods.sheets[0].origin, xlsx.sheets[0].origin);
        assert_eq!(ods.sheets[0].merges, xlsx.sheets[0].merges);
        assert_eq!(ods.sheets[0].merges.len(), 2);
    }

    #[test]
    fn a_picture_only_ods_gives_sheets_of_pictures() {
        let book = book("picture-only.ods");
        let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["工作表1", "工作表2"]);
        assert_eq!(book.skipped, ["工作表3"]);
        for sheet in &book.sheets {
            assert!(sheet.rows.is_empty());
            assert_eq!(sheet.pictures.len(), 1);
            // the frame is 14.27 x 13.6 cm (404.6 x 385.5 pt)
            assert!(sheet.pictures[0].width > 400.0 && sheet.pictures[0].width < 420.0);
        }
        assert!(book.warnings.is_empty(), "{:?}", book.warnings);
    }

    #[test]
    fn picture_links_stay_inside_the_package() {
        assert_eq!(
            package_path("./Pictures/a.png").as_deref(),
            Some("Pictures/a.png")
        );
        assert_eq!(package_path("../secret.png"), None);
        assert_eq!(package_path("/etc/passwd"), None);
        assert_eq!(package_path("http://example.com/a.png"), None);
    }

    #[test]
    fn a_repeat_bomb_ods_is_refused_quickly() {
        let started = std::time::Instant::now();
        let err = read_workbook(
            include_bytes!("../../fixtures/sheets/repeat-bomb.ods"),
            &Limits::default(),
        )
        .unwrap_err();
        assert!(started.elapsed().as_secs() < 3, "{:?}", started.elapsed());
        assert!(err.to_string().contains("spreadsheet"), "{err}");
    }

    #[test]
    fn ods_and_xlsx_of_the_same_sheet_read_alike() {
        let ods = book("sample.ods");
        let xlsx = book("sample.xlsx");
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
