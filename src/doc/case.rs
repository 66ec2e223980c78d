//! Text case transforms (CSS `text-transform`, ODF `fo:text-transform` and
//! small capitals), shared by the HTML and ODT readers.

/// How a run's letters are cased before it is typeset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextCase {
    #[default]
    None,
    Upper,
    Lower,
    /// The first letter of every word in upper case.
    Capitalize,
    /// Small capitals: set as capitals (the reader also makes the run
    /// smaller; we have no small-cap glyphs).
    SmallCaps,
}

impl TextCase {
    /// `text` in this case.
    pub fn apply(self, text: &str) -> String {
        match self {
            TextCase::None => text.to_owned(),
            TextCase::Upper | TextCase::SmallCaps => text.to_uppercase(),
            TextCase::Lower => text.to_lowercase(),
            TextCase::Capitalize => {
                let mut out = String::with_capacity(text.len());
                let mut start = true;
                for c in text.chars() {
                    if start && c.is_alphabetic() {
                        out.extend(c.to_uppercase());
                    } else {
                        out.push(c);
                    }
                    start = c.is_whitespace();
                }
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(TextCase::None.apply("aB c"), "aB c");
        assert_eq!(TextCase::Upper.apply("straße"), "STRASSE");
        assert_eq!(TextCase::SmallCaps.apply("ab"), "AB");
        assert_eq!(TextCase::Lower.apply("ÀB"), "àb");
        assert_eq!(
            TextCase::Capitalize.apply("hello  wide-world (x)"),
            "Hello  Wide-world (x)"
        );
    }
}
