//! Decoders: MH and MR (T.4, with EOLs), MMR (T.6) and TIFF "CCITT RLE".
//!
//! Codes are found by table lookup on bits peeked from a 64-bit buffer
//! (see [`super::tables`]); each row is decoded into its list of changing
//! elements, checked, and only then painted into the image with byte fills,
//! so a damaged row never leaves half-written pixels behind.
//!
//! Damage handling follows what fax machines do:
//! - G3 (MH, MR): a bad row is replaced by a copy of the last good row
//!   (white if none) and decoding resumes at the next EOL; for MR, 2-D rows
//!   after damage have no trustworthy reference, so they are replaced too
//!   until the next 1-D row.
//! - G4 and CCITT RLE have nothing to resynchronise on: decoding stops at the
//!   first bad row and the rows before it are kept.
//!
//! Two EOLs in a row (the start of RTC) end a G3 page; EOFB ends a G4 page.
//! Data that simply stops after a complete row is a clean end as well.

use super::bitio::{BitReader, PaddedInput};
use super::runs::{push_change, Changes, Painter, DECODE_SENTINELS};
use super::tables::{
    entry_len, entry_value, BATCH_BITS, BATCH_CODES, BATCH_DELTAS, BATCH_FIRST, BATCH_H_NEXT,
    BATCH_JB, BATCH_LAST, BATCH_LEN, BATCH_MAX_ADVANCE, BATCH_MODE, BATCH_SLOTS, BATCH_STORED,
    BATCH_TABLE, BLACK_BITS, BLACK_TABLE, HORIZONTAL_PAIRS, KIND_EOL, MODE_BITS, MODE_EXT, MODE_H,
    MODE_P, MODE_TABLE, MODE_V, MODE_VERTICAL, MODE_ZEROS, PAIR_BITS, WHITE_BITS, WHITE_TABLE,
};
use super::{DecodeOptions, Decoded};
use crate::bitmap::BitImage;

/// Why a row could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowFault {
    InvalidCode,
    RunPastRowEnd,
    EolInsideRow,
    ReferencePastRowEnd,
    ChangeBeforeA0,
    Uncompressed,
    RowTooLong,
}

impl RowFault {
    fn describe(self) -> &'static str {
        match self {
            RowFault::InvalidCode => "invalid code",
            RowFault::RunPastRowEnd => "run extends past the end of the row",
            RowFault::EolInsideRow => {
                "EOL before the row was complete (runs do not add up to the width)"
            }
            RowFault::ReferencePastRowEnd => "2-D code refers past the end of the row",
            RowFault::ChangeBeforeA0 => "2-D code places a change left of the previous one",
            RowFault::Uncompressed => "uncompressed-mode extension (not supported)",
            RowFault::RowTooLong => "more codes after the row was complete (runs exceed the width)",
        }
    }
}

/// Rows decoded so far, in the layout of a [`BitImage`], and the change
/// lists of the row being decoded and of the one before it (the reference
/// for 2-D rows).
///
/// A row is painted one row late: its bytes are reserved (white) when it
/// is pushed, and painted from its list when the next row is pushed, when
/// the page ends, or before its bytes are copied. Painting straight away
/// read the list back while the decoder's overlapping SIMD stores of it
/// were still in flight, and waited for them. Measured together with the
/// painter's two slots (fastest of many decodes): the letter page 153-156
/// -> 150-152 us, the dense text page 608-617 -> 592-594 us.
struct RowSink {
    width: u32,
    stride: usize,
    /// The rows so far, then white: zeroed when allocated, for the rows
    /// the page likely has (and grown with zeros when it has more), so a
    /// row needs no zeroing of its own before it is painted or left white.
    /// Zeroing each row as it was appended was a `memset` call per row
    /// (3-5 % of a text page's decoding samples); measured: dense text
    /// 570 -> 566 us, the letter 143.6 -> 142.5 (fastest of 400 / 1500,
    /// interleaved). A page of short rows, where zeroing the whole page
    /// at once is a larger share, went the other way: 44.4 -> 45.5 us.
    data: Vec<u8>,
    painter: Painter,
    /// The last row pushed (or white before the first).
    reference: Changes,
    /// The row being decoded.
    current: Changes,
    /// Whether the last row pushed is not painted yet; its list is
    /// `reference`.
    unpainted: bool,
    /// Rows pushed so far: the first `rows * stride` bytes of `data`.
    rows: u32,
    /// Byte offset of the last good row, the source for repairs.
    last_good: Option<usize>,
    bad_rows: u32,
    first_bad_row: Option<u32>,
    error: Option<String>,
    truncated: bool,
}

impl RowSink {
    fn new(width: u32, target_rows: u32, data_len: usize) -> Self {
        let stride = BitImage::stride_for(width);
        // Allocate (zeroed) for what the data could plausibly hold, not
        // what a header claims: every row takes at least one bit. A page
        // with more rows grows it (`new_rows`).
        let likely_rows = (target_rows as usize)
            .min(data_len.saturating_mul(8) + 1)
            .min(8192);
        RowSink {
            width,
            stride,
            data: vec![0; stride * likely_rows],
            painter: Painter::new(width),
            reference: Changes::white(width),
            current: Changes::white(width),
            unpainted: false,
            rows: 0,
            last_good: None,
            bad_rows: 0,
            first_bad_row: None,
            error: None,
            truncated: false,
        }
    }

