//! Codec benchmarks: MH, MR (k = 4) and G4 encode/decode on three fax
//! pages (1728 x 2156, fine), with the `fax` crate's G4 encoder and decoder
//! on the same pages for comparison: `fax-decode-g4` only totals the changes
//! it hands out (a lower bound), `fax-decode-g4-bitmap` builds the same
//! bitmap ours returns by filling the runs between those changes.
//!
//! Pages (1728 x 2156, fine): the typical text page of fax benchmarks,
//! ITU-T test chart 1 (the "Slerexe" typed business letter, 44 k changing
//! elements, fixtures/pages/itu-letter-fine.pbm); a dense text chart,
//! ITU-T test chart 4 (176 k changes, fixtures/pages/itu-text-fine.pbm);
//! a synthetic photo through an 8x8 clustered-dot screen; a blank page.
//! Our coders cost per changing element; the `fax` encoder also costs per
//! pixel (its API takes a pixel iterator), so the ratio depends on the page.
//!
//! Run: `cargo bench --bench codec -- --warm-up-time 1 --measurement-time 3`
//! (figures of the last run are in the project's closing notes; compare
//! within one run, the shared 2-core VM varies by 15 % between runs).
//! On a busy machine, `FAXRENDER_BENCH_MIN=200 cargo bench --bench codec`
//! prints the fastest of 200 G4 decodes and encodes per page instead (see
//! [`min_timer`]). The same page decoded over and over gets faster for
//! thousands of rounds (the branch predictor learns it): ours took 145 us
//! on the letter as the fastest of 300, 138 as the fastest of 3000, and
//! ~139 as criterion's mean; the `fax` decoder gains too. Compare ratios
//! taken the same way, not times from different kinds of run. Code
//! placement alone moves the letter by up to 9 %: one version of the
//! decoder took 182 to 198 us (fastest of 1000) when built with
//! different loop, block or function alignments (`RUSTFLAGS="-C
//! llvm-args=-align-all-nofallthru-blocks=5"` and the like), while dense
//! text moved by 1-2 %; judge a change of a few percent over several
//! such builds, not one.
//! Instruction counts (cachegrind, dense text, G4): encode ~90 per change
//! (a quarter of it finding the changes in the packed rows), decode to a
//! bitmap ~48 per change (~10 of them painting; ~70 before the batch path
//! took pass codes and horizontal pairs). Decoding runs at 3.3 (dense
//! text) to 3.9 (letter) instructions per cycle, yet it is not bound by
//! its instruction count or by the execution ports: ten extra ALU
//! instructions in every batch (563,000 on dense text) added under 1 %
//! (547.9 -> 552.7 us, over three code layouts) and nothing on the
//! letter. Painting was also bound by memory: XORs into one
//! scratch word waiting for each other, and reading a row's changes while
//! the decoder's stores of them were in flight (see `runs::Painter` and
//! `decode::RowSink`). Leaving painting out altogether takes 29 % off
//! the letter's decode time (155 -> 110 us): painting is the largest
//! single part of it. The rest is bound by mispredicted branches more
//! than by the chain of table lookups: ten no-ops added to every batch, a
//! chain one instruction shorter, and a horizontal pair looked up before
//! it is known to be needed each changed nothing measurable, while taking
//! the branch to a horizontal code one lookup sooner (`BATCH_H_NEXT`)
//! took 3 % off dense text. Branches once per row count as well: a sum
//! over a batch's lanes at the row end compiled to a branch per lane,
//! and summing all lanes instead took 3.5 % off the letter (1.4 % off
//! dense text); valgrind's branch simulation (`cachegrind
//! --branch-sim=yes`) points at such branches on a machine without
//! performance counters.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use faxrender::bitmap::BitImage;
use faxrender::codec::{decode, encode, Coding, DecodeOptions, EncodeOptions};

const WIDTH: u32 = 1728;
const ROWS: u32 = 2156;

/// Reads a raw (P4) PBM: 1 = black, rows packed MSB-first.
fn read_pbm(bytes: &[u8]) -> BitImage {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 3 {
        match bytes[i] {
            b'#' => {
                while bytes[i] != b'\n' {
                    i += 1;
                }
            }
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                fields.push(std::str::from_utf8(&bytes[start..i]).unwrap().to_owned());
            }
        }
    }
    assert_eq!(fields[0], "P4", "not a raw PBM");
    let width: u32 = fields[1].parse().unwrap();
    let height: u32 = fields[2].parse().unwrap();
    BitImage::from_packed(width, height, &bytes[i + 1..])
}

