//! The caller ID (sending number) a fax carries in its header line and its
//! report: the DID the portal user chose, or `0000000000` when none.
//!
//! Accepted: 10 digits, or 11 digits starting with `1` (the same number with
//! the US/Canada country code), written with spaces, dashes, dots,
//! parentheses or a leading `+`. The digits are kept as given (10 stay 10,
//! 11 stay 11): it is the user's own number, shown as they know it. We do
//! not apply the NANP area-code rules here: the DID comes from the
//! provider's inventory, and `0000000000` itself must pass.

use crate::error::{Error, Result};
use crate::job::numbers::{quote, strip_formatting};

/// The caller ID used when the user chose none.
pub const NO_CALLER_ID: &str = "0000000000";

/// A checked caller ID: 10 or 11 digits.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(into = "String")]
pub struct CallerId {
    digits: String,
}

impl From<CallerId> for String {
    fn from(c: CallerId) -> String {
        c.digits
    }
}

impl Default for CallerId {
    fn default() -> Self {
        CallerId::none()
    }
}

impl CallerId {
    /// `0000000000`: no caller ID was chosen.
    pub fn none() -> CallerId {
        CallerId {
            digits: NO_CALLER_ID.to_string(),
        }
    }

    /// Checks the caller ID as given; `None` or a blank string means none.
    pub fn parse(input: Option<&str>) -> Result<CallerId> {
        let Some(raw) = input.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(CallerId::none());
        };
        let refuse = |why: &str| {
            Error::invalid_option(format!(
                "the caller ID {} is not valid: {why}; expected 10 digits, or 11 digits \
                 starting with 1 (e.g. 212 555 0123 or 1-212-555-0123)",
                quote(raw)
            ))
        };
        let (_plus, digits) = strip_formatting(raw).map_err(|why| refuse(&why))?;
        match digits.len() {
            10 => Ok(CallerId { digits }),
            11 if digits.starts_with('1') => Ok(CallerId { digits }),
            11 => Err(refuse("an 11-digit caller ID starts with 1")),
            n => Err(refuse(&format!("it has {n} digits"))),
        }
    }

    /// The digits, as they go into the header and the report.
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// Whether this is the "no caller ID" placeholder.
    pub fn is_none(&self) -> bool {
        self.digits.bytes().all(|b| b == b'0')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(input: Option<&str>) -> String {
        CallerId::parse(input)
            .unwrap_or_else(|e| panic!("{input:?} refused: {e}"))
            .digits()
            .to_string()
    }

    #[test]
    fn accepted_forms() {
        assert_eq!(digits(Some("2125550123")), "2125550123");
        assert_eq!(digits(Some("(212) 555-0123")), "2125550123");
        assert_eq!(digits(Some("212.555.0123")), "2125550123");
        assert_eq!(digits(Some("1-212-555-0123")), "12125550123");
        assert_eq!(digits(Some("+1 212 555 0123")), "12125550123");
        assert_eq!(digits(Some(" 0000000000 ")), NO_CALLER_ID);
    }

    #[test]
    fn none_or_blank_is_the_zero_placeholder() {
        assert_eq!(digits(None), NO_CALLER_ID);
        assert_eq!(digits(Some("")), NO_CALLER_ID);
        assert_eq!(digits(Some("   ")), NO_CALLER_ID);
        assert!(CallerId::parse(None).unwrap().is_none());
        assert!(!CallerId::parse(Some("2125550123")).unwrap().is_none());
        assert_eq!(CallerId::default(), CallerId::none());
    }

    #[test]
    fn refused_forms_say_what_is_expected() {
        for input in [
            "555-0123",
            "212555012",
            "212 555 01234 5",
            "22125550123",
            "212-555-0123 ext 4",
            "212*555*0123",
            "+",
        ] {
            let e = CallerId::parse(Some(input)).unwrap_err();
            assert_eq!(e.kind, crate::ErrorKind::InvalidOption);
            let msg = e.to_string();
            assert!(msg.contains("expected 10 digits"), "{input}: {msg}");
            assert!(msg.contains("caller ID"), "{msg}");
        }
        let msg = CallerId::parse(Some("22125550123"))
            .unwrap_err()
            .to_string();
        assert!(msg.contains("starts with 1"), "{msg}");
    }

    #[test]
    fn serialises_as_its_digits() {
        let c = CallerId::parse(Some("212-555-0123")).unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"2125550123\"");
    }
}
