//! The T.4 / T.6 code tables, for encoding and as lookup tables for decoding.
//!
//! Encoding uses the code lists directly (`(code, length)` per run length).
//! Decoding peeks a fixed number of bits (12 for white runs, 13 for black,
//! 7 for 2-D modes) and finds the code, its length and its meaning in one
//! array access; the 2-D decoder's fast path peeks 12 bits and finds up to
//! three pass codes and four vertical codes at once ([`BATCH_TABLE`]), and
//! both runs of a horizontal code from one lookup ([`HORIZONTAL_PAIRS`]).
//! The decode tables
//! are built at compile time from the same code lists, so the two
//! directions cannot disagree.

/// A code: its bits (right-aligned) and its length in bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Code {
    pub bits: u16,
    pub len: u8,
}

const fn c(bits: u16, len: u8) -> Code {
    Code { bits, len }
}

/// End of line: 11 zeros and a one.
pub(crate) const EOL: Code = c(0x001, 12);

/// White terminating codes, run lengths 0..=63.
pub(crate) const WHITE_TERM: [Code; 64] = [
    c(0b00110101, 8),
    c(0b000111, 6),
    c(0b0111, 4),
    c(0b1000, 4),
    c(0b1011, 4),
    c(0b1100, 4),
    c(0b1110, 4),
    c(0b1111, 4),
    c(0b10011, 5),
    c(0b10100, 5),
    c(0b00111, 5),
    c(0b01000, 5),
    c(0b001000, 6),
    c(0b000011, 6),
    c(0b110100, 6),
    c(0b110101, 6),
    c(0b101010, 6),
    c(0b101011, 6),
    c(0b0100111, 7),
    c(0b0001100, 7),
    c(0b0001000, 7),
    c(0b0010111, 7),
    c(0b0000011, 7),
    c(0b0000100, 7),
    c(0b0101000, 7),
    c(0b0101011, 7),
    c(0b0010011, 7),
    c(0b0100100, 7),
    c(0b0011000, 7),
    c(0b00000010, 8),
    c(0b00000011, 8),
    c(0b00011010, 8),
    c(0b00011011, 8),
    c(0b00010010, 8),
    c(0b00010011, 8),
    c(0b00010100, 8),
    c(0b00010101, 8),
    c(0b00010110, 8),
    c(0b00010111, 8),
    c(0b00101000, 8),
    c(0b00101001, 8),
    c(0b00101010, 8),
    c(0b00101011, 8),
    c(0b00101100, 8),
    c(0b00101101, 8),
    c(0b00000100, 8),
    c(0b00000101, 8),
    c(0b00001010, 8),
    c(0b00001011, 8),
    c(0b01010010, 8),
    c(0b01010011, 8),
    c(0b01010100, 8),
    c(0b01010101, 8),
    c(0b00100100, 8),
    c(0b00100101, 8),
    c(0b01011000, 8),
    c(0b01011001, 8),
    c(0b01011010, 8),
    c(0b01011011, 8),
    c(0b01001010, 8),
    c(0b01001011, 8),
    c(0b00110010, 8),
    c(0b00110011, 8),
    c(0b00110100, 8),
];

/// White make-up codes, run lengths 64, 128, ..., 1728 (index n/64 - 1).
pub(crate) const WHITE_MAKEUP: [Code; 27] = [
    c(0b11011, 5),
    c(0b10010, 5),
    c(0b010111, 6),
    c(0b0110111, 7),
    c(0b00110110, 8),
    c(0b00110111, 8),
    c(0b01100100, 8),
    c(0b01100101, 8),
    c(0b01101000, 8),
    c(0b01100111, 8),
    c(0b011001100, 9),
    c(0b011001101, 9),
    c(0b011010010, 9),
    c(0b011010011, 9),
    c(0b011010100, 9),
    c(0b011010101, 9),
    c(0b011010110, 9),
    c(0b011010111, 9),
    c(0b011011000, 9),
    c(0b011011001, 9),
    c(0b011011010, 9),
    c(0b011011011, 9),
    c(0b010011000, 9),
    c(0b010011001, 9),
    c(0b010011010, 9),
    c(0b011000, 6),
    c(0b010011011, 9),
];