    /// Appends the good row decoded into `current`, which becomes the
    /// reference.
    fn push_current(&mut self) {
        self.paint_unpainted();
        let start = self.new_rows(1);
        self.unpainted = true;
        std::mem::swap(&mut self.reference, &mut self.current);
        self.last_good = Some(start);
    }

    /// The reference (guard, changes, sentinels) for decoding a 2-D row,
    /// and the list to decode it into.
    fn lists_for_2d(&mut self) -> (&[u32], &mut Changes) {
        (self.reference.list_for_decoding(), &mut self.current)
    }

    /// Paints the last row pushed if it is not yet.
    fn paint_unpainted(&mut self) {
        if std::mem::take(&mut self.unpainted) {
            // the last row pushed: nothing was appended after it
            let start = (self.rows as usize - 1) * self.stride;
            self.painter
                .paint(&mut self.data[start..], self.reference.real(), self.width);
        }
    }

    /// Appends `count` good rows equal to the last one (white if there is
    /// none). The last good row is the reference: if that has no changes,
    /// the rows are one white fill, not copies.
    fn push_copies_of_last(&mut self, count: u32) {
        self.paint_unpainted();
        let white = self.reference.real().is_empty();
        match self.last_good {
            Some(mut src) if !white => {
                for _ in 0..count {
                    let start = self.new_rows(1);
                    self.data.copy_within(src..src + self.stride, start);
                    src = start;
                }
                self.last_good = Some(src);
            }
            _ => {
                // white already
                self.new_rows(count as usize);
                if self.last_good.is_some() {
                    // the last row appended (rows >= 1: there was a good one)
                    self.last_good = Some((self.rows as usize - 1) * self.stride);
                }
            }
        }
    }

    /// Appends a repaired row (a copy of the last good one, or white).
    fn push_repaired(&mut self, why: &str) {
        self.paint_unpainted();
        let row = self.rows;
        self.note_fault(row, why);
        let start = self.new_rows(1);
        if let Some(src) = self.last_good {
            self.data.copy_within(src..src + self.stride, start);
        }
        self.bad_rows += 1;
    }

    /// Appends `count` rows (white), growing `data` if the page has more
    /// rows than it was allocated for; returns the first one's offset.
    fn new_rows(&mut self, count: usize) -> usize {
        let start = self.rows as usize * self.stride;
        let end = start + self.stride * count;
        if end > self.data.len() {
            self.data.resize(end, 0);
        }
        self.rows += count as u32;
        start
    }

    /// Records a fault at `row` (only the first one is kept in detail).
    fn note_fault(&mut self, row: u32, why: &str) {
        if self.first_bad_row.is_none() {
            self.first_bad_row = Some(row);
        }
        if self.error.is_none() {
            self.error = Some(format!("row {row}: {why}"));
        }
    }

    /// The data ended inside row `row`.
    /// Ends a page that cannot resynchronise (G4, CCITT RLE) at row `row`:
    /// a real fault is reported and the page marked truncated; data that
    /// simply ran out is noted as such.
    fn stop(&mut self, row: u32, fault: Option<RowFault>) {
        match fault {
            Some(f) => {
                self.note_fault(row, f.describe());
                self.truncated = true;
            }
            None => self.note_data_ended(row),
        }
    }

    fn note_data_ended(&mut self, row: u32) {
        self.note_fault(row, "data ends inside the row");
        self.truncated = true;
    }

    fn finish(mut self, opts: &DecodeOptions) -> Decoded {
        self.paint_unpainted();
        self.data.truncate(self.rows as usize * self.stride);
        if let Some(wanted) = opts.rows {
            if self.rows < wanted {
                self.truncated = true;
            }
        }
        Decoded {
            image: BitImage {
                width: self.width,
                height: self.rows,
                stride: self.stride,
                data: self.data,
            },
            bad_rows: self.bad_rows,
            first_bad_row: self.first_bad_row,
            truncated: self.truncated,
            error: self.error,
        }
    }
}

/// Reads one run of a colour: make-up codes then a terminating code.
/// `room` is what is left of the row; a longer run is an error.
#[inline(always)]
pub(crate) fn read_run(r: &mut BitReader, black: bool, room: u32) -> Result<u32, RowFault> {
    let mut run = 0u32;
    loop {
        r.refill();
        let e = if black {
            BLACK_TABLE[r.peek(BLACK_BITS) as usize]
        } else {
            WHITE_TABLE[r.peek(WHITE_BITS) as usize]
        } as u32;
        let len = entry_len(e);
        if len == 0 {
            return Err(if entry_value(e) == KIND_EOL {
                RowFault::EolInsideRow
            } else {
                RowFault::InvalidCode
            });
        }
        r.consume(len);
        run += entry_value(e);
        if run > room {
            return Err(RowFault::RunPastRowEnd);
        }
        // a terminating code ends the run, a make-up code goes on
        if entry_value(e) < 64 {
            return Ok(run);
        }
    }
}

/// Decodes a 1-D (MH) row into `out`.
pub(crate) fn decode_1d_row(
    r: &mut BitReader,
    out: &mut Changes,
    width: u32,
) -> Result<(), RowFault> {
    // A local copy of the reader keeps its state in registers.
    let mut local = r.clone();
    let result = decode_1d_changes(&mut local, out.buf_mut(), width);
    *r = local;
    out.set_len(result?);
    Ok(())
}

