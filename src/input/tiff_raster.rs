//! Gray and colour TIFF pages through the `tiff` crate: the TIFFs that
//! `image` 0.25 refuses but office scanners and old software write (palette
//! with a ColorMap, 2/4-bit gray; first image), and any page after the
//! first of a multi-page TIFF, which `image` cannot reach.
//!
//! The `tiff` crate decodes 2/4-bit gray but refuses palette images. It
//! would decode their indices fine as gray, so for a palette TIFF we patch
//! PhotometricInterpretation from 3 (palette) to 1 (BlackIsZero) in a copy
//! of the file, let the crate undo any compression and predictor, and map
//! the indices through the ColorMap ourselves.

use super::gray::{luma, on_white};
use crate::bitmap::GrayImage;
use crate::error::{Error, Result};
use crate::limits::Limits;
use image::metadata::Orientation;
use std::io::Cursor;
use tiff::decoder::{Decoder, DecodingResult};
use tiff::tags::Tag;
use tiff::{ColorType, TiffError};

const PHOTOMETRIC_BLACK_IS_ZERO: u16 = 1;
const PHOTOMETRIC_PALETTE: u16 = 3;

fn tiff_error(e: TiffError) -> Error {
    match e {
        TiffError::UnsupportedError(u) => {
            Error::unsupported(format!("the TIFF image uses a feature we cannot read: {u}"))
        }
        TiffError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            Error::bad_input("the TIFF image is truncated")
        }
        TiffError::LimitsExceeded => {
            Error::limit("the TIFF image needs more memory to decode than the limit")
        }
        other => Error::bad_input(format!("the TIFF image is damaged: {other}")),
    }
}

fn decoder<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Decoder<Cursor<&'a [u8]>>> {
    let mut tiff_limits = tiff::decoder::Limits::default();
    tiff_limits.decoding_buffer_size =
        usize::try_from(limits.max_decoded_bytes).unwrap_or(usize::MAX);
    Ok(Decoder::new(Cursor::new(bytes))
        .map_err(tiff_error)?
        .with_limits(tiff_limits))
}

/// Decodes a palette or 2/4-bit gray TIFF to gray, with its orientation
/// (still to apply). `Ok(None)` when the file is another kind of TIFF, for
/// `image` to read.
pub(crate) fn decode(bytes: &[u8], limits: &Limits) -> Result<Option<(GrayImage, Orientation)>> {
    let mut dec = decoder(bytes, limits)?;
    let photometric = dec
        .find_tag_unsigned::<u16>(Tag::PhotometricInterpretation)
        .map_err(tiff_error)?;
    let bits: u8 = dec
        .find_tag_unsigned_vec::<u8>(Tag::BitsPerSample)
        .map_err(tiff_error)?
        .and_then(|v| v.first().copied())
        .unwrap_or(1);
    let is_palette = photometric == Some(PHOTOMETRIC_PALETTE);
    if is_palette {
        if !matches!(bits, 1 | 2 | 4 | 8) {
            return Err(Error::unsupported(format!(
                "{bits}-bit palette TIFF is not supported"
            )));
        }
    } else if !matches!(dec.colortype(), Ok(ColorType::Gray(2 | 4))) {
        return Ok(None);
    }
    let (width, height) = dec.dimensions().map_err(tiff_error)?;
    // packed samples + the gray output (+ the patched copy, for palette)
    limits.check_image(width, height, 2)?;
    let orientation = dec
        .find_tag_unsigned::<u8>(Tag::Orientation)
        .ok()
        .flatten()
        .and_then(Orientation::from_exif)
        .unwrap_or(Orientation::NoTransforms);
    let bits = bits as usize;
    let levels: Vec<u8> = if is_palette {
        let map = dec.get_tag_u16_vec(Tag::ColorMap).map_err(tiff_error)?;
        palette_to_gray(&map, bits)?
    } else {
        // spread 2^bits levels over 0..=255 (WhiteIsZero already inverted)
        (0..1usize << bits)
            .map(|v| (v * 255 / ((1 << bits) - 1)) as u8)
            .collect()
    };
    let packed = if is_palette {
        let patched = with_photometric(bytes, PHOTOMETRIC_BLACK_IS_ZERO).ok_or_else(|| {
            Error::unsupported("this palette TIFF's layout is not supported (BigTIFF?)")
        })?;
        read_samples(decoder(&patched, limits)?)?
    } else {
        read_samples(dec)?
    };
    let row_bytes = (width as usize * bits).div_ceil(8);
    if packed.len() < row_bytes * height as usize {
        return Err(Error::bad_input("the TIFF image is truncated"));
    }
    let mut data = Vec::with_capacity(width as usize * height as usize);
    for row in packed.chunks_exact(row_bytes).take(height as usize) {
        data.extend((0..width as usize).map(|x| levels[sample(row, x, bits)]));
    }
    Ok(Some((
        GrayImage::from_raw(width, height, data),
        orientation,
    )))
}

