//! Reading whole documents: flat ODF strings and small zips built here.

use super::*;
use crate::doc::{Align, BorderRoom, Field, LineSpacing, Padding, Paragraph, TabAlign};
use crate::geometry::{PageGeometry, Paper, Resolution};
use crate::input::package::zip_of;

const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0""#;

fn ctx() -> OpenContext {
    OpenContext::new(PageGeometry::new(Resolution::Fine, Paper::Letter))
}

/// A flat document with `styles` (office:styles content), `auto`
/// (automatic styles), `masters` and `body`.
fn flat(styles: &str, auto: &str, masters: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><office:document {NS} office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles>{styles}</office:styles><office:automatic-styles>{auto}</office:automatic-styles>
<office:master-styles>{masters}</office:master-styles>
<office:body><office:text>{body}</office:text></office:body></office:document>"#
    )
}

fn read_flat(body: &str) -> (Document, Vec<String>) {
    read(flat("", "", "", body).as_bytes(), &ctx()).unwrap()
}

fn paragraph(b: &Block) -> &Paragraph {
    match b {
        Block::Paragraph(p) | Block::Heading { paragraph: p, .. } => p,
        Block::ListItem { paragraph: p, .. } => p,
        other => panic!("not a paragraph: {other:?}"),
    }
}

#[test]
fn styles_spans_and_white_space() {
    let styles = r##"<style:default-style style:family="paragraph"><style:text-properties fo:font-size="10pt" fo:font-family="Arial"/></style:default-style>
<style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:margin-left="1in" fo:text-indent="-0.5in" fo:margin-bottom="6pt" fo:line-height="150%" fo:text-align="justify"/></style:style>
<style:style style:name="Em" style:family="text"><style:text-properties fo:font-style="italic" fo:font-size="200%" fo:color="#000080"/></style:style>"##;
    let body = r#"<text:p text:style-name="Body">  a
   b<text:s text:c="3"/>c<text:tab/><text:span text:style-name="Em">d</text:span> <text:a xlink:href="http://x">e</text:a>
</text:p>"#;
    let (doc, _) = read(flat(styles, "", "", body).as_bytes(), &ctx()).unwrap();
    let p = paragraph(&doc.blocks[0]);
    assert_eq!(p.text(), "a b   c\td e");
    assert_eq!(p.indent_left, 72.0);
    assert_eq!(p.indent_first, -36.0);
    assert_eq!(p.space_after, 6.0);
    assert_eq!(p.align, Align::Justify);
    assert_eq!(p.line_spacing, LineSpacing::Multiple(1.5));
    let em = p.runs.iter().find(|r| r.text == "d").unwrap();
    assert!(em.style.italic);
    assert_eq!(em.style.size, 20.0);
    assert_eq!(em.style.family, "Arial");
    assert!(em.style.gray < 40, "navy is dark: {}", em.style.gray);
    assert_eq!(p.runs[0].style.size, 10.0);
}

#[test]
fn line_breaks_split_a_paragraph_without_space_between() {
    let styles = r#"<style:style style:name="S" style:family="paragraph"><style:paragraph-properties fo:margin-top="5pt" fo:margin-bottom="7pt"/></style:style>"#;
    let body = r#"<text:p text:style-name="S">one<text:line-break/>two</text:p>"#;
    let (doc, _) = read(flat(styles, "", "", body).as_bytes(), &ctx()).unwrap();
    assert_eq!(doc.blocks.len(), 2);
    let (a, b) = (paragraph(&doc.blocks[0]), paragraph(&doc.blocks[1]));
    assert_eq!(
        (a.text().as_str(), a.space_before, a.space_after),
        ("one", 5.0, 0.0)
    );
    assert_eq!(
        (b.text().as_str(), b.space_before, b.space_after),
        ("two", 0.0, 7.0)
    );
}

