//! The fonts faxrender renders with: the committed ones in `fonts/` plus any
//! extra folders an operator configures. Loaded once, shared by every job.
//!
//! The committed fonts are embedded in the binary (`include_bytes!`), so the
//! CLI and the service render the same from any working directory. The font
//! database is fed from memory only (never the system's fonts), in a fixed
//! order, so shaping and fallback are deterministic.
//!
//! Shaping needs a mutable [`cosmic_text::FontSystem`] (it caches); a small
//! pool of them lets rayon threads lay out documents in parallel.

use crate::error::{Error, Result};
use cosmic_text::fontdb::{Database, Source, ID};
use cosmic_text::{Fallback, Font, FontSystem};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use unicode_script::Script;

/// Family names of the committed fonts (as their name tables spell them).
pub mod family {
    pub const SANS: &str = "Liberation Sans";
    pub const SERIF: &str = "Liberation Serif";
    pub const MONO: &str = "Liberation Mono";
    pub const CARLITO: &str = "Carlito";
    pub const CALADEA: &str = "Caladea";
    pub const DEJAVU_SANS: &str = "DejaVu Sans";
    pub const DEJAVU_MONO: &str = "DejaVu Sans Mono";
    pub const HEBREW: &str = "Noto Sans Hebrew";
    pub const ARABIC_SANS: &str = "Noto Sans Arabic";
    pub const ARABIC_NASKH: &str = "Noto Naskh Arabic";
}

