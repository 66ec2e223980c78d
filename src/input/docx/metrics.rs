//! Word's "single" line height per font, relative to the typesetter's
//! natural line (ascent + descent without the line gap).
//!
//! Word sets single spacing at the font's ascent + descent + line gap
//! (Calibri 11 pt: 13.4 pt); our typesetter's `LineSpacing::Multiple(1.0)`
//! is ascent + descent (Carlito 11 pt: 11 pt). A DOCX multiple is scaled by
//! this factor so pages hold as many lines as in Word and LibreOffice.

use crate::layout::fonts::{family, resolve_family};

/// Word's single line height over ours, for text in `font`.
pub fn single_line_factor(font: &str) -> f32 {
    match resolve_family(font) {
        // hhea 1536+512+452 over 1536+512 (2048 units).
        f if f == family::CARLITO => 2500.0 / 2048.0,
        // hhea 1854+434+67 over 1854+434.
        f if f == family::SANS => 2355.0 / 2288.0,
        // hhea 1825+443+87 over 1825+443.
        f if f == family::SERIF => 2355.0 / 2268.0,
        _ => 1.0,
    }
}

/// Word's single line height in points for an empty line in `font` at
/// `size`, over the typesetter's fixed empty-line height (1.117 em).
pub fn empty_line_factor(font: &str) -> f32 {
    let word_em = match resolve_family(font) {
        f if f == family::CARLITO => 2500.0 / 2048.0,
        f if f == family::CALADEA => 1.15,
        f if f == family::MONO => 2320.0 / 2048.0,
        f if f == family::SANS || f == family::SERIF => 2355.0 / 2048.0,
        _ => 1.117,
    };
    word_em / 1.117
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibri_single_is_taller_than_its_ascent_plus_descent() {
        assert!((single_line_factor("Calibri") - 1.2207).abs() < 1e-3);
        assert_eq!(single_line_factor("Cambria"), 1.0);
        assert!(empty_line_factor("Calibri") > 1.0);
    }
}
