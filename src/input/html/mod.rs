//! HTML documents, rendered natively: decoded ([`charset`]), parsed with
//! html5ever (scraper), styled by a small cascade ([`css`], [`cascade`],
//! [`style`]) and built into a flow [`Document`] ([`build`], [`table`]),
//! which our typesetter lays out.
//!
//! Nothing is ever fetched from the network and no script runs: `http:`,
//! `https:`, `//host` and `file:` references (images, style sheets,
//! `@import`, `url()`, frames) are skipped and counted in a warning. Local
//! style sheets and images come from `ctx.resources` ([`resources`]): the
//! document's folder (never above it) and files supplied with the job.

pub mod build;
pub mod cascade;
pub mod charset;
pub mod css;
pub mod resources;
pub mod style;
pub mod table;

use super::sniff::Format;
use super::source::{OpenContext, OpenedDocument};
use crate::doc::{Document, PageSetup};
use crate::error::{Error, Result};
use crate::layout::fonts::Fonts;
use build::{Builder, Ctx, Flow};
use cascade::Cascade;
use scraper::{ElementRef, Html, Node};
use style::{Len, Style};

/// The build runs on its own thread with this much stack: the DOM walk
/// recurses once per element level (capped at [`build::MAX_DEPTH`]).
const BUILD_STACK: usize = 64 * 1024 * 1024;
/// At most this many style sheets (and `@import`s) are read.
const MAX_SHEETS: usize = 64;
/// Default margins (WeasyPrint's and browsers' print default: 75 px).
const DEFAULT_MARGIN: f32 = 56.25;

/// Opens an HTML document.
pub fn open(bytes: &[u8], ctx: &OpenContext) -> Result<OpenedDocument> {
    let (text, _encoding) = charset::decode(bytes);
    let built = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("html-build".into())
            .stack_size(BUILD_STACK)
            .spawn_scoped(scope, || build_document(&text, ctx))
            .map_err(|e| Error::bad_input(format!("cannot start the HTML reader ({e})")))?
            .join()
            .map_err(|_| Error::bad_input("the HTML document could not be read"))
    })?;
    let (doc, mut warnings) = built;
    let mut opened = super::text::typeset(&doc, Format::Html, ctx)?;
    warnings.append(&mut opened.warnings);
    opened.warnings = warnings;
    Ok(opened)
}

/// Parses, styles and builds the flow document; returns it with the
/// warnings.
pub fn build_document(text: &str, ctx: &OpenContext) -> (Document, Vec<String>) {
    let html = Html::parse_document(text);
    let mut sheets = Vec::new();
    let mut refused_sheets: Vec<(String, resources::Fetched)> = Vec::new();
    collect_sheets(&html, ctx, &mut sheets, &mut refused_sheets);

    let page = page_setup(&sheets, &ctx.fonts);
    let mut builder = Builder::new(
        Cascade::new(&sheets, ctx.fonts.clone()),
        &ctx.resources,
        &ctx.limits,
    );
    for (reference, what) in refused_sheets {
        match what {
            resources::Fetched::Remote => builder.report.remote.push(reference),
            resources::Fetched::Outside => builder.report.outside.push(reference),
            _ => builder.report.missing.push(reference),
        }
    }
    for sheet in &sheets {
        for url in sheet.imports.iter().chain(&sheet.urls) {
            if matches!(
                resources::fetch(url, &ctx.resources),
                resources::Fetched::Remote
            ) {
                builder.report.remote.push(url.chars().take(80).collect());
            }
        }
    }
    // <meta http-equiv=refresh> pointing somewhere: never followed.
    for el in html
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        let v = el.value();
        if v.name() == "meta"
            && v.attr("http-equiv")
                .is_some_and(|h| h.eq_ignore_ascii_case("refresh"))
        {
            if let Some(url) = v
                .attr("content")
                .and_then(|c| c.split_once("url="))
                .map(|(_, u)| u)
            {
                builder.note_reference(url.trim());
            }
        }
    }

    let root = Style::root();
    let ctx_box = Ctx {
        indent_left: 0.0,
        indent_right: 0.0,
        width: page.content_width(),
        list_level: 0,
        depth: 0,
        tables: 0,
    };
    let mut flow = Flow::new(&ctx_box, &root);
    let top: ego_tree::NodeRef<'_, Node> = html.tree.root();
    builder.children(top, &root, ctx_box, &mut flow);
    flow.flush_end();

    let mut doc = Document::new(page);
    doc.blocks = flow.blocks;
    let warnings = warnings(&builder);
    (doc, warnings)
}

