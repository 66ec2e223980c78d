//! What a JPEG's markers say, read without decoding: frame type and sample
//! precision, size, components, JFIF density, and whether the file reaches
//! its end-of-image marker.
//!
//! The decoder we use (zune-jpeg through `image`) handles only 8-bit
//! Huffman-coded JPEGs and, in its lenient mode, fills a truncated image
//! with grey instead of failing. Walking the markers ourselves lets us
//! route arithmetic-coded files to libjpeg and refuse 12-bit, lossless and
//! truncated files with a
//! clear message before decoding anything.

use super::fit::SourceDpi;
use crate::error::{Error, Result};

/// Facts from a JPEG's marker segments.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct JpegInfo {
    /// Bits per sample from the frame header (8 for almost every file).
    pub precision: u8,
    pub width: u16,
    pub height: u16,
    pub components: u8,
    pub progressive: bool,
    pub arithmetic: bool,
    pub lossless: bool,
    /// Hierarchical (differential) frames, SOF5-7 and SOF13-15.
    pub hierarchical: bool,
    /// The file reaches an EOI marker after its scans.
    pub complete: bool,
    /// Density from a JFIF APP0 segment in dpi/dpcm units (aspect-only
    /// densities, unit 0, are not physical and are left out).
    pub density: Option<SourceDpi>,
}

impl JpegInfo {
    /// Refuses what the decoder cannot decode correctly, with a clear reason.
    pub fn check_decodable(&self) -> Result<()> {
        if self.precision != 8 {
            return Err(Error::unsupported(format!(
                "{}-bit JPEG is not supported (only 8-bit JPEG)",
                self.precision
            )));
        }
        if self.lossless {
            return Err(Error::unsupported("lossless JPEG is not supported"));
        }
        if self.hierarchical {
            return Err(Error::unsupported("hierarchical JPEG is not supported"));
        }
        if !self.complete {
            return Err(Error::bad_input(
                "the JPEG is truncated: it ends before its end-of-image marker",
            ));
        }
        Ok(())
    }
}

fn u16_be(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

/// Walks the markers of a JPEG file.
pub(crate) fn scan(b: &[u8]) -> Result<JpegInfo> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return Err(Error::bad_input(
            "not a JPEG file (no start-of-image marker)",
        ));
    }
    let truncated = || Error::bad_input("the JPEG is truncated inside its headers");
    let mut frame: Option<JpegInfo> = None;
    let mut density = None;
    let mut complete = false;
    let mut i = 2;
    while i < b.len() {
        // Markers start with 0xFF, possibly padded with more 0xFF bytes;
        // tolerate junk between segments as lenient decoders do.
        let Some(ff) = b[i..].iter().position(|&x| x == 0xFF) else {
            break;
        };
        i += ff;
        while i < b.len() && b[i] == 0xFF {
            i += 1;
        }
        let Some(&marker) = b.get(i) else { break };
        i += 1;
        match marker {
            0xD9 => {
                complete = true;
                break;
            }
            // standalone markers: SOI, TEM, RSTn, and a stuffed zero
            0x00 | 0x01 | 0xD0..=0xD8 => continue,
            _ => {}
        }
        let len = u16_be(b, i).ok_or_else(truncated)? as usize;
        if len < 2 {
            return Err(Error::bad_input(format!(
                "the JPEG has a damaged marker segment (length {len})"
            )));
        }
        let seg = b.get(i + 2..i + len).ok_or_else(truncated)?;
        match marker {
            // SOFn; C4 (DHT), C8 (JPG) and CC (DAC) share the range
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                if seg.len() < 6 {
                    return Err(truncated());
                }
                frame = Some(JpegInfo {
                    precision: seg[0],
                    height: u16::from_be_bytes([seg[1], seg[2]]),
                    width: u16::from_be_bytes([seg[3], seg[4]]),
                    components: seg[5],
                    progressive: matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE),
                    arithmetic: marker >= 0xC9,
                    lossless: matches!(marker, 0xC3 | 0xC7 | 0xCB | 0xCF),
                    hierarchical: matches!(marker, 0xC5..=0xC7 | 0xCD..=0xCF),
                    complete: false,
                    density: None,
                });
            }
            0xE0 if density.is_none() && seg.starts_with(b"JFIF\0") && seg.len() >= 12 => {
                let x = u16::from_be_bytes([seg[8], seg[9]]);
                let y = u16::from_be_bytes([seg[10], seg[11]]);
                density = jfif_density(seg[7], x, y);
            }
            _ => {}
        }
        i += len;
        if marker == 0xDA {
            i = skip_entropy_coded_data(b, i);
        }
    }
    let mut info = frame.ok_or_else(|| {
        Error::bad_input("the JPEG has no frame header (it is damaged or truncated)")
    })?;
    info.complete = complete;
    info.density = density;
    Ok(info)
}

/// Position of the first marker after a scan's entropy-coded data (0xFF
/// followed by anything but a stuffed 0x00 or a restart marker), or the end.
fn skip_entropy_coded_data(b: &[u8], mut i: usize) -> usize {
    while let Some(p) = b.get(i..).and_then(|r| r.iter().position(|&x| x == 0xFF)) {
        i += p;
        match b.get(i + 1) {
            Some(0x00) | Some(0xD0..=0xD7) | Some(0xFF) => i += 1,
            Some(_) => return i,
            None => return b.len(),
        }
    }
    b.len()
}

fn jfif_density(units: u8, x: u16, y: u16) -> Option<SourceDpi> {
    let per_inch = match units {
        1 => 1.0,
        2 => 2.54,
        _ => return None,
    };
    Some(SourceDpi {
        x: x as f64 * per_inch,
        y: y as f64 * per_inch,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_baseline_jpeg() {
        let b = std::fs::read("fixtures/images/libjpeg-turbo_testorig.jpg").unwrap();
        let info = scan(&b).unwrap();
        assert_eq!((info.width, info.height, info.components), (227, 149, 3));
        assert_eq!(info.precision, 8);
        assert!(info.complete && !info.progressive && !info.arithmetic);
        info.check_decodable().unwrap();
    }

    #[test]
    fn refuses_12_bit() {
        let b = std::fs::read("fixtures/images/jpg_libjpeg-turbo_monkey12-12bit.jpg").unwrap();
        let info = scan(&b).unwrap();
        assert_eq!(info.precision, 12);
        let e = info.check_decodable().unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::Unsupported);
        assert!(e.message.contains("12-bit JPEG is not supported"), "{e}");
    }

    #[test]
    fn detects_truncation() {
        let b = std::fs::read("fixtures/images/libjpeg-turbo_testorig.jpg").unwrap();
        let cut = &b[..b.len() / 2];
        let info = scan(cut).unwrap();
        assert!(!info.complete);
        let e = info.check_decodable().unwrap_err();
        assert!(e.message.contains("the JPEG is truncated"), "{e}");
        // cut inside the headers
        assert!(scan(&b[..40]).is_err());
        assert!(scan(b"\xFF\xD8").is_err());
    }

    #[test]
    fn jfif_density_units() {
        assert_eq!(
            jfif_density(1, 300, 150),
            Some(SourceDpi { x: 300.0, y: 150.0 })
        );
        let cm = jfif_density(2, 100, 100).unwrap();
        assert!((cm.x - 254.0).abs() < 1e-9);
        assert_eq!(jfif_density(0, 1, 1), None);
    }
}
