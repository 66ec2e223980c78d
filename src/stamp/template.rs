//! Header templates: text with `{placeholder}`s filled per page.

use crate::error::{Error, Result};

/// The values a header template can use.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeaderFields {
    /// Date as it should read, e.g. `2026-11-29`.
    pub date: String,
    /// Time as it should read, e.g. `15:40`.
    pub time: String,
    /// The sender's name, when given.
    pub sender: Option<String>,
    /// The caller ID used (digits).
    pub caller_id: String,
    /// The recipient number (digits).
    pub to: String,
    /// 1-based page number and the total, cover included.
    pub page: u32,
    pub pages: u32,
}

/// A header template such as
/// `{date} {time} {sender} FROM: {caller_id} TO: {to} PAGE {page}/{pages}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderTemplate {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Date,
    Time,
    Sender,
    CallerId,
    To,
    Page,
    Pages,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Field(Field),
}

const FIELDS: &[(&str, Field)] = &[
    ("date", Field::Date),
    ("time", Field::Time),
    ("sender", Field::Sender),
    ("caller_id", Field::CallerId),
    ("to", Field::To),
    ("page", Field::Page),
    ("pages", Field::Pages),
];

impl HeaderTemplate {
    /// The default template; satisfies 47 CFR 68.318(d).
    pub const DEFAULT: &'static str =
        "{date} {time}  {sender}  FROM: {caller_id}  TO: {to}  PAGE {page}/{pages}";

    /// Parses a template; an unknown `{placeholder}` or an unclosed brace is
    /// an invalid-option error naming it. `{{` and `}}` stand for braces.
    pub fn parse(template: &str) -> Result<Self> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = template.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|p| p.1) == Some('{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().map(|p| p.1) == Some('}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let rest = &template[at + 1..];
                    let Some(end) = rest.find('}') else {
                        return Err(Error::invalid_option(format!(
                            "header template: unclosed '{{' at character {} of {template:?}",
                            template[..at].chars().count() + 1
                        )));
                    };
                    let name = &rest[..end];
                    let field = FIELDS
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, f)| *f)
                        .ok_or_else(|| {
                            Error::invalid_option(format!(
                                "header template: unknown placeholder {{{name}}} (known: {})",
                                FIELDS
                                    .iter()
                                    .map(|(n, _)| format!("{{{n}}}"))
                                    .collect::<Vec<_>>()
                                    .join(" ")
                            ))
                        })?;
                    if !literal.is_empty() {
                        parts.push(Part::Literal(std::mem::take(&mut literal)));
                    }
                    parts.push(Part::Field(field));
                    for _ in 0..name.chars().count() + 1 {
                        chars.next();
                    }
                }
                '}' => {
                    return Err(Error::invalid_option(format!(
                        "header template: '}}' without '{{' in {template:?}"
                    )))
                }
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(HeaderTemplate { parts })
    }

    /// The header text for one page (an absent sender leaves no gap: runs
    /// of spaces it would leave are collapsed to the widest single gap the
    /// template has around it).
    pub fn render(&self, fields: &HeaderFields) -> String {
        let mut out = String::new();
        for (i, part) in self.parts.iter().enumerate() {
            match part {
                Part::Literal(s) => {
                    let prev_empty_sender = i > 0
                        && self.parts[i - 1] == Part::Field(Field::Sender)
                        && fields.sender.as_deref().is_none_or(|s| s.trim().is_empty());
                    if prev_empty_sender {
                        // The sender's gap: keep only the spaces before it.
                        out.push_str(s.trim_start_matches(' '));
                    } else {
                        out.push_str(s);
                    }
                }
                Part::Field(f) => match f {
                    Field::Date => out.push_str(&fields.date),
                    Field::Time => out.push_str(&fields.time),
                    Field::Sender => {
                        if let Some(s) = &fields.sender {
                            out.push_str(s.trim());
                        }
                    }
                    Field::CallerId => out.push_str(&fields.caller_id),
                    Field::To => out.push_str(&fields.to),
                    Field::Page => out.push_str(&fields.page.to_string()),
                    Field::Pages => out.push_str(&fields.pages.to_string()),
                },
            }
        }
        out.trim().to_string()
    }
}

impl Default for HeaderTemplate {
    fn default() -> Self {
        HeaderTemplate::parse(Self::DEFAULT).expect("the default template parses")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn fields(sender: Option<&str>) -> HeaderFields {
        HeaderFields {
            date: "2026-11-29".into(),
            time: "15:40".into(),
            sender: sender.map(str::to_string),
            caller_id: "5551234567".into(),
            to: "12125550100".into(),
            page: 2,
            pages: 5,
        }
    }

    #[test]
    fn default_template_fills_every_field() {
        let t = HeaderTemplate::default();
        assert_eq!(
            t.render(&fields(Some("ACME Corp"))),
            "2026-11-29 15:40  ACME Corp  FROM: 5551234567  TO: 12125550100  PAGE 2/5"
        );
    }

    #[test]
    fn absent_sender_leaves_no_gap() {
        let t = HeaderTemplate::default();
        assert_eq!(
            t.render(&fields(None)),
            "2026-11-29 15:40  FROM: 5551234567  TO: 12125550100  PAGE 2/5"
        );
        assert_eq!(t.render(&fields(Some("  "))), t.render(&fields(None)));
        let t = HeaderTemplate::parse("{sender} PAGE {page}").unwrap();
        assert_eq!(t.render(&fields(None)), "PAGE 2");
    }

    #[test]
    fn unknown_placeholder_is_named() {
        let e = HeaderTemplate::parse("{date} {fax_number}").unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidOption);
        assert!(e.to_string().contains("{fax_number}"), "{e}");
    }

    #[test]
    fn unbalanced_braces_are_refused_and_doubled_braces_are_literal() {
        assert!(HeaderTemplate::parse("PAGE {page").is_err());
        assert!(HeaderTemplate::parse("PAGE page}").is_err());
        let t = HeaderTemplate::parse("{{x}} {page}").unwrap();
        assert_eq!(t.render(&fields(None)), "{x} 2");
    }

    #[test]
    fn non_ascii_literals_survive() {
        let t = HeaderTemplate::parse("Seite {page}/{pages} — {to}").unwrap();
        assert_eq!(t.render(&fields(None)), "Seite 2/5 — 12125550100");
    }
}
