//! A small CSS parser: style sheets into flat rules (selector text plus
//! declarations), `@page` declarations and `@import` targets; `style=""`
//! attributes into declarations. CSS nesting (`table { th { ... } &#id {
//! ... } }`) is flattened into plain selectors. `@media` blocks apply when
//! they name print or all (we render for paper); `@font-face`, `@keyframes`
//! and the like are skipped. Malformed input never fails: what cannot be
//! read is dropped, as browsers do.

/// One `name: value` declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Declaration {
    /// Lower-case property name.
    pub name: String,
    pub value: String,
    pub important: bool,
}

/// A rule: the selector group as written, its declarations.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub selector: String,
    pub declarations: Vec<Declaration>,
}

/// What one style sheet holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    pub rules: Vec<Rule>,
    /// Declarations of `@page` rules (size, margin).
    pub page: Vec<Declaration>,
    /// `@import` targets, as written (never fetched; reported).
    pub imports: Vec<String>,
    /// `url(...)` references in declarations (background images...).
    pub urls: Vec<String>,
}

/// Nesting deeper than this is dropped (hostile sheets nest without end).
const MAX_NESTING: usize = 16;
/// At most this many rules are kept from one sheet.
const MAX_RULES: usize = 20_000;

/// Parses a style sheet.
pub fn parse_sheet(text: &str) -> Sheet {
    let clean = strip_comments(text);
    let mut sheet = Sheet::default();
    parse_items(&clean, &[], 0, &mut sheet);
    sheet
}

/// Parses the declarations of a `style=""` attribute (or a rule body).
pub fn parse_declarations(text: &str) -> Vec<Declaration> {
    let clean = strip_comments(text);
    let mut sheet = Sheet::default();
    let mut decls = Vec::new();
    for item in split_top(&clean, b';') {
        if let Some(d) = declaration(item, &mut sheet) {
            decls.push(d);
        }
    }
    decls
}

fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        out.push(' ');
        rest = match rest[start + 2..].find("*/") {
            Some(end) => &rest[start + 2 + end + 2..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// Parses a rule body or the top level: declarations (kept when
/// `parents` is not empty), nested rules and at-rules.
fn parse_items(
    text: &str,
    parents: &[String],
    depth: usize,
    sheet: &mut Sheet,
) -> Vec<Declaration> {
    let mut decls = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Read up to ';' or '{' (outside strings and parentheses).
        let start = i;
        let stop = scan(bytes, i, |b| b == b';' || b == b'{' || b == b'}');
        let head = text[start..stop].trim();
        if stop >= bytes.len() || bytes[stop] == b';' || bytes[stop] == b'}' {
            if let Some(at) = head.strip_prefix('@') {
                at_statement(at, sheet);
            } else if !parents.is_empty() {
                if let Some(d) = declaration(head, sheet) {
                    decls.push(d);
                }
            }
            i = stop + 1;
            continue;
        }
        // A block: find its end.
        let body_start = stop + 1;
        let body_end = matching_brace(bytes, body_start);
        let body = &text[body_start..body_end];
        i = body_end + 1;
        if depth >= MAX_NESTING || sheet.rules.len() >= MAX_RULES {
            continue;
        }
        if let Some(at) = head.strip_prefix('@') {
            let (name, prelude) = at
                .split_once(|c: char| c.is_whitespace())
                .unwrap_or((at, ""));
            match name.to_ascii_lowercase().as_str() {
                "media" if media_applies(prelude) => {
                    let inner = parse_items(body, parents, depth + 1, sheet);
                    decls.extend(inner);
                }
                "supports" | "layer" | "document" => {
                    let inner = parse_items(body, parents, depth + 1, sheet);
                    decls.extend(inner);
                }
                "page" => {
                    let mut page = Sheet::default();
                    let d = parse_items(body, &["@page".to_string()], depth + 1, &mut page);
                    sheet.page.extend(d);
                }
                _ => {} // @font-face, @keyframes, @media screen...
            }
            continue;
        }
        let selectors = nest_selectors(parents, head);
        if selectors.is_empty() {
            continue;
        }
        let own = parse_items(body, &selectors, depth + 1, sheet);
        if !own.is_empty() {
            sheet.rules.push(Rule {
                selector: selectors.join(", "),
                declarations: own,
            });
        }
    }
    decls
}

/// The selectors of a nested rule: `&` stands for each parent, a selector
/// without it is a descendant of each parent.
fn nest_selectors(parents: &[String], head: &str) -> Vec<String> {
    let own: Vec<&str> = split_top(head, b',')
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if parents.is_empty() || parents.iter().any(|p| p.starts_with('@')) {
        return own.iter().map(|s| s.to_string()).collect();
    }
    let mut out = Vec::new();
    for parent in parents {
        for sel in &own {
            if sel.contains('&') {
                out.push(sel.replace('&', parent));
            } else {
                out.push(format!("{parent} {sel}"));
            }
        }
    }
    out
}

/// Whether an `@media` prelude applies to our output: print media (as
/// WeasyPrint: `screen` rules do not apply), light colours, a Letter page
/// 816 CSS px wide.
pub fn media_applies(prelude: &str) -> bool {
    let p = prelude.to_ascii_lowercase();
    p.split(',').any(|q| {
        let q = q.trim();
        if q.starts_with("not ") {
            return false;
        }
        let media_type = q
            .split(|c: char| c.is_whitespace() || c == '(')
            .find(|w| !w.is_empty() && *w != "only");
        let type_ok = match media_type {
            None | Some("and") => true,
            _ if q.starts_with('(') => true,
            Some(t) => t == "print" || t == "all",
        };
        type_ok && q.split('(').skip(1).all(feature_applies)
    })
}

/// One `(feature: value)` of a media query.
fn feature_applies(f: &str) -> bool {
    const PAGE_PX: f32 = 816.0;
    let f = f.split(')').next().unwrap_or("");
    let Some((name, value)) = f.split_once(':') else {
        return true;
    };
    let value = value.trim();
    let px = || {
        let num: String = value
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let n: f32 = num.parse().unwrap_or(0.0);
        if value.ends_with("em") {
            n * 16.0
        } else {
            n
        }
    };
    match name.trim() {
        "max-width" | "max-device-width" => px() >= PAGE_PX,
        "min-width" | "min-device-width" => px() <= PAGE_PX,
        "prefers-color-scheme" => value != "dark",
        "orientation" => value == "portrait",
        _ => true,
    }
}

fn at_statement(at: &str, sheet: &mut Sheet) {
    let (name, prelude) = at
        .split_once(|c: char| c.is_whitespace())
        .unwrap_or((at, ""));
    if name.eq_ignore_ascii_case("import") {
        let target = url_value(prelude).unwrap_or_else(|| unquote(prelude.trim()).to_string());
        sheet.imports.push(target);
    }
}

fn declaration(text: &str, sheet: &mut Sheet) -> Option<Declaration> {
    let (name, value) = text.split_once(':')?;
    let name = name.trim().to_ascii_lowercase();
    if name.is_empty() || name.contains(char::is_whitespace) {
        return None;
    }
    let mut value = value.trim();
    let mut important = false;
    if let Some(pos) = value.to_ascii_lowercase().rfind("!important") {
        if value[pos + 10..].trim().is_empty() {
            important = true;
            value = value[..pos].trim();
        }
    }
    if let Some(url) = url_value(value) {
        sheet.urls.push(url);
    }
    Some(Declaration {
        name,
        value: value.to_string(),
        important,
    })
}

/// The target of the first `url(...)` in a value.
pub fn url_value(value: &str) -> Option<String> {
    let pos = value.to_ascii_lowercase().find("url(")?;
    let rest = &value[pos + 4..];
    let end = rest.find(')')?;
    Some(unquote(rest[..end].trim()).to_string())
}

pub fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// Index of the first byte from `i` satisfying `stop`, outside strings and
/// parentheses (or the end).
fn scan(bytes: &[u8], mut i: usize, stop: impl Fn(u8) -> bool) -> usize {
    let mut parens = 0usize;
    let mut quote = None;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'(' => parens += 1,
                b')' => parens = parens.saturating_sub(1),
                _ if parens == 0 && stop(b) => return i,
                _ => {}
            },
        }
        i += 1;
    }
    bytes.len()
}

/// Index of the `}` closing a block whose body starts at `i` (or the end).
fn matching_brace(bytes: &[u8], i: usize) -> usize {
    let mut depth = 0usize;
    let mut j = i;
    loop {
        j = scan(bytes, j, |b| b == b'{' || b == b'}');
        if j >= bytes.len() {
            return bytes.len();
        }
        if bytes[j] == b'{' {
            depth += 1;
        } else if depth == 0 {
            return j;
        } else {
            depth -= 1;
        }
        j += 1;
    }
}

/// Splits at `sep` outside strings and parentheses.
fn split_top(text: &str, sep: u8) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        let j = scan(bytes, i, |b| b == sep);
        out.push(&text[i..j]);
        if j >= bytes.len() {
            return out;
        }
        i = j + 1;
    }
}

