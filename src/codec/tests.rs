//! Whole-codec tests: round trips over many pages and widths, cross-checks
//! with the `fax` crate and libtiff, tolerance, damage detection and
//! never-panic checks.

use super::oracle::{fax_g4_decode, fax_g4_encode, row_from_changes};
use super::*;

// ---------------------------------------------------------------------------
// Test pages
// ---------------------------------------------------------------------------

/// A small deterministic generator (PCG-style LCG), for the codec's tests.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
    pub(super) fn below(&mut self, n: u32) -> u32 {
        self.next() % n.max(1)
    }
}

/// Rows of random runs whose lengths vary by row (short runs, long runs,
/// and rows copied with a small shift so 2-D coding gets exercised).
fn random_page(width: u32, height: u32, seed: u64) -> BitImage {
    let mut rng = Rng(seed);
    let mut img = BitImage::new(width, height);
    for y in 0..height {
        let style = rng.below(5);
        if style == 0 && y > 0 {
            // previous row shifted by -2..=2: vertical modes and passes
            let shift = rng.below(5) as i64 - 2;
            for x in 0..width as i64 {
                let src = x - shift;
                if src >= 0 && src < width as i64 && img.get(src as u32, y - 1) {
                    img.set(x as u32, y, true);
                }
            }
            continue;
        }
        let max_run = match style {
            1 => 3,
            2 => 40,
            3 => 3000,
            _ => 200,
        };
        let mut x = 0u32;
        let mut black = rng.below(2) == 0;
        while x < width {
            let run = 1 + rng.below(max_run);
            let end = (x + run).min(width);
            if black {
                for p in x..end {
                    img.set(p, y, true);
                }
            }
            black = !black;
            x = end;
        }
    }
    img
}

fn page_from_fn(width: u32, height: u32, f: impl Fn(u32, u32) -> bool) -> BitImage {
    let mut img = BitImage::new(width, height);
    for y in 0..height {
        for x in 0..width {
            if f(x, y) {
                img.set(x, y, true);
            }
        }
    }
    img
}

