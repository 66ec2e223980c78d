//! Whole-document tests: small DOCX packages built in memory.

use super::*;
use crate::doc::{Block, BorderRoom, Field, LineSpacing, Padding};

/// A zip of text parts.
pub(crate) fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
    let bytes: Vec<(&str, &[u8])> = entries.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    crate::input::package::zip_of(&bytes)
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

fn document(body: &str) -> String {
    format!(r#"<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>"#)
}

/// The flow document a package converts to (before layout).
fn convert(entries: &[(&str, &str)]) -> (Vec<Block>, Vec<String>) {
    let bytes = zip_of(entries);
    let pkg = Package::open(&bytes).unwrap();
    let root = xml_tree::parse_local(pkg.get("word/document.xml").unwrap()).unwrap();
    let body = root.child("body").unwrap();
    let styles = pkg
        .text("word/styles.xml")
        .map(|t| Styles::parse(&xml_tree::parse_local(&t).unwrap(), &Theme::default()))
        .unwrap_or_default();
    let numbering = pkg
        .text("word/numbering.xml")
        .map(|t| Numbering::parse(&xml_tree::parse_local(&t).unwrap(), &Theme::default()))
        .unwrap_or_default();
    let limits = crate::limits::Limits::default();
    let mut conv = Converter::new(&pkg, &styles, numbering, &limits);
    conv.rels = rels_of(&pkg, "word/document.xml");
    let mut blocks = Vec::new();
    conv.blocks(body, &mut blocks, true);
    (blocks, conv.warnings)
}

#[test]
fn fields_breaks_and_hidden_text() {
    let body = r#"<w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r>
      <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>
      <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
      <w:r><w:t xml:space="preserve"> of </w:t></w:r><w:fldSimple w:instr="NUMPAGES"><w:r><w:t>9</w:t></w:r></w:fldSimple>
      <w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r></w:p>
      <w:p><w:r><w:t>a</w:t><w:br w:type="page"/><w:t>b</w:t><w:lastRenderedPageBreak/></w:r></w:p>"#;
    let (blocks, _) = convert(&[("word/document.xml", &document(body))]);
    let Block::Paragraph(p) = &blocks[0] else {
        panic!("{blocks:?}")
    };
    assert_eq!(p.runs[0].text, "Page ");
    assert_eq!(p.runs[1].field, Some(Field::PageNumber));
    assert_eq!(p.runs[2].text, " of ");
    assert_eq!(p.runs[3].field, Some(Field::PageCount));
    assert_eq!(p.runs.len(), 4);
    assert!(matches!(blocks[1], Block::Paragraph(_)));
    assert_eq!(blocks[2], Block::PageBreak);
    assert_eq!(blocks.len(), 4);
}

#[test]
fn lists_get_markers_and_headings_levels() {
    let styles = format!(
        r#"<w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri"/><w:sz w:val="22"/></w:rPr></w:rPrDefault></w:docDefaults>
        <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:spacing w:line="240" w:lineRule="auto"/></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="H2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style></w:styles>"#
    );
    let numbering = format!(
        r#"<w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1)"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>
        <w:num w:numId="4"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#
    );
    let body = r#"<w:p><w:pPr><w:pStyle w:val="H2"/></w:pPr><w:r><w:t>Title</w:t></w:r></w:p>
      <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="4"/></w:numPr></w:pPr><w:r><w:t>one</w:t></w:r></w:p>
      <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="4"/></w:numPr></w:pPr><w:r><w:t>two</w:t></w:r></w:p>"#;
    let (blocks, _) = convert(&[
        ("word/document.xml", &document(body)),
        ("word/styles.xml", &styles),
        ("word/numbering.xml", &numbering),
    ]);
    let Block::Heading { level, paragraph } = &blocks[0] else {
        panic!("{blocks:?}")
    };
    assert_eq!(*level, 2);
    assert!(paragraph.runs[0].style.bold);
    assert_eq!(paragraph.runs[0].style.size, 11.0);
    let LineSpacing::Multiple(m) = paragraph.line_spacing else {
        panic!()
    };
    assert!((m - 1.2207).abs() < 1e-3, "Calibri single spacing: {m}");
    let Block::ListItem {
        marker, paragraph, ..
    } = &blocks[2]
    else {
        panic!("{blocks:?}")
    };
    assert_eq!(marker, "D)");
    assert_eq!(paragraph.indent_left, 36.0);
    assert_eq!(paragraph.indent_first, 0.0);
}

#[test]
fn merged_cells_become_spans() {
    let body = r#"<w:tbl><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="8"/><w:insideH w:val="single" w:sz="4"/></w:tblBorders></w:tblPr>
      <w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>
      <w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>wide</w:t></w:r></w:p></w:tc>
        <w:tc><w:tcPr><w:vMerge w:val="restart"/><w:shd w:fill="D9D9D9"/></w:tcPr><w:p><w:r><w:t>tall</w:t></w:r></w:p></w:tc></w:tr>
      <w:tr><w:tc><w:p/></w:tc><w:tc><w:p/></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>"#;
    let (blocks, _) = convert(&[("word/document.xml", &document(body))]);
    let Block::Table(t) = &blocks[0] else {
        panic!("{blocks:?}")
    };
    assert_eq!(t.columns, vec![100.0, 100.0, 100.0]);
    assert_eq!(t.header_rows, 1);
    assert_eq!(t.rows[0].cells[0].colspan, 2);
    assert_eq!(t.rows[0].cells[1].rowspan, 2);
    assert_eq!(t.rows[0].cells[1].shade, 217);
    assert_eq!(t.rows[0].cells[0].borders.top, 1.0);
    assert_eq!(t.rows[1].cells.len(), 2);
}

#[test]
fn external_pictures_are_warned_not_fetched() {
    let body = r#"<w:p><w:r><w:drawing><wp:inline xmlns:wp="wp"><wp:extent cx="914400" cy="914400"/>
      <a:graphic xmlns:a="a"><a:graphicData><pic:pic xmlns:pic="pic"><pic:blipFill><a:blip r:link="rId9"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#;
    let rels = r#"<Relationships xmlns="x"><Relationship Id="rId9" Type="image" Target="http://example.invalid/a.png" TargetMode="External"/></Relationships>"#;
    let (_, warnings) = convert(&[
        ("word/document.xml", &document(body)),
        ("word/_rels/document.xml.rels", rels),
    ]);
    assert!(
        warnings.iter().any(|w| w.contains("not fetched")),
        "{warnings:?}"
    );
}

#[test]
fn missing_document_part_is_a_clear_error() {
    let bytes = zip_of(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/styles.xml", "<w:styles/>"),
    ]);
    let ctx = OpenContext::new(crate::geometry::PageGeometry::new(
        crate::geometry::Resolution::Fine,
        crate::geometry::Paper::Letter,
    ));
    let err = open(&bytes, &ctx).err().unwrap();
    assert!(err.to_string().contains("no word/document.xml"), "{err}");
}

