//! Which character encoding an HTML file is in: a byte order mark first,
//! then a `<meta charset>` or `http-equiv="content-type"` declaration in
//! the first 1024 bytes (the HTML spec's prescan window), else the guess
//! made from the text between tags (strict UTF-8, else chardetng; with
//! little evidence, windows-1252, the web's default).

use encoding_rs::Encoding;

/// How far into the file a charset declaration is looked for.
const PRESCAN_BYTES: usize = 1024;

/// Decodes the HTML bytes; returns the text and the encoding's name.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), enc.name());
    }
    if let Some(enc) = declared(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return (text.into_owned(), enc.name());
    }
    let enc = guess(bytes);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), enc.name())
}

/// Fewer non-ASCII bytes than this are too little evidence to leave the
/// web's default legacy encoding (windows-1252) for a neighbour
/// chardetng may pick on a single '£' (windows-1250).
const MIN_EVIDENCE: usize = 8;

/// The encoding of undeclared HTML: UTF-8 when valid, else chardetng's
/// guess from the text between tags (markup is ASCII and only dilutes).
fn guess(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return encoding_rs::UTF_8;
    }
    let mut text = Vec::with_capacity(bytes.len());
    let mut in_tag = false;
    for &b in bytes {
        match b {
            b'<' => in_tag = true,
            b'>' => {
                in_tag = false;
                text.push(b' ');
            }
            _ if !in_tag => text.push(b),
            _ => {}
        }
    }
    let guessed = crate::input::text::decode(&text).encoding;
    let enc = Encoding::for_label(guessed.as_bytes()).unwrap_or(encoding_rs::WINDOWS_1252);
    let evidence = text.iter().filter(|b| !b.is_ascii()).count();
    if evidence < MIN_EVIDENCE
        && (enc == encoding_rs::WINDOWS_1250 || enc == encoding_rs::ISO_8859_2)
    {
        return encoding_rs::WINDOWS_1252;
    }
    enc
}

/// The encoding a `<meta>` in the first 1024 bytes declares, if any. A
/// declared UTF-16 means UTF-8 (the HTML spec: the bytes were ASCII-
/// compatible enough to read the declaration).
pub fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos + 5;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(label) = charset_in(tag) {
            if let Some(enc) = Encoding::for_label(label) {
                let enc = if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                    encoding_rs::UTF_8
                } else {
                    enc
                };
                return Some(enc);
            }
        }
        from = end;
    }
    None
}

/// The value after `charset=` in a meta tag (works for both `charset="x"`
/// and `content="text/html; charset=x"`).
fn charset_in(tag: &[u8]) -> Option<&[u8]> {
    let pos = find(tag, b"charset")?;
    let mut rest = &tag[pos + 7..];
    rest = trim_start(rest);
    rest = rest.strip_prefix(b"=")?;
    rest = trim_start(rest);
    let rest = match rest.first() {
        Some(b'"') | Some(b'\'') => &rest[1..],
        _ => rest,
    };
    let end = rest
        .iter()
        .position(|&b| {
            matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>') || b.is_ascii_whitespace()
        })
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_wins_over_guessing() {
        let html = b"<html><head><meta charset=\"iso-8859-15\"></head><body>\xa4</body>";
        let (text, name) = decode(html);
        assert_eq!(name, "ISO-8859-15");
        assert!(text.contains('\u{20ac}'));
    }

    #[test]
    fn http_equiv_content_type_is_read() {
        let html =
            b"<meta http-equiv='Content-Type' content='text/html; charset=windows-1251'>\xc0";
        assert_eq!(decode(html).1, "windows-1251");
    }

    #[test]
    fn undeclared_legacy_bytes_are_guessed() {
        let html = "<p>Caf\u{e9} cr\u{e8}me br\u{fb}l\u{e9}e, na\u{ef}ve fa\u{e7}ade d\u{e9}j\u{e0} vu</p>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(html);
        let (text, name) = decode(&bytes);
        assert_eq!(name, "windows-1252");
        assert!(text.contains("crème"));
    }

    #[test]
    fn a_lone_pound_sign_stays_windows_1252() {
        let html = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html\"></head><body><p>lift \xa3825, a \xa32 bet</p></body></html>";
        let (text, name) = decode(html);
        assert_eq!(name, "windows-1252");
        assert!(text.contains("£825"));
    }

    #[test]
    fn bom_beats_declaration() {
        let mut html = vec![0xEF, 0xBB, 0xBF];
        html.extend_from_slice("<meta charset=latin1>é".as_bytes());
        assert_eq!(
            decode(&html),
            ("<meta charset=latin1>é".to_string(), "UTF-8")
        );
    }
}
