//! Where a page is a photo and where it is text: per-tile classification
//! for the `auto` mode.
//!
//! The page is cut into tiles of 64 pixels by about as many physical
//! millimetres of rows (8 mm square: 32 rows at standard, 64 at fine, 128 at
//! superfine). The feature that separates photos from text is *solid
//! mid-tone*: a pixel in 40..=215 whose four neighbours are mid-tone too.
//! Anti-aliased text has mid-tones only on its thin edges, next to black
//! or white, so it has almost none; a photo's smooth areas are made of it.
//! The second feature is paper: text tiles are mostly paper, photo tiles
//! have next to none.
//!
//! 1. A tile that is at least 3/4 non-paper (< 250) and at least 1/4 solid
//!    mid-tone is a photo seed. (Blurry or gray text, e.g. an upscaled
//!    screenshot, can have much mid-tone but still leaves most of the tile
//!    paper.)
//! 2. Photo regions then grow into neighbouring tiles (8-connected) whose
//!    non-paper pixels are mostly solid: 2/3 of them solid mid-tone, or 3/4
//!    solid non-paper of any tone. That takes in the dark shadows and light
//!    sky of a photo and the slivers of a photo that cut into a tile at its
//!    edge, so the photo is halftoned up to its border without a seam;
//!    text beside it, made of thin strokes, is not solid and stays text.
//!
//! Everything else is text. White paper is the same in both modes, so tile
//! edges in blank margins never show.

use crate::bitmap::GrayImage;
use crate::geometry::Resolution;
use rayon::prelude::*;

/// Tile width in pixels (8 output bytes).
pub(super) const TILE_WIDTH: u32 = 64;

/// Mid-tones: what a photo's smooth areas are made of.
const MID_TONE: std::ops::RangeInclusive<u8> = 40..=215;
/// Anything darker than paper.
const NOT_PAPER: std::ops::RangeInclusive<u8> = 0..=249;

/// What a region of the page holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegionKind {
    /// Text, line art, blank paper: thresholded.
    Text,
    /// Continuous tone: halftoned.
    Photo,
}

/// The kind of every tile of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionMap {
    /// Tile size in pixels (width, rows).
    pub tile_size: (u32, u32),
    /// Number of tiles across and down.
    pub tiles: (u32, u32),
    /// Row-major tile kinds.
    pub kinds: Vec<RegionKind>,
}

impl RegionMap {
    /// The kind of tile (`col`, `row`).
    #[inline]
    pub fn kind(&self, col: u32, row: u32) -> RegionKind {
        self.kinds[(row * self.tiles.0 + col) as usize]
    }

    /// The kind of the tile holding pixel (x, y).
    pub fn kind_at(&self, x: u32, y: u32) -> RegionKind {
        self.kind(x / self.tile_size.0, y / self.tile_size.1)
    }

    /// The kind of every tile, if they are all the same (or the page is empty).
    pub fn uniform(&self) -> Option<RegionKind> {
        let first = *self.kinds.first().unwrap_or(&RegionKind::Text);
        self.kinds.iter().all(|&k| k == first).then_some(first)
    }

    /// Share of photo tiles, in 1/1000 of all tiles (for reports).
    pub fn photo_permille(&self) -> u32 {
        let photo = self
            .kinds
            .iter()
            .filter(|&&k| k == RegionKind::Photo)
            .count();
        (photo * 1000 / self.kinds.len().max(1)) as u32
    }
}

/// Tile rows for a resolution: about 8 mm, like the 64-pixel width.
pub(super) fn tile_rows(res: Resolution) -> u32 {
    match res {
        Resolution::Standard => 32,
        Resolution::Fine => 64,
        Resolution::Superfine => 128,
    }
}

/// Pixel counts of one tile.
#[derive(Debug, Clone, Copy, Default)]
struct TileStats {
    pixels: u32,
    /// Pixels darker than paper.
    ink: u32,
    /// Mid-tone pixels whose four neighbours are mid-tone.
    solid_mid: u32,
    /// Non-paper pixels whose four neighbours are not paper.
    solid_ink: u32,
}

impl TileStats {
    fn is_seed(&self) -> bool {
        self.ink * 4 >= self.pixels * 3 && self.solid_mid * 4 >= self.pixels && self.pixels > 0
    }
    fn can_grow_into(&self) -> bool {
        self.ink > 0 && (self.solid_mid * 3 >= self.ink * 2 || self.solid_ink * 4 >= self.ink * 3)
    }
}