#[test]
fn cell_margins_from_table_style_table_and_cell() {
    let styles = format!(
        r#"<?xml version="1.0"?><w:styles {W}>
      <w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>
        <w:tblPr><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>
          <w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
      <w:style w:type="table" w:styleId="Roomy"><w:basedOn w:val="TableNormal"/>
        <w:tblPr><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:bottom w:w="60" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
    </w:styles>"#
    );
    let body = r#"<w:tbl><w:tblPr><w:tblStyle w:val="Roomy"/>
        <w:tblCellMar><w:left w:w="20" w:type="dxa"/><w:bottom w:w="0" w:type="nil"/></w:tblCellMar></w:tblPr>
      <w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>
      <w:tr><w:tc><w:p/></w:tc>
        <w:tc><w:tcPr><w:tcMar><w:top w:w="100" w:type="dxa"/><w:end w:w="300" w:type="dxa"/></w:tcMar></w:tcPr><w:p/></w:tc></w:tr></w:tbl>
      <w:tbl><w:tblGrid><w:gridCol w:w="2000"/></w:tblGrid><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"#;
    let (blocks, _) = convert(&[
        ("word/document.xml", &document(body)),
        ("word/styles.xml", &styles),
    ]);
    let Block::Table(t) = &blocks[0] else {
        panic!("{blocks:?}")
    };
    // top from the style, left from the table, right from the default
    // style, bottom "nil" in the table over the style's 3 pt
    let table = Padding {
        top: 2.0,
        right: 5.4,
        bottom: 0.0,
        left: 1.0,
    };
    assert_eq!(t.cell_padding, table);
    assert_eq!(t.border_room, BorderRoom::Collapsed);
    assert_eq!(t.rows[0].cells[0].padding, None);
    let cell = Padding {
        top: 5.0,
        right: 15.0,
        ..table
    };
    assert_eq!(t.rows[0].cells[1].padding, Some(cell));
    // a table with no margins anywhere: the default table style's
    let Block::Table(plain) = &blocks[1] else {
        panic!("{blocks:?}")
    };
    assert_eq!(plain.cell_padding, super::styles::WORD_CELL_MARGINS);
}

