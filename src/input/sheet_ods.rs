//! What calamine does not report for OpenDocument spreadsheets, read from
//! the package's content.xml in one streaming pass: merged cells
//! (`table:number-columns-spanned` / `table:number-rows-spanned` on a
//! cell, positioned by counting `number-rows-repeated` and
//! `number-columns-repeated`) and pictures in draw frames.
//!
//! Hostile files repeat a row a billion times: positions are counted with
//! saturating arithmetic (never by expanding repeats), and the merges and
//! pictures kept are capped.

use crate::error::{Error, Result};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

const TABLE_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const DRAW_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";
const SVG_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";

/// Most merged regions kept from one workbook (the largest corpus file
/// has 50,000; a fax of 100 pages cannot show more).
pub const MAX_MERGES: usize = 100_000;
/// Most pictures kept from one workbook.
pub const MAX_PICTURES: usize = 64;
/// Elements nested deeper than this are refused.
const MAX_DEPTH: usize = 256;

/// One sheet (`table:table`) of the workbook, in document order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OdsSheet {
    pub name: String,
    /// Merged regions in sheet coordinates (0-based, absolute).
    pub merges: Vec<SheetMerge>,
    pub pictures: Vec<OdsPicture>,
}

/// A merged region: top-left cell (sheet row and column) and extent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetMerge {
    pub row: u32,
    pub col: u32,
    pub rows: u32,
    pub cols: u32,
}

/// A picture in a draw frame: the package entry and the frame's size.
#[derive(Debug, Clone, PartialEq)]
pub struct OdsPicture {
    pub href: String,
    /// Frame size in points, when the frame gives one.
    pub width: Option<f32>,
    pub height: Option<f32>,
}

/// Where the scanner is.
#[derive(Default)]
struct Scan {
    sheets: Vec<OdsSheet>,
    /// Open `table:table` elements (sub-tables inside cells are skipped).
    table_depth: usize,
    row: u32,
    col: u32,
    /// Repeat count of the open row.
    row_repeat: u32,
    in_row: bool,
    /// Merges anchored in the open row, applied to each of its repeats.
    row_merges: Vec<SheetMerge>,
    merges_total: usize,
    pictures_total: usize,
    /// The open draw frame's size, and whether it holds an object (a
    /// chart, whose replacement image is not a picture we can decode).
    frame: Option<(Option<f32>, Option<f32>, bool)>,
    frame_pictures: Vec<String>,
}

/// Scans content.xml for each sheet's merges and pictures.
pub fn scan_content(xml: &[u8]) -> Result<Vec<OdsSheet>> {
    let mut reader = NsReader::from_reader(xml);
    let bad = |e: &dyn std::fmt::Display| {
        Error::bad_input(format!(
            "the spreadsheet's content.xml is not well-formed XML (damaged?): {e}"
        ))
    };
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut scan = Scan::default();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| bad(&e))?;
        match &event {
            Event::Start(e) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(Error::limit(format!(
                        "the spreadsheet's content.xml nests elements deeper than {MAX_DEPTH} levels"
                    )));
                }
                scan.start(&reader, e, false);
            }
            Event::Empty(e) => scan.start(&reader, e, true),
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                let (ns, local) = reader.resolver().resolve_element(e.name());
                scan.end(namespace(&ns), local.as_ref());
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(scan.sheets)
}

fn namespace<'a>(ns: &'a ResolveResult) -> &'a str {
    match ns {
        ResolveResult::Bound(ns) => ns.0,
        _ => "",
    }
}

/// Attributes of `e` as (namespace, local name, value) triples.
fn attributes(reader: &NsReader<&[u8]>, e: &BytesStart) -> Vec<(String, String, String)> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .filter(|a| !a.key.as_ref().starts_with("xmlns"))
        .map(|a| {
            let (ns, local) = reader.resolver().resolve_attribute(a.key);
            let value = match a.normalized_value(quick_xml::XmlVersion::default()) {
                Ok(v) => v.into_owned(),
                Err(_) => a.value.clone().into_owned(),
            };
            (namespace(&ns).to_owned(), local.as_ref().to_owned(), value)
        })
        .collect()
}

fn attr<'a>(attrs: &'a [(String, String, String)], ns: &str, name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, l, _)| n == ns && l == name)
        .map(|(_, _, v)| v.as_str())
}

