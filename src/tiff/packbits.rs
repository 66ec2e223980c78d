//! PackBits (TIFF Compression 32773) decoding, bounded by the output size.
//!
//! Each run starts with a signed header byte n: 0..=127 copies the next n+1
//! bytes literally, -127..=-1 repeats the next byte 1-n times, -128 is a
//! no-op (TIFF 6.0 §9).

/// Decodes `data` into at most `max_out` bytes. Returns the bytes and
/// whether the data ended in the middle of a run (damaged input).
pub fn unpack(data: &[u8], max_out: usize) -> (Vec<u8>, bool) {
    let mut out = Vec::with_capacity(max_out.min(data.len().saturating_mul(128)));
    let mut i = 0;
    while i < data.len() && out.len() < max_out {
        let n = data[i] as i8;
        i += 1;
        match n {
            0..=127 => {
                let len = n as usize + 1;
                let Some(literal) = data.get(i..i + len) else {
                    let rest = &data[i..];
                    out.extend_from_slice(&rest[..rest.len().min(max_out - out.len())]);
                    return (out, true);
                };
                out.extend_from_slice(&literal[..len.min(max_out - out.len())]);
                i += len;
            }
            -127..=-1 => {
                let Some(&byte) = data.get(i) else {
                    return (out, true);
                };
                let len = (1 - n as isize) as usize;
                let len = len.min(max_out - out.len());
                out.resize(out.len() + len, byte);
                i += 1;
            }
            -128 => {}
        }
    }
    (out, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiff_spec_example() {
        // TIFF 6.0 §9's example.
        let packed = [
            0xFE, 0xAA, 0x02, 0x80, 0x00, 0x2A, 0xFD, 0xAA, 0x03, 0x80, 0x00, 0x2A, 0x22, 0xF7,
            0xAA,
        ];
        let expected = [
            0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A, 0xAA, 0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A, 0x22,
            0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA,
        ];
        assert_eq!(unpack(&packed, 1000), (expected.to_vec(), false));
    }

    #[test]
    fn output_is_capped_and_truncation_reported() {
        let (out, damaged) = unpack(&[0x81, 0xFF, 0x81, 0xFF], 10);
        assert_eq!(out, vec![0xFF; 10]);
        assert!(!damaged);
        let (out, damaged) = unpack(&[0x03, 1, 2], 10);
        assert_eq!(out, vec![1, 2]);
        assert!(damaged);
        assert_eq!(unpack(&[0x80, 0xF0], 10), (vec![], true));
    }
}
