//! Gray to bilevel: threshold (text, line art), clustered-dot halftone
//! (photos; compresses ~4x better than error diffusion under G4), error
//! diffusion, and `auto`, which picks threshold or halftone per region of
//! the page (tiles of about 8 mm, see [`classify`]).
//! All integer math: the same input gives the same bits.
//!
//! Every mode keeps pure white (255) white and pure black (0) black, so the
//! paper around a picture stays blank whatever the mode.

mod auto;
mod classify;
mod diffuse;
mod halftone;
mod threshold;

pub use auto::auto;
pub use classify::{classify, RegionKind, RegionMap};
pub use diffuse::diffuse;
pub use halftone::{halftone, Screen};
pub use threshold::{threshold, FIXED_LEVEL};

use crate::bitmap::{BitImage, GrayImage};
use crate::error::{Error, Result};
use crate::geometry::Resolution;
use rayon::prelude::*;
use std::str::FromStr;

/// How gray pages become black and white.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BilevelMode {
    #[default]
    Auto,
    Threshold,
    Halftone,
    Diffuse,
}

impl BilevelMode {
    pub const ALL: [BilevelMode; 4] = [
        BilevelMode::Auto,
        BilevelMode::Threshold,
        BilevelMode::Halftone,
        BilevelMode::Diffuse,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BilevelMode::Auto => "auto",
            BilevelMode::Threshold => "threshold",
            BilevelMode::Halftone => "halftone",
            BilevelMode::Diffuse => "diffuse",
        }
    }
}

impl std::fmt::Display for BilevelMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for BilevelMode {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(BilevelMode::Auto),
            "threshold" => Ok(BilevelMode::Threshold),
            "halftone" => Ok(BilevelMode::Halftone),
            "diffuse" | "dither" => Ok(BilevelMode::Diffuse),
            _ => Err(Error::invalid_option(format!(
                "unknown bilevel mode '{s}' (expected auto, threshold, halftone or diffuse)"
            ))),
        }
    }
}

/// Converts a gray page on the fax grid at `res` to bilevel.
pub fn to_bilevel(img: &GrayImage, mode: BilevelMode, res: Resolution) -> BitImage {
    match mode {
        BilevelMode::Auto => auto(img, res),
        BilevelMode::Threshold => threshold(img, res),
        BilevelMode::Halftone => halftone(img, res),
        BilevelMode::Diffuse => diffuse(img),
    }
}

/// Rows per parallel work item: large enough that rayon's overhead is
/// negligible, small enough that both cores get several bands per page.
const BAND_ROWS: usize = 64;

/// Builds a bilevel image by calling `fill_row(y, out_row)` for every row,
/// bands of rows in parallel. `out_row` arrives all white; `fill_row` must
/// leave the padding bits past the width white. The result does not depend
/// on the scheduling because each row is written by exactly one call.
fn build_rows(img: &GrayImage, fill_row: impl Fn(u32, &mut [u8]) + Sync) -> BitImage {
    let stride = BitImage::stride_for(img.width);
    build_bands(img, BAND_ROWS, |y0, band| {
        for (i, row) in band.chunks_mut(stride).enumerate() {
            fill_row(y0 + i as u32, row);
        }
    })
}

/// Builds a bilevel image band by band of `band_rows` rows, in parallel:
/// `fill_band(y0, rows)` gets the all-white output rows from row `y0` on,
/// one after the other in one slice. [`build_rows`] is this with a call per
/// row; `auto` uses it for work kept per band.
fn build_bands(
    img: &GrayImage,
    band_rows: usize,
    fill_band: impl Fn(u32, &mut [u8]) + Sync,
) -> BitImage {
    assert_eq!(
        img.data.len(),
        img.width as usize * img.height as usize,
        "GrayImage data does not match its size"
    );
    let mut out = BitImage::new(img.width, img.height);
    let stride = out.stride;
    if stride == 0 || img.height == 0 {
        return out;
    }
    out.data
        .par_chunks_mut(stride * band_rows)
        .enumerate()
        .for_each(|(band, chunk)| fill_band((band * band_rows) as u32, chunk));
    out
}

/// Packs `src` into bits, MSB first: a pixel is black (1) when it is below
/// its threshold, `thresholds[x % 8]`. Both threshold and halftone are this
/// one comparison against an 8-periodic pattern (the halftone cell is 8
/// pixels wide so that one output byte is exactly one cell row). Pixels past
/// the end of `src` in the last byte stay 0.
#[inline]
fn pack_below(src: &[u8], thresholds: &[u8; 8], out: &mut [u8]) {
    // 64 pixels at a time with SSE2 (every x86-64 has it), the rest below
    let done = pack_below_64(src, thresholds, out);
    let (src, out) = (&src[done * 8..], &mut out[done..]);
    let t = u64::from_le_bytes(*thresholds);
    let mut chunks = src.chunks_exact(8);
    for (byte, px) in out.iter_mut().zip(&mut chunks) {
        let p = u64::from_le_bytes(px.try_into().unwrap());
        *byte = gather_bits(bytes_below(p, t).to_le_bytes());
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        let mut below = [0u8; 8];
        for (i, &p) in tail.iter().enumerate() {
            below[i] = u8::from(p < thresholds[i]);
        }
        out[src.len() / 8] = gather_bits(below);
    }
}

