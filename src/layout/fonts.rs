//! The fonts faxrender renders with: the committed ones in `fonts/` plus any
//! extra folders an operator configures. Loaded once, shared by every job.

use crate::error::Result;
use std::path::PathBuf;
use std::sync::Arc;

/// A loaded set of fonts with per-script fallback.
pub struct Fonts {
    _private: (),
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fonts")
    }
}

impl Fonts {
    /// The committed fonts only (what tests use). Loaded once per process.
    pub fn committed() -> Arc<Fonts> {
        // Contract placeholder until the typesetter lands (issue 3): holds
        // no font yet, nothing renders text.
        Arc::new(Fonts { _private: () })
    }

    /// The committed fonts plus every font file found in `extra_dirs`.
    pub fn with_extra_dirs(extra_dirs: &[PathBuf]) -> Result<Arc<Fonts>> {
        let _ = extra_dirs;
        unimplemented!("issue 3: typesetter")
    }
}
