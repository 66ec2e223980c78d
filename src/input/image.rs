//! Raster image documents (JPEG, PNG, GIF, BMP, WebP, non-fax TIFF) decoded
//! to gray with EXIF orientation applied and alpha composited on white.
//!
//! Order of work, so that a hostile file costs almost nothing:
//! 1. sniff the format from the content;
//! 2. for JPEG, walk the markers (refuses 12-bit and truncated files;
//!    arithmetic-coded ones go to [`super::jpeg_arith`]);
//! 3. read the header only and check width x height x bytes per pixel
//!    against [`Limits`] (a 100000x100000 PNG is refused here);
//! 4. decode with `image`'s own allocation cap set to the same budget;
//! 5. convert to gray with integer math, then apply the orientation.
//!
//! Multi-frame files (GIF, WebP, multi-page TIFF) give their first frame.

use super::dpi::image_dpi;
use super::fit::SourceDpi;
use super::gray::to_gray;
use super::sniff::{sniff, Format};
use super::tiff_raster;
use super::{jpeg_arith, jpeg_info};
use crate::bitmap::GrayImage;
use crate::error::{Error, Result};
use crate::limits::Limits;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader};
use std::io::Cursor;

/// A decoded, upright image and the resolution its file declares (already
/// swapped if the orientation turned it by 90 degrees).
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedImage {
    pub image: GrayImage,
    pub dpi: Option<SourceDpi>,
}

/// Decodes an image document to 8-bit gray, upright. Dimensions and decoded
/// size are checked against `limits` before decoding.
pub fn decode_image(bytes: &[u8], limits: &Limits) -> Result<GrayImage> {
    decode_image_with_dpi(bytes, limits).map(|d| d.image)
}

/// Like [`decode_image`], and also returns the declared resolution (for
/// [`super::fit::fit_to_page`]).
pub fn decode_image_with_dpi(bytes: &[u8], limits: &Limits) -> Result<DecodedImage> {
    let (format, name) = match sniff(bytes) {
        Some(Format::Jpeg) => (ImageFormat::Jpeg, "JPEG"),
        Some(Format::Png) => (ImageFormat::Png, "PNG"),
        Some(Format::Gif) => (ImageFormat::Gif, "GIF"),
        Some(Format::Bmp) => (ImageFormat::Bmp, "BMP"),
        Some(Format::Webp) => (ImageFormat::WebP, "WebP"),
        Some(Format::Tiff) => (ImageFormat::Tiff, "TIFF"),
        _ => {
            return Err(Error::unsupported(
                "not an image we can read (JPEG, PNG, GIF, BMP, WebP or TIFF)",
            ))
        }
    };
    // Bytes per pixel the decoder needs beyond its output buffer.
    let mut working_bytes_per_pixel = 0;
    if format == ImageFormat::Jpeg {
        let info = jpeg_info::scan(bytes)?;
        info.check_decodable()?;
        if info.arithmetic {
            // EXIF orientation is not read for these rare files.
            let gray =
                jpeg_arith::decode_gray(bytes, info.width.into(), info.height.into(), limits)?;
            return Ok(finish(bytes, gray, Orientation::NoTransforms));
        }
        if info.progressive {
            // progressive decoding keeps every coefficient (i16) until the end
            working_bytes_per_pixel = 2 * info.components as u64;
        }
    }

    if format == ImageFormat::Tiff {
        if let Some((gray, orientation)) = tiff_raster::decode(bytes, limits)? {
            return Ok(finish(bytes, gray, orientation));
        }
    }

    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(image_limits(limits));
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| map_error(e, name, limits))?;
    let (width, height) = decoder.dimensions();
    let output_bytes_per_pixel = decoder.color_type().bytes_per_pixel() as u64;
    // + 1 for the gray copy made while the decoded buffer is still alive
    limits.check_image(
        width,
        height,
        output_bytes_per_pixel + 1 + working_bytes_per_pixel,
    )?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);

    let decoded = DynamicImage::from_decoder(decoder).map_err(|e| map_error(e, name, limits))?;
    Ok(finish(bytes, to_gray(decoded), orientation))
}

