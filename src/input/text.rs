//! Plain text documents: decoded (UTF-8 with or without BOM, UTF-16 with a
//! BOM, else the legacy encoding guessed from the content), then typeset in
//! a monospace font like a printed listing: form feed starts a new page,
//! tabs stop every 8 columns, long lines wrap.
//!
//! Also home of [`typeset`], which turns any flow [`Document`] into pages
//! (shared with the cover sheet and the other flow readers).

use super::sniff::Format;
use super::source::{OpenContext, OpenedDocument, PageSource, RenderedPage};
use crate::doc::{Block, Document, LineSpacing, PageSetup, Paragraph, RunStyle};
use crate::error::Result;
use crate::geometry::{PageGeometry, X_DPI};
use crate::layout::{self, Fonts, Frame};
use crate::limits::Limits;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use std::sync::Arc;

/// Text is set in Liberation Mono (Courier New's metrics) at this size.
pub const TEXT_SIZE: f32 = 10.0;
/// Fixed line pitch: a fallback glyph with taller metrics (DejaVu, Noto)
/// must not make its line taller than the others in a listing.
const LINE_PITCH: f32 = 11.3;
/// Tab stops every this many columns.
const TAB_COLUMNS: usize = 8;
/// Page margins in points (0.75 inch across gives 83 columns, half an inch
/// top and bottom).
const MARGIN_X: f32 = 54.0;
const MARGIN_Y: f32 = 36.0;
/// Layout stops past this many pages whatever the limits say: enough to
/// report a document's size honestly, bounded against hostile input.
const MAX_LAYOUT_PAGES: usize = 10_000;

/// Opens a text document.
pub fn open(bytes: &[u8], ctx: &OpenContext) -> Result<OpenedDocument> {
    let decoded = decode(bytes);
    let doc = text_document(&decoded.text, &ctx.geometry);
    typeset(&doc, Format::Text, ctx)
}

/// The page setup filling the content area of `geom` (the page below the
/// header band) with the given margins: frames then map to the grid 1:1.
pub fn page_setup_for(geom: &PageGeometry, margin_x: f32, margin_y: f32) -> PageSetup {
    PageSetup {
        width: geom.width() as f32 * 72.0 / X_DPI as f32,
        height: geom.content_rows() as f32 * 72.0 / geom.y_dpi() as f32,
        margin_top: margin_y,
        margin_bottom: margin_y,
        margin_left: margin_x,
        margin_right: margin_x,
    }
}

/// Lays out a flow document and wraps its frames as pages that render
/// themselves; the warnings say which characters no font could show.
pub fn typeset(doc: &Document, format: Format, ctx: &OpenContext) -> Result<OpenedDocument> {
    let cap = (ctx.limits.max_pages as usize)
        .saturating_mul(20)
        .clamp(1, MAX_LAYOUT_PAGES);
    let laid = layout::layout(doc, &ctx.fonts, cap)?;
    let warnings = laid.warnings();
    let pages = laid
        .frames
        .into_iter()
        .map(|frame| {
            Box::new(FramePage {
                frame,
                fonts: ctx.fonts.clone(),
            }) as Box<dyn PageSource>
        })
        .collect();
    Ok(OpenedDocument {
        format,
        pages,
        warnings,
    })
}

/// A laid-out page: rendering rasterizes its frame.
pub struct FramePage {
    pub frame: Frame,
    pub fonts: Arc<Fonts>,
}

impl PageSource for FramePage {
    fn render(&self, geom: &PageGeometry, _limits: &Limits) -> Result<RenderedPage> {
        Ok(RenderedPage::Gray(crate::raster::render_frame(
            &self.frame,
            geom,
            &self.fonts,
        )))
    }
}

/// Decoded text and the encoding it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedText {
    pub text: String,
    pub encoding: &'static str,
}

/// Decodes text bytes: BOM first, then strict UTF-8, then UTF-16 without a
/// BOM when every other byte is zero, else the legacy encoding chardetng
/// guesses (windows-1252, Shift_JIS, KOI8-R, ...). Never fails: bytes that
/// do not decode become U+FFFD.
pub fn decode(bytes: &[u8]) -> DecodedText {
    let (encoding, body) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) => (enc, &bytes[bom_len..]),
        None => (guess_encoding(bytes), bytes),
    };
    let (text, _) = encoding.decode_without_bom_handling(body);
    DecodedText {
        text: text.into_owned(),
        encoding: encoding.name(),
    }
}

fn guess_encoding(bytes: &[u8]) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() >= 4 {
        let zeros_even = sample.iter().step_by(2).filter(|b| **b == 0).count();
        let zeros_odd = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|b| **b == 0)
            .count();
        let half = sample.len() / 2;
        if zeros_odd * 10 >= half * 3 && zeros_even * 10 < half {
            return UTF_16LE;
        }
        if zeros_even * 10 >= half * 3 && zeros_odd * 10 < half {
            return UTF_16BE;
        }
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    detector.guess(None, true)
}