#[inline(always)]
fn decode_1d_changes(r: &mut BitReader, cur: &mut [u32], width: u32) -> Result<usize, RowFault> {
    let mut n = 0usize;
    let mut a0 = 0u32;
    let mut black = false;
    loop {
        a0 += read_run(r, black, width - a0)?;
        if a0 >= width {
            break;
        }
        push_change(cur, &mut n, a0);
        black = !black;
    }
    cur[n..n + DECODE_SENTINELS].fill(width);
    Ok(n)
}

/// Decodes a 2-D (MR/MMR) row against `reference` (with sentinels) into
/// `out`.
pub(crate) fn decode_2d_row(
    r: &mut BitReader,
    reference: &[u32],
    out: &mut Changes,
    width: u32,
) -> Result<(), RowFault> {
    let mut local = r.clone();
    let result = decode_2d_changes(&mut local, reference, out.buf_mut(), width);
    *r = local;
    out.set_len(result?);
    Ok(())
}

/// A horizontal code (its 3 mode bits still unread): the runs from `a0`
/// to `a1` and from `a1` to `a2`, in the colours at `a0` (the parity of
/// `n`) and after it. Stores `a1` and `a2` where inside the row and returns
/// the new `a0 + 1`.
#[inline(always)]
pub(crate) fn decode_horizontal(
    r: &mut BitReader,
    cur: &mut [u32],
    n: &mut usize,
    a0_next: u32,
    width: u32,
) -> Result<u32, RowFault> {
    r.consume(3);
    let black = *n & 1 == 1;
    let start = a0_next.saturating_sub(1);
    let a1 = start + read_run(r, black, width - start)?;
    let a2 = a1 + read_run(r, !black, width - a1)?;
    if a1 < width {
        push_change(cur, n, a1);
    }
    if a2 < width {
        push_change(cur, n, a2);
    }
    Ok(a2 + 1)
}

/// The fault a 2-D mode code means when it is not vertical, pass or
/// horizontal.
pub(crate) fn mode_fault(mode: u32) -> RowFault {
    match mode {
        MODE_EXT => RowFault::Uncompressed,
        MODE_ZEROS => RowFault::EolInsideRow,
        _ => RowFault::InvalidCode,
    }
}

/// Batches tried per refill of the bit reader (see `decode_2d_changes`):
/// each takes at most [`BATCH_BITS`], and a horizontal code in place of
/// the last one peeks its mode bits and [`PAIR_BITS`].
const BATCHES_PER_REFILL: usize = 3;
const _: () = assert!(
    BATCH_BITS as usize * (BATCHES_PER_REFILL - 1) + 3 + PAIR_BITS as usize <= 56
        && BATCH_BITS as usize * BATCHES_PER_REFILL <= 56
);

/// How far past `jb` a group of [`BATCHES_PER_REFILL`] batches may read
/// the reference: the last batch starts at most
/// `(BATCHES_PER_REFILL - 1) * BATCH_MAX_ADVANCE` on, its vertical codes
/// after at most three pass codes, and their lanes read from one before
/// to one after.
const REFERENCE_REACH: usize =
    (BATCHES_PER_REFILL - 1) * BATCH_MAX_ADVANCE + 2 * 3 + BATCH_SLOTS + 1;
/// `jb` is at most the first sentinel + 1 (see `decode_2d_changes`), so a
/// group's reads stay among the sentinels.
const _: () = assert!(REFERENCE_REACH < DECODE_SENTINELS);
/// How far past `n` a group of batches may store.
const STORE_REACH: usize = BATCHES_PER_REFILL * BATCH_SLOTS;

/// A batch's lanes (see `decode_2d_changes` and [`BATCH_TABLE`]), four at
/// once: lane `k` is measured from `b1 = reference[first + k]`, must land
/// right of the lane before it (of `a0` for the first), right of
/// `reference[first - 1]` (strictly for lane 0: after pass codes that is
/// the last one's `b2`, which the code must lie right of; without them a
/// code landing on it is merely rare, and goes the slow way) and left of
/// `reference[first + k + 1]` (so that the next code's `b1` is simply the
/// next reference change). `entry` is the batch's [`BATCH_TABLE`] entry:
/// its [`BATCH_DELTAS`] hold `delta + 3` per lane, three bits each (lane 0
/// lowest), in the entry's upper half, which the SIMD version copies into
/// its lanes as it is (no shift and mask to take the field out: 2 % less
/// time on dense text). Stores the four results at `cur[n..n + 4]`
/// (lanes past the batch's codes store junk past the row's changes) and
/// returns one bit per lane that passed, and the result of lane `last`.
///
/// The caller has checked `1 <= first`, `first + 5 <= reference.len()`,
/// `n + 4 <= cur.len()` and `last < 4`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) fn vertical_batch_sse2(
    reference: &[u32],
    first: usize,
    cur: &mut [u32],
    n: usize,
    entry: u32,
    a0: u32,
    last: usize,
) -> (u32, u32) {
    use std::arch::x86_64::*;
    debug_assert!(first >= 1 && first + 5 <= reference.len() && n + 4 <= cur.len());
    debug_assert!(last < 4);
    // SAFETY: SSE2 is part of the x86-64 baseline. The loads read
    // reference[first - 1..first + 5], the store writes cur[n..n + 4] and
    // the last read is inside it: in bounds, as the caller checked.
    // Positions are below 2^31, so signed compares order them (a change
    // left of the row, b1 + delta < 0, compares below every lower bound
    // and fails as it should; a0 = -1 at the row start is left of all).
    unsafe {
        let at = reference.as_ptr().add(first);
        // x >= below, strictly for lane 0
        let below = _mm_sub_epi32(_mm_loadu_si128(at.sub(1).cast()), _mm_set_epi32(1, 1, 1, 0));
        let b1 = _mm_loadu_si128(at.cast());
        let limit = _mm_loadu_si128(at.add(1).cast());
        let zero = _mm_setzero_si128();
        // The entry's upper half (the deltas, then other fields) copied
        // into the four low 16-bit lanes; multiplying lane k by 2^(13 - 3k)
        // moves its field to the lane's top three bits (everything above
        // it drops out), and a shift brings it down.
        let copies = _mm_shufflelo_epi16(_mm_cvtsi32_si128(entry as i32), 0b01_01_01_01);
        let fields = _mm_mullo_epi16(
            copies,
            _mm_setr_epi16(1 << 13, 1 << 10, 1 << 7, 1 << 4, 0, 0, 0, 0),
        );
        let delta3 = _mm_unpacklo_epi16(_mm_srli_epi16(fields, 13), zero);
        let x = _mm_sub_epi32(_mm_add_epi32(b1, delta3), _mm_set1_epi32(3));
        let before = _mm_or_si128(_mm_slli_si128(x, 4), _mm_cvtsi32_si128(a0 as i32));
        let ok = _mm_and_si128(_mm_cmpgt_epi32(x, before), _mm_cmpgt_epi32(limit, x));
        let ok = _mm_and_si128(_mm_cmpgt_epi32(x, below), ok);
        let out = cur.as_mut_ptr().add(n);
        _mm_storeu_si128(out.cast(), x);
        let passed = _mm_movemask_ps(_mm_castsi128_ps(ok)) as u32;
        (passed, *out.add(last))
    }
}