macro_rules! committed_fonts {
    ($($file:literal),* $(,)?) => {
        /// The committed font files, in load order (which fixes font ids).
        pub const COMMITTED: &[(&str, &[u8])] = &[
            $(($file, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/", $file)))),*
        ];
    };
}

committed_fonts!(
    "LiberationSans-Regular.ttf",
    "LiberationSans-Bold.ttf",
    "LiberationSans-Italic.ttf",
    "LiberationSans-BoldItalic.ttf",
    "LiberationSerif-Regular.ttf",
    "LiberationSerif-Bold.ttf",
    "LiberationSerif-Italic.ttf",
    "LiberationSerif-BoldItalic.ttf",
    "LiberationMono-Regular.ttf",
    "LiberationMono-Bold.ttf",
    "LiberationMono-Italic.ttf",
    "LiberationMono-BoldItalic.ttf",
    "Carlito-Regular.ttf",
    "Carlito-Bold.ttf",
    "Carlito-Italic.ttf",
    "Carlito-BoldItalic.ttf",
    "Caladea-Regular.ttf",
    "Caladea-Bold.ttf",
    "Caladea-Italic.ttf",
    "Caladea-BoldItalic.ttf",
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSansMono.ttf",
    "DejaVuSansMono-Bold.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansHebrew-Bold.ttf",
    "NotoNaskhArabic-Regular.ttf",
    "NotoNaskhArabic-Bold.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
);

/// Font files bigger than this in an extra folder are skipped (a CJK
/// collection is ~20-30 MB; nothing legitimate is bigger).
const MAX_EXTRA_FONT_BYTES: u64 = 64 * 1024 * 1024;
/// At most this many extra font files are loaded.
const MAX_EXTRA_FONT_FILES: usize = 256;
/// Folder depth searched below each extra folder.
const MAX_EXTRA_DEPTH: usize = 4;

/// A loaded set of fonts with per-script fallback.
pub struct Fonts {
    /// Distinguishes font sets in glyph caches (font ids of extra fonts
    /// differ between sets).
    serial: u64,
    db: Database,
    /// Every family name the faces carry, lowercased (for
    /// [`Fonts::has_family`], asked once per styled element).
    families: BTreeSet<String>,
    /// Parsed faces by id, for rasterizing (swash) without a FontSystem.
    faces: BTreeMap<ID, Arc<Font>>,
    /// Shaping contexts, checked out one per layout call.
    pool: Mutex<Vec<FontSystem>>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fonts({} faces)", self.faces.len())
    }
}

impl Fonts {
    /// The committed fonts only (what tests use). Loaded once per process.
    pub fn committed() -> Arc<Fonts> {
        static COMMITTED_FONTS: OnceLock<Arc<Fonts>> = OnceLock::new();
        COMMITTED_FONTS
            .get_or_init(|| Arc::new(Fonts::build(Vec::new())))
            .clone()
    }

    /// The committed fonts plus every font file found in `extra_dirs`
    /// (`.ttf`, `.otf`, `.ttc`, `.otc`; searched a few folders deep, files
    /// over 64 MB skipped, at most 256 files). A folder that cannot be read
    /// is an invalid-option error.
    pub fn with_extra_dirs(extra_dirs: &[PathBuf]) -> Result<Arc<Fonts>> {
        if extra_dirs.is_empty() {
            return Ok(Fonts::committed());
        }
        let mut files = Vec::new();
        for dir in extra_dirs {
            if !dir.is_dir() {
                return Err(Error::invalid_option(format!(
                    "font folder {} does not exist or is not a folder",
                    dir.display()
                )));
            }
            collect_font_files(dir, 0, &mut files);
        }
        // Sorted so font ids (and so fallback choices) do not depend on the
        // order the file system lists entries in.
        files.sort();
        files.dedup();
        files.truncate(MAX_EXTRA_FONT_FILES);
        let mut extra = Vec::new();
        for path in files {
            if let Ok(bytes) = std::fs::read(&path) {
                extra.push(bytes);
            }
        }
        Ok(Arc::new(Fonts::build(extra)))
    }

    fn build(extra: Vec<Vec<u8>>) -> Fonts {
        let mut db = Database::new();
        for (_, bytes) in COMMITTED {
            db.load_font_source(Source::Binary(Arc::new(*bytes)));
        }
        for bytes in extra {
            db.load_font_source(Source::Binary(Arc::new(bytes)));
        }
        db.set_sans_serif_family(family::SANS);
        db.set_serif_family(family::SERIF);
        db.set_monospace_family(family::MONO);
        db.set_cursive_family(family::SANS);
        db.set_fantasy_family(family::SANS);
        let mut faces = BTreeMap::new();
        for face in db.faces() {
            if let Some(font) = Font::new(&db, face.id, face.weight) {
                faces.insert(face.id, Arc::new(font));
            }
        }
        let families = db
            .faces()
            .flat_map(|face| face.families.iter().map(|(name, _)| name.to_lowercase()))
            .collect();
        static NEXT_SERIAL: AtomicU64 = AtomicU64::new(0);
        Fonts {
            serial: NEXT_SERIAL.fetch_add(1, Ordering::Relaxed),
            db,
            families,
            faces,
            pool: Mutex::new(Vec::new()),
        }
    }

    /// A number unique to this font set within the process.
    pub fn serial(&self) -> u64 {
        self.serial
    }

    /// Number of font faces loaded.
    pub fn face_count(&self) -> usize {
        self.faces.len()
    }

    /// A parsed face by id (ids come from layout results).
    pub fn face(&self, id: ID) -> Option<&Arc<Font>> {
        self.faces.get(&id)
    }

    /// The font database (family names, styles).
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// Whether a face of `family` is loaded, the committed fonts and any
    /// extra folders alike, after the metric-compatible substitutions of
    /// [`resolve_family`] (so "Calibri" is there when Carlito is).
    pub fn has_family(&self, family: &str) -> bool {
        self.families
            .contains(&resolve_family(family).to_lowercase())
    }

    /// Runs `f` with a shaping context from the pool (made on first use).
    pub(crate) fn with_font_system<R>(&self, f: impl FnOnce(&mut FontSystem) -> R) -> R {
        let taken = self.pool.lock().map(|mut p| p.pop()).unwrap_or(None);
        let mut system = taken.unwrap_or_else(|| {
            FontSystem::new_with_locale_and_db_and_fallback(
                "en-US".to_string(),
                self.db.clone(),
                FaxFallback,
            )
        });
        let result = f(&mut system);
        if let Ok(mut pool) = self.pool.lock() {
            pool.push(system);
        }
        result
    }
}

fn collect_font_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > MAX_EXTRA_DEPTH || out.len() >= MAX_EXTRA_FONT_FILES * 4 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            collect_font_files(&path, depth + 1, out);
        } else if meta.len() <= MAX_EXTRA_FONT_BYTES && is_font_file(&path) {
            out.push(path);
        }
    }
}

fn is_font_file(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    matches!(ext.as_deref(), Some("ttf" | "otf" | "ttc" | "otc"))
}

/// The family we render a document's font name with: metric-compatible
/// substitutes for the common Office fonts, generic names to our defaults,
/// anything else as asked (the fallback chain covers an unknown name).
pub fn resolve_family(name: &str) -> &str {
    let trimmed = name.trim().trim_matches(|c| c == '"' || c == '\'');
    match trimmed.to_ascii_lowercase().as_str() {
        "arial" | "helvetica" | "helvetica neue" | "arimo" | "sans-serif" | "sans" | "verdana"
        | "tahoma" | "segoe ui" => family::SANS,
        "times new roman" | "times" | "tinos" | "serif" | "georgia" => family::SERIF,
        "courier new" | "courier" | "cousine" | "monospace" | "mono" | "consolas"
        | "lucida console" => family::MONO,
        "calibri" => family::CARLITO,
        "cambria" => family::CALADEA,
        _ => trimmed,
    }
}

/// Fallback lists over the committed fonts (plus common CJK names an extra
/// folder may supply); cosmic-text tries every other loaded font last.
struct FaxFallback;

impl Fallback for FaxFallback {
    fn common_fallback(&self) -> &[&'static str] {
        &[family::SANS, family::DEJAVU_SANS]
    }

    fn forbidden_fallback(&self) -> &[&'static str] {
        &[]
    }

