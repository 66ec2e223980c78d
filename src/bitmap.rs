//! In-memory page images.
//!
//! [`GrayImage`] is 8-bit gray, one byte per pixel, 255 = paper (white), the
//! form every renderer produces. [`BitImage`] is a bilevel page, 1 bit per
//! pixel packed MSB-first (bit 7 of byte 0 is the leftmost pixel), 1 = black,
//! the form the codec and the TIFF writer work on.
//!
//! `BitImage` rows are padded to a multiple of 8 bytes so the codec can scan
//! runs one 64-bit word at a time; the padding bits are always 0 (white).

/// 8-bit gray image, row-major, 255 = white.
#[derive(Clone, PartialEq, Eq)]
pub struct GrayImage {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

impl std::fmt::Debug for GrayImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GrayImage({}x{})", self.width, self.height)
    }
}

impl GrayImage {
    /// A new image filled with `value` (255 = white paper).
    pub fn new(width: u32, height: u32, value: u8) -> Self {
        GrayImage {
            width,
            height,
            data: vec![value; width as usize * height as usize],
        }
    }

    /// Wraps row-major pixels. Panics if `data` has the wrong length
    /// (a programming error, not an input error).
    pub fn from_raw(width: u32, height: u32, data: Vec<u8>) -> Self {
        assert_eq!(data.len(), width as usize * height as usize);
        GrayImage {
            width,
            height,
            data,
        }
    }

    #[inline]
    pub fn get(&self, x: u32, y: u32) -> u8 {
        self.data[y as usize * self.width as usize + x as usize]
    }

    #[inline]
    pub fn set(&mut self, x: u32, y: u32, v: u8) {
        let w = self.width as usize;
        self.data[y as usize * w + x as usize] = v;
    }

    #[inline]
    pub fn row(&self, y: u32) -> &[u8] {
        let w = self.width as usize;
        &self.data[y as usize * w..(y as usize + 1) * w]
    }

    #[inline]
    pub fn row_mut(&mut self, y: u32) -> &mut [u8] {
        let w = self.width as usize;
        &mut self.data[y as usize * w..(y as usize + 1) * w]
    }

    /// Copies `src` onto this image with its top-left corner at (x, y),
    /// clipping what falls outside.
    pub fn blit(&mut self, src: &GrayImage, x: i64, y: i64) {
        for sy in 0..src.height as i64 {
            let dy = y + sy;
            if dy < 0 || dy >= self.height as i64 {
                continue;
            }
            let x0 = x.max(0);
            let x1 = (x + src.width as i64).min(self.width as i64);
            if x0 >= x1 {
                continue;
            }
            let s = &src.row(sy as u32)[(x0 - x) as usize..(x1 - x) as usize];
            self.row_mut(dy as u32)[x0 as usize..x1 as usize].copy_from_slice(s);
        }
    }
}

/// Bilevel image, 1 bit per pixel, MSB-first, 1 = black.
#[derive(Clone, PartialEq, Eq)]
pub struct BitImage {
    pub width: u32,
    pub height: u32,
    /// Bytes per row: `ceil(width / 64) * 8`.
    pub stride: usize,
    pub data: Vec<u8>,
}

impl std::fmt::Debug for BitImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BitImage({}x{})", self.width, self.height)
    }
}

impl BitImage {
    /// Bytes per row for a given width (padded to whole 64-bit words).
    pub fn stride_for(width: u32) -> usize {
        (width as usize).div_ceil(64) * 8
    }

    /// A new all-white image.
    pub fn new(width: u32, height: u32) -> Self {
        let stride = Self::stride_for(width);
        BitImage {
            width,
            height,
            stride,
            data: vec![0; stride * height as usize],
        }
    }

    /// Bytes per row when packed tightly (`ceil(width / 8)`), as in TIFF/PNG.
    pub fn packed_row_bytes(&self) -> usize {
        (self.width as usize).div_ceil(8)
    }

    #[inline]
    pub fn row(&self, y: u32) -> &[u8] {
        &self.data[y as usize * self.stride..(y as usize + 1) * self.stride]
    }

