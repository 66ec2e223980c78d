//! Encoders: MH (T.4 1-D), MR (T.4 2-D), MMR (T.6) and TIFF "CCITT RLE".
//!
//! Each row is turned into its list of changing elements (see [`super::runs`])
//! and coded from that list, so the cost grows with the number of colour
//! changes, not the number of pixels.
//!
//! G3 layout follows TIFF Class F / libtiff: an EOL before every row,
//! including the first; with `eol_fill`, zero bits before each EOL so that
//! it ends on a byte boundary; for MR the 1-D/2-D tag bit right after each
//! EOL. RTC is 6 EOLs (each with a tag bit of 1 for MR), EOFB two EOLs.

use super::bitio::BitWriter;
use super::runs::{changes_of_row, find_b1, Changes, SENTINELS};
use super::tables::{
    Code, BLACK_MAKEUP, BLACK_TERM, EOL, EXT_MAKEUP, MAX_MAKEUP, MODE_HORIZONTAL, MODE_PASS,
    MODE_VERTICAL, WHITE_MAKEUP, WHITE_TERM,
};
use super::{Coding, EncodeOptions};
use crate::bitmap::BitImage;

/// Encodes every row of `img` as `opts` says.
pub(crate) fn encode_image(img: &BitImage, opts: &EncodeOptions) -> Vec<u8> {
    let width = img.width;
    // A rough guess: text pages code to ~1/20 of the raw size.
    let mut w = BitWriter::with_capacity(img.data.len() / 16 + 64);
    let mut cur = Changes::white(width);
    let mut reference = Changes::white(width);
    // The longest a row can code to: a horizontal code and two runs per
    // pair of pixels, and an EOL with fill; generous, so each row reserves
    // once and the bit writer never reallocates mid-row.
    let worst_row_bytes = width as usize * 4 + 16;
    if width > 0 {
        for y in 0..img.height {
            changes_of_row(img.row(y), width, &mut cur);
            w.reserve(worst_row_bytes);
            match opts.coding {
                Coding::Mh => {
                    put_eol(&mut w, opts.eol_fill, None);
                    encode_1d(&mut w, cur.list());
                }
                Coding::Mr { k } => {
                    let one_d = y % k.max(1) == 0;
                    put_eol(&mut w, opts.eol_fill, Some(one_d));
                    if one_d {
                        encode_1d(&mut w, cur.list());
                    } else {
                        encode_2d(&mut w, cur.list(), reference.list(), width);
                    }
                }
                Coding::Mmr => encode_2d(&mut w, cur.list(), reference.list(), width),
                Coding::MhRle => {
                    encode_1d(&mut w, cur.list());
                    w.pad_to_byte();
                }
            }
            std::mem::swap(&mut cur, &mut reference);
        }
    }
    if opts.end_marker {
        w.reserve(32);
        match opts.coding {
            Coding::Mh => (0..6).for_each(|_| put_eol(&mut w, false, None)),
            Coding::Mr { .. } => (0..6).for_each(|_| put_eol(&mut w, false, Some(true))),
            Coding::Mmr => (0..2).for_each(|_| put_eol(&mut w, false, None)),
            Coding::MhRle => {}
        }
    }
    w.finish()
}

/// Writes an EOL, optionally aligned to end on a byte boundary, and for MR
/// the tag bit (1 = the next row is 1-D).
fn put_eol(w: &mut BitWriter, fill: bool, mr_tag: Option<bool>) {
    if fill {
        let pad = (12 - (w.bit_position() % 8) as u32) % 8;
        w.put(0, pad);
    }
    match mr_tag {
        Some(one_d) => w.put(((EOL.bits as u32) << 1) | one_d as u32, EOL.len as u32 + 1),
        None => w.put(EOL.bits as u32, EOL.len as u32),
    }
}

#[inline(always)]
fn put_code(w: &mut BitWriter, code: Code) {
    w.put(code.bits as u32, code.len as u32);
}