/// Packs whole 64-pixel blocks of `src` as [`pack_below`] does, with SSE2
/// compares (16 pixels per instruction instead of 8 per word operation:
/// ~4x faster on a full page); returns the number of output bytes written.
#[cfg(target_arch = "x86_64")]
#[inline]
fn pack_below_64(src: &[u8], thresholds: &[u8; 8], out: &mut [u8]) -> usize {
    use std::arch::x86_64::*;
    let blocks = (src.len() / 64).min(out.len() / 8);
    // SAFETY: SSE2 is part of the x86-64 baseline; every load reads 16 bytes
    // inside src[64 * b .. 64 * b + 64] with b < src.len() / 64, and the
    // threshold vector is built from a local 16-byte array.
    unsafe {
        // a signed compare of (v ^ 0x80) is an unsigned compare of v
        let flip = _mm_set1_epi8(i8::MIN);
        let mut twice = [0u8; 16];
        twice[..8].copy_from_slice(thresholds);
        twice[8..].copy_from_slice(thresholds);
        let t = _mm_xor_si128(_mm_loadu_si128(twice.as_ptr().cast()), flip);
        for b in 0..blocks {
            let p = src.as_ptr().add(b * 64);
            let mut mask = 0u64;
            for q in 0..4 {
                let v = _mm_xor_si128(_mm_loadu_si128(p.add(q * 16).cast()), flip);
                let below = _mm_movemask_epi8(_mm_cmplt_epi8(v, t)) as u16;
                mask |= u64::from(below) << (q * 16);
            }
            // pixel i sits at bit i; the page wants pixel 0 in the top bit
            // of the first byte
            out[b * 8..b * 8 + 8].copy_from_slice(&mask.reverse_bits().to_be_bytes());
        }
    }
    blocks * 8
}

#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn pack_below_64(_src: &[u8], _thresholds: &[u8; 8], _out: &mut [u8]) -> usize {
    0
}

/// For each of the eight bytes, 1 if the byte of `x` is below (unsigned)
/// the byte of `y`, else 0: eight compares in a few word operations
/// (Hacker's Delight, 2-12 and 2-18: a per-byte subtraction that does not
/// borrow across bytes, then the borrow-out of each byte).
#[inline]
fn bytes_below(x: u64, y: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let diff = ((x | HIGH).wrapping_sub(y & !HIGH)) ^ ((x ^ !y) & HIGH);
    (((!x & y) | ((!x | y) & diff)) & HIGH) >> 7
}

/// Packs eight 0/1 bytes into one byte, the first byte into bit 7. The
/// multiplication moves byte i's bit (at 8i) to bit 63 - i; all other
/// partial products land on distinct bits, so nothing carries into the top
/// byte. Branch-free and several times faster than shifting bit by bit.
#[inline]
fn gather_bits(bits: [u8; 8]) -> u8 {
    (u64::from_le_bytes(bits).wrapping_mul(0x8040_2010_0804_0201) >> 56) as u8
}

#[cfg(test)]
pub(crate) mod test_pages;

#[cfg(test)]
mod tests {
    use super::test_pages::*;
    use super::*;

    #[test]
    fn every_mode_is_deterministic() {
        let page = photo_page(Resolution::Fine, 400, 300);
        for mode in BilevelMode::ALL {
            let a = to_bilevel(&page, mode, Resolution::Fine);
            let b = to_bilevel(&page, mode, Resolution::Fine);
            assert_eq!(a, b, "{mode}");
            assert!(a.count_black() > 0, "{mode}");
        }
    }

    #[test]
    fn white_stays_white_and_black_stays_black() {
        for res in Resolution::ALL {
            for &(w, h) in &[(1728, 97), (13, 9), (64, 1)] {
                let white = GrayImage::new(w, h, 255);
                let black = GrayImage::new(w, h, 0);
                for mode in BilevelMode::ALL {
                    let out = to_bilevel(&white, mode, res);
                    assert_eq!(out.count_black(), 0, "{mode} {res} {w}x{h}");
                    let out = to_bilevel(&black, mode, res);
                    assert_eq!(
                        out.count_black(),
                        w as u64 * h as u64,
                        "{mode} {res} {w}x{h}: not all black (or padding set)"
                    );
                }
            }
        }
    }

    #[test]
    fn empty_images_are_fine() {
        for mode in BilevelMode::ALL {
            let out = to_bilevel(&GrayImage::new(0, 5, 255), mode, Resolution::Fine);
            assert_eq!((out.width, out.height), (0, 5));
            let out = to_bilevel(&GrayImage::new(8, 0, 255), mode, Resolution::Fine);
            assert!(out.data.is_empty());
        }
    }