/// Black terminating codes, run lengths 0..=63.
pub(crate) const BLACK_TERM: [Code; 64] = [
    c(0b0000110111, 10),
    c(0b010, 3),
    c(0b11, 2),
    c(0b10, 2),
    c(0b011, 3),
    c(0b0011, 4),
    c(0b0010, 4),
    c(0b00011, 5),
    c(0b000101, 6),
    c(0b000100, 6),
    c(0b0000100, 7),
    c(0b0000101, 7),
    c(0b0000111, 7),
    c(0b00000100, 8),
    c(0b00000111, 8),
    c(0b000011000, 9),
    c(0b0000010111, 10),
    c(0b0000011000, 10),
    c(0b0000001000, 10),
    c(0b00001100111, 11),
    c(0b00001101000, 11),
    c(0b00001101100, 11),
    c(0b00000110111, 11),
    c(0b00000101000, 11),
    c(0b00000010111, 11),
    c(0b00000011000, 11),
    c(0b000011001010, 12),
    c(0b000011001011, 12),
    c(0b000011001100, 12),
    c(0b000011001101, 12),
    c(0b000001101000, 12),
    c(0b000001101001, 12),
    c(0b000001101010, 12),
    c(0b000001101011, 12),
    c(0b000011010010, 12),
    c(0b000011010011, 12),
    c(0b000011010100, 12),
    c(0b000011010101, 12),
    c(0b000011010110, 12),
    c(0b000011010111, 12),
    c(0b000001101100, 12),
    c(0b000001101101, 12),
    c(0b000011011010, 12),
    c(0b000011011011, 12),
    c(0b000001010100, 12),
    c(0b000001010101, 12),
    c(0b000001010110, 12),
    c(0b000001010111, 12),
    c(0b000001100100, 12),
    c(0b000001100101, 12),
    c(0b000001010010, 12),
    c(0b000001010011, 12),
    c(0b000000100100, 12),
    c(0b000000110111, 12),
    c(0b000000111000, 12),
    c(0b000000100111, 12),
    c(0b000000101000, 12),
    c(0b000001011000, 12),
    c(0b000001011001, 12),
    c(0b000000101011, 12),
    c(0b000000101100, 12),
    c(0b000001011010, 12),
    c(0b000001100110, 12),
    c(0b000001100111, 12),
];

/// Black make-up codes, run lengths 64, 128, ..., 1728 (index n/64 - 1).
pub(crate) const BLACK_MAKEUP: [Code; 27] = [
    c(0b0000001111, 10),
    c(0b000011001000, 12),
    c(0b000011001001, 12),
    c(0b000001011011, 12),
    c(0b000000110011, 12),
    c(0b000000110100, 12),
    c(0b000000110101, 12),
    c(0b0000001101100, 13),
    c(0b0000001101101, 13),
    c(0b0000001001010, 13),
    c(0b0000001001011, 13),
    c(0b0000001001100, 13),
    c(0b0000001001101, 13),
    c(0b0000001110010, 13),
    c(0b0000001110011, 13),
    c(0b0000001110100, 13),
    c(0b0000001110101, 13),
    c(0b0000001110110, 13),
    c(0b0000001110111, 13),
    c(0b0000001010010, 13),
    c(0b0000001010011, 13),
    c(0b0000001010100, 13),
    c(0b0000001010101, 13),
    c(0b0000001011010, 13),
    c(0b0000001011011, 13),
    c(0b0000001100100, 13),
    c(0b0000001100101, 13),
];

/// Extended make-up codes shared by both colours, 1792, 1856, ..., 2560
/// (index n/64 - 28).
pub(crate) const EXT_MAKEUP: [Code; 13] = [
    c(0b00000001000, 11),
    c(0b00000001100, 11),
    c(0b00000001101, 11),
    c(0b000000010010, 12),
    c(0b000000010011, 12),
    c(0b000000010100, 12),
    c(0b000000010101, 12),
    c(0b000000010110, 12),
    c(0b000000010111, 12),
    c(0b000000011100, 12),
    c(0b000000011101, 12),
    c(0b000000011110, 12),
    c(0b000000011111, 12),
];

/// The longest run a single make-up code covers.
pub(crate) const MAX_MAKEUP: u32 = 2560;

/// 2-D mode codes.
pub(crate) const MODE_PASS: Code = c(0b0001, 4);
pub(crate) const MODE_HORIZONTAL: Code = c(0b001, 3);
/// Vertical codes indexed by `delta + 3` (VL3, VL2, VL1, V0, VR1, VR2, VR3).
pub(crate) const MODE_VERTICAL: [Code; 7] = [
    c(0b0000010, 7),
    c(0b000010, 6),
    c(0b010, 3),
    c(0b1, 1),
    c(0b011, 3),
    c(0b000011, 6),
    c(0b0000011, 7),
];

// ---------------------------------------------------------------------------
// Decode tables
// ---------------------------------------------------------------------------

