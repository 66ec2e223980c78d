//! Golden pages of DOCX documents typeset natively: styles and their
//! inheritance (with a footnote), a multi-level list, a table with merged
//! cells, running header/footer with page fields, a picture, a landscape
//! section after a portrait one, and tab stops (a table of contents with
//! dot leaders, a form with a rule leader, centred and decimal stops, a
//! hanging indent). Each is a real send job (fixed clock, default header
//! line) at fine resolution; page counts are asserted beside the pictures.

use super::documents::DocCase;

pub const CASES: &[DocCase] = &[
    DocCase::fine("docx-styles-fine", "docx/styles.docx", 1).to("12125550123"),
    DocCase::fine("docx-lists-fine", "docx/lists.docx", 1).to("12125550123"),
    DocCase::fine("docx-table-merged-fine", "docx/table-merged.docx", 1).to("12125550123"),
    DocCase::fine("docx-header-footer-fine", "docx/header-footer.docx", 3).to("12125550123"),
    DocCase::fine("docx-image-fine", "docx/image.docx", 1).to("12125550123"),
    DocCase::fine("docx-landscape-fine", "docx/landscape.docx", 2).to("12125550123"),
    DocCase::fine("docx-tabs-fine", "docx/tabs.docx", 1).to("12125550123"),
];
