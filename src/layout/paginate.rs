//! Stacking set blocks on pages: spacing (dropped at the top of a page),
//! widow/orphan control (at least two lines of a split paragraph on each
//! page), keep-with-next, page breaks, and tables whose header rows repeat
//! on every page and whose rows move whole to the next page (or are split
//! between lines when taller than a page).

use super::frame::{Frame, Item};
use super::paragraph::{Line, SetBlock};
use super::table::{SetRow, SetTable};
use crate::doc::PageSetup;
use crate::error::Result;

/// Lines a split paragraph keeps together at a page end and a page start.
const MIN_LINES: usize = 2;

struct Pager<'a> {
    page: &'a PageSetup,
    frames: Vec<Frame>,
    items: Vec<Item>,
    /// Used height of the current page's content area.
    y: f32,
    max_pages: usize,
}

impl Pager<'_> {
    fn content_height(&self) -> f32 {
        (self.page.height - self.page.margin_top - self.page.margin_bottom).max(1.0)
    }

    fn avail(&self) -> f32 {
        self.content_height() - self.y
    }

    fn at_top(&self) -> bool {
        self.y <= 0.0
    }

    fn new_page(&mut self) -> Result<()> {
        self.frames.push(Frame {
            width: self.page.width,
            height: self.page.height,
            items: std::mem::take(&mut self.items),
        });
        self.y = 0.0;
        if self.frames.len() >= self.max_pages {
            return Err(super::too_many_pages(self.max_pages));
        }
        Ok(())
    }

    fn place_items(&mut self, items: &[Item], y: f32) {
        let (dx, dy) = (self.page.margin_left, self.page.margin_top + y);
        self.items
            .extend(items.iter().map(|i| i.translated(dx, dy)));
    }

    fn place_line(&mut self, line: &Line) {
        self.place_items(&line.items, self.y);
        self.y += line.height;
    }

    fn space(&mut self, amount: f32) {
        if !self.at_top() {
            self.y = (self.y + amount).min(self.content_height());
        }
    }
}

/// Lays set blocks on pages. Always returns at least one page.
pub(crate) fn paginate(
    blocks: &[SetBlock],
    page: &PageSetup,
    max_pages: usize,
) -> Result<Vec<Frame>> {
    let mut pager = Pager {
        page,
        frames: Vec::new(),
        items: Vec::new(),
        y: 0.0,
        max_pages: max_pages.max(1),
    };
    place_blocks(&mut pager, blocks)?;
    if !pager.items.is_empty() || pager.frames.is_empty() {
        pager.frames.push(Frame {
            width: page.width,
            height: page.height,
            items: std::mem::take(&mut pager.items),
        });
    }
    Ok(pager.frames)
}

/// Stacks set blocks top-down in one column of `width` points, unpaginated
/// (running headers and footers): the items, relative to the column's
/// top-left corner, and the height used. Page breaks are ignored.
pub(crate) fn stack(blocks: &[SetBlock], width: f32) -> (Vec<Item>, f32) {
    // A page taller than anything a header holds; spacing at the top is
    // dropped as on a page.
    let page = PageSetup {
        width,
        height: 1.0e6,
        margin_top: 0.0,
        margin_bottom: 0.0,
        margin_left: 0.0,
        margin_right: 0.0,
    };
    let mut pager = Pager {
        page: &page,
        frames: Vec::new(),
        items: Vec::new(),
        y: 0.0,
        max_pages: 1,
    };
    let blocks: Vec<SetBlock> = blocks
        .iter()
        .filter(|b| !matches!(b, SetBlock::PageBreak))
        .cloned()
        .collect();
    // Cannot fail: nothing asks for a new page on a page this tall.
    let _ = place_blocks(&mut pager, &blocks);
    let height = pager.y;
    (pager.items, height)
}

fn place_blocks(pager: &mut Pager<'_>, blocks: &[SetBlock]) -> Result<()> {
    for (i, block) in blocks.iter().enumerate() {
        match block {
            SetBlock::PageBreak => pager.new_page()?,
            SetBlock::Lines {
                lines,
                space_before,
                space_after,
                keep_with_next,
                atomic,
                keep_together,
            } => {
                pager.space(*space_before);
                if *keep_with_next && !pager.at_top() {
                    // the whole chain of keep-with-next blocks from here and
                    // the start of the block after it move together, as in
                    // Word and Writer (a heading with its subheadings); a
                    // chain taller than a page keeps just this block with
                    // the next
                    let own: f32 = lines.iter().map(|l| l.height).sum::<f32>() + space_after;
                    let pair = own + lead_height(blocks.get(i + 1));
                    let chain = own + chain_height(&blocks[i + 1..], pager.content_height());
                    let need = if chain <= pager.content_height() {
                        chain
                    } else {
                        pair
                    };
                    if need > pager.avail() && need <= pager.content_height() {
                        pager.new_page()?;
                    }
                }
                if *keep_together && !pager.at_top() {
                    let own: f32 = lines.iter().map(|l| l.height).sum();
                    if own > pager.avail() && own <= pager.content_height() {
                        pager.new_page()?;
                    }
                }
                place_lines(pager, lines, *atomic)?;
                pager.space(*space_after);
            }
            SetBlock::Table(table) => place_table(pager, table)?,
        }
    }
    Ok(())
}

