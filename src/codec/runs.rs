//! Rows as lists of changing elements, and back.
//!
//! Both coders work on *changing elements*: the positions where a pixel's
//! colour differs from the pixel to its left (the pixel left of the row is
//! white). A row with changes `[3, 5]` is white 0..3, black 3..5, white
//! 5..width. Finding them scans 64-bit words and XORs each with itself
//! shifted by one pixel, so a white word costs one compare; painting them
//! back XORs one mask per change and carries the colour along the words.
//!
//! Lists are followed by [`SENTINELS`] copies of the width: the imaginary
//! changing elements past the row end that T.4's `b1`/`b2` and `a1`/`a2`
//! fall on when nothing real is left, so the coders never bounds-check.

use crate::bitmap::BitImage;

/// How many `width` values follow the real changes in a list.
pub(crate) const SENTINELS: usize = 3;

/// Sentinels the decoders write and read. The 2-D decoder keeps `jb` at
/// most one past the first sentinel (it looks at the change after `b2`),
/// and reads a bounded stretch of the reference from `jb` on
/// (`decode::REFERENCE_REACH`, which asserts that it fits): with this
/// many, that stretch always lies inside the list.
pub(crate) const DECODE_SENTINELS: usize = 32;

/// Room past the worst case for the junk slots [`changes_of_row`] writes.
const FLATTEN_SLACK: usize = 4;

/// One row's changing elements, in a buffer sized for the worst case
/// (a change at every pixel, plus stray padding bits, plus sentinels) so the
/// coders write by index and never reallocate inside a row.
///
/// The buffer starts with a guard, a 0 before the first change: for the
/// 2-D decoder, "the reference change before `b1`" then always exists
/// (see [`list_for_decoding`](Self::list_for_decoding)).
pub(crate) struct Changes {
    buf: Vec<u32>,
    len: usize,
}

/// Where the changes start in [`Changes`]'s buffer (after the guard).
const GUARD: usize = 1;

impl Changes {
    /// An all-white row: no changes, only sentinels.
    pub fn white(width: u32) -> Self {
        let mut buf =
            vec![width; GUARD + BitImage::stride_for(width) * 8 + DECODE_SENTINELS + FLATTEN_SLACK];
        buf[0] = 0;
        Changes { buf, len: 0 }
    }

    /// The changes followed by the sentinels.
    #[inline]
    pub fn list(&self) -> &[u32] {
        &self.buf[GUARD..GUARD + self.len + SENTINELS]
    }

    /// The guard (0), the changes and [`DECODE_SENTINELS`] sentinels, for
    /// a decoder's reference row: valid for lists a decoder wrote (or
    /// [`white`](Self::white)), which write that many. The guard stands
    /// for "left of every change" at the row start.
    #[inline]
    pub fn list_for_decoding(&self) -> &[u32] {
        let end = GUARD + self.len;
        debug_assert!(self.buf[end..end + DECODE_SENTINELS]
            .iter()
            .all(|&x| x == self.buf[end]));
        &self.buf[..end + DECODE_SENTINELS]
    }

    /// The changes alone, without the sentinels.
    #[inline]
    pub fn real(&self) -> &[u32] {
        &self.buf[GUARD..GUARD + self.len]
    }

    /// The buffer after the guard, for a coder to fill.
    #[inline]
    pub fn buf_mut(&mut self) -> &mut [u32] {
        &mut self.buf[GUARD..]
    }

    /// Declares how many changes the buffer holds; the sentinels after them
    /// must already be written.
    #[inline]
    pub fn set_len(&mut self, len: usize) {
        self.len = len;
    }
}

