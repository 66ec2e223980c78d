//! Bit-level reading and writing, MSB first, through a 64-bit buffer.
//!
//! The reader keeps at least 56 upcoming bits left-aligned in a `u64`, so a
//! decoder peeks 7 to 13 bits with one shift and indexes a lookup table.
//! It reads from a copy of the data followed by zero bytes
//! ([`PaddedInput`]), so every refill is one unaligned 8-byte load with no
//! "near the end?" branch. Past the end of the data it reads zeros (which
//! look like the start of an EOL, so decoders stop there); consuming them
//! counts as running over.

/// Zero bytes after the data: a refill loads 8 bytes at a position up to
/// 8 past the end.
const PADDING: usize = 16;

/// Fax data followed by [`PADDING`] zero bytes, for [`BitReader`].
pub(crate) struct PaddedInput {
    bytes: Vec<u8>,
    len: usize,
}

impl PaddedInput {
    pub fn new(data: &[u8]) -> Self {
        let mut bytes = Vec::with_capacity(data.len() + PADDING);
        bytes.extend_from_slice(data);
        bytes.resize(data.len() + PADDING, 0);
        PaddedInput {
            bytes,
            len: data.len(),
        }
    }

    /// A reader at the start of the data.
    pub fn reader(&self) -> BitReader<'_> {
        let mut r = BitReader {
            data: &self.bytes,
            len: self.len,
            pos: 0,
            buf: 0,
            nbits: 0,
        };
        r.refill_always();
        r
    }
}

/// Reads bits MSB-first from a [`PaddedInput`].
#[derive(Clone)]
pub(crate) struct BitReader<'a> {
    /// The data and its zero padding.
    data: &'a [u8],
    /// Bytes of real data.
    len: usize,
    /// Next byte of `data` not yet in `buf`.
    pos: usize,
    /// Upcoming bits, left-aligned; zeros below the first `nbits`.
    buf: u64,
    /// Bits in `buf` (real data or padding).
    nbits: u32,
}