/// On x86-64, SSE2 (part of its baseline) takes the four lanes at once.
#[cfg(target_arch = "x86_64")]
use vertical_batch_sse2 as vertical_batch;

/// Elsewhere, [`vertical_batch_lanes`] one lane after the other.
#[cfg(not(target_arch = "x86_64"))]
use vertical_batch_lanes as vertical_batch;

/// [`vertical_batch_sse2`] without SIMD: the same tests and stores, lane by
/// lane (the tests check that both agree).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
#[inline(always)]
pub(crate) fn vertical_batch_lanes(
    reference: &[u32],
    first: usize,
    cur: &mut [u32],
    n: usize,
    entry: u32,
    a0: u32,
    last: usize,
) -> (u32, u32) {
    let deltas = BATCH_DELTAS.of(entry);
    let mut passed = 0;
    let mut before = a0 as i32;
    for k in 0..BATCH_SLOTS {
        let x = reference[first + k] as i32 + ((deltas >> (3 * k)) & 7) as i32 - 3;
        let below = reference[first + k - 1] as i32;
        let right_of_below = if k == 0 { x > below } else { x >= below };
        let ok = x > before && x < reference[first + k + 1] as i32 && right_of_below;
        passed |= (ok as u32) << k;
        cur[n + k] = x as u32;
        before = x;
    }
    (passed, cur[n + last])
}

/// A horizontal code (its 3 mode bits still unread), both runs from one
/// [`HORIZONTAL_PAIRS`] lookup when they are there, as most are; else
/// [`decode_horizontal`], code by code. At least `3 + PAIR_BITS` bits must
/// be buffered.
#[inline(always)]
fn decode_horizontal_pair(
    r: &mut BitReader,
    cur: &mut [u32],
    n: &mut usize,
    a0_next: u32,
    width: u32,
) -> Result<u32, RowFault> {
    let codes = r.peek(3 + PAIR_BITS) & ((1 << PAIR_BITS) - 1);
    let pair = u32::from(HORIZONTAL_PAIRS[*n & 1][codes as usize]);
    let len = pair >> 12;
    let a1 = a0_next.saturating_sub(1) + (pair & 63);
    let a2 = a1 + ((pair >> 6) & 63);
    // A run past the row end is a fault, which the slow path reports.
    // Both runs are at least 1 long, so a0 <= the last change < a1 < a2:
    // nothing cancels, and a1 is inside the row.
    if len != 0 && a2 <= width {
        if let Some(slots) = cur.get_mut(*n..*n + 2) {
            r.consume_buffered(3 + len);
            slots[0] = a1;
            // a2 at the row end is no change (the slot is free junk then)
            slots[1] = a2;
            *n += 1 + (a2 < width) as usize;
            return Ok(a2 + 1);
        }
    }
    decode_horizontal(r, cur, n, a0_next, width)
}

/// `b1` from scratch after a code that did not simply move it on (the
/// decoder's version of [`super::runs::find_b1`], for a reference list
/// with its guard): the first reference change right of `a0` (`a0_next`
/// is `a0 + 1`, at least 1 here, so the guard 0 is passed; nothing before
/// `jb - 1` is right of it), moved on by one if its colour is the colour
/// at `a0` (the parity of `changes`, the coding row's changes so far; the
/// guard shifts the reference's parity by one). Stops at the first
/// sentinel, as `a0 < width`.
#[inline(always)]
fn find_b1_after_guard(reference: &[u32], jb: usize, a0_next: u32, changes: usize) -> usize {
    let mut j = jb - 1;
    // After a horizontal code, `b1` is some way on, and a branch per
    // reference change would mispredict: count the next eight that lie
    // left of a0 at once (the list is ascending).
    #[cfg(target_arch = "x86_64")]
    if let Some(next) = reference.get(j..).and_then(|rest| rest.first_chunk::<8>()) {
        let left = changes_below(next, a0_next);
        j += left as usize;
        if left < 8 {
            return j + ((j ^ changes ^ 1) & 1);
        }
    }
    while reference[j] < a0_next {
        j += 1;
    }
    j + ((j ^ changes ^ 1) & 1)
}