/// Applies the orientation and reads the declared resolution.
fn finish(bytes: &[u8], gray: GrayImage, orientation: Orientation) -> DecodedImage {
    let upright = orient(gray, orientation);
    let turned = matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    );
    let dpi = image_dpi(bytes).map(|d| {
        if turned {
            SourceDpi { x: d.y, y: d.x }
        } else {
            d
        }
    });
    DecodedImage {
        image: upright,
        dpi,
    }
}

/// `image`'s own cap, so that no decoder allocates beyond our budget even
/// for buffers the header check cannot foresee. Dimensions are left to
/// [`Limits::check_image`], whose message names the size and the limit.
fn image_limits(limits: &Limits) -> image::Limits {
    let mut l = image::Limits::default();
    l.max_image_width = None;
    l.max_image_height = None;
    l.max_alloc = Some(limits.max_decoded_bytes);
    l
}

fn orient(img: GrayImage, orientation: Orientation) -> GrayImage {
    if orientation == Orientation::NoTransforms {
        return img;
    }
    let buffer = image::GrayImage::from_raw(img.width, img.height, img.data)
        .expect("GrayImage data matches its size");
    let mut dynamic = DynamicImage::ImageLuma8(buffer);
    dynamic.apply_orientation(orientation);
    let out = dynamic.into_luma8();
    let (w, h) = out.dimensions();
    GrayImage::from_raw(w, h, out.into_raw())
}

