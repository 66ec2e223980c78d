//! The physical resolution an image file declares, read from its header:
//! JPEG JFIF density, PNG pHYs, TIFF X/YResolution, BMP pixels per metre.
//!
//! Only physical units count (an aspect-only declaration is ignored), and
//! implausible figures (under 10 or over 10000 dpi, or x and y more than 8x
//! apart) are treated as absent: files carry a lot of junk here. EXIF
//! resolution is not read: cameras write 72 dpi, which says nothing.

use super::fit::SourceDpi;
use super::jpeg_info;
use super::sniff::{sniff, Format};

const METRES_PER_INCH: f64 = 0.0254;

/// The resolution `bytes` declares, in the file's stored orientation (before
/// any EXIF rotation), or `None` when it declares none or nonsense.
pub fn image_dpi(bytes: &[u8]) -> Option<SourceDpi> {
    let dpi = match sniff(bytes)? {
        Format::Jpeg => jpeg_info::scan(bytes).ok()?.density,
        Format::Png => png_phys(bytes),
        Format::Tiff => tiff_resolution(bytes),
        Format::Bmp => bmp_resolution(bytes),
        _ => None,
    }?;
    plausible(dpi).then_some(dpi)
}

fn plausible(d: SourceDpi) -> bool {
    let in_range = |v: f64| (10.0..=10_000.0).contains(&v);
    in_range(d.x) && in_range(d.y) && d.x / d.y <= 8.0 && d.y / d.x <= 8.0
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// PNG `pHYs` (pixels per metre, unit 1). It must come before the first
/// IDAT, so the walk stops there.
fn png_phys(b: &[u8]) -> Option<SourceDpi> {
    let mut at = 8;
    loop {
        let len = be32(b, at)? as usize;
        let kind = b.get(at + 4..at + 8)?;
        if kind == b"IDAT" || kind == b"IEND" {
            return None;
        }
        if kind == b"pHYs" && len == 9 {
            let data = b.get(at + 8..at + 17)?;
            if data[8] != 1 {
                return None;
            }
            return Some(SourceDpi {
                x: be32(data, 0)? as f64 * METRES_PER_INCH,
                y: be32(data, 4)? as f64 * METRES_PER_INCH,
            });
        }
        at = at.checked_add(12)?.checked_add(len)?;
    }
}

/// TIFF resolution of the first image, from our TIFF reader (which
/// converts ResolutionUnit 3, centimetres, to inches).
fn tiff_resolution(b: &[u8]) -> Option<SourceDpi> {
    let file = crate::tiff::read_tiff(b, &crate::limits::Limits::default()).ok()?;
    let page = file.pages.first()?;
    Some(SourceDpi {
        x: page.x_dpi?,
        y: page.y_dpi?,
    })
}

/// BMP biXPelsPerMeter / biYPelsPerMeter (BITMAPINFOHEADER and later).
fn bmp_resolution(b: &[u8]) -> Option<SourceDpi> {
    let le32 = |at: usize| -> Option<i32> {
        Some(i32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
    };
    if le32(14)? < 40 {
        return None;
    }
    Some(SourceDpi {
        x: le32(38)? as f64 * METRES_PER_INCH,
        y: le32(42)? as f64 * METRES_PER_INCH,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, Luma};

    fn png_with_phys(ppm_x: u32, ppm_y: u32, unit: u8) -> Vec<u8> {
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(&[0u8; 4], 2, 2, image::ExtendedColorType::L8)
            .unwrap();
        // insert pHYs right after IHDR (8 + 25 bytes)
        let mut chunk = Vec::new();
        chunk.extend_from_slice(&9u32.to_be_bytes());
        let mut body = b"pHYs".to_vec();
        body.extend_from_slice(&ppm_x.to_be_bytes());
        body.extend_from_slice(&ppm_y.to_be_bytes());
        body.push(unit);
        chunk.extend_from_slice(&body);
        chunk.extend_from_slice(&[0; 4]); // CRC: not checked here
        png.splice(33..33, chunk);
        png
    }

    #[test]
    fn png_phys_in_metres() {
        let dpi = image_dpi(&png_with_phys(11811, 3937, 1)).unwrap(); // 300 x 100 dpi
        assert!(
            (dpi.x - 300.0).abs() < 0.01 && (dpi.y - 100.0).abs() < 0.01,
            "{dpi:?}"
        );
        assert_eq!(image_dpi(&png_with_phys(2, 1, 0)), None); // aspect only
        assert_eq!(image_dpi(&png_with_phys(0, 0, 1)), None); // nonsense
    }

    #[test]
    fn tiff_resolution_from_the_image_crate_encoder() {
        // The image crate's TIFF encoder writes 1 pixel per unit, unit none.
        let mut tif = std::io::Cursor::new(Vec::new());
        image::ImageBuffer::<Luma<u8>, _>::from_raw(2, 2, vec![0u8; 4])
            .unwrap()
            .write_to(&mut tif, image::ImageFormat::Tiff)
            .unwrap();
        assert_eq!(image_dpi(tif.get_ref()), None);
    }

    #[test]
    fn tiff_resolution_by_hand() {
        // little-endian TIFF, one IFD with XRes 200/1, YRes 100/1, unit inch
        let mut t = b"II*\0".to_vec();
        t.extend_from_slice(&8u32.to_le_bytes());
        t.extend_from_slice(&3u16.to_le_bytes());
        let rationals_at = 8 + 2 + 3 * 12 + 4;
        let entry = |tag: u16, kind: u16, value: u32| {
            let mut e = tag.to_le_bytes().to_vec();
            e.extend_from_slice(&kind.to_le_bytes());
            e.extend_from_slice(&1u32.to_le_bytes());
            e.extend_from_slice(&value.to_le_bytes());
            e
        };
        t.extend(entry(282, 5, rationals_at as u32));
        t.extend(entry(283, 5, rationals_at as u32 + 8));
        t.extend(entry(296, 3, 2));
        t.extend_from_slice(&0u32.to_le_bytes());
        for v in [200u32, 1, 100, 1] {
            t.extend_from_slice(&v.to_le_bytes());
        }
        assert_eq!(image_dpi(&t), Some(SourceDpi { x: 200.0, y: 100.0 }));
    }

    #[test]
    fn jpeg_jfif_and_bmp() {
        let jpg = std::fs::read("fixtures/images/libjpeg-turbo_testorig.jpg").unwrap();
        // testorig.jpg has JFIF with aspect-only density (units 0)
        assert_eq!(image_dpi(&jpg), None);
        let mut bmp = std::io::Cursor::new(Vec::new());
        image::ImageBuffer::<Luma<u8>, _>::from_raw(2, 2, vec![0u8; 4])
            .unwrap()
            .write_to(&mut bmp, image::ImageFormat::Bmp)
            .unwrap();
        let mut b = bmp.into_inner();
        b[38..42].copy_from_slice(&11811i32.to_le_bytes());
        b[42..46].copy_from_slice(&11811i32.to_le_bytes());
        let dpi = image_dpi(&b).unwrap();
        assert!((dpi.x - 300.0).abs() < 0.01);
    }
}