/// How many of eight ascending positions lie below `x`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn changes_below(next: &[u32; 8], x: u32) -> u32 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is baseline; the loads read next[0..8].
    // Positions are below 2^31, so signed compares order them.
    unsafe {
        let bound = _mm_set1_epi32(x as i32);
        let low = _mm_loadu_si128(next.as_ptr().cast());
        let high = _mm_loadu_si128(next.as_ptr().add(4).cast());
        let lo = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpgt_epi32(bound, low)));
        let hi = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpgt_epi32(bound, high)));
        // ascending: the ones below form the low bits
        (!(lo | (hi << 4)) as u32).trailing_zeros()
    }
}

/// The loop follows `encode::encode_2d`, with positions kept as `a0 + 1`
/// (so the imaginary `a0 = -1` before the row is 0 and all arithmetic is
/// `u32`). The colour at `a0` is the parity of the changes so far (`n`),
/// and `b1` is tracked as its index `jb` in the reference.
///
/// `reference` starts with a guard (0) and ends with [`DECODE_SENTINELS`]
/// copies of the width (see [`Changes::list_for_decoding`]), so
/// `reference[jb - 1]` is always there, and a group of batches reads at
/// most [`REFERENCE_REACH`] values from `jb` on; `jb` stays at most one
/// past the first sentinel.
///
/// Why it is shaped this way: decoding is bound by dependency chains and
/// instruction count, not by any one slow step. Finding `b1` by searching
/// from `a0` puts a load and compares between one code's `a0` and the next
/// code's `b1`. But on real pages the next `b1` is almost always known
/// without that search:
/// - after a pass code, `a0 = b2` and the next `b1` is exactly two
///   reference changes on (the changes are strictly ascending);
/// - after a vertical code, `a1 = b1 + d` and the next `b1` is the next
///   reference change, unless a reference change lies between the old `b1`
///   and `a1` (a run of at most three pixels on the reference line);
///   exactly: iff `reference[jb - 1] <= a1 < reference[jb + 1]`.
///
/// So one range test per vertical code, `max(reference[jb - 1], a0 + 1)
/// <= x < reference[jb + 1]`, checks at once that the code is well-formed
/// (right of `a0`, inside the row), that the row goes on, and that `jb`
/// can simply move on; a pass code passes unless its `b2` is the row end.
/// Everything else (horizontal codes, faults, zero-length runs, the row
/// end, rare `b1` jumps) falls to the one-code path below it, which
/// decides from the untouched state.
///
/// Batches: even so, one code at a time is bound by the bit reader's
/// chain (refill load, table load, consume, next refill: ~20 cycles).
/// But on the fast path `jb` moves on by a fixed 1 per vertical and 2 per
/// pass code, so the codes alone say which reference change each code of
/// a run is measured from. [`BATCH_TABLE`] decodes from [`BATCH_BITS`]
/// bits up to three pass codes and then up to [`BATCH_SLOTS`] vertical
/// codes at once; the vertical codes' range tests and changes are four
/// SIMD lanes ([`vertical_batch`]), and only if all pass are they
/// committed: bits, `jb`, `n`, `a0` move on at once. The changes are
/// stored unconditionally into `cur` from `n` on (slots past the row's
/// changes are free), so a batch costs no branch but the one on "all
/// passed", which is predictable. If a code fails, the state is untouched
/// and the codes before it plus the failing one go through the one-code
/// path: exactly what it would have done anyway, and the next batch then
/// starts after the failing code instead of failing on it again. One
/// failure is taken in the batch path itself: the code that lands exactly
/// on the row end, which ends nearly every row (its lane fails only the
/// "left of the next reference change" test; the codes up to it are then
/// complete and the row is done).
///
/// Up to [`BATCHES_PER_REFILL`] batches are taken per refill: the next
/// batch's bits are then a shift of the buffer away, so the chain from one
/// table lookup to the next is the lookup, a mask and two shifts, not a
/// refill load as well. A batch with no code at all means that the next
/// code is horizontal (or a fault): its entry carries that code's
/// [`MODE_TABLE`] entry, and the horizontal code is decoded straight away,
/// both runs from one lookup where it can ([`decode_horizontal_pair`]).
///
/// Most horizontal codes follow a batch, and the batch's entry says so
/// when the horizontal code's mode bits are among its peeked bits
/// ([`BATCH_H_NEXT`]): the horizontal code is then decoded straight after
/// the batch. Whether a horizontal code comes next is as hard to predict as
/// the text, so the branch is often mispredicted; taken on this entry, it
/// is resolved one table lookup sooner than on the next batch's entry, and
/// less work is thrown away. Measured over four code layouts (fastest of
/// 400 decodes each): dense text 579-583 -> 563-567 us; the letter, with a
/// quarter as many horizontal codes, stayed within its noise (142-149 ->
/// 146-149 us).
#[inline(always)]
fn decode_2d_changes(
    r: &mut BitReader,
    reference: &[u32],
    cur: &mut [u32],
    width: u32,
) -> Result<usize, RowFault> {
    let mut n = 0usize;
    let mut a0_next = 0u32;
    // b1 of the imaginary white a0 before the row: the first change,
    // after the guard
    let mut jb = 1usize;
    // A group of batches reads and stores inside the lists while jb <=
    // reference_end and n <= store_end: always, as jb is at most the
    // first sentinel + 1 and n at most the width; a failed check would
    // only mean "one code at a time".
    let reference_end = reference.len().saturating_sub(REFERENCE_REACH);
    let store_end = cur.len().saturating_sub(STORE_REACH);
    'row: loop {
        r.refill_always();
        // the codes to take one at a time before the next batch
        let mut singles = 1;
        'batches: {
            if jb > reference_end || n > store_end {
                break 'batches;
            }
            // Up to BATCHES_PER_REFILL batches from one refill: the next
            // batch's bits are a shift away, not a load that waits for
            // the consumed count.
            for _ in 0..BATCHES_PER_REFILL {
                let batch = BATCH_TABLE[r.peek(BATCH_BITS) as usize];
                if batch & BATCH_CODES == 0 {
                    // No vertical or pass code: the entry holds the next
                    // code's mode.
                    let mode = BATCH_MODE.of(batch);
                    if mode != MODE_H {
                        return Err(mode_fault(mode));
                    }
                    a0_next = decode_horizontal_pair(r, cur, &mut n, a0_next, width)?;
                    if a0_next > width {
                        break 'row;
                    }
                    jb = find_b1_after_guard(reference, jb, a0_next, n);
                    continue 'row;
                }
                let stored = BATCH_STORED.of(batch) as usize;
                let last_lane = BATCH_LAST.of(batch) as usize;
                let (passed, last) = vertical_batch(
                    reference,
                    jb + BATCH_FIRST.of(batch) as usize,
                    cur,
                    n,
                    batch,
                    a0_next.wrapping_sub(1),
                    last_lane,
                );
                // The lanes after the last hold no code: the batch is
                // complete when the lanes up to it passed (a count of
                // trailing ones; a mask of the empty lanes cost more).
                let failed = passed.trailing_ones() as usize;
                if failed <= last_lane {
                    let advance = BATCH_JB.of(batch);
                    let passes = (advance - stored as u32) / 2;
                    // The row's last code is a vertical code that lands on
                    // the row end: its lane fails only the "left of the
                    // next reference change" test (landing there from
                    // b1 < width, or on b1 = the first sentinel), and the
                    // lanes after it hold the next row's codes. Every row
                    // ends so (but for a horizontal or pass code), so it
                    // is taken here rather than code by code. The test is
                    // one branch, not four: which lane holds the row end
                    // is as unpredictable as the row (`failed <= last_lane
                    // < 4` and n <= store_end: the index is in bounds).
                    let lands_on_end = cur[n + failed] == width;
                    if (failed < stored) & lands_on_end & ((failed > 0) | (passes == 0)) {
                        let deltas = BATCH_DELTAS.of(batch);
                        r.consume_buffered(4 * passes + vertical_code_bits(deltas, failed + 1));
                        n += failed;
                        break 'row;
                    }
                    singles = passes + failed as u32 + 1;
                    break 'batches;
                }
                // at least 56 - BATCH_BITS * BATCHES_PER_REFILL bits are
                // still buffered
                r.consume_buffered(BATCH_LEN.of(batch));
                jb += BATCH_JB.of(batch) as usize;
                n += stored;
                a0_next = last + 1;
                // The horizontal code is decoded here and in the branch
                // above, not at one shared place after the loop: with one
                // place the letter decoded in 150.8 us instead of 142.8
                // (dense text equal); probably its branches predict better
                // with a site for each way of getting there.
                if batch & BATCH_H_NEXT != 0 {
                    a0_next = decode_horizontal_pair(r, cur, &mut n, a0_next, width)?;
                    if a0_next > width {
                        break 'row;
                    }
                    jb = find_b1_after_guard(reference, jb, a0_next, n);
                    continue 'row;
                }
            }
            continue 'row;
        }
        for _ in 0..singles {
            r.refill_always();
            let e = MODE_TABLE[r.peek(MODE_BITS) as usize];
            let mode = (e >> 8) & 0xFF;
            if mode <= MODE_P {
                // 1 for a pass code: measured from b2, and no change
                let pass = (mode == MODE_P) as usize;
                let base = reference[jb + pass];
                let limit = reference[jb + pass + 1];
                // wraps to a huge value left of the row: fails the test
                let x = (base + ((e >> 16) & 0xFF)).wrapping_sub(3);
                let lo = reference[jb - 1].max(a0_next);
                // lo <= limit always (a0 < b1 <= limit), so this is
                // lo <= x < limit
                if x.wrapping_sub(lo) < limit - lo {
                    // at least MODE_BITS are buffered, and no code is longer
                    r.consume_buffered(e & 0xFF);
                    cur[n] = x;
                    n += 1 - pass;
                    a0_next = x + 1;
                    jb += 1 + pass;
                    continue;
                }
            }
            if mode == MODE_V {
                r.consume_buffered(e & 0xFF);
                let a1 = (reference[jb] + ((e >> 16) & 0xFF)).wrapping_sub(3);
                if a1 > width {
                    return Err(RowFault::ReferencePastRowEnd);
                } else if a1.wrapping_add(1) < a0_next {
                    return Err(RowFault::ChangeBeforeA0);
                }
                // a1 = a0: if a0 is a stored change, the two cancel
                if a1 < width {
                    push_change(cur, &mut n, a1);
                }
                a0_next = a1 + 1;
            } else if mode == MODE_P {
                r.consume_buffered(e & 0xFF);
                a0_next = reference[jb + 1] + 1;
            } else if mode == MODE_H {
                a0_next = decode_horizontal_pair(r, cur, &mut n, a0_next, width)?;
            } else {
                return Err(mode_fault(mode));
            }
            if a0_next > width {
                break 'row;
            }
            jb = find_b1_after_guard(reference, jb, a0_next, n);
        }
    }
    cur[n..n + DECODE_SENTINELS].fill(width);
    Ok(n)
}

