//! The crate's one error type.
//!
//! An [`Error`] carries a [`ErrorKind`] (what went wrong, which decides the exit
//! status and whether a fax server should retry), an optional context (the file
//! or page it concerns) and a human message that names the fault and, for a
//! limit, the limit and the actual figure. Display is written by hand so that
//! a user at a terminal reads one clear line.

use std::fmt;

/// What went wrong. Decides retryability and the CLI exit status.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The document is malformed, truncated or corrupt.
    BadInput,
    /// The document's format (or a feature it needs) is not supported.
    Unsupported,
    /// A configured limit (pages, bytes, pixels) was exceeded.
    LimitExceeded,
    /// An option or parameter value is invalid (a usage error).
    InvalidOption,
    /// Reading or writing a file failed.
    Io,
    /// A bug or an unexpected failure inside faxrender.
    Internal,
}

impl ErrorKind {
    /// Short stable name, used in JSON reports.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::BadInput => "bad_input",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::LimitExceeded => "limit_exceeded",
            ErrorKind::InvalidOption => "invalid_option",
            ErrorKind::Io => "io",
            ErrorKind::Internal => "internal",
        }
    }
}

/// An error with its kind, the file/page it concerns and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    /// The file (and possibly page) the error concerns, if known.
    pub context: Option<String>,
    pub message: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            context: None,
            message: message.into(),
        }
    }
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadInput, message)
    }
    pub fn unsupported(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unsupported, message)
    }
    pub fn limit(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::LimitExceeded, message)
    }
    pub fn invalid_option(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidOption, message)
    }
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }
    pub fn io(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Io, message)
    }

    /// Sets the context (file name, "file, page 3") unless one is already set:
    /// the innermost context is the most precise.
    pub fn with_context(mut self, context: impl Into<String>) -> Self {
        if self.context.is_none() {
            self.context = Some(context.into());
        }
        self
    }

    /// Whether a retry of the same job may succeed (a fax server retries
    /// transient failures, never bad documents).
    pub fn is_retryable(&self) -> bool {
        matches!(self.kind, ErrorKind::Io | ErrorKind::Internal)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.context {
            Some(c) => write!(f, "{c}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

/// Adds context to the error of a `Result`.
pub trait ResultExt<T> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T>;
}

impl<T> ResultExt<T> for Result<T> {
    fn context(self, context: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| e.with_context(context()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_file_first() {
        let e = Error::limit("too many pages").with_context("a.pdf");
        assert_eq!(e.to_string(), "a.pdf: too many pages");
        // the innermost context wins
        let e = e.with_context("outer");
        assert_eq!(e.context.as_deref(), Some("a.pdf"));
        assert!(!e.is_retryable());
        assert!(Error::io("disk").is_retryable());
    }
}