#[test]
fn headings_lists_and_continued_numbering() {
    let auto = r#"<text:list-style style:name="L"><text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."/><text:list-level-style-bullet text:level="2" text:bullet-char="◦"/></text:list-style>"#;
    let item = |t: &str| format!("<text:list-item><text:p>{t}</text:p></text:list-item>");
    let body = format!(
        r#"<text:h text:outline-level="2">Title</text:h>
<text:list xml:id="a" text:style-name="L">{}<text:list-item><text:p>two</text:p><text:list>{}</text:list></text:list-item></text:list>
<text:p>between</text:p>
<text:list text:style-name="L" text:continue-list="a">{}</text:list>
<text:list text:style-name="L">{}</text:list>"#,
        item("one"),
        item("sub"),
        item("three"),
        item("restart")
    );
    let (doc, _) = read(flat("", auto, "", &body).as_bytes(), &ctx()).unwrap();
    assert!(matches!(doc.blocks[0], Block::Heading { level: 2, .. }));
    let labels: Vec<(String, u8, String)> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::ListItem {
                marker,
                level,
                paragraph,
            } => Some((marker.clone(), *level, paragraph.text())),
            _ => None,
        })
        .collect();
    let expect = [
        ("1.", 1, "one"),
        ("2.", 1, "two"),
        ("◦", 2, "sub"),
        ("3.", 1, "three"),
        ("1.", 1, "restart"),
    ];
    let got: Vec<(&str, u8, &str)> = labels
        .iter()
        .map(|(m, l, t)| (m.as_str(), *l, t.as_str()))
        .collect();
    assert_eq!(got, expect);
}

#[test]
fn tables_with_spans_header_rows_and_borders() {
    let auto = r##"<style:style style:name="C" style:family="table-column"><style:table-column-properties style:column-width="1in"/></style:style>
<style:style style:name="X" style:family="table-cell"><style:table-cell-properties fo:border="1pt solid #000000" fo:background-color="#cccccc"/></style:style>"##;
    let body = r#"<table:table><table:table-column table:style-name="C" table:number-columns-repeated="3"/>
<table:table-header-rows><table:table-row><table:table-cell table:style-name="X" table:number-columns-spanned="2"><text:p>h</text:p></table:table-cell><table:covered-table-cell/><table:table-cell><text:p>h3</text:p></table:table-cell></table:table-row></table:table-header-rows>
<table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>a</text:p></table:table-cell><table:table-cell/><table:table-cell/></table:table-row>
<table:table-row table:number-rows-repeated="2"><table:covered-table-cell/><table:table-cell table:number-columns-repeated="2"><text:p>r</text:p></table:table-cell></table:table-row>
</table:table>"#;
    let (doc, _) = read(flat("", auto, "", body).as_bytes(), &ctx()).unwrap();
    let Block::Table(t) = &doc.blocks[0] else {
        panic!("{:?}", doc.blocks[0]);
    };
    assert_eq!(t.columns, vec![72.0, 72.0, 72.0]);
    assert_eq!(t.header_rows, 1);
    assert_eq!(t.rows.len(), 4);
    assert_eq!(t.rows[0].cells.len(), 2);
    assert_eq!(t.rows[0].cells[0].colspan, 2);
    assert_eq!(t.rows[0].cells[0].borders.top, 1.0);
    assert_eq!(t.rows[0].cells[0].shade, 204);
    assert_eq!(t.rows[0].cells[1].borders.top, 0.0);
    assert_eq!(t.rows[1].cells[0].rowspan, 2);
    assert_eq!(t.rows[2].cells.len(), 2);
}

const MASTERS_AUTO: &str = r#"<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="8.5in" fo:page-height="11in" fo:margin="1in"/>
<style:header-style><style:header-footer-properties fo:min-height="0.25in" fo:margin-bottom="0.25in"/></style:header-style></style:page-layout>
<style:page-layout style:name="pm2"><style:page-layout-properties fo:page-width="8.5in" fo:page-height="11in" style:print-orientation="landscape" fo:margin="0.5in"/></style:page-layout>
<style:style style:name="PL" style:family="paragraph" style:master-page-name="Wide"><style:paragraph-properties style:page-number="1"/></style:style>
<style:style style:name="BR" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style>"#;
const MASTERS: &str = r#"<style:master-page style:name="Standard" style:page-layout-name="pm1"><style:header><text:p>Page <text:page-number>7</text:page-number> of <text:page-count>9</text:page-count></text:p></style:header></style:master-page>
<style:master-page style:name="Wide" style:page-layout-name="pm2"/>"#;

#[test]
fn master_pages_sections_breaks_and_page_fields() {
    let body = r#"<text:p>first</text:p><text:p text:style-name="BR">second</text:p><text:p text:style-name="PL">wide</text:p>"#;
    let (doc, _) = read(flat("", MASTERS_AUTO, MASTERS, body).as_bytes(), &ctx()).unwrap();
    assert_eq!(doc.page.width, 612.0);
    // the header's height and spacing push the body down
    assert_eq!(doc.page.margin_top, 72.0 + 36.0);
    assert_eq!(doc.furniture.header_distance, 72.0);
    let header = paragraph(&doc.furniture.header[0]);
    let fields: Vec<Option<Field>> = header.runs.iter().map(|r| r.field).collect();
    assert_eq!(
        fields,
        [None, Some(Field::PageNumber), None, Some(Field::PageCount)]
    );
    assert!(matches!(doc.blocks[1], Block::PageBreak));
    let Block::Section(s) = &doc.blocks[3] else {
        panic!("{:?}", doc.blocks[3]);
    };
    assert_eq!((s.page.width, s.page.height), (792.0, 612.0));
    assert_eq!(s.page.margin_top, 36.0);
    assert_eq!(s.restart_page_number, Some(1));
    assert!(s.furniture.header.is_empty());
}