/// The document for a text: one paragraph per line, a page break per form
/// feed, tabs expanded, other control characters dropped.
pub fn text_document(text: &str, geom: &PageGeometry) -> Document {
    let mut doc = Document::new(page_setup_for(geom, MARGIN_X, MARGIN_Y));
    let style = RunStyle::mono(TEXT_SIZE);
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines = normalized.split('\n').peekable();
    while let Some(line) = lines.next() {
        if lines.peek().is_none() && line.is_empty() {
            break; // the final newline does not start a line
        }
        let mut segments = line.split('\x0C').peekable();
        while let Some(segment) = segments.next() {
            let is_last = segments.peek().is_none();
            // "\f" alone on a line (the usual form) adds no blank line.
            if !(segment.is_empty() && (!is_last || line.len() > segment.len())) {
                doc.blocks.push(Block::Paragraph(Paragraph {
                    line_spacing: LineSpacing::Exact(LINE_PITCH),
                    ..Paragraph::plain(expand_tabs(segment), style.clone())
                }));
            }
            if !is_last {
                doc.blocks.push(Block::PageBreak);
            }
        }
    }
    doc
}

/// Expands tabs to the next multiple of 8 columns and drops control
/// characters (columns counted in characters: the font is monospace).
fn expand_tabs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut column = 0;
    for c in line.chars() {
        match c {
            '\t' => {
                let next = (column / TAB_COLUMNS + 1) * TAB_COLUMNS;
                out.extend(std::iter::repeat_n(' ', next - column));
                column = next;
            }
            c if c.is_control() => {}
            c => {
                out.push(c);
                column += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{Paper, Resolution};

    fn geom() -> PageGeometry {
        PageGeometry::new(Resolution::Fine, Paper::Letter).with_header_rows(35)
    }

    fn ctx() -> OpenContext {
        OpenContext::new(geom())
    }

    #[test]
    fn encodings_are_detected() {
        assert_eq!(decode(b"caf\xC3\xA9").text, "café");
        assert_eq!(decode(b"\xEF\xBB\xBFcaf\xC3\xA9").text, "café");
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("héllo".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&utf16le).text, "héllo");
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("héllo".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(decode(&utf16be).text, "héllo");
        let latin1 = b"Le caf\xE9 est tr\xE8s bon, \xE0 la fran\xE7aise, d\xE9j\xE0 vu.";
        let d = decode(latin1);
        assert_eq!(d.encoding, "windows-1252");
        assert!(
            d.text.contains("café") && d.text.contains("française"),
            "{}",
            d.text
        );
        let (sjis, _, _) =
            encoding_rs::SHIFT_JIS.encode("日本語のテキストです。これはテストです。");
        let d = decode(&sjis);
        assert_eq!(d.encoding, "Shift_JIS");
        assert_eq!(d.text, "日本語のテキストです。これはテストです。");
    }

    #[test]
    fn form_feed_breaks_pages_and_tabs_expand() {
        let doc = text_document("a\tb\n\x0c\nsecond page\n", &geom());
        let kinds: Vec<String> = doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => p.text(),
                Block::PageBreak => "<FF>".into(),
                _ => "?".into(),
            })
            .collect();
        assert_eq!(kinds, ["a       b", "<FF>", "second page"]);
        assert_eq!(expand_tabs("abcdefgh\tx"), "abcdefgh        x");
        let opened = open(b"page one\x0cpage two\n", &ctx()).unwrap();
        assert_eq!(opened.pages.len(), 2);
    }

    #[test]
    fn long_lines_wrap_and_pages_fill() {
        let line = "word ".repeat(100); // 500 columns: 7 lines of 83
        let opened = open(line.as_bytes(), &ctx()).unwrap();
        assert_eq!(opened.pages.len(), 1);
        // ~60 lines per letter page: 300 lines make 5 or 6 pages.
        let many = "line\n".repeat(300);
        let n = open(many.as_bytes(), &ctx()).unwrap().pages.len();
        assert!((5..=6).contains(&n), "{n}");
    }

    #[test]
    fn missing_glyphs_are_reported() {
        let opened = open("漢字 and text".as_bytes(), &ctx()).unwrap();
        assert_eq!(opened.warnings.len(), 1);
        assert!(
            opened.warnings[0].starts_with("2 characters have no glyph"),
            "{:?}",
            opened.warnings
        );
        assert!(open(b"plain ascii", &ctx()).unwrap().warnings.is_empty());
    }

    #[test]
    fn rendering_is_deterministic_and_leaves_the_band_white() {
        let opened = open(b"Hello fax\nSecond line", &ctx()).unwrap();
        let render = || match opened.pages[0].render(&geom(), &Limits::default()).unwrap() {
            RenderedPage::Gray(g) => g,
            RenderedPage::Bits(_) => panic!("gray expected"),
        };
        let (a, b) = (render(), render());
        assert!(a == b);
        assert!((0..35).all(|y| a.row(y).iter().all(|&v| v == 255)));
        assert!(a.data.iter().any(|&v| v < 128));
    }
}
