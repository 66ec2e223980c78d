//! The text of a Word 97-2003 or Word 6/95 document, read without
//! LibreOffice: the main story's characters through the piece table
//! ([MS-DOC] 2.4.1; Word 6/95 keeps its own FIB layout and 8-bit text in the
//! document's code page, see [`word6`]), with
//! paragraph, cell, line and page marks turned into plain-text structure
//! and field codes dropped in favour of their results. Formatting,
//! pictures, headers and footers are not read: this is the fallback when
//! LibreOffice is not installed, and the caller says so in a warning.

use crate::error::{Error, Result};
use std::io::{Cursor, Read};

/// Most characters read from one document (a 100-page fax holds ~500 k).
const MAX_CHARS: u32 = 20_000_000;
/// Most pieces in the piece table.
const MAX_PIECES: usize = 1_000_000;
/// Word 97 and later (nFib 0x00C1); Word 6/95 files use another layout.
const NFIB_WORD97: u16 = 0x00C1;

/// Reads the main text of a .doc file.
pub fn extract_text(bytes: &[u8]) -> Result<String> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| Error::bad_input(format!("the Word file is damaged ({e})")))?;
    let word = read_stream(&mut file, "/WordDocument")?;
    if word6::is_word6(&word) {
        return Ok(plain_text(&word6::main_text(&word)?));
    }
    let fib = Fib::parse(&word)?;
    if fib.encrypted {
        return Err(Error::bad_input(
            "the Word document is password-protected; remove the password and send it again",
        ));
    }
    let table_name = if fib.table_1 { "/1Table" } else { "/0Table" };
    let table = read_stream(&mut file, table_name)?;
    let clx = table
        .get(fib.fc_clx as usize..(fib.fc_clx as usize).saturating_add(fib.lcb_clx as usize))
        .ok_or_else(|| Error::bad_input("the Word document's piece table is out of range"))?;
    let pieces = piece_table(clx)?;
    let mut text = String::new();
    let wanted = fib.ccp_text.min(MAX_CHARS);
    for p in &pieces {
        if p.cp_start >= wanted {
            break;
        }
        let count = (p.cp_end.min(wanted) - p.cp_start) as usize;
        decode_piece(&word, p, count, &mut text)?;
    }
    Ok(plain_text(&text))
}

fn read_stream(file: &mut cfb::CompoundFile<Cursor<&[u8]>>, name: &str) -> Result<Vec<u8>> {
    let mut stream = file
        .open_stream(name)
        .map_err(|_| Error::bad_input(format!("the Word file has no {} stream", &name[1..])))?;
    let mut out = Vec::new();
    stream.read_to_end(&mut out).map_err(|e| {
        Error::bad_input(format!(
            "the Word file's {} stream is unreadable ({e})",
            &name[1..]
        ))
    })?;
    Ok(out)
}

/// The parts of the File Information Block we need.
struct Fib {
    encrypted: bool,
    table_1: bool,
    ccp_text: u32,
    fc_clx: u32,
    lcb_clx: u32,
}