/// Writes one run: as many 2560 make-ups as needed, then a make-up for the
/// rest's multiple of 64 (if any) and a terminating code.
///
/// Always inlined: an out-of-line call taking the writer by reference
/// forces the caller to keep the writer's state in memory instead of
/// registers, which slows every other code the caller writes.
#[inline(always)]
fn put_run(w: &mut BitWriter, black: bool, mut run: u32) {
    while run >= MAX_MAKEUP {
        put_code(w, EXT_MAKEUP[EXT_MAKEUP.len() - 1]);
        run -= MAX_MAKEUP;
    }
    let (term, makeup) = if black {
        (&BLACK_TERM, &BLACK_MAKEUP)
    } else {
        (&WHITE_TERM, &WHITE_MAKEUP)
    };
    let t = term[(run & 63) as usize];
    if run >= 64 {
        let index = (run / 64) as usize;
        let m = if index <= 27 {
            makeup[index - 1]
        } else {
            EXT_MAKEUP[index - 28]
        };
        // make-up (<= 13 bits) and terminating code (<= 12) fit one put
        w.put(
            ((m.bits as u32) << t.len) | t.bits as u32,
            m.len as u32 + t.len as u32,
        );
    } else {
        put_code(w, t);
    }
}

/// Codes a row 1-D: alternating white and black runs, starting white.
fn encode_1d(writer: &mut BitWriter, changes: &[u32]) {
    // Work on a local writer so its state stays in registers.
    let mut w = std::mem::replace(writer, BitWriter::placeholder());
    let real = &changes[..changes.len() - SENTINELS];
    let width = changes[changes.len() - 1];
    let mut x = 0;
    let mut black = false;
    for &c in real.iter().chain(std::iter::once(&width)) {
        put_run(&mut w, black, c - x);
        x = c;
        black = !black;
    }
    *writer = w;
}

/// Mode codes for the 2-D coder: the seven vertical codes by `delta + 3`,
/// then pass, so one lookup picks either.
const VERTICAL_OR_PASS: [Code; 8] = [
    MODE_VERTICAL[0],
    MODE_VERTICAL[1],
    MODE_VERTICAL[2],
    MODE_VERTICAL[3],
    MODE_VERTICAL[4],
    MODE_VERTICAL[5],
    MODE_VERTICAL[6],
    MODE_PASS,
];

/// How many vertical codes [`vertical_run`] looks at.
const VERTICAL_RUN: usize = 4;

