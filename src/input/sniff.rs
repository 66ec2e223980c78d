//! Format detection by content (magic bytes, then zip contents), never by
//! file name.
//!
//! The order matters: binary signatures first (they are unambiguous), then a
//! PDF header at the very start, then markup (HTML/SVG, which are text too),
//! then a PDF header a little later in the file (PDFium accepts up to 1024
//! bytes of junk before `%PDF-`), and finally "does it look like text".

use super::zip_sniff;

/// A document format we recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    Bmp,
    Webp,
    Tiff,
    Pdf,
    Html,
    Svg,
    Text,
    Docx,
    Xlsx,
    Odt,
    Ods,
    /// OLE compound file: legacy .doc or .xls.
    Ole,
}

impl Format {
    /// Whether this is a raster image format [`super::image::decode_image`] reads.
    pub fn is_raster_image(self) -> bool {
        matches!(
            self,
            Format::Jpeg | Format::Png | Format::Gif | Format::Bmp | Format::Webp | Format::Tiff
        )
    }

    /// Human name of the format, for messages and reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Gif => "GIF",
            Format::Bmp => "BMP",
            Format::Webp => "WebP",
            Format::Tiff => "TIFF",
            Format::Pdf => "PDF",
            Format::Html => "HTML",
            Format::Svg => "SVG",
            Format::Text => "plain text",
            Format::Docx => "Word (DOCX)",
            Format::Xlsx => "Excel (XLSX)",
            Format::Odt => "OpenDocument text (ODT)",
            Format::Ods => "OpenDocument spreadsheet (ODS)",
            Format::Ole => "legacy Office (DOC/XLS)",
        }
    }
}

/// How far into the file `%PDF-` may start (PDFium's own tolerance).
const PDF_HEADER_WINDOW: usize = 1024;
/// How much of the file the text and markup checks look at.
const TEXT_SAMPLE: usize = 8192;

/// Detects the format of `bytes`, or `None` when unknown (including an
/// empty file and a zip that is not an office document).
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.is_empty() {
        return None;
    }
    if let Some(f) = sniff_binary_magic(bytes) {
        return Some(f);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return zip_sniff::sniff_zip(bytes);
    }
    if bytes.starts_with(b"%PDF-") {
        return Some(Format::Pdf);
    }
    let sample = &bytes[..bytes.len().min(TEXT_SAMPLE)];
    let text = decode_text_sample(sample);
    if let Some(text) = &text {
        match sniff_markup(text) {
            Some(Markup::Html) => return Some(Format::Html),
            Some(Markup::Svg) => return Some(Format::Svg),
            // flat ODF text (.fodt, .ott's flat twin) is ours; any other
            // flat ODF (.fods, .fodp) we cannot lay out: printing its XML
            // as plain text would be worse than refusing it
            Some(Markup::FlatOpenDocument) => return flat_odf_format(text),
            Some(Markup::OtherXml) | None => {}
        }
    }
    let window = &bytes[..bytes.len().min(PDF_HEADER_WINDOW + 5)];
    if find(window, b"%PDF-").is_some() {
        return Some(Format::Pdf);
    }
    text.map(|_| Format::Text)
}

/// The format of a flat ODF document by its `office:mimetype`.
fn flat_odf_format(text: &str) -> Option<Format> {
    const TEXT: &str = "application/vnd.oasis.opendocument.text";
    let at = text.find("mimetype=")? + "mimetype=".len();
    let value = text[at..].trim_start_matches(['"', '\'']);
    let end = value.find(['"', '\''])?;
    match &value[..end] {
        v if v == TEXT || v == "application/vnd.oasis.opendocument.text-template" => {
            Some(Format::Odt)
        }
        _ => None,
    }
}

/// Signatures that identify a binary format from its first bytes.
fn sniff_binary_magic(b: &[u8]) -> Option<Format> {
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(Format::Jpeg);
    }
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Format::Png);
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return Some(Format::Gif);
    }
    if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        return Some(Format::Webp);
    }
    // Classic TIFF (42) and BigTIFF (43), both byte orders.
    if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        return Some(Format::Tiff);
    }
    if b.starts_with(b"II+\0") || b.starts_with(b"MM\0+") {
        return Some(Format::Tiff);
    }
    if b.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Some(Format::Ole);
    }
    if is_bmp(b) {
        return Some(Format::Bmp);
    }
    None
}

