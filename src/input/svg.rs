//! SVG documents, drawn with resvg straight onto the fax grid: the picture
//! is placed like any image (fitted, centred, turned when that makes it
//! larger) and rendered at its final, non-square pixel size, so lines stay
//! sharp. Text uses the committed fonts. Nothing is fetched: an `<image>`
//! that points at a file or the network is left out, with a warning;
//! images embedded as `data:` URIs are drawn.

use super::fit::{self, SourceDpi};
use super::sniff::Format;
use super::source::{OpenContext, OpenedDocument, PageSource, RenderedPage};
use crate::bitmap::GrayImage;
use crate::error::{Error, Result};
use crate::geometry::PageGeometry;
use crate::limits::Limits;
use resvg::tiny_skia;
use resvg::usvg;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// CSS pixels per inch: an SVG's user unit.
const SVG_DPI: f64 = 96.0;

/// The font database usvg shapes SVG text with: the committed fonts.
fn font_database() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        for (_, bytes) in crate::layout::fonts::COMMITTED {
            db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(*bytes)));
        }
        db.set_sans_serif_family("Liberation Sans");
        db.set_serif_family("Liberation Serif");
        db.set_monospace_family("Liberation Mono");
        Arc::new(db)
    })
    .clone()
}

/// Picks a face for an SVG font spec: office names map to the committed
/// metric-compatible families (Arial -> Liberation Sans, ...) as in the
/// typesetter; anything unknown ends in sans-serif (usvg's own default
/// would end in serif).
fn font_selector() -> usvg::FontSelectionFn<'static> {
    use usvg::fontdb::{Family, Query, Stretch, Style, Weight};
    Box::new(|font: &usvg::Font, db: &mut Arc<usvg::fontdb::Database>| {
        let names: Vec<String> = font
            .families()
            .iter()
            .map(|f| match f {
                usvg::FontFamily::Serif => crate::layout::fonts::resolve_family("serif"),
                usvg::FontFamily::Monospace => crate::layout::fonts::resolve_family("monospace"),
                usvg::FontFamily::Named(n) => crate::layout::fonts::resolve_family(n),
                _ => crate::layout::fonts::resolve_family("sans-serif"),
            })
            .map(str::to_string)
            .collect();
        let mut families: Vec<Family> = names.iter().map(|n| Family::Name(n)).collect();
        families.push(Family::SansSerif);
        let style = match font.style() {
            usvg::FontStyle::Normal => Style::Normal,
            usvg::FontStyle::Italic => Style::Italic,
            usvg::FontStyle::Oblique => Style::Oblique,
        };
        db.query(&Query {
            families: &families,
            weight: Weight(font.weight()),
            stretch: Stretch::Normal,
            style,
        })
    })
}

