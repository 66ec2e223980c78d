//! Arithmetic-coded JPEG (SOF9/SOF10), a standard JPEG mode that the
//! `image` crate's decoder (zune-jpeg 0.5.15) refuses, decoded with
//! libjpeg-turbo (the mozjpeg build, compiled from C by `mozjpeg-sys` with
//! arithmetic decoding on). Only these files take this path: every other
//! JPEG stays on the pure-Rust decoder.

use crate::bitmap::GrayImage;
use crate::error::{Error, Result};
use crate::limits::Limits;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Decodes an arithmetic-coded JPEG straight to gray (libjpeg converts the
/// colour space). `width`/`height` come from our own header scan and are
/// checked against `limits` before libjpeg allocates anything.
pub(crate) fn decode_gray(
    bytes: &[u8],
    width: u32,
    height: u32,
    limits: &Limits,
) -> Result<GrayImage> {
    // libjpeg keeps whole-image coefficient buffers for multi-scan files:
    // count 2 bytes per component (up to 4) on top of the gray output.
    limits.check_image(width, height, 1 + 2 * 4)?;
    // mozjpeg reports libjpeg errors by unwinding; turn them into errors.
    let decoded = catch_unwind(AssertUnwindSafe(
        || -> std::io::Result<(usize, usize, Vec<u8>)> {
            let mut started = mozjpeg::Decompress::new_mem(bytes)?.grayscale()?;
            let (w, h) = (started.width(), started.height());
            let data = started.read_scanlines::<u8>()?;
            started.finish()?;
            Ok((w, h, data))
        },
    ));
    let (w, h, data) = match decoded {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            return Err(Error::bad_input(format!(
                "the JPEG cannot be decoded ({e})"
            )))
        }
        Err(payload) => {
            let why = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "libjpeg error".into());
            return Err(Error::bad_input(format!(
                "the JPEG cannot be decoded ({why})"
            )));
        }
    };
    if (w as u64, h as u64) != (width as u64, height as u64) || data.len() != w * h {
        return Err(Error::bad_input(
            "the JPEG's decoded size does not match its header",
        ));
    }
    Ok(GrayImage::from_raw(width, height, data))
}

#[cfg(test)]
mod tests {
    use crate::input::image::decode_image;
    use crate::limits::Limits;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/images/").to_string() + name)
            .unwrap()
    }

    #[test]
    fn arithmetic_jpeg_decodes_like_its_huffman_twin() {
        // libjpeg-turbo's testimgari.jpg is testorig.jpg re-coded with
        // arithmetic coding: the same pixels.
        let ari =
            decode_image(&fixture("libjpeg-turbo_testimgari.jpg"), &Limits::default()).unwrap();
        let orig =
            decode_image(&fixture("libjpeg-turbo_testorig.jpg"), &Limits::default()).unwrap();
        assert_eq!((ari.width, ari.height), (227, 149));
        assert_eq!((orig.width, orig.height), (227, 149));
        let mean = |d: &[u8]| d.iter().map(|&v| v as u64).sum::<u64>() / d.len() as u64;
        let diff = mean(&ari.data).abs_diff(mean(&orig.data));
        assert!(diff <= 2, "means differ by {diff}");
    }

    #[test]
    fn damaged_arithmetic_jpeg_is_an_error_not_a_panic() {
        let mut bytes = fixture("libjpeg-turbo_testimgari.jpg");
        let n = bytes.len();
        for b in &mut bytes[n / 2..n - 2] {
            *b = 0xFF;
        }
        // Either decoded (libjpeg pads damaged data) or refused, never a panic.
        let _ = decode_image(&bytes, &Limits::default());
    }
}
