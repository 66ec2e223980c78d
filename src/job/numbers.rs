//! The recipient's fax number, checked and normalised to the dial string a
//! US fax server dials.
//!
//! Accepted forms (after removing spaces, dashes, dots and parentheses):
//! - `1` + a valid NANP number (`1 NPA NXX XXXX`): area code and exchange
//!   start with 2-9, neither is an N11 service code, and the area code is
//!   not an N9X code (reserved for expansion, never assigned);
//! - `011` + 7 to 15 digits (an international call; the country code does
//!   not start with 0, and country code 1 is dialled as `1…`, not `0111…`);
//! - a leading `+` in E.164 style: `+1…` becomes `1…`, `+44…` becomes
//!   `01144…`.
//!
//! A bare 10-digit US number is **refused** with the hint "add the leading
//! 1": ten digits could as well be a foreign number missing its prefix, and
//! a fax server must not guess whom to call.
//!
//! Error messages may quote what the user typed (they go back to that
//! user); the number is never logged above debug.

use crate::error::{Error, Result};

/// Longest input we look at: a number with generous formatting. Longer
/// input is refused without being scanned or quoted in full.
const MAX_INPUT_CHARS: usize = 40;

/// Digits after `011` (or `+`): E.164 allows at most 15, and no real
/// international number has fewer than 7.
const MIN_INTERNATIONAL_DIGITS: usize = 7;
const MAX_INTERNATIONAL_DIGITS: usize = 15;

/// What the user is told the accepted forms are.
const EXPECTED: &str = "expected 1 + a 10-digit US/Canada number (e.g. 1 212 555 0123) \
     or 011 + an international number of 7 to 15 digits (e.g. +44 20 7946 0000)";

/// Which kind of call a recipient number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberKind {
    /// North American Numbering Plan: `1` + 10 digits.
    Nanp,
    /// `011` + country code and number.
    International,
}

/// A checked recipient number: only digits, in dialling form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(into = "String")]
pub struct Recipient {
    digits: String,
    kind: NumberKind,
}

impl From<Recipient> for String {
    fn from(r: Recipient) -> String {
        r.digits
    }
}

impl Recipient {
    /// Checks and normalises a number as typed in the portal.
    pub fn parse(input: &str) -> Result<Recipient> {
        let trimmed = input.trim();
        let shown = quote(trimmed);
        let refuse = |why: &str| {
            Error::invalid_option(format!(
                "the recipient number {shown} is not valid: {why}; {EXPECTED}"
            ))
        };
        if trimmed.is_empty() {
            return Err(Error::invalid_option(format!(
                "no recipient number was given; {EXPECTED}"
            )));
        }
        let (plus, digits) = strip_formatting(trimmed).map_err(|why| refuse(&why))?;
        let dial = if plus {
            match digits.strip_prefix('1') {
                Some(_) => digits,
                None if digits.starts_with('0') => {
                    return Err(refuse("a country code never starts with 0"))
                }
                None => format!("011{digits}"),
            }
        } else {
            digits
        };
        if let Some(rest) = dial.strip_prefix("011") {
            check_international(rest).map_err(|why| refuse(&why))?;
            return Ok(Recipient {
                digits: dial,
                kind: NumberKind::International,
            });
        }
        if dial.len() == 10 && !dial.starts_with(['0', '1']) {
            return Err(refuse(
                "it has 10 digits: add the leading 1 for a US/Canada number",
            ));
        }
        match dial.strip_prefix('1') {
            Some(national) if dial.len() == 11 => {
                check_nanp(national).map_err(|why| refuse(&why))?;
                Ok(Recipient {
                    digits: dial,
                    kind: NumberKind::Nanp,
                })
            }
            Some(_) => Err(refuse(&format!(
                "a US/Canada number is 1 + 10 digits, this has {} digits after the 1",
                dial.len() - 1
            ))),
            None => Err(refuse("it starts with neither 1 nor 011")),
        }
    }

    /// The dial string: digits only (`12125550123`, `011442079460000`).
    pub fn digits(&self) -> &str {
        &self.digits
    }