/// Bits peeked to decode a white run code (longest white code: 12).
pub(crate) const WHITE_BITS: u32 = 12;
/// Bits peeked to decode a black run code (longest black code: 13).
pub(crate) const BLACK_BITS: u32 = 13;
/// Bits peeked to decode a 2-D mode code (longest mode code: 7).
pub(crate) const MODE_BITS: u32 = 7;

/// What a run-table entry means. An entry is a `u16` (so the white and
/// black tables take 8 and 16 KB and share the L1 cache with the 2-D
/// tables): bits 0..12 the run length, bits 12..16 the code length. A
/// code length of 0 means no code, and the low bits then say which kind
/// below; otherwise the kind follows from the run length (make-up codes
/// are multiples of 64 from 64 on, terminating codes below 64).
pub(crate) const KIND_INVALID: u32 = 0;
/// Kinds of real codes, which the decoder tells by the run length; the
/// tests ask [`entry_kind`] for them.
#[cfg(test)]
pub(crate) const KIND_TERM: u32 = 1;
#[cfg(test)]
pub(crate) const KIND_MAKEUP: u32 = 2;
/// Eleven or more zero bits: an EOL (possibly preceded by fill).
pub(crate) const KIND_EOL: u32 = 3;

/// The run length of a run-table entry (for `len == 0`, the kind).
#[inline(always)]
pub(crate) const fn entry_value(e: u32) -> u32 {
    e & 0xFFF
}
/// The code length of a run-table entry; 0 for no code.
#[inline(always)]
pub(crate) const fn entry_len(e: u32) -> u32 {
    e >> 12
}
#[cfg(test)]
pub(crate) const fn entry_kind(e: u32) -> u32 {
    if entry_len(e) == 0 {
        entry_value(e)
    } else if entry_value(e) < 64 {
        KIND_TERM
    } else {
        KIND_MAKEUP
    }
}

/// The entry of a code of `len` bits for a run of `value` pixels.
const fn code_entry(value: u32, len: u32) -> u16 {
    (value | (len << 12)) as u16
}

/// The entry of a slot that holds no code: `kind` is EOL or invalid.
const fn no_code(kind: u32) -> u16 {
    kind as u16
}

/// Fills every table slot whose first `code.len` bits equal the code.
const fn put<T: Copy, const N: usize>(table: &mut [T; N], bits: u32, code: Code, e: T) {
    let shift = bits - code.len as u32;
    let start = (code.bits as usize) << shift;
    let end = ((code.bits as usize) + 1) << shift;
    let mut i = start;
    while i < end {
        table[i] = e;
        i += 1;
    }
}

const fn build_run_table<const N: usize>(
    bits: u32,
    term: &[Code; 64],
    makeup: &[Code; 27],
) -> [u16; N] {
    let mut t = [no_code(KIND_INVALID); N];
    let mut i = 0;
    while i < 64 {
        put(
            &mut t,
            bits,
            term[i],
            code_entry(i as u32, term[i].len as u32),
        );
        i += 1;
    }
    i = 0;
    while i < 27 {
        let run = (i as u32 + 1) * 64;
        put(
            &mut t,
            bits,
            makeup[i],
            code_entry(run, makeup[i].len as u32),
        );
        i += 1;
    }
    i = 0;
    while i < 13 {
        let run = (i as u32 + 28) * 64;
        let code = EXT_MAKEUP[i];
        put(&mut t, bits, code, code_entry(run, code.len as u32));
        i += 1;
    }
    // Slots starting with 11 zeros: EOL, or fill bits before an EOL. The
    // decoder treats both as "an EOL begins here" and syncs on it; the code
    // length is left 0 because EOL handling consumes its own bits.
    let zeros_span = 1usize << (bits - 11);
    i = 0;
    while i < zeros_span {
        t[i] = no_code(KIND_EOL);
        i += 1;
    }
    t
}

/// White run lookup, indexed by the next 12 bits.
pub(crate) static WHITE_TABLE: [u16; 1 << WHITE_BITS] =
    build_run_table::<{ 1 << WHITE_BITS }>(WHITE_BITS, &WHITE_TERM, &WHITE_MAKEUP);
/// Black run lookup, indexed by the next 13 bits.
pub(crate) static BLACK_TABLE: [u16; 1 << BLACK_BITS] =
    build_run_table::<{ 1 << BLACK_BITS }>(BLACK_BITS, &BLACK_TERM, &BLACK_MAKEUP);