/// The length of a batch's first `codes` vertical codes (1 to
/// [`BATCH_SLOTS`]), from their three-bit `delta + 3` fields (see
/// [`BATCH_TABLE`]).
///
/// All four running totals are summed and one is picked: summing only
/// the first `codes` compiled to a branch per lane, and `codes` is where
/// a row ends, which the branch predictor cannot know.
#[inline(always)]
pub(crate) fn vertical_code_bits(deltas: u32, codes: usize) -> u32 {
    // indexed by delta + 3 (0..=6; 7 never occurs)
    const LENGTHS: [u32; 8] = {
        let mut lengths = [0; 8];
        let mut i = 0;
        while i < MODE_VERTICAL.len() {
            lengths[i] = MODE_VERTICAL[i].len as u32;
            i += 1;
        }
        lengths
    };
    debug_assert!((1..=BATCH_SLOTS).contains(&codes));
    let mut totals = [0u32; BATCH_SLOTS];
    let mut bits = 0;
    for (k, total) in totals.iter_mut().enumerate() {
        bits += LENGTHS[((deltas >> (3 * k)) & 7) as usize];
        *total = bits;
    }
    totals[(codes - 1) & (BATCH_SLOTS - 1)]
}

/// Whether at least `n` zero bits follow, or only zeros until the end of
/// the data (byte padding after the last code). No row starts with 8 zeros
/// (G3) or 7 zeros (G4), so either means an EOL or the end.
fn zeros_or_end_ahead(r: &mut BitReader, n: u32) -> bool {
    let zeros = r.zeros_ahead();
    zeros >= n || zeros as u64 == r.bits_left()
}