    #[test]
    fn padding_bits_stay_white() {
        // width 13: 3 pixels of the second byte and the rest of the stride
        // are padding; a black page must not spill into them
        let page = GrayImage::new(13, 4, 0);
        for mode in BilevelMode::ALL {
            let out = to_bilevel(&page, mode, Resolution::Fine);
            let mut cleared = out.clone();
            cleared.clear_padding();
            assert_eq!(out, cleared, "{mode}");
        }
    }

    #[test]
    fn pack_below_sets_msb_first_and_ignores_tail() {
        let mut out = [0u8; 2];
        let src = [0u8, 255, 255, 255, 255, 255, 255, 0, 0, 255];
        pack_below(&src, &[128; 8], &mut out);
        assert_eq!(out, [0b1000_0001, 0b1000_0000]);
    }

    #[test]
    fn pack_below_matches_per_pixel_compare_at_every_length() {
        let mut rng = test_pages::Lcg(11);
        let src: Vec<u8> = (0..1728 + 13).map(|_| rng.next() as u8).collect();
        let thresholds = [0u8, 1, 127, 128, 129, 200, 255, 160];
        for len in [0usize, 7, 8, 63, 64, 65, 127, 128, 200, 1728, 1741] {
            let mut out = vec![0u8; len.div_ceil(8)];
            pack_below(&src[..len], &thresholds, &mut out);
            for x in 0..len {
                let bit = out[x / 8] >> (7 - x % 8) & 1;
                assert_eq!(bit, u8::from(src[x] < thresholds[x % 8]), "len {len} x {x}");
            }
            if len % 8 != 0 {
                assert_eq!(
                    out[len / 8] & (0xFF >> (len % 8)),
                    0,
                    "tail bits, len {len}"
                );
            }
        }
    }

    #[test]
    fn bytes_below_matches_bytewise_compare() {
        let mut rng = test_pages::Lcg(3);
        let mut pairs: Vec<(u64, u64)> = (0..20_000)
            .map(|_| {
                let a = u64::from(rng.next()) << 32 | u64::from(rng.next());
                let b = u64::from(rng.next()) << 32 | u64::from(rng.next());
                (a, b)
            })
            .collect();
        // and every pair of byte values, in every lane
        for a in 0..=255u64 {
            for b in 0..=255u64 {
                pairs.push((a * 0x0101_0101_0101_0101, b * 0x0101_0101_0101_0101));
                pairs.push((a << 56 | b, b << 56 | a));
            }
        }
        for (x, y) in pairs {
            let got = bytes_below(x, y).to_le_bytes();
            let (xb, yb) = (x.to_le_bytes(), y.to_le_bytes());
            for i in 0..8 {
                assert_eq!(got[i], u8::from(xb[i] < yb[i]), "{x:x} {y:x} byte {i}");
            }
        }
    }

    #[test]
    fn gather_bits_matches_shifting() {
        for n in 0..=255u8 {
            let bits: [u8; 8] = std::array::from_fn(|i| (n >> (7 - i)) & 1);
            assert_eq!(gather_bits(bits), n);
        }
    }

    #[test]
    fn modes_parse_and_print() {
        for mode in BilevelMode::ALL {
            assert_eq!(mode.name().parse::<BilevelMode>().unwrap(), mode);
        }
        assert_eq!(
            "Dither".parse::<BilevelMode>().unwrap(),
            BilevelMode::Diffuse
        );
        assert!("ordered".parse::<BilevelMode>().is_err());
    }
}

/// G4 sizes of whole pages: the reason the halftone is the photo default.
#[cfg(test)]
mod size_tests {
    use super::test_pages::*;
    use super::*;
    use crate::codec::{self, Coding, DecodeOptions, EncodeOptions};
    use crate::geometry::Paper;

    /// G4 (T.6) data of a page with our codec.
    fn g4(img: &BitImage) -> Vec<u8> {
        let opts = EncodeOptions {
            coding: Coding::Mmr,
            eol_fill: false,
            end_marker: true,
        };
        codec::encode(img, &opts)
    }

    #[test]
    fn halftoned_photo_page_fits_under_450_kb_as_g4() {
        let res = Resolution::Fine;
        let page = photo_bleed_page(res, 1728, Paper::Letter.rows(res));
        let halftoned = halftone(&page, res);
        let data = g4(&halftoned);
        let diffused = g4(&diffuse(&page)).len();
        eprintln!("G4 bytes: halftone {}, diffuse {diffused}", data.len());
        assert!(data.len() < 450_000, "halftone G4 {} bytes", data.len());
        assert!(data.len() * 2 < diffused, "{} vs {diffused}", data.len());
        // the fax crate agrees on the size (within its end-marker bytes)
        assert!(
            data.len()
                .abs_diff(crate::codec::oracle::fax_g4_encode(&halftoned).len())
                <= 4
        );
        // and the page decodes back bit for bit
        let decoded = codec::decode(
            &data,
            &DecodeOptions {
                coding: Coding::Mmr,
                width: halftoned.width,
                rows: Some(halftoned.height),
                lsb_first: false,
                max_rows: halftoned.height,
            },
        );
        assert!(decoded.error.is_none(), "{:?}", decoded.error);
        assert_eq!(decoded.image, halftoned);
    }
}
