//! Golden pages of the HTML reader: headings and paragraphs styled by a
//! `<style>` block, nested lists, a table with spans and borders, an
//! e-mail's table layout (inlined CSS, nested 100 % tables, a 600 px
//! container) and an image from a data URI. Each is a real send job with
//! no header line, at fine resolution on Letter paper.

use super::documents::DocCase;

pub const CASES: &[DocCase] = &[
    DocCase::fine("html-headings-css", "html/headings.html", 1),
    DocCase::fine("html-lists", "html/list.html", 1),
    DocCase::fine("html-table-spans", "html/table-spans.html", 1),
    DocCase::fine("html-email-layout", "html/email-billing.html", 1),
    DocCase::fine("html-image-datauri", "html/image-datauri.html", 1),
];