impl Fib {
    fn parse(w: &[u8]) -> Result<Fib> {
        let u16_at = |at: usize| w.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
        let u32_at = |at: usize| {
            w.get(at..at + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        let short = || Error::bad_input("the Word document's header (FIB) is cut short");
        let ident = u16_at(0).ok_or_else(short)?;
        let nfib = u16_at(2).ok_or_else(short)?;
        // Word 6/95 files are read by `word6`; older ones are not
        if ident == 0xA5DC || (ident == 0xA5EC && nfib < NFIB_WORD97) {
            return Err(Error::unsupported(
                "Word documents older than Word 6 need LibreOffice (the built-in text reader reads Word 6 to 2003)",
            ));
        }
        if ident != 0xA5EC {
            return Err(Error::bad_input(
                "the WordDocument stream has no Word signature",
            ));
        }
        let flags = u16_at(10).ok_or_else(short)?;
        // FibBase (32) | csw | fibRgW | cslw | fibRgLw | cbRgFcLcb | fibRgFcLcb
        let csw = u16_at(32).ok_or_else(short)? as usize;
        let lw = 34 + csw * 2;
        let cslw = u16_at(lw).ok_or_else(short)? as usize;
        let rg_lw = lw + 2;
        let fc_lcb = rg_lw + cslw * 4 + 2;
        Ok(Fib {
            encrypted: flags & (1 << 8) != 0,
            table_1: flags & (1 << 9) != 0,
            ccp_text: u32_at(rg_lw + 3 * 4).ok_or_else(short)?,
            // fcClx/lcbClx are pair 33 of FibRgFcLcb97
            fc_clx: u32_at(fc_lcb + 66 * 4).ok_or_else(short)?,
            lcb_clx: u32_at(fc_lcb + 67 * 4).ok_or_else(short)?,
        })
    }
}

/// One piece: character positions and where its text is stored.
struct Piece {
    cp_start: u32,
    cp_end: u32,
    /// Byte offset in the WordDocument stream.
    offset: usize,
    /// 8-bit (Windows-1252) rather than UTF-16.
    compressed: bool,
}

/// Parses the Clx: skips Prc records, then reads the PlcPcd.
fn piece_table(clx: &[u8]) -> Result<Vec<Piece>> {
    piece_table_of(clx, false)
}

/// [`piece_table`] for Word 97 (`eight_bit_only` false: the fc's bit 30
/// marks 8-bit pieces at fc / 2) or Word 6/95 (every piece is 8-bit text
/// at its fc).
fn piece_table_of(clx: &[u8], eight_bit_only: bool) -> Result<Vec<Piece>> {
    let bad = || Error::bad_input("the Word document's piece table is damaged");
    let mut at = 0usize;
    while clx.get(at) == Some(&0x01) {
        let cb = clx.get(at + 1..at + 3).ok_or_else(bad)?;
        at += 3 + u16::from_le_bytes([cb[0], cb[1]]) as usize;
    }
    if clx.get(at) != Some(&0x02) {
        return Err(bad());
    }
    let lcb = clx.get(at + 1..at + 5).ok_or_else(bad)?;
    let lcb = u32::from_le_bytes([lcb[0], lcb[1], lcb[2], lcb[3]]) as usize;
    let plc = clx
        .get(at + 5..(at + 5).saturating_add(lcb))
        .ok_or_else(bad)?;
    // n + 1 CPs of 4 bytes and n PCDs of 8 bytes
    if plc.len() < 4 || (plc.len() - 4) % 12 != 0 {
        return Err(bad());
    }
    let n = (plc.len() - 4) / 12;
    if n > MAX_PIECES {
        return Err(Error::limit("the Word document has too many text pieces"));
    }
    let u32_at = |b: &[u8], i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let pcds = &plc[(n + 1) * 4..];
    let mut pieces = Vec::with_capacity(n);
    for i in 0..n {
        let (cp_start, cp_end) = (u32_at(plc, i * 4), u32_at(plc, (i + 1) * 4));
        if cp_end < cp_start {
            return Err(bad());
        }
        let fc = u32_at(pcds, i * 8 + 2);
        if eight_bit_only {
            pieces.push(Piece {
                cp_start,
                cp_end,
                offset: fc as usize,
                compressed: true,
            });
            continue;
        }
        let compressed = fc & 0x4000_0000 != 0;
        let raw = (fc & 0x3FFF_FFFF) as usize;
        pieces.push(Piece {
            cp_start,
            cp_end,
            offset: if compressed { raw / 2 } else { raw },
            compressed,
        });
    }
    Ok(pieces)
}

fn decode_piece(word: &[u8], p: &Piece, count: usize, out: &mut String) -> Result<()> {
    let len = if p.compressed { count } else { count * 2 };
    let bytes = word
        .get(p.offset..p.offset.saturating_add(len))
        .ok_or_else(|| Error::bad_input("the Word document's text runs past its stream"))?;
    if p.compressed {
        out.extend(bytes.iter().map(|&b| windows_1252(b)));
    } else {
        let units = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]));
        out.extend(char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')));
    }
    Ok(())
}