/// The document's style sheets, in order: `<style>` blocks and local
/// `<link rel=stylesheet>` files (each with its local `@import`s first).
fn collect_sheets(
    html: &Html,
    ctx: &OpenContext,
    sheets: &mut Vec<css::Sheet>,
    refused: &mut Vec<(String, resources::Fetched)>,
) {
    for el in html
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        if sheets.len() >= MAX_SHEETS {
            break;
        }
        let v = el.value();
        let media_ok = v.attr("media").is_none_or(|m| {
            let m = m.to_ascii_lowercase();
            m.contains("print") || m.contains("all") || m.trim().is_empty()
        });
        if !media_ok {
            continue;
        }
        match v.name() {
            "style" => {
                let text: String = el.text().collect();
                add_sheet(&text, ctx, sheets, refused, 0);
            }
            "link"
                if v.attr("rel").is_some_and(|r| {
                    r.split_whitespace()
                        .any(|w| w.eq_ignore_ascii_case("stylesheet"))
                }) =>
            {
                let Some(href) = v.attr("href") else { continue };
                match resources::fetch(href, &ctx.resources) {
                    resources::Fetched::Bytes(bytes) => {
                        let (text, _) = charset::decode(&bytes);
                        add_sheet(&text, ctx, sheets, refused, 0);
                    }
                    other => refused.push((href.chars().take(80).collect(), other)),
                }
            }
            _ => {}
        }
    }
}

fn add_sheet(
    text: &str,
    ctx: &OpenContext,
    sheets: &mut Vec<css::Sheet>,
    refused: &mut Vec<(String, resources::Fetched)>,
    depth: usize,
) {
    let sheet = css::parse_sheet(text);
    if depth < 4 {
        for import in &sheet.imports {
            if sheets.len() >= MAX_SHEETS {
                break;
            }
            match resources::fetch(import, &ctx.resources) {
                resources::Fetched::Bytes(bytes) => {
                    let (t, _) = charset::decode(&bytes);
                    add_sheet(&t, ctx, sheets, refused, depth + 1);
                }
                // Remote imports are reported with the sheet's urls.
                resources::Fetched::Remote => {}
                other => refused.push((import.chars().take(80).collect(), other)),
            }
        }
    }
    sheets.push(sheet);
}

/// The page: `@page { size; margin }` of the last sheet saying so, else
/// Letter with WeasyPrint's default margins.
fn page_setup(sheets: &[css::Sheet], fonts: &Fonts) -> PageSetup {
    let mut page = PageSetup::letter().with_margins(DEFAULT_MARGIN);
    for d in sheets.iter().flat_map(|s| &s.page) {
        let v = d.value.to_ascii_lowercase();
        match d.name.as_str() {
            "size" => {
                let landscape = v.contains("landscape");
                let mut words = v
                    .split_whitespace()
                    .filter(|w| *w != "landscape" && *w != "portrait");
                let (mut w, mut h) = (page.width, page.height);
                match words.next() {
                    Some("a4") => (w, h) = (595.3, 841.9),
                    Some("a5") => (w, h) = (419.5, 595.3),
                    Some("a3") => (w, h) = (841.9, 1190.6),
                    Some("letter") => (w, h) = (612.0, 792.0),
                    Some("legal") => (w, h) = (612.0, 1008.0),
                    Some(first) => {
                        if let Some(Len::Pt(a)) = style::length(first, 12.0) {
                            let b = words.next().and_then(|s| match style::length(s, 12.0) {
                                Some(Len::Pt(b)) => Some(b),
                                _ => None,
                            });
                            (w, h) = (a, b.unwrap_or(a));
                        }
                    }
                    None => {}
                }
                if landscape && h > w {
                    (w, h) = (h, w);
                }
                page.width = w.clamp(72.0, 2000.0);
                page.height = h.clamp(72.0, 3000.0);
            }
            "margin" | "margin-top" | "margin-right" | "margin-bottom" | "margin-left" => {
                let mut s = Style::root();
                if s.apply(d, 12.0, fonts) {
                    let m = s.margin.map(|l| l.resolve(page.width).clamp(0.0, 300.0));
                    match d.name.as_str() {
                        "margin" => {
                            (
                                page.margin_top,
                                page.margin_right,
                                page.margin_bottom,
                                page.margin_left,
                            ) = (m[0], m[1], m[2], m[3])
                        }
                        "margin-top" => page.margin_top = m[0],
                        "margin-right" => page.margin_right = m[1],
                        "margin-bottom" => page.margin_bottom = m[2],
                        _ => page.margin_left = m[3],
                    }
                }
            }
            _ => {}
        }
    }
    // Keep a usable content area whatever the margins say.
    if page.width - page.margin_left - page.margin_right < 72.0 {
        page = page.with_margins(DEFAULT_MARGIN.min(page.width / 4.0));
    }
    if page.height - page.margin_top - page.margin_bottom < 72.0 {
        page.margin_top = page.height / 8.0;
        page.margin_bottom = page.height / 8.0;
    }
    page
}

