//! Frames (`draw:frame`): pictures from the package (`Pictures/...`) or
//! inline base64 (`office:binary-data` in a flat .fodt), text boxes as
//! their text, embedded objects (charts) by their replacement picture when
//! it is one we can decode. External pictures are never fetched.

use super::body::{BodyReader, Place};
use super::units::length_pt;
use crate::doc::{Block, Image};
use crate::input::image::decode_image;
use crate::input::xml_tree::Element;
use std::sync::Arc;

/// Largest picture frame side we accept, in points (a frame is scaled to
/// the page anyway; this bounds nonsense sizes).
const MAX_FRAME_PT: f32 = 5000.0;

impl BodyReader<'_> {
    /// The blocks a frame shows.
    pub fn frame(&mut self, e: &Element, depth: usize) -> Vec<Block> {
        let width = e.attr("svg:width").and_then(length_pt).filter(|w| *w > 0.0);
        let height = e
            .attr("svg:height")
            .and_then(length_pt)
            .filter(|h| *h > 0.0);
        let is_object = e
            .elements()
            .any(|c| c.name == "draw:object" || c.name == "draw:object-ole");
        if is_object {
            self.warnings
                .count("embedded objects (charts) are not rendered; their preview picture is shown when it is PNG/JPEG");
        }
        let mut out = Vec::new();
        if let Some(text_box) = e.child("draw:text-box") {
            self.blocks(text_box, Place::Nested, depth + 1, &mut out);
            return out;
        }
        // a frame may offer several pictures (alternatives): the first we
        // can read wins
        let mut failure = None;
        for image in e.elements().filter(|c| c.name == "draw:image") {
            match self.picture(image, width, height) {
                Ok(block) => {
                    out.push(block);
                    return out;
                }
                Err(why) => failure = Some(why),
            }
        }
        if let Some(why) = failure {
            if !is_object || why != Failure::Undecodable {
                self.warnings.count(why.message());
            }
        }
        out
    }

    fn picture(
        &mut self,
        e: &Element,
        width: Option<f32>,
        height: Option<f32>,
    ) -> Result<Block, Failure> {
        let bytes: Vec<u8> = if let Some(data) = e.child("office:binary-data") {
            crate::input::html::resources::base64(&data.text()).ok_or(Failure::Undecodable)?
        } else {
            let href = e.attr("xlink:href").ok_or(Failure::Missing)?;
            let name = package_path(href).ok_or(Failure::External)?;
            let package = self.package.ok_or(Failure::Missing)?;
            package.get(&name).ok_or(Failure::Missing)?.to_vec()
        };
        if looks_like_svg(&bytes) {
            return Err(Failure::Svg);
        }
        let pixels = decode_image(&bytes, &self.ctx.limits).map_err(|_| Failure::Undecodable)?;
        // without a frame size: the pixels at 96 dpi
        let natural_w = pixels.width as f32 * 0.75;
        let natural_h = pixels.height as f32 * 0.75;
        let (w, h) = match (width, height) {
            (Some(w), Some(h)) => (w, h),
            (Some(w), None) => (w, w * natural_h / natural_w.max(1.0)),
            (None, Some(h)) => (h * natural_w / natural_h.max(1.0), h),
            (None, None) => (natural_w, natural_h),
        };
        Ok(Block::Image(Image {
            pixels: Arc::new(pixels),
            width: w.clamp(1.0, MAX_FRAME_PT),
            height: h.clamp(1.0, MAX_FRAME_PT),
        }))
    }
}

/// Why a picture is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    External,
    Missing,
    Undecodable,
    Svg,
}

impl Failure {
    fn message(self) -> &'static str {
        match self {
            Failure::External => "linked pictures outside the document were not fetched",
            Failure::Missing => "pictures missing from the package were left out",
            Failure::Undecodable => "pictures in a format we cannot decode were left out",
            Failure::Svg => "SVG pictures inside the document are not drawn yet",
        }
    }
}

/// The package entry a picture link names, or `None` for anything outside
/// the package (a URL, `file:`, an absolute path, `../`).
fn package_path(href: &str) -> Option<String> {
    let href = href.trim();
    if href.contains(':') || href.starts_with('/') || href.starts_with('\\') {
        return None;
    }
    let path = href.trim_start_matches("./");
    if path.is_empty() || path.split('/').any(|seg| seg == "..") {
        return None;
    }
    // links are URL-encoded ("Object%201")
    Some(percent_decode(path))
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        if let (b'%', Some(Ok(v))) = (b[i], hex.map(|h| u8::from_str_radix(h, 16))) {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head);
    text.contains("<svg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert_eq!(
            crate::input::html::resources::base64("aGVs\nbG8=").unwrap(),
            b"hello"
        );
        assert_eq!(
            crate::input::html::resources::base64("aGk=").unwrap(),
            b"hi"
        );
        assert!(crate::input::html::resources::base64("a*b").is_none());
    }

    #[test]
    fn package_paths_never_leave_the_package() {
        assert_eq!(
            package_path("Pictures/a.png").as_deref(),
            Some("Pictures/a.png")
        );
        assert_eq!(package_path("./Object%201").as_deref(), Some("Object 1"));
        assert_eq!(package_path("http://example.com/a.png"), None);
        assert_eq!(package_path("file:///etc/passwd"), None);
        assert_eq!(package_path("/etc/passwd"), None);
        assert_eq!(package_path("../secret.png"), None);
        assert_eq!(package_path("C:\\x.png"), None);
    }
}
