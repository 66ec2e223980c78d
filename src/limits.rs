//! Limits on what one job may bring and produce.
//!
//! A fax is at most 100 pages and 20 MB (input and output), both
//! configurable. Images are capped in pixels and decoded bytes *before*
//! anything is allocated, so a hostile header (a 100000x100000 PNG) is
//! refused in microseconds. Every refusal names the limit and the figure.

use crate::error::{Error, Result};

/// Limits for one job. `Limits::default()` is the production setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Limits {
    /// Pages in the fax (cover included).
    pub max_pages: u32,
    /// Bytes of all input documents together, and of the output TIFF.
    pub max_bytes: u64,
    /// Pixels of one decoded image (width x height).
    pub max_image_pixels: u64,
    /// Width or height of one decoded image.
    pub max_image_dimension: u32,
    /// Bytes one decoder may allocate for one image.
    pub max_decoded_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_pages: 100,
            max_bytes: 20 * 1024 * 1024,
            // 64 MP: a 12000x12000 (144 MP) image is a decompression bomb; the
            // largest real photos we see (5119x2903, 15 MP) pass easily.
            max_image_pixels: 64_000_000,
            max_image_dimension: 30_000,
            max_decoded_bytes: 256 * 1024 * 1024,
        }
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

impl Limits {
    pub fn check_pages(&self, pages: u64) -> Result<()> {
        if pages > self.max_pages as u64 {
            return Err(Error::limit(format!(
                "the fax would have {pages} pages, over the limit of {} pages",
                self.max_pages
            )));
        }
        Ok(())
    }

    pub fn check_input_bytes(&self, bytes: u64) -> Result<()> {
        if bytes > self.max_bytes {
            return Err(Error::limit(format!(
                "the documents are {} ({bytes} bytes), over the limit of {} ({} bytes)",
                mb(bytes),
                mb(self.max_bytes),
                self.max_bytes
            )));
        }
        Ok(())
    }

    pub fn check_output_bytes(&self, bytes: u64) -> Result<()> {
        if bytes > self.max_bytes {
            return Err(Error::limit(format!(
                "the fax would be {} ({bytes} bytes), over the limit of {} ({} bytes)",
                mb(bytes),
                mb(self.max_bytes),
                self.max_bytes
            )));
        }
        Ok(())
    }

    /// Checks image dimensions (from a header, before decoding).
    /// `bytes_per_pixel` is what the decoder will allocate per pixel.
    pub fn check_image(&self, width: u32, height: u32, bytes_per_pixel: u64) -> Result<()> {
        if width == 0 || height == 0 {
            return Err(Error::bad_input(format!(
                "the image is {width}x{height} pixels: it has no pixels"
            )));
        }
        if width > self.max_image_dimension || height > self.max_image_dimension {
            return Err(Error::limit(format!(
                "the image is {width}x{height} pixels, over the limit of {} pixels per side",
                self.max_image_dimension
            )));
        }
        let pixels = width as u64 * height as u64;
        if pixels > self.max_image_pixels {
            return Err(Error::limit(format!(
                "the image is {width}x{height} pixels ({:.1} megapixels), over the limit of {:.1} megapixels",
                pixels as f64 / 1e6,
                self.max_image_pixels as f64 / 1e6
            )));
        }
        let bytes = pixels.saturating_mul(bytes_per_pixel.max(1));
        if bytes > self.max_decoded_bytes {
            return Err(Error::limit(format!(
                "the image would take {} to decode, over the limit of {}",
                mb(bytes),
                mb(self.max_decoded_bytes)
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_limit_and_figure() {
        let l = Limits::default();
        let e = l.check_pages(101).unwrap_err();
        assert!(e.to_string().contains("101 pages") && e.to_string().contains("100 pages"));
        let e = l.check_image(100_000, 100_000, 1).unwrap_err();
        assert!(e.to_string().contains("100000x100000"));
        let e = l.check_image(12_000, 12_000, 3).unwrap_err();
        assert!(e.to_string().contains("144.0 megapixels"), "{e}");
        l.check_image(5119, 2903, 4).unwrap();
        assert!(l.check_input_bytes(21 * 1024 * 1024).is_err());
        assert!(l.check_image(0, 5, 1).is_err());
    }
}