/// Whether a row fault is really the data running out: a code read past
/// the end, or the zeros an EOL check sees at the end of the data.
fn ended_early(r: &BitReader, fault: RowFault) -> bool {
    r.overrun() || (fault == RowFault::EolInsideRow && r.rest_is_zero())
}

/// After a complete G3 row: the next thing must be an EOL or the end.
fn expect_row_end(r: &mut BitReader) -> Result<(), RowFault> {
    if r.zeros_ahead() >= 11 || r.rest_is_zero() {
        Ok(())
    } else {
        Err(RowFault::RowTooLong)
    }
}

/// Whether anything that looks like another row follows (used when the
/// row cap was reached, to tell "capped" from "done"). For MR, the tag bit
/// after the EOL is skipped first.
fn more_rows_follow(r: &BitReader, skip_tag: bool) -> bool {
    let mut probe = r.clone();
    if skip_tag {
        probe.consume(1);
    }
    !(probe.bits_left() == 0 || probe.zeros_ahead() >= 8 || probe.rest_is_zero())
}

fn note_cap(sink: &mut RowSink, opts: &DecodeOptions, more: bool) {
    let wanted_more = opts.rows.is_some_and(|n| n > opts.max_rows);
    if sink.rows >= opts.max_rows && (wanted_more || (opts.rows.is_none() && more)) {
        let row = sink.rows;
        sink.note_fault(
            row,
            "row limit reached; the rest of the page was not decoded",
        );
        sink.truncated = true;
    }
}

/// G3: MH (`two_d` false) or MR (`two_d` true).
pub(crate) fn decode_g3(data: &[u8], opts: &DecodeOptions, two_d: bool) -> Decoded {
    let width = opts.width;
    let target = opts.rows.unwrap_or(u32::MAX).min(opts.max_rows);
    let input = PaddedInput::new(data);
    let mut r = input.reader();
    let mut sink = RowSink::new(width, target, data.len());
    if target == 0 {
        return sink.finish(opts);
    }

    // Sync on the first EOL, skipping anything before it. Some writers
    // start straight with a row: accept that if a whole 1-D row decodes
    // and an EOL follows it.
    let mut synced = if r.zeros_ahead() >= 8 {
        r.find_eol()
    } else {
        let mut probe = r.clone();
        let first_row_ok = decode_1d_row(&mut probe, &mut sink.current, width).is_ok()
            && !probe.overrun()
            && probe.zeros_ahead() >= 11;
        if first_row_ok {
            r = probe;
            sink.push_current();
        }
        r.find_eol()
    };
    if !synced && sink.rows == 0 {
        sink.note_fault(0, "no EOL found (not G3 data?)");
        sink.truncated = true;
    }

    // MR after damage: 2-D rows have no good reference until a 1-D row.
    let mut need_1d = false;
    while synced && sink.rows < target {
        // Just after an EOL. Zeros now mean the end: either the data
        // stops here or another EOL follows (RTC).
        if zeros_or_end_ahead(&mut r, 8) {
            break;
        }
        let one_d = if two_d {
            let tag = r.peek(1) == 1;
            r.consume(1);
            if zeros_or_end_ahead(&mut r, 8) {
                break;
            }
            tag
        } else {
            true
        };
        let y = sink.rows;
        if !one_d && need_1d {
            sink.push_repaired("2-D row after a damaged row");
            synced = r.find_eol();
            continue;
        }
        let result = if one_d {
            decode_1d_row(&mut r, &mut sink.current, width)
        } else {
            let (reference, current) = sink.lists_for_2d();
            decode_2d_row(&mut r, reference, current, width)
        }
        .and_then(|()| expect_row_end(&mut r));
        match result {
            Ok(()) if !r.overrun() => {
                sink.push_current();
                need_1d = false;
            }
            Err(fault) if !ended_early(&r, fault) => {
                sink.push_repaired(fault.describe());
                need_1d = two_d;
            }
            _ => {
                sink.note_data_ended(y);
                break;
            }
        }
        synced = r.find_eol();
    }
    if sink.rows >= opts.max_rows {
        let more = synced && more_rows_follow(&r, two_d);
        note_cap(&mut sink, opts, more);
    }
    sink.finish(opts)
}

