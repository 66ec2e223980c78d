//! Legacy Office documents in OLE compound files: classified by [`ole`]
//! (and refused early when password-protected). Excel 97-2003 `.xls`
//! workbooks are read natively by the spreadsheet path (calamine), like
//! xlsx and ods. Word `.doc` and PowerPoint `.ppt`, which only LibreOffice
//! lays out well, are converted to PDF by the warm, sandboxed
//! [`libreoffice`] pool and the PDF path renders the result; without
//! LibreOffice, [`doc_text`] reads a Word document's text alone.

pub mod doc_text;
pub mod libreoffice;
pub mod ole;
mod sandbox;

pub use libreoffice::{LibreOffice, LibreOfficeSettings, PoolState};
pub use ole::{classify, OleKind};

use super::sniff::Format;
use super::source::{OpenContext, OpenedDocument};
use crate::error::{Error, Result};

/// Opens an OLE office document: an Excel workbook as a spreadsheet;
/// anything else through LibreOffice (to PDF, then the PDF path) when it is
/// installed, else a Word document's text alone, with a warning that its
/// formatting was lost.
pub fn open(bytes: &[u8], ctx: &OpenContext) -> Result<OpenedDocument> {
    let kind = classify(bytes)?;
    if kind == OleKind::Excel {
        let mut opened = super::sheet::open(bytes, ctx)?;
        opened.format = Format::Ole;
        return Ok(opened);
    }
    let pool = LibreOffice::global();
    let state = pool.state();
    if state.available {
        let pdf = pool.convert_to_pdf(bytes, kind.extension())?;
        let mut opened = super::pdf::open(pdf.into(), ctx)?;
        opened.format = Format::Ole;
        return Ok(opened);
    }
    let why = state.problem.unwrap_or_default();
    match kind {
        OleKind::Word => {
            let text = doc_text::extract_text(bytes)?;
            let mut opened = super::text::open(text.as_bytes(), ctx)?;
            opened.format = Format::Ole;
            opened.warnings.insert(
                0,
                format!("{why}: only the document's text was rendered, without its formatting, pictures, headers or footers"),
            );
            Ok(opened)
        }
        // (Excel workbooks were read above, without LibreOffice.)
        OleKind::Excel | OleKind::PowerPoint => Err(Error::unsupported(format!(
            "{why}; this {} file cannot be rendered without it",
            kind.extension()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const SIMPLE_TABLE: &[u8] = include_bytes!("../../../fixtures/office/simple-table.doc");
    const PROTECTED: &[u8] = include_bytes!("../../../fixtures/office/password-protected.doc");

    fn pool(settings: LibreOfficeSettings) -> LibreOffice {
        let pool = LibreOffice::new(settings);
        let state = pool.state();
        assert!(
            state.available,
            "LibreOffice tests need libreoffice-writer, python3-uno and bubblewrap \
             (scripts/setup-tests.sh installs them): {:?}",
            state.problem
        );
        pool
    }

    fn page_count(pdf: &[u8]) -> usize {
        // LibreOffice writes one "/Type/Page" object per page (plus
        // "/Type/Pages" nodes, which the trailing byte tells apart).
        pdf.windows(11)
            .filter(|w| w.starts_with(b"/Type/Page") && w[10] != b's')
            .count()
    }

    #[test]
    fn a_word_97_document_becomes_a_pdf_and_nothing_is_left_behind() {
        let pool = pool(LibreOfficeSettings {
            instances: 1,
            ..LibreOfficeSettings::default()
        });
        assert_eq!(classify(SIMPLE_TABLE).unwrap(), OleKind::Word);
        let first = pool.convert_to_pdf(SIMPLE_TABLE, "doc").unwrap();
        assert!(first.starts_with(b"%PDF-"));
        assert_eq!(page_count(&first), 1);
        // warm: the same instance converts again
        let second = pool.convert_to_pdf(SIMPLE_TABLE, "doc").unwrap();
        assert_eq!(page_count(&second), 1);
        let state = pool.state();
        assert_eq!((state.conversions, state.failures), (2, 0));
        let job = pool.folder().join("instance-0").join("job");
        assert_eq!(
            std::fs::read_dir(&job).unwrap().count(),
            0,
            "job files left"
        );
        pool.shutdown();
        assert!(!pool.folder().exists(), "pool folder left behind");
    }

    #[test]
    fn garbage_and_protected_documents_are_refused_clearly() {
        let err = classify(PROTECTED).unwrap_err();
        assert!(err.to_string().contains("password-protected"), "{err}");
        let pool = pool(LibreOfficeSettings {
            instances: 1,
            ..LibreOfficeSettings::default()
        });
        let err = pool
            .convert_to_pdf(b"this is not a Word document at all", "doc")
            .map(|pdf| page_count(&pdf));
        // LibreOffice imports unknown bytes as plain text: either a clear
        // refusal or a real PDF, never a crash of the caller.
        if let Ok(pages) = err {
            assert!(pages >= 1);
        }
        // The instance survives and converts the next document.
        assert_eq!(
            page_count(&pool.convert_to_pdf(SIMPLE_TABLE, "doc").unwrap()),
            1
        );
    }

    #[test]
    fn a_conversion_over_the_time_limit_is_stopped_and_the_pool_recovers() {
        let pool = pool(LibreOfficeSettings {
            instances: 1,
            time_limit: Duration::from_millis(1),
            ..LibreOfficeSettings::default()
        });
        let err = pool.convert_to_pdf(SIMPLE_TABLE, "doc").unwrap_err();
        assert!(err.to_string().contains("time limit"), "{err}");
        assert_eq!(pool.state().failures, 1);
    }

    #[test]
    fn missing_libreoffice_is_a_clear_error() {
        let pool = LibreOffice::new(LibreOfficeSettings {
            soffice: Some("/nonexistent/program/soffice".into()),
            ..LibreOfficeSettings::default()
        });
        let state = pool.state();
        assert!(!state.available);
        let err = pool.convert_to_pdf(SIMPLE_TABLE, "doc").unwrap_err();
        assert!(err.to_string().contains("not found"), "{err}");
    }

    #[test]
    fn the_sandbox_has_no_network() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let dir =
            std::env::temp_dir().join(format!("faxrender-sandbox-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("tmp")).unwrap();
        let bwrap = sandbox::find_bwrap().expect("bubblewrap is installed");
        let probe = format!(
            "import socket\ntry:\n    socket.create_connection(('127.0.0.1', {port}), 2)\n    print('connected')\nexcept OSError:\n    print('refused')"
        );
        let out = sandbox::command(
            &bwrap,
            &dir,
            "/usr".as_ref(),
            1 << 30,
            "/usr/bin/python3",
            &["-c", &probe],
        )
        .output()
        .unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "refused",
            "{out:?}"
        );
        assert!(
            listener.accept().is_err(),
            "the host listener saw a connection"
        );
    }
}
