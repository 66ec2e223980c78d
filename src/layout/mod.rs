//! Our typesetter: fonts, shaping, line breaking, tables and pagination,
//! from a [`crate::doc::Document`] to positioned page frames.
//!
//! Two phases: every block is first set into lines at its width
//! ([`paragraph`], [`table`]); [`paginate`] then stacks them on pages with
//! widow/orphan control, keep-with-next and repeated table headers. The
//! result, a list of [`Frame`]s in points, is cheap to compute (no pixels),
//! so a document's page count is known before anything is rasterized.

pub mod fonts;
pub mod frame;
mod furniture;
mod paginate;
mod paragraph;
mod table;
mod tabs;

pub use fonts::{Fonts, MissingGlyphs};
pub use frame::{Frame, GlyphRun, Item, PlacedGlyph};

use crate::doc::{Block, Document, Furniture, PageSetup};
use crate::error::{Error, Result};

/// A laid-out document.
#[derive(Debug, Clone)]
pub struct Layout {
    pub frames: Vec<Frame>,
    /// Characters no font could show (reported as a warning).
    pub missing: MissingGlyphs,
}

impl Layout {
    /// The warnings to report beside the pages.
    pub fn warnings(&self) -> Vec<String> {
        self.missing.warning().into_iter().collect()
    }
}

/// Lays `doc` out into pages. `max_pages` bounds the work on hostile input:
/// layout stops with a limit error naming the count once it is passed.
///
/// Each section (the document's first, then one per [`Block::Section`]) is
/// set at its own content width and paginated on its own page setup, with
/// the margins grown where its headers or footers need the room; the
/// headers and footers are set last, once the page count is known.
pub fn layout(doc: &Document, fonts: &Fonts, max_pages: usize) -> Result<Layout> {
    let mut missing = MissingGlyphs::default();
    let sections = split_sections(doc);
    let frames = fonts.with_font_system(|fs| -> Result<Vec<Frame>> {
        let mut setter = paragraph::Setter::new(fs, fonts, &mut missing);
        let mut frames = Vec::new();
        // Per page: its section and whether it is the section's first.
        let mut owners: Vec<(usize, bool)> = Vec::new();
        for (index, section) in sections.iter().enumerate() {
            // A section break before any content opens no empty page.
            if index == 0 && section.blocks.is_empty() && sections.len() > 1 {
                continue;
            }
            let body = furniture::body_page(&mut setter, &section.page, section.furniture);
            let width = body.content_width();
            let set: Vec<_> = section
                .blocks
                .iter()
                .map(|b| setter.set_block(b, width))
                .collect();
            let left = max_pages.saturating_sub(frames.len());
            if left == 0 {
                return Err(too_many_pages(max_pages));
            }
            let pages = paginate::paginate(&set, &body, left)?;
            owners.extend((0..pages.len()).map(|i| (index, i == 0)));
            frames.extend(pages);
        }
        decorate(&mut setter, &sections, &owners, &mut frames);
        Ok(frames)
    })?;
    Ok(Layout { frames, missing })
}

/// One section of a document: its page, furniture and blocks.
struct SectionRef<'a> {
    page: PageSetup,
    furniture: &'a Furniture,
    restart_page_number: Option<u32>,
    blocks: &'a [Block],
}

fn split_sections(doc: &Document) -> Vec<SectionRef<'_>> {
    let mut sections = Vec::new();
    let mut current = SectionRef {
        page: doc.page,
        furniture: &doc.furniture,
        restart_page_number: None,
        blocks: &[],
    };
    let mut start = 0;
    for (i, block) in doc.blocks.iter().enumerate() {
        if let Block::Section(next) = block {
            current.blocks = &doc.blocks[start..i];
            sections.push(current);
            current = SectionRef {
                page: next.page,
                furniture: &next.furniture,
                restart_page_number: next.restart_page_number,
                blocks: &[],
            };
            start = i + 1;
        }
    }
    current.blocks = &doc.blocks[start..];
    sections.push(current);
    sections
}

