//! Any decoded image to 8-bit gray, with integer math so that the result is
//! the same on every machine.
//!
//! Luma is ITU-R BT.601 in 8-bit fixed point,
//! `(77 R + 150 G + 29 B + 128) >> 8` (weights sum to 256, so white stays
//! 255). Alpha is composited on
//! white paper: a transparent pixel is paper, not ink. 16-bit samples are
//! rounded to 8 bits first.

use crate::bitmap::GrayImage;
use image::DynamicImage;

#[inline]
pub(crate) fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((77 * r as u32 + 150 * g as u32 + 29 * b as u32 + 128) >> 8) as u8
}

/// `v` seen through alpha `a` over white.
#[inline]
pub(crate) fn on_white(v: u8, a: u8) -> u8 {
    let (v, a) = (v as u32, a as u32);
    ((v * a + 255 * (255 - a) + 127) / 255) as u8
}

#[inline]
fn to_8bit(v: u16) -> u8 {
    ((v as u32 * 255 + 32767) / 65535) as u8
}

/// Converts a decoded image to gray, consuming it.
pub(crate) fn to_gray(img: DynamicImage) -> GrayImage {
    let (w, h) = (img.width(), img.height());
    let data: Vec<u8> = match img {
        DynamicImage::ImageLuma8(b) => b.into_raw(),
        DynamicImage::ImageLumaA8(b) => b
            .as_raw()
            .chunks_exact(2)
            .map(|p| on_white(p[0], p[1]))
            .collect(),
        DynamicImage::ImageRgb8(b) => b
            .as_raw()
            .chunks_exact(3)
            .map(|p| luma(p[0], p[1], p[2]))
            .collect(),
        DynamicImage::ImageRgba8(b) => b
            .as_raw()
            .chunks_exact(4)
            .map(|p| on_white(luma(p[0], p[1], p[2]), p[3]))
            .collect(),
        DynamicImage::ImageLuma16(b) => b.as_raw().iter().map(|&v| to_8bit(v)).collect(),
        DynamicImage::ImageLumaA16(b) => b
            .as_raw()
            .chunks_exact(2)
            .map(|p| on_white(to_8bit(p[0]), to_8bit(p[1])))
            .collect(),
        DynamicImage::ImageRgb16(b) => b
            .as_raw()
            .chunks_exact(3)
            .map(|p| luma(to_8bit(p[0]), to_8bit(p[1]), to_8bit(p[2])))
            .collect(),
        DynamicImage::ImageRgba16(b) => b
            .as_raw()
            .chunks_exact(4)
            .map(|p| {
                let l = luma(to_8bit(p[0]), to_8bit(p[1]), to_8bit(p[2]));
                on_white(l, to_8bit(p[3]))
            })
            .collect(),
        // Float (32-bit TIFF) and any future variant: through image's own
        // clamping conversion to 8-bit RGBA.
        other => other
            .to_rgba8()
            .as_raw()
            .chunks_exact(4)
            .map(|p| on_white(luma(p[0], p[1], p[2]), p[3]))
            .collect(),
    };
    GrayImage::from_raw(w, h, data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, LumaA, Rgb, Rgba};

    #[test]
    fn luma_keeps_black_and_white() {
        assert_eq!(luma(255, 255, 255), 255);
        assert_eq!(luma(0, 0, 0), 0);
        // green is brighter than red, red brighter than blue
        assert!(luma(0, 255, 0) > luma(255, 0, 0) && luma(255, 0, 0) > luma(0, 0, 255));
        assert_eq!(luma(255, 0, 0), 77);
    }

    #[test]
    fn alpha_goes_on_white() {
        assert_eq!(on_white(0, 0), 255);
        assert_eq!(on_white(0, 255), 0);
        assert_eq!(on_white(100, 255), 100);
        assert_eq!(on_white(0, 128), 127);
        let rgba = ImageBuffer::<Rgba<u8>, _>::from_raw(2, 1, vec![0, 0, 0, 0, 0, 0, 0, 255]);
        let g = to_gray(DynamicImage::ImageRgba8(rgba.unwrap()));
        assert_eq!(g.data, vec![255, 0]);
        let la = ImageBuffer::<LumaA<u16>, _>::from_raw(1, 1, vec![0, 0]).unwrap();
        assert_eq!(to_gray(DynamicImage::ImageLumaA16(la)).data, vec![255]);
    }

    #[test]
    fn sixteen_bit_rounds() {
        assert_eq!(to_8bit(65535), 255);
        assert_eq!(to_8bit(0), 0);
        assert_eq!(to_8bit(257 * 100), 100);
        let rgb = ImageBuffer::<Rgb<u16>, _>::from_raw(1, 1, vec![65535, 65535, 65535]).unwrap();
        assert_eq!(to_gray(DynamicImage::ImageRgb16(rgb)).data, vec![255]);
    }
}
