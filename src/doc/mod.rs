//! The flow document model: what every reader of a flowing document (text,
//! cover sheet, DOCX, ODT, HTML, spreadsheets) builds, and what
//! [`crate::layout`] typesets into pages.
//!
//! All lengths are in PostScript points (1/72 inch). Readers resolve their
//! own style inheritance: every [`Run`] carries its full style, every
//! [`Paragraph`] its full formatting, so the typesetter needs no cascade.
//!
//! ```
//! use faxrender::doc::*;
//! let mut doc = Document::new(PageSetup::letter());
//! doc.blocks.push(Block::Heading {
//!     level: 1,
//!     paragraph: Paragraph::plain("Quarterly report", RunStyle::sans(18.0).bold()),
//! });
//! doc.blocks.push(Block::Paragraph(Paragraph::plain("Body text.", RunStyle::serif(11.0))));
//! ```

pub mod case;
pub mod counters;

/// A flow document: blocks on pages of one setup.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// The page of the first section.
    pub page: PageSetup,
    pub blocks: Vec<Block>,
    /// Running headers and footers of the first section.
    pub furniture: Furniture,
}

impl Document {
    pub fn new(page: PageSetup) -> Self {
        Document {
            page,
            blocks: Vec::new(),
            furniture: Furniture::default(),
        }
    }
}

/// A new section: starts a new page with its own page setup (size,
/// orientation, margins) and running headers/footers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Section {
    pub page: PageSetup,
    pub furniture: Furniture,
    /// Page numbering restarts at this number (None = continues).
    pub restart_page_number: Option<u32>,
}

/// Running headers and footers: blocks laid out in the top and bottom
/// margins of every page of a section. A header taller than the room
/// between `header_distance` and the body pushes the body down (as Word
/// and Writer do), a footer pushes the body's end up.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Furniture {
    /// Default header (odd pages too when `even_header` is set).
    pub header: Vec<Block>,
    pub footer: Vec<Block>,
    /// The first page of the section has its own (Some(vec![]) = blank).
    pub first_header: Option<Vec<Block>>,
    pub first_footer: Option<Vec<Block>>,
    /// Even pages have their own.
    pub even_header: Option<Vec<Block>>,
    pub even_footer: Option<Vec<Block>>,
    /// From the page's top edge to the header's top, in points.
    pub header_distance: f32,
    /// From the page's bottom edge to the footer's bottom, in points.
    pub footer_distance: f32,
}

/// A value the typesetter fills in per page (Word's PAGE / NUMPAGES,
/// ODF's text:page-number / text:page-count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The page's number (decimal).
    PageNumber,
    /// Pages in the whole document.
    PageCount,
}

/// Paper size and margins, in points. The fax page width is fixed (1728 px
/// at 204 dpi = 609.9 pt); layout scales the content area to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSetup {
    pub width: f32,
    pub height: f32,
    pub margin_top: f32,
    pub margin_bottom: f32,
    pub margin_left: f32,
    pub margin_right: f32,
}

impl PageSetup {
    /// US Letter with one-inch margins.
    pub fn letter() -> Self {
        PageSetup {
            width: 612.0,
            height: 792.0,
            margin_top: 72.0,
            margin_bottom: 72.0,
            margin_left: 72.0,
            margin_right: 72.0,
        }
    }

    /// A4 with 2 cm margins.
    pub fn a4() -> Self {
        PageSetup {
            width: 595.3,
            height: 841.9,
            margin_top: 56.7,
            margin_bottom: 56.7,
            margin_left: 56.7,
            margin_right: 56.7,
        }
    }

    /// Same margins on every side.
    pub fn with_margins(mut self, margin: f32) -> Self {
        self.margin_top = margin;
        self.margin_bottom = margin;
        self.margin_left = margin;
        self.margin_right = margin;
        self
    }

    /// Width available to the content, in points.
    pub fn content_width(&self) -> f32 {
        (self.width - self.margin_left - self.margin_right).max(1.0)
    }
}

impl Default for PageSetup {
    fn default() -> Self {
        PageSetup::letter()
    }
}