impl BitReader<'_> {
    /// Tops the buffer up to at least 56 bits if it holds fewer than 32.
    #[inline(always)]
    pub fn refill(&mut self) {
        if self.nbits < 32 {
            self.refill_always();
        }
    }

    /// Tops the buffer up to at least 56 bits without first testing
    /// whether it needs it: in a loop whose codes vary in length, the test
    /// is a branch that mispredicts, the load is not.
    #[inline(always)]
    pub fn refill_always(&mut self) {
        // Everything from `len` on reads as zero, and so do the last 8
        // bytes of the padding: loading there instead of further on is
        // exact, and keeps the load in bounds however far a decoder runs
        // on. (Clamping to the slice's own length lets the compiler drop
        // the bounds check, and keeps `len` out of the hot loop.)
        let at = self.pos.min(self.data.len() - 8);
        let word = u64::from_be_bytes(self.data[at..at + 8].try_into().unwrap_or([0; 8]));
        self.buf |= word >> self.nbits;
        let bytes = (63 - self.nbits) >> 3;
        self.pos += bytes as usize;
        self.nbits += bytes * 8;
    }

    /// The next `n` bits (1..=32), right-aligned; zeros past the end.
    #[inline(always)]
    pub fn peek(&self, n: u32) -> u32 {
        (self.buf >> (64 - n)) as u32
    }

    /// Drops `n` bits (at most 24; call [`refill`](Self::refill) between).
    #[inline(always)]
    pub fn consume(&mut self, n: u32) {
        debug_assert!(n <= self.nbits);
        // clamped so that a misuse cannot corrupt the state
        let n = n.min(self.nbits);
        self.buf <<= n;
        self.nbits -= n;
    }

    /// [`consume`](Self::consume) without the clamp, for a hot loop that
    /// has just made sure that at least `n` bits are buffered (a misuse
    /// garbles the reader's state but is not undefined behaviour).
    #[inline(always)]
    pub fn consume_buffered(&mut self, n: u32) {
        debug_assert!(n <= self.nbits);
        self.buf <<= n;
        self.nbits -= n;
    }

    /// Whether more bits were consumed than the data holds.
    pub fn overrun(&self) -> bool {
        self.position() > self.len as u64 * 8
    }

    /// Bits not yet consumed.
    pub fn bits_left(&self) -> u64 {
        (self.len as u64 * 8).saturating_sub(self.position())
    }

    /// Bits consumed so far.
    pub fn position(&self) -> u64 {
        self.pos as u64 * 8 - self.nbits as u64
    }

    /// Skips to the next byte boundary.
    pub fn align_to_byte(&mut self) {
        let skip = (8 - (self.position() % 8) as u32) % 8;
        self.refill();
        self.consume(skip);
        self.refill();
    }

    /// Whether every remaining bit is zero (or none remain): the data is
    /// over, apart from padding.
    pub fn rest_is_zero(&self) -> bool {
        // `buf` holds only upcoming bits, zeros past the data's end
        self.buf == 0
            && self.data[self.pos.min(self.len)..self.len]
                .iter()
                .all(|&b| b == 0)
    }

    /// Counts the one bits ahead without consuming them, at most 24 (so
    /// that they can be consumed at once).
    #[inline]
    pub fn ones_ahead(&mut self) -> u32 {
        self.refill();
        // past the data the buffer holds zeros, which end the count
        (!self.buf).leading_zeros().min(24)
    }

    /// Counts the zero bits ahead without consuming them, up to the buffer's
    /// fill (at least 32 unless the data ends sooner).
    #[inline]
    pub fn zeros_ahead(&mut self) -> u32 {
        self.refill();
        let left = self.bits_left().min(64) as u32;
        self.buf.leading_zeros().min(self.nbits).min(left)
    }

    /// Consumes zero bits up to the next one bit; returns how many were
    /// skipped. Stops at the end of the data.
    pub fn skip_zeros(&mut self) -> u64 {
        let mut skipped = 0u64;
        loop {
            self.refill();
            let left = self.bits_left();
            if left == 0 {
                return skipped;
            }
            let lz = self.buf.leading_zeros().min(32).min(left as u32);
            skipped += lz as u64;
            self.consume(lz);
            if self.buf >> 63 == 1 {
                return skipped;
            }
        }
    }

    /// Scans forward to the next EOL (at least 11 zeros then a one) and
    /// consumes it. Returns false if the data ends first.
    pub fn find_eol(&mut self) -> bool {
        loop {
            let zeros = self.skip_zeros();
            if self.bits_left() == 0 {
                return false;
            }
            // The next bit is a one.
            self.consume(1);
            if zeros >= 11 {
                self.refill();
                return true;
            }
        }
    }
}

/// Room past the reserved bytes: a flush stores a whole 8-byte word, and
/// up to 8 more bytes can be pending in the accumulator (see
/// [`BitWriter::reserve`]).
const WRITER_SLACK: usize = 16;

/// Writes bits MSB-first into a growing byte vector.
///
/// Bits collect in a 64-bit accumulator, and only when the next code does
/// not fit is it flushed: its pending bits stored as one 8-byte word at
/// the output position, which then advances by the complete bytes. A put
/// is thus a shift, an OR and an add, plus a branch that is taken once per
/// twenty-odd codes (fax codes average 2 to 5 bits); there is no "is a
/// byte full yet?" test per code.
pub(crate) struct BitWriter {
    /// Output so far (`..pos`) plus scratch room.
    out: Vec<u8>,
    /// Complete bytes flushed.
    pos: usize,
    /// Pending bits, right-aligned: the low `nbits` bits are valid, higher
    /// ones are stale and never read.
    acc: u64,
    /// Pending bits, at most 63 (so that the shifts in a flush stay
    /// below 64).
    nbits: u32,
}

impl BitWriter {
    pub fn with_capacity(bytes: usize) -> Self {
        BitWriter {
            out: vec![0; bytes + WRITER_SLACK],
            pos: 0,
            acc: 0,
            nbits: 0,
        }
    }

    /// A writer with no buffer, to stand in while the real one is borrowed.
    pub fn placeholder() -> Self {
        BitWriter {
            out: Vec::new(),
            pos: 0,
            acc: 0,
            nbits: 0,
        }
    }