/// The specificity of one selector (ids, classes/attributes/pseudo-
/// classes, types) packed into one number for sorting.
pub fn specificity(selector: &str) -> u32 {
    let (mut ids, mut classes, mut types) = (0u32, 0u32, 0u32);
    let bytes = selector.as_bytes();
    let mut i = 0;
    let mut prev_ident_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'#' => ids += 1,
            b'.' => classes += 1,
            b'[' => {
                classes += 1;
                while i < bytes.len() && bytes[i] != b']' {
                    i += 1;
                }
            }
            b':' => {
                if bytes.get(i + 1) == Some(&b':') {
                    types += 1;
                    i += 1;
                } else {
                    classes += 1;
                }
                while i + 1 < bytes.len()
                    && (bytes[i + 1].is_ascii_alphanumeric() || bytes[i + 1] == b'-')
                {
                    i += 1;
                }
            }
            b if b.is_ascii_alphabetic() && prev_ident_start => types += 1,
            _ => {}
        }
        prev_ident_start = matches!(b, b' ' | b'>' | b'+' | b'~' | b'(' | b',');
        // Skip the rest of a name (tag, id, class), not what follows a
        // combinator.
        if b.is_ascii_alphanumeric() || matches!(b, b'#' | b'.' | b'-' | b'_') {
            while i + 1 < bytes.len()
                && (bytes[i + 1].is_ascii_alphanumeric()
                    || bytes[i + 1] == b'-'
                    || bytes[i + 1] == b'_')
            {
                i += 1;
            }
        }
        i += 1;
    }
    (ids.min(255) << 16) | (classes.min(255) << 8) | types.min(255)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(name: &str, value: &str) -> Declaration {
        Declaration {
            name: name.into(),
            value: value.into(),
            important: false,
        }
    }

    #[test]
    fn rules_comments_and_important() {
        let s = parse_sheet(
            "/* x */ p, h1 { color: red; margin:0 !important } @media screen { p { color: blue } }",
        );
        assert_eq!(s.rules.len(), 1);
        assert_eq!(s.rules[0].selector, "p, h1");
        assert_eq!(s.rules[0].declarations[0], d("color", "red"));
        assert!(s.rules[0].declarations[1].important);
    }

    #[test]
    fn nesting_is_flattened() {
        let s = parse_sheet("table { width: 100%; &#total { color: red } th, td { padding: 0; &:first-of-type { x: y } } }");
        let sels: Vec<&str> = s.rules.iter().map(|r| r.selector.as_str()).collect();
        assert_eq!(
            sels,
            [
                "table#total",
                "table th:first-of-type, table td:first-of-type",
                "table th, table td",
                "table"
            ]
        );
    }

    #[test]
    fn page_imports_and_urls() {
        let s = parse_sheet("@import url(\"http://x/y.css\"); @page { size: a4; margin: 2cm; @bottom-left { content: 'x' } } @media print { b { background: url('a.png') } }");
        assert_eq!(s.imports, ["http://x/y.css"]);
        assert_eq!(s.page, [d("size", "a4"), d("margin", "2cm")]);
        assert_eq!(s.urls, ["a.png"]);
        assert_eq!(s.rules[0].selector, "b");
    }

    #[test]
    fn media_queries_for_paper() {
        assert!(media_applies("print"));
        assert!(!media_applies("only screen and (min-width: 600px)"));
        assert!(media_applies("(min-width: 600px)"));
        assert!(!media_applies("only screen and (max-width: 599px)"));
        assert!(!media_applies("(prefers-color-scheme: dark)"));
        assert!(!media_applies("speech"));
        assert!(media_applies("all and (orientation: portrait)"));
    }

    #[test]
    fn style_attribute() {
        assert_eq!(
            parse_declarations("font-family: 'A; B', serif; color:#333;;bogus"),
            [d("font-family", "'A; B', serif"), d("color", "#333")]
        );
    }

    #[test]
    fn specificity_counts() {
        assert_eq!(specificity("p"), 1);
        assert_eq!(specificity("div p.note"), 0x0102);
        assert_eq!(specificity("#a .b:first-child"), 0x010200);
        assert_eq!(specificity("a[href] > b"), 0x0102);
    }

    #[test]
    fn unclosed_and_deep_input_is_survived() {
        let deep = "a{".repeat(10_000);
        let s = parse_sheet(&deep);
        assert!(s.rules.is_empty());
        let s = parse_sheet("p { color: red");
        assert_eq!(s.rules.len(), 1);
    }
}