/// The vertical codes that start at change `i` of the coding row with `b1`
/// at `jb` on the reference (`below_b1` = `reference[jb - 1]`, 0 before
/// the first), as long as each also moves `b1` on by exactly one (see
/// [`encode_2d`]): their count (0..=4, a prefix) and the four `a1 - b1`
/// (only the first `count` mean anything).
///
/// Code k of such a run has `a1 = cur[i + k]`, `b1 = reference[jb + k]`,
/// `b2 = reference[jb + k + 1]`, and the previous reference change
/// `reference[jb + k - 1]`, so the four tests are lane-wise compares of
/// three shifted loads: `|a1 - b1| <= 3` (vertical, and not a pass as
/// `a1 < b2`) and `reference[jb + k - 1] <= a1 < b2` (b1 moves on by one).
/// A code at the row end (`a1 = width`) never passes `a1 < b2`, so a run
/// never reaches it. Lists too short for four lanes take the scalar path.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn vertical_run(
    cur: &[u32],
    reference: &[u32],
    i: usize,
    jb: usize,
    below_b1: u32,
) -> (usize, [i32; VERTICAL_RUN]) {
    use std::arch::x86_64::*;
    let mut deltas = [0i32; VERTICAL_RUN];
    let (Some(a1), Some(b)) = (
        cur.get(i..i + VERTICAL_RUN),
        reference.get(jb..jb + VERTICAL_RUN + 1),
    ) else {
        return (0, deltas);
    };
    // SAFETY: SSE2 is part of the x86-64 baseline; the loads read four
    // u32 from `a1` (4 long), `b` and `b[1..]` (5 long), the store writes
    // the four of `deltas`. Positions are below 2^31 (a row is at most a
    // few ten thousand pixels), so signed compares order them correctly.
    unsafe {
        let a1 = _mm_loadu_si128(a1.as_ptr().cast());
        let b1 = _mm_loadu_si128(b.as_ptr().cast());
        let b2 = _mm_loadu_si128(b.as_ptr().add(1).cast());
        // reference[jb + k - 1]: b1 shifted up a lane, below_b1 first
        let before = _mm_or_si128(_mm_slli_si128(b1, 4), _mm_cvtsi32_si128(below_b1 as i32));
        let d = _mm_sub_epi32(a1, b1);
        let vertical = _mm_and_si128(
            _mm_cmpgt_epi32(d, _mm_set1_epi32(-4)),
            _mm_cmplt_epi32(d, _mm_set1_epi32(4)),
        );
        let moves_on = _mm_andnot_si128(_mm_cmpgt_epi32(before, a1), _mm_cmplt_epi32(a1, b2));
        let ok = _mm_movemask_ps(_mm_castsi128_ps(_mm_and_si128(vertical, moves_on))) as u32;
        _mm_storeu_si128(deltas.as_mut_ptr().cast(), d);
        (ok.trailing_ones() as usize, deltas)
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn vertical_run(
    _cur: &[u32],
    _reference: &[u32],
    _i: usize,
    _jb: usize,
    _below_b1: u32,
) -> (usize, [i32; VERTICAL_RUN]) {
    (0, [0; VERTICAL_RUN])
}

/// Codes a row 2-D against the reference row (T.4 §4.2.1.3 / T.6).
///
/// Positions are kept as `a0 + 1` ("the first pixel right of a0"), so the
/// imaginary `a0 = -1` before the row is 0 and everything stays in `u32`.
/// `i` indexes the next change on the coding row (`a1`); `jb` indexes
/// `b1` on the reference. The colour at `a0` is the parity of `i`, and
/// `b1` is a change *to* the other colour: the first reference change
/// right of `a0` with the parity of `i`.
///
/// Like the decoder, vertical and pass codes share one branch-free path
/// (the mode of the next change is unpredictable, so branching on it
/// costs more than computing both outcomes), and like the decoder the next
/// `b1` is known without a search on that path, which keeps loads off the
/// chain from one code to the next:
/// - after a pass code `a0 = b2`, and the next `b1` is exactly two
///   reference changes on (the changes ascend strictly);
/// - after a vertical code `a0 = a1`, and the next `b1` is the next
///   reference change iff `reference[jb - 1] <= a1 < reference[jb + 1]`
///   (else a reference change lies between the old `b1` and `a1`: a run of
///   at most three pixels on the reference line, rare).
///
/// Everything else (horizontal codes, that rare case) searches from
/// `jb - 1`: every change before it is left of the old `a0`.
#[inline(never)]
fn encode_2d(writer: &mut BitWriter, cur: &[u32], reference: &[u32], width: u32) {
    let mut w = std::mem::replace(writer, BitWriter::placeholder());
    let mut i = 0usize;
    // b1 of the imaginary white a0 before the row: the first change
    let mut jb = 0usize;
    // reference[jb - 1], or 0 (left of every a1) at the row start
    let mut below_b1 = 0u32;
    let mut a0_next = 0u32;
    loop {
        // Most codes are vertical codes in a row, each moving b1 on by one:
        // up to four of them found at once and written with one put.
        let (m, deltas) = vertical_run(cur, reference, i, jb, below_b1);
        if m > 0 {
            let mut bits = 0u32;
            let mut len = 0u32;
            for (k, &d) in deltas.iter().enumerate() {
                let code = VERTICAL_OR_PASS[d.wrapping_add(3) as usize & 7];
                // lanes past the run add nothing (no branch per lane)
                let keep = 0u32.wrapping_sub((k < m) as u32);
                let l = u32::from(code.len) & keep;
                bits = (bits << l) | (u32::from(code.bits) & keep);
                len += l;
            }
            w.put(bits, len);
            i += m;
            jb += m;
            // a1 < b2 <= width held for every code of the run
            a0_next = cur[i - 1] + 1;
            below_b1 = reference[jb - 1];
            if m == VERTICAL_RUN {
                continue;
            }
        }
        let a1 = cur[i];
        let (b1, b2) = (reference[jb], reference[jb + 1]);
        let is_pass = b2 < a1;
        // a1 - b1 + 3, in 0..=6 exactly when |a1 - b1| <= 3
        let delta3 = a1.wrapping_sub(b1).wrapping_add(3);
        let is_vertical = !is_pass & (delta3 <= 6);
        if is_pass | is_vertical {
            let code = VERTICAL_OR_PASS[if is_pass { 7 } else { delta3 as usize & 7 }];
            w.put(code.bits as u32, code.len as u32);
            i += is_vertical as usize;
            a0_next = if is_pass { b2 } else { a1 } + 1;
            // a pass always moves b1 on by two; a vertical code by one
            // when no reference change lies in below_b1..=a1 but b1
            if is_pass | ((below_b1 <= a1) & (a1 < b2)) {
                if a0_next > width {
                    break;
                }
                below_b1 = if is_pass { b2 } else { b1 };
                jb += 1 + is_pass as usize;
                continue;
            }
        } else {
            let a2 = cur[i + 1];
            let black = i & 1 == 1;
            put_code(&mut w, MODE_HORIZONTAL);
            put_run(&mut w, black, a1 - a0_next.saturating_sub(1));
            put_run(&mut w, !black, a2 - a1);
            i += 2;
            a0_next = a2 + 1;
        }
        if a0_next > width {
            break;
        }
        (jb, below_b1) = find_b1(reference, jb, a0_next, i);
    }
    *writer = w;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits_of(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:08b}")).collect()
    }

    #[test]
    fn mh_row_layout_matches_t4() {
        // width 8: white 2, black 3, white 3
        let img = BitImage::from_packed(8, 1, &[0b0011_1000]);
        let opts = EncodeOptions {
            coding: Coding::Mh,
            eol_fill: false,
            end_marker: false,
        };
        let out = encode_image(&img, &opts);
        // EOL, white 2 = 0111, black 3 = 10, white 3 = 1000, pad
        assert_eq!(
            bits_of(&out),
            "000000000001".to_owned() + "0111" + "10" + "1000" + "00"
        );
    }

    #[test]
    fn eol_fill_ends_eols_on_byte_boundaries() {
        let img = BitImage::from_packed(8, 2, &[0b0011_1000, 0]);
        let opts = EncodeOptions {
            coding: Coding::Mh,
            eol_fill: true,
            end_marker: false,
        };
        let bits = bits_of(&encode_image(&img, &opts));
        // 4 fill bits + EOL = 2 bytes, then row 1 (10 bits), then fill to
        // bit 28 (= 4 mod 8), EOL to bit 40, then the all-white row.
        assert!(bits.starts_with("0000000000000001"));
        assert_eq!(&bits[16..26], "0111101000");
        assert_eq!(&bits[26..40], "00000000000001");
        assert_eq!(&bits[40..45], "10011"); // white 8
    }

    #[test]
    fn long_runs_use_extended_makeups() {
        let mut w = BitWriter::with_capacity(64);
        put_run(&mut w, false, 2560 + 2560 + 64 + 1);
        let bits = bits_of(&w.finish());
        let expect = "000000011111".repeat(2) + "11011" + "000111";
        assert!(bits.starts_with(&expect), "{bits}");
    }

    #[test]
    fn g4_end_marker_is_two_eols() {
        let img = BitImage::new(16, 1);
        let opts = EncodeOptions {
            coding: Coding::Mmr,
            eol_fill: false,
            end_marker: true,
        };
        // one V0 for the white row, then EOFB
        let bits = bits_of(&encode_image(&img, &opts));
        assert_eq!(&bits[..25], "1000000000001000000000001");
    }
}
