#!/usr/bin/env python3
"""Writes the small DOCX fixtures of fixtures/docx/ from hand-written
WordprocessingML (standard library only, deterministic: fixed zip dates).

Run from the repository root: python3 scripts/make-docx-fixtures.py
"""
import struct
import zipfile
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "docx"
W = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
     'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
     'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
     'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>
</Types>"""

PACKAGE_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>
</Relationships>"""

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W}>
<w:docDefaults>
 <w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/><w:sz w:val="22"/></w:rPr></w:rPrDefault>
 <w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>
 <w:pPr><w:keepNext/><w:spacing w:before="240" w:after="0"/><w:outlineLvl w:val="0"/></w:pPr>
 <w:rPr><w:rFonts w:ascii="Cambria" w:hAnsi="Cambria"/><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Heading1"/>
 <w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:i/><w:sz w:val="26"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/>
 <w:pPr><w:ind w:left="864" w:right="864"/><w:jc w:val="center"/></w:pPr><w:rPr><w:i/><w:color w:val="404040"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Code"><w:name w:val="Code"/><w:basedOn w:val="Normal"/>
 <w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/><w:sz w:val="20"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/>
 <w:pPr><w:ind w:left="720"/><w:contextualSpacing/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/>
 <w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="character" w:styleId="StrongRed"><w:name w:val="Strong Red"/><w:basedOn w:val="Strong"/><w:rPr><w:color w:val="C00000"/><w:u w:val="single"/></w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>
 <w:tblPr><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>
 <w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
 <w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/>
 <w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr></w:style>
</w:styles>"""

NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering {W}>
<w:abstractNum w:abstractNumId="0">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1.%2)"/><w:pPr><w:ind w:left="1440" w:hanging="540"/></w:pPr></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%3."/><w:pPr><w:ind w:left="2160" w:hanging="360"/></w:pPr></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
 <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr><w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol"/></w:rPr></w:lvl>
 <w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/><w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr><w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/></w:rPr></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>
</w:numbering>"""


def rels(*entries):
    body = "".join(
        f'<Relationship Id="{i}" Type="{REL}/{t}" Target="{target}"{extra}/>'
        for i, t, target, extra in entries)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>')


def document(body, sect):
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document {W}><w:body>{body}{sect}</w:body></w:document>')


LETTER = ('<w:pgSz w:w="12240" w:h="15840"/>'
          '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/>')


def p(text, style=None, ppr="", rpr=""):
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    runs = f'<w:r>{"<w:rPr>" + rpr + "</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f"<w:p><w:pPr>{pstyle}{ppr}</w:pPr>{runs}</w:p>"


def li(text, num, lvl):
    return p(text, "ListParagraph", f'<w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="{num}"/></w:numPr>')


