//! Fax pages as PNG previews.
//!
//! A fax page's pixels are not square (204 dpi across, 98/196/391 lines per
//! inch down). A preview is corrected so it looks right on a screen: a
//! standard-resolution row is repeated (x2), a superfine page keeps every
//! other row (/2), a fine page is written as it is. The PNG is 1-bit gray
//! with its physical resolution (pHYs) set, so a viewer also prints it at
//! the right size.

use crate::bitmap::BitImage;
use crate::error::{Error, Result};

/// How many preview rows one fax row becomes: positive = repeat each row
/// n times, negative = keep one row in n.
fn row_factor(x_dpi: f64, y_dpi: f64) -> i32 {
    let ratio = x_dpi / y_dpi;
    if ratio >= 1.5 {
        ratio.round() as i32
    } else if ratio <= 0.75 {
        -((1.0 / ratio).round() as i32)
    } else {
        1
    }
}

/// Encodes `page` as a 1-bit PNG with the aspect corrected for viewing.
/// `x_dpi`/`y_dpi` are the page's resolution.
pub fn page_png(page: &BitImage, x_dpi: f64, y_dpi: f64) -> Result<Vec<u8>> {
    let factor = row_factor(x_dpi, y_dpi);
    let (rows, out_y_dpi): (Vec<u32>, f64) = match factor {
        f if f > 1 => (
            (0..page.height)
                .flat_map(|y| std::iter::repeat_n(y, f as usize))
                .collect(),
            y_dpi * f as f64,
        ),
        f if f < -1 => (
            (0..page.height).step_by((-f) as usize).collect(),
            y_dpi / (-f) as f64,
        ),
        _ => ((0..page.height).collect(), y_dpi),
    };
    let width = page.width;
    let height = rows.len() as u32;
    let row_bytes = page.packed_row_bytes();
    let mut data = Vec::with_capacity(row_bytes * rows.len());
    for &y in &rows {
        // PNG gray: 1 = white, the inverse of our 1 = black.
        data.extend(page.row(y)[..row_bytes].iter().map(|b| !b));
    }
    // Bits past the width are don't-care in PNG, but keep them 0 for stable bytes.
    if !width.is_multiple_of(8) {
        let mask = 0xFFu8 << (8 - width % 8);
        for r in data.chunks_mut(row_bytes) {
            r[row_bytes - 1] &= mask;
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = ::png::Encoder::new(&mut out, width, height.max(1));
        enc.set_color(::png::ColorType::Grayscale);
        enc.set_depth(::png::BitDepth::One);
        enc.set_pixel_dims(Some(::png::PixelDimensions {
            xppu: (x_dpi / 0.0254).round() as u32,
            yppu: (out_y_dpi / 0.0254).round() as u32,
            unit: ::png::Unit::Meter,
        }));
        let err = |e: ::png::EncodingError| Error::internal(format!("PNG encoding failed: {e}"));
        let mut w = enc.write_header().map_err(err)?;
        if height == 0 {
            data = vec![0xFF; row_bytes];
        }
        w.write_image_data(&data).map_err(err)?;
        w.finish().map_err(err)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let dec = ::png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut r = dec.read_info().unwrap();
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        let info = r.next_frame(&mut buf).unwrap();
        (info.width, info.height, buf)
    }

    #[test]
    fn standard_rows_are_doubled_and_black_is_black() {
        let mut page = BitImage::new(10, 3);
        page.set(0, 1, true);
        let png = page_png(&page, 204.0, 98.0).unwrap();
        let (w, h, data) = decode(&png);
        assert_eq!((w, h), (10, 6));
        // rows 2 and 3 of the preview come from fax row 1: first pixel black (0 bit)
        assert_eq!(data[2 * 2] & 0x80, 0);
        assert_eq!(data[3 * 2] & 0x80, 0);
        assert_eq!(data[0] & 0x80, 0x80);
    }

    #[test]
    fn fine_is_as_is_and_superfine_halved() {
        let page = BitImage::new(17, 9);
        let (_, h, _) = decode(&page_png(&page, 204.0, 196.0).unwrap());
        assert_eq!(h, 9);
        let (_, h, _) = decode(&page_png(&page, 204.0, 391.0).unwrap());
        assert_eq!(h, 5);
    }
}
