#!/usr/bin/env python3
"""Writes the hand-made ODT fixtures of fixtures/odt/ (tests/odt.rs and the
golden pages in tests/golden_cases/odt.rs). Plain XML zipped with the
standard library: run `python3 scripts/make-odt-fixtures.py` from the
repository root; the output is deterministic (fixed zip timestamps)."""

import base64
import os
import struct
import zipfile
import zlib

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "odt")
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:xml="http://www.w3.org/XML/1998/namespace" '
    'office:version="1.3"'
)
MIME = "application/vnd.oasis.opendocument.text"

FONTS = """<office:font-face-decls>
 <style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'" style:font-family-generic="roman"/>
 <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss"/>
 <style:font-face style:name="Liberation Mono" svg:font-family="'Liberation Mono'" style:font-family-generic="modern"/>
</office:font-face-decls>"""

COMMON_STYLES = """<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:margin-top="0in" fo:margin-bottom="0in"/>
  <style:text-properties style:font-name="Liberation Serif" fo:font-size="12pt"/>
 </style:default-style>
 <style:style style:name="Standard" style:family="paragraph"/>
 <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:margin-bottom="0.1in" fo:line-height="115%"/>
 </style:style>
 <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:margin-top="0.17in" fo:margin-bottom="0.08in" fo:keep-with-next="always"/>
  <style:text-properties style:font-name="Liberation Sans" fo:font-size="14pt"/>
 </style:style>
 <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading">
  <style:text-properties fo:font-size="130%" fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading">
  <style:text-properties fo:font-size="115%" fo:font-weight="bold" fo:font-style="italic"/>
 </style:style>
 <style:style style:name="Quote" style:family="paragraph" style:parent-style-name="Text_20_body">
  <style:paragraph-properties fo:margin-left="0.5in" fo:margin-right="0.5in" fo:text-align="justify"/>
  <style:text-properties fo:font-style="italic"/>
 </style:style>
 <style:style style:name="Centered" style:family="paragraph" style:parent-style-name="Text_20_body">
  <style:paragraph-properties fo:text-align="center"/>
 </style:style>
 <style:style style:name="Strong" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="Code" style:family="text"><style:text-properties style:font-name="Liberation Mono" fo:font-size="90%"/></style:style>
</office:styles>"""

PAGE_LETTER = """<style:page-layout style:name="pm1">
 <style:page-layout-properties fo:page-width="8.5in" fo:page-height="11in" style:print-orientation="portrait" fo:margin-top="0.75in" fo:margin-bottom="0.75in" fo:margin-left="1in" fo:margin-right="1in"/>
 <style:header-style><style:header-footer-properties fo:min-height="0.3in" fo:margin-bottom="0.2in"/></style:header-style>
 <style:footer-style><style:header-footer-properties fo:min-height="0.3in" fo:margin-top="0.2in"/></style:footer-style>
</style:page-layout>
<style:page-layout style:name="pm2">
 <style:page-layout-properties fo:page-width="11in" fo:page-height="8.5in" style:print-orientation="landscape" fo:margin="0.6in"/>
</style:page-layout>"""


def styles_xml(masters, header_styles=""):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NS}>
{FONTS}
{COMMON_STYLES}
<office:automatic-styles>
{PAGE_LETTER}
{header_styles}
</office:automatic-styles>
<office:master-styles>
{masters}
</office:master-styles>
</office:document-styles>"""


PLAIN_MASTER = '<style:master-page style:name="Standard" style:page-layout-name="pm1"/>'


def content_xml(body, auto=""):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {NS}>
{FONTS}
<office:automatic-styles>{auto}</office:automatic-styles>
<office:body><office:text>
{body}
</office:text></office:body>
</office:document-content>"""


MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def write_odt(name, content, styles, extra=(), manifest=MANIFEST, mime=MIME):
    path = os.path.join(OUT, name)
    with zipfile.ZipFile(path, "w") as z:
        def add(entry, data, compress=zipfile.ZIP_DEFLATED):
            info = zipfile.ZipInfo(entry, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = compress
            z.writestr(info, data)
        add("mimetype", mime, zipfile.ZIP_STORED)
        if content is not None:
            add("content.xml", content)
        if styles is not None:
            add("styles.xml", styles)
        for entry, data in extra:
            add(entry, data)
        add("META-INF/manifest.xml", manifest)
    return path


def png(width, height, pixel):
    """A gray 8-bit PNG; pixel(x, y) -> 0..255."""
    raw = b"".join(
        b"\0" + bytes(pixel(x, y) for x in range(width)) for y in range(height)
    )

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def target(x, y):
    """Concentric rings with a diagonal bar: easy to recognise."""
    cx, cy = x - 80, y - 60
    r2 = cx * cx + cy * cy
    if abs(x - y * 4 // 3) < 6:
        return 0
    return 0 if (r2 // 300) % 2 == 0 else 230


LOREM = (
    "Faxes still carry prescriptions, contracts and lab results between offices. "
    "This paragraph is long enough to wrap over several lines so the pages fill up "
    "and the running header and footer show on each of them with the page number."
)


def styles_fixture():
    auto = """
<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Text_20_body">
 <style:paragraph-properties fo:text-indent="0.4in" fo:margin-top="0.1in"/>
</style:style>
<style:style style:name="P2" style:family="paragraph" style:parent-style-name="Centered">
 <style:text-properties fo:font-size="150%" fo:color="#666666"/>
</style:style>
<style:style style:name="P3" style:family="paragraph" style:parent-style-name="Text_20_body">
 <style:paragraph-properties fo:text-align="end" style:line-height-at-least="20pt"/>
</style:style>
<style:style style:name="T1" style:family="text"><style:text-properties style:text-underline-style="solid"/></style:style>
<style:style style:name="T2" style:family="text"><style:text-properties style:text-line-through-style="solid"/></style:style>
<style:style style:name="T3" style:family="text"><style:text-properties fo:font-variant="small-caps"/></style:style>
<style:style style:name="T4" style:family="text"><style:text-properties fo:text-transform="uppercase" fo:color="#999999"/></style:style>
<style:style style:name="T5" style:family="text" style:parent-style-name="Strong"><style:text-properties fo:font-style="italic"/></style:style>
"""
    body = f"""
<text:h text:style-name="Heading_20_1" text:outline-level="1">Styles and inheritance</text:h>
<text:p text:style-name="Text_20_body">Body text inherits Liberation Serif 12 pt from the default style, with <text:span text:style-name="Strong">bold</text:span>, <text:span text:style-name="T5">bold italic by inheritance</text:span>, <text:span text:style-name="T1">underlined</text:span>, <text:span text:style-name="T2">struck</text:span>, <text:span text:style-name="T3">Small Caps</text:span> and <text:span text:style-name="T4">gray capitals</text:span> runs.</text:p>
<text:p text:style-name="P1">A first-line indent of 0.4 inch, spaces kept:<text:s text:c="6"/>six of them, a<text:tab/>tab, and a line<text:line-break/>break, <text:span text:style-name="Code">monospace code()</text:span>, a <text:a xlink:href="http://example.com/">link shown as text</text:a>.</text:p>
<text:h text:style-name="Heading_20_2" text:outline-level="2">A second-level heading</text:h>
<text:p text:style-name="Quote">A quotation indented half an inch on both sides and justified: {LOREM}</text:p>
<text:p text:style-name="P2">Centered, 150 %, gray</text:p>
<text:p text:style-name="P3">Right aligned, at least 20 pt per line.</text:p>
"""
    write_odt("styles.odt", content_xml(body, auto), styles_xml(PLAIN_MASTER))


LIST_STYLE = """
<text:list-style style:name="L1">
 <text:list-level-style-number text:level="1" style:num-format="I" style:num-suffix=".">
  <style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.25in" fo:margin-left="0.5in"/></style:list-level-properties>
 </text:list-level-style-number>
 <text:list-level-style-number text:level="2" style:num-format="a" style:num-suffix=")" text:display-levels="2">
  <style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment fo:text-indent="-0.35in" fo:margin-left="1in"/></style:list-level-properties>
 </text:list-level-style-number>
 <text:list-level-style-bullet text:level="3" text:bullet-char="–">
  <style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment fo:text-indent="-0.2in" fo:margin-left="1.4in"/></style:list-level-properties>
 </text:list-level-style-bullet>
</text:list-style>
<text:list-style style:name="L2">
 <text:list-level-style-bullet text:level="1" text:bullet-char="•">
  <style:list-level-properties text:space-before="0.25in" text:min-label-width="0.25in"/>
 </text:list-level-style-bullet>
</text:list-style>
<text:list-style style:name="L3">
 <text:list-level-style-number text:level="1" style:num-format="1" style:num-prefix="(" style:num-suffix=")" text:start-value="4">
  <style:list-level-properties text:space-before="0.25in" text:min-label-width="0.4in"/>
 </text:list-level-style-number>
</text:list-style>
"""


def lists_fixture():
    item = lambda text: f'<text:list-item><text:p text:style-name="Standard">{text}</text:p></text:list-item>'
    body = f"""
<text:h text:style-name="Heading_20_1" text:outline-level="1">Lists</text:h>
<text:list xml:id="list1" text:style-name="L1">
 {item("Roman first level")}
 <text:list-item><text:p text:style-name="Standard">Second, with children</text:p>
  <text:list>
   {item("Letter with its parent number")}
   <text:list-item><text:p text:style-name="Standard">Another, with a bullet below</text:p>
    <text:list>{item("A dash bullet, third level")}{item("And one more")}</text:list>
   </text:list-item>
  </text:list>
 </text:list-item>
 {item("Third")}
</text:list>
<text:p text:style-name="Text_20_body">A paragraph between the parts of a list.</text:p>
<text:list text:style-name="L1" text:continue-list="list1">
 {item("Fourth: numbering continues")}
 <text:list-item><text:p text:style-name="Standard">Fifth, with a second paragraph:</text:p><text:p text:style-name="Standard">it has no label of its own.</text:p></text:list-item>
</text:list>
<text:list text:style-name="L2">{item("A bullet item")}{item("Another bullet item that is long enough to wrap onto a second line, so the hanging indent shows.")}</text:list>
<text:list text:style-name="L3">{item("Starts at four")}{item("Five")}</text:list>
"""
    write_odt("lists.odt", content_xml(body, LIST_STYLE), styles_xml(PLAIN_MASTER))


def table_fixture():
    auto = """
<style:style style:name="Tbl" style:family="table"><style:table-properties style:width="6in"/></style:style>
<style:style style:name="Tbl.A" style:family="table-column"><style:table-column-properties style:column-width="1.5in"/></style:style>
<style:style style:name="Tbl.B" style:family="table-column"><style:table-column-properties style:column-width="1.5in"/></style:style>
<style:style style:name="Tbl.H" style:family="table-cell"><style:table-cell-properties fo:background-color="#c0c0c0" fo:padding="0.04in" fo:border="1pt solid #000000"/></style:style>
<style:style style:name="Tbl.C" style:family="table-cell"><style:table-cell-properties fo:padding="0.04in" fo:border="0.5pt solid #000000"/></style:style>
<style:style style:name="Tbl.N" style:family="table-cell"><style:table-cell-properties fo:padding="0.04in" fo:border-bottom="0.5pt solid #000000" fo:border-left="none" fo:border-right="none" fo:border-top="none"/></style:style>
<style:style style:name="PH" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-weight="bold"/></style:style>
"""
    c = lambda text, style="Tbl.C", extra="": f'<table:table-cell table:style-name="{style}" {extra}><text:p text:style-name="Standard">{text}</text:p></table:table-cell>'
    h = lambda text, extra="": f'<table:table-cell table:style-name="Tbl.H" {extra}><text:p text:style-name="PH">{text}</text:p></table:table-cell>'
    body = f"""
<text:h text:style-name="Heading_20_1" text:outline-level="1">A table with merged cells</text:h>
<table:table table:name="T1" table:style-name="Tbl">
 <table:table-column table:style-name="Tbl.A"/>
 <table:table-column table:style-name="Tbl.B" table:number-columns-repeated="3"/>
 <table:table-header-rows>
  <table:table-row>{h("Item", 'table:number-rows-spanned="2"')}{h("Quarter", 'table:number-columns-spanned="3"')}<table:covered-table-cell/><table:covered-table-cell/></table:table-row>
  <table:table-row><table:covered-table-cell/>{h("Q1")}{h("Q2")}{h("Q3")}</table:table-row>
 </table:table-header-rows>
 <table:table-row>{c("Paper")}{c("12")}{c("15")}{c("9")}</table:table-row>
 <table:table-row>{c("Toner, spanning two rows", extra='table:number-rows-spanned="2"')}{c("3")}{c("Two columns", extra='table:number-columns-spanned="2"')}<table:covered-table-cell/></table:table-row>
 <table:table-row><table:covered-table-cell/>{c("4")}{c("5")}{c("6")}</table:table-row>
 <table:table-row>{c("Only a bottom rule", "Tbl.N")}{c("", "Tbl.N")}{c("", "Tbl.N")}{c("total 54", "Tbl.N")}</table:table-row>
</table:table>
<text:p text:style-name="Text_20_body">Text after the table.</text:p>
"""
    write_odt("table.odt", content_xml(body, auto), styles_xml(PLAIN_MASTER))


def header_footer_fixture():
    header_styles = """<style:style style:name="MP1" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="9pt" style:font-name="Liberation Sans"/></style:style>"""
    masters = """<style:master-page style:name="Standard" style:page-layout-name="pm1">
 <style:header><text:p text:style-name="MP1">Example Clinic – referral letter</text:p></style:header>
 <style:footer><text:p text:style-name="MP1">Page <text:page-number text:select-page="current">1</text:page-number> of <text:page-count>3</text:page-count></text:p></style:footer>
</style:master-page>"""
    paras = "\n".join(
        f'<text:p text:style-name="Text_20_body">{i}. {LOREM}'
        + (f'<text:note text:id="ftn{i}" text:note-class="footnote"><text:note-citation>{i // 7}</text:note-citation><text:note-body><text:p text:style-name="Standard">Footnote {i // 7}: collected at the end of the document.</text:p></text:note-body></text:note>' if i % 7 == 0 else "")
        + "</text:p>"
        for i in range(1, 30)
    )
    body = f'<text:h text:style-name="Heading_20_1" text:outline-level="1">Running header and footer</text:h>\n{paras}'
    write_odt("header-footer.odt", content_xml(body), styles_xml(masters, header_styles))


def image_fixture():
    picture = png(160, 120, target)
    body = """
<text:h text:style-name="Heading_20_1" text:outline-level="1">A picture in a frame</text:h>
<text:p text:style-name="Text_20_body">Above the picture.</text:p>
<text:p text:style-name="Centered"><draw:frame draw:name="Image1" text:anchor-type="as-char" svg:width="3in" svg:height="2.25in"><draw:image xlink:href="Pictures/target.png" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>
<text:p text:style-name="Text_20_body">Below the picture. A text box follows:</text:p>
<text:p text:style-name="Standard"><draw:frame draw:name="Box" text:anchor-type="paragraph" svg:width="3in"><draw:text-box><text:p text:style-name="Quote">Text inside a text box is set as its paragraphs.</text:p></draw:text-box></draw:frame></text:p>
<text:p text:style-name="Standard"><draw:frame draw:name="Remote" svg:width="1in" svg:height="1in"><draw:image xlink:href="http://example.com/remote.png"/></draw:frame></text:p>
"""
    write_odt(
        "image.odt",
        content_xml(body),
        styles_xml(PLAIN_MASTER),
        extra=[("Pictures/target.png", picture)],
    )
    return picture


def landscape_fixture():
    masters = PLAIN_MASTER + '\n<style:master-page style:name="Landscape" style:page-layout-name="pm2"/>'
    auto = """<style:style style:name="PL" style:family="paragraph" style:parent-style-name="Heading_20_1" style:master-page-name="Landscape"/>
<style:style style:name="PP" style:family="paragraph" style:parent-style-name="Heading_20_1" style:master-page-name="Standard"/>"""
    body = f"""
<text:h text:style-name="PL" text:outline-level="1">A landscape page</text:h>
<text:p text:style-name="Text_20_body">This page is 11 by 8.5 inches, printed in landscape. {LOREM}</text:p>
<text:h text:style-name="PP" text:outline-level="1">Back to portrait</text:h>
<text:p text:style-name="Text_20_body">A new section on a portrait letter page.</text:p>
"""
    write_odt("landscape.odt", content_xml(body, auto), styles_xml(masters))


def flat_fixture(picture):
    data = base64.encodebytes(picture).decode()
    doc = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {NS} office:mimetype="{MIME}">
{FONTS}
{COMMON_STYLES}
<office:automatic-styles>{PAGE_LETTER}</office:automatic-styles>
<office:master-styles>{PLAIN_MASTER}</office:master-styles>
<office:body><office:text>
<text:h text:style-name="Heading_20_1" text:outline-level="1">A flat ODT</text:h>
<text:p text:style-name="Text_20_body">One XML file with styles, master pages and an inline picture:</text:p>
<text:p text:style-name="Centered"><draw:frame draw:name="I" svg:width="2in" svg:height="1.5in"><draw:image><office:binary-data>{data}</office:binary-data></draw:image></draw:frame></text:p>
</office:text></office:body>
</office:document>"""
    with open(os.path.join(OUT, "flat.fodt"), "w") as f:
        f.write(doc)


def bad_fixtures():
    body = '<text:p text:style-name="Standard">secret</text:p>'
    encrypted = MANIFEST.replace(
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="1234">'
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
        '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>'
        '<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:iteration-count="1024" manifest:salt="AAAA"/>'
        "</manifest:encryption-data></manifest:file-entry>",
    )
    # ODF encryption: content.xml is ciphertext (here: random-looking bytes)
    write_odt("encrypted.odt", bytes(range(256)) * 8, styles_xml(PLAIN_MASTER), manifest=encrypted)
    write_odt("no-content.odt", None, styles_xml(PLAIN_MASTER))
    whole = open(os.path.join(OUT, "styles.odt"), "rb").read()
    with open(os.path.join(OUT, "truncated.odt"), "wb") as f:
        f.write(whole[: len(whole) // 2])
    # 40 MB of spaces inside content.xml: refused by the ratio check
    filler = content_xml('<text:p text:style-name="Standard">' + " " * (40 << 20) + "</text:p>")
    write_odt("bomb-40MB.odt", filler, None)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    styles_fixture()
    lists_fixture()
    table_fixture()
    header_footer_fixture()
    picture = image_fixture()
    landscape_fixture()
    flat_fixture(picture)
    bad_fixtures()
