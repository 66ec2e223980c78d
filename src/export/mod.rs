//! Output for people: PNG previews of fax pages (and, for the receive path,
//! PDF).

pub mod png;
