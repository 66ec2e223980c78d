//! Small previews of fax pages: box-filtered down to a given width, aspect
//! corrected, written as 8-bit gray PNG.
//!
//! Gray rather than 1-bit: at thumbnail scale (a 1728-px page at 200 px is
//! ~9x9 fax pixels per thumbnail pixel) thin text strokes cover a small
//! fraction of each box. Thresholding would drop them or smear them into
//! blobs; the box average keeps each line of text as a readable gray band,
//! and an 8-bit gray PNG of that size is still only a few KB. Integer math
//! throughout, so the bytes are deterministic.

use crate::bitmap::BitImage;
use crate::error::{Error, Result};

/// Widest thumbnail we make (beyond this it is no longer a thumbnail).
pub const MAX_THUMB_WIDTH: u32 = 4096;

/// The thumbnail's size for a page: `width` wide (at most the page's own
/// width), height following the page's physical aspect.
pub fn thumbnail_size(page: &BitImage, x_dpi: f64, y_dpi: f64, width: u32) -> (u32, u32) {
    let w = width.clamp(1, page.width.max(1));
    // physical height / physical width * w
    let h = (page.height as f64 * x_dpi / y_dpi * w as f64 / page.width.max(1) as f64).round();
    (w, (h as u32).max(1))
}

/// Box-filters `page` down to `width` px (aspect corrected with the page's
/// resolution) and encodes it as an 8-bit gray PNG (255 = white).
pub fn thumbnail_png(page: &BitImage, x_dpi: f64, y_dpi: f64, width: u32) -> Result<Vec<u8>> {
    if width == 0 || width > MAX_THUMB_WIDTH {
        return Err(Error::invalid_option(format!(
            "thumbnail width {width} is out of range (1 to {MAX_THUMB_WIDTH})"
        )));
    }
    let (tw, th) = thumbnail_size(page, x_dpi, y_dpi, width);
    let gray = box_filter(page, tw, th);
    let mut out = Vec::new();
    let mut enc = ::png::Encoder::new(&mut out, tw, th);
    enc.set_color(::png::ColorType::Grayscale);
    enc.set_depth(::png::BitDepth::Eight);
    let err = |e: ::png::EncodingError| Error::internal(format!("PNG encoding failed: {e}"));
    let mut w = enc.write_header().map_err(err)?;
    w.write_image_data(&gray).map_err(err)?;
    w.finish().map_err(err)?;
    Ok(out)
}

/// Source range [start, end) covered by output cell `i` of `n` over `len`
/// source pixels; never empty.
fn span(i: u32, n: u32, len: u32) -> (u32, u32) {
    let start = (i as u64 * len as u64 / n as u64) as u32;
    let end = ((i as u64 + 1) * len as u64 / n as u64) as u32;
    (
        start.min(len.saturating_sub(1)),
        end.max(start + 1).min(len.max(1)),
    )
}

/// Each output pixel is the mean of the source box it covers.
fn box_filter(page: &BitImage, tw: u32, th: u32) -> Vec<u8> {
    let mut out = vec![255u8; tw as usize * th as usize];
    if page.width == 0 || page.height == 0 {
        return out;
    }
    let columns: Vec<(u32, u32)> = (0..tw).map(|x| span(x, tw, page.width)).collect();
    let mut black = vec![0u32; tw as usize];
    for ty in 0..th {
        let (y0, y1) = span(ty, th, page.height);
        black.iter_mut().for_each(|b| *b = 0);
        for y in y0..y1 {
            let row = page.row(y);
            for (count, &(x0, x1)) in black.iter_mut().zip(&columns) {
                *count += count_bits(row, x0, x1);
            }
        }
        let rows = y1 - y0;
        let line = &mut out[(ty * tw) as usize..((ty + 1) * tw) as usize];
        for ((px, &count), &(x0, x1)) in line.iter_mut().zip(&black).zip(&columns) {
            let area = (x1 - x0) as u64 * rows as u64;
            // rounded 255 * (1 - black / area)
            *px = (255 - (255 * count as u64 * 2 + area) / (2 * area)) as u8;
        }
    }
    out
}

/// Black pixels of a packed MSB-first row in [x0, x1).
fn count_bits(row: &[u8], x0: u32, x1: u32) -> u32 {
    let mut count = 0;
    let mut x = x0;
    while x < x1 {
        let byte = row[(x / 8) as usize];
        let bit = x % 8;
        let take = (8 - bit).min(x1 - x);
        // `take` bits from position `bit`, MSB first
        let mask = ((0xFFu16 << (8 - take)) as u8) >> bit;
        count += (byte & mask).count_ones();
        x += take;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut r = ::png::Decoder::new(std::io::Cursor::new(png_bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        let info = r.next_frame(&mut buf).unwrap();
        assert_eq!(info.bit_depth, ::png::BitDepth::Eight);
        (info.width, info.height, buf)
    }

    #[test]
    fn bit_counting_across_bytes() {
        let row = [0b1010_0000u8, 0xFF, 0x01];
        assert_eq!(count_bits(&row, 0, 24), 2 + 8 + 1);
        assert_eq!(count_bits(&row, 1, 3), 1);
        assert_eq!(count_bits(&row, 6, 10), 2);
        assert_eq!(count_bits(&row, 23, 24), 1);
        assert_eq!(count_bits(&row, 5, 5), 0);
    }

    #[test]
    fn standard_page_keeps_its_physical_shape() {
        // 1728 x 1078 at 204x98 is a Letter page: 8.47 x 11 in.
        let page = BitImage::new(1728, 1078);
        assert_eq!(thumbnail_size(&page, 204.0, 98.0, 200), (200, 260));
        let fine = BitImage::new(1728, 2156);
        assert_eq!(thumbnail_size(&fine, 204.0, 196.0, 200), (200, 260));
        // never wider than the page
        assert_eq!(thumbnail_size(&page, 204.0, 98.0, 5000).0, 1728);
    }

    #[test]
    fn boxes_average_ink() {
        // 4x4 page, left half black: at square pixels the 2x2 thumbnail is black | white
        let mut page = BitImage::new(4, 4);
        for y in 0..4 {
            page.set(0, y, true);
            page.set(1, y, true);
        }
        page.set(2, 0, true); // one of 8 pixels in the right box
        let (w, h, data) = decode(&thumbnail_png(&page, 100.0, 100.0, 2).unwrap());
        assert_eq!((w, h), (2, 2));
        assert_eq!(data[0], 0);
        assert_eq!(data[1], 255 - 64); // 1 of 4 black in the top-right box
        assert_eq!(data[3], 255);
    }

    #[test]
    fn width_out_of_range_is_an_option_error() {
        let page = BitImage::new(8, 8);
        assert!(thumbnail_png(&page, 200.0, 200.0, 0).is_err());
        assert!(thumbnail_png(&page, 200.0, 200.0, MAX_THUMB_WIDTH + 1).is_err());
    }
}