/// A decoded 2-D mode. Entries of [`MODE_TABLE`]: bits 0..8 the code length,
/// bits 8..16 the mode below, bits 16..24 the vertical delta + 3. Vertical
/// and pass modes, the ones the decoder
/// handles on one path, are the two lowest numbers; a pass code reads as
/// "delta 0 from the reference change one further on" (`b2` instead of
/// `b1`), which is what lets that path treat both alike.
pub(crate) const MODE_V: u32 = 0;
pub(crate) const MODE_P: u32 = 1;
pub(crate) const MODE_H: u32 = 2;
pub(crate) const MODE_INVALID: u32 = 3;
/// 0000001: extension (uncompressed mode), which we do not support.
pub(crate) const MODE_EXT: u32 = 4;
/// 0000000: the start of an EOL (or EOFB), or garbage.
pub(crate) const MODE_ZEROS: u32 = 5;

const fn mode_entry(len: u32, mode: u32, delta3: u32) -> u32 {
    len | (mode << 8) | (delta3 << 16)
}

const fn build_mode_table() -> [u32; 1 << MODE_BITS] {
    let mut t = [mode_entry(0, MODE_INVALID, 0); 1 << MODE_BITS];
    put(&mut t, MODE_BITS, MODE_PASS, mode_entry(4, MODE_P, 3));
    put(&mut t, MODE_BITS, MODE_HORIZONTAL, mode_entry(3, MODE_H, 0));
    let mut i = 0;
    while i < 7 {
        let code = MODE_VERTICAL[i];
        put(
            &mut t,
            MODE_BITS,
            code,
            mode_entry(code.len as u32, MODE_V, i as u32),
        );
        i += 1;
    }
    t[1] = mode_entry(7, MODE_EXT, 0);
    t[0] = mode_entry(0, MODE_ZEROS, 0);
    t
}

/// 2-D mode lookup, indexed by the next 7 bits.
pub(crate) static MODE_TABLE: [u32; 1 << MODE_BITS] = build_mode_table();

/// Bits peeked to decode a batch of vertical and pass codes (see
/// [`BATCH_TABLE`]). 4096 `u32` entries are 16 KB; with the 16 KB of
/// [`HORIZONTAL_PAIRS`], that is two thirds of the 48 KB L1 data cache of
/// the machine it was measured on.
pub(crate) const BATCH_BITS: u32 = 12;
/// At most this many vertical codes are decoded per batch (one SIMD lane
/// each).
pub(crate) const BATCH_SLOTS: usize = 4;
/// How far a batch moves `jb` at most: two pass codes (8 bits) and four
/// V0 codes.
pub(crate) const BATCH_MAX_ADVANCE: usize = 8;

/// A batch entry: the codes at the start of `BATCH_BITS` bits that the
/// 2-D decoder's batch path takes at once (`decode::decode_2d_changes`
/// explains how): up to three pass codes, then up to [`BATCH_SLOTS`]
/// vertical codes. In such a run everything but the reference values is
/// known from the bits alone: each pass code moves `b1` on by two
/// reference changes and stores nothing, so vertical code `k` after `p`
/// pass codes is measured from the reference change `jb + 2p + k` and
/// stores the row's next change.
///
/// Layout (from bit 0; each field's place and width is its [`BatchField`]
/// constant, which the builder, the decoder and the tests all use):
/// - [`BATCH_LEN`]: the batch's total code length;
/// - [`BATCH_STORED`]: how many vertical codes (changes stored), `m`;
/// - [`BATCH_JB`]: how far `jb` moves on, `2p + m`;
/// - [`BATCH_FIRST`]: the reference change lane 0 is measured from,
///   counted from `jb`;
/// - [`BATCH_LAST`]: the last lane that holds a code, whose result is the
///   batch's new `a0` (the lanes after it hold none);
/// - [`BATCH_DELTAS`]: 3 bits per lane, `delta + 3` (0 for a lane with no
///   code);
/// - bit 30 ([`BATCH_H_NEXT`]) set if the codes are followed by a
///   horizontal code whose mode bits are among the peeked ones;
/// - bit 31 ([`BATCH_CODES`]) set.
///
/// Why 32 bits: the 64-bit entries this table had before (a byte per
/// lane's delta, a mask of the empty lanes) made it 32 KB, which with the
/// pair and run tables overflowed the 48 KB L1 data cache while the page
/// being painted streams through it (cachegrind: ~1,950 L1 misses per
/// letter decode on this table alone, on the chain from one batch's bits
/// to the next). Halved, the letter decoded ~3 % faster and dense text
/// ~1 %, though widening the packed deltas cost a few more instructions
/// per batch. The lanes after [`BATCH_LAST`] hold no code (their deltas
/// are 0), and the decoder only asks whether the lanes up to it passed.
///
/// Lane `k` holds vertical code `k`, measured from `jb + 2p + k`. A batch
/// of pass codes only has one lane too: "delta 0 from the last pass code's
/// `b2`", whose test (right of that pass code's `b1`, left of the next
/// reference change) passes exactly when the pass codes are well-formed,
/// and whose result is the new `a0`; it stores no change.
///
/// An entry with no code at all (bit 31 clear: the next code is
/// horizontal, an extension, zeros or invalid; a vertical or pass code
/// always fits) holds the next code's mode (from [`MODE_TABLE`]) in
/// [`BATCH_MODE`], which saves the decoder a second lookup.
pub(crate) static BATCH_TABLE: [u32; 1 << BATCH_BITS] = build_batch_table();