fn special_pages(width: u32) -> Vec<(&'static str, BitImage)> {
    let h = 6;
    vec![
        ("white", BitImage::new(width, h)),
        ("black", page_from_fn(width, h, |_, _| true)),
        (
            "alternating",
            page_from_fn(width, h, |x, y| (x + y) % 2 == 1),
        ),
        ("stripes", page_from_fn(width, h, |x, _| (x / 3) % 2 == 0)),
        (
            "row-end pixels",
            page_from_fn(width, h, |x, y| match y % 3 {
                0 => x == width - 1,
                1 => x == 0 || x == width - 1,
                _ => x + 2 == width,
            }),
        ),
        ("random", random_page(width, 12, width as u64 * 7919)),
    ]
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const ALL_CODINGS: [Coding; 5] = [
    Coding::Mh,
    Coding::Mr { k: 2 },
    Coding::Mr { k: 4 },
    Coding::Mmr,
    Coding::MhRle,
];

fn enc(img: &BitImage, coding: Coding, eol_fill: bool, end_marker: bool) -> Vec<u8> {
    encode(
        img,
        &EncodeOptions {
            coding,
            eol_fill,
            end_marker,
        },
    )
}

fn dec_opts(coding: Coding, width: u32, rows: Option<u32>) -> DecodeOptions {
    DecodeOptions {
        coding,
        width,
        rows,
        lsb_first: false,
        max_rows: 100_000,
    }
}

fn dec(data: &[u8], coding: Coding, width: u32, rows: Option<u32>) -> Decoded {
    decode(data, &dec_opts(coding, width, rows))
}

fn assert_round_trip(img: &BitImage, coding: Coding, eol_fill: bool, end_marker: bool, what: &str) {
    let data = enc(img, coding, eol_fill, end_marker);
    for rows in [Some(img.height), None] {
        let d = dec(&data, coding, img.width, rows);
        assert!(
            d.is_clean(),
            "{what}: {coding:?} fill={eol_fill} end={end_marker} rows={rows:?}: {d:?} {:?}",
            d.error
        );
        assert!(
            d.image == *img,
            "{what}: {coding:?} fill={eol_fill} end={end_marker} rows={rows:?}: pixels differ (got {} rows)",
            d.image.height
        );
    }
}

// ---------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------

#[test]
fn round_trip_all_codings_small_widths() {
    for width in 1..=70 {
        for (name, img) in special_pages(width) {
            for coding in ALL_CODINGS {
                assert_round_trip(&img, coding, false, false, &format!("{name} w={width}"));
            }
        }
    }
}

#[test]
fn round_trip_all_codings_large_widths_and_options() {
    for width in [
        100, 255, 256, 257, 1000, 1727, 1728, 1729, 2048, 2432, 2559, 2560, 2561, 2623, 2624, 4999,
        5000,
    ] {
        for (name, img) in special_pages(width) {
            for coding in ALL_CODINGS {
                for (fill, end) in [(false, false), (true, false), (false, true), (true, true)] {
                    assert_round_trip(&img, coding, fill, end, &format!("{name} w={width}"));
                }
            }
        }
    }
}

/// Every width from 1 to 5000, each with a few random rows (runs of all
/// lengths, rows ending black and white) in every coding.
#[test]
fn round_trip_every_width_up_to_5000() {
    for width in 1..=5000u32 {
        let img = random_page(width, 3, width as u64);
        for coding in ALL_CODINGS {
            assert_round_trip(
                &img,
                coding,
                width % 2 == 0,
                width % 3 == 0,
                &format!("w={width}"),
            );
        }
    }
}

/// Rows repeated under themselves with 0 to 41 changes: the decoder's
/// shortcut for a row equal to its reference (up to 23 changes: one that
/// counts at most 24 ones, and divides them by the codes per row only
/// past one code) and the general path beyond it give the page back.
#[test]
fn round_trip_repeated_rows() {
    let width = 1728;
    let mut img = BitImage::new(width, 4 * 42);
    for changes in 0..=41u32 {
        for y in changes * 4..changes * 4 + 4 {
            // `changes` changes: runs of 7 pixels from x = 5
            for c in (0..changes).step_by(2) {
                let end = if c + 1 < changes {
                    5 + 7 * (c + 1)
                } else {
                    width
                };
                for x in 5 + 7 * c..end {
                    img.set(x, y, true);
                }
            }
        }
    }
    for coding in ALL_CODINGS {
        assert_round_trip(&img, coding, false, true, "repeated rows");
    }
    // the same rows after a damaged one are not taken for repeats: a G4
    // stream cut inside a row still stops at that row
    let coded = enc(&img, Coding::Mmr, false, true);
    let cut = decode(
        &coded[..coded.len() / 2],
        &dec_opts(Coding::Mmr, width, Some(img.height)),
    );
    assert!(cut.truncated);
    for y in 0..cut.image.height {
        assert_eq!(cut.image.row(y), img.row(y), "row {y} of the cut page");
    }
}

/// A page taller than the decoder first allocates for (8192 rows): the
/// rows past it, decoded, repeated (blank and not) or (G3) repaired, land
/// in the grown page, and the rows before them stay as they were.
#[test]
fn round_trip_pages_taller_than_first_allocation() {
    let (width, height) = (200, 8192 + 300);
    // bands of slanted lines, and bands of the same row over and over
    let img = page_from_fn(width, height, |x, y| {
        let slanted = (y / 100) % 3 != 0 && (x + y) % 97 < 3;
        slanted || (y / 50) % 7 == 3 && x < 20
    });
    for coding in ALL_CODINGS {
        let d = dec(&enc(&img, coding, false, true), coding, width, Some(height));
        assert!(d.is_clean(), "{coding:?}: {:?}", d.error);
        assert_eq!(d.image, img, "{coding:?}");
    }
    // damage near the end of a G3 page: its repaired rows (copies of the
    // row above) are past the first allocation too
    for coding in [Coding::Mh, Coding::Mr { k: 4 }] {
        let mut data = enc(&img, coding, true, true);
        let at = data.len() - data.len() / 50;
        for b in &mut data[at..at + 3] {
            *b ^= 0x5A;
        }
        let d = dec(&data, coding, width, Some(height));
        assert_eq!(d.image.height, height, "{coding:?}");
        let bad = d.first_bad_row.expect("the damage is found");
        assert!(bad > 8192, "{coding:?}: row {bad}");
        let s = img.stride;
        assert_eq!(
            d.image.data[..bad as usize * s],
            img.data[..bad as usize * s]
        );
        assert_eq!(
            d.image.row(bad),
            d.image.row(bad - 1),
            "{coding:?}: row {bad}"
        );
        let after = (bad as usize + 10) * s;
        assert_eq!(d.image.data[after..], img.data[after..], "{coding:?}");
    }
}

#[test]
fn round_trip_random_fax_pages() {
    for seed in 0..6 {
        let img = random_page(1728, 200, seed);
        for coding in ALL_CODINGS {
            assert_round_trip(&img, coding, seed % 2 == 0, seed % 3 == 0, "random 1728");
        }
    }
}

#[test]
fn mr_rows_follow_k() {
    // k = 4: rows 0 and 4 are 1-D (tag 1), the others 2-D (tag 0).
    let img = random_page(64, 8, 3);
    let data = enc(&img, Coding::Mr { k: 4 }, true, false);
    let bits: String = data.iter().map(|b| format!("{b:08b}")).collect();
    let tags: Vec<char> = bits
        .match_indices("000000000001")
        .map(|(i, _)| bits.as_bytes()[i + 12] as char)
        .collect();
    assert_eq!(tags.len(), 8, "{bits}");
    assert_eq!(tags.iter().collect::<String>(), "10001000");
}

#[test]
fn decode_lsb_first_data() {
    let img = random_page(1728, 40, 11);
    for coding in ALL_CODINGS {
        let mut data = enc(&img, coding, true, true);
        reverse_bits_in_place(&mut data);
        let mut opts = dec_opts(coding, 1728, Some(40));
        opts.lsb_first = true;
        let d = decode(&data, &opts);
        assert!(d.is_clean(), "{coding:?}: {:?}", d.error);
        assert_eq!(d.image, img);
    }
}

#[test]
fn rows_stops_early_and_reports_truncation() {
    let img = random_page(300, 20, 5);
    for coding in ALL_CODINGS {
        let data = enc(&img, coding, false, true);
        let d = dec(&data, coding, 300, Some(7));
        assert!(d.is_clean(), "{coding:?}");
        assert_eq!(d.image.height, 7);
        assert_eq!(d.image.data[..], img.data[..7 * img.stride]);
        let d = dec(&data, coding, 300, Some(25));
        assert!(d.truncated && !d.is_clean(), "{coding:?}");
        assert_eq!(d.image.height, 20);
        assert_eq!(d.image.data, img.data);
    }
}

#[test]
fn max_rows_caps_output() {
    let img = random_page(300, 20, 6);
    for coding in ALL_CODINGS {
        let data = enc(&img, coding, false, false);
        let mut opts = dec_opts(coding, 300, None);
        opts.max_rows = 5;
        let d = decode(&data, &opts);
        assert_eq!(d.image.height, 5, "{coding:?}");
        assert!(d.error.is_some(), "{coding:?}: cap must be reported");
        // exactly enough rows: no complaint
        opts.max_rows = 20;
        assert!(decode(&data, &opts).is_clean(), "{coding:?}");
    }
}

/// G4 takes runs of white rows under a white row at once: the caps and
/// the content after them must come out as row by row.
#[test]
fn g4_white_row_runs_respect_caps() {
    let mut img = BitImage::new(300, 120);
    for y in 60..70 {
        for x in y..y + 40 {
            img.set(x, y, true);
        }
    }
    let data = enc(&img, Coding::Mmr, false, false);
    let whole = decode(&data, &dec_opts(Coding::Mmr, 300, Some(120)));
    assert!(whole.is_clean(), "{:?}", whole.error);
    assert_eq!(whole.image, img);
    for cap in [1, 10, 30, 59, 60, 61, 75, 119] {
        let mut opts = dec_opts(Coding::Mmr, 300, None);
        opts.max_rows = cap;
        let d = decode(&data, &opts);
        assert_eq!(d.image.height, cap, "cap {cap}");
        assert_eq!(
            d.image.data[..],
            img.data[..cap as usize * img.stride],
            "cap {cap}"
        );
        assert!(d.error.is_some(), "cap {cap} must be reported");
    }
    // a header asking for fewer rows than the data holds
    let d = decode(&data, &dec_opts(Coding::Mmr, 300, Some(40)));
    assert_eq!(d.image.height, 40);
    assert_eq!(d.image.data[..], img.data[..40 * img.stride]);
}

// ---------------------------------------------------------------------------
// Tolerance
// ---------------------------------------------------------------------------

#[test]
fn g3_tolerates_garbage_before_first_eol_and_missing_first_eol() {
    let img = random_page(500, 10, 8);
    for coding in [Coding::Mh, Coding::Mr { k: 2 }] {
        let data = enc(&img, coding, true, true);
        let mut noisy = vec![0xB7, 0x5A, 0x00];
        noisy.extend_from_slice(&data);
        let d = dec(&noisy, coding, 500, Some(10));
        assert!(d.is_clean(), "{coding:?}: {:?}", d.error);
        assert_eq!(d.image, img);
    }
    // MH without the leading EOL: the first row starts at bit 0.
    let data = enc(&img, Coding::Mh, false, false);
    let without_first_eol = shift_left_bits(&data, 12);
    let d = dec(&without_first_eol, Coding::Mh, 500, Some(10));
    assert!(d.is_clean(), "{:?}", d.error);
    assert_eq!(d.image, img);
}

fn shift_left_bits(data: &[u8], n: usize) -> Vec<u8> {
    let bits: Vec<bool> = data
        .iter()
        .flat_map(|b| (0..8).map(move |i| b & (0x80 >> i) != 0))
        .skip(n)
        .collect();
    bits.chunks(8)
        .map(|c| {
            c.iter()
                .enumerate()
                .fold(0u8, |acc, (i, &b)| acc | ((b as u8) << (7 - i)))
        })
        .collect()
}

#[test]
fn g3_with_and_without_rtc_and_fill_decode_alike() {
    let img = random_page(1728, 30, 9);
    for coding in [Coding::Mh, Coding::Mr { k: 4 }] {
        for (fill, end) in [(false, false), (true, false), (false, true), (true, true)] {
            let data = enc(&img, coding, fill, end);
            // trailing junk after RTC must not become rows
            let mut with_junk = data.clone();
            if end {
                with_junk.extend_from_slice(&[0x12, 0x34, 0x56]);
            }
            let d = dec(&with_junk, coding, 1728, None);
            assert!(d.is_clean(), "{coding:?} {fill} {end}: {:?}", d.error);
            assert_eq!(d.image, img);
        }
    }
}

#[test]
fn g4_ends_at_eofb_and_ignores_trailing_data() {
    let img = random_page(800, 25, 10);
    let mut data = enc(&img, Coding::Mmr, false, true);
    data.extend_from_slice(&[0xFF, 0x00, 0xAB]);
    let d = dec(&data, Coding::Mmr, 800, None);
    assert!(d.is_clean(), "{:?}", d.error);
    assert_eq!(d.image, img);
}

#[test]
fn encoder_ignores_stray_padding_bits() {
    let img = random_page(13, 5, 12);
    let mut dirty = img.clone();
    for y in 0..5 {
        dirty.row_mut(y)[1] |= 0x07; // bits 13..15 lie past the width
        dirty.row_mut(y)[7] = 0xFF;
    }
    for coding in ALL_CODINGS {
        assert_eq!(
            enc(&img, coding, false, true),
            enc(&dirty, coding, false, true)
        );
    }
}

// ---------------------------------------------------------------------------
// Damage
// ---------------------------------------------------------------------------

/// Row whose coded bits contain byte `i` (G3: count EOLs before it).
fn row_of_byte(data: &[u8], byte: usize) -> u32 {
    let bits: String = data[..byte].iter().map(|b| format!("{b:08b}")).collect();
    bits.matches("00000000000").count().saturating_sub(1) as u32
}

#[test]
fn g3_damage_is_detected_repaired_and_resynchronised() {
    let img = random_page(1728, 100, 13);
    for coding in [Coding::Mh, Coding::Mr { k: 4 }] {
        let data = enc(&img, coding, true, true);
        let mid = data.len() / 2;
        let mut damaged = data.clone();
        for b in &mut damaged[mid..mid + 3] {
            *b ^= 0x5A;
        }
        let d = dec(&damaged, coding, 1728, Some(100));
        assert!(!d.is_clean(), "{coding:?}");
        assert_eq!(d.image.height, 100, "{coding:?}: rows kept in place");
        let expected_row = row_of_byte(&data, mid) as i64;
        let first = d.first_bad_row.expect("first_bad_row") as i64;
        assert!(
            (first - expected_row).abs() <= 2,
            "{coding:?}: first bad {first}, damage at row {expected_row}"
        );
        assert!(
            d.bad_rows >= 1 && d.bad_rows <= 8,
            "{coding:?}: {} bad rows",
            d.bad_rows
        );
        // rows before the damage and well after it are intact
        let s = img.stride;
        let before = (first as usize).saturating_sub(1);
        assert_eq!(d.image.data[..before * s], img.data[..before * s]);
        let after = first as usize + 10;
        assert_eq!(
            d.image.data[after * s..],
            img.data[after * s..],
            "{coding:?}"
        );
        // a repaired row is a copy of the row above it (the last good one)
        let bad = first as u32;
        assert_eq!(d.image.row(bad), d.image.row(bad - 1));
    }
}

#[test]
fn g4_damage_stops_decoding_and_keeps_earlier_rows() {
    let img = random_page(1728, 100, 14);
    let data = enc(&img, Coding::Mmr, false, true);
    let mid = data.len() / 2;
    let mut damaged = data.clone();
    for b in &mut damaged[mid..mid + 4] {
        *b ^= 0xA5;
    }
    let d = dec(&damaged, Coding::Mmr, 1728, Some(100));
    assert!(!d.is_clean());
    assert!(d.truncated && d.error.is_some());
    let first = d.first_bad_row.unwrap();
    assert_eq!(d.image.height, first);
    // The flip is near row ~50; detection can lag a little behind the
    // damage, and rows before the damage must be intact.
    assert!((30..=80).contains(&first), "first bad row {first}");
    let good = (first.saturating_sub(6)) as usize;
    assert_eq!(
        d.image.data[..good * img.stride],
        img.data[..good * img.stride]
    );
}

#[test]
fn invalid_codes_and_overlong_rows_are_reported() {
    // MH row of width 8 coded as white 8 + black 3: runs exceed the width.
    // EOL, white 8 (10011), black 3 (10), EOL
    let bits = "000000000001".to_owned() + "10011" + "10" + "000000000001";
    let data = pack_bits(&bits);
    let d = dec(&data, Coding::Mh, 8, Some(1));
    assert_eq!(d.first_bad_row, Some(0));
    assert_eq!(d.bad_rows, 1);
    assert!(
        d.error.as_deref().unwrap().contains("row 0"),
        "{:?}",
        d.error
    );

    // MH row too short: white 5 then EOL.
    let bits = "000000000001".to_owned() + "1100" + "000000000001" + "10011";
    let d = dec(&pack_bits(&bits), Coding::Mh, 8, Some(2));
    assert_eq!(d.first_bad_row, Some(0));
    assert_eq!(d.image.height, 2);
    assert!(d.image.row(1).iter().all(|&b| b == 0));

    // G4: VR3 on an all-white reference at width 8 -> b1 = 8, a1 = 11.
    let d = dec(&pack_bits("0000011"), Coding::Mmr, 8, Some(1));
    assert_eq!(d.first_bad_row, Some(0));
    assert!(
        d.error.as_deref().unwrap().contains("past the end"),
        "{:?}",
        d.error
    );

    // G4: VL1 at the start of a row whose reference starts black (b1 = 0)
    // would put a change at -1.
    let bits = "001".to_owned() + "00110101" + "0011"; // H: white 0, black 5 (row 0)
    let bits = bits + "1" + "1" + "010"; // row 1: V0, V0 (row ends), then VL1 at b1 = 0
    let d = dec(&pack_bits(&bits), Coding::Mmr, 5, Some(3));
    assert_eq!(d.image.height, 2, "{:?}", d.error);
    assert_eq!(d.first_bad_row, Some(2));

    // G4: white run of 9 in an 8-pixel row.
    let bits = "001".to_owned() + "10100" + "0000110111";
    let d = dec(&pack_bits(&bits), Coding::Mmr, 8, Some(1));
    assert!(
        d.error.as_deref().unwrap().contains("past the end"),
        "{:?}",
        d.error
    );
}

fn pack_bits(bits: &str) -> Vec<u8> {
    bits.as_bytes()
        .chunks(8)
        .map(|c| {
            c.iter()
                .enumerate()
                .fold(0u8, |acc, (i, &b)| acc | (((b == b'1') as u8) << (7 - i)))
        })
        .collect()
}

#[test]
fn never_panics_on_random_bytes_or_truncations() {
    let mut rng = Rng(99);
    let img = random_page(173, 30, 15);
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for coding in ALL_CODINGS {
        let data = enc(&img, coding, true, true);
        for cut in (0..data.len()).step_by(7) {
            inputs.push(data[..cut].to_vec());
        }
        for _ in 0..40 {
            let mut d = data.clone();
            let i = rng.below(d.len() as u32) as usize;
            d[i] ^= 1 << rng.below(8);
            inputs.push(d);
        }
    }
    for len in [0usize, 1, 2, 3, 5, 16, 100, 1000, 5000] {
        for _ in 0..8 {
            inputs.push((0..len).map(|_| rng.next() as u8).collect());
        }
        inputs.push(vec![0; len]);
        inputs.push(vec![0xFF; len]);
    }
    // Streams of well-formed codes in random order reach deeper decoder
    // states than random bytes do.
    for _ in 0..200 {
        let mut bits = String::new();
        for _ in 0..rng.below(400) {
            match rng.below(10) {
                0..=5 => {
                    let v = ["1", "011", "010", "000011", "000010", "0000011", "0000010"];
                    bits.push_str(v[rng.below(7) as usize]);
                }
                6 => bits.push_str("0001"),
                7 => {
                    bits.push_str("001");
                    for table in [&tables::WHITE_TERM, &tables::BLACK_TERM] {
                        let code = table[rng.below(64) as usize];
                        bits.push_str(&format!("{:0w$b}", code.bits, w = code.len as usize));
                    }
                }
                8 => bits.push_str("000000000001"),
                _ => {
                    let code = tables::WHITE_MAKEUP[rng.below(27) as usize];
                    bits.push_str(&format!("{:0w$b}", code.bits, w = code.len as usize));
                }
            }
        }
        inputs.push(pack_bits(&bits));
    }
    for data in &inputs {
        for coding in ALL_CODINGS {
            for width in [1u32, 8, 173, 1728] {
                for rows in [None, Some(30)] {
                    for lsb_first in [false, true] {
                        let opts = DecodeOptions {
                            coding,
                            width,
                            rows,
                            lsb_first,
                            max_rows: 2000,
                        };
                        let d = decode(data, &opts);
                        assert_eq!(d.image.width, width);
                        assert_eq!(d.image.data.len(), d.image.stride * d.image.height as usize);
                        assert!(d.image.height <= 2000);
                        if let Some(n) = rows {
                            assert!(d.image.height <= n);
                        }
                    }
                }
            }
        }
    }
    // degenerate widths
    let d = dec(&[0xFF; 10], Coding::Mmr, 0, Some(1));
    assert!(d.error.is_some() && d.image.height == 0);
}

#[test]
fn truncated_g4_is_reported() {
    let img = random_page(1728, 50, 16);
    let data = enc(&img, Coding::Mmr, false, false);
    let d = dec(&data[..data.len() / 3], Coding::Mmr, 1728, Some(50));
    assert!(d.truncated && d.error.is_some());
    let got = d.image.height as usize;
    assert!(got > 5 && got < 50);
    assert_eq!(d.image.data[..], img.data[..got * img.stride]);
}

// ---------------------------------------------------------------------------
// Stitching
// ---------------------------------------------------------------------------

#[test]
fn append_stitches_strips_and_merges_faults() {
    let img = random_page(200, 30, 17);
    let top = BitImage {
        height: 10,
        data: img.data[..10 * img.stride].to_vec(),
        ..img.clone()
    };
    let bottom = BitImage {
        height: 20,
        data: img.data[10 * img.stride..].to_vec(),
        ..img.clone()
    };
    let mut page = Decoded::empty(200);
    page.append(&dec(
        &enc(&top, Coding::Mmr, false, true),
        Coding::Mmr,
        200,
        Some(10),
    ));
    let mut second = dec(
        &enc(&bottom, Coding::Mh, false, true),
        Coding::Mh,
        200,
        Some(20),
    );
    second.bad_rows = 2;
    second.first_bad_row = Some(4);
    second.error = Some("row 4: invalid code".into());
    page.append(&second);
    assert_eq!(page.image, img);
    assert_eq!(page.bad_rows, 2);
    assert_eq!(page.first_bad_row, Some(14));
    assert!(page.error.unwrap().contains("rows from 10"));

    // a wider strip is clipped to the page width, padding stays white
    let mut narrow = Decoded::empty(10);
    let wide = dec(
        &enc(&page_from_fn(20, 2, |_, _| true), Coding::Mmr, false, false),
        Coding::Mmr,
        20,
        Some(2),
    );
    narrow.append(&wide);
    assert_eq!(narrow.image, page_from_fn(10, 2, |_, _| true));
}

// ---------------------------------------------------------------------------
// Cross-checks with the `fax` crate
// ---------------------------------------------------------------------------

#[test]
fn our_g4_decodes_with_fax_crate() {
    for (w, seed) in [(1728u32, 20u64), (2048, 21), (77, 22), (5000, 23)] {
        let img = random_page(w, 60, seed);
        let ours = enc(&img, Coding::Mmr, false, true);
        assert_eq!(fax_g4_decode(&ours, w, 60), img, "width {w}");
    }
    for (name, img) in special_pages(1728) {
        let ours = enc(&img, Coding::Mmr, false, true);
        assert_eq!(fax_g4_decode(&ours, 1728, img.height), img, "{name}");
    }
}

#[test]
fn fax_crate_g4_decodes_with_ours() {
    for (w, seed) in [(1728u32, 30u64), (2048, 31), (77, 32), (5000, 33)] {
        let img = random_page(w, 60, seed);
        let theirs = fax_g4_encode(&img);
        let d = dec(&theirs, Coding::Mmr, w, Some(60));
        assert!(d.is_clean(), "width {w}: {:?}", d.error);
        assert_eq!(d.image, img, "width {w}");
    }
    for (name, img) in special_pages(1728) {
        let d = dec(&fax_g4_encode(&img), Coding::Mmr, 1728, None);
        assert!(d.is_clean(), "{name}: {:?}", d.error);
        assert_eq!(d.image, img, "{name}");
    }
}

#[test]
fn our_g4_matches_fax_crate_bytes_on_simple_pages() {
    // Both follow T.6 mode selection exactly, so on pages without ties
    // the streams are identical.
    let img = random_page(1728, 40, 40);
    assert_eq!(enc(&img, Coding::Mmr, false, true), fax_g4_encode(&img));
}

#[test]
fn our_mh_decodes_with_fax_crate_g3() {
    for (w, seed) in [(1728u32, 50u64), (300, 51)] {
        let img = random_page(w, 40, seed);
        for fill in [false, true] {
            let ours = enc(&img, Coding::Mh, fill, true);
            let mut rows = Vec::new();
            fax::decoder::decode_g3(ours.iter().copied(), |changes| {
                rows.push(row_from_changes(changes, w));
            });
            assert_eq!(rows.len(), 40, "fill={fill}");
            for (y, row) in rows.iter().enumerate() {
                assert_eq!(&row[..], img.row(y as u32), "fill={fill} row {y}");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Cross-check with libtiff (skipped when tiffcp is not installed)
// ---------------------------------------------------------------------------

/// A minimal little-endian single-strip TIFF around coded data.
fn minimal_tiff(
    data: &[u8],
    width: u32,
    height: u32,
    compression: u16,
    options: u32,
    lsb: bool,
) -> Vec<u8> {
    let mut entries: Vec<(u16, u16, u32)> = vec![
        (256, 4, width),
        (257, 4, height),
        (258, 3, 1),
        (259, 3, compression as u32),
        (262, 3, 0),
        (266, 3, if lsb { 2 } else { 1 }),
        (273, 4, 0), // patched below
        (277, 3, 1),
        (278, 4, height),
        (279, 4, data.len() as u32),
    ];
    if compression == 3 {
        entries.push((292, 4, options));
    }
    if compression == 4 {
        entries.push((293, 4, options));
    }
    let ifd_len = 2 + entries.len() * 12 + 4;
    let data_offset = (8 + ifd_len) as u32;
    let mut out = vec![b'I', b'I', 42, 0, 8, 0, 0, 0];
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, typ, value) in entries {
        let value = if tag == 273 { data_offset } else { value };
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        if typ == 3 {
            out.extend_from_slice(&(value as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(data);
    out
}

/// Reads the single uncompressed strip of a TIFF written by `tiffcp`.
fn read_uncompressed_strip(tiff: &[u8]) -> Vec<u8> {
    let le = tiff[0] == b'I';
    let u16_at = |i: usize| {
        let b = [tiff[i], tiff[i + 1]];
        if le {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        }
    };
    let u32_at = |i: usize| {
        let b = [tiff[i], tiff[i + 1], tiff[i + 2], tiff[i + 3]];
        if le {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        }
    };
    let ifd = u32_at(4) as usize;
    let n = u16_at(ifd) as usize;
    let (mut offset, mut count) = (0usize, 0usize);
    for e in 0..n {
        let at = ifd + 2 + e * 12;
        let typ = u16_at(at + 2);
        let value = if typ == 3 {
            u16_at(at + 8) as u32
        } else {
            u32_at(at + 8)
        };
        match u16_at(at) {
            273 => offset = value as usize,
            279 => count = value as usize,
            _ => {}
        }
    }
    tiff[offset..offset + count].to_vec()
}

#[test]
fn libtiff_decodes_our_output() {
    if std::process::Command::new("tiffcp")
        .arg("-h")
        .output()
        .is_err()
    {
        eprintln!("tiffcp not installed; skipping the libtiff cross-check");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let img = random_page(1728, 120, 60);
    let cases: [(Coding, u16, u32, bool, bool); 7] = [
        (Coding::Mh, 3, 0, false, false),
        (Coding::Mh, 3, 4, true, true),
        (Coding::Mr { k: 4 }, 3, 1, false, true),
        (Coding::Mr { k: 2 }, 3, 5, true, true),
        (Coding::Mmr, 4, 0, false, true),
        (Coding::Mmr, 4, 0, false, false),
        (Coding::MhRle, 2, 0, false, false),
    ];
    for (i, (coding, compression, options, fill, end)) in cases.into_iter().enumerate() {
        for lsb in [false, true] {
            let mut data = enc(&img, coding, fill, end);
            if lsb {
                reverse_bits_in_place(&mut data);
            }
            let src = dir.path().join(format!("in{i}{lsb}.tif"));
            let dst = dir.path().join(format!("out{i}{lsb}.tif"));
            std::fs::write(
                &src,
                minimal_tiff(&data, 1728, 120, compression, options, lsb),
            )
            .unwrap();
            let out = std::process::Command::new("tiffcp")
                .args(["-c", "none", "-f", "msb2lsb", "-r", "100000"])
                .arg(&src)
                .arg(&dst)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{coding:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                out.stderr.is_empty(),
                "{coding:?} lsb={lsb}: libtiff warned: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let raw = read_uncompressed_strip(&std::fs::read(&dst).unwrap());
            let back = BitImage::from_packed(1728, 120, &raw);
            assert!(
                back == img,
                "{coding:?} fill={fill} end={end} lsb={lsb}: libtiff pixels differ"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// The 2-D row decoder against a plain one
// ---------------------------------------------------------------------------

mod two_d_against_search {
    //! The 2-D row decoder predicts `b1` and takes vertical and pass codes
    //! on one fast path (see `decode::decode_2d_changes`). This is the
    //! decoder it replaced, which searches for `b1` before every code;
    //! both must agree on every input, good or bad: the same changes, the
    //! same fault, the same bits consumed.

    use super::super::bitio::{BitReader, BitWriter, PaddedInput};
    use super::super::decode::{decode_2d_row, decode_horizontal, mode_fault, RowFault};
    use super::super::runs::{push_change, Changes};
    use super::super::tables::{
        BLACK_MAKEUP, BLACK_TERM, MODE_BITS, MODE_H, MODE_HORIZONTAL, MODE_P, MODE_PASS,
        MODE_TABLE, MODE_VERTICAL, WHITE_MAKEUP, WHITE_TERM,
    };
    use super::Rng;

    /// The plain decoder (the codec's 2-D loop before `b1` prediction).
    fn decode_2d_by_search(
        r: &mut BitReader,
        reference: &[u32],
        cur: &mut [u32],
        width: u32,
    ) -> Result<usize, RowFault> {
        let mut n = 0usize;
        let mut a0_next = 0u32;
        let mut j = 0usize;
        loop {
            // Rarely iterates: `j` is moved on at the bottom of the loop.
            while reference[j] < a0_next {
                j += 1;
            }
            let jb = j + ((j ^ n) & 1);
            r.refill_always();
            let e = MODE_TABLE[r.peek(MODE_BITS) as usize];
            let mode = (e >> 8) & 0xFF;
            if mode <= MODE_P {
                // at least MODE_BITS are buffered, and no code is longer
                r.consume_buffered(e & 0xFF);
                let is_pass = mode == MODE_P;
                let (b1, b2) = (reference[jb], reference[jb + 1]);
                // b1 + delta; wraps to a huge value left of the row, which the
                // "past the row end" test below catches.
                let a1 = (b1 + ((e >> 16) & 0xFF)).wrapping_sub(3);
                // Well-formed data has a0 < a1 <= width; anything else (an
                // error, or a1 = a0: a zero-length run) takes the slow path.
                let past_end = a1 > width;
                if !is_pass & (past_end | (a1.wrapping_add(1) <= a0_next)) {
                    if past_end {
                        return Err(RowFault::ReferencePastRowEnd);
                    } else if a1.wrapping_add(1) < a0_next {
                        return Err(RowFault::ChangeBeforeA0);
                    }
                    // a1 = a0: if a0 is a stored change, the two cancel
                    push_change(cur, &mut n, a1);
                } else {
                    cur[n] = a1;
                    n += (!is_pass & (a1 < width)) as usize;
                }
                a0_next = if is_pass { b2 } else { a1 } + 1;
            } else if mode == MODE_H {
                a0_next = decode_horizontal(r, cur, &mut n, a0_next, width)?;
            } else {
                return Err(mode_fault(mode));
            }
            if a0_next > width {
                break;
            }
            // Move `j` on towards the first reference change right of the new
            // a0 without a loop (see `encode_2d`); `j + 2` is at most the last
            // sentinel because `j` is at most the first while a0 < width.
            let ahead = &reference[j..j + 3];
            j += ahead.iter().map(|&x| (x < a0_next) as usize).sum::<usize>();
        }
        Ok(n)
    }

    /// A reference row: `count` random strictly ascending changes below
    /// `width`, often bunched (runs of 1 to 3 pixels, where `b1` jumps).
    fn random_changes(rng: &mut Rng, width: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut x = rng.below(6);
        let spread = [2, 4, 10, 60, 400][rng.below(5) as usize];
        while x < width {
            out.push(x);
            x += 1 + rng.below(spread);
        }
        out
    }

    /// Bits for a row of random 2-D codes, mostly vertical and pass codes
    /// (in proportions like a text page's), with horizontal codes carrying
    /// short runs, and now and then a code that is invalid where it lands.
    fn random_codes(rng: &mut Rng) -> Vec<u8> {
        // at most 59 codes of at most 3 + 13 + 12 + 12 bits: room for all
        let mut w = BitWriter::with_capacity(320);
        let mut put = |code: u32, len: u8| w.put(code, u32::from(len));
        for _ in 0..rng.below(60) {
            match rng.below(100) {
                0..=44 => put(1, 1),
                45..=79 => {
                    let v = MODE_VERTICAL[[2, 4][rng.below(2) as usize]];
                    put(v.bits as u32, v.len)
                }
                80..=86 => {
                    let v = MODE_VERTICAL[rng.below(7) as usize];
                    put(v.bits as u32, v.len)
                }
                87..=91 => put(MODE_PASS.bits as u32, MODE_PASS.len),
                92..=97 => {
                    put(MODE_HORIZONTAL.bits as u32, MODE_HORIZONTAL.len);
                    let w = WHITE_TERM[rng.below(64) as usize];
                    let b = BLACK_TERM[rng.below(64) as usize];
                    let white_first = rng.below(2) == 0;
                    let (first, second) = if white_first { (w, b) } else { (b, w) };
                    // a third of the first runs are 64 pixels or longer:
                    // a make-up code first (in the colour the code says;
                    // the row's colour at a0 may differ, a fault then)
                    if rng.below(3) == 0 {
                        let make_up = if white_first {
                            WHITE_MAKEUP[rng.below(27) as usize]
                        } else {
                            BLACK_MAKEUP[rng.below(27) as usize]
                        };
                        put(make_up.bits as u32, make_up.len);
                    }
                    put(first.bits as u32, first.len);
                    put(second.bits as u32, second.len);
                }
                _ => put(rng.next() & 0x7F, 7),
            }
        }
        w.finish()
    }

    /// Decodes one row of `data` against `reference` both ways and
    /// asserts they agree.
    fn assert_agree(data: &[u8], reference: &[u32], width: u32, what: &str) {
        let mut ref_changes = Changes::white(width);
        let buf = ref_changes.buf_mut();
        buf[..reference.len()].copy_from_slice(reference);
        ref_changes.set_len(reference.len());
        let input = PaddedInput::new(data);
        let mut fast_reader = input.reader();
        let mut fast = Changes::white(width);
        let fast_result = decode_2d_row(
            &mut fast_reader,
            ref_changes.list_for_decoding(),
            &mut fast,
            width,
        );
        let mut plain_reader: BitReader = input.reader();
        let mut plain = vec![width; width as usize + 16];
        let plain_result =
            decode_2d_by_search(&mut plain_reader, ref_changes.list(), &mut plain, width);
        match (fast_result, plain_result) {
            (Ok(()), Ok(n)) => assert_eq!(fast.real(), &plain[..n], "{what}"),
            (fast, plain) => assert_eq!(fast.err(), plain.err(), "{what}"),
        }
        assert_eq!(
            fast_reader.position(),
            plain_reader.position(),
            "{what}: bits consumed"
        );
    }

    /// [`assert_agree`] on `data`, and with `cuts` on every prefix of it
    /// too (data ending mid-code).
    fn assert_agree_cut(data: &[u8], reference: &[u32], width: u32, cuts: bool, what: &str) {
        assert_agree(data, reference, width, what);
        let prefixes = if cuts { data.len() } else { 0 };
        for cut in 0..prefixes {
            assert_agree(&data[..cut], reference, width, &format!("{what} cut {cut}"));
        }
    }

    #[test]
    fn random_code_rows_decode_alike() {
        let mut rng = Rng(0x5EED_2D2D);
        for round in 0..20_000 {
            let width = [1, 2, 5, 8, 31, 64, 100, 1728][rng.below(8) as usize];
            let reference = random_changes(&mut rng, width);
            let data = random_codes(&mut rng);
            // and every prefix of a few of them (data ending mid-code)
            let cuts = round % 50 == 0;
            assert_agree_cut(&data, &reference, width, cuts, &format!("round {round}"));
        }
    }

    /// Rows of vertical and pass codes only (the batch path's diet), against
    /// references whose changes bunch up near the row end: batches then
    /// straddle the row end, run into the sentinels, or hold a failing
    /// code at every slot.
    #[test]
    fn vertical_and_pass_rows_decode_alike() {
        let mut rng = Rng(0xBA7C4);
        for round in 0..20_000 {
            let width = [1, 2, 3, 9, 40, 64, 65, 1728][rng.below(8) as usize];
            let mut reference = random_changes(&mut rng, width);
            // keep only a tail of the changes now and then: a row that is
            // white, then busy up to its end
            if rng.below(2) == 0 {
                let keep = rng.below(6) as usize;
                reference.drain(..reference.len().saturating_sub(keep));
            }
            let mut w = BitWriter::with_capacity(64);
            for _ in 0..rng.below(30) {
                let code = match rng.below(10) {
                    0..=3 => MODE_VERTICAL[3],
                    4..=7 => MODE_VERTICAL[[2, 4][rng.below(2) as usize]],
                    8 => MODE_VERTICAL[rng.below(7) as usize],
                    _ => MODE_PASS,
                };
                w.put(code.bits as u32, u32::from(code.len));
            }
            let data = w.finish();
            let cuts = round % 100 == 0;
            assert_agree_cut(
                &data,
                &reference,
                width,
                cuts,
                &format!("v/p round {round}"),
            );
        }
    }

    /// The SIMD vertical batch against its lane-by-lane twin (the one
    /// other architectures run): the same pass bits, stores and `a0`.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn vertical_batch_lanes_match_simd() {
        use super::super::decode::{vertical_batch_lanes, vertical_batch_sse2};
        use super::super::tables::{BATCH_DELTAS, BATCH_SLOTS};
        let mut rng = Rng(0x51AD);
        for round in 0..50_000 {
            let width = [8, 40, 1728][rng.below(3) as usize];
            let mut reference = vec![0];
            reference.extend(random_changes(&mut rng, width));
            reference.extend([width; 8]);
            let jb = 1 + rng.below(reference.len() as u32 - 6) as usize;
            let deltas = (0..4).fold(0u32, |d, k| d | (rng.below(7) << (3 * k)));
            // the other fields of a batch entry around them: ignored
            let others = rng.next() & !BATCH_DELTAS.put((1 << (3 * BATCH_SLOTS)) - 1);
            let entry = BATCH_DELTAS.put(deltas) | others;
            let a0 = if rng.below(8) == 0 {
                u32::MAX
            } else {
                reference[jb - 1] + rng.below(4)
            };
            let last = rng.below(4) as usize;
            let n = rng.below(3) as usize;
            let mut simd = vec![7u32; 8];
            let mut lanes = vec![7u32; 8];
            let a = vertical_batch_sse2(&reference, jb, &mut simd, n, entry, a0, last);
            let b = vertical_batch_lanes(&reference, jb, &mut lanes, n, entry, a0, last);
            assert_eq!((a, &simd), (b, &lanes), "round {round}");
            // lane k holds reference[jb + k] moved by field k's delta (the
            // field is delta + 3), whatever the entry's other fields hold
            for k in 0..4 {
                let delta = ((deltas >> (3 * k)) & 7) as i32 - 3;
                assert_eq!(lanes[n + k] as i32, reference[jb + k] as i32 + delta);
            }
        }
    }

    /// The bits of a batch's first vertical codes, for each count: V0
    /// (1 bit), VR1 (3), VL2 (6), VR3 (7), as `delta + 3` fields.
    #[test]
    fn vertical_code_bits_totals_each_prefix() {
        use super::super::decode::vertical_code_bits;
        let deltas = 3 | (4 << 3) | (1 << 6) | (6 << 9);
        let totals: Vec<u32> = (1..=4).map(|c| vertical_code_bits(deltas, c)).collect();
        assert_eq!(totals, [1, 4, 10, 17]);
        // VL3 four times: 7 bits each
        assert_eq!(vertical_code_bits(0, 4), 28);
        assert_eq!(vertical_code_bits(0, 1), 7);
    }

    #[test]
    fn random_bytes_decode_alike() {
        let mut rng = Rng(0xB17E5);
        for round in 0..5_000 {
            let width = [1, 3, 17, 64, 200, 1728][rng.below(6) as usize];
            let reference = random_changes(&mut rng, width);
            let data: Vec<u8> = (0..rng.below(40)).map(|_| rng.next() as u8).collect();
            assert_agree(&data, &reference, width, &format!("bytes round {round}"));
        }
    }
}
