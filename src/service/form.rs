//! The send form (`POST /v1/send` and `/v1/preview`): the multipart fields
//! parsed into a [`SendForm`], checked field by field (a bad value is 422
//! naming the field), then turned into a job by [`to_send_job`], the one
//! place that knows how the form maps onto [`SendJob`].

use super::errors::ApiError;
use crate::bilevel::BilevelMode;
use crate::codec::Compression;
use crate::geometry::{Paper, Resolution};
use crate::job::{Cover, CoverText, Document, JobClock, SendJob, SendOptions, UtcOffset};
use crate::limits::Limits;
use crate::stamp::HeaderTemplate;
use axum::extract::multipart::{Field, Multipart, MultipartError};
use axum::http::StatusCode;
use std::str::FromStr;

/// Which cover page the fax starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CoverChoice {
    #[default]
    None,
    /// Composed by faxrender from `cover_text` and the header fields.
    Compose,
    /// The `cover_file` document, sent first.
    File,
}

impl FromStr for CoverChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "" | "none" => Ok(CoverChoice::None),
            "compose" => Ok(CoverChoice::Compose),
            "file" => Ok(CoverChoice::File),
            _ => Err(format!(
                "unknown cover '{s}' (expected none, compose or file)"
            )),
        }
    }
}

/// Every field of the send form, checked.
#[derive(Debug, Clone, Default)]
pub struct SendForm {
    /// The documents, in the order they came.
    pub documents: Vec<Document>,
    pub cover: CoverChoice,
    pub cover_text: Option<String>,
    pub cover_file: Option<Document>,
    /// Recipient fax number. Personal data: logged at debug only.
    pub to: Option<String>,
    /// Sending fax number (TSI) for the header line. Logged at debug only.
    pub caller_id: Option<String>,
    pub sender: Option<String>,
    pub subject: Option<String>,
    pub resolution: Resolution,
    pub paper: Paper,
    pub compression: Compression,
    pub bilevel: BilevelMode,
}

/// Longest text field we accept (sender, subject); a cover text may be
/// longer, it is a page of prose.
const MAX_SHORT_TEXT: usize = 200;
const MAX_COVER_TEXT: usize = 20_000;

impl SendForm {
    /// Reads and checks the multipart form. `limits` caps the documents'
    /// total size (the body cap is checked by the framework as it streams).
    pub async fn parse(multipart: &mut Multipart, limits: &Limits) -> Result<SendForm, ApiError> {
        let mut form = SendForm::default();
        let mut document_bytes: u64 = 0;
        while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
            let name = field.name().unwrap_or_default().to_string();
            match name.as_str() {
                "documents" | "document" | "cover_file" => {
                    let file_name = field
                        .file_name()
                        .filter(|n| !n.is_empty())
                        .map(sanitize_name);
                    let bytes = field.bytes().await.map_err(multipart_error)?;
                    if bytes.is_empty() && file_name.is_none() {
                        // A browser sends an empty part for an empty file input.
                        continue;
                    }
                    document_bytes += bytes.len() as u64;
                    limits.check_input_bytes(document_bytes)?;
                    let doc_name = file_name
                        .unwrap_or_else(|| format!("document {}", form.documents.len() + 1));
                    let doc = Document::new(doc_name, bytes.to_vec());
                    if name == "cover_file" {
                        if form.cover_file.replace(doc).is_some() {
                            return Err(ApiError::invalid_field(&name, "given more than once"));
                        }
                    } else {
                        form.documents.push(doc);
                    }
                }
                "cover" => form.cover = parse_value(&name, text(field, 16).await?)?,
                "cover_text" => form.cover_text = non_empty(text(field, MAX_COVER_TEXT).await?),
                "to" => form.to = phone_number(&name, text(field, 64).await?, 40)?,
                // T.30 limits the TSI to 20 characters.
                "caller_id" => form.caller_id = phone_number(&name, text(field, 64).await?, 20)?,
                "sender" => form.sender = non_empty(text(field, MAX_SHORT_TEXT).await?),
                "subject" => form.subject = non_empty(text(field, MAX_SHORT_TEXT).await?),
                "resolution" => form.resolution = parse_option(&name, text(field, 32).await?)?,
                "paper" => form.paper = parse_option(&name, text(field, 32).await?)?,
                "compression" => form.compression = parse_option(&name, text(field, 32).await?)?,
                "bilevel" => form.bilevel = parse_option(&name, text(field, 32).await?)?,
                _ => {
                    return Err(ApiError::invalid_field(
                        &name,
                        "unknown field (see /openapi.json for the form)",
                    ))
                }
            }
        }
        form.check()?;
        Ok(form)
    }

    /// Checks that belong to the form as a whole.
    fn check(&self) -> Result<(), ApiError> {
        match self.cover {
            CoverChoice::Compose if self.cover_text.is_none() && self.subject.is_none() => {
                return Err(ApiError::invalid_field(
                    "cover_text",
                    "a composed cover needs cover_text or a subject",
                ))
            }
            CoverChoice::File if self.cover_file.is_none() => {
                return Err(ApiError::invalid_field(
                    "cover_file",
                    "cover=file needs a cover_file",
                ))
            }
            _ => {}
        }
        if self.documents.is_empty() && self.cover == CoverChoice::None {
            return Err(ApiError::invalid_field(
                "documents",
                "no document to send (and no cover)",
            ));
        }
        Ok(())
    }
}

