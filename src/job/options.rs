//! Options of a send job, with the defaults a fax server expects
//! (fine, letter, G4, auto bilevel, 100 pages / 20 MB).

use crate::bilevel::BilevelMode;
use crate::codec::Compression;
use crate::geometry::{PageGeometry, Paper, Resolution};
use crate::limits::Limits;

/// How the fax is rendered and coded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct SendOptions {
    pub resolution: Resolution,
    pub paper: Paper,
    pub compression: Compression,
    pub bilevel: BilevelMode,
    pub limits: Limits,
}

impl SendOptions {
    pub fn geometry(&self) -> PageGeometry {
        PageGeometry::new(self.resolution, self.paper)
    }
}