/// A field of a [`BATCH_TABLE`] entry: where it starts and how wide it is.
#[derive(Clone, Copy)]
pub(crate) struct BatchField {
    shift: u32,
    bits: u32,
}

impl BatchField {
    /// The field's value in `entry`.
    #[inline(always)]
    pub(crate) const fn of(self, entry: u32) -> u32 {
        (entry >> self.shift) & ((1 << self.bits) - 1)
    }

    /// `value` in the field's place; it must fit (the table is built at
    /// compile time, so a value too wide stops the build).
    pub(crate) const fn put(self, value: u32) -> u32 {
        assert!(value < 1 << self.bits);
        value << self.shift
    }
}

pub(crate) const BATCH_LEN: BatchField = BatchField { shift: 0, bits: 4 };
pub(crate) const BATCH_STORED: BatchField = BatchField { shift: 4, bits: 3 };
pub(crate) const BATCH_JB: BatchField = BatchField { shift: 7, bits: 4 };
pub(crate) const BATCH_FIRST: BatchField = BatchField { shift: 11, bits: 3 };
pub(crate) const BATCH_LAST: BatchField = BatchField { shift: 14, bits: 2 };
pub(crate) const BATCH_DELTAS: BatchField = BatchField {
    shift: 16,
    bits: 3 * BATCH_SLOTS as u32,
};
// `decode::vertical_batch_sse2` reads the deltas as the entry's upper half.
const _: () = assert!(BATCH_DELTAS.shift == 16);
/// Only in entries with no code, in place of the others.
pub(crate) const BATCH_MODE: BatchField = BatchField { shift: 16, bits: 8 };
/// Set in entries that hold at least one code.
pub(crate) const BATCH_CODES: u32 = 1 << 31;
/// Set in entries whose codes are followed by a horizontal code's mode
/// bits, inside the bits peeked.
pub(crate) const BATCH_H_NEXT: u32 = 1 << 30;

const fn build_batch_table() -> [u32; 1 << BATCH_BITS] {
    let mut t = [0u32; 1 << BATCH_BITS];
    let mut index = 0;
    while index < (1 << BATCH_BITS) {
        let mut used = 0u32; // bits taken by the codes so far
        let mut passes = 0u32;
        let mut verticals = 0u32;
        let mut deltas = 0u32;
        while (verticals as usize) < BATCH_SLOTS {
            // the next MODE_BITS bits, zeros past the peeked ones
            let rest = ((index as u32) << used) & ((1 << BATCH_BITS) - 1);
            let m = MODE_TABLE[(rest >> (BATCH_BITS - MODE_BITS)) as usize];
            let len = m & 0xFF;
            let mode = (m >> 8) & 0xFF;
            // pass codes only before the first vertical one
            let fits = len != 0 && used + len <= BATCH_BITS;
            if !fits || !(mode == MODE_V || (mode == MODE_P && verticals == 0)) {
                break;
            }
            if mode == MODE_P {
                passes += 1;
            } else {
                deltas |= ((m >> 16) & 0x7) << (3 * verticals);
                verticals += 1;
            }
            used += len;
        }
        if passes + verticals == 0 {
            // no batch: the next code's MODE_TABLE entry instead
            let m = MODE_TABLE[index >> (BATCH_BITS - MODE_BITS)];
            t[index] = BATCH_MODE.put((m >> 8) & 0xFF);
        } else {
            // pass codes only: one lane, delta 0 from the last b2
            let (lanes, first, deltas) = if verticals == 0 {
                (1, 2 * passes - 1, 3)
            } else {
                (verticals, 2 * passes, deltas)
            };
            // a horizontal code right after the batch, inside the bits (its
            // mode code ends in a one: zeros past the bits never make one)
            let rest = ((index as u32) << used) & ((1 << BATCH_BITS) - 1);
            let next = MODE_TABLE[(rest >> (BATCH_BITS - MODE_BITS)) as usize];
            let h_next = (next >> 8) & 0xFF == MODE_H;
            t[index] = BATCH_LEN.put(used)
                | if h_next { BATCH_H_NEXT } else { 0 }
                | BATCH_STORED.put(verticals)
                | BATCH_JB.put(2 * passes + verticals)
                | BATCH_FIRST.put(first)
                | BATCH_LAST.put(lanes - 1)
                | BATCH_DELTAS.put(deltas)
                | BATCH_CODES;
        }
        index += 1;
    }
    t
}