/// One block of the flow.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Paragraph),
    /// A heading (level 1 = largest); readers give its runs their size and
    /// weight. Headings keep with the next block.
    Heading {
        level: u8,
        paragraph: Paragraph,
    },
    /// A list item: `marker` ("•", "3.", …) is set in the first line's
    /// indent, hanging left of the text.
    ListItem {
        marker: String,
        level: u8,
        paragraph: Paragraph,
    },
    Table(Table),
    Image(Image),
    /// A horizontal line across the content width.
    Rule {
        thickness: f32,
        gray: u8,
        space_before: f32,
        space_after: f32,
    },
    /// Starts a new page.
    PageBreak,
    /// Starts a new page with a new page setup and headers/footers.
    Section(Box<Section>),
}

/// Horizontal alignment of a paragraph's lines, relative to the writing
/// direction (start = left in left-to-right text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Start,
    Center,
    End,
    Justify,
}

/// How tall a line is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LineSpacing {
    /// A multiple of the font's natural line height (1.0 = single).
    Multiple(f32),
    /// Exactly this many points.
    Exact(f32),
    /// At least this many points.
    AtLeast(f32),
}

impl Default for LineSpacing {
    fn default() -> Self {
        LineSpacing::Multiple(1.0)
    }
}

/// A paragraph: inline runs plus formatting.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Paragraph {
    pub runs: Vec<Run>,
    pub align: Align,
    pub indent_left: f32,
    pub indent_right: f32,
    /// Added to `indent_left` for the first line (negative = hanging).
    pub indent_first: f32,
    pub space_before: f32,
    pub space_after: f32,
    pub line_spacing: LineSpacing,
    /// Tab stops, positions in points from the left indent; tabs past the
    /// last stop advance to the default 36 pt grid.
    pub tab_stops: Vec<TabStop>,
    /// Keep on the same page as the next block.
    pub keep_with_next: bool,
    /// Do not split across pages when the paragraph fits on one (Word's
    /// keepLines, ODF's fo:keep-together).
    pub keep_together: bool,
}

impl Paragraph {
    /// A paragraph of one run.
    pub fn plain(text: impl Into<String>, style: RunStyle) -> Self {
        Paragraph {
            runs: vec![Run::new(text, style)],
            ..Paragraph::default()
        }
    }

    /// The paragraph's text, all runs concatenated.
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

/// A tab stop of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TabStop {
    /// Points from the paragraph's left indent.
    pub position: f32,
    pub align: TabAlign,
    /// What fills the gap before the text (dots in a table of contents);
    /// `_` draws a rule.
    pub leader: Option<char>,
}

impl TabStop {
    /// A left-aligned stop without a leader.
    pub const fn left(position: f32) -> Self {
        TabStop {
            position,
            align: TabAlign::Left,
            leader: None,
        }
    }
}

/// How the text after a tab lines up with its stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TabAlign {
    /// The text starts at the stop.
    #[default]
    Left,
    /// The text is centred on the stop.
    Center,
    /// The text ends at the stop.
    Right,
    /// The decimal separator sits at the stop (right-aligned without one).
    Decimal,
}

/// A piece of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub text: String,
    pub style: RunStyle,
    /// When set, the typesetter replaces `text` with the field's value on
    /// each page (`text` is what is measured where the value is unknown).
    pub field: Option<Field>,
}

impl Run {
    pub fn new(text: impl Into<String>, style: RunStyle) -> Self {
        Run {
            text: text.into(),
            style,
            field: None,
        }
    }

    /// A field run (page number or count), styled like text.
    pub fn field(field: Field, style: RunStyle) -> Self {
        Run {
            text: "0".into(),
            style,
            field: Some(field),
        }
    }
}

/// The full style of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct RunStyle {
    /// A font family name as the document gives it ("Arial", "Calibri",
    /// "monospace"); mapped to a committed font by [`crate::layout::fonts::resolve_family`].
    pub family: String,
    /// Size in points.
    pub size: f32,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
    pub strike: bool,
    /// Ink level: 0 = black, 255 = paper white.
    pub gray: u8,
}