/// Fills `out` with the changing elements of a packed MSB-first row
/// (1 = black), followed by the sentinels.
pub(crate) fn changes_of_row(row: &[u8], width: u32, out: &mut Changes) {
    let words = (width as usize).div_ceil(64);
    let buf = out.buf_mut();
    let mut n = 0usize;
    // The previous word's last pixel, moved to bit 63 to line up with the
    // current word shifted right by one.
    let mut carry = 0u64;
    for (i, chunk) in row.chunks_exact(8).take(words).enumerate() {
        let word = u64::from_be_bytes(chunk.try_into().unwrap_or([0; 8]));
        let mut changes = word ^ ((word >> 1) | carry);
        carry = word << 63;
        if changes == 0 {
            continue;
        }
        // Write the positions four at a time without testing after each
        // one whether bits are left (text has a handful of changes per
        // word, so that test would mispredict once per word): slots past
        // the last change receive junk (`base + 64`) that the next word or
        // the sentinels overwrite, and `n` only advances by the real count.
        let base = (i * 64) as u32;
        let count = changes.count_ones() as usize;
        let mut written = 0;
        while written < count {
            let slots = &mut buf[n + written..n + written + 4];
            for slot in slots.iter_mut() {
                let lz = changes.leading_zeros();
                *slot = base + lz;
                // clear that bit and everything above it (all of `changes`
                // once it is empty: the shift wraps to 0 for lz = 64)
                changes &= (u64::MAX >> 1).wrapping_shr(lz);
            }
            written += 4;
        }
        n += count;
    }
    // A change at `width` (a row ending black) or beyond (stray padding
    // bits) is not a change within the row.
    while n > 0 && buf[n - 1] >= width {
        n -= 1;
    }
    buf[n..n + SENTINELS].fill(width);
    out.len = n;
}

/// Appends a change at `x` to `list[..*n]`. Two changes at the same place
/// cancel: a zero-length run leaves the colour as it was, and keeping both
/// would give the 2-D coder a change that is not there in the pixels.
#[inline(always)]
pub(crate) fn push_change(list: &mut [u32], n: &mut usize, x: u32) {
    if *n > 0 && list[*n - 1] == x {
        *n -= 1;
    } else {
        list[*n] = x;
        *n += 1;
    }
}

/// `b1` from scratch, for both 2-D coders after a code that did not simply
/// move it on: the first reference change right of `a0` (`a0_next` is
/// `a0 + 1`; nothing before `jb - 1` is right of it), moved on by one if
/// its colour is the colour at `a0` (the parity of `changes`, the coding
/// row's changes so far). Stops at the first sentinel, as `a0 < width`.
/// Returns `jb` and `reference[jb - 1]` (0 at the row start).
#[inline(always)]
pub(crate) fn find_b1(reference: &[u32], jb: usize, a0_next: u32, changes: usize) -> (usize, u32) {
    let mut j = jb.saturating_sub(1);
    while reference[j] < a0_next {
        j += 1;
    }
    let jb = j + ((j ^ changes) & 1);
    (jb, if jb > 0 { reference[jb - 1] } else { 0 })
}

/// Paints lists of changes (ascending, all < `width`: no sentinels) into
/// white rows, keeping a scratch row of native-order words between calls.
///
/// Without a branch per run, and with work per change and per 64-bit
/// word rather than per pixel or byte: a change at `x` means "the colour
/// flips from `x` to the row end", so each change XORs a mask from its
/// pixel to the end of its word, and one pass over the words then carries
/// the colour from word to word (the colour leaving a word is its last
/// bit, once the colour entering it has been applied). Runs in text are a
/// few pixels long and their lengths unpredictable, so this beats filling
/// run by run, which branches on each run's length.
///
/// Each word has [`PAINT_SLOTS`] scratch slots, and consecutive changes
/// XOR into different ones: on text, neighbouring changes mostly fall in
/// the same word, and with one slot each XOR would wait for the one before
/// it through memory (measured: painting a text page took 25-30 % less
/// time with two slots and the masks from [`FLIP_MASKS`]; neither alone
/// gained more than 10 %). The masks are kept in the row's byte order
/// (see [`FLIP_MASKS`]), so the carry pass XORs a word's slots together,
/// stores the word as it is and clears the slots for the next row. It
/// runs over the words that hold changes only: the margins of a page are
/// white.
pub(crate) struct Painter {
    slots: Vec<[u64; PAINT_SLOTS]>,
}