/// A repeat or span count: at least 1, junk reads as 1.
fn count(value: Option<&str>) -> u32 {
    value
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

impl Scan {
    fn start(&mut self, reader: &NsReader<&[u8]>, e: &BytesStart, empty: bool) {
        let (ns, local) = reader.resolver().resolve_element(e.name());
        let (ns, local) = (namespace(&ns), local.as_ref());
        match (ns, local) {
            (TABLE_NS, "table") => {
                if self.table_depth == 0 {
                    let attrs = attributes(reader, e);
                    self.sheets.push(OdsSheet {
                        name: attr(&attrs, TABLE_NS, "name").unwrap_or("").to_owned(),
                        ..OdsSheet::default()
                    });
                    self.row = 0;
                    self.in_row = false;
                }
                if !empty {
                    self.table_depth += 1;
                }
            }
            (TABLE_NS, "table-row") if self.table_depth == 1 => {
                let attrs = attributes(reader, e);
                let repeat = count(attr(&attrs, TABLE_NS, "number-rows-repeated"));
                if empty {
                    self.row = self.row.saturating_add(repeat);
                } else {
                    self.in_row = true;
                    self.row_repeat = repeat;
                    self.col = 0;
                    self.row_merges.clear();
                }
            }
            (TABLE_NS, "table-cell" | "covered-table-cell")
                if self.table_depth == 1 && self.in_row =>
            {
                let attrs = attributes(reader, e);
                let repeat = count(attr(&attrs, TABLE_NS, "number-columns-repeated"));
                if local == "table-cell" {
                    let cols = count(attr(&attrs, TABLE_NS, "number-columns-spanned"));
                    let rows = count(attr(&attrs, TABLE_NS, "number-rows-spanned"));
                    if cols > 1 || rows > 1 {
                        // a repeated spanning cell spans at each repeat
                        for k in 0..repeat.min(MAX_MERGES as u32) {
                            if self.merges_total + self.row_merges.len() >= MAX_MERGES {
                                break;
                            }
                            self.row_merges.push(SheetMerge {
                                row: self.row,
                                col: self.col.saturating_add(k),
                                rows,
                                cols,
                            });
                        }
                    }
                }
                self.col = self.col.saturating_add(repeat);
            }
            (DRAW_NS, "frame") if self.table_depth >= 1 => {
                let attrs = attributes(reader, e);
                let width = attr(&attrs, SVG_NS, "width").and_then(length_pt);
                let height = attr(&attrs, SVG_NS, "height").and_then(length_pt);
                if !empty {
                    self.frame = Some((width, height, false));
                    self.frame_pictures.clear();
                }
            }
            (DRAW_NS, "object" | "object-ole") => {
                if let Some(frame) = &mut self.frame {
                    frame.2 = true;
                }
            }
            (DRAW_NS, "image") if self.frame.is_some() => {
                let attrs = attributes(reader, e);
                if let Some(href) = attr(&attrs, XLINK_NS, "href") {
                    self.frame_pictures.push(href.to_owned());
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, ns: &str, local: &str) {
        match (ns, local) {
            (TABLE_NS, "table") => self.table_depth = self.table_depth.saturating_sub(1),
            (TABLE_NS, "table-row") if self.table_depth == 1 && self.in_row => {
                self.in_row = false;
                self.apply_row_merges();
                self.row = self.row.saturating_add(self.row_repeat);
            }
            (DRAW_NS, "frame") => {
                let Some((width, height, is_object)) = self.frame.take() else {
                    return;
                };
                // a frame may hold several renditions: the first is the picture
                let first = self.frame_pictures.drain(..).next();
                if let (Some(href), false) = (first, is_object) {
                    if self.pictures_total < MAX_PICTURES {
                        if let Some(sheet) = self.sheets.last_mut() {
                            sheet.pictures.push(OdsPicture {
                                href,
                                width,
                                height,
                            });
                            self.pictures_total += 1;
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// Adds the open row's merges once per repeat of the row, under the cap.
    fn apply_row_merges(&mut self) {
        let Some(sheet) = self.sheets.last_mut() else {
            return;
        };
        'repeats: for k in 0..self.row_repeat {
            for m in &self.row_merges {
                if self.merges_total >= MAX_MERGES {
                    break 'repeats;
                }
                sheet.merges.push(SheetMerge {
                    row: m.row.saturating_add(k),
                    ..*m
                });
                self.merges_total += 1;
            }
            if self.row_merges.is_empty() {
                break;
            }
        }
    }
}

/// An ODF length ("14.27cm", "3in", "20mm", "12pt") in points.
pub fn length_pt(value: &str) -> Option<f32> {
    let v = value.trim();
    let split = v
        .find(|c: char| c.is_ascii_alphabetic() || c == '%')
        .unwrap_or(v.len());
    let (number, unit) = v.split_at(split);
    let n: f32 = number.trim().parse().ok()?;
    let pt = match unit.trim() {
        "pt" => n,
        "cm" => n * 72.0 / 2.54,
        "mm" => n * 72.0 / 25.4,
        "in" => n * 72.0,
        "pc" => n * 12.0,
        "px" => n * 0.75,
        _ => return None,
    };
    (pt.is_finite() && pt > 0.0).then_some(pt)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
        )
    }

    #[test]
    fn merges_are_placed_by_counting_repeats() {
        let xml = content(
            r#"<table:table table:name="A &amp; B">
<table:table-column table:number-columns-repeated="5"/>
<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="5"/></table:table-row>
<table:table-row-group>
<table:table-row><table:table-cell table:number-columns-repeated="2"/>
  <table:table-cell table:number-columns-spanned="3" table:number-rows-spanned="2"><text:p>T</text:p></table:table-cell>
  <table:covered-table-cell table:number-columns-repeated="2"/></table:table-row>
<table:table-row><table:covered-table-cell table:number-columns-repeated="3"/><table:table-cell/></table:table-row>
</table:table-row-group>
<table:table-row><table:table-cell table:number-rows-spanned="3"/></table:table-row>
</table:table><table:table table:name="Two"/>"#,
        );
        let sheets = scan_content(xml.as_bytes()).unwrap();
        let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["A & B", "Two"]);
        assert_eq!(
            sheets[0].merges,
            [
                SheetMerge {
                    row: 2,
                    col: 2,
                    rows: 2,
                    cols: 3
                },
                SheetMerge {
                    row: 4,
                    col: 0,
                    rows: 3,
                    cols: 1
                }
            ]
        );
        assert!(sheets[1].merges.is_empty());
    }

    #[test]
    fn sub_tables_do_not_move_the_sheet_grid() {
        let xml = content(
            r#"<table:table table:name="S"><table:table-row><table:table-cell>
<table:table><table:table-row table:number-rows-repeated="9"><table:table-cell table:number-columns-spanned="4"/></table:table-row></table:table>
</table:table-cell><table:table-cell table:number-columns-spanned="2"/></table:table-row></table:table>"#,
        );
        let sheets = scan_content(xml.as_bytes()).unwrap();
        assert_eq!(sheets.len(), 1);
        assert_eq!(
            sheets[0].merges,
            [SheetMerge {
                row: 0,
                col: 1,
                rows: 1,
                cols: 2
            }]
        );
    }

    #[test]
    fn hostile_repeats_are_counted_not_expanded() {
        let xml = content(
            r#"<table:table table:name="S"><table:table-row table:number-rows-repeated="999999999">
<table:table-cell table:number-columns-repeated="999999999" table:number-columns-spanned="2"/></table:table-row>
<table:table-row table:number-rows-repeated="4294967295"/><table:table-row table:number-rows-repeated="4294967295"/></table:table>"#,
        );
        let started = std::time::Instant::now();
        let sheets = scan_content(xml.as_bytes()).unwrap();
        assert!(started.elapsed().as_secs() < 2);
        assert_eq!(sheets[0].merges.len(), MAX_MERGES);
    }

    #[test]
    fn pictures_are_found_and_chart_replacements_are_not() {
        let xml = content(
            r#"<table:table table:name="P"><table:shapes>
<draw:frame svg:width="14.272cm" svg:height="1in"><draw:image xlink:href="Pictures/a.jpg"><text:p/></draw:image><draw:image xlink:href="Pictures/a.png"/></draw:frame>
<draw:frame svg:width="5cm" svg:height="5cm"><draw:object xlink:href="./Object 1"/><draw:image xlink:href="./ObjectReplacements/Object 1"/></draw:frame>
</table:shapes></table:table>"#,
        );
        let sheets = scan_content(xml.as_bytes()).unwrap();
        let p = &sheets[0].pictures;
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].href, "Pictures/a.jpg");
        assert!((p[0].width.unwrap() - 404.56).abs() < 0.1);
        assert_eq!(p[0].height, Some(72.0));
    }

    #[test]
    fn lengths_and_damage() {
        assert_eq!(length_pt("2in"), Some(144.0));
        assert_eq!(length_pt("25.4mm"), Some(72.0));
        assert_eq!(length_pt("-3cm"), None);
        assert_eq!(length_pt("12furlongs"), None);
        assert!(scan_content(b"<a><b></a>").is_err());
    }
}