/// Bits peeked after a horizontal code's mode bits to decode both of its
/// runs at once (see [`HORIZONTAL_PAIRS`]).
pub(crate) const PAIR_BITS: u32 = 12;

/// The two runs of a horizontal code from one lookup, when both are
/// terminating codes of runs from 1 to 63 that together take at most
/// [`PAIR_BITS`] bits, as most do on text (short white gaps and black
/// strokes). Indexed by the colour of the first run (0 white, 1 black) and
/// the next `PAIR_BITS` bits; an entry is the first run (bits 0..6), the
/// second (bits 6..12) and the two codes' length (bits 12..16), or 0 when
/// the pair is not in the table (a make-up code, a longer pair, an EOL or
/// an invalid code), which the decoder then reads one code at a time.
pub(crate) static HORIZONTAL_PAIRS: [[u16; 1 << PAIR_BITS]; 2] = [
    build_pair_table(&WHITE_TERM, &BLACK_TERM),
    build_pair_table(&BLACK_TERM, &WHITE_TERM),
];

const fn build_pair_table(first: &[Code; 64], second: &[Code; 64]) -> [u16; 1 << PAIR_BITS] {
    let mut t = [0u16; 1 << PAIR_BITS];
    let mut i = 0;
    while i < 64 {
        let mut j = 0;
        while j < 64 {
            let (a, b) = (first[i], second[j]);
            let len = a.len as u32 + b.len as u32;
            // runs of 0 are left out: they can cancel a change, which the
            // decoder's fast path does not check for
            if len <= PAIR_BITS && i > 0 && j > 0 {
                let bits = ((a.bits as u32) << b.len) | b.bits as u32;
                let entry = (i | (j << 6) | ((len as usize) << 12)) as u16;
                put(&mut t, PAIR_BITS, c(bits as u16, len as u8), entry);
            }
            j += 1;
        }
        i += 1;
    }
    t
}