/// A page from fixtures/pages/.
fn fixture_page(name: &str) -> BitImage {
    let path = format!("{}/fixtures/pages/{name}", env!("CARGO_MANIFEST_DIR"));
    let img = read_pbm(&std::fs::read(&path).expect("page fixture"));
    assert_eq!((img.width, img.height), (WIDTH, ROWS), "{path}");
    img
}

/// 8x8 clustered-dot threshold matrix (a dot grows from the centre of each
/// cell), values 0..64.
const CLUSTER_8X8: [[u8; 8]; 8] = [
    [24, 10, 12, 26, 35, 47, 49, 37],
    [8, 0, 2, 14, 45, 59, 61, 51],
    [22, 6, 4, 16, 43, 57, 63, 53],
    [30, 20, 18, 28, 33, 41, 55, 39],
    [34, 46, 48, 36, 25, 11, 13, 27],
    [44, 58, 60, 50, 9, 1, 3, 15],
    [42, 56, 62, 52, 23, 7, 5, 17],
    [32, 40, 54, 38, 31, 21, 19, 29],
];

/// A smooth synthetic "photo" (gradients, a soft disc, some deterministic
/// noise) halftoned with the clustered-dot screen.
fn photo_page() -> BitImage {
    let mut img = BitImage::new(WIDTH, ROWS);
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let (cx, cy, r) = (WIDTH as i64 / 2, ROWS as i64 / 2, 600i64);
    for y in 0..ROWS {
        for x in 0..WIDTH {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let noise = (seed % 25) as i64 - 12;
            // 0 = white .. 255 = black
            let mut ink = (x as i64 * 180 / WIDTH as i64) + (y as i64 * 60 / ROWS as i64);
            let (dx, dy) = (x as i64 - cx, y as i64 - cy);
            let d2 = dx * dx + dy * dy;
            if d2 < r * r {
                ink = ink / 3 + 160 * (r * r - d2) / (r * r);
            }
            let ink = (ink + noise).clamp(0, 255);
            let threshold = CLUSTER_8X8[(y % 8) as usize][(x % 8) as usize] as i64 * 4 + 2;
            if ink > threshold {
                img.set(x, y, true);
            }
        }
    }
    img
}

fn fax_encode_g4(img: &BitImage) -> Vec<u8> {
    let mut enc = fax::encoder::Encoder::new(fax::VecWriter::new());
    for y in 0..img.height {
        let row = img.row(y);
        let pels = (0..img.width as usize).map(|x| {
            if row[x >> 3] & (0x80 >> (x & 7)) != 0 {
                fax::Color::Black
            } else {
                fax::Color::White
            }
        });
        enc.encode_line(pels, img.width).unwrap();
    }
    enc.finish().unwrap().finish()
}

/// The `fax` decoder hands out each row's changes; we only total them, so
/// its figure excludes building a bitmap (which ours includes).
fn fax_decode_g4(data: &[u8]) -> usize {
    let mut changes = 0usize;
    fax::decoder::decode_g4(data.iter().copied(), WIDTH, Some(ROWS), |c| {
        changes += c.len();
    });
    changes
}

/// The `fax` decoder producing the same output as ours, a packed bitmap.
/// Its API hands out each row's changes (or a per-pixel `pels` iterator,
/// which is several times slower); filling the black runs from the changes
/// a byte at a time, as a careful user of the crate would, keeps the
/// comparison fair.
fn fax_decode_g4_bitmap(data: &[u8]) -> BitImage {
    let mut img = BitImage::new(WIDTH, ROWS);
    let mut y = 0;
    fax::decoder::decode_g4(data.iter().copied(), WIDTH, Some(ROWS), |changes| {
        if y < ROWS {
            let row = img.row_mut(y);
            for pair in changes.chunks(2) {
                let start = pair[0].min(WIDTH);
                let end = pair.get(1).copied().unwrap_or(WIDTH).min(WIDTH);
                fill_black(row, start as usize, end as usize);
            }
        }
        y += 1;
    });
    img
}

/// Sets pixels `start..end` of a packed row: partial bytes at the ends,
/// whole bytes in between.
fn fill_black(row: &mut [u8], start: usize, end: usize) {
    if start >= end {
        return;
    }
    let (first, last) = (start / 8, (end - 1) / 8);
    let head = 0xFFu8 >> (start % 8);
    let tail = 0xFFu8 << (7 - (end - 1) % 8);
    if first == last {
        row[first] |= head & tail;
    } else {
        row[first] |= head;
        row[first + 1..last].fill(0xFF);
        row[last] |= tail;
    }
}

fn options(coding: Coding) -> EncodeOptions {
    EncodeOptions {
        coding,
        eol_fill: !matches!(coding, Coding::Mmr),
        end_marker: true,
    }
}