/// Scratch slots per word (see [`Painter`]).
const PAINT_SLOTS: usize = 2;

/// The mask from pixel `k` of a word to its end, `u64::MAX >> k`, held
/// as the native word whose bytes in memory are the row's MSB-first bytes:
/// a word of XORed masks is then stored as it is, with no byte swap per
/// word (XOR commutes with the swap: 2-3 % less time painting text). A
/// load is one instruction; the shift without BMI2 is a move and a
/// three-micro-op shift.
static FLIP_MASKS: [u64; 64] = {
    let mut masks = [0; 64];
    let mut k = 0;
    while k < 64 {
        masks[k] = u64::from_ne_bytes((u64::MAX >> k).to_be_bytes());
        k += 1;
    }
    masks
};

/// How far left a [`FLIP_MASKS`] word's last pixel (bit 0 of
/// `u64::MAX >> k`) is from the top bit: bit 56 on little-endian machines.
const LAST_PIXEL_SHIFT: u32 = 63 - u64::from_ne_bytes(1u64.to_be_bytes()).trailing_zeros();

impl Painter {
    pub fn new(width: u32) -> Self {
        // A power of two, so that masking an index keeps it in bounds
        // without a check (see `paint`).
        Painter {
            slots: vec![[0; PAINT_SLOTS]; (width as usize).div_ceil(64).next_power_of_two()],
        }
    }

    /// Paints `changes` into `row` (at least `stride_for(width)` bytes,
    /// white).
    pub fn paint(&mut self, row: &mut [u8], changes: &[u32], width: u32) {
        // the decoders know their count: no scan for the first sentinel
        debug_assert!(changes.iter().all(|&x| x < width));
        let (Some(&first), Some(&last)) = (changes.first(), changes.last()) else {
            return;
        };
        // Changes are below the width, so the mask never changes an index:
        // it only shows the compiler that no bounds check is needed, in the
        // loop that costs the most per change.
        let scratch = self.slots.as_flattened_mut();
        let in_bounds = scratch.len() - 1;
        let mut flip_from = |x: u32, slot: usize| {
            let x = x as usize;
            scratch[((x >> 6) * PAINT_SLOTS + slot) & in_bounds] ^= FLIP_MASKS[x & 63];
        };
        // four per step: the loop's own counting is a third of the work
        // at one change per step
        let (quads, rest) = changes.as_chunks::<4>();
        for quad in quads {
            for (k, &x) in quad.iter().enumerate() {
                flip_from(x, k % PAINT_SLOTS);
            }
        }
        for (k, &x) in rest.iter().enumerate() {
            flip_from(x, k % PAINT_SLOTS);
        }
        let words = (width as usize).div_ceil(64);
        // Only the words from the first change's to the last change's hold
        // masks: before them the row is white (as it is already), after
        // them white or black (filled below). Rows are whole words:
        // `stride_for` pads them.
        let (lo, hi) = (first as usize >> 6, last as usize >> 6);
        let (chunks, _) = row[..words * 8].as_chunks_mut::<8>();
        // all ones while the colour entering the next word is black
        let mut carry = 0u64;
        for (slots, chunk) in self.slots[lo..=hi]
            .iter_mut()
            .zip(chunks[lo..=hi].iter_mut())
        {
            let masks = slots.iter().fold(0, |acc, &m| acc ^ m);
            *slots = [0; PAINT_SLOTS];
            *chunk = (masks ^ carry).to_ne_bytes();
            // The colour leaving the word flips once per change in it, and
            // every change's mask reaches its last pixel: so the carry
            // moves on by one XOR with a value known from this word alone
            // (that pixel's bit spread over the word), a one-instruction
            // chain from word to word.
            carry ^= ((masks << LAST_PIXEL_SHIFT) as i64 >> 63) as u64;
        }
        if carry != 0 {
            // A row ending black: black to the end, but not the padding.
            for chunk in chunks[hi + 1..].iter_mut() {
                *chunk = [0xFF; 8];
            }
            let tail = width % 64;
            if tail != 0 {
                if let Some(last) = chunks.last_mut() {
                    let kept = u64::from_be_bytes(*last) & !(u64::MAX >> tail);
                    *last = kept.to_be_bytes();
                }
            }
        }
    }
}