/// Decodes page `index` (0-based) of a gray, RGB or CMYK TIFF (8 or 16
/// bits per sample, alpha composited on white) to gray.
pub(crate) fn decode_page_gray(bytes: &[u8], index: usize, limits: &Limits) -> Result<GrayImage> {
    let mut dec = decoder(bytes, limits)?;
    dec.seek_to_image(index).map_err(tiff_error)?;
    let (w, h) = dec.dimensions().map_err(tiff_error)?;
    let color = dec.colortype().map_err(tiff_error)?;
    let (channels, depth) = match color {
        ColorType::Gray(d) => (1usize, d),
        ColorType::GrayA(d) => (2, d),
        ColorType::RGB(d) => (3, d),
        ColorType::RGBA(d) | ColorType::CMYK(d) => (4, d),
        other => {
            return Err(Error::unsupported(format!(
                "TIFF pages with colour type {other:?} are not supported"
            )))
        }
    };
    limits.check_image(w, h, channels as u64 * depth.div_ceil(8) as u64 + 1)?;
    // Samples scaled to 8 bits (the tiff crate already inverts WhiteIsZero).
    let samples: Vec<u8> = match dec.read_image().map_err(tiff_error)? {
        DecodingResult::U8(v) if depth == 8 => v,
        DecodingResult::U16(v) => v.into_iter().map(|s| (s >> 8) as u8).collect(),
        _ => {
            return Err(Error::unsupported(format!(
                "TIFF pages with {depth}-bit samples are not supported"
            )))
        }
    };
    let n = w as usize * h as usize;
    if samples.len() < n * channels {
        return Err(Error::bad_input("the TIFF page is truncated"));
    }
    let data = samples
        .chunks_exact(channels)
        .take(n)
        .map(|px| match color {
            ColorType::Gray(_) => px[0],
            ColorType::GrayA(_) => on_white(px[0], px[1]),
            ColorType::RGB(_) => luma(px[0], px[1], px[2]),
            ColorType::RGBA(_) => on_white(luma(px[0], px[1], px[2]), px[3]),
            // CMYK without a profile: each ink subtracts from white paper.
            _ => {
                let k = 255 - px[3] as u32;
                let ink = |c: u8| ((255 - c as u32) * k / 255) as u8;
                luma(ink(px[0]), ink(px[1]), ink(px[2]))
            }
        })
        .collect();
    Ok(GrayImage::from_raw(w, h, data))
}

fn read_samples(mut dec: Decoder<Cursor<&[u8]>>) -> Result<Vec<u8>> {
    match dec.read_image().map_err(tiff_error)? {
        DecodingResult::U8(v) => Ok(v),
        _ => Err(Error::unsupported(
            "this TIFF's sample layout is not supported",
        )),
    }
}

/// A copy of a classic TIFF with the first image's PhotometricInterpretation
/// (a SHORT stored in its IFD entry) set to `value`.
fn with_photometric(bytes: &[u8], value: u16) -> Option<Vec<u8>> {
    let little = match bytes.get(0..4)? {
        b"II*\0" => true,
        b"MM\0*" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let s: [u8; 2] = bytes.get(at..at + 2)?.try_into().ok()?;
        Some(if little {
            u16::from_le_bytes(s)
        } else {
            u16::from_be_bytes(s)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let s: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(s)
        } else {
            u32::from_be_bytes(s)
        })
    };
    let ifd = u32_at(4)? as usize;
    let count = u16_at(ifd)? as usize;
    let entry = (0..count)
        .map(|n| ifd + 2 + n * 12)
        .find(|&e| u16_at(e) == Some(262) && u16_at(e + 2) == Some(3))?;
    let mut out = bytes.to_vec();
    let v = if little {
        value.to_le_bytes()
    } else {
        value.to_be_bytes()
    };
    out.get_mut(entry + 8..entry + 10)?.copy_from_slice(&v);
    Some(out)
}

/// Sample `x` of a row of `bits`-bit samples packed MSB-first.
fn sample(row: &[u8], x: usize, bits: usize) -> usize {
    let bit = x * bits;
    let byte = row[bit / 8] as usize;
    (byte >> (8 - bits - bit % 8)) & ((1 << bits) - 1)
}

/// A TIFF ColorMap (all reds, then greens, then blues, 16-bit) as gray levels.
fn palette_to_gray(map: &[u16], bits: usize) -> Result<Vec<u8>> {
    let n = 1usize << bits;
    if map.len() < 3 * n {
        return Err(Error::bad_input(format!(
            "the TIFF palette has {} entries, fewer than the {n} its {bits}-bit samples need",
            map.len() / 3
        )));
    }
    let eight = |v: u16| (v >> 8) as u8;
    Ok((0..n)
        .map(|i| luma(eight(map[i]), eight(map[n + i]), eight(map[2 * n + i])))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacks_samples_msb_first() {
        assert_eq!(sample(&[0b1011_0000], 0, 1), 1);
        assert_eq!(sample(&[0b1011_0000], 1, 1), 0);
        assert_eq!(sample(&[0b1011_0010], 1, 2), 3);
        assert_eq!(sample(&[0b1011_0010], 3, 2), 2);
        assert_eq!(sample(&[0x3C], 1, 4), 0xC);
    }

    #[test]
    fn short_palette_is_refused() {
        assert!(palette_to_gray(&[0; 10], 2).is_err());
        let map = [0u16, 0xFFFF, 0, 0xFFFF, 0, 0xFFFF];
        assert_eq!(palette_to_gray(&map, 1).unwrap(), vec![0, 255]);
    }
}