/// "BM" alone would match text starting with "BM"; require a known DIB
/// header size at offset 14 too.
fn is_bmp(b: &[u8]) -> bool {
    if b.len() < 18 || !b.starts_with(b"BM") {
        return false;
    }
    let dib_size = u32::from_le_bytes([b[14], b[15], b[16], b[17]]);
    matches!(dib_size, 12 | 16 | 40 | 52 | 56 | 64 | 108 | 124)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The sample as text if it looks like text: UTF-16 with a BOM, UTF-8, or
/// an 8-bit encoding (Latin-1, Windows-1252...) without NULs and with few
/// control characters. `None` for binary data.
fn decode_text_sample(sample: &[u8]) -> Option<String> {
    if let Some(text) = decode_utf16_with_bom(sample) {
        return looks_like_text(&text).then_some(text);
    }
    let body = sample.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(sample);
    if body.contains(&0) {
        return None;
    }
    let text = match std::str::from_utf8(body) {
        Ok(s) => s.to_owned(),
        // The sample may cut a multi-byte character at its end.
        Err(e) if e.error_len().is_none() => {
            String::from_utf8_lossy(&body[..e.valid_up_to()]).into_owned()
        }
        // Not UTF-8: read it as 8-bit text; each byte maps to one char.
        Err(_) => body.iter().map(|&b| b as char).collect(),
    };
    looks_like_text(&text).then_some(text)
}

fn decode_utf16_with_bom(sample: &[u8]) -> Option<String> {
    let little_endian = match sample {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = sample[2..].chunks_exact(2).map(|c| {
        if little_endian {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let text: String = char::decode_utf16(units)
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    (!text.contains('\0')).then_some(text)
}

/// At most 1 % control characters (other than tab, newlines, form feed and
/// escape); text files may carry a stray one, binary files carry many.
fn looks_like_text(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        total += 1;
        let is_control = (c < ' ' && !matches!(c, '\t' | '\n' | '\r' | '\x0c' | '\x1b'))
            || c == '\x7f'
            || c == char::REPLACEMENT_CHARACTER;
        if is_control {
            control += 1;
        }
    }
    total > 0 && control * 100 <= total
}

/// HTML element names that may open an HTML document or fragment.
const HTML_TAGS: &[&str] = &[
    "html",
    "head",
    "body",
    "table",
    "p",
    "div",
    "span",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "title",
    "meta",
    "link",
    "style",
    "script",
    "br",
    "b",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "pre",
    "a",
    "img",
    "font",
    "center",
    "form",
    "iframe",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "main",
    "hr",
    "blockquote",
    "tr",
    "td",
    "th",
    "base",
];

/// What the first markup of a text file says it is.
#[derive(Debug, PartialEq)]
enum Markup {
    Html,
    Svg,
    /// Flat ODF XML (`.fodt`, `.fods`): root `office:document`.
    FlatOpenDocument,
    /// Any other element: XML data, readable as text.
    OtherXml,
}

/// The kind of markup the file starts with (after a BOM, whitespace,
/// comments, processing instructions and a doctype), or `None` when it does
/// not start with markup.
fn sniff_markup(text: &str) -> Option<Markup> {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        let lower_head: String = rest
            .chars()
            .take(16)
            .collect::<String>()
            .to_ascii_lowercase();
        if rest.starts_with("<!--") {
            rest = skip_past(rest, "-->")?;
        } else if rest.starts_with("<?") {
            rest = skip_past(rest, "?>")?;
        } else if lower_head.starts_with("<!doctype") {
            let doctype = rest[9..].trim_start().to_ascii_lowercase();
            if doctype.starts_with("html") {
                return Some(Markup::Html);
            }
            if doctype.starts_with("svg") {
                return Some(Markup::Svg);
            }
            rest = skip_past(rest, ">")?;
        } else if let Some(tag) = rest.strip_prefix('<') {
            return Some(classify_tag(tag));
        } else {
            return None;
        }
    }
}

fn skip_past<'a>(s: &'a str, end: &str) -> Option<&'a str> {
    s.find(end).map(|i| &s[i + end.len()..])
}

/// `tag` is the text after `<`: its name decides.
fn classify_tag(tag: &str) -> Markup {
    let name: String = tag
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == ':')
        .collect::<String>()
        .to_ascii_lowercase();
    let after = tag[name.len()..].chars().next();
    // `<p>`, `<p class=..>`, `<br/>`, but not `<pineapple` or `<p` at the end.
    let name_ends = matches!(after, Some(c) if c.is_whitespace() || c == '>' || c == '/');
    if !name_ends {
        return Markup::OtherXml;
    }
    match name.as_str() {
        "svg" | "svg:svg" => Markup::Svg,
        "office:document" => Markup::FlatOpenDocument,
        n if HTML_TAGS.contains(&n) => Markup::Html,
        _ => Markup::OtherXml,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])], stored: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data) in entries {
            let offset = out.len() as u32;
            let (method, body) = if stored {
                (0u16, data.to_vec())
            } else {
                let mut enc =
                    flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
                enc.write_all(data).unwrap();
                (8u16, enc.finish().unwrap())
            };
            let local = |sig: &[u8], central: bool| {
                let mut h = sig.to_vec();
                if central {
                    h.extend_from_slice(&20u16.to_le_bytes()); // made by
                }
                h.extend_from_slice(&20u16.to_le_bytes()); // version needed
                h.extend_from_slice(&0u16.to_le_bytes()); // flags
                h.extend_from_slice(&method.to_le_bytes());
                h.extend_from_slice(&[0; 4]); // time, date
                h.extend_from_slice(&[0; 4]); // crc (not checked by sniff)
                h.extend_from_slice(&(body.len() as u32).to_le_bytes());
                h.extend_from_slice(&(data.len() as u32).to_le_bytes());
                h.extend_from_slice(&(name.len() as u16).to_le_bytes());
                h.extend_from_slice(&0u16.to_le_bytes()); // extra
                if central {
                    h.extend_from_slice(&[0; 8]); // comment, disk, attrs
                    h.extend_from_slice(&[0; 4]); // external attrs
                    h.extend_from_slice(&offset.to_le_bytes());
                }
                h.extend_from_slice(name.as_bytes());
                h
            };
            out.extend(local(b"PK\x03\x04", false));
            out.extend_from_slice(&body);
            central.extend(local(b"PK\x01\x02", true));
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    #[test]
    fn binary_magic() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF"), Some(Format::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(Format::Png));
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0"), Some(Format::Gif));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Some(Format::Webp));
        assert_eq!(sniff(b"II*\0\x08\0\0\0"), Some(Format::Tiff));
        assert_eq!(sniff(b"MM\0*\0\0\0\x08"), Some(Format::Tiff));
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert_eq!(sniff(&ole), Some(Format::Ole));
        let mut bmp = b"BM".to_vec();
        bmp.extend_from_slice(&[0; 12]);
        bmp.extend_from_slice(&40u32.to_le_bytes());
        bmp.extend_from_slice(&[0; 20]);
        assert_eq!(sniff(&bmp), Some(Format::Bmp));
        // a RIFF that is not WebP (a WAV file) is not an image
        assert_eq!(sniff(b"RIFF\x24\0\0\0WAVEfmt \x10\0\0\0\x01\0"), None);
    }

    #[test]
    fn real_images_are_recognised() {
        let png = std::fs::read("fixtures/images/pngsuite_basn3p08-palette.png").unwrap();
        assert_eq!(sniff(&png), Some(Format::Png));
        let jpg = std::fs::read("fixtures/images/libjpeg-turbo_testorig.jpg").unwrap();
        assert_eq!(sniff(&jpg), Some(Format::Jpeg));
    }

    #[test]
    fn text_starting_with_bm_is_not_bmp() {
        assert_eq!(sniff(b"BMW service schedule\n"), Some(Format::Text));
    }

    #[test]
    fn pdf_at_start_or_after_junk() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), Some(Format::Pdf));
        let mut junk = b"From: scanner@example.com\r\n\r\n".to_vec();
        junk.extend_from_slice(b"%PDF-1.4\n1 0 obj\n");
        assert_eq!(sniff(&junk), Some(Format::Pdf));
        // past the 1024-byte window it is just text that mentions PDF
        let mut late = vec![b'x'; 2000];
        late.extend_from_slice(b"%PDF-1.4");
        assert_eq!(sniff(&late), Some(Format::Text));
    }

    #[test]
    fn html_variants() {
        for doc in [
            "<!DOCTYPE html><html><body>hi</body></html>",
            "\u{feff}  \n<!doctype HTML>",
            "<!-- generated -->\n<HTML lang=en>",
            "<head><title>x</title></head>",
            "<table><tr><td>1</td></tr></table>",
            "<p>Hello</p>",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"x\">",
            "<Body bgcolor=white>",
            "<br/>",
        ] {
            assert_eq!(sniff(doc.as_bytes()), Some(Format::Html), "{doc}");
        }
        // not HTML: an unknown tag, or a word that starts like a tag name
        assert_eq!(sniff(b"<pineapple>"), Some(Format::Text));
        assert_eq!(sniff(b"<note><to>Tove</to></note>"), Some(Format::Text));
    }

    #[test]
    fn flat_odf_text_is_odt_other_flat_odf_unknown() {
        let flat = |mime: &str| {
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document \
                 xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
                 office:version=\"1.3\" office:mimetype=\"{mime}\">"
            )
        };
        let fodt = flat("application/vnd.oasis.opendocument.text");
        assert_eq!(sniff(fodt.as_bytes()), Some(Format::Odt));
        let template = flat("application/vnd.oasis.opendocument.text-template");
        assert_eq!(sniff(template.as_bytes()), Some(Format::Odt));
        let fods = flat("application/vnd.oasis.opendocument.spreadsheet");
        assert_eq!(sniff(fods.as_bytes()), None);
    }

    #[test]
    fn html_in_utf16() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "<html><body>x</body></html>".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(sniff(&bytes), Some(Format::Html));
    }

    #[test]
    fn svg_variants() {
        for doc in [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\"/>",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Created with Inkscape -->\n<svg\n  width=\"210mm\">",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x\">\n<svg>",
        ] {
            assert_eq!(sniff(doc.as_bytes()), Some(Format::Svg), "{doc}");
        }
    }

    #[test]
    fn html_named_pdf_is_html() {
        // bad/html-content-named.pdf: content wins over the name
        let bytes = std::fs::read("fixtures/images/html-content-named.pdf").unwrap();
        assert_eq!(sniff(&bytes), Some(Format::Html));
    }

    #[test]
    fn empty_and_binary_are_unknown() {
        assert_eq!(sniff(b""), None);
        let binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        assert_eq!(sniff(&binary), None);
        assert_eq!(sniff(b"abc\0def"), None);
    }

    #[test]
    fn text_encodings() {
        assert_eq!(sniff(b"Hello, world\r\n"), Some(Format::Text));
        assert_eq!(
            sniff("Grüße, ça va? 日本語\n".as_bytes()),
            Some(Format::Text)
        );
        assert_eq!(sniff(b"\xEF\xBB\xBFwith BOM\n"), Some(Format::Text));
        // Latin-1 / Windows-1252 (not valid UTF-8)
        assert_eq!(
            sniff(b"Gr\xFC\xDFe, caf\xE9 \x93quoted\x94\n"),
            Some(Format::Text)
        );
        let mut utf16be = vec![0xFE, 0xFF];
        for u in "plain text\n".encode_utf16() {
            utf16be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(sniff(&utf16be), Some(Format::Text));
        // a UTF-8 character cut by the 8 KB sample is still text
        let mut long = "é".repeat(5000).into_bytes();
        long.truncate(TEXT_SAMPLE + 1);
        assert_eq!(sniff(&long), Some(Format::Text));
        // many control characters: binary
        assert_eq!(sniff(b"\x01\x02\x03\x04abc\x05\x06"), None);
    }

    #[test]
    fn office_zips() {
        let ct: &[u8] = b"<Types/>";
        let docx = zip_of(
            &[("[Content_Types].xml", ct), ("word/document.xml", b"<w/>")],
            false,
        );
        assert_eq!(sniff(&docx), Some(Format::Docx));
        let xlsx = zip_of(
            &[("[Content_Types].xml", ct), ("xl/workbook.xml", b"<w/>")],
            true,
        );
        assert_eq!(sniff(&xlsx), Some(Format::Xlsx));
        let odt_mime: &[u8] = b"application/vnd.oasis.opendocument.text";
        let odt = zip_of(&[("mimetype", odt_mime), ("content.xml", b"<x/>")], true);
        assert_eq!(sniff(&odt), Some(Format::Odt));
        let ods_mime: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
        // a deflated mimetype (against the ODF rule, but seen in the wild)
        let ods = zip_of(&[("mimetype", ods_mime), ("content.xml", b"<x/>")], false);
        assert_eq!(sniff(&ods), Some(Format::Ods));
        let odp: &[u8] = b"application/vnd.oasis.opendocument.presentation";
        assert_eq!(sniff(&zip_of(&[("mimetype", odp)], true)), None);
        assert_eq!(sniff(&zip_of(&[("readme.txt", b"hi")], true)), None);
    }

    #[test]
    fn truncated_docx_is_still_docx() {
        let ct: &[u8] = b"<Types/>";
        let mut docx = zip_of(
            &[("[Content_Types].xml", ct), ("word/document.xml", b"<w/>")],
            true,
        );
        // cut the central directory off: the local headers still say what it is
        docx.truncate(docx.len() - 60);
        assert_eq!(sniff(&docx), Some(Format::Docx));
    }
}