/// Adds every page's header and footer, with its page number.
fn decorate(
    setter: &mut paragraph::Setter<'_>,
    sections: &[SectionRef<'_>],
    owners: &[(usize, bool)],
    frames: &mut [Frame],
) {
    if sections.iter().all(|s| furniture::is_empty(s.furniture)) {
        return;
    }
    let count = frames.len() as u32;
    let mut number = 0u32;
    for (frame, &(index, first)) in frames.iter_mut().zip(owners) {
        let section = &sections[index];
        number = match (first, section.restart_page_number) {
            (true, Some(start)) => start,
            _ => number.saturating_add(1),
        };
        if furniture::is_empty(section.furniture) {
            continue;
        }
        let pos = furniture::PagePosition {
            first_in_section: first,
            even: number.is_multiple_of(2),
        };
        let fields = furniture::PageFields { number, count };
        let items = furniture::page_items(setter, &section.page, section.furniture, pos, fields);
        frame.items.extend(items);
    }
}

pub(crate) fn too_many_pages(max_pages: usize) -> Error {
    Error::limit(format!(
        "the document lays out to more than {max_pages} pages"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::*;

    fn fonts() -> std::sync::Arc<Fonts> {
        Fonts::committed()
    }

    fn glyph_xs(frame: &Frame) -> Vec<(f32, f32)> {
        let mut out = Vec::new();
        for item in &frame.items {
            if let Item::Glyphs(run) = item {
                out.extend(run.glyphs.iter().map(|g| (g.y, g.x)));
            }
        }
        out
    }

    #[test]
    fn paragraph_wraps_within_the_content_width() {
        let mut doc = Document::new(PageSetup::letter());
        doc.blocks.push(Block::Paragraph(Paragraph::plain(
            "lorem ipsum ".repeat(60),
            RunStyle::serif(11.0),
        )));
        let laid = layout(&doc, &fonts(), 10).unwrap();
        assert_eq!(laid.frames.len(), 1);
        let glyphs = glyph_xs(&laid.frames[0]);
        let mut lines: Vec<f32> = glyphs.iter().map(|g| g.0).collect();
        lines.dedup();
        assert!(lines.len() >= 8, "{}", lines.len());
        assert!(glyphs.iter().all(|g| g.1 >= 72.0 - 0.01 && g.1 <= 540.0));
    }

    /// Exact 20 pt lines of filler: 30 of them take 600 of the 648 pt.
    fn filler(doc: &mut Document, lines: usize) {
        for _ in 0..lines {
            doc.blocks.push(Block::Paragraph(Paragraph {
                line_spacing: LineSpacing::Exact(20.0),
                ..Paragraph::plain("filler", RunStyle::serif(11.0))
            }));
        }
    }

    /// Glyph count of each frame.
    fn glyphs_per_frame(laid: &Layout) -> Vec<usize> {
        laid.frames.iter().map(|f| glyph_xs(f).len()).collect()
    }

    #[test]
    fn a_keep_together_paragraph_moves_whole_to_the_next_page() {
        // 28 filler lines leave 88 pt: a 6-line (120 pt) paragraph would be
        // split 4 + 2; kept together it starts the next page
        for keep_together in [false, true] {
            let mut doc = Document::new(PageSetup::letter());
            filler(&mut doc, 28);
            doc.blocks.push(Block::Paragraph(Paragraph {
                line_spacing: LineSpacing::Exact(20.0),
                keep_together,
                ..Paragraph::plain("aaaa ".repeat(6 * 20), RunStyle::serif(11.0))
            }));
            let laid = layout(&doc, &fonts(), 10).unwrap();
            let per_frame = glyphs_per_frame(&laid);
            assert_eq!(per_frame.len(), 2, "{per_frame:?}");
            let filler_glyphs = 28 * "filler".len();
            if keep_together {
                assert_eq!(per_frame[0], filler_glyphs, "{per_frame:?}");
            } else {
                assert!(per_frame[0] > filler_glyphs, "{per_frame:?}");
            }
        }
    }

    #[test]
    fn a_chain_of_keep_with_next_headings_moves_together() {
        // 29 filler lines leave 68 pt: the second heading and two lines of
        // the text fit (60 pt), both headings and two lines (80 pt) do not
        let heading = |t: &str| {
            Block::Paragraph(Paragraph {
                line_spacing: LineSpacing::Exact(20.0),
                keep_with_next: true,
                ..Paragraph::plain(t, RunStyle::serif(11.0))
            })
        };
        let mut doc = Document::new(PageSetup::letter());
        filler(&mut doc, 29);
        doc.blocks.push(heading("First"));
        doc.blocks.push(heading("Second"));
        doc.blocks.push(Block::Paragraph(Paragraph {
            line_spacing: LineSpacing::Exact(20.0),
            ..Paragraph::plain("text ".repeat(200), RunStyle::serif(11.0))
        }));
        let laid = layout(&doc, &fonts(), 10).unwrap();
        let per_frame = glyphs_per_frame(&laid);
        // page 1 holds the filler alone
        assert_eq!(per_frame[0], 29 * "filler".len(), "{per_frame:?}");
    }

    #[test]
    fn page_breaks_keep_with_next_and_widows() {
        let mut doc = Document::new(PageSetup::letter());
        doc.blocks.push(Block::Paragraph(Paragraph::plain(
            "one",
            RunStyle::serif(11.0),
        )));
        doc.blocks.push(Block::PageBreak);
        doc.blocks.push(Block::Paragraph(Paragraph::plain(
            "two",
            RunStyle::serif(11.0),
        )));
        assert_eq!(layout(&doc, &fonts(), 10).unwrap().frames.len(), 2);

        // 3-line paragraph where only 2 fit: moved whole rather than leaving
        // a widow or an orphan.
        let mut doc = Document::new(PageSetup::letter());
        let line = |t: &str| {
            Block::Paragraph(Paragraph {
                line_spacing: LineSpacing::Exact(20.0),
                ..Paragraph::plain(t, RunStyle::serif(11.0))
            })
        };
        for _ in 0..30 {
            doc.blocks.push(line("filler")); // 600 of 648 pt
        }
        doc.blocks.push(Block::Paragraph(Paragraph {
            line_spacing: LineSpacing::Exact(20.0),
            // Narrow enough that each word is a line.
            indent_right: 430.0,
            ..Paragraph::plain("aaaa bbbb cccc", RunStyle::serif(11.0))
        }));
        let laid = layout(&doc, &fonts(), 10).unwrap();
        assert_eq!(laid.frames.len(), 2);
        assert_eq!(glyph_xs(&laid.frames[1]).len(), 12);
        // A heading at the bottom goes with its paragraph.
        let mut doc = Document::new(PageSetup::letter());
        for _ in 0..31 {
            doc.blocks.push(line("filler"));
        }
        doc.blocks.push(Block::Heading {
            level: 2,
            paragraph: Paragraph::plain("Heading", RunStyle::sans(14.0).bold()),
        });
        doc.blocks.push(line("body"));
        let laid = layout(&doc, &fonts(), 10).unwrap();
        assert_eq!(laid.frames.len(), 2);
        assert_eq!(
            glyph_xs(&laid.frames[1]).len(),
            "Heading".len() + "body".len()
        );
    }

    fn texts(frame: &Frame, fonts: &Fonts) -> Vec<(f32, String)> {
        // Glyph ids back to text through the run's font: enough for digits
        // and ASCII in the tests below.
        let mut out = Vec::new();
        for item in &frame.items {
            if let Item::Glyphs(run) = item {
                let face = fonts.database().with_face_data(run.font, |data, index| {
                    let f = swash::FontRef::from_index(data, index as usize).unwrap();
                    let map = f.charmap();
                    run.glyphs
                        .iter()
                        .map(|g| {
                            (0x20u32..0x7f)
                                .find(|c| map.map(*c) == g.id)
                                .and_then(char::from_u32)
                                .unwrap_or('?')
                        })
                        .collect::<String>()
                });
                out.push((run.glyphs[0].y, face.unwrap()));
            }
        }
        out
    }

    #[test]
    fn sections_headers_footers_and_page_fields() {
        let fonts = fonts();
        let style = RunStyle::sans(10.0);
        let mut doc = Document::new(PageSetup::letter());
        doc.furniture = Furniture {
            header: vec![Block::Paragraph(Paragraph::plain("HEAD", style.clone()))],
            first_header: Some(Vec::new()),
            footer: vec![Block::Paragraph(Paragraph {
                runs: vec![
                    Run::new("P", style.clone()),
                    Run::field(Field::PageNumber, style.clone()),
                    Run::new("/", style.clone()),
                    Run::field(Field::PageCount, style.clone()),
                ],
                ..Paragraph::default()
            })],
            header_distance: 36.0,
            footer_distance: 36.0,
            ..Furniture::default()
        };
        doc.blocks
            .push(Block::Paragraph(Paragraph::plain("one", style.clone())));
        doc.blocks.push(Block::PageBreak);
        doc.blocks
            .push(Block::Paragraph(Paragraph::plain("two", style.clone())));
        // A landscape section without furniture, numbering restarting at 7.
        doc.blocks.push(Block::Section(Box::new(Section {
            page: PageSetup {
                width: 792.0,
                height: 612.0,
                ..PageSetup::letter()
            },
            furniture: Furniture::default(),
            restart_page_number: Some(7),
        })));
        doc.blocks
            .push(Block::Paragraph(Paragraph::plain("three", style.clone())));
        let laid = layout(&doc, &fonts, 10).unwrap();
        assert_eq!(laid.frames.len(), 3);
        let page = |i: usize| texts(&laid.frames[i], &fonts);
        // First page: no header (first_header is blank), footer P1/3.
        assert_eq!(
            page(0).iter().map(|t| t.1.as_str()).collect::<Vec<_>>(),
            ["one", "P1/3"]
        );
        // Second page: the header above the body, the footer near the bottom.
        let p2 = page(1);
        assert_eq!(
            p2.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(),
            ["two", "HEAD", "P2/3"]
        );
        assert!(p2[1].0 < 72.0 && p2[2].0 > 720.0, "{p2:?}");
        assert_eq!(
            (laid.frames[2].width, laid.frames[2].height),
            (792.0, 612.0)
        );
        assert_eq!(page(2).len(), 1);
    }

    #[test]
    fn a_tall_header_pushes_the_body_down() {
        let fonts = fonts();
        let style = RunStyle::sans(10.0);
        let mut doc = Document::new(PageSetup::letter());
        doc.furniture.header = (0..8)
            .map(|i| Block::Paragraph(Paragraph::plain(format!("h{i}"), style.clone())))
            .collect();
        doc.furniture.header_distance = 36.0;
        doc.blocks
            .push(Block::Paragraph(Paragraph::plain("body", style.clone())));
        let laid = layout(&doc, &fonts, 10).unwrap();
        let page = texts(&laid.frames[0], &fonts);
        let body = page.iter().find(|t| t.1 == "body").unwrap().0;
        let last_header = page.iter().find(|t| t.1 == "h7").unwrap().0;
        assert!(body > last_header + 5.0 && body > 72.0 + 10.0, "{page:?}");
    }

    #[test]
    fn hebrew_runs_right_to_left() {
        let mut doc = Document::new(PageSetup::letter());
        doc.blocks.push(Block::Paragraph(Paragraph::plain(
            "שלום",
            RunStyle::sans(12.0),
        )));
        let laid = layout(&doc, &fonts(), 10).unwrap();
        assert!(laid.missing.count() == 0);
        let Item::Glyphs(run) = &laid.frames[0].items[0] else {
            panic!()
        };
        // Glyphs come in logical order, each left of the one before: the
        // first letter is the rightmost.
        let xs: Vec<f32> = run.glyphs.iter().map(|g| g.x).collect();
        assert!(xs.windows(2).all(|w| w[0] > w[1]), "{xs:?}");
        // Right-to-left paragraphs start at the right margin.
        assert!(xs[0] > 400.0, "{xs:?}");
    }

    #[test]
    fn arabic_falls_back_to_an_arabic_font() {
        let mut doc = Document::new(PageSetup::letter());
        doc.blocks.push(Block::Paragraph(Paragraph::plain(
            "مرحبا",
            RunStyle::new("Arial", 12.0),
        )));
        let laid = layout(&doc, &fonts(), 10).unwrap();
        assert_eq!(laid.missing.count(), 0);
        let Item::Glyphs(run) = &laid.frames[0].items[0] else {
            panic!()
        };
        let family = fonts().database().face(run.font).unwrap().families[0]
            .0
            .clone();
        assert!(family.contains("Arabic"), "{family}");
    }

    #[test]
    fn table_header_repeats_on_every_page() {
        let mut doc = Document::new(PageSetup::letter());
        let row = |a: &str| TableRow {
            cells: vec![
                TableCell::text(a, RunStyle::sans(10.0)),
                TableCell::text("x", RunStyle::sans(10.0)),
            ],
            cant_split: false,
            min_height: 0.0,
        };
        let mut rows = vec![row("HEAD")];
        rows.extend((0..120).map(|i| row(&format!("r{i}"))));
        doc.blocks.push(Block::Table(Table {
            columns: vec![300.0, 300.0],
            rows,
            header_rows: 1,
            cell_padding: Padding::uniform(2.0),
            border_room: BorderRoom::Overlay,
        }));
        let laid = layout(&doc, &fonts(), 20).unwrap();
        assert!(laid.frames.len() >= 2);
        for frame in &laid.frames {
            let ys: Vec<(f32, f32)> = glyph_xs(frame);
            let top = ys.iter().map(|g| g.0).fold(f32::MAX, f32::min);
            // "HEAD" is the top line of every page: 4 glyphs there.
            assert_eq!(ys.iter().filter(|g| g.0 == top).count(), 4 + 1);
        }
    }

    #[test]
    fn too_many_pages_is_a_limit_error() {
        let mut doc = Document::new(PageSetup::letter());
        for _ in 0..5 {
            doc.blocks.push(Block::PageBreak);
        }
        let e = layout(&doc, &fonts(), 3).unwrap_err();
        assert_eq!(e.kind, crate::error::ErrorKind::LimitExceeded);
    }

    #[test]
    fn layout_is_deterministic() {
        let mut doc = Document::new(PageSetup::a4());
        doc.blocks.push(Block::Paragraph(Paragraph::plain(
            "Mixed Ελληνικά Русский עברית العربية",
            RunStyle::serif(12.0),
        )));
        let a = layout(&doc, &fonts(), 10).unwrap();
        let b = layout(&doc, &fonts(), 10).unwrap();
        assert_eq!(a.frames, b.frames);
        assert_eq!(a.missing.count(), 0);
    }
}
