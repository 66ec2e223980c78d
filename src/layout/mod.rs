//! Our typesetter: fonts, shaping, line breaking, tables and pagination,
//! from a [`crate::doc::Document`] to positioned page frames.
//!
//! (Being built: issue 3. [`Fonts`] is the contract other stages use now.)

pub mod fonts;

pub use fonts::Fonts;