/// A page's tile size and its count of tiles across and down (the last
/// column and row may be partial).
fn tile_grid(img: &GrayImage, res: Resolution) -> ((u32, u32), (u32, u32)) {
    let tile_size = (TILE_WIDTH, tile_rows(res));
    let tiles = (
        img.width.div_ceil(tile_size.0),
        img.height.div_ceil(tile_size.1),
    );
    (tile_size, tiles)
}

/// Classifies the tiles of a page (see the module doc).
pub fn classify(img: &GrayImage, res: Resolution) -> RegionMap {
    let (tile_size, tiles) = tile_grid(img, res);
    // Most pages hold no photo: when no tile has enough ink to be a seed
    // (3/4 of it not paper), nothing can be photo, and the costlier
    // neighbourhood statistics are skipped. Same result, one cheap pass.
    if !any_possible_seed(img, tile_size, tiles) {
        return RegionMap {
            tile_size,
            tiles,
            kinds: vec![RegionKind::Text; (tiles.0 * tiles.1) as usize],
        };
    }
    classify_tiles(img, res)
}

/// [`classify`] without its first check, for a caller that knows a tile
/// may seed a photo (`auto` checks while it thresholds).
pub(super) fn classify_tiles(img: &GrayImage, res: Resolution) -> RegionMap {
    let (tile_size, tiles) = tile_grid(img, res);
    let stats: Vec<TileStats> = (0..tiles.1)
        .into_par_iter()
        .flat_map_iter(|band| band_stats(img, band * tile_size.1, tile_size.1, tiles.0))
        .collect();
    let kinds = grow_photo_regions(&stats, tiles.0 as usize, tiles.1 as usize);
    RegionMap {
        tile_size,
        tiles,
        kinds,
    }
}

/// Whether any tile is at least 3/4 non-paper, the first condition of a
/// photo seed, band by band (see [`SeedCheck`]). A text page is scanned
/// whole, so this is the cost `classify` adds on most pages; `auto` does
/// the same check inside its thresholding pass instead.
fn any_possible_seed(img: &GrayImage, tile_size: (u32, u32), tiles: (u32, u32)) -> bool {
    (0..tiles.1).into_par_iter().any(|band| {
        let y0 = band * tile_size.1;
        let y1 = (y0 + tile_size.1).min(img.height);
        let mut check = SeedCheck::new(img.width);
        for y in y0..y1 {
            check.add_row(img.row(y));
        }
        check.may_seed()
    })
}

/// The seed check of one band of tile rows: one byte counter per column,
/// bumped row by row (a compare and a subtract per 16 pixels once
/// vectorized), then summed per tile. A tile band has at most 128 rows, so
/// a byte cannot overflow (bilevel bench, text page: 325 -> 244 µs against
/// summing each row's 64-pixel segments).
pub(super) struct SeedCheck {
    column_ink: Vec<u8>,
    rows: u32,
}

impl SeedCheck {
    pub(super) fn new(width: u32) -> Self {
        SeedCheck {
            column_ink: vec![0; width as usize],
            rows: 0,
        }
    }

    /// Counts the non-paper pixels of the band's next row.
    #[inline]
    pub(super) fn add_row(&mut self, row: &[u8]) {
        debug_assert!(self.rows < u32::from(u8::MAX));
        for (n, &v) in self.column_ink.iter_mut().zip(row) {
            *n += u8::from(v <= *NOT_PAPER.end());
        }
        self.rows += 1;
    }

    /// Whether a tile of the band is at least 3/4 non-paper.
    pub(super) fn may_seed(&self) -> bool {
        self.column_ink.chunks(TILE_WIDTH as usize).any(|tile| {
            let ink: u32 = tile.iter().map(|&n| u32::from(n)).sum();
            let pixels = tile.len() as u32 * self.rows;
            pixels > 0 && ink * 4 >= pixels * 3
        })
    }
}

/// Bit 0: mid-tone, bit 1: not paper.
#[inline]
fn tone_bits(v: u8) -> u8 {
    u8::from(MID_TONE.contains(&v)) | u8::from(NOT_PAPER.contains(&v)) << 1
}