    #[inline]
    pub fn row_mut(&mut self, y: u32) -> &mut [u8] {
        let s = self.stride;
        &mut self.data[y as usize * s..(y as usize + 1) * s]
    }

    /// Whether pixel (x, y) is black.
    #[inline]
    pub fn get(&self, x: u32, y: u32) -> bool {
        let b = self.data[y as usize * self.stride + (x as usize >> 3)];
        b & (0x80 >> (x & 7)) != 0
    }

    #[inline]
    pub fn set(&mut self, x: u32, y: u32, black: bool) {
        let i = y as usize * self.stride + (x as usize >> 3);
        let m = 0x80u8 >> (x & 7);
        if black {
            self.data[i] |= m;
        } else {
            self.data[i] &= !m;
        }
    }

    /// Builds an image from tightly packed rows (`ceil(width/8)` bytes each,
    /// MSB-first, 1 = black), as stored in uncompressed TIFF strips.
    /// Missing trailing bytes read as white; bits past `width` are cleared.
    pub fn from_packed(width: u32, height: u32, packed: &[u8]) -> Self {
        let mut img = BitImage::new(width, height);
        let rb = img.packed_row_bytes();
        for y in 0..height {
            let start = y as usize * rb;
            if start >= packed.len() {
                break;
            }
            let end = (start + rb).min(packed.len());
            img.row_mut(y)[..end - start].copy_from_slice(&packed[start..end]);
        }
        img.clear_padding();
        img
    }

    /// Tightly packed rows (`ceil(width/8)` bytes each).
    pub fn to_packed(&self) -> Vec<u8> {
        let rb = self.packed_row_bytes();
        let mut out = Vec::with_capacity(rb * self.height as usize);
        for y in 0..self.height {
            out.extend_from_slice(&self.row(y)[..rb]);
        }
        out
    }

    /// Clears the bits past `width` in every row (they must stay white).
    pub fn clear_padding(&mut self) {
        let w = self.width as usize;
        let full = w / 8;
        let rem = w % 8;
        for y in 0..self.height {
            let row = self.row_mut(y);
            let mut first_clear = full;
            if rem != 0 {
                row[full] &= 0xFFu8 << (8 - rem);
                first_clear = full + 1;
            }
            row[first_clear..].fill(0);
        }
    }

    /// Number of black pixels.
    pub fn count_black(&self) -> u64 {
        self.data.iter().map(|b| b.count_ones() as u64).sum()
    }

    /// Converts to gray (black 0, white 255), for resampling a bilevel page.
    pub fn to_gray(&self) -> GrayImage {
        let mut g = GrayImage::new(self.width, self.height, 255);
        for y in 0..self.height {
            let src = self.row(y);
            let dst = g.row_mut(y);
            for (x, d) in dst.iter_mut().enumerate() {
                if src[x >> 3] & (0x80 >> (x & 7)) != 0 {
                    *d = 0;
                }
            }
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_round_trip_and_padding() {
        let packed = [0xFFu8, 0xFF, 0x81, 0x00];
        let img = BitImage::from_packed(12, 2, &packed);
        assert_eq!(img.stride, 8);
        assert!(img.get(0, 0) && img.get(11, 0));
        // bits 12..15 of row 0 were set in the input but lie past the width
        assert_eq!(img.row(0)[1], 0xF0);
        assert_eq!(img.to_packed(), vec![0xFF, 0xF0, 0x81, 0x00]);
        assert_eq!(img.count_black(), 12 + 2);
    }

    #[test]
    fn set_get_and_gray() {
        let mut img = BitImage::new(70, 3);
        assert_eq!(img.stride, 16);
        img.set(69, 2, true);
        assert!(img.get(69, 2));
        let g = img.to_gray();
        assert_eq!(g.get(69, 2), 0);
        assert_eq!(g.get(68, 2), 255);
        img.set(69, 2, false);
        assert_eq!(img.count_black(), 0);
    }

    #[test]
    fn blit_clips() {
        let mut page = GrayImage::new(4, 4, 255);
        let src = GrayImage::new(3, 3, 0);
        page.blit(&src, 2, -1);
        assert_eq!(page.row(0), &[255, 255, 0, 0]);
        assert_eq!(page.row(2), &[255, 255, 255, 255]);
    }
}