/// Windows-1252, which "compressed" pieces use.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Word's control characters to plain text: paragraph and line marks to
/// new lines, table cells to tabs (a row end to a new line), page and
/// section breaks to form feeds; field codes dropped, results kept;
/// object anchors and other controls removed.
fn plain_text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    // nesting of fields, and whether each is still in its code part
    let mut fields: Vec<bool> = Vec::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{13}' => {
                fields.push(true);
                continue;
            }
            '\u{14}' => {
                if let Some(code) = fields.last_mut() {
                    *code = false;
                }
                continue;
            }
            '\u{15}' => {
                fields.pop();
                continue;
            }
            _ => {}
        }
        if fields.iter().any(|&in_code| in_code) {
            continue;
        }
        match c {
            '\r' | '\u{0B}' => out.push('\n'),
            '\u{07}' => {
                // cell end; two in a row end the table row
                if chars.peek() == Some(&'\u{07}') {
                    chars.next();
                    out.push('\n');
                } else {
                    out.push('\t');
                }
            }
            '\u{0C}' => out.push('\u{0C}'),
            '\u{1E}' => out.push('-'), // non-breaking hyphen
            '\u{1F}' => {}             // optional hyphen
            '\u{A0}' => out.push(' '),
            c if (c as u32) < 0x20 && c != '\t' => {} // anchors, footnote marks
            c => out.push(c),
        }
    }
    out
}

/// Word 6 and Word 95 (nFib 101-105, signature 0xA5DC): a FIB of fixed
/// offsets, no table stream (the piece table sits in the WordDocument
/// stream), and 8-bit text in the code page of the document's language.
mod word6 {
    use super::{piece_table_of, Error, Result, MAX_CHARS};
    use encoding_rs::Encoding;

    const IDENT: u16 = 0xA5DC;
    /// Offsets in the Word 6 FIB (Apache POI's `OldFib`, wvWare's
    /// `wvGetFIB6`).
    const LID: usize = 0x06;
    const FLAGS: usize = 0x0A;
    const FC_MIN: usize = 0x18;
    const CCP_TEXT: usize = 0x34;
    const FC_CLX: usize = 0x1A2;
    const LCB_CLX: usize = 0x1A6;
    const F_COMPLEX: u16 = 1 << 2;
    const F_ENCRYPTED: u16 = 1 << 8;

    pub fn is_word6(w: &[u8]) -> bool {
        let nfib = w.get(2..4).map(|b| u16::from_le_bytes([b[0], b[1]]));
        w.get(0..2) == Some(&IDENT.to_le_bytes()[..])
            || (w.get(0..2) == Some(&0xA5ECu16.to_le_bytes()[..])
                && matches!(nfib, Some(101..=105)))
    }