/// The report's warnings, one line per kind of problem.
fn warnings(b: &Builder<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let list = |v: &[String]| {
        let mut shown: Vec<&str> = v.iter().take(5).map(String::as_str).collect();
        shown.dedup();
        let more = if v.len() > 5 {
            format!(" and {} more", v.len() - 5)
        } else {
            String::new()
        };
        format!("{}{more}", shown.join(", "))
    };
    if !b.report.remote.is_empty() {
        out.push(format!(
            "{} external reference(s) not fetched (no network access): {}",
            b.report.remote.len(),
            list(&b.report.remote)
        ));
    }
    if !b.report.outside.is_empty() {
        out.push(format!(
            "{} reference(s) outside the document's folder refused: {}",
            b.report.outside.len(),
            list(&b.report.outside)
        ));
    }
    if !b.report.missing.is_empty() {
        out.push(format!(
            "{} referenced file(s) not found: {}",
            b.report.missing.len(),
            list(&b.report.missing)
        ));
    }
    if b.report.bad_images > 0 {
        out.push(format!(
            "{} image(s) could not be decoded and were left out",
            b.report.bad_images
        ));
    }
    if b.cascade.unsupported_count > 0 {
        let names: Vec<&str> = b.cascade.unsupported.iter().map(String::as_str).collect();
        out.push(format!(
            "{} CSS declarations not supported: {}",
            b.cascade.unsupported_count,
            names.join(", ")
        ));
    }
    if b.report.flattened {
        out.push(format!(
            "elements nested deeper than {} levels were flattened to text",
            build::MAX_DEPTH
        ));
    }
    if b.report.capped_cells {
        out.push("a table had too many cells; the rest were left out".into());
    }
    if b.report.capped_elements {
        out.push("the document has too many elements; the rest was kept as plain text".into());
    }
    out
}

/// An SVG image as gray pixels (rendered at twice its CSS size, capped,
/// for a sharp fax) and its CSS size in points.
pub(crate) fn svg_image(bytes: &[u8]) -> Option<(crate::bitmap::GrayImage, f32, f32)> {
    use resvg::{tiny_skia, usvg};
    let options = usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(bytes, &options).ok()?;
    let size = tree.size();
    let scale = (2000.0 / size.width().max(size.height())).min(2.0);
    let (w, h) = (
        ((size.width() * scale).ceil() as u32).max(1),
        ((size.height() * scale).ceil() as u32).max(1),
    );
    let mut pixmap = tiny_skia::Pixmap::new(w, h)?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let data = pixmap
        .data()
        .chunks_exact(4)
        .map(|px| ((px[0] as u32 * 77 + px[1] as u32 * 150 + px[2] as u32 * 29 + 128) >> 8) as u8)
        .collect();
    let img = crate::bitmap::GrayImage::from_raw(w, h, data);
    Some((img, size.width() * 0.75, size.height() * 0.75))
}
