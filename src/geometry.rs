//! Fax page geometry: resolutions, papers and the page grid.
//!
//! Every fax page is 1728 pixels wide at 204 dpi horizontally (T.4's
//! 215 mm scan line; HylaFAX's 203.29 dpi for Letter gives the same width).
//! Vertical resolution and paper decide the number of rows. The row counts
//! are those fax software uses (see DESIGN §3) so that pages match what
//! HylaFAX and SpanDSP produce and accept.

use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;

/// Width of every page we send, in pixels.
pub const FAX_WIDTH: u32 = 1728;
/// Horizontal resolution, dots per inch.
pub const X_DPI: u32 = 204;

/// Vertical fax resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Resolution {
    /// 204x98 dpi ("normal").
    Standard,
    /// 204x196 dpi.
    #[default]
    Fine,
    /// 204x391 dpi.
    Superfine,
}

impl Resolution {
    pub const ALL: [Resolution; 3] = [
        Resolution::Standard,
        Resolution::Fine,
        Resolution::Superfine,
    ];

    /// Vertical lines per inch as written to the TIFF YResolution tag.
    pub fn y_dpi(self) -> u32 {
        match self {
            Resolution::Standard => 98,
            Resolution::Fine => 196,
            Resolution::Superfine => 391,
        }
    }

    /// The T.4 "K" parameter for 2-D (MR) coding: at most K-1 2-D rows
    /// follow each 1-D row (T.4 §4.2.1: 2 at standard, 4 at higher).
    pub fn mr_k(self) -> u32 {
        match self {
            Resolution::Standard => 2,
            _ => 4,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Resolution::Standard => "standard",
            Resolution::Fine => "fine",
            Resolution::Superfine => "superfine",
        }
    }

    /// The resolution whose vertical dpi is within 5 % of `y_dpi` (as SpanDSP
    /// matches), if any. Accepts the metric 3.85/7.7/15.4 l/mm values too.
    pub fn from_y_dpi(y_dpi: f64) -> Option<Resolution> {
        Resolution::ALL
            .into_iter()
            .find(|r| (y_dpi - r.y_dpi() as f64).abs() <= r.y_dpi() as f64 * 0.05)
    }
}

impl fmt::Display for Resolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Resolution {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "standard" | "normal" | "low" => Ok(Resolution::Standard),
            "fine" | "high" => Ok(Resolution::Fine),
            "superfine" | "super-fine" => Ok(Resolution::Superfine),
            _ => Err(Error::invalid_option(format!(
                "unknown resolution '{s}' (expected standard, fine or superfine)"
            ))),
        }
    }
}

/// Paper size of the page we send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    #[default]
    Letter,
    A4,
    Legal,
}

impl Paper {
    pub const ALL: [Paper; 3] = [Paper::Letter, Paper::A4, Paper::Legal];

    /// Rows of a page of this paper at `res` (DESIGN §3).
    pub fn rows(self, res: Resolution) -> u32 {
        use Resolution::*;
        match (self, res) {
            (Paper::Letter, Standard) => 1078,
            (Paper::Letter, Fine) => 2156,
            (Paper::Letter, Superfine) => 4301,
            (Paper::A4, Standard) => 1146,
            (Paper::A4, Fine) => 2292,
            (Paper::A4, Superfine) => 4573,
            (Paper::Legal, Standard) => 1372,
            (Paper::Legal, Fine) => 2744,
            (Paper::Legal, Superfine) => 5474,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Paper::Letter => "letter",
            Paper::A4 => "a4",
            Paper::Legal => "legal",
        }
    }
}

impl fmt::Display for Paper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Paper {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "letter" | "us-letter" => Ok(Paper::Letter),
            "a4" => Ok(Paper::A4),
            "legal" | "us-legal" => Ok(Paper::Legal),
            _ => Err(Error::invalid_option(format!(
                "unknown paper '{s}' (expected letter, a4 or legal)"
            ))),
        }
    }
}

/// The pixel grid of one outgoing page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PageGeometry {
    pub resolution: Resolution,
    pub paper: Paper,
    /// Rows at the top kept free for the header line (0: none). Every
    /// renderer leaves them white and places content below them; the stamp
    /// stage draws the header there. The page never grows past the paper.
    pub header_rows: u32,
}

impl PageGeometry {
    pub fn new(resolution: Resolution, paper: Paper) -> Self {
        PageGeometry {
            resolution,
            paper,
            header_rows: 0,
        }
    }
    /// The same grid with `rows` rows reserved at the top for the header.
    pub fn with_header_rows(self, rows: u32) -> Self {
        PageGeometry {
            header_rows: rows.min(self.rows()),
            ..self
        }
    }
    /// Rows available for content, below the header band.
    pub fn content_rows(&self) -> u32 {
        self.rows() - self.header_rows.min(self.rows())
    }
    pub fn width(&self) -> u32 {
        FAX_WIDTH
    }
    pub fn rows(&self) -> u32 {
        self.paper.rows(self.resolution)
    }
    pub fn x_dpi(&self) -> u32 {
        X_DPI
    }
    pub fn y_dpi(&self) -> u32 {
        self.resolution.y_dpi()
    }
    /// Height of one pixel divided by its width (2.08 at standard, ~1 fine).
    /// Used to keep the aspect of images drawn on the fax grid.
    pub fn pixel_aspect(&self) -> f64 {
        X_DPI as f64 / self.y_dpi() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_match_fax_software() {
        assert_eq!(Paper::Letter.rows(Resolution::Fine), 2156);
        assert_eq!(Paper::A4.rows(Resolution::Superfine), 4573);
        assert_eq!(Paper::Legal.rows(Resolution::Standard), 1372);
        // rows stay proportional to the paper's length at every resolution
        for p in Paper::ALL {
            let inches = p.rows(Resolution::Fine) as f64 / 196.0;
            for r in Resolution::ALL {
                let got = p.rows(r) as f64 / r.y_dpi() as f64;
                assert!((got - inches).abs() < 0.05, "{p} {r}");
            }
        }
    }

    #[test]
    fn parses_names_and_dpi() {
        assert_eq!("Fine".parse::<Resolution>().unwrap(), Resolution::Fine);
        assert!("ultra".parse::<Resolution>().is_err());
        assert_eq!("A4".parse::<Paper>().unwrap(), Paper::A4);
        assert_eq!(Resolution::from_y_dpi(97.79), Some(Resolution::Standard));
        assert_eq!(Resolution::from_y_dpi(200.0), Some(Resolution::Fine));
        assert_eq!(Resolution::from_y_dpi(300.0), None);
    }
}