    /// The main story's text, decoded.
    pub fn main_text(w: &[u8]) -> Result<String> {
        let short = || Error::bad_input("the Word 6/95 document's header (FIB) is cut short");
        let u16_at = |at: usize| w.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
        let u32_at = |at: usize| {
            w.get(at..at + 4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        let flags = u16_at(FLAGS).ok_or_else(short)?;
        if flags & F_ENCRYPTED != 0 {
            return Err(Error::bad_input(
                "the Word document is password-protected; remove the password and send it again",
            ));
        }
        let encoding = encoding_for_lid(u16_at(LID).ok_or_else(short)?);
        let ccp_text = u32_at(CCP_TEXT).ok_or_else(short)?.min(MAX_CHARS);
        let (fc_clx, lcb_clx) = (
            u32_at(FC_CLX).unwrap_or(0) as usize,
            u32_at(LCB_CLX).unwrap_or(0) as usize,
        );
        let mut bytes = Vec::new();
        if flags & F_COMPLEX != 0 && lcb_clx > 0 {
            // fast-saved: the text is in pieces
            let clx = w
                .get(fc_clx..fc_clx.saturating_add(lcb_clx))
                .ok_or_else(|| {
                    Error::bad_input("the Word document's piece table is out of range")
                })?;
            for p in piece_table_of(clx, true)? {
                if p.cp_start >= ccp_text {
                    break;
                }
                let count = (p.cp_end.min(ccp_text) - p.cp_start) as usize;
                bytes.extend_from_slice(text_bytes(w, p.offset, count)?);
            }
        } else {
            // one run of text from fcMin
            let fc_min = u32_at(FC_MIN).ok_or_else(short)? as usize;
            bytes.extend_from_slice(text_bytes(w, fc_min, ccp_text as usize)?);
        }
        Ok(encoding.decode_without_bom_handling(&bytes).0.into_owned())
    }

    fn text_bytes(w: &[u8], at: usize, count: usize) -> Result<&[u8]> {
        w.get(at..at.saturating_add(count))
            .ok_or_else(|| Error::bad_input("the Word document's text runs past its stream"))
    }

    /// The Windows code page of a language id (Word 6/95 stores 8-bit text
    /// in the code page of the document's language).
    pub fn encoding_for_lid(lid: u16) -> &'static Encoding {
        use encoding_rs::*;
        match lid & 0x3FF {
            0x02 | 0x19 | 0x22 | 0x23 | 0x2F => WINDOWS_1251,
            0x05 | 0x0E | 0x15 | 0x18 | 0x1A | 0x1B | 0x1C | 0x24 => WINDOWS_1250,
            0x08 => WINDOWS_1253,
            0x1F => WINDOWS_1254,
            0x0D => WINDOWS_1255,
            0x01 => WINDOWS_1256,
            0x25..=0x27 => WINDOWS_1257,
            0x2A => WINDOWS_1258,
            0x1E => WINDOWS_874,
            0x11 => SHIFT_JIS,
            0x12 => EUC_KR,
            0x04 if lid == 0x0804 || lid == 0x1004 => GBK,
            0x04 => BIG5,
            _ => WINDOWS_1252,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_97_table_document_reads_as_text() {
        let text =
            extract_text(include_bytes!("../../../fixtures/office/simple-table.doc")).unwrap();
        assert!(!text.trim().is_empty());
        assert!(text.contains('\t'), "table cells become tabs: {text:?}");
        assert!(!text
            .chars()
            .any(|c| (c as u32) < 0x20 && !"\t\n\u{0C}".contains(c)));
    }

    #[test]
    fn a_word_95_document_reads_as_text() {
        let text = extract_text(include_bytes!("../../../fixtures/doc/word95.doc")).unwrap();
        assert!(
            text.starts_with("The quick brown fox jumps over the lazy dog\n"),
            "{text:?}"
        );
        assert!(text.contains("Last (4th) paragraph."), "{text:?}");
        assert!(!text.contains('\r'));
    }

    #[test]
    fn word_6_code_pages_follow_the_language() {
        assert_eq!(word6::encoding_for_lid(0x0409), encoding_rs::WINDOWS_1252);
        assert_eq!(word6::encoding_for_lid(0x0419), encoding_rs::WINDOWS_1251);
        assert_eq!(word6::encoding_for_lid(0x0415), encoding_rs::WINDOWS_1250);
        assert_eq!(word6::encoding_for_lid(0x0411), encoding_rs::SHIFT_JIS);
    }

    #[test]
    fn protected_documents_are_refused() {
        let err = extract_text(include_bytes!(
            "../../../fixtures/office/password-protected.doc"
        ))
        .unwrap_err();
        assert!(err.to_string().contains("password-protected"), "{err}");
    }

    #[test]
    fn fields_keep_their_results_and_marks_become_structure() {
        let raw = "Page \u{13} PAGE \u{14}3\u{15} of 9\rA\u{07}B\u{07}\u{07}end\u{0C}next";
        assert_eq!(plain_text(raw), "Page 3 of 9\nA\tB\nend\u{0C}next");
        assert_eq!(windows_1252(0x93), '“');
        assert_eq!(windows_1252(0xE9), 'é');
    }

    #[test]
    fn damaged_files_give_errors() {
        let mut bytes = include_bytes!("../../../fixtures/office/simple-table.doc").to_vec();
        bytes.truncate(3000);
        assert!(extract_text(&bytes).is_err());
        assert!(extract_text(b"not an OLE file").is_err());
    }
}