    fn script_fallback(&self, script: Script, _locale: &str) -> &[&'static str] {
        match script {
            Script::Hebrew => &[family::HEBREW, family::DEJAVU_SANS],
            Script::Arabic => &[
                family::ARABIC_NASKH,
                family::ARABIC_SANS,
                family::DEJAVU_SANS,
            ],
            Script::Latin | Script::Greek | Script::Cyrillic => {
                &[family::SANS, family::DEJAVU_SANS]
            }
            Script::Han
            | Script::Hiragana
            | Script::Katakana
            | Script::Hangul
            | Script::Bopomofo => &[
                "Noto Sans CJK JP",
                "Noto Serif CJK JP",
                "Noto Sans JP",
                "IPAGothic",
                "IPAexGothic",
                "Droid Sans Fallback",
                "WenQuanYi Zen Hei",
            ],
            _ => &[family::DEJAVU_SANS],
        }
    }
}

/// Characters no loaded font has a glyph for, collected while laying out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MissingGlyphs {
    count: usize,
    /// The first distinct code points, in order of appearance.
    samples: Vec<char>,
}

impl MissingGlyphs {
    const MAX_SAMPLES: usize = 8;

    pub fn add(&mut self, c: char) {
        self.count += 1;
        if self.samples.len() < Self::MAX_SAMPLES && !self.samples.contains(&c) {
            self.samples.push(c);
        }
    }

    pub fn merge(&mut self, other: &MissingGlyphs) {
        self.count += other.count;
        for &c in &other.samples {
            if self.samples.len() < Self::MAX_SAMPLES && !self.samples.contains(&c) {
                self.samples.push(c);
            }
        }
    }

    pub fn count(&self) -> usize {
        self.count
    }

    /// The warning for the report, if any character was missing.
    pub fn warning(&self) -> Option<String> {
        if self.count == 0 {
            return None;
        }
        let codes: Vec<String> = self
            .samples
            .iter()
            .map(|c| format!("U+{:04X}", *c as u32))
            .collect();
        let more = if self.count > self.samples.len() {
            " ..."
        } else {
            ""
        };
        Some(format!(
            "{} character{} no glyph in the available fonts ({}{}); add a font folder that covers them",
            self.count,
            if self.count == 1 { " has" } else { "s have" },
            codes.join(" "),
            more
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_family_sees_committed_fonts_and_their_substitutes() {
        let fonts = Fonts::committed();
        assert!(fonts.has_family("Liberation Serif"));
        assert!(fonts.has_family("carlito"));
        // metric-compatible substitutes count
        assert!(fonts.has_family("Calibri"));
        assert!(fonts.has_family("Times New Roman"));
        assert!(!fonts.has_family("Foo Grotesk"));
    }

    #[test]
    fn committed_fonts_load_every_file_once_per_process() {
        let a = Fonts::committed();
        let b = Fonts::committed();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(a.face_count(), COMMITTED.len());
    }

    #[test]
    fn office_names_map_to_metric_compatible_fonts() {
        assert_eq!(resolve_family("Arial"), family::SANS);
        assert_eq!(resolve_family("Times New Roman"), family::SERIF);
        assert_eq!(resolve_family("'Courier New'"), family::MONO);
        assert_eq!(resolve_family("Calibri"), family::CARLITO);
        assert_eq!(resolve_family("Cambria"), family::CALADEA);
        assert_eq!(resolve_family("monospace"), family::MONO);
        assert_eq!(resolve_family("Some Font"), "Some Font");
    }

    #[test]
    fn every_mapped_family_is_loaded() {
        let fonts = Fonts::committed();
        let names: Vec<&str> = fonts
            .database()
            .faces()
            .flat_map(|f| f.families.iter().map(|(n, _)| n.as_str()))
            .collect();
        for want in [
            family::SANS,
            family::SERIF,
            family::MONO,
            family::CARLITO,
            family::CALADEA,
            family::DEJAVU_SANS,
            family::HEBREW,
            family::ARABIC_NASKH,
        ] {
            assert!(names.contains(&want), "{want} not loaded: {names:?}");
        }
    }

    #[test]
    fn missing_glyph_warning_lists_code_points() {
        let mut m = MissingGlyphs::default();
        assert_eq!(m.warning(), None);
        m.add('日');
        m.add('本');
        m.add('日');
        let w = m.warning().unwrap();
        assert!(w.starts_with("3 characters have no glyph"), "{w}");
        assert!(w.contains("U+65E5 U+672C ..."), "{w}");
    }

    #[test]
    fn extra_dirs_must_exist_and_empty_list_is_committed() {
        assert!(Fonts::with_extra_dirs(&[PathBuf::from("/nonexistent/fonts")]).is_err());
        let f = Fonts::with_extra_dirs(&[]).unwrap();
        assert!(Arc::ptr_eq(&f, &Fonts::committed()));
    }
}