/// Parses an SVG without fetching anything; returns the tree and how many
/// external references were left out.
fn parse(bytes: &[u8]) -> Result<(usvg::Tree, usize)> {
    let skipped = Arc::new(AtomicUsize::new(0));
    let counter = skipped.clone();
    let options = usvg::Options {
        resources_dir: None,
        font_family: "Liberation Sans".to_string(),
        fontdb: font_database(),
        font_resolver: usvg::FontResolver {
            select_font: font_selector(),
            select_fallback: usvg::FontResolver::default_fallback_selector(),
        },
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(move |_href: &str, _opts: &usvg::Options| {
                counter.fetch_add(1, Ordering::Relaxed);
                None
            }),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(bytes, &options)
        .map_err(|e| Error::bad_input(format!("the SVG cannot be read ({e})")))?;
    let size = tree.size();
    if !(size.width() > 0.0 && size.height() > 0.0) {
        return Err(Error::bad_input("the SVG has no size"));
    }
    let skipped = skipped.load(Ordering::Relaxed);
    Ok((tree, skipped))
}

/// One SVG page: the tree parsed when the document was opened.
struct SvgPage {
    tree: usvg::Tree,
}

impl PageSource for SvgPage {
    fn render(&self, geom: &PageGeometry, _limits: &Limits) -> Result<RenderedPage> {
        Ok(RenderedPage::Gray(render_on_page(&self.tree, geom)))
    }
}

/// Opens an SVG document (one page).
pub fn open(bytes: &[u8], _ctx: &OpenContext) -> Result<OpenedDocument> {
    let (tree, skipped) = parse(bytes)?;
    let mut warnings = Vec::new();
    if skipped > 0 {
        warnings.push(format!(
            "{skipped} external image reference(s) in the SVG were not fetched (only embedded data: images are drawn)"
        ));
    }
    Ok(OpenedDocument {
        format: Format::Svg,
        pages: vec![Box::new(SvgPage { tree })],
        warnings,
    })
}

/// Draws the tree fitted onto a white page of `geom`.
fn render_on_page(tree: &usvg::Tree, geom: &PageGeometry) -> GrayImage {
    let size = tree.size();
    // the SVG's natural size in 204-dpi pixels, square
    let scale = geom.x_dpi() as f64 / SVG_DPI;
    let natural_w = (size.width() as f64 * scale).ceil().max(1.0) as u32;
    let natural_h = (size.height() as f64 * scale).ceil().max(1.0) as u32;
    let square = Some(SourceDpi { x: 1.0, y: 1.0 });
    let p = fit::plan_fit(natural_w, natural_h, square, geom, geom.header_rows);
    // render upright at the size it has before any turn
    let (w, h) = if p.rotated {
        (p.height, p.width)
    } else {
        (p.width, p.height)
    };
    let picture = rasterize(tree, w, h);
    let picture = if p.rotated {
        fit::rotate_ccw(&picture)
    } else {
        picture
    };
    let mut page = GrayImage::new(geom.width(), geom.rows(), 255);
    page.blit(&picture, p.x as i64, p.y as i64);
    page
}

/// Renders the whole tree into a `width` x `height` gray picture on white
/// (width and height are in fax pixels, which need not be square).
fn rasterize(tree: &usvg::Tree, width: u32, height: u32) -> GrayImage {
    let (width, height) = (width.max(1), height.max(1));
    let Some(mut pixmap) = tiny_skia::Pixmap::new(width, height) else {
        return GrayImage::new(width, height, 255);
    };
    pixmap.fill(tiny_skia::Color::WHITE);
    let size = tree.size();
    let transform = tiny_skia::Transform::from_scale(
        width as f32 / size.width(),
        height as f32 / size.height(),
    );
    resvg::render(tree, transform, &mut pixmap.as_mut());
    // opaque after the white fill: straight RGB to gray (integer BT.601)
    let data = pixmap
        .data()
        .chunks_exact(4)
        .map(|px| ((px[0] as u32 * 77 + px[1] as u32 * 150 + px[2] as u32 * 29 + 128) >> 8) as u8)
        .collect();
    GrayImage::from_raw(width, height, data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{Paper, Resolution};

    fn ink_rows(img: &GrayImage) -> (u32, u32) {
        let rows: Vec<u32> = (0..img.height)
            .filter(|&y| img.row(y).iter().any(|&v| v < 128))
            .collect();
        (rows[0], *rows.last().unwrap())
    }

    const CIRCLE: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">
        <circle cx="100" cy="100" r="90" fill="black"/></svg>"#;

    #[test]
    fn a_circle_stays_round_on_every_grid() {
        for res in [
            Resolution::Standard,
            Resolution::Fine,
            Resolution::Superfine,
        ] {
            let geom = PageGeometry::new(res, Paper::Letter);
            let (tree, _) = parse(CIRCLE.as_bytes()).unwrap();
            let page = render_on_page(&tree, &geom);
            let (top, bottom) = ink_rows(&page);
            let cols: Vec<u32> = (0..page.width)
                .filter(|&x| (0..page.height).any(|y| page.get(x, y) < 128))
                .collect();
            let width_in = (cols.last().unwrap() - cols[0] + 1) as f64 / 204.0;
            let height_in = (bottom - top + 1) as f64 / res.y_dpi() as f64;
            assert!(
                (width_in / height_in - 1.0).abs() < 0.03,
                "{res:?}: {width_in} x {height_in}"
            );
        }
    }

    #[test]
    fn the_header_band_stays_white() {
        let geom = PageGeometry::new(Resolution::Fine, Paper::Letter).with_header_rows(40);
        let tall = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="1000">
            <rect width="100" height="1000" fill="black"/></svg>"#;
        let (tree, _) = parse(tall.as_bytes()).unwrap();
        let page = render_on_page(&tree, &geom);
        assert!(ink_rows(&page).0 >= 40);
    }

    #[test]
    fn external_images_are_not_fetched_but_reported() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">
            <image xlink:href="http://127.0.0.1:9/x.png" width="10" height="10"/>
            <image href="/etc/passwd" width="10" height="10"/></svg>"#;
        let (_, skipped) = parse(svg.as_bytes()).unwrap();
        assert_eq!(skipped, 2);
    }

    #[test]
    fn text_uses_the_committed_fonts() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60">
            <text x="10" y="40" font-family="Arial" font-size="30">Fax 123</text></svg>"#;
        let (tree, _) = parse(svg.as_bytes()).unwrap();
        let pic = rasterize(&tree, 300, 60);
        let ink = pic.data.iter().filter(|&&v| v < 128).count();
        assert!(ink > 300, "text drew {ink} dark pixels");
    }

    #[test]
    fn broken_svgs_are_refused() {
        assert!(parse(b"<svg xmlns='http://www.w3.org/2000/svg'").is_err());
        assert!(parse(b"<svg xmlns='http://www.w3.org/2000/svg' width='0' height='0'/>").is_err());
    }
}