/// Our error for an `image` error: what is wrong, in the user's terms.
fn map_error(e: ImageError, name: &str, limits: &Limits) -> Error {
    match e {
        ImageError::Limits(_) => Error::limit(format!(
            "the {name} image needs more memory to decode than the limit of {:.1} MB",
            limits.max_decoded_bytes as f64 / (1024.0 * 1024.0)
        )),
        ImageError::Unsupported(u) => Error::unsupported(format!(
            "the {name} image uses a feature we cannot read: {u}"
        )),
        ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            Error::bad_input(format!("the {name} image is truncated"))
        }
        ImageError::IoError(io) => {
            Error::bad_input(format!("the {name} image could not be read: {io}"))
        }
        ImageError::Decoding(d) => {
            let text = d.to_string();
            if text.contains("EOF") || text.to_ascii_lowercase().contains("unexpected end") {
                Error::bad_input(format!("the {name} image is truncated ({text})"))
            } else {
                Error::bad_input(format!("the {name} image is damaged: {text}"))
            }
        }
        other => Error::bad_input(format!("the {name} image could not be decoded: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::input::gray::luma;
    use image::{ImageBuffer, Luma, Rgb, Rgba};
    use std::time::{Duration, Instant};

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("fixtures/images/{name}")).unwrap()
    }

    fn encode(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format).unwrap();
        out.into_inner()
    }

    fn sum(img: &GrayImage) -> u64 {
        img.data.iter().map(|&v| v as u64).sum()
    }

    fn mean(img: &GrayImage) -> f64 {
        sum(img) as f64 / img.data.len() as f64
    }

    /// A PNG whose header claims `width` x `height` (valid CRC), with a
    /// tiny IDAT: enough for a header-only refusal.
    fn png_claiming(width: u32, height: u32) -> Vec<u8> {
        let mut png = encode(
            DynamicImage::ImageLuma8(ImageBuffer::from_pixel(1, 1, Luma([0u8]))),
            ImageFormat::Png,
        );
        png[16..20].copy_from_slice(&width.to_be_bytes());
        png[20..24].copy_from_slice(&height.to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(&png[12..29]);
        png[29..33].copy_from_slice(&crc.sum().to_be_bytes());
        png
    }

    /// A real 16x16 JPEG whose frame header is patched to `width` x `height`.
    fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
        let mut jpg = encode(
            DynamicImage::ImageRgb8(ImageBuffer::from_pixel(16, 16, Rgb([9u8, 99, 199]))),
            ImageFormat::Jpeg,
        );
        let sof = jpg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        jpg[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
        jpg[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
        jpg
    }

    /// Inserts an EXIF APP1 segment with only an Orientation tag.
    fn with_exif_orientation(jpg: &[u8], orientation: u16) -> Vec<u8> {
        let mut tiff = b"II*\0".to_vec();
        tiff.extend_from_slice(&8u32.to_le_bytes());
        tiff.extend_from_slice(&1u16.to_le_bytes());
        tiff.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation
        tiff.extend_from_slice(&3u16.to_le_bytes()); // SHORT
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&orientation.to_le_bytes());
        tiff.extend_from_slice(&[0, 0]);
        tiff.extend_from_slice(&0u32.to_le_bytes()); // no next IFD
        let mut app1 = vec![0xFF, 0xE1];
        app1.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
        app1.extend_from_slice(b"Exif\0\0");
        app1.extend_from_slice(&tiff);
        let mut out = jpg[..2].to_vec();
        out.extend_from_slice(&app1);
        out.extend_from_slice(&jpg[2..]);
        out
    }

    /// A minimal uncompressed little-endian single-strip TIFF.
    fn tiff_of(
        width: u32,
        height: u32,
        bits: u16,
        photometric: u16,
        strip: &[u8],
        colormap: &[u16],
    ) -> Vec<u8> {
        let mut t = b"II*\0".to_vec();
        let strip_at = 8u32;
        let map_at = strip_at + strip.len() as u32;
        let ifd_at = map_at + 2 * colormap.len() as u32;
        t.extend_from_slice(&ifd_at.to_le_bytes());
        t.extend_from_slice(strip);
        for v in colormap {
            t.extend_from_slice(&v.to_le_bytes());
        }
        let mut entries: Vec<(u16, u16, u32, u32)> = vec![
            (256, 4, 1, width),
            (257, 4, 1, height),
            (258, 3, 1, bits as u32),
            (259, 3, 1, 1),
            (262, 3, 1, photometric as u32),
            (273, 4, 1, strip_at),
            (277, 3, 1, 1),
            (278, 4, 1, height),
            (279, 4, 1, strip.len() as u32),
        ];
        if !colormap.is_empty() {
            entries.push((320, 3, colormap.len() as u32, map_at));
        }
        t.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for (tag, kind, count, value) in entries {
            t.extend_from_slice(&tag.to_le_bytes());
            t.extend_from_slice(&kind.to_le_bytes());
            t.extend_from_slice(&count.to_le_bytes());
            t.extend_from_slice(&value.to_le_bytes());
        }
        t.extend_from_slice(&0u32.to_le_bytes());
        t
    }

    #[test]
    fn huge_png_header_is_refused_at_once() {
        let bytes = fixture("png_declared-100000x100000.png");
        let start = Instant::now();
        let e = decode_image(&bytes, &Limits::default()).unwrap_err();
        assert!(
            start.elapsed() < Duration::from_millis(100),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(e.kind, ErrorKind::LimitExceeded);
        assert!(e.message.contains("100000x100000"), "{e}");
    }

    #[test]
    fn bomb_sized_png_and_jpeg_are_refused_before_decoding() {
        let e = decode_image(&png_claiming(20_000, 20_000), &Limits::default()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::LimitExceeded);
        assert!(
            e.message.contains("20000x20000") && e.message.contains("64.0 megapixels"),
            "{e}"
        );
        let e = decode_image(&jpeg_claiming(12_000, 12_000), &Limits::default()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::LimitExceeded);
        assert!(
            e.message.contains("12000x12000") && e.message.contains("144.0 megapixels"),
            "{e}"
        );
        // within pixels but over the decoded-bytes budget: the budget names itself
        let small_budget = Limits {
            max_decoded_bytes: 1000,
            ..Limits::default()
        };
        let e = decode_image(&jpeg_claiming(100, 100), &small_budget).unwrap_err();
        assert_eq!(e.kind, ErrorKind::LimitExceeded);
        assert!(e.message.contains("to decode"), "{e}");
    }

    #[test]
    fn twelve_bit_jpeg_is_unsupported() {
        let e = decode_image(
            &fixture("jpg_libjpeg-turbo_monkey12-12bit.jpg"),
            &Limits::default(),
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Unsupported);
        assert!(e.message.contains("12-bit JPEG is not supported"), "{e}");
    }

    #[test]
    fn truncated_jpeg_is_bad_input() {
        let bytes = fixture("libjpeg-turbo_testorig.jpg");
        let e = decode_image(&bytes[..bytes.len() / 2], &Limits::default()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadInput);
        assert!(e.message.contains("the JPEG is truncated"), "{e}");
    }

    #[test]
    fn baseline_jpeg_matches_a_reference_decoder() {
        let img = decode_image(&fixture("libjpeg-turbo_testorig.jpg"), &Limits::default()).unwrap();
        assert_eq!((img.width, img.height), (227, 149));
        // libjpeg (via Pillow) with the same luma formula: mean 106.26
        assert!((mean(&img) - 106.26).abs() < 1.5, "{}", mean(&img));
    }

    #[test]
    fn adobe_cmyk_jpeg_is_not_inverted() {
        // "RED" on black; Pillow shows mean gray 12.9 (an inverted decode
        // would be a white page, mean ~240)
        let img = decode_image(&fixture("pillow_pil_sample_cmyk.jpg"), &Limits::default()).unwrap();
        assert_eq!((img.width, img.height), (100, 100));
        assert!((mean(&img) - 12.9).abs() < 3.0, "{}", mean(&img));
    }

    #[test]
    fn pngsuite_matches_reference_pixels() {
        // sums computed with Pillow, composited on white with the same
        // integer luma: lossless formats must match exactly
        for (name, size, want) in [
            ("pngsuite_basi0g01-interlaced-1bit.png", 32, 127_500u64),
            ("pngsuite_basn0g16-gray16.png", 32, 147_283),
            ("pngsuite_basn3p08-palette.png", 32, 135_784),
            ("pngsuite_tbbn3p08-palette-trns.png", 32, 175_743),
        ] {
            let img = decode_image(&fixture(name), &Limits::default()).unwrap();
            assert_eq!((img.width, img.height), (size, size), "{name}");
            assert_eq!(sum(&img), want, "{name}");
        }
        // 16-bit RGBA: Pillow truncates to 8 bits where we round
        let img =
            decode_image(&fixture("pngsuite_basn6a16-rgba16.png"), &Limits::default()).unwrap();
        assert!((mean(&img) - 212.89).abs() < 1.0, "{}", mean(&img));
    }

    #[test]
    fn transparent_png_is_white_not_black() {
        let clear = ImageBuffer::from_pixel(8, 8, Rgba([0u8, 0, 0, 0]));
        let png = encode(DynamicImage::ImageRgba8(clear), ImageFormat::Png);
        let img = decode_image(&png, &Limits::default()).unwrap();
        assert!(img.data.iter().all(|&v| v == 255));
        // gray + alpha: half-transparent black is mid gray
        let la = ImageBuffer::from_pixel(2, 2, image::LumaA([0u8, 128]));
        let png = encode(DynamicImage::ImageLumaA8(la), ImageFormat::Png);
        assert_eq!(
            decode_image(&png, &Limits::default()).unwrap().data,
            vec![127; 4]
        );
    }

    #[test]
    fn exif_orientation_6_turns_the_picture() {
        // 16x8, left half black: after "rotate 90 clockwise" it is 8x16
        // with the black half on top
        let mut src = ImageBuffer::from_pixel(16, 8, Rgb([255u8, 255, 255]));
        for y in 0..8 {
            for x in 0..8 {
                src.put_pixel(x, y, Rgb([0, 0, 0]));
            }
        }
        let jpg = encode(DynamicImage::ImageRgb8(src), ImageFormat::Jpeg);
        let plain = decode_image(&jpg, &Limits::default()).unwrap();
        assert_eq!((plain.width, plain.height), (16, 8));
        let turned = decode_image(&with_exif_orientation(&jpg, 6), &Limits::default()).unwrap();
        assert_eq!((turned.width, turned.height), (8, 16));
        assert!(turned.get(4, 2) < 60 && turned.get(4, 13) > 200);
        // orientation 8 (rotate 270): black half at the bottom
        let turned = decode_image(&with_exif_orientation(&jpg, 8), &Limits::default()).unwrap();
        assert!(turned.get(4, 2) > 200 && turned.get(4, 13) < 60);
    }

    #[test]
    fn dpi_swaps_with_a_quarter_turn() {
        let jpg = encode(
            DynamicImage::ImageLuma8(ImageBuffer::from_pixel(8, 8, Luma([0u8]))),
            ImageFormat::Jpeg,
        );
        // the encoder writes JFIF; give it 200x100 dpi
        let app0 = jpg.windows(5).position(|w| w == b"JFIF\0").unwrap();
        jpg.get(app0 + 7).unwrap();
        let mut jpg = jpg;
        jpg[app0 + 7] = 1;
        jpg[app0 + 8..app0 + 10].copy_from_slice(&200u16.to_be_bytes());
        jpg[app0 + 10..app0 + 12].copy_from_slice(&100u16.to_be_bytes());
        let d = decode_image_with_dpi(&jpg, &Limits::default()).unwrap();
        assert_eq!(d.dpi, Some(SourceDpi { x: 200.0, y: 100.0 }));
        let d = decode_image_with_dpi(&with_exif_orientation(&jpg, 6), &Limits::default()).unwrap();
        assert_eq!(d.dpi, Some(SourceDpi { x: 100.0, y: 200.0 }));
    }

    #[test]
    fn gif_bmp_webp_tiff_decode() {
        let mut rgb = ImageBuffer::from_pixel(6, 4, Rgb([255u8, 255, 255]));
        rgb.put_pixel(1, 1, Rgb([255, 0, 0]));
        rgb.put_pixel(2, 1, Rgb([0, 0, 0]));
        let want_red = luma(255, 0, 0);
        for format in [
            ImageFormat::Bmp,
            ImageFormat::WebP,
            ImageFormat::Tiff,
            ImageFormat::Png,
        ] {
            let bytes = encode(DynamicImage::ImageRgb8(rgb.clone()), format);
            let img = decode_image(&bytes, &Limits::default()).unwrap();
            assert_eq!((img.width, img.height), (6, 4), "{format:?}");
            assert_eq!(
                (img.get(1, 1), img.get(2, 1), img.get(0, 0)),
                (want_red, 0, 255),
                "{format:?}"
            );
        }
        // GIF: a transparent background comes out white
        let mut rgba = ImageBuffer::from_pixel(6, 4, Rgba([0u8, 0, 0, 0]));
        rgba.put_pixel(3, 2, Rgba([0, 0, 0, 255]));
        let gif = encode(DynamicImage::ImageRgba8(rgba), ImageFormat::Gif);
        let img = decode_image(&gif, &Limits::default()).unwrap();
        assert_eq!((img.width, img.height), (6, 4));
        assert_eq!(img.get(3, 2), 0);
        assert_eq!(img.data.iter().filter(|&&v| v == 255).count(), 23);
        // 8-bit gray TIFF
        let gray = ImageBuffer::from_fn(4, 3, |x, y| Luma([(x * 60 + y) as u8]));
        let tif = encode(DynamicImage::ImageLuma8(gray.clone()), ImageFormat::Tiff);
        assert_eq!(
            decode_image(&tif, &Limits::default()).unwrap().data,
            gray.into_raw()
        );
    }

    #[test]
    fn bilevel_and_palette_tiffs_decode() {
        // 1-bit, BlackIsZero: 10 pixels wide, row 0 = 1010000000 (1 = white)
        let strip = [0b1010_0000, 0, 0xFF, 0xC0];
        let tif = tiff_of(10, 2, 1, 1, &strip, &[]);
        let img = decode_image(&tif, &Limits::default()).unwrap();
        assert_eq!((img.width, img.height), (10, 2));
        assert_eq!(&img.data[..4], &[255, 0, 255, 0]);
        assert!(img.row(1).iter().all(|&v| v == 255));
        // 1-bit WhiteIsZero (fax convention): 1 = black
        let tif = tiff_of(10, 2, 1, 0, &strip, &[]);
        let img = decode_image(&tif, &Limits::default()).unwrap();
        assert_eq!(&img.data[..4], &[0, 255, 0, 255]);
        // 4-bit palette: index 0 white, 1 red, 2 black
        let mut map = vec![0u16; 48];
        map[0] = 0xFFFF; // red[0]
        map[16] = 0xFFFF; // green[0]
        map[32] = 0xFFFF; // blue[0]
        map[1] = 0xFFFF; // red[1]
        let tif = tiff_of(3, 1, 4, 3, &[0x01, 0x20], &map);
        let img = decode_image(&tif, &Limits::default()).unwrap();
        assert_eq!(img.data, vec![255, luma(255, 0, 0), 0]);
        // 8-bit palette
        let mut map = vec![0u16; 768];
        map[5] = 0xFFFF;
        map[256 + 5] = 0xFFFF;
        map[512 + 5] = 0xFFFF;
        let tif = tiff_of(2, 1, 8, 3, &[5, 0], &map);
        assert_eq!(
            decode_image(&tif, &Limits::default()).unwrap().data,
            vec![255, 0]
        );
        // 2-bit gray
        let tif = tiff_of(4, 1, 2, 1, &[0b00_01_10_11], &[]);
        assert_eq!(
            decode_image(&tif, &Limits::default()).unwrap().data,
            vec![0, 85, 170, 255]
        );
    }

    #[test]
    fn non_images_and_damage_are_clean_errors() {
        let e = decode_image(b"hello, world", &Limits::default()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Unsupported);
        assert_eq!(
            decode_image(b"", &Limits::default()).unwrap_err().kind,
            ErrorKind::Unsupported
        );
        // every prefix of every small image: an error or an image, never a panic
        let mut files = vec![
            fixture("pngsuite_basn3p08-palette.png"),
            fixture("pngsuite_basi0g01-interlaced-1bit.png"),
            fixture("libjpeg-turbo_testorig.jpg"),
        ];
        let rgb = DynamicImage::ImageRgb8(ImageBuffer::from_pixel(9, 7, Rgb([1u8, 2, 3])));
        for f in [
            ImageFormat::Gif,
            ImageFormat::Bmp,
            ImageFormat::WebP,
            ImageFormat::Tiff,
        ] {
            files.push(encode(rgb.clone(), f));
        }
        for file in &files {
            for cut in (0..file.len()).step_by(7) {
                let _ = decode_image(&file[..cut], &Limits::default());
            }
            // flipped bytes in the body
            let mut bad = file.clone();
            for i in (40..bad.len()).step_by(13) {
                bad[i] ^= 0x5A;
            }
            let _ = decode_image(&bad, &Limits::default());
        }
        // a truncated PNG is an error that says so
        let png = &files[0];
        let e = decode_image(&png[..png.len() - 200], &Limits::default()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::BadInput, "{e}");
    }
}
