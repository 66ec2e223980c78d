//! Telling office documents apart inside a zip: entry names from the
//! central directory, and the ODF `mimetype` entry.
//!
//! This reads only what sniffing needs, with every offset bounds-checked:
//! the end-of-central-directory record, the central directory's names and
//! local-header offsets, and at most [`MIMETYPE_MAX`] bytes of `mimetype`.
//! When the central directory is missing or damaged (a truncated upload),
//! it falls back to walking the local file headers from the start.

use super::sniff::Format;
use std::io::Read;

const EOCD_SIG: &[u8; 4] = b"PK\x05\x06";
const CENTRAL_SIG: &[u8; 4] = b"PK\x01\x02";
const LOCAL_SIG: &[u8; 4] = b"PK\x03\x04";
/// EOCD record is 22 bytes plus a comment of at most 65535 bytes.
const EOCD_SEARCH: usize = 22 + 65535;
/// We stop listing names after this many entries; office documents have
/// tens to hundreds, and the ones we look for come early.
const MAX_ENTRIES: usize = 20_000;
/// The longest ODF mimetype is ~50 bytes.
const MIMETYPE_MAX: usize = 128;

/// One entry's name and where its local header is.
struct Entry<'a> {
    name: &'a [u8],
    local_header: usize,
    /// Uncompressed size the central directory declares (0 when read from
    /// local headers).
    size: u64,
}

/// What the central directory says the entries unpack to, in total; `None`
/// when there is no readable central directory. Checked before a zip is
/// unpacked, so a zip bomb is refused without inflating it (the readers
/// also stop at the declared sizes).
pub(crate) fn declared_uncompressed_total(bytes: &[u8]) -> Option<u64> {
    let entries = central_directory(bytes)?;
    Some(entries.iter().map(|e| e.size).sum())
}

/// The office format of a zip, or `None` for any other zip.
pub(crate) fn sniff_zip(bytes: &[u8]) -> Option<Format> {
    let entries = central_directory(bytes).unwrap_or_else(|| local_headers(bytes));
    let has = |n: &[u8]| entries.iter().any(|e| e.name == n);
    if has(b"word/document.xml") {
        return Some(Format::Docx);
    }
    if has(b"xl/workbook.xml") {
        return Some(Format::Xlsx);
    }
    let mimetype = entries.iter().find(|e| e.name == b"mimetype")?;
    let mime = read_small_entry(bytes, mimetype.local_header)?;
    odf_format(mime.trim_ascii())
}

fn odf_format(mime: &[u8]) -> Option<Format> {
    match mime {
        b"application/vnd.oasis.opendocument.text"
        | b"application/vnd.oasis.opendocument.text-template" => Some(Format::Odt),
        b"application/vnd.oasis.opendocument.spreadsheet"
        | b"application/vnd.oasis.opendocument.spreadsheet-template" => Some(Format::Ods),
        _ => None,
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Entries listed by the central directory, or `None` if it cannot be read.
fn central_directory(b: &[u8]) -> Option<Vec<Entry<'_>>> {
    let search_from = b.len().saturating_sub(EOCD_SEARCH);
    let eocd = search_from + b[search_from..].windows(4).rposition(|w| w == EOCD_SIG)?;
    let count = u16_at(b, eocd + 10)? as usize;
    let cd_offset = u32_at(b, eocd + 16)? as usize;
    let mut entries = Vec::new();
    let mut at = cd_offset;
    for _ in 0..count.min(MAX_ENTRIES) {
        if b.get(at..at + 4)? != CENTRAL_SIG {
            return None;
        }
        let name_len = u16_at(b, at + 28)? as usize;
        let extra_len = u16_at(b, at + 30)? as usize;
        let comment_len = u16_at(b, at + 32)? as usize;
        let size = u32_at(b, at + 24)? as u64;
        let local_header = u32_at(b, at + 42)? as usize;
        let name = b.get(at + 46..at + 46 + name_len)?;
        entries.push(Entry {
            name,
            local_header,
            size,
        });
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(entries)
}

/// Entries found by scanning for local file headers (for a zip whose
/// central directory is cut off). A false signature inside compressed data
/// only adds a junk name.
fn local_headers(b: &[u8]) -> Vec<Entry<'_>> {
    let mut entries = Vec::new();
    let mut at = 0;
    while let Some(pos) = b[at..].windows(4).position(|w| w == LOCAL_SIG) {
        let start = at + pos;
        let name_len = u16_at(b, start + 26).map(usize::from);
        if let Some(name) = name_len.and_then(|n| b.get(start + 30..start + 30 + n)) {
            entries.push(Entry {
                name,
                local_header: start,
                size: 0,
            });
        }
        if entries.len() >= MAX_ENTRIES {
            break;
        }
        at = start + 4;
    }
    entries
}

/// The content of a small entry (stored or deflated), at most
/// [`MIMETYPE_MAX`] bytes of it.
fn read_small_entry(b: &[u8], local_header: usize) -> Option<Vec<u8>> {
    if b.get(local_header..local_header + 4)? != LOCAL_SIG {
        return None;
    }
    let method = u16_at(b, local_header + 8)?;
    let compressed = u32_at(b, local_header + 18)? as usize;
    let name_len = u16_at(b, local_header + 26)? as usize;
    let extra_len = u16_at(b, local_header + 28)? as usize;
    let data_start = local_header + 30 + name_len + extra_len;
    // With a data descriptor the size may be 0 here: read what is there.
    let available = b.len().checked_sub(data_start)?;
    let len = if compressed == 0 {
        available
    } else {
        compressed.min(available)
    };
    let data = &b[data_start..data_start + len];
    match method {
        0 => {
            let mut content = &data[..data.len().min(MIMETYPE_MAX)];
            if compressed == 0 {
                // size unknown (data descriptor): stop at the next header
                let end = content.windows(2).position(|w| w == b"PK");
                content = &content[..end.unwrap_or(content.len())];
            }
            Some(content.to_vec())
        }
        8 => {
            let mut out = Vec::new();
            flate2::read::DeflateDecoder::new(data)
                .take(MIMETYPE_MAX as u64)
                .read_to_end(&mut out)
                .ok()?;
            Some(out)
        }
        _ => None,
    }
}