#[test]
fn notes_tracked_changes_toc_and_forms() {
    let body = r#"<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>deleted words</text:p></text:deletion></text:changed-region></text:tracked-changes>
<office:forms><form:form form:name="F"><form:text form:name="t"/><form:button form:name="b"><form:properties/></form:button></form:form></office:forms>
<text:table-of-content><text:table-of-content-source><text:index-title-template>Contents</text:index-title-template></text:table-of-content-source><text:index-body><text:p>Chapter 1 .... 1</text:p></text:index-body></text:table-of-content>
<text:p>kept<text:change text:change-id="c1"/> text<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>The note.</text:p></text:note-body></text:note>.<office:annotation><text:p>a comment</text:p></office:annotation></text:p>"#;
    let (doc, warnings) = read_flat(body);
    let texts: Vec<String> = doc
        .blocks
        .iter()
        .filter(|b| !matches!(b, Block::Rule { .. }))
        .map(|b| paragraph(b).text())
        .collect();
    assert_eq!(texts, ["Chapter 1 .... 1", "kept text1.", "1 The note."]);
    assert!(matches!(doc.blocks[2], Block::Rule { .. }));
    assert!(
        warnings.iter().any(|w| w.contains("2 form control")),
        "{warnings:?}"
    );
}

#[test]
fn pictures_inline_external_and_undecodable() {
    // a 2x1 gray PNG
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageLuma8(image::GrayImage::from_raw(2, 1, vec![0, 255]).unwrap())
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    let png = png.into_inner();
    let b64 = base64_encode(&png);
    let body = format!(
        r#"<text:p>a<draw:frame svg:width="2in" svg:height="1in"><draw:image><office:binary-data>{b64}</office:binary-data></draw:image></draw:frame>b</text:p>
<text:p><draw:frame svg:width="1in"><draw:image xlink:href="https://example.com/x.png"/></draw:frame></text:p>
<text:p><draw:frame><draw:image xlink:href="file:///etc/passwd"/></draw:frame></text:p>"#
    );
    let (doc, warnings) = read_flat(&body);
    let kinds: Vec<&str> = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(_) => "p",
            Block::Image(_) => "img",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["p", "img", "p", "p", "p"]);
    let Block::Image(img) = &doc.blocks[1] else {
        unreachable!()
    };
    assert_eq!((img.width, img.height), (144.0, 72.0));
    assert_eq!((img.pixels.width, img.pixels.height), (2, 1));
    assert!(
        warnings.iter().any(|w| w.contains("not fetched (2)")),
        "{warnings:?}"
    );
}