def png(width, height):
    """A gray test picture: a dark frame, a diagonal and a gradient band."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            if x < 3 or y < 3 or x >= width - 3 or y >= height - 3 or abs(x * height - y * width) < width * 2:
                v = 0
            elif y > height * 2 // 3:
                v = 255 * x // width
            else:
                v = 255
            row.append(v)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def write(name, parts):
    OUT.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(OUT / name, "w", zipfile.ZIP_DEFLATED) as z:
        for part, data in parts.items():
            info = zipfile.ZipInfo(part, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def base(body, sect=f"<w:sectPr>{LETTER}</w:sectPr>", extra=None, doc_rels=()):
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "word/document.xml": document(body, sect),
        "word/styles.xml": STYLES,
        "word/numbering.xml": NUMBERING,
        "word/_rels/document.xml.rels": rels(
            ("rIdS", "styles", "styles.xml", ""), ("rIdN", "numbering", "numbering.xml", ""), *doc_rels),
    }
    parts.update(extra or {})
    return parts


def styles_fixture():
    body = "".join([
        p("Styles and inheritance", "Heading1"),
        p("Normal paragraph in Calibri 11 from the document defaults, with "
          '</w:t></w:r><w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t xml:space="preserve">a Strong run</w:t></w:r>'
          '<w:r><w:t xml:space="preserve">, </w:t></w:r><w:r><w:rPr><w:rStyle w:val="StrongRed"/></w:rPr><w:t>an inherited red underlined one</w:t></w:r>'
          '<w:r><w:t xml:space="preserve">, </w:t></w:r><w:r><w:rPr><w:i/><w:strike/></w:rPr><w:t>struck italics</w:t></w:r>'
          '<w:r><w:t xml:space="preserve"> and </w:t></w:r><w:r><w:rPr><w:caps/></w:rPr><w:t>small words in caps</w:t></w:r>'
          '<w:r><w:t xml:space="preserve">. A footnote follows</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t>.'),
        p("Heading 2 inherits Cambria bold from Heading 1", "Heading2"),
        p("Centered quote style: indented both sides, italic, dark gray.", "Quote"),
        p("Justified direct formatting with a first-line indent of half an inch. " * 3, None,
          '<w:ind w:firstLine="720"/><w:jc w:val="both"/>'),
        p("Right aligned, 18 pt, Arial.", None, '<w:jc w:val="right"/>',
          '<w:rFonts w:ascii="Arial" w:hAnsi="Arial"/><w:sz w:val="36"/>'),
        p("fn main() {", "Code"), p("    println!(\"code style\");", "Code"), p("}", "Code"),
        p("Exact 24 pt line spacing. " * 6, None, '<w:spacing w:line="480" w:lineRule="exact"/>'),
    ])
    footnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W}>'
                 '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                 '<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
                 '<w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve">The footnote text, set at the end.</w:t></w:r></w:p></w:footnote></w:footnotes>')
    write("styles.docx", base(body, extra={"word/footnotes.xml": footnotes},
                              doc_rels=[("rIdF", "footnotes", "footnotes.xml", "")]))


def lists_fixture():
    body = "".join([
        p("A multi-level list", "Heading1"),
        li("First item", 1, 0), li("Second item", 1, 0), li("Sub item a", 1, 1), li("Sub item b", 1, 1),
        li("Third level i", 1, 2), li("Third level ii", 1, 2), li("Back to sub c", 1, 1), li("Third item", 1, 0),
        p("Bullets:"), li("Round bullet", 2, 0), li("Hollow sub bullet", 2, 1), li("Round again", 2, 0),
        p("Roman list starting at IV (startOverride):"), li("Four", 3, 0), li("Five", 3, 0),
    ])
    write("lists.docx", base(body))


def cell(text, tcpr="", bold=False):
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:tc><w:tcPr>{tcpr}</w:tcPr><w:p><w:r>{rpr}<w:t>{text}</w:t></w:r></w:p></w:tc>'


def table_fixture():
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in (2400, 2400, 2400, 2160))
    rows = [
        '<w:tr><w:trPr><w:tblHeader/></w:trPr>' + cell("Region", '<w:shd w:val="clear" w:fill="D9D9D9"/>', True)
        + cell("Quarter (merged across two columns)", '<w:gridSpan w:val="2"/><w:shd w:val="clear" w:fill="D9D9D9"/>', True)
        + cell("Total", '<w:shd w:val="clear" w:fill="D9D9D9"/>', True) + "</w:tr>",
        "<w:tr>" + cell("North (merged down)", '<w:vMerge w:val="restart"/>') + cell("Q1") + cell("120") + cell("230", '<w:vMerge w:val="restart"/>') + "</w:tr>",
        "<w:tr>" + cell("", "<w:vMerge/>") + cell("Q2") + cell("110") + cell("", "<w:vMerge/>") + "</w:tr>",
        "<w:tr>" + cell("South") + cell("Q1") + cell("90") + cell("90") + "</w:tr>",
        "<w:tr>" + cell("No borders on this cell", '<w:gridSpan w:val="3"/><w:tcBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/></w:tcBorders>')
        + cell("end") + "</w:tr>",
    ]
    tbl = (f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
           f'<w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')
    body = p("A table with merged cells", "Heading1") + tbl + p("Text after the table.")
    write("table-merged.docx", base(body))


def header_footer_fixture():
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
    header = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr {W}>'
              '<w:p><w:pPr><w:jc w:val="right"/></w:pPr><w:r><w:t>Running header: ACME Corp. quarterly memo</w:t></w:r></w:p></w:hdr>')
    first = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr {W}>'
             '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val="28"/></w:rPr><w:t>FIRST PAGE HEADER</w:t></w:r></w:p></w:hdr>')
    footer = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {W}>'
              f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t xml:space="preserve">Page </w:t></w:r>{field}'
              '<w:r><w:t xml:space="preserve"> of </w:t></w:r><w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>')
    pages = []
    for n in range(1, 4):
        pages.append(p(f"Page {n} of the memo", "Heading1"))
        pages.append(p("Body text between the running header and footer. " * 4))
        if n < 3:
            pages.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
    sect = (f'<w:sectPr><w:headerReference w:type="default" r:id="rIdH1"/><w:headerReference w:type="first" r:id="rIdH2"/>'
            f'<w:footerReference w:type="default" r:id="rIdF1"/><w:footerReference w:type="first" r:id="rIdF1"/>{LETTER}<w:titlePg/></w:sectPr>')
    write("header-footer.docx", base("".join(pages), sect, extra={
        "word/header1.xml": header, "word/header2.xml": first, "word/footer1.xml": footer,
    }, doc_rels=[("rIdH1", "header", "header1.xml", ""), ("rIdH2", "header", "header2.xml", ""),
                 ("rIdF1", "footer", "footer1.xml", "")]))


def drawing(rid, cx, cy, anchor=False):
    graphic = (f'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
               f'<pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="p.png"/><pic:cNvPicPr/></pic:nvPicPr>'
               f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
               f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr>'
               f'</pic:pic></a:graphicData></a:graphic>')
    tag = "wp:anchor" if anchor else "wp:inline"
    pos = ('<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
           '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>') if anchor else ""
    return (f'<w:r><w:drawing><{tag}>{pos}<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="1" name="Picture"/>'
            f'{graphic}</{tag}></w:drawing></w:r>')


def image_fixture():
    body = (p("An inline picture, 3 x 1.5 inches:", "Heading1")
            + f"<w:p>{drawing('rIdI', 2743200, 1371600)}</w:p>"
            + p("An anchored picture (placed in the flow), 1.5 x 1.5 inches:")
            + f"<w:p>{drawing('rIdI', 1371600, 1371600, anchor=True)}<w:r><w:t>Text beside it.</w:t></w:r></w:p>"
            + p("The end."))
    write("image.docx", base(body, extra={"word/media/image1.png": png(240, 120)},
                             doc_rels=[("rIdI", "image", "media/image1.png", "")]))


def landscape_fixture():
    portrait_end = (f'<w:p><w:pPr><w:sectPr>{LETTER}</w:sectPr></w:pPr><w:r><w:t>Last paragraph of the portrait section.</w:t></w:r></w:p>')
    land = ('<w:sectPr><w:pgSz w:w="15840" w:h="12240" w:orient="landscape"/>'
            '<w:pgMar w:top="1080" w:right="1440" w:bottom="1080" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>')
    body = (p("Portrait section", "Heading1") + p("A letter page in portrait. " * 5) + portrait_end
            + p("Landscape section", "Heading1") + p("This section is letter landscape: 11 inches wide, lines run longer. " * 6))
    write("landscape.docx", base(body, land))


def tab_run(text):
    """A run of text with <w:tab/> where the text has a tab."""
    parts = text.split("\t")
    inner = "<w:tab/>".join(f'<w:t xml:space="preserve">{t}</w:t>' for t in parts)
    return f"<w:r>{inner}</w:r>"


def tabs_fixture():
    # a table of contents (right stop with dot leader at the column's right
    # edge), a form (left stops, one with an underscore leader), centred and
    # decimal stops, a stop the paragraph clears, and a hanging indent
    toc = ('<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9350"/></w:tabs>')
    form = ('<w:tabs><w:tab w:val="left" w:pos="2160"/>'
            '<w:tab w:val="left" w:leader="underscore" w:pos="6480"/></w:tabs>')
    figures = ('<w:tabs><w:tab w:val="center" w:pos="2880"/><w:tab w:val="decimal" w:pos="6480"/></w:tabs>')
    body = p("Contents", "Heading1")
    for title, page in [("1. Introduction", 1), ("2. Terms of the agreement", 3),
                        ("3. Payment schedule and late fees", 12), ("Appendix A", 104)]:
        body += f"<w:p><w:pPr>{toc}</w:pPr>{tab_run(title + chr(9) + str(page))}</w:p>"
    body += p("Form", "Heading1")
    for label in ["Patient name:", "Date of birth:", "Signature:"]:
        body += f"<w:p><w:pPr>{form}</w:pPr>{tab_run(label + chr(9) + 'Value' + chr(9))}</w:p>"
    body += p("Figures", "Heading1")
    for item, amount in [("Consultation", "120.00"), ("X-ray", "1,045.50"), ("Total", "1,165.5")]:
        body += f"<w:p><w:pPr>{figures}</w:pPr>{tab_run(chr(9) + item + chr(9) + amount)}</w:p>"
    body += p("Hanging indent", "Heading1")
    body += (f'<w:p><w:pPr><w:ind w:left="720" w:hanging="720"/></w:pPr>'
             f'{tab_run("(a)" + chr(9) + "The text of a hanging paragraph starts at the indent, and its second line lines up with the first line after the tab.")}</w:p>')
    write("tabs.docx", base(body))


if __name__ == "__main__":
    styles_fixture()
    lists_fixture()
    table_fixture()
    header_footer_fixture()
    image_fixture()
    landscape_fixture()
    tabs_fixture()
    print("wrote", ", ".join(sorted(f.name for f in OUT.glob("*.docx"))))