/// Bit-reversed bytes, for FillOrder 2 data.
pub(crate) static REVERSED: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).reverse_bits();
        i += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code must be distinct and no code a prefix of another within
    /// one colour's alphabet (including the shared make-ups and EOL).
    fn assert_prefix_free(codes: &[Code]) {
        for (i, a) in codes.iter().enumerate() {
            for (j, b) in codes.iter().enumerate() {
                if i == j {
                    continue;
                }
                let (short, long) = if a.len <= b.len { (a, b) } else { (b, a) };
                let head = long.bits >> (long.len - short.len);
                assert!(
                    head != short.bits || short.len == long.len && a.bits != b.bits,
                    "{a:?} and {b:?} clash"
                );
            }
        }
    }

    #[test]
    fn alphabets_are_prefix_free() {
        for (term, makeup) in [(&WHITE_TERM, &WHITE_MAKEUP), (&BLACK_TERM, &BLACK_MAKEUP)] {
            let mut all: Vec<Code> = term.to_vec();
            all.extend_from_slice(makeup);
            all.extend_from_slice(&EXT_MAKEUP);
            all.push(EOL);
            assert_prefix_free(&all);
        }
        let mut modes = vec![MODE_PASS, MODE_HORIZONTAL, c(0b0000001, 7), EOL];
        modes.extend_from_slice(&MODE_VERTICAL);
        assert_prefix_free(&modes);
    }

    #[test]
    fn tables_match_the_fax_crate() {
        // An independent transcription of the same ITU tables.
        for n in 0..64u16 {
            let w = fax::maps::white::encode(n).unwrap();
            assert_eq!(
                (w.data, w.len),
                (WHITE_TERM[n as usize].bits, WHITE_TERM[n as usize].len)
            );
            let b = fax::maps::black::encode(n).unwrap();
            assert_eq!(
                (b.data, b.len),
                (BLACK_TERM[n as usize].bits, BLACK_TERM[n as usize].len)
            );
        }
        for i in 0..27 {
            let n = (i as u16 + 1) * 64;
            let w = fax::maps::white::encode(n).unwrap();
            assert_eq!(
                (w.data, w.len),
                (WHITE_MAKEUP[i].bits, WHITE_MAKEUP[i].len),
                "white {n}"
            );
            let b = fax::maps::black::encode(n).unwrap();
            assert_eq!(
                (b.data, b.len),
                (BLACK_MAKEUP[i].bits, BLACK_MAKEUP[i].len),
                "black {n}"
            );
        }
        for (i, ext) in EXT_MAKEUP.iter().enumerate() {
            let n = (i as u16 + 28) * 64;
            let w = fax::maps::white::encode(n).unwrap();
            assert_eq!((w.data, w.len), (ext.bits, ext.len), "ext {n}");
        }
    }

    #[test]
    fn decode_tables_find_every_code() {
        for (n, code) in WHITE_TERM.iter().enumerate() {
            let e = u32::from(WHITE_TABLE[(code.bits as usize) << (WHITE_BITS - code.len as u32)]);
            assert_eq!(entry_kind(e), KIND_TERM);
            assert_eq!(entry_value(e), n as u32);
            assert_eq!(entry_len(e), code.len as u32);
        }
        for (i, code) in BLACK_MAKEUP.iter().enumerate() {
            let e = u32::from(BLACK_TABLE[(code.bits as usize) << (BLACK_BITS - code.len as u32)]);
            assert_eq!(entry_kind(e), KIND_MAKEUP);
            assert_eq!(entry_value(e), (i as u32 + 1) * 64);
        }
        assert_eq!(entry_kind(u32::from(WHITE_TABLE[1])), KIND_EOL);
        assert_eq!(entry_kind(u32::from(BLACK_TABLE[3])), KIND_EOL);
        // 10 zeros then a one is no code at all
        assert_eq!(entry_kind(u32::from(WHITE_TABLE[2])), KIND_INVALID);
        assert_eq!((MODE_TABLE[0b1000000] >> 8) & 0xFF, MODE_V);
        assert_eq!((MODE_TABLE[0b0001000] >> 8) & 0xFF, MODE_P);
        // a pass code is delta 0 from b2; V0 is delta 0 from b1
        assert_eq!(MODE_TABLE[0b0001000] >> 16, 3);
        assert_eq!(MODE_TABLE[0b1000000] >> 16, 3);
        assert_eq!((MODE_TABLE[0b0000011] >> 16) & 0xFF, 6);
        assert_eq!(REVERSED[0b1000_0010], 0b0100_0001);
    }

    /// Left-aligns `codes` in a `bits`-wide table index (cut to `bits`).
    fn index_of(codes: &[Code], bits: u32) -> usize {
        let mut v = 0usize;
        let mut used = 0u32;
        for code in codes {
            v = (v << code.len) | code.bits as usize;
            used += code.len as u32;
        }
        if used > bits {
            v >> (used - bits)
        } else {
            v << (bits - used)
        }
    }

    #[test]
    fn horizontal_pairs_hold_short_terminating_pairs_only() {
        // white 5 (4 bits) then black 3 (2 bits)
        let e = HORIZONTAL_PAIRS[0][index_of(&[WHITE_TERM[5], BLACK_TERM[3]], PAIR_BITS)];
        assert_eq!((e & 63, (e >> 6) & 63, e >> 12), (5, 3, 6));
        // black 0 (10 bits) then white 2 (4 bits): 14 bits, not there
        let e = HORIZONTAL_PAIRS[1][index_of(&[BLACK_TERM[0], WHITE_TERM[2]], PAIR_BITS)];
        assert_eq!(e, 0);
        // a make-up code first: not there
        let e = HORIZONTAL_PAIRS[0][index_of(&[WHITE_MAKEUP[0], BLACK_TERM[3]], PAIR_BITS)];
        assert_eq!(e, 0);
    }

    /// What the decoder relies on in every entry with codes: one lane per
    /// vertical code (one for pass codes alone), `jb` moving on by two per
    /// pass code and one per vertical code, the lanes past the last empty,
    /// and the codes inside the bits peeked.
    #[test]
    fn every_batch_entry_is_consistent() {
        let mut coded = 0;
        for &e in BATCH_TABLE.iter().filter(|&&e| e & BATCH_CODES != 0) {
            coded += 1;
            let (stored, last) = (BATCH_STORED.of(e), BATCH_LAST.of(e));
            assert_eq!(last, stored.max(1) - 1, "entry {e:#x}");
            let passes = BATCH_JB.of(e) - stored;
            assert!(passes.is_multiple_of(2) && passes / 2 <= 3, "entry {e:#x}");
            assert_eq!(BATCH_DELTAS.of(e) >> (3 * (last + 1)), 0, "entry {e:#x}");
            assert!((1..=BATCH_BITS).contains(&BATCH_LEN.of(e)), "entry {e:#x}");
            assert!(
                BATCH_FIRST.of(e) as usize <= BATCH_MAX_ADVANCE,
                "entry {e:#x}"
            );
        }
        // every 12-bit pattern starting with a vertical or pass code
        assert!(coded > (1 << BATCH_BITS) / 2, "{coded} entries with codes");
    }

    #[test]
    fn batches_take_passes_then_verticals() {
        // P, V0, VR1, then a horizontal code: the batch stops before it
        let e = BATCH_TABLE[index_of(
            &[
                MODE_PASS,
                MODE_VERTICAL[3],
                MODE_VERTICAL[4],
                MODE_HORIZONTAL,
            ],
            BATCH_BITS,
        )];
        assert_ne!(e & BATCH_CODES, 0);
        assert_eq!(BATCH_LEN.of(e), 4 + 1 + 3);
        assert_eq!(BATCH_STORED.of(e), 2);
        assert_eq!(BATCH_JB.of(e), 2 + 2);
        assert_eq!(BATCH_FIRST.of(e), 2);
        assert_eq!(BATCH_LAST.of(e), 1);
        assert_eq!(BATCH_DELTAS.of(e) >> (3 * (BATCH_LAST.of(e) + 1)), 0);
        assert_eq!(BATCH_DELTAS.of(e), 3 | (4 << 3));
        assert_ne!(e & BATCH_H_NEXT, 0);
        // two pass codes, then a horizontal code: one lane at the last b2
        let e = BATCH_TABLE[index_of(&[MODE_PASS, MODE_PASS, MODE_HORIZONTAL], BATCH_BITS)];
        assert_eq!(BATCH_STORED.of(e), 0);
        assert_eq!(BATCH_JB.of(e), 4);
        assert_eq!(BATCH_FIRST.of(e), 3);
        assert_eq!(BATCH_LAST.of(e), 0);
        assert_eq!(BATCH_DELTAS.of(e) >> (3 * (BATCH_LAST.of(e) + 1)), 0);
        assert_eq!(BATCH_DELTAS.of(e), 3);
        assert_ne!(e & BATCH_H_NEXT, 0);
        // V0 then a pass code: the pass starts the next batch
        let e = BATCH_TABLE[index_of(&[MODE_VERTICAL[3], MODE_PASS, MODE_PASS], BATCH_BITS)];
        assert_eq!(BATCH_LEN.of(e), 1);
        assert_eq!(BATCH_JB.of(e), 1);
        assert_eq!(e & BATCH_H_NEXT, 0);
        // four V0 codes, then a horizontal code's mode bits in the 12 bits
        let e = BATCH_TABLE[index_of(&[MODE_VERTICAL[3]; 4], BATCH_BITS) | 0b0010_0000];
        assert_eq!(BATCH_STORED.of(e), 4);
        assert_eq!(BATCH_LAST.of(e), 3);
        assert_eq!(BATCH_DELTAS.of(e) >> (3 * (BATCH_LAST.of(e) + 1)), 0);
        assert_eq!(BATCH_DELTAS.of(e), 0b011_011_011_011);
        assert_ne!(e & BATCH_H_NEXT, 0);
        // three VR1 codes and a V0: two bits are left, too few to tell
        let codes = [
            MODE_VERTICAL[4],
            MODE_VERTICAL[4],
            MODE_VERTICAL[4],
            MODE_VERTICAL[3],
        ];
        let e = BATCH_TABLE[index_of(&codes, BATCH_BITS)];
        assert_eq!(BATCH_STORED.of(e), 4);
        assert_eq!(BATCH_DELTAS.of(e), 0b011_100_100_100);
        assert_eq!(e & BATCH_H_NEXT, 0);
        // VL3 (7 bits, the longest vertical code) and VR2 (6): 13 bits, so
        // only the first fits
        let e = BATCH_TABLE[index_of(&[MODE_VERTICAL[0], MODE_VERTICAL[5]], BATCH_BITS)];
        assert_eq!(BATCH_LEN.of(e), 7);
        assert_eq!(BATCH_STORED.of(e), 1);
        assert_eq!(BATCH_DELTAS.of(e), 0);
        // a horizontal code first: no batch, its mode instead
        let e = BATCH_TABLE[index_of(&[MODE_HORIZONTAL], BATCH_BITS)];
        assert_eq!(e & BATCH_CODES, 0);
        assert_eq!(BATCH_MODE.of(e), MODE_H);
    }
}