    pub fn kind(&self) -> NumberKind {
        self.kind
    }

    /// The number as a person reads it: `+1 212 555 0123`, or `+` and the
    /// international digits (we keep no country table to group them).
    pub fn display(&self) -> String {
        match self.kind {
            NumberKind::Nanp => {
                let d = &self.digits;
                format!("+1 {} {} {}", &d[1..4], &d[4..7], &d[7..])
            }
            NumberKind::International => format!("+{}", &self.digits[3..]),
        }
    }
}

/// The input quoted for an error message, cut when absurdly long.
pub(crate) fn quote(input: &str) -> String {
    if input.chars().count() > MAX_INPUT_CHARS {
        let head: String = input.chars().take(MAX_INPUT_CHARS).collect();
        format!("'{head}…'")
    } else {
        format!("'{input}'")
    }
}

/// Removes the formatting characters a person types in a phone number
/// (spaces, `-`, `.`, `(`, `)`) and one leading `+`. Returns whether there
/// was a `+` and the digits; anything else (letters, `*`, `#`, an
/// extension) is refused, naming the character.
pub(crate) fn strip_formatting(input: &str) -> std::result::Result<(bool, String), String> {
    if input.chars().count() > MAX_INPUT_CHARS {
        return Err(format!("it is longer than {MAX_INPUT_CHARS} characters"));
    }
    let (plus, body) = match input.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, input),
    };
    let mut digits = String::with_capacity(body.len());
    for c in body.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            '+' => return Err("a '+' may only come first".to_string()),
            other => return Err(format!("it contains '{other}'")),
        }
    }
    if digits.is_empty() {
        return Err("it has no digits".to_string());
    }
    Ok((plus, digits))
}

/// Checks the 10 national digits of a NANP number (NPA-NXX-XXXX).
fn check_nanp(national: &str) -> std::result::Result<(), String> {
    let d = national.as_bytes();
    let (npa, nxx) = (&national[0..3], &national[3..6]);
    if !(b'2'..=b'9').contains(&d[0]) {
        return Err(format!("the area code {npa} must start with 2-9"));
    }
    if d[1] == b'1' && d[2] == b'1' {
        return Err(format!(
            "{npa} is a service code (like 911), not an area code"
        ));
    }
    if d[1] == b'9' {
        return Err(format!(
            "the area code {npa} is reserved and not in service"
        ));
    }
    if !(b'2'..=b'9').contains(&d[3]) {
        return Err(format!("the exchange {nxx} must start with 2-9"));
    }
    if d[4] == b'1' && d[5] == b'1' {
        return Err(format!(
            "the exchange {nxx} is a service code (like 411), not an exchange"
        ));
    }
    Ok(())
}