/// The one conversion from the form to a job. A fax sent through the
/// service always carries the header line (47 CFR 68.318(d)); its date and
/// time are shown at the offset in FAXRENDER_UTC_OFFSET (default UTC).
pub fn to_send_job(form: SendForm, limits: Limits, keep_pages: bool) -> Result<SendJob, ApiError> {
    let cover = match form.cover {
        CoverChoice::None => Cover::None,
        CoverChoice::Compose => Cover::Compose(CoverText {
            to_name: None,
            from_name: None,
            subject: form.subject.clone(),
            message: form.cover_text.clone().unwrap_or_default(),
        }),
        CoverChoice::File => Cover::File(form.cover_file.clone().ok_or_else(|| {
            ApiError::invalid_field("cover_file", "cover=file needs a cover_file")
        })?),
    };
    let utc_offset = match std::env::var("FAXRENDER_UTC_OFFSET") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse::<UtcOffset>()
            .map_err(|e| ApiError::internal(format!("FAXRENDER_UTC_OFFSET is invalid: {e}")))?,
        _ => UtcOffset::UTC,
    };
    Ok(SendJob {
        documents: form.documents,
        cover,
        recipient: form.to,
        caller_id: form.caller_id,
        sender: form.sender,
        header: Some(HeaderTemplate::default()),
        options: SendOptions {
            resolution: form.resolution,
            paper: form.paper,
            compression: form.compression,
            bilevel: form.bilevel,
            limits,
        },
        clock: JobClock::System,
        utc_offset,
        keep_pages,
    })
}

fn multipart_error(e: MultipartError) -> ApiError {
    match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "limit_exceeded",
            format!("the request body is too large ({})", e.body_text()),
        ),
        _ => ApiError::bad_request(format!("malformed multipart form: {}", e.body_text())),
    }
}

/// A text field, capped at `max` bytes.
async fn text(field: Field<'_>, max: usize) -> Result<String, ApiError> {
    let name = field.name().unwrap_or_default().to_string();
    let bytes = field.bytes().await.map_err(multipart_error)?;
    if bytes.len() > max {
        return Err(ApiError::invalid_field(
            &name,
            format!("longer than {max} bytes"),
        ));
    }
    let s = String::from_utf8(bytes.to_vec())
        .map_err(|_| ApiError::bad_request(format!("{name}: not UTF-8 text")))?;
    if s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(ApiError::invalid_field(
            &name,
            "contains control characters",
        ));
    }
    Ok(s.trim().to_string())
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn parse_value<T: FromStr<Err = String>>(field: &str, s: String) -> Result<T, ApiError> {
    s.parse()
        .map_err(|e: String| ApiError::invalid_field(field, e))
}