    /// Ensures that `bytes` more output bytes can be written (counting
    /// from the bits written so far, flushed or not).
    #[inline]
    pub fn reserve(&mut self, bytes: usize) {
        let needed = self.pos + bytes + WRITER_SLACK;
        if self.out.len() < needed {
            let grown = needed.max(self.out.len() * 2);
            self.out.resize(grown, 0);
        }
    }

    /// Stores the pending bits at `pos` and keeps only the incomplete
    /// last byte pending; the store is checked.
    #[inline]
    fn flush(&mut self) {
        // left-align the pending bits (nbits <= 63, so both shifts are
        // < 64; with nbits = 0 a stale bit lands in the byte at `pos`,
        // which the next flush overwrites or `finish` cuts off)
        let aligned = (self.acc << 1) << (63 - self.nbits);
        self.out[self.pos..self.pos + 8].copy_from_slice(&aligned.to_be_bytes());
        self.pos += (self.nbits >> 3) as usize;
        self.nbits &= 7;
    }

    /// Appends the low `len` bits of `bits` (len <= 32). The caller must have
    /// reserved room (a few bytes per call).
    #[inline(always)]
    pub fn put(&mut self, bits: u32, len: u32) {
        debug_assert!(len <= 32 && (len == 32 || bits >> len == 0));
        if self.nbits + len > 63 {
            self.flush();
        }
        self.acc = (self.acc << len) | bits as u64;
        self.nbits += len;
    }

    /// Bits written so far.
    pub fn bit_position(&self) -> u64 {
        self.pos as u64 * 8 + self.nbits as u64
    }

    /// Pads with zero bits to the next byte boundary.
    pub fn pad_to_byte(&mut self) {
        let pad = (8 - self.nbits % 8) % 8;
        self.put(0, pad);
    }

    /// Pads and returns the bytes.
    pub fn finish(mut self) -> Vec<u8> {
        self.pad_to_byte();
        self.reserve(0);
        self.flush();
        self.out.truncate(self.pos);
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_then_reader_round_trip() {
        let mut w = BitWriter::with_capacity(0);
        w.reserve(10_000);
        let items: Vec<(u32, u32)> = (0..500u32)
            .map(|i| {
                let len = 1 + (i * 7) % 25;
                ((i.wrapping_mul(2654435761)) & ((1u32 << len) - 1), len)
            })
            .collect();
        for &(b, l) in &items {
            w.put(b, l);
        }
        let total: u64 = items.iter().map(|&(_, l)| l as u64).sum();
        assert_eq!(w.bit_position(), total);
        let bytes = w.finish();
        assert_eq!(bytes.len() as u64, total.div_ceil(8));
        let input = PaddedInput::new(&bytes);
        let mut r = input.reader();
        for &(b, l) in &items {
            r.refill();
            assert_eq!(r.peek(l), b);
            r.consume(l);
        }
        assert!(!r.overrun());
        assert!(r.rest_is_zero());
    }

    #[test]
    fn reader_past_end_reads_zeros_and_flags_overrun() {
        let input = PaddedInput::new(&[0xFF]);
        let mut r = input.reader();
        assert_eq!(r.peek(12), 0xFF0);
        r.consume(8);
        assert_eq!(r.bits_left(), 0);
        assert!(!r.overrun());
        r.consume(1);
        assert!(r.overrun());
    }

    #[test]
    fn find_eol_skips_garbage_and_fill() {
        // garbage 0xA5, then 15 zeros and a one (fill + EOL), then 0xC3
        let data = [0xA5, 0x00, 0x01, 0xC3];
        let input = PaddedInput::new(&data);
        let mut r = input.reader();
        assert!(r.find_eol());
        assert_eq!(r.position(), 24);
        assert_eq!(r.peek(8), 0xC3);
        // a one after only 10 zeros is not an EOL
        let input = PaddedInput::new(&[0x80, 0x20, 0x00]);
        let mut r = input.reader();
        assert!(!r.find_eol());
    }

    #[test]
    fn align_and_zeros_ahead() {
        let input = PaddedInput::new(&[0b1010_0000, 0x00, 0x10]);
        let mut r = input.reader();
        r.consume(3);
        r.align_to_byte();
        assert_eq!(r.position(), 8);
        assert_eq!(r.zeros_ahead(), 11);
        assert!(!r.rest_is_zero());
    }
}