#[test]
fn cell_margins_without_any_style_are_words_defaults() {
    let body = r#"<w:tbl><w:tblPr><w:tblCellSpacing w:w="15" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="2000"/></w:tblGrid>
      <w:tr><w:tc><w:tcPr><w:tcMar><w:bottom w:w="-400" w:type="dxa"/><w:top w:w="50" w:type="pct"/></w:tcMar></w:tcPr><w:p/></w:tc></w:tr></w:tbl>"#;
    let (blocks, _) = convert(&[("word/document.xml", &document(body))]);
    let Block::Table(t) = &blocks[0] else {
        panic!("{blocks:?}")
    };
    assert_eq!(t.cell_padding, super::styles::WORD_CELL_MARGINS);
    // cell spacing: every cell a box of its own
    assert_eq!(t.border_room, BorderRoom::Inside);
    // a negative margin is none; a percentage has no size: the table's
    assert_eq!(
        t.rows[0].cells[0].padding,
        Some(super::styles::WORD_CELL_MARGINS)
    );
}

#[test]
fn tab_stops_merge_with_the_style_and_measure_from_the_indent() {
    // the style sets stops at 1" (left) and 3" (right, dots); the paragraph
    // clears 1", adds a centred one at 2" and is indented 0.5"
    let styles = format!(
        r#"<?xml version="1.0"?><w:styles {W}><w:style w:type="paragraph" w:styleId="Toc">
        <w:pPr><w:tabs><w:tab w:val="left" w:pos="1440"/><w:tab w:val="right" w:leader="dot" w:pos="4320"/>
        <w:tab w:val="bar" w:pos="5000"/></w:tabs></w:pPr></w:style></w:styles>"#
    );
    let body = r#"<w:p><w:pPr><w:pStyle w:val="Toc"/><w:ind w:left="720"/><w:tabs>
        <w:tab w:val="clear" w:pos="1440"/><w:tab w:val="center" w:pos="2880"/></w:tabs></w:pPr>
        <w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r></w:p>"#;
    let (blocks, _) = convert(&[
        ("word/document.xml", &document(body)),
        ("word/styles.xml", &styles),
    ]);
    let Block::Paragraph(p) = &blocks[0] else {
        panic!("{blocks:?}")
    };
    assert_eq!(p.text(), "a\tb");
    use crate::doc::{TabAlign, TabStop};
    assert_eq!(
        p.tab_stops,
        vec![
            TabStop {
                position: 108.0,
                align: TabAlign::Center,
                leader: None
            },
            TabStop {
                position: 180.0,
                align: TabAlign::Right,
                leader: Some('.')
            },
        ]
    );
}