/// Options parse with the library's own parsers (the CLI's words).
fn parse_option<T: FromStr<Err = crate::Error>>(field: &str, s: String) -> Result<T, ApiError> {
    s.parse()
        .map_err(|e: crate::Error| ApiError::invalid_field(field, e.message))
}

/// A fax number: digits with the usual punctuation, at most `max` chars.
/// The value itself never goes into the error message (personal data).
fn phone_number(field: &str, s: String, max: usize) -> Result<Option<String>, ApiError> {
    if s.is_empty() {
        return Ok(None);
    }
    let ok_chars = s
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.'));
    if !ok_chars || !s.chars().any(|c| c.is_ascii_digit()) {
        return Err(ApiError::invalid_field(
            field,
            "not a fax number (digits, spaces and + - ( ) . only)",
        ));
    }
    if s.chars().count() > max {
        return Err(ApiError::invalid_field(
            field,
            format!("longer than {max} characters"),
        ));
    }
    Ok(Some(s))
}

/// A file name for messages and reports: the last path component, printable,
/// at most 100 characters.
fn sanitize_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.chars().filter(|c| !c.is_control()).take(100).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_checked_without_echoing_them() {
        assert_eq!(
            phone_number("to", "+1 (555) 010-0000".into(), 40).unwrap(),
            Some("+1 (555) 010-0000".to_string())
        );
        assert_eq!(phone_number("to", String::new(), 40).unwrap(), None);
        let e = phone_number("to", "call 555-secret".into(), 40).unwrap_err();
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!e.message.contains("secret"));
        assert!(phone_number("caller_id", "1".repeat(21), 20).is_err());
        assert!(phone_number("to", "---".into(), 40).is_err());
    }

    #[test]
    fn options_use_the_library_parsers() {
        let r: Resolution = parse_option("resolution", "standard".into()).unwrap();
        assert_eq!(r, Resolution::Standard);
        let e = parse_option::<Resolution>("resolution", "ultra".into()).unwrap_err();
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!e.retryable);
        assert!(e
            .message
            .starts_with("resolution: unknown resolution 'ultra'"));
        assert!(parse_value::<CoverChoice>("cover", "poster".into()).is_err());
    }

    #[test]
    fn a_composed_cover_and_the_numbers_reach_the_job() {
        let form = SendForm {
            cover: CoverChoice::Compose,
            cover_text: Some("Hello".into()),
            subject: Some("Lab results".into()),
            to: Some("12125550123".into()),
            caller_id: Some("6465550199".into()),
            ..SendForm::default()
        };
        form.check().unwrap();
        let job = to_send_job(form, Limits::default(), false).unwrap();
        match &job.cover {
            Cover::Compose(c) => {
                assert_eq!(c.message, "Hello");
                assert_eq!(c.subject.as_deref(), Some("Lab results"));
            }
            other => panic!("expected a composed cover, got {other:?}"),
        }
        assert_eq!(job.recipient.as_deref(), Some("12125550123"));
        assert_eq!(job.caller_id.as_deref(), Some("6465550199"));
        assert!(
            job.header.is_some(),
            "faxes from the service carry the header line"
        );
    }

    #[test]
    fn the_job_keeps_document_order_and_options() {
        let form = SendForm {
            documents: vec![
                Document::new("b.png", vec![1]),
                Document::new("a.jpg", vec![2]),
            ],
            resolution: Resolution::Superfine,
            compression: Compression::G3,
            to: Some("555".into()),
            ..SendForm::default()
        };
        let job = to_send_job(form, Limits::default(), true).unwrap();
        let names: Vec<&str> = job.documents.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["b.png", "a.jpg"]);
        assert_eq!(job.options.resolution, Resolution::Superfine);
        assert_eq!(job.options.compression, Compression::G3);
        assert!(job.keep_pages);
    }

    #[test]
    fn file_names_lose_their_paths() {
        assert_eq!(sanitize_name("C:\\Users\\x\\scan.pdf"), "scan.pdf");
        assert_eq!(sanitize_name("../../etc/passwd"), "passwd");
    }
}