impl RunStyle {
    pub fn new(family: impl Into<String>, size: f32) -> Self {
        RunStyle {
            family: family.into(),
            size,
            bold: false,
            italic: false,
            underline: false,
            strike: false,
            gray: 0,
        }
    }
    pub fn sans(size: f32) -> Self {
        Self::new("sans-serif", size)
    }
    pub fn serif(size: f32) -> Self {
        Self::new("serif", size)
    }
    pub fn mono(size: f32) -> Self {
        Self::new("monospace", size)
    }
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }
    pub fn italic(mut self) -> Self {
        self.italic = true;
        self
    }
    pub fn underline(mut self) -> Self {
        self.underline = true;
        self
    }
    pub fn gray(mut self, gray: u8) -> Self {
        self.gray = gray;
        self
    }
}

impl Default for RunStyle {
    fn default() -> Self {
        RunStyle::serif(11.0)
    }
}

/// A table: fixed column widths (scaled to the content width when wider),
/// rows of cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Column widths in points.
    pub columns: Vec<f32>,
    pub rows: Vec<TableRow>,
    /// The first `header_rows` rows repeat at the top of every page the
    /// table continues on.
    pub header_rows: usize,
    /// Padding inside every cell (a cell's own `padding` overrides it).
    pub cell_padding: Padding,
    /// Whether cell borders take room of their own or are drawn over the
    /// padding.
    pub border_room: BorderRoom,
}

/// Space between a cell's edge (or, with [`BorderRoom::Inside`], its
/// borders) and its content, in points, per side.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Padding {
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
    pub left: f32,
}

impl Padding {
    /// The same padding on all four sides.
    pub const fn uniform(pad: f32) -> Self {
        Padding {
            top: pad,
            right: pad,
            bottom: pad,
            left: pad,
        }
    }

    /// Every side between 0 and `max` (documents say anything; NaN is 0).
    pub fn clamped(self, max: f32) -> Self {
        let side = |v: f32| if v.is_nan() { 0.0 } else { v.clamp(0.0, max) };
        Padding {
            top: side(self.top),
            right: side(self.right),
            bottom: side(self.bottom),
            left: side(self.left),
        }
    }
}

/// How a table's cell borders take room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BorderRoom {
    /// Borders are drawn over the cell's padding and add nothing to its
    /// size (the HTML reader's tables, which fold borders into their own
    /// column measures).
    #[default]
    Overlay,
    /// Content sits inside the borders: a cell's top and bottom borders add
    /// to the row's height and its side borders narrow the content (ODF's
    /// box model; Word tables with cell spacing).
    Inside,
    /// Borders between rows are shared and take room once: every cell's
    /// top border adds to its row's height, a bottom border only in the
    /// table's last row; side borders take no room (Word tables without
    /// cell spacing, as Word and LibreOffice lay them out).
    Collapsed,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableRow {
    pub cells: Vec<TableCell>,
    /// Do not split this row across pages. (The typesetter always moves a
    /// row whole when it fits on a page, and splits one taller than a page
    /// between lines whatever this says.)
    pub cant_split: bool,
    /// The row is at least this tall, in points (Word's trHeight "atLeast",
    /// and the room a floating text box takes in the flow).
    pub min_height: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableCell {
    pub blocks: Vec<Block>,
    pub colspan: u16,
    pub rowspan: u16,
    pub borders: Borders,
    /// Background gray (255 = none).
    pub shade: u8,
    /// This cell's own padding (Word's `tcMar`); `None`: the table's.
    pub padding: Option<Padding>,
}

impl TableCell {
    /// A cell holding one paragraph, all borders thin.
    pub fn text(text: impl Into<String>, style: RunStyle) -> Self {
        TableCell {
            blocks: vec![Block::Paragraph(Paragraph::plain(text, style))],
            colspan: 1,
            rowspan: 1,
            borders: Borders::all(0.75),
            shade: 255,
            padding: None,
        }
    }
}

/// Border widths in points (0 = none) of a cell's four sides.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Borders {
    pub top: f32,
    pub bottom: f32,
    pub left: f32,
    pub right: f32,
}

impl Borders {
    pub fn all(width: f32) -> Self {
        Borders {
            top: width,
            bottom: width,
            left: width,
            right: width,
        }
    }
}

/// A picture in the flow: 8-bit gray pixels (255 = white), shown at
/// `width` x `height` points (scaled down to the content width if wider).
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub pixels: std::sync::Arc<crate::bitmap::GrayImage>,
    pub width: f32,
    pub height: f32,
}