/// At the start of a G4 row, whether what follows is EOFB (or a lone EOL,
/// or padding): no row starts with seven zeros, so any EOL here ends the
/// page.
fn at_end_marker(r: &BitReader) -> bool {
    let mut probe = r.clone();
    let zeros = probe.skip_zeros();
    zeros >= 11 || probe.bits_left() == 0
}

/// How many of the next rows (at most `most`) say "the same as the
/// reference row"; consumes their codes. A row equal to its reference with
/// `k` changes is exactly `k + 1` V0 codes, each a single 1 bit (each
/// change lands on the next reference change, the last code on the row
/// end), and decoding `k + 1` ones from a row start gives that row
/// whatever wrote them: the general loop would reach the same changes,
/// one code at a time. So a run of ones holds as many repeats as whole
/// groups of `k + 1` fit in it (the rest starts the next row). Blank rows
/// under a blank row (one bit each: margins, gaps between lines) are half
/// of a typical text page, and come in long runs.
#[inline]
fn repeats_of_reference(r: &mut BitReader, reference_changes: usize, most: u32) -> u32 {
    // at most 24 ones are counted; longer repeats take the general path
    if reference_changes >= 24 {
        return 0;
    }
    let codes = reference_changes as u32 + 1;
    let ones = r.ones_ahead();
    // Most rows are not repeats, and a repeat of a blank row is one bit:
    // no division for them. It is on the path from a row's last code to
    // the next row's first, which every row waits on: a page of 2156
    // two-change rows decoded in 43 us instead of 59.
    if ones < codes {
        return 0;
    }
    let rows = if codes == 1 { ones } else { ones / codes }.min(most);
    r.consume(rows * codes);
    rows
}

/// G4 (MMR).
pub(crate) fn decode_g4(data: &[u8], opts: &DecodeOptions) -> Decoded {
    let width = opts.width;
    let target = opts.rows.unwrap_or(u32::MAX).min(opts.max_rows);
    let input = PaddedInput::new(data);
    let mut r = input.reader();
    let mut sink = RowSink::new(width, target, data.len());
    while sink.rows < target {
        if zeros_or_end_ahead(&mut r, 7) && at_end_marker(&r) {
            break;
        }
        let changes = sink.reference.real().len();
        let repeats = repeats_of_reference(&mut r, changes, target - sink.rows);
        if repeats > 0 {
            // the reference (the last row) stays as it is
            sink.push_copies_of_last(repeats);
            continue;
        }
        let y = sink.rows;
        let (reference, current) = sink.lists_for_2d();
        match decode_2d_row(&mut r, reference, current, width) {
            Ok(()) if !r.overrun() => sink.push_current(),
            outcome => {
                sink.stop(y, outcome.err().filter(|&f| !ended_early(&r, f)));
                break;
            }
        }
    }
    if sink.rows >= opts.max_rows {
        let more = more_rows_follow(&r, false);
        note_cap(&mut sink, opts, more);
    }
    sink.finish(opts)
}

/// TIFF Compression 2: MH codes, no EOLs, every row starts on a byte.
pub(crate) fn decode_mh_rle(data: &[u8], opts: &DecodeOptions) -> Decoded {
    let width = opts.width;
    let target = opts.rows.unwrap_or(u32::MAX).min(opts.max_rows);
    let input = PaddedInput::new(data);
    let mut r = input.reader();
    let mut sink = RowSink::new(width, target, data.len());
    while sink.rows < target {
        if r.bits_left() == 0 || r.rest_is_zero() {
            break;
        }
        let y = sink.rows;
        match decode_1d_row(&mut r, &mut sink.current, width) {
            Ok(()) if !r.overrun() => {
                sink.push_current();
                r.align_to_byte();
            }
            outcome => {
                sink.stop(y, outcome.err().filter(|&f| !ended_early(&r, f)));
                break;
            }
        }
    }
    if sink.rows >= opts.max_rows {
        let more = !(r.bits_left() == 0 || r.rest_is_zero());
        note_cap(&mut sink, opts, more);
    }
    sink.finish(opts)
}
