//! The T.30 resolution and T.4 width rules a fax sender applies to a page,
//! as SpanDSP 0.0.6 does (t4_tx matches the TIFF resolution to a T.30 one,
//! t30 `build_dcs` accepts only certain pairs and widths).
//!
//! SpanDSP snaps a resolution within 5 % to the nearest T.30 value and
//! otherwise silently announces 204x98; our reference checker
//! (spandsp-t4tx-check) calls anything more than 3 % off the announced value
//! a fallback and fails it, so 3 % is the tolerance here.

/// Horizontal resolutions SpanDSP can announce, in pixels per metre
/// (SpanDSP's `T4_X_RESOLUTION_*`), with their dpi for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XRes {
    R8,
    X300,
    R16,
    X600,
    X1200,
}

/// Vertical resolutions (SpanDSP's `T4_Y_RESOLUTION_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YRes {
    Standard,
    Fine,
    Y300,
    Superfine,
    Y600,
    Y800,
    Y1200,
}

const X_TABLE: [(XRes, f64); 5] = [
    (XRes::R8, 8031.0),
    (XRes::X300, 11811.0),
    (XRes::R16, 16063.0),
    (XRes::X600, 23622.0),
    (XRes::X1200, 47244.0),
];

const Y_TABLE: [(YRes, f64); 7] = [
    (YRes::Standard, 3850.0),
    (YRes::Fine, 7700.0),
    (YRes::Y300, 11811.0),
    (YRes::Superfine, 15400.0),
    (YRes::Y600, 23622.0),
    (YRes::Y800, 31496.0),
    (YRes::Y1200, 47244.0),
];

/// How far (relative) a page's resolution may be from the T.30 value.
pub const TOLERANCE: f64 = 0.03;

fn nearest<T: Copy>(table: &[(T, f64)], dpi: f64) -> Option<T> {
    let per_metre = dpi * 100.0 / 2.54;
    table
        .iter()
        .find(|(_, code)| (per_metre - code).abs() <= code * TOLERANCE)
        .map(|&(r, _)| r)
}

/// The T.30 horizontal resolution within 3 % of `dpi`.
pub fn x_resolution(dpi: f64) -> Option<XRes> {
    nearest(&X_TABLE, dpi)
}

/// The T.30 vertical resolution within 3 % of `dpi`.
pub fn y_resolution(dpi: f64) -> Option<YRes> {
    nearest(&Y_TABLE, dpi)
}

/// Whether SpanDSP's `build_dcs` can send this pair (to a far end that
/// supports everything).
pub fn pair_sendable(x: XRes, y: YRes) -> bool {
    use {XRes::*, YRes::*};
    matches!(
        (x, y),
        (R8, Standard | Fine | Superfine)
            | (R16, Superfine | Y800)
            | (X300, Y300 | Y600)
            | (X600, Y600 | Y1200)
            | (X1200, Y1200)
    )
}

/// The pairs strict TIFF-F checkers (validate-fax-tiff.sh, after HylaFAX)
/// accept: 204x98/196/391, 300x300 and R16 superfine.
pub fn pair_tiff_f(x: XRes, y: YRes) -> bool {
    use {XRes::*, YRes::*};
    matches!(
        (x, y),
        (R8, Standard | Fine | Superfine) | (X300, Y300) | (R16, Superfine)
    )
}

/// The T.4 page widths (A4, B4, A3) at a horizontal resolution.
pub fn widths(x: XRes) -> [u32; 3] {
    match x {
        XRes::R8 => [1728, 2048, 2432],
        XRes::X300 => [2592, 3072, 3648],
        XRes::R16 => [3456, 4096, 4864],
        XRes::X600 => [5184, 6144, 7296],
        XRes::X1200 => [10368, 12288, 14592],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_resolutions_match() {
        assert_eq!(x_resolution(204.0), Some(XRes::R8));
        assert_eq!(x_resolution(200.0), Some(XRes::R8));
        assert_eq!(x_resolution(203.29), Some(XRes::R8));
        assert_eq!(x_resolution(400.0), Some(XRes::R16));
        assert_eq!(x_resolution(96.0), None);
        assert_eq!(y_resolution(98.0), Some(YRes::Standard));
        assert_eq!(y_resolution(100.0), Some(YRes::Standard));
        assert_eq!(y_resolution(38.5 * 2.54), Some(YRes::Standard));
        assert_eq!(y_resolution(77.0 * 2.54), Some(YRes::Fine));
        assert_eq!(y_resolution(196.0), Some(YRes::Fine));
        assert_eq!(y_resolution(391.0), Some(YRes::Superfine));
        assert_eq!(y_resolution(400.0), Some(YRes::Superfine));
        // 4 % off: SpanDSP would snap it, the checker calls it a fallback
        assert_eq!(y_resolution(196.0 * 1.04), None);
    }

    #[test]
    fn pairs_and_widths() {
        assert!(pair_sendable(XRes::R8, YRes::Fine));
        assert!(!pair_sendable(XRes::R8, YRes::Y300));
        assert!(pair_sendable(XRes::X300, YRes::Y600));
        assert!(!pair_tiff_f(XRes::X300, YRes::Y600));
        assert!(widths(XRes::R8).contains(&1728));
        assert!(!widths(XRes::R8).contains(&1730));
    }
}