/// The tone bits of row `y` into `bits[1..=width]`; `bits[0]` and the last
/// cell stay 0 (outside the page counts as neither). Returns whether the
/// row has anything but paper: most rows of a text page are blank, and a
/// blank row's bits are all 0 (one fast scan, no per-pixel mapping).
fn row_bits(img: &GrayImage, y: u32, bits: &mut [u8]) -> bool {
    let w = img.width as usize;
    let row = img.row(y);
    // the lightest pixel, not `all`: a reduction the compiler vectorizes,
    // where `all`'s early exit keeps it to a byte at a time
    if row.iter().copied().min().unwrap_or(u8::MAX) > *NOT_PAPER.end() {
        bits[1..=w].fill(0);
        return false;
    }
    for (b, &v) in bits[1..=w].iter_mut().zip(row) {
        *b = tone_bits(v);
    }
    true
}

/// Stats of the tiles of one band of rows, left to right.
fn band_stats(img: &GrayImage, y0: u32, rows: u32, cols: u32) -> Vec<TileStats> {
    let w = img.width as usize;
    let tile = TILE_WIDTH as usize;
    let y1 = (y0 + rows).min(img.height);
    let mut stats = vec![TileStats::default(); cols as usize];
    // rolling tone bits of rows y-1, y, y+1, padded by one cell each side
    let mut above = vec![0u8; w + 2];
    let mut here = vec![0u8; w + 2];
    let mut below = vec![0u8; w + 2];
    if y0 > 0 {
        row_bits(img, y0 - 1, &mut above);
    }
    let mut here_ink = row_bits(img, y0, &mut here);
    for y in y0..y1 {
        let below_ink = if y + 1 < img.height {
            row_bits(img, y + 1, &mut below)
        } else {
            below.fill(0);
            false
        };
        for (t, stat) in stats.iter_mut().enumerate() {
            let x0 = t * tile;
            let x1 = (x0 + tile).min(w);
            stat.pixels += (x1 - x0) as u32;
            // A pixel counts only when it is not paper itself: nothing to
            // add for a blank row or a blank stretch of one.
            // (an OR over the stretch, which vectorizes; `all` would not)
            if !here_ink || here[x0 + 1..=x1].iter().fold(0, |acc, &b| acc | b) == 0 {
                continue;
            }
            // Zipped slices and byte counters: the compiler turns this into
            // 16-lane byte ANDs and adds (indexed, or summed in u32, it
            // stayed scalar or 4 lanes wide: 8 % of a 14-page PDF's CPU).
            // A tile is at most 64 pixels wide, so a byte cannot overflow.
            const _: () = assert!(TILE_WIDTH <= 255);
            let n = x1 - x0;
            let (left, centre, right) =
                (&here[x0..x0 + n], &here[x0 + 1..=x1], &here[x0 + 2..x1 + 2]);
            let (up, down) = (&above[x0 + 1..=x1], &below[x0 + 1..=x1]);
            let (mut solid_mid, mut solid_ink, mut ink) = (0u8, 0u8, 0u8);
            for ((((&l, &c), &r), &u), &d) in left.iter().zip(centre).zip(right).zip(up).zip(down) {
                let s = l & c & r & u & d;
                solid_mid = solid_mid.wrapping_add(s & 1);
                solid_ink = solid_ink.wrapping_add(s >> 1);
                ink = ink.wrapping_add(c >> 1);
            }
            stat.solid_mid += u32::from(solid_mid);
            stat.solid_ink += u32::from(solid_ink);
            stat.ink += u32::from(ink);
        }
        std::mem::swap(&mut above, &mut here);
        std::mem::swap(&mut here, &mut below);
        here_ink = below_ink;
    }
    stats
}

