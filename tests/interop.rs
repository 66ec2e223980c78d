//! Interoperability: every TIFF we write, at every resolution x compression x
//! paper, is accepted by both fax checkers (libtiff rules and SpanDSP as
//! Asterisk uses it), and libtiff decodes it to exactly our pages.

mod common;

use faxrender::codec::Compression;
use faxrender::geometry::{Paper, Resolution};
use faxrender::job::{run_send, Document, JobClock, SendJob, SendOptions};
use faxrender::limits::Limits;
use faxrender::tiff::read_tiff;

fn job(resolution: Resolution, paper: Paper, compression: Compression) -> SendJob {
    SendJob {
        documents: vec![
            Document::new("photo.jpg", common::fixture("examples/photo.jpg")),
            Document::new(
                "document-screenshot.png",
                common::fixture("examples/document-screenshot.png"),
            ),
        ],
        options: SendOptions {
            resolution,
            paper,
            compression,
            ..SendOptions::default()
        },
        clock: JobClock::Fixed(common::FIXED_TIME),
        keep_pages: true,
        ..SendJob::default()
    }
}

#[test]
fn every_resolution_compression_and_paper_passes_both_checkers() {
    for resolution in Resolution::ALL {
        for paper in Paper::ALL {
            for compression in Compression::ALL {
                let what = format!("{resolution} {paper} {compression}");
                let out = run_send(&job(resolution, paper, compression)).unwrap();
                assert_eq!(out.report.pages, 2, "{what}");
                for p in &out.pages {
                    assert_eq!(p.width, 1728, "{what}");
                    assert_eq!(p.height, paper.rows(resolution), "{what}");
                }
                common::assert_checkers_accept(&out.tiff, &what);
            }
        }
    }
}

#[test]
fn libtiff_decodes_our_pages_bit_for_bit() {
    for compression in Compression::ALL {
        for resolution in [Resolution::Standard, Resolution::Fine] {
            let out = run_send(&job(resolution, Paper::Letter, compression)).unwrap();
            let raw = common::tiffcp_uncompressed(&out.tiff);
            let file = read_tiff(&raw, &Limits::default()).unwrap();
            assert_eq!(file.pages.len(), out.pages.len());
            for (i, (theirs, ours)) in file.pages.iter().zip(&out.pages).enumerate() {
                assert_eq!(theirs.compression, 1, "tiffcp -c none gives raw strips");
                let decoded = theirs.decode(&Limits::default()).unwrap();
                assert!(decoded.is_clean());
                assert!(
                    decoded.image == *ours,
                    "{compression} {resolution} page {}: libtiff's bitmap differs from ours",
                    i + 1
                );
            }
        }
    }
}

#[test]
fn output_is_byte_for_byte_deterministic() {
    let a = run_send(&job(Resolution::Fine, Paper::A4, Compression::G3_2D)).unwrap();
    let b = run_send(&job(Resolution::Fine, Paper::A4, Compression::G3_2D)).unwrap();
    assert!(a.tiff == b.tiff);
}

/// A fax TIFF at the outgoing width and resolution is re-sent bit for bit
/// (no resampling blur); at another resolution it is fitted to the page.
#[test]
fn a_fax_tiff_document_passes_through_unchanged() {
    let first = run_send(&job(Resolution::Fine, Paper::Letter, Compression::G3)).unwrap();
    let resend = |resolution| {
        run_send(&SendJob {
            documents: vec![Document::new("fax.tif", first.tiff.clone())],
            options: SendOptions {
                resolution,
                ..SendOptions::default()
            },
            clock: JobClock::Fixed(common::FIXED_TIME),
            keep_pages: true,
            ..SendJob::default()
        })
        .unwrap()
    };
    let again = resend(Resolution::Fine);
    assert_eq!(again.report.documents[0].format, "TIFF");
    assert!(
        again.pages == first.pages,
        "pages changed on the way through"
    );
    let standard = resend(Resolution::Standard);
    assert_eq!(standard.pages.len(), 2);
    assert!(standard
        .pages
        .iter()
        .all(|p| p.height == 1078 && p.count_black() > 0));
    common::assert_checkers_accept(&standard.tiff, "re-sent at standard");
}