/// Checks the digits after `011`.
fn check_international(rest: &str) -> std::result::Result<(), String> {
    if rest.len() < MIN_INTERNATIONAL_DIGITS || rest.len() > MAX_INTERNATIONAL_DIGITS {
        return Err(format!(
            "an international number has 7 to 15 digits after 011, this has {}",
            rest.len()
        ));
    }
    if rest.starts_with('0') {
        return Err("a country code never starts with 0".to_string());
    }
    if rest.starts_with('1') {
        return Err(
            "country code 1 (US/Canada) is dialled as 1 + 10 digits, without 011".to_string(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> String {
        Recipient::parse(input)
            .unwrap_or_else(|e| panic!("{input:?} refused: {e}"))
            .digits()
            .to_string()
    }

    fn refused(input: &str) -> String {
        match Recipient::parse(input) {
            Ok(r) => panic!("{input:?} accepted as {}", r.digits()),
            Err(e) => {
                assert_eq!(e.kind, crate::ErrorKind::InvalidOption);
                e.to_string()
            }
        }
    }

    #[test]
    fn us_numbers_in_every_usual_writing() {
        for input in [
            "12125550123",
            "1 212 555 0123",
            "1-212-555-0123",
            "1.212.555.0123",
            "1 (212) 555-0123",
            "+1 (212) 555-0123",
            "+12125550123",
            "  1 212 555 0123  ",
            "1(212)555.0123",
        ] {
            assert_eq!(ok(input), "12125550123", "{input}");
        }
        assert_eq!(ok("1 800 555 0199"), "18005550199");
        assert_eq!(ok("1 416 555 0100"), "14165550100", "Toronto (NANP Canada)");
        assert_eq!(
            Recipient::parse("+1 212 555 0123").unwrap().kind(),
            NumberKind::Nanp
        );
    }

    #[test]
    fn international_numbers_get_the_011_prefix() {
        assert_eq!(ok("+44 20 7946 0000"), "011442079460000");
        assert_eq!(ok("011 44 20 7946 0000"), "011442079460000");
        assert_eq!(ok("+49 (30) 1234-5678"), "011493012345678");
        assert_eq!(ok("+33.1.23.45.67.89"), "01133123456789");
        assert_eq!(ok("0113531234"), "0113531234", "7 digits after 011");
        assert_eq!(ok("+998 90 123 45 67"), "011998901234567");
        assert_eq!(
            ok("+86 139 1234 5678 90"),
            "011861391234567890",
            "15 digits"
        );
        let r = Recipient::parse("+44 20 7946 0000").unwrap();
        assert_eq!(r.kind(), NumberKind::International);
        assert_eq!(r.display(), "+442079460000");
    }

    #[test]
    fn nanp_rules_are_applied() {
        assert!(refused("1 012 555 0123").contains("area code 012 must start with 2-9"));
        assert!(refused("1 112 555 0123").contains("must start with 2-9"));
        assert!(refused("1 911 555 0123").contains("service code"));
        assert!(refused("1 411 555 0123").contains("service code"));
        assert!(refused("1 290 555 0123").contains("reserved"));
        assert!(refused("1 212 055 0123").contains("exchange 055 must start with 2-9"));
        assert!(refused("1 212 155 0123").contains("exchange"));
        assert!(refused("1 212 911 0123").contains("exchange 911"));
        assert!(refused("1 212 555 012").contains("9 digits after the 1"));
        assert!(refused("1 212 555 01234").contains("11 digits after the 1"));
    }

    #[test]
    fn bare_ten_digits_are_refused_with_a_hint() {
        let msg = refused("(212) 555-0123");
        assert!(msg.contains("add the leading 1"), "{msg}");
        assert!(
            msg.contains("'(212) 555-0123'"),
            "the user's input is quoted: {msg}"
        );
    }

    #[test]
    fn other_forms_are_refused_saying_what_is_expected() {
        for input in [
            "",
            "   ",
            "abc",
            "212-555-0123 x12",
            "1 212 555 0123#",
            "*67 1 212 555 0123",
            "1+2125550123",
            "++12125550123",
            "+0 44 20 7946 0000",
            "011 0 44 20 7946",
            "011 1 212 555 0123",
            "011 123456",
            "011 1234567890123456",
            "555-0123",
            "2125550123456",
            "0 212 555 0123",
            "1-212-555-0123-1-212-555-0123-1-212-555-0123-1-212",
            "١٢١٢٥٥٥٠١٢٣", // Arabic-Indic digits are not dialled
        ] {
            let msg = refused(input);
            assert!(msg.contains("expected 1 + a 10-digit"), "{input}: {msg}");
        }
        assert!(refused("011 1 212 555 0123").contains("without 011"));
        assert!(refused("+0 44").contains("never starts with 0"));
        assert!(refused("212-555-0123 x12").contains("'x'"));
    }

    #[test]
    fn long_input_is_quoted_cut() {
        let long = "1".repeat(200);
        let msg = refused(&long);
        assert!(msg.len() < 400, "{msg}");
        assert!(msg.contains('…'));
    }

    #[test]
    fn display_groups_us_numbers() {
        assert_eq!(
            Recipient::parse("12125550123").unwrap().display(),
            "+1 212 555 0123"
        );
    }
}
