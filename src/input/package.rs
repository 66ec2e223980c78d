//! Zip packages (DOCX, ODT, templates): every entry read once, up front,
//! under caps, so a reader never touches the zip itself.
//!
//! Why eagerly: a zip bomb is only found by decompressing; reading each
//! entry through a counting limit while the total is bounded stops a
//! 512 MB bomb after [`MAX_TOTAL_BYTES`] instead of after it has filled
//! memory. The caps are on what is actually inflated, not on the sizes the
//! central directory declares (those can lie), plus a ratio check that
//! refuses absurd compression early.

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// Most bytes all entries of one package may inflate to. Real office files
/// are a few MB inflated (the largest corpus DOCX: ~9 MB of pictures).
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// Most entries one package may have.
pub const MAX_ENTRIES: usize = 10_000;
/// Inflated/compressed ratio beyond which a package is a bomb, once it is
/// past [`RATIO_FLOOR`] bytes (small XML parts compress 20-50x legitimately).
pub const MAX_RATIO: u64 = 100;
const RATIO_FLOOR: u64 = 16 * 1024 * 1024;

/// The entries of a zip package, by name.
#[derive(Debug, Default, Clone)]
pub struct Package {
    entries: BTreeMap<String, Vec<u8>>,
}

impl Package {
    /// Reads every file entry of the zip in `bytes`. Refuses encrypted
    /// entries, damaged zips and bombs with a clear message.
    pub fn open(bytes: &[u8]) -> Result<Package> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            Error::bad_input(format!(
                "the file is not a readable zip package (truncated or damaged?): {e}"
            ))
        })?;
        if zip.len() > MAX_ENTRIES {
            return Err(Error::limit(format!(
                "the zip package has {} entries (limit {MAX_ENTRIES})",
                zip.len()
            )));
        }
        let compressed_total = bytes.len() as u64;
        let mut total: u64 = 0;
        let mut entries = BTreeMap::new();
        for index in 0..zip.len() {
            let file = zip
                .by_index(index)
                .map_err(|e| Error::bad_input(format!("zip entry {index} cannot be read: {e}")))?;
            if file.is_dir() {
                continue;
            }
            let name = file
                .name()
                .map_err(|e| Error::bad_input(format!("zip entry {index} has a bad name: {e}")))?
                .into_owned();
            if file.encrypted() {
                return Err(Error::unsupported(format!(
                    "the package is password-protected (entry {name} is encrypted)"
                )));
            }
            // Inflate in slices, checking the caps as it grows: a single
            // 512 MB entry is stopped at the ratio, not after 256 MB.
            let mut data = Vec::with_capacity(file.size().min(1 << 20) as usize);
            let mut reader = file;
            let mut slice = vec![0u8; 256 * 1024];
            loop {
                let n = reader
                    .read(&mut slice)
                    .map_err(|e| Error::bad_input(format!("zip entry {name} is damaged: {e}")))?;
                if n == 0 {
                    break;
                }
                total += n as u64;
                if total > MAX_TOTAL_BYTES
                    || (total > RATIO_FLOOR && total / compressed_total.max(1) > MAX_RATIO)
                {
                    return Err(bomb(total, compressed_total));
                }
                data.extend_from_slice(&slice[..n]);
            }
            entries.insert(name, data);
        }
        Ok(Package { entries })
    }

    /// The bytes of entry `name` (exact, case-sensitive path inside the zip).
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.entries.get(name).map(Vec::as_slice)
    }

    /// Entry `name` as UTF-8 text (a BOM is dropped; bad bytes become U+FFFD).
    pub fn text(&self, name: &str) -> Option<String> {
        let bytes = self.get(name)?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        Some(String::from_utf8_lossy(bytes).into_owned())
    }

    /// Entry names in sorted order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Bytes inflated in all.
    pub fn inflated_bytes(&self) -> u64 {
        self.entries.values().map(|v| v.len() as u64).sum()
    }
}

fn bomb(inflated: u64, compressed: u64) -> Error {
    Error::limit(format!(
        "the zip package inflates to more than {} MB from {} KB (a zip bomb?); limit {} MB, ratio {MAX_RATIO}:1",
        inflated >> 20,
        compressed >> 10,
        MAX_TOTAL_BYTES >> 20
    ))
}

/// A deflated zip of `entries`, built in memory (for the tests of the
/// readers that take zip packages).
#[cfg(test)]
pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut out = Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
    }
    out.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries() {
        let z = zip_of(&[
            ("word/document.xml", b"<w:document/>"),
            ("a.txt", b"\xEF\xBB\xBFhi"),
        ]);
        let p = Package::open(&z).unwrap();
        assert_eq!(p.get("word/document.xml").unwrap(), b"<w:document/>");
        assert_eq!(p.text("a.txt").unwrap(), "hi");
        assert_eq!(
            p.names().collect::<Vec<_>>(),
            ["a.txt", "word/document.xml"]
        );
        assert!(p.get("missing").is_none());
    }

    #[test]
    fn refuses_garbage_truncation_and_bombs() {
        let err = Package::open(b"PK\x03\x04 nothing").unwrap_err();
        assert!(err.to_string().contains("zip"), "{err}");
        let z = zip_of(&[("word/document.xml", &[b'a'; 100_000])]);
        assert!(Package::open(&z[..z.len() / 2]).is_err());
        // 40 MB of zeros deflates to ~40 KB: refused by the ratio.
        let zeros = vec![0u8; 40 << 20];
        let z = zip_of(&[("big.xml", &zeros)]);
        let err = Package::open(&z).unwrap_err();
        assert!(err.to_string().contains("zip bomb"), "{err}");
    }
}
