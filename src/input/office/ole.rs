//! What an OLE compound file (the container of Word 97-2003, Excel 97-2003
//! and password-protected OOXML files) holds, read with the `cfb` crate
//! without LibreOffice: which application wrote it and whether it is
//! encrypted, so a protected file gets a clear refusal up front.

use crate::error::{Error, Result};
use std::io::{Cursor, Read};

/// The kinds of OLE documents we tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OleKind {
    /// Word 97-2003 (.doc): a `WordDocument` stream.
    Word,
    /// Excel 97-2003 (.xls): a `Workbook` (or old `Book`) stream.
    Excel,
    /// PowerPoint 97-2003 (.ppt).
    PowerPoint,
}

impl OleKind {
    /// The file extension LibreOffice should see.
    pub fn extension(self) -> &'static str {
        match self {
            OleKind::Word => "doc",
            OleKind::Excel => "xls",
            OleKind::PowerPoint => "ppt",
        }
    }
}

/// The flags word of the Word File Information Block (FibBase), offset 10;
/// bit 8 is fEncrypted ([MS-DOC] 2.5.2).
const FIB_FLAGS_OFFSET: usize = 10;
const FIB_ENCRYPTED: u16 = 1 << 8;
/// Word's magic number at the start of the FIB (wIdent).
const WORD_IDENT: u16 = 0xA5EC;

/// Classifies an OLE file; a password-protected one (an encrypted Word
/// document, or an OOXML file wrapped in an `EncryptedPackage`) is an error
/// that says so.
pub fn classify(bytes: &[u8]) -> Result<OleKind> {
    let file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| Error::bad_input(format!("the OLE compound file is damaged ({e})")))?;
    let mut file = file;
    if file.exists("/EncryptedPackage") || file.exists("/EncryptionInfo") {
        return Err(Error::bad_input(
            "the document is password-protected (encrypted); remove the password and send it again",
        ));
    }
    if file.exists("/WordDocument") {
        let mut fib = [0u8; 12];
        let mut stream = file.open_stream("/WordDocument").map_err(|e| {
            Error::bad_input(format!("the Word document stream is unreadable ({e})"))
        })?;
        stream
            .read_exact(&mut fib)
            .map_err(|_| Error::bad_input("the Word document stream is too short"))?;
        let ident = u16::from_le_bytes([fib[0], fib[1]]);
        let flags = u16::from_le_bytes([fib[FIB_FLAGS_OFFSET], fib[FIB_FLAGS_OFFSET + 1]]);
        if ident == WORD_IDENT && flags & FIB_ENCRYPTED != 0 {
            return Err(Error::bad_input(
                "the Word document is password-protected; remove the password and send it again",
            ));
        }
        return Ok(OleKind::Word);
    }
    if file.exists("/Workbook") || file.exists("/Book") {
        return Ok(OleKind::Excel);
    }
    if file.exists("/PowerPoint Document") {
        return Ok(OleKind::PowerPoint);
    }
    Err(Error::unsupported(
        "the OLE compound file is not a Word, Excel or PowerPoint document",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ole_with(streams: &[(&str, &[u8])]) -> Vec<u8> {
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        for (name, data) in streams {
            let mut s = file.create_stream(name).unwrap();
            std::io::Write::write_all(&mut s, data).unwrap();
        }
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    fn fib(flags: u16) -> Vec<u8> {
        let mut v = vec![0u8; 64];
        v[0..2].copy_from_slice(&WORD_IDENT.to_le_bytes());
        v[10..12].copy_from_slice(&flags.to_le_bytes());
        v
    }

    #[test]
    fn tells_word_excel_and_powerpoint_apart() {
        assert_eq!(
            classify(&ole_with(&[("/WordDocument", &fib(0))])).unwrap(),
            OleKind::Word
        );
        assert_eq!(
            classify(&ole_with(&[("/Workbook", b"x")])).unwrap(),
            OleKind::Excel
        );
        assert_eq!(
            classify(&ole_with(&[("/PowerPoint Document", b"x")])).unwrap(),
            OleKind::PowerPoint
        );
    }

    #[test]
    fn encrypted_files_are_refused_as_password_protected() {
        let word = classify(&ole_with(&[("/WordDocument", &fib(FIB_ENCRYPTED))])).unwrap_err();
        assert!(word.to_string().contains("password-protected"), "{word}");
        let ooxml = classify(&ole_with(&[
            ("/EncryptionInfo", b"x"),
            ("/EncryptedPackage", b"y"),
        ]))
        .unwrap_err();
        assert!(ooxml.to_string().contains("password-protected"), "{ooxml}");
    }

    #[test]
    fn damaged_or_foreign_containers_give_clear_errors() {
        let mut damaged = ole_with(&[("/WordDocument", &fib(0))]);
        damaged.truncate(600);
        assert!(classify(&damaged).is_err());
        let other = classify(&ole_with(&[("/Something", b"x")])).unwrap_err();
        assert!(other.to_string().contains("not a Word"), "{other}");
    }
}