/// Paints a list of changes into a white row (see [`Painter`]); for the
/// tests' one-off rows, the decoders keep a painter.
#[cfg(test)]
pub(crate) fn paint_row(row: &mut [u8], changes: &[u32], width: u32) {
    Painter::new(width).paint(row, changes, width);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive_changes(img: &BitImage, y: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut prev = false;
        for x in 0..img.width {
            let p = img.get(x, y);
            if p != prev {
                out.push(x);
                prev = p;
            }
        }
        out
    }

    #[test]
    fn changes_match_pixel_scan_and_paint_back() {
        let mut seed = 12345u64;
        for width in [1u32, 2, 7, 8, 9, 63, 64, 65, 127, 128, 129, 1728, 1729] {
            let mut img = BitImage::new(width, 4);
            for y in 0..4 {
                for x in 0..width {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    // runs of varying length: flip with probability depending on row
                    if (seed >> 33).is_multiple_of(1 + y as u64 * 5) {
                        img.set(x, y, true);
                    }
                }
            }
            let mut changes = Changes::white(width);
            for y in 0..4 {
                changes_of_row(img.row(y), width, &mut changes);
                let list = changes.list();
                let expect = naive_changes(&img, y);
                assert_eq!(
                    &list[..list.len() - SENTINELS],
                    &expect[..],
                    "width {width} row {y}"
                );
                assert!(list[list.len() - SENTINELS..].iter().all(|&s| s == width));
                let mut row = vec![0u8; img.stride];
                paint_row(&mut row, changes.real(), width);
                assert_eq!(&row[..], img.row(y), "paint width {width} row {y}");
            }
        }
    }

    #[test]
    fn long_runs_and_rows_ending_black_paint_back() {
        // runs of 1 to 300 pixels: whole black words between changes,
        // rows ending black inside the last word or on its boundary
        let mut rng = super::super::tests::Rng(99);
        for width in [1u32, 63, 64, 65, 127, 128, 200, 1728, 1729] {
            for _ in 0..200 {
                let mut changes = Vec::new();
                let mut x = 0u32;
                loop {
                    let longest = [3, 70, 300][rng.below(3) as usize];
                    x += 1 + rng.below(longest);
                    if x >= width {
                        break;
                    }
                    changes.push(x);
                }
                if rng.below(2) == 0 && !changes.is_empty() {
                    // start black at pixel 0 instead (changes[1] > the old
                    // changes[0] >= 1, so the list stays ascending)
                    changes[0] = 0;
                }
                let mut row = vec![0u8; BitImage::stride_for(width)];
                paint_row(&mut row, &changes, width);
                let mut img = BitImage::new(width, 1);
                img.data.copy_from_slice(&row);
                assert_eq!(naive_changes(&img, 0), changes, "width {width}");
                // padding bits stay clear
                for bit in width as usize..row.len() * 8 {
                    assert_eq!(row[bit / 8] & (0x80 >> (bit % 8)), 0, "width {width}");
                }
            }
        }
    }

    #[test]
    fn stray_padding_bits_are_ignored() {
        let row = [0b1000_0011u8, 0, 0, 0, 0, 0, 0, 0];
        let mut changes = Changes::white(5);
        changes_of_row(&row, 5, &mut changes);
        assert_eq!(changes.list(), &[0, 1, 5, 5, 5]);
    }

    #[test]
    fn push_change_cancels_zero_runs() {
        let mut l = [3, 5, 0];
        let mut n = 2;
        push_change(&mut l, &mut n, 5);
        assert_eq!(&l[..n], &[3]);
        push_change(&mut l, &mut n, 9);
        assert_eq!(&l[..n], &[3, 9]);
    }
}
