//! ODF lengths, percentages and colours as the typesetter wants them.

/// A length ("2.5cm", "12pt", "0.5in", "10mm", "3pc", "16px") in points.
pub fn length_pt(value: &str) -> Option<f32> {
    let v = value.trim();
    let split = v
        .find(|c: char| c.is_ascii_alphabetic() || c == '%')
        .unwrap_or(v.len());
    let number: f32 = v[..split].trim().parse().ok()?;
    if !number.is_finite() {
        return None;
    }
    let factor = match v[split..].trim() {
        "pt" | "" => 1.0,
        "cm" => 72.0 / 2.54,
        "mm" => 72.0 / 25.4,
        "in" | "inch" => 72.0,
        "pc" => 12.0,
        "px" => 0.75,
        _ => return None,
    };
    Some((number * factor).clamp(-100_000.0, 100_000.0))
}

/// A percentage ("115%") as a fraction (1.15).
pub fn percent(value: &str) -> Option<f32> {
    let n: f32 = value.trim().strip_suffix('%')?.trim().parse().ok()?;
    n.is_finite().then_some((n / 100.0).clamp(0.0, 100.0))
}

/// `#rrggbb` as an ink level for the fax (0 = black, 255 = white), by
/// luminance; `None` for "transparent" and anything unreadable.
pub fn color_gray(value: &str) -> Option<u8> {
    let hex = value.trim().strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let channel = |i: usize| u32::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    let (r, g, b) = (channel(0)?, channel(2)?, channel(4)?);
    Some(((299 * r + 587 * g + 114 * b) / 1000) as u8)
}

/// A border ("0.5pt solid #000000", "none", "0.06pt double ...") as its
/// width in points (0 = none). Hairlines stay visible on the fax.
pub fn border_width(value: &str) -> f32 {
    let v = value.trim();
    if v.is_empty() || v == "none" || v.contains("hidden") {
        return 0.0;
    }
    let width = v
        .split_whitespace()
        .find_map(length_pt)
        .unwrap_or(0.75)
        .clamp(0.0, 20.0);
    if v.contains("double") {
        width.max(1.5)
    } else {
        width.max(0.5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(length_pt("1in"), Some(72.0));
        assert!((length_pt("2.54cm").unwrap() - 72.0).abs() < 0.01);
        assert!((length_pt("25.4mm").unwrap() - 72.0).abs() < 0.01);
        assert_eq!(length_pt("12pt"), Some(12.0));
        assert_eq!(length_pt("-0.5in"), Some(-36.0));
        assert_eq!(length_pt("wide"), None);
        assert_eq!(length_pt("3em"), None);
        assert_eq!(percent("115%"), Some(1.15));
    }

    #[test]
    fn colours_and_borders() {
        assert_eq!(color_gray("#000000"), Some(0));
        assert_eq!(color_gray("#ffffff"), Some(255));
        assert_eq!(color_gray("#808080"), Some(128));
        assert_eq!(color_gray("transparent"), None);
        assert_eq!(border_width("none"), 0.0);
        assert_eq!(border_width("0.06pt solid #000000"), 0.5);
        assert_eq!(border_width("2pt solid #000000"), 2.0);
        assert_eq!(border_width("0.5pt double #000000"), 1.5);
    }
}
