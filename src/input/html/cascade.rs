//! The cascade: the user-agent style sheet (HTML's default look), author
//! sheets and `style=""` attributes, matched with scraper's selector engine
//! and ordered by origin, `!important`, specificity and source order.

use super::css::{self, Declaration, Sheet};
use super::style::{self, Display, Style};
use crate::layout::fonts::Fonts;
use scraper::{ElementRef, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Where a declaration stands in the cascade: (important, origin rank,
/// specificity, source order); later sorts win.
type Precedence = (bool, u8, u32, usize);

/// HTML's default presentation (after the HTML spec's rendering section,
/// sized for print).
const USER_AGENT: &str = r#"
html, body, div, p, address, blockquote, center, dl, dd, dt, fieldset, form, figure, figcaption,
h1, h2, h3, h4, h5, h6, header, footer, main, nav, section, article, aside, hr, ol, ul, pre, legend,
details, summary, menu, dir, listing, xmp, plaintext, hgroup, search, noscript { display: block }
head, script, style, title, meta, link, template, base, iframe, object, embed, video, audio,
canvas, map, area, datalist, select, option, button, input, textarea, noframes, param, source, track { display: none }
li { display: list-item }
table { display: table; border-spacing: 2px; text-align: start }
thead { display: table-header-group }
tbody, tfoot { display: table-row-group }
tr { display: table-row }
td, th { display: table-cell; padding: 1px }
caption { display: table-caption; text-align: center }
body { margin: 8px }
p, dl, blockquote, figure, ul, ol, pre, fieldset, form { margin: 1em 0 }
blockquote, figure { margin-left: 40px; margin-right: 40px }
dd { margin-left: 40px }
h1 { font-size: 2em; margin: 0.67em 0; font-weight: bold }
h2 { font-size: 1.5em; margin: 0.83em 0; font-weight: bold }
h3 { font-size: 1.17em; margin: 1em 0; font-weight: bold }
h4 { margin: 1.33em 0; font-weight: bold }
h5 { font-size: 0.83em; margin: 1.67em 0; font-weight: bold }
h6 { font-size: 0.67em; margin: 2.33em 0; font-weight: bold }
ul, ol, menu, dir { padding-left: 40px }
ol { list-style-type: decimal }
ul ul, ol ul { list-style-type: circle }
ul ul ul, ol ul ul, ul ol ul, ol ol ul { list-style-type: square }
ul ul, ul ol, ol ul, ol ol { margin-top: 0; margin-bottom: 0 }
pre, code, kbd, samp, tt, listing, xmp, plaintext { font-family: monospace }
pre, listing, xmp, plaintext { white-space: pre }
pre { font-size: 0.85em }
b, strong, th, dt { font-weight: bold }
th { text-align: center }
i, em, cite, var, dfn, address { font-style: italic }
u, ins { text-decoration: underline }
s, strike, del { text-decoration: line-through }
small, sub, sup { font-size: smaller }
big { font-size: larger }
center { text-align: center }
hr { border: 1px solid gray; margin: 0.5em 0 }
fieldset { margin: 0 2px; padding: 0.35em 0.75em 0.625em; border: 1px solid gray }
a { text-decoration: underline }
"#;

struct CompiledRule {
    selector: Selector,
    specificity: u32,
    /// 0 = user agent, 1 = author.
    origin: u8,
    order: usize,
    declarations: Vec<Declaration>,
}

/// The compiled rules of every sheet, ready to match.
pub struct Cascade {
    rules: Vec<CompiledRule>,
    /// Custom properties (`--name`), document-wide.
    variables: BTreeMap<String, String>,
    /// Properties we do not support, by name (for one warning).
    pub unsupported: BTreeSet<String>,
    pub unsupported_count: usize,
    /// The fonts we have, for `font-family` lists.
    fonts: Arc<Fonts>,
}

impl Cascade {
    /// The cascade of the user-agent sheet plus the author sheets (in
    /// document order), picking font families from `fonts`.
    pub fn new(author: &[Sheet], fonts: Arc<Fonts>) -> Self {
        let ua = css::parse_sheet(USER_AGENT);
        let variables = custom_properties(author);
        let mut rules = Vec::new();
        for (origin, sheet) in std::iter::once((0u8, &ua)).chain(author.iter().map(|s| (1u8, s))) {
            for rule in &sheet.rules {
                // One compiled rule per selector of a group: each has its
                // own specificity. Unparsable selectors (pseudo-elements,
                // unknown pseudo-classes) drop only themselves.
                for one in rule.selector.split(',') {
                    let Ok(selector) = Selector::parse(one.trim()) else {
                        continue;
                    };
                    rules.push(CompiledRule {
                        selector,
                        specificity: css::specificity(one),
                        origin,
                        order: rules.len(),
                        declarations: rule
                            .declarations
                            .iter()
                            .map(|d| substitute(d, &variables))
                            .collect(),
                    });
                }
            }
        }
        Cascade {
            rules,
            variables,
            unsupported: BTreeSet::new(),
            unsupported_count: 0,
            fonts,
        }
    }

    /// The width an element's style gives it (without counting it as
    /// styled: used to estimate table cells before building them).
    pub fn peek_width(&mut self, element: ElementRef<'_>, parent: &Style) -> super::style::Len {
        let (count, names) = (self.unsupported_count, self.unsupported.clone());
        let width = self.style(element, parent).width;
        (self.unsupported_count, self.unsupported) = (count, names);
        width
    }

    /// The computed style of `element`, given its parent's.
    pub fn style(&mut self, element: ElementRef<'_>, parent: &Style) -> Style {
        let el = element.value();
        let tag = el.name();
        let mut matched: Vec<(Precedence, &Declaration)> = Vec::new();
        for rule in &self.rules {
            if rule.selector.matches(&element) {
                for d in &rule.declarations {
                    matched.push(((d.important, rule.origin, rule.specificity, rule.order), d));
                }
            }
        }
        let attr = |name: &str| el.attr(name).map(str::to_string);
        let presentational = style::presentational(tag, &attr);
        for d in &presentational {
            matched.push(((false, 1, 0, 0), d));
        }
        let inline: Vec<Declaration> = el
            .attr("style")
            .map(css::parse_declarations)
            .unwrap_or_default()
            .iter()
            .map(|d| substitute(d, &self.variables))
            .collect();
        for d in &inline {
            matched.push(((d.important, 2, u32::MAX, 0), d));
        }
        matched.sort_by_key(|m| m.0);
        let mut style = parent.inherit();
        style.display = Display::Inline;
        // font-size first: other lengths in em depend on it.
        for (_, d) in matched.iter().filter(|(_, d)| d.name == "font-size") {
            style.apply(d, parent.size, &self.fonts);
        }
        for (key, d) in &matched {
            if d.name == "font-size" || d.name.starts_with("--") {
                continue;
            }
            if !style.apply(d, parent.size, &self.fonts)
                && key.1 > 0
                && self.unsupported_count < usize::MAX
            {
                self.unsupported_count += 1;
                if self.unsupported.len() < 64 {
                    self.unsupported.insert(d.name.clone());
                }
            }
        }
        style.finish();
        style
    }
}

/// Custom properties, simplified: every `--name: value` of the author
/// sheets, whatever its selector (they are nearly always on `:root`), the
/// last one winning.
fn custom_properties(sheets: &[Sheet]) -> BTreeMap<String, String> {
    let mut vars = BTreeMap::new();
    for d in sheets
        .iter()
        .flat_map(|s| &s.rules)
        .flat_map(|r| &r.declarations)
    {
        if d.name.starts_with("--") && vars.len() < 1000 {
            vars.insert(d.name.clone(), d.value.trim().to_string());
        }
    }
    vars
}

/// A declaration with its `var(--x, fallback)` references replaced (a few
/// rounds, for variables made of variables; no unbounded expansion).
fn substitute(d: &Declaration, vars: &BTreeMap<String, String>) -> Declaration {
    let mut value = d.value.clone();
    for _ in 0..4 {
        let Some(start) = value.find("var(") else {
            break;
        };
        let Some(len) = value[start..].find(')') else {
            break;
        };
        let inner = &value[start + 4..start + len];
        let (name, fallback) = inner.split_once(',').unwrap_or((inner, ""));
        let replacement = vars
            .get(name.trim())
            .cloned()
            .unwrap_or_else(|| fallback.trim().to_string());
        if replacement.len() > 1000 {
            break;
        }
        value.replace_range(start..start + len + 1, &replacement);
    }
    Declaration { value, ..d.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn style_of(html: &str, css_text: &str, selector: &str) -> (Style, usize) {
        let doc = Html::parse_document(html);
        let mut cascade = Cascade::new(&[css::parse_sheet(css_text)], Fonts::committed());
        let sel = Selector::parse(selector).unwrap();
        let target = doc.select(&sel).next().unwrap();
        // Style the ancestors first, root down.
        let mut chain: Vec<ElementRef> = target.ancestors().filter_map(ElementRef::wrap).collect();
        chain.reverse();
        let mut style = Style::root();
        for el in chain {
            style = cascade.style(el, &style);
        }
        (cascade.style(target, &style), cascade.unsupported_count)
    }

    #[test]
    fn specificity_importance_and_inline_order() {
        let html = r#"<body><p id="x" class="c" style="color: #808080">t</p></body>"#;
        let (s, _) = style_of(
            html,
            "p { color: red } #x { font-weight: bold } .c { font-weight: normal }",
            "p",
        );
        assert!(s.bold, "id beats class");
        assert_eq!(s.gray, 128, "style attribute beats rules");
        let (s, _) = style_of(html, "p { color: black !important }", "p");
        assert_eq!(s.gray, 0, "!important beats the style attribute");
    }

    #[test]
    fn user_agent_defaults_and_inheritance() {
        let (s, _) = style_of("<h1><span>t</span></h1>", "", "span");
        assert!(s.bold);
        assert_eq!(s.size, 24.0);
        assert_eq!(s.display, Display::Inline);
        let (s, _) = style_of("<ul><li>t</li></ul>", "", "li");
        assert_eq!(s.display, Display::ListItem);
    }

    #[test]
    fn unsupported_properties_are_counted() {
        let (_, n) = style_of(
            "<p>t</p>",
            "p { float: left; position: absolute; color: red }",
            "p",
        );
        assert_eq!(n, 2);
    }

    #[test]
    fn custom_properties_are_substituted() {
        let (s, _) = style_of(
            "<p>t</p>",
            ":root { --ink: #808080 } p { color: var(--ink); font-size: var(--nope, 20px) }",
            "p",
        );
        assert_eq!(s.gray, 128);
        assert_eq!(s.size, 15.0);
    }

    #[test]
    fn structural_selectors_match() {
        let html = "<div><p>a</p><p>b</p></div>";
        let (s, _) = style_of(html, "div > p:first-child { font-style: italic }", "p");
        assert!(s.italic);
        let (s, _) = style_of(html, "div > p:first-child { font-style: italic }", "p + p");
        assert!(!s.italic);
    }
}