fn base64_encode(data: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

#[test]
fn packages_refused_when_encrypted_empty_or_not_text() {
    let mime: &[u8] = b"application/vnd.oasis.opendocument.text";
    let manifest = br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum="x"/></manifest:file-entry></manifest:manifest>"#;
    let encrypted = zip_of(&[
        ("mimetype", mime),
        ("content.xml", b"\x01\x02"),
        ("META-INF/manifest.xml", manifest),
    ]);
    let err = read(&encrypted, &ctx()).unwrap_err();
    assert!(err.to_string().contains("password-protected"), "{err}");

    let no_content = zip_of(&[("mimetype", mime), ("styles.xml", b"<x/>")]);
    let err = read(&no_content, &ctx()).unwrap_err();
    assert!(err.to_string().contains("no content.xml"), "{err}");

    let sheet = format!(
        "<office:document-content {NS}><office:body><office:spreadsheet/></office:body></office:document-content>"
    );
    let spreadsheet = zip_of(&[("mimetype", mime), ("content.xml", sheet.as_bytes())]);
    let err = read(&spreadsheet, &ctx()).unwrap_err();
    assert!(err.to_string().contains("office:spreadsheet"), "{err}");

    let ok = format!(
        "<office:document-content {NS}><office:body><office:text><text:p>hello</text:p></office:text></office:body></office:document-content>"
    );
    let good = zip_of(&[("mimetype", mime), ("content.xml", ok.as_bytes())]);
    let opened = open(&good, &ctx()).unwrap();
    assert_eq!(opened.pages.len(), 1);
}

#[test]
fn hostile_nesting_and_repeats_stay_bounded() {
    let deep = format!(
        "{}x{}",
        "<text:span>".repeat(200),
        "</text:span>".repeat(200)
    );
    let (doc, warnings) = read_flat(&format!("<text:p>{deep}</text:p>"));
    assert_eq!(doc.blocks.len(), 1);
    assert!(
        warnings.iter().any(|w| w.contains("nested too deeply")),
        "{warnings:?}"
    );
    let rows = r#"<table:table><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="100000"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#;
    let (doc, _) = read_flat(rows);
    let Block::Table(t) = &doc.blocks[0] else {
        panic!()
    };
    let cells: usize = t.rows.iter().map(|r| r.cells.len()).sum();
    assert!(cells <= 200_000 && t.columns.len() <= 512, "{cells}");
}

#[test]
fn cell_padding_per_side_from_cell_styles() {
    let auto = r#"<style:style style:name="Pad" style:family="table-cell"><style:table-cell-properties fo:padding="10pt" fo:padding-top="2pt" fo:border="0.5pt solid #000000"/></style:style>
<style:style style:name="Child" style:family="table-cell" style:parent-style-name="Pad"><style:table-cell-properties fo:padding-bottom="-4pt"/></style:style>"#;
    let body = r#"<table:table><table:table-column table:number-columns-repeated="3"/>
<table:table-row><table:table-cell table:style-name="Pad"><text:p>a</text:p></table:table-cell>
<table:table-cell table:style-name="Child"><text:p>b</text:p></table:table-cell>
<table:table-cell><text:p>c</text:p></table:table-cell></table:table-row></table:table>"#;
    let (doc, _) = read(flat("", auto, "", body).as_bytes(), &ctx()).unwrap();
    let Block::Table(t) = &doc.blocks[0] else {
        panic!("{:?}", doc.blocks)
    };
    assert_eq!(t.border_room, BorderRoom::Inside);
    let pad = Padding {
        top: 2.0,
        right: 10.0,
        bottom: 10.0,
        left: 10.0,
    };
    let cells = &t.rows[0].cells;
    assert_eq!(cells[0].padding, Some(pad));
    assert_eq!(cells[0].borders.top, 0.5);
    // the child's negative bottom is none; the rest inherited
    assert_eq!(cells[1].padding, Some(Padding { bottom: 0.0, ..pad }));
    // no padding in the style: the table's
    assert_eq!(cells[2].padding, None);
    assert_eq!(t.cell_padding, Padding::uniform(2.8));
}

#[test]
fn collapsing_border_model_is_read() {
    let auto = r#"<style:style style:name="T" style:family="table"><style:table-properties table:border-model="collapsing"/></style:style>"#;
    let body = r#"<table:table table:style-name="T"><table:table-column/>
<table:table-row><table:table-cell><text:p>a</text:p></table:table-cell></table:table-row></table:table>"#;
    let (doc, _) = read(flat("", auto, "", body).as_bytes(), &ctx()).unwrap();
    let Block::Table(t) = &doc.blocks[0] else {
        panic!("{:?}", doc.blocks)
    };
    assert_eq!(t.border_room, BorderRoom::Collapsed);
}

#[test]
fn tab_stops_with_types_and_leaders() {
    let styles = r#"<style:style style:name="Toc" style:family="paragraph"><style:paragraph-properties>
<style:tab-stops><style:tab-stop style:position="6in" style:type="right" style:leader-style="dotted" style:leader-text="."/>
<style:tab-stop style:position="2in" style:type="center"/><style:tab-stop style:position="4in" style:type="char" style:char="." style:leader-style="solid"/>
</style:tab-stops></style:paragraph-properties></style:style>"#;
    let body = r#"<text:p text:style-name="Toc">a<text:tab/>b</text:p>"#;
    let (doc, _) = read(flat(styles, "", "", body).as_bytes(), &ctx()).unwrap();
    let p = paragraph(&doc.blocks[0]);
    assert_eq!(p.text(), "a\tb");
    let stops: Vec<(f32, TabAlign, Option<char>)> = p
        .tab_stops
        .iter()
        .map(|t| (t.position, t.align, t.leader))
        .collect();
    assert_eq!(
        stops,
        vec![
            (144.0, TabAlign::Center, None),
            (288.0, TabAlign::Decimal, Some('_')),
            (432.0, TabAlign::Right, Some('.')),
        ]
    );
}