/// Height of the keep-with-next blocks at the start of `blocks` (whole,
/// with their spacing) plus the start of the first block that is not. The
/// scan stops once the chain is taller than `limit` (a page): only whether
/// it fits matters, and a document of nothing but keep-with-next
/// paragraphs must not cost a scan to its end for every paragraph.
fn chain_height(blocks: &[SetBlock], limit: f32) -> f32 {
    let mut height = 0.0;
    for (k, block) in blocks.iter().enumerate() {
        match block {
            SetBlock::Lines {
                lines,
                space_before,
                space_after,
                keep_with_next: true,
                ..
            } => {
                height += space_before + lines.iter().map(|l| l.height).sum::<f32>() + space_after;
                if height > limit {
                    return height;
                }
            }
            _ => return height + lead_height(blocks.get(k)),
        }
    }
    height
}

/// Height of the start of a block that must follow on the same page.
fn lead_height(block: Option<&SetBlock>) -> f32 {
    match block {
        Some(SetBlock::Lines {
            lines,
            space_before,
            ..
        }) => space_before + lines.iter().take(MIN_LINES).map(|l| l.height).sum::<f32>(),
        Some(SetBlock::Table(t)) => t
            .rows
            .iter()
            .take(t.header_rows + 1)
            .map(|r| r.height)
            .sum(),
        _ => 0.0,
    }
}

fn place_lines(pager: &mut Pager<'_>, lines: &[Line], atomic: bool) -> Result<()> {
    if atomic {
        let total: f32 = lines.iter().map(|l| l.height).sum();
        if total > pager.avail() && !pager.at_top() {
            pager.new_page()?;
        }
        for line in lines {
            pager.place_line(line);
        }
        return Ok(());
    }
    let mut i = 0;
    while i < lines.len() {
        let remaining = lines.len() - i;
        let fit = count_fitting(&lines[i..], pager.avail());
        if fit >= remaining {
            for line in &lines[i..] {
                pager.place_line(line);
            }
            return Ok(());
        }
        // Widow control: leave at least MIN_LINES for the next page.
        let mut take = fit.saturating_sub(MIN_LINES.saturating_sub(remaining - fit));
        // Orphan control: a paragraph starts with at least MIN_LINES.
        if i == 0 && take < MIN_LINES && remaining >= MIN_LINES {
            take = 0;
        }
        if take == 0 {
            if pager.at_top() {
                // Nothing helps on an empty page: fill it.
                take = fit.max(1);
            } else {
                pager.new_page()?;
                continue;
            }
        }
        for line in &lines[i..i + take] {
            pager.place_line(line);
        }
        i += take;
        pager.new_page()?;
    }
    Ok(())
}

fn count_fitting(lines: &[Line], avail: f32) -> usize {
    let mut used = 0.0;
    // A hair of tolerance so rounding never pushes a line that fits.
    let avail = avail + 0.01;
    lines
        .iter()
        .take_while(|l| {
            used += l.height;
            used <= avail
        })
        .count()
}

fn place_table(pager: &mut Pager<'_>, table: &SetTable) -> Result<()> {
    let headers = &table.rows[..table.header_rows];
    let header_height: f32 = headers.iter().map(|r| r.height).sum();
    let first_body = table.rows.get(table.header_rows).map_or(0.0, |r| r.height);
    if header_height + first_body > pager.avail() && !pager.at_top() {
        pager.new_page()?;
    }
    for (ri, row) in table.rows.iter().enumerate() {
        let is_header = ri < table.header_rows;
        if row.height > pager.avail() && !pager.at_top() && !is_header {
            pager.new_page()?;
            if header_height + row.height.min(pager.content_height() / 2.0)
                <= pager.content_height()
            {
                for h in headers {
                    place_row(pager, h, h.height);
                }
            }
        }
        if row.height <= pager.avail() {
            place_row(pager, row, row.height);
        } else {
            split_row(pager, row, headers)?;
        }
    }
    Ok(())
}

fn place_row(pager: &mut Pager<'_>, row: &SetRow, height: f32) {
    let y = pager.y;
    for frame in &row.cells {
        let items = frame.items(0.0, 0.0, height + frame.extra_height);
        pager.place_items(&items, y);
    }
    for (ly, line) in &row.lines {
        pager.place_items(&line.items, y + ly);
    }
    pager.y += height;
}

/// A row taller than a page: its lines are cut between lines, each part
/// framed by the cell borders, headers repeated above the continuation.
fn split_row(pager: &mut Pager<'_>, row: &SetRow, headers: &[SetRow]) -> Result<()> {
    let mut rest: Vec<(f32, Line)> = row.lines.clone();
    let mut remaining_height = row.height;
    loop {
        let avail = pager.avail();
        if remaining_height <= avail {
            let part = SetRow {
                height: remaining_height,
                lines: rest,
                cells: row.cells.clone(),
            };
            place_row(pager, &part, remaining_height);
            return Ok(());
        }
        let (now, later): (Vec<_>, Vec<_>) =
            rest.into_iter().partition(|(y, l)| y + l.height <= avail);
        let cut = later.iter().map(|(y, _)| *y).fold(avail, f32::min).max(1.0);
        let part = SetRow {
            height: avail,
            lines: now,
            cells: row
                .cells
                .iter()
                .map(|c| super::table::CellFrame {
                    extra_height: 0.0,
                    ..*c
                })
                .collect(),
        };
        place_row(pager, &part, avail);
        pager.new_page()?;
        for h in headers {
            place_row(pager, h, h.height);
        }
        rest = later.into_iter().map(|(y, l)| (y - cut, l)).collect();
        remaining_height = (remaining_height - cut).max(0.0);
    }
}
