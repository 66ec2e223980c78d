//! OpenDocument text end to end: `faxrender convert` of the hand-made
//! fixtures (fixtures/odt/, from scripts/make-odt-fixtures.py) writes TIFFs
//! both fax checkers accept, with the expected page counts; a flat .fodt
//! converts; bad packages (truncated, encrypted, without content.xml, a
//! zip bomb) fail with exit 1 and a clear message.

mod common;

use common::{faxrender, fixture_path};

/// Converts a fixture; returns the TIFF bytes and stderr.
fn convert(fixture: &str) -> (Vec<u8>, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fax.tif");
    let o = faxrender(&[
        "convert",
        &fixture_path(fixture),
        "-o",
        out.to_str().unwrap(),
        "--time",
        &common::FIXED_TIME.to_string(),
    ]);
    let err = common::stderr(&o);
    assert!(o.status.success(), "{fixture}: {err}");
    (std::fs::read(&out).unwrap(), err)
}

#[test]
fn fixtures_convert_to_sendable_faxes_with_their_page_counts() {
    for (fixture, pages) in [
        ("odt/styles.odt", 1),
        ("odt/lists.odt", 1),
        ("odt/table.odt", 1),
        ("odt/header-footer.odt", 3),
        ("odt/image.odt", 1),
        ("odt/landscape.odt", 2),
        ("odt/flat.fodt", 1),
    ] {
        let (tiff, err) = convert(fixture);
        let wanted = if pages == 1 {
            "1 page,".to_string()
        } else {
            format!("{pages} pages,")
        };
        assert!(err.contains(&wanted), "{fixture}: {err}");
        common::assert_checkers_accept(&tiff, fixture);
    }
}

#[test]
fn an_external_picture_is_reported_not_fetched() {
    let (_, err) = convert("odt/image.odt");
    assert!(err.contains("not fetched"), "{err}");
}

#[test]
fn bad_packages_fail_with_a_clear_message() {
    for (fixture, message) in [
        ("odt/truncated.odt", "truncated or damaged"),
        ("odt/encrypted.odt", "password-protected"),
        ("odt/no-content.odt", "no content.xml"),
        ("odt/bomb-40MB.odt", "zip bomb"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("fax.tif");
        let started = std::time::Instant::now();
        let o = faxrender(&[
            "convert",
            &fixture_path(fixture),
            "-o",
            out.to_str().unwrap(),
        ]);
        let err = common::stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{fixture}: {err}");
        assert!(err.contains(message), "{fixture}: {err}");
        assert!(!out.exists(), "{fixture}: no output on failure");
        assert!(started.elapsed().as_secs() < 5, "{fixture} took too long");
    }
}
