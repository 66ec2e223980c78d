//! Golden pages of the ODT reader: the hand-made fixtures of fixtures/odt/
//! (scripts/make-odt-fixtures.py) sent through the real send job: styles
//! and inheritance, a multi-level list, a table with merged cells, running
//! header and footer with page numbers, a picture, a landscape section.

use super::documents::DocCase;
use faxrender::geometry::Resolution;

pub const CASES: &[DocCase] = &[
    DocCase::fine("odt-styles-fine", "odt/styles.odt", 1),
    DocCase::fine("odt-lists-fine", "odt/lists.odt", 1),
    DocCase::fine("odt-table-standard", "odt/table.odt", 1).at(Resolution::Standard),
    DocCase::fine("odt-header-footer-fine", "odt/header-footer.odt", 3),
    DocCase::fine("odt-image-fine", "odt/image.odt", 1),
    DocCase::fine("odt-landscape-fine", "odt/landscape.odt", 2),
];