/// Seeds photo tiles and grows them into eligible 8-neighbours. The result
/// is the set of eligible tiles connected to a seed, whatever the visiting
/// order.
fn grow_photo_regions(stats: &[TileStats], cols: usize, rows: usize) -> Vec<RegionKind> {
    let mut kinds = vec![RegionKind::Text; stats.len()];
    let mut queue: Vec<usize> = Vec::new();
    for (i, s) in stats.iter().enumerate() {
        if s.is_seed() {
            kinds[i] = RegionKind::Photo;
            queue.push(i);
        }
    }
    while let Some(i) = queue.pop() {
        let (c, r) = ((i % cols) as isize, (i / cols) as isize);
        for (dc, dr) in [
            (-1, -1),
            (0, -1),
            (1, -1),
            (-1, 0),
            (1, 0),
            (-1, 1),
            (0, 1),
            (1, 1),
        ] {
            let (nc, nr) = (c + dc, r + dr);
            if nc < 0 || nr < 0 || nc >= cols as isize || nr >= rows as isize {
                continue;
            }
            let n = nr as usize * cols + nc as usize;
            if kinds[n] == RegionKind::Text && stats[n].can_grow_into() {
                kinds[n] = RegionKind::Photo;
                queue.push(n);
            }
        }
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::super::test_pages::*;
    use super::*;

    #[test]
    fn text_page_is_all_text() {
        for res in Resolution::ALL {
            let page = text_page(res, 1728, 2156 * res.y_dpi() / 196);
            let map = classify(&page, res);
            assert_eq!(map.uniform(), Some(RegionKind::Text), "{res}");
        }
    }

    #[test]
    fn photo_page_is_photo_where_the_picture_is() {
        for res in Resolution::ALL {
            let (w, h) = (1728, 2156 * res.y_dpi() / 196);
            let page = photo_page(res, w, h);
            let (px0, py0, px1, py1) = photo_rect(w, h);
            let map = classify(&page, res);
            let (tw, th) = map.tile_size;
            for row in 0..map.tiles.1 {
                for col in 0..map.tiles.0 {
                    let (x0, y0) = (col * tw, row * th);
                    let (x1, y1) = (x0 + tw, y0 + th);
                    let inside = x0 >= px0 && x1 <= px1 && y0 >= py0 && y1 <= py1;
                    let outside = x1 <= px0 || x0 >= px1 || y1 <= py0 || y0 >= py1;
                    if inside {
                        assert_eq!(map.kind(col, row), RegionKind::Photo, "{res} {col},{row}");
                    } else if outside {
                        assert_eq!(map.kind(col, row), RegionKind::Text, "{res} {col},{row}");
                    }
                }
            }
        }
    }

    #[test]
    fn mixed_page_gets_both() {
        let res = Resolution::Fine;
        let mut page = text_page(res, 1728, 2156);
        // off the tile grid, so tiles at the photo's border hold slivers
        let (x0, y0) = (500, 610);
        let photo = photo_bleed_page(res, 803, 701);
        fill_rect(&mut page, x0 - 40, y0 - 40, x0 + 843, y0 + 741, 255);
        page.blit(&photo, x0 as i64, y0 as i64);
        let map = classify(&page, res);
        // every tile wholly inside the photo is photo (the border tiles are
        // handled pixel by pixel in `auto`)
        for row in 0..map.tiles.1 {
            for col in 0..map.tiles.0 {
                let (tx, ty) = (col * 64, row * 64);
                if tx >= x0 && tx + 64 <= x0 + 803 && ty >= y0 && ty + 64 <= y0 + 701 {
                    assert_eq!(map.kind(col, row), RegionKind::Photo, "{col},{row}");
                }
            }
        }
        assert_eq!(map.kind_at(300, 300), RegionKind::Text);
        assert_eq!(map.kind_at(300, 1800), RegionKind::Text);
        assert!(
            (50..300).contains(&map.photo_permille()),
            "{}",
            map.photo_permille()
        );
    }

    #[test]
    fn blurry_gray_text_is_text() {
        // an upscaled screenshot: text blurred over ~5 px and lightened
        let res = Resolution::Fine;
        let sharp = text_page(res, 1728, 2156);
        let mut page = sharp.clone();
        let (w, h) = (sharp.width as usize, sharp.height as usize);
        for y in 2..h - 2 {
            for x in 2..w - 2 {
                let mut sum = 0u32;
                for dy in 0..5 {
                    let row = &sharp.data[(y + dy - 2) * w..];
                    sum += row[x - 2..x + 3].iter().map(|&v| u32::from(v)).sum::<u32>();
                }
                page.data[y * w + x] = (80 + sum / 25 * 175 / 255) as u8;
            }
        }
        let map = classify(&page, res);
        assert_eq!(map.uniform(), Some(RegionKind::Text));
    }

    #[test]
    fn flat_light_shading_is_text_and_a_photo_edge_grows() {
        let res = Resolution::Fine;
        // table shading at 217 (#d9d9d9) is not mid-tone
        let mut page = GrayImage::new(640, 640, 255);
        fill_rect(&mut page, 64, 64, 576, 320, 217);
        let map = classify(&page, res);
        assert_eq!(map.uniform(), Some(RegionKind::Text));
        // a mid-gray photo area next to a light area: the light part joins
        fill_rect(&mut page, 64, 320, 576, 576, 128);
        let map = classify(&page, res);
        assert_eq!(map.kind_at(300, 400), RegionKind::Photo);
        assert_eq!(map.kind_at(300, 200), RegionKind::Photo);
        assert_eq!(map.kind_at(620, 20), RegionKind::Text);
    }
}