fn decode_options(coding: Coding) -> DecodeOptions {
    DecodeOptions {
        coding,
        width: WIDTH,
        rows: Some(ROWS),
        lsb_first: false,
        max_rows: ROWS,
    }
}

fn bench_page(c: &mut Criterion, name: &str, img: &BitImage) {
    let codings = [
        ("mh", Coding::Mh),
        ("mr4", Coding::Mr { k: 4 }),
        ("g4", Coding::Mmr),
    ];
    let mut group = c.benchmark_group(name);
    for (label, coding) in codings {
        let opts = options(coding);
        let data = encode(img, &opts);
        let decoded = decode(&data, &decode_options(coding));
        assert!(
            decoded.is_clean() && decoded.image == *img,
            "{name} {label}"
        );
        println!("{name}: {label} {} bytes", data.len());
        group.bench_function(format!("encode-{label}"), |b| {
            b.iter(|| encode(black_box(img), &opts))
        });
        group.bench_function(format!("decode-{label}"), |b| {
            b.iter(|| decode(black_box(&data), &decode_options(coding)))
        });
    }
    let theirs = fax_encode_g4(img);
    println!("{name}: fax g4 {} bytes", theirs.len());
    group.bench_function("fax-encode-g4", |b| {
        b.iter(|| fax_encode_g4(black_box(img)))
    });
    group.bench_function("fax-decode-g4", |b| {
        b.iter(|| fax_decode_g4(black_box(&theirs)))
    });
    assert!(fax_decode_g4_bitmap(&theirs) == *img, "{name}: fax decode");
    group.bench_function("fax-decode-g4-bitmap", |b| {
        b.iter(|| fax_decode_g4_bitmap(black_box(&theirs)))
    });
    group.finish();
}

/// `FAXRENDER_BENCH_MIN=rounds`: instead of criterion, times G4 decoding
/// (ours and the `fax` crate's to a bitmap) on every page `rounds` times,
/// and G4 encoding (ours `rounds` times, the much slower `fax` encoder a
/// tenth as often), and prints the fastest run of each. On a shared, noisy machine the
/// minimum is far steadier than criterion's mean: other processes only
/// ever add time.
fn min_timer(rounds: u32) {
    let pages = [
        ("letter", fixture_page("itu-letter-fine.pbm")),
        ("text", fixture_page("itu-text-fine.pbm")),
        ("photo", photo_page()),
        ("blank", BitImage::new(WIDTH, ROWS)),
    ];
    for (name, img) in &pages {
        let ours = encode(img, &options(Coding::Mmr));
        let theirs = fax_encode_g4(img);
        let fastest_of = |n: u32, f: &dyn Fn()| {
            (0..n)
                .map(|_| {
                    let start = std::time::Instant::now();
                    f();
                    start.elapsed()
                })
                .min()
                .unwrap_or_default()
        };
        let fastest = |f: &dyn Fn()| fastest_of(rounds, f);
        let ours_time = fastest(&|| {
            black_box(decode(black_box(&ours), &decode_options(Coding::Mmr)));
        });
        let fax_time = fastest(&|| {
            black_box(fax_decode_g4_bitmap(black_box(&theirs)));
        });
        let us = |d: std::time::Duration| d.as_secs_f64() * 1e6;
        println!(
            "{name:7} decode-g4 {:9.1} us   fax-decode-g4-bitmap {:9.1} us   ratio {:.2}",
            us(ours_time),
            us(fax_time),
            fax_time.as_secs_f64() / ours_time.as_secs_f64()
        );
        // the fax encoder takes ~25 ms on text: fewer rounds
        let encode_rounds = (rounds / 10).max(1);
        let ours_time = fastest(&|| {
            black_box(encode(black_box(img), &options(Coding::Mmr)));
        });
        let fax_time = fastest_of(encode_rounds, &|| {
            black_box(fax_encode_g4(black_box(img)));
        });
        println!(
            "{name:7} encode-g4 {:9.1} us   fax-encode-g4        {:9.1} us   ratio {:.2}",
            us(ours_time),
            us(fax_time),
            fax_time.as_secs_f64() / ours_time.as_secs_f64()
        );
    }
}

fn codec_benches(c: &mut Criterion) {
    if let Some(rounds) = std::env::var("FAXRENDER_BENCH_MIN")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        min_timer(rounds);
        return;
    }
    bench_page(c, "letter", &fixture_page("itu-letter-fine.pbm"));
    bench_page(c, "text", &fixture_page("itu-text-fine.pbm"));
    bench_page(c, "photo", &photo_page());
    bench_page(c, "blank", &BitImage::new(WIDTH, ROWS));
}

criterion_group!(benches, codec_benches);
criterion_main!(benches);
