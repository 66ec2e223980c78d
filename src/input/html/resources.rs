//! What an HTML document may refer to: `data:` URIs, files beside it (the
//! local file's folder, never above it) and files supplied in the same job
//! by name. Network and `file:` references are never followed: the caller
//! counts them for a warning.

use crate::input::source::Resources;
use std::path::Path;
use std::sync::Arc;

/// Files bigger than this are not read as a stylesheet or image.
const MAX_RESOURCE_BYTES: u64 = 20 * 1024 * 1024;

/// Where a reference leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    Bytes(Arc<[u8]>),
    /// http(s):, protocol-relative `//host`, file: or another scheme: not
    /// followed, ever.
    Remote,
    /// A relative path that leaves the document's folder.
    Outside,
    /// Not found (or unreadable, or too big).
    Missing,
}

/// Resolves a reference from `src`/`href`/`url()`.
pub fn fetch(reference: &str, resources: &Resources) -> Fetched {
    let r = reference.trim();
    if r.is_empty() {
        return Fetched::Missing;
    }
    if let Some(data) = strip_prefix_ci(r, "data:") {
        return match data_uri(data) {
            Some(bytes) => Fetched::Bytes(bytes.into()),
            None => Fetched::Missing,
        };
    }
    if r.starts_with("//") || r.starts_with("\\\\") || has_scheme(r) {
        return Fetched::Remote;
    }
    // Drop a query or fragment; undo percent-escapes.
    let path = r.split(['?', '#']).next().unwrap_or("");
    let path = percent_decode(path);
    if let Some(bytes) = resources.files.get(&path) {
        return Fetched::Bytes(bytes.clone());
    }
    // A job file named by its last component only ("img/logo.png" sent
    // as "logo.png").
    if let Some(name) = path.rsplit('/').next() {
        if let Some(bytes) = resources.files.get(name) {
            return Fetched::Bytes(bytes.clone());
        }
    }
    match &resources.base_dir {
        Some(base) => read_inside(base, &path),
        None => Fetched::Missing,
    }
}

/// Reads `rel` below `base`, refusing anything that resolves outside it
/// (`..`, absolute paths, symlinks pointing out).
fn read_inside(base: &Path, rel: &str) -> Fetched {
    let Ok(base) = base.canonicalize() else {
        return Fetched::Missing;
    };
    if rel.starts_with('/') || rel.contains('\\') || rel.contains(':') {
        return Fetched::Outside;
    }
    let joined = base.join(rel);
    let Ok(real) = joined.canonicalize() else {
        // A missing file whose path climbs out is still "outside".
        return if rel.split('/').any(|c| c == "..") && !lexically_inside(rel) {
            Fetched::Outside
        } else {
            Fetched::Missing
        };
    };
    if !real.starts_with(&base) {
        return Fetched::Outside;
    }
    match std::fs::metadata(&real) {
        Ok(m) if m.is_file() && m.len() <= MAX_RESOURCE_BYTES => match std::fs::read(&real) {
            Ok(bytes) => Fetched::Bytes(bytes.into()),
            Err(_) => Fetched::Missing,
        },
        _ => Fetched::Missing,
    }
}

fn lexically_inside(rel: &str) -> bool {
    let mut depth = 0i32;
    for c in rel.split('/') {
        match c {
            ".." => depth -= 1,
            "" | "." => {}
            _ => depth += 1,
        }
        if depth < 0 {
            return false;
        }
    }
    true
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &s[prefix.len()..])
}

/// `scheme:` per RFC 3986 (a letter, then letters, digits, + - .); a
/// Windows drive letter counts too (never read).
fn has_scheme(r: &str) -> bool {
    let Some(colon) = r.find(':') else {
        return false;
    };
    let scheme = &r[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !scheme.contains('/')
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The bytes of a `data:` URI (after "data:"): base64 or percent-encoded.
fn data_uri(rest: &str) -> Option<Vec<u8>> {
    let (meta, payload) = rest.split_once(',')?;
    if meta.to_ascii_lowercase().ends_with(";base64") {
        base64(payload)
    } else {
        Some(percent_decode(payload).into_bytes())
    }
}

/// Standard or URL-safe base64, whitespace ignored, padding optional.
pub fn base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            c if c.is_ascii_whitespace() => continue,
            b'%' => continue, // "%0A" line breaks in hand-made URIs
            _ => return None,
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes() {
        assert_eq!(base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64("aGVs\nbG8").unwrap(), b"hello");
        assert!(base64("a*b").is_none());
    }

    #[test]
    fn network_and_file_references_are_never_followed() {
        let r = Resources::default();
        for url in [
            "http://127.0.0.1:9/x",
            "HTTPS://a",
            "//host/x.png",
            "file:///etc/passwd",
            "ftp://x",
        ] {
            assert_eq!(fetch(url, &r), Fetched::Remote, "{url}");
        }
    }

    #[test]
    fn data_uris_and_job_files() {
        let mut r = Resources::default();
        r.files.insert("style.css".into(), Arc::from(&b"p{}"[..]));
        assert_eq!(
            fetch("data:text/plain;base64,aGk=", &r),
            Fetched::Bytes(Arc::from(&b"hi"[..]))
        );
        assert_eq!(
            fetch("data:,a%20b", &r),
            Fetched::Bytes(Arc::from(&b"a b"[..]))
        );
        assert_eq!(
            fetch("style.css?v=2", &r),
            Fetched::Bytes(Arc::from(&b"p{}"[..]))
        );
        assert_eq!(
            fetch("css/style.css", &r),
            Fetched::Bytes(Arc::from(&b"p{}"[..]))
        );
        assert_eq!(fetch("other.css", &r), Fetched::Missing);
    }

    #[test]
    fn folder_files_stay_inside_the_folder() {
        let dir = std::env::temp_dir().join(format!("faxrender-html-res-{}", std::process::id()));
        let inner = dir.join("doc");
        std::fs::create_dir_all(&inner).unwrap();
        std::fs::write(inner.join("a.css"), "p{}").unwrap();
        std::fs::write(dir.join("secret.css"), "x").unwrap();
        let r = Resources {
            base_dir: Some(inner.clone()),
            ..Resources::default()
        };
        assert_eq!(fetch("a.css", &r), Fetched::Bytes(Arc::from(&b"p{}"[..])));
        assert_eq!(fetch("./a.css", &r), Fetched::Bytes(Arc::from(&b"p{}"[..])));
        assert_eq!(fetch("../secret.css", &r), Fetched::Outside);
        assert_eq!(fetch("../nothing.css", &r), Fetched::Outside);
        assert_eq!(fetch("/etc/passwd", &r), Fetched::Outside);
        assert_eq!(fetch("missing.css", &r), Fetched::Missing);
        std::fs::remove_dir_all(&dir).ok();
    }
}
